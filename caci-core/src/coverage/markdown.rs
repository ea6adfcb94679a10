//! The report as GitHub-flavoured Markdown, for a pull-request comment: a
//! summary table per component, then one collapsible `<details>` per
//! component, then the suggestions.

use std::fmt::Write;

use super::leaf::LeafReport;
use super::report::{CoverageReport, MethodReport};
use super::source::{ConfigurationSource, NOTHING_INSTALLED_WARNING};
use super::suggest::Suggestion;
use super::text::{SHOWN_PLACES, SHOWN_SUGGESTIONS, configuration_line, generic_line, reasons_in_words};
use super::totals::Totals;
use super::unmatched::unmatched_warning;
use crate::rules::decision::{Reason, Verdict};

/// Inline code, safe inside a table cell.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('|', "\\|"))
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn other(totals: &Totals) -> usize {
    let counts = &totals.not_captured;
    counts.type_not_capturable + counts.depends_on_type + counts.beyond_depth + counts.field_limit
}

impl CoverageReport {
    /// The report as Markdown for a pull-request comment.
    pub fn render_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "## CACI coverage: {} of inputs captured\n",
            self.totals.percent_text()
        );
        let _ = write!(
            out,
            "{} of {} inputs captured in {}.",
            self.totals.captured,
            self.totals.leaves,
            self.scope()
        );
        if self.totals.leaves > 0 {
            let _ = write!(
                out,
                " Reachable maximum: {} of {} ({}); captured of the reachable: {} (what `--min` gates on).",
                self.totals.reachable(),
                self.totals.leaves,
                self.totals.reachable_max_text(),
                self.totals.of_reachable_text()
            );
        }
        let reasons = reasons_in_words(&self.totals.not_captured);
        if !reasons.is_empty() {
            let _ = write!(out, " Not captured: {}.", reasons.join(", "));
        }
        if let Some(line) = generic_line(&self.totals) {
            let _ = write!(out, " {line}.");
        }
        out.push_str("\n\n");
        if let Some(line) = configuration_line(self, |text| format!("`{text}`")) {
            let _ = writeln!(out, "{line}\n");
        }
        for place in &self.unmatched_scopes {
            let _ = writeln!(out, "> **Warning:** {}.\n", unmatched_warning(place));
        }
        if self.configuration_source == ConfigurationSource::NothingInstalled {
            let _ = writeln!(
                out,
                "> **Warning:** {}\n",
                NOTHING_INSTALLED_WARNING
                    .replace("caci_core::install(...)", "`caci_core::install(...)`")
                    .replace("--config FILE", "`--config FILE`")
            );
        }
        if !self.configuration.deny_floor_removals.is_empty() {
            let removed: Vec<String> = self
                .configuration
                .deny_floor_removals
                .iter()
                .map(|name| code(name))
                .collect();
            let _ = writeln!(
                out,
                "> **Warning:** this configuration removes {} from the deny floor.\n",
                removed.join(", ")
            );
        }
        self.summary_table(&mut out);
        for component in &self.components {
            let _ = writeln!(
                out,
                "\n<details>\n<summary><code>{}</code>: {} of {} inputs captured ({})</summary>\n",
                html(&component.name),
                component.totals.captured,
                component.totals.leaves,
                component.totals.percent_text()
            );
            for method in component.methods.iter().filter(|method| !method.constructor) {
                method_table(method, &mut out);
            }
            let mut constructors = component.methods.iter().filter(|method| method.constructor).peekable();
            if constructors.peek().is_some() {
                out.push_str("*Constructors: listed, not counted.*\n\n");
            }
            for method in constructors {
                method_table(method, &mut out);
            }
            out.push_str("</details>\n");
        }
        suggestion_tables(&self.suggestions, &self.needs_review, &mut out);
        out
    }

    fn summary_table(&self, out: &mut String) {
        out.push_str(
            "| Component | Methods | Captured | Coverage | Reachable max | Of reachable | Not allowed | Denied | Sensitive | Other |\n",
        );
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        let row = |out: &mut String, name: &str, methods: usize, totals: &Totals| {
            let _ = writeln!(
                out,
                "| {name} | {methods} | {} of {} | {} | {} | {} | {} | {} | {} | {} |",
                totals.captured,
                totals.leaves,
                totals.percent_text(),
                totals.reachable_max_text(),
                totals.of_reachable_text(),
                totals.not_captured.not_allowed,
                totals.not_captured.denied,
                totals.not_captured.sensitive,
                other(totals)
            );
        };
        let counted = |component: &super::report::ComponentReport| {
            component.methods.iter().filter(|method| !method.constructor).count()
        };
        for component in &self.components {
            row(out, &code(&component.name), counted(component), &component.totals);
        }
        let methods = self.components.iter().map(counted).sum();
        row(out, "**Total**", methods, &self.totals);
    }
}

fn method_table(method: &MethodReport, out: &mut String) {
    if method.skipped {
        let _ = writeln!(
            out,
            "**{}**: method skipped (`#[caci(skip)]`)\n",
            code(&method.signature)
        );
        return;
    }
    let _ = writeln!(
        out,
        "**{}**: {} of {}\n",
        code(&method.signature),
        method.totals.captured,
        method.totals.leaves
    );
    if method.leaves.is_empty() {
        out.push_str("No inputs.\n\n");
    } else {
        leaf_table(&method.leaves, out);
    }
    if !method.instantiations.is_empty() {
        out.push_str("*Instantiations called in this process (listed, not counted):*\n\n");
    }
    for instantiation in &method.instantiations {
        let _ = writeln!(out, "{}:\n", code(&instantiation.types));
        if instantiation.leaves.is_empty() {
            out.push_str("No inputs.\n\n");
        } else {
            leaf_table(&instantiation.leaves, out);
        }
    }
}

fn leaf_table(leaves: &[LeafReport], out: &mut String) {
    out.push_str("| Input | Type | Kind | Verdict |\n|---|---|---|---|\n");
    for leaf in leaves {
        let mark = match leaf.verdict {
            Verdict::Captured(_) => "✅",
            Verdict::NotCaptured(Reason::DependsOnType) => "❔",
            Verdict::NotCaptured(_) => "❌",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {mark} {} |",
            code(&leaf.path),
            code(&leaf.rust_type),
            kind_text(leaf),
            cell(&leaf.verdict_text())
        );
    }
    out.push('\n');
}

/// `enum`, or `list of enum` for lists and maps.
fn kind_text(leaf: &LeafReport) -> String {
    match leaf.item_kind {
        Some(item) => format!("{} of {item}", leaf.kind),
        None => leaf.kind.to_string(),
    }
}

fn places(suggestion: &Suggestion) -> String {
    let mut shown: Vec<String> = suggestion
        .unlocks
        .iter()
        .take(SHOWN_PLACES)
        .map(|place| code(&place.to_string()))
        .collect();
    if suggestion.unlocks.len() > SHOWN_PLACES {
        shown.push(format!("… and {} more", suggestion.unlocks.len() - SHOWN_PLACES));
    }
    shown.join("<br>")
}

fn suggestion_tables(suggestions: &[Suggestion], review: &[Suggestion], out: &mut String) {
    out.push_str("\n### Suggestions\n\n");
    if suggestions.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| # | Addition | Setting | Captures | Where |\n|---:|---|---|---:|---|\n");
        for (rank, suggestion) in suggestions.iter().take(SHOWN_SUGGESTIONS).enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | +{} | {} |",
                rank + 1,
                cell(&suggestion.addition.to_string()),
                code(suggestion.addition.setting()),
                suggestion.unlocks.len(),
                places(suggestion)
            );
        }
        more(suggestions.len(), out);
    }
    if !review.is_empty() {
        out.push_str(
            "\n### Needs review: looks personal\n\nNot suggested: each would capture names that look personal.\n\n",
        );
        out.push_str("| Addition | Setting | Would capture | Looks personal | Where |\n|---|---|---:|---|---|\n");
        for suggestion in review.iter().take(SHOWN_SUGGESTIONS) {
            let personal: Vec<String> = suggestion
                .looks_personal
                .iter()
                .map(|found| format!("{} ({})", code(&found.identifier), cell(&found.term)))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | +{} | {} | {} |",
                cell(&suggestion.addition.to_string()),
                code(suggestion.addition.setting()),
                suggestion.unlocks.len(),
                personal.join(", "),
                places(suggestion)
            );
        }
        more(review.len(), out);
    }
}

fn more(total: usize, out: &mut String) {
    if total > SHOWN_SUGGESTIONS {
        let _ = writeln!(out, "\n{} more in the JSON report.", total - SHOWN_SUGGESTIONS);
    }
}
