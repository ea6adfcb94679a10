//! A small service for the coverage tests: two components, four methods,
//! and a configuration that produces every verdict.
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;

use caci_core::__private::MethodSite;
use caci_core::__private::SiteInfo;
use caci_core::{
    Capture, Input, Kind, Level, MethodDescriptor, MethodInfo, Shape, Telemetry, TelemetryCaptureConfiguration,
};
use uuid::Uuid;

#[derive(Telemetry)]
pub struct BusinessId(pub Uuid);

#[derive(Telemetry)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Tier {
    Starter,
    Pro,
}

#[derive(Telemetry)]
pub struct Owner {
    pub user_id: Uuid,
    pub display_name: String,
}

#[derive(Telemetry)]
pub struct Business {
    pub business_id: BusinessId,
    pub tier: Tier,
    pub country: String,
    pub email: String,
    #[telemetry(sensitive)]
    pub card_token: String,
    pub internal_note: String,
    pub owner: Owner,
    pub flags: BTreeMap<String, bool>,
}

#[derive(Telemetry)]
pub struct Detail {
    pub code: u32,
}

#[derive(Telemetry)]
pub struct Step {
    pub detail: Detail,
}

#[derive(Telemetry)]
pub struct Audit {
    pub step: Step,
}

#[derive(Telemetry)]
pub struct Receipt {
    pub receipt_id: Uuid,
    pub total_cents: i64,
}

const fn site(name: &'static str, line: u32, inputs: &'static [&'static str]) -> SiteInfo {
    SiteInfo {
        name,
        target: "app::service",
        level: Level::INFO,
        module_path: "app::service",
        file: "src/service.rs",
        line,
        inputs,
    }
}

static INITIALIZE_BUSINESS: MethodSite = MethodSite::new(
    site("SubscriptionService.initialize_business", 10, &["business", "ledger"]),
    MethodInfo {
        component: "SubscriptionService",
        method: "initialize_business",
        signature: "initialize_business(&self, business: &Business, ledger: &Ledger) -> ()",
        input_types: &["&Business", "&Ledger"],
        output_type: "()",
        captures_output: false,
    },
);

fn initialize_business() -> (Vec<Input>, Option<Shape>) {
    let inputs = vec![
        Input::new("business", Business::shape()),
        Input::new("ledger", Shape::opaque("app::Ledger")),
    ];
    (inputs, None)
}

static ACTIVATE_FEATURES: MethodSite = MethodSite::new(
    site("SubscriptionService.activate_features", 30, &["business_id", "tier"]),
    MethodInfo {
        component: "SubscriptionService",
        method: "activate_features",
        signature: "activate_features(&self, business_id: BusinessId, tier: Tier) -> Vec<Tier>",
        input_types: &["BusinessId", "Tier"],
        output_type: "Vec<Tier>",
        captures_output: true,
    },
);

fn activate_features() -> (Vec<Input>, Option<Shape>) {
    let inputs = vec![
        Input::new("business_id", BusinessId::shape()),
        Input::new("tier", Tier::shape()),
    ];
    (inputs, Some(<Vec<Tier>>::shape()))
}

static CHARGE: MethodSite = MethodSite::new(
    site("Billing.charge", 50, &["amount_cents", "currency", "audit"]),
    MethodInfo {
        component: "Billing",
        method: "charge",
        signature: "charge(&self, amount_cents: i64, currency: String, audit: Audit) -> Receipt",
        input_types: &["i64", "String", "Audit"],
        output_type: "Receipt",
        captures_output: true,
    },
);

fn charge() -> (Vec<Input>, Option<Shape>) {
    let inputs = vec![
        Input::new("amount_cents", i64::shape()),
        Input::new("currency", String::shape()),
        Input::new("audit", Audit::shape()),
    ];
    (inputs, Some(Receipt::shape()))
}

static REFUND: MethodSite = MethodSite::new(
    site("Billing.refund", 70, &[]),
    MethodInfo {
        component: "Billing",
        method: "refund",
        signature: "refund(&self) -> ()",
        input_types: &[],
        output_type: "()",
        captures_output: false,
    },
);

fn refund() -> (Vec<Input>, Option<Shape>) {
    (Vec::new(), None)
}

/// The four methods, deliberately not in report order.
pub static METHODS: [MethodDescriptor; 4] = [
    MethodDescriptor::new(&INITIALIZE_BUSINESS, initialize_business),
    MethodDescriptor::new(&CHARGE, charge),
    MethodDescriptor::new(&ACTIVATE_FEATURES, activate_features),
    MethodDescriptor::new(&REFUND, refund),
];

/// Allows something by every rule: a name, a path, a kind, a struct and a
/// dictionary; denies `internal_note`.
pub fn config() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["country", "currency", "business.owner.user_id"])
        .allow_kind(Kind::Uuid)
        .allow_struct_named("Receipt")
        .allow_dictionary("flags")
        .deny_field("internal_note")
        .build()
        .expect("a valid configuration")
}

/// The same configuration as a JSON file's text.
pub const CONFIG_JSON: &str = r#"{
  "allowed_field_names": ["country", "currency", "business.owner.user_id"],
  "allowed_field_kinds": ["uuid"],
  "allowed_structs": ["Receipt"],
  "allowed_dictionaries": ["flags"],
  "denied_field_names": ["internal_note"]
}"#;
