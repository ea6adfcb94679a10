//! Procedural macros for CACI. Use them through `caci-core`, which
//! re-exports them.

mod case;
mod telemetry;
mod type_string;

use proc_macro::TokenStream;

/// Derives `caci_core::Capture`: the type's static shape, and a visit of a
/// value that offers each leaf to the call site's plan.
///
/// ```
/// use caci_core::{Capture, ShapeBody, Telemetry};
///
/// #[derive(Telemetry)]
/// struct BusinessId(uuid::Uuid); // a newtype: captured as its UUID
///
/// #[derive(Telemetry)]
/// #[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
/// enum Plan {
///     Starter, // "STARTER"
///     #[telemetry(rename = "LEGACY_V1")]
///     Legacy, // "LEGACY_V1"
/// }
///
/// #[derive(Telemetry)]
/// struct Address {
///     country: String,
/// }
///
/// #[derive(Telemetry)]
/// struct Business {
///     id: BusinessId, // business.id
///     plan: Plan,     // business.plan
///     #[telemetry(rename = "group")]
///     feature_group: String, // business.group
///     #[telemetry(flatten)]
///     address: Address, // business.country
///     #[telemetry(sensitive)]
///     tax_reference: String, // in the shape, never captured
///     #[telemetry(skip)]
///     cache: Vec<u8>, // not in the shape at all
/// }
///
/// #[derive(Telemetry)]
/// enum Payment {
///     Card { last4: String }, // payment = "Card", payment.last4
///     Transfer(String),       // payment = "Transfer", payment.0
///     Cash,                   // payment = "Cash"
/// }
///
/// let ShapeBody::Struct(fields) = Business::shape().body else { unreachable!() };
/// let names: Vec<_> = fields.iter().map(|field| field.name).collect();
/// assert_eq!(names, ["id", "plan", "group", "address", "tax_reference"]);
/// assert!(fields[3].flatten && fields[4].sensitive);
/// ```
///
/// Which of these leaves a span records is the configuration's decision;
/// the derive only describes them.
///
/// # Shapes
///
/// - **Struct with named fields**: one field per Rust field, in order, named
///   as written (`r#type` is `type`).
/// - **Newtype** (`struct BusinessId(Uuid)`): the inner value's shape under
///   the newtype's type name, so `allow_kind(Kind::Uuid)` covers it.
/// - **Tuple struct** with two or more fields: fields named by position,
///   `"0"`, `"1"`, … (a skipped field keeps its number unused).
/// - **Unit struct**: a struct with no fields.
/// - **Enum**: the variant's name, and the variant's fields named as a
///   struct's would be (unnamed ones by position). A value records only the
///   fields of the variant it holds.
/// - **Generics**: each type parameter used by a captured field's type must
///   implement `Capture`; parameters used only by `skip` or `sensitive`
///   fields need not.
///
/// # Attributes
///
/// | Where | Attribute | Effect |
/// |---|---|---|
/// | type | `rename_all = "..."` | renames a struct's fields, or an enum's variants: `snake_case`, `camelCase`, `PascalCase`, `SCREAMING_SNAKE_CASE`, `kebab-case`, `SCREAMING-KEBAB-CASE`, `lowercase`, `UPPERCASE` |
/// | type | `crate = path` | where `caci_core` is, for crates that re-export it (default `::caci_core`) |
/// | variant | `rename = "..."` | the name the variant is captured as |
/// | field | `rename = "..."` | the name the field is captured under |
/// | field | `skip` | leaves the field out of the shape; its type need not implement `Capture` |
/// | field | `sensitive` | keeps the field in the shape but never captures it, whatever the configuration allows; its type need not implement `Capture` |
/// | field | `flatten` | puts the fields of this struct-typed field at its parent's level (`business.country`, not `business.address.country`) |
///
/// `rename` wins over `rename_all`. `flatten` needs a struct that derives
/// `Telemetry`, on a named field or on the only field of a tuple variant.
/// `skip` goes with no other field attribute, `flatten` with neither
/// `sensitive` nor `rename`, and a newtype's field takes none (mark the
/// fields that hold the newtype instead). Captured names are non-empty,
/// contain no `.`, and are unique within their struct, variant or enum.
///
/// # Errors
///
/// Every problem in one item is reported at once, at the offending tokens.
/// The type then still gets a `Capture` impl that captures nothing, so the
/// code that uses it reports no further errors.
#[proc_macro_derive(Telemetry, attributes(telemetry))]
pub fn derive_telemetry(input: TokenStream) -> TokenStream {
    telemetry::derive(input.into()).into()
}
