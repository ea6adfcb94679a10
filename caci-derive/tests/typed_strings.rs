//! Strings and chars reach a subscriber as strings (`record_str`), cut or
//! not, wherever CACI records them: spans of every size, events, a method's
//! inputs and output, `record!`, and enum variant names. A subscriber (and
//! OpenTelemetry) sees one type per field.

use caci_core::{Level, Telemetry, TelemetryCaptureConfiguration, component};
use caci_testkit::{Captured, FieldValue};

fn config(max_string_len: usize) -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_kinds([caci_core::Kind::String, caci_core::Kind::Enum])
        .max_string_len(max_string_len)
        .max_fields_per_span(64)
        .build()
        .unwrap()
}

#[track_caller]
fn assert_str(captured: &Captured, span: &str, field: &str, expected: &str) {
    let value = captured.span(span).field(field);
    assert_eq!(value, Some(&FieldValue::Str(expected.to_owned())), "{span}.{field}");
}

#[derive(Clone, Copy, Telemetry)]
enum Tier {
    Starter,
    EnterpriseWithEveryAddOn,
}

struct Catalog;

#[component]
impl Catalog {
    #[caci(capture_output)]
    fn describe(&self, name: &str, initial: char, tier: Tier) -> String {
        caci_core::record!(note = "a long note about the plan");
        let _ = tier;
        format!("{name} ({initial})")
    }
}

#[test]
fn a_method_records_cut_and_whole_strings_and_chars_as_strings() {
    let ((), captured) = caci_testkit::capture(&config(6), || {
        Catalog.describe("Professional", 'P', Tier::EnterpriseWithEveryAddOn);
        Catalog.describe("Pro", 'é', Tier::Starter);
    });
    let spans: Vec<_> = captured.spans_named("Catalog.describe").collect();
    assert_eq!(spans.len(), 2);
    let field = |index: usize, name: &str| spans[index].field(name).cloned();
    assert_eq!(field(0, "name"), Some(FieldValue::Str("Profes…".into())));
    assert_eq!(field(0, "initial"), Some(FieldValue::Str("P".into())));
    assert_eq!(field(0, "tier"), Some(FieldValue::Str("Enterp…".into())));
    assert_eq!(field(0, "return"), Some(FieldValue::Str("Profes…".into())));
    assert_eq!(field(1, "name"), Some(FieldValue::Str("Pro".into())));
    assert_eq!(field(1, "initial"), Some(FieldValue::Str("é".into())));
    assert_eq!(field(1, "tier"), Some(FieldValue::Str("Starte…".into())));
    assert_eq!(field(1, "return"), Some(FieldValue::Str("Pro (é…".into())));
}

#[derive(Telemetry)]
struct Wide {
    a0: String,
    a1: String,
    a2: String,
    a3: String,
    a4: String,
    a5: String,
    a6: String,
    a7: String,
    a8: String,
    a9: String,
    a10: String,
    a11: String,
    a12: String,
    a13: String,
    a14: String,
    a15: String,
    a16: String,
    a17: String,
    a18: String,
    a19: String,
    a20: String,
    a21: String,
    a22: String,
    a23: String,
    a24: String,
    a25: String,
    a26: String,
    a27: String,
    a28: String,
    a29: String,
    a30: String,
    a31: String,
    a32: String,
    a33: String,
    a34: String,
    a35: String,
    a36: String,
    a37: String,
    a38: String,
    a39: String,
}

#[test]
fn spans_of_every_size_record_cut_strings_as_strings() {
    let wide = Wide {
        a0: "value-number-00".to_owned(),
        a1: "value-number-01".to_owned(),
        a2: "value-number-02".to_owned(),
        a3: "value-number-03".to_owned(),
        a4: "value-number-04".to_owned(),
        a5: "value-number-05".to_owned(),
        a6: "value-number-06".to_owned(),
        a7: "value-number-07".to_owned(),
        a8: "value-number-08".to_owned(),
        a9: "value-number-09".to_owned(),
        a10: "value-number-10".to_owned(),
        a11: "value-number-11".to_owned(),
        a12: "value-number-12".to_owned(),
        a13: "value-number-13".to_owned(),
        a14: "value-number-14".to_owned(),
        a15: "value-number-15".to_owned(),
        a16: "value-number-16".to_owned(),
        a17: "value-number-17".to_owned(),
        a18: "value-number-18".to_owned(),
        a19: "value-number-19".to_owned(),
        a20: "value-number-20".to_owned(),
        a21: "value-number-21".to_owned(),
        a22: "value-number-22".to_owned(),
        a23: "value-number-23".to_owned(),
        a24: "value-number-24".to_owned(),
        a25: "value-number-25".to_owned(),
        a26: "value-number-26".to_owned(),
        a27: "value-number-27".to_owned(),
        a28: "value-number-28".to_owned(),
        a29: "value-number-29".to_owned(),
        a30: "value-number-30".to_owned(),
        a31: "value-number-31".to_owned(),
        a32: "value-number-32".to_owned(),
        a33: "value-number-33".to_owned(),
        a34: "value-number-34".to_owned(),
        a35: "value-number-35".to_owned(),
        a36: "value-number-36".to_owned(),
        a37: "value-number-37".to_owned(),
        a38: "value-number-38".to_owned(),
        a39: "value-number-39".to_owned(),
    };
    // The fields-per-span limit picks how many are captured: every size
    // class of the opening, and the large one.
    for count in [1, 2, 3, 6, 7, 9, 12, 13, 20, 40] {
        let config = TelemetryCaptureConfiguration::builder()
            .allow_struct::<Wide>()
            .max_string_len(5)
            .max_fields_per_span(count)
            .build()
            .unwrap();
        let ((), captured) = caci_testkit::capture(&config, || {
            let _span = caci_core::span!(Level::INFO, "Wide.run", wide = &wide).entered();
        });
        let span = captured.span("Wide.run");
        assert_eq!(span.fields.len(), count);
        for index in 0..count {
            assert_eq!(
                span.field(&format!("wide.a{index}")),
                Some(&FieldValue::Str("value…".into())),
                "{count} fields, field {index}"
            );
        }
    }
}

#[test]
fn events_record_cut_strings_and_chars_as_strings() {
    let ((), captured) = caci_testkit::capture(&config(4), || {
        caci_core::event!(
            Level::INFO,
            "checked",
            plan = "STARTER",
            grade = 'A',
            tier = Tier::EnterpriseWithEveryAddOn
        );
    });
    let event = captured
        .events()
        .iter()
        .find(|event| event.field("plan").is_some())
        .unwrap();
    assert_eq!(event.field("plan"), Some(&FieldValue::Str("STAR…".into())));
    assert_eq!(event.field("grade"), Some(&FieldValue::Str("A".into())));
    assert_eq!(event.field("tier"), Some(&FieldValue::Str("Ente…".into())));
}

#[test]
fn record_records_cut_strings_as_strings() {
    let ((), captured) = caci_testkit::capture(&config(6), || {
        Catalog.describe("Pro", 'P', Tier::Starter);
    });
    assert_str(&captured, "Catalog.describe", "note", "a long…");
}
