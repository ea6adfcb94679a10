//! What derived types record into real spans, captured with `caci-testkit`.

// The derive never reads sensitive or skipped fields, and nothing else here
// does either.
#![allow(dead_code)]

use caci_core::{Kind, Level, Telemetry, TelemetryCaptureConfiguration};
use caci_testkit::FieldValue;

#[derive(Telemetry)]
struct BusinessId(uuid::Uuid);

#[derive(Telemetry)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    Starter,
    ProMax,
}

#[derive(Telemetry)]
struct Address {
    country: String,
    city: String,
}

/// Does not implement `Capture`.
struct Cache;

#[derive(Telemetry)]
struct Business {
    id: BusinessId,
    plan: Plan,
    active: bool,
    #[telemetry(rename = "group")]
    feature_group: String,
    // Skipped before recorded fields: shape indices differ from positions.
    #[telemetry(skip)]
    cache: Cache,
    #[telemetry(flatten)]
    address: Address,
    #[telemetry(sensitive)]
    tax_reference: String,
}

#[derive(Telemetry)]
enum Payment {
    Card {
        last4: String,
        #[telemetry(sensitive)]
        holder: String,
    },
    Transfer(
        String,
        #[telemetry(skip)] Cache,
        #[telemetry(rename = "reference")] String,
    ),
    Wallet(#[telemetry(flatten)] Address),
    Cash,
}

/// Variants whose fields are all sensitive or skipped: only the name is
/// ever recorded (the derive offers it from one table).
#[derive(Telemetry)]
#[telemetry(rename_all = "kebab-case")]
enum Credential {
    Password(#[telemetry(sensitive)] String),
    ApiKey {
        #[telemetry(sensitive)]
        key: String,
        #[telemetry(skip)]
        cache: Cache,
    },
    Anonymous,
}

#[derive(Telemetry)]
struct Page<T, S> {
    items: Vec<T>,
    count: T,
    #[telemetry(skip)]
    state: S,
}

#[derive(Telemetry)]
struct Pair(u32, #[telemetry(sensitive)] u32, i8);

fn business() -> Business {
    Business {
        id: BusinessId(uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef)),
        plan: Plan::Starter,
        active: true,
        feature_group: "beta".into(),
        address: Address {
            country: "CA".into(),
            city: "Montréal".into(),
        },
        tax_reference: "TX-991".into(),
        cache: Cache,
    }
}

fn config(build: impl FnOnce(caci_core::ConfigBuilder) -> caci_core::ConfigBuilder) -> TelemetryCaptureConfiguration {
    build(TelemetryCaptureConfiguration::builder())
        .build()
        .expect("a valid configuration")
}

/// Opens `test.span` capturing `$name = $value` under `$config`, and
/// returns the span as recorded.
macro_rules! span_of {
    ($config:expr, $name:ident = $value:expr) => {{
        let value = $value;
        let ((), captured) = caci_testkit::capture(&$config, || {
            let _span = caci_core::span!(Level::INFO, "test.span", $name = value).entered();
        });
        captured.span("test.span").clone()
    }};
}

#[test]
fn nested_fields_are_captured_under_dotted_paths_with_their_types() {
    let config = config(|b| b.allow_fields(["plan", "active", "group"]));
    let span = span_of!(config, business = business());
    span.assert_fields_exactly(&["business.plan", "business.active", "business.group"]);
    assert_eq!(span.field("business.plan"), Some(&FieldValue::Str("STARTER".into())));
    assert_eq!(span.field("business.active"), Some(&FieldValue::Bool(true)));
    assert_eq!(span.field("business.group"), Some(&FieldValue::Str("beta".into())));
}

#[test]
fn a_newtype_is_captured_as_its_inner_value() {
    let config = config(|b| b.allow_kind(Kind::Uuid));
    let span = span_of!(config, business = business());
    span.assert_fields_exactly(&["business.id"])
        .assert_field("business.id", "01234567-89ab-cdef-0123-456789abcdef");
}

#[test]
fn a_flattened_field_on_the_floor_keeps_its_fields_out() {
    // `address` is on the deny floor: flattening does not hide its name.
    let config = config(|b| b.allow_fields(["country", "city"]));
    let span = span_of!(config, business = business());
    span.assert_fields_exactly(&[]);
}

#[test]
fn sensitive_fields_are_never_captured_even_when_allowed_by_name_and_struct() {
    let config = config(|b| {
        b.allow_field("tax_reference")
            .allow_field("business.tax_reference")
            .allow_struct::<Business>()
    });
    let span = span_of!(config, business = business());
    span.assert_no_field("business.tax_reference");
    // The struct allowance does reach the other fields.
    span.assert_field("business.group", "beta")
        .assert_field("business.active", true);
}

#[test]
fn skipped_and_renamed_fields_are_not_captured_under_their_rust_names() {
    let config = config(|b| {
        b.allow_fields(["cache", "feature_group", "group"])
            .allow_struct::<Business>()
    });
    let span = span_of!(config, business = business());
    span.assert_no_field("business.cache")
        .assert_no_field("business.feature_group")
        .assert_field("business.group", "beta");
}

#[test]
fn a_data_enum_records_its_variant_name_and_the_variant_fields() {
    let config = config(|b| b.allow_fields(["payment", "last4", "holder"]));
    let card = Payment::Card {
        last4: "4242".into(),
        holder: "A. Person".into(),
    };
    let span = span_of!(config, payment = card);
    span.assert_fields_exactly(&["payment", "payment.last4"]);
    assert_eq!(span.field("payment"), Some(&FieldValue::Str("Card".into())));
    assert_eq!(span.field("payment.last4"), Some(&FieldValue::Str("4242".into())));
}

#[test]
fn a_data_enum_records_only_the_fields_of_the_variant_it_holds() {
    let config = config(|b| b.allow_fields(["payment", "last4", "0", "reference", "country"]));
    let transfer = Payment::Transfer("FR76".into(), Cache, "INV-7".into());
    let span = span_of!(config, payment = transfer);
    span.assert_fields_exactly(&["payment", "payment.0", "payment.reference"])
        .assert_field("payment", "Transfer")
        .assert_field("payment.0", "FR76")
        .assert_field("payment.reference", "INV-7");

    let wallet = Payment::Wallet(Address {
        country: "DE".into(),
        city: "Berlin".into(),
    });
    let span = span_of!(config, payment = wallet);
    // The type `Address` has the floor word `address`.
    span.assert_fields_exactly(&["payment"])
        .assert_field("payment", "Wallet");

    let span = span_of!(config, payment = Payment::Cash);
    span.assert_fields_exactly(&["payment"]).assert_field("payment", "Cash");
}

#[test]
fn an_enum_whose_variants_record_no_field_records_only_the_variant_name() {
    let config = config(|b| b.allow_fields(["credential", "0", "key", "cache"]));
    let cases = [
        (Credential::Password("hunter2".into()), "password"),
        (
            Credential::ApiKey {
                key: "sk_live_1234".into(),
                cache: Cache,
            },
            "api-key",
        ),
        (Credential::Anonymous, "anonymous"),
    ];
    for (credential, name) in cases {
        let span = span_of!(config, credential = credential);
        span.assert_fields_exactly(&["credential"])
            .assert_field("credential", name);
    }
}

#[test]
fn a_generic_struct_records_its_type_parameter_values() {
    let config = config(|b| b.allow_fields(["items", "count"]));
    let page = Page {
        items: vec![3_u32, 5],
        count: 2_u32,
        state: Cache,
    };
    let span = span_of!(config, page = page);
    span.assert_fields_exactly(&["page.items", "page.count"]);
    assert_eq!(span.field("page.count"), Some(&FieldValue::I64(2)));
    assert_eq!(span.field("page.items").map(FieldValue::as_text), Some("[3, 5]".into()));
}

#[test]
fn tuple_struct_fields_are_captured_by_position() {
    let config = config(|b| b.allow_struct::<Pair>());
    let span = span_of!(config, pair = Pair(7, 8, -9));
    span.assert_fields_exactly(&["pair.0", "pair.2"]);
    assert_eq!(span.field("pair.0"), Some(&FieldValue::I64(7)));
    assert_eq!(span.field("pair.2"), Some(&FieldValue::I64(-9)));
}

#[derive(Telemetry)]
struct LineItem {
    sku: String,
    quantity: u32,
    discount: Option<u32>,
    card_number: String,
    #[telemetry(sensitive)]
    note: String,
}

#[derive(Telemetry)]
struct Order {
    plan: Plan,
    items: Vec<LineItem>,
}

fn order(count: u32) -> Order {
    Order {
        plan: Plan::ProMax,
        items: (1..=count)
            .map(|index| LineItem {
                sku: format!("SKU-{index}"),
                quantity: index,
                discount: (index % 2 == 0).then_some(5),
                card_number: format!("4111 1111 1111 111{index}"),
                note: format!("call owner{index}@example.com"),
            })
            .collect(),
    }
}

#[test]
fn a_list_of_structs_is_captured_as_one_column_per_allowed_leaf() {
    let config = config(|b| b.allow_fields(["sku", "quantity", "discount", "note"]));
    let span = span_of!(config, order = order(3));
    span.assert_fields_exactly(&["order.items.sku", "order.items.quantity", "order.items.discount"])
        .assert_field("order.items.sku", "[SKU-1, SKU-2, SKU-3]")
        .assert_field("order.items.quantity", "[1, 2, 3]")
        .assert_field("order.items.discount", "[null, 5, null]");
}

#[test]
fn list_columns_follow_paths_structs_and_the_item_limit() {
    let by_path = config(|b| b.allow_field("order.items.quantity"));
    span_of!(by_path, order = order(2))
        .assert_fields_exactly(&["order.items.quantity"])
        .assert_field("order.items.quantity", "[1, 2]");

    let by_struct = config(|b| b.allow_struct_named("LineItem").max_list_items(2));
    let span = span_of!(by_struct, order = order(4));
    span.assert_fields_exactly(&["order.items.sku", "order.items.quantity", "order.items.discount"])
        .assert_field("order.items.sku", "[SKU-1, SKU-2, …]");

    let nothing_in_items = config(|b| b.allow_field("plan"));
    span_of!(nothing_in_items, order = order(2)).assert_fields_exactly(&["order.plan"]);
}

#[test]
fn denied_and_sensitive_item_fields_never_reach_a_subscriber() {
    // The whole struct and every string: the card number is on the deny
    // floor, the note is sensitive.
    let config = config(|b| b.allow_struct_named("LineItem").allow_kind(Kind::String));
    let order = order(2);
    let ((), captured) = caci_testkit::capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "test.span", order = order).entered();
    });
    captured
        .assert_never_contains("4111 1111")
        .assert_never_contains("owner1@example.com");
    captured.span("test.span").assert_no_field("order.items.card_number");
}

#[test]
fn item_leaves_appear_in_the_decisions_under_the_list_path() {
    let config = config(|b| b.allow_field("sku"));
    let decisions = config.decisions(
        &[caci_core::Input::new("order", <Order as caci_core::Capture>::shape())],
        None,
    );
    let verdict = |path: &str| {
        decisions
            .iter()
            .find(|decision| decision.path == path)
            .unwrap_or_else(|| panic!("no decision for {path}"))
            .verdict
            .is_captured()
    };
    assert!(verdict("order.items.sku"));
    assert!(!verdict("order.items.quantity"));
    assert!(!verdict("order.items.card_number"));
}

#[derive(Telemetry)]
struct Shipping {
    carrier: String,
    eta_days: u32,
}

#[test]
fn an_allowed_struct_is_seen_through_option_box_and_arc() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_struct::<Shipping>()
        .build()
        .unwrap();
    let shipping = || Shipping {
        carrier: "UPS".into(),
        eta_days: 3,
    };
    let ((), captured) = caci_testkit::capture(&config, || {
        let optional = Some(shipping());
        let boxed = Box::new(shipping());
        let shared = std::sync::Arc::new(shipping());
        let _span =
            caci_core::span!(Level::INFO, "ship", optional = optional, boxed = boxed, shared = shared).entered();
    });
    captured.span("ship").assert_fields_exactly(&[
        "optional.carrier",
        "optional.eta_days",
        "boxed.carrier",
        "boxed.eta_days",
        "shared.carrier",
        "shared.eta_days",
    ]);
}

#[derive(Telemetry)]
enum Delivery {
    Courier { carrier: String },
    Pickup { store: String, slot: u32 },
    Later,
}

#[derive(Telemetry)]
struct Order2 {
    delivery: Delivery,
}

#[test]
fn a_data_enum_cut_at_the_depth_limit_is_one_leaf_per_path() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_kind(Kind::Enum)
        .max_depth(2)
        .build()
        .unwrap();
    let inputs = [caci_core::Input::new("order", <Order2 as caci_core::Capture>::shape())];
    let decisions = config.decisions(&inputs, None);
    let paths: Vec<&str> = decisions.iter().map(|decision| decision.path.as_str()).collect();
    let mut unique = paths.clone();
    unique.dedup();
    assert_eq!(paths, unique, "one leaf per path: {decisions:#?}");
    assert_eq!(paths, ["order.delivery"]);
    assert!(decisions[0].verdict.is_captured());
}
