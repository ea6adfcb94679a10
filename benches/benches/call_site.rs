//! `call_site`: the per-call cost of a method with three inputs
//! (`BusinessId`, `bool`, `Plan`), all allowed, opening and entering one
//! span: with no subscriber, with the level disabled, and with a registry
//! whose layer visits every field. `caci_core::span!` against
//! `#[tracing::instrument]`, hand-written fields or all arguments.
//!
//! Every variant has the same body (`black_box` on the three inputs), so the
//! differences are the instrumentation.

use std::hint::black_box;
use std::time::Duration;

use caci_benches::{BusinessId, Plan, SPAN_NAME, Subscriber, THREE_INPUTS, allow_names, business_id, span_field_names};
use caci_core::Level;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

/// No instrumentation.
#[inline(never)]
fn bare(id: BusinessId, trial: bool, plan: Plan) {
    black_box(id);
    black_box(trial);
    black_box(plan);
}

/// CACI: the configuration decides the fields.
#[inline(never)]
fn caci(id: BusinessId, trial: bool, plan: Plan) {
    let span = caci_core::span!(Level::INFO, SPAN_NAME, business_id = id, trial = trial, plan = plan);
    let _entered = span.enter();
    black_box(id);
    black_box(trial);
    black_box(plan);
}

/// `#[instrument]` with the same three values written by hand.
#[inline(never)]
#[tracing::instrument(
    name = "SubscriptionService.initialize_business",
    level = "info",
    skip_all,
    fields(business_id = %id.0, trial = trial, plan = ?plan)
)]
fn instrument_skip_all_fields(id: BusinessId, trial: bool, plan: Plan) {
    black_box(id);
    black_box(trial);
    black_box(plan);
}

/// Plain `#[instrument]`: every argument, `Debug`-formatted (`bool` typed).
#[inline(never)]
#[tracing::instrument(name = "SubscriptionService.initialize_business", level = "info")]
fn instrument_default(id: BusinessId, trial: bool, plan: Plan) {
    black_box(id);
    black_box(trial);
    black_box(plan);
}

fn bench(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    subscriber: Subscriber,
    method: impl Fn(BusinessId, bool, Plan),
) {
    let id = business_id();
    subscriber.run(|| {
        group.bench_function(name, |b| {
            b.iter(|| method(black_box(id), black_box(true), black_box(Plan::Starter)));
        });
    });
}

fn call_site(c: &mut Criterion) {
    caci_core::install(allow_names(THREE_INPUTS));

    let id = business_id();
    eprintln!("fields recorded per call:");
    let caci_fields = span_field_names(|| caci(id, true, Plan::Starter));
    let hand_fields = span_field_names(|| instrument_skip_all_fields(id, true, Plan::Starter));
    assert_eq!(caci_fields, THREE_INPUTS);
    assert_eq!(hand_fields, THREE_INPUTS);
    assert_eq!(
        span_field_names(|| instrument_default(id, true, Plan::Starter)),
        ["id", "trial", "plan"]
    );

    let mut group = c.benchmark_group("call_site");
    bench(&mut group, "bare", Subscriber::None, bare);
    bench(&mut group, "caci_no_subscriber", Subscriber::None, caci);
    bench(
        &mut group,
        "instrument_no_subscriber",
        Subscriber::None,
        instrument_skip_all_fields,
    );
    bench(&mut group, "caci_level_disabled", Subscriber::LevelDisabled, caci);
    bench(
        &mut group,
        "instrument_level_disabled",
        Subscriber::LevelDisabled,
        instrument_skip_all_fields,
    );
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
    targets = call_site
}
criterion_main!(benches);
