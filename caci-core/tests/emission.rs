//! What a real subscriber receives from `caci_core::span!`: names and types.

use std::collections::{BTreeMap, HashMap};

use caci_core::{Kind, Level, TelemetryCaptureConfiguration};
use caci_testkit::{FieldValue, capture};

fn allow(names: &[&str]) -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(names.iter().copied())
        .build()
        .unwrap()
}

#[test]
fn scalars_are_recorded_with_their_types() {
    let config = allow(&["flag", "count", "small", "big", "ratio", "label", "letter"]);
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(
            Level::INFO,
            "Types.scalars",
            flag = true,
            count = -42i32,
            small = 7u64,
            big = u64::MAX,
            ratio = 0.5f32,
            label = "STARTER",
            letter = 'x'
        )
        .entered();
    });
    let span = captured.span("Types.scalars");
    assert_eq!(span.field("flag"), Some(&FieldValue::Bool(true)));
    assert_eq!(span.field("count"), Some(&FieldValue::I64(-42)));
    assert_eq!(
        span.field("small"),
        Some(&FieldValue::I64(7)),
        "unsigned values that fit are recorded as i64"
    );
    assert_eq!(span.field("big"), Some(&FieldValue::U64(u64::MAX)));
    assert_eq!(span.field("ratio"), Some(&FieldValue::F64(0.5)));
    assert_eq!(span.field("label"), Some(&FieldValue::Str("STARTER".into())));
    assert_eq!(
        span.field("letter"),
        Some(&FieldValue::Str("x".into())),
        "a char is a string"
    );
}

#[test]
fn uuids_and_dates_are_rendered_through_display() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::Uuid, Kind::Date, Kind::DateTime])
        .build()
        .unwrap();
    let id = uuid::Uuid::from_u128(0x1234);
    let day = time::macros::date!(2026 - 11 - 25);
    let at = time::macros::datetime!(2026-11-25 12:30:05 UTC);
    let local = time::macros::datetime!(2026-11-25 12:30:05.25);
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(
            Level::INFO,
            "Types.display",
            business_id = id,
            created_on = day,
            created_at = at,
            local = local,
            note = "x"
        )
        .entered();
    });
    captured
        .span("Types.display")
        .assert_field("business_id", "00000000-0000-0000-0000-000000001234")
        .assert_field("created_on", "2026-11-25")
        .assert_field("created_at", "2026-11-25T12:30:05Z")
        .assert_field("local", "2026-11-25T12:30:05.25")
        .assert_fields_exactly(&["business_id", "created_on", "created_at", "local"]);
}

#[test]
fn options_record_their_value_or_nothing() {
    let config = allow(&["present", "missing"]);
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "Types.option", present = Some(3u8), missing = None::<u8>).entered();
    });
    captured
        .span("Types.option")
        .assert_field("present", 3)
        .assert_no_field("missing");
}

#[test]
fn lists_become_one_bracketed_field_within_the_item_limit() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("features")
        .max_list_items(3)
        .build()
        .unwrap();
    let features = vec!["INVOICING", "ESTIMATES", "RECEIPTS", "TRANSACTION_IMPORT"];
    let short = ["A", "B"];
    let ((), captured) = capture(&config, || {
        let _a = caci_core::span!(Level::INFO, "Types.list", features = features).entered();
        let _b = caci_core::span!(Level::INFO, "Types.short_list", features = &short[..]).entered();
    });
    captured
        .span("Types.list")
        .assert_field("features", "[INVOICING, ESTIMATES, RECEIPTS, …]");
    captured.span("Types.short_list").assert_field("features", "[A, B]");
}

#[test]
fn strings_are_cut_on_a_char_boundary_and_marked() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("country")
        .max_string_len(3)
        .build()
        .unwrap();
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "Types.long", country = "Côte d'Ivoire").entered();
    });
    captured.span("Types.long").assert_field("country", "Côt…");
}

#[test]
fn dictionaries_render_allowed_entries_and_hide_denied_keys() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_dictionary("flags")
        .allow_field("settings.region")
        .build()
        .unwrap();
    let mut flags = BTreeMap::new();
    flags.insert("beta", true);
    flags.insert("api_key", false);
    flags.insert("dark_mode", false);
    let mut settings: HashMap<String, String> = HashMap::new();
    settings.insert("region".into(), "ca-central".into());
    settings.insert("password".into(), "hunter2".into());
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "Types.maps", flags = flags, settings = settings).entered();
    });
    captured
        .span("Types.maps")
        .assert_field("flags", "{beta: true, dark_mode: false}")
        .assert_field("settings.region", "ca-central")
        .assert_fields_exactly(&["flags", "settings.region"]);
    assert!(!format!("{captured:?}").contains("hunter2"));
}

#[test]
fn nothing_is_captured_without_an_allow_rule_but_the_span_is_still_opened() {
    let ((), captured) = capture(&TelemetryCaptureConfiguration::default(), || {
        let _span = caci_core::span!(Level::INFO, "Types.none", business_id = uuid::Uuid::nil(), flag = true).entered();
    });
    captured.span("Types.none").assert_fields_exactly(&[]);
}

#[test]
fn the_fields_per_span_limit_keeps_the_first_fields() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_kind(Kind::Bool)
        .max_fields_per_span(2)
        .build()
        .unwrap();
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "Types.limit", a = true, b = false, c = true).entered();
    });
    captured.span("Types.limit").assert_fields_exactly(&["a", "b"]);
}

#[test]
fn spans_nest_under_the_current_span() {
    let config = allow(&["step"]);
    let ((), captured) = capture(&config, || {
        let _outer = caci_core::span!(Level::INFO, "Outer.run", step = 1u8).entered();
        let _inner = caci_core::span!(Level::DEBUG, "Inner.run", step = 2u8).entered();
    });
    let outer = captured
        .spans()
        .iter()
        .position(|span| span.name == "Outer.run")
        .expect("the outer span is captured");
    assert_eq!(captured.span("Inner.run").parent, Some(outer));
    assert_eq!(captured.span("Outer.run").parent, None);
    assert_eq!(captured.span("Inner.run").level, Level::DEBUG);
}

#[test]
fn one_call_site_follows_the_configuration_in_force_on_each_call() {
    let narrow = allow(&["plan"]);
    let wide = allow(&["plan", "country"]);
    fn call() {
        let _span = caci_core::span!(Level::INFO, "Site.shared", plan = "STARTER", country = "CA").entered();
    }
    let ((), first) = capture(&narrow, call);
    let ((), second) = capture(&wide, call);
    let ((), third) = capture(&narrow, call);
    first.span("Site.shared").assert_fields_exactly(&["plan"]);
    second.span("Site.shared").assert_fields_exactly(&["plan", "country"]);
    third.span("Site.shared").assert_fields_exactly(&["plan"]);
}

#[test]
fn integers_beyond_64_bits_stay_integers() {
    let config = allow(&["big", "huge", "small"]);
    let big: i128 = i128::from(i64::MIN) - 1;
    let huge: u128 = u128::from(u64::MAX) + 1;
    let small: i128 = -3;
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "Wide.run", big = big, huge = huge, small = small).entered();
    });
    let span = captured.span("Wide.run");
    assert_eq!(span.field("big"), Some(&caci_testkit::FieldValue::I128(big)));
    assert_eq!(span.field("huge"), Some(&caci_testkit::FieldValue::U128(huge)));
    assert_eq!(span.field("small"), Some(&caci_testkit::FieldValue::I64(-3)));
}

#[test]
fn date_times_obey_the_string_limit() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(["at", "local"])
        .max_string_len(8)
        .build()
        .unwrap();
    let at = time::macros::datetime!(2026-11-25 12:00:00 UTC);
    let local = time::macros::datetime!(2026-11-25 12:00:00);
    let ((), captured) = capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "When.run", at = at, local = local).entered();
    });
    let span = captured.span("When.run");
    assert_eq!(span.field("at").unwrap().as_text(), "2026-11-…");
    assert_eq!(span.field("local").unwrap().as_text(), "2026-11-…");
}
