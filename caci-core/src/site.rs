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
use tracing::field::{Field, Value};
use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
use tracing::{Level, Metadata, Span};
use tracing_core::callsite::{Callsite, Identifier};
use tracing_core::field::FieldSet;
use tracing_core::subscriber::Interest;

use crate::active;
use crate::capture::{DynCapture, Out};
use crate::config::validate::{MAX_FIELDS_PER_SPAN_CEILING, Rules};
use crate::plan::{self, Input, LeafDecision, Plan};
use crate::shape::Shape;
use crate::slot::{RenderLimits, Sink, Slot};

/// Room for every field a span can declare: the captured ones (at most the
/// ceiling) and the fixed ones of a method span. The buffers live in the
/// recording frame, uninitialised past what is used.
const MAX_SLOTS: usize = MAX_FIELDS_PER_SPAN_CEILING + 8;

type Slots<'v> = ArrayVec<Slot<'v>, MAX_SLOTS>;
type Recorded<'a> = ArrayVec<Option<&'a dyn Value>, MAX_SLOTS>;

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
    core: SiteCore,
}

impl CallSite {
    /// A call site; `const` so it can be a `static`.
    pub const fn new(info: SiteInfo) -> Self {
        CallSite {
            core: SiteCore::new(info, &[]),
        }
    }

    /// Where the call site is.
    pub fn info(&self) -> &SiteInfo {
        &self.core.info
    }

    /// Opens a span capturing what the configuration in force allows of
    /// `values` (one per input name, in order). Returns a disabled span when
    /// no subscriber wants it.
    #[inline]
    pub fn span(&'static self, values: &[&dyn DynCapture]) -> Span {
        if !level_enabled(self.core.info.level) {
            return Span::none();
        }
        self.core.with_plan(
            0,
            || (self.inputs(values), None),
            |plan| plan.open(values.iter().map(|value| Some(*value))),
        )
    }

    /// Every leaf decision this call site takes under the configuration in
    /// force, given its inputs' shapes (used by tests and reports).
    pub fn decisions(&self, values: &[&dyn DynCapture]) -> Vec<LeafDecision> {
        let rules = active::current_rules();
        plan::plan(&rules, &self.inputs(values), None).decisions
    }

    fn inputs(&self, values: &[&dyn DynCapture]) -> Vec<Input> {
        self.core
            .info
            .inputs
            .iter()
            .zip(values)
            .map(|(name, value)| Input {
                name,
                shape: value.dyn_shape(),
            })
            .collect()
    }
}

/// What every kind of call site shares: its place, its cached plan, and the
/// metadata interned for it.
pub(crate) struct SiteCore {
    pub(crate) info: SiteInfo,
    /// Names of fields CACI itself records (outcome, duration…), after the
    /// captured ones.
    fixed_fields: &'static [&'static str],
    plan: ArcSwapOption<SitePlan>,
    interned: Mutex<Vec<&'static DynamicCallsite>>,
}

/// A call site planned under one configuration.
pub(crate) struct SitePlan {
    config_id: u64,
    pub(crate) rules: Arc<Rules>,
    pub(crate) callsite: &'static DynamicCallsite,
    pub(crate) plan: Plan,
    /// Which instantiation of a generic method the plan is for.
    instantiation: usize,
    /// Handles of the fixed fields, in `fixed_fields` order.
    fixed: Box<[Field]>,
}

impl SiteCore {
    pub(crate) const fn new(info: SiteInfo, fixed_fields: &'static [&'static str]) -> Self {
        SiteCore {
            info,
            fixed_fields,
            plan: ArcSwapOption::const_empty(),
            interned: Mutex::new(Vec::new()),
        }
    }

    /// Runs `body` with the plan for the configuration in force, planning
    /// first when the cached plan is for another configuration.
    ///
    /// `instantiation` tells apart the instantiations of a generic method,
    /// whose inputs' shapes differ while the site is one `static`.
    #[inline]
    pub(crate) fn with_plan<R>(
        &'static self,
        instantiation: usize,
        shapes: impl FnOnce() -> (Vec<Input>, Option<Shape>),
        body: impl FnOnce(&Arc<SitePlan>) -> R,
    ) -> R {
        let cached = self.plan.load();
        match cached.as_ref() {
            Some(plan) if plan.config_id == active::current_id() && plan.instantiation == instantiation => body(plan),
            _ => {
                drop(cached);
                let (inputs, output) = shapes();
                body(&self.replan(instantiation, &inputs, output.as_ref()))
            }
        }
    }

    #[cold]
    fn replan(&'static self, instantiation: usize, inputs: &[Input], output: Option<&Shape>) -> Arc<SitePlan> {
        let rules = active::current_rules();
        let config_id = active::id_of(&rules);
        let plan = plan::plan(&rules, inputs, output);
        let mut names = plan.fields.clone();
        names.extend(self.fixed_fields.iter().map(|name| (*name).to_owned()));
        let callsite = self.intern(&names);
        let declared = callsite.metadata().fields();
        let fixed = self
            .fixed_fields
            .iter()
            .map(|name| declared.field(name).expect("fixed fields are declared"))
            .collect();
        let site_plan = Arc::new(SitePlan {
            config_id,
            rules,
            callsite,
            plan,
            instantiation,
            fixed,
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

/// Whether spans at `level` can be enabled at all: the compile-time maximum
/// and the current global maximum. With a constant `level`, the first
/// comparison folds away.
#[inline(always)]
pub fn level_enabled(level: Level) -> bool {
    level <= STATIC_MAX_LEVEL && level <= LevelFilter::current()
}

impl SitePlan {
    /// The limits and deny list a recording obeys.
    #[inline]
    fn render_limits(&self) -> RenderLimits<'_> {
        RenderLimits(&self.rules)
    }

    /// Opens a span with the inputs' allowed values (`None`: an input whose
    /// type is not capturable).
    #[inline]
    pub(crate) fn open<'v>(&'v self, values: impl Iterator<Item = Option<&'v dyn DynCapture>>) -> Span {
        if !self.callsite.is_enabled() {
            return Span::none();
        }
        // Both buffers live in this frame: returning them by value would
        // copy kilobytes per call.
        // Slots for the captured fields only: the fixed ones (recorded at
        // the end of a method call) are absent when the span opens.
        let mut slots = Slots::new();
        for _ in 0..self.plan.fields.len() {
            slots.push(Slot::Absent);
        }
        let mut sink = Sink::Slots {
            slots: &mut slots,
            limits: self.render_limits(),
        };
        for (node, value) in self.plan.inputs.iter().zip(values) {
            if let Some(value) = value {
                value.dyn_record(Out::new(node, sink.reborrow()));
            }
        }
        let mut recorded = Recorded::new();
        for slot in &slots {
            recorded.push(slot.as_value());
        }
        for _ in self.fixed.iter() {
            recorded.push(None);
        }
        let metadata = self.callsite.metadata();
        Span::new(metadata, &metadata.fields().value_set_all(&recorded))
    }

    /// Records the fixed fields (by position in `fixed_fields`) and the
    /// output's allowed values on `span`.
    pub(crate) fn record_finish<'v, const N: usize>(
        &'v self,
        span: &Span,
        output: Option<&'v dyn DynCapture>,
        fixed: [Option<Slot<'v>>; N],
    ) {
        let metadata = self.callsite.metadata();
        let (Some(node), Some(output)) = (&self.plan.output, output) else {
            // The common case: only the fixed fields, without touching the
            // captured ones.
            let values: [(&Field, Option<&dyn Value>); N] =
                std::array::from_fn(|index| (&self.fixed[index], fixed[index].as_ref().and_then(Slot::as_value)));
            span.record_all(&metadata.fields().value_set(&values));
            return;
        };
        let mut slots = Slots::new();
        self.fill_absent(&mut slots);
        let sink = Sink::Slots {
            slots: &mut slots,
            limits: self.render_limits(),
        };
        output.dyn_record(Out::new(node, sink));
        let first_fixed = self.plan.fields.len();
        for (index, value) in fixed.into_iter().enumerate() {
            if let (Some(value), Some(slot)) = (value, slots.get_mut(first_fixed + index)) {
                *slot = value;
            }
        }
        let mut recorded = Recorded::new();
        for slot in &slots {
            recorded.push(slot.as_value());
        }
        span.record_all(&metadata.fields().value_set_all(&recorded));
    }

    /// The string limit, for fixed text fields.
    pub(crate) fn max_string_len(&self) -> usize {
        self.rules.limits.max_string_len
    }

    /// One empty slot per declared field.
    #[inline]
    fn fill_absent(&self, slots: &mut Slots<'_>) {
        for _ in 0..self.callsite.field_names.len() {
            slots.push(Slot::Absent);
        }
    }
}

const INTEREST_NEVER: u8 = 0;
const INTEREST_SOMETIMES: u8 = 1;
const INTEREST_ALWAYS: u8 = 2;

/// A `tracing` callsite whose field names are known only at run time.
pub(crate) struct DynamicCallsite {
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
