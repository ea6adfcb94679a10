//! With method metrics on, a warm call allocates nothing more than the same
//! call without them: label values resolve to registered handles through
//! the site's cache (a counting allocator, on this test's thread only).
#![allow(unsafe_code)] // a counting `GlobalAlloc` needs it

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use caci_core::{Kind, Telemetry, TelemetryCaptureConfiguration, component};
use metrics::{
    Counter, CounterFn, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// A recorder whose handles are atomics: recording allocates nothing, so
/// what is counted is CACI's.
#[derive(Default)]
struct Atomics {
    calls: Arc<Total>,
}

#[derive(Default)]
struct Total(AtomicU64);

impl CounterFn for Total {
    fn increment(&self, value: u64) {
        self.0.fetch_add(value, Ordering::Relaxed);
    }
    fn absolute(&self, value: u64) {
        self.0.store(value, Ordering::Relaxed);
    }
}

impl HistogramFn for Total {
    fn record(&self, _: f64) {}
}

impl Recorder for Atomics {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        if key.name() == "caci.method.calls" {
            Counter::from_arc(self.calls.clone())
        } else {
            Counter::noop()
        }
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(Arc::new(Total::default()))
    }
}

#[derive(Telemetry, Clone, Copy)]
enum Plan {
    Starter,
    Pro,
}

struct Signup;

#[component]
impl Signup {
    fn start(&self, plan: Plan, trial: bool, country: &str) -> bool {
        let _ = country;
        trial && matches!(plan, Plan::Pro)
    }
}

fn calls(config: &TelemetryCaptureConfiguration, count: usize) -> u64 {
    let before = allocations();
    caci_core::with_configuration(config, || {
        for index in 0..count {
            let plan = if index % 2 == 0 { Plan::Starter } else { Plan::Pro };
            let country = if index % 3 == 0 { "CA" } else { "US" };
            std::hint::black_box(Signup.start(plan, index % 5 == 0, country));
        }
    });
    allocations() - before
}

#[test]
fn warm_calls_allocate_nothing_for_metrics() {
    let recorder = Atomics::default();
    let calls_counted = recorder.calls.clone();
    metrics::set_global_recorder(recorder).expect("the only recorder of this test binary");
    let subscriber = tracing_subscriber::registry();
    tracing::subscriber::with_default(subscriber, || {
        tracing_core::callsite::rebuild_interest_cache();
        let base = TelemetryCaptureConfiguration::builder()
            .allow_fields(["plan", "trial", "country"])
            .allow_kind(Kind::Enum)
            .build()
            .unwrap();
        let two_labels = base
            .to_builder()
            .method_metrics(true)
            .metric_labels(["plan", "trial"])
            .build()
            .unwrap();
        let with_a_string = base
            .to_builder()
            .method_metrics(true)
            .metric_labels(["plan", "country"])
            .build()
            .unwrap();
        for config in [&base, &two_labels, &with_a_string] {
            calls(config, 64); // warm-up: plans, series, the span pool
        }
        let without = calls(&base, 600);
        let counted = calls_counted.0.load(Ordering::Relaxed);
        // Installing a configuration for the loop may allocate once or
        // twice; the calls themselves allocate nothing, with metrics or not.
        assert!(
            without <= 4,
            "the span path allocates per call: {without} for 600 calls"
        );
        let two = calls(&two_labels, 600);
        assert!(
            two <= without.max(2),
            "two small labels: {two} allocations, {without} without metrics"
        );
        let string = calls(&with_a_string, 600);
        assert!(
            string <= without.max(2),
            "a string label: {string} allocations, {without} without metrics"
        );
        assert_eq!(
            calls_counted.0.load(Ordering::Relaxed),
            counted + 1200,
            "every call counted"
        );
    });
}
