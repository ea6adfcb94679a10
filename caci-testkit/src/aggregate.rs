//! Counting spans grouped by field values: "what feature groups are we
//! initializing in our traces?"

use std::collections::BTreeMap;
use std::fmt;

use crate::captured::Captured;
use crate::value::FieldValue;

/// Span counts per combination of field values, sorted by the values.
///
/// ```
/// # use caci_core::{Level, TelemetryCaptureConfiguration};
/// # let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "feature_group"]).build().unwrap();
/// let ((), captured) = caci_testkit::capture(&config, || {
///     for (plan, group) in [("STARTER", "LEGACY"), ("STARTER", "LEGACY"), ("PRO", "PRO")] {
///         let _span = caci_core::span!(Level::INFO, "Features.activate", plan = plan, feature_group = group).entered();
///     }
/// });
/// let counts = captured.count_by("Features.activate", &["plan", "feature_group"]);
/// assert_eq!(counts.get(&["STARTER", "LEGACY"]), 2);
/// assert_eq!(counts.to_string(), "\
/// plan     feature_group  count
/// PRO      PRO                1
/// STARTER  LEGACY             2
/// ");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupCounts {
    fields: Vec<String>,
    counts: BTreeMap<Vec<String>, usize>,
}

/// How a missing field shows in a group.
pub const ABSENT: &str = "(absent)";

impl GroupCounts {
    /// The count for one combination of values (as text), 0 when unseen.
    pub fn get(&self, values: &[&str]) -> usize {
        let key: Vec<String> = values.iter().map(|value| (*value).to_owned()).collect();
        self.counts.get(&key).copied().unwrap_or(0)
    }

    /// Every combination with its count, sorted.
    pub fn iter(&self) -> impl Iterator<Item = (&[String], usize)> {
        self.counts.iter().map(|(key, count)| (key.as_slice(), *count))
    }

    /// The grouped field names.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}

impl fmt::Display for GroupCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut widths: Vec<usize> = self.fields.iter().map(|field| field.chars().count()).collect();
        for key in self.counts.keys() {
            for (width, value) in widths.iter_mut().zip(key) {
                *width = (*width).max(value.chars().count());
            }
        }
        let count_width = self
            .counts
            .values()
            .map(|count| count.to_string().len())
            .max()
            .unwrap_or(0)
            .max(5);
        for (field, width) in self.fields.iter().zip(&widths) {
            write!(f, "{field:<width$}  ")?;
        }
        writeln!(f, "{:>count_width$}", "count")?;
        for (key, count) in &self.counts {
            for (value, width) in key.iter().zip(&widths) {
                write!(f, "{value:<width$}  ")?;
            }
            writeln!(f, "{count:>count_width$}")?;
        }
        Ok(())
    }
}

impl Captured {
    /// Counts the spans named `span_name`, grouped by the values of `fields`
    /// (a missing field groups as [`ABSENT`]).
    pub fn count_by(&self, span_name: &str, fields: &[&str]) -> GroupCounts {
        let mut counts = BTreeMap::new();
        for span in self.spans_named(span_name) {
            let key: Vec<String> = fields
                .iter()
                .map(|field| span.field(field).map_or_else(|| ABSENT.to_owned(), FieldValue::as_text))
                .collect();
            *counts.entry(key).or_insert(0) += 1;
        }
        GroupCounts {
            fields: fields.iter().map(|field| (*field).to_owned()).collect(),
            counts,
        }
    }
}
