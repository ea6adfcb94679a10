//! `call_site`: the per-call cost of a method with three inputs
//! (`BusinessId`, `bool`, `Plan`), all allowed: with no subscriber, with the
//! level disabled, and with a registry whose layer visits every field
//! (including those recorded at close). The headline is the
//! `#[caci_core::component]` method; `caci_core::span!` and
//! `#[tracing::instrument]` (hand-written fields, with and without
//! `outcome`/`duration_ns`, or all arguments) run side by side.
//!
//! The variants are in `caci_benches::three_inputs`.

mod common;

use std::hint::black_box;

use caci_benches::three_inputs::{self, Method};
use caci_benches::{Plan, Subscriber, THREE_INPUTS, business_id, span_field_names};
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
    common::check_variant_fields(three_inputs::VARIANTS, &THREE_INPUTS, &THREE_INPUTS, fields);
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

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = call_site
}
criterion_main!(benches);
