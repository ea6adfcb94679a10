//! Finding domain types: the crate's structs and enums the components'
//! methods take or return (through references, `Option`, `Vec`, `Result`,
//! `Arc`, …), and transitively the types of their fields, each with what
//! every field needs to derive `Telemetry`.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

use super::components::Candidate;
use super::index::{DefItem, Index};
use super::names::sensitive_word;
use super::typeref::{Scope, Ty};
use crate::syntax::{cfg_attr_derives, derived_traits, has_attr};

/// What a field gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldAction {
    /// Nothing: its type is capturable as it is.
    Keep,
    /// It already has a `#[telemetry(…)]` attribute: left as written.
    Existing(Existing),
    /// `#[telemetry(sensitive)]`: its name has this floor word.
    Sensitive(String),
    /// `#[telemetry(display)]`: a foreign type best captured as its text.
    Display(String),
    /// `#[telemetry(skip)]`, with the reason as a comment.
    Skip(String),
}

/// What an existing `#[telemetry(…)]` on a field says, as far as capture goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// `skip`.
    Skip,
    /// `sensitive`.
    Sensitive,
    /// `display` or `with = …`: one string-like leaf.
    Text,
    /// Anything else (`rename`, `flatten`): captured as its type says.
    AsType,
}

/// One field of a domain type.
#[derive(Clone, Debug)]
pub struct FieldPlan {
    /// The field as parsed (its spans locate the edits).
    pub field: syn::Field,
    /// The name it is captured under: its ident, or its position.
    pub name: String,
    /// The enum variant it belongs to, if any.
    pub variant: Option<String>,
    /// Whether it is the only field of a tuple struct (a newtype).
    pub newtype: bool,
    /// What its type is.
    pub ty: Ty,
    /// What it gets.
    pub action: FieldAction,
}

/// One domain type.
#[derive(Clone, Debug)]
pub struct TypePlan {
    /// The definition, an index into [`Index::defs`].
    pub def: usize,
    /// Whether it derives `Telemetry` already (plainly or in a `cfg_attr`).
    pub already: bool,
    /// Why it cannot derive `Telemetry`, if it cannot (a newtype of a type
    /// with no `Capture` impl).
    pub underivable: Option<String>,
    /// Its fields, variants' fields included, in order.
    pub fields: Vec<FieldPlan>,
}

/// The domain types, and the names that macros make.
#[derive(Debug, Default)]
pub struct Domain {
    /// By definition index.
    pub types: BTreeMap<usize, TypePlan>,
    /// Types used by the components but made by item macros, left alone:
    /// (type, macro).
    pub macro_types: BTreeSet<(String, String)>,
}

/// The methods whose signatures seed the domain: every method of the
/// component blocks but constructors and `#[caci(skip)]` ones.
pub fn component_methods<'a>(
    index: &'a Index,
    candidates: &'a [Candidate],
) -> impl Iterator<Item = (&'a Candidate, &'a syn::ImplItemFn)> + 'a {
    candidates
        .iter()
        .filter(|candidate| candidate.decision.is_component())
        .flat_map(move |candidate| {
            index.impls[candidate.block]
                .item
                .items
                .iter()
                .filter_map(move |item| match item {
                    syn::ImplItem::Fn(method) => Some((candidate, method)),
                    _ => None,
                })
        })
        .filter(|(candidate, method)| !is_constructor(method, &candidate.type_name) && !is_caci_skipped(method))
}

/// An associated function without a receiver that returns `Self` or the
/// type (bare, or in `Result`, `Option`, `Arc`, `Box`, `Rc`).
pub fn is_constructor(method: &syn::ImplItemFn, type_name: &str) -> bool {
    if method.sig.receiver().is_some() {
        return false;
    }
    let syn::ReturnType::Type(_, ty) = &method.sig.output else {
        return false;
    };
    let mut names = Vec::new();
    collect_names(ty, &mut names);
    names.iter().any(|name| name == "Self" || name == type_name)
}

fn collect_names(ty: &syn::Type, names: &mut Vec<String>) {
    if let syn::Type::Path(path) = ty
        && let Some(last) = path.path.segments.last()
    {
        let name = last.ident.to_string();
        let wrapper = matches!(name.as_str(), "Result" | "Option" | "Arc" | "Box" | "Rc");
        names.push(name);
        if wrapper
            && let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
        {
            collect_names(inner, names);
        }
    }
}

fn is_caci_skipped(method: &syn::ImplItemFn) -> bool {
    method
        .attrs
        .iter()
        .any(|attr| attr.path().is_ident("caci") && attr.meta.to_token_stream().to_string().contains("skip"))
}

/// Finds the domain types of the component methods, and plans their fields.
pub fn discover(index: &Index, candidates: &[Candidate]) -> Domain {
    let components: BTreeSet<&str> = candidates
        .iter()
        .filter(|candidate| candidate.decision.is_component())
        .map(|candidate| candidate.type_name.as_str())
        .collect();
    let mut seeds = BTreeSet::new();
    let mut macros = BTreeSet::new();
    for (candidate, method) in component_methods(index, candidates) {
        let file = index.impls[candidate.block].file;
        let no_generics = BTreeSet::new();
        let scope = Scope {
            file,
            generics: &no_generics,
        };
        for input in &method.sig.inputs {
            if let syn::FnArg::Typed(typed) = input {
                index.crate_types_in(&typed.ty, file, &mut seeds);
                crate_types(&index.classify(&typed.ty, scope), &mut Vec::new(), &mut macros);
            }
        }
        if let syn::ReturnType::Type(_, ty) = &method.sig.output {
            index.crate_types_in(ty, file, &mut seeds);
        }
    }
    let mut domain = Domain::default();
    let mut work: Vec<usize> = seeds
        .into_iter()
        .filter(|def| !components.contains(index.defs[*def].name.as_str()))
        .collect();
    while let Some(def) = work.pop() {
        if domain.types.contains_key(&def) {
            continue;
        }
        let plan = plan_type(index, def, &components);
        for field in &plan.fields {
            let mut held = Vec::new();
            crate_types(&field.ty, &mut held, &mut macros);
            if matches!(
                field.action,
                FieldAction::Keep | FieldAction::Existing(Existing::AsType)
            ) {
                work.extend(held);
            }
        }
        domain.types.insert(def, plan);
    }
    settle_underivable(index, &mut domain);
    domain.macro_types = macros;
    domain
}

/// A field holding a type that cannot derive `Telemetry` is skipped; that
/// can make its own type underivable in turn (a newtype), so repeat.
fn settle_underivable(index: &Index, domain: &mut Domain) {
    loop {
        let underivable: BTreeMap<usize, String> = domain
            .types
            .iter()
            .filter_map(|(def, plan)| plan.underivable.clone().map(|why| (*def, why)))
            .collect();
        let mut changed = false;
        for plan in domain.types.values_mut() {
            if plan.already || plan.underivable.is_some() {
                continue;
            }
            for field in &mut plan.fields {
                if field.action != FieldAction::Keep {
                    continue;
                }
                let mut held = Vec::new();
                crate_types(&field.ty, &mut held, &mut BTreeSet::new());
                if let Some(def) = held.iter().find(|def| underivable.contains_key(def)) {
                    let name = &index.defs[*def].name;
                    let reason = format!("`{name}` cannot derive Telemetry: {}", underivable[def]);
                    if field.newtype {
                        plan.underivable = Some(reason);
                    } else {
                        field.action = FieldAction::Skip(reason);
                    }
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

fn crate_types(ty: &Ty, found: &mut Vec<usize>, macros: &mut BTreeSet<(String, String)>) {
    match ty {
        Ty::Crate(def) => found.push(*def),
        Ty::Wrapper(inner) | Ty::List(inner) => crate_types(inner, found, macros),
        Ty::Map { value, .. } => crate_types(value, found, macros),
        Ty::Macro { ident, name } => {
            macros.insert((ident.clone(), name.clone()));
        }
        _ => {}
    }
}

fn plan_type(index: &Index, def: usize, components: &BTreeSet<&str>) -> TypePlan {
    let type_def = &index.defs[def];
    let attrs = type_def.item.attrs();
    let already = derived_traits(attrs).iter().any(|name| name == "Telemetry") || cfg_attr_derives(attrs, "Telemetry");
    let generics: BTreeSet<String> = type_def
        .item
        .generics()
        .type_params()
        .map(|param| param.ident.to_string())
        .collect();
    let scope = Scope {
        file: type_def.file,
        generics: &generics,
    };
    // (field, newtype, variant, position among its struct's or variant's fields)
    let fields: Vec<(syn::Field, bool, Option<String>, usize)> = match &type_def.item {
        DefItem::Struct(item) => {
            let newtype = matches!(&item.fields, syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1);
            item.fields
                .iter()
                .enumerate()
                .map(|(at, field)| (field.clone(), newtype, None, at))
                .collect()
        }
        DefItem::Enum(item) => item
            .variants
            .iter()
            .flat_map(|variant| {
                let name = variant.ident.to_string();
                variant
                    .fields
                    .iter()
                    .enumerate()
                    .map(move |(at, field)| (field.clone(), false, Some(name.clone()), at))
            })
            .collect(),
    };
    let mut underivable = None;
    let mut plans = Vec::new();
    for (field, newtype, variant, position) in fields {
        let name = match &field.ident {
            Some(ident) => ident.to_string().trim_start_matches("r#").to_owned(),
            None => position.to_string(),
        };
        let ty = index.classify(&field.ty, scope);
        let action = if has_attr(&field.attrs, "telemetry") {
            FieldAction::Existing(existing(&field.attrs))
        } else if already {
            FieldAction::Keep
        } else if let Some(word) = field.ident.as_ref().and_then(|_| sensitive_word(&name)) {
            FieldAction::Sensitive(word)
        } else {
            match needs(&ty, index, components) {
                Need::Nothing => FieldAction::Keep,
                Need::Display(name) => FieldAction::Display(name),
                Need::Skip(reason) if newtype => {
                    underivable = Some(reason);
                    FieldAction::Keep
                }
                Need::Skip(reason) => FieldAction::Skip(reason),
            }
        };
        plans.push(FieldPlan {
            field,
            name,
            variant,
            newtype,
            ty,
            action,
        });
    }
    TypePlan {
        def,
        already,
        underivable,
        fields: plans,
    }
}

fn existing(attrs: &[syn::Attribute]) -> Existing {
    let text: String = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("telemetry"))
        .map(|attr| attr.meta.to_token_stream().to_string())
        .collect();
    let has = |word: &str| {
        text.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| w == word)
    };
    if has("skip") {
        Existing::Skip
    } else if has("sensitive") {
        Existing::Sensitive
    } else if has("display") || has("with") {
        Existing::Text
    } else {
        Existing::AsType
    }
}

enum Need {
    Nothing,
    Display(String),
    Skip(String),
}

/// What a field of type `ty` needs so its struct can derive `Telemetry`.
fn needs(ty: &Ty, index: &Index, components: &BTreeSet<&str>) -> Need {
    match ty {
        Ty::Scalar(_) | Ty::Generic => Need::Nothing,
        Ty::Crate(def) if components.contains(index.defs[*def].name.as_str()) => {
            Need::Skip(format!("`{}` is a component, not data", index.defs[*def].name))
        }
        Ty::Crate(_) => Need::Nothing,
        Ty::Display(name) => Need::Display(name.clone()),
        Ty::Wrapper(inner) | Ty::List(inner) => match needs(inner, index, components) {
            Need::Display(name) => Need::Skip(format!(
                "`{name}` inside a wrapper has no `Capture` impl (`display` takes the bare type)"
            )),
            other => other,
        },
        Ty::Map { key_ok: false, .. } => Need::Skip("map keys must be strings to be captured".to_owned()),
        Ty::Map { value, .. } => match needs(value, index, components) {
            Need::Display(name) => Need::Skip(format!("`{name}` values have no `Capture` impl")),
            other => other,
        },
        Ty::Macro { ident, name } => Need::Skip(format!(
            "`{ident}` is made by `{name}!`: derive `Telemetry` there to capture it"
        )),
        Ty::Unsupported(reason) => Need::Skip(reason.clone()),
    }
}
