//! One leaf of the report and where it is: the data every other part of the
//! report (suggestions, the JSON wire format, the renderings) reads.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::rules::decision::{Reason, Verdict};

/// How the renderings word a generic input's verdict.
pub(crate) const GENERIC_VERDICT: &str = "depends on the type of each call (generic: see its instantiations)";
use crate::shape::Kind;

/// One leaf: a value that would become one span field.
///
/// In JSON, `rust_type` is written `type` and the verdict is flattened into
/// `captured`, `by`, `reason` and `identifier` (see the
/// [schema](super#json-schema-cacicoveragev1)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafReport {
    /// The dotted path, e.g. `business.plan` (`return…` for the output).
    pub path: String,
    /// The type as written where known, without module paths.
    pub rust_type: String,
    /// The kind the decision rule saw.
    pub kind: Kind,
    /// For lists and maps, their items' kind.
    pub item_kind: Option<Kind>,
    /// The full name of the type directly holding the leaf, if any.
    pub enclosing_type: Option<String>,
    /// Captured (and which rule allowed it) or not (and why).
    pub verdict: Verdict,
    /// The scope that allowed it when the global lists did not, as
    /// `PaymentGateway` or `PaymentGateway.authorize` (see
    /// [`LeafDecision::scope`](crate::LeafDecision::scope)).
    pub scope: Option<String>,
}

impl LeafReport {
    /// The verdict in words, as every rendering shows it: with the scope that
    /// allowed a captured leaf, e.g.
    /// `captured (name allowed, scope PaymentGateway.authorize)`.
    ///
    /// A generic input (`item: T`) is not called "not captured": what its
    /// spans carry depends on each call's type (see
    /// [`InstantiationReport`](super::InstantiationReport)).
    pub fn verdict_text(&self) -> String {
        if self.verdict == Verdict::NotCaptured(Reason::DependsOnType) {
            return GENERIC_VERDICT.to_owned();
        }
        let verdict = self.verdict.to_string();
        match (&self.scope, &self.verdict) {
            (Some(scope), Verdict::Captured(_)) => match verdict.strip_suffix(')') {
                Some(open) => format!("{open}, scope {scope})"),
                None => format!("{verdict} (scope {scope})"),
            },
            _ => verdict,
        }
    }
}

/// Where a leaf is: `Component.method: path`.
///
/// ```
/// let place = caci_core::coverage::Place::new("SubscriptionService", "initialize_business", "business.plan");
/// assert_eq!(place.to_string(), "SubscriptionService.initialize_business: business.plan");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    /// The component's name.
    pub component: String,
    /// The method's name.
    pub method: String,
    /// The leaf's dotted path.
    pub path: String,
}

impl Place {
    /// A place.
    pub fn new(component: impl Into<String>, method: impl Into<String>, path: impl Into<String>) -> Self {
        Place {
            component: component.into(),
            method: method.into(),
            path: path.into(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}: {}", self.component, self.method, self.path)
    }
}
