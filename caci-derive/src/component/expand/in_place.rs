//! Wrapping in place (trait impls, returned futures, `impl Trait`): the
//! original body runs inside the span in a closure or an instrumented
//! future (unchanged: `return` and `?` keep their meaning).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::component::expand::builders::{Names, finish, open, span};
use crate::component::model::{Binding, Method, Output};
use crate::component::types;

/// The new body of `method`, wrapped in place: open the span, run the
/// original `block` in it (a closure, or an instrumented future), finish.
pub(crate) fn body(method: &Method, block: &syn::Block) -> TokenStream {
    let names = Names::new();
    let Names {
        call, result, future, ..
    } = &names;
    let p = &method.private;
    let open = open(method, &names, true);
    let span = span(&names);
    let run_sync = |inner: &TokenStream, diverges: bool| {
        if diverges {
            quote!(#call.in_scope(move || -> ! #inner))
        } else {
            quote!(#call.in_scope(move || #inner))
        }
    };
    match &method.output {
        Output::Never => {
            let inner = original(method, block, None, &names);
            let run = if method.is_async {
                quote!(#p::Instrument::instrument(async move #inner, #span).await)
            } else {
                run_sync(&inner, true)
            };
            quote! {
                #open
                #run
            }
        }
        Output::Value(ty) => {
            let inner = original(method, block, Some(ty), &names);
            let run = if method.is_async {
                quote!(#p::Instrument::instrument(async move #inner, #span).await)
            } else {
                run_sync(&inner, false)
            };
            // `()` is no `Result`: nothing to look at.
            let finish = if types::is_unit(ty) {
                quote!(#call.finish_ok(::core::option::Option::None))
            } else {
                finish(method, &quote!(&#result), &names)
            };
            quote! {
                #open
                let #result = #run;
                #finish;
                #result
            }
        }
        Output::Future {
            declared,
            output,
            boxed,
        } => {
            let inner = original(method, block, Some(declared), &names);
            let finish = finish(method, &quote!(#result), &names);
            let param = match output.as_ref().and_then(types::in_body) {
                Some(ty) => quote!(#result: &#ty),
                None => quote!(#result),
            };
            let mut instrumented = quote! {
                #p::instrument_future(#call, #future, |#call: #p::MethodCall, #param| #finish)
            };
            if *boxed {
                instrumented = quote!(::std::boxed::Box::pin(#instrumented));
            }
            quote! {
                #open
                let #future = #call.in_scope(move || #inner);
                #instrumented
            }
        }
    }
}

/// The original body as a block returning `ty` (`None`: diverging):
/// destructuring pattern parameters first, inside `unsafe` for an
/// `unsafe fn`.
///
/// The `if let .. = None::<R>` fixes the block's return type before the body
/// runs, so `?` and `return` infer as they do in the function (the trick
/// `async-trait` uses); `let __caci_ret: R` coerces the tail expression.
fn original(method: &Method, block: &syn::Block, ty: Option<&syn::Type>, names: &Names) -> TokenStream {
    let ret = &names.ret;
    let destructure: Vec<TokenStream> = method
        .inputs
        .iter()
        .filter_map(|input| match &input.binding {
            Binding::Pattern { pat, renamed } => Some(quote!(let #pat = #renamed;)),
            Binding::Ident(_) => None,
        })
        .collect();
    let (allow, block) = match method.unsafe_token {
        Some(unsafe_token) => (
            quote!(#[allow(unused_unsafe)]),
            quote_spanned!(unsafe_token.span=> unsafe #block),
        ),
        None => (TokenStream::new(), quote!(#block)),
    };
    let Some(ty) = ty else {
        return quote!({
            #(#destructure)*
            #block
        });
    };
    let (fix_type, annotation) = match types::in_body(ty) {
        // `return;` and the tail infer `()` on their own.
        Some(ty) if types::is_unit(&ty) => (TokenStream::new(), quote!(: #ty)),
        Some(ty) => {
            // Hygienic, but located at the signature's type: type errors in
            // the body then say the return type comes from there.
            let here = Span::mixed_site().located_at(syn::spanned::Spanned::span(&ty));
            let ret = syn::Ident::new("__caci_ret", here);
            (
                quote_spanned! {here=>
                    if let ::core::option::Option::Some(#ret) = ::core::option::Option::None::<#ty> {
                        #[allow(unreachable_code)]
                        return #ret;
                    }
                },
                quote!(: #ty),
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote!({
        #fix_type
        #(#destructure)*
        #allow
        let #ret #annotation = #block;
        #[allow(unreachable_code)]
        #ret
    })
}
