//! The wrapped body: open the span, run the original body inside it
//! (unchanged: `return` and `?` keep their meaning), record the outcome.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::component::expand::site;
use crate::component::model::{Binding, Method, Output};
use crate::component::types;

/// The hygienic names the wrapper binds: invisible to the user's body.
struct Names {
    call: syn::Ident,
    entered: syn::Ident,
    result: syn::Ident,
    future: syn::Ident,
    ret: syn::Ident,
    ok: syn::Ident,
    err: syn::Ident,
}

impl Names {
    fn new() -> Names {
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

/// What the wrapper runs inside the span.
pub(crate) enum Inner<'a> {
    /// The original body, moved into a closure.
    Block(&'a syn::Block),
    /// A call of the sibling function that holds the original body.
    Call(TokenStream),
}

/// The new body of `method`: open the span, run `inner` in it, finish.
pub(crate) fn body(method: &Method, inner: &Inner<'_>) -> TokenStream {
    let names = Names::new();
    let Names {
        call, result, future, ..
    } = &names;
    let p = &method.private;
    let items = site::items(method);
    let start = site::start(method);
    let start = match inner {
        // A sibling's caller has checked the level.
        Inner::Call(_) => start,
        Inner::Block(_) => {
            let level_enabled = site::level_enabled(method);
            // Checked before any value is probed: a disabled call costs one
            // comparison and one atomic load.
            quote!(if #level_enabled { #start } else { #p::MethodCall::disabled() })
        }
    };
    let open = quote! {
        #items
        let #call = #start;
    };
    let span = quote!(::core::clone::Clone::clone(#call.span()));
    let is_call = matches!(inner, Inner::Call(_));
    // A sibling is called directly inside the entered span: no closure, so
    // `#[track_caller]` locations pass through.
    let entered = &names.entered;
    let run_sync = |inner: &TokenStream, diverges: bool| match (is_call, diverges) {
        (true, _) => quote!({
            let #entered = #call.enter();
            #inner
        }),
        (false, true) => quote!(#call.in_scope(move || -> ! #inner)),
        (false, false) => quote!(#call.in_scope(move || #inner)),
    };
    match &method.output {
        Output::Never => {
            let inner = original(method, inner, None, &names);
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
            let inner = original(method, inner, Some(ty), &names);
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
            let inner = original(method, inner, Some(declared), &names);
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
fn original(method: &Method, inner: &Inner<'_>, ty: Option<&syn::Type>, names: &Names) -> TokenStream {
    let block = match inner {
        Inner::Block(block) => block,
        // A call has its type already, and the sibling destructures.
        Inner::Call(call) => return quote!({ #call }),
    };
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

/// Finishes `__caci_call` with the outcome of the value `result` refers to:
/// `error` for an `Err`, `ok` otherwise, with the output when captured.
fn finish(method: &Method, result: &TokenStream, names: &Names) -> TokenStream {
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
            ::core::result::Result::Err(#err) => #call.finish_err(
                ::core::any::type_name_of_val(#err),
                {
                    #[allow(unused_imports)]
                    use #p::{ViaDisplay as _, ViaNoDisplay as _};
                    (&#p::Probe(#err)).caci_display()
                },
            ),
        }
    }
}
