//! Procedural macros for CACI. Use them through `caci-core`, which
//! re-exports them.

mod case;
mod component;
mod telemetry;
mod type_string;

use proc_macro::TokenStream;

/// Derives `caci_core::Capture`: the type's static shape, and a visit of a
/// value that offers each leaf to the call site's plan.
///
/// ```
/// use caci_core::{Capture, ShapeBody, Telemetry};
///
/// #[derive(Telemetry)]
/// struct BusinessId(uuid::Uuid); // a newtype: captured as its UUID
///
/// #[derive(Telemetry)]
/// #[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
/// enum Plan {
///     Starter, // "STARTER"
///     #[telemetry(rename = "LEGACY_V1")]
///     Legacy, // "LEGACY_V1"
/// }
///
/// #[derive(Telemetry)]
/// struct Address {
///     country: String,
/// }
///
/// #[derive(Telemetry)]
/// struct Business {
///     id: BusinessId, // business.id
///     plan: Plan,     // business.plan
///     #[telemetry(rename = "group")]
///     feature_group: String, // business.group
///     #[telemetry(flatten)]
///     address: Address, // business.country
///     #[telemetry(sensitive)]
///     tax_reference: String, // in the shape, never captured
///     #[telemetry(skip)]
///     cache: Vec<u8>, // not in the shape at all
/// }
///
/// #[derive(Telemetry)]
/// enum Payment {
///     Card { last4: String }, // payment = "Card", payment.last4
///     Transfer(String),       // payment = "Transfer", payment.0
///     Cash,                   // payment = "Cash"
/// }
///
/// let ShapeBody::Struct(fields) = Business::shape().body else { unreachable!() };
/// let names: Vec<_> = fields.iter().map(|field| field.name).collect();
/// assert_eq!(names, ["id", "plan", "group", "address", "tax_reference"]);
/// assert!(fields[3].flatten && fields[4].sensitive);
/// ```
///
/// Which of these leaves a span records is the configuration's decision;
/// the derive only describes them.
///
/// # Shapes
///
/// - **Struct with named fields**: one field per Rust field, in order, named
///   as written (`r#type` is `type`).
/// - **Newtype** (`struct BusinessId(Uuid)`): the inner value's shape under
///   the newtype's type name, so `allow_kind(Kind::Uuid)` covers it.
/// - **Tuple struct** with two or more fields: fields named by position,
///   `"0"`, `"1"`, … (a skipped field keeps its number unused).
/// - **Unit struct**: a struct with no fields.
/// - **Enum**: the variant's name, and the variant's fields named as a
///   struct's would be (unnamed ones by position). A value records only the
///   fields of the variant it holds.
/// - **Generics**: each type parameter used by a captured field's type must
///   implement `Capture`; parameters used only by `skip` or `sensitive`
///   fields need not.
///
/// # Attributes
///
/// | Where | Attribute | Effect |
/// |---|---|---|
/// | type | `rename_all = "..."` | renames a struct's fields, or an enum's variants: `snake_case`, `camelCase`, `PascalCase`, `SCREAMING_SNAKE_CASE`, `kebab-case`, `SCREAMING-KEBAB-CASE`, `lowercase`, `UPPERCASE` |
/// | type | `crate = path` | where `caci_core` is, for crates that re-export it (default `::caci_core`) |
/// | variant | `rename = "..."` | the name the variant is captured as |
/// | field | `rename = "..."` | the name the field is captured under |
/// | field | `skip` | leaves the field out of the shape; its type need not implement `Capture` |
/// | field | `sensitive` | keeps the field in the shape but never captures it, whatever the configuration allows; its type need not implement `Capture` |
/// | field | `flatten` | puts the fields of this struct-typed field at its parent's level (`business.country`, not `business.address.country`) |
/// | field | `display` | captures the field as a string (kind `string`) through its type's `Display`, scrubbed and cut like any string; formatted only when captured. For types you do not own |
/// | field | `with = "path::to::fn"` | captures what `fn(&FieldType) -> R` (`R: Capture`) returns: `R`'s shape under the field type's name; the function runs only when the field is captured. For types you do not own |
///
/// `rename` wins over `rename_all`. `flatten` needs a struct that derives
/// `Telemetry`, on a named field or on the only field of a tuple variant.
/// `skip` goes with no other field attribute, `flatten` with neither
/// `sensitive` nor `rename`, `display` and `with` with neither each other,
/// `sensitive` nor `flatten`, and a newtype's field takes only `display` or
/// `with` (mark the fields that hold the newtype instead). Captured names are non-empty,
/// contain no `.`, and are unique within their struct, variant or enum.
///
/// # Types you do not own
///
/// ```
/// use caci_core::{Telemetry, TelemetryCaptureConfiguration};
///
/// #[derive(Telemetry)]
/// struct Millis(i64);
///
/// fn millis(waited: &std::time::Duration) -> Millis { Millis(waited.as_millis() as i64) }
///
/// #[derive(Telemetry)]
/// struct Request {
///     #[telemetry(display)] // request.peer = "10.0.0.1"
///     peer: std::net::Ipv4Addr,
///     #[telemetry(with = "millis")] // request.waited = 1500
///     waited: std::time::Duration,
/// }
///
/// let config = TelemetryCaptureConfiguration::builder().allow_fields(["peer", "waited"]).build().unwrap();
/// let request = Request { peer: [10, 0, 0, 1].into(), waited: std::time::Duration::from_millis(1500) };
/// let (_, captured) = caci_testkit::capture(&config, || {
///     let _span = caci_core::span!(caci_core::Level::INFO, "handle", request = request).entered();
/// });
/// captured.span("handle").assert_field("request.peer", "10.0.0.1").assert_field("request.waited", 1500);
/// ```
///
/// With caci-core's features `chrono`, `rust_decimal` and `jiff`, those
/// crates' date, time, duration and decimal types are capturable as they
/// are.
///
/// # Errors
///
/// Every problem in one item is reported at once, at the offending tokens.
/// The type then still gets a `Capture` impl that captures nothing, so the
/// code that uses it reports no further errors. A field whose type does not
/// implement what its attributes need is one error, at its type (or at the
/// `with` path).
#[proc_macro_derive(Telemetry, attributes(telemetry))]
pub fn derive_telemetry(input: TokenStream) -> TokenStream {
    telemetry::derive(input.into()).into()
}

/// Wraps every method of an `impl` block in a span named
/// `Component.method`, capturing the inputs (and, when asked, the output)
/// that the configuration in force allows, then recording the outcome and
/// the duration. The original bodies run unchanged.
///
/// ```
/// use caci_core::{Telemetry, TelemetryCaptureConfiguration, component};
///
/// #[derive(Telemetry)]
/// enum Plan { Starter, Pro }
///
/// #[derive(Telemetry)]
/// struct Subscription { plan: Plan, seats: u32 }
///
/// #[derive(Debug)]
/// struct Declined;
/// impl std::fmt::Display for Declined {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("declined") }
/// }
///
/// struct SubscriptionService;
///
/// #[component] // spans `SubscriptionService.<method>`
/// impl SubscriptionService {
///     #[caci(capture_output, skip_input = "card_token")]
///     pub fn subscribe(&self, plan: Plan, seats: u32, card_token: &str) -> Result<Subscription, Declined> {
///         if card_token.is_empty() {
///             return Err(Declined); // outcome = "error", error.type, otel.status_code = "ERROR"
///         }
///         Ok(Subscription { plan, seats }) // return.plan, return.seats
///     }
///
///     pub async fn renew(&self, seats: u32) -> u32 { seats } // the span goes with the future
///
///     #[caci(skip)]
///     fn helper(&self) {} // left as written
/// }
///
/// let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "seats"]).build().unwrap();
/// let (_, captured) = caci_testkit::capture(&config, || SubscriptionService.subscribe(Plan::Pro, 3, "tok_4242"));
/// captured
///     .span("SubscriptionService.subscribe")
///     .assert_field("plan", "Pro")
///     .assert_field("seats", 3)
///     .assert_no_field("card_token") // skipped: never captured, not even planned
///     .assert_field("return.plan", "Pro")
///     .assert_field("outcome", "ok");
/// ```
///
/// # What a call records
///
/// The inputs the configuration allows (receivers never; inputs whose type
/// does not implement `Capture` are left out silently), then `outcome`
/// (`ok`, `error`, `panic`, `cancelled`), `duration_ns` (an integer),
/// `code.function.name` (the method's path), and on `Err`: `error.type` (an
/// error enum's variant when it derives `Telemetry`, see
/// `caci_core::ErrorType`), `otel.status_code = "ERROR"`, and the message as
/// `otel.status_description` only where the configuration captures error
/// messages. An output is captured
/// under `return` (a `Result`'s `Ok` value; a struct's fields as
/// `return.<field>`). A value is an error when its *type* is `Result`,
/// however it is spelled (`io::Result<T>`, an alias). A panic propagates
/// and records `panic`.
///
/// # Options
///
/// | Where | Option | Effect |
/// |---|---|---|
/// | `#[component(..)]` | `name = "Billing"` | the component part of span names (default: the self type's last segment) |
/// | | `level = "debug"` | `trace`, `debug`, `info` (default), `warn`, `error` |
/// | | `target = "billing"` | the spans' target (default: the module path) |
/// | | `capture_output` | capture every method's output (where it can be named) |
/// | | `crate = path` | where `caci_core` is, for crates that re-export it |
/// | `#[caci(..)]` on a method | `skip` | leave the method as written (no span, no descriptor); takes no other option |
/// | | `name = "charge"` | the method part of its span name |
/// | | `level = "warn"` | this method's level |
/// | | `skip_input = "card"`, `skip_inputs(card, token)` | inputs never captured, not even their shape |
/// | | `capture_output` / `capture_output = false` | capture this method's output, or not |
///
/// # Shapes
///
/// - Every `fn` of the block is wrapped, with or without a receiver (`self`,
///   `&self`, `&mut self`, `self: Arc<Self>`, `self: Pin<&mut Self>`), except
///   `const fn`s, which are left as written. Inherent and trait impls.
/// - Attributes, visibility, generics, where clauses, `unsafe`, `extern`
///   ABIs and the signature are kept; `return` and `?` keep their meaning.
/// - A pattern parameter (`(low, high): (u32, u32)`) is captured whole as
///   `arg<position>`.
/// - `async fn`: the span is entered on every poll and never held across an
///   `.await`; inputs are captured at the first poll. `-> impl Future<Output =
///   T>` and boxed futures (`Pin<Box<dyn Future<..>>>`, `BoxFuture`): the
///   span opens at the call and closes when the future completes; a future
///   dropped early records `cancelled`.
/// - `#[async_trait]`: put `#[component]` above it (it then sees the `async
///   fn`s as written; output capture works). Below it also works: the
///   methods are seen as returning boxed futures.
/// - Generics: an input of type `T` is captured when `T: Capture` is among
///   the bounds (the wrapper sees the bounds, not the instantiation); each
///   instantiation gets its own plan.
///
/// # How a method is wrapped, and what a disabled call costs
///
/// A method of an inherent impl (and a free function under
/// [`macro@instrument_fn`]) becomes three functions: the method as
/// declared, whose body is a level check and one call; a private
/// `__caci_body_<name>` holding the original body unchanged (`#[inline]`); and
/// `__caci_traced_<name>` (`#[inline(never)]`) opening the span, calling
/// the body inside it and recording the outcome. When the level is disabled
/// (or no subscriber is installed) a call costs a comparison and a branch
/// more than the bare method, and the body compiles as an ordinary function:
/// `return`, `?`, diagnostics, unused-variable warnings and
/// `#[track_caller]` locations are the original's. `#[cfg]`, lint and
/// `#[track_caller]` attributes are carried to both siblings. An `async fn`
/// gets `async` siblings, and the level is checked at its first poll.
///
/// Methods of a trait impl (which cannot take extra methods), methods
/// returning a future, and methods with `impl Trait` arguments or return
/// types are wrapped in place instead, the body running in a closure inside
/// the span: the same spans and fields, a few dozen instructions more when
/// disabled, and `#[track_caller]` locations point at the wrapper.
///
/// # Descriptors
///
/// Each wrapped method registers a `caci_core::MethodDescriptor` (site,
/// signature as written, input and output types, shapes without a value:
/// inputs whose type mentions a generic parameter or `impl Trait` are
/// opaque), listed by `MethodDescriptor::all()` without calling anything.
///
/// # Errors
///
/// Misuse is reported at the offending tokens, all at once: the macro on
/// something other than an `impl` block, unknown options, `skip` with
/// other options, `skip_input` naming no input, `capture_output` on a method
/// whose output cannot be captured (`()`, `!`, `impl Trait`). The block is
/// then emitted as written, so no further errors follow.
///
/// # Limits
///
/// A parameter under `#[cfg]` is refused. In the in-place wrapping (trait
/// impls, returned futures, `impl Trait`), `#[track_caller]` methods report
/// the wrapper's location.
#[proc_macro_attribute]
pub fn component(args: TokenStream, item: TokenStream) -> TokenStream {
    component::component(args.into(), item.into()).into()
}

/// Wraps a free function in a span, as [`macro@component`] wraps a method.
///
/// ```
/// use caci_core::{TelemetryCaptureConfiguration, instrument_fn};
///
/// #[instrument_fn(component = "Billing", skip_inputs(card))] // span `Billing.charge`
/// fn charge(cents: i64, card: &str) -> Result<i64, std::io::Error> {
///     Ok(cents)
/// }
///
/// #[instrument_fn] // span `refund`
/// fn refund(cents: i64) {}
///
/// let config = TelemetryCaptureConfiguration::builder().allow_field("cents").build().unwrap();
/// let (_, captured) = caci_testkit::capture(&config, || {
///     let _ = charge(250, "tok_4242");
///     refund(5);
/// });
/// captured.span("Billing.charge").assert_field("cents", 250).assert_no_field("card");
/// captured.span("refund").assert_field("cents", 5);
/// ```
///
/// Options: `component = "Billing"` (the span is `Billing.<name>`; without
/// it the span is named after the function alone and the descriptor's
/// component is the module path), `name`, `level`, `target`,
/// `capture_output`, `skip_input`/`skip_inputs`, `crate`, with the meanings
/// they have for [`macro@component`]. Methods go through `#[component]` on
/// their `impl` block: `#[instrument_fn]` refuses a receiver or `Self`.
#[proc_macro_attribute]
pub fn instrument_fn(args: TokenStream, item: TokenStream) -> TokenStream {
    component::instrument_fn(args.into(), item.into()).into()
}
