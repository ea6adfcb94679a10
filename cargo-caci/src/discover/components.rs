//! Finding components: impl blocks (inherent, or of the crate's own traits)
//! on the crate's types with methods that take a receiver, ranked by what
//! they are.
//!
//! | signal | score |
//! |---|---|
//! | a service-like name: `*Service`, `*Repository`/`*Repo`, `*Client`, `*Gateway`, `*Handler`, `*Api`, `*Store`, `*Consumer`, `*Processor`, … | +3 |
//! | held behind `Arc<dyn Trait>` / `Box<dyn Trait>` (an impl of that trait) | +3 |
//! | held in an `Arc<T>` by another type | +2 |
//! | a public method with a receiver, or a trait impl | +1 |
//! | data-like: an enum, derives `Copy`/`PartialEq`/`Hash`/`Serialize`…, or named `*Builder`, `*Error`, `*Config`, `*Id`, … | −3 |
//! | a tracing `Layer` or `Subscriber` (its spans would recurse) | −10 |
//! | another block of the type carries `#[component]` already (this one was left out on purpose) | −10 |
//!
//! Blocks scoring 1 or more are wrapped. Include and exclude patterns
//! override the score; blocks already carrying `#[component]` are kept as
//! they are; blocks whose methods use `#[tracing::instrument]` are listed for
//! a decision and never wrapped (a method would get two spans).

use std::collections::{BTreeMap, BTreeSet};

use super::index::{DefItem, Index};
use crate::patterns::Patterns;
use crate::syntax::{derived_traits, has_component, has_instrument};

const SERVICE_SUFFIXES: &[&str] = &[
    "Service",
    "Repository",
    "Repo",
    "Client",
    "Gateway",
    "Handler",
    "Api",
    "Store",
    "Consumer",
    "Processor",
    "Controller",
    "Provider",
    "Publisher",
    "Producer",
    "Worker",
    "Dao",
];

const DATA_SUFFIXES: &[&str] = &[
    "Builder",
    "Error",
    "Config",
    "Configuration",
    "Options",
    "Settings",
    "Id",
    "Params",
    "Request",
    "Response",
];

const DATA_DERIVES: &[&str] = &[
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Serialize",
    "Deserialize",
];

/// Traits whose impls are never components, even when a crate defines a
/// trait of the same name.
const STD_TRAITS: &[&str] = &[
    "Display",
    "Debug",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Default",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Iterator",
    "IntoIterator",
    "Deref",
    "DerefMut",
    "AsRef",
    "AsMut",
    "Borrow",
    "Drop",
    "Error",
    "FromStr",
    "Serialize",
    "Deserialize",
    "Visitor",
    "Future",
    "Capture",
];

/// What `init` does with a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wrapped with `#[caci_core::component]`.
    Wrap,
    /// Wrapped because an include pattern names it.
    Included(String),
    /// Not wrapped: the score is below 1.
    Below,
    /// Not wrapped: an exclude pattern names it.
    Excluded(String),
    /// Already `#[component]`: left as it is, counted as a component.
    Already,
    /// Its methods use `#[tracing::instrument]`: listed for a decision.
    UsesInstrument(Vec<String>),
}

impl Decision {
    /// Whether the block is a component once `init` is done.
    pub fn is_component(&self) -> bool {
        matches!(self, Decision::Wrap | Decision::Included(_) | Decision::Already)
    }

    /// Whether `init` adds the attribute.
    pub fn adds_attribute(&self) -> bool {
        matches!(self, Decision::Wrap | Decision::Included(_))
    }
}

/// One impl block considered.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The block, an index into [`Index::impls`].
    pub block: usize,
    /// `module::Type` (or `module::Trait for Type`), as patterns match it.
    pub label: String,
    /// The type's name.
    pub type_name: String,
    /// The score and what made it.
    pub score: i32,
    /// The signals, for the listing: `name *Service (+3)`.
    pub signals: Vec<String>,
    /// What `init` does.
    pub decision: Decision,
}

/// Ranks every candidate block of `index`, best first.
pub fn rank(index: &Index, patterns: &Patterns) -> Vec<Candidate> {
    let behind_dyn = dyn_traits(index);
    let in_arc = arc_held(index);
    // Types with a block wrapped by hand: their other blocks were left out on purpose.
    let wrapped_by_hand: BTreeSet<&str> = index
        .impls
        .iter()
        .filter(|block| has_component(&block.item.attrs))
        .filter_map(|block| block.self_name.as_deref())
        .collect();
    // Tracing layers and subscribers: spans opened inside them would recurse.
    let layers: BTreeSet<&str> = index
        .impls
        .iter()
        .filter(|block| {
            block
                .trait_name
                .as_ref()
                .is_some_and(|(name, _)| matches!(name.as_str(), "Layer" | "Subscriber" | "Collect"))
        })
        .filter_map(|block| block.self_name.as_deref())
        .collect();
    let mut candidates = Vec::new();
    for (at, block) in index.impls.iter().enumerate() {
        let Some(type_name) = block.self_name.clone() else {
            continue;
        };
        let defs = index.named(&type_name);
        let Some(&def) = defs
            .iter()
            .find(|def| index.defs[**def].module == block.module)
            .or(defs.first())
        else {
            continue;
        };
        if let Some((trait_name, own)) = &block.trait_name
            && (!own || STD_TRAITS.contains(&trait_name.as_str()))
        {
            continue;
        }
        let methods: Vec<&syn::ImplItemFn> = block
            .item
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(method) => Some(method),
                _ => None,
            })
            .collect();
        if !methods.iter().any(|method| method.sig.receiver().is_some()) {
            continue;
        }
        let mut score = 0;
        let mut signals = Vec::new();
        let mut signal = |points: i32, text: String| {
            score += points;
            signals.push(format!("{text} ({points:+})"));
        };
        if let Some(suffix) = SERVICE_SUFFIXES.iter().find(|suffix| type_name.ends_with(*suffix)) {
            signal(3, format!("name *{suffix}"));
        }
        if let Some((trait_name, _)) = &block.trait_name {
            if behind_dyn.contains(trait_name) {
                signal(3, format!("behind Arc<dyn {trait_name}>"));
            } else {
                signal(1, format!("impl of {trait_name}"));
            }
        } else if methods
            .iter()
            .any(|method| method.sig.receiver().is_some() && matches!(method.vis, syn::Visibility::Public(_)))
        {
            signal(1, "public methods".to_owned());
        }
        if in_arc.contains(&type_name) {
            signal(2, format!("held in Arc<{type_name}>"));
        }
        let item = &index.defs[def].item;
        let derives = derived_traits(item.attrs());
        if matches!(item, DefItem::Enum(_)) {
            signal(-3, "an enum: data".to_owned());
        } else if let Some(data) = derives.iter().find(|name| DATA_DERIVES.contains(&name.as_str())) {
            signal(-3, format!("derives {data}: data"));
        } else if let Some(suffix) = DATA_SUFFIXES.iter().find(|suffix| type_name.ends_with(*suffix)) {
            signal(-3, format!("name *{suffix}: data"));
        }
        if layers.contains(type_name.as_str()) {
            signal(-10, "a tracing layer: its spans would recurse".to_owned());
        }
        if !has_component(&block.item.attrs) && wrapped_by_hand.contains(type_name.as_str()) {
            signal(
                -10,
                "another block of the type is a component: left out on purpose".to_owned(),
            );
        }
        let label = label(
            &block.module,
            &type_name,
            block.trait_name.as_ref().map(|(name, _)| name.as_str()),
        );
        let instrumented: Vec<String> = methods
            .iter()
            .filter(|method| has_instrument(&method.attrs))
            .map(|method| method.sig.ident.to_string())
            .collect();
        let decision = if has_component(&block.item.attrs) {
            Decision::Already
        } else if !instrumented.is_empty() {
            Decision::UsesInstrument(instrumented)
        } else if let Some(pattern) = patterns.excluded(&label, &type_name) {
            Decision::Excluded(pattern.to_owned())
        } else if let Some(pattern) = patterns.included(&label, &type_name) {
            Decision::Included(pattern.to_owned())
        } else if patterns.has_includes() || score < 1 {
            Decision::Below
        } else {
            Decision::Wrap
        };
        candidates.push(Candidate {
            block: at,
            label,
            type_name,
            score,
            signals,
            decision,
        });
    }
    candidates.sort_by(|a, b| b.score.cmp(&a.score).then(a.block.cmp(&b.block)));
    candidates
}

/// `billing::Gateway`, or `repository::Repository for InMemoryRepository`.
fn label(module: &[String], type_name: &str, trait_name: Option<&str>) -> String {
    let mut path = module.join("::");
    if !path.is_empty() {
        path.push_str("::");
    }
    match trait_name {
        Some(trait_name) => format!("{path}{trait_name} for {type_name}"),
        None => format!("{path}{type_name}"),
    }
}

/// The traits some field or parameter holds as `Arc<dyn Trait>` or `Box<dyn Trait>`.
fn dyn_traits(index: &Index) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut visit = |ty: &syn::Type| collect_dyn(ty, &mut found);
    for def in &index.defs {
        for_each_field_type(&def.item, &mut visit);
    }
    for block in &index.impls {
        for item in &block.item.items {
            if let syn::ImplItem::Fn(method) = item {
                for input in &method.sig.inputs {
                    if let syn::FnArg::Typed(typed) = input {
                        visit(&typed.ty);
                    }
                }
            }
        }
    }
    found
}

fn collect_dyn(ty: &syn::Type, found: &mut BTreeSet<String>) {
    struct Walk<'a>(&'a mut BTreeSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for Walk<'_> {
        fn visit_type_trait_object(&mut self, object: &'ast syn::TypeTraitObject) {
            for bound in &object.bounds {
                if let syn::TypeParamBound::Trait(bound) = bound
                    && let Some(last) = bound.path.segments.last()
                {
                    self.0.insert(last.ident.to_string());
                }
            }
            syn::visit::visit_type_trait_object(self, object);
        }
    }
    syn::visit::visit_type(&mut Walk(found), ty);
}

/// The types some field holds in an `Arc<T>`.
fn arc_held(index: &Index) -> BTreeSet<String> {
    let mut found = BTreeMap::new();
    for def in &index.defs {
        for_each_field_type(&def.item, &mut |ty| {
            if let syn::Type::Path(path) = ty
                && let Some(last) = path.path.segments.last()
                && last.ident == "Arc"
                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
                && let Some(name) = super::index::last_ident(inner)
            {
                found.insert(name, ());
            }
        });
    }
    found.into_keys().collect()
}

fn for_each_field_type(item: &DefItem, visit: &mut dyn FnMut(&syn::Type)) {
    match item {
        DefItem::Struct(item) => item.fields.iter().for_each(|field| visit(&field.ty)),
        DefItem::Enum(item) => item
            .variants
            .iter()
            .flat_map(|variant| &variant.fields)
            .for_each(|field| visit(&field.ty)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn ranked(text: &str, patterns: &Patterns) -> Vec<(String, i32, Decision)> {
        let sources = Sources::from_texts([("src/lib.rs".into(), Vec::new(), text.to_owned())]);
        let index = Index::build(&sources);
        rank(&index, patterns)
            .into_iter()
            .map(|candidate| (candidate.label, candidate.score, candidate.decision))
            .collect()
    }

    #[test]
    fn services_and_trait_objects_rank_first_and_data_last() {
        let text = "
            pub trait Ledger: Send + Sync { fn post(&self, cents: i64); }
            pub struct SqlLedger;
            impl Ledger for SqlLedger { fn post(&self, cents: i64) {} }
            pub struct PaymentGateway { ledger: std::sync::Arc<dyn Ledger> }
            impl PaymentGateway { pub fn pay(&self) {} }
            pub struct Helper;
            impl Helper { fn private(&self) {} }
            #[derive(Clone, Copy, PartialEq)]
            pub struct Money(i64);
            impl Money { pub fn cents(&self) -> i64 { self.0 } }
            pub struct RequestBuilder;
            impl RequestBuilder { pub fn build(self) -> u8 { 0 } }
            pub struct Constructors;
            impl Constructors { pub fn new() -> Self { Constructors } }
            impl std::fmt::Display for PaymentGateway {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) }
            }
            impl Iterator for Helper { type Item = u8; fn next(&mut self) -> Option<u8> { None } }
            impl serde::Serialize for Helper {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { todo!() }
            }
        ";
        let ranked = ranked(text, &Patterns::default());
        let summary: Vec<(&str, i32, bool)> = ranked
            .iter()
            .map(|(label, score, decision)| (label.as_str(), *score, decision.adds_attribute()))
            .collect();
        assert_eq!(
            summary,
            [
                ("PaymentGateway", 4, true),
                ("Ledger for SqlLedger", 3, true),
                ("Helper", 0, false),
                ("Money", -2, false),
                ("RequestBuilder", -2, false),
            ],
            "Display, Iterator and Serialize impls and blocks without a receiver are not candidates"
        );
    }

    #[test]
    fn patterns_override_the_score_and_exclude_wins() {
        let text = "
            pub struct Helper;
            impl Helper { fn private(&self) {} }
            pub struct OrderService;
            impl OrderService { pub fn get(&self) {} }
        ";
        let patterns = Patterns {
            include: vec!["Help*".into(), "OrderService".into()],
            exclude: vec!["*Service".into()],
        };
        let decisions: Vec<Decision> = ranked(text, &patterns)
            .into_iter()
            .map(|(_, _, decision)| decision)
            .collect();
        assert_eq!(
            decisions,
            [
                Decision::Excluded("*Service".into()),
                Decision::Included("Help*".into())
            ]
        );
    }
}
