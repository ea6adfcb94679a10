//! Method call sites: what `#[component]` wraps every method with.
//!
//! A wrapped call opens a span named `Component.method` with the inputs the
//! configuration allows, runs the original body, then records the outcome,
//! the duration and (when asked) the output on the same span. Every method
//! site is also registered as a [`MethodDescriptor`], readable without
//! calling the method (the coverage report reads them).

use std::any::TypeId;
use std::fmt;
use std::mem::ManuallyDrop;
use std::time::Instant;

use tracing::Span;
use tracing::field::Value;

use crate::plan::Input;
use crate::record::capture::{DynCapture, Erased};
use crate::shape::Shape;
use crate::site::{SiteCore, SiteInfo, SiteKind, SitePlan};

/// The fields CACI records on every method span, after the captured ones,
/// named as OpenTelemetry's semantic conventions name them.
///
/// - `outcome`: `"ok"`, `"error"`, `"panic"` or `"cancelled"` (a future
///   dropped before it finished);
/// - `duration_ns`: wall-clock nanoseconds from entry to return, an integer;
/// - `error.type`, on failures only: the error's name, low-cardinality and
///   never its message ([`ErrorType`](crate::ErrorType): an enum's variant
///   such as `BillingError::CardDeclined`, an `io::Error`'s kind, otherwise
///   the type's name), or `panic`;
/// - `otel.status_code`: `"ERROR"` on error or panic (left unset on
///   success), which `tracing-opentelemetry` turns into the span's status;
/// - `otel.status_description`: the error's message (its `Display`), only
///   where the configuration allows error messages (they can carry personal
///   data), scrubbed and cut like any captured string; the span status's
///   description in OpenTelemetry (the deprecated `error.message` is not
///   recorded);
/// - `code.function.name`: the method's fully qualified Rust path, such as
///   `billing::SubscriptionService::initialize_business`;
/// - `code.file.path`, `code.line.number`: where the method is, only with
///   `capture_code_location`.
pub const METHOD_FIELDS: &[&str] = &[
    "outcome",
    "duration_ns",
    "error.type",
    "otel.status_code",
    "otel.status_description",
    "code.function.name",
    "code.file.path",
    "code.line.number",
];
const OUTCOME: usize = 0;
const DURATION: usize = 1;
const FUNCTION: usize = 5;
const FILE: usize = 6;
const LINE: usize = 7;

/// The `error.type` of a call that panicked.
const PANIC_ERROR_TYPE: &str = "panic";

/// What a wrapped method is, known at compile time.
#[derive(Debug)]
pub struct MethodInfo {
    /// The component's name, e.g. `SubscriptionService`.
    pub component: &'static str,
    /// The method's name.
    pub method: &'static str,
    /// The signature as written, e.g. `initialize_business(&self, business: &Business) -> Subscription`.
    pub signature: &'static str,
    /// The inputs' types as written, in order (`&self` excluded).
    pub input_types: &'static [&'static str],
    /// The return type as written (`()` when there is none).
    pub output_type: &'static str,
    /// Whether the method captures its output.
    pub captures_output: bool,
}

/// A wrapped method: its place, what it is, and its cached plan.
pub struct MethodSite {
    core: SiteCore,
    method: MethodInfo,
    shapes: Shapes,
    /// Whether `shapes` were given (`with_shapes`): then a call whose level
    /// is disabled can plan the site from them.
    has_shapes: bool,
}

/// Where the gate's byte is in a method site (see `__private::gate_open!`).
pub(crate) const GATE_BYTE: usize = core::mem::offset_of!(MethodSite, core) + crate::site::GATE_BYTE;

/// The shapes of a site that was given none: nothing captured.
fn no_shapes() -> (Vec<Input>, Option<Shape>) {
    (Vec::new(), None)
}

/// A function giving a method's inputs with their shapes, and its output's
/// shape when captured: what a site is planned from.
pub type Shapes = fn() -> (Vec<Input>, Option<Shape>);

/// A method site as the registry lists it.
#[derive(Clone, Copy)]
pub struct MethodDescriptor {
    site: &'static MethodSite,
    shapes: Shapes,
}

inventory::collect!(MethodDescriptor);

/// The wrapped methods of one `impl` block, registered together: one
/// registration per block rather than one per method (each is a
/// constructor function run at start-up).
pub struct MethodSites {
    descriptors: &'static [MethodDescriptor],
}

impl MethodSites {
    /// Registers `descriptors`.
    pub const fn new(descriptors: &'static [MethodDescriptor]) -> Self {
        MethodSites { descriptors }
    }
}

inventory::collect!(MethodSites);

/// A method of a `#[component]` impl marked `#[caci(skip)]`: not wrapped,
/// registered so the coverage report lists it as skipped.
#[derive(Debug)]
pub struct SkippedMethod {
    /// The component's name.
    pub component: &'static str,
    /// The method's name.
    pub method: &'static str,
    /// The signature as written.
    pub signature: &'static str,
    /// The source file.
    pub file: &'static str,
    /// The line of the method's name.
    pub line: u32,
}

inventory::collect!(SkippedMethod);

impl SkippedMethod {
    /// Every skipped method linked into this program.
    pub fn all() -> impl Iterator<Item = &'static SkippedMethod> {
        inventory::iter::<SkippedMethod>.into_iter()
    }
}

impl MethodDescriptor {
    /// Registers `site`; `shapes` gives its inputs' (and output's) shapes for
    /// one representative instantiation.
    pub const fn new(site: &'static MethodSite, shapes: Shapes) -> Self {
        MethodDescriptor { site, shapes }
    }

    /// Registers `site` with the shapes it was given
    /// ([`MethodSite::with_shapes`]).
    pub const fn of(site: &'static MethodSite) -> Self {
        MethodDescriptor {
            site,
            shapes: site.shapes,
        }
    }

    /// Every wrapped method linked into this program.
    pub fn all() -> impl Iterator<Item = &'static MethodDescriptor> {
        let by_block = inventory::iter::<MethodSites>
            .into_iter()
            .flat_map(|sites| sites.descriptors.iter());
        inventory::iter::<MethodDescriptor>.into_iter().chain(by_block)
    }

    /// What the method is.
    pub fn info(&self) -> &'static MethodInfo {
        &self.site.method
    }

    /// The method's fully qualified path, such as
    /// `billing::SubscriptionService::initialize_business`: its spans'
    /// `code.function.name`.
    pub fn function(&self) -> &'static str {
        self.site.core.function
    }

    /// Where it is, and its span's name and level.
    pub fn site(&self) -> &'static SiteInfo {
        &self.site.core.info
    }

    /// Its inputs with their shapes, and its output's shape when captured.
    /// An input whose type depends on a generic parameter (`T`, `impl
    /// Capture`) has a [`Shape::generic`] shape here: see
    /// [`instantiations`](Self::instantiations).
    pub fn shapes(&self) -> (Vec<Input>, Option<Shape>) {
        (self.shapes)()
    }

    /// For a generic method, the inputs' (and output's) shapes of each
    /// instantiation called so far in this process, in the order they were
    /// first called (at most 16 are kept); empty for other methods.
    pub fn instantiations(&self) -> Vec<(Vec<Input>, Option<Shape>)> {
        self.site
            .core
            .instantiations()
            .into_iter()
            .map(|instantiation| (instantiation.inputs, instantiation.output))
            .collect()
    }
}

impl fmt::Debug for MethodDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodDescriptor")
            .field("info", self.info())
            .field("site", self.site())
            .finish()
    }
}

impl MethodSite {
    /// A method site; `const` so it can be a `static`.
    pub const fn new(info: SiteInfo, method: MethodInfo) -> Self {
        MethodSite {
            core: SiteCore::new(
                info,
                METHOD_FIELDS,
                SiteKind::Span,
                &[],
                Some((method.component, method.method)),
            ),
            method,
            shapes: no_shapes,
            has_shapes: false,
        }
    }

    /// The same site, planned from `shapes`: its inputs with their shapes
    /// and its output's shape (the function its descriptor lists, when it
    /// can name every captured type).
    pub const fn with_shapes(mut self, shapes: Shapes) -> Self {
        self.shapes = shapes;
        self.has_shapes = true;
        self
    }

    /// Starts a call: opens the span with the allowed inputs (`None` for an
    /// input whose type is not capturable), planned from the site's shapes
    /// ([`with_shapes`](Self::with_shapes)) when it must be planned.
    ///
    /// The shapes are a function, the one the method's [`MethodDescriptor`]
    /// holds, so the planning path is compiled once for every method rather
    /// than once per method; [`start_with`](Self::start_with) takes a
    /// closure, for the shapes a nested `fn` cannot name (a generic
    /// method's).
    ///
    /// The caller checks the level first
    /// ([`method_level_enabled`](crate::__private::method_level_enabled),
    /// with the level as a constant: the generated code does), so a disabled
    /// level costs no call.
    ///
    /// Inlined where optimised; in a debug build (`debug_assertions`) it is
    /// an ordinary call, so that the planning and opening code it reaches is
    /// compiled once, in this crate, not again in every crate with a
    /// component (unoptimised code gains nothing from the inlining).
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn start(&'static self, values: &[Option<Erased<'_>>]) -> MethodCall {
        // The shapes are read only when planning: a closure over `self`, not
        // the function pointer loaded on every call.
        let plan = self.core.plan(not_generic(), || (self.shapes)());
        Self::open(plan, values)
    }

    /// [`start`](Self::start) with the shapes from a closure: for a method
    /// whose captured types depend on its instantiation. `instantiation`
    /// tells those apart (see [`instantiation`]); `shapes` is only called
    /// when the site must be planned.
    #[inline]
    pub fn start_with(
        &'static self,
        instantiation: TypeId,
        shapes: impl FnOnce() -> (Vec<Input>, Option<Shape>),
        values: &[Option<Erased<'_>>],
    ) -> MethodCall {
        let plan = self.core.plan(instantiation, shapes);
        Self::open(plan, values)
    }

    #[cfg_attr(not(debug_assertions), inline)]
    fn open(plan: &'static SitePlan, values: &[Option<Erased<'_>>]) -> MethodCall {
        #[cfg(feature = "metrics")]
        let (span, series) = match &plan.metrics {
            Some(metrics) => {
                let mut tap = crate::site::metrics::SeriesTap::new(metrics);
                let span = plan.open_tapped(values.iter().copied(), &mut tap);
                (span, tap.series)
            }
            None => (plan.open(values.iter().copied()), None),
        };
        #[cfg(not(feature = "metrics"))]
        let span = plan.open(values.iter().copied());
        if span.is_disabled() {
            return MethodCall::disabled();
        }
        MethodCall {
            running: Some(Running {
                span,
                plan,
                #[cfg(feature = "metrics")]
                started: (plan.records_duration() || series.is_some()).then(Instant::now),
                #[cfg(not(feature = "metrics"))]
                started: plan.records_duration().then(Instant::now),
                #[cfg(feature = "metrics")]
                series,
            }),
        }
    }

    /// Whether the method's span may be wanted: the site's gate, one load
    /// and one branch, `false` only when no subscriber wants this site's
    /// spans (its level filtered out, or no subscriber at all) once it has
    /// been planned under the configuration in force. A sibling-wrapped
    /// method of a non-generic impl checks it first (on x86-64 its
    /// dispatcher reads the byte itself: `__private::gate_open!`), and its
    /// level in the traced sibling (see
    /// [`level_disabled_call`](Self::level_disabled_call)).
    #[inline(always)]
    pub fn may_be_enabled(&self) -> bool {
        self.core.may_be_enabled()
    }

    /// A call whose level is disabled while the site's gate is open: a
    /// disabled call, after planning the site once from its own shapes, so
    /// that `tracing` tells its callsite whether any subscriber wants it and
    /// the gate closes when none does.
    #[cold]
    #[inline(never)]
    pub fn level_disabled_call(&'static self) -> MethodCall {
        self.level_disabled();
        MethodCall::disabled()
    }

    /// Whether the method's span may be wanted at `level` (the method's):
    /// first the site's gate, one load and one branch, `false` only when no
    /// subscriber wants this site's spans (its level filtered out, or no
    /// subscriber at all) once it has been planned under the configuration
    /// in force; then the level. The generated code checks it before
    /// anything else.
    #[inline(always)]
    pub fn enabled(&'static self, level: tracing::Level) -> bool {
        self.core.may_be_enabled() && self.enabled_past_gate(level)
    }

    /// [`enabled`](Self::enabled) once the gate is known to be open (read
    /// by `__private::gate_open!`): the level.
    #[inline(always)]
    pub fn enabled_past_gate(&'static self, level: tracing::Level) -> bool {
        if crate::__private::method_level_enabled(level) {
            return true;
        }
        self.level_disabled();
        false
    }

    /// A call whose level is disabled while the gate is open: plans the site
    /// once, from its own shapes, so that `tracing` tells its callsite
    /// whether any subscriber wants it, and the gate closes when none does.
    #[cold]
    #[inline(never)]
    fn level_disabled(&'static self) {
        if self.has_shapes && self.core.unplanned() {
            self.core.plan(not_generic(), || (self.shapes)());
        }
    }

    /// What the method is.
    pub fn info(&self) -> &MethodInfo {
        &self.method
    }

    /// The same site, whose failed calls' error values have the shape
    /// `shape` gives: their fields are captured under `error.` (`error.code`)
    /// where the configuration allows them.
    pub const fn with_error_shape(mut self, shape: fn() -> Shape) -> Self {
        self.core.error_shape = Some(shape);
        self
    }

    /// The same site, whose spans' `code.function.name` is `function` (the
    /// method's fully qualified path); without it, spans have none.
    pub const fn with_function(mut self, function: &'static str) -> Self {
        self.core.function = function;
        self
    }

    /// A method site whose span declares `late` (empty) for `record!` to
    /// fill once it has opened.
    pub const fn with_late_fields(info: SiteInfo, method: MethodInfo, late: &'static [&'static str]) -> Self {
        MethodSite {
            core: SiteCore::new(
                info,
                METHOD_FIELDS,
                SiteKind::Span,
                late,
                Some((method.component, method.method)),
            ),
            method,
            shapes: no_shapes,
            has_shapes: false,
        }
    }
}

/// A call under way. Finish it with [`finish_ok`](Self::finish_ok) or
/// [`finish_err`](Self::finish_err); dropped unfinished it records `panic`
/// (while unwinding) or `cancelled`.
///
/// A disabled call is `None` (one store), and the generated code only
/// builds one when a method is wrapped in place; siblings skip it
/// altogether when the level is disabled.
pub struct MethodCall {
    running: Option<Running>,
}

struct Running {
    span: Span,
    plan: &'static SitePlan,
    /// The call's metric series, when the configuration asks for metrics.
    #[cfg(feature = "metrics")]
    series: Option<&'static crate::site::metrics::Series>,
    /// When the call started, when its duration is recorded or timed.
    started: Option<Instant>,
}

/// How a call ended, as recorded in `outcome`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Error,
    Panic,
    Cancelled,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::Panic => "panic",
            Outcome::Cancelled => "cancelled",
        }
    }
}

/// The span of every disabled call.
static DISABLED: Span = Span::none();

impl MethodCall {
    /// A call that records nothing (its level is disabled).
    #[inline]
    pub fn disabled() -> Self {
        MethodCall { running: None }
    }

    /// The call's span (disabled when nothing listens).
    #[inline]
    pub fn span(&self) -> &Span {
        match &self.running {
            Some(running) => &running.span,
            None => &DISABLED,
        }
    }

    /// Enters the call's span until the guard is dropped (for sync code: a
    /// guard must not be held across an `.await`).
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn enter(&self) -> Option<tracing::span::Entered<'_>> {
        self.running.as_ref().map(|running| running.span.enter())
    }

    /// Runs `body` inside the call's span; a disabled call just runs it.
    #[inline]
    pub fn in_scope<R>(&self, body: impl FnOnce() -> R) -> R {
        match &self.running {
            Some(running) => running.span.in_scope(body),
            None => body(),
        }
    }

    /// The call returned normally; `output` is the value to capture under
    /// `return`, if the method captures its output and the value's type is
    /// capturable.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn finish_ok(self, output: Option<&dyn DynCapture>) {
        if let Some(running) = self.into_running() {
            running.finish_ok(output);
        }
    }

    /// The call returned an error named `error_type` (see
    /// [`ErrorType`](crate::ErrorType)); `message` is recorded, as
    /// `otel.status_description`, only where the configuration allows error
    /// messages.
    #[inline]
    pub fn finish_err(self, error_type: &'static str, message: Option<&dyn fmt::Display>) {
        self.finish_err_with(error_type, message, None);
    }

    /// [`finish_err`](Self::finish_err), with the error value itself (when
    /// its type is capturable): its allowed fields are recorded under
    /// `error.`.
    #[cfg_attr(not(debug_assertions), inline)]
    pub fn finish_err_with(
        self,
        error_type: &'static str,
        message: Option<&dyn fmt::Display>,
        error: Option<&dyn DynCapture>,
    ) {
        if let Some(running) = self.into_running() {
            running.finish_failed(Outcome::Error, Some((error_type, message)), error);
        }
    }

    /// The running state, taken without running `Drop` (which would record
    /// `cancelled`).
    #[inline]
    fn into_running(self) -> Option<Running> {
        ManuallyDrop::new(self).running.take()
    }
}

impl Drop for MethodCall {
    #[cfg_attr(not(debug_assertions), inline)]
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            if std::thread::panicking() {
                running.finish_failed(Outcome::Panic, None, None);
            } else {
                running.finish_cancelled();
            }
        }
    }
}

/// Tells apart the instantiations of a generic method: `G` lists the type
/// parameters in scope (as a tuple of `*const T`), `values` the captured
/// arguments (their types, `impl Trait` ones included).
///
/// It is the identity of those types (`TypeId`, lifetimes erased), never
/// their names: two types that share a name (two block-local `struct
/// Payload`s, two versions of one crate) are two instantiations.
#[inline]
pub fn instantiation<G: ?Sized, V: ?Sized>(values: &V) -> TypeId {
    let _ = values;
    typeid::of::<(*const G, *const V)>()
}

/// The instantiation of a method that is not generic.
#[inline]
pub fn not_generic() -> TypeId {
    crate::site::not_generic_key()
}

/// Runs `future` inside the call's span (entered on every poll, never held
/// across an `.await`), then `finish`es the call with the output.
///
/// The call records `cancelled` when the future is dropped before it
/// completes, and `panic` when a poll panics.
pub async fn instrument_future<F: Future>(
    call: MethodCall,
    future: F,
    finish: impl FnOnce(MethodCall, &F::Output),
) -> F::Output {
    let span = call.span().clone();
    let output = tracing::Instrument::instrument(future, span).await;
    finish(call, &output);
    output
}

impl Running {
    #[inline]
    /// Nanoseconds since the start, or 0 when the call is not timed.
    fn elapsed_nanos(&self) -> i64 {
        self.started.map_or(0, |started| {
            i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX)
        })
    }

    /// `duration_ns` as recorded: absent when the configuration leaves it out.
    fn duration<'n>(&self, nanos: &'n i64) -> Option<&'n dyn Value> {
        self.plan.records_duration().then_some(nanos as &dyn Value)
    }

    fn finish_ok(self, output: Option<&dyn DynCapture>) {
        let nanos = self.elapsed_nanos();
        #[cfg(feature = "metrics")]
        if let Some(series) = self.series {
            series.ok(nanos);
        }
        match output {
            Some(output) if self.plan.plan.output.is_some() => {
                self.record_with_output(output, Outcome::Ok, nanos);
            }
            // The common case: two fields, as a hand-written `record_all!`.
            _ => self.record_two(Outcome::Ok, nanos),
        }
    }

    fn finish_cancelled(self) {
        let nanos = self.elapsed_nanos();
        #[cfg(feature = "metrics")]
        if let Some(series) = self.series {
            series.ended(Outcome::Cancelled.as_str(), None, nanos);
        }
        self.record_two(Outcome::Cancelled, nanos);
    }

    /// The common end: outcome, duration and the function's name (and its
    /// place, when the configuration asks), as a hand-written `record_all!`.
    fn record_two(&self, outcome: Outcome, nanos: i64) {
        let plan = self.plan;
        let outcome = outcome.as_str();
        let function = plan.function_name();
        let function = (!function.is_empty()).then_some(&function as &dyn Value);
        let Some(fixed) = plan.fixed_fields::<{ METHOD_FIELDS.len() }>() else {
            return;
        };
        let field = |index: usize| &fixed[index];
        if plan.captures_code_location() {
            let (file, line) = self.location();
            let values: [(&tracing::field::Field, Option<&dyn Value>); 5] = [
                (field(OUTCOME), Some(&outcome)),
                (field(DURATION), self.duration(&nanos)),
                (field(FUNCTION), function),
                (field(FILE), Some(&file)),
                (field(LINE), Some(&line)),
            ];
            self.span.record_all(&plan.metadata().fields().value_set(&values));
        } else {
            let values: [(&tracing::field::Field, Option<&dyn Value>); 3] = [
                (field(OUTCOME), Some(&outcome)),
                (field(DURATION), self.duration(&nanos)),
                (field(FUNCTION), function),
            ];
            self.span.record_all(&plan.metadata().fields().value_set(&values));
        }
    }

    /// The method's file and line, as `code.file.path` and `code.line.number`.
    fn location(&self) -> (&'static str, i64) {
        let info = self.plan.site_info();
        (info.file, i64::from(info.line))
    }

    fn record_with_output(&self, output: &dyn DynCapture, outcome: Outcome, nanos: i64) {
        let outcome = outcome.as_str();
        let function = self.plan.function_name();
        let (file, line) = self.location();
        let mut fixed: [Option<&dyn Value>; METHOD_FIELDS.len()] = [None; METHOD_FIELDS.len()];
        fixed[OUTCOME] = Some(&outcome);
        fixed[DURATION] = self.duration(&nanos);
        fixed[FUNCTION] = (!function.is_empty()).then_some(&function as &dyn Value);
        if self.plan.captures_code_location() {
            fixed[FILE] = Some(&file);
            fixed[LINE] = Some(&line);
        }
        self.plan.record_output(&self.span, output, &fixed);
    }

    /// An error or a panic: the fixed fields, with the error's type and
    /// (where allowed) message, and the OpenTelemetry error status.
    #[cold]
    fn finish_failed(
        self,
        outcome: Outcome,
        error: Option<(&'static str, Option<&dyn fmt::Display>)>,
        value: Option<&dyn DynCapture>,
    ) {
        let nanos = self.elapsed_nanos();
        let plan = self.plan;
        let (error_type, message) = match error {
            Some((error_type, message)) => (error_type, message.filter(|_| plan.captures_error_messages())),
            None => (PANIC_ERROR_TYPE, None),
        };
        #[cfg(feature = "metrics")]
        if let Some(series) = self.series {
            match error {
                Some(_) => series.error(error_type, nanos),
                None => series.ended(outcome.as_str(), Some(error_type), nanos),
            }
        }
        let message = message.map(|message| plan.error_message(message));
        let message = message.as_deref();
        let outcome = outcome.as_str();
        let status = "ERROR";
        let function = plan.function_name();
        let location = plan.captures_code_location().then(|| self.location());
        let (file, line) = location.unzip();
        // In `METHOD_FIELDS` order.
        let fixed: [Option<&dyn Value>; METHOD_FIELDS.len()] = [
            Some(&outcome),
            self.duration(&nanos),
            Some(&error_type),
            Some(&status),
            message.as_ref().map(|value| value as &dyn Value),
            (!function.is_empty()).then_some(&function as &dyn Value),
            file.as_ref().map(|value| value as &dyn Value),
            line.as_ref().map(|value| value as &dyn Value),
        ];
        if let (Some(value), Some(_)) = (value, &plan.plan.error) {
            plan.record_error(&self.span, value, &fixed);
            return;
        }
        let Some(fields) = plan.fixed_fields::<{ METHOD_FIELDS.len() }>() else {
            return;
        };
        let values: [(&tracing::field::Field, Option<&dyn Value>); METHOD_FIELDS.len()] =
            std::array::from_fn(|index| (&fields[index], fixed[index]));
        self.span.record_all(&plan.metadata().fields().value_set(&values));
    }
}
