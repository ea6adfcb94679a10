//! Spans whose captured field count falls in each buffer class: none, a
//! handful (recorded as exactly that many pairs), more than twelve, and more
//! than fit the medium buffers, at open and for a captured output.

use caci_core::{Kind, Telemetry, TelemetryCaptureConfiguration, component};
use caci_testkit::{Captured, FieldValue};

/// Fifty fields: with the five fixed method fields, more than the medium
/// buffer class holds.
#[derive(Clone, Debug, Telemetry)]
struct Wide {
    f00: u32,
    f01: u32,
    f02: u32,
    f03: u32,
    f04: u32,
    f05: u32,
    f06: u32,
    f07: u32,
    f08: u32,
    f09: u32,
    f10: u32,
    f11: u32,
    f12: u32,
    f13: u32,
    f14: u32,
    f15: u32,
    f16: u32,
    f17: u32,
    f18: u32,
    f19: u32,
    f20: u32,
    f21: u32,
    f22: u32,
    f23: u32,
    f24: u32,
    f25: u32,
    f26: u32,
    f27: u32,
    f28: u32,
    f29: u32,
    f30: u32,
    f31: u32,
    f32: u32,
    f33: u32,
    f34: u32,
    f35: u32,
    f36: u32,
    f37: u32,
    f38: u32,
    f39: u32,
    f40: u32,
    f41: u32,
    f42: u32,
    f43: u32,
    f44: u32,
    f45: u32,
    f46: u32,
    f47: u32,
    f48: u32,
    f49: u32,
}

fn wide() -> Wide {
    Wide {
        f00: 0,
        f01: 1,
        f02: 2,
        f03: 3,
        f04: 4,
        f05: 5,
        f06: 6,
        f07: 7,
        f08: 8,
        f09: 9,
        f10: 10,
        f11: 11,
        f12: 12,
        f13: 13,
        f14: 14,
        f15: 15,
        f16: 16,
        f17: 17,
        f18: 18,
        f19: 19,
        f20: 20,
        f21: 21,
        f22: 22,
        f23: 23,
        f24: 24,
        f25: 25,
        f26: 26,
        f27: 27,
        f28: 28,
        f29: 29,
        f30: 30,
        f31: 31,
        f32: 32,
        f33: 33,
        f34: 34,
        f35: 35,
        f36: 36,
        f37: 37,
        f38: 38,
        f39: 39,
        f40: 40,
        f41: 41,
        f42: 42,
        f43: 43,
        f44: 44,
        f45: 45,
        f46: 46,
        f47: 47,
        f48: 48,
        f49: 49,
    }
}

struct Counts;

#[component]
impl Counts {
    fn nothing_allowed(&self, password: u32) -> u32 {
        password
    }

    fn three(&self, a: u8, b: u8, c: u8) -> u8 {
        a + b + c
    }

    /// Seven and ten captured fields: padded to the classes of 8 and 12.
    #[allow(clippy::too_many_arguments)]
    fn seven(&self, a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8) -> u32 {
        [a, b, c, d, e, f, g].iter().map(|value| u32::from(*value)).sum()
    }

    #[allow(clippy::too_many_arguments)]
    fn ten(&self, a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8, i: u8, j: u8) -> u32 {
        [a, b, c, d, e, f, g, h, i, j]
            .iter()
            .map(|value| u32::from(*value))
            .sum()
    }

    #[allow(clippy::too_many_arguments)]
    fn thirteen(
        &self,
        a: u8,
        b: u8,
        c: u8,
        d: u8,
        e: u8,
        f: u8,
        g: u8,
        h: u8,
        i: u8,
        j: u8,
        k: u8,
        l: u8,
        m: u8,
    ) -> u32 {
        [a, b, c, d, e, f, g, h, i, j, k, l, m]
            .iter()
            .map(|value| u32::from(*value))
            .sum()
    }

    fn wide_input(&self, wide: &Wide) -> u32 {
        wide.f49
    }

    #[caci(capture_output)]
    fn wide_output(&self) -> Wide {
        wide()
    }
}

fn capture<R>(body: impl FnOnce() -> R) -> (R, Captured) {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::UnsignedInteger])
        .allow_struct_named("Wide")
        .max_fields_per_span(64)
        .build()
        .expect("valid configuration");
    caci_testkit::capture(&config, body)
}

#[test]
fn a_span_with_no_allowed_input_has_only_the_method_fields() {
    let (value, captured) = capture(|| Counts.nothing_allowed(7));
    assert_eq!(value, 7);
    captured
        .span("Counts.nothing_allowed")
        .assert_fields_exactly(&["outcome", "duration_ns", "code.function.name"]);
}

#[test]
fn a_few_inputs_are_recorded_typed_and_in_order() {
    let (sum, captured) = capture(|| Counts.three(1, 2, 3));
    assert_eq!(sum, 6);
    captured
        .span("Counts.three")
        .assert_field_typed("a", FieldValue::I64(1))
        .assert_field_typed("b", FieldValue::I64(2))
        .assert_field_typed("c", FieldValue::I64(3))
        .assert_fields_exactly(&["a", "b", "c", "outcome", "duration_ns", "code.function.name"]);
}

#[test]
fn seven_and_ten_inputs_fill_padded_arrays_without_extra_fields() {
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let (sum, captured) = capture(|| Counts.seven(1, 2, 3, 4, 5, 6, 7));
    assert_eq!(sum, 28);
    let span = captured.span("Counts.seven");
    for (index, name) in names[..7].iter().enumerate() {
        span.assert_field(name, index as u64 + 1);
    }
    let mut expected: Vec<&str> = names[..7].to_vec();
    expected.extend(["outcome", "duration_ns", "code.function.name"]);
    span.assert_fields_exactly(&expected);

    let (sum, captured) = capture(|| Counts.ten(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    assert_eq!(sum, 55);
    let span = captured.span("Counts.ten");
    for (index, name) in names.iter().enumerate() {
        span.assert_field(name, index as u64 + 1);
    }
    let mut expected: Vec<&str> = names.to_vec();
    expected.extend(["outcome", "duration_ns", "code.function.name"]);
    span.assert_fields_exactly(&expected);
}

#[test]
fn more_than_twelve_inputs_are_all_recorded() {
    let (sum, captured) = capture(|| Counts.thirteen(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13));
    assert_eq!(sum, 91);
    let span = captured.span("Counts.thirteen");
    for (index, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"]
        .iter()
        .enumerate()
    {
        span.assert_field(name, index as u64 + 1);
    }
    span.assert_field("outcome", "ok");
}

#[test]
fn the_default_field_limit_still_applies_to_wide_spans() {
    let input = wide();
    let config = TelemetryCaptureConfiguration::builder()
        .allow_struct_named("Wide")
        .build()
        .expect("valid configuration");
    let (_, captured) = caci_testkit::capture(&config, || Counts.wide_input(&input));
    let span = captured.span("Counts.wide_input");
    span.assert_field("wide.f31", 31_u64).assert_no_field("wide.f32");
}

#[test]
fn fifty_struct_fields_are_all_recorded_at_open() {
    let input = wide();
    let (last, captured) = capture(|| Counts.wide_input(&input));
    assert_eq!(last, 49);
    let span = captured.span("Counts.wide_input");
    for index in 0..50_u64 {
        span.assert_field(&format!("wide.f{index:02}"), index);
    }
    span.assert_field("outcome", "ok");
}

#[test]
fn fifty_struct_fields_are_all_recorded_as_the_output() {
    let (output, captured) = capture(|| Counts.wide_output());
    assert_eq!(output.f00, 0);
    let span = captured.span("Counts.wide_output");
    for index in 0..50_u64 {
        span.assert_field(&format!("return.f{index:02}"), index);
    }
    span.assert_field("outcome", "ok");
}
