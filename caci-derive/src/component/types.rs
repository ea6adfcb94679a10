//! What generated code can do with a type written in a signature.
//!
//! Inside the method's body every type can be named, but `impl Trait` only as
//! `_`. The descriptor's shapes function is a nested `fn` item: it can name
//! neither the generic parameters in scope nor their lifetimes nor `Self`, so
//! a type is rewritten for it (lifetimes in scope become `'static`, `Self` the
//! impl's self type) or, when it mentions a generic parameter, left opaque.

use std::collections::HashSet;

use proc_macro2::TokenTree;
use quote::ToTokens as _;
use syn::visit_mut::{self, VisitMut};

/// The generic parameters and self type a signature is written in.
#[derive(Clone, Default)]
pub(crate) struct Scope {
    /// Type and const parameters (the impl's and the method's).
    pub(crate) params: Vec<syn::Ident>,
    /// Of those, the type parameters, for telling instantiations apart.
    pub(crate) type_params: Vec<syn::Ident>,
    /// Named lifetime parameters.
    lifetimes: HashSet<String>,
    /// The self type as the descriptor can name it, when it can; `None` in
    /// a generic impl or outside an impl.
    self_ty: Option<syn::Type>,
}

impl Scope {
    /// The scope of an impl block's items.
    pub(crate) fn of_impl(generics: &syn::Generics, self_ty: &syn::Type) -> Scope {
        let mut scope = Scope::default();
        scope.add(generics);
        scope.self_ty = scope.outside(self_ty);
        scope
    }

    /// This scope with a method's own generics added.
    pub(crate) fn with(&self, generics: &syn::Generics) -> Scope {
        let mut scope = self.clone();
        scope.add(generics);
        scope
    }

    fn add(&mut self, generics: &syn::Generics) {
        for param in &generics.params {
            match param {
                syn::GenericParam::Lifetime(param) => {
                    self.lifetimes.insert(param.lifetime.ident.to_string());
                }
                syn::GenericParam::Type(param) => {
                    self.params.push(param.ident.clone());
                    self.type_params.push(param.ident.clone());
                }
                syn::GenericParam::Const(param) => self.params.push(param.ident.clone()),
            }
        }
    }

    /// `ty` as a nested `fn` item can name it, or `None` when it mentions a
    /// generic parameter, `impl Trait`, a type macro, or `Self` where the
    /// self type cannot be named.
    pub(crate) fn outside(&self, ty: &syn::Type) -> Option<syn::Type> {
        let mut rewritten = ty.clone();
        let mut outside = Outside {
            scope: self,
            nameable: true,
        };
        outside.visit_type_mut(&mut rewritten);
        let params: HashSet<String> = self.params.iter().map(ToString::to_string).collect();
        let mentions_param = idents(rewritten.to_token_stream()).any(|ident| params.contains(&ident));
        (outside.nameable && !mentions_param).then_some(rewritten)
    }
}

struct Outside<'s> {
    scope: &'s Scope,
    nameable: bool,
}

impl VisitMut for Outside<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        match ty {
            syn::Type::ImplTrait(_) | syn::Type::Macro(_) | syn::Type::Infer(_) | syn::Type::Verbatim(_) => {
                self.nameable = false;
                return;
            }
            syn::Type::Path(path) if path.qself.is_none() && path.path.leading_colon.is_none() => {
                let segments = &path.path.segments;
                if segments.first().is_some_and(|first| first.ident == "Self") {
                    match &self.scope.self_ty {
                        Some(self_ty) if segments.len() == 1 && segments[0].arguments.is_none() => {
                            *ty = match self_ty {
                                // `&'a Self` must not read as `&'a dyn Trait + Send`.
                                syn::Type::TraitObject(_) => syn::Type::Paren(syn::TypeParen {
                                    attrs: Vec::new(),
                                    paren_token: Default::default(),
                                    elem: Box::new(self_ty.clone()),
                                }),
                                _ => self_ty.clone(),
                            };
                        }
                        // `Self::Output` would be ambiguous on a concrete type.
                        _ => self.nameable = false,
                    }
                    return;
                }
            }
            _ => {}
        }
        visit_mut::visit_type_mut(self, ty);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
        if self.scope.lifetimes.contains(&lifetime.ident.to_string()) {
            *lifetime = syn::Lifetime::new("'static", lifetime.span());
        }
    }
}

fn idents(tokens: proc_macro2::TokenStream) -> impl Iterator<Item = String> {
    tokens
        .into_iter()
        .flat_map(|token| -> Box<dyn Iterator<Item = String>> {
            match token {
                TokenTree::Ident(ident) => Box::new(std::iter::once(ident.to_string())),
                TokenTree::Group(group) => Box::new(idents(group.stream()).collect::<Vec<_>>().into_iter()),
                _ => Box::new(std::iter::empty()),
            }
        })
}

/// Whether `ty` mentions `impl Trait` anywhere.
pub(crate) fn mentions_impl_trait(ty: &syn::Type) -> bool {
    let mut rewritten = ty.clone();
    let mut infer = InferImpl { found: false };
    infer.visit_type_mut(&mut rewritten);
    infer.found
}

/// `ty` for a `let` or turbofish in the body: every `impl Trait` becomes
/// `_`. `None` when nothing of it is left to name (`-> impl Trait`).
pub(crate) fn in_body(ty: &syn::Type) -> Option<syn::Type> {
    let mut rewritten = ty.clone();
    InferImpl { found: false }.visit_type_mut(&mut rewritten);
    (!matches!(peel(&rewritten), syn::Type::Infer(_))).then_some(rewritten)
}

struct InferImpl {
    found: bool,
}

impl VisitMut for InferImpl {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::ImplTrait(impl_trait) = ty {
            self.found = true;
            *ty = syn::Type::Infer(syn::TypeInfer {
                attrs: Vec::new(),
                underscore_token: syn::Token![_](impl_trait.impl_token.span),
            });
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

/// `ty` without the invisible groups and parentheses around it.
pub(crate) fn peel(ty: &syn::Type) -> &syn::Type {
    match ty {
        syn::Type::Group(group) => peel(&group.elem),
        syn::Type::Paren(paren) => peel(&paren.elem),
        other => other,
    }
}

/// Whether `ty` is `()`.
pub(crate) fn is_unit(ty: &syn::Type) -> bool {
    matches!(peel(ty), syn::Type::Tuple(tuple) if tuple.elems.is_empty())
}

/// The last segment of a path type.
fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match peel(ty) {
        syn::Type::Path(path) => path.path.segments.last(),
        _ => None,
    }
}

/// The type arguments of a path segment.
fn type_args(segment: &syn::PathSegment) -> impl Iterator<Item = &syn::Type> {
    let args = match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => Some(args.args.iter()),
        _ => None,
    };
    args.into_iter().flatten().filter_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

/// A returned future: `impl Future<Output = X>`, `Pin<Box<dyn Future<Output
/// = X> + ..>>` (what `#[async_trait]` generates), `BoxFuture<'_, X>`.
pub(crate) struct ReturnedFuture {
    /// `X`, when written.
    pub(crate) output: Option<syn::Type>,
    /// A boxed future (returned as `Box::pin(..)`), not an `impl Future`.
    pub(crate) boxed: bool,
}

/// Whether `ty` is a future this macro instruments as one.
pub(crate) fn returned_future(ty: &syn::Type) -> Option<ReturnedFuture> {
    match peel(ty) {
        syn::Type::ImplTrait(impl_trait) => {
            future_output(&impl_trait.bounds).map(|output| ReturnedFuture { output, boxed: false })
        }
        _ => {
            let segment = last_segment(ty)?;
            if segment.ident == "BoxFuture" || segment.ident == "LocalBoxFuture" {
                return Some(ReturnedFuture {
                    output: type_args(segment).next().cloned(),
                    boxed: true,
                });
            }
            if segment.ident != "Pin" {
                return None;
            }
            let boxed = last_segment(type_args(segment).next()?).filter(|segment| segment.ident == "Box")?;
            match peel(type_args(boxed).next()?) {
                syn::Type::TraitObject(object) => {
                    future_output(&object.bounds).map(|output| ReturnedFuture { output, boxed: true })
                }
                _ => None,
            }
        }
    }
}

/// `Some(X)` for bounds with `Future<Output = X>`, `Some(None)` for a bare
/// `Future`, `None` without a `Future` bound.
fn future_output(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
) -> Option<Option<syn::Type>> {
    bounds.iter().find_map(|bound| match bound {
        syn::TypeParamBound::Trait(bound) => {
            let segment = bound.path.segments.last().filter(|segment| segment.ident == "Future")?;
            let output = match &segment.arguments {
                syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
                    syn::GenericArgument::AssocType(assoc) if assoc.ident == "Output" => Some(assoc.ty.clone()),
                    _ => None,
                }),
                _ => None,
            };
            Some(output)
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use quote::ToTokens as _;

    use super::*;

    fn ty(source: &str) -> syn::Type {
        syn::parse_str(source).expect("a type")
    }

    fn scope() -> Scope {
        let generics: syn::Generics = syn::parse_str("<'a, T, const N: usize>").expect("generics");
        Scope::of_impl(&generics, &ty("Service<'a, T>"))
    }

    fn outside(scope: &Scope, source: &str) -> Option<String> {
        scope
            .outside(&ty(source))
            .map(|ty| ty.to_token_stream().to_string().replace(' ', ""))
    }

    #[test]
    fn generic_parameters_make_a_type_opaque_outside() {
        let scope = scope();
        for source in [
            "T",
            "Vec<T>",
            "[u8; N]",
            "<T as Iterator>::Item",
            "Self",
            "impl Fn()",
            "Self::Output",
        ] {
            assert_eq!(outside(&scope, source), None, "{source}");
        }
        assert_eq!(outside(&scope, "&'a str").as_deref(), Some("&'staticstr"));
        assert_eq!(outside(&scope, "Vec<&str>").as_deref(), Some("Vec<&str>"));
        assert_eq!(
            outside(&scope, "for<'b> fn(&'b u8)").as_deref(),
            Some("for<'b>fn(&'bu8)")
        );
    }

    #[test]
    fn self_is_the_self_type_in_a_non_generic_impl() {
        let generics: syn::Generics = syn::parse_str("<'a>").expect("generics");
        let scope = Scope::of_impl(&generics, &ty("Parser<'a>"));
        assert_eq!(
            outside(&scope, "Option<Self>").as_deref(),
            Some("Option<Parser<'static>>")
        );
        assert_eq!(outside(&scope, "Self::Output"), None);
    }

    #[test]
    fn impl_trait_becomes_inferred_in_the_body() {
        let rewritten = in_body(&ty("Result<impl Display, Error>")).expect("something to name");
        assert_eq!(rewritten.to_token_stream().to_string(), "Result < _ , Error >");
        assert!(in_body(&ty("impl Iterator<Item = u8>")).is_none());
        assert!(mentions_impl_trait(&ty("Vec<impl Display>")));
        assert!(!mentions_impl_trait(&ty("Vec<u8>")));
    }

    #[test]
    fn returned_futures_are_recognised() {
        let output = |source: &str| {
            returned_future(&ty(source))
                .map(|future| (future.output.map(|ty| ty.to_token_stream().to_string()), future.boxed))
        };
        assert_eq!(
            output("impl Future<Output = u32> + Send + '_"),
            Some((Some("u32".into()), false))
        );
        assert_eq!(
            output("Pin<Box<dyn Future<Output = Result<(), E>> + Send + 'async_trait>>"),
            Some((Some("Result < () , E >".into()), true))
        );
        assert_eq!(output("BoxFuture<'a, u8>"), Some((Some("u8".into()), true)));
        assert_eq!(output("impl std::future::Future"), Some((None, false)));
        assert_eq!(output("Pin<&mut u8>"), None);
        assert_eq!(output("Vec<u8>"), None);
    }
}
