//! The capture that sees every thread, on a multi-thread tokio runtime (a
//! test binary of its own: it installs the global subscriber).

use std::sync::{Mutex, PoisonError};

use caci_core::{Level, TelemetryCaptureConfiguration};

/// The tests here install configurations process-wide; one checks what is
/// installed after its capture, so they do not overlap.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn config() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap()
}

async fn on_a_worker(plan: &'static str) {
    tokio::spawn(async move {
        let _span = caci_core::span!(Level::INFO, "Worker.run", plan = plan).entered();
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(
    clippy::await_holding_lock,
    reason = "the test's own runtime: waiting blocks only this test"
)]
async fn spans_on_worker_threads_are_captured() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let ((), captured) = caci_testkit::capture_all_threads_async(&config(), on_a_worker("PRO")).await;
    captured.span("Worker.run").assert_field("plan", "PRO");
}

#[test]
fn threads_spawned_inside_are_captured_and_the_configuration_is_restored() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let (threads, captured) = caci_testkit::capture_all_threads(&config(), || {
        let handles: Vec<_> = ["STARTER", "LEGACY"]
            .into_iter()
            .map(|plan| {
                std::thread::spawn(move || {
                    let _span = caci_core::span!(Level::INFO, "Thread.run", plan = plan).entered();
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().is_ok())
            .filter(|ok| *ok)
            .count()
    });
    assert_eq!(threads, 2);
    assert_eq!(captured.spans_named("Thread.run").count(), 2);
    assert!(
        caci_core::current_configuration().spec().allowed_field_names.is_empty(),
        "restored afterwards"
    );
}
