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

use std::hint::black_box;
use std::time::Duration;

use caci_benches::struct_input::{self, FIVE_FIELDS, Method};
use caci_benches::{OUTCOME_FIELDS, Subscriber, business, span_field_names};
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
    let with_outcome: Vec<&str> = FIVE_FIELDS.iter().chain(&OUTCOME_FIELDS).copied().collect();
    eprintln!("fields recorded per call:");
    for (name, method) in struct_input::VARIANTS.iter().filter(|(name, _)| *name != "bare") {
        eprint!("{name}:");
        let recorded = fields(*method);
        match *name {
            "component" | "instrument_outcome" | "manual_span_outcome" => assert_eq!(recorded, with_outcome),
            "caci_span" | "instrument_skip_all_fields" => assert_eq!(recorded, FIVE_FIELDS),
            "instrument_default" => assert_eq!(recorded, ["business"]),
            other => unreachable!("unknown variant {other}"),
        }
    }
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

fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = struct_input
}
criterion_main!(benches);
