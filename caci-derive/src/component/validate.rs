//! Checks beyond what darling's option parsing enforces: options that
//! contradict each other, inputs that do not exist, outputs that cannot be
//! captured, and items the macros do not apply to.

use proc_macro2::{Span, TokenTree};
use quote::ToTokens as _;
use syn::spanned::Spanned as _;

use crate::component::error_at;
use crate::component::options::MethodArgs;

/// `skip` leaves the method as written, so no other option applies.
pub(crate) fn method_args(args: &MethodArgs) -> darling::Result<()> {
    if !args.skip.is_present() {
        return Ok(());
    }
    let mut errors = darling::Error::accumulator();
    for (option, span) in method_options(args) {
        errors.push(error_at(
            span,
            format!("`{option}` cannot be combined with `skip`: a skipped method is left as written"),
        ));
    }
    errors.finish()
}

/// A `const fn` is never wrapped (a span cannot be opened in a const
/// context): only `skip` (redundant) is accepted on it.
pub(crate) fn const_fn_args(args: &MethodArgs) -> darling::Result<()> {
    let mut errors = darling::Error::accumulator();
    for (option, span) in method_options(args) {
        errors.push(error_at(
            span,
            format!(
                "`{option}` has no effect on a `const fn`: `#[component]` leaves const functions as written, \
                 since a span cannot be opened in a const context"
            ),
        ));
    }
    errors.finish()
}

/// The options other than `skip` a method carries, with their spans.
fn method_options(args: &MethodArgs) -> Vec<(&'static str, Span)> {
    let mut options = Vec::new();
    if let Some(name) = &args.name {
        options.push(("name", name.span()));
    }
    if let Some(level) = &args.level {
        options.push(("level", level.span()));
    }
    for input in &args.skip_input {
        options.push(("skip_input", input.span()));
    }
    if let Some(inputs) = &args.skip_inputs {
        options.extend(inputs.iter().map(|path| ("skip_inputs", path.span())));
    }
    if let Some(capture) = &args.capture_output {
        options.push(("capture_output", capture.span()));
    }
    options
}

/// `#[instrument_fn]` cannot see the impl a method is in (its generics,
/// its self type): methods go through `#[component]`.
pub(crate) fn free_fn(sig: &syn::Signature) -> darling::Result<()> {
    if let Some(receiver) = sig.receiver() {
        return Err(error_at(
            receiver.span(),
            "`#[instrument_fn]` is for free functions: for a method, put `#[component]` on its `impl` block \
             (and `#[caci(skip)]` on the methods to leave out)",
        ));
    }
    let mentions_self = |tokens: proc_macro2::TokenStream| find_ident(tokens, "Self");
    let inputs = sig.inputs.to_token_stream();
    let output = sig.output.to_token_stream();
    if let Some(span) = mentions_self(inputs).or_else(|| mentions_self(output)) {
        return Err(error_at(
            span,
            "`#[instrument_fn]` is for free functions: for an associated function, put `#[component]` on its \
             `impl` block",
        ));
    }
    Ok(())
}

fn find_ident(tokens: proc_macro2::TokenStream, name: &str) -> Option<Span> {
    tokens.into_iter().find_map(|token| match token {
        TokenTree::Ident(ident) if ident == name => Some(ident.span()),
        TokenTree::Group(group) => find_ident(group.stream(), name),
        _ => None,
    })
}

/// `#[component]` goes on an `impl` block: say what to do instead, at the
/// item's keyword.
pub(crate) fn not_an_impl(item: &syn::Item) -> darling::Error {
    let (span, what) = match item {
        syn::Item::Fn(item) => (
            item.sig.fn_token.span,
            "a function: use `#[instrument_fn]` on free functions",
        ),
        syn::Item::Struct(item) => (
            item.struct_token.span,
            "a struct: put it on the struct's `impl` block, whose methods it wraps",
        ),
        syn::Item::Enum(item) => (
            item.enum_token.span,
            "an enum: put it on the enum's `impl` block, whose methods it wraps",
        ),
        syn::Item::Trait(item) => (
            item.trait_token.span,
            "a trait definition: put it on each `impl Trait for Type` block, whose methods it wraps",
        ),
        syn::Item::Mod(item) => (item.mod_token.span, "a module: put it on the module's `impl` blocks"),
        other => (other.span(), "this item: it wraps the methods of an `impl` block"),
    };
    error_at(span, format!("`#[component]` cannot be used on {what}"))
}

/// Which wrapper a function is already under, for [`not_instrumented_twice`].
#[derive(Clone, Copy)]
pub(crate) enum Wrapper {
    /// A method of a `#[component]` impl.
    Component,
    /// A free function under `#[instrument_fn]`.
    InstrumentFn,
}

/// Another span wrapper on a function CACI wraps would open a second span
/// around the same call: `#[tracing::instrument]` (however it is spelled),
/// or `#[instrument_fn]` inside a `#[component]` impl. Reported at that
/// attribute, saying which to keep.
pub(crate) fn not_instrumented_twice(attrs: &[syn::Attribute], wrapper: Wrapper) -> darling::Result<()> {
    let mut errors = darling::Error::accumulator();
    for attr in attrs {
        let Some(other) = other_wrapper(attr.path()) else {
            continue;
        };
        let message = match (wrapper, other) {
            (Wrapper::Component, OtherWrapper::Tracing) => {
                "this method is already wrapped in a span by `#[component]`, so `#[tracing::instrument]` would \
                 open a second one around the same call: remove `#[tracing::instrument]`, or mark the method \
                 `#[caci(skip)]` to keep tracing's span instead of CACI's"
            }
            (Wrapper::Component, OtherWrapper::InstrumentFn) => {
                "this method is already wrapped in a span by `#[component]`: remove `#[instrument_fn]` (give its \
                 options to `#[caci(...)]` on the method)"
            }
            (Wrapper::InstrumentFn, OtherWrapper::Tracing) => {
                "this function is already wrapped in a span by `#[instrument_fn]`, so `#[tracing::instrument]` \
                 would open a second one around the same call: keep one of the two"
            }
            (Wrapper::InstrumentFn, OtherWrapper::InstrumentFn) => "`#[instrument_fn]` is given twice: keep one",
        };
        errors.push(error_at(attr.meta.span(), message));
    }
    errors.finish()
}

enum OtherWrapper {
    Tracing,
    InstrumentFn,
}

/// `instrument`, `tracing::instrument`, `::tracing::instrument`,
/// `tracing_attributes::instrument`; `instrument_fn`,
/// `caci_core::instrument_fn`, `::caci_core::instrument_fn`.
fn other_wrapper(path: &syn::Path) -> Option<OtherWrapper> {
    let segments: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["instrument"] | ["tracing" | "tracing_attributes", "instrument"] => Some(OtherWrapper::Tracing),
        ["instrument_fn"] | [_, "instrument_fn"] => Some(OtherWrapper::InstrumentFn),
        _ => None,
    }
}
