//! Memory stays flat across reloads: installing 1,000 distinct
//! configurations, with 10 call sites called after each install, keeps
//! less than 64 KB in total once the captured field sets repeat. Plans that
//! record alike are shared between configurations, plans hold only what
//! they record with, and configuration identities are forgotten with their
//! last rules. A counting allocator measures the bytes kept (allocated
//! minus freed) process-wide.
#![allow(unsafe_code)] // a counting `GlobalAlloc` needs an `unsafe impl`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicI64, Ordering};

use caci_core::{Kind, TelemetryCaptureConfiguration, component};

/// Bytes allocated and not yet freed, process-wide.
static KEPT: AtomicI64 = AtomicI64::new(0);

struct Counting;

// SAFETY: every call forwards to the system allocator with the same
// arguments; the only addition is an atomic counter, which does not
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        KEPT.fetch_add(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc`, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        KEPT.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        KEPT.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        // SAFETY: the caller's contract for `realloc`, passed on unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[derive(Clone, Copy, caci_core::Telemetry)]
enum Plan {
    Starter,
    Pro,
}

struct Billing;

#[component]
impl Billing {
    fn a(&self, plan: Plan, seats: u32, country: &str) {
        let _ = (plan, seats, country);
    }
    fn b(&self, plan: Plan, trial: bool) {
        let _ = (plan, trial);
    }
    fn c(&self, seats: u32) {
        let _ = seats;
    }
    fn d(&self, country: &str, trial: bool) {
        let _ = (country, trial);
    }
    fn e(&self, plan: Plan) {
        let _ = plan;
    }
}

struct Catalog;

#[component]
impl Catalog {
    fn f(&self, plan: Plan, seats: u32) {
        let _ = (plan, seats);
    }
    fn g(&self, country: &str) {
        let _ = country;
    }
    fn h(&self, trial: bool, seats: u32) {
        let _ = (trial, seats);
    }
    fn i(&self, plan: Plan, country: &str, trial: bool) {
        let _ = (plan, country, trial);
    }
    fn j(&self, seats: u32, plan: Plan) {
        let _ = (seats, plan);
    }
}

fn call_every_site() {
    Billing.a(Plan::Starter, 3, "CA");
    Billing.b(Plan::Pro, true);
    Billing.c(7);
    Billing.d("DE", false);
    Billing.e(Plan::Pro);
    Catalog.f(Plan::Starter, 1);
    Catalog.g("FR");
    Catalog.h(true, 2);
    Catalog.i(Plan::Pro, "US", false);
    Catalog.j(4, Plan::Starter);
}

/// Configuration `index`: one of four captured field sets, made distinct by
/// a name no site has (as a reload of an edited file would be).
fn configuration(index: usize) -> TelemetryCaptureConfiguration {
    let sets: [&[&str]; 4] = [
        &["plan"],
        &["plan", "seats"],
        &["country", "trial"],
        &["seats", "trial", "country"],
    ];
    TelemetryCaptureConfiguration::builder()
        .allow_fields(sets[index % 4].iter().copied())
        .allow_field(format!("edit_{index}"))
        .allow_kind(if index.is_multiple_of(2) {
            Kind::Bool
        } else {
            Kind::Enum
        })
        .build()
        .unwrap()
}

fn install_and_call(range: std::ops::Range<usize>) {
    for index in range {
        caci_core::install(configuration(index));
        call_every_site();
    }
}

/// Enables every span and keeps nothing of them: what is kept is CACI's.
/// (`tracing-subscriber`'s registry grows its span pages on its own schedule,
/// which is not what this measures.)
struct EnablesEverything;

impl tracing::Subscriber for EnablesEverything {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn a_thousand_reloads_keep_less_than_64_kb() {
    // A subscriber that enables every span, so that every site plans.
    tracing::subscriber::set_global_default(EnablesEverything).unwrap();
    // Warm-up: every field set planned once at every site.
    install_and_call(0..40);
    let before = KEPT.load(Ordering::Relaxed);
    install_and_call(40..1_040);
    let kept = KEPT.load(Ordering::Relaxed) - before;
    println!("1,000 installs kept {kept} bytes");
    assert!(kept < 64 * 1024, "1,000 installs kept {kept} bytes");
    // And planning again after a change still works.
    let caught = caci_core::safety_counters();
    assert_eq!(caught.dropped_plans, 0);
}
