//! # caci-testkit
//!
//! Capture first, assert afterwards: run a body under a capturing subscriber
//! with a given configuration, then query and assert on what was recorded,
//! on the test thread.
//!
//! ```
//! use caci_core::{Level, TelemetryCaptureConfiguration};
//!
//! let config = TelemetryCaptureConfiguration::builder().allow_field("plan_id").build().unwrap();
//! let ((), captured) = caci_testkit::capture(&config, || {
//!     let _span = caci_core::span!(Level::INFO, "Plans.lookup", plan_id = 7u32, secret = "hunter2").entered();
//! });
//! captured
//!     .span("Plans.lookup")
//!     .assert_field("plan_id", 7)
//!     .assert_no_field("secret");
//! ```

mod captured;
mod layer;
mod value;

pub use captured::{Captured, CapturedEvent, CapturedSpan};
pub use value::FieldValue;

use caci_core::TelemetryCaptureConfiguration;
use tracing_subscriber::layer::SubscriberExt;

/// Runs `body` with `config` in force on this thread and a capturing
/// subscriber as its default, and returns its result with what it recorded.
///
/// Only this thread's spans are captured, so tests can run in parallel.
pub fn capture<R>(config: &TelemetryCaptureConfiguration, body: impl FnOnce() -> R) -> (R, Captured) {
    let layer = layer::CaptureLayer::default();
    let store = std::sync::Arc::clone(&layer.store);
    let subscriber = tracing_subscriber::registry().with(layer);
    let result = tracing::subscriber::with_default(subscriber, || {
        tracing_core::callsite::rebuild_interest_cache();
        caci_core::with_configuration(config, body)
    });
    let store = std::mem::take(&mut *store.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    (
        result,
        Captured {
            spans: store.spans,
            events: store.events,
        },
    )
}
