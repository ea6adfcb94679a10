//! A capture that sees every thread: for tests whose spans are created on
//! worker threads (`#[tokio::test(flavor = "multi_thread")]`, thread pools).

use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use caci_core::TelemetryCaptureConfiguration;
use tracing_subscriber::layer::SubscriberExt;

use crate::{Captured, layer, take};

/// Serialises the captures that see every thread: one runs at a time. Held
/// across the awaits of the async form too: each test runs on a runtime of
/// its own, so waiting blocks only that test.
static SERIAL: Mutex<()> = Mutex::new(());

/// The store of the process-wide capturing subscriber, installed once.
static GLOBAL: OnceLock<Arc<Mutex<layer::Store>>> = OnceLock::new();

fn global_store() -> &'static Arc<Mutex<layer::Store>> {
    GLOBAL.get_or_init(|| {
        let layer = layer::CaptureLayer::default();
        let store = Arc::clone(&layer.store);
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer)).expect(
            "caci_testkit::capture_all_threads installs the global subscriber: this test binary must not set one itself",
        );
        tracing_core::callsite::rebuild_interest_cache();
        store
    })
}

/// Puts `config` in force for the whole process until dropped, then the
/// configuration that was installed before.
struct Installed(Option<TelemetryCaptureConfiguration>);

impl Installed {
    fn new(config: &TelemetryCaptureConfiguration) -> Self {
        Installed(caci_core::install(config.clone()))
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        caci_core::install(self.0.take().unwrap_or_default());
    }
}

/// Runs `body` with `config` installed for the whole process and a
/// process-wide capturing subscriber, and returns its result with what
/// every thread recorded meanwhile.
///
/// Use it when spans are created on threads the test does not run on, such
/// as a multi-thread tokio runtime's workers; [`capture`](crate::capture) sees
/// only the test's own thread and lets tests run in parallel. Captures of
/// this kind run one at a time (a lock); threads of other tests that run
/// meanwhile without a capture of their own are recorded too, so keep such
/// tests in a test binary of their own, or capture in all of them.
///
/// ```
/// use caci_core::{Level, TelemetryCaptureConfiguration};
///
/// let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// let ((), captured) = caci_testkit::capture_all_threads(&config, || {
///     std::thread::spawn(|| {
///         let _span = caci_core::span!(Level::INFO, "Worker.run", plan = "PRO").entered();
///     })
///     .join()
///     .unwrap();
/// });
/// captured.span("Worker.run").assert_field("plan", "PRO");
/// ```
pub fn capture_all_threads<R>(config: &TelemetryCaptureConfiguration, body: impl FnOnce() -> R) -> (R, Captured) {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let store = global_store();
    drop(take(store));
    let installed = Installed::new(config);
    let result = body();
    drop(installed);
    (result, take(store))
}

/// [`capture_all_threads`] for a future: awaits it with `config` installed
/// for the whole process, recording every thread, for example in a
/// `#[tokio::test(flavor = "multi_thread")]`.
#[allow(clippy::await_holding_lock)] // deliberate: see `SERIAL`
pub async fn capture_all_threads_async<F: Future>(
    config: &TelemetryCaptureConfiguration,
    future: F,
) -> (F::Output, Captured) {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let store = global_store();
    drop(take(store));
    let installed = Installed::new(config);
    let output = future.await;
    drop(installed);
    (output, take(store))
}
