//! `struct_input`: the per-call cost of a method taking one five-field
//! struct (`&Business`), every field allowed (`allow_struct_named("Business")`): with no subscriber, with the
//! level disabled, and with a registry whose layer visits every field
//! (including those recorded at close). The headline is the
//! `#[caci_core::component]` method; `caci_core::span!` and
//! `#[tracing::instrument]` (the five fields by hand, with and without
//! `outcome`/`duration_ns`, or the whole struct `Debug`-formatted) run side
//! by side.
//!
//! The variants are in `caci_benches::struct_input`.

mod common;

use std::hint::black_box;

use caci_benches::struct_input::{self, FIVE_FIELDS, Method};
use caci_benches::{Subscriber, business, span_field_names};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

fn bench(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, subscriber: Subscriber, method: Method) {
    let input = business();
    subscriber.run(|| {
        group.bench_function(name, |b| b.iter(|| method(black_box(&input))));
    });
}

/// Prints and checks the fields every compared variant records per call.
fn check_fields() {
    let input = business();
    let fields = |method: Method| span_field_names(|| method(&input));
    common::check_variant_fields(struct_input::VARIANTS, &FIVE_FIELDS, &["business"], fields);
}

fn struct_input(c: &mut Criterion) {
    caci_core::install(caci_benches::struct_configuration());
    check_fields();

    let mut group = c.benchmark_group("struct_input");
    for (name, subscriber, variant) in caci_benches::MEASURED {
        bench(
            &mut group,
            name,
            *subscriber,
            caci_benches::variant(struct_input::VARIANTS, variant),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = struct_input
}
criterion_main!(benches);
