//! What `init` prints: the ranked components, the domain types with what
//! their fields got, and the closing numbers.

use std::fmt::Write;

use crate::discover::components::{Candidate, Decision};
use crate::discover::index::Index;
use crate::discover::types::{self, FieldAction};
use crate::init::Report;
use crate::manifest::Added;
use crate::source::Sources;
use crate::syntax::has_attr;

pub(crate) fn list_components(
    out: &mut String,
    sources: &Sources,
    index: &Index,
    candidates: &[Candidate],
    report: &mut Report,
) {
    out.push_str("\nComponents, ranked:\n");
    if candidates.is_empty() {
        out.push_str("  (no impl block with a method taking `self` on the crate's own types)\n");
    }
    let width = candidates
        .iter()
        .map(|candidate| candidate.label.len())
        .max()
        .unwrap_or(0);
    for candidate in candidates {
        let block = &index.impls[candidate.block];
        let source = &sources.files[block.file];
        let line = block.item.impl_token.span.start().line;
        if candidate.decision.adds_attribute() {
            report.constructors_skipped += block
                .item
                .items
                .iter()
                .filter(|item| {
                    matches!(item, syn::ImplItem::Fn(method)
                        if types::is_constructor(method, &candidate.type_name) && !has_attr(&method.attrs, "caci"))
                })
                .count();
        }
        let (mark, note) = match &candidate.decision {
            Decision::Wrap => {
                report.components_wrapped += 1;
                ("wrap   ", String::new())
            }
            Decision::Included(pattern) => {
                report.components_wrapped += 1;
                ("wrap   ", format!("; included by `{pattern}`"))
            }
            Decision::Already => {
                report.components_already += 1;
                ("already", String::new())
            }
            Decision::Below => ("skip   ", "; below the threshold (--include to wrap)".to_owned()),
            Decision::Excluded(pattern) => ("skip   ", format!("; excluded by `{pattern}`")),
            Decision::UsesInstrument(methods) => {
                report.for_decision.push(candidate.label.clone());
                (
                    "decide ",
                    format!(
                        "; uses #[tracing::instrument] on {}: not wrapped (a method would get two spans); \
                         remove it and add #[caci_core::component] by hand",
                        methods.join(", ")
                    ),
                )
            }
        };
        let _ = writeln!(
            out,
            "  {mark} {:width$}  score {:+}: {}{note}  ({}:{line})",
            candidate.label,
            candidate.score,
            if candidate.signals.is_empty() {
                "no signal".to_owned()
            } else {
                candidate.signals.join(", ")
            },
            source.path.display(),
        );
    }
}

pub(crate) fn list_types(out: &mut String, index: &Index, domain: &types::Domain, report: &mut Report) {
    out.push_str("\nDomain types (taken or returned by the components, and their fields' types):\n");
    if domain.types.is_empty() {
        out.push_str("  (none)\n");
    }
    for plan in domain.types.values() {
        let def = &index.defs[plan.def];
        let status = if plan.already {
            report.types_already += 1;
            "already derives Telemetry".to_owned()
        } else if let Some(why) = &plan.underivable {
            format!("not derived: {why}")
        } else {
            report.types_derived += 1;
            "derive Telemetry".to_owned()
        };
        let mut marks = Vec::new();
        if !plan.already && plan.underivable.is_none() {
            for field in &plan.fields {
                match &field.action {
                    FieldAction::Sensitive(word) => {
                        report.fields_sensitive += 1;
                        marks.push(format!("{} sensitive (`{word}`)", field.name));
                    }
                    FieldAction::Skip(why) => {
                        report.fields_skipped += 1;
                        marks.push(format!("{} skip ({why})", field.name));
                    }
                    FieldAction::Display(ty) => {
                        report.fields_display += 1;
                        marks.push(format!("{} display (`{ty}`)", field.name));
                    }
                    FieldAction::Keep | FieldAction::Existing(_) => {}
                }
            }
        }
        let path = if def.module.is_empty() {
            def.name.clone()
        } else {
            format!("{}::{}", def.module.join("::"), def.name)
        };
        let _ = writeln!(out, "  {path}: {status}");
        for mark in marks {
            let _ = writeln!(out, "      {mark}");
        }
    }
}

pub(crate) fn summary(out: &mut String, report: &Report, added: &Added, config_note: &str, dry_run: bool) {
    let verb = if dry_run { "Would do" } else { "Done" };
    let _ = writeln!(
        out,
        "\n{verb}: {} wrapped as components ({} already; {} #[caci(skip)]), {} Telemetry ({} already), \
         fields: {} sensitive, {} skipped, {} display.",
        count(report.components_wrapped, "impl block", "impl blocks"),
        report.components_already,
        count(report.constructors_skipped, "constructor", "constructors"),
        count(report.types_derived, "type derives", "types derive"),
        report.types_already,
        report.fields_sensitive,
        report.fields_skipped,
        report.fields_display
    );
    match added {
        Added::Present => out.push_str("Cargo.toml: caci-core is a dependency already.\n"),
        Added::Line(line) => {
            let _ = writeln!(out, "Cargo.toml: added `{line}`.");
            if line.ends_with("\"0.1\"") {
                out.push_str(
                    "  (caci-core is not on crates.io yet: rerun with --caci-path <checkout> or --caci-git <url>)\n",
                );
            }
        }
    }
    let _ = writeln!(out, "{config_note}");
    let coverage = &report.coverage;
    let _ = writeln!(
        out,
        "Coverage (static, by caci-core's decision rule): {} of {} inputs captured ({}) in {} components, \
         {} methods; reachable maximum: {} ({}); captured of the reachable: {}.",
        coverage.captured,
        coverage.leaves,
        coverage.percent_text(),
        coverage.components,
        coverage.methods,
        coverage.reachable,
        coverage.reachable_text(),
        caci_core::coverage::format_percent(coverage.captured, coverage.reachable)
    );
    out.push_str(
        "\nSee the real report: enable caci-core's `coverage` feature in a binary or test that links the\n\
         components, install the configuration and hand it the arguments:\n\
         \x20   caci_core::install(caci_core::TelemetryCaptureConfiguration::from_path(\"caci.toml\")?);\n\
         \x20   caci_core::coverage::cli::run(std::env::args().skip(1))\n\
         then `cargo run -- coverage` (add `--emit-config suggested.toml` for ranked additions).\n",
    );
}

/// `1 entry`, `2 entries`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
