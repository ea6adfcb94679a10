//! The `ErrorType` impl of an enum: `error.type` names the variant
//! (`BillingError::CardDeclined`) when a wrapped method returns it as an
//! error. Its own stage: it reads only the enum's and its variants' idents.

use proc_macro2::TokenStream;
use quote::quote;

use crate::telemetry::model::{Container, Variant};

/// `impl ErrorType for Enum`, matching every variant to the static name
/// `Enum::Variant` (the Rust names: renames are for captured values).
pub(crate) fn error_type_impl(container: &Container, variants: &[Variant], private: &TokenStream) -> TokenStream {
    let ident = &container.ident;
    let (impl_generics, ty_generics, where_clause) = container.generics.split_for_impl();
    let arms = variants.iter().map(|variant| {
        let name = &variant.ident;
        let text = format!("{ident}::{}", syn::ext::IdentExt::unraw(name));
        quote!(Self::#name { .. } => #text,)
    });
    let body = if variants.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#arms)* })
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::ErrorType for #ident #ty_generics #where_clause {
            #[inline]
            fn error_type(&self) -> &'static str {
                #body
            }
        }
    }
}
