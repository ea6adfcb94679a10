//! The coverage a configuration reaches, computed from the parsed types
//! without building anything: each component method's inputs are expanded
//! into leaves as `#[derive(Telemetry)]` would describe them, and every leaf
//! is decided by caci-core's own rule
//! ([`TelemetryCaptureConfiguration::decide`]), so the figures are the
//! coverage report's.

use std::collections::BTreeSet;

use caci_core::decision::{Leaf, Reason, Verdict};
use caci_core::{Kind, TelemetryCaptureConfiguration};

use crate::discover::components::Candidate;
use crate::discover::index::{DefItem, Index};
use crate::discover::typeref::{Scope, Ty};
use crate::discover::types::{Domain, Existing, FieldAction, component_methods};

/// One input leaf of a component method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticLeaf {
    /// The component: its type's name.
    pub component: String,
    /// The method.
    pub method: String,
    /// The path: `["request", "plan"]`.
    pub path: Vec<String>,
    /// Its kind.
    pub kind: Kind,
    /// A list's items' or a map's values' kind.
    pub item_kind: Option<Kind>,
    /// The full name of the type that holds it.
    pub enclosing: Option<String>,
    /// The full names of the types on its path.
    pub type_names: Vec<String>,
    /// Marked `#[telemetry(sensitive)]`.
    pub sensitive: bool,
    /// A generic input: what it captures depends on each call.
    pub generic: bool,
    /// A struct cut at `max_depth`: one leaf beyond the depth limit.
    pub cut: bool,
    /// Identifiers behind the path the floor checks too (enum variants).
    pub aliases: Vec<String>,
}

impl StaticLeaf {
    /// `Component.method: a.b`.
    pub fn place(&self) -> String {
        format!("{}.{}: {}", self.component, self.method, self.path.join("."))
    }

    /// The name the leaf is allowed by: its path's last segment.
    pub fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    /// Its kind as the coverage report writes it: `uuid`, `list of enum`.
    pub fn kind_text(&self) -> String {
        match self.item_kind {
            Some(item) => format!("{} of {item}", self.kind),
            None => self.kind.to_string(),
        }
    }

    /// The verdict under `config`, by caci-core's decision rule.
    pub fn decide(&self, config: &TelemetryCaptureConfiguration) -> Verdict {
        if self.cut {
            // The run-time planner's verdict for a struct at the depth limit.
            return Verdict::NotCaptured(Reason::BeyondDepth);
        }
        let path: Vec<&str> = self.path.iter().map(String::as_str).collect();
        let types: Vec<&str> = self.type_names.iter().map(String::as_str).collect();
        let aliases: Vec<&str> = self.aliases.iter().map(String::as_str).collect();
        let kind = if self.generic { Kind::Opaque } else { self.kind };
        let mut leaf = Leaf::new(&path, kind)
            .at(&self.component, &self.method)
            .of_types(&types)
            .behind(&aliases);
        if let Some(enclosing) = &self.enclosing {
            leaf = leaf.in_type(enclosing);
        }
        if let Some(item) = self.item_kind {
            leaf = leaf.with_items(item);
        }
        if self.sensitive {
            leaf = leaf.marked_sensitive();
        }
        match config.decide(&leaf) {
            // Rows 1–4 passed: a generic input depends on each call's type.
            Verdict::NotCaptured(Reason::TypeNotCapturable) if self.generic => {
                Verdict::NotCaptured(Reason::DependsOnType)
            }
            verdict => verdict,
        }
    }
}

/// Whether no allow rule can lift the verdict (the report's "not reachable").
pub fn reachable(verdict: &Verdict) -> bool {
    matches!(
        verdict,
        Verdict::Captured(_)
            | Verdict::NotCaptured(
                Reason::NotAllowed | Reason::DependsOnType | Reason::BeyondDepth | Reason::FieldLimit
            )
    )
}

/// The figures the coverage report would show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Leaves captured.
    pub captured: usize,
    /// All leaves.
    pub leaves: usize,
    /// Leaves some allow rule could capture.
    pub reachable: usize,
    /// Components with a wrapped method.
    pub components: usize,
    /// Wrapped methods, constructors left out.
    pub methods: usize,
}

impl Coverage {
    /// Captured over all leaves, as the report rounds it: `74.2%`.
    pub fn percent_text(&self) -> String {
        caci_core::coverage::format_percent(self.captured, self.leaves)
    }

    /// The reachable maximum, rounded: `80.6%`.
    pub fn reachable_text(&self) -> String {
        caci_core::coverage::format_percent(self.reachable, self.leaves)
    }

    /// Captured over all leaves, as a number (0 when there is none).
    pub fn percent(&self) -> f64 {
        if self.leaves == 0 {
            0.0
        } else {
            100.0 * self.captured as f64 / self.leaves as f64
        }
    }
}

/// The inputs of every component method, as leaves.
pub struct Inputs {
    /// Every leaf.
    pub leaves: Vec<StaticLeaf>,
    /// (component, method) of every method counted.
    pub methods: BTreeSet<(String, String)>,
}

/// Expands every component method's inputs into leaves; structs deeper
/// than `max_depth` are cut there, as at run time.
pub fn inputs(index: &Index, candidates: &[Candidate], domain: &Domain, crate_name: &str, max_depth: usize) -> Inputs {
    let mut leaves = Vec::new();
    let mut methods = BTreeSet::new();
    for (candidate, method) in component_methods(index, candidates) {
        let block = &index.impls[candidate.block];
        let generics: BTreeSet<String> = block
            .item
            .generics
            .type_params()
            .chain(method.sig.generics.type_params())
            .map(|param| param.ident.to_string())
            .collect();
        let scope = Scope {
            file: block.file,
            generics: &generics,
        };
        let method_name = method.sig.ident.to_string();
        methods.insert((candidate.type_name.clone(), method_name.clone()));
        let mut expand = Expand {
            index,
            domain,
            crate_name,
            component: &candidate.type_name,
            method: &method_name,
            max_depth,
            aliases: Vec::new(),
            leaves: &mut leaves,
        };
        for input in &method.sig.inputs {
            let syn::FnArg::Typed(typed) = input else { continue };
            let syn::Pat::Ident(binding) = &*typed.pat else {
                continue;
            };
            let ty = index.classify(&typed.ty, scope);
            expand.ty(vec![binding.ident.to_string()], &ty, None, Vec::new());
        }
    }
    Inputs { leaves, methods }
}

/// The coverage `config` reaches over `inputs`.
pub fn measure(config: &TelemetryCaptureConfiguration, inputs: &Inputs) -> Coverage {
    let mut coverage = Coverage {
        leaves: inputs.leaves.len(),
        components: inputs
            .methods
            .iter()
            .map(|(component, _)| component)
            .collect::<BTreeSet<_>>()
            .len(),
        methods: inputs.methods.len(),
        ..Coverage::default()
    };
    for leaf in &inputs.leaves {
        let verdict = leaf.decide(config);
        coverage.captured += usize::from(verdict.is_captured());
        coverage.reachable += usize::from(reachable(&verdict));
    }
    coverage
}

/// A bound on nesting through lists of structs, whose items' fields share
/// the list's path and so are not stopped by `max_depth`.
const MAX_NESTING: usize = 64;

struct Expand<'a> {
    index: &'a Index,
    domain: &'a Domain,
    crate_name: &'a str,
    component: &'a str,
    method: &'a str,
    max_depth: usize,
    /// The variant names on the current path.
    aliases: Vec<String>,
    leaves: &'a mut Vec<StaticLeaf>,
}

impl Expand<'_> {
    fn push(
        &mut self,
        path: Vec<String>,
        kind: Kind,
        item_kind: Option<Kind>,
        enclosing: Option<&str>,
        types: &[String],
    ) {
        self.leaves.push(StaticLeaf {
            component: self.component.to_owned(),
            method: self.method.to_owned(),
            path,
            kind,
            item_kind,
            enclosing: enclosing.map(str::to_owned),
            type_names: types.to_vec(),
            sensitive: false,
            generic: false,
            cut: false,
            aliases: self.aliases.clone(),
        });
    }

    fn full_name(&self, def: usize) -> String {
        let def = &self.index.defs[def];
        let mut name = self.crate_name.replace('-', "_");
        for module in &def.module {
            name.push_str("::");
            name.push_str(module);
        }
        format!("{name}::{}", def.name)
    }

    /// The kind of a list's items or map's values, when they are leaves.
    fn item_kind(&self, ty: &Ty) -> Kind {
        match ty.unwrapped() {
            Ty::Scalar(kind) => *kind,
            Ty::Display(_) => Kind::String,
            Ty::Crate(def) if self.is_unit_enum(*def) => Kind::Enum,
            Ty::Crate(def) => match self.newtype_inner(*def) {
                Some(inner) => self.item_kind(&inner),
                None => Kind::Struct,
            },
            Ty::List(_) => Kind::List,
            Ty::Map { .. } => Kind::Map,
            _ => Kind::Opaque,
        }
    }

    fn derived(&self, def: usize) -> bool {
        self.domain
            .types
            .get(&def)
            .is_some_and(|plan| plan.already || plan.underivable.is_none())
    }

    fn is_unit_enum(&self, def: usize) -> bool {
        self.derived(def)
            && matches!(&self.index.defs[def].item, DefItem::Enum(item) if item.variants.iter().all(|v| v.fields.is_empty()))
    }

    fn newtype_inner(&self, def: usize) -> Option<Ty> {
        let plan = self.domain.types.get(&def)?;
        match plan.fields.as_slice() {
            [field] if field.newtype => Some(match field.action {
                FieldAction::Display(_) | FieldAction::Existing(Existing::Text) => Ty::Display(String::new()),
                _ => field.ty.clone(),
            }),
            _ => None,
        }
    }

    fn ty(&mut self, path: Vec<String>, ty: &Ty, enclosing: Option<&str>, types: Vec<String>) {
        match ty {
            Ty::Scalar(kind) => self.push(path, *kind, None, enclosing, &types),
            Ty::Display(_) => self.push(path, Kind::String, None, enclosing, &types),
            Ty::Wrapper(inner) => self.ty(path, inner, enclosing, types),
            Ty::Generic => {
                self.push(path, Kind::Opaque, None, enclosing, &types);
                if let Some(leaf) = self.leaves.last_mut() {
                    leaf.generic = true;
                }
            }
            Ty::List(inner) => match inner.unwrapped() {
                Ty::Crate(def) if self.derived(*def) && self.item_kind(inner) == Kind::Struct => {
                    self.ty(path, inner, enclosing, types);
                }
                _ => {
                    let item = self.item_kind(inner);
                    self.push(path, Kind::List, Some(item), enclosing, &types);
                }
            },
            Ty::Map { key_ok: true, value } => {
                let item = self.item_kind(value);
                self.push(path, Kind::Map, Some(item), enclosing, &types);
            }
            Ty::Crate(def) if self.derived(*def) => self.crate_type(path, *def, enclosing, types),
            _ => self.push(path, Kind::Opaque, None, enclosing, &types),
        }
    }

    fn crate_type(&mut self, path: Vec<String>, def: usize, enclosing: Option<&str>, mut types: Vec<String>) {
        let full = self.full_name(def);
        if types.len() > MAX_NESTING {
            return self.push(path, Kind::Opaque, None, enclosing, &types);
        }
        types.push(full.clone());
        if self.is_unit_enum(def) {
            return self.push(path, Kind::Enum, None, enclosing, &types);
        }
        let Some(plan) = self.domain.types.get(&def) else {
            return;
        };
        let fields = plan.fields.clone();
        let is_enum = matches!(self.index.defs[def].item, DefItem::Enum(_));
        if is_enum {
            // The variant's name, then the variants' fields under the same path.
            self.push(path.clone(), Kind::Enum, None, enclosing, &types);
        } else if let Some(inner) = self.newtype_inner(def) {
            return self.ty(path, &inner, enclosing, types);
        }
        let kept = |field: &&crate::discover::types::FieldPlan| {
            !matches!(
                field.action,
                FieldAction::Skip(_) | FieldAction::Existing(Existing::Skip)
            )
        };
        if path.len() >= self.max_depth && fields.iter().any(|field| kept(&field)) {
            if !is_enum {
                self.push(path, Kind::Struct, None, None, &types);
                if let Some(leaf) = self.leaves.last_mut() {
                    leaf.cut = true;
                }
            }
            return;
        }
        for field in fields.iter().filter(kept) {
            let mut child = path.clone();
            child.push(field.name.clone());
            let aliases = self.aliases.len();
            self.aliases.extend(field.variant.clone());
            match &field.action {
                FieldAction::Sensitive(_) | FieldAction::Existing(Existing::Sensitive) => {
                    self.push(child, Kind::Opaque, None, Some(&full), &types);
                    if let Some(leaf) = self.leaves.last_mut() {
                        leaf.sensitive = true;
                    }
                }
                FieldAction::Display(_) | FieldAction::Existing(Existing::Text) => {
                    self.push(child, Kind::String, None, Some(&full), &types);
                }
                _ => self.ty(child, &field.ty, Some(&full), types.clone()),
            }
            self.aliases.truncate(aliases);
        }
    }
}
