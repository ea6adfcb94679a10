//! The rules: a configuration compiled into the form every layer above
//! reads, and the one decision rule applied to each leaf.
//!
//! [`spec`] is the schema (the builder, JSON and TOML share it), [`compile`]
//! checks it and builds [`Rules`], [`words`] and [`deny`] are the floor,
//! [`decision`] the rule, [`scrub`] the value check, and [`current`] which
//! rules are in force. Nothing here knows call sites, plans or `tracing`.

pub(crate) mod compile;
pub(crate) mod current;
pub mod decision;
pub mod deny;
mod error;
pub(crate) mod scrub;
mod spec;
pub(crate) mod words;

pub use compile::MAX_FIELDS_PER_SPAN_CEILING;
#[cfg(feature = "metrics")]
pub(crate) use compile::MAX_METRIC_LABELS;
pub(crate) use compile::{RenderRules, Rules, compile, label_names};
pub use error::{ConfigError, Problem};
pub use spec::{ConfigSpec, LimitsSpec, ScopeSpec};
pub(crate) use spec::{LIMIT_KEYS, SCOPE_KEYS, TOP_LEVEL_KEYS};

/// Limits that bound what one call captures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// How many path segments a captured leaf may have: `business_id` is 1,
    /// `business.plan_id` is 2. Default 3.
    pub max_depth: usize,
    /// How many items of a list or map are rendered. Default 20.
    pub max_list_items: usize,
    /// How many characters of a string (or of a rendering) are kept; longer
    /// text is cut on a character boundary and ends with `…`. Default 255.
    pub max_string_len: usize,
    /// How many fields one span may carry. Default 32, at most
    /// [`MAX_FIELDS_PER_SPAN_CEILING`](crate::config::MAX_FIELDS_PER_SPAN_CEILING).
    pub max_fields_per_span: usize,
    /// How many label sets one wrapped method's metrics may have (with
    /// `method_metrics`); past it, new label values are counted under
    /// `_other`. Default 200.
    pub max_series_per_method: usize,
    /// How many distinct values one string metric label may take at one
    /// method; past it, new values are counted under `_other`. Default 20.
    pub max_label_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 3,
            max_list_items: 20,
            max_string_len: 255,
            max_fields_per_span: 32,
            max_series_per_method: 200,
            max_label_values: 20,
        }
    }
}
