//! A deterministic text rendering of what was captured, for failure messages
//! and snapshot tests: spans as a tree in creation order, events under their
//! span, and values that change from run to run masked.

use std::fmt::{self, Write as _};

use crate::captured::{Captured, CapturedEvent, CapturedSpan};
use crate::value::FieldValue;

/// Fields whose values differ between runs; rendered as `<masked>`.
pub const MASKED_FIELDS: &[&str] = &["duration_ns", "busy_ns", "idle_ns", "thread.id", "thread.name"];

impl Captured {
    /// The captured tree, one line per span or event, fields in recorded
    /// order with their types, run-dependent values masked.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// # let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "step"]).build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _outer = caci_core::span!(Level::INFO, "Service.run", plan = "PRO").entered();
    ///     let _inner = caci_core::span!(Level::DEBUG, "Repo.load", step = 2u8).entered();
    /// });
    /// assert_eq!(captured.render(), "\
    /// Service.run [INFO] plan=\"PRO\":str
    ///   Repo.load [DEBUG] step=2:i64
    /// ");
    /// ```
    pub fn render(&self) -> String {
        let mut out = String::new();
        for span in self.spans.iter().filter(|span| span.parent.is_none()) {
            self.render_span(span, 0, &mut out);
        }
        for event in self.events.iter().filter(|event| event.span.is_none()) {
            render_event(event, 0, &mut out);
        }
        if out.is_empty() {
            out.push_str("(nothing captured)\n");
        }
        out
    }

    fn render_span(&self, span: &CapturedSpan, depth: usize, out: &mut String) {
        let _ = writeln!(out, "{:indent$}{span}", "", indent = depth * 2);
        for event in self.events.iter().filter(|event| event.span == Some(span.index)) {
            render_event(event, depth + 1, out);
        }
        for child in self.children_of(span) {
            self.render_span(child, depth + 1, out);
        }
    }
}

fn render_event(event: &CapturedEvent, depth: usize, out: &mut String) {
    let _ = write!(out, "{:indent$}event [{}]", "", event.level, indent = depth * 2);
    write_fields(&event.fields, out);
    out.push('\n');
}

fn write_fields(fields: &[(String, FieldValue)], out: &mut String) {
    for (name, value) in fields {
        if MASKED_FIELDS.contains(&name.as_str()) {
            let _ = write!(out, " {name}=<masked>");
        } else {
            let _ = write!(out, " {name}={value}:{}", value.type_name());
        }
    }
}

impl fmt::Display for CapturedSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut fields = String::new();
        write_fields(&self.fields, &mut fields);
        write!(f, "{} [{}]{fields}", self.name, self.level)
    }
}
