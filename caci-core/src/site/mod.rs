//! Call sites: one static per place that opens a span, holding the plan for
//! the configuration in force and the `tracing` metadata that declares every
//! field the plan may fill.
//!
//! `tracing` fixes a span's field names in `'static` metadata and drops
//! anything undeclared, so each distinct set of captured fields gets its own
//! leaked callsite, interned per call site: swapping between two
//! configurations builds each set once.

mod callsite;
mod gate;
#[cfg(feature = "metrics")]
pub(crate) mod metrics;
mod site_plan;

use std::any::TypeId;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::Field;
use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
use tracing::{Level, Span};
use tracing_core::callsite::Callsite;

use crate::plan::{self, Input, LeafDecision};
use crate::record::capture::Erased;
use crate::rules::Rules;
use crate::rules::current;
use crate::shape::Shape;

pub(crate) use callsite::DynamicCallsite;
use gate::SiteGate;
pub(crate) use gate::reopen_gates;
pub(crate) use site_plan::SitePlan;
#[cfg(feature = "metrics")]
pub(crate) use site_plan::SlotTap;

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

/// One place in the source that opens CACI spans or emits CACI events.
/// Created by the macros as a `static`; see [`span!`](crate::span) and
/// [`event!`](crate::event).
pub struct CallSite {
    core: SiteCore,
}

/// The fields an event site records after the captured ones.
const EVENT_FIELDS: &[&str] = &["message"];

impl CallSite {
    /// A span call site; `const` so it can be a `static`.
    pub const fn new(info: SiteInfo) -> Self {
        CallSite {
            core: SiteCore::new(info, &[], SiteKind::Span, &[], None),
        }
    }

    /// An event call site; `const` so it can be a `static`.
    pub const fn new_event(info: SiteInfo) -> Self {
        CallSite {
            core: SiteCore::new(info, EVENT_FIELDS, SiteKind::Event, &[], None),
        }
    }

    /// Where the call site is.
    pub fn info(&self) -> &SiteInfo {
        &self.core.info
    }

    /// Whether a span or event may be wanted here: one load, `false` only
    /// when no subscriber wants this site's spans (its level filtered out,
    /// or no subscriber at all) once it has been planned. Checked before
    /// anything else; [`span`](Self::span) and [`event`](Self::event) check
    /// the rest.
    #[inline(always)]
    pub fn may_be_enabled(&self) -> bool {
        self.core.may_be_enabled()
    }

    /// Opens a span capturing what the configuration in force allows of
    /// `values` (one per input name, in order). Returns a disabled span when
    /// no subscriber wants it.
    ///
    /// [`span!`](crate::span) checks the level (a constant) before calling
    /// this, so it is not checked again here; a direct caller that skips the
    /// check still gets a disabled span, one plan lookup later.
    ///
    /// `key` identifies the values' types (`(&A, &B)` for values of types
    /// `A` and `B`): a site in generic code plans each instantiation apart.
    #[inline]
    pub fn span(&'static self, key: TypeId, values: &[Erased<'_>]) -> Span {
        let plan = self.core.plan(key, || (self.inputs(values), None));
        plan.open(values.iter().map(|value| Some(*value)))
    }

    /// Emits an event with `message` and what the configuration in force
    /// allows of `values`, as [`span`](Self::span) opens a span.
    #[inline]
    pub fn event(&'static self, key: TypeId, message: &str, values: &[Erased<'_>]) {
        let plan = self.core.plan(key, || (self.inputs(values), None));
        plan.emit(values.iter().map(|value| Some(*value)), message);
    }

    /// Records what the configuration in force allows of `values` on the
    /// current span, when it is a CACI span that declared these names for
    /// `record!` (see [`record!`](crate::record)); anything else is dropped.
    pub fn record(&'static self, key: TypeId, values: &[Erased<'_>]) {
        let span = Span::current();
        let Some(target) = span.metadata().and_then(DynamicCallsite::with_late_fields) else {
            return;
        };
        let plan = self.core.plan(key, || (self.inputs(values), None));
        plan.record_late(&span, target, values.iter().map(|value| Some(*value)));
    }

    /// Every leaf decision this call site takes under the configuration in
    /// force, given its inputs' shapes (used by tests and reports).
    pub fn decisions(&self, values: &[Erased<'_>]) -> Vec<LeafDecision> {
        let rules = current::current_rules();
        plan::plan(&rules, None, &self.inputs(values), None).decisions
    }

    fn inputs(&self, values: &[Erased<'_>]) -> Vec<Input> {
        self.core
            .info
            .inputs
            .iter()
            .zip(values)
            .map(|(name, value)| Input::new(name, value.value.dyn_shape()).typed(Some(value.value.dyn_input_type())))
            .collect()
    }
}

/// What every kind of call site shares: its place, its cached plan, and the
/// metadata interned for it.
pub(crate) struct SiteCore {
    pub(crate) info: SiteInfo,
    kind: SiteKind,
    /// Names the body fills later with `record!`: declared, empty, after
    /// the fixed fields.
    late: &'static [&'static str],
    /// Names of fields CACI itself records (outcome, duration…), after the
    /// captured ones.
    fixed_fields: &'static [&'static str],
    /// The wrapped method this site is, as (component, method): the
    /// configuration's scopes for it apply.
    method: Option<(&'static str, &'static str)>,
    /// A wrapped method's `code.function.name` (set by the macros); empty
    /// for other sites and for method sites built by hand without one.
    pub(crate) function: &'static str,
    /// A wrapped method's error type's shape, when its type is known: its
    /// fields are planned under `error.`.
    pub(crate) error_shape: Option<fn() -> Shape>,
    /// Closed when no subscriber wants this site's spans: the check a
    /// disabled call makes.
    gate: SiteGate,
    /// The plan the last call used: the per-call check.
    current: CurrentPlan,
    /// The plans made here, each recording differently, and which
    /// (configuration, instantiation) pairs used them lately.
    plans: Mutex<Plans>,
    interned: Mutex<Vec<&'static DynamicCallsite>>,
    /// The shapes of the instantiations of a generic method planned so
    /// far (at most [`MAX_KEPT_INSTANTIATIONS`]), for the coverage report.
    instantiations: Mutex<Vec<Instantiation>>,
}

/// Where the gate's byte is in a site.
pub(crate) const GATE_BYTE: usize = core::mem::offset_of!(SiteCore, gate) + gate::OPEN_BYTE;

/// The key of a method that is not generic (see `method::not_generic`).
pub(crate) fn not_generic_key() -> TypeId {
    TypeId::of::<()>()
}

/// How many instantiations of one generic method a site describes to the
/// coverage report; later ones are planned and captured all the same.
pub(crate) const MAX_KEPT_INSTANTIATIONS: usize = 16;

/// One instantiation of a generic method: its inputs' and output's shapes.
#[derive(Clone, Debug)]
pub(crate) struct Instantiation {
    pub(crate) key: TypeId,
    pub(crate) inputs: Vec<Input>,
    pub(crate) output: Option<Shape>,
}

/// What a site emits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum SiteKind {
    Span,
    Event,
}

impl SiteCore {
    pub(crate) const fn new(
        info: SiteInfo,
        fixed_fields: &'static [&'static str],
        kind: SiteKind,
        late: &'static [&'static str],
        method: Option<(&'static str, &'static str)>,
    ) -> Self {
        SiteCore {
            info,
            kind,
            late,
            fixed_fields,
            method,
            function: "",
            error_shape: None,
            gate: SiteGate::new(),
            current: CurrentPlan::new(),
            plans: Mutex::new(Plans::new()),
            interned: Mutex::new(Vec::new()),
            instantiations: Mutex::new(Vec::new()),
        }
    }

    /// The plan for the configuration in force on this thread, planning
    /// first when this site has none for it yet.
    ///
    /// `key` identifies the types of the values the site is called with
    /// (for a generic function, its instantiation): a site shared by
    /// several instantiations keeps one plan for each, and never records one
    /// type's values with another's plan.
    /// Whether a span may be wanted here: `false` only when every
    /// subscriber said `never` to this site's callsites and the site is
    /// planned under the configuration in force (see `gate`).
    #[inline(always)]
    pub(crate) fn may_be_enabled(&self) -> bool {
        self.gate.is_open()
    }

    /// Whether the site has no plan for the configuration in force yet.
    pub(crate) fn unplanned(&self) -> bool {
        self.gate.unplanned()
    }

    #[inline]
    pub(crate) fn plan(
        &'static self,
        key: TypeId,
        shapes: impl FnOnce() -> (Vec<Input>, Option<Shape>),
    ) -> &'static SitePlan {
        match self.current.get(current::current_id()) {
            Some(plan) if plan.key == key => plan,
            _ => self.find_or_plan(key, shapes),
        }
    }

    #[cold]
    #[inline(never)]
    fn find_or_plan(
        &'static self,
        key: TypeId,
        shapes: impl FnOnce() -> (Vec<Input>, Option<Shape>),
    ) -> &'static SitePlan {
        let rules = current::current_rules();
        let config_id = current::id_of(&rules);
        let mut plans = self.plans.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(index) = plans.recent(config_id, key) {
            return self.use_plan(&plans, config_id, index);
        }
        // A `Capture::shape` that panics must not fail the call: the site is
        // planned with nothing captured.
        let (inputs, output) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(shapes)).unwrap_or_else(|_| {
            crate::safety::CONTAINED_PANICS.fired(self.info.name);
            (Vec::new(), None)
        });
        if key != not_generic_key() {
            self.keep_instantiation(key, &inputs, output.as_ref());
        }
        // A `Capture::shape` that panics plans the error with nothing captured.
        let error = self.error_shape.and_then(|shape| {
            std::panic::catch_unwind(shape)
                .map_err(|_| crate::safety::CONTAINED_PANICS.fired(self.info.name))
                .ok()
        });
        let plan = plan::plan_with_error(&rules, self.method, &inputs, output.as_ref(), error.as_ref());
        let known = plans
            .made
            .iter()
            .position(|made| made.key == key && *made.rules == *rules.render && made.plan.records_as(&plan));
        let index = match known {
            Some(index) => index,
            None if plans.made.len() < MAX_PLANS_PER_SITE => {
                let made = self.make_plan(&rules, key, plan);
                plans.made.push(made);
                self.current.publish(plans.made.len() - 1, made);
                plans.made.len() - 1
            }
            None => {
                // Past the cap, new ways of recording capture nothing.
                crate::safety::DROPPED_PLANS.fired(self.info.name);
                self.gate.planned();
                return plans.nothing_for(key, || self.make_plan(&rules, key, plan::plan(&rules, None, &[], None)));
            }
        };
        plans.remember(config_id, key, index);
        self.use_plan(&plans, config_id, index)
    }

    fn use_plan(&'static self, plans: &Plans, config_id: u64, index: usize) -> &'static SitePlan {
        self.current.set(config_id, index);
        self.gate.planned();
        plans.made[index]
    }

    fn keep_instantiation(&self, key: TypeId, inputs: &[Input], output: Option<&Shape>) {
        let mut kept = self
            .instantiations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.len() < MAX_KEPT_INSTANTIATIONS && kept.iter().all(|known| known.key != key) {
            kept.push(Instantiation {
                key,
                inputs: inputs.to_vec(),
                output: output.cloned(),
            });
        }
    }

    /// The instantiations planned so far, in the order they were first called.
    pub(crate) fn instantiations(&self) -> Vec<Instantiation> {
        self.instantiations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn make_plan(&'static self, rules: &Arc<Rules>, key: TypeId, mut plan: plan::Plan) -> &'static SitePlan {
        let mut names = plan.fields.clone();
        names.extend(self.fixed_fields.iter().map(|name| (*name).to_owned()));
        // Late fields never shadow a captured field or one of CACI's own.
        let late: Vec<String> = self
            .late
            .iter()
            .filter(|name| !names.iter().any(|taken| taken == *name))
            .filter(|name| !crate::rules::decision::RESERVED_ROOTS.contains(&name.split('.').next().unwrap_or(name)))
            .map(|name| (*name).to_owned())
            .take(site_plan::MAX_SLOTS.saturating_sub(names.len()))
            .collect();
        let late_count = late.len();
        names.extend(late);
        let callsite = self.intern(&names, late_count);
        let declared = callsite.metadata().fields();
        let handles = |names: &mut dyn Iterator<Item = &str>| -> Box<[Field]> {
            names
                .map(|name| declared.field(name).expect("planned fields are declared"))
                .collect()
        };
        let fixed = handles(&mut self.fixed_fields.iter().copied());
        let captured = handles(&mut plan.fields.iter().map(String::as_str));
        #[cfg(feature = "metrics")]
        let metrics = self
            .method
            .and_then(|(component, method)| metrics::MethodMetrics::new(rules, component, method, &plan));
        // Decisions are for reports; a kept plan only records.
        plan.decisions = Vec::new();
        Box::leak(Box::new(SitePlan {
            rules: Arc::clone(&rules.render),
            callsite,
            metadata: callsite.metadata(),
            plan,
            key,
            fixed,
            captured,
            info: &self.info,
            function_name: self.function,
            #[cfg(feature = "metrics")]
            metrics,
        }))
    }

    fn intern(&'static self, fields: &[String], late: usize) -> &'static DynamicCallsite {
        let mut interned = self.interned.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(existing) = interned.iter().find(|callsite| callsite.has_fields(fields, late)) {
            return existing;
        }
        let callsite = DynamicCallsite::register(&self.info, &self.gate, fields, late, self.kind);
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

/// How many ways of recording one call site keeps (distinct captured field
/// sets, times generic instantiations). Past it, a configuration that
/// would record differently again captures nothing at that site (counted
/// in [`safety_counters`](crate::safety_counters) as `dropped_plans`, and
/// warned once): what a site keeps stays bounded however many
/// configurations are installed. Configurations whose plans record alike
/// share one plan.
pub const MAX_PLANS_PER_SITE: usize = 4096;

/// How many (configuration, instantiation) pairs a site remembers the plan
/// of, so that configurations swapped back and forth (tests, widenings) do
/// not plan again on every swap.
const REMEMBERED: usize = 16;

/// A site's plans, and which pairs used which lately.
struct Plans {
    made: Vec<&'static SitePlan>,
    recent: std::collections::VecDeque<(u64, TypeId, usize)>,
    /// Past the cap: one plan capturing nothing per instantiation.
    nothing: Vec<&'static SitePlan>,
}

impl Plans {
    const fn new() -> Self {
        Plans {
            made: Vec::new(),
            recent: std::collections::VecDeque::new(),
            nothing: Vec::new(),
        }
    }

    fn recent(&self, config_id: u64, key: TypeId) -> Option<usize> {
        self.recent
            .iter()
            .find(|(config, known, _)| *config == config_id && *known == key)
            .map(|(_, _, index)| *index)
    }

    fn remember(&mut self, config_id: u64, key: TypeId, index: usize) {
        if self.recent.len() == REMEMBERED {
            self.recent.pop_front();
        }
        self.recent.push_back((config_id, key, index));
    }

    fn nothing_for(&mut self, key: TypeId, make: impl FnOnce() -> &'static SitePlan) -> &'static SitePlan {
        if let Some(plan) = self.nothing.iter().find(|plan| plan.key == key) {
            return plan;
        }
        let plan = make();
        self.nothing.push(plan);
        plan
    }
}

/// The plan a call site used last, and the configuration it was for, in
/// one word: `(configuration id << 16) | (index + 1)` into the site's
/// plans, leaked [`SitePlan`]s each written once before it is published:
/// the first [`INLINE_PLANS`] in the site itself, the others in a table
/// allocated when a site first needs it.
///
/// `arc-swap` would cost a debt-list visit and a reference count per call;
/// plans are never freed, so plain atomics are enough, and plans shared
/// between configurations need no copy per configuration.
struct CurrentPlan {
    current: AtomicU64,
    inline: [AtomicPtr<SitePlan>; INLINE_PLANS],
    more: AtomicPtr<MorePlans>,
}

/// The plans a site holds in itself; most sites never need more.
const INLINE_PLANS: usize = 8;

type MorePlans = [AtomicPtr<SitePlan>; MAX_PLANS_PER_SITE - INLINE_PLANS];

const _: () = assert!(MAX_PLANS_PER_SITE < (1 << 16) - 1);

impl CurrentPlan {
    const fn new() -> Self {
        CurrentPlan {
            current: AtomicU64::new(0),
            inline: [const { AtomicPtr::new(std::ptr::null_mut()) }; INLINE_PLANS],
            more: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// The plan last used, when it was for configuration `config_id`.
    #[inline]
    fn get(&self, config_id: u64) -> Option<&'static SitePlan> {
        let current = self.current.load(Ordering::Acquire);
        let index = (current & 0xffff) as usize;
        if current >> 16 != config_id || index == 0 {
            return None;
        }
        let plan = match self.inline.get(index - 1) {
            Some(slot) => slot.load(Ordering::Acquire),
            None => self.more_slot(index - 1)?.load(Ordering::Acquire),
        };
        // SAFETY: `publish` is the only writer of a slot and stores only
        // pointers made from `&'static SitePlan` (leaked boxes, never freed
        // or mutated); a slot is published before any `current` names it.
        #[allow(unsafe_code)]
        unsafe {
            plan.as_ref()
        }
    }

    #[cold]
    fn more_slot(&self, index: usize) -> Option<&AtomicPtr<SitePlan>> {
        let more = self.more.load(Ordering::Acquire);
        // SAFETY: `more` is null or a leaked `MorePlans`, set once by
        // `publish` and never freed.
        #[allow(unsafe_code)]
        let more = unsafe { more.as_ref() }?;
        more.get(index - INLINE_PLANS)
    }

    /// Makes `plan` the one at `index` (under the site's plans lock).
    fn publish(&self, index: usize, plan: &'static SitePlan) {
        let pointer = std::ptr::from_ref(plan).cast_mut();
        if let Some(slot) = self.inline.get(index) {
            slot.store(pointer, Ordering::Release);
            return;
        }
        if self.more.load(Ordering::Acquire).is_null() {
            let table: &'static MorePlans = Box::leak(Box::new(
                [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX_PLANS_PER_SITE - INLINE_PLANS],
            ));
            self.more.store(std::ptr::from_ref(table).cast_mut(), Ordering::Release);
        }
        if let Some(slot) = self.more_slot(index) {
            slot.store(pointer, Ordering::Release);
        }
    }

    fn set(&self, config_id: u64, index: usize) {
        // Configuration ids count installs; 2^48 of them is out of reach.
        self.current
            .store((config_id << 16) | (index as u64 + 1), Ordering::Release);
    }
}
