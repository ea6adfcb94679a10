//! The call site: the `static` every call of one method shares, its
//! descriptor in the registry, and the `start` call that opens the span.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::component::model::{Binding, ComponentName, Input, Method, SiteConst};
use crate::component::types;
use crate::type_string::type_string;

/// `static __CACI_SITE` and its registration; nothing when the site is the
/// impl's associated `const` ([`site_const`]).
pub(crate) fn items(method: &Method) -> TokenStream {
    if method.site_const.is_some() {
        return TokenStream::new();
    }
    let site = site(method, &quote::format_ident!("__CACI_SITE"));
    let p = &method.private;
    quote! {
        #site
        #p::inventory::submit! {
            #p::MethodDescriptor::of(&__CACI_SITE)
        }
    }
}

/// `const __caci_site_<method>: &MethodSite`, the impl's item that refers to
/// the site of a method its block registers (see
/// [`register_block`](super::register_block)); the site is the `static`
/// [`site_static`] puts beside the impl.
pub(crate) fn site_const(method: &Method, cfgs: &[&syn::Attribute]) -> TokenStream {
    let Some(SiteConst { ident, site }) = &method.site_const else {
        return TokenStream::new();
    };
    let p = &method.private;
    quote! {
        #(#cfgs)*
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const #ident: &'static #p::MethodSite = &#site;
    }
}

/// The `static` site of a method with a site `const`, beside the impl: a
/// `static` the dispatcher's gate check can name (`sym`), which one inside
/// the `const`'s initializer is not.
pub(crate) fn site_static(method: &Method, cfgs: &[&syn::Attribute]) -> TokenStream {
    let Some(SiteConst { site: ident, .. }) = &method.site_const else {
        return TokenStream::new();
    };
    let site = site(method, ident);
    quote! {
        #(#cfgs)*
        #[doc(hidden)]
        #site
    }
}

/// The name of the `static` site of the method `name` of a non-generic
/// inherent impl of `self_ty`, beside the impl: from a hash of both, as no
/// other impl in the same scope can have that method of that type.
pub(crate) fn site_static_ident(self_ty: &syn::Type, name: &syn::Ident) -> syn::Ident {
    use quote::ToTokens as _;
    use std::hash::{Hash as _, Hasher as _};
    use syn::ext::IdentExt as _;
    let mut hasher = std::hash::DefaultHasher::new();
    self_ty.to_token_stream().to_string().hash(&mut hasher);
    name.unraw().to_string().hash(&mut hasher);
    quote::format_ident!("__CACI_SITE_{:016X}", hasher.finish())
}

/// `static <name>`, its shapes and error-shape functions inside.
fn site(method: &Method, name: &syn::Ident) -> TokenStream {
    let p = &method.private;
    let span_name = method.span_name();
    let target = match &method.target {
        Some(target) => quote!(#target),
        None => quote!(::core::module_path!()),
    };
    let level = method.level.tokens(p);
    let component = match &method.component {
        ComponentName::Named(name) => quote!(#name),
        ComponentName::ModulePath => quote!(::core::module_path!()),
    };
    let method_name = &method.method;
    let signature = &method.signature;
    let output_type = &method.output_type;
    let captures_output = method.captures_output;
    let function = &method.function;
    let names: Vec<&str> = method.captured_inputs().map(|input| input.name.as_str()).collect();
    let input_types: Vec<String> = method.captured_inputs().map(|input| type_string(&input.ty)).collect();
    // The method's own line, not the attribute's.
    let place = method.ident_span;
    let file = quote_spanned!(place=> ::core::file!());
    let line = quote_spanned!(place=> ::core::line!());
    let input_names = method.captured_inputs().map(|input| {
        let name = &input.name;
        let bound = bound_identifiers_of(input);
        quote!(#p::InputName { name: #name, bound: &[#(#bound),*] })
    });
    let input_shapes = method.captured_inputs().map(|input| descriptor_input(method, input));
    let output_shape = descriptor_output(method);
    let (error_fn, with_error) = error_shape(method);
    let (constructor, late) = if method.late_fields.is_empty() {
        (quote!(new), TokenStream::new())
    } else {
        let late = &method.late_fields;
        (quote!(with_late_fields), quote!(, &[#(#late),*]))
    };
    let shapes_fn = quote! {
        fn __caci_descriptor_shapes() -> (#p::Vec<#p::Input>, ::core::option::Option<#p::Shape>) {
            #[allow(unused_imports)]
            use #p::{OutputViaResult as _, OutputViaValue as _, TypeViaCapture as _, TypeViaOpaque as _};
            #p::describe(&[#(#input_names),*], &[#(#input_shapes),*], #output_shape)
        }
    };
    quote! {
        static #name: #p::MethodSite = {
        #error_fn
        #shapes_fn
        #p::MethodSite::#constructor(
            #p::SiteInfo {
                name: #span_name,
                target: #target,
                level: #level,
                module_path: ::core::module_path!(),
                file: #file,
                line: #line,
                inputs: &[#(#names),*],
            },
            #p::MethodInfo {
                component: #component,
                method: #method_name,
                signature: #signature,
                input_types: &[#(#input_types),*],
                output_type: #output_type,
                captures_output: #captures_output,
            }
            #late
        )
        .with_function(::core::concat!(::core::module_path!(), "::", #function))
        .with_shapes(__caci_descriptor_shapes)
        #with_error
        };
    }
}

/// How the descriptor describes an input: by its type when the nested `fn`
/// can name it (its shape and identity: the site is planned from it, see
/// [`start`]), else generic under the type as written (each call's type is
/// planned when it is called).
fn descriptor_input(method: &Method, input: &Input) -> TokenStream {
    let p = &method.private;
    match method.scope.outside(&input.ty) {
        Some(ty) => quote!((&#p::TypeProbe::<#ty>::new()).caci_input_of()),
        None => {
            let written = type_string(&input.ty);
            quote!(|name, bound| #p::Input::new(name, #p::Shape::generic(#written)).bound_to(bound))
        }
    }
}

/// The output's shape function for the descriptor, when captured.
fn descriptor_output(method: &Method) -> TokenStream {
    let p = &method.private;
    let ty = match method.output.value_type() {
        Some(ty) if method.captures_output => ty,
        _ => return quote!(::core::option::Option::None),
    };
    let shape = match method.scope.outside(ty) {
        Some(ty) => quote!((&(&#p::OutputProbe::<#ty>::new()).caci_ok_type()).caci_shape_of()),
        None => {
            let written = type_string(ty);
            quote!(|| #p::Shape::generic(#written))
        }
    };
    quote!(::core::option::Option::Some(#shape))
}

/// The shape of the method's error type (a `Result`'s `Err`; uninhabited
/// for other types), as a nested `fn` and the call that gives it to the
/// site, when the nested `fn` can name the return type; nothing otherwise.
fn error_shape(method: &Method) -> (TokenStream, TokenStream) {
    let p = &method.private;
    let Some(ty) = method.output.value_type().and_then(|ty| method.scope.outside(ty)) else {
        return (TokenStream::new(), TokenStream::new());
    };
    let function = quote! {
        fn __caci_error_shape() -> #p::Shape {
            #[allow(unused_imports)]
            use #p::{OutputViaResult as _, OutputViaValue as _, TypeViaCapture as _, TypeViaOpaque as _};
            (&(&#p::OutputProbe::<#ty>::new()).caci_err_type()).caci_type_shape()
        }
    };
    (function, quote!(.with_error_shape(__caci_error_shape)))
}

/// The shape an output of type `R` is captured as: a `Result`'s `Ok` type's,
/// any other type's own.
fn output_shape(p: &TokenStream, ty: &syn::Type) -> TokenStream {
    quote! {{
        #[allow(unused_imports)]
        use #p::{OutputViaResult as _, OutputViaValue as _, TypeViaCapture as _, TypeViaOpaque as _};
        (&(&#p::OutputProbe::<#ty>::new()).caci_ok_type()).caci_type_shape()
    }}
}

/// `.bound_to(&["a", "b"])` for a pattern parameter: the identifiers it binds,
/// which the deny floor checks as well as the input's name.
fn bindings(input: &Input) -> TokenStream {
    let names = bound_identifiers_of(input);
    if names.is_empty() {
        return TokenStream::new();
    }
    quote!(.bound_to(&[#(#names),*]))
}

/// The identifiers a pattern parameter binds; none for a plain name.
fn bound_identifiers_of(input: &Input) -> Vec<String> {
    let mut names = Vec::new();
    if let Binding::Pattern { pat, .. } = &input.binding {
        bound_identifiers(pat, &mut names);
    }
    names
}

/// Every identifier a pattern binds, and the last segment of every path it
/// names (`Token(t)` binds `t` and names `Token`).
fn bound_identifiers(pat: &syn::Pat, names: &mut Vec<String>) {
    use syn::ext::IdentExt as _;
    let path = |path: &syn::Path, names: &mut Vec<String>| {
        if let Some(last) = path.segments.last() {
            names.push(last.ident.unraw().to_string());
        }
    };
    match pat {
        syn::Pat::Ident(pat) => {
            names.push(pat.ident.unraw().to_string());
            if let Some((_, sub)) = &pat.subpat {
                bound_identifiers(sub, names);
            }
        }
        syn::Pat::Tuple(pat) => pat.elems.iter().for_each(|elem| bound_identifiers(elem, names)),
        syn::Pat::TupleStruct(pat) => {
            path(&pat.path, names);
            pat.elems.iter().for_each(|elem| bound_identifiers(elem, names));
        }
        syn::Pat::Struct(pat) => {
            path(&pat.path, names);
            for field in &pat.fields {
                if let syn::Member::Named(member) = &field.member {
                    names.push(member.unraw().to_string());
                }
                bound_identifiers(&field.pat, names);
            }
        }
        syn::Pat::Slice(pat) => pat.elems.iter().for_each(|elem| bound_identifiers(elem, names)),
        syn::Pat::Reference(pat) => bound_identifiers(&pat.pat, names),
        syn::Pat::Paren(pat) => bound_identifiers(&pat.pat, names),
        syn::Pat::Type(pat) => bound_identifiers(&pat.pat, names),
        syn::Pat::Or(pat) => pat.cases.iter().for_each(|case| bound_identifiers(case, names)),
        _ => {}
    }
    names.dedup();
}

/// A reference to an input's value, in the body.
pub(crate) fn value_ref(input: &Input) -> TokenStream {
    match &input.binding {
        Binding::Ident(ident) => quote!(&#ident),
        Binding::Pattern { renamed, .. } => quote!(&#renamed),
    }
}

/// `__CACI_SITE.start(instantiation, shapes, values)`: opens the span with
/// the inputs the plan allows, once the level is known to be enabled (see
/// [`level_enabled`]). When the descriptor's nested `fn` names every
/// captured type, it is the shapes too: one planning path for every method.
/// Otherwise a closure in the body names them (`start_with`).
pub(crate) fn start(method: &Method) -> TokenStream {
    let p = &method.private;
    let values = method.captured_inputs().map(|input| {
        let value = value_ref(input);
        quote! {{
            #[allow(unused_imports)]
            use #p::{ViaCapture as _, ViaOpaque as _};
            (&#p::Probe(#value)).caci_erase_typed()
        }}
    });
    let site = match &method.site_const {
        Some(SiteConst { ident, .. }) => quote!(Self::#ident),
        None => quote!(__CACI_SITE),
    };
    if !depends_on_instantiation(method) {
        return quote!(#site.start(&[#(#values),*]));
    }
    let instantiation = instantiation(method);
    let inputs = method.captured_inputs().map(|input| {
        let name = &input.name;
        let value = value_ref(input);
        let bindings = bindings(input);
        quote! {{
            #[allow(unused_imports)]
            use #p::{ViaCapture as _, ViaOpaque as _};
            let __caci_probe = &#p::Probe(#value);
            #p::Input::new(#name, __caci_probe.caci_shape()).typed(__caci_probe.caci_type_id())#bindings
        }}
    });
    let output = match method.output.value_type().and_then(types::in_body) {
        Some(ty) if method.captures_output => {
            let shape = output_shape(p, &ty);
            quote!(::core::option::Option::Some(#shape))
        }
        _ => quote!(::core::option::Option::None),
    };
    quote! {
        #site.start_with(
            #instantiation,
            || (
                #p::inputs([#(#inputs),*]),
                #output,
            ),
            &[#(#values),*],
        )
    }
}

/// Whether the method's span may be wanted, checked before any value is
/// probed: the site's gate where the site is in reach (for a site `const`,
/// `gate_open!` on its `static`: on x86-64 a `cmp` with memory and a `jne`
/// when no subscriber wants it; else see `MethodSite::may_be_enabled`),
/// and the level, a comparison with a constant and one atomic load (for a
/// site `const`, in the traced sibling: [`level_in_sibling`]).
/// `in_place`: checked in the wrapped body itself, not by a dispatcher in
/// front of a traced sibling.
pub(crate) fn level_enabled(method: &Method, in_place: bool) -> TokenStream {
    let p = &method.private;
    let level = method.level.tokens(p);
    match (&method.site_const, in_place) {
        // The level is checked in the traced sibling (`level_in_sibling`);
        // the gate is read from the site's `static` beside the impl.
        (Some(SiteConst { site, .. }), false) => quote!(#p::gate_open!(#site)),
        (Some(SiteConst { ident, site }), true) => {
            quote!(#p::gate_open!(#site) && Self::#ident.enabled_past_gate(#level))
        }
        // In place, the site's `static` is declared just before.
        (None, true) => quote!(__CACI_SITE.enabled(#level)),
        (None, false) => quote!(#p::method_level_enabled(#level)),
    }
}

/// The traced sibling's `start` behind the method's level, where the
/// dispatcher checked only the site's gate (a site `const`); other starts
/// as they are.
pub(crate) fn level_in_sibling(method: &Method, start: TokenStream) -> TokenStream {
    let Some(SiteConst { ident, .. }) = &method.site_const else {
        return start;
    };
    let p = &method.private;
    let level = method.level.tokens(p);
    quote!(if #p::method_level_enabled(#level) { #start } else { Self::#ident.level_disabled_call() })
}

/// A number that tells apart the instantiations of a generic method whose
/// captured shapes depend on them, so each gets its own plan; `0` when no
/// captured input or output mentions a type parameter, `Self` or `impl
/// Trait` (the shapes are the same for every instantiation).
fn instantiation(method: &Method) -> TokenStream {
    let p = &method.private;
    if !depends_on_instantiation(method) {
        return quote!(#p::not_generic());
    }
    let params = &method.scope.type_params;
    // `impl Trait` arguments are anonymous type parameters: their values
    // stand for them.
    let anonymous: Vec<TokenStream> = method
        .inputs
        .iter()
        .filter(|input| types::mentions_impl_trait(&input.ty))
        .map(value_ref)
        .collect();
    if params.is_empty() && anonymous.is_empty() {
        return quote!(#p::not_generic());
    }
    quote!(#p::instantiation::<(#(*const #params,)*), _>(&(#(#anonymous,)*)))
}

/// Whether a captured input's or the captured output's type is one the
/// descriptor's nested `fn` cannot name (it mentions a type parameter,
/// `Self` of a generic impl, or `impl Trait`).
fn depends_on_instantiation(method: &Method) -> bool {
    let captured_output = method.output.value_type().filter(|_| method.captures_output);
    method
        .captured_inputs()
        .map(|input| &input.ty)
        .chain(captured_output)
        .any(|ty| method.scope.outside(ty).is_none())
}
