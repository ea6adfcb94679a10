//! The options as written: `#[component(...)]`, `#[caci(...)]` on a method,
//! and `#[instrument_fn(...)]`, read by darling.

use darling::util::{Flag, PathList, SpannedValue};
use darling::{FromMeta, ast::NestedMeta};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned as _;

/// `#[component(...)]` on an `impl` block.
#[derive(Default, FromMeta)]
pub(crate) struct ComponentArgs {
    /// The component's name (default: the last segment of the self type).
    pub(crate) name: Option<SpannedValue<Name>>,
    /// The level of every method's span (default `info`).
    pub(crate) level: Option<SpannedValue<LevelName>>,
    /// The spans' target (default: the module path).
    pub(crate) target: Option<SpannedValue<Name>>,
    /// Capture every method's output (default off).
    pub(crate) capture_output: Option<bool>,
    /// Where `caci_core` is, for crates that re-export it.
    #[darling(rename = "crate")]
    pub(crate) krate: Option<syn::Path>,
}

/// `#[caci(...)]` on one method of a `#[component]` impl.
#[derive(Default, FromMeta)]
pub(crate) struct MethodArgs {
    /// Leave the method as written: no span, no descriptor.
    pub(crate) skip: Flag,
    /// The method's part of the span name (default: its identifier).
    pub(crate) name: Option<SpannedValue<Name>>,
    /// This method's level.
    pub(crate) level: Option<SpannedValue<LevelName>>,
    /// One input never captured, not even its shape: `skip_input = "card"`.
    #[darling(multiple)]
    pub(crate) skip_input: Vec<SpannedValue<String>>,
    /// Several: `skip_inputs(card, token)`.
    pub(crate) skip_inputs: Option<PathList>,
    /// Capture this method's output, or not (`capture_output = false`).
    pub(crate) capture_output: Option<SpannedValue<bool>>,
}

/// `#[instrument_fn(...)]` on a free function.
#[derive(Default, FromMeta)]
pub(crate) struct FnArgs {
    /// The component part of the span name: `Billing` gives `Billing.charge`.
    pub(crate) component: Option<SpannedValue<Name>>,
    /// The function's part of the span name (default: its identifier).
    pub(crate) name: Option<SpannedValue<Name>>,
    /// As on `#[component]`, and below on `#[caci]`.
    pub(crate) level: Option<SpannedValue<LevelName>>,
    pub(crate) target: Option<SpannedValue<Name>>,
    pub(crate) capture_output: Option<SpannedValue<bool>>,
    #[darling(multiple)]
    pub(crate) skip_input: Vec<SpannedValue<String>>,
    pub(crate) skip_inputs: Option<PathList>,
    #[darling(rename = "crate")]
    pub(crate) krate: Option<syn::Path>,
}

/// A name given in an option: not empty, no whitespace.
#[derive(Clone)]
pub(crate) struct Name(pub(crate) String);

impl FromMeta for Name {
    fn from_string(value: &str) -> darling::Result<Self> {
        if value.is_empty() {
            return Err(darling::Error::custom("a name cannot be empty"));
        }
        if value.chars().any(char::is_whitespace) {
            return Err(darling::Error::custom(format!(
                "a name cannot contain whitespace (`{value}`)"
            )));
        }
        Ok(Name(value.to_owned()))
    }
}

/// A span level, as written in an option.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum LevelName {
    Trace,
    Debug,
    #[default]
    Info,
    Warn,
    Error,
}

const LEVELS: [(&str, LevelName); 5] = [
    ("trace", LevelName::Trace),
    ("debug", LevelName::Debug),
    ("info", LevelName::Info),
    ("warn", LevelName::Warn),
    ("error", LevelName::Error),
];

impl FromMeta for LevelName {
    fn from_string(value: &str) -> darling::Result<Self> {
        LEVELS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(value))
            .map(|(_, level)| *level)
            .ok_or_else(|| {
                darling::Error::custom(format!(
                    "unknown level `{value}`: expected one of \"trace\", \"debug\", \"info\", \"warn\", \"error\""
                ))
            })
    }
}

impl LevelName {
    /// `tracing::Level`'s constant for it, under `private`.
    pub(crate) fn tokens(self, private: &TokenStream) -> TokenStream {
        let constant = match self {
            LevelName::Trace => quote!(TRACE),
            LevelName::Debug => quote!(DEBUG),
            LevelName::Info => quote!(INFO),
            LevelName::Warn => quote!(WARN),
            LevelName::Error => quote!(ERROR),
        };
        quote!(#private::Level::#constant)
    }
}

/// The inputs named by `skip_input` and `skip_inputs`, with where they are
/// written.
pub(crate) fn skipped_inputs(single: &[SpannedValue<String>], list: Option<&PathList>) -> Vec<(String, Span)> {
    let mut names: Vec<(String, Span)> = single.iter().map(|name| ((**name).clone(), name.span())).collect();
    for path in list.into_iter().flat_map(|list| list.iter()) {
        let name = path.to_token_stream().to_string().replace(' ', "");
        names.push((name.strip_prefix("r#").unwrap_or(&name).to_owned(), path.span()));
    }
    names
}

/// Reads an attribute macro's arguments.
pub(crate) fn parse_args<T: FromMeta>(args: TokenStream) -> darling::Result<T> {
    let list = NestedMeta::parse_meta_list(args)?;
    T::from_list(&list)
}

/// Reads every `#[caci(...)]` among `attrs` as one option list (so options
/// may be split over several attributes).
pub(crate) fn method_args(attrs: &[syn::Attribute]) -> darling::Result<MethodArgs> {
    let mut errors = darling::Error::accumulator();
    let mut list = Vec::new();
    for attr in attrs.iter().filter(|attr| is_caci(attr)) {
        match &attr.meta {
            syn::Meta::List(meta) => {
                if let Some(items) = errors.handle(NestedMeta::parse_meta_list(meta.tokens.clone()).map_err(Into::into))
                {
                    list.extend(items);
                }
            }
            other => errors.push(
                darling::Error::custom("expected `#[caci(...)]` with options, e.g. `#[caci(skip)]`").with_span(other),
            ),
        }
    }
    let args = errors.handle(MethodArgs::from_list(&list));
    errors.finish_with(args.unwrap_or_default())
}

/// Whether `attr` is a `#[caci(...)]` helper attribute.
pub(crate) fn is_caci(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("caci")
}

/// Removes the `#[caci(...)]` helper attributes, which are not real
/// attributes once the macro has read them.
pub(crate) fn strip_caci(attrs: &mut Vec<syn::Attribute>) {
    attrs.retain(|attr| !is_caci(attr));
}
