//! The callgrind driver for method metrics (cargo feature `metrics`): the
//! same wrapped method, two inputs captured (an enum and a bool), with and
//! without metrics labelled by both, under the registry subscriber.
//!
//! ```text
//! metriccount <variant> <calls>      # metriccount list: every variant
//! ```
//!
//! - `spans_only`: the configuration captures `plan` and `trial`, no metrics;
//! - `metrics_two_labels`: the same with `method_metrics` and
//!   `metric_labels = ["plan", "trial"]`, recorded by a recorder whose
//!   handles are atomics (CACI's own cost);
//! - `metrics_two_labels_prometheus`: the same, recorded by
//!   metrics-exporter-prometheus's recorder with histogram buckets, and
//!   rendered once at the end (what a service pays, the exporter's folding
//!   of samples into buckets included).
//!
//! Instructions per call are `(Ir(b) - Ir(a)) / (b - a)`, as for `callcount`.

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use caci_benches::{Plan, Subscriber};
use caci_core::TelemetryCaptureConfiguration;
use metrics::{
    Counter, CounterFn, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};

const VARIANTS: [&str; 3] = ["spans_only", "metrics_two_labels", "metrics_two_labels_prometheus"];

struct Checkout;

#[caci_core::component]
impl Checkout {
    #[inline(never)]
    fn pay(&self, plan: Plan, trial: bool) -> u32 {
        black_box(u32::from(trial) + plan as u32)
    }
}

#[derive(Default)]
struct Atomic(AtomicU64);

impl CounterFn for Atomic {
    fn increment(&self, value: u64) {
        self.0.fetch_add(value, Ordering::Relaxed);
    }
    fn absolute(&self, value: u64) {
        self.0.store(value, Ordering::Relaxed);
    }
}

impl HistogramFn for Atomic {
    fn record(&self, value: f64) {
        self.0.fetch_add(value.to_bits() & 1, Ordering::Relaxed);
    }
}

/// Every call counted by [`Atomics`], whatever its labels.
static CALLS_COUNTED: AtomicU64 = AtomicU64::new(0);

struct Calls;

impl CounterFn for Calls {
    fn increment(&self, value: u64) {
        CALLS_COUNTED.fetch_add(value, Ordering::Relaxed);
    }
    fn absolute(&self, _: u64) {}
}

/// Handles that are atomics: what CACI costs, without a real back end's.
struct Atomics;

impl Recorder for Atomics {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        if key.name() == "caci.method.calls" {
            Counter::from_arc(Arc::new(Calls))
        } else {
            Counter::noop()
        }
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(Arc::new(Atomic::default()))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("list") {
        for variant in VARIANTS {
            println!("{variant}");
        }
        return ExitCode::SUCCESS;
    }
    let [variant, calls] = args.as_slice() else {
        eprintln!("usage: metriccount <variant> <calls> | metriccount list");
        return ExitCode::FAILURE;
    };
    let Ok(calls) = calls.parse::<u64>() else {
        eprintln!("calls must be a number, got {calls:?}");
        return ExitCode::FAILURE;
    };
    let spans = TelemetryCaptureConfiguration::builder()
        .allow_fields(["plan", "trial"])
        .build()
        .expect("valid");
    let mut prometheus = None;
    let config = match variant.as_str() {
        "spans_only" => spans,
        "metrics_two_labels" | "metrics_two_labels_prometheus" => {
            if variant == "metrics_two_labels" {
                metrics::set_global_recorder(Atomics).expect("one recorder");
            } else {
                // Buckets as the example sets them: without any, the exporter
                // keeps a summary, whose quantile sketch costs far more.
                let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
                    .set_buckets_for_metric(
                        metrics_exporter_prometheus::Matcher::Full("caci.method.duration".to_owned()),
                        &[
                            1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1e-1, 1.0,
                        ],
                    )
                    .expect("buckets")
                    .build_recorder();
                prometheus = Some(recorder.handle());
                metrics::set_global_recorder(recorder).expect("one recorder");
            }
            spans
                .to_builder()
                .method_metrics(true)
                .metric_labels(["plan", "trial"])
                .build()
                .expect("valid")
        }
        other => {
            eprintln!("unknown variant {other:?} (metriccount list)");
            return ExitCode::FAILURE;
        }
    };
    caci_core::install(config);
    Subscriber::Registry.run(|| {
        // Every label set once: the cache is warm before the counted calls.
        for plan in [Plan::Starter, Plan::Pro] {
            for trial in [false, true] {
                Checkout.pay(plan, trial);
            }
        }
        for index in 0..calls {
            let plan = if index % 2 == 0 { Plan::Starter } else { Plan::Pro };
            black_box(Checkout.pay(plan, index % 3 == 0));
        }
    });
    let counted = match &prometheus {
        Some(handle) => handle
            .render()
            .lines()
            .filter(|line| line.starts_with("caci_method_calls{"))
            .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
            .sum(),
        None => CALLS_COUNTED.load(Ordering::Relaxed),
    };
    if variant != "spans_only" && counted != calls + 4 {
        eprintln!("{counted} calls counted, {} made", calls + 4);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
