//! Running one body under several configurations.

use std::panic::{self, AssertUnwindSafe};

use caci_core::TelemetryCaptureConfiguration;

use crate::captured::Captured;

/// Runs `body` under each named configuration and hands what it captured to
/// `check`. A failing check fails the test with a message that names the
/// configuration, then the check's own message.
///
/// ```should_panic
/// use caci_core::{Level, TelemetryCaptureConfiguration};
///
/// let narrow = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// let wide = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "country"]).build().unwrap();
/// caci_testkit::matrix(
///     [("narrow", &narrow), ("wide", &wide)],
///     || { let _span = caci_core::span!(Level::INFO, "Signup.run", plan = "PRO", country = "CA").entered(); },
///     |_name, (), captured| { captured.span("Signup.run").assert_field("country", "CA"); },
/// );
/// ```
#[track_caller]
pub fn matrix<'c, R>(
    configurations: impl IntoIterator<Item = (&'c str, &'c TelemetryCaptureConfiguration)>,
    body: impl Fn() -> R,
    check: impl Fn(&str, R, &Captured),
) {
    for (name, config) in configurations {
        let (result, captured) = crate::capture(config, &body);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(name, result, &captured)));
        if let Err(payload) = outcome {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(a panic without a message)");
            panic!("configuration `{name}` failed: {message}");
        }
    }
}
