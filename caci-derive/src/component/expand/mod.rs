//! Code generation for a valid model: each wrapped function keeps its
//! attributes, visibility and signature (pattern parameters renamed) and
//! gets a new body ([`in_place`], or [`sibling`] functions around it) around
//! a call site ([`site`]).

mod builders;
mod in_place;
mod sibling;
mod site;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt as _;

use crate::component::model::{Binding, ComponentName, Context, Method, SiteConst};
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

/// Where a wrapped function is: a sibling function can be added beside it
/// everywhere but in a trait impl.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    InherentImpl,
    TraitImpl,
    FreeFunction,
}

/// Rewrites `sig` and `block` of the function `method` describes; returns
/// the items to emit beside it (none, or its siblings).
pub(crate) fn wrap(
    method: &Method,
    attrs: &[syn::Attribute],
    sig: &mut syn::Signature,
    block: &mut syn::Block,
    place: Place,
) -> TokenStream {
    let site_const = site::site_const(method, &cfgs(attrs));
    if sibling::applies(method, sig, place) {
        let siblings = sibling::wrap(method, attrs, sig, block, place);
        return quote!(#siblings #site_const);
    }
    let patterns = method.inputs.iter().map(|input| &input.binding);
    let params = sig.inputs.iter_mut().filter_map(|arg| match arg {
        syn::FnArg::Typed(typed) => Some(typed),
        syn::FnArg::Receiver(_) => None,
    });
    for (param, binding) in params.zip(patterns) {
        if let Binding::Pattern { renamed, .. } = binding {
            *param.pat = plain_pattern(renamed);
        }
    }
    let body = in_place::body(method, block);
    replace_body(block, body);
    site_const
}

/// The `static` site of a method whose impl block registers it, for beside
/// the impl; nothing for other methods.
pub(crate) fn site_static(method: &Method, attrs: &[syn::Attribute]) -> TokenStream {
    site::site_static(method, &cfgs(attrs))
}

/// The function's `cfg` attributes: its site exists when it does.
pub(crate) fn cfgs(attrs: &[syn::Attribute]) -> Vec<&syn::Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("cfg")).collect()
}

/// The associated `const` that refers to the site of the method `name` of
/// an impl of `self_ty`, and the site's `static`, when the impl block
/// registers its sites together.
pub(crate) fn site_const_names(self_ty: &syn::Type, name: &syn::Ident) -> SiteConst {
    SiteConst {
        ident: quote::format_ident!("__caci_site_{}", name.unraw()),
        site: site::site_static_ident(self_ty, name),
    }
}

/// One registration for the sites of a whole inherent, non-generic impl
/// block (`sites`: each method's `cfg` attributes and site `const`), where
/// each method would otherwise submit its own (a constructor function per
/// method, run at start-up).
pub(crate) fn register_block(
    private: &TokenStream,
    self_ty: &syn::Type,
    sites: &[(Vec<syn::Attribute>, syn::Ident)],
) -> TokenStream {
    if sites.is_empty() {
        return TokenStream::new();
    }
    let p = private;
    let descriptors = sites
        .iter()
        .map(|(cfgs, ident)| quote!(#(#cfgs)* #p::MethodDescriptor::of(<#self_ty>::#ident)));
    quote! {
        static __CACI_METHODS: &[#p::MethodDescriptor] = &[#(#descriptors),*];
        #p::inventory::submit! {
            #p::MethodSites::new(__CACI_METHODS)
        }
    }
}

/// `name` as a parameter pattern: no `mut`, no `ref`, no sub-pattern.
fn plain_pattern(name: &syn::Ident) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: name.clone(),
        subpat: None,
    })
}

fn replace_body(block: &mut syn::Block, body: TokenStream) {
    *block = syn::Block {
        brace_token: block.brace_token,
        stmts: vec![syn::Stmt::Expr(syn::Expr::Verbatim(body), None)],
    };
}
