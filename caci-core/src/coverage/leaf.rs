//! One leaf of the report and where it is: the data every other part of the
//! report (suggestions, the JSON wire format, the renderings) reads.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::rules::decision::Verdict;
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
