//! The instantiations of a generic method planned in this process: their
//! leaves, shown beside the method's, never counted.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::leaf::LeafReport;
use crate::config::TelemetryCaptureConfiguration;
use crate::method::MethodDescriptor;
use crate::plan::{Input, LeafDecision};
use crate::rules::decision::{Reason, Verdict};
use crate::shape::{Shape, ShapeBody};

/// One instantiation of a generic method (`put::<Shipping>`), as called so
/// far in the process that builds the report
/// ([`MethodDescriptor::instantiations`]), with its leaves decided under the
/// report's configuration and the method's scopes: what the spans of that
/// instantiation carry.
///
/// Its leaves are shown, not counted: the method's totals count the generic
/// input once (as reachable), since which instantiations exist depends on
/// what the process has called. A leaf of the method's other inputs whose
/// capture differs in an instantiation (pushed over `max_fields_per_span`
/// by a larger type) is reported, at the method, as depending on the type
/// too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstantiationReport {
    /// The types it was called with, input by input, as
    /// `item: Shipping, note: &str` (short names): the inputs (and `return`)
    /// whose type is generic in the method's signature, or every input when
    /// the description has no generic one.
    pub types: String,
    /// Its leaves, in the order the shapes are walked.
    pub leaves: Vec<LeafReport>,
}

/// The instantiations of `descriptor` planned so far, decided under `config`.
/// `generic` is the method's own description (its inputs' shapes, its
/// output's when captured), naming which inputs are generic.
pub(crate) fn instantiations(
    config: &TelemetryCaptureConfiguration,
    descriptor: &MethodDescriptor,
    generic: (&[Input], Option<&Shape>),
) -> Vec<InstantiationReport> {
    let info = descriptor.info();
    descriptor
        .instantiations()
        .into_iter()
        .map(|(inputs, output)| {
            let output = output.filter(|_| info.captures_output);
            let leaves = config
                .decisions_at(info.component, info.method, &inputs, output.as_ref())
                .iter()
                .map(LeafReport::from)
                .collect();
            InstantiationReport {
                types: label(generic, &inputs, output.as_ref()),
                leaves,
            }
        })
        .collect()
}

/// A generic method's own leaves say what *every* instantiation's spans
/// carry: a leaf whose capture differs between the representative
/// description and an instantiation called (`note` pushed over
/// `max_fields_per_span` by a larger `T`, in `put_any(item: impl Capture,
/// note: &str)`) depends on the type of each call too. Leaves are matched
/// by path and occurrence.
pub(crate) fn reconcile(decisions: &mut [LeafDecision], instantiations: &[InstantiationReport]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for decision in decisions.iter_mut() {
        let occurrence = seen.entry(decision.path.clone()).or_default();
        let nth = *occurrence;
        *occurrence += 1;
        let differs = instantiations.iter().any(|instantiation| {
            instantiation
                .leaves
                .iter()
                .filter(|leaf| leaf.path == decision.path)
                .nth(nth)
                .is_some_and(|leaf| leaf.verdict.is_captured() != decision.verdict.is_captured())
        });
        if differs {
            decision.verdict = Verdict::NotCaptured(Reason::DependsOnType);
            decision.scope = None;
        }
    }
}

fn is_generic(shape: &Shape) -> bool {
    matches!(shape.body, ShapeBody::Generic)
}

/// `item: Shipping`: the generic inputs' (and output's) types of one
/// instantiation.
fn label(generic: (&[Input], Option<&Shape>), inputs: &[Input], output: Option<&Shape>) -> String {
    let (described, described_output) = generic;
    let generic_input = |index: usize| described.get(index).is_some_and(|input| is_generic(&input.shape));
    let any_generic = (0..described.len()).any(generic_input);
    let mut parts: Vec<String> = inputs
        .iter()
        .enumerate()
        .filter(|(index, _)| !any_generic || generic_input(*index))
        .map(|(_, input)| format!("{}: {}", input.name, input.shape.short_type_name()))
        .collect();
    if let Some(output) = output.filter(|_| described_output.is_some_and(is_generic)) {
        parts.push(format!("return: {}", output.short_type_name()));
    }
    if parts.is_empty() {
        "(no inputs)".to_owned()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Capture;

    #[test]
    fn a_label_names_the_generic_inputs_types() {
        let described = [
            Input::new("item", Shape::generic("T")),
            Input::new("note", String::shape()),
        ];
        let called = [Input::new("item", u64::shape()), Input::new("note", String::shape())];
        assert_eq!(label((&described, None), &called, None), "item: u64");
        let plain = [Input::new("note", String::shape())];
        assert_eq!(label((&plain, None), &plain, None), "note: String");
        let output = Shape::generic("T");
        assert_eq!(
            label((&plain, Some(&output)), &plain, Some(&bool::shape())),
            "note: String, return: bool"
        );
    }
}
