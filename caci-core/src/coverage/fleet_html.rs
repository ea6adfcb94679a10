//! `coverage merge --format html`: the fleet as one self-contained page, a
//! bar per service (`data-service`) and the fields most services leave out
//! (`data-field`).

use std::fmt::Write;

use super::fleet::FleetReport;
use super::html::{FIGURE_HEADERS, bar, escape, figure_cells, page};
use super::text::reasons_in_words;

impl FleetReport {
    /// The fleet as one self-contained HTML page.
    ///
    /// ```
    /// use caci_core::coverage::{CoverageReport, FleetReport};
    /// use caci_core::TelemetryCaptureConfiguration;
    ///
    /// let empty = CoverageReport::build(&TelemetryCaptureConfiguration::default(), []);
    /// let page = FleetReport::new(vec![("<billing>".into(), empty)]).render_html();
    /// assert!(page.contains("data-service=\"&lt;billing&gt;\""));
    /// ```
    pub fn render_html(&self) -> String {
        let mut body = String::new();
        let totals = &self.totals;
        let _ = writeln!(
            body,
            "<h1>CACI coverage across {} services</h1>\n<p class=\"summary\" data-captured=\"{}\" data-leaves=\"{}\" \
             data-reachable=\"{}\"><strong>{} of {} inputs captured ({})</strong>. Reachable maximum: {} ({}); \
             captured of the reachable: {}.</p>",
            self.services.len(),
            totals.captured,
            totals.leaves,
            totals.reachable(),
            totals.captured,
            totals.leaves,
            totals.percent_text(),
            totals.reachable(),
            totals.reachable_max_text(),
            totals.of_reachable_text()
        );
        let _ = writeln!(
            body,
            "<h2>Services</h2>\n<table class=\"services\">\n<thead><tr><th>Service</th><th>Coverage</th>{FIGURE_HEADERS}</tr></thead>\n<tbody>"
        );
        for service in &self.services {
            let _ = writeln!(
                body,
                "<tr data-service=\"{0}\"><td><code>{0}</code></td><td>{1}</td>{2}</tr>",
                escape(&service.name),
                bar(&service.totals),
                figure_cells(&service.totals)
            );
        }
        let _ = writeln!(
            body,
            "<tr data-service=\"\"><td><strong>All</strong></td><td>{}</td>{}</tr>\n</tbody>\n</table>",
            bar(totals),
            figure_cells(totals)
        );
        body.push_str("<h2>Fields the most services leave out</h2>\n");
        if self.left_out.is_empty() {
            body.push_str("<p>None.</p>\n");
        } else {
            body.push_str(
                "<table class=\"fields\">\n<thead><tr><th>Field</th><th class=\"num\">Services</th><th>Why</th><th>Which</th></tr></thead>\n<tbody>\n",
            );
            for field in self.shown() {
                let which: Vec<String> = field
                    .services
                    .iter()
                    .map(|name| format!("<code>{}</code>", escape(name)))
                    .collect();
                let _ = writeln!(
                    body,
                    "<tr data-field=\"{0}\" data-services=\"{1}\"><td><code>{0}</code></td><td class=\"num\">{1}</td><td>{2}</td><td>{3}</td></tr>",
                    escape(&field.field),
                    field.services.len(),
                    escape(&reasons_in_words(&field.reasons).join(", ")),
                    which.join(", ")
                );
            }
            body.push_str("</tbody>\n</table>\n");
        }
        page("CACI coverage: fleet", &body, None)
    }
}
