//! A `tracing` layer answering "what feature groups are we initializing?":
//! it counts the spans of one name by the values of two of their fields,
//! and shows the counts as a table.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Metadata, Subscriber};
use tracing_core::subscriber::Interest;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

/// Counts spans named `span` by (`row` field, `column` field). Cloning gives
/// another handle on the same counts.
///
/// ```
/// use tracing_subscriber::layer::SubscriberExt;
/// let tally = caci_examples::tally::Tally::new("FeatureStore.activate_features", "plan", "feature_group");
/// let subscriber = tracing_subscriber::registry().with(tally.clone());
/// tracing::subscriber::with_default(subscriber, || {
///     for (plan, group) in [("STARTER", "LEGACY"), ("STARTER", "LEGACY"), ("PRO", "PRO")] {
///         tracing::info_span!("FeatureStore.activate_features", plan, feature_group = group).in_scope(|| {});
///     }
/// });
/// let table = tally.table().with_order(&["STARTER", "LEGACY", "PRO"], &["STARTER", "LEGACY", "PRO"]);
/// assert_eq!(table.get("STARTER", "LEGACY"), 2);
/// assert_eq!(table.to_string(), "\
/// plan \\ feature_group  STARTER  LEGACY  PRO
/// STARTER                     0       2    0
/// LEGACY                      0       0    0
/// PRO                         0       0    1
/// ");
/// ```
#[derive(Clone)]
pub struct Tally {
    inner: Arc<Inner>,
}

struct Inner {
    span: &'static str,
    row: &'static str,
    column: &'static str,
    counts: Mutex<BTreeMap<(String, String), usize>>,
    closed: AtomicUsize,
}

impl Tally {
    /// Counts spans named `span` by the values of their `row` and `column` fields.
    pub fn new(span: &'static str, row: &'static str, column: &'static str) -> Self {
        Tally {
            inner: Arc::new(Inner {
                span,
                row,
                column,
                counts: Mutex::new(BTreeMap::new()),
                closed: AtomicUsize::new(0),
            }),
        }
    }

    /// The counts so far.
    pub fn table(&self) -> Crosstab {
        Crosstab {
            row_field: self.inner.row,
            column_field: self.inner.column,
            counts: self.inner.counts.lock().unwrap_or_else(PoisonError::into_inner).clone(),
            rows: Vec::new(),
            columns: Vec::new(),
        }
    }

    /// Forgets the counts (not the number of closed spans).
    pub fn reset(&self) {
        self.inner.counts.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// How many spans of any name have closed: what an exporter should have
    /// been handed.
    pub fn spans_closed(&self) -> usize {
        self.inner.closed.load(Ordering::SeqCst)
    }
}

impl<S: Subscriber> Layer<S> for Tally {
    fn register_callsite(&self, _metadata: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        if attrs.metadata().name() != self.inner.span {
            return;
        }
        let mut values = Pick {
            names: [self.inner.row, self.inner.column],
            values: [None, None],
        };
        attrs.record(&mut values);
        let [row, column] = values.values.map(|value| value.unwrap_or_else(|| ABSENT.to_owned()));
        *self
            .inner
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((row, column))
            .or_insert(0) += 1;
    }

    fn on_close(&self, _id: Id, _ctx: Context<'_, S>) {
        self.inner.closed.fetch_add(1, Ordering::SeqCst);
    }
}

/// How a field the span did not record shows in the table.
pub const ABSENT: &str = "(absent)";

struct Pick {
    names: [&'static str; 2],
    values: [Option<String>; 2],
}

impl Visit for Pick {
    fn record_str(&mut self, field: &Field, value: &str) {
        for (name, slot) in self.names.iter().zip(&mut self.values) {
            if *name == field.name() {
                *slot = Some(value.to_owned());
            }
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        for (name, slot) in self.names.iter().zip(&mut self.values) {
            if *name == field.name() {
                *slot = Some(format!("{value:?}"));
            }
        }
    }
}

/// Span counts by two field values, shown as a table: one row per value of
/// the first field, one column per value of the second.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crosstab {
    row_field: &'static str,
    column_field: &'static str,
    counts: BTreeMap<(String, String), usize>,
    rows: Vec<String>,
    columns: Vec<String>,
}

impl Crosstab {
    /// Shows these rows and columns first, in this order, even when their
    /// counts are zero; values seen but not listed follow, sorted.
    pub fn with_order(mut self, rows: &[&str], columns: &[&str]) -> Self {
        self.rows = rows.iter().map(|row| (*row).to_owned()).collect();
        self.columns = columns.iter().map(|column| (*column).to_owned()).collect();
        self
    }

    /// The count for one (row, column) pair; 0 when unseen.
    pub fn get(&self, row: &str, column: &str) -> usize {
        self.counts
            .get(&(row.to_owned(), column.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// The count over all pairs.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    fn axis(&self, listed: &[String], seen: impl Iterator<Item = String>) -> Vec<String> {
        let mut axis = listed.to_vec();
        let mut extra: Vec<String> = seen.filter(|value| !listed.contains(value)).collect();
        extra.sort();
        extra.dedup();
        axis.extend(extra);
        axis
    }
}

impl fmt::Display for Crosstab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = self.axis(&self.rows, self.counts.keys().map(|(row, _)| row.clone()));
        let columns = self.axis(&self.columns, self.counts.keys().map(|(_, column)| column.clone()));
        let corner = format!("{} \\ {}", self.row_field, self.column_field);
        let first = rows.iter().map(String::len).chain([corner.len()]).max().unwrap_or(0);
        let widths: Vec<usize> = columns
            .iter()
            .map(|column| {
                let counts = rows.iter().map(|row| self.get(row, column).to_string().len());
                counts.chain([column.len()]).max().unwrap_or(0)
            })
            .collect();
        write!(f, "{corner:<first$}")?;
        for (column, width) in columns.iter().zip(&widths) {
            write!(f, "  {column:>width$}")?;
        }
        writeln!(f)?;
        for row in &rows {
            write!(f, "{row:<first$}")?;
            for (column, width) in columns.iter().zip(&widths) {
                write!(f, "  {:>width$}", self.get(row, column))?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
