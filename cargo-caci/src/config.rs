//! The starting `caci.toml`: what the types show is worth capturing, each
//! entry with why it is there and what it captures, commented the way
//! `coverage --emit-config` writes it.
//!
//! - names of ids (`id`, `*_id` of UUIDs, integers and their newtypes),
//!   statuses and codes (`status`, `plan`, `country`), counts and amounts
//!   (`seats`, `*_count`, `amount_cents`);
//! - the kinds `enum` and `bool`, when some input has them;
//! - names that look personal (`business_name`), commented out under
//!   "needs review", each with the reason. Names on the deny floor and
//!   fields marked `sensitive` are never written: no rule could lift them.

use std::fmt::Write;

use caci_core::{Kind, TelemetryCaptureConfiguration};

use crate::coverage::{Coverage, StaticLeaf, reachable};
use crate::discover::names::{is_count, is_id, is_status, needs_review};

/// One entry of an allow list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `allowed_field_names` or `allowed_field_kinds`.
    pub setting: &'static str,
    /// The name or kind.
    pub value: String,
    /// Why it is there: `an id (uuid)`.
    pub why: String,
    /// Written commented out, for a reviewer.
    pub review: bool,
    /// The places it captures.
    pub places: Vec<String>,
}

/// The entries the leaves suggest, in the order first met.
pub fn entries(leaves: &[StaticLeaf]) -> Vec<Entry> {
    let nothing = TelemetryCaptureConfiguration::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut add = |setting: &'static str, value: String, why: String, review: bool, place: String| match entries
        .iter_mut()
        .find(|entry| entry.setting == setting && entry.value == value)
    {
        Some(entry) => {
            if !entry.places.contains(&place) {
                entry.places.push(place);
            }
        }
        None => entries.push(Entry {
            setting,
            value,
            why,
            review,
            places: vec![place],
        }),
    };
    for leaf in leaves {
        if leaf.generic || !reachable(&leaf.decide(&nothing)) {
            continue;
        }
        let name = leaf.name().to_owned();
        let kind = leaf.item_kind.unwrap_or(leaf.kind);
        let place = format!("{} ({})", leaf.place(), leaf.kind_text());
        let integer = matches!(kind, Kind::SignedInteger | Kind::UnsignedInteger);
        if matches!(kind, Kind::Enum) {
            add(
                "allowed_field_kinds",
                "enum".into(),
                "enums: a few named values".into(),
                false,
                place,
            );
        } else if kind == Kind::Bool {
            add("allowed_field_kinds", "bool".into(), "flags".into(), false, place);
        } else if let Some(term) = needs_review(&name) {
            let why = format!("needs review: looks personal: `{name}` ({term}); would capture");
            add("allowed_field_names", name, why, true, place);
        } else if is_id(&name) && (integer || kind == Kind::Uuid) {
            add("allowed_field_names", name, format!("an id ({kind})"), false, place);
        } else if is_status(&name) && (integer || matches!(kind, Kind::String)) {
            add(
                "allowed_field_names",
                name,
                format!("a status or code ({kind})"),
                false,
                place,
            );
        } else if is_count(&name) && (integer || matches!(kind, Kind::Float | Kind::Decimal)) {
            add(
                "allowed_field_names",
                name,
                format!("a count or amount ({kind})"),
                false,
                place,
            );
        }
    }
    entries
}

/// The active entries as a configuration.
pub fn configuration(entries: &[Entry]) -> TelemetryCaptureConfiguration {
    let text = render(entries, None);
    TelemetryCaptureConfiguration::from_toml_str(&text).unwrap_or_default()
}

/// The file's text: a preamble, the four allow lists, the `[init]` table
/// as a commented example. `coverage` goes in the preamble.
pub fn render(entries: &[Entry], coverage: Option<&Coverage>) -> String {
    let mut out = String::new();
    out.push_str(
        "# CACI capture configuration, written by `cargo caci init`.\n\
         # A start from what the types show: ids, statuses and counts by name, enums and bools by\n\
         # kind. Review every entry: each says why it is here and what it captures. Names that\n\
         # look personal are commented out under \"needs review\", each with the reason; fields\n\
         # marked `#[telemetry(sensitive)]` and names on the deny floor are never captured.\n",
    );
    if let Some(coverage) = coverage {
        let _ = writeln!(
            out,
            "# Statically: {} of {} inputs captured ({}); reachable maximum: {} ({}).",
            coverage.captured,
            coverage.leaves,
            coverage.percent_text(),
            coverage.reachable,
            coverage.reachable_text()
        );
    }
    out.push('\n');
    out.push_str(&lists(entries));
    out.push_str(
        "\n# `cargo caci init` reads its patterns here; the runtime ignores this table.\n\
         # [init]\n\
         # include = [\"billing::*\"]\n\
         # exclude = [\"*Builder\"]\n",
    );
    out
}

/// The four allow lists with `entries` (as additions to print, too).
pub fn lists(entries: &[Entry]) -> String {
    let mut out = String::new();
    for setting in [
        "allowed_field_names",
        "allowed_field_kinds",
        "allowed_structs",
        "allowed_dictionaries",
    ] {
        let _ = writeln!(out, "{setting} = [");
        let of_setting: Vec<&Entry> = entries.iter().filter(|entry| entry.setting == setting).collect();
        for entry in of_setting.iter().filter(|entry| !entry.review) {
            write_entry(&mut out, entry);
        }
        let review: Vec<&&Entry> = of_setting.iter().filter(|entry| entry.review).collect();
        if !review.is_empty() {
            out.push_str("    # needs review: these names look personal; allow one only if it is not.\n");
            for entry in review {
                write_entry(&mut out, entry);
            }
        }
        out.push_str("]\n");
    }
    out
}

/// At most this many places are listed per entry.
const PLACES_SHOWN: usize = 4;

fn write_entry(out: &mut String, entry: &Entry) {
    let quoted = toml_edit::Value::from(entry.value.as_str()).to_string();
    let quoted = quoted.trim();
    let head = if entry.review {
        format!("    # {quoted},")
    } else {
        format!("    {quoted},")
    };
    let column = head.chars().count() + 2;
    let mut lines = vec![comment_text(&entry.why)];
    let lead = if entry.review { "  " } else { "captures " };
    for (at, place) in entry.places.iter().take(PLACES_SHOWN).enumerate() {
        let lead = if at == 0 { lead } else { "  and " };
        lines.push(comment_text(&format!("{lead}{place}")));
    }
    if entry.places.len() > PLACES_SHOWN {
        lines.push(format!("  and {} more", entry.places.len() - PLACES_SHOWN));
    }
    for (at, line) in lines.iter().enumerate() {
        if at == 0 {
            let _ = writeln!(out, "{head}  # {line}");
        } else {
            let _ = writeln!(out, "{:column$}# {line}", "");
        }
    }
}

fn comment_text(text: &str) -> String {
    text.chars().map(|ch| if ch.is_control() { ' ' } else { ch }).collect()
}

/// The active entries of `entries` an existing configuration lacks.
pub fn missing_from(entries: &[Entry], existing: &TelemetryCaptureConfiguration) -> Vec<Entry> {
    let spec = existing.spec();
    entries
        .iter()
        .filter(|entry| !entry.review)
        .filter(|entry| {
            let list = match entry.setting {
                "allowed_field_kinds" => &spec.allowed_field_kinds,
                _ => &spec.allowed_field_names,
            };
            !list.contains(&entry.value)
        })
        .cloned()
        .collect()
}
