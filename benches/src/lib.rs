//! Shared fixtures for the CACI benchmarks in `benches/`.
//!
//! The domain types derive [`caci_core::Telemetry`]; the benchmarked methods
//! (every variant of both groups, shared by the criterion benches, the
//! callgrind driver `callcount` and the allocation test) are in
//! [`three_inputs`] and [`struct_input`].
//!
//! The subscriber helpers manage `tracing`'s process-wide state (the max
//! level hint and every callsite's cached interest) so that each benchmark
//! variant runs under exactly the subscriber it names, even though all
//! variants of a group share one process: see [`Subscriber`].

use std::fmt::{self, Write as _};
use std::hint::black_box;
use std::sync::{Arc, Mutex};

use caci_core::{Telemetry, TelemetryCaptureConfiguration};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Level, Metadata};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use uuid::Uuid;

pub mod field_kinds;
pub mod string_field;
pub mod struct_input;
pub mod three_inputs;
pub mod wide_fields;

/// The span name every benchmarked method opens.
pub const SPAN_NAME: &str = "SubscriptionService.initialize_business";

/// A business identifier, captured as its UUID (a newtype: `Kind::Uuid`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Telemetry)]
pub struct BusinessId(pub Uuid);

/// A subscription plan: a unit enum captured as its variant name
/// (`"STARTER"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Telemetry)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Plan {
    /// The entry plan.
    Starter,
    /// A plan no longer sold.
    Legacy,
    /// The full plan.
    Pro,
}

/// A business: a struct with five capturable fields.
#[derive(Clone, Debug, Telemetry)]
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

/// The fields the component variants record after the captured ones, and
/// the `*_outcome` variants by hand.
pub const OUTCOME_FIELDS: [&str; 2] = ["outcome", "duration_ns"];

/// What a `#[component]` method records after its outcome and duration:
/// the method's path (OpenTelemetry's `code.function.name`), which the
/// hand-written spans record too (at their opening) and `#[instrument]`
/// does not.
pub const COMPONENT_FIELDS: [&str; 1] = ["code.function.name"];

/// The configuration of the three-input group: [`THREE_INPUTS`] allowed.
pub fn three_inputs_configuration() -> TelemetryCaptureConfiguration {
    allow_names(THREE_INPUTS)
}

/// The configuration of the struct group: every field of `Business`.
pub fn struct_configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_struct_named("Business")
        .build()
        .expect("a valid benchmark configuration")
}

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

/// Visits every field of a new span, and every field recorded on it later
/// (`Span::record`, `record_all`: the outcome and duration), handing typed
/// values to `black_box` and formatting `Debug`/`Display` values into a
/// [`CountingWriter`]: what a real exporter must do at least, with no
/// allocation or I/O.
#[derive(Clone, Copy, Debug, Default)]
pub struct VisitingLayer;

impl<S: tracing::Subscriber> Layer<S> for VisitingLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        attrs.record(&mut BlackBoxVisitor);
    }

    fn on_record(&self, _id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        values.record(&mut BlackBoxVisitor);
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

/// A span as [`recorded_spans`] sees it: its name and its `field=value` pairs
/// (those given at creation, then those recorded later).
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
    let spans = spans.lock().expect("not poisoned");
    spans.iter().map(|(_, span)| span.clone()).collect()
}

struct RecordingLayer {
    spans: Arc<Mutex<Vec<(Id, RecordedSpan)>>>,
}

impl<S: tracing::Subscriber> Layer<S> for RecordingLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _ctx: Context<'_, S>) {
        let mut fields = FieldRecorder(Vec::new());
        attrs.record(&mut fields);
        self.spans
            .lock()
            .expect("not poisoned")
            .push((id.clone(), (attrs.metadata().name().to_owned(), fields.0)));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        let mut fields = FieldRecorder(Vec::new());
        values.record(&mut fields);
        let mut spans = self.spans.lock().expect("not poisoned");
        if let Some((_, (_, recorded))) = spans.iter_mut().rev().find(|(span_id, _)| span_id == id) {
            recorded.extend(fields.0);
        }
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

/// What every group measures, in order: the criterion name, the subscriber
/// it runs under, and the variant (a name in `three_inputs::VARIANTS` and
/// `struct_input::VARIANTS`).
pub const MEASURED: &[(&str, Subscriber, &str)] = &[
    ("bare", Subscriber::None, "bare"),
    ("bare_method", Subscriber::None, "bare_method"),
    ("component_no_subscriber", Subscriber::None, "component"),
    ("caci_span_no_subscriber", Subscriber::None, "caci_span"),
    (
        "instrument_no_subscriber",
        Subscriber::None,
        "instrument_skip_all_fields",
    ),
    ("component_level_disabled", Subscriber::LevelDisabled, "component"),
    ("caci_span_level_disabled", Subscriber::LevelDisabled, "caci_span"),
    (
        "instrument_level_disabled",
        Subscriber::LevelDisabled,
        "instrument_skip_all_fields",
    ),
    ("component_registry", Subscriber::Registry, "component"),
    ("caci_span_registry", Subscriber::Registry, "caci_span"),
    (
        "instrument_skip_all_fields_registry",
        Subscriber::Registry,
        "instrument_skip_all_fields",
    ),
    (
        "instrument_outcome_registry",
        Subscriber::Registry,
        "instrument_outcome",
    ),
    (
        "manual_span_outcome_registry",
        Subscriber::Registry,
        "manual_span_outcome",
    ),
    (
        "instrument_default_registry",
        Subscriber::Registry,
        "instrument_default",
    ),
    (
        "instrument_default_outcome_registry",
        Subscriber::Registry,
        "instrument_default_outcome",
    ),
];

/// The method named `name` in a variant table.
///
/// # Panics
///
/// When the table has no such variant: a typo in [`MEASURED`].
pub fn variant<M: Copy>(variants: &[(&str, M)], name: &str) -> M {
    variants
        .iter()
        .find(|(variant, _)| *variant == name)
        .map(|(_, method)| *method)
        .unwrap_or_else(|| panic!("no variant named {name}"))
}
