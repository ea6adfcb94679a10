//! # CACI: config-accelerated custom instrumentation
//!
//! Rich, safe `tracing` spans without hand-writing every field. Derive
//! [`Telemetry`] on your domain types, build one [`TelemetryCaptureConfiguration`]
//! in `main` that says which data may be captured, and open spans whose fields
//! are exactly what the configuration allows: typed (`bool` stays `bool`,
//! integers stay integers), with secrets and personal data kept out by a deny
//! floor that every allow rule yields to.
//!
//! ```
//! use caci_core::{component, Kind, Telemetry, TelemetryCaptureConfiguration};
//!
//! #[derive(Telemetry)]
//! struct BusinessId(uuid::Uuid); // a newtype: captured as its UUID
//!
//! #[derive(Telemetry)]
//! #[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
//! enum Plan { Starter, Legacy, Pro }
//!
//! #[derive(Telemetry)]
//! struct Business {
//!     id: BusinessId,
//!     plan: Plan,
//!     country: String,
//!     email: String, // on the deny floor: never captured
//! }
//!
//! struct SubscriptionService;
//!
//! #[component] // every method: a span `SubscriptionService.<method>`
//! impl SubscriptionService {
//!     fn initialize_business(&self, business: &Business) -> bool {
//!         matches!(business.plan, Plan::Pro)
//!     }
//! }
//!
//! let config = TelemetryCaptureConfiguration::builder()
//!     .allow_fields(["plan", "country"])
//!     .allow_kind(Kind::Uuid)
//!     .build()
//!     .expect("valid configuration");
//! caci_core::install(config);
//!
//! let business = Business {
//!     id: BusinessId(uuid::Uuid::nil()),
//!     plan: Plan::Starter,
//!     country: "CA".into(),
//!     email: "owner@example.com".into(),
//! };
//! // Span fields: business.id (the UUID), business.plan = "STARTER",
//! // business.country = "CA", outcome = "ok", duration_ns; never the email.
//! assert!(!SubscriptionService.initialize_business(&business));
//! ```
//!
//! What is captured is decided once per call site and configuration (see
//! [`decision`] for the rule), so the per-call path only copies allowed
//! values: no string comparison, no heap allocation, and with the level
//! disabled a wrapped method of an inherent impl costs a load and a
//! comparison more than the bare one (numbers in the repository's
//! `BENCHMARKS.md`). [`install`] replaces the
//! configuration at run time.
//!
//! | to | use |
//! |---|---|
//! | describe a type | `#[derive(Telemetry)]` (or implement [`Capture`]) |
//! | wrap every method of a service | `#[component]`, per method `#[caci(...)]`; free functions `#[instrument_fn]` |
//! | open a span by hand | [`span!`] |
//! | say what may be captured | [`TelemetryCaptureConfiguration`], [`config::deny`] |
//! | know why a leaf is (not) captured | [`decision`] |
//! | see what every method will capture, gate CI | `coverage` (cargo feature `coverage`) |
//! | reload the configuration when its file changes | `reload` (cargo feature `reload`) |
//! | name an error's variant as `error.type` | [`ErrorType`] (derived for enums by `Telemetry`) |
//! | count and time every wrapped method, by plan and such | `method_metrics` and `metric_labels` (cargo feature `metrics`) |
//! | test it | the `caci-testkit` crate |

// How the pieces fit, bottom-up; no module imports one above it (the
// `layers` test keeps it so):
//
// 1. `shape`: what a type looks like without a value; `safety`: the
//    counters of CACI's own guards.
// 2. `rules`: a configuration compiled (`Rules`), the floor, the decision
//    rule, value scrubbing, and which rules are in force.
// 3. `plan`: every leaf of a call site decided once, each captured leaf
//    given a slot.
// 4. `record`: `Capture`, the `Out` a value offers its leaves to, the
//    slots and their rendering, CACI's own impls.
// 5. `site`, `method`, `probe`: call sites and their cached plans, method
//    wrapping, and the compile-time probes generated code uses.
// 6. `config`: `TelemetryCaptureConfiguration`, its builder and files.
// 7. `active`: installing and swapping the configuration in force.
// 8. `coverage` (cargo feature `coverage`): the report, its CLI and gate;
//    `reload` (cargo feature `reload`): re-installing a watched file.
mod active;
pub mod config;
#[cfg(feature = "coverage")]
pub mod coverage;
mod method;
mod plan;
mod probe;
mod record;
#[cfg(feature = "reload")]
pub mod reload;
mod rules;
mod safety;
mod shape;
mod site;

pub use rules::decision;

pub use active::{Widening, current_configuration, install, install_for, with_configuration};
pub use config::{ConfigBuilder, ConfigError, Limits, ScopeBuilder, TelemetryCaptureConfiguration};
pub use method::{METHOD_FIELDS, MethodDescriptor, MethodInfo, SkippedMethod};
pub use plan::{Input, LeafDecision};
pub use record::MapKey;
pub use record::capture::{Capture, DynCapture, Fields, ListValue, MapValue, Out};
pub use record::error_type::ErrorType;
pub use safety::{SafetyCounters, safety_counters};
pub use shape::{FieldShape, Kind, Shape, ShapeBody, VariantShape};
pub use site::MAX_PLANS_PER_SITE;
pub use tracing::Level;

#[cfg(feature = "derive")]
pub use caci_derive::{Telemetry, component, instrument_fn};

/// Opens a span named `$name` at `$level`, capturing what the configuration
/// in force allows of each `name = value` (values implement [`Capture`];
/// struct values expand to their allowed fields).
///
/// The span is disabled (and nothing is evaluated beyond the values'
/// references) when no subscriber wants it. Each call site is planned once
/// per configuration and per set of value types, so `span!` in generic code
/// (a trait's default method with `subject = self`, say) decides each
/// instantiation by its own type.
///
/// ```
/// use caci_core::Level;
/// let business_id = uuid::Uuid::nil();
/// let span = caci_core::span!(Level::INFO, "SubscriptionApi.initialize_business", business_id = business_id, trial = true);
/// span.in_scope(|| { /* the work */ });
/// ```
#[macro_export]
macro_rules! span {
    ($level:expr, $name:expr $(, $field:ident = $value:expr)* $(,)?) => {{
        static __CACI_CALL_SITE: $crate::__private::CallSite =
            $crate::__private::CallSite::new($crate::__caci_site_info!($name, $level $(, $field)*));
        if $crate::__private::level_enabled($level) {
            match ($(&$value,)*) {
                __caci_values => __CACI_CALL_SITE.span(
                    $crate::__private::type_key(&__caci_values),
                    &$crate::__private::ErasedValues::erased(&__caci_values),
                ),
            }
        } else {
            $crate::__private::Span::none()
        }
    }};
}

/// Emits an event at `$level` with `$message`, capturing what the
/// configuration in force allows of each `name = value`, planned and decided
/// exactly as [`span!`] is: the floor, `sensitive`, the limits and value
/// scrubbing all apply.
///
/// The plain `tracing` macros (`tracing::info!(email = …)`) are outside
/// CACI's guarantee: they record whatever they are given. Use this one for
/// domain values; `caci_testkit`'s `assert_never_contains` checks both.
///
/// ```
/// use caci_core::Level;
/// let plan = "PRO";
/// let email = "owner@example.com";
/// caci_core::event!(Level::INFO, "plan chosen", plan = plan, email = email);
/// ```
#[macro_export]
macro_rules! event {
    ($level:expr, $message:expr $(, $field:ident = $value:expr)* $(,)?) => {{
        static __CACI_EVENT_SITE: $crate::__private::CallSite =
            $crate::__private::CallSite::new_event($crate::__caci_site_info!(
                ::core::concat!("event ", ::core::file!(), ":", ::core::line!()),
                $level
                $(, $field)*
            ));
        if $crate::__private::level_enabled($level) {
            match ($(&$value,)*) {
                __caci_values => __CACI_EVENT_SITE.event(
                    $crate::__private::type_key(&__caci_values),
                    $message,
                    &$crate::__private::ErasedValues::erased(&__caci_values),
                ),
            }
        }
    }};
}

/// Adds allowed values to the current CACI span after it opened, planned
/// and decided as [`span!`] decides them (the floor, `sensitive`, limits and
/// value scrubbing all apply).
///
/// `tracing` fixes a span's fields when it opens, so a value can only land
/// in a field the span declared: a `#[component]` (or `#[instrument_fn]`)
/// method declares, empty, every name its body passes to `record!`. A name
/// that is one of CACI's own (`outcome`, `error.type`, …) or that the span
/// already captured is never declared, so `record!` can neither shadow nor
/// duplicate a field; outside such a span it records nothing.
///
/// ```
/// use caci_core::{component, TelemetryCaptureConfiguration};
///
/// struct Catalog;
///
/// #[component]
/// impl Catalog {
///     fn feature_group_for(&self, plan: &str) -> &'static str {
///         let group = if plan == "PRO" { "PRO" } else { "LEGACY" };
///         caci_core::record!(feature_group = group);
///         group
///     }
/// }
///
/// let config = TelemetryCaptureConfiguration::builder()
///     .allow_fields(["plan", "feature_group"])
///     .build()
///     .unwrap();
/// caci_core::with_configuration(&config, || Catalog.feature_group_for("PRO"));
/// ```
#[macro_export]
macro_rules! record {
    ($($field:ident = $value:expr),+ $(,)?) => {{
        static __CACI_RECORD_SITE: $crate::__private::CallSite =
            $crate::__private::CallSite::new($crate::__caci_site_info!(
                ::core::concat!("record ", ::core::file!(), ":", ::core::line!()),
                $crate::__private::Level::TRACE
                $(, $field)*
            ));
        match ($(&$value,)*) {
            __caci_values => __CACI_RECORD_SITE.record(
                $crate::__private::type_key(&__caci_values),
                &$crate::__private::ErasedValues::erased(&__caci_values),
            ),
        }
    }};
}

/// The `SiteInfo` of a `span!`, `event!` or `record!` call site: where it
/// is, and its inputs' names.
#[doc(hidden)]
#[macro_export]
macro_rules! __caci_site_info {
    ($name:expr, $level:expr $(, $field:ident)*) => {
        $crate::__private::SiteInfo {
            name: $name,
            target: ::core::module_path!(),
            level: $level,
            module_path: ::core::module_path!(),
            file: ::core::file!(),
            line: ::core::line!(),
            inputs: &[$(::core::stringify!($field)),*],
        }
    };
}

/// `__private::gate_open!(SITE)`: whether the gate of `SITE`, a `static`
/// [`MethodSite`](__private::MethodSite), is open, read by the asm itself, so that a
/// closed gate costs one `cmp` with memory and one `jne` (an atomic load
/// cannot be folded into a `cmp`: its `movzx`, `test` and branch are one
/// instruction more). The read is PC-relative: a method of a Rust `dylib`
/// inlined into another image may read that image's copy of the byte
/// (a copy relocation), which nothing writes and so stays open as it
/// started: slower there, never hiding a span.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[doc(hidden)]
#[macro_export]
macro_rules! __caci_gate_open {
    ($site:path) => {{
        // Only a `MethodSite`'s `static`: the offset below is into one, and
        // the asm reads nothing else.
        let _: &'static $crate::__private::MethodSite = &$site;
        'open: {
            // SAFETY: reads one byte, the `AtomicBool` of a gate inside a
            // `static` (it lives as long as the program), with a plain x86
            // load: atomic at the hardware level, so a relaxed atomic load,
            // sound beside the gate's atomic stores. It writes nothing and
            // touches no stack; the flags it clobbers are not preserved.
            unsafe {
                ::core::arch::asm!(
                    "cmp byte ptr [rip + {site} + {byte}], 0",
                    "jne {open}",
                    site = sym $site,
                    byte = const $crate::__private::METHOD_GATE_BYTE,
                    open = label { break 'open true },
                    options(nostack, readonly),
                );
            }
            false
        }
    }};
}

/// `__private::gate_open!(SITE)`: whether the gate of `SITE`, a `static`
/// [`MethodSite`](__private::MethodSite), is open (an atomic load: the asm
/// read is for x86-64 only, and Miri checks the atomic).
#[cfg(not(all(target_arch = "x86_64", not(miri))))]
#[doc(hidden)]
#[macro_export]
macro_rules! __caci_gate_open {
    ($site:path) => {{
        let site: &'static $crate::__private::MethodSite = &$site;
        site.may_be_enabled()
    }};
}

/// What generated code uses. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use crate::__caci_gate_open as gate_open;

    /// Where the gate's byte is in a [`MethodSite`], for [`gate_open!`].
    pub const METHOD_GATE_BYTE: usize = crate::method::GATE_BYTE;

    pub use crate::method::{
        MethodCall, MethodDescriptor, MethodInfo, MethodSite, MethodSites, Shapes, SkippedMethod, instantiation,
        instrument_future, not_generic,
    };
    pub use crate::plan::Input;
    pub use crate::plan::InputType;
    pub use crate::probe::{
        ErrorProbe, FinishError, FinishVia0, FinishVia1, FinishVia2, FinishVia3, FinishVia4, FinishVia5, FinishVia6,
        FinishVia7, InputName, InputOf, MessageOf, NameOf, OutputProbe, OutputViaResult, OutputViaValue, Probe,
        TypeProbe, TypeViaCapture, TypeViaOpaque, ValueOf, ViaCapture, ViaDisplay, ViaErrorType, ViaNoDisplay,
        ViaOpaque, ViaResult, ViaTypeName, ViaValue, describe, finish_error, via,
    };
    pub use crate::record::capture::{
        Capture, DynCapture, Erased, Fields, Out, StructFields, WithJob, display_shape, input_type_of, record_display,
        with_field,
    };
    pub use crate::record::error_type::ErrorType;
    pub use crate::shape::{FieldShape, Kind, Shape, ShapeBody, VariantShape};
    pub use crate::shape::{guarded, trusted_fields};
    pub use crate::site::{CallSite, SiteInfo, level_enabled};

    /// [`level_enabled`], for wrapped methods: inlined where optimised, an
    /// ordinary call in a debug build, where its inlined code (the global
    /// maximum's load and its conversion, about 600 bytes) would otherwise
    /// be repeated in every wrapped method.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn method_level_enabled(level: Level) -> bool {
        level_enabled(level)
    }
    pub use ::core::any::type_name;
    pub use ::inventory;
    pub use ::std::vec::Vec;
    pub use ::tracing::Span;
    pub use ::tracing::{Instrument, Level};
    pub use ::typeid;

    /// A method's inputs as the planner takes them (a function, so generated
    /// code needs no trait in scope).
    #[inline]
    pub fn inputs<const N: usize>(inputs: [Input; N]) -> Vec<Input> {
        Vec::from(inputs)
    }

    /// Erases a value for a call site's value list.
    #[inline]
    pub fn erase<T: Capture>(value: &T) -> Erased<'_> {
        Erased::new(value)
    }

    /// The identity of `T`, lifetimes erased: what a `span!` or `event!`
    /// site keys its plans by (`T` is the tuple of its values' references).
    #[inline]
    pub fn type_key<T: ?Sized>(_values: &T) -> ::core::any::TypeId {
        ::typeid::of::<T>()
    }

    /// A tuple of references to capturable values, erased in order.
    pub trait ErasedValues<'a, const N: usize> {
        /// The values, erased.
        fn erased(&self) -> [Erased<'a>; N];
    }

    macro_rules! erased_values {
        ($count:literal: $($ty:ident . $index:tt),*) => {
            impl<'a, $($ty: Capture + 'a),*> ErasedValues<'a, $count> for ($(&'a $ty,)*) {
                #[inline(always)]
                fn erased(&self) -> [Erased<'a>; $count] {
                    [$(Erased::new(self.$index)),*]
                }
            }
        };
    }
    erased_values!(0:);
    erased_values!(1: A.0);
    erased_values!(2: A.0, B.1);
    erased_values!(3: A.0, B.1, C.2);
    erased_values!(4: A.0, B.1, C.2, D.3);
    erased_values!(5: A.0, B.1, C.2, D.3, E.4);
    erased_values!(6: A.0, B.1, C.2, D.3, E.4, F.5);
    erased_values!(7: A.0, B.1, C.2, D.3, E.4, F.5, G.6);
    erased_values!(8: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7);
    erased_values!(9: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8);
    erased_values!(10: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9);
    erased_values!(11: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10);
    erased_values!(12: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11);
    erased_values!(13: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12);
    erased_values!(14: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12, N.13);
    erased_values!(15: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12, N.13, O.14);
    erased_values!(16: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12, N.13, O.14, P.15);

    /// Marks the types `#[telemetry(flatten)]` accepts: `#[derive(Telemetry)]`
    /// implements it for structs with named fields, unit structs and tuple
    /// structs of two or more fields, and asserts it for every flattened
    /// field, so a wrong field type is reported at that field.
    #[diagnostic::on_unimplemented(
        message = "`#[telemetry(flatten)]` needs a struct that derives `Telemetry`",
        label = "`{Self}` is not a struct deriving `Telemetry`",
        note = "flattening puts a struct's fields at its parent's level; remove `flatten` to capture `{Self}` under the field's own name"
    )]
    pub trait TelemetryStruct {}
}
