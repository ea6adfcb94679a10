//! The derive input as darling reads it: the type, its fields and variants,
//! and their `#[telemetry(...)]` attributes.

use darling::util::{Flag, SpannedValue};
use darling::{FromDeriveInput, FromField, FromMeta, FromVariant, ast};
use proc_macro2::Span;
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use crate::case::RenameRule;
use crate::telemetry::error_at;

/// The type deriving `Telemetry`.
#[derive(FromDeriveInput)]
#[darling(attributes(telemetry))]
pub(crate) struct Container {
    pub(crate) ident: syn::Ident,
    pub(crate) generics: syn::Generics,
    pub(crate) data: Body,
    /// `rename_all = "..."`: renames struct fields, or enum variants.
    pub(crate) rename_all: Option<SpannedValue<RenameRule>>,
    /// `crate = path`: where `caci_core` is, for re-exporting crates.
    #[darling(rename = "crate")]
    pub(crate) krate: Option<syn::Path>,
    /// `sensitive`: no value of the type is ever captured, wherever it is
    /// used, and its fields need not be capturable.
    pub(crate) sensitive: darling::util::Flag,
}

/// A struct's fields or an enum's variants.
pub(crate) enum Body {
    Struct(ast::Fields<Field>),
    Enum(Vec<Variant>),
}

impl TryFrom<&syn::Data> for Body {
    type Error = darling::Error;

    fn try_from(data: &syn::Data) -> darling::Result<Self> {
        match data {
            syn::Data::Union(union) => Err(error_at(
                union.union_token.span,
                "`#[derive(Telemetry)]` does not support unions: which field holds the value \
                 is not known. Capture it through a struct or enum that knows, or implement \
                 `Capture` by hand",
            )),
            syn::Data::Struct(data) => Ok(Body::Struct(ast::Fields::try_from(&data.fields)?)),
            syn::Data::Enum(data) => {
                let mut errors = darling::Error::accumulator();
                let variants = data
                    .variants
                    .iter()
                    .filter_map(|variant| errors.handle(Variant::from_variant(variant)))
                    .collect();
                errors.finish_with(Body::Enum(variants))
            }
        }
    }
}

/// An enum variant.
#[derive(FromVariant)]
#[darling(attributes(telemetry))]
pub(crate) struct Variant {
    pub(crate) ident: syn::Ident,
    pub(crate) fields: ast::Fields<Field>,
    /// `rename = "..."`: the name the variant is captured as.
    pub(crate) rename: Option<SpannedValue<CapturedName>>,
}

/// A field of a struct or of a variant.
#[derive(FromField)]
#[darling(attributes(telemetry), and_then = checked_field)]
pub(crate) struct Field {
    pub(crate) ident: Option<syn::Ident>,
    pub(crate) ty: syn::Type,
    /// Left out of the shape entirely.
    pub(crate) skip: Flag,
    /// The name the field is captured under.
    pub(crate) rename: Option<SpannedValue<CapturedName>>,
    /// Its own fields appear at its parent's level.
    pub(crate) flatten: Flag,
    /// In the shape, never captured; its type need not be capturable.
    pub(crate) sensitive: Flag,
    /// Captured as a string, through its type's `Display`.
    pub(crate) display: Flag,
    /// Captured as what this function (`fn(&T) -> R`, `R: Capture`)
    /// returns for it.
    pub(crate) with: Option<FunctionPath>,
}

/// The function `with` names: `with = "amount::as_cents"` (or without the
/// quotes), spanned at the user's tokens.
pub(crate) struct FunctionPath(pub(crate) syn::Path);

impl FromMeta for FunctionPath {
    fn from_string(value: &str) -> darling::Result<Self> {
        syn::parse_str::<syn::Path>(value).map(FunctionPath).map_err(|_| {
            darling::Error::custom(format!(
                "`with` takes the path of a function from `&FieldType` to a capturable value, such as \
                 `with = \"amount::as_cents\"`; `{value}` is not a path"
            ))
        })
    }

    fn from_expr(expr: &syn::Expr) -> darling::Result<Self> {
        match expr {
            syn::Expr::Path(path) if path.qself.is_none() => Ok(FunctionPath(path.path.clone())),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) => {
                // Parsed at the literal, so errors about the function point there.
                let parsed = Self::from_string(&text.value())?;
                let path = text.parse::<syn::Path>().unwrap_or(parsed.0);
                Ok(FunctionPath(path))
            }
            _ => Self::from_string(&quote::ToTokens::to_token_stream(expr).to_string()),
        }
        .map_err(|error| error.with_span(expr))
    }
}

/// How a recorded field's value reaches `Out`.
pub(crate) enum Via<'a> {
    /// Its type's own `Capture` impl.
    Capture,
    /// `#[telemetry(display)]`: its `Display`, as a string.
    Display,
    /// `#[telemetry(with = "...")]`: the value the function returns.
    With(&'a syn::Path),
}

/// A name given with `rename`: one non-empty path segment.
pub(crate) struct CapturedName(pub(crate) String);

impl FromMeta for CapturedName {
    fn from_string(value: &str) -> darling::Result<Self> {
        if value.is_empty() {
            return Err(darling::Error::custom("a captured name cannot be empty"));
        }
        if value.contains('.') {
            return Err(darling::Error::custom(format!(
                "a captured name cannot contain `.`, which separates the segments of a \
                 captured path (`{value}` would read as a nested field)"
            )));
        }
        Ok(CapturedName(value.to_owned()))
    }
}

impl FromMeta for RenameRule {
    fn from_string(value: &str) -> darling::Result<Self> {
        RenameRule::parse(value).map_err(darling::Error::custom)
    }
}

impl Container {
    /// `rename_all`, without its span.
    pub(crate) fn rule(&self) -> Option<RenameRule> {
        self.rename_all.as_ref().map(|rule| **rule)
    }

    /// The path generated code reaches `caci_core` through.
    pub(crate) fn krate(&self) -> syn::Path {
        self.krate.clone().unwrap_or_else(|| syn::parse_quote!(::caci_core))
    }
}

impl Variant {
    /// The name the variant is captured as: `rename`, else the enum's
    /// `rename_all` applied to its identifier.
    pub(crate) fn captured_name(&self, rule: Option<RenameRule>) -> String {
        captured_name(self.rename.as_ref(), &self.ident.unraw().to_string(), rule)
    }

    /// Where errors about the variant's name point.
    pub(crate) fn name_span(&self) -> Span {
        self.rename
            .as_ref()
            .map_or_else(|| self.ident.span(), |rename| rename.span())
    }
}

impl Field {
    /// The name the field is captured under: `rename`, else `rule` applied to
    /// its identifier, else its position for an unnamed field.
    pub(crate) fn captured_name(&self, position: usize, rule: Option<RenameRule>) -> String {
        match &self.ident {
            Some(ident) => captured_name(self.rename.as_ref(), &ident.unraw().to_string(), rule),
            None => captured_name(self.rename.as_ref(), &position.to_string(), None),
        }
    }

    /// Where errors about the field's name point.
    pub(crate) fn name_span(&self) -> Span {
        match (&self.rename, &self.ident) {
            (Some(rename), _) => rename.span(),
            (None, Some(ident)) => ident.span(),
            (None, None) => self.ty.span(),
        }
    }

    /// Whether the field is in the shape.
    pub(crate) fn is_in_shape(&self) -> bool {
        !self.skip.is_present()
    }

    /// Whether the field's value is offered to `Out` (in the shape, and not
    /// sensitive).
    pub(crate) fn is_recorded(&self) -> bool {
        self.is_in_shape() && !self.sensitive.is_present()
    }

    /// How the field's value is recorded.
    pub(crate) fn via(&self) -> Via<'_> {
        match &self.with {
            Some(path) => Via::With(&path.0),
            None if self.display.is_present() => Via::Display,
            None => Via::Capture,
        }
    }

    /// The attributes the field carries, with their spans, in a fixed order.
    pub(crate) fn attributes(&self) -> Vec<(&'static str, Span)> {
        let mut present = Vec::new();
        for (name, flag) in [
            ("skip", self.skip),
            ("flatten", self.flatten),
            ("sensitive", self.sensitive),
            ("display", self.display),
        ] {
            if flag.is_present() {
                present.push((name, flag.span()));
            }
        }
        if let Some(path) = &self.with {
            present.push(("with", path.0.span()));
        }
        if let Some(rename) = &self.rename {
            present.push(("rename", rename.span()));
        }
        present
    }
}

fn captured_name(rename: Option<&SpannedValue<CapturedName>>, written: &str, rule: Option<RenameRule>) -> String {
    match (rename, rule) {
        (Some(rename), _) => rename.0.clone(),
        (None, Some(rule)) => rule.apply(written),
        (None, None) => written.to_owned(),
    }
}

/// Attributes that contradict each other on one field.
fn checked_field(field: Field) -> darling::Result<Field> {
    let mut errors = darling::Error::accumulator();
    if field.skip.is_present() {
        for (name, span) in field.attributes() {
            let why = match name {
                "sensitive" => {
                    "keep `skip` to leave the field out of the shape, or `sensitive` to list it \
                     as never captured"
                }
                "flatten" => "a skipped field's own fields are left out with it",
                "rename" => "a skipped field is not captured under any name",
                "display" | "with" => "a skipped field is not captured at all",
                _ => continue,
            };
            errors.push(error_at(
                span,
                format!("`{name}` cannot be combined with `skip`: {why}"),
            ));
        }
        return errors.finish_with(field);
    }
    if let (Some(path), true) = (&field.with, field.display.is_present()) {
        errors.push(error_at(
            path.0.span(),
            "`with` cannot be combined with `display`: `display` captures the field's `Display` text, \
             `with` the value the function returns for it; keep one",
        ));
    }
    for (name, span) in field.attributes() {
        if !matches!(name, "display" | "with") {
            continue;
        }
        if field.sensitive.is_present() {
            errors.push(error_at(
                span,
                format!(
                    "`{name}` cannot be combined with `sensitive`: a sensitive field is never captured, \
                     so it is neither formatted nor converted"
                ),
            ));
        }
        if field.flatten.is_present() {
            errors.push(error_at(
                span,
                format!(
                    "`{name}` cannot be combined with `flatten`: `flatten` puts the field's own struct \
                     fields at its parent's level, `{name}` captures something else in their place"
                ),
            ));
        }
    }
    if field.flatten.is_present() {
        if field.sensitive.is_present() {
            errors.push(error_at(
                field.flatten.span(),
                "`flatten` cannot be combined with `sensitive`: a sensitive field is never \
                 captured, so none of its fields may appear at its parent's level",
            ));
        }
        if let Some(rename) = &field.rename {
            errors.push(error_at(
                rename.span(),
                "`rename` cannot be combined with `flatten`: a flattened field's own name is \
                 not part of any captured path",
            ));
        }
    }
    errors.finish_with(field)
}
