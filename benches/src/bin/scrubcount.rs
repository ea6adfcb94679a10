//! The callgrind driver for the `string_field` group (value scrubbing on and
//! off on one string input), apart from `callcount` so that its extra call
//! site leaves the other groups' code, and so their counts, untouched.
//!
//! ```text
//! scrubcount string_field/<scrubbed|unscrubbed>_registry <calls>
//! scrubcount list
//! ```

use std::hint::black_box;
use std::process::ExitCode;

use caci_benches::{Subscriber, string_field};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("list") {
        for (variant, _) in string_field::VARIANTS {
            println!("string_field/{variant}_registry");
        }
        return ExitCode::SUCCESS;
    }
    let [name, calls] = args.as_slice() else {
        eprintln!("usage: scrubcount string_field/<variant>_registry <calls> | scrubcount list");
        return ExitCode::FAILURE;
    };
    let (Some(variant), Ok(calls)) = (
        name.strip_prefix("string_field/")
            .and_then(|rest| rest.strip_suffix("_registry")),
        calls.parse::<u64>(),
    ) else {
        eprintln!("expected string_field/<variant>_registry <calls>, got {name:?} {calls:?}");
        return ExitCode::FAILURE;
    };
    let Some((_, method)) = string_field::VARIANTS.iter().find(|(known, _)| *known == variant) else {
        eprintln!("unknown variant {variant:?}");
        return ExitCode::FAILURE;
    };
    caci_core::install(string_field::configuration(variant));
    Subscriber::Registry.run(|| {
        method(black_box(string_field::NOTE));
        for _ in 0..calls {
            method(black_box(string_field::NOTE));
        }
    });
    ExitCode::SUCCESS
}
