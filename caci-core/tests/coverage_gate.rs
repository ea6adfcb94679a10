//! The CI gate: a minimum percentage, and no regression against a baseline.

mod coverage_fixture;

use caci_core::coverage::{CoverageReport, Gate, GateFailure, Place};
use caci_core::decision::{Reason, Verdict};
use caci_core::{Kind, TelemetryCaptureConfiguration};
use coverage_fixture::{METHODS, config};

fn report() -> CoverageReport {
    CoverageReport::build(&config(), &METHODS)
}

/// The fixture's configuration, also allowing `tier` everywhere.
fn wider() -> TelemetryCaptureConfiguration {
    let mut spec = config().spec().clone();
    spec.allowed_field_names.push("tier".into());
    TelemetryCaptureConfiguration::from_spec(spec).unwrap()
}

fn failures(gate: &Gate, report: &CoverageReport) -> Vec<String> {
    gate.check(report).failures.iter().map(ToString::to_string).collect()
}

#[test]
fn the_gate_passes_at_or_above_the_minimum_with_the_same_captures_as_the_baseline() {
    let report = report();
    for min in [0.0, 44.0, 44.4, 100.0 * 8.0 / 18.0] {
        let gate = Gate {
            min_percent: Some(min),
            baseline: Some(report.clone()),
        };
        let outcome = gate.check(&report);
        assert!(outcome.passed(), "min {min}: {outcome}");
        assert!(outcome.newly_captured.is_empty());
        assert_eq!(outcome.to_string(), "coverage gate passed\n");
    }
    assert!(Gate::default().check(&report).passed(), "no requirement, no failure");
}

#[test]
fn the_gate_fails_below_the_minimum_comparing_the_unrounded_percentage_of_the_reachable() {
    let report = report();
    // 8 captured; 5 not allowed and 1 beyond the depth limit are reachable;
    // 2 denied, 1 sensitive and 1 not capturable are not: 8 of 14.
    assert_eq!(
        (report.totals.captured, report.totals.reachable(), report.totals.leaves),
        (8, 14, 18)
    );
    let gate = Gate {
        min_percent: Some(57.15),
        baseline: None,
    };
    assert_eq!(
        failures(&gate, &report),
        ["coverage 57.1% of the reachable inputs (8 of 14; 18 inputs in all) is below the minimum 57.15%"]
    );
    let outcome = gate.check(&report);
    assert_eq!(
        outcome.failures,
        [GateFailure::BelowMinimum {
            min_percent: 57.15,
            percent: report.totals.percent_of_reachable(),
            captured: 8,
            reachable: 14,
            leaves: 18
        }]
    );
    assert_eq!(
        outcome.to_string(),
        "coverage gate failed:\n  - coverage 57.1% of the reachable inputs (8 of 14; 18 inputs in all) is below the minimum 57.15%\n"
    );
    // 57.14…% passes 57.1 though the overall percentage is 44.4%: what is
    // denied, sensitive or not capturable cannot be reached.
    assert!(
        Gate {
            min_percent: Some(57.1),
            baseline: None
        }
        .check(&report)
        .passed()
    );
    // Rounded, 57.14% would show as 57.1%; a message never shows a rounded
    // figure that seems to reach the minimum.
    let near = failures(
        &Gate {
            min_percent: Some(57.143),
            baseline: None,
        },
        &report,
    );
    assert_eq!(
        near,
        ["coverage 57.1% of the reachable inputs (8 of 14; 18 inputs in all) is below the minimum 57.143%"]
    );
}

#[test]
fn a_rounded_percentage_that_seems_to_pass_is_shown_with_two_decimals() {
    // 1199 of 2000 is 59.95%: rounded, 60.0%.
    let mut report = CoverageReport::build(&config(), []);
    report.totals.captured = 1199;
    report.totals.leaves = 2000;
    report.totals.not_captured.not_allowed = 801;
    assert_eq!(report.totals.of_reachable_text(), "60.0%");
    assert_eq!(
        failures(
            &Gate {
                min_percent: Some(60.0),
                baseline: None
            },
            &report
        ),
        ["coverage 59.95% of the reachable inputs (1199 of 2000; 2000 inputs in all) is below the minimum 60%"]
    );
}

#[test]
fn when_every_input_is_protected_the_minimum_is_met() {
    let mut report = CoverageReport::build(&config(), []);
    report.totals.leaves = 3;
    report.totals.not_captured.denied = 3;
    assert_eq!(report.totals.reachable(), 0);
    assert!(
        Gate {
            min_percent: Some(100.0),
            baseline: None
        }
        .check(&report)
        .passed()
    );
}

#[test]
fn a_minimum_fails_when_no_input_is_found() {
    let empty = CoverageReport::build(&config(), []);
    let gate = Gate {
        min_percent: Some(0.0),
        baseline: None,
    };
    assert_eq!(
        failures(&gate, &empty),
        ["no inputs found, so coverage cannot reach the minimum 0% (is the registry linked into this binary?)"]
    );
}

#[test]
fn a_place_captured_in_the_baseline_and_not_now_is_a_regression() {
    let baseline = CoverageReport::build(&wider(), &METHODS);
    let gate = Gate {
        min_percent: None,
        baseline: Some(baseline),
    };
    let outcome = gate.check(&report());
    assert_eq!(
        outcome.failures,
        [
            GateFailure::Regression {
                place: Place::new("SubscriptionService", "activate_features", "tier"),
                now: Some(Verdict::NotCaptured(Reason::NotAllowed)),
            },
            GateFailure::Regression {
                place: Place::new("SubscriptionService", "initialize_business", "business.tier"),
                now: Some(Verdict::NotCaptured(Reason::NotAllowed)),
            },
        ]
    );
    assert_eq!(
        outcome.failures[0].to_string(),
        "regression: SubscriptionService.activate_features: tier was captured in the baseline, now not captured: not allowed"
    );
}

#[test]
fn a_captured_place_that_disappeared_is_a_regression_too() {
    let baseline = report();
    let without_charge: Vec<_> = METHODS
        .iter()
        .filter(|method| method.info().method != "charge")
        .collect();
    let current = CoverageReport::build(&config(), without_charge);
    let gate = Gate {
        min_percent: None,
        baseline: Some(baseline),
    };
    assert_eq!(
        failures(&gate, &current),
        [
            "regression: Billing.charge: currency was captured in the baseline and no longer exists (removed or renamed?)",
            "regression: Billing.charge: return.receipt_id was captured in the baseline and no longer exists (removed or renamed?)",
            "regression: Billing.charge: return.total_cents was captured in the baseline and no longer exists (removed or renamed?)",
        ]
    );
}

#[test]
fn both_failure_modes_are_reported_together() {
    let gate = Gate {
        min_percent: Some(90.0),
        baseline: Some(CoverageReport::build(&wider(), &METHODS)),
    };
    let outcome = gate.check(&report());
    let kinds: Vec<&str> = outcome
        .failures
        .iter()
        .map(|failure| match failure {
            GateFailure::BelowMinimum { .. } => "minimum",
            GateFailure::Regression { .. } => "regression",
        })
        .collect();
    assert_eq!(kinds, ["minimum", "regression", "regression"]);
}

#[test]
fn newly_captured_places_are_listed_and_do_not_fail_the_gate() {
    let gate = Gate {
        min_percent: None,
        baseline: Some(report()),
    };
    let widened = TelemetryCaptureConfiguration::from_spec({
        let mut spec = wider().spec().clone();
        spec.allowed_field_kinds.push(Kind::SignedInteger.name().into());
        spec
    })
    .unwrap();
    let outcome = gate.check(&CoverageReport::build(&widened, &METHODS));
    assert!(outcome.passed());
    let newly: Vec<String> = outcome.newly_captured.iter().map(ToString::to_string).collect();
    assert_eq!(
        newly,
        [
            "Billing.charge: amount_cents",
            "SubscriptionService.activate_features: tier",
            "SubscriptionService.initialize_business: business.tier",
        ]
    );
    assert!(
        outcome
            .to_string()
            .ends_with("3 inputs newly captured since the baseline; run with --update-baseline to lock them in\n")
    );
}

#[test]
fn a_baseline_read_from_json_gates_like_the_report_itself() {
    let baseline = CoverageReport::from_json(&CoverageReport::build(&wider(), &METHODS).to_json()).unwrap();
    let gate = Gate {
        min_percent: None,
        baseline: Some(baseline),
    };
    assert_eq!(gate.check(&report()).failures.len(), 2);
}
