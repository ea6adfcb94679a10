//! The three builders every wrapping is made of, shared by the in-place
//! path ([`in_place`](super::in_place)) and the traced sibling
//! ([`sibling`](super::sibling)): [`open`] the call's span, run the body
//! (each path its own way), [`finish`] the call with its outcome.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::component::expand::site;
use crate::component::model::Method;

/// The hygienic names the wrapper binds: invisible to the user's body.
pub(crate) struct Names {
    pub(crate) call: syn::Ident,
    pub(crate) entered: syn::Ident,
    pub(crate) result: syn::Ident,
    pub(crate) future: syn::Ident,
    pub(crate) ret: syn::Ident,
    pub(crate) ok: syn::Ident,
    pub(crate) err: syn::Ident,
}

impl Names {
    pub(crate) fn new() -> Names {
        let ident = |name: &str| syn::Ident::new(name, Span::mixed_site());
        Names {
            call: ident("__caci_call"),
            entered: ident("__caci_entered"),
            result: ident("__caci_result"),
            future: ident("__caci_future"),
            ret: ident("__caci_ret"),
            ok: ident("__caci_ok"),
            err: ident("__caci_err"),
        }
    }
}

/// The call site's items and `let __caci_call = …;`. `check_level`: the
/// level is checked here (in place), not by a caller (a sibling's).
pub(crate) fn open(method: &Method, names: &Names, check_level: bool) -> TokenStream {
    let p = &method.private;
    let call = &names.call;
    let items = site::items(method);
    let start = site::start(method);
    let start = if check_level {
        let level_enabled = site::level_enabled(method, true);
        // Checked before any value is probed: a disabled call costs the
        // gate's load and branch.
        quote!(if #level_enabled { #start } else { #p::MethodCall::disabled() })
    } else {
        site::level_in_sibling(method, start)
    };
    quote! {
        #items
        let #call = #start;
    }
}

/// The call's span, for instrumenting a future.
pub(crate) fn span(names: &Names) -> TokenStream {
    let call = &names.call;
    quote!(::core::clone::Clone::clone(#call.span()))
}

/// Finishes `__caci_call` with the outcome of the value `result` refers to:
/// `error` for an `Err`, `ok` otherwise, with the output when captured.
pub(crate) fn finish(method: &Method, result: &TokenStream, names: &Names) -> TokenStream {
    let p = &method.private;
    let Names { call, ok, err, .. } = names;
    let (ok_pattern, output) = if method.captures_output {
        let erased = quote! {{
            #[allow(unused_imports)]
            use #p::{ViaCapture as _, ViaOpaque as _};
            (&#p::Probe(#ok)).caci_erase()
        }};
        (quote!(#ok), erased)
    } else {
        (quote!(_), quote!(::core::option::Option::None))
    };
    quote! {
        match {
            #[allow(unused_imports)]
            use #p::{ViaResult as _, ViaValue as _};
            (&#p::Probe(#result)).caci_outcome()
        } {
            ::core::result::Result::Ok(#ok_pattern) => #call.finish_ok(#output),
            ::core::result::Result::Err(#err) => {
                #[allow(unused_imports)]
                use #p::{
                    FinishVia0 as _, FinishVia1 as _, FinishVia2 as _, FinishVia3 as _,
                    FinishVia4 as _, FinishVia5 as _, FinishVia6 as _, FinishVia7 as _,
                };
                ((&&&&&&&&#p::ErrorProbe(#err)).caci_finish_error())(#call, #err)
            }
        }
    }
}
