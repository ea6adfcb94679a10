//! Code generation for a valid model: each wrapped function keeps its
//! attributes, visibility and signature (pattern parameters renamed) and
//! gets a new body ([`body`]) around a call site ([`site`]).

mod body;
mod site;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt as _;

use crate::component::model::{Binding, ComponentName, Context, Method};
use crate::component::signature;

/// Registers a `#[caci(skip)]` method, so the coverage report lists it.
pub(crate) fn register_skipped(context: &Context, sig: &syn::Signature) -> TokenStream {
    let p = &context.private;
    let component = match &context.component {
        ComponentName::Named(name) => quote!(#name),
        ComponentName::ModulePath => quote!(::core::module_path!()),
    };
    let method = sig.ident.unraw().to_string();
    let signature = signature::render(sig);
    let place = sig.ident.span();
    let file = quote_spanned!(place=> ::core::file!());
    let line = quote_spanned!(place=> ::core::line!());
    quote! {
        #p::inventory::submit! {
            #p::SkippedMethod { component: #component, method: #method, signature: #signature, file: #file, line: #line }
        }
    }
}

/// Rewrites `sig` and `block` of the function `method` describes.
pub(crate) fn wrap(method: &Method, sig: &mut syn::Signature, block: &mut syn::Block) {
    let patterns = method.inputs.iter().map(|input| &input.binding);
    let params = sig.inputs.iter_mut().filter_map(|arg| match arg {
        syn::FnArg::Typed(typed) => Some(typed),
        syn::FnArg::Receiver(_) => None,
    });
    for (param, binding) in params.zip(patterns) {
        if let Binding::Pattern { renamed, .. } = binding {
            *param.pat = syn::Pat::Ident(syn::PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident: renamed.clone(),
                subpat: None,
            });
        }
    }
    let body = body::body(method, block);
    *block = syn::Block {
        brace_token: block.brace_token,
        stmts: vec![syn::Stmt::Expr(syn::Expr::Verbatim(body), None)],
    };
}
