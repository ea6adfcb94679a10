//! What `#[component]` and `#[instrument_fn]` record into real spans, for
//! every method shape they accept, captured with `caci-testkit`.

use std::pin::Pin;
use std::sync::Arc;

use caci_core::{
    Capture, Kind, MethodDescriptor, ShapeBody, Telemetry, TelemetryCaptureConfiguration, component, instrument_fn,
};
use caci_testkit::{Captured, FieldValue};

#[derive(Clone, Copy, Debug, PartialEq, Telemetry)]
enum Plan {
    Starter,
    Pro,
}

#[derive(Clone, Debug, PartialEq, Telemetry)]
struct Subscription {
    plan: Plan,
    seats: u32,
}

/// Does not implement `Capture`.
#[derive(Clone, Debug, PartialEq)]
struct Opaque(u32);

#[derive(Debug, PartialEq)]
struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("card declined for owner@example.com")
    }
}

fn everything() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_kinds([
            Kind::Bool,
            Kind::SignedInteger,
            Kind::UnsignedInteger,
            Kind::String,
            Kind::Enum,
        ])
        .build()
        .expect("valid configuration")
}

fn capture<R>(body: impl FnOnce() -> R) -> (R, Captured) {
    caci_testkit::capture(&everything(), body)
}

#[derive(Default)]
struct Service {
    seats: u32,
}

#[component]
impl Service {
    fn new(seats: u32) -> Self {
        Service { seats }
    }

    fn by_ref(&self, plan: Plan, flag: bool) -> u32 {
        let _ = plan;
        if flag { self.seats } else { 0 }
    }

    fn by_mut(&mut self, added: u32) -> &mut u32 {
        self.seats += added;
        &mut self.seats
    }

    fn by_value(self, name: &str) -> String {
        format!("{name}:{}", self.seats)
    }

    fn by_arc(self: Arc<Self>, times: u32) -> u32 {
        self.seats * times
    }

    fn by_pin(self: Pin<&mut Self>, seats: u32) {
        self.get_mut().seats = seats;
    }

    fn opaque_input(&self, opaque: Opaque, count: u32) -> u32 {
        opaque.0 + count
    }

    #[allow(clippy::toplevel_ref_arg)] // `ref` parameters are one of the shapes under test
    fn patterns(&self, (low, high): (u32, u32), Opaque(inner): Opaque, mut counter: u32, ref label: String) -> u32 {
        counter += 1;
        low + high + inner + counter + label.len() as u32
    }

    fn early(&self, count: u32) -> Result<u32, Declined> {
        if count == 0 {
            return Err(Declined);
        }
        let parsed: u32 = "7".parse().map_err(|_| Declined)?;
        Ok(parsed + count)
    }

    fn parse(&self, text: &str) -> Result<u32, std::num::ParseIntError> {
        let value: u32 = text.parse()?;
        Ok(value)
    }

    fn panics(&self, plan: Plan) -> u32 {
        if plan == Plan::Pro {
            panic!("boom");
        }
        1
    }

    fn same_self(&self, other: Self) -> Self {
        Service {
            seats: self.seats + other.seats,
        }
    }

    fn each(&self, items: impl IntoIterator<Item = u32>) -> impl Iterator<Item = u32> {
        items.into_iter().map(|item| item * 2).collect::<Vec<_>>().into_iter()
    }

    fn lifetimes<'a, 'b>(&'a self, first: &'a str, second: &'b str) -> &'a str
    where
        'b: 'a,
    {
        if self.seats > 0 { first } else { second }
    }

    #[caci(capture_output)]
    fn subscribe(&self, plan: Plan) -> Subscription {
        Subscription {
            plan,
            seats: self.seats,
        }
    }

    #[caci(capture_output)]
    fn try_subscribe(&self, plan: Plan) -> Result<Subscription, Declined> {
        if plan == Plan::Starter {
            Err(Declined)
        } else {
            Ok(Subscription { plan, seats: 1 })
        }
    }

    #[caci(capture_output)]
    fn maybe(&self, found: bool) -> Option<u32> {
        found.then_some(3)
    }

    #[caci(name = "renamed", level = "debug", skip_input = "secret_code", skip_inputs(other))]
    fn options(&self, secret_code: u32, other: u32, kept: u32) -> u32 {
        secret_code + other + kept
    }

    #[caci(skip)]
    fn skipped(&self) -> u32 {
        self.seats
    }

    const fn constant(seats: u32) -> u32 {
        seats * 2
    }

    #[allow(unsafe_code)]
    unsafe fn raw(&self, offset: usize) -> u8 {
        let bytes = [1u8, 2, 3];
        // SAFETY: callers pass an offset below 3.
        unsafe { *bytes.as_ptr().add(offset) }
    }
}

#[test]
fn a_shared_receiver_is_not_captured_and_inputs_are() {
    let service = Service::new(4);
    let (seats, captured) = capture(|| service.by_ref(Plan::Pro, true));
    assert_eq!(seats, 4);
    captured
        .span("Service.by_ref")
        .assert_field("plan", "Pro")
        .assert_field("flag", true)
        .assert_field("outcome", "ok")
        .assert_field("code.function.name", "component::Service::by_ref")
        .assert_fields_exactly(&["plan", "flag", "outcome", "duration_ns", "code.function.name"]);
    assert!(captured.span("Service.by_ref").closed);
}

#[test]
fn associated_functions_without_receiver_are_wrapped() {
    let (service, captured) = capture(|| Service::new(9));
    assert_eq!(service.seats, 9);
    captured
        .span("Service.new")
        .assert_field("seats", 9)
        .assert_field("outcome", "ok");
}

#[test]
fn a_mutable_receiver_can_return_a_borrow_of_self() {
    let mut service = Service::new(1);
    let ((), captured) = capture(|| {
        *service.by_mut(2) += 10;
    });
    assert_eq!(service.seats, 13);
    captured.span("Service.by_mut").assert_field("added", 2);
}

#[test]
fn receivers_by_value_arc_and_pin() {
    let (text, captured) = capture(|| Service::new(2).by_value("seats"));
    assert_eq!(text, "seats:2");
    captured.span("Service.by_value").assert_field("name", "seats");

    let (product, captured) = capture(|| Arc::new(Service::new(3)).by_arc(5));
    assert_eq!(product, 15);
    captured.span("Service.by_arc").assert_field("times", 5);

    let mut service = Service::new(0);
    let ((), captured) = capture(|| Pin::new(&mut service).by_pin(8));
    assert_eq!(service.seats, 8);
    captured.span("Service.by_pin").assert_field("seats", 8);
}

#[test]
fn inputs_of_types_that_are_not_capturable_are_left_out() {
    let (sum, captured) = capture(|| Service::new(0).opaque_input(Opaque(1), 2));
    assert_eq!(sum, 3);
    captured
        .span("Service.opaque_input")
        .assert_no_field("opaque")
        .assert_field("count", 2);
}

#[test]
fn pattern_parameters_are_captured_whole_under_their_position() {
    let (sum, captured) = capture(|| Service::new(0).patterns((1, 2), Opaque(3), 4, "ab".to_owned()));
    assert_eq!(sum, 1 + 2 + 3 + 5 + 2);
    captured
        .span("Service.patterns")
        .assert_no_field("arg0") // a tuple is not capturable
        .assert_no_field("arg1")
        .assert_field("counter", 4)
        .assert_field("label", "ab");
}

#[test]
fn early_return_and_question_mark_keep_their_values() {
    let service = Service::new(0);
    let (results, captured) = capture(|| {
        (
            service.early(0),
            service.early(1),
            service.parse("x"),
            service.parse("5"),
        )
    });
    assert_eq!(results.0, Err(Declined));
    assert_eq!(results.1, Ok(8));
    assert!(results.2.is_err());
    assert_eq!(results.3, Ok(5));
    let early: Vec<_> = captured.spans_named("Service.early").collect();
    assert_eq!(early[0].field("outcome"), Some(&FieldValue::Str("error".into())));
    assert_eq!(early[1].field("outcome"), Some(&FieldValue::Str("ok".into())));
    let parse: Vec<_> = captured.spans_named("Service.parse").collect();
    parse[0]
        .assert_field("outcome", "error")
        .assert_field("error.type", std::any::type_name::<std::num::ParseIntError>());
    parse[1].assert_field("outcome", "ok").assert_no_field("error.type");
}

#[test]
fn errors_record_their_type_and_status_but_no_message_by_default() {
    let (result, captured) = capture(|| Service::new(0).early(0));
    assert!(result.is_err());
    let span = captured.span("Service.early");
    span.assert_field("outcome", "error")
        .assert_field("error.type", std::any::type_name::<Declined>())
        .assert_field("otel.status_code", "ERROR")
        .assert_no_field("otel.status_description")
        .assert_no_field("error.message");

    let with_messages = TelemetryCaptureConfiguration::builder()
        .capture_error_messages(true)
        .build()
        .expect("valid configuration");
    let (_, captured) = caci_testkit::capture(&with_messages, || Service::new(0).early(0));
    captured
        .span("Service.early")
        .assert_field("otel.status_description", "[redacted: email]")
        .assert_no_field("error.message");
    let unscrubbed = TelemetryCaptureConfiguration::builder()
        .capture_error_messages(true)
        .scrub_values(false)
        .build()
        .expect("valid configuration");
    let (_, captured) = caci_testkit::capture(&unscrubbed, || Service::new(0).early(0));
    captured
        .span("Service.early")
        .assert_field("otel.status_description", "card declined for owner@example.com");
}

#[test]
fn a_panic_propagates_and_is_recorded() {
    let service = Service::new(0);
    let (unwound, captured) = capture(|| std::panic::catch_unwind(|| service.panics(Plan::Pro)));
    assert!(unwound.is_err());
    captured
        .span("Service.panics")
        .assert_field("plan", "Pro")
        .assert_field("outcome", "panic")
        .assert_field("otel.status_code", "ERROR");
}

#[test]
fn self_in_the_signature() {
    let (merged, captured) = capture(|| Service::new(1).same_self(Service::new(2)));
    assert_eq!(merged.seats, 3);
    captured
        .span("Service.same_self")
        .assert_no_field("other")
        .assert_field("outcome", "ok");
}

#[test]
fn impl_trait_arguments_and_return_types() {
    let (doubled, captured) = capture(|| Service::new(0).each([1, 2]).collect::<Vec<_>>());
    assert_eq!(doubled, [2, 4]);
    captured
        .span("Service.each")
        .assert_no_field("items")
        .assert_field("outcome", "ok");
}

#[test]
fn lifetimes_and_where_clauses() {
    let service = Service::new(1);
    let (chosen, captured) = capture(|| service.lifetimes("first", "second"));
    assert_eq!(chosen, "first");
    captured
        .span("Service.lifetimes")
        .assert_field("first", "first")
        .assert_field("second", "second");
}

#[test]
fn outputs_are_captured_under_return_when_asked() {
    let service = Service::new(2);
    let (_, captured) = capture(|| service.subscribe(Plan::Pro));
    captured
        .span("Service.subscribe")
        .assert_field("return.plan", "Pro")
        .assert_field("return.seats", 2);

    let (_, captured) = capture(|| (service.try_subscribe(Plan::Pro), service.try_subscribe(Plan::Starter)));
    let spans: Vec<_> = captured.spans_named("Service.try_subscribe").collect();
    spans[0]
        .assert_field("return.plan", "Pro")
        .assert_field("outcome", "ok");
    spans[1].assert_no_field("return.plan").assert_field("outcome", "error");

    let (_, captured) = capture(|| (service.maybe(true), service.maybe(false)));
    let spans: Vec<_> = captured.spans_named("Service.maybe").collect();
    spans[0].assert_field("return", 3);
    spans[1].assert_no_field("return");

    let (_, captured) = capture(|| service.by_ref(Plan::Pro, true));
    captured.span("Service.by_ref").assert_no_field("return");
}

#[test]
fn method_options_rename_relevel_and_skip_inputs() {
    let (_, captured) = capture(|| Service::new(0).options(1, 2, 3));
    let span = captured.span("Service.renamed");
    assert_eq!(span.level, tracing::Level::DEBUG);
    span.assert_field("kept", 3)
        .assert_no_field("secret_code")
        .assert_no_field("other");
    let descriptor = descriptor("Service", "renamed");
    assert_eq!(descriptor.site().inputs, ["kept"]);
    assert_eq!(descriptor.info().input_types, ["u32"]);
}

#[test]
fn skipped_and_const_methods_are_left_as_written() {
    const DOUBLED: u32 = Service::constant(4);
    assert_eq!(DOUBLED, 8);
    let (seats, captured) = capture(|| Service::new(5).skipped() + Service::constant(1));
    assert_eq!(seats, 7);
    assert_eq!(captured.spans_named("Service.skipped").count(), 0);
    assert_eq!(captured.spans_named("Service.constant").count(), 0);
    assert!(MethodDescriptor::all().all(|descriptor| descriptor.info().method != "skipped"));
}

#[test]
#[allow(unsafe_code)]
fn unsafe_methods_keep_their_contract() {
    // SAFETY: 1 is below 3.
    let (byte, captured) = capture(|| unsafe { Service::new(0).raw(1) });
    assert_eq!(byte, 2);
    captured.span("Service.raw").assert_field("offset", 1);
    assert_eq!(
        descriptor("Service", "raw").info().signature,
        "unsafe raw(&self, offset: usize) -> u8"
    );
}

#[test]
fn duration_is_an_integer() {
    let (_, captured) = capture(|| Service::new(0).by_ref(Plan::Starter, false));
    assert!(matches!(
        captured.span("Service.by_ref").field("duration_ns"),
        Some(FieldValue::I64(nanos)) if *nanos >= 0
    ));
}

fn descriptor(component: &str, method: &str) -> &'static MethodDescriptor {
    MethodDescriptor::all()
        .find(|descriptor| descriptor.info().component == component && descriptor.info().method == method)
        .unwrap_or_else(|| panic!("no descriptor for {component}.{method}"))
}

#[test]
fn descriptors_describe_methods_without_calling_them() {
    let by_ref = descriptor("Service", "by_ref");
    assert_eq!(by_ref.info().signature, "by_ref(&self, plan: Plan, flag: bool) -> u32");
    assert_eq!(by_ref.info().input_types, ["Plan", "bool"]);
    assert_eq!(by_ref.info().output_type, "u32");
    assert!(!by_ref.info().captures_output);
    assert_eq!(by_ref.site().name, "Service.by_ref");
    assert_eq!(by_ref.site().target, module_path!());
    assert_eq!(by_ref.site().inputs, ["plan", "flag"]);
    let (inputs, output) = by_ref.shapes();
    assert_eq!(inputs[0].shape.kind(), Kind::Enum);
    assert_eq!(inputs[1].shape.kind(), Kind::Bool);
    assert!(output.is_none());

    let opaque = descriptor("Service", "opaque_input");
    let (inputs, _) = opaque.shapes();
    assert_eq!(inputs[0].name, "opaque");
    assert_eq!(inputs[0].shape.kind(), Kind::Opaque);

    let subscribe = descriptor("Service", "try_subscribe");
    assert!(subscribe.info().captures_output);
    let (_, output) = subscribe.shapes();
    let output = output.expect("the output is captured");
    assert!(
        matches!(output.body, ShapeBody::Struct(_)),
        "the Ok type's shape: {output:?}"
    );

    let patterns = descriptor("Service", "patterns");
    assert_eq!(
        patterns.info().signature,
        "patterns(&self, (low, high): (u32, u32), Opaque(inner): Opaque, mut counter: u32, ref label: String) -> u32"
    );
    assert_eq!(patterns.site().inputs, ["arg0", "arg1", "counter", "label"]);

    let same = descriptor("Service", "same_self");
    let (inputs, _) = same.shapes();
    assert_eq!(inputs[0].shape.type_name, std::any::type_name::<Service>());

    let lifetimes = descriptor("Service", "lifetimes");
    assert_eq!(lifetimes.shapes().0[0].shape.kind(), Kind::String);
    assert!(
        lifetimes.site().line > by_ref.site().line,
        "each site is on its method's line"
    );
    assert_eq!(lifetimes.site().file, file!());
}

// ---- generics ----

struct Store<T> {
    items: Vec<T>,
}

/// The wrapper sees a parameter's bounds, not its instantiation: inputs of
/// type `T` are captured when `T: Capture`.
#[component]
impl<T: Clone + Capture> Store<T> {
    fn push(&mut self, item: T) -> usize {
        self.items.push(item);
        self.items.len()
    }

    fn convert<U: From<T> + Capture>(&self, index: usize, fallback: U) -> U {
        self.items.get(index).cloned().map_or(fallback, U::from)
    }
}

/// Without the bound, `T` inputs are never captured.
struct Bag<T>(Vec<T>);

#[component]
impl<T> Bag<T> {
    fn put(&mut self, item: T, count: u32) {
        self.0.push(item);
        let _ = count;
    }
}

#[test]
fn each_instantiation_of_a_generic_method_has_its_own_plan() {
    let mut numbers = Store { items: Vec::new() };
    let mut names = Store { items: Vec::new() };
    let ((), captured) = capture(|| {
        numbers.push(7u32);
        names.push("ada".to_owned());
        numbers.push(8u32);
    });
    let pushes: Vec<_> = captured.spans_named("Store.push").collect();
    assert_eq!(pushes.len(), 3);
    pushes[0].assert_field("item", 7);
    pushes[1].assert_field("item", "ada");
    pushes[2].assert_field("item", 8);

    let (converted, captured) = capture(|| (numbers.convert(0, 0u64), numbers.convert::<i64>(9, -1)));
    assert_eq!(converted, (7, -1));
    let converts: Vec<_> = captured.spans_named("Store.convert").collect();
    converts[0].assert_field("fallback", 0).assert_field("index", 0);
    converts[1].assert_field("fallback", -1).assert_field("index", 9);

    let push = descriptor("Store", "push");
    assert_eq!(push.info().input_types, ["T"]);
    assert_eq!(push.shapes().0[0].shape.kind(), Kind::Opaque);
    assert_eq!(push.shapes().0[0].shape.type_name, "T");
}

#[test]
fn unbounded_type_parameters_are_not_captured() {
    let mut bag = Bag(Vec::new());
    let ((), captured) = capture(|| bag.put(5u32, 1));
    captured
        .span("Bag.put")
        .assert_no_field("item")
        .assert_field("count", 1);
}

// ---- traits ----

trait Greeter {
    fn greet(&self, name: &str) -> String;
    fn shout(&self, name: &str) -> String {
        name.to_uppercase()
    }
}

#[component(name = "Greetings", level = "warn", target = "greetings", capture_output)]
impl Greeter for Service {
    fn greet(&self, name: &str) -> String {
        format!("hello {name}")
    }
}

#[test]
fn trait_impls_with_component_options() {
    let service = Service::new(0);
    let ((greeting, shout), captured) = capture(|| (service.greet("ada"), service.shout("ada")));
    assert_eq!((greeting.as_str(), shout.as_str()), ("hello ada", "ADA"));
    let span = captured.span("Greetings.greet");
    assert_eq!(span.level, tracing::Level::WARN);
    assert_eq!(span.target, "greetings");
    span.assert_field("name", "ada").assert_field("return", "hello ada");
    assert_eq!(captured.spans().len(), 1, "default trait methods are not wrapped");
}

// ---- free functions ----

#[instrument_fn(component = "Billing", capture_output)]
fn charge(plan: Plan, cents: i64) -> Result<i64, Declined> {
    let _ = plan;
    if cents < 0 { Err(Declined) } else { Ok(cents * 2) }
}

#[instrument_fn(skip_inputs(card))]
fn standalone(card: &str, attempt: u8) -> u8 {
    attempt + card.len() as u8
}

#[test]
fn free_functions() {
    let (charged, captured) = capture(|| charge(Plan::Pro, 21));
    assert_eq!(charged, Ok(42));
    captured
        .span("Billing.charge")
        .assert_field("plan", "Pro")
        .assert_field("cents", 21)
        .assert_field("return", 42);

    let (_, captured) = capture(|| standalone("4242", 1));
    captured
        .span("standalone")
        .assert_field("attempt", 1)
        .assert_no_field("card");
    let descriptor = MethodDescriptor::all()
        .find(|descriptor| descriptor.site().name == "standalone")
        .expect("registered");
    assert_eq!(descriptor.info().component, module_path!());
}

// ---- more shapes ----

/// An alias not spelled `Result`: outcomes follow the type, not its name.
type Fallible<T> = Result<T, Declined>;

struct Edges;

#[component]
impl Edges {
    fn diverges(&self, code: u32) -> ! {
        panic!("exit {code}")
    }

    fn r#type(&self, r#match: u32) -> Fallible<u32> {
        if r#match == 0 { Err(Declined) } else { Ok(r#match) }
    }

    fn io(&self, path: &str) -> std::io::Result<usize> {
        if path.is_empty() {
            return Err(std::io::Error::other("empty path"));
        }
        Ok(path.len())
    }

    extern "C" fn ffi(&self, value: i32) -> i32 {
        value + 1
    }

    fn generic_impl_trait<T: Capture>(&self, value: T, extra: impl Capture) -> T {
        let _ = extra;
        value
    }
}

#[test]
fn diverging_methods_record_a_panic() {
    let (unwound, captured) = capture(|| std::panic::catch_unwind(|| Edges.diverges(3)));
    assert!(unwound.is_err());
    captured
        .span("Edges.diverges")
        .assert_field("code", 3)
        .assert_field("outcome", "panic");
}

#[test]
fn raw_identifiers_are_captured_without_their_prefix() {
    let (result, captured) = capture(|| (Edges.r#type(0), Edges.r#type(2)));
    assert_eq!(result, (Err(Declined), Ok(2)));
    let spans: Vec<_> = captured.spans_named("Edges.type").collect();
    spans[0].assert_field("match", 0).assert_field("outcome", "error");
    spans[1].assert_field("match", 2).assert_field("outcome", "ok");
}

#[test]
fn results_through_aliases_and_other_abis() {
    let (result, captured) = capture(|| (Edges.io(""), Edges.ffi(1)));
    assert!(result.0.is_err());
    assert_eq!(result.1, 2);
    captured
        .span("Edges.io")
        .assert_field("outcome", "error")
        // An `io::Error` is named by its kind.
        .assert_field("error.type", "std::io::ErrorKind::Other");
    captured.span("Edges.ffi").assert_field("value", 1);
}

#[test]
fn impl_trait_arguments_tell_instantiations_apart() {
    let (_, captured) = capture(|| {
        Edges.generic_impl_trait(1u8, true);
        Edges.generic_impl_trait(1u8, "text");
    });
    let spans: Vec<_> = captured.spans_named("Edges.generic_impl_trait").collect();
    spans[0].assert_field("value", 1).assert_field("extra", true);
    spans[1].assert_field("value", 1).assert_field("extra", "text");
}

struct Wrapper<T>(T);

#[component]
impl<T: Capture + Clone> Greeter for Wrapper<T> {
    fn greet(&self, name: &str) -> String {
        let _copy: Self = Wrapper(self.0.clone());
        format!("hi {name}")
    }
}

#[test]
fn generic_trait_impls() {
    let (greeting, captured) = capture(|| Wrapper(1u8).greet("bo"));
    assert_eq!(greeting, "hi bo");
    captured.span("Wrapper.greet").assert_field("name", "bo");
}

#[test]
fn components_declared_inside_a_function() {
    #[derive(Telemetry)]
    struct Local {
        seats: u32,
    }

    struct LocalService;

    #[component]
    impl LocalService {
        fn take(&self, local: Local, same: Self) -> u32 {
            let _ = same;
            local.seats
        }
    }

    let (seats, captured) = capture(|| LocalService.take(Local { seats: 4 }, LocalService));
    assert_eq!(seats, 4);
    captured.span("LocalService.take").assert_field("local.seats", 4);
    let (inputs, _) = descriptor("LocalService", "take").shapes();
    assert_eq!(inputs[0].shape.kind(), Kind::Struct);
}

struct Shapes;

#[component]
impl Shapes {
    /// `T` appears only in the return type: the sibling call names it.
    fn make<T: Default + Capture>(&self, label: &str) -> T {
        let _ = label;
        T::default()
    }

    /// A const generic and `mut` bindings, by value and in a pattern.
    fn window<const N: usize>(&self, mut start: u32, (mut low, high): (u32, u32)) -> [u32; N] {
        low += 1;
        start += low + high;
        [start; N]
    }

    /// A type parameter beside an early-bound lifetime: the sibling call
    /// names the type and leaves the lifetime to inference.
    fn pick<'a, T>(&self, items: &'a [T], index: usize) -> &'a T
    where
        T: Capture + 'a,
    {
        &items[index]
    }

    #[cfg(any())]
    fn compiled_out(&self, never: u32) -> u32 {
        never
    }

    fn consume(mut self, extra: u32) -> u32 {
        self = Shapes;
        let _ = self;
        extra
    }
}

#[test]
fn a_blocks_sites_are_registered_together_without_the_compiled_out_ones() {
    // `Shapes` is a non-generic inherent impl: one registration for its block.
    let methods: Vec<&str> = MethodDescriptor::all()
        .filter(|descriptor| descriptor.info().component == "Shapes")
        .map(|descriptor| descriptor.info().method)
        .collect();
    assert!(methods.contains(&"consume") && methods.contains(&"pick"), "{methods:?}");
    assert!(!methods.contains(&"compiled_out"), "{methods:?}");
    let mut unique = methods.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), methods.len(), "each method once: {methods:?}");
}

#[test]
fn generic_parameters_only_in_the_return_type_and_const_generics() {
    let (made, captured) = capture(|| Shapes.make::<u64>("zero"));
    assert_eq!(made, 0);
    captured.span("Shapes.make").assert_field("label", "zero");

    let (window, captured) = capture(|| Shapes.window::<3>(1, (2, 3)));
    assert_eq!(window, [7, 7, 7]);
    captured
        .span("Shapes.window")
        .assert_field("start", 1)
        .assert_field("outcome", "ok");

    let items = [10_u32, 20, 30];
    let (picked, captured) = capture(|| *Shapes.pick(&items, 2));
    assert_eq!(picked, 30);
    captured.span("Shapes.pick").assert_field("index", 2);

    let (extra, captured) = capture(|| Shapes.consume(4));
    assert_eq!(extra, 4);
    captured.span("Shapes.consume").assert_field("extra", 4);
}

#[test]
fn without_a_subscriber_bodies_run_unchanged() {
    // A fresh thread has no subscriber: every wrapper takes its disabled
    // path (or finds its callsite disabled) and runs the body as written.
    let results = std::thread::spawn(|| {
        (
            Service::new(3).by_ref(Plan::Pro, true),
            Shapes.window::<2>(0, (0, 0)),
            charge(Plan::Pro, -1),
            Shapes.make::<u8>("none"),
        )
    })
    .join()
    .expect("no panic");
    assert_eq!(results, (3, [1, 1], Err(Declined), 0));
}

struct Located;

#[component]
impl Located {
    #[track_caller]
    fn caller(&self, attempt: u32) -> &'static std::panic::Location<'static> {
        let _ = attempt;
        std::panic::Location::caller()
    }
}

#[test]
fn track_caller_locations_are_the_callers_with_and_without_a_subscriber() {
    let (location, captured) = capture(|| Located.caller(1));
    assert_eq!((location.file(), location.line()), (file!(), line!() - 1));
    captured.span("Located.caller").assert_field("attempt", 1);

    let location = std::thread::spawn(|| Located.caller(2)).join().expect("no panic");
    assert_eq!((location.file(), location.line()), (file!(), line!() - 1));
}

struct Vectorised;

#[component]
impl Vectorised {
    /// The siblings carry `target_feature`: the body, which calls an AVX2
    /// intrinsic as a safe function, compiles only with it.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn sum(&self, values: &[u32]) -> u32 {
        let zero = std::arch::x86_64::_mm256_setzero_si256();
        let _ = zero;
        values.iter().sum()
    }
}

#[test]
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)] // calling a `target_feature` function is unsafe
fn target_feature_is_carried_to_the_siblings() {
    if !std::arch::is_x86_feature_detected!("avx2") {
        return;
    }
    // SAFETY: the CPU has AVX2 (checked above).
    let (sum, captured) = capture(|| unsafe { Vectorised.sum(&[1, 2, 3]) });
    assert_eq!(sum, 6);
    captured.span("Vectorised.sum").assert_outcome("ok");
}

struct Prefixes;

#[component]
impl Prefixes {
    fn new() -> Prefixes {
        Prefixes
    }

    fn traced_new(&self) -> u8 {
        1
    }

    fn body_new(&self) -> u8 {
        2
    }
}

#[test]
fn sibling_names_never_collide_with_other_methods_siblings() {
    let (sum, captured) = capture(|| {
        let prefixes = Prefixes::new();
        prefixes.traced_new() + prefixes.body_new()
    });
    assert_eq!(sum, 3);
    captured.assert_count("Prefixes.new", 1);
    captured.assert_count("Prefixes.traced_new", 1);
    captured.assert_count("Prefixes.body_new", 1);
}

struct Counter {
    step: u32,
}

#[component]
impl Counter {
    /// Recursion goes through the wrapper: one span per level.
    fn countdown(&self, from: u32) -> u32 {
        if from == 0 {
            0
        } else {
            self.step + self.countdown(from - 1)
        }
    }

    #[allow(clippy::boxed_local)] // the receiver shape is what is tested
    fn boxed(self: Box<Self>, extra: u32) -> u32
    where
        Self: Sized,
    {
        self.step + extra
    }

    fn parse(text: &str) -> Result<Self, std::num::ParseIntError> {
        let step = text.trim().parse()?;
        Ok(Counter { step })
    }
}

#[test]
fn recursion_boxed_receivers_and_question_mark_through_siblings() {
    let counter = Counter { step: 2 };
    let (total, captured) = capture(|| counter.countdown(3));
    assert_eq!(total, 6);
    captured.assert_count("Counter.countdown", 4);
    let spans: Vec<_> = captured.spans_named("Counter.countdown").collect();
    spans[0].assert_field("from", 3);
    captured.assert_child_of("Counter.countdown", "Counter.countdown");

    let (sum, captured) = capture(|| Box::new(Counter { step: 1 }).boxed(4));
    assert_eq!(sum, 5);
    captured.span("Counter.boxed").assert_field("extra", 4);

    let (parsed, captured) = capture(|| (Counter::parse(" 7 ").map(|c| c.step), Counter::parse("x").is_err()));
    assert_eq!(parsed, (Ok(7), true));
    let spans: Vec<_> = captured.spans_named("Counter.parse").collect();
    spans[0].assert_field("outcome", "ok");
    spans[1]
        .assert_field("outcome", "error")
        .assert_field("error.type", std::any::type_name::<std::num::ParseIntError>());
}

#[test]
fn duration_ns_can_be_left_to_opentelemetry() {
    let timed = everything();
    let untimed = everything().to_builder().record_duration(false).build().unwrap();
    let run = |config: &TelemetryCaptureConfiguration| {
        caci_testkit::capture(config, || {
            let _ = Service::default().by_ref(Plan::Pro, true);
        })
        .1
    };
    let with = run(&timed);
    let span = with.spans().iter().find(|span| span.name == "Service.by_ref").unwrap();
    assert!(span.field("duration_ns").is_some());
    let without = run(&untimed);
    let span = without
        .spans()
        .iter()
        .find(|span| span.name == "Service.by_ref")
        .unwrap();
    assert!(span.field("duration_ns").is_none());
    assert!(span.field("outcome").is_some(), "the other fields stay");
    let file = TelemetryCaptureConfiguration::from_toml_str("record_duration = false").unwrap();
    assert!(!file.spec().record_duration);
    assert!(
        TelemetryCaptureConfiguration::default().spec().record_duration,
        "on by default"
    );
}

/// Twin impl blocks, one configured out (`cfg` is applied before the
/// attribute macro runs): the sites beside the impl that is left do not
/// clash with the other's.
struct Twin;

#[component]
#[cfg(test)]
impl Twin {
    fn which(&self) -> u32 {
        1
    }
}

#[component]
#[cfg(not(test))]
impl Twin {
    fn which(&self) -> u32 {
        2
    }
}

#[test]
fn an_impl_block_under_cfg_brings_its_sites_with_it() {
    let config = TelemetryCaptureConfiguration::builder().build().unwrap();
    let (which, captured) = caci_testkit::capture(&config, || Twin.which());
    assert_eq!(which, 1);
    captured.span("Twin.which").assert_field("outcome", "ok");
}
