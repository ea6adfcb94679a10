//! A span's opening hands leaves to `tracing` by its own path (values
//! borrowed from the input, or kept in a cell of their type), apart from the
//! slot frames that events, outputs and `record!` use. For every kind of
//! leaf, with values drawn at random (integers at their limits, strings that
//! must be cut or scrubbed, enum variants), both paths record the same typed
//! value under the same name, and both record exactly the same fields, at
//! every size class of the opening.

use caci_core::{Level, Telemetry, TelemetryCaptureConfiguration};
use caci_testkit::{Captured, FieldValue};
use proptest::prelude::*;

#[derive(Clone, Copy, Debug, Telemetry)]
enum Tier {
    Starter,
    EnterpriseWithEveryAddOn,
}

#[derive(Clone, Debug, Telemetry)]
struct Kinds {
    small: i8,
    short: i16,
    int: i32,
    long: i64,
    size: isize,
    byte: u8,
    word: u16,
    unsigned: u32,
    wide: u64,
    usize_value: usize,
    huge: i128,
    flag: bool,
    ratio: f32,
    real: f64,
    code: &'static str,
    note: String,
    initial: char,
    tier: Tier,
    maybe: Option<u32>,
}

/// `Kinds` and enough padding leaves to reach a larger size class.
#[derive(Clone, Debug, Telemetry)]
struct Padded {
    kinds: Kinds,
    extra: Extra,
}

#[derive(Clone, Debug, Telemetry)]
struct Extra {
    e0: u64,
    e1: i32,
    e2: bool,
    e3: String,
    e4: u32,
    e5: Tier,
    e6: u64,
    e7: i64,
    e8: &'static str,
    e9: u16,
}

const CODES: [&str; 4] = ["CA", "PRO", "a-longer-code-than-the-limit", "owner@example.com"];

fn config(max_string_len: usize) -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_struct::<Kinds>()
        .allow_struct::<Extra>()
        .allow_struct::<Padded>()
        .max_string_len(max_string_len)
        .max_fields_per_span(64)
        .build()
        .unwrap()
}

fn kinds() -> impl Strategy<Value = Kinds> {
    (
        (any::<i8>(), any::<i16>(), any::<i32>(), any::<i64>(), any::<isize>()),
        (any::<u8>(), any::<u16>(), any::<u32>(), any::<u64>(), any::<usize>()),
        (any::<i128>(), any::<bool>(), any::<f32>(), any::<f64>()),
        (
            0..CODES.len(),
            "[a-z@. 0-9]{0,24}",
            any::<char>(),
            any::<bool>(),
            any::<Option<u32>>(),
        ),
    )
        .prop_map(|(signed, unsigned, other, text)| Kinds {
            small: signed.0,
            short: signed.1,
            int: signed.2,
            long: signed.3,
            size: signed.4,
            byte: unsigned.0,
            word: unsigned.1,
            unsigned: unsigned.2,
            wide: unsigned.3,
            usize_value: unsigned.4,
            huge: other.0,
            flag: other.1,
            ratio: other.2,
            real: other.3,
            code: CODES[text.0],
            note: text.1,
            initial: text.2,
            tier: if text.3 {
                Tier::Starter
            } else {
                Tier::EnterpriseWithEveryAddOn
            },
            maybe: text.4,
        })
}

/// Fields by name.
type Fields = Vec<(String, FieldValue)>;

/// Every field of the one span and the one event (its message aside),
/// sorted by name.
fn fields(captured: &Captured) -> (Fields, Fields) {
    let sorted = |fields: &[(String, FieldValue)]| {
        let mut all: Vec<(String, FieldValue)> = fields.iter().filter(|(name, _)| name != "message").cloned().collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    };
    (
        sorted(&captured.spans()[0].fields),
        sorted(&captured.events()[0].fields),
    )
}

/// The span's fields, after checking that the event recorded the same
/// names with the same typed values.
fn same_fields(captured: &Captured) -> Result<Fields, TestCaseError> {
    let (span, event) = fields(captured);
    prop_assert_eq!(span.len(), event.len(), "the same fields: {:?} vs {:?}", span, event);
    for ((span_name, span_value), (event_name, event_value)) in span.iter().zip(&event) {
        prop_assert_eq!(span_name, event_name);
        prop_assert!(
            same_value(span_value, event_value),
            "{}: {:?} vs {:?}",
            span_name,
            span_value,
            event_value
        );
    }
    Ok(span)
}

fn same_value(a: &FieldValue, b: &FieldValue) -> bool {
    match (a, b) {
        // NaN is recorded as NaN by both paths.
        (FieldValue::F64(x), FieldValue::F64(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_span_opening_records_what_an_event_records(value in kinds(), max_string_len in 2usize..40) {
        let ((), captured) = caci_testkit::capture(&config(max_string_len), || {
            let _span = caci_core::span!(Level::INFO, "Kinds.open", kinds = value.clone());
            caci_core::event!(Level::INFO, "kinds", kinds = value.clone());
        });
        let span = same_fields(&captured)?;
        prop_assert!(span.len() >= 17, "every kind is captured: {:?}", span);
    }

    #[test]
    fn a_wide_opening_records_what_an_event_records(value in kinds(), max_string_len in 2usize..40) {
        let padded = Padded {
            kinds: value,
            extra: Extra {
                e0: u64::MAX, e1: -1, e2: true, e3: "owner@example.com".to_owned(), e4: 7,
                e5: Tier::Starter, e6: 1, e7: i64::MIN, e8: "CA", e9: 9,
            },
        };
        let ((), captured) = caci_testkit::capture(&config(max_string_len), || {
            let _span = caci_core::span!(Level::INFO, "Padded.open", padded = padded.clone());
            caci_core::event!(Level::INFO, "padded", padded = padded.clone());
        });
        let span = same_fields(&captured)?;
        prop_assert!(span.len() > 12, "more than twelve fields: the wide opening");
    }
}

#[test]
fn unsigned_integers_that_fit_are_recorded_as_i64_by_a_span_opening() {
    let value = Extra {
        e0: 5,
        e1: -3,
        e2: false,
        e3: "x".to_owned(),
        e4: 7,
        e5: Tier::EnterpriseWithEveryAddOn,
        e6: u64::MAX,
        e7: 0,
        e8: "CA",
        e9: 9,
    };
    let ((), captured) = caci_testkit::capture(&config(64), || {
        let _span = caci_core::span!(Level::INFO, "Extra.open", extra = value);
    });
    let span = &captured.spans()[0];
    assert_eq!(span.field("extra.e0"), Some(&FieldValue::I64(5)));
    assert_eq!(span.field("extra.e1"), Some(&FieldValue::I64(-3)));
    assert_eq!(span.field("extra.e4"), Some(&FieldValue::I64(7)));
    assert_eq!(span.field("extra.e9"), Some(&FieldValue::I64(9)));
    assert_eq!(
        span.field("extra.e6"),
        Some(&FieldValue::U64(u64::MAX)),
        "beyond i64: u64"
    );
    assert_eq!(
        span.field("extra.e5"),
        Some(&FieldValue::Str("EnterpriseWithEveryAddOn".to_owned()))
    );
    assert_eq!(span.field("extra.e8"), Some(&FieldValue::Str("CA".to_owned())));
    assert_eq!(span.field("extra.e2"), Some(&FieldValue::Bool(false)));
}
