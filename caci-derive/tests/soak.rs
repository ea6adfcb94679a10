//! Soak under reconfiguration: threads and tasks of a multi-thread tokio
//! runtime call wrapped methods (sync and async), `span!` and `event!`
//! while another thread keeps installing one of two configurations. No
//! panic, no deadlock, and no span or event mixes the two configurations.
//!
//! `CACI_SOAK_SECONDS` sets how long it runs (default 2). It prints calls
//! per second and the resident memory before and after.
#![allow(dead_code, unused_variables)] // fields and inputs exist to be (not) captured

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use caci_core::{Level, Telemetry, TelemetryCaptureConfiguration, component};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

#[derive(Telemetry, Clone)]
struct Signup {
    plan: String,
    country: String,
    #[telemetry(sensitive)]
    card: String,
}

struct Api;

#[component]
impl Api {
    fn sign_up(&self, signup: &Signup, seats: u64) -> u64 {
        seats
    }

    async fn sign_up_later(&self, signup: Signup) -> usize {
        tokio::task::yield_now().await;
        signup.plan.len()
    }
}

fn by_hand(signup: &Signup) {
    let _span = caci_core::span!(Level::INFO, "by_hand", signup = signup).entered();
    caci_core::event!(Level::INFO, "signed up", signup = signup);
}

/// Counts spans and events, and those that hold fields of both
/// configurations (or the card).
#[derive(Clone, Default)]
struct Checker {
    seen: Arc<AtomicU64>,
    mixed: Arc<AtomicU64>,
}

#[derive(Default)]
struct Groups {
    plan: bool,
    country: bool,
    card: bool,
}

impl Visit for Groups {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let name = field.name();
        self.plan |= name.ends_with("plan") || name == "seats";
        self.country |= name.ends_with("country");
        self.card |= name.contains("card") || format!("{value:?}").contains("4111");
    }
}

impl Checker {
    fn check(&self, record: impl FnOnce(&mut Groups)) {
        let mut groups = Groups::default();
        record(&mut groups);
        self.seen.fetch_add(1, Ordering::Relaxed);
        if (groups.plan && groups.country) || groups.card {
            self.mixed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Checker {
    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, _: &tracing::span::Id, _: Context<'_, S>) {
        self.check(|groups| attrs.record(groups));
    }
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "caci" {
            self.check(|groups| event.record(groups));
        }
    }
}

fn resident_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4)
}

#[test]
fn reconfiguring_under_load_never_mixes_configurations() {
    let seconds: u64 = std::env::var("CACI_SOAK_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let checker = Checker::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(checker.clone())).unwrap();
    let by_plan = TelemetryCaptureConfiguration::builder()
        .allow_fields(["plan", "seats"])
        .build()
        .unwrap();
    let by_country = TelemetryCaptureConfiguration::builder()
        .allow_field("country")
        .build()
        .unwrap();
    caci_core::install(by_plan.clone());

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let swaps = Arc::new(AtomicU64::new(0));
    let memory_before = resident_kib();
    let started = Instant::now();

    let swapper = {
        let (stop, swaps) = (Arc::clone(&stop), Arc::clone(&swaps));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let next = if swaps.load(Ordering::Relaxed) % 2 == 0 {
                    &by_country
                } else {
                    &by_plan
                };
                caci_core::install(next.clone());
                swaps.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_micros(50));
            }
        })
    };
    let signup = Signup {
        plan: "PRO".into(),
        country: "CA".into(),
        card: "4111 1111 1111 1111".into(),
    };
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (stop, calls, signup) = (Arc::clone(&stop), Arc::clone(&calls), signup.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    assert_eq!(Api.sign_up(&signup, 3), 3);
                    by_hand(&signup);
                    calls.fetch_add(2, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (stop, calls, signup) = (Arc::clone(&stop), Arc::clone(&calls), signup.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        assert_eq!(Api.sign_up_later(signup.clone()).await, 3);
                        calls.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        for task in tasks {
            task.await.expect("no task panicked");
        }
    });
    for thread in threads {
        thread.join().expect("no thread panicked");
    }
    swapper.join().expect("the swapper did not panic");
    let elapsed = started.elapsed().as_secs_f64();
    let memory_after = resident_kib();

    let (calls, swaps) = (calls.load(Ordering::Relaxed), swaps.load(Ordering::Relaxed));
    eprintln!(
        "soak: {calls} calls in {elapsed:.1} s ({:.0} calls/s), {swaps} installs, {} spans and events checked; \
         resident memory {memory_before:?} KiB before, {memory_after:?} KiB after",
        calls as f64 / elapsed,
        checker.seen.load(Ordering::Relaxed),
    );
    assert!(calls > 0 && swaps > 1, "the soak ran");
    assert!(checker.seen.load(Ordering::Relaxed) > 0, "the checker saw spans");
    assert_eq!(
        checker.mixed.load(Ordering::Relaxed),
        0,
        "a span mixed two configurations, or held the card"
    );
}
