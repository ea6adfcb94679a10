//! `struct_input`: the per-call cost of a method taking one five-field
//! struct, every field allowed (`allow_struct_named("Business")`), under a
//! registry whose layer visits every field: `caci_core::span!` against
//! `#[tracing::instrument]` with the five fields written by hand, and plain
//! `#[instrument]` (the whole struct `Debug`-formatted into one field).
//!
//! Every variant has the same body (`black_box` on the input).

use std::hint::black_box;
use std::time::Duration;

use caci_benches::{Business, SPAN_NAME, Subscriber, business, span_field_names};
use caci_core::{Level, TelemetryCaptureConfiguration};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

const FIVE_FIELDS: [&str; 5] = [
    "business.id",
    "business.plan",
    "business.country",
    "business.trial",
    "business.seats",
];

/// No instrumentation.
#[inline(never)]
fn bare(business: &Business) {
    black_box(business);
}

/// CACI: the configuration decides the fields.
#[inline(never)]
fn caci(business: &Business) {
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
fn instrument_skip_all_fields(business: &Business) {
    black_box(business);
}

/// Plain `#[instrument]`: the struct `Debug`-formatted as one field.
#[inline(never)]
#[tracing::instrument(name = "SubscriptionService.initialize_business", level = "info")]
fn instrument_default(business: &Business) {
    black_box(business);
}

fn bench(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, subscriber: Subscriber, method: impl Fn(&Business)) {
    let input = business();
    subscriber.run(|| {
        group.bench_function(name, |b| b.iter(|| method(black_box(&input))));
    });
}

fn struct_input(c: &mut Criterion) {
    caci_core::install(
        TelemetryCaptureConfiguration::builder()
            .allow_struct_named("Business")
            .build()
            .expect("a valid configuration"),
    );

    let input = business();
    eprintln!("fields recorded per call:");
    assert_eq!(span_field_names(|| caci(&input)), FIVE_FIELDS);
    assert_eq!(span_field_names(|| instrument_skip_all_fields(&input)), FIVE_FIELDS);
    assert_eq!(span_field_names(|| instrument_default(&input)), ["business"]);

    let mut group = c.benchmark_group("struct_input");
    bench(&mut group, "bare", Subscriber::None, bare);
    bench(&mut group, "caci_registry", Subscriber::Registry, caci);
    bench(
        &mut group,
        "instrument_skip_all_fields_registry",
        Subscriber::Registry,
        instrument_skip_all_fields,
    );
    bench(
        &mut group,
        "instrument_default_registry",
        Subscriber::Registry,
        instrument_default,
    );
    group.finish();
}

fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = struct_input
}
criterion_main!(benches);
