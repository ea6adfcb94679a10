//! What a capture recorded, and queries over it.

use std::fmt::{self, Write as _};

use tracing::Level;

use crate::value::FieldValue;

/// Everything recorded while a body ran under [`capture`](crate::capture).
#[derive(Clone, Debug, Default)]
pub struct Captured {
    pub(crate) spans: Vec<CapturedSpan>,
    pub(crate) events: Vec<CapturedEvent>,
}

/// One span, with its fields as the subscriber received them.
#[derive(Clone, Debug, PartialEq)]
pub struct CapturedSpan {
    /// The span's name, e.g. `SubscriptionService.initialize_business`.
    pub name: String,
    /// Its target.
    pub target: String,
    /// Its level.
    pub level: Level,
    /// Its fields in the order they were recorded.
    pub fields: Vec<(String, FieldValue)>,
    /// The index (in [`Captured::spans`]) of its parent span.
    pub parent: Option<usize>,
    /// Whether the span was closed before the capture ended.
    pub closed: bool,
}

/// One event.
#[derive(Clone, Debug, PartialEq)]
pub struct CapturedEvent {
    /// Its target.
    pub target: String,
    /// Its level.
    pub level: Level,
    /// Its fields, `message` included.
    pub fields: Vec<(String, FieldValue)>,
    /// The index of the span it happened in.
    pub span: Option<usize>,
}

impl Captured {
    /// Every span, in creation order.
    pub fn spans(&self) -> &[CapturedSpan] {
        &self.spans
    }

    /// Every event, in order.
    pub fn events(&self) -> &[CapturedEvent] {
        &self.events
    }

    /// The spans named `name`.
    pub fn spans_named<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a CapturedSpan> + use<'a, 'n> {
        self.spans.iter().filter(move |span| span.name == name)
    }

    /// The one span named `name`; panics, listing what was captured, when
    /// there is none or more than one.
    #[track_caller]
    pub fn span(&self, name: &str) -> &CapturedSpan {
        let mut found = self.spans_named(name);
        match (found.next(), found.next()) {
            (Some(span), None) => span,
            (None, _) => panic!("no span named `{name}` was captured.\ncaptured:\n{}", self.render()),
            (Some(_), Some(_)) => panic!(
                "{} spans named `{name}` were captured, expected one.\ncaptured:\n{}",
                self.spans_named(name).count(),
                self.render()
            ),
        }
    }

    /// A deterministic rendering: one line per span, indented under its
    /// parent, fields in recorded order.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (index, span) in self.spans.iter().enumerate().filter(|(_, span)| span.parent.is_none()) {
            self.render_span(index, span, 0, &mut out);
        }
        if out.is_empty() {
            out.push_str("  (nothing)\n");
        }
        out
    }

    fn render_span(&self, index: usize, span: &CapturedSpan, depth: usize, out: &mut String) {
        let _ = writeln!(out, "{:indent$}{span}", "", indent = 2 + depth * 2);
        for (child_index, child) in self
            .spans
            .iter()
            .enumerate()
            .filter(|(_, child)| child.parent == Some(index))
        {
            self.render_span(child_index, child, depth + 1, out);
        }
    }
}

impl CapturedSpan {
    /// The value of field `name`, if recorded.
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value)
    }

    /// The names of the recorded fields, in order.
    pub fn field_names(&self) -> Vec<&str> {
        self.fields.iter().map(|(name, _)| name.as_str()).collect()
    }

    /// Asserts that field `name` was recorded with a value matching
    /// `expected` (see [`FieldValue::matches`]).
    #[track_caller]
    pub fn assert_field(&self, name: &str, expected: impl Into<FieldValue>) -> &Self {
        let expected = expected.into();
        match self.field(name) {
            Some(actual) if actual.matches(&expected) => self,
            Some(actual) => panic!(
                "span `{}`: field `{name}` is {actual} ({}), expected {expected} ({})\nspan: {self}",
                self.name,
                actual.type_name(),
                expected.type_name()
            ),
            None => panic!("span `{}`: field `{name}` was not captured\nspan: {self}", self.name),
        }
    }

    /// Asserts that field `name` was not recorded.
    #[track_caller]
    pub fn assert_no_field(&self, name: &str) -> &Self {
        if let Some(actual) = self.field(name) {
            panic!(
                "span `{}`: field `{name}` was captured as {actual}, expected it absent\nspan: {self}",
                self.name
            );
        }
        self
    }

    /// Asserts that exactly these fields were recorded (in any order).
    #[track_caller]
    pub fn assert_fields_exactly(&self, names: &[&str]) -> &Self {
        let mut actual = self.field_names();
        actual.sort_unstable();
        let mut expected = names.to_vec();
        expected.sort_unstable();
        if actual != expected {
            panic!(
                "span `{}`: fields are {actual:?}, expected exactly {expected:?}\nspan: {self}",
                self.name
            );
        }
        self
    }
}

impl fmt::Display for CapturedSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.name, self.level)?;
        for (name, value) in &self.fields {
            write!(f, " {name}={value}:{}", value.type_name())?;
        }
        Ok(())
    }
}
