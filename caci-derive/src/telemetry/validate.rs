//! Checks beyond what darling's attribute parsing enforces.
//!
//! [`container`] needs the whole model and runs once it has been read (the
//! conflicts of one field's own attributes are the model's, checked as the
//! field is read, so they are reported with unknown attributes).

use std::collections::HashMap;

use proc_macro2::Span;
use quote::ToTokens as _;

use crate::case::RenameRule;
use crate::telemetry::error_at;
use crate::telemetry::model::{Body, Container, Field};

/// Checks that need the whole type: newtype fields, `flatten` on unnamed
/// fields, `rename_all` on a struct without named fields, and names captured
/// twice.
pub(crate) fn container(container: &Container) -> darling::Result<()> {
    let mut errors = darling::Error::accumulator();
    let type_name = &container.ident;
    match &container.data {
        Body::Struct(fields) => {
            if let [field] = fields.fields.as_slice()
                && fields.style.is_tuple()
            {
                // `display` and `with` say how the one field is captured,
                // which is how the newtype is.
                let attributes = field.attributes().into_iter();
                for (name, span) in attributes.filter(|(name, _)| !matches!(*name, "display" | "with")) {
                    errors.push(error_at(
                        span,
                        format!(
                            "`{name}` is not supported on the field of a newtype: `{type_name}` \
                             is captured as its inner value. Put `#[telemetry({name})]` on the \
                             fields that hold a `{type_name}` instead"
                        ),
                    ));
                }
            } else {
                no_unnamed_flatten(&fields.fields, &mut errors);
            }
            if let Some(rule) = &container.rename_all
                && !fields.style.is_struct()
            {
                errors.push(error_at(
                    rule.span(),
                    format!(
                        "`rename_all` renames named fields, and `{type_name}` has none \
                         (rename an unnamed field with `#[telemetry(rename = \"...\")]`)"
                    ),
                ));
            }
            no_field_captured_twice(&fields.fields, container.rule(), &mut errors);
        }
        Body::Enum(variants) => {
            let names = variants.iter().map(|variant| {
                (
                    variant.captured_name(container.rule()),
                    variant.ident.to_string(),
                    variant.name_span(),
                )
            });
            no_name_twice("variants", names, &mut errors);
            for variant in variants {
                // The one field of a tuple variant has nothing at its level
                // to clash with, so it may be flattened.
                if variant.fields.len() > 1 {
                    no_unnamed_flatten(&variant.fields.fields, &mut errors);
                }
                no_field_captured_twice(&variant.fields.fields, None, &mut errors);
            }
        }
    }
    errors.finish()
}

fn no_unnamed_flatten(fields: &[Field], errors: &mut darling::error::Accumulator) {
    for field in fields {
        if field.flatten.is_present() && field.ident.is_none() {
            errors.push(error_at(
                field.flatten.span(),
                "`flatten` needs a named field, or the only field of a tuple variant: an \
                 unnamed field's siblings are captured by position",
            ));
        }
    }
}

fn no_field_captured_twice(fields: &[Field], rule: Option<RenameRule>, errors: &mut darling::error::Accumulator) {
    let names = fields
        .iter()
        .enumerate()
        // A flattened field's own name is in no path.
        .filter(|(_, field)| field.is_in_shape() && !field.flatten.is_present())
        .map(|(position, field)| {
            let written = field
                .ident
                .as_ref()
                .map_or_else(|| position.to_string(), |ident| ident.to_token_stream().to_string());
            (field.captured_name(position, rule), written, field.name_span())
        });
    no_name_twice("fields", names, errors);
}

/// Reports each name after its first use, at the later item.
fn no_name_twice(
    what: &str,
    names: impl Iterator<Item = (String, String, Span)>,
    errors: &mut darling::error::Accumulator,
) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (captured, written, span) in names {
        match seen.get(&captured) {
            Some(first) => errors.push(error_at(
                span,
                format!(
                    "two {what} are captured as `{captured}` (`{first}` and `{written}`); \
                     rename one of them"
                ),
            )),
            None => {
                seen.insert(captured, written);
            }
        }
    }
}
