//! Shared fixtures for the CACI benchmarks in `benches/`.
//!
//! The domain types implement [`caci_core::Capture`] by hand (not with
//! `#[derive(Telemetry)]`) so the benchmarks do not depend on the derive
//! macro; the impls are what the derive generates for them.
//!
//! The subscriber helpers manage `tracing`'s process-wide state (the max
//! level hint and every callsite's cached interest) so that each benchmark
//! variant runs under exactly the subscriber it names, even though all
//! variants of a group share one process: see [`Subscriber`].

use std::any::type_name;
use std::fmt::{self, Write as _};
use std::hint::black_box;
use std::sync::{Arc, Mutex};

use caci_core::{Capture, FieldShape, Kind, Out, Shape, ShapeBody, TelemetryCaptureConfiguration, VariantShape};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Level, Metadata};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use uuid::Uuid;

/// The span name every benchmarked method opens.
pub const SPAN_NAME: &str = "SubscriptionService.initialize_business";

/// A business identifier, captured as its UUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessId(pub Uuid);

impl Capture for BusinessId {
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::Uuid)
    }

    /// As `#[derive(Telemetry)]` does for a newtype: the inner value's record.
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        self.0.record(out);
    }
}

/// A subscription plan: a unit enum captured as its variant name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The entry plan.
    Starter,
    /// A plan no longer sold.
    Legacy,
    /// The full plan.
    Pro,
}

impl Plan {
    const NAMES: [&'static str; 3] = ["STARTER", "LEGACY", "PRO"];

    fn index(self) -> usize {
        match self {
            Plan::Starter => 0,
            Plan::Legacy => 1,
            Plan::Pro => 2,
        }
    }
}

impl Capture for Plan {
    fn shape() -> Shape {
        Shape {
            type_name: type_name::<Self>(),
            body: ShapeBody::Enum(
                Plan::NAMES
                    .iter()
                    .map(|name| VariantShape {
                        name,
                        fields: Vec::new(),
                    })
                    .collect(),
            ),
        }
    }

    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        let index = self.index();
        let _no_variant_fields = out.variant(index, Plan::NAMES[index]);
    }
}

/// A business: a struct with five capturable fields.
#[derive(Clone, Debug)]
pub struct Business {
    /// Its identifier.
    pub id: BusinessId,
    /// Its plan.
    pub plan: Plan,
    /// Its country code.
    pub country: &'static str,
    /// Whether it is on a trial.
    pub trial: bool,
    /// How many seats it pays for.
    pub seats: u32,
}

impl Capture for Business {
    fn shape() -> Shape {
        Shape {
            type_name: type_name::<Self>(),
            body: ShapeBody::Struct(vec![
                FieldShape::new("id", "BusinessId", BusinessId::shape),
                FieldShape::new("plan", "Plan", Plan::shape),
                FieldShape::new("country", "&'static str", <&'static str>::shape),
                FieldShape::new("trial", "bool", bool::shape),
                FieldShape::new("seats", "u32", u32::shape),
            ]),
        }
    }

    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        if let Some(mut fields) = out.fields() {
            fields.field(0, &self.id);
            fields.field(1, &self.plan);
            fields.field(2, &self.country);
            fields.field(3, &self.trial);
            fields.field(4, &self.seats);
        }
    }
}

/// The identifier every benchmark passes.
pub fn business_id() -> BusinessId {
    BusinessId(Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8))
}

/// The business the struct benchmarks pass.
pub fn business() -> Business {
    Business {
        id: business_id(),
        plan: Plan::Starter,
        country: "CA",
        trial: true,
        seats: 12,
    }
}

/// A configuration allowing exactly `names` (plain field names).
pub fn allow_names<I, S>(names: I) -> TelemetryCaptureConfiguration
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    TelemetryCaptureConfiguration::builder()
        .allow_fields(names)
        .build()
        .expect("a valid benchmark configuration")
}

/// The three inputs of the three-input method.
pub const THREE_INPUTS: [&str; 3] = ["business_id", "trial", "plan"];

/// A configuration allowing [`THREE_INPUTS`] among `total` allowed names
/// (the others are unused fillers).
pub fn three_inputs_among(total: usize) -> TelemetryCaptureConfiguration {
    assert!(total >= THREE_INPUTS.len());
    let fillers = (0..total - THREE_INPUTS.len()).map(|index| format!("unused_field_{index:05}"));
    let names: Vec<String> = THREE_INPUTS
        .iter()
        .map(|name| (*name).to_owned())
        .chain(fillers)
        .collect();
    assert_eq!(names.len(), total);
    allow_names(names)
}

/// A `fmt::Write` that only counts bytes: formatting without allocating.
#[derive(Debug, Default)]
pub struct CountingWriter(pub usize);

impl fmt::Write for CountingWriter {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Visits every field of a new span, handing typed values to `black_box` and
/// formatting `Debug`/`Display` values into a [`CountingWriter`]: what a real
/// exporter must do at least, with no allocation or I/O.
#[derive(Clone, Copy, Debug, Default)]
pub struct VisitingLayer;

impl<S: tracing::Subscriber> Layer<S> for VisitingLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        attrs.record(&mut BlackBoxVisitor);
    }
}

struct BlackBoxVisitor;

impl Visit for BlackBoxVisitor {
    fn record_f64(&mut self, field: &Field, value: f64) {
        black_box((field.name(), value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        black_box((field.name(), value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        black_box((field.name(), value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        black_box((field.name(), value));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        black_box((field.name(), value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let mut out = CountingWriter(0);
        let _ = write!(out, "{value:?}");
        black_box((field.name(), out.0));
    }
}

/// The subscriber a benchmark variant runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subscriber {
    /// No subscriber at all: no global default, no scoped one, max level OFF.
    None,
    /// A `fmt` subscriber filtered at WARN (the spans are at INFO).
    LevelDisabled,
    /// `tracing_subscriber::registry().with(VisitingLayer)`.
    Registry,
}

impl Subscriber {
    /// Runs `body` with this subscriber as the only live one in the process,
    /// then resets `tracing`'s global caches to "no subscriber" (see
    /// [`reset_tracing_caches`]) so the next variant starts clean.
    ///
    /// [`Subscriber::None`] checks that the max level is OFF and that no
    /// dispatcher is set, globally or on this thread.
    pub fn run<R>(self, body: impl FnOnce() -> R) -> R {
        let result = match self {
            Subscriber::None => {
                assert_eq!(LevelFilter::current(), LevelFilter::OFF);
                assert!(
                    tracing::dispatcher::get_default(|dispatch| dispatch.is::<tracing::subscriber::NoSubscriber>()),
                    "no subscriber may be set, globally or on this thread"
                );
                body()
            }
            Subscriber::LevelDisabled => {
                let dispatch = Dispatch::new(
                    tracing_subscriber::fmt()
                        .with_max_level(Level::WARN)
                        .with_writer(std::io::sink)
                        .finish(),
                );
                assert_eq!(LevelFilter::current(), LevelFilter::WARN);
                tracing::dispatcher::with_default(&dispatch, body)
            }
            Subscriber::Registry => {
                let dispatch = Dispatch::new(tracing_subscriber::registry().with(VisitingLayer));
                assert_eq!(LevelFilter::current(), LevelFilter::TRACE);
                tracing::dispatcher::with_default(&dispatch, body)
            }
        };
        reset_tracing_caches();
        result
    }
}

/// Puts `tracing`'s global caches back in the state of a process that never
/// had a subscriber: max level OFF, every callsite's interest "never".
///
/// `tracing` recomputes these when a dispatcher is *created*, not when one is
/// dropped, and a recomputation with no live dispatcher counts the absent
/// subscriber as "may enable every level" (TRACE). So this briefly creates a
/// dispatcher that enables nothing, which recomputes the caches from it
/// alone, and drops it. Call it with no other dispatcher alive.
pub fn reset_tracing_caches() {
    drop(Dispatch::new(EnablesNothing));
    assert_eq!(LevelFilter::current(), LevelFilter::OFF);
}

/// A subscriber that enables nothing and says so in its level hint.
struct EnablesNothing;

impl tracing::Subscriber for EnablesNothing {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::never()
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::OFF)
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// A span as [`recorded_spans`] sees it: its name and its `field=value` pairs.
pub type RecordedSpan = (String, Vec<String>);

/// The spans `body` opens, each as its name and its `field=value` pairs in
/// order (values rendered with `Debug`). Used to check, before measuring,
/// that the compared variants record the same fields.
pub fn recorded_spans(body: impl FnOnce()) -> Vec<RecordedSpan> {
    let spans = Arc::new(Mutex::new(Vec::new()));
    let layer = RecordingLayer {
        spans: Arc::clone(&spans),
    };
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer));
    tracing::dispatcher::with_default(&dispatch, body);
    drop(dispatch);
    reset_tracing_caches();
    spans.lock().expect("not poisoned").clone()
}

struct RecordingLayer {
    spans: Arc<Mutex<Vec<RecordedSpan>>>,
}

impl<S: tracing::Subscriber> Layer<S> for RecordingLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        let mut fields = FieldRecorder(Vec::new());
        attrs.record(&mut fields);
        self.spans
            .lock()
            .expect("not poisoned")
            .push((attrs.metadata().name().to_owned(), fields.0));
    }
}

struct FieldRecorder(Vec<String>);

impl Visit for FieldRecorder {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

/// The field names of the one span `body` opens, after checking its name.
pub fn span_field_names(body: impl FnOnce()) -> Vec<String> {
    let spans = recorded_spans(body);
    assert_eq!(spans.len(), 1, "expected one span, got {spans:?}");
    let (name, fields) = &spans[0];
    assert_eq!(name, SPAN_NAME);
    eprintln!("  {name}: {}", fields.join(", "));
    fields
        .iter()
        .map(|field| field.split('=').next().unwrap_or_default().to_owned())
        .collect()
}
