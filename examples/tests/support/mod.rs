//! Running the example binary as `cargo run -p caci-examples` would.

#![allow(dead_code, unreachable_pub)]

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use caci_examples::domain::Plan;
use caci_examples::{service, signups};

/// Runs the example binary with no `OTEL_*` variable from this process and
/// `envs` added; asserts it succeeded and returns its output, its stdout as
/// text, and how long it took.
pub fn run_example(envs: &[(&str, &str)]) -> (Output, String, Duration) {
    let (output, elapsed) = run_example_unchecked(envs);
    let stdout = String::from_utf8(output.stdout.clone()).expect("utf-8 output");
    assert!(
        output.status.success(),
        "the example failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    (output, stdout, elapsed)
}

/// Runs the example binary as [`run_example`] does, whatever its exit status.
pub fn run_example_unchecked(envs: &[(&str, &str)]) -> (Output, Duration) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caci-examples"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("OTEL_") {
            command.env_remove(name);
        }
    }
    command.envs(envs.iter().copied());
    let started = Instant::now();
    let output = command.output().expect("the example binary runs");
    (output, started.elapsed())
}

/// Sign-ups in `indices` the API accepts on `plan`.
pub fn accepted_on(plan: Plan, indices: std::ops::Range<u32>) -> usize {
    indices
        .map(signups::request)
        .filter(|request| request.plan == plan && service::validate(request).is_ok())
        .count()
}
