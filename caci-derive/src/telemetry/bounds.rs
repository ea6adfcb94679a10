//! The generics of the generated `Capture` impl: the user's, plus a
//! `Capture` bound on each type parameter that a captured field's type uses.

use darling::usage::{GenericsExt as _, IdentSet, Purpose, UsesTypeParams as _};
use proc_macro2::TokenStream;

use crate::telemetry::model::{Body, Container, Field, Via};

/// The user's generics and where clause, with the bounds the impl needs.
///
/// Sensitive and skipped fields add none: their types need not be
/// capturable. A `display` field whose type uses a type parameter requires
/// that type to be `Display`; a `with` field adds nothing (the function's
/// signature says what it takes). A flattened field whose type uses a type parameter also
/// requires that type to be a `TelemetryStruct`.
pub(crate) fn capture_generics(container: &Container, private: &TokenStream) -> syn::Generics {
    let mut generics = container.generics.clone();
    let declared = generics.declared_type_params();
    let options = Purpose::BoundImpl.into();
    let mut used = IdentSet::default();
    let mut flattened = Vec::new();
    let mut displayed = Vec::new();
    for field in recorded_fields(container) {
        let uses = field.ty.uses_type_params_cloned(&options, &declared);
        match field.via() {
            // The function's signature says what it takes.
            Via::With(_) => continue,
            Via::Display if !uses.is_empty() => displayed.push(&field.ty),
            Via::Display => {}
            Via::Capture => {
                if field.flatten.is_present() && !uses.is_empty() {
                    flattened.push(&field.ty);
                }
                used.extend(uses);
            }
        }
    }
    // Declaration order keeps the output stable.
    let params: Vec<syn::Ident> = container
        .generics
        .type_params()
        .filter(|param| used.contains(&param.ident))
        .map(|param| param.ident.clone())
        .collect();
    if params.is_empty() && flattened.is_empty() && displayed.is_empty() {
        return generics;
    }
    let predicates = &mut generics.make_where_clause().predicates;
    for param in params {
        predicates.push(syn::parse_quote!(#param: #private::Capture));
    }
    for ty in flattened {
        predicates.push(syn::parse_quote!(#ty: #private::TelemetryStruct));
    }
    for ty in displayed {
        predicates.push(syn::parse_quote!(#ty: ::core::fmt::Display));
    }
    generics
}

fn recorded_fields(container: &Container) -> Vec<&Field> {
    let fields: Vec<&Field> = match &container.data {
        Body::Struct(fields) => fields.iter().collect(),
        Body::Enum(variants) => variants.iter().flat_map(|variant| variant.fields.iter()).collect(),
    };
    fields.into_iter().filter(|field| field.is_recorded()).collect()
}
