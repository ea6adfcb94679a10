//! What the three bench targets share: the criterion settings, and the
//! check that compared variants record the fields they should.

use std::time::Duration;

use caci_benches::{COMPONENT_FIELDS, OUTCOME_FIELDS};
use criterion::Criterion;

/// 1 s warm-up, 3 s measurement, 50 samples: the whole suite in minutes.
pub(crate) fn criterion_config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

/// Prints and checks the fields every instrumented variant records per
/// call: `inputs`, plus `outcome`/`duration_ns` for those that record them
/// (and `code.function.name` for the component and the hand-written span),
/// and `default_fields` for plain `#[instrument]`.
#[allow(dead_code)] // `allow_list_size` measures one variant only
pub(crate) fn check_variant_fields<M: Copy>(
    variants: &[(&str, M)],
    inputs: &[&str],
    default_fields: &[&str],
    fields_of: impl Fn(M) -> Vec<String>,
) {
    let with_outcome: Vec<&str> = inputs.iter().chain(&OUTCOME_FIELDS).copied().collect();
    let default_with_outcome: Vec<&str> = default_fields.iter().chain(&OUTCOME_FIELDS).copied().collect();
    let component: Vec<&str> = with_outcome.iter().chain(&COMPONENT_FIELDS).copied().collect();
    // The same fields by hand, `code.function.name` given at the opening.
    let manual: Vec<&str> = inputs
        .iter()
        .chain(&COMPONENT_FIELDS)
        .chain(&OUTCOME_FIELDS)
        .copied()
        .collect();
    eprintln!("fields recorded per call:");
    for (name, method) in variants.iter().filter(|(name, _)| !name.starts_with("bare")) {
        eprint!("{name}:");
        let recorded = fields_of(*method);
        match *name {
            "component" => assert_eq!(recorded, component),
            "instrument_outcome" => assert_eq!(recorded, with_outcome),
            "manual_span_outcome" => assert_eq!(recorded, manual),
            "caci_span" | "instrument_skip_all_fields" => assert_eq!(recorded, inputs),
            "instrument_default" => assert_eq!(recorded, default_fields),
            "instrument_default_outcome" => assert_eq!(recorded, default_with_outcome),
            other => unreachable!("unknown variant {other}"),
        }
    }
}
