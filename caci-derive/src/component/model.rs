//! One function to wrap, with the options in force: its span's name and
//! level, its inputs (captured or skipped) and what it returns.

use darling::util::SpannedValue;
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt as _;

use crate::component::options::{LevelName, Name};
use crate::component::types::{self, Scope};
use crate::component::{error_at, signature};

/// What the functions of one `#[component]` impl (or one `#[instrument_fn]`)
/// share.
pub(crate) struct Context {
    pub(crate) component: ComponentName,
    pub(crate) level: LevelName,
    pub(crate) target: Option<String>,
    /// Whether outputs are captured unless a method says otherwise.
    pub(crate) capture_output: bool,
    /// `<crate>::__private`.
    pub(crate) private: TokenStream,
    pub(crate) scope: Scope,
    /// The self type's name for a method (`SubscriptionService`), whatever
    /// the component is called: the middle of `code.function.name`.
    pub(crate) owner: Option<String>,
}

/// The component part of the span name.
#[derive(Clone)]
pub(crate) enum ComponentName {
    /// `SubscriptionService`: spans are `SubscriptionService.method`.
    Named(String),
    /// A free function without `component = ".."`: the span is named after
    /// the function alone; `MethodInfo::component` is the module path.
    ModulePath,
}

/// What one function's options change.
#[derive(Default)]
pub(crate) struct Overrides {
    pub(crate) name: Option<SpannedValue<Name>>,
    pub(crate) level: Option<LevelName>,
    /// Inputs named by `skip_input(s)`, with where they are named.
    pub(crate) skipped: Vec<(String, Span)>,
    pub(crate) capture_output: Option<SpannedValue<bool>>,
}

/// A function to wrap.
pub(crate) struct Method {
    pub(crate) component: ComponentName,
    /// The function's part of the span name.
    pub(crate) method: String,
    pub(crate) level: LevelName,
    pub(crate) target: Option<String>,
    pub(crate) captures_output: bool,
    /// Every input but the receiver, in order.
    pub(crate) inputs: Vec<Input>,
    pub(crate) output: Output,
    pub(crate) is_async: bool,
    /// `unsafe` of an `unsafe fn`: the body is wrapped in `unsafe { }`.
    pub(crate) unsafe_token: Option<syn::Token![unsafe]>,
    pub(crate) scope: Scope,
    pub(crate) signature: String,
    pub(crate) output_type: String,
    pub(crate) private: TokenStream,
    /// The function's name, where the site's `file!()`/`line!()` point.
    pub(crate) ident_span: Span,
    /// The names the body records with `record!` after the span opens: the
    /// span declares them, empty, so they can be filled later.
    pub(crate) late_fields: Vec<String>,
    /// The function's path below its module, `SubscriptionService::initialize_business`
    /// or `charge`: `code.function.name` after `module_path!()`.
    pub(crate) function: String,
    /// The impl's associated `const` holding the site, when the impl block
    /// registers its methods' sites together (see
    /// [`expand::register_block`](crate::component::expand::register_block));
    /// `None`: the site is in the function's body, registered alone.
    pub(crate) site_const: Option<SiteConst>,
}

/// A site the impl block registers: its `static` beside the impl, and the
/// impl's associated `const` that refers to it.
pub(crate) struct SiteConst {
    /// `__caci_site_<method>`, named as `Self::__caci_site_<method>`.
    pub(crate) ident: syn::Ident,
    /// The `static`, named by the dispatcher's gate check.
    pub(crate) site: syn::Ident,
}

/// One input.
pub(crate) struct Input {
    /// The name it is captured under.
    pub(crate) name: String,
    pub(crate) ty: syn::Type,
    pub(crate) binding: Binding,
    /// Named by `skip_input(s)`: never captured, not even its shape.
    pub(crate) skipped: bool,
}

/// How the body reaches an input's value.
pub(crate) enum Binding {
    /// `name: T`, `mut name: T`, `ref name: T`: by that name.
    Ident(syn::Ident),
    /// A pattern, `(a, b): (u32, u32)`: the parameter is renamed `renamed`
    /// and the pattern destructures it at the top of the body.
    Pattern { pat: Box<syn::Pat>, renamed: syn::Ident },
}

/// What the function returns, as the wrapper sees it.
pub(crate) enum Output {
    /// A value of this type (`()` when the signature has none). For an
    /// `async fn`, the awaited value.
    Value(syn::Type),
    /// `-> !`: there is no outcome to record (a panic still records one).
    Never,
    /// A future, instrumented on every poll: `-> impl Future<Output = X>`,
    /// or boxed (`Pin<Box<dyn Future<..>>>`, `BoxFuture`). `declared` is the
    /// return type as written, `output` the `X` when written.
    Future {
        declared: Box<syn::Type>,
        output: Option<syn::Type>,
        boxed: bool,
    },
}

impl Output {
    /// The type a captured output has, when there is one.
    pub(crate) fn value_type(&self) -> Option<&syn::Type> {
        match self {
            Output::Value(ty) => Some(ty),
            Output::Future { output, .. } => output.as_ref(),
            Output::Never => None,
        }
    }
}

impl Method {
    /// Reads `sig` under `context` and `overrides`, checking what the
    /// options say about it.
    pub(crate) fn new(sig: &syn::Signature, context: &Context, overrides: Overrides) -> darling::Result<Method> {
        let mut errors = darling::Error::accumulator();
        let mut inputs = inputs(sig, &mut errors);
        skipped_inputs(&sig.ident, &mut inputs, &overrides.skipped, &mut errors);
        let output = output(sig);
        let captures_output = errors
            .handle(captures_output(
                &output,
                overrides.capture_output.as_ref(),
                context.capture_output,
            ))
            .unwrap_or(false);
        let method = Method {
            component: context.component.clone(),
            method: overrides
                .name
                .map_or_else(|| sig.ident.unraw().to_string(), |name| name.0.clone()),
            level: overrides.level.unwrap_or(context.level),
            target: context.target.clone(),
            captures_output,
            inputs,
            output,
            is_async: sig.asyncness.is_some(),
            unsafe_token: match sig.safety {
                syn::Safety::Unsafe(token) => Some(token),
                _ => None,
            },
            scope: context.scope.with(&sig.generics),
            signature: signature::render(sig),
            output_type: signature::output(sig),
            private: context.private.clone(),
            ident_span: sig.ident.span(),
            late_fields: Vec::new(),
            site_const: None,
            function: match &context.owner {
                Some(owner) => format!("{owner}::{}", sig.ident.unraw()),
                None => sig.ident.unraw().to_string(),
            },
        };
        errors.finish_with(method)
    }

    /// The span's name: `Component.method`, or `method` alone.
    pub(crate) fn span_name(&self) -> String {
        match &self.component {
            ComponentName::Named(component) => format!("{component}.{}", self.method),
            ComponentName::ModulePath => self.method.clone(),
        }
    }

    /// The inputs that are captured (offered to the plan), in order.
    pub(crate) fn captured_inputs(&self) -> impl Iterator<Item = &Input> {
        self.inputs.iter().filter(|input| !input.skipped)
    }
}

/// The names every `record!(name = value, …)` in `body` records (the
/// macro's path ends in `record`), in order, once each.
pub(crate) fn recorded_names(body: &syn::Block) -> Vec<String> {
    let mut names = Vec::new();
    scan_for_records(quote::ToTokens::to_token_stream(body), &mut names);
    names
}

fn scan_for_records(tokens: TokenStream, names: &mut Vec<String>) {
    use proc_macro2::TokenTree;
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        let TokenTree::Group(group) = token else { continue };
        let is_record = index >= 2
            && matches!(&tokens[index - 1], TokenTree::Punct(bang) if bang.as_char() == '!')
            && matches!(&tokens[index - 2], TokenTree::Ident(ident) if ident == "record");
        if is_record {
            record_arguments(group.stream(), names);
        } else {
            scan_for_records(group.stream(), names);
        }
    }
}

/// `name = value` pairs at the top level of a `record!`'s arguments.
fn record_arguments(arguments: TokenStream, names: &mut Vec<String>) {
    use proc_macro2::TokenTree;
    let mut at_start = true;
    let mut tokens = arguments.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(comma) if comma.as_char() == ',' => at_start = true,
            TokenTree::Ident(ident) if at_start => {
                at_start = false;
                let is_assignment = matches!(tokens.peek(), Some(TokenTree::Punct(eq)) if eq.as_char() == '=');
                let name = ident.unraw().to_string();
                if is_assignment && !names.contains(&name) {
                    names.push(name);
                }
            }
            _ => at_start = false,
        }
    }
}

fn inputs(sig: &syn::Signature, errors: &mut darling::error::Accumulator) -> Vec<Input> {
    let mut inputs = Vec::new();
    for (position, typed) in sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            syn::FnArg::Typed(typed) => Some(typed),
            syn::FnArg::Receiver(_) => None,
        })
        .enumerate()
    {
        for attr in &typed.attrs {
            if attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr") {
                errors.push(
                    darling::Error::custom(
                        "a wrapped function's parameters cannot be conditional: the wrapper refers to every \
                         parameter. Mark the function `#[caci(skip)]`, or make the parameter unconditional",
                    )
                    .with_span(&attr.meta),
                );
            }
        }
        let (name, binding) = match &*typed.pat {
            syn::Pat::Ident(pat) if pat.subpat.is_none() => {
                (pat.ident.unraw().to_string(), Binding::Ident(pat.ident.clone()))
            }
            pat => {
                let name = match pat {
                    syn::Pat::Ident(pat) => pat.ident.unraw().to_string(),
                    _ => format!("arg{position}"),
                };
                let renamed = syn::Ident::new(&format!("__caci_arg{position}"), Span::mixed_site());
                (
                    name,
                    Binding::Pattern {
                        pat: Box::new(pat.clone()),
                        renamed,
                    },
                )
            }
        };
        inputs.push(Input {
            name,
            ty: (*typed.ty).clone(),
            binding,
            skipped: false,
        });
    }
    // A pattern's `argN` may be a parameter's name too.
    for index in 0..inputs.len() {
        while inputs[..index]
            .iter()
            .chain(&inputs[index + 1..])
            .any(|other| other.name == inputs[index].name)
            && matches!(inputs[index].binding, Binding::Pattern { .. })
        {
            inputs[index].name.push('_');
        }
    }
    inputs
}

fn output(sig: &syn::Signature) -> Output {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return Output::Value(syn::parse_quote!(()));
    };
    if matches!(types::peel(ty), syn::Type::Never(_)) {
        return Output::Never;
    }
    if sig.asyncness.is_none()
        && let Some(future) = types::returned_future(ty)
    {
        return Output::Future {
            declared: ty.clone(),
            output: future.output,
            boxed: future.boxed,
        };
    }
    Output::Value((**ty).clone())
}

/// Marks the inputs named by `skip_input(s)`; a name that is not an input is
/// an error at the name.
fn skipped_inputs(
    function: &syn::Ident,
    inputs: &mut [Input],
    skipped: &[(String, Span)],
    errors: &mut darling::error::Accumulator,
) {
    for (name, span) in skipped {
        if let Some(input) = inputs.iter_mut().find(|input| &input.name == name) {
            input.skipped = true;
            continue;
        }
        let message = if name == "self" {
            "`self` is never captured: there is nothing to skip".to_owned()
        } else if inputs.is_empty() {
            format!("`{name}` is not an input of `{function}`, which has none")
        } else {
            let names: Vec<String> = inputs.iter().map(|input| format!("`{}`", input.name)).collect();
            format!(
                "`{name}` is not an input of `{function}`; its inputs are {}",
                names.join(", ")
            )
        };
        errors.push(error_at(*span, message));
    }
}

/// Whether the output is captured. Asked for on the function itself, an
/// output that cannot be captured is an error; asked for by the whole
/// component, such functions simply do not capture theirs.
fn captures_output(output: &Output, explicit: Option<&SpannedValue<bool>>, default: bool) -> darling::Result<bool> {
    let why_not = match output.value_type() {
        None if matches!(output, Output::Never) => Some("the function never returns"),
        None => Some("the future's `Output` type is not written (`impl Future<Output = T>`)"),
        Some(ty) if types::mentions_impl_trait(ty) => Some("an `impl Trait` type cannot be named to plan its capture"),
        Some(ty) if types::is_unit(ty) => Some("the function returns nothing"),
        Some(_) => None,
    };
    match (explicit, why_not) {
        (Some(explicit), Some(why_not)) if **explicit => Err(error_at(
            explicit.span(),
            format!("`capture_output` cannot apply here: {why_not}"),
        )),
        (Some(explicit), _) => Ok(**explicit),
        (None, why_not) => Ok(default && why_not.is_none()),
    }
}
