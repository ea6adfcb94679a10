//! # caci-testkit
//!
//! Capture first, assert afterwards: run a body under a capturing subscriber
//! with a given configuration, then query and assert on what was recorded,
//! on the test thread. Assertions panic at your line (`#[track_caller]`),
//! with the nearest misses and the captured tree; the capturing layer itself
//! never panics.
//!
//! ```
//! use caci_core::{Level, TelemetryCaptureConfiguration};
//! use caci_testkit::SpanQuery;
//!
//! let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan_id", "plan"]).build().unwrap();
//! let ((), captured) = caci_testkit::capture(&config, || {
//!     let _span = caci_core::span!(Level::INFO, "Plans.lookup", plan_id = 7u32, plan = "PRO", secret = "hunter2").entered();
//! });
//! captured
//!     .span("Plans.lookup")
//!     .assert_field("plan_id", 7) // numeric-aware: recorded as i64
//!     .assert_no_field("secret");
//! captured.assert_count(SpanQuery::named("Plans.lookup").with("plan", "PRO"), 1);
//! captured.assert_never_contains("hunter2");
//! ```
//!
//! | need | call |
//! |---|---|
//! | run and capture | [`capture`], [`capture_async`] (this thread), [`capture_installed`] (this thread, the installed configuration), [`capture_all_threads`], [`capture_all_threads_async`] (every thread: multi-thread runtimes) |
//! | one span / how many / none | [`Captured::span`], [`Captured::assert_count`], [`Captured::assert_none`] |
//! | by field values | [`SpanQuery`] |
//! | field values | [`CapturedSpan::assert_field`], [`CapturedSpan::assert_field_typed`], [`CapturedSpan::assert_no_field`], [`CapturedSpan::assert_fields_exactly`] |
//! | relations | [`Captured::assert_child_of`], [`Captured::parent_of`] |
//! | outcomes | [`CapturedSpan::assert_error`], [`CapturedSpan::assert_outcome`] |
//! | leaks | [`Captured::assert_never_contains`], [`Captured::assert_no_denied_fields`] |
//! | "what feature groups are we initializing?" | [`Captured::count_by`] |
//! | several configurations | [`matrix`] |
//! | snapshots | [`Captured::render`], [`coverage_snapshot`] |
//! | coverage | [`assert_coverage_at_least`], [`coverage`] |

mod aggregate;
mod assert;
mod captured;
mod coverage;
mod global;
mod layer;
mod leak;
mod matrix;
mod query;
mod render;
mod value;

pub use aggregate::{ABSENT, GroupCounts};
pub use captured::{Captured, CapturedEvent, CapturedSpan};
pub use coverage::{assert_coverage_at_least, component, coverage, coverage_snapshot};
pub use global::{capture_all_threads, capture_all_threads_async};
pub use matrix::matrix;
pub use query::SpanQuery;
pub use render::MASKED_FIELDS;
pub use value::FieldValue;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use caci_core::TelemetryCaptureConfiguration;
use tracing::Dispatch;
use tracing_subscriber::layer::SubscriberExt;

/// Runs `body` under a capturing subscriber on this thread, with the
/// configuration installed for the process (by [`caci_core::install`],
/// [`caci_core::install_for`] or a reload) rather than one of the test's
/// own: for tests of what an install does.
///
/// ```
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let ((), captured) = caci_testkit::capture_installed(|| {
///     caci_core::install(TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap());
/// });
/// let change = captured.events().iter().find(|event| event.target == "caci").unwrap();
/// assert!(change.field("added.fields").is_some_and(|fields| fields.to_string().contains("plan")));
/// ```
pub fn capture_installed<R>(body: impl FnOnce() -> R) -> (R, Captured) {
    let (dispatch, store) = capturing_dispatch();
    let result = tracing::dispatcher::with_default(&dispatch, || {
        refresh_interest();
        body()
    });
    (result, take(&store))
}

/// Runs `body` with `config` in force on this thread and a capturing
/// subscriber as its default, and returns its result with what it recorded.
///
/// Only this thread's spans are captured, so tests can run in parallel.
pub fn capture<R>(config: &TelemetryCaptureConfiguration, body: impl FnOnce() -> R) -> (R, Captured) {
    let (dispatch, store) = capturing_dispatch();
    let result = tracing::dispatcher::with_default(&dispatch, || {
        refresh_interest();
        caci_core::with_configuration(config, body)
    });
    (result, take(&store))
}

/// Awaits `future` with `config` in force and a capturing subscriber as the
/// default on every poll (whichever thread polls it), and returns its output
/// with what it recorded.
///
/// ```
/// # use caci_core::{Level, TelemetryCaptureConfiguration};
/// # let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// let future = caci_testkit::capture_async(&config, async {
///     let _span = caci_core::span!(Level::INFO, "Async.run", plan = "PRO").entered();
///     7
/// });
/// let (seven, captured) = futures_lite_block_on(future);
/// assert_eq!(seven, 7);
/// captured.span("Async.run").assert_field("plan", "PRO");
/// # fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
/// #     let mut future = std::pin::pin!(future);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out; } }
/// # }
/// ```
pub fn capture_async<F: Future>(
    config: &TelemetryCaptureConfiguration,
    future: F,
) -> impl Future<Output = (F::Output, Captured)> + use<F> {
    let (dispatch, store) = capturing_dispatch();
    CaptureFuture {
        inner: Box::pin(future),
        dispatch,
        config: config.clone(),
        store,
        refreshed: false,
    }
}

struct CaptureFuture<F> {
    inner: Pin<Box<F>>,
    dispatch: Dispatch,
    config: TelemetryCaptureConfiguration,
    store: Arc<Mutex<layer::Store>>,
    refreshed: bool,
}

impl<F: Future> Future for CaptureFuture<F> {
    type Output = (F::Output, Captured);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let inner = &mut this.inner;
        let refreshed = &mut this.refreshed;
        let polled = tracing::dispatcher::with_default(&this.dispatch, || {
            if !std::mem::replace(refreshed, true) {
                refresh_interest();
            }
            caci_core::with_configuration(&this.config, || inner.as_mut().poll(cx))
        });
        polled.map(|output| (output, take(&this.store)))
    }
}

fn capturing_dispatch() -> (Dispatch, Arc<Mutex<layer::Store>>) {
    let layer = layer::CaptureLayer::default();
    let store = Arc::clone(&layer.store);
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer));
    (dispatch, store)
}

/// Asks every callsite again whether it is interesting, now that a capture
/// listens: a callsite first hit on a thread with no subscriber may have
/// cached "never". Must run with the capturing dispatcher as this thread's
/// default: when it is the only dispatcher alive, `tracing` asks the current
/// default, and asking from outside would cache "never" everywhere.
fn refresh_interest() {
    tracing_core::callsite::rebuild_interest_cache();
}

fn take(store: &Mutex<layer::Store>) -> Captured {
    let store = std::mem::take(&mut *store.lock().unwrap_or_else(PoisonError::into_inner));
    Captured {
        spans: store.spans,
        events: store.events,
    }
}
