//! The capturing layer: records spans and events into shared storage and
//! never panics, whatever it is handed.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use tracing_core::subscriber::Interest;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

use crate::captured::{CapturedEvent, CapturedSpan};
use crate::value::FieldValue;

#[derive(Default)]
pub(crate) struct Store {
    pub(crate) spans: Vec<CapturedSpan>,
    pub(crate) events: Vec<CapturedEvent>,
}

/// A layer that keeps everything it sees.
#[derive(Clone, Default)]
pub(crate) struct CaptureLayer {
    pub(crate) store: Arc<Mutex<Store>>,
}

/// The span's index in the store, kept in the registry's extensions.
struct Index(usize);

impl CaptureLayer {
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<S> Layer<S> for CaptureLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    // `sometimes`, never `always`/`never`: the interest cache is process-wide,
    // and a cached answer from one test thread must not hide spans from
    // another test's capture.
    fn register_callsite(&self, _metadata: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, _metadata: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        true
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = FieldCollector::default();
        attrs.record(&mut fields);
        let parent = ctx
            .span(id)
            .and_then(|span| span.parent())
            .and_then(|parent| parent.extensions().get::<Index>().map(|index| index.0));
        let metadata = attrs.metadata();
        let index = {
            let mut store = self.store();
            let index = store.spans.len();
            store.spans.push(CapturedSpan {
                index,
                name: metadata.name().to_owned(),
                target: metadata.target().to_owned(),
                level: *metadata.level(),
                fields: fields.0,
                parent,
                closed: false,
            });
            store.spans.len() - 1
        };
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Index(index));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(index) = ctx
            .span(id)
            .and_then(|span| span.extensions().get::<Index>().map(|index| index.0))
        else {
            return;
        };
        let mut fields = FieldCollector::default();
        values.record(&mut fields);
        if let Some(span) = self.store().spans.get_mut(index) {
            for (name, value) in fields.0 {
                match span.fields.iter_mut().find(|(existing, _)| *existing == name) {
                    Some(slot) => slot.1 = value,
                    None => span.fields.push((name, value)),
                }
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = FieldCollector::default();
        event.record(&mut fields);
        let span = ctx
            .event_span(event)
            .and_then(|span| span.extensions().get::<Index>().map(|index| index.0));
        self.store().events.push(CapturedEvent {
            name: event.metadata().name().to_owned(),
            target: event.metadata().target().to_owned(),
            level: *event.metadata().level(),
            fields: fields.0,
            span,
        });
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(index) = ctx
            .span(&id)
            .and_then(|span| span.extensions().get::<Index>().map(|index| index.0))
        else {
            return;
        };
        if let Some(span) = self.store().spans.get_mut(index) {
            span.closed = true;
        }
    }
}

#[derive(Default)]
struct FieldCollector(Vec<(String, FieldValue)>);

impl FieldCollector {
    fn push(&mut self, field: &Field, value: FieldValue) {
        self.0.push((field.name().to_owned(), value));
    }
}

impl Visit for FieldCollector {
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.push(field, FieldValue::Bool(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push(field, FieldValue::I64(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.push(field, FieldValue::U64(value));
    }
    fn record_i128(&mut self, field: &Field, value: i128) {
        self.push(field, FieldValue::I128(value));
    }
    fn record_u128(&mut self, field: &Field, value: u128) {
        self.push(field, FieldValue::U128(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.push(field, FieldValue::F64(value));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.push(field, FieldValue::Str(value.to_owned()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.push(field, FieldValue::Debug(format!("{value:?}")));
    }
}
