//! What is emitted next to the errors for an invalid input: impls that keep
//! the rest of the user's crate compiling, so the only errors are the real
//! ones (no "`Capture` is not implemented" wherever the type is used).

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;

use crate::telemetry::expand::telemetry_struct_impl;

/// A `Capture` impl with an opaque shape and nothing recorded, and the
/// `TelemetryStruct` marker when the input is a struct the valid expansion
/// would mark.
pub(crate) fn fallback(input: &syn::DeriveInput) -> TokenStream {
    let krate = crate_path(input);
    let private = quote!(#krate::__private);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let marker = match &input.data {
        syn::Data::Struct(data) if !is_newtype(&data.fields) => telemetry_struct_impl(ident, &input.generics, &private),
        _ => TokenStream::new(),
    };
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Capture for #ident #ty_generics #where_clause {
                fn shape() -> #private::Shape {
                    #private::Shape::opaque(#private::type_name::<Self>())
                }

                fn record<'__v>(&'__v self, __out: #private::Out<'_, '__v>) {}
            }

            #marker
        };
    }
}

fn is_newtype(fields: &syn::Fields) -> bool {
    matches!(fields, syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1)
}

/// `crate = path` read leniently from the raw attributes (the model could
/// not be read): the default when it is absent or unreadable.
fn crate_path(input: &syn::DeriveInput) -> syn::Path {
    input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("telemetry"))
        .filter_map(|attr| {
            attr.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .find_map(|meta| match meta {
            syn::Meta::NameValue(pair) if pair.path.is_ident("crate") => match pair.value {
                syn::Expr::Path(path) => Some(path.path),
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => text.parse().ok(),
                _ => None,
            },
            _ => None,
        })
        .unwrap_or_else(|| syn::parse_quote!(::caci_core))
}
