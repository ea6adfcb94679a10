//! Scoped rules: allowances for one component, or one method of it, on top
//! of the global ones. Every rule that refuses a leaf (the floor,
//! `sensitive`, denied types, reserved names, the limits) still wins there,
//! and nothing leaks to the component's other methods or to other
//! components. Captured with real spans.

use std::collections::BTreeMap;

use caci_core::{Kind, Telemetry, TelemetryCaptureConfiguration, component};
use caci_testkit::Captured;
use uuid::Uuid;

#[derive(Clone, Telemetry)]
struct Card {
    brand: String,
    last_four: String,
    #[telemetry(sensitive)]
    #[allow(dead_code, reason = "never read: it must never be captured either")]
    holder: String,
}

#[derive(Clone, Telemetry)]
#[telemetry(sensitive)]
struct VaultKey(#[allow(dead_code, reason = "never read: it must never be captured either")] String);

#[derive(Clone, Debug, Telemetry)]
struct Deep {
    inner: Inner,
}

#[derive(Clone, Debug, Telemetry)]
struct Inner {
    level: Level2,
}

#[derive(Clone, Debug, Telemetry)]
struct Level2 {
    code: u32,
}

struct PaymentGateway;

#[component]
impl PaymentGateway {
    #[allow(clippy::too_many_arguments)]
    fn authorize(
        &self,
        order_id: Uuid,
        amount_cents: u64,
        currency: &str,
        password: &str,
        card: &Card,
        key: &VaultKey,
        flags: &BTreeMap<String, String>,
        deep: &Deep,
    ) -> bool {
        let _ = (order_id, amount_cents, currency, password, card, key, flags, deep);
        true
    }

    fn refund(&self, order_id: Uuid, amount_cents: u64, authorization_id: Uuid) -> bool {
        let _ = (order_id, amount_cents, authorization_id);
        true
    }
}

struct Ledger;

#[component]
impl Ledger {
    fn post(&self, order_id: Uuid, amount_cents: u64) {
        let _ = (order_id, amount_cents);
    }
}

fn call_all() {
    let gateway = PaymentGateway;
    let card = Card {
        brand: "VISA".into(),
        last_four: "4242".into(),
        holder: "Ada Lovelace".into(),
    };
    let flags = BTreeMap::from([
        ("beta".to_owned(), "on".to_owned()),
        ("region".to_owned(), "eu".to_owned()),
    ]);
    let deep = Deep {
        inner: Inner {
            level: Level2 { code: 7 },
        },
    };
    gateway.authorize(
        Uuid::from_u128(1),
        1250,
        "EUR",
        "hunter2",
        &card,
        &VaultKey("vault-secret".into()),
        &flags,
        &deep,
    );
    gateway.refund(Uuid::from_u128(2), 300, Uuid::from_u128(3));
    Ledger.post(Uuid::from_u128(4), 99);
}

fn run(config: &TelemetryCaptureConfiguration) -> Captured {
    caci_testkit::capture(config, call_all).1
}

#[test]
fn a_method_scope_captures_at_that_method_only() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("currency")
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_field("amount_cents").allow_kind(Kind::Uuid)
        })
        .build()
        .unwrap();
    let captured = run(&config);
    captured
        .span("PaymentGateway.authorize")
        .assert_field("amount_cents", 1250)
        .assert_field("order_id", Uuid::from_u128(1).to_string().as_str())
        .assert_field("currency", "EUR");
    captured
        .span("PaymentGateway.refund")
        .assert_no_field("amount_cents")
        .assert_no_field("order_id")
        .assert_no_field("authorization_id");
    captured
        .span("Ledger.post")
        .assert_no_field("amount_cents")
        .assert_no_field("order_id");
}

#[test]
fn a_component_scope_captures_at_every_method_of_it() {
    let config = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", None, |scope| scope.allow_field("amount_cents"))
        .build()
        .unwrap();
    let captured = run(&config);
    captured
        .span("PaymentGateway.authorize")
        .assert_field("amount_cents", 1250);
    captured.span("PaymentGateway.refund").assert_field("amount_cents", 300);
    captured.span("Ledger.post").assert_no_field("amount_cents");
}

#[test]
fn the_floor_sensitive_and_denied_types_win_inside_a_scope() {
    let config = TelemetryCaptureConfiguration::builder()
        .deny_type("VaultKey")
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_kind(Kind::String).allow_struct::<Card>()
        })
        .build()
        .unwrap();
    let captured = run(&config);
    captured
        .span("PaymentGateway.authorize")
        .assert_field("currency", "EUR")
        .assert_field("card.brand", "VISA")
        .assert_field("card.last_four", "4242")
        .assert_no_field("password")
        .assert_no_field("card.holder")
        .assert_no_field("key");
    captured.assert_never_contains("hunter2");
    captured.assert_never_contains("Ada Lovelace");
    captured.assert_never_contains("vault-secret");
}

#[test]
fn a_scope_cannot_allow_a_floor_name_and_every_problem_is_located() {
    let err = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_fields(["amount_cents", "password"])
        })
        .scope("payment::Gateway", Some("two words"), |scope| {
            scope.allow_kind(Kind::Uuid)
        })
        .build()
        .unwrap_err();
    let problems: Vec<String> = err
        .problems()
        .iter()
        .map(|problem| format!("{}: {}", problem.location, problem.message))
        .collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("scopes[0].allowed_field_names[1]: `password` is on the built-in deny floor"));
    assert!(problems[1].starts_with("scopes[1].component: `payment::Gateway` is not a component name"));
    assert!(problems[2].starts_with("scopes[1].method: `two words` is not a method name"));

    let err =
        TelemetryCaptureConfiguration::from_toml_str("[[scopes]]\ncomponent = \"A\"\nttl = \"soon\"\n").unwrap_err();
    assert_eq!(err.problems()[0].location, "scopes[0].ttl");
}

#[test]
fn the_limits_apply_inside_a_scope() {
    let config = TelemetryCaptureConfiguration::builder()
        .max_depth(2)
        .max_string_len(2)
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_fields(["deep.inner.level.code", "currency"])
        })
        .build()
        .unwrap();
    let captured = run(&config);
    captured
        .span("PaymentGateway.authorize")
        .assert_no_field("deep.inner.level.code")
        .assert_field("currency", "EU…");
}

#[test]
fn dictionaries_and_map_entries_can_be_scoped() {
    let whole = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_dictionary("flags")
        })
        .build()
        .unwrap();
    let captured = run(&whole);
    let flags = captured
        .span("PaymentGateway.authorize")
        .field("flags")
        .expect("captured")
        .to_string();
    assert!(flags.contains("beta") && flags.contains("region"), "{flags}");

    let one_entry = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_field("flags.beta")
        })
        .build()
        .unwrap();
    let captured = run(&one_entry);
    captured
        .span("PaymentGateway.authorize")
        .assert_field("flags.beta", "on")
        .assert_no_field("flags.region")
        .assert_no_field("flags");
}

#[test]
fn decisions_name_the_scope_that_captured_a_leaf() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("currency")
        .scope("PaymentGateway", None, |scope| scope.allow_field("currency"))
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_field("amount_cents")
        })
        .build()
        .unwrap();
    let descriptor = caci_core::MethodDescriptor::all()
        .find(|descriptor| descriptor.site().name == "PaymentGateway.authorize")
        .unwrap();
    let (inputs, output) = descriptor.shapes();
    let decisions = config.decisions_at("PaymentGateway", "authorize", &inputs, output.as_ref());
    let scope_of = |path: &str| {
        let decision = decisions.iter().find(|decision| decision.path == path).unwrap();
        (decision.verdict.is_captured(), decision.scope.clone())
    };
    assert_eq!(
        scope_of("amount_cents"),
        (true, Some("PaymentGateway.authorize".to_owned()))
    );
    // The global lists come first: a leaf they capture names no scope.
    assert_eq!(scope_of("currency"), (true, None));
    assert_eq!(scope_of("password"), (false, None));
    let elsewhere = config.decisions_at("Ledger", "post", &inputs, output.as_ref());
    assert!(
        !elsewhere
            .iter()
            .find(|decision| decision.path == "amount_cents")
            .unwrap()
            .verdict
            .is_captured()
    );
}

#[test]
fn a_file_and_the_builder_describe_the_same_scopes() {
    let from_file = TelemetryCaptureConfiguration::from_toml_str(
        r#"
        [[scopes]]
        component = "PaymentGateway"
        method = "authorize"
        allowed_field_names = ["amount_cents", "currency"]
        allowed_field_kinds = ["uuid"]
        "#,
    )
    .unwrap();
    let built = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_fields(["amount_cents", "currency"]).allow_kind(Kind::Uuid)
        })
        .build()
        .unwrap();
    assert_eq!(from_file.spec(), built.spec());
    assert_eq!(from_file.id(), built.id());
    let (a, b) = (run(&from_file), run(&built));
    assert_eq!(a.render(), b.render());
    a.span("PaymentGateway.authorize").assert_field("amount_cents", 1250);
}
