//! What a capture recorded.

use tracing::Level;

use crate::value::FieldValue;

/// Everything recorded while a body ran under [`capture`](crate::capture):
/// spans (with their fields and parents) and events.
#[derive(Clone, Debug, Default)]
pub struct Captured {
    pub(crate) spans: Vec<CapturedSpan>,
    pub(crate) events: Vec<CapturedEvent>,
}

/// One span, with its fields as the subscriber received them.
#[derive(Clone, Debug, PartialEq)]
pub struct CapturedSpan {
    /// Its position in [`Captured::spans`].
    pub index: usize,
    /// The span's name, e.g. `SubscriptionService.initialize_business`.
    pub name: String,
    /// Its target.
    pub target: String,
    /// Its level.
    pub level: Level,
    /// Its fields in the order they were recorded (values recorded after
    /// creation, such as `outcome`, included).
    pub fields: Vec<(String, FieldValue)>,
    /// The index of its parent span.
    pub parent: Option<usize>,
    /// Whether the span was closed before the capture ended.
    pub closed: bool,
}

/// One event.
#[derive(Clone, Debug, PartialEq)]
pub struct CapturedEvent {
    /// Its name (`event file.rs:12` unless given with `name:`).
    pub name: String,
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

    /// The spans named `name`, in creation order.
    pub fn spans_named<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a CapturedSpan> + use<'a, 'n> {
        self.spans.iter().filter(move |span| span.name == name)
    }

    /// The parent of `span`, if it has one.
    pub fn parent_of(&self, span: &CapturedSpan) -> Option<&CapturedSpan> {
        span.parent.and_then(|index| self.spans.get(index))
    }

    /// The direct children of `span`.
    pub fn children_of<'a>(&'a self, span: &CapturedSpan) -> impl Iterator<Item = &'a CapturedSpan> + use<'a> {
        let parent = span.index;
        self.spans.iter().filter(move |child| child.parent == Some(parent))
    }
}

impl CapturedEvent {
    /// The value of field `name`, if recorded (`message` included).
    ///
    /// ```
    /// use caci_core::TelemetryCaptureConfiguration;
    ///
    /// let ((), captured) = caci_testkit::capture(&TelemetryCaptureConfiguration::default(), || {
    ///     tracing::info!(attempts = 3, "retrying");
    /// });
    /// let event = &captured.events()[0];
    /// assert_eq!(event.field("attempts").map(ToString::to_string).as_deref(), Some("3"));
    /// ```
    pub fn field(&self, name: &str) -> Option<&FieldValue> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value)
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

    /// The method's outcome (`"ok"`, `"error"`, `"panic"`, `"cancelled"`),
    /// for spans of wrapped methods.
    pub fn outcome(&self) -> Option<String> {
        self.field("outcome").map(FieldValue::as_text)
    }
}
