//! Counting leaves: captured over all, and why the rest are not captured.

use serde::{Deserialize, Serialize};

use super::percent::{format_percent, ratio};
use crate::rules::decision::{Reason, Verdict};

/// Captured leaves over all leaves, for one method, one component or the
/// whole report.
///
/// Every [`LeafDecision`](crate::LeafDecision) counts once: a scalar input, a
/// field of a struct input, an enum's variant name, a list, a whole map (plus
/// one per map entry the configuration names by path), a struct cut off by
/// `max_depth` (one leaf for the whole struct), a sensitive or opaque field,
/// and each leaf of the output under `return` when the method captures it.
///
/// ```
/// use caci_core::coverage::Totals;
///
/// let totals = Totals { captured: 2, leaves: 3, ..Totals::default() };
/// assert_eq!(totals.percent(), Some(66.66666666666667));
/// assert_eq!(totals.percent_text(), "66.7%"); // rounded, as every rendering shows it
/// assert_eq!(Totals::default().percent_text(), "n/a");
///
/// // One more leaf, denied: no allow rule can capture it.
/// let mut totals = totals;
/// totals.leaves += 1;
/// totals.not_captured.denied = 1;
/// totals.not_captured.not_allowed = 1;
/// assert_eq!(totals.reachable(), 3); // 2 captured + 1 not allowed
/// assert_eq!(totals.reachable_max_text(), "75.0%"); // the best any allow list reaches
/// assert_eq!(totals.of_reachable_text(), "66.7%"); // what `--min` gates on
/// ```
///
/// # Reachable
///
/// A leaf is *reachable* when it is captured, or withheld only by what a
/// configuration's allow lists and limits decide: not allowed, beyond the
/// depth limit, beyond the fields-per-span limit, and a generic input
/// ([`Reason::DependsOnType`]: an allow rule can capture what each
/// instantiation passes, though the report, which counts the generic leaf
/// once, never calls it captured). The rest are withheld by a
/// protection no allow rule lifts: the deny floor and deny list, denied
/// types, `#[telemetry(sensitive)]`, types without a capturable form,
/// CACI's reserved names and duplicate paths. The *reachable maximum* is
/// reachable over all leaves (what allowing everything allowable would
/// reach); the gate's percentage is captured over reachable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "TotalsJson", from = "TotalsJson")]
pub struct Totals {
    /// Leaves captured.
    pub captured: usize,
    /// All leaves.
    pub leaves: usize,
    /// The leaves not captured, by reason; they add up to `leaves - captured`.
    pub not_captured: ReasonCounts,
}

/// `Totals` as JSON: with the derived figures (`percent`, `percent_text`,
/// `reachable`, `reachable_max_percent`, `reachable_max_text`,
/// `percent_of_reachable`, `percent_of_reachable_text`) between `leaves`
/// and `not_captured`; they are ignored when reading.
#[derive(Serialize, Deserialize)]
struct TotalsJson {
    captured: usize,
    leaves: usize,
    #[serde(default)]
    percent: Option<f64>,
    #[serde(default)]
    percent_text: String,
    #[serde(default)]
    reachable: usize,
    #[serde(default)]
    reachable_max_percent: Option<f64>,
    #[serde(default)]
    reachable_max_text: String,
    #[serde(default)]
    percent_of_reachable: Option<f64>,
    #[serde(default)]
    percent_of_reachable_text: String,
    not_captured: ReasonCounts,
}

impl From<Totals> for TotalsJson {
    fn from(totals: Totals) -> Self {
        TotalsJson {
            percent: totals.percent(),
            percent_text: totals.percent_text(),
            reachable: totals.reachable(),
            reachable_max_percent: totals.reachable_max_percent(),
            reachable_max_text: totals.reachable_max_text(),
            percent_of_reachable: totals.percent_of_reachable(),
            percent_of_reachable_text: totals.of_reachable_text(),
            captured: totals.captured,
            leaves: totals.leaves,
            not_captured: totals.not_captured,
        }
    }
}

impl From<TotalsJson> for Totals {
    fn from(json: TotalsJson) -> Self {
        Totals {
            captured: json.captured,
            leaves: json.leaves,
            not_captured: json.not_captured,
        }
    }
}

/// How many leaves are not captured, per [`Reason`]. In JSON each field is
/// named by the reason's code (see [`reason_code`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReasonCounts {
    /// No rule allows them ([`Reason::NotAllowed`]): what a configuration
    /// addition can change.
    pub not_allowed: usize,
    /// A path segment is on the deny list ([`Reason::Denied`]).
    pub denied: usize,
    /// Marked `#[telemetry(sensitive)]` ([`Reason::Sensitive`]).
    pub sensitive: usize,
    /// The type has no capturable form ([`Reason::TypeNotCapturable`]).
    pub type_not_capturable: usize,
    /// The type is a generic parameter ([`Reason::DependsOnType`]): see the
    /// method's instantiations.
    #[serde(default)]
    pub depends_on_type: usize,
    /// Deeper than `max_depth` ([`Reason::BeyondDepth`]).
    pub beyond_depth: usize,
    /// Over `max_fields_per_span` ([`Reason::FieldLimit`]).
    pub field_limit: usize,
    /// A type on the path is denied ([`Reason::DeniedType`]).
    pub denied_type: usize,
    /// The path would take one of CACI's own names ([`Reason::Reserved`]).
    pub reserved: usize,
    /// Another leaf is captured under the same path ([`Reason::DuplicatePath`]).
    pub duplicate_path: usize,
}

/// The stable code of a reason, as the JSON schema spells it:
/// `not_allowed`, `denied`, `sensitive`, `type_not_capturable`, `depends_on_type`,
/// `beyond_depth`, `field_limit`, `denied_type`, `reserved`,
/// `duplicate_path`.
pub fn reason_code(reason: &Reason) -> &'static str {
    match reason {
        Reason::NotAllowed => "not_allowed",
        Reason::Denied { .. } => "denied",
        Reason::Sensitive => "sensitive",
        Reason::TypeNotCapturable => "type_not_capturable",
        Reason::DependsOnType => "depends_on_type",
        Reason::BeyondDepth => "beyond_depth",
        Reason::FieldLimit => "field_limit",
        Reason::DeniedType { .. } => "denied_type",
        Reason::Reserved => "reserved",
        Reason::DuplicatePath => "duplicate_path",
    }
}

impl Totals {
    /// Counts one leaf.
    pub fn add(&mut self, verdict: &Verdict) {
        self.leaves += 1;
        match verdict {
            Verdict::Captured(_) => self.captured += 1,
            Verdict::NotCaptured(reason) => *self.not_captured.slot(reason) += 1,
        }
    }

    /// Adds another total to this one.
    pub fn merge(&mut self, other: &Totals) {
        self.captured += other.captured;
        self.leaves += other.leaves;
        self.not_captured.merge(&other.not_captured);
    }

    /// `captured × 100 / leaves`, or `None` when there are no leaves.
    pub fn percent(&self) -> Option<f64> {
        ratio(self.captured, self.leaves)
    }

    /// [`percent`](Self::percent) with one decimal, rounded (see
    /// [`format_percent`](super::format_percent)), or `n/a`.
    pub fn percent_text(&self) -> String {
        format_percent(self.captured, self.leaves)
    }

    /// The leaves an allow rule or a limit could capture: captured, not
    /// allowed, generic (depends on the type), beyond the depth limit or the
    /// fields-per-span limit (see
    /// [Reachable](Totals#reachable)).
    pub fn reachable(&self) -> usize {
        let counts = &self.not_captured;
        self.captured + counts.not_allowed + counts.depends_on_type + counts.beyond_depth + counts.field_limit
    }

    /// The reachable maximum: `reachable × 100 / leaves`, or `None` without
    /// leaves.
    pub fn reachable_max_percent(&self) -> Option<f64> {
        ratio(self.reachable(), self.leaves)
    }

    /// [`reachable_max_percent`](Self::reachable_max_percent), formatted.
    pub fn reachable_max_text(&self) -> String {
        format_percent(self.reachable(), self.leaves)
    }

    /// What the gate's `--min` compares with: `captured × 100 / reachable`;
    /// `None` when nothing is reachable.
    pub fn percent_of_reachable(&self) -> Option<f64> {
        ratio(self.captured, self.reachable())
    }

    /// [`percent_of_reachable`](Self::percent_of_reachable), formatted.
    pub fn of_reachable_text(&self) -> String {
        format_percent(self.captured, self.reachable())
    }
}

impl ReasonCounts {
    fn slot(&mut self, reason: &Reason) -> &mut usize {
        match reason {
            Reason::NotAllowed => &mut self.not_allowed,
            Reason::Denied { .. } => &mut self.denied,
            Reason::Sensitive => &mut self.sensitive,
            Reason::TypeNotCapturable => &mut self.type_not_capturable,
            Reason::DependsOnType => &mut self.depends_on_type,
            Reason::BeyondDepth => &mut self.beyond_depth,
            Reason::FieldLimit => &mut self.field_limit,
            Reason::DeniedType { .. } => &mut self.denied_type,
            Reason::Reserved => &mut self.reserved,
            Reason::DuplicatePath => &mut self.duplicate_path,
        }
    }

    fn merge(&mut self, other: &ReasonCounts) {
        for (mine, theirs) in self.iter_mut().zip(other.iter()) {
            *mine += theirs.1;
        }
    }

    /// `(reason code, count)` for every reason, in the order of the fields.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, usize)> {
        [
            ("not_allowed", self.not_allowed),
            ("denied", self.denied),
            ("sensitive", self.sensitive),
            ("type_not_capturable", self.type_not_capturable),
            ("depends_on_type", self.depends_on_type),
            ("beyond_depth", self.beyond_depth),
            ("field_limit", self.field_limit),
            ("denied_type", self.denied_type),
            ("reserved", self.reserved),
            ("duplicate_path", self.duplicate_path),
        ]
        .into_iter()
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut usize> {
        [
            &mut self.not_allowed,
            &mut self.denied,
            &mut self.sensitive,
            &mut self.type_not_capturable,
            &mut self.depends_on_type,
            &mut self.beyond_depth,
            &mut self.field_limit,
            &mut self.denied_type,
            &mut self.reserved,
            &mut self.duplicate_path,
        ]
        .into_iter()
    }
}
