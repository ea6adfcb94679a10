//! Captured fields at every size (issue #17): a `#[component]` method taking
//! a struct of N `u64` fields, all allowed, against a hand-written span
//! recording the same N fields, `code.function.name`, `outcome` and
//! `duration_ns` (N = 1, 3, 10, 30): the fields the method span has.
//! Same body (`black_box` on the input) everywhere.

use std::hint::black_box;
use std::time::Instant;

use caci_core::{TelemetryCaptureConfiguration, component};
use tracing::field::Empty;

/// A wide-input method as the benches call it.
pub type Method = fn();

/// One size: the struct, its component, the component's call on a constant
/// input, and the hand-written span with the same fields.
macro_rules! wide {
    ($wide:ident, $component:ident, $input:ident, $call:ident, $manual:ident: $($field:ident = $value:literal),+) => {
        #[doc = concat!("A struct of `u64` fields: ", $(stringify!($field), " "),+)]
        #[derive(Clone, Copy, Debug, caci_core::Telemetry)]
        #[allow(missing_docs, reason = "the fields are numbered")]
        pub struct $wide {
            $(pub $field: u64),+
        }

        #[doc = concat!("The component whose method takes a [`", stringify!($wide), "`].")]
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $component;

        #[component]
        impl $component {
            /// Every field of `wide`.
            #[inline(never)]
            pub fn record(&self, wide: &$wide) {
                black_box(wide);
            }
        }

        static $input: $wide = $wide { $($field: $value),+ };

        /// The component's method on a constant input.
        #[inline(never)]
        pub fn $call() {
            $component.record(black_box(&$input));
        }

        /// A hand-written span with the same fields as the component's:
        /// the struct's, `code.function.name`, `outcome` and `duration_ns`.
        #[inline(never)]
        pub fn $manual() {
            let wide = black_box(&$input);
            let span = tracing::info_span!(
                concat!(stringify!($component), ".record"),
                $(wide.$field = wide.$field,)+
                code.function.name = concat!(module_path!(), "::", stringify!($component), "::record"),
                outcome = Empty,
                duration_ns = Empty
            );
            let started = Instant::now();
            {
                let _entered = span.enter();
                black_box(wide);
            }
            let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
            tracing::record_all!(span, outcome = "ok", duration_ns = nanos);
        }
    };
}

wide!(Wide1, Fields1, WIDE_1, component_1, manual_1: f0 = 1);

wide!(Wide3, Fields3, WIDE_3, component_3, manual_3: f0 = 1, f1 = 2, f2 = 3);

wide!(Wide10, Fields10, WIDE_10, component_10, manual_10: f0 = 1, f1 = 2, f2 = 3, f3 = 4, f4 = 5, f5 = 6, f6 = 7, f7 = 8, f8 = 9, f9 = 10);

wide!(Wide30, Fields30, WIDE_30, component_30, manual_30: f0 = 1, f1 = 2, f2 = 3, f3 = 4, f4 = 5, f5 = 6, f6 = 7, f7 = 8, f8 = 9, f9 = 10, f10 = 11, f11 = 12, f12 = 13, f13 = 14, f14 = 15, f15 = 16, f16 = 17, f17 = 18, f18 = 19, f19 = 20, f20 = 21, f21 = 22, f22 = 23, f23 = 24, f24 = 25, f25 = 26, f26 = 27, f27 = 28, f28 = 29, f29 = 30);

/// The configuration: every field of every wide struct allowed.
pub fn configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_struct::<Wide1>()
        .allow_struct::<Wide3>()
        .allow_struct::<Wide10>()
        .allow_struct::<Wide30>()
        .max_fields_per_span(64)
        .build()
        .expect("the wide configuration is valid")
}

/// Every variant, by name.
pub const VARIANTS: &[(&str, Method)] = &[
    ("component_1", component_1),
    ("manual_1", manual_1),
    ("component_3", component_3),
    ("manual_3", manual_3),
    ("component_10", component_10),
    ("manual_10", manual_10),
    ("component_30", component_30),
    ("manual_30", manual_30),
];
