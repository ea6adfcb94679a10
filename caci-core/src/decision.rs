//! The decision rule: whether one leaf is captured, and why (not).
//!
//! A *leaf* is one value that would become one span field: a scalar, an
//! enum's variant name, a list, or a whole map. It has a *path* (`plan`,
//! `business.feature_group`), a *name* (the path's last segment), a
//! [`Kind`], and the type that directly encloses it, if any.
//!
//! The rows are tried in order; the first that applies decides.
//!
//! | # | when | verdict |
//! |---|------|---------|
//! | 1 | the leaf, or a field on its path, is `#[telemetry(sensitive)]` | not captured: [`Sensitive`](Reason::Sensitive) |
//! | 2 | a segment of the path is on the deny list (floor + denied names − removals) | not captured: [`Denied`](Reason::Denied) |
//! | 3 | the kind is opaque, or a list's items / a map's values are not leaves | not captured: [`TypeNotCapturable`](Reason::TypeNotCapturable) |
//! | 4 | the path has more segments than `max_depth` | not captured: [`BeyondDepth`](Reason::BeyondDepth) |
//! | 5 | the leaf is a map: its path or name is an allowed dictionary | captured: [`Dictionary`](AllowedBy::Dictionary); otherwise not captured: [`NotAllowed`](Reason::NotAllowed) |
//! | 6 | the full dotted path is allowed | captured: [`Path`](AllowedBy::Path) |
//! | 7 | the name is allowed | captured: [`Name`](AllowedBy::Name) |
//! | 8 | the enclosing type is an allowed struct | captured: [`Struct`](AllowedBy::Struct) |
//! | 9 | the kind is allowed (for a list, its items' kind) | captured: [`Kind`](AllowedBy::Kind) |
//! | 10 | otherwise | not captured: [`NotAllowed`](Reason::NotAllowed) |
//!
//! A leaf captured by these rows can still be dropped at a call site that
//! already carries `max_fields_per_span` fields: [`FieldLimit`](Reason::FieldLimit).
//!
//! Names match leaves only: allowing `business` does not capture the fields
//! of a `business: Business` input; allow them by name, by path, or with
//! `allow_struct::<Business>()`.
//!
//! A list of structs is not a leaf: its items' leaves are decided under the
//! list's path, as fields are (`order.items.sku`, enclosed by the item's
//! type), and each captured one becomes a column, rendered over every item
//! (`order.items.sku = [A1, B2]`). Maps of structs stay
//! [`TypeNotCapturable`](Reason::TypeNotCapturable).
//!
//! ```
//! use caci_core::decision::{AllowedBy, Leaf, Reason, Verdict};
//! use caci_core::{Kind, TelemetryCaptureConfiguration};
//!
//! let config = TelemetryCaptureConfiguration::builder()
//!     .allow_field("plan")
//!     .allow_kind(Kind::Uuid)
//!     .build()
//!     .unwrap();
//! let plan = Leaf::new(&["business", "plan"], Kind::Enum);
//! assert_eq!(config.decide(&plan), Verdict::Captured(AllowedBy::Name));
//! let email = Leaf::new(&["user", "email"], Kind::String);
//! assert_eq!(
//!     config.decide(&email),
//!     Verdict::NotCaptured(Reason::Denied { identifier: "email".into() })
//! );
//! ```

use std::fmt;

use crate::config::TelemetryCaptureConfiguration;
use crate::config::validate::Rules;
use crate::shape::Kind;

/// One leaf as the decision rule sees it.
#[derive(Clone, Debug)]
pub struct Leaf<'a> {
    /// The path's segments: `["business", "plan"]`.
    pub path: &'a [&'a str],
    /// The leaf's kind.
    pub kind: Kind,
    /// For a list, its items' kind; for a map, its values' kind.
    pub item_kind: Option<Kind>,
    /// The full type name of the struct or enum that directly holds the leaf.
    pub enclosing_type: Option<&'a str>,
    /// Whether the leaf or a field on its path is `#[telemetry(sensitive)]`.
    pub sensitive: bool,
}

impl<'a> Leaf<'a> {
    /// A leaf at `path` of `kind`, outside any struct.
    pub fn new(path: &'a [&'a str], kind: Kind) -> Self {
        Leaf {
            path,
            kind,
            item_kind: None,
            enclosing_type: None,
            sensitive: false,
        }
    }

    /// The same leaf inside the type named `type_name`.
    pub fn in_type(self, type_name: &'a str) -> Self {
        Leaf {
            enclosing_type: Some(type_name),
            ..self
        }
    }

    /// The same leaf holding items of `kind` (lists and maps).
    pub fn with_items(self, kind: Kind) -> Self {
        Leaf {
            item_kind: Some(kind),
            ..self
        }
    }

    /// The same leaf marked sensitive.
    pub fn marked_sensitive(self) -> Self {
        Leaf {
            sensitive: true,
            ..self
        }
    }
}

/// Whether a leaf is captured.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Captured, and the row that allowed it.
    Captured(AllowedBy),
    /// Not captured, and why.
    NotCaptured(Reason),
}

impl Verdict {
    /// Whether the leaf is captured.
    pub fn is_captured(&self) -> bool {
        matches!(self, Verdict::Captured(_))
    }
}

/// The rule that allowed a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllowedBy {
    /// Its full dotted path is allowed.
    Path,
    /// Its name is allowed.
    Name,
    /// Its enclosing type is an allowed struct.
    Struct,
    /// It is a map allowed as a dictionary.
    Dictionary,
    /// Its kind is allowed.
    Kind,
}

/// Why a leaf is not captured.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Marked `#[telemetry(sensitive)]`.
    Sensitive,
    /// A segment of its path is on the deny list.
    Denied {
        /// The segment that is denied.
        identifier: String,
    },
    /// Its type has no capturable form.
    TypeNotCapturable,
    /// Its path is deeper than `max_depth`.
    BeyondDepth,
    /// No rule allows it.
    NotAllowed,
    /// The span already holds `max_fields_per_span` fields.
    FieldLimit,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Captured(AllowedBy::Path) => f.write_str("captured (path allowed)"),
            Verdict::Captured(AllowedBy::Name) => f.write_str("captured (name allowed)"),
            Verdict::Captured(AllowedBy::Struct) => f.write_str("captured (struct allowed)"),
            Verdict::Captured(AllowedBy::Dictionary) => f.write_str("captured (dictionary allowed)"),
            Verdict::Captured(AllowedBy::Kind) => f.write_str("captured (kind allowed)"),
            Verdict::NotCaptured(reason) => write!(f, "not captured: {reason}"),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Sensitive => f.write_str("marked sensitive"),
            Reason::Denied { identifier } => write!(f, "`{identifier}` is denied"),
            Reason::TypeNotCapturable => f.write_str("type not capturable"),
            Reason::BeyondDepth => f.write_str("beyond the depth limit"),
            Reason::NotAllowed => f.write_str("not allowed"),
            Reason::FieldLimit => f.write_str("beyond the fields-per-span limit"),
        }
    }
}

impl TelemetryCaptureConfiguration {
    /// Applies the decision rule to one leaf.
    pub fn decide(&self, leaf: &Leaf<'_>) -> Verdict {
        decide(&self.rules, leaf)
    }
}

pub(crate) fn decide(rules: &Rules, leaf: &Leaf<'_>) -> Verdict {
    use Verdict::{Captured, NotCaptured};

    if leaf.sensitive {
        return NotCaptured(Reason::Sensitive);
    }
    if let Some(segment) = leaf.path.iter().find(|segment| rules.deny.is_denied(segment)) {
        return NotCaptured(Reason::Denied {
            identifier: (*segment).to_owned(),
        });
    }
    let items_are_leaves = leaf.item_kind.is_none_or(|kind| kind.is_leaf() && kind != Kind::List);
    if leaf.kind == Kind::Opaque || leaf.kind == Kind::Struct || !items_are_leaves {
        return NotCaptured(Reason::TypeNotCapturable);
    }
    if leaf.path.len() > rules.limits.max_depth {
        return NotCaptured(Reason::BeyondDepth);
    }
    let name = leaf.path.last().copied().unwrap_or_default();
    let joined = leaf.path.join(".");
    if leaf.kind == Kind::Map {
        return if rules.dictionaries.contains(&joined) || rules.dictionaries.contains(name) {
            Captured(AllowedBy::Dictionary)
        } else {
            NotCaptured(Reason::NotAllowed)
        };
    }
    if leaf.path.len() > 1 && rules.paths.contains(&joined) {
        return Captured(AllowedBy::Path);
    }
    if rules.names.contains(name) {
        return Captured(AllowedBy::Name);
    }
    if leaf
        .enclosing_type
        .is_some_and(|type_name| struct_allowed(rules, type_name))
    {
        return Captured(AllowedBy::Struct);
    }
    let kind = if leaf.kind == Kind::List {
        leaf.item_kind.unwrap_or(Kind::Opaque)
    } else {
        leaf.kind
    };
    if rules.kinds.contains(&kind) {
        return Captured(AllowedBy::Kind);
    }
    NotCaptured(Reason::NotAllowed)
}

/// Whether `type_name` (from `std::any::type_name`) is an allowed struct:
/// entries with `::` match the full path, others the type's own name;
/// generic arguments are ignored.
pub(crate) fn struct_allowed(rules: &Rules, type_name: &str) -> bool {
    let base = type_name.split('<').next().unwrap_or(type_name);
    let own_name = base.rsplit("::").next().unwrap_or(base);
    rules.structs.iter().any(|entry| {
        if entry.contains("::") {
            entry == base
        } else {
            entry == own_name
        }
    })
}
