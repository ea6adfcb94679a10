//! Call sites: one static per place that opens a span, holding the plan for
//! the configuration in force and the `tracing` metadata that declares every
//! field the plan may fill.
//!
//! `tracing` fixes a span's field names in `'static` metadata and drops
//! anything undeclared, so each distinct set of captured fields gets its own
//! leaked callsite, interned per call site: swapping between two
//! configurations builds each set once.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use arc_swap::ArcSwapOption;
use arrayvec::ArrayVec;
use tracing::field::Value;
use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
use tracing::{Level, Metadata, Span};
use tracing_core::callsite::{Callsite, Identifier};
use tracing_core::field::FieldSet;
use tracing_core::subscriber::Interest;

use crate::active;
use crate::capture::{DynCapture, Out};
use crate::config::validate::{MAX_FIELDS_PER_SPAN_CEILING, Rules};
use crate::plan::{self, Input, LeafDecision, Plan};
use crate::slot::{RenderLimits, Slot, SlotSink};

/// Where a call site is and what it opens.
#[derive(Debug)]
pub struct SiteInfo {
    /// The span's name, e.g. `SubscriptionService.initialize_business`.
    pub name: &'static str,
    /// The span's target (by default the module path).
    pub target: &'static str,
    /// The span's level.
    pub level: Level,
    /// The module the call site is in.
    pub module_path: &'static str,
    /// The source file.
    pub file: &'static str,
    /// The source line.
    pub line: u32,
    /// The inputs' names, in the order values are passed.
    pub inputs: &'static [&'static str],
}

/// One place in the source that opens CACI spans. Created by the macros as a
/// `static`; see [`span!`](crate::span).
pub struct CallSite {
    info: SiteInfo,
    plan: ArcSwapOption<SitePlan>,
    interned: Mutex<Vec<&'static DynamicCallsite>>,
}

struct SitePlan {
    config_id: u64,
    rules: Arc<Rules>,
    callsite: &'static DynamicCallsite,
    plan: Plan,
}

impl CallSite {
    /// A call site; `const` so it can be a `static`.
    pub const fn new(info: SiteInfo) -> Self {
        CallSite {
            info,
            plan: ArcSwapOption::const_empty(),
            interned: Mutex::new(Vec::new()),
        }
    }

    /// Where the call site is.
    pub fn info(&self) -> &SiteInfo {
        &self.info
    }

    /// Opens a span capturing what the configuration in force allows of
    /// `values` (one per input name, in order). Returns a disabled span when
    /// no subscriber wants it.
    #[inline]
    pub fn span(&'static self, values: &[&dyn DynCapture]) -> Span {
        if !level_enabled(self.info.level) {
            return Span::none();
        }
        let cached = self.plan.load();
        match cached.as_deref() {
            Some(plan) if plan.config_id == active::current_id() => emit(plan, values),
            _ => {
                drop(cached);
                let plan = self.replan(values);
                emit(&plan, values)
            }
        }
    }

    /// Every leaf decision this call site takes under the configuration in
    /// force, given its inputs' shapes (used by tests and reports).
    pub fn decisions(&self, values: &[&dyn DynCapture]) -> Vec<LeafDecision> {
        let rules = active::current_rules();
        plan::plan(&rules, &self.inputs(values)).decisions
    }

    fn inputs(&self, values: &[&dyn DynCapture]) -> Vec<Input> {
        self.info
            .inputs
            .iter()
            .zip(values)
            .map(|(name, value)| Input {
                name,
                shape: value.dyn_shape(),
            })
            .collect()
    }

    #[cold]
    fn replan(&'static self, values: &[&dyn DynCapture]) -> Arc<SitePlan> {
        let rules = active::current_rules();
        let config_id = active::id_of(&rules);
        let plan = plan::plan(&rules, &self.inputs(values));
        let callsite = self.intern(&plan.fields);
        let site_plan = Arc::new(SitePlan {
            config_id,
            rules,
            callsite,
            plan,
        });
        self.plan.store(Some(Arc::clone(&site_plan)));
        site_plan
    }

    fn intern(&'static self, fields: &[String]) -> &'static DynamicCallsite {
        let mut interned = self.interned.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(existing) = interned.iter().find(|callsite| callsite.has_fields(fields)) {
            return existing;
        }
        let callsite = DynamicCallsite::register(&self.info, fields);
        interned.push(callsite);
        callsite
    }
}

#[inline]
fn level_enabled(level: Level) -> bool {
    level <= STATIC_MAX_LEVEL && level <= LevelFilter::current()
}

#[inline]
fn emit(site: &SitePlan, values: &[&dyn DynCapture]) -> Span {
    if !site.callsite.is_enabled() {
        return Span::none();
    }
    let field_count = site.plan.fields.len();
    let mut slots: ArrayVec<Slot<'_>, MAX_FIELDS_PER_SPAN_CEILING> = ArrayVec::new();
    for _ in 0..field_count {
        slots.push(Slot::Absent);
    }
    let mut sink = SlotSink {
        slots: &mut slots,
        limits: RenderLimits {
            max_items: site.rules.limits.max_list_items,
            max_string_len: site.rules.limits.max_string_len,
            deny: &site.rules.deny,
        },
    };
    for (node, value) in site.plan.inputs.iter().zip(values) {
        value.dyn_record(Out::new(node, &mut sink));
    }
    let recorded: ArrayVec<Option<&dyn Value>, MAX_FIELDS_PER_SPAN_CEILING> =
        slots.iter().map(Slot::as_value).collect();
    let metadata = site.callsite.metadata();
    Span::new(metadata, &metadata.fields().value_set_all(&recorded))
}

const INTEREST_NEVER: u8 = 0;
const INTEREST_SOMETIMES: u8 = 1;
const INTEREST_ALWAYS: u8 = 2;

/// A `tracing` callsite whose field names are known only at run time.
struct DynamicCallsite {
    metadata: OnceLock<Metadata<'static>>,
    field_names: &'static [&'static str],
    interest: AtomicU8,
}

impl DynamicCallsite {
    fn register(info: &'static SiteInfo, fields: &[String]) -> &'static Self {
        let field_names: Vec<&'static str> = fields
            .iter()
            .map(|name| &*Box::leak(name.clone().into_boxed_str()))
            .collect();
        let callsite: &'static DynamicCallsite = Box::leak(Box::new(DynamicCallsite {
            metadata: OnceLock::new(),
            field_names: Box::leak(field_names.into_boxed_slice()),
            interest: AtomicU8::new(INTEREST_SOMETIMES),
        }));
        let metadata = Metadata::new(
            info.name,
            info.target,
            info.level,
            Some(info.file),
            Some(info.line),
            Some(info.module_path),
            FieldSet::new(callsite.field_names, Identifier(callsite)),
            tracing_core::metadata::Kind::SPAN,
        );
        let _ = callsite.metadata.set(metadata);
        tracing_core::callsite::register(callsite);
        callsite
    }

    fn has_fields(&self, fields: &[String]) -> bool {
        self.field_names.len() == fields.len() && self.field_names.iter().zip(fields).all(|(a, b)| *a == b)
    }

    #[inline]
    fn is_enabled(&self) -> bool {
        match self.interest.load(Ordering::Relaxed) {
            INTEREST_NEVER => false,
            INTEREST_ALWAYS => true,
            _ => tracing::dispatcher::get_default(|dispatch| dispatch.enabled(self.metadata())),
        }
    }
}

impl Callsite for DynamicCallsite {
    fn set_interest(&self, interest: Interest) {
        let value = if interest.is_never() {
            INTEREST_NEVER
        } else if interest.is_always() {
            INTEREST_ALWAYS
        } else {
            INTEREST_SOMETIMES
        };
        self.interest.store(value, Ordering::Relaxed);
    }

    fn metadata(&self) -> &Metadata<'_> {
        self.metadata
            .get()
            .expect("metadata is set before the callsite is registered")
    }
}
