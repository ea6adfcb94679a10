//! `#[component]` on an `impl` block and `#[instrument_fn]` on a free
//! function: read the options and signatures ([`options`], [`model`]), check
//! them ([`validate`]), then wrap every function ([`expand`]); on error, the
//! errors and the item as written, without its `#[caci]` attributes, so one
//! mistake reports once.

mod expand;
mod model;
mod options;
mod signature;
mod types;
mod validate;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};
use syn::ext::IdentExt as _;

use crate::component::model::{ComponentName, Context, Method, Overrides};
use crate::component::options::{ComponentArgs, FnArgs};
use crate::component::types::Scope;

/// `#[component]` over `proc_macro2` tokens.
pub(crate) fn component(args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(parsed) => parsed,
        Err(error) => return with_errors(darling::Error::from(error), item),
    };
    let syn::Item::Impl(mut block) = parsed else {
        return with_errors(validate::not_an_impl(&parsed), item);
    };
    let mut errors = darling::Error::accumulator();
    let args = errors
        .handle(options::parse_args::<ComponentArgs>(args))
        .unwrap_or_default();
    let context = errors.handle(impl_context(&args, &block));
    let place = if block.trait_.is_some() {
        expand::Place::TraitImpl
    } else {
        expand::Place::InherentImpl
    };
    // Model every method first; expand only a block whose methods are all
    // valid, so one mistake reports once and nothing half-wrapped is emitted.
    let planned = model_methods(&mut block, context.as_ref(), &mut errors);
    if let Err(errors) = errors.finish() {
        return with_errors(errors, fallback(item));
    }
    let mut skipped = Vec::new();
    let mut siblings = Vec::new();
    // An inherent impl that names no generic parameter can name its sites
    // from outside (`<Type>::__caci_site_x`): it registers them all at once.
    let registers_block = place == expand::Place::InherentImpl && block.generics.params.is_empty();
    let mut block_sites = Vec::new();
    // Beside the impl: the sites' `static`s (see `expand::site_static`).
    let mut statics = Vec::new();
    let functions = block.items.iter_mut().filter_map(|impl_item| match impl_item {
        syn::ImplItem::Fn(function) => Some(function),
        _ => None,
    });
    for (function, planned) in functions.zip(planned) {
        match planned {
            Planned::Unwrapped => {}
            Planned::Skipped(registration) => skipped.push(registration),
            Planned::Wrapped(mut method) => {
                if registers_block {
                    let site = expand::site_const_names(&block.self_ty, &function.sig.ident);
                    let cfgs = expand::cfgs(&function.attrs).into_iter().cloned().collect();
                    block_sites.push((cfgs, site.ident.clone()));
                    method.site_const = Some(site);
                    statics.push(expand::site_static(&method, &function.attrs));
                }
                siblings.push(expand::wrap(
                    &method,
                    &function.attrs,
                    &mut function.sig,
                    &mut function.block,
                    place,
                ));
            }
        }
    }
    block.items.extend(
        siblings
            .into_iter()
            .filter(|items| !items.is_empty())
            .map(syn::ImplItem::Verbatim),
    );
    let registration = match &context {
        Some(context) => expand::register_block(&context.private, &block.self_ty, &block_sites),
        None => TokenStream::new(),
    };
    if skipped.is_empty() && registration.is_empty() {
        quote::quote!(#block #(#statics)*)
    } else {
        quote::quote! {
            #block
            #(#statics)*
            const _: () = { #(#skipped)* #registration };
        }
    }
}

/// What the expansion does with one function of the block.
enum Planned {
    /// Left as written (a `const fn`, or a function whose options failed).
    Unwrapped,
    /// `#[caci(skip)]`: registered for the coverage report.
    Skipped(TokenStream),
    /// Wrapped as modelled.
    Wrapped(Box<Method>),
}

/// The model of every function of `block`, in order, with every problem
/// accumulated; `#[caci]` attributes are stripped on the way.
fn model_methods(
    block: &mut syn::ItemImpl,
    context: Option<&Context>,
    errors: &mut darling::error::Accumulator,
) -> Vec<Planned> {
    let mut planned = Vec::new();
    for impl_item in &mut block.items {
        match impl_item {
            syn::ImplItem::Fn(function) => planned.push(model_method(function, context, errors)),
            syn::ImplItem::Const(item) => misplaced(&item.attrs, errors),
            syn::ImplItem::Type(item) => misplaced(&item.attrs, errors),
            _ => {}
        }
    }
    planned
}

/// One function's model; its options are checked even when the component's
/// own options failed (`context` is `None`), so every mistake is reported.
fn model_method(
    function: &mut syn::ImplItemFn,
    context: Option<&Context>,
    errors: &mut darling::error::Accumulator,
) -> Planned {
    let Some(method_args) = errors.handle(options::method_args(&function.attrs)) else {
        return Planned::Unwrapped;
    };
    options::strip_caci(&mut function.attrs);
    if function.sig.constness.is_some() {
        errors.handle(validate::const_fn_args(&method_args));
        return Planned::Unwrapped;
    }
    if errors.handle(validate::method_args(&method_args)).is_none() {
        return Planned::Unwrapped;
    }
    // A skipped method keeps whatever wraps it; a const fn is never wrapped.
    if !method_args.skip.is_present()
        && errors
            .handle(validate::not_instrumented_twice(
                &function.attrs,
                validate::Wrapper::Component,
            ))
            .is_none()
    {
        return Planned::Unwrapped;
    }
    let Some(context) = context else {
        return Planned::Unwrapped;
    };
    if method_args.skip.is_present() {
        return Planned::Skipped(expand::register_skipped(context, &function.sig));
    }
    let overrides = Overrides {
        skipped: options::skipped_inputs(&method_args.skip_input, method_args.skip_inputs.as_ref()),
        name: method_args.name,
        level: method_args.level.map(|level| *level),
        capture_output: method_args.capture_output,
    };
    match errors.handle(Method::new(&function.sig, context, overrides)) {
        Some(mut method) => {
            method.late_fields = model::recorded_names(&function.block);
            Planned::Wrapped(Box::new(method))
        }
        None => Planned::Unwrapped,
    }
}

/// What every method of the impl shares; the component's name is the self
/// type's last segment unless `name` says otherwise.
fn impl_context(args: &ComponentArgs, block: &syn::ItemImpl) -> darling::Result<Context> {
    let component = match &args.name {
        Some(name) => name.0.clone(),
        None => type_name(&block.self_ty).ok_or_else(|| {
            error_at(
                syn::spanned::Spanned::span(&block.self_ty),
                "cannot name the component after this type: give it a name with \
                 `#[component(name = \"...\")]`",
            )
        })?,
    };
    Ok(Context {
        component: ComponentName::Named(component),
        level: args.level.as_deref().copied().unwrap_or_default(),
        target: args.target.as_ref().map(|target| target.0.clone()),
        capture_output: args.capture_output.unwrap_or(false),
        private: private(args.krate.as_ref()),
        scope: Scope::of_impl(&block.generics, &block.self_ty),
        owner: type_name(&block.self_ty),
    })
}

/// `SubscriptionService` for `SubscriptionService`, `crate::svc::Billing<T>`
/// or `&Billing`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match types::peel(ty) {
        syn::Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.unraw().to_string()),
        syn::Type::Reference(reference) => type_name(&reference.elem),
        _ => None,
    }
}

/// `#[caci]` on an associated const or type.
fn misplaced(attrs: &[syn::Attribute], errors: &mut darling::error::Accumulator) {
    for attr in attrs.iter().filter(|attr| options::is_caci(attr)) {
        errors.push(error_at(
            syn::spanned::Spanned::span(&attr.meta),
            "`#[caci(...)]` goes on the methods of a `#[component]` impl",
        ));
    }
}

/// `#[instrument_fn]` over `proc_macro2` tokens.
pub(crate) fn instrument_fn(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut function = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let message = match syn::parse2::<syn::Item>(item.clone()) {
                Ok(syn::Item::Impl(_)) => {
                    "`#[instrument_fn]` goes on a free function: use `#[component]` on an `impl` block"
                }
                _ => "`#[instrument_fn]` goes on a free function",
            };
            let span = item.clone().into_iter().next().map(|token| token.span());
            let error = error_at(span.unwrap_or_else(proc_macro2::Span::call_site), message);
            return with_errors(error, item);
        }
    };
    let mut errors = darling::Error::accumulator();
    let args = errors.handle(options::parse_args::<FnArgs>(args)).unwrap_or_default();
    for attr in function.attrs.iter().filter(|attr| options::is_caci(attr)) {
        errors.push(error_at(
            syn::spanned::Spanned::span(&attr.meta),
            "`#[caci(...)]` is for the methods of a `#[component]` impl: give a free function's options to \
             `#[instrument_fn(...)]`",
        ));
    }
    if function.sig.constness.is_some() {
        errors.push(error_at(
            function
                .sig
                .constness
                .map_or_else(proc_macro2::Span::call_site, |token| token.span),
            "`#[instrument_fn]` cannot wrap a `const fn`: a span cannot be opened in a const context",
        ));
    }
    errors.handle(validate::free_fn(&function.sig));
    errors.handle(validate::not_instrumented_twice(
        &function.attrs,
        validate::Wrapper::InstrumentFn,
    ));
    let mut errors = match errors.checkpoint() {
        Ok(errors) => errors,
        Err(errors) => return with_errors(errors, fallback(item)),
    };
    let mut siblings = TokenStream::new();
    {
        let context = Context {
            component: args
                .component
                .as_ref()
                .map_or(ComponentName::ModulePath, |name| ComponentName::Named(name.0.clone())),
            level: args.level.as_deref().copied().unwrap_or_default(),
            target: args.target.as_ref().map(|target| target.0.clone()),
            capture_output: false,
            private: private(args.krate.as_ref()),
            scope: Scope::default(),
            owner: None,
        };
        let overrides = Overrides {
            skipped: options::skipped_inputs(&args.skip_input, args.skip_inputs.as_ref()),
            name: args.name,
            level: None,
            capture_output: args.capture_output,
        };
        if let Some(mut method) = errors.handle(Method::new(&function.sig, &context, overrides)) {
            method.late_fields = model::recorded_names(&function.block);
            siblings = expand::wrap(
                &method,
                &function.attrs,
                &mut function.sig,
                &mut function.block,
                expand::Place::FreeFunction,
            );
        }
    }
    match errors.finish() {
        Ok(()) => quote::quote! {
            #function
            #siblings
        },
        Err(errors) => with_errors(errors, fallback(item)),
    }
}

/// `<crate>::__private`.
fn private(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(krate) => quote!(#krate::__private),
        None => quote!(::caci_core::__private),
    }
}

fn with_errors(errors: darling::Error, item: TokenStream) -> TokenStream {
    let mut output = errors.write_errors();
    output.extend(item);
    output
}

/// The item as written, without `#[caci]` attributes (which are not real
/// attributes): what is emitted with errors, so the rest of the crate still
/// sees every method.
fn fallback(item: TokenStream) -> TokenStream {
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Impl(mut block)) => {
            for impl_item in &mut block.items {
                match impl_item {
                    syn::ImplItem::Fn(function) => options::strip_caci(&mut function.attrs),
                    syn::ImplItem::Const(item) => options::strip_caci(&mut item.attrs),
                    syn::ImplItem::Type(item) => options::strip_caci(&mut item.attrs),
                    _ => {}
                }
            }
            block.into_token_stream()
        }
        Ok(syn::Item::Fn(mut function)) => {
            options::strip_caci(&mut function.attrs);
            function.into_token_stream()
        }
        _ => item,
    }
}
/// An error at `span`.
pub(crate) fn error_at(span: proc_macro2::Span, message: impl std::fmt::Display) -> darling::Error {
    syn::Error::new(span, message).into()
}
