//! The method taking one five-field struct (`&Business`), once per
//! instrumentation. Every variant is `#[inline(never)]` and has the same body
//! (`black_box` on the input), so the differences are the instrumentation.

use std::hint::black_box;
use std::time::Instant;

use caci_core::{Level, component};
use tracing::field::Empty;

use crate::{Business, SPAN_NAME};

/// A struct-input method as the benches call it.
pub type Method = fn(&Business);

/// The five fields every compared variant records from the struct.
pub const FIVE_FIELDS: [&str; 5] = [
    "business.id",
    "business.plan",
    "business.country",
    "business.trial",
    "business.seats",
];

/// No instrumentation.
#[inline(never)]
pub fn bare(business: &Business) {
    black_box(business);
}

/// The uninstrumented twin of [`SubscriptionService`], called the same way
/// (a shim calling an `#[inline(never)]` method): the component's
/// like-for-like baseline.
#[derive(Clone, Copy, Debug, Default)]
pub struct BareService;

impl BareService {
    /// The same body as every variant, no instrumentation.
    #[inline(never)]
    pub fn initialize_business(&self, business: &Business) {
        black_box(business);
    }
}

/// [`BareService::initialize_business`], called as `component` calls its
/// method.
#[inline(always)]
pub fn bare_method(business: &Business) {
    BareService.initialize_business(business);
}

/// The component the headline variant is a method of.
#[derive(Clone, Copy, Debug, Default)]
pub struct SubscriptionService;

#[component]
impl SubscriptionService {
    /// Span `SubscriptionService.initialize_business`: the struct's allowed
    /// fields, then `outcome` and `duration_ns` when the call returns.
    #[inline(never)]
    pub fn initialize_business(&self, business: &Business) {
        black_box(business);
    }
}

/// `#[caci_core::component]`: [`SubscriptionService::initialize_business`].
#[inline(always)]
pub fn component(business: &Business) {
    SubscriptionService.initialize_business(business);
}

/// `caci_core::span!`, entered for the body; no outcome or duration.
#[inline(never)]
pub fn caci_span(business: &Business) {
    let span = caci_core::span!(Level::INFO, SPAN_NAME, business = business);
    let _entered = span.enter();
    black_box(business);
}

/// `#[instrument]` with the same five values written by hand.
#[inline(never)]
#[tracing::instrument(
    name = "SubscriptionService.initialize_business",
    level = "info",
    skip_all,
    fields(
        business.id = %business.id.0,
        business.plan = ?business.plan,
        business.country = business.country,
        business.trial = business.trial,
        business.seats = business.seats,
    )
)]
pub fn instrument_skip_all_fields(business: &Business) {
    black_box(business);
}

/// As [`instrument_skip_all_fields`], plus `outcome` and `duration_ns`
/// declared `Empty` and recorded at the end through `Span::current()`.
#[inline(never)]
#[tracing::instrument(
    name = "SubscriptionService.initialize_business",
    level = "info",
    skip_all,
    fields(
        business.id = %business.id.0,
        business.plan = ?business.plan,
        business.country = business.country,
        business.trial = business.trial,
        business.seats = business.seats,
        outcome = Empty,
        duration_ns = Empty,
    )
)]
pub fn instrument_outcome(business: &Business) {
    let started = Instant::now();
    black_box(business);
    let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
    let span = tracing::Span::current();
    span.record("outcome", "ok");
    span.record("duration_ns", nanos);
}

/// `info_span!` + `enter` with the same seven fields and the component's
/// `code.function.name`, `outcome` and `duration_ns` recorded in one
/// `record_all!` after the body, as the component does.
#[inline(never)]
pub fn manual_span_outcome(business: &Business) {
    let span = tracing::info_span!(
        "SubscriptionService.initialize_business",
        business.id = %business.id.0,
        business.plan = ?business.plan,
        business.country = business.country,
        business.trial = business.trial,
        business.seats = business.seats,
        code.function.name = "caci_benches::struct_input::SubscriptionService::initialize_business",
        outcome = Empty,
        duration_ns = Empty
    );
    let started = Instant::now();
    {
        let _entered = span.enter();
        black_box(business);
    }
    let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
    tracing::record_all!(span, outcome = "ok", duration_ns = nanos);
}

/// Plain `#[instrument]`: the struct `Debug`-formatted as one field.
#[inline(never)]
#[tracing::instrument(name = "SubscriptionService.initialize_business", level = "info")]
pub fn instrument_default(business: &Business) {
    black_box(business);
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
pub fn instrument_default_outcome(business: &Business) {
    let started = Instant::now();
    black_box(business);
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
