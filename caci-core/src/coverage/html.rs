//! The report as one self-contained HTML page, in the style of a
//! code-coverage report: inline CSS, a few lines of plain inline script for
//! the verdict filter, no external asset. Every name is escaped; the page
//! holds names and types only, never a captured value (the report has none).
//!
//! Stable data attributes for checks: `data-component` on a component's bar
//! row, `data-method` on a method's section, `data-leaf` (the place,
//! `Component.method: path`) and `data-verdict` (`captured` or the reason
//! code) on each leaf row, `data-suggestion` (the addition) and
//! `data-review` on each suggestion, `data-captured`, `data-leaves` and
//! `data-reachable` on the summary.

use std::fmt::Write;

use super::leaf::LeafReport;
use super::report::{CoverageReport, MethodReport};
use super::source::{ConfigurationSource, NOTHING_INSTALLED_WARNING};
use super::suggest::Suggestion;
use super::text::{configuration_line, generic_line, reasons_in_words};
use super::totals::{Totals, reason_code};
use super::unmatched::unmatched_warning;
use crate::rules::decision::Verdict;

const STYLE: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:75em;padding:0 1em;color:#1f2328;background:#fff}
h1{font-size:1.6em;margin:0 0 .3em}h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1em;margin:1.2em 0 .3em;font-weight:600}code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.summary{font-size:1.05em}.warning{background:#fff1e5;border-left:4px solid #cf222e;padding:.5em .8em}
table{border-collapse:collapse;width:100%;margin:.3em 0 1em}th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td.num,th.num{text-align:right;white-space:nowrap}
.bar{position:relative;height:1em;min-width:12em;background:#eaeef2;border-radius:3px;overflow:hidden;display:flex}
.bar span{display:block;height:100%}.bar .captured{background:#2da44e}.bar .reachable{background:#d4a72c}.bar .protected{background:#cf222e;opacity:.55}
tr.leaf[data-verdict=captured] td.verdict{color:#116329}tr.leaf[data-verdict=not_allowed] td.verdict{color:#7d4e00}
tr.leaf[data-verdict=denied] td.verdict,tr.leaf[data-verdict=sensitive] td.verdict,tr.leaf[data-verdict=denied_type] td.verdict{color:#a40e26}
.mark{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:-.05em}
tr.leaf[data-verdict=captured] .mark{background:#2da44e}tr.leaf .mark{background:#d4a72c}
tr.leaf[data-verdict=denied] .mark,tr.leaf[data-verdict=sensitive] .mark,tr.leaf[data-verdict=denied_type] .mark,tr.leaf[data-verdict=type_not_capturable] .mark{background:#cf222e}
tr.instantiation-leaf td{color:#57606a}.constructor{color:#57606a}.legend span{margin-right:1.2em}.filter{margin:1em 0;padding:.5em .8em;background:#f6f8fa;border-radius:6px}
ol.suggestions li,ul.review li{margin:.4em 0}.places{color:#57606a;margin:.1em 0 0 1.2em;padding:0}.places li{margin:0;list-style:none}";

const SCRIPT: &str = "\
document.getElementById('verdict-filter').addEventListener('change', function (event) {
  var wanted = event.target.value;
  document.querySelectorAll('tr.leaf').forEach(function (row) {
    row.hidden = wanted !== 'all' && row.getAttribute('data-verdict') !== wanted;
  });
});";

/// `text` safe in HTML text and in a quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// A whole page around `body`; `script` is inline, when given.
pub(crate) fn page(title: &str, body: &str, script: Option<&str>) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>\n{STYLE}\n</style>\n</head>\n<body>\n{body}",
        escape(title)
    );
    if let Some(script) = script {
        let _ = writeln!(out, "<script>\n{script}\n</script>");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A coverage bar: captured (green), reachable but not captured (amber),
/// protected (red), as shares of all leaves.
pub(crate) fn bar(totals: &Totals) -> String {
    if totals.leaves == 0 {
        return "<div class=\"bar\" title=\"no inputs\"></div>".to_owned();
    }
    let share = |part: usize| format!("{:.1}%", part as f64 * 100.0 / totals.leaves as f64);
    let reachable = totals.reachable();
    format!(
        "<div class=\"bar\" title=\"{} of {} captured; reachable maximum {}\">\
         <span class=\"captured\" style=\"width:{}\"></span><span class=\"reachable\" style=\"width:{}\"></span>\
         <span class=\"protected\" style=\"width:{}\"></span></div>",
        totals.captured,
        totals.leaves,
        totals.reachable_max_text(),
        share(totals.captured),
        share(reachable - totals.captured),
        share(totals.leaves - reachable)
    )
}

/// The figures of one total as table cells.
pub(crate) fn figure_cells(totals: &Totals) -> String {
    format!(
        "<td class=\"num\">{} of {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        totals.captured,
        totals.leaves,
        totals.percent_text(),
        totals.reachable_max_text(),
        totals.of_reachable_text()
    )
}

/// The header cells matching [`figure_cells`].
pub(crate) const FIGURE_HEADERS: &str = "<th class=\"num\">Captured</th><th class=\"num\">Coverage</th>\
<th class=\"num\">Reachable max</th><th class=\"num\">Of reachable</th>";

/// The verdict code a leaf row carries: `captured` or the reason's code.
fn verdict_code(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Captured(_) => "captured",
        Verdict::NotCaptured(reason) => reason_code(reason),
    }
}

impl CoverageReport {
    /// The report as one self-contained HTML page: a bar per component, a
    /// table per method with each leaf's verdict (filterable by verdict),
    /// and the suggestions with what each would capture. See the
    /// [module documentation](super) and `README.md` for the data
    /// attributes it carries.
    ///
    /// ```
    /// use caci_core::coverage::CoverageReport;
    /// use caci_core::TelemetryCaptureConfiguration;
    ///
    /// let page = CoverageReport::build(&TelemetryCaptureConfiguration::default(), []).render_html();
    /// assert!(page.starts_with("<!DOCTYPE html>"));
    /// assert!(!page.contains("<link") && !page.contains("src="), "self-contained");
    /// ```
    pub fn render_html(&self) -> String {
        let mut body = String::new();
        let title = match &self.service {
            Some(service) => format!("CACI coverage: {service}"),
            None => "CACI coverage".to_owned(),
        };
        let _ = writeln!(body, "<h1>{}</h1>", escape(&title));
        let totals = &self.totals;
        let _ = writeln!(
            body,
            "<p class=\"summary\" data-captured=\"{}\" data-leaves=\"{}\" data-reachable=\"{}\">\
             <strong>{} of {} inputs captured ({})</strong> in {}. Reachable maximum: {} of {} ({}); \
             captured of the reachable: {} (what <code>--min</code> gates on).</p>",
            totals.captured,
            totals.leaves,
            totals.reachable(),
            totals.captured,
            totals.leaves,
            totals.percent_text(),
            escape(&self.scope()),
            totals.reachable(),
            totals.leaves,
            totals.reachable_max_text(),
            totals.of_reachable_text()
        );
        let reasons = reasons_in_words(&totals.not_captured);
        if !reasons.is_empty() {
            let _ = writeln!(body, "<p>Not captured: {}.</p>", escape(&reasons.join(", ")));
        }
        if let Some(line) = generic_line(totals) {
            let _ = writeln!(
                body,
                "<p data-generic=\"{}\">{}.</p>",
                totals.not_captured.depends_on_type,
                escape(&line)
            );
        }
        if let Some(line) = configuration_line(self, |text| format!("<code>{}</code>", escape(text))) {
            let id = self.configuration_id.as_deref().unwrap_or_default();
            let _ = writeln!(body, "<p data-configuration-id=\"{}\">{line}</p>", escape(id));
        }
        for place in &self.unmatched_scopes {
            let _ = writeln!(
                body,
                "<p class=\"warning\" data-warning=\"unmatched-scope\" data-scope=\"{}\">{}.</p>",
                escape(place),
                escape(&unmatched_warning(place))
            );
        }
        if self.configuration_source == ConfigurationSource::NothingInstalled {
            let _ = writeln!(
                body,
                "<p class=\"warning\" data-warning=\"nothing-installed\">{}</p>",
                escape(NOTHING_INSTALLED_WARNING)
            );
        }
        self.component_bars(&mut body);
        self.filter(&mut body);
        for component in &self.components {
            let _ = writeln!(
                body,
                "<h2 id=\"component-{}\">{}</h2>",
                escape(&component.name),
                escape(&component.name)
            );
            for method in component.methods.iter().filter(|method| !method.constructor) {
                method_section(&component.name, method, &mut body);
            }
            for method in component.methods.iter().filter(|method| method.constructor) {
                method_section(&component.name, method, &mut body);
            }
        }
        suggestion_section("Suggestions", &self.suggestions, false, &mut body);
        if !self.needs_review.is_empty() {
            suggestion_section(
                "Needs review: looks personal, not suggested",
                &self.needs_review,
                true,
                &mut body,
            );
        }
        page(&title, &body, Some(SCRIPT))
    }

    fn component_bars(&self, body: &mut String) {
        let _ = writeln!(
            body,
            "<h2>Components</h2>\n<p class=\"legend\"><span><span class=\"mark\" style=\"background:#2da44e\"></span>captured</span>\
             <span><span class=\"mark\" style=\"background:#d4a72c\"></span>reachable, not captured</span>\
             <span><span class=\"mark\" style=\"background:#cf222e\"></span>protected (denied, sensitive, not capturable)</span></p>\n\
             <table class=\"components\">\n<thead><tr><th>Component</th><th>Coverage</th>{FIGURE_HEADERS}</tr></thead>\n<tbody>"
        );
        for component in &self.components {
            let _ = writeln!(
                body,
                "<tr data-component=\"{0}\"><td><a href=\"#component-{0}\"><code>{0}</code></a></td><td>{1}</td>{2}</tr>",
                escape(&component.name),
                bar(&component.totals),
                figure_cells(&component.totals)
            );
        }
        let _ = writeln!(
            body,
            "<tr data-component=\"\"><td><strong>Total</strong></td><td>{}</td>{}</tr>\n</tbody>\n</table>",
            bar(&self.totals),
            figure_cells(&self.totals)
        );
    }

    fn filter(&self, body: &mut String) {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for (_, leaf) in self.places() {
            let code = verdict_code(&leaf.verdict);
            match counts.iter_mut().find(|(known, _)| *known == code) {
                Some((_, count)) => *count += 1,
                None => counts.push((code, 1)),
            }
        }
        counts.sort();
        let _ = write!(
            body,
            "<div class=\"filter\"><label>Show leaves: <select id=\"verdict-filter\"><option value=\"all\">all ({})</option>",
            self.places().count()
        );
        for (code, count) in &counts {
            let _ = write!(
                body,
                "<option value=\"{code}\" data-count=\"{count}\">{} ({count})</option>",
                code.replace('_', " ")
            );
        }
        body.push_str("</select></label></div>\n");
    }
}

fn method_section(component: &str, method: &MethodReport, body: &mut String) {
    let class = if method.constructor {
        " class=\"constructor\""
    } else {
        ""
    };
    let note = if method.skipped {
        "skipped (<code>#[caci(skip)]</code>)".to_owned()
    } else if method.constructor {
        format!(
            "constructor, not counted: {} of {}",
            method.totals.captured, method.totals.leaves
        )
    } else {
        format!("{} of {}", method.totals.captured, method.totals.leaves)
    };
    let _ = writeln!(
        body,
        "<section data-method=\"{}.{}\"{class}>\n<h3><code>{}</code> — {note}</h3>",
        escape(component),
        escape(&method.name),
        escape(&method.signature)
    );
    if method.leaves.is_empty() {
        body.push_str("<p>No inputs.</p>\n");
    } else {
        leaf_table(component, method, &method.leaves, "leaf", body);
    }
    if !method.instantiations.is_empty() {
        body.push_str("<p class=\"constructor\">Instantiations called in this process (listed, not counted):</p>\n");
    }
    for instantiation in &method.instantiations {
        let _ = writeln!(
            body,
            "<h4 data-instantiation=\"{0}\"><code>{0}</code></h4>",
            escape(&instantiation.types)
        );
        if instantiation.leaves.is_empty() {
            body.push_str("<p>No inputs.</p>\n");
        } else {
            leaf_table(component, method, &instantiation.leaves, "instantiation-leaf", body);
        }
    }
    body.push_str("</section>\n");
}

/// A table of leaves; each row has class `row_class` (`leaf` for counted
/// leaves, which the verdict filter and the counts read).
fn leaf_table(component: &str, method: &MethodReport, leaves: &[LeafReport], row_class: &str, body: &mut String) {
    body.push_str(
        "<table class=\"leaves\">\n<thead><tr><th>Input</th><th>Type</th><th>Kind</th><th>Verdict</th></tr></thead>\n<tbody>\n",
    );
    for leaf in leaves {
        leaf_row(component, method, leaf, row_class, body);
    }
    body.push_str("</tbody>\n</table>\n");
}

fn leaf_row(component: &str, method: &MethodReport, leaf: &LeafReport, row_class: &str, body: &mut String) {
    let kind = match leaf.item_kind {
        Some(item) => format!("{} of {item}", leaf.kind),
        None => leaf.kind.to_string(),
    };
    let _ = writeln!(
        body,
        "<tr class=\"{}\" data-leaf=\"{}.{}: {}\" data-verdict=\"{}\"><td><code>{}</code></td><td><code>{}</code></td>\
         <td>{}</td><td class=\"verdict\"><span class=\"mark\"></span>{}</td></tr>",
        row_class,
        escape(component),
        escape(&method.name),
        escape(&leaf.path),
        verdict_code(&leaf.verdict),
        escape(&leaf.path),
        escape(&leaf.rust_type),
        escape(&kind),
        escape(&leaf.verdict_text())
    );
}

fn suggestion_section(title: &str, suggestions: &[Suggestion], review: bool, body: &mut String) {
    let _ = writeln!(body, "<h2>{}</h2>", escape(title));
    if suggestions.is_empty() {
        body.push_str("<p>None.</p>\n");
        return;
    }
    let (list, close) = if review {
        ("<ul class=\"review\">", "</ul>")
    } else {
        ("<ol class=\"suggestions\">", "</ol>")
    };
    let _ = writeln!(body, "{list}");
    for suggestion in suggestions {
        let marker = if review { " data-review=\"true\"" } else { "" };
        let _ = write!(
            body,
            "<li data-suggestion=\"{}\"{marker}><strong>+{}</strong> <code>{}</code> (<code>{}</code>)",
            escape(&suggestion.addition.to_string()),
            suggestion.unlocks.len(),
            escape(&suggestion.addition.to_string()),
            suggestion.addition.setting()
        );
        if !suggestion.looks_personal.is_empty() {
            let found: Vec<String> = suggestion
                .looks_personal
                .iter()
                .map(|found| format!("<code>{}</code> ({})", escape(&found.identifier), escape(&found.term)))
                .collect();
            let _ = write!(body, " — looks personal: {}", found.join(", "));
        }
        body.push_str("\n<ul class=\"places\">");
        for place in &suggestion.unlocks {
            let _ = write!(body, "<li>captures <code>{}</code></li>", escape(&place.to_string()));
        }
        for place in &suggestion.crowds_out {
            let _ = write!(
                body,
                "<li>pushes over <code>max_fields_per_span</code>: <code>{}</code></li>",
                escape(&place.to_string())
            );
        }
        body.push_str("</ul></li>\n");
    }
    let _ = writeln!(body, "{close}");
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("Vec<T> & \"a\" 'b'"),
            "Vec&lt;T&gt; &amp; &quot;a&quot; &#39;b&#39;"
        );
    }
}
