//! `allow_list_size`: the per-call cost of the three-input
//! `#[caci_core::component]` method under a registry, with 10 allowed names against
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

mod common;

use std::hint::black_box;
use std::time::Instant;

use caci_benches::{
    BusinessId, COMPONENT_FIELDS, OUTCOME_FIELDS, Plan, Subscriber, THREE_INPUTS, business_id, span_field_names,
    three_inputs_among,
};
use caci_core::TelemetryCaptureConfiguration;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

/// Defines a three-input `#[component]` method (span
/// `SubscriptionService.initialize_business`) on its own type, and a
/// function calling it: one call site each.
macro_rules! component_method {
    ($(#[$doc:meta])* $name:ident, $service:ident) => {
        struct $service;

        #[caci_core::component(name = "SubscriptionService")]
        impl $service {
            #[inline(never)]
            fn initialize_business(&self, business_id: BusinessId, trial: bool, plan: Plan) {
                black_box(business_id);
                black_box(trial);
                black_box(plan);
            }
        }

        $(#[$doc])*
        fn $name(id: BusinessId, trial: bool, plan: Plan) {
            $service.initialize_business(id, trial, plan);
        }
    };
}

component_method!(
    /// The call site the criterion group measures under both configurations.
    caci,
    Measured
);
component_method!(
    /// The paired check's call site for the 10-name configuration.
    caci_small_site,
    SmallSite
);
component_method!(
    /// The paired check's call site for the 10,000-name configuration.
    caci_large_site,
    LargeSite
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
        let with_outcome: Vec<&str> = THREE_INPUTS
            .iter()
            .chain(&OUTCOME_FIELDS)
            .chain(&COMPONENT_FIELDS)
            .copied()
            .collect();
        assert_eq!(span_field_names(|| caci(id, true, Plan::Starter)), with_outcome);
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

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = allow_list_size
}
criterion_main!(benches);
