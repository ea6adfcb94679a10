//! The three-input method (`BusinessId`, `bool`, `Plan`), once per
//! instrumentation. Every variant is `#[inline(never)]` and has the same body
//! (`black_box` on the three inputs), so the differences are the
//! instrumentation.

use std::hint::black_box;
use std::time::Instant;

use caci_core::{Level, component};
use tracing::field::Empty;

use crate::{BusinessId, Plan, SPAN_NAME};

/// A three-input method as the benches call it.
pub type Method = fn(BusinessId, bool, Plan);

/// No instrumentation.
#[inline(never)]
pub fn bare(business_id: BusinessId, trial: bool, plan: Plan) {
    black_box(business_id);
    black_box(trial);
    black_box(plan);
}

/// The uninstrumented twin of [`SubscriptionService`], called the same way
/// (a shim calling an `#[inline(never)]` method): the component's
/// like-for-like baseline.
#[derive(Clone, Copy, Debug, Default)]
pub struct BareService;

impl BareService {
    /// The same body as every variant, no instrumentation.
    #[inline(never)]
    pub fn initialize_business(&self, business_id: BusinessId, trial: bool, plan: Plan) {
        black_box(business_id);
        black_box(trial);
        black_box(plan);
    }
}

/// [`BareService::initialize_business`], called as `component` calls its
/// method.
#[inline(always)]
pub fn bare_method(business_id: BusinessId, trial: bool, plan: Plan) {
    BareService.initialize_business(business_id, trial, plan);
}

/// The component the headline variant is a method of.
#[derive(Clone, Copy, Debug, Default)]
pub struct SubscriptionService;

#[component]
impl SubscriptionService {
    /// Span `SubscriptionService.initialize_business`: the allowed inputs,
    /// then `outcome` and `duration_ns` when the call returns.
    #[inline(never)]
    pub fn initialize_business(&self, business_id: BusinessId, trial: bool, plan: Plan) {
        black_box(business_id);
        black_box(trial);
        black_box(plan);
    }
}

/// `#[caci_core::component]`: [`SubscriptionService::initialize_business`].
#[inline(always)]
pub fn component(business_id: BusinessId, trial: bool, plan: Plan) {
    SubscriptionService.initialize_business(business_id, trial, plan);
}

/// `caci_core::span!`, entered for the body: the configuration decides the
/// fields; no outcome or duration.
#[inline(never)]
pub fn caci_span(business_id: BusinessId, trial: bool, plan: Plan) {
    let span = caci_core::span!(
        Level::INFO,
        SPAN_NAME,
        business_id = business_id,
        trial = trial,
        plan = plan
    );
    let _entered = span.enter();
    black_box(business_id);
    black_box(trial);
    black_box(plan);
}

/// `#[instrument]` with the same three values written by hand.
#[inline(never)]
#[tracing::instrument(
    name = "SubscriptionService.initialize_business",
    level = "info",
    skip_all,
    fields(business_id = %business_id.0, trial = trial, plan = ?plan)
)]
pub fn instrument_skip_all_fields(business_id: BusinessId, trial: bool, plan: Plan) {
    black_box(business_id);
    black_box(trial);
    black_box(plan);
}

/// `#[instrument]` with the same three values by hand, plus `outcome` and
/// `duration_ns` declared `Empty` and recorded at the end as a user would
/// write it: `Span::current()` and one `record` per field.
#[inline(never)]
#[tracing::instrument(
    name = "SubscriptionService.initialize_business",
    level = "info",
    skip_all,
    fields(business_id = %business_id.0, trial = trial, plan = ?plan, outcome = Empty, duration_ns = Empty)
)]
pub fn instrument_outcome(business_id: BusinessId, trial: bool, plan: Plan) {
    let started = Instant::now();
    black_box(business_id);
    black_box(trial);
    black_box(plan);
    let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
    let span = tracing::Span::current();
    span.record("outcome", "ok");
    span.record("duration_ns", nanos);
}

/// What `#[instrument]` expands to (`info_span!` + `enter`) with the same
/// five fields as [`instrument_outcome`] and the component's
/// `code.function.name`, but holding the span and recording `outcome` and
/// `duration_ns` in one `record_all!` after the body, as the component
/// does: the strict like-for-like hand-written lower bound.
#[inline(never)]
pub fn manual_span_outcome(business_id: BusinessId, trial: bool, plan: Plan) {
    let span = tracing::info_span!(
        "SubscriptionService.initialize_business",
        business_id = %business_id.0,
        trial = trial,
        plan = ?plan,
        code.function.name = "caci_benches::three_inputs::SubscriptionService::initialize_business",
        outcome = Empty,
        duration_ns = Empty
    );
    let started = Instant::now();
    {
        let _entered = span.enter();
        black_box(business_id);
        black_box(trial);
        black_box(plan);
    }
    let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
    tracing::record_all!(span, outcome = "ok", duration_ns = nanos);
}

/// Plain `#[instrument]`: every argument, `Debug`-formatted (`bool` typed).
#[inline(never)]
#[tracing::instrument(name = "SubscriptionService.initialize_business", level = "info")]
pub fn instrument_default(business_id: BusinessId, trial: bool, plan: Plan) {
    black_box(business_id);
    black_box(trial);
    black_box(plan);
}

/// Plain `#[instrument]` (every argument through `Debug`) plus `outcome`
/// and `duration_ns` recorded as in [`instrument_outcome`]: the default
/// attribute doing what the component does.
#[inline(never)]
#[tracing::instrument(
    name = "SubscriptionService.initialize_business",
    level = "info",
    fields(outcome = Empty, duration_ns = Empty)
)]
pub fn instrument_default_outcome(business_id: BusinessId, trial: bool, plan: Plan) {
    let started = Instant::now();
    black_box(business_id);
    black_box(trial);
    black_box(plan);
    let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
    let span = tracing::Span::current();
    span.record("outcome", "ok");
    span.record("duration_ns", nanos);
}

/// Every variant by name (the criterion variant names' prefix).
pub const VARIANTS: &[(&str, Method)] = &[
    ("bare", bare),
    ("bare_method", bare_method),
    ("component", component),
    ("caci_span", caci_span),
    ("instrument_skip_all_fields", instrument_skip_all_fields),
    ("instrument_outcome", instrument_outcome),
    ("manual_span_outcome", manual_span_outcome),
    ("instrument_default", instrument_default),
    ("instrument_default_outcome", instrument_default_outcome),
];
