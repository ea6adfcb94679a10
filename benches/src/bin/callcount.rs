//! Deterministic complement to the criterion benches: runs `CALLS` calls of
//! one variant so that `valgrind --tool=callgrind` can count its
//! instructions (see `benches/callgrind.sh` and BENCHMARKS.md).
//!
//! ```text
//! callcount <group>/<variant>_<subscriber> <calls>
//! ```
//!
//! `group` is `call_site` or `struct_input`; `variant` one of the names in
//! `caci_benches::{three_inputs, struct_input}::VARIANTS`; `subscriber` is
//! `no_subscriber`, `level_disabled` or `registry` (as in the criterion
//! variant names). `callcount list` prints every combination. The process
//! does the same setup whatever `calls` is, so the instructions per call are
//! `(Ir(calls = b) - Ir(calls = a)) / (b - a)`, free of setup and of the first
//! (planning) call.

use std::hint::black_box;
use std::process::ExitCode;

use caci_benches::{Plan, Subscriber, business, business_id, field_kinds, struct_input, three_inputs, wide_fields};

const GROUPS: [&str; 4] = ["call_site", "struct_input", "wide_fields", "field_kinds"];
const SUBSCRIBERS: [(&str, Subscriber); 3] = [
    ("no_subscriber", Subscriber::None),
    ("level_disabled", Subscriber::LevelDisabled),
    ("registry", Subscriber::Registry),
];

fn variant_names(group: &str) -> Vec<&'static str> {
    match group {
        "call_site" => three_inputs::VARIANTS.iter().map(|(name, _)| *name).collect(),
        "wide_fields" => wide_fields::VARIANTS.iter().map(|(name, _)| *name).collect(),
        "field_kinds" => field_kinds::VARIANTS.iter().map(|(name, _)| *name).collect(),
        _ => struct_input::VARIANTS.iter().map(|(name, _)| *name).collect(),
    }
}

/// Runs `calls` calls of `method` under `subscriber`, after one call that
/// plans the call site (so both runs of a pair do the same setup).
fn run(subscriber: Subscriber, calls: u64, method: impl Fn()) {
    subscriber.run(|| {
        method();
        for _ in 0..calls {
            method();
        }
    });
}

/// A group of variants taking no arguments (their inputs are constants).
fn run_unary(
    subscriber: Subscriber,
    calls: u64,
    variant: &str,
    variants: &[(&str, fn())],
    configuration: fn() -> caci_core::TelemetryCaptureConfiguration,
) -> ExitCode {
    let Some((_, method)) = variants.iter().find(|(known, _)| *known == variant) else {
        eprintln!("unknown variant {variant:?}");
        return ExitCode::FAILURE;
    };
    caci_core::install(without_duration_if_asked(configuration()));
    run(subscriber, calls, method);
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("list") {
        for group in GROUPS {
            for variant in variant_names(group) {
                for (subscriber, _) in SUBSCRIBERS {
                    println!("{group}/{variant}_{subscriber}");
                }
            }
        }
        return ExitCode::SUCCESS;
    }
    let [name, calls] = args.as_slice() else {
        eprintln!("usage: callcount <group>/<variant>_<subscriber> <calls> | callcount list");
        return ExitCode::FAILURE;
    };
    let Ok(calls) = calls.parse::<u64>() else {
        eprintln!("calls must be a number, got {calls:?}");
        return ExitCode::FAILURE;
    };
    let Some((group, rest)) = name.split_once('/') else {
        eprintln!("expected <group>/<variant>_<subscriber>, got {name:?}");
        return ExitCode::FAILURE;
    };
    let Some((subscriber_name, subscriber)) = SUBSCRIBERS
        .iter()
        .find(|(suffix, _)| rest.ends_with(&format!("_{suffix}")))
        .copied()
    else {
        eprintln!("unknown subscriber in {name:?}");
        return ExitCode::FAILURE;
    };
    let variant = &rest[..rest.len() - subscriber_name.len() - 1];
    match group {
        "call_site" => {
            let Some((_, method)) = three_inputs::VARIANTS.iter().find(|(known, _)| *known == variant) else {
                eprintln!("unknown variant {variant:?}");
                return ExitCode::FAILURE;
            };
            caci_core::install(without_duration_if_asked(caci_benches::three_inputs_configuration()));
            let id = business_id();
            run(subscriber, calls, || {
                method(black_box(id), black_box(true), black_box(Plan::Starter));
            });
        }
        "struct_input" => {
            let Some((_, method)) = struct_input::VARIANTS.iter().find(|(known, _)| *known == variant) else {
                eprintln!("unknown variant {variant:?}");
                return ExitCode::FAILURE;
            };
            caci_core::install(without_duration_if_asked(caci_benches::struct_configuration()));
            let input = business();
            run(subscriber, calls, || method(black_box(&input)));
        }
        "wide_fields" => {
            return run_unary(
                subscriber,
                calls,
                variant,
                wide_fields::VARIANTS,
                wide_fields::configuration,
            );
        }
        "field_kinds" => {
            return run_unary(
                subscriber,
                calls,
                variant,
                field_kinds::VARIANTS,
                field_kinds::configuration,
            );
        }
        other => {
            eprintln!("unknown group {other:?}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// `CALLCOUNT_NO_DURATION=1`: the configuration without `duration_ns`
/// (what `record_duration(false)` saves; BENCHMARKS.md).
fn without_duration_if_asked(
    config: caci_core::TelemetryCaptureConfiguration,
) -> caci_core::TelemetryCaptureConfiguration {
    if std::env::var_os("CALLCOUNT_NO_DURATION").is_some() {
        config.to_builder().record_duration(false).build().expect("valid")
    } else {
        config
    }
}
