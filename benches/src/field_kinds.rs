//! Ten captured fields of one kind (`u32`, `&str`, a unit enum, `bool`)
//! against a hand-written span with the same fields as `tracing` records
//! them by hand: what each kind costs per field (issue #17).

use crate::Plan;
use caci_core::component;
use std::hint::black_box;
use std::time::Instant;
use tracing::field::Empty;

/// One kind: the struct of ten fields, its component, the component's
/// call, and the hand-written span (`$rec` gives each field's value as a
/// hand-written span records it).
macro_rules! kind {
    ($wide:ident, $component:ident, $input:ident, $call:ident, $manual:ident, $ty:ty, $val:expr, $rec:expr) => {
        #[doc = concat!("Ten fields of `", stringify!($ty), "`.")]
        #[derive(Clone, Debug, caci_core::Telemetry)]
        #[allow(missing_docs, reason = "the fields are numbered")]
        pub struct $wide {
            pub f0: $ty,
            pub f1: $ty,
            pub f2: $ty,
            pub f3: $ty,
            pub f4: $ty,
            pub f5: $ty,
            pub f6: $ty,
            pub f7: $ty,
            pub f8: $ty,
            pub f9: $ty,
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
        static $input: std::sync::LazyLock<$wide> = std::sync::LazyLock::new(|| $wide {
            f0: $val,
            f1: $val,
            f2: $val,
            f3: $val,
            f4: $val,
            f5: $val,
            f6: $val,
            f7: $val,
            f8: $val,
            f9: $val,
        });
        /// The component's method on a constant input.
        #[inline(never)]
        pub fn $call() {
            $component.record(black_box(&$input));
        }
        /// The hand-written span with the same fields.
        #[inline(never)]
        pub fn $manual() {
            let w = black_box(&*$input);
            let r = $rec;
            let span = tracing::info_span!(
                "x.record",
                w.f0 = r(&w.f0),
                w.f1 = r(&w.f1),
                w.f2 = r(&w.f2),
                w.f3 = r(&w.f3),
                w.f4 = r(&w.f4),
                w.f5 = r(&w.f5),
                w.f6 = r(&w.f6),
                w.f7 = r(&w.f7),
                w.f8 = r(&w.f8),
                w.f9 = r(&w.f9),
                code.function.name = "x",
                outcome = Empty,
                duration_ns = Empty
            );
            let started = Instant::now();
            {
                let _e = span.enter();
                black_box(w);
            }
            let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
            tracing::record_all!(span, outcome = "ok", duration_ns = nanos);
        }
    };
}
kind!(
    U32s,
    U32Fields,
    U32S,
    component_u32,
    manual_u32,
    u32,
    7u32,
    |v: &u32| i64::from(*v)
);
kind!(
    Strs,
    StrFields,
    STRS,
    component_str,
    manual_str,
    &'static str,
    "CA",
    |v: &&'static str| *v
);
kind!(
    Enums,
    EnumFields,
    ENUMS,
    component_enum,
    manual_enum,
    Plan,
    Plan::Legacy,
    |v: &Plan| crate::wide_fields::leaves::plan_name(*v)
);
kind!(
    Bools,
    BoolFields,
    BOOLS,
    component_bool,
    manual_bool,
    bool,
    true,
    |v: &bool| *v
);

/// The configuration: every field of every struct allowed.
pub fn configuration() -> caci_core::TelemetryCaptureConfiguration {
    caci_core::TelemetryCaptureConfiguration::builder()
        .allow_struct::<U32s>()
        .allow_struct::<Strs>()
        .allow_struct::<Enums>()
        .allow_struct::<Bools>()
        .build()
        .expect("the field-kinds configuration is valid")
}

/// Every variant, by name.
pub const VARIANTS: &[(&str, fn())] = &[
    ("component_u32", component_u32),
    ("manual_u32", manual_u32),
    ("component_str", component_str),
    ("manual_str", manual_str),
    ("component_enum", component_enum),
    ("manual_enum", manual_enum),
    ("component_bool", component_bool),
    ("manual_bool", manual_bool),
];
