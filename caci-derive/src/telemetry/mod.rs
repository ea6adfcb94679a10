//! `#[derive(Telemetry)]`: read the input ([`model`]), check it
//! ([`validate`]), then generate the impls ([`expand`]), or on error the
//! errors and a [`fallback`].

mod bounds;
mod error_type;
mod expand;
mod fallback;
mod model;
mod validate;

#[cfg(test)]
mod tests;

use darling::FromDeriveInput as _;
use proc_macro2::{Span, TokenStream};

/// The derive over `proc_macro2` tokens.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<syn::DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let checked = model::Container::from_derive_input(&input)
        .and_then(|container| validate::container(&container).map(|()| container));
    match checked {
        Ok(container) => expand::expand(&container),
        Err(errors) => {
            let mut output = errors.write_errors();
            output.extend(fallback::fallback(&input));
            output
        }
    }
}

/// An error at `span`.
pub(crate) fn error_at(span: Span, message: impl std::fmt::Display) -> darling::Error {
    syn::Error::new(span, message).into()
}
