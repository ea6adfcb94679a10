//! The report as plain text for a terminal, 100 columns wide, coloured on
//! request.

use std::fmt::{self, Write};

use super::leaf::LeafReport;
use super::report::{CoverageReport, MethodReport};
use super::source::{ConfigurationSource, NOTHING_INSTALLED_WARNING};
use super::suggest::Suggestion;
use super::totals::{ReasonCounts, Totals};
use super::unmatched::unmatched_warning;
use crate::rules::decision::{Reason, Verdict};

/// The width the text rendering fits in (a line is longer only when a single
/// signature, path or type is).
pub(crate) const TEXT_WIDTH: usize = 100;
/// How many suggestions (and entries needing review) the text and Markdown
/// renderings list; JSON lists them all.
pub(crate) const SHOWN_SUGGESTIONS: usize = 10;
/// How many places the text and Markdown renderings list per suggestion.
pub(crate) const SHOWN_PLACES: usize = 3;

/// How to render text.
///
/// ```
/// use caci_core::coverage::{CoverageReport, RenderOptions};
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let report = CoverageReport::build(&TelemetryCaptureConfiguration::default(), []);
/// let plain = report.render_text(RenderOptions { color: false });
/// assert!(plain.starts_with("CACI coverage: no inputs found"));
/// assert!(!plain.contains('\u{1b}'));
/// assert!(report.render_text(RenderOptions { color: true }).starts_with("\u{1b}[1mCACI coverage"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colour with ANSI escapes: captured green, not allowed yellow, denied
    /// and sensitive red, other reasons dim. Off by default; the
    /// [CLI](super::cli) turns it on when stdout is a terminal.
    pub color: bool,
}

#[derive(Clone, Copy)]
enum Style {
    Bold,
    Green,
    Yellow,
    Red,
    Dim,
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let style = match style {
            Style::Bold => anstyle::Style::new().bold(),
            Style::Green => anstyle::AnsiColor::Green.on_default(),
            Style::Yellow => anstyle::AnsiColor::Yellow.on_default(),
            Style::Red => anstyle::AnsiColor::Red.on_default(),
            Style::Dim => anstyle::Style::new().dimmed(),
        };
        format!("{style}{text}{style:#}")
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// `left`, then `right` ending at column [`TEXT_WIDTH`] (or two spaces
/// after `left` when they do not fit).
fn spread(out: &mut String, left: &str, painted_left: &str, right: &str) {
    let gap = TEXT_WIDTH.saturating_sub(width(left) + width(right)).max(2);
    let _ = writeln!(out, "{painted_left}{:gap$}{right}", "");
}

/// `lead` then `items` separated by commas, wrapped at [`TEXT_WIDTH`] with
/// continuation lines indented by `indent` spaces.
fn wrap(lead: &str, items: &[String], indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = lead.to_owned();
    for (index, item) in items.iter().enumerate() {
        let piece = if index + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        if index > 0 && width(&line) + 1 + width(&piece) > TEXT_WIDTH {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent) + &piece));
        } else {
            if index > 0 {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    lines.push(line);
    lines
}

/// `text` wrapped at spaces to [`TEXT_WIDTH`], continuation lines indented
/// by `indent` spaces.
fn wrap_words(text: &str, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.trim().is_empty() && width(&line) + 1 + width(word) > TEXT_WIDTH {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
        } else if !line.trim().is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

fn write_wrapped(out: &mut String, painter: &Painter, style: Option<Style>, lines: Vec<String>) {
    for line in lines {
        let painted = match style {
            Some(style) => painter.paint(style, &line),
            None => line,
        };
        let _ = writeln!(out, "{painted}");
    }
}

fn counted(totals: &Totals) -> String {
    format!("{} of {}", totals.captured, totals.leaves)
}

/// The reason counts in words, the non-zero ones only, generic inputs left
/// out (they are not "not captured": see [`generic_line`]).
pub(crate) fn reasons_in_words(counts: &ReasonCounts) -> Vec<String> {
    counts
        .iter()
        .filter(|(code, count)| *count > 0 && *code != "depends_on_type")
        .map(|(code, count)| {
            let words = match code {
                "not_allowed" => "not allowed",
                "denied" => "denied",
                "sensitive" => "marked sensitive",
                "type_not_capturable" => "type not capturable",
                "depends_on_type" => "depends on the type",
                "beyond_depth" => "beyond the depth limit",
                "field_limit" => "beyond the fields-per-span limit",
                "denied_type" => "of a denied type",
                "reserved" => "reserved for CACI's own fields",
                "duplicate_path" => "under an already captured path",
                other => other,
            };
            format!("{count} {words}")
        })
        .collect()
}

/// `Generic: 1 input depends on the type of each call …`, when there are
/// generic inputs: how they count.
pub(crate) fn generic_line(totals: &Totals) -> Option<String> {
    let count = totals.not_captured.depends_on_type;
    (count > 0).then(|| {
        format!(
            "Generic: {count} input{} depend{} on the type of each call, counted once as reachable; \
             the instantiations this process has called are listed under their method, not counted",
            plural(count),
            if count == 1 { "s" } else { "" }
        )
    })
}

/// `Configuration 1a2b3c4d (config.id in CACI's change events)`, with
/// `code` marking up the id and the field's name.
pub(crate) fn configuration_line(report: &CoverageReport, code: fn(&str) -> String) -> Option<String> {
    report.configuration_id.as_ref().map(|id| {
        format!(
            "Configuration {} ({} in CACI's change events)",
            code(id),
            code("config.id")
        )
    })
}

impl CoverageReport {
    /// The report as text: a header with the totals, then every component,
    /// method and leaf, then the suggestions. See the
    /// [module documentation](super) for a sample.
    pub fn render_text(&self, options: RenderOptions) -> String {
        let painter = Painter { color: options.color };
        let mut out = String::new();
        self.header(&painter, &mut out);
        for component in &self.components {
            out.push('\n');
            let right = format!(
                "{}  {:>6}  max {:>6}",
                counted(&component.totals),
                component.totals.percent_text(),
                component.totals.reachable_max_text()
            );
            spread(
                &mut out,
                &component.name,
                &painter.paint(Style::Bold, &component.name),
                &right,
            );
            for method in component.methods.iter().filter(|method| !method.constructor) {
                method_lines(method, &painter, &mut out);
            }
            let mut constructors = component.methods.iter().filter(|method| method.constructor).peekable();
            if constructors.peek().is_some() {
                let _ = writeln!(
                    out,
                    "  {}",
                    painter.paint(Style::Dim, "constructors (listed, not counted):")
                );
            }
            for method in constructors {
                method_lines(method, &painter, &mut out);
            }
        }
        suggestion_lines(&self.suggestions, &self.needs_review, &painter, &mut out);
        out
    }

    fn header(&self, painter: &Painter, out: &mut String) {
        let scope = self.scope();
        let headline = if self.totals.leaves == 0 {
            format!("CACI coverage: no inputs found ({scope})")
        } else {
            format!(
                "CACI coverage: {} inputs captured ({}) in {scope}",
                counted(&self.totals),
                self.totals.percent_text()
            )
        };
        let _ = writeln!(out, "{}", painter.paint(Style::Bold, &headline));
        if self.configuration_source == ConfigurationSource::NothingInstalled {
            write_wrapped(out, painter, Some(Style::Red), wrap_words(NOTHING_INSTALLED_WARNING, 2));
        }
        if let Some(line) = configuration_line(self, str::to_owned) {
            let _ = writeln!(out, "{line}");
        }
        if self.totals.leaves > 0 {
            let _ = writeln!(out, "{}", reachable_line(&self.totals));
        }
        let reasons = reasons_in_words(&self.totals.not_captured);
        if !reasons.is_empty() {
            write_wrapped(out, painter, None, wrap("Not captured: ", &reasons, 2));
        }
        if let Some(line) = generic_line(&self.totals) {
            write_wrapped(out, painter, None, wrap_words(&line, 2));
        }
        for place in &self.unmatched_scopes {
            let warning = format!("Warning: {}", unmatched_warning(place));
            write_wrapped(out, painter, Some(Style::Yellow), wrap_words(&warning, 2));
        }
        let removed = &self.configuration.deny_floor_removals;
        if !removed.is_empty() {
            let lead = "Removed from the deny floor by this configuration: ";
            write_wrapped(out, painter, Some(Style::Red), wrap(lead, removed, 2));
        }
    }
}

/// `Reachable maximum: 14 of 18 (77.8%); captured of the reachable: 57.1% (what --min gates on)`:
/// the most an allow list can reach, and the gate's percentage.
pub(crate) fn reachable_line(totals: &Totals) -> String {
    format!(
        "Reachable maximum: {} of {} ({}); captured of the reachable: {} (what --min gates on)",
        totals.reachable(),
        totals.leaves,
        totals.reachable_max_text(),
        totals.of_reachable_text()
    )
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

impl CoverageReport {
    /// `2 components, 1 method`, and `, 1 constructor not counted` when there
    /// are constructors.
    pub(crate) fn scope(&self) -> String {
        let all = self.components.iter().flat_map(|component| &component.methods);
        let constructors = all.clone().filter(|method| method.constructor).count();
        let methods = all.count() - constructors;
        let components = self.components.len();
        let mut scope = format!(
            "{components} component{}, {methods} method{}",
            plural(components),
            plural(methods)
        );
        if constructors > 0 {
            scope.push_str(&format!(
                ", {constructors} constructor{} not counted",
                plural(constructors)
            ));
        }
        scope
    }
}

fn method_lines(method: &MethodReport, painter: &Painter, out: &mut String) {
    let signature = format!("  {}", method.signature);
    if method.skipped {
        spread(out, &signature, &signature, "skipped");
        let _ = writeln!(out, "    (method skipped: #[caci(skip)])");
        return;
    }
    let right = if method.constructor {
        format!("{} (not counted)", counted(&method.totals))
    } else {
        counted(&method.totals)
    };
    spread(out, &signature, &signature, &right);
    if method.leaves.is_empty() {
        let _ = writeln!(out, "    (no inputs)");
    } else {
        leaf_lines(&method.leaves, 4, painter, out);
    }
    if !method.instantiations.is_empty() {
        let _ = writeln!(
            out,
            "    {}",
            painter.paint(
                Style::Dim,
                "instantiations called in this process (listed, not counted):"
            )
        );
    }
    for instantiation in &method.instantiations {
        let _ = writeln!(out, "      {}", instantiation.types);
        if instantiation.leaves.is_empty() {
            let _ = writeln!(out, "        (no inputs)");
        }
        leaf_lines(&instantiation.leaves, 8, painter, out);
    }
}

/// One line per leaf, `- path: Type — verdict`, the verdicts aligned,
/// indented by `indent` spaces.
fn leaf_lines(leaves: &[LeafReport], indent: usize, painter: &Painter, out: &mut String) {
    let lefts: Vec<String> = leaves
        .iter()
        .map(|leaf| format!("{}: {}", leaf.path, leaf.rust_type))
        .collect();
    let verdicts: Vec<String> = leaves.iter().map(LeafReport::verdict_text).collect();
    let longest_verdict = verdicts.iter().map(|verdict| width(verdict)).max().unwrap_or(0);
    let cap = TEXT_WIDTH.saturating_sub(indent + 2 + 3 + longest_verdict).max(20);
    let column = lefts
        .iter()
        .map(|left| width(left))
        .filter(|w| *w <= cap)
        .max()
        .unwrap_or(cap);
    let margin = " ".repeat(indent);
    for ((left, verdict), leaf) in lefts.iter().zip(&verdicts).zip(leaves) {
        let painted = painter.paint(style_of(&leaf.verdict), verdict);
        let fits = width(left) <= column;
        if fits {
            let pad = column - width(left);
            let _ = writeln!(out, "{margin}- {left}{:pad$} — {painted}", "");
        } else {
            let _ = writeln!(out, "{margin}- {left}");
            let _ = writeln!(out, "{margin}  {:column$} — {painted}", "");
        }
    }
}

fn style_of(verdict: &Verdict) -> Style {
    match verdict {
        Verdict::Captured(_) => Style::Green,
        Verdict::NotCaptured(Reason::NotAllowed) => Style::Yellow,
        Verdict::NotCaptured(Reason::Denied { .. } | Reason::DeniedType { .. } | Reason::Sensitive) => Style::Red,
        Verdict::NotCaptured(_) => Style::Dim,
    }
}

fn suggestion_lines(suggestions: &[Suggestion], review: &[Suggestion], painter: &Painter, out: &mut String) {
    out.push('\n');
    if suggestions.is_empty() {
        let _ = writeln!(out, "{}", painter.paint(Style::Bold, "Suggestions: none"));
    } else {
        let title = format!(
            "Suggestions, ranked by the inputs each would capture{}:",
            shown_of(suggestions.len())
        );
        let _ = writeln!(out, "{}", painter.paint(Style::Bold, &title));
        let digits = suggestions.len().min(SHOWN_SUGGESTIONS).to_string().len();
        for (rank, suggestion) in suggestions.iter().take(SHOWN_SUGGESTIONS).enumerate() {
            let bullet = format!("{:>digits$}.", rank + 1);
            suggestion_entry(&bullet, suggestion, painter, out);
        }
    }
    if !review.is_empty() {
        out.push('\n');
        let title = format!("Needs review: looks personal, not suggested{}:", shown_of(review.len()));
        let _ = writeln!(out, "{}", painter.paint(Style::Yellow, &title));
        for suggestion in review.iter().take(SHOWN_SUGGESTIONS) {
            suggestion_entry("-", suggestion, painter, out);
        }
    }
}

fn shown_of(total: usize) -> String {
    if total > SHOWN_SUGGESTIONS {
        format!(" ({SHOWN_SUGGESTIONS} of {total}; all in --format json)")
    } else {
        String::new()
    }
}

fn suggestion_entry(bullet: &str, suggestion: &Suggestion, painter: &Painter, out: &mut String) {
    let gain = format!("+{}", suggestion.unlocks.len());
    let indent = " ".repeat(3 + width(bullet));
    let head = format!("  {bullet} {gain}  {}", suggestion.addition);
    let setting = format!("({})", suggestion.addition.setting());
    let painted_head = head.replacen(&gain, &painter.paint(Style::Green, &gain), 1);
    if width(&head) + 1 + width(&setting) <= TEXT_WIDTH {
        let _ = writeln!(out, "{painted_head} {setting}");
    } else {
        let _ = writeln!(out, "{painted_head}\n{indent}{setting}");
    }
    if !suggestion.looks_personal.is_empty() {
        let matches: Vec<String> = suggestion
            .looks_personal
            .iter()
            .map(|found| format!("`{}` ({})", found.identifier, found.term))
            .collect();
        let lines = wrap(&format!("{indent}looks personal: "), &matches, indent.len() + 2);
        write_wrapped(out, painter, Some(Style::Yellow), lines);
    }
    for place in suggestion.unlocks.iter().take(SHOWN_PLACES) {
        let _ = writeln!(out, "{indent}{place}");
    }
    if suggestion.unlocks.len() > SHOWN_PLACES {
        let _ = writeln!(out, "{indent}… and {} more", suggestion.unlocks.len() - SHOWN_PLACES);
    }
    if !suggestion.crowds_out.is_empty() {
        let places: Vec<String> = suggestion.crowds_out.iter().map(ToString::to_string).collect();
        let lines = wrap(
            &format!("{indent}pushes over max_fields_per_span: "),
            &places,
            indent.len() + 2,
        );
        write_wrapped(out, painter, Some(Style::Red), lines);
    }
}

/// The text rendering without colour.
impl fmt::Display for CoverageReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_text(RenderOptions::default()))
    }
}
