//! Call sites: one static per place that opens a span, holding the plan for
//! the configuration in force and the `tracing` metadata that declares every
//! field the plan may fill.
//!
//! `tracing` fixes a span's field names in `'static` metadata and drops
//! anything undeclared, so each distinct set of captured fields gets its own
//! leaked callsite, interned per call site: swapping between two
//! configurations builds each set once.

use std::sync::atomic::{AtomicPtr, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tracing::field::{Field, Value, ValueSet};
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
/// ceiling) and the fixed ones of a method span.
const MAX_SLOTS: usize = MAX_FIELDS_PER_SPAN_CEILING + 8;

/// The buffer sizes a span is opened with: the smallest that holds every
/// declared field, so a typical span initialises a few hundred bytes, not
/// kilobytes.
const SMALL_SLOTS: usize = 16;
const MEDIUM_SLOTS: usize = 48;

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
        let plan = self.core.plan(0, || (self.inputs(values), None));
        plan.open(values.iter().map(|value| Some(*value)))
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
    /// The plan the last call used: the per-call check.
    current: CurrentPlan,
    /// Every plan made here, one per (configuration, instantiation): a
    /// configuration swapped back in finds its plan again.
    plans: Mutex<Vec<&'static SitePlan>>,
    interned: Mutex<Vec<&'static DynamicCallsite>>,
}

/// A call site planned under one configuration.
///
/// Plans are immutable and never freed, so a call borrows its plan for
/// `'static` with no reference count. They are few: one per call site per
/// distinct configuration content (equal configurations share an identity)
/// per generic instantiation.
pub(crate) struct SitePlan {
    config_id: u64,
    pub(crate) rules: Arc<Rules>,
    pub(crate) callsite: &'static DynamicCallsite,
    /// The callsite's metadata, read without going through its `OnceLock`.
    metadata: &'static Metadata<'static>,
    pub(crate) plan: Plan,
    /// Which instantiation of a generic method the plan is for.
    instantiation: usize,
    /// Handles of the fixed fields, in `fixed_fields` order.
    fixed: Box<[Field]>,
    /// Handles of the captured fields, in slot order.
    captured: Box<[Field]>,
}

impl SiteCore {
    pub(crate) const fn new(info: SiteInfo, fixed_fields: &'static [&'static str]) -> Self {
        SiteCore {
            info,
            fixed_fields,
            current: CurrentPlan::new(),
            plans: Mutex::new(Vec::new()),
            interned: Mutex::new(Vec::new()),
        }
    }

    /// The plan for the configuration in force on this thread, planning
    /// first when this site has none for it yet.
    ///
    /// `instantiation` tells apart the instantiations of a generic method,
    /// whose inputs' shapes differ while the site is one `static`.
    #[inline]
    pub(crate) fn plan(
        &'static self,
        instantiation: usize,
        shapes: impl FnOnce() -> (Vec<Input>, Option<Shape>),
    ) -> &'static SitePlan {
        match self.current.get() {
            Some(plan) if plan.config_id == active::current_id() && plan.instantiation == instantiation => plan,
            _ => self.find_or_plan(instantiation, shapes),
        }
    }

    #[cold]
    #[inline(never)]
    fn find_or_plan(
        &'static self,
        instantiation: usize,
        shapes: impl FnOnce() -> (Vec<Input>, Option<Shape>),
    ) -> &'static SitePlan {
        let rules = active::current_rules();
        let config_id = active::id_of(&rules);
        let mut plans = self.plans.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let known = plans
            .iter()
            .find(|plan| plan.config_id == config_id && plan.instantiation == instantiation);
        let plan = match known {
            Some(plan) => *plan,
            None => {
                let (inputs, output) = shapes();
                let plan = self.make_plan(rules, config_id, instantiation, &inputs, output.as_ref());
                plans.push(plan);
                plan
            }
        };
        self.current.set(plan);
        plan
    }

    fn make_plan(
        &'static self,
        rules: Arc<Rules>,
        config_id: u64,
        instantiation: usize,
        inputs: &[Input],
        output: Option<&Shape>,
    ) -> &'static SitePlan {
        let plan = plan::plan(&rules, inputs, output);
        let mut names = plan.fields.clone();
        names.extend(self.fixed_fields.iter().map(|name| (*name).to_owned()));
        let callsite = self.intern(&names);
        let declared = callsite.metadata().fields();
        let handles = |names: &mut dyn Iterator<Item = &str>| -> Box<[Field]> {
            names
                .map(|name| declared.field(name).expect("planned fields are declared"))
                .collect()
        };
        let fixed = handles(&mut self.fixed_fields.iter().copied());
        let captured = handles(&mut plan.fields.iter().map(String::as_str));
        Box::leak(Box::new(SitePlan {
            config_id,
            rules,
            callsite,
            metadata: callsite.metadata(),
            plan,
            instantiation,
            fixed,
            captured,
        }))
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

    /// The metadata of the spans this plan opens.
    #[inline]
    pub(crate) fn metadata(&self) -> &'static Metadata<'static> {
        self.metadata
    }

    /// The handle of the fixed field at `index` in the site's fixed fields.
    #[inline]
    pub(crate) fn fixed_field(&self, index: usize) -> &Field {
        &self.fixed[index]
    }

    /// Opens a span with the inputs' allowed values (`None`: an input whose
    /// type is not capturable).
    #[inline]
    pub(crate) fn open<'v>(&'v self, values: impl Iterator<Item = Option<&'v dyn DynCapture>>) -> Span {
        if !self.callsite.is_enabled() {
            return Span::none();
        }
        self.open_enabled(values)
    }

    /// Shared by every call site (generic only over the iterator type): one
    /// copy of the code for each captured-field count, out of line.
    #[inline(never)]
    fn open_enabled<'v>(&'v self, values: impl Iterator<Item = Option<&'v dyn DynCapture>>) -> Span {
        // The captured fields only, as (field, value) pairs: the fixed ones
        // are recorded later, and a value set with only the fields present
        // is what `tracing`'s own macros build. Up to six fields the array
        // is exact; above, it is padded with absent entries to a size class,
        // which keeps this function's code small.
        match self.captured.len() {
            0 => new_span(self.metadata, &self.metadata.fields().value_set(&[])),
            1 => self.open_with_pairs::<1>(values),
            2 => self.open_with_pairs::<2>(values),
            3 => self.open_with_pairs::<3>(values),
            4 => self.open_with_pairs::<4>(values),
            5 => self.open_with_pairs::<5>(values),
            6 => self.open_with_pairs::<6>(values),
            7..=8 => self.open_with_pairs::<8>(values),
            9..=12 => self.open_with_pairs::<12>(values),
            _ => self.open_any(values),
        }
    }

    /// Opens the span with an array of `N` (field, value) pairs, `N` at
    /// least the number of captured fields; the extra pairs are absent.
    #[inline(always)]
    fn open_with_pairs<'v, const N: usize>(&'v self, values: impl Iterator<Item = Option<&'v dyn DynCapture>>) -> Span {
        let mut slots: [Slot<'v>; N] = [const { Slot::Absent }; N];
        let captured = self.captured.len().min(N);
        self.fill(&mut slots[..captured], values);
        // An absent pair is skipped by every visitor; any declared field
        // will do as its key.
        let mut recorded: [(&Field, Option<&dyn Value>); N] = [(&self.captured[0], None); N];
        for ((entry, field), slot) in recorded.iter_mut().zip(self.captured.iter()).zip(&slots) {
            *entry = (field, slot.as_value());
        }
        new_span(self.metadata, &self.metadata.fields().value_set(&recorded))
    }

    #[inline(never)]
    fn open_any<'v>(&'v self, values: impl Iterator<Item = Option<&'v dyn DynCapture>>) -> Span {
        self.with_values(
            |sink| self.fill_sink(sink, values),
            &[],
            |values| Span::new(self.metadata, values),
        )
    }

    /// Writes the inputs' allowed leaves into `slots`.
    #[inline(always)]
    fn fill<'v>(&'v self, slots: &mut [Slot<'v>], values: impl Iterator<Item = Option<&'v dyn DynCapture>>) {
        self.fill_sink(
            Sink::Slots {
                slots,
                limits: self.render_limits(),
            },
            values,
        );
    }

    #[inline(always)]
    fn fill_sink<'v>(&'v self, mut sink: Sink<'_, 'v>, values: impl Iterator<Item = Option<&'v dyn DynCapture>>) {
        for (node, value) in self.plan.inputs.iter().zip(values) {
            if let Some(value) = value {
                value.dyn_record(Out::new(node, sink.reborrow()));
            }
        }
    }

    /// Records the output's allowed values, with the fixed fields' values
    /// (in `fixed_fields` order), on `span`.
    pub(crate) fn record_output<'v>(
        &'v self,
        span: &Span,
        output: &'v dyn DynCapture,
        fixed: &[Option<&'v dyn Value>],
    ) {
        self.with_values(
            |sink| {
                if let Some(node) = &self.plan.output {
                    output.dyn_record(Out::new(node, sink));
                }
            },
            fixed,
            |values| span.record_all(values),
        );
    }

    /// Runs `deliver` with a value set over every declared field: the
    /// captured ones as `fill` writes them, then the fixed ones from `fixed`
    /// (absent past its end).
    #[inline]
    fn with_values<'v, R>(
        &'v self,
        fill: impl FnOnce(Sink<'_, 'v>),
        fixed: &[Option<&'v dyn Value>],
        deliver: impl FnOnce(&ValueSet<'_>) -> R,
    ) -> R {
        // The buffers live in this frame; sized by class, so the common span
        // does not initialise (or probe the stack for) kilobytes.
        let declared = self.callsite.field_names.len();
        if declared <= SMALL_SLOTS {
            self.with_buffers::<SMALL_SLOTS, R>(fill, fixed, deliver)
        } else {
            self.with_large_buffers(fill, fixed, deliver)
        }
    }

    #[inline(never)]
    fn with_large_buffers<'v, R>(
        &'v self,
        fill: impl FnOnce(Sink<'_, 'v>),
        fixed: &[Option<&'v dyn Value>],
        deliver: impl FnOnce(&ValueSet<'_>) -> R,
    ) -> R {
        if self.callsite.field_names.len() <= MEDIUM_SLOTS {
            self.with_buffers::<MEDIUM_SLOTS, R>(fill, fixed, deliver)
        } else {
            self.with_buffers::<MAX_SLOTS, R>(fill, fixed, deliver)
        }
    }

    #[inline(always)]
    fn with_buffers<'v, const N: usize, R>(
        &'v self,
        fill: impl FnOnce(Sink<'_, 'v>),
        fixed: &[Option<&'v dyn Value>],
        deliver: impl FnOnce(&ValueSet<'_>) -> R,
    ) -> R {
        let captured = self.plan.fields.len();
        let declared = self.callsite.field_names.len();
        let mut slots: [Slot<'v>; N] = [const { Slot::Absent }; N];
        fill(Sink::Slots {
            slots: &mut slots[..captured],
            limits: self.render_limits(),
        });
        let mut recorded: [Option<&dyn Value>; N] = [None; N];
        let (captured_values, fixed_values) = recorded[..declared].split_at_mut(captured);
        for (entry, slot) in captured_values.iter_mut().zip(&slots) {
            *entry = slot.as_value();
        }
        for (entry, value) in fixed_values.iter_mut().zip(fixed) {
            *entry = *value;
        }
        deliver(&self.metadata().fields().value_set_all(&recorded[..declared]))
    }

    /// The string limit, for fixed text fields.
    pub(crate) fn max_string_len(&self) -> usize {
        self.rules.limits.max_string_len
    }

    /// Whether failed calls' error messages may be recorded.
    pub(crate) fn captures_error_messages(&self) -> bool {
        self.rules.capture_error_messages
    }
}

/// `Span::new`, out of line: each buffer size shares one copy.
#[inline(never)]
fn new_span(metadata: &'static Metadata<'static>, values: &ValueSet<'_>) -> Span {
    Span::new(metadata, values)
}

/// The plan a call site used last: a pointer to a leaked [`SitePlan`].
///
/// `arc-swap` would cost a debt-list visit and a reference count per call;
/// plans are never freed, so a plain atomic pointer is enough.
struct CurrentPlan(AtomicPtr<SitePlan>);

impl CurrentPlan {
    const fn new() -> Self {
        CurrentPlan(AtomicPtr::new(std::ptr::null_mut()))
    }

    #[inline]
    fn get(&self) -> Option<&'static SitePlan> {
        let plan = self.0.load(Ordering::Acquire);
        // SAFETY: `set` is the only writer and stores only pointers made from
        // `&'static SitePlan` (leaked boxes, never freed or mutated).
        #[allow(unsafe_code)]
        unsafe {
            plan.as_ref()
        }
    }

    fn set(&self, plan: &'static SitePlan) {
        self.0.store(std::ptr::from_ref(plan).cast_mut(), Ordering::Release);
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
