//! The CI gate: a minimum coverage, and no regression against a baseline.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::leaf::Place;
use super::percent::{format_percent_against, minimum_text};
use super::report::CoverageReport;
use super::unmatched::unmatched_warning;
use crate::rules::decision::Verdict;

/// What a CI run requires of a report.
///
/// ```
/// use caci_core::coverage::{CoverageReport, Gate};
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let report = CoverageReport::build(&TelemetryCaptureConfiguration::default(), []);
/// let gate = Gate { min_percent: Some(60.0), baseline: Some(report.clone()) };
/// let outcome = gate.check(&report);
/// assert!(!outcome.passed(), "no inputs at all fails a minimum");
/// assert_eq!(
///     outcome.to_string(),
///     "coverage gate failed:\n  - no inputs found, so coverage cannot reach the minimum 60% (is the registry linked into this binary?)\n"
/// );
/// ```
#[derive(Clone, Debug, Default)]
pub struct Gate {
    /// Fail when the percentage of the *reachable* inputs captured
    /// ([`Totals::percent_of_reachable`](super::Totals::percent_of_reachable):
    /// captured over reachable, unrounded) is below this, or when there are
    /// no leaves at all. Leaves withheld by a protection (denied, sensitive,
    /// not capturable, …; see [Reachable](super::Totals#reachable)) do not
    /// count against it: `--min 100` means "everything a configuration can
    /// capture is captured". When every leaf is protected, nothing is
    /// reachable and the minimum is met.
    pub min_percent: Option<f64>,
    /// Fail when a place (`Component.method: path`) captured here is not
    /// captured in the current report, or no longer exists. A path that
    /// occurs several times in a method (fields of different enum
    /// variants) is captured when any of its leaves is.
    pub baseline: Option<CoverageReport>,
}

/// What the gate found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GateOutcome {
    /// Every failure; empty when the gate passed.
    pub failures: Vec<GateFailure>,
    /// Places captured now and not in the baseline (informational: run with
    /// `--update-baseline` to lock them in).
    pub newly_captured: Vec<Place>,
    /// The report's [scopes that match nothing](CoverageReport::unmatched_scopes):
    /// printed as warnings, never a failure, since a shared base
    /// configuration may hold scopes for other services.
    pub unmatched_scopes: Vec<String>,
}

/// One reason the gate failed.
#[derive(Clone, Debug, PartialEq)]
pub enum GateFailure {
    /// Coverage of the reachable inputs is below the minimum.
    BelowMinimum {
        /// The minimum asked for.
        min_percent: f64,
        /// The percentage of the reachable leaves captured; `None` when there
        /// are no leaves.
        percent: Option<f64>,
        /// Leaves captured.
        captured: usize,
        /// Leaves an allow rule or a limit could capture.
        reachable: usize,
        /// All leaves.
        leaves: usize,
    },
    /// A place captured in the baseline no longer is.
    Regression {
        /// Where.
        place: Place,
        /// Its verdict now; `None` when the place no longer exists (the
        /// method or the field was removed or renamed).
        now: Option<Verdict>,
    },
}

impl Gate {
    /// Checks `report`.
    pub fn check(&self, report: &CoverageReport) -> GateOutcome {
        let mut outcome = GateOutcome {
            unmatched_scopes: report.unmatched_scopes.clone(),
            ..GateOutcome::default()
        };
        if let Some(min_percent) = self.min_percent {
            let totals = &report.totals;
            let percent = match (totals.leaves, totals.percent_of_reachable()) {
                (0, _) => None,
                // Every leaf is protected: nothing is left to reach.
                (_, None) => Some(100.0),
                (_, Some(percent)) => Some(percent),
            };
            if percent.is_none_or(|percent| percent < min_percent) {
                outcome.failures.push(GateFailure::BelowMinimum {
                    min_percent,
                    percent,
                    captured: totals.captured,
                    reachable: totals.reachable(),
                    leaves: totals.leaves,
                });
            }
        }
        if let Some(baseline) = &self.baseline {
            let now = verdicts_by_place(report);
            let before = verdicts_by_place(baseline);
            let mut reported = HashSet::new();
            for (place, _) in baseline.places().filter(|(_, leaf)| leaf.verdict.is_captured()) {
                let current = now.get(&place);
                if current.is_some_and(|verdict| verdict.is_captured()) || !reported.insert(place.clone()) {
                    continue;
                }
                let now = current.map(|verdict| (*verdict).clone());
                outcome.failures.push(GateFailure::Regression { place, now });
            }
            let mut seen = HashSet::new();
            for (place, leaf) in report.places() {
                let was_captured = before.get(&place).is_some_and(|verdict| verdict.is_captured());
                if leaf.verdict.is_captured() && !was_captured && seen.insert(place.clone()) {
                    outcome.newly_captured.push(place);
                }
            }
        }
        outcome
    }
}

/// Per place, a captured verdict if any leaf there is captured, else the
/// first leaf's.
fn verdicts_by_place(report: &CoverageReport) -> HashMap<Place, &Verdict> {
    let mut verdicts: HashMap<Place, &Verdict> = HashMap::new();
    for (place, leaf) in report.places() {
        verdicts
            .entry(place)
            .and_modify(|known| {
                if !known.is_captured() {
                    *known = &leaf.verdict;
                }
            })
            .or_insert(&leaf.verdict);
    }
    verdicts
}

impl GateOutcome {
    /// Whether there is no failure.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The outcome as a Markdown section for a pull-request comment.
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("\n### Coverage gate\n\n");
        if self.passed() {
            out.push_str("✅ Passed.\n");
        } else {
            out.push_str("❌ Failed:\n\n");
            for failure in &self.failures {
                out.push_str(&format!("- {}\n", failure.to_string().replace('|', "\\|")));
            }
        }
        if !self.newly_captured.is_empty() {
            out.push_str(&format!(
                "\n{} newly captured since the baseline; update it to lock them in.\n",
                inputs(self.newly_captured.len())
            ));
        }
        for place in &self.unmatched_scopes {
            out.push_str(&format!(
                "\n⚠️ Warning (not a failure): {}.\n",
                unmatched_warning(place).replace('|', "\\|")
            ));
        }
        out
    }
}

fn inputs(count: usize) -> String {
    if count == 1 {
        "1 input".to_owned()
    } else {
        format!("{count} inputs")
    }
}

impl fmt::Display for GateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateFailure::BelowMinimum {
                min_percent,
                percent: None,
                ..
            } => write!(
                f,
                "no inputs found, so coverage cannot reach the minimum {}% (is the registry linked into this binary?)",
                minimum_text(*min_percent)
            ),
            GateFailure::BelowMinimum {
                min_percent,
                captured,
                reachable,
                leaves,
                ..
            } => write!(
                f,
                "coverage {} of the reachable inputs ({captured} of {reachable}; {leaves} inputs in all) is below the minimum {}%",
                format_percent_against(*captured, *reachable, *min_percent),
                minimum_text(*min_percent)
            ),
            GateFailure::Regression { place, now: Some(now) } => {
                write!(f, "regression: {place} was captured in the baseline, now {now}")
            }
            GateFailure::Regression { place, now: None } => write!(
                f,
                "regression: {place} was captured in the baseline and no longer exists (removed or renamed?)"
            ),
        }
    }
}

/// Every failure, one per line, or `coverage gate passed`.
impl fmt::Display for GateOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.passed() {
            writeln!(f, "coverage gate passed")?;
        } else {
            writeln!(f, "coverage gate failed:")?;
            for failure in &self.failures {
                writeln!(f, "  - {failure}")?;
            }
        }
        if !self.newly_captured.is_empty() {
            writeln!(
                f,
                "{} newly captured since the baseline; run with --update-baseline to lock them in",
                inputs(self.newly_captured.len())
            )?;
        }
        for place in &self.unmatched_scopes {
            writeln!(f, "warning (not a failure): {}", unmatched_warning(place))?;
        }
        Ok(())
    }
}
