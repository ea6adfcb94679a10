//! A method that declares more late fields (`record!` names) than a span's
//! largest buffer holds: the span declares as many as fit, the call and the
//! fields that fit are recorded as usual, and nothing panics.

use std::sync::LazyLock;

use caci_core::__private::{MethodInfo, MethodSite, SiteInfo};
use caci_core::TelemetryCaptureConfiguration;
use caci_testkit::FieldValue;

const LATE: usize = 300;

static NAMES: LazyLock<&'static [&'static str]> = LazyLock::new(|| {
    let names: Vec<&'static str> = (0..LATE)
        .map(|index| &*Box::leak(format!("late_{index:03}").into_boxed_str()))
        .collect();
    Box::leak(names.into_boxed_slice())
});

static SITE: LazyLock<MethodSite> = LazyLock::new(|| {
    MethodSite::with_late_fields(
        SiteInfo {
            name: "Ledger.close",
            target: "late_fields",
            level: caci_core::Level::INFO,
            module_path: "late_fields",
            file: file!(),
            line: line!(),
            inputs: &[],
        },
        MethodInfo {
            component: "Ledger",
            method: "close",
            signature: "close(&self)",
            input_types: &[],
            output_type: "()",
            captures_output: false,
        },
        &NAMES,
    )
});

#[test]
fn a_span_declares_only_the_late_fields_its_buffers_hold_and_still_records() {
    let names: Vec<&str> = NAMES.to_vec();
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(names.iter().copied())
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture(&config, || {
        let site: &'static MethodSite = &SITE;
        let call = site.start(&[]);
        call.span().in_scope(|| {
            caci_core::record!(late_000 = 7_i64);
            caci_core::record!(late_127 = 8_i64);
            caci_core::record!(late_128 = 9_i64);
            caci_core::record!(late_299 = 10_i64);
        });
        call.finish_ok(None);
    });
    let span = captured.span("Ledger.close");
    span.assert_field("outcome", "ok");
    // The largest buffer holds 128 fields besides a method's 8 fixed ones.
    assert_eq!(span.field("late_000"), Some(&FieldValue::I64(7)));
    assert_eq!(
        span.field("late_127"),
        Some(&FieldValue::I64(8)),
        "the last name that fits"
    );
    assert_eq!(
        span.field("late_128"),
        None,
        "the first name past the cap is not declared"
    );
    assert_eq!(span.field("late_299"), None, "nor is any after it");
}
