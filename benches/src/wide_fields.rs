//! Captured fields at every size (issue #17): a `#[component]` method taking
//! a struct of N `u64` fields, all allowed, against a hand-written span
//! recording the same N fields, `outcome` and `duration_ns` (N = 1, 3, 10,
//! 30). The method span also carries `code.function.name`, one field more.
//! Same body (`black_box` on the input) everywhere.

use std::hint::black_box;
use std::time::Instant;

use caci_core::{TelemetryCaptureConfiguration, component};
use tracing::field::Empty;

/// A wide-input method as the benches call it.
pub type Method = fn();

/// A struct of 1 `u64` fields.
#[derive(Clone, Copy, Debug, caci_core::Telemetry)]
pub struct Wide1 {
    /// Field 0.
    pub f0: u64,
}

/// The component with the 1-field method.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields1;

#[component]
impl Fields1 {
    /// Span `Fields1.record`: every field of `wide`.
    #[inline(never)]
    pub fn record(&self, wide: &Wide1) {
        black_box(wide);
    }
}

static WIDE_1: Wide1 = Wide1 { f0: 1 };

/// The component's method on a constant input.
#[inline(never)]
pub fn component_1() {
    Fields1.record(black_box(&WIDE_1));
}

/// A hand-written span with the same 1 fields, `outcome` and `duration_ns`.
#[inline(never)]
pub fn manual_1() {
    let wide = black_box(&WIDE_1);
    let span = tracing::info_span!(
        "Fields1.record",
        wide.f0 = wide.f0,
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

/// A struct of 3 `u64` fields.
#[derive(Clone, Copy, Debug, caci_core::Telemetry)]
pub struct Wide3 {
    /// Field 0.
    pub f0: u64,
    /// Field 1.
    pub f1: u64,
    /// Field 2.
    pub f2: u64,
}

/// The component with the 3-field method.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields3;

#[component]
impl Fields3 {
    /// Span `Fields3.record`: every field of `wide`.
    #[inline(never)]
    pub fn record(&self, wide: &Wide3) {
        black_box(wide);
    }
}

static WIDE_3: Wide3 = Wide3 { f0: 1, f1: 2, f2: 3 };

/// The component's method on a constant input.
#[inline(never)]
pub fn component_3() {
    Fields3.record(black_box(&WIDE_3));
}

/// A hand-written span with the same 3 fields, `outcome` and `duration_ns`.
#[inline(never)]
pub fn manual_3() {
    let wide = black_box(&WIDE_3);
    let span = tracing::info_span!(
        "Fields3.record",
        wide.f0 = wide.f0,
        wide.f1 = wide.f1,
        wide.f2 = wide.f2,
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

/// A struct of 10 `u64` fields.
#[derive(Clone, Copy, Debug, caci_core::Telemetry)]
pub struct Wide10 {
    /// Field 0.
    pub f0: u64,
    /// Field 1.
    pub f1: u64,
    /// Field 2.
    pub f2: u64,
    /// Field 3.
    pub f3: u64,
    /// Field 4.
    pub f4: u64,
    /// Field 5.
    pub f5: u64,
    /// Field 6.
    pub f6: u64,
    /// Field 7.
    pub f7: u64,
    /// Field 8.
    pub f8: u64,
    /// Field 9.
    pub f9: u64,
}

/// The component with the 10-field method.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields10;

#[component]
impl Fields10 {
    /// Span `Fields10.record`: every field of `wide`.
    #[inline(never)]
    pub fn record(&self, wide: &Wide10) {
        black_box(wide);
    }
}

static WIDE_10: Wide10 = Wide10 {
    f0: 1,
    f1: 2,
    f2: 3,
    f3: 4,
    f4: 5,
    f5: 6,
    f6: 7,
    f7: 8,
    f8: 9,
    f9: 10,
};

/// The component's method on a constant input.
#[inline(never)]
pub fn component_10() {
    Fields10.record(black_box(&WIDE_10));
}

/// A hand-written span with the same 10 fields, `outcome` and `duration_ns`.
#[inline(never)]
pub fn manual_10() {
    let wide = black_box(&WIDE_10);
    let span = tracing::info_span!(
        "Fields10.record",
        wide.f0 = wide.f0,
        wide.f1 = wide.f1,
        wide.f2 = wide.f2,
        wide.f3 = wide.f3,
        wide.f4 = wide.f4,
        wide.f5 = wide.f5,
        wide.f6 = wide.f6,
        wide.f7 = wide.f7,
        wide.f8 = wide.f8,
        wide.f9 = wide.f9,
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

/// A struct of 30 `u64` fields.
#[derive(Clone, Copy, Debug, caci_core::Telemetry)]
pub struct Wide30 {
    /// Field 0.
    pub f0: u64,
    /// Field 1.
    pub f1: u64,
    /// Field 2.
    pub f2: u64,
    /// Field 3.
    pub f3: u64,
    /// Field 4.
    pub f4: u64,
    /// Field 5.
    pub f5: u64,
    /// Field 6.
    pub f6: u64,
    /// Field 7.
    pub f7: u64,
    /// Field 8.
    pub f8: u64,
    /// Field 9.
    pub f9: u64,
    /// Field 10.
    pub f10: u64,
    /// Field 11.
    pub f11: u64,
    /// Field 12.
    pub f12: u64,
    /// Field 13.
    pub f13: u64,
    /// Field 14.
    pub f14: u64,
    /// Field 15.
    pub f15: u64,
    /// Field 16.
    pub f16: u64,
    /// Field 17.
    pub f17: u64,
    /// Field 18.
    pub f18: u64,
    /// Field 19.
    pub f19: u64,
    /// Field 20.
    pub f20: u64,
    /// Field 21.
    pub f21: u64,
    /// Field 22.
    pub f22: u64,
    /// Field 23.
    pub f23: u64,
    /// Field 24.
    pub f24: u64,
    /// Field 25.
    pub f25: u64,
    /// Field 26.
    pub f26: u64,
    /// Field 27.
    pub f27: u64,
    /// Field 28.
    pub f28: u64,
    /// Field 29.
    pub f29: u64,
}

/// The component with the 30-field method.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields30;

#[component]
impl Fields30 {
    /// Span `Fields30.record`: every field of `wide`.
    #[inline(never)]
    pub fn record(&self, wide: &Wide30) {
        black_box(wide);
    }
}

static WIDE_30: Wide30 = Wide30 {
    f0: 1,
    f1: 2,
    f2: 3,
    f3: 4,
    f4: 5,
    f5: 6,
    f6: 7,
    f7: 8,
    f8: 9,
    f9: 10,
    f10: 11,
    f11: 12,
    f12: 13,
    f13: 14,
    f14: 15,
    f15: 16,
    f16: 17,
    f17: 18,
    f18: 19,
    f19: 20,
    f20: 21,
    f21: 22,
    f22: 23,
    f23: 24,
    f24: 25,
    f25: 26,
    f26: 27,
    f27: 28,
    f28: 29,
    f29: 30,
};

/// The component's method on a constant input.
#[inline(never)]
pub fn component_30() {
    Fields30.record(black_box(&WIDE_30));
}

/// A hand-written span with the same 30 fields, `outcome` and `duration_ns`.
#[inline(never)]
pub fn manual_30() {
    let wide = black_box(&WIDE_30);
    let span = tracing::info_span!(
        "Fields30.record",
        wide.f0 = wide.f0,
        wide.f1 = wide.f1,
        wide.f2 = wide.f2,
        wide.f3 = wide.f3,
        wide.f4 = wide.f4,
        wide.f5 = wide.f5,
        wide.f6 = wide.f6,
        wide.f7 = wide.f7,
        wide.f8 = wide.f8,
        wide.f9 = wide.f9,
        wide.f10 = wide.f10,
        wide.f11 = wide.f11,
        wide.f12 = wide.f12,
        wide.f13 = wide.f13,
        wide.f14 = wide.f14,
        wide.f15 = wide.f15,
        wide.f16 = wide.f16,
        wide.f17 = wide.f17,
        wide.f18 = wide.f18,
        wide.f19 = wide.f19,
        wide.f20 = wide.f20,
        wide.f21 = wide.f21,
        wide.f22 = wide.f22,
        wide.f23 = wide.f23,
        wide.f24 = wide.f24,
        wide.f25 = wide.f25,
        wide.f26 = wide.f26,
        wide.f27 = wide.f27,
        wide.f28 = wide.f28,
        wide.f29 = wide.f29,
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
