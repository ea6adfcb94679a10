//! The static shape of a capturable type: what it looks like without a value.
//!
//! The registry plans each call site from shapes, once, and the coverage report
//! renders them. Struct and variant fields hold a function that produces the
//! field's shape on demand, so recursive types have finite shapes.

use std::any::TypeId;
use std::cell::RefCell;
use std::fmt;
use std::thread::LocalKey;

/// The kind of a value, as the configuration's `allow_kind` and the decision
/// rule see it.
///
/// ```
/// use caci_core::Kind;
/// assert_eq!("uuid".parse::<Kind>(), Ok(Kind::Uuid));
/// assert_eq!(Kind::SignedInteger.to_string(), "signed_integer");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// `bool`.
    Bool,
    /// `i8` to `i128`, `isize`.
    SignedInteger,
    /// `u8` to `u128`, `usize`.
    UnsignedInteger,
    /// `f32`, `f64`.
    Float,
    /// An exact decimal number, captured as its text so no digit or trailing
    /// zero is lost (`12.3400`): `rust_decimal::Decimal` (feature
    /// `rust_decimal`).
    Decimal,
    /// `str`, `String`, `char`, `Cow<str>`, and fields captured through
    /// their `Display` (`#[telemetry(display)]`).
    String,
    /// `uuid::Uuid`.
    Uuid,
    /// `time::OffsetDateTime`, `time::PrimitiveDateTime`; with their
    /// features, `chrono::DateTime<Tz>`, `chrono::NaiveDateTime`,
    /// `jiff::Timestamp`, `jiff::ZonedDateTime`, `jiff::civil::DateTime`.
    DateTime,
    /// `time::Date`; `chrono::NaiveDate`, `jiff::civil::Date`.
    Date,
    /// `time::Time`; `chrono::NaiveTime`, `jiff::civil::Time`.
    Time,
    /// `time::Duration`; `chrono::TimeDelta`, `jiff::SignedDuration`,
    /// `jiff::Span`.
    Duration,
    /// An enum deriving `Telemetry`: its variant name.
    Enum,
    /// A struct deriving `Telemetry`.
    Struct,
    /// A sequence: `Vec`, slices, arrays, `VecDeque`, sets.
    List,
    /// A map with string-like keys: `HashMap`, `BTreeMap`.
    Map,
    /// A type that cannot be captured.
    Opaque,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 16] = [
        Kind::Bool,
        Kind::SignedInteger,
        Kind::UnsignedInteger,
        Kind::Float,
        Kind::Decimal,
        Kind::String,
        Kind::Uuid,
        Kind::DateTime,
        Kind::Date,
        Kind::Time,
        Kind::Duration,
        Kind::Enum,
        Kind::Struct,
        Kind::List,
        Kind::Map,
        Kind::Opaque,
    ];

    /// The snake-case name used in configuration files.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Bool => "bool",
            Kind::SignedInteger => "signed_integer",
            Kind::UnsignedInteger => "unsigned_integer",
            Kind::Float => "float",
            Kind::Decimal => "decimal",
            Kind::String => "string",
            Kind::Uuid => "uuid",
            Kind::DateTime => "datetime",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::Duration => "duration",
            Kind::Enum => "enum",
            Kind::Struct => "struct",
            Kind::List => "list",
            Kind::Map => "map",
            Kind::Opaque => "opaque",
        }
    }

    /// Whether a value of this kind is one recorded field (as opposed to a
    /// container whose leaves are decided one by one).
    pub const fn is_leaf(self) -> bool {
        !matches!(self, Kind::Struct | Kind::Map | Kind::Opaque)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<_> = Kind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown kind `{s}` (expected one of: {})", names.join(", "))
            })
    }
}

/// The shape of a type: its name as written in Rust and its structure.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The full type name, from [`std::any::type_name`].
    pub type_name: &'static str,
    /// The structure.
    pub body: ShapeBody,
}

/// The structure of a [`Shape`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ShapeBody {
    /// One typed value (bool, integer, float, decimal, string, uuid, date and
    /// time kinds).
    Scalar(Kind),
    /// An enum: its variants, each with its fields (none for a unit variant).
    Enum(Vec<VariantShape>),
    /// A struct: its capturable fields, in declaration order.
    Struct(Vec<FieldShape>),
    /// A list of elements of one shape.
    List(Box<Shape>),
    /// A map from string-like keys to values of one shape.
    Map(Box<Shape>),
    /// A type with no capturable form.
    Opaque,
    /// A type marked `#[telemetry(sensitive)]` itself: no use of it is ever
    /// captured, and its values are never visited.
    Sensitive,
    /// A generic parameter's type (`T`, `impl Capture`) in a description
    /// without an instantiation: what is captured depends on the type each
    /// call passes, which is planned apart.
    Generic,
}

impl Shape {
    /// The shape of a scalar type `T`.
    pub fn scalar<T: ?Sized>(kind: Kind) -> Shape {
        Shape {
            type_name: std::any::type_name::<T>(),
            body: ShapeBody::Scalar(kind),
        }
    }

    /// The shape of a type that cannot be captured (used for sensitive fields,
    /// and by the method wrapper for inputs that do not implement `Capture`).
    pub fn opaque(type_name: &'static str) -> Shape {
        Shape {
            type_name,
            body: ShapeBody::Opaque,
        }
    }

    /// The shape of a generic parameter's type, written `type_name` (`T`,
    /// `impl Capture`), where no instantiation is known.
    pub fn generic(type_name: &'static str) -> Shape {
        Shape {
            type_name,
            body: ShapeBody::Generic,
        }
    }

    /// The shape of a type marked `#[telemetry(sensitive)]`: never captured,
    /// wherever it is used.
    pub fn sensitive<T: ?Sized>() -> Shape {
        Shape {
            type_name: std::any::type_name::<T>(),
            body: ShapeBody::Sensitive,
        }
    }

    /// The same shape under another type name (newtypes keep their inner shape).
    pub fn renamed(self, type_name: &'static str) -> Shape {
        Shape { type_name, ..self }
    }

    /// The kind the decision rule sees.
    pub fn kind(&self) -> Kind {
        match &self.body {
            ShapeBody::Scalar(kind) => *kind,
            ShapeBody::Enum(_) => Kind::Enum,
            ShapeBody::Struct(_) => Kind::Struct,
            ShapeBody::List(_) => Kind::List,
            ShapeBody::Map(_) => Kind::Map,
            ShapeBody::Opaque | ShapeBody::Sensitive | ShapeBody::Generic => Kind::Opaque,
        }
    }

    /// The type name without module paths: `Option<BusinessId>` rather than
    /// `core::option::Option<my_app::BusinessId>`.
    pub fn short_type_name(&self) -> String {
        short_type_name(self.type_name)
    }
}

/// Removes module paths from every segment of a type name:
/// `alloc::vec::Vec<my_app::domain::Plan>` is `Vec<Plan>`.
pub(crate) fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut segment_start = 0;
    for (index, ch) in full.char_indices() {
        if ch.is_alphanumeric() || ch == '_' || ch == ':' {
            continue;
        }
        out.push_str(last_segment(&full[segment_start..index]));
        out.push(ch);
        segment_start = index + ch.len_utf8();
    }
    out.push_str(last_segment(&full[segment_start..]));
    out
}

/// The type a transparent wrapper holds (`Option`, `Box`, `Rc`, `Arc`,
/// references), unwrapped as often as it is wrapped: the struct whose
/// fields a shape lists, whatever holds it. Any other name is itself.
pub(crate) fn transparent_inner(mut type_name: &'static str) -> &'static str {
    const WRAPPERS: [&str; 4] = [
        "core::option::Option<",
        "alloc::boxed::Box<",
        "alloc::rc::Rc<",
        "alloc::sync::Arc<",
    ];
    loop {
        let trimmed = type_name.trim_start_matches("&mut ").trim_start_matches('&');
        if trimmed.len() != type_name.len() {
            type_name = trimmed;
            continue;
        }
        match WRAPPERS.iter().find_map(|wrapper| type_name.strip_prefix(wrapper)) {
            Some(inner) if inner.ends_with('>') => type_name = &inner[..inner.len() - 1],
            _ => return type_name,
        }
    }
}

/// Every type path named in a full type name, generic arguments included,
/// without their own arguments: `core::option::Option<app::Password>` names
/// `core::option::Option` and `app::Password`. The floor and `denied_types`
/// check each of them.
pub(crate) fn type_paths(full: &str) -> impl Iterator<Item = &str> {
    full.split(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == ':'))
        .map(|path| path.trim_matches(':'))
        .filter(|path| !path.is_empty())
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

/// A field of a struct or of an enum variant.
#[derive(Clone, Debug)]
pub struct FieldShape {
    /// The name the field is captured under (after `rename`/`rename_all`).
    pub name: &'static str,
    /// The field's identifier as declared, which the deny floor checks as
    /// well as `name`: renaming `password` to `hint` does not hide it.
    pub declared: &'static str,
    /// The field's type as written in the source.
    pub rust_type: &'static str,
    /// `#[telemetry(sensitive)]`: never captured.
    pub sensitive: bool,
    /// `#[telemetry(flatten)]`: the field's own fields appear at this level.
    pub flatten: bool,
    /// Produces the field's shape; `None` for sensitive fields, whose type
    /// need not be capturable.
    pub shape: Option<fn() -> Shape>,
}

impl FieldShape {
    /// A capturable field.
    pub fn new(name: &'static str, rust_type: &'static str, shape: fn() -> Shape) -> Self {
        FieldShape {
            name,
            declared: name,
            rust_type,
            sensitive: false,
            flatten: false,
            shape: Some(shape),
        }
    }

    /// A field marked `#[telemetry(sensitive)]`.
    pub fn sensitive(name: &'static str, rust_type: &'static str) -> Self {
        FieldShape {
            name,
            declared: name,
            rust_type,
            sensitive: true,
            flatten: false,
            shape: None,
        }
    }

    /// Marks the field `#[telemetry(flatten)]`.
    pub fn flattened(self) -> Self {
        FieldShape { flatten: true, ..self }
    }

    /// Records the identifier the field was declared with, when `rename`
    /// changed it.
    pub fn declared_as(self, declared: &'static str) -> Self {
        FieldShape { declared, ..self }
    }
}

/// A variant of an enum.
#[derive(Clone, Debug)]
pub struct VariantShape {
    /// The name the variant is captured as.
    pub name: &'static str,
    /// The variant's identifier as declared: the deny floor checks it for
    /// the variant's fields (`Credential::Password(String)` is never
    /// captured as `credential.0`).
    pub declared: &'static str,
    /// Its fields (unnamed fields are named `0`, `1`, …).
    pub fields: Vec<FieldShape>,
}

impl VariantShape {
    /// A variant captured as `name`, declared as `declared`.
    pub fn new(name: &'static str, declared: &'static str, fields: Vec<FieldShape>) -> Self {
        VariantShape { name, declared, fields }
    }
}

/// Whether a derived type's fields are all trusted (see
/// `Capture::trusted`), answering `true` for a type already being asked
/// about on this thread: a recursive type adds no impl of its own.
pub fn trusted_fields<T: ?Sized>(fields: impl FnOnce() -> bool) -> bool {
    thread_local! {
        static ASKING: RefCell<Vec<TypeId>> = const { RefCell::new(Vec::new()) };
    }
    unless_reentered::<T, _>(&ASKING, usize::MAX, fields).unwrap_or(true)
}

/// Builds `T`'s shape unless it is already being built on this thread (a
/// type that contains itself without a struct field in between, such as
/// `struct Chain(Option<Box<Chain>>)`), or 64 shapes deep: then `T` is
/// opaque. Struct and variant fields are built lazily, so only newtypes and
/// containers need this.
pub fn guarded<T: ?Sized>(build: impl FnOnce() -> Shape) -> Shape {
    thread_local! {
        static BUILDING: RefCell<Vec<TypeId>> = const { RefCell::new(Vec::new()) };
    }
    unless_reentered::<T, _>(&BUILDING, 64, build).unwrap_or_else(|| Shape::opaque(std::any::type_name::<T>()))
}

/// Runs `body` with `T` on the thread's `stack`, or returns `None` when `T`
/// is on it already or the stack is `max` deep: how plan-time walks over
/// possibly recursive types terminate.
fn unless_reentered<T: ?Sized, R>(
    stack: &'static LocalKey<RefCell<Vec<TypeId>>>,
    max: usize,
    body: impl FnOnce() -> R,
) -> Option<R> {
    struct Pop(&'static LocalKey<RefCell<Vec<TypeId>>>);
    impl Drop for Pop {
        fn drop(&mut self) {
            self.0.with(|stack| stack.borrow_mut().pop());
        }
    }
    let id = typeid::of::<T>();
    let enter = stack.with(|stack| {
        let mut stack = stack.borrow_mut();
        let enter = stack.len() < max && !stack.contains(&id);
        if enter {
            stack.push(id);
        }
        enter
    });
    if !enter {
        return None;
    }
    let _pop = Pop(stack);
    Some(body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_type_names_drop_module_paths_in_every_segment() {
        assert_eq!(
            short_type_name("std::collections::HashMap<alloc::string::String, app::Plan>"),
            "HashMap<String, Plan>"
        );
        assert_eq!(short_type_name("&[u8; 4]"), "&[u8; 4]");
        assert_eq!(short_type_name("bool"), "bool");
    }

    #[test]
    fn transparent_wrappers_unwrap_to_the_type_they_hold() {
        assert_eq!(
            transparent_inner("core::option::Option<app::Shipping>"),
            "app::Shipping"
        );
        assert_eq!(
            transparent_inner("&alloc::boxed::Box<core::option::Option<alloc::sync::Arc<app::Shipping>>>"),
            "app::Shipping"
        );
        assert_eq!(
            transparent_inner("alloc::vec::Vec<app::Shipping>"),
            "alloc::vec::Vec<app::Shipping>"
        );
        assert_eq!(transparent_inner("app::Shipping"), "app::Shipping");
    }

    #[test]
    fn kinds_parse_case_insensitively_and_reject_unknown_names() {
        assert_eq!("DateTime".parse::<Kind>(), Ok(Kind::DateTime));
        assert_eq!("decimal".parse::<Kind>(), Ok(Kind::Decimal));
        let err = "integer_ish".parse::<Kind>().unwrap_err();
        assert!(err.contains("unknown kind `integer_ish`"), "{err}");
        for kind in Kind::ALL {
            assert_eq!(kind.name().parse::<Kind>(), Ok(kind));
        }
    }
}
