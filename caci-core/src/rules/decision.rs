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
//! | 1 | the leaf, a field on its path, or its type is `#[telemetry(sensitive)]` | not captured: [`Sensitive`](Reason::Sensitive) |
//! | 2 | a segment of the path, or an identifier behind it (a renamed field's declared name, a flattened field, an enum variant, a pattern's bindings), is denied or has a denied word (floor + denied names − removals) | not captured: [`Denied`](Reason::Denied) |
//! | 3 | the type of the leaf or of a value on its path is denied: a floor word in its name, or a `denied_types` entry | not captured: [`DeniedType`](Reason::DeniedType) |
//! | 4 | the path starts with one of CACI's own names (`outcome`, `duration_ns`, `error`, `otel`, `message`, and `return` outside a captured output) | not captured: [`Reserved`](Reason::Reserved) |
//! | 5 | the kind is opaque, or a list's items / a map's values are not leaves | not captured: [`TypeNotCapturable`](Reason::TypeNotCapturable) |
//! | 6 | the path has more segments than `max_depth` | not captured: [`BeyondDepth`](Reason::BeyondDepth) |
//! | 7 | the leaf is a map: its path or name is an allowed dictionary | captured: [`Dictionary`](AllowedBy::Dictionary); otherwise not captured: [`NotAllowed`](Reason::NotAllowed) |
//! | 8 | the full dotted path is allowed | captured: [`Path`](AllowedBy::Path) |
//! | 9 | the name is allowed | captured: [`Name`](AllowedBy::Name) |
//! | 10 | the enclosing type is an allowed struct | captured: [`Struct`](AllowedBy::Struct) |
//! | 11 | the kind is allowed (for a list, its items' kind) | captured: [`Kind`](AllowedBy::Kind) |
//! | 12 | at a wrapped method, a scope for its component or for the method itself allows it by rows 7–11 | captured, by that row; the decision names the scope ([`LeafDecision::scope`](crate::LeafDecision::scope)) |
//! | 13 | otherwise | not captured: [`NotAllowed`](Reason::NotAllowed) |
//!
//! Two rows belong to a call site rather than to one leaf: a captured leaf
//! is dropped when the site already carries `max_fields_per_span` fields
//! ([`FieldLimit`](Reason::FieldLimit)), or when another of its leaves is
//! captured under the same path ([`DuplicatePath`](Reason::DuplicatePath)).
//! And one row belongs to the value: a captured *string* (a dictionary's
//! keys too) that looks like an email address, a payment card number, a
//! JWT, an `Authorization` credential or an IBAN is replaced by a marker
//! such as `[redacted: card]` (value scrubbing, on unless the configuration
//! turns it off).
//!
//! **Words.** The floor matches a name's words, not only the whole name:
//! names are folded (NFKC, case, Unicode look-alikes of ASCII letters), then
//! split at separators, camelCase and digits, so `new_password`,
//! `userEmail`, `emails`, `db2Password` and a Cyrillic `pаssword` are all
//! denied. A false positive names its word in the report ("`token` (a word
//! of `token_count`) is denied"); lift it with
//! [`remove_from_deny_floor`](crate::ConfigBuilder::remove_from_deny_floor)
//! of the whole name (`token_count`), which exempts that one name and is
//! logged like every removal, or of the word itself, which lifts it
//! everywhere.
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
//!     Verdict::NotCaptured(Reason::Denied { identifier: "email".into(), word: "email".into() })
//! );
//! let hint = Leaf::new(&["user", "new_password"], Kind::String);
//! assert_eq!(config.decide(&hint).to_string(), "not captured: `password` (a word of `new_password`) is denied");
//! ```

use std::fmt;

use super::Rules;
use super::compile::Allowances;
use crate::shape::Kind;

/// One leaf as the decision rule sees it.
#[derive(Clone, Debug)]
#[non_exhaustive]
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
    /// Identifiers behind the path that the floor checks as well: declared
    /// names of renamed fields, flattened fields, enum variants, and the
    /// bindings of a pattern parameter.
    pub aliases: &'a [&'a str],
    /// The full type names of the values on the path, the leaf's own last.
    pub type_names: &'a [&'a str],
    /// Whether the leaf is part of a method's captured output (under `return`).
    pub output: bool,
    /// Whether the leaf is a field of a failed call's error value (under
    /// `error`, such as `error.code`).
    pub error: bool,
    /// The wrapped method the leaf is decided at, as (component, method):
    /// the configuration's scopes for it apply too.
    pub site: Option<(&'a str, &'a str)>,
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
            aliases: &[],
            type_names: &[],
            output: false,
            error: false,
            site: None,
        }
    }

    /// The same leaf, decided at `component`'s method `method`, where that
    /// component's and method's scopes apply.
    pub fn at(self, component: &'a str, method: &'a str) -> Self {
        Leaf {
            site: Some((component, method)),
            ..self
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

    /// The same leaf with identifiers behind its path (see [`Leaf::aliases`]).
    pub fn behind(self, aliases: &'a [&'a str]) -> Self {
        Leaf { aliases, ..self }
    }

    /// The same leaf with the types of the values on its path (see
    /// [`Leaf::type_names`]).
    pub fn of_types(self, type_names: &'a [&'a str]) -> Self {
        Leaf { type_names, ..self }
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
#[non_exhaustive]
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
#[non_exhaustive]
pub enum Reason {
    /// Marked `#[telemetry(sensitive)]`, on the field or on its type.
    Sensitive,
    /// A segment of its path (or an identifier behind it) is denied.
    Denied {
        /// The segment or identifier that is denied.
        identifier: String,
        /// The deny-list word that matched, normalised: `password` for
        /// `new_password`, `email` for `email`.
        word: String,
    },
    /// The type of the leaf, or of a value on its path, is denied.
    DeniedType {
        /// The type's name without its module path.
        type_name: String,
        /// What denies it: a floor word or a `denied_types` entry.
        rule: String,
    },
    /// Its path would take one of CACI's own field names.
    Reserved,
    /// Its type has no capturable form.
    TypeNotCapturable,
    /// Its type is a generic parameter: what is captured depends on the
    /// type of each call (the coverage report lists the instantiations
    /// planned so far).
    DependsOnType,
    /// Its path is deeper than `max_depth`.
    BeyondDepth,
    /// No rule allows it.
    NotAllowed,
    /// The span already holds `max_fields_per_span` fields.
    FieldLimit,
    /// Another leaf of the call site is captured under the same path.
    DuplicatePath,
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
            Reason::Denied { identifier, word } if super::words::normalize(identifier) == *word => {
                write!(f, "`{identifier}` is denied")
            }
            Reason::Denied { identifier, word } => write!(f, "`{word}` (a word of `{identifier}`) is denied"),
            Reason::DeniedType { type_name, rule } => write!(f, "type `{type_name}` is denied ({rule})"),
            Reason::Reserved => f.write_str("reserved for CACI's own fields"),
            Reason::DuplicatePath => f.write_str("another leaf is captured under this path"),
            Reason::TypeNotCapturable => f.write_str("type not capturable"),
            Reason::DependsOnType => f.write_str("depends on the type of each call (generic)"),
            Reason::BeyondDepth => f.write_str("beyond the depth limit"),
            Reason::NotAllowed => f.write_str("not allowed"),
            Reason::FieldLimit => f.write_str("beyond the fields-per-span limit"),
        }
    }
}

pub(crate) fn decide(rules: &Rules, leaf: &Leaf<'_>) -> Verdict {
    decide_in_scope(rules, leaf).0
}

/// The verdict, and the index of the scope that allowed the leaf when the
/// global lists did not.
pub(crate) fn decide_in_scope(rules: &Rules, leaf: &Leaf<'_>) -> (Verdict, Option<usize>) {
    use Verdict::NotCaptured;

    if let Some(reason) = refused(rules, leaf) {
        return (NotCaptured(reason), None);
    }
    if let Some(by) = allowed_by(&rules.allowed, leaf) {
        return (Verdict::Captured(by), None);
    }
    let scoped = leaf.site.and_then(|(component, method)| {
        rules
            .scopes
            .iter()
            .enumerate()
            .filter(|(_, scope)| scope.applies_at(component, method))
            .find_map(|(index, scope)| allowed_by(&scope.allowed, leaf).map(|by| (by, index)))
    });
    match scoped {
        Some((by, index)) => (Verdict::Captured(by), Some(index)),
        None => (NotCaptured(Reason::NotAllowed), None),
    }
}

/// Rows 1–6: what no allowance can lift.
fn refused(rules: &Rules, leaf: &Leaf<'_>) -> Option<Reason> {
    if leaf.sensitive {
        return Some(Reason::Sensitive);
    }
    if let Some(reason) = denied_identifier(rules, leaf) {
        return Some(reason);
    }
    if let Some(reason) = leaf.type_names.iter().find_map(|name| denied_type(rules, name)) {
        return Some(reason);
    }
    if is_reserved(leaf) {
        return Some(Reason::Reserved);
    }
    let items_are_leaves = leaf.item_kind.is_none_or(|kind| kind.is_leaf() && kind != Kind::List);
    if leaf.kind == Kind::Opaque || leaf.kind == Kind::Struct || !items_are_leaves {
        return Some(Reason::TypeNotCapturable);
    }
    if leaf.path.len() > rules.limits.max_depth {
        return Some(Reason::BeyondDepth);
    }
    None
}

/// Rows 7–11 against one set of allowances: the global one or a scope's.
fn allowed_by(allowed: &Allowances, leaf: &Leaf<'_>) -> Option<AllowedBy> {
    let name = leaf.path.last().copied().unwrap_or_default();
    let joined = leaf.path.join(".");
    if leaf.kind == Kind::Map {
        let dictionary = allowed.dictionaries.contains(&joined) || allowed.dictionaries.contains(name);
        return dictionary.then_some(AllowedBy::Dictionary);
    }
    if leaf.path.len() > 1 && allowed.paths.contains(&joined) {
        return Some(AllowedBy::Path);
    }
    if allowed.names.contains(name) {
        return Some(AllowedBy::Name);
    }
    if leaf
        .enclosing_type
        .is_some_and(|type_name| struct_allowed(allowed, type_name))
    {
        return Some(AllowedBy::Struct);
    }
    let kind = if leaf.kind == Kind::List {
        leaf.item_kind.unwrap_or(Kind::Opaque)
    } else {
        leaf.kind
    };
    allowed.kinds.contains(&kind).then_some(AllowedBy::Kind)
}

/// The path a method's return value is captured under.
pub(crate) const OUTPUT_NAME: &str = "return";

/// The root a failed call's error value's fields are captured under.
pub(crate) const ERROR_NAME: &str = "error";

/// Fields CACI records on method spans under a root that is not reserved
/// (`code` is a common input name): a path equal to one is never captured.
const RESERVED_PATHS: &[&[&str]] = &[
    &["code", "function", "name"],
    &["code", "file", "path"],
    &["code", "line", "number"],
];

/// CACI's own field names: a path whose first segment is one of these
/// would shadow or duplicate a field CACI records itself (`return` only
/// outside a captured output, whose root it is).
pub(crate) const RESERVED_ROOTS: &[&str] = &["outcome", "duration_ns", "error", "otel", "message", "return"];

fn is_reserved(leaf: &Leaf<'_>) -> bool {
    let Some(root) = leaf.path.first() else {
        return false;
    };
    let own_root = (leaf.output && *root == OUTPUT_NAME)
        // An error's own fields (`error.code`), never `error` itself or
        // CACI's `error.type`.
        || (leaf.error && *root == ERROR_NAME && leaf.path.len() > 1 && leaf.path[1] != "type");
    (RESERVED_ROOTS.contains(root) && !own_root) || RESERVED_PATHS.contains(&leaf.path)
}

/// The first path segment or alias the deny list denies, with its word.
fn denied_identifier(rules: &Rules, leaf: &Leaf<'_>) -> Option<Reason> {
    let segments = if leaf.output || leaf.error {
        &leaf.path[1.min(leaf.path.len())..]
    } else {
        leaf.path
    };
    segments.iter().chain(leaf.aliases).find_map(|identifier| {
        rules.deny.denied_word(identifier).map(|word| Reason::Denied {
            identifier: (*identifier).to_owned(),
            word,
        })
    })
}

/// Whether a type named in `type_name` (its generic arguments included) is
/// denied: `#[telemetry(sensitive)]` types are handled by their shape; here
/// a floor word in a type's own name, or a `denied_types` entry.
pub(crate) fn denied_type(rules: &Rules, type_name: &str) -> Option<Reason> {
    // Standard library types carry no domain data in their names (`Pin` is
    // not a PIN).
    let is_std = |path: &str| {
        ["core::", "alloc::", "std::"]
            .iter()
            .any(|krate| path.starts_with(krate))
    };
    crate::shape::type_paths(type_name)
        .filter(|path| !is_std(path))
        .find_map(|path| {
            let own = path.rsplit("::").next().unwrap_or(path);
            let rule = if let Some(entry) = rules.denied_types.matching(path, own) {
                format!("`denied_types` entry `{entry}`")
            } else {
                format!("the floor word `{}`", rules.deny.denied_word(own)?)
            };
            Some(Reason::DeniedType {
                type_name: own.to_owned(),
                rule,
            })
        })
}

/// Whether `type_name` (from `std::any::type_name`) is an allowed struct:
/// entries with `::` match the full path, others the type's own name;
/// generic arguments are ignored.
pub(crate) fn struct_allowed(allowed: &Allowances, type_name: &str) -> bool {
    let base = type_name.split('<').next().unwrap_or(type_name);
    let own_name = base.rsplit("::").next().unwrap_or(base);
    allowed.structs.iter().any(|entry| {
        if entry.contains("::") {
            entry == base
        } else {
            entry == own_name
        }
    })
}
