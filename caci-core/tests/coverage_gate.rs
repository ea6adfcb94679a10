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
fn the_gate_fails_below_the_minimum_comparing_the_unrounded_percentage() {
    let report = report();
    let gate = Gate {
        min_percent: Some(44.45),
        baseline: None,
    };
    assert_eq!(
        failures(&gate, &report),
        ["coverage 44.4% (8 of 18 inputs) is below the minimum 44.45%"]
    );
    let outcome = gate.check(&report);
    assert_eq!(
        outcome.failures,
        [GateFailure::BelowMinimum {
            min_percent: 44.45,
            percent: report.totals.percent(),
            captured: 8,
            leaves: 18
        }]
    );
    assert_eq!(
        outcome.to_string(),
        "coverage gate failed:\n  - coverage 44.4% (8 of 18 inputs) is below the minimum 44.45%\n"
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
