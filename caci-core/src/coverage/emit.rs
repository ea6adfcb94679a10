//! `coverage --emit-config`: the configuration with the ranked suggestions,
//! as commented TOML a reviewer reads and edits.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::leaf::{LeafReport, Place};
use super::report::CoverageReport;
use super::suggest::Suggestion;
use crate::config::ConfigSpec;

/// The four allow lists, in the order they are written.
const SETTINGS: [&str; 4] = [
    "allowed_field_names",
    "allowed_field_kinds",
    "allowed_structs",
    "allowed_dictionaries",
];

/// One entry of an allow list and its comment.
struct Entry {
    value: String,
    /// Written commented out.
    commented: bool,
    /// The comment's lines (the first after the value, the others aligned
    /// under it).
    comment: Vec<String>,
}

impl CoverageReport {
    /// The report's configuration plus its suggestions, as a TOML
    /// configuration file that [`TelemetryCaptureConfiguration::from_path`](crate::TelemetryCaptureConfiguration::from_path)
    /// loads.
    ///
    /// - The entries already configured come first, marked so.
    /// - Then every suggestion, best first, each with what it captures and
    ///   where: `"plan",  # captures SubscriptionService.initialize_business: business.plan (enum)`.
    ///   A suggestion whose places the entries above already capture is
    ///   written commented out ("adds nothing beyond the entries above"), so
    ///   the active entries capture exactly the places they list.
    /// - Entries needing review (they touch names that look personal) are
    ///   commented out, with the names and what they would capture.
    /// - The other settings follow unchanged.
    ///
    /// ```
    /// use caci_core::coverage::CoverageReport;
    /// use caci_core::TelemetryCaptureConfiguration;
    ///
    /// let report = CoverageReport::build(&TelemetryCaptureConfiguration::default(), []);
    /// let toml = report.to_config_toml();
    /// assert!(toml.contains("allowed_field_names = [\n]"));
    /// let spec: caci_core::config::ConfigSpec = toml::from_str(&toml).unwrap();
    /// assert!(spec.allowed_field_names.is_empty());
    /// ```
    pub fn to_config_toml(&self) -> String {
        let kinds = self.kinds_by_place();
        let mut lists: HashMap<&str, Vec<Entry>> = HashMap::new();
        for setting in SETTINGS {
            let existing = configured(&self.configuration, setting).iter().map(|value| Entry {
                value: value.clone(),
                commented: false,
                comment: vec!["in the configuration already".to_owned()],
            });
            lists.entry(setting).or_default().extend(existing);
        }
        let mut covered: HashSet<&Place> = HashSet::new();
        for suggestion in &self.suggestions {
            let adds = suggestion.unlocks.iter().any(|place| !covered.contains(place));
            let mut comment = Vec::new();
            if adds {
                covered.extend(&suggestion.unlocks);
                comment.extend(captures("captures ", suggestion, &kinds));
            } else {
                comment.push("adds nothing beyond the entries above; would capture".to_owned());
                comment.extend(captures("  ", suggestion, &kinds));
            }
            crowding(suggestion, &mut comment);
            lists.entry(suggestion.addition.setting()).or_default().push(Entry {
                value: suggestion.addition.value().to_owned(),
                commented: !adds,
                comment,
            });
        }
        for suggestion in &self.needs_review {
            let personal: Vec<String> = suggestion
                .looks_personal
                .iter()
                .map(|found| format!("`{}` ({})", found.identifier, found.term))
                .collect();
            let mut comment = vec![format!(
                "needs review: looks personal: {}; would capture",
                personal.join(", ")
            )];
            comment.extend(captures("  ", suggestion, &kinds));
            crowding(suggestion, &mut comment);
            lists.entry(suggestion.addition.setting()).or_default().push(Entry {
                value: suggestion.addition.value().to_owned(),
                commented: true,
                comment,
            });
        }

        let mut out = String::new();
        self.preamble(&mut out);
        for setting in SETTINGS {
            let _ = writeln!(out, "{setting} = [");
            for entry in lists.get(setting).into_iter().flatten() {
                write_entry(&mut out, entry);
            }
            out.push_str("]\n");
        }
        let rest = other_settings(&self.configuration);
        if !rest.trim().is_empty() {
            out.push_str("\n# The other settings, as configured:\n");
            out.push_str(&rest);
        }
        out
    }

    fn preamble(&self, out: &mut String) {
        let totals = &self.totals;
        let _ = writeln!(
            out,
            "# CACI capture configuration, written by `coverage --emit-config`."
        );
        if let Some(service) = &self.service {
            let _ = writeln!(out, "# Service: {}", comment_text(service));
        }
        out.push_str(
            "# The configuration the report was built with, plus its suggestions ranked by the inputs\n\
             # each would capture. Review every entry: each says what it captures and where. Entries\n\
             # that look personal, and entries adding nothing beyond those above, are commented out.\n",
        );
        let _ = writeln!(
            out,
            "# Today: {} of {} inputs captured ({}); reachable maximum: {} ({}).\n",
            totals.captured,
            totals.leaves,
            totals.percent_text(),
            totals.reachable(),
            totals.reachable_max_text()
        );
    }

    /// The kind of the leaf at each place (the first, when a path repeats).
    fn kinds_by_place(&self) -> HashMap<Place, String> {
        let mut kinds = HashMap::new();
        for (place, leaf) in self.places() {
            kinds.entry(place).or_insert_with(|| kind_text(leaf));
        }
        kinds
    }
}

fn kind_text(leaf: &LeafReport) -> String {
    match leaf.item_kind {
        Some(item) => format!("{} of {item}", leaf.kind),
        None => leaf.kind.to_string(),
    }
}

fn configured<'s>(spec: &'s ConfigSpec, setting: &str) -> &'s [String] {
    match setting {
        "allowed_field_names" => &spec.allowed_field_names,
        "allowed_field_kinds" => &spec.allowed_field_kinds,
        "allowed_structs" => &spec.allowed_structs,
        _ => &spec.allowed_dictionaries,
    }
}

/// `captures A (enum)`, then `and B (enum)` for every further place.
fn captures(lead: &str, suggestion: &Suggestion, kinds: &HashMap<Place, String>) -> Vec<String> {
    suggestion
        .unlocks
        .iter()
        .enumerate()
        .map(|(index, place)| {
            let kind = kinds.get(place).map(String::as_str).unwrap_or("?");
            let lead = if index == 0 { lead } else { "  and " };
            comment_text(&format!("{lead}{place} ({kind})"))
        })
        .collect()
}

fn crowding(suggestion: &Suggestion, comment: &mut Vec<String>) {
    for place in &suggestion.crowds_out {
        comment.push(comment_text(&format!("  pushes over max_fields_per_span: {place}")));
    }
}

/// Text safe in a TOML comment: no control characters.
fn comment_text(text: &str) -> String {
    text.chars().map(|ch| if ch.is_control() { ' ' } else { ch }).collect()
}

fn write_entry(out: &mut String, entry: &Entry) {
    let quoted = toml::Value::String(entry.value.clone()).to_string();
    let head = if entry.commented {
        format!("    # {quoted},")
    } else {
        format!("    {quoted},")
    };
    let column = head.chars().count() + 2;
    for (index, line) in entry.comment.iter().enumerate() {
        if index == 0 {
            let _ = writeln!(out, "{head}  # {}", line.trim_start());
        } else {
            let _ = writeln!(out, "{:column$}# {line}", "");
        }
    }
    if entry.comment.is_empty() {
        let _ = writeln!(out, "{head}");
    }
}

/// Every setting but the four allow lists, as TOML.
fn other_settings(spec: &ConfigSpec) -> String {
    let mut rest = spec.clone();
    rest.allowed_field_names.clear();
    rest.allowed_field_kinds.clear();
    rest.allowed_structs.clear();
    rest.allowed_dictionaries.clear();
    let text = toml::to_string(&rest).unwrap_or_default();
    text.lines()
        .filter(|line| {
            !SETTINGS
                .iter()
                .any(|setting| line.starts_with(&format!("{setting} = ")))
        })
        .map(|line| format!("{line}\n"))
        .collect()
}
