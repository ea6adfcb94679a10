//! `coverage merge`: several services' JSON reports in one table, and the
//! fields the most services leave out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::report::CoverageReport;
use super::source::ConfigurationSource;
use super::text::reasons_in_words;
use super::totals::{ReasonCounts, Totals};

/// How many left-out fields the renderings list.
pub(crate) const SHOWN_FIELDS: usize = 10;

/// The reports of several services side by side.
///
/// ```
/// use caci_core::coverage::{CoverageReport, FleetReport};
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let empty = CoverageReport::build(&TelemetryCaptureConfiguration::default(), []);
/// let fleet = FleetReport::new(vec![("billing".into(), empty.clone()), ("signup".into(), empty)]);
/// assert_eq!(fleet.services[0].name, "billing");
/// assert!(fleet.render_text().starts_with("CACI coverage across 2 services"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FleetReport {
    /// Every service, in the order given.
    pub services: Vec<ServiceSummary>,
    /// Totals over every service.
    pub totals: Totals,
    /// Fields (a leaf's last path segment) not captured, most services first.
    pub left_out: Vec<LeftOutField>,
}

/// One service's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSummary {
    /// The report's `service`, or the name it was given under.
    pub name: String,
    /// Its totals (constructors left out, as in the report).
    pub totals: Totals,
    /// Its components.
    pub components: usize,
    /// Its methods, constructors left out.
    pub methods: usize,
    /// Where its configuration came from.
    pub configuration_source: ConfigurationSource,
}

/// A field name that services leave out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOutField {
    /// The field's name: the last segment of the leaves' paths (`email`).
    pub field: String,
    /// The services leaving it out, sorted.
    pub services: Vec<String>,
    /// How many leaves of that name are not captured, over all services.
    pub leaves: usize,
    /// Why, per reason.
    pub reasons: ReasonCounts,
}

impl FleetReport {
    /// The fleet of `(service name, report)` pairs.
    pub fn new(reports: Vec<(String, CoverageReport)>) -> FleetReport {
        let mut totals = Totals::default();
        let mut fields: BTreeMap<String, (BTreeSet<String>, Totals)> = BTreeMap::new();
        let mut services = Vec::new();
        for (name, report) in reports {
            totals.merge(&report.totals);
            let counted = report
                .components
                .iter()
                .flat_map(|component| &component.methods)
                .filter(|method| !method.constructor);
            let mut methods = 0;
            for method in counted {
                methods += 1;
                for leaf in method.leaves.iter().filter(|leaf| !leaf.verdict.is_captured()) {
                    let field = leaf.path.rsplit('.').next().unwrap_or(&leaf.path).to_owned();
                    let entry = fields.entry(field).or_default();
                    entry.0.insert(name.clone());
                    entry.1.add(&leaf.verdict);
                }
            }
            services.push(ServiceSummary {
                name,
                totals: report.totals,
                components: report.components.len(),
                methods,
                configuration_source: report.configuration_source,
            });
        }
        let mut left_out: Vec<LeftOutField> = fields
            .into_iter()
            .map(|(field, (names, counted))| LeftOutField {
                field,
                services: names.into_iter().collect(),
                leaves: counted.leaves,
                reasons: counted.not_captured,
            })
            .collect();
        left_out.sort_by(|a, b| (b.services.len(), b.leaves, &a.field).cmp(&(a.services.len(), a.leaves, &b.field)));
        FleetReport {
            services,
            totals,
            left_out,
        }
    }

    fn headline(&self) -> String {
        let count = self.services.len();
        format!(
            "CACI coverage across {count} service{}: {} of {} inputs captured ({}); reachable maximum: {} ({}); \
             captured of the reachable: {}",
            if count == 1 { "" } else { "s" },
            self.totals.captured,
            self.totals.leaves,
            self.totals.percent_text(),
            self.totals.reachable(),
            self.totals.reachable_max_text(),
            self.totals.of_reachable_text()
        )
    }

    /// The fleet as text: one row per service, then the fields most
    /// services leave out.
    pub fn render_text(&self) -> String {
        let mut out = self.headline();
        out.push_str("\n\n");
        let name_width = self
            .services
            .iter()
            .map(|service| service.name.chars().count())
            .chain([7])
            .max()
            .unwrap_or(7);
        let _ = writeln!(
            out,
            "{:name_width$}  {:>12}  {:>8}  {:>13}  {:>12}",
            "Service", "Captured", "Coverage", "Reachable max", "Of reachable"
        );
        let row = |out: &mut String, name: &str, totals: &Totals, note: &str| {
            let _ = writeln!(
                out,
                "{name:name_width$}  {:>12}  {:>8}  {:>13}  {:>12}{note}",
                format!("{} of {}", totals.captured, totals.leaves),
                totals.percent_text(),
                totals.reachable_max_text(),
                totals.of_reachable_text()
            );
        };
        for service in &self.services {
            row(
                &mut out,
                &service.name,
                &service.totals,
                nothing_installed_note(service),
            );
        }
        row(&mut out, "All", &self.totals, "");
        out.push('\n');
        if self.left_out.is_empty() {
            out.push_str("Fields left out: none\n");
            return out;
        }
        out.push_str("Fields the most services leave out:\n");
        let field_width = self.shown().map(|field| field.field.chars().count()).max().unwrap_or(0);
        for field in self.shown() {
            let _ = writeln!(
                out,
                "  {:field_width$}  {}  {}: {}",
                field.field,
                services_text(field.services.len()),
                reasons_in_words(&field.reasons).join(", "),
                field.services.join(", ")
            );
        }
        out
    }

    /// The fleet as Markdown: the same two tables.
    pub fn render_markdown(&self) -> String {
        let cell = |text: &str| text.replace('|', "\\|");
        let mut out = format!("## {}\n\n", cell(&self.headline()));
        out.push_str("| Service | Captured | Coverage | Reachable max | Of reachable |\n|---|---:|---:|---:|---:|\n");
        let row = |out: &mut String, name: &str, totals: &Totals| {
            let _ = writeln!(
                out,
                "| {name} | {} of {} | {} | {} | {} |",
                totals.captured,
                totals.leaves,
                totals.percent_text(),
                totals.reachable_max_text(),
                totals.of_reachable_text()
            );
        };
        for service in &self.services {
            let name = format!("`{}`{}", cell(&service.name), nothing_installed_note(service));
            row(&mut out, &name, &service.totals);
        }
        row(&mut out, "**All**", &self.totals);
        out.push_str("\n### Fields the most services leave out\n\n");
        if self.left_out.is_empty() {
            out.push_str("None.\n");
            return out;
        }
        out.push_str("| Field | Services | Why | Which |\n|---|---:|---|---|\n");
        for field in self.shown() {
            let which: Vec<String> = field.services.iter().map(|name| format!("`{}`", cell(name))).collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                cell(&field.field),
                field.services.len(),
                cell(&reasons_in_words(&field.reasons).join(", ")),
                which.join(", ")
            );
        }
        if self.left_out.len() > SHOWN_FIELDS {
            let _ = writeln!(
                out,
                "\n{} more fields are left out.",
                self.left_out.len() - SHOWN_FIELDS
            );
        }
        out
    }

    pub(crate) fn shown(&self) -> impl Iterator<Item = &LeftOutField> {
        self.left_out.iter().take(SHOWN_FIELDS)
    }
}

fn services_text(count: usize) -> String {
    if count == 1 {
        "1 service ".to_owned()
    } else {
        format!("{count} services")
    }
}

fn nothing_installed_note(service: &ServiceSummary) -> &'static str {
    if service.configuration_source == ConfigurationSource::NothingInstalled {
        "  (no configuration installed)"
    } else {
        ""
    }
}
