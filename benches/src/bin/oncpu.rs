//! On-CPU time per call of two variants, measured side by side: rounds of
//! `calls` calls of each, alternating (A B B A), each timed by the thread's
//! own on-CPU clock (`/proc/thread-self/schedstat`, nanoseconds the thread
//! ran), so time spent waiting for a shared, busy machine is not counted.
//! Prints each variant's median nanoseconds per call and the median of the
//! rounds' ratios. Usage, from the workspace root:
//!
//! ```text
//! cargo run --profile bench -p caci-benches --bin oncpu -- \
//!     call_site/component call_site/manual_span_outcome [rounds] [calls]
//! ```
//!
//! Variants are `call_site/<name>` or `wide_fields/<name>`, run under the
//! registry and visiting layer (the `_registry` subscriber of `callcount`).

use std::hint::black_box;
use std::process::ExitCode;

use caci_benches::{Plan, Subscriber, business_id, three_inputs, wide_fields};

/// One variant, as a call with no arguments.
type Call = Box<dyn Fn()>;

fn variant(name: &str) -> Option<(Call, fn() -> caci_core::TelemetryCaptureConfiguration)> {
    let (group, variant) = name.split_once('/')?;
    match group {
        "call_site" => {
            let (_, method) = three_inputs::VARIANTS.iter().find(|(known, _)| *known == variant)?;
            let method = *method;
            let id = business_id();
            Some((
                Box::new(move || method(black_box(id), black_box(true), black_box(Plan::Starter))),
                caci_benches::three_inputs_configuration,
            ))
        }
        "wide_fields" => {
            let (_, method) = wide_fields::VARIANTS.iter().find(|(known, _)| *known == variant)?;
            let method = *method;
            Some((Box::new(method), wide_fields::configuration))
        }
        _ => None,
    }
}

/// Nanoseconds this thread has run on a CPU.
fn on_cpu_nanos() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("schedstat is readable (Linux)");
    stat.split_whitespace()
        .next()
        .and_then(|field| field.parse().ok())
        .expect("schedstat starts with the on-CPU nanoseconds")
}

fn time_per_call(call: &dyn Fn(), calls: u64) -> f64 {
    let start = on_cpu_nanos();
    for _ in 0..calls {
        call();
    }
    (on_cpu_nanos() - start) as f64 / calls as f64
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
        eprintln!("usage: oncpu <group>/<variant> <group>/<variant> [rounds] [calls]");
        return ExitCode::FAILURE;
    };
    let rounds: usize = args.get(2).and_then(|value| value.parse().ok()).unwrap_or(31);
    let calls: u64 = args.get(3).and_then(|value| value.parse().ok()).unwrap_or(200_000);
    let (Some((call_a, config_a)), Some((call_b, config_b))) = (variant(a), variant(b)) else {
        eprintln!("unknown variant in {a:?} / {b:?}");
        return ExitCode::FAILURE;
    };
    // Both groups' configurations allow their own types only: one
    // configuration, both lists.
    let spec = config_a().spec().widened_by(config_b().spec());
    caci_core::install(
        caci_core::TelemetryCaptureConfiguration::from_spec(spec).expect("both configurations are valid"),
    );
    let (mut times_a, mut times_b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    Subscriber::Registry.run(|| {
        // Warm up: plans, callsites, caches.
        time_per_call(&*call_a, calls / 10);
        time_per_call(&*call_b, calls / 10);
        for round in 0..rounds {
            let (first, second): (&dyn Fn(), &dyn Fn()) = if round % 2 == 0 {
                (&*call_a, &*call_b)
            } else {
                (&*call_b, &*call_a)
            };
            let x = time_per_call(first, calls);
            let y = time_per_call(second, calls);
            let (ta, tb) = if round % 2 == 0 { (x, y) } else { (y, x) };
            times_a.push(ta);
            times_b.push(tb);
            ratios.push(ta / tb);
        }
    });
    println!(
        "{a}: {:.1} ns per call (median of {rounds} rounds of {calls})",
        median(&mut times_a)
    );
    println!("{b}: {:.1} ns per call", median(&mut times_b));
    println!(
        "ratio {a} / {b}: {:.3} (median of the rounds' ratios)",
        median(&mut ratios)
    );
    ExitCode::SUCCESS
}
