//! Coverage in unit tests: hold the line on how much a configuration
//! captures, and snapshot the report.

use caci_core::coverage::{ComponentReport, CoverageReport, RenderOptions};
use caci_core::{MethodDescriptor, SkippedMethod, TelemetryCaptureConfiguration};

/// The coverage report of `config` over the components named in
/// `components` (every component linked into the test binary when empty).
pub fn coverage(config: &TelemetryCaptureConfiguration, components: &[&str]) -> CoverageReport {
    let wanted = |component: &str| components.is_empty() || components.contains(&component);
    let methods = MethodDescriptor::all().filter(|method| wanted(method.info().component));
    let skipped = SkippedMethod::all().filter(|method| wanted(method.component));
    CoverageReport::build_with_skipped(config, methods, skipped)
}

/// Asserts that `config` captures at least `min_percent` of what it can reach
/// among the inputs of `components` (all linked components when empty), and
/// returns the report. Like the coverage gate's `--min`, it compares captured
/// leaves with reachable ones (denied, sensitive and non-capturable leaves are
/// out of reach, so a team can reach 100%). The failure lists what is left
/// out. Like the gate, it fails when there are no inputs at all: a misspelt
/// component name covers nothing.
///
/// ```
/// use caci_core::{component, TelemetryCaptureConfiguration};
///
/// struct Catalog;
///
/// #[component]
/// impl Catalog {
///     fn feature_group_for(&self, plan: &str, region: &str) -> usize { plan.len() + region.len() }
/// }
///
/// let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// caci_testkit::assert_coverage_at_least(&config, &["Catalog"], 50.0);
/// let misspelt = std::panic::catch_unwind(|| caci_testkit::assert_coverage_at_least(&config, &["Katalog"], 0.0));
/// assert!(misspelt.is_err(), "nothing to cover is a failure");
/// let short = std::panic::catch_unwind(|| caci_testkit::assert_coverage_at_least(&config, &["Catalog"], 60.0));
/// assert!(short.is_err(), "1 of 2 inputs is 50%");
/// ```
#[track_caller]
pub fn assert_coverage_at_least(
    config: &TelemetryCaptureConfiguration,
    components: &[&str],
    min_percent: f64,
) -> CoverageReport {
    let report = coverage(config, components);
    if report.totals.leaves == 0 {
        panic!(
            "no inputs to cover in {}: is a component name misspelt, or not linked into this test?",
            if components.is_empty() {
                "this binary".to_owned()
            } else {
                format!("{components:?}")
            }
        );
    }
    // Nothing reachable (every input protected) meets any minimum, as in the gate.
    let percent = report.totals.percent_of_reachable().unwrap_or(100.0);
    if percent < min_percent {
        panic!(
            "coverage of the reachable is {} ({} of {} reachable inputs; {} of all {}), expected at least {min_percent}%\n\n{}",
            report.totals.of_reachable_text(),
            report.totals.captured,
            report.totals.reachable(),
            report.totals.percent_text(),
            report.totals.leaves,
            report.render_text(RenderOptions { color: false })
        );
    }
    report
}

/// The report as plain text, for a snapshot test (`insta::assert_snapshot!`).
/// Deterministic: components and methods sorted, no colour, no timings.
pub fn coverage_snapshot(config: &TelemetryCaptureConfiguration, components: &[&str]) -> String {
    coverage(config, components).render_text(RenderOptions { color: false })
}

/// The components of a report, by name.
pub fn component<'r>(report: &'r CoverageReport, name: &str) -> Option<&'r ComponentReport> {
    report.components.iter().find(|component| component.name == name)
}
