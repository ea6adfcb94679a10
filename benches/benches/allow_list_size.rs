//! `allow_list_size`: the per-call cost of `caci_core::span!` for the
//! three-input method under a registry, with 10 allowed names against
//! 10,000 (the three real inputs among them). One call site serves both:
//! its plan is cached per configuration, so the per-call path never looks at
//! the allow list and the two should be equal within noise.
//!
//! Both sizes run under `caci_core::with_configuration`, so both take the
//! same (thread-local) path to the configuration in force. They run in the
//! order 10, 10,000, 10,000, 10 (the `_again` variants), so a drift of the
//! machine during the run shows as a difference between a size's two runs
//! rather than as a difference between the sizes.
//!
//! Before the criterion group, a paired check prints the ratio of the two
//! sizes measured in alternating blocks of calls (two twin call sites, one
//! per configuration, each keeping its plan cached), so that drift of a
//! shared machine affects both sizes alike.

use std::hint::black_box;
use std::time::{Duration, Instant};

use caci_benches::{
    BusinessId, Plan, SPAN_NAME, Subscriber, THREE_INPUTS, business_id, span_field_names, three_inputs_among,
};
use caci_core::{Level, TelemetryCaptureConfiguration};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

/// Defines a three-input method opening a CACI span: one call site each.
macro_rules! caci_method {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[inline(never)]
        fn $name(id: BusinessId, trial: bool, plan: Plan) {
            let span = caci_core::span!(Level::INFO, SPAN_NAME, business_id = id, trial = trial, plan = plan);
            let _entered = span.enter();
            black_box(id);
            black_box(trial);
            black_box(plan);
        }
    };
}

caci_method!(
    /// The call site the criterion group measures under both configurations.
    caci
);
caci_method!(
    /// The paired check's call site for the 10-name configuration.
    caci_small_site
);
caci_method!(
    /// The paired check's call site for the 10,000-name configuration.
    caci_large_site
);

/// Alternates blocks of calls under the two configurations (which one goes
/// first alternates too) and prints the median ns/call of each and the
/// median of the per-round ratios.
fn paired_check(small: &TelemetryCaptureConfiguration, large: &TelemetryCaptureConfiguration) {
    const ROUNDS: usize = 300;
    const CALLS_PER_BLOCK: u32 = 2_000;
    let id = business_id();
    let block = |config: &TelemetryCaptureConfiguration, method: fn(BusinessId, bool, Plan)| {
        caci_core::with_configuration(config, || {
            let start = Instant::now();
            for _ in 0..CALLS_PER_BLOCK {
                method(black_box(id), black_box(true), black_box(Plan::Starter));
            }
            start.elapsed().as_secs_f64() * 1e9 / f64::from(CALLS_PER_BLOCK)
        })
    };
    let (mut small_ns, mut large_ns, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    Subscriber::Registry.run(|| {
        // Warm up: plan both call sites and fill the caches.
        block(small, caci_small_site);
        block(large, caci_large_site);
        for round in 0..ROUNDS {
            let (s, l) = if round % 2 == 0 {
                let s = block(small, caci_small_site);
                (s, block(large, caci_large_site))
            } else {
                let l = block(large, caci_large_site);
                (block(small, caci_small_site), l)
            };
            small_ns.push(s);
            large_ns.push(l);
            ratios.push(l / s);
        }
    });
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let quartiles = |values: &Vec<f64>| (values[values.len() / 4], values[values.len() * 3 / 4]);
    let (small_median, large_median, ratio_median) =
        (median(&mut small_ns), median(&mut large_ns), median(&mut ratios));
    let (q1, q3) = quartiles(&ratios);
    eprintln!(
        "paired check ({ROUNDS} rounds of {CALLS_PER_BLOCK} calls per size): 10 names {small_median:.1} ns/call, \
         10,000 names {large_median:.1} ns/call, ratio 10,000/10: median {ratio_median:.3} (quartiles {q1:.3}..{q3:.3})"
    );
}

fn bench(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, config: &TelemetryCaptureConfiguration) {
    let id = business_id();
    caci_core::with_configuration(config, || {
        eprintln!("{name}:");
        assert_eq!(span_field_names(|| caci(id, true, Plan::Starter)), THREE_INPUTS);
        Subscriber::Registry.run(|| {
            group.bench_function(name, |b| {
                b.iter(|| caci(black_box(id), black_box(true), black_box(Plan::Starter)));
            });
        });
    });
}

fn allow_list_size(c: &mut Criterion) {
    let small = three_inputs_among(10);
    let large = three_inputs_among(10_000);
    assert_eq!(small.spec().allowed_field_names.len(), 10);
    assert_eq!(large.spec().allowed_field_names.len(), 10_000);

    paired_check(&small, &large);

    let mut group = c.benchmark_group("allow_list_size");
    bench(&mut group, "caci_registry_10_names", &small);
    bench(&mut group, "caci_registry_10000_names", &large);
    bench(&mut group, "caci_registry_10000_names_again", &large);
    bench(&mut group, "caci_registry_10_names_again", &small);
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
    targets = allow_list_size
}
criterion_main!(benches);
