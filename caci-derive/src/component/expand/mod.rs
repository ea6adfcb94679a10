//! Code generation for a valid model: each wrapped function keeps its
//! attributes, visibility and signature (pattern parameters renamed) and
//! gets a new body ([`body`]) around a call site ([`site`]).

mod body;
mod site;

use crate::component::model::{Binding, Method};

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
