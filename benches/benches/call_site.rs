//! `call_site`: the per-call cost of a method with three inputs
//! (`BusinessId`, `bool`, `Plan`), all allowed: with no subscriber, with the
//! level disabled, and with a registry whose layer visits every field
//! (including those recorded at close). The headline is the
//! `#[caci_core::component]` method; `caci_core::span!` and
//! `#[tracing::instrument]` (hand-written fields, with and without
//! `outcome`/`duration_ns`, or all arguments) run side by side.
//!
//! The variants are in `caci_benches::three_inputs`.

use std::hint::black_box;
use std::time::Duration;

use caci_benches::three_inputs::{self, Method};
use caci_benches::{OUTCOME_FIELDS, Plan, Subscriber, THREE_INPUTS, business_id, span_field_names};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

fn bench(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, subscriber: Subscriber, method: Method) {
    let id = business_id();
    subscriber.run(|| {
        group.bench_function(name, |b| {
            b.iter(|| method(black_box(id), black_box(true), black_box(Plan::Starter)));
        });
    });
}

/// Prints and checks the fields every compared variant records per call.
fn check_fields() {
    let id = business_id();
    let fields = |method: Method| span_field_names(|| method(id, true, Plan::Starter));
    let with_outcome: Vec<&str> = THREE_INPUTS.iter().chain(&OUTCOME_FIELDS).copied().collect();
    eprintln!("fields recorded per call:");
    for (name, method) in three_inputs::VARIANTS.iter().filter(|(name, _)| *name != "bare") {
        eprint!("{name}:");
        let recorded = fields(*method);
        match *name {
            "component" | "instrument_outcome" | "manual_span_outcome" => assert_eq!(recorded, with_outcome),
            "caci_span" | "instrument_skip_all_fields" => assert_eq!(recorded, THREE_INPUTS),
            "instrument_default" => assert_eq!(recorded, THREE_INPUTS),
            other => unreachable!("unknown variant {other}"),
        }
    }
}

fn call_site(c: &mut Criterion) {
    caci_core::install(caci_benches::three_inputs_configuration());
    check_fields();

    let mut group = c.benchmark_group("call_site");
    for (name, subscriber, variant) in caci_benches::MEASURED {
        bench(
            &mut group,
            name,
            *subscriber,
            caci_benches::variant(three_inputs::VARIANTS, variant),
        );
    }
    group.finish();
}

fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = call_site
}
criterion_main!(benches);
