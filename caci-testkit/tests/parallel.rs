//! Many tests in one binary, run in parallel on one call site: none loses or
//! steals another's spans, including threads that call the site with no
//! subscriber at all (the process-wide interest-cache trap).

use caci_core::{Level, TelemetryCaptureConfiguration};

/// Opens the shared span; whether a subscriber on this thread took it.
fn shared_call_site(test: u32, round: u32) -> bool {
    let span = caci_core::span!(Level::INFO, "Shared.site", test = test, round = round, plan = "STARTER");
    let _entered = span.enter();
    !span.is_disabled()
}

fn run_capturing(test: u32) {
    let allowed: &[&str] = if test.is_multiple_of(2) {
        &["test", "round"]
    } else {
        &["test", "round", "plan"]
    };
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(allowed.iter().copied())
        .build()
        .unwrap();
    for attempt in 0..20u32 {
        let ((), captured) = caci_testkit::capture(&config, || {
            for round in 0..5 {
                assert!(shared_call_site(test, round), "the capture took the span");
            }
        });
        let spans: Vec<_> = captured.spans_named("Shared.site").collect();
        assert_eq!(
            spans.len(),
            5,
            "test {test}, attempt {attempt}: lost or stole spans:\n{}",
            captured.render()
        );
        for (round, span) in spans.iter().enumerate() {
            span.assert_field("test", test).assert_field("round", round as u32);
            if test.is_multiple_of(2) {
                span.assert_no_field("plan");
            } else {
                span.assert_field("plan", "STARTER");
            }
        }
    }
}

fn run_without_subscriber(test: u32) {
    for round in 0..200 {
        // Another test's capture must not reach this thread.
        assert!(
            !shared_call_site(test, round),
            "test {test}: a span was recorded with no subscriber"
        );
    }
}

macro_rules! parallel_tests {
    ($($capturing:ident, $bare:ident = $n:literal;)*) => {$(
        #[test]
        fn $capturing() {
            run_capturing($n);
        }
        #[test]
        fn $bare() {
            run_without_subscriber($n);
        }
    )*};
}

parallel_tests! {
    capture_00, bare_00 = 0;
    capture_01, bare_01 = 1;
    capture_02, bare_02 = 2;
    capture_03, bare_03 = 3;
    capture_04, bare_04 = 4;
    capture_05, bare_05 = 5;
    capture_06, bare_06 = 6;
    capture_07, bare_07 = 7;
    capture_08, bare_08 = 8;
    capture_09, bare_09 = 9;
    capture_10, bare_10 = 10;
    capture_11, bare_11 = 11;
}
