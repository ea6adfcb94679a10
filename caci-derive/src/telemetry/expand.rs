//! Code generation: the `Capture` impl, and the `TelemetryStruct` marker for
//! structs that can be flattened.

use darling::ast;
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens as _, format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use crate::case::RenameRule;
use crate::telemetry::model::{Body, Container, Field, Variant, Via};
use crate::telemetry::{bounds, error_type};
use crate::type_string::type_string;

/// The impls for a valid model.
pub(crate) fn expand(container: &Container) -> TokenStream {
    let krate = container.krate();
    let private = quote!(#krate::__private);
    if container.sensitive.is_present() {
        return sensitive_type(container, &private);
    }
    let (shape, record) = match &container.data {
        Body::Struct(fields) => match newtype_field(fields) {
            Some(field) => newtype(field, &private),
            None => struct_body(&fields.fields, container.rule(), &private),
        },
        Body::Enum(variants) => enum_body(variants, container.rule(), &private),
    };
    let trusted = trusted(container, &private);
    // A struct's or an enum's `record` looks at its `Out` first; a
    // newtype's is its field's, whose impl may not (and a newtype's own
    // constant could not ask its field's: `struct Chain(Option<Box<Chain>>)`
    // would be a cycle).
    let looks_first = match &container.data {
        Body::Struct(fields) if newtype_field(fields).is_some() => TokenStream::new(),
        _ => quote!(
            const LOOKS_FIRST: bool = true;
        ),
    };
    let ident = &container.ident;
    let generics = bounds::capture_generics(container, &private);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let marker = match &container.data {
        Body::Struct(fields) if newtype_field(fields).is_none() => {
            telemetry_struct_impl(ident, &container.generics, &private)
        }
        _ => TokenStream::new(),
    };
    let error_type = match &container.data {
        Body::Enum(variants) => error_type::error_type_impl(container, variants, &private),
        Body::Struct(_) => TokenStream::new(),
    };
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Capture for #ident #ty_generics #where_clause {
                #looks_first

                fn trusted() -> bool {
                    #private::trusted_fields::<Self>(|| #trusted)
                }

                fn shape() -> #private::Shape {
                    #shape
                }

                #[inline]
                fn record<'__v>(&'__v self, __out: #private::Out<'_, '__v>) {
                    #record
                }
            }

            #marker

            #error_type
        };
    }
}

/// A type marked `#[telemetry(sensitive)]`: its shape says so, and a value
/// offers nothing. Its fields are not read, so they need not be capturable.
fn sensitive_type(container: &Container, private: &TokenStream) -> TokenStream {
    let ident = &container.ident;
    let (impl_generics, ty_generics, where_clause) = container.generics.split_for_impl();
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Capture for #ident #ty_generics #where_clause {
                const LOOKS_FIRST: bool = true;

                fn trusted() -> bool {
                    true
                }

                fn shape() -> #private::Shape {
                    #private::Shape::sensitive::<Self>()
                }

                #[inline]
                fn record<'__v>(&'__v self, _: #private::Out<'_, '__v>) {}
            }
        };
    }
}

/// Whether the generated `record` cannot panic: it only forwards to its
/// recorded fields' impls, so it is trusted when they all are.
fn trusted(container: &Container, private: &TokenStream) -> TokenStream {
    let fields: Vec<&Field> = match &container.data {
        Body::Struct(fields) => fields.fields.iter().collect(),
        Body::Enum(variants) => variants.iter().flat_map(|variant| &variant.fields.fields).collect(),
    };
    let recorded: Vec<&Field> = fields.into_iter().filter(|field| field.is_recorded()).collect();
    // A `with` function is the user's code, run when the value is recorded.
    if recorded.iter().any(|field| matches!(field.via(), Via::With(_))) {
        return quote!(false);
    }
    // A `display` field is formatted only when rendered, which is guarded
    // there. The others are spanned and written as the shapes'
    // `<T as Capture>::shape` is, so a type without `Capture` is reported
    // once, not once more here.
    let checks = recorded
        .into_iter()
        .filter(|field| matches!(field.via(), Via::Capture))
        .map(|field| {
            let capture_of = capture_of(&field.ty, private);
            quote!((#capture_of::trusted as fn() -> bool)())
        });
    quote!(true #(&& #checks)*)
}

/// `impl TelemetryStruct`, with the user's generics only: the marker says
/// what the type is, whatever its parameters.
pub(crate) fn telemetry_struct_impl(
    ident: &syn::Ident,
    generics: &syn::Generics,
    private: &TokenStream,
) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::TelemetryStruct for #ident #ty_generics #where_clause {}
    }
}

/// The one field of a newtype (a tuple struct with exactly one field).
fn newtype_field(fields: &ast::Fields<Field>) -> Option<&Field> {
    match fields.fields.as_slice() {
        [field] if fields.style.is_tuple() => Some(field),
        _ => None,
    }
}

/// A newtype is its inner value under its own type name.
fn newtype(field: &Field, private: &TokenStream) -> (TokenStream, TokenStream) {
    let shape = field_shape_now(field, private);
    (
        // Guarded: a newtype's shape is its field's, built eagerly, and
        // `struct Chain(Option<Box<Chain>>)` would never finish.
        quote!(#private::guarded::<Self>(|| #shape.renamed(#private::type_name::<Self>()))),
        record_call(field, quote!(&self.0), quote!(__out), private),
    )
}

/// `<T as Capture>`, at the field's type: where a missing impl is reported.
fn capture_of(ty: &syn::Type, private: &TokenStream) -> TokenStream {
    quote_spanned!(ty.span()=> <#ty as #private::Capture>)
}

/// The field's `fn() -> Shape`: its type's, a string under its type's name
/// for `display`, or what the `with` function returns under its type's name.
/// Only this or [`record_call`] names what a field's type must implement,
/// so a missing impl is reported once per field.
fn field_shape_fn(field: &Field, private: &TokenStream) -> TokenStream {
    let ty = &field.ty;
    match field.via() {
        Via::Capture => {
            let capture_of = capture_of(ty, private);
            quote!(#capture_of::shape)
        }
        // No `Display` bound: the record reports a missing one, at the type.
        Via::Display => quote!(#private::display_shape::<#ty>),
        Via::With(_) => {
            let shape = field_shape_now(field, private);
            quote!(|| #shape)
        }
    }
}

/// The field's shape, built: see [`field_shape_fn`].
fn field_shape_now(field: &Field, private: &TokenStream) -> TokenStream {
    let ty = &field.ty;
    match field.via() {
        Via::With(path) => {
            let shape = with_field(ty, path, quote!(#private::WithJob::Shape), private);
            let opaque = quote!(#private::Shape::opaque(#private::type_name::<#ty>()));
            quote!(#shape.unwrap_or_else(|| #opaque))
        }
        Via::Capture | Via::Display => {
            let shape_fn = field_shape_fn(field, private);
            quote!(#shape_fn())
        }
    }
}

/// Offers `value` (a `&T`) to `out` as the field says.
fn record_call(field: &Field, value: TokenStream, out: TokenStream, private: &TokenStream) -> TokenStream {
    let ty = &field.ty;
    match field.via() {
        Via::Capture => {
            let capture_of = capture_of(ty, private);
            quote!(#capture_of::record(#value, #out))
        }
        Via::Display => {
            let record = quote_spanned!(ty.span()=> #private::record_display::<#ty>);
            quote!(#record(#value, #out))
        }
        Via::With(path) => {
            let record = with_field(ty, path, quote!(#private::WithJob::Record(#value, #out)), private);
            quote!(#record)
        }
    }
}

/// `with_field::<T, _>(path, job)`, at the user's path: the shape and the
/// record both call it so, which makes a wrong function one error (the
/// compiler reports identical errors once).
fn with_field(ty: &syn::Type, path: &syn::Path, job: TokenStream, private: &TokenStream) -> TokenStream {
    let call = quote_spanned!(path.span()=> #private::with_field::<#ty, _>);
    quote!(#call(#path, #job))
}

/// A struct's `shape()` and `record()` bodies.
fn struct_body(fields: &[Field], rule: Option<RenameRule>, private: &TokenStream) -> (TokenStream, TokenStream) {
    let shaped = shaped_fields(fields, rule, private);
    let assertions = &shaped.assertions;
    let shapes = vec_of(&shaped.shapes, private);
    let calls = shaped.recorded.iter().map(|recorded| {
        let member = match &recorded.field.ident {
            Some(ident) => quote!(#ident),
            None => Literal::usize_unsuffixed(recorded.position).into_token_stream(),
        };
        recorded.call(quote!(&self.#member), Indexing::Constant, private)
    });
    let count = Literal::usize_unsuffixed(shaped.shapes.len());
    let record = if shaped.recorded.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            if let ::core::option::Option::Some(mut __fields) = __out.struct_fields::<#count>() {
                #(#calls)*
            }
        }
    };
    let shape = quote! {
        #(#assertions)*
        #private::Shape {
            type_name: #private::type_name::<Self>(),
            body: #private::ShapeBody::Struct(#shapes),
        }
    };
    (shape, record)
}

/// An enum's `shape()` and `record()` bodies.
fn enum_body(variants: &[Variant], rule: Option<RenameRule>, private: &TokenStream) -> (TokenStream, TokenStream) {
    let mut assertions = Vec::new();
    let mut variant_shapes = Vec::new();
    let mut arms = Vec::new();
    // No variant records a field: see `unit_like_record`.
    let mut unit_like = true;
    let mut names = Vec::new();
    for (index, variant) in variants.iter().enumerate() {
        let name = variant.captured_name(rule);
        let declared = variant.ident.unraw().to_string();
        let shaped = shaped_fields(&variant.fields.fields, None, private);
        let fields = vec_of(&shaped.shapes, private);
        variant_shapes.push(quote! {
            #private::VariantShape::new(#name, #declared, #fields)
        });
        unit_like &= shaped.recorded.is_empty();
        arms.push((variant, index, shaped.recorded));
        names.push(name);
        assertions.extend(shaped.assertions);
    }
    let shapes = vec_of(&variant_shapes, private);
    let shape = quote! {
        #(#assertions)*
        #private::Shape {
            type_name: #private::type_name::<Self>(),
            body: #private::ShapeBody::Enum(#shapes),
        }
    };
    let record = if arms.is_empty() {
        quote!(match *self {})
    } else if unit_like {
        unit_like_record(variants, &names)
    } else {
        let arms = arms
            .iter()
            .zip(&names)
            .map(|((variant, index, recorded), name)| variant_arm(variant, *index, name, recorded, private));
        quote! {
            match self {
                #(#arms)*
            }
        }
    };
    (shape, record)
}

/// The `record()` body of an enum none of whose variants records a field
/// (a unit enum, or one whose fields are all skipped): the variant's index,
/// then one offer of its name from a table, so the offer is inlined once,
/// not once per variant.
fn unit_like_record(variants: &[Variant], names: &[String]) -> TokenStream {
    let count = Literal::usize_unsuffixed(variants.len());
    let arms = variants.iter().enumerate().map(|(index, variant)| {
        let ident = &variant.ident;
        let index = Literal::usize_unsuffixed(index);
        quote!(Self::#ident { .. } => #index)
    });
    quote! {
        static __NAMES: [&str; #count] = [#(#names),*];
        let __index: usize = match self {
            #(#arms,)*
        };
        __out.variant_ref(__index, &__NAMES[__index]);
    }
}

/// `Self::Variant { .. } => { .. }`, binding only the recorded fields (by
/// reference, under names that cannot clash with the user's).
fn variant_arm(
    variant: &Variant,
    index: usize,
    name: &str,
    recorded: &[Recorded<'_>],
    private: &TokenStream,
) -> TokenStream {
    let ident = &variant.ident;
    let binding = |position: usize| format_ident!("__field{}", position);
    let pattern = match variant.fields.style {
        ast::Style::Unit => quote!(Self::#ident),
        ast::Style::Struct => {
            let bound = recorded.iter().map(|recorded| {
                let member = &recorded.field.ident;
                let binding = binding(recorded.position);
                quote!(#member: #binding)
            });
            quote!(Self::#ident { #(#bound,)* .. })
        }
        ast::Style::Tuple => {
            let slots = (0..variant.fields.len()).map(|position| {
                if recorded.iter().any(|recorded| recorded.position == position) {
                    binding(position).into_token_stream()
                } else {
                    quote!(_)
                }
            });
            quote!(Self::#ident(#(#slots),*))
        }
    };
    let index = Literal::usize_unsuffixed(index);
    if recorded.is_empty() {
        return quote! {
            #pattern => {
                __out.variant_ref(#index, &#name);
            }
        };
    }
    let calls = recorded.iter().map(|recorded| {
        recorded.call(
            binding(recorded.position).into_token_stream(),
            Indexing::Runtime,
            private,
        )
    });
    quote! {
        #pattern => {
            if let ::core::option::Option::Some(mut __fields) = __out.variant_ref(#index, &#name) {
                #(#calls)*
            }
        }
    }
}

/// The fields of a struct or variant as their shape lists them.
struct ShapedFields<'a> {
    /// One `FieldShape` per field that is not skipped.
    shapes: Vec<TokenStream>,
    /// The fields whose values are recorded, with their shape index.
    recorded: Vec<Recorded<'a>>,
    /// Compile-time checks that flattened fields are structs.
    assertions: Vec<TokenStream>,
}

struct Recorded<'a> {
    field: &'a Field,
    /// Position in the declaration (tuple member, binding name).
    position: usize,
    /// Position in the shape's field list.
    index: usize,
}

/// How a recorded field's node is found among its struct's or variant's.
#[derive(Clone, Copy)]
enum Indexing {
    /// A struct's: `StructFields::at::<INDEX>()`, checked when the nodes
    /// were (their count is the shape's).
    Constant,
    /// A variant's: `Fields::at(index)`.
    Runtime,
}

impl Recorded<'_> {
    /// The field's value offered where its shape index says, when the plan
    /// captures some of it (only then is it formatted or converted). The
    /// user's type names what it must implement, so a missing impl points at
    /// it; local names keep the macro's span, which they were bound with.
    fn call(&self, value: TokenStream, indexing: Indexing, private: &TokenStream) -> TokenStream {
        let index = Literal::usize_unsuffixed(self.index);
        let record = record_call(self.field, value, quote!(__field_out), private);
        let at = match (indexing, self.field.via()) {
            // Its impl looks first, or its field is not offered when skipped.
            (Indexing::Constant, Via::Capture) => {
                let capture_of = capture_of(&self.field.ty, private);
                quote!(at_looking::<#index>(#capture_of::LOOKS_FIRST))
            }
            // A `display` or `with` field is never looked at when skipped.
            (Indexing::Constant, _) => quote!(at::<#index>()),
            (Indexing::Runtime, _) => quote!(at(#index)),
        };
        quote! {
            if let ::core::option::Option::Some(__field_out) = __fields.#at {
                #record;
            }
        }
    }
}

fn shaped_fields<'a>(fields: &'a [Field], rule: Option<RenameRule>, private: &TokenStream) -> ShapedFields<'a> {
    let mut shaped = ShapedFields {
        shapes: Vec::new(),
        recorded: Vec::new(),
        assertions: Vec::new(),
    };
    let in_shape = fields.iter().enumerate().filter(|(_, field)| field.is_in_shape());
    for (index, (position, field)) in in_shape.enumerate() {
        let name = field.captured_name(position, rule);
        let mut shape = field_shape(field, &name, private);
        if let Some(declared) = &field.ident
            && declared.unraw() != name
        {
            let declared = declared.unraw().to_string();
            shape = quote!(#shape.declared_as(#declared));
        }
        shaped.shapes.push(shape);
        if field.is_recorded() {
            shaped.recorded.push(Recorded { field, position, index });
        }
        if field.flatten.is_present() {
            shaped.assertions.push(flatten_assertion(&field.ty, private));
        }
    }
    shaped
}

fn field_shape(field: &Field, name: &str, private: &TokenStream) -> TokenStream {
    let ty = &field.ty;
    let written = type_string(ty);
    if field.sensitive.is_present() {
        return quote!(#private::FieldShape::sensitive(#name, #written));
    }
    let shape_of = field_shape_fn(field, private);
    let shape = quote!(#private::FieldShape::new(#name, #written, #shape_of));
    if field.flatten.is_present() {
        quote!(#shape.flattened())
    } else {
        shape
    }
}

/// Fails to compile, at the field's type, unless the type is a struct that
/// derives `Telemetry`.
fn flatten_assertion(ty: &syn::Type, private: &TokenStream) -> TokenStream {
    quote_spanned! {ty.span()=>
        {
            fn __assert_flattenable<__T: ?::core::marker::Sized + #private::TelemetryStruct>() {}
            __assert_flattenable::<#ty>();
        }
    }
}

fn vec_of(items: &[TokenStream], private: &TokenStream) -> TokenStream {
    if items.is_empty() {
        quote!(#private::Vec::new())
    } else {
        // No `From` in scope under `#![no_implicit_prelude]`.
        quote!(<#private::Vec<_> as ::core::convert::From<_>>::from([#(#items),*]))
    }
}
