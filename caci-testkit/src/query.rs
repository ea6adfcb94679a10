//! Finding spans by name and field values, order-insensitively, with
//! failure messages that show the nearest misses.

use std::fmt::Write as _;

use crate::captured::{Captured, CapturedSpan};
use crate::value::FieldValue;

/// A description of the spans wanted: a name and fields that must match.
///
/// ```
/// use caci_testkit::SpanQuery;
/// let query = SpanQuery::named("SubscriptionService.activate_features")
///     .with("plan", "STARTER")
///     .with("feature_group", "LEGACY");
/// # let _ = query;
/// ```
#[derive(Clone, Debug)]
pub struct SpanQuery {
    name: Option<String>,
    fields: Vec<(String, Expected)>,
}

#[derive(Clone, Debug)]
enum Expected {
    Value(FieldValue),
    Absent,
}

impl SpanQuery {
    /// Spans named `name`.
    pub fn named(name: impl Into<String>) -> Self {
        SpanQuery {
            name: Some(name.into()),
            fields: Vec::new(),
        }
    }

    /// Spans of any name.
    pub fn any() -> Self {
        SpanQuery {
            name: None,
            fields: Vec::new(),
        }
    }

    /// …whose field `name` matches `value` (numeric-aware).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<FieldValue>) -> Self {
        self.fields.push((name.into(), Expected::Value(value.into())));
        self
    }

    /// …that have no field `name`.
    pub fn without(mut self, name: impl Into<String>) -> Self {
        self.fields.push((name.into(), Expected::Absent));
        self
    }

    fn name_matches(&self, span: &CapturedSpan) -> bool {
        self.name.as_deref().is_none_or(|name| span.name == name)
    }

    fn field_matches(span: &CapturedSpan, name: &str, expected: &Expected) -> bool {
        match (expected, span.field(name)) {
            (Expected::Value(expected), Some(actual)) => actual.matches(expected),
            (Expected::Absent, None) => true,
            _ => false,
        }
    }

    /// Whether `span` matches the query.
    pub fn matches(&self, span: &CapturedSpan) -> bool {
        self.name_matches(span)
            && self
                .fields
                .iter()
                .all(|(name, expected)| Self::field_matches(span, name, expected))
    }

    /// How close `span` comes: name first, then the number of matching fields.
    fn closeness(&self, span: &CapturedSpan) -> (bool, usize) {
        let fields = self
            .fields
            .iter()
            .filter(|(name, expected)| Self::field_matches(span, name, expected))
            .count();
        (self.name_matches(span), fields)
    }

    fn describe(&self) -> String {
        let mut out = match &self.name {
            Some(name) => format!("a span named `{name}`"),
            None => "a span".to_owned(),
        };
        for (index, (name, expected)) in self.fields.iter().enumerate() {
            out.push_str(if index == 0 { " with " } else { ", " });
            match expected {
                Expected::Value(value) => {
                    let _ = write!(out, "{name} = {value}");
                }
                Expected::Absent => {
                    let _ = write!(out, "no {name}");
                }
            }
        }
        out
    }

    /// The nearest captured spans, with ✓/✗ per expected field.
    fn nearest_misses(&self, captured: &Captured) -> String {
        let mut candidates: Vec<&CapturedSpan> = captured.spans().iter().collect();
        candidates.sort_by_key(|span| std::cmp::Reverse(self.closeness(span)));
        let mut out = String::new();
        for span in candidates.into_iter().take(3) {
            let _ = writeln!(out, "  {} `{}`", mark(self.name_matches(span)), span.name);
            for (name, expected) in &self.fields {
                let actual = match span.field(name) {
                    Some(value) => format!("{value} ({})", value.type_name()),
                    None => "absent".to_owned(),
                };
                let wanted = match expected {
                    Expected::Value(value) => format!("{value}"),
                    Expected::Absent => "absent".to_owned(),
                };
                let ok = Self::field_matches(span, name, expected);
                let _ = writeln!(out, "      {} {name}: {actual}, expected {wanted}", mark(ok));
            }
        }
        if out.is_empty() {
            out.push_str("  (no spans were captured)\n");
        }
        out
    }
}

fn mark(ok: bool) -> char {
    if ok { '✓' } else { '✗' }
}

impl Captured {
    /// The spans matching `query`, in creation order.
    pub fn find<'a, 'q>(&'a self, query: &'q SpanQuery) -> impl Iterator<Item = &'a CapturedSpan> + use<'a, 'q> {
        self.spans().iter().filter(move |span| query.matches(span))
    }

    /// The one span matching `query` (a name, or a [`SpanQuery`]); panics
    /// with the nearest misses and the captured tree otherwise.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// # let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _span = caci_core::span!(Level::INFO, "Plans.lookup", plan = "STARTER").entered();
    /// });
    /// captured.span("Plans.lookup").assert_field("plan", "STARTER");
    /// ```
    #[track_caller]
    pub fn span(&self, query: impl Into<SpanQuery>) -> &CapturedSpan {
        let query = query.into();
        let mut found = self.find(&query);
        match (found.next(), found.next()) {
            (Some(span), None) => span,
            (None, _) => self.fail(&query, "none was captured"),
            (Some(_), Some(_)) => {
                let count = self.find(&query).count();
                self.fail(&query, &format!("{count} were captured"))
            }
        }
    }

    /// Asserts that exactly `count` spans match `query`.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// use caci_testkit::SpanQuery;
    /// # let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _api = caci_core::span!(Level::INFO, "Api.signup", plan = "PRO").entered();
    ///     let _a = caci_core::span!(Level::INFO, "Store.activate", plan = "PRO").entered();
    ///     drop(_a);
    ///     let _b = caci_core::span!(Level::INFO, "Store.activate", plan = "STARTER").entered();
    /// });
    /// captured.assert_count("Store.activate", 2);
    /// captured.assert_count(SpanQuery::named("Store.activate").with("plan", "PRO"), 1);
    /// ```
    #[track_caller]
    pub fn assert_count(&self, query: impl Into<SpanQuery>, count: usize) -> &Self {
        let query = query.into();
        let actual = self.find(&query).count();
        if actual != count {
            self.fail_expecting(&query, &format!("exactly {count}"), &format!("{actual} were captured"));
        }
        self
    }

    /// Asserts that no span matches `query`.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// use caci_testkit::SpanQuery;
    /// # let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _api = caci_core::span!(Level::INFO, "Api.signup", plan = "PRO").entered();
    ///     let _a = caci_core::span!(Level::INFO, "Store.activate", plan = "PRO").entered();
    ///     drop(_a);
    ///     let _b = caci_core::span!(Level::INFO, "Store.activate", plan = "STARTER").entered();
    /// });
    /// captured.assert_none(SpanQuery::named("Store.activate").with("plan", "LEGACY"));
    /// ```
    #[track_caller]
    pub fn assert_none(&self, query: impl Into<SpanQuery>) -> &Self {
        let query = query.into();
        if let Some(span) = self.find(&query).next() {
            panic!(
                "expected no {}, but captured:\n  {span}\n\ncaptured tree:\n{}",
                query.describe(),
                self.render()
            );
        }
        self
    }

    /// Asserts that some span matching `child` has a parent matching `parent`.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// use caci_testkit::SpanQuery;
    /// # let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _api = caci_core::span!(Level::INFO, "Api.signup", plan = "PRO").entered();
    ///     let _a = caci_core::span!(Level::INFO, "Store.activate", plan = "PRO").entered();
    ///     drop(_a);
    ///     let _b = caci_core::span!(Level::INFO, "Store.activate", plan = "STARTER").entered();
    /// });
    /// captured.assert_child_of(SpanQuery::named("Store.activate").with("plan", "STARTER"), "Api.signup");
    /// ```
    #[track_caller]
    pub fn assert_child_of(&self, child: impl Into<SpanQuery>, parent: impl Into<SpanQuery>) -> &Self {
        let (child, parent) = (child.into(), parent.into());
        let related = self
            .find(&child)
            .any(|span| self.parent_of(span).is_some_and(|candidate| parent.matches(candidate)));
        if !related {
            panic!(
                "expected {} inside {}, but no such pair was captured\n\ncaptured tree:\n{}",
                child.describe(),
                parent.describe(),
                self.render()
            );
        }
        self
    }

    #[track_caller]
    fn fail(&self, query: &SpanQuery, found: &str) -> ! {
        self.fail_expecting(query, "exactly one", found)
    }

    #[track_caller]
    fn fail_expecting(&self, query: &SpanQuery, expected: &str, found: &str) -> ! {
        panic!(
            "expected {expected} of {}, but {found}.\n\nnearest captured spans:\n{}\ncaptured tree:\n{}",
            query.describe(),
            query.nearest_misses(self),
            self.render()
        )
    }
}

impl From<&str> for SpanQuery {
    fn from(name: &str) -> Self {
        SpanQuery::named(name)
    }
}

impl From<String> for SpanQuery {
    fn from(name: String) -> Self {
        SpanQuery::named(name)
    }
}

impl From<&SpanQuery> for SpanQuery {
    fn from(query: &SpanQuery) -> Self {
        query.clone()
    }
}
