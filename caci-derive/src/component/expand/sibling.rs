//! Sync functions outside trait impls: the original body moves, unchanged,
//! into a private sibling function, and the traced path into a second one,
//! out of line. The function left in place is a level check and a call, so
//! a disabled call costs about what a bare call does, and the body is
//! compiled as an ordinary function (native `return`, `?` and
//! `#[track_caller]`).
//!
//! An `async fn` gets `async` siblings: the level is checked at the first
//! poll, and a disabled call awaits the original body's future directly.
//!
//! A trait impl cannot take extra methods, and returned futures, `impl
//! Trait` arguments (which forbid a turbofish) and `impl Trait` return types
//! (each function's is its own type) keep the in-place wrapping of
//! [`in_place`](super::in_place).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt as _;

use crate::component::expand::builders::{self, Names};
use crate::component::expand::{Place, plain_pattern, replace_body, site};
use crate::component::model::{Binding, Method, Output};
use crate::component::types;

/// Whether `method` is wrapped through siblings.
pub(crate) fn applies(method: &Method, sig: &syn::Signature, place: Place) -> bool {
    place != Place::TraitImpl
        && !matches!(method.output, Output::Future { .. })
        && sig.variadic.is_none()
        && !method.inputs.iter().any(|input| types::mentions_impl_trait(&input.ty))
        && !returns_impl_trait(sig)
}

/// Each function's `impl Trait` is its own opaque type: the function could
/// not return either sibling's.
fn returns_impl_trait(sig: &syn::Signature) -> bool {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => types::mentions_impl_trait(ty),
        syn::ReturnType::Default => false,
    }
}

/// Rewrites the function into the level check and returns its two
/// siblings.
pub(crate) fn wrap(
    method: &Method,
    attrs: &[syn::Attribute],
    sig: &mut syn::Signature,
    block: &mut syn::Block,
    place: Place,
) -> TokenStream {
    // Two prefixes that differ at their first letter: no method's siblings
    // can take another's names (`x`'s traced sibling is not `traced_x`'s
    // body).
    let name = sig.ident.unraw();
    let plain_ident = format_ident!("__caci_body_{}", name, span = Span::mixed_site());
    let traced_ident = format_ident!("__caci_traced_{}", name, span = Span::mixed_site());
    let carried: Vec<&syn::Attribute> = attrs.iter().filter(|attr| carried(attr)).collect();

    let mut plain_sig = sig.clone();
    plain_sig.ident = plain_ident.clone();
    let original = &*block;
    let plain = quote! {
        #(#carried)*
        #[inline]
        #[doc(hidden)]
        #[allow(dead_code)]
        #plain_sig #original
    };

    plain_parameters(method, sig);
    let plain_call = awaited(method, call(method, sig, &plain_ident, place));
    let mut traced_sig = sig.clone();
    traced_sig.ident = traced_ident.clone();
    let traced_body = traced_body(method, &plain_call);
    let traced = quote! {
        #(#carried)*
        #[inline(never)]
        #[doc(hidden)]
        #[allow(dead_code, unused_unsafe)]
        #traced_sig {
            #traced_body
        }
    };

    let level_enabled = site::level_enabled(method, false);
    let traced_call = awaited(method, call(method, sig, &traced_ident, place));
    replace_body(
        block,
        quote! {
            if #level_enabled { #traced_call } else { #plain_call }
        },
    );
    quote! {
        #plain
        #traced
    }
}

/// The traced sibling's body: open the span (the caller checked the level),
/// call the plain sibling inside it, finish.
fn traced_body(method: &Method, plain_call: &TokenStream) -> TokenStream {
    let names = Names::new();
    let Names {
        call, result, entered, ..
    } = &names;
    let p = &method.private;
    let open = builders::open(method, &names, false);
    // Called directly inside the entered span, with no closure: a
    // `#[track_caller]` location passes through.
    let run = if method.is_async {
        let span = builders::span(&names);
        quote!(#p::Instrument::instrument(async move { #plain_call }, #span).await)
    } else {
        quote!({
            let #entered = #call.enter();
            { #plain_call }
        })
    };
    let ty = match &method.output {
        Output::Never => {
            return quote! {
                #open
                #run
            };
        }
        Output::Value(ty) => ty,
        // `applies` keeps returned futures in place; a future is a value here.
        Output::Future { declared, .. } => declared,
    };
    // `()` is no `Result`: nothing to look at.
    let finish = if types::is_unit(ty) {
        quote!(#call.finish_ok(::core::option::Option::None))
    } else {
        builders::finish(method, &quote!(&#result), &names)
    };
    quote! {
        #open
        let #result = #run;
        #finish;
        #result
    }
}

/// `call.await` in an `async fn`: the siblings are `async fn`s too.
fn awaited(method: &Method, call: TokenStream) -> TokenStream {
    if method.is_async { quote!(#call.await) } else { call }
}

/// Attributes the siblings share with the function: `cfg` (they exist when
/// it does), lint levels, `track_caller` (the three call each other
/// directly, so a location passes through to the body) and `target_feature`
/// (the body is compiled with the features it was written for, and the
/// function may call its siblings). Not `cfg_attr`: it can expand to
/// anything, another instrumentation attribute included.
fn carried(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    [
        "cfg",
        "allow",
        "warn",
        "deny",
        "forbid",
        "expect",
        "track_caller",
        "target_feature",
    ]
    .iter()
    .any(|name| path.is_ident(name))
}

/// The function's parameters as plain names (patterns renamed, `mut` and
/// `ref` dropped): they are only passed on.
fn plain_parameters(method: &Method, sig: &mut syn::Signature) {
    let mut bindings = method.inputs.iter().map(|input| &input.binding);
    for arg in &mut sig.inputs {
        match arg {
            syn::FnArg::Receiver(receiver) => {
                receiver.mutability = None;
            }
            syn::FnArg::Typed(typed) => {
                let Some(binding) = bindings.next() else { continue };
                *typed.pat = plain_pattern(match binding {
                    Binding::Ident(ident) => ident,
                    Binding::Pattern { renamed, .. } => renamed,
                });
            }
        }
    }
}

/// `Self::sibling::<T, N>(self, a, b)` (or `sibling(a, b)` for a free
/// function), inside `unsafe { }` for an `unsafe fn`.
fn call(method: &Method, sig: &syn::Signature, sibling: &syn::Ident, place: Place) -> TokenStream {
    let arguments = sig.inputs.iter().map(|arg| match arg {
        syn::FnArg::Receiver(receiver) => {
            let token = receiver.self_token;
            quote!(#token)
        }
        syn::FnArg::Typed(typed) => match &*typed.pat {
            syn::Pat::Ident(pat) => {
                let ident = &pat.ident;
                quote!(#ident)
            }
            other => quote!(#other),
        },
    });
    let generics: Vec<TokenStream> = sig
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            syn::GenericParam::Type(param) => {
                let ident = &param.ident;
                Some(quote!(#ident))
            }
            syn::GenericParam::Const(param) => {
                let ident = &param.ident;
                Some(quote!(#ident))
            }
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    let turbofish = if generics.is_empty() {
        TokenStream::new()
    } else {
        quote!(::<#(#generics),*>)
    };
    let path = match place {
        Place::FreeFunction => quote!(#sibling #turbofish),
        Place::InherentImpl | Place::TraitImpl => quote!(Self::#sibling #turbofish),
    };
    let call = quote!(#path(#(#arguments),*));
    match method.unsafe_token {
        Some(_) => quote!(unsafe { #call }),
        None => call,
    }
}
