//! A `#[caci_core::component]` method allocates nothing per call once its
//! call site is planned: a counting global allocator watches this thread
//! while a subscriber that enables everything visits every field, those
//! given when the span opens and those recorded when it closes (`outcome`,
//! `duration_ns`).
#![allow(unsafe_code)] // a counting `GlobalAlloc` needs an `unsafe impl`

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};

use caci_benches::{Plan, business, business_id, struct_input, three_inputs};
use caci_core::TelemetryCaptureConfiguration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// Counts this thread's allocations and forwards them to the system.
struct Counting;

// SAFETY: every call forwards to the system allocator with the same
// arguments; the only addition is a thread-local counter, which does not
// allocate (`const` initialised, `try_with` during thread teardown).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's contract for `alloc`, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(body: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    body();
    ALLOCATIONS.with(Cell::get) - before
}

/// Fields visited and bytes formatted by [`VisitingSubscriber`], process-wide.
static VISITED_FIELDS: AtomicU64 = AtomicU64::new(0);
static FORMATTED_BYTES: AtomicU64 = AtomicU64::new(0);

/// A visitor that formats every value into a byte count: no allocation.
#[derive(Default)]
struct ByteCount {
    fields: u64,
    bytes: u64,
}

impl fmt::Write for ByteCount {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes += s.len() as u64;
        Ok(())
    }
}

impl Visit for ByteCount {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.fields += 1;
        let _ = write!(self, "{}={value:?}", field.name());
    }
}

impl ByteCount {
    fn publish(self) {
        VISITED_FIELDS.fetch_add(self.fields, Ordering::Relaxed);
        FORMATTED_BYTES.fetch_add(self.bytes, Ordering::Relaxed);
    }
}

/// Enables everything; formats every field of a new span and every field
/// recorded on it later.
struct VisitingSubscriber {
    next_id: AtomicU64,
}

impl Subscriber for VisitingSubscriber {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut count = ByteCount::default();
        span.record(&mut count);
        count.publish();
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut count = ByteCount::default();
        values.record(&mut count);
        count.publish();
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Plans `call` with one call (which must allocate: the counter works), then
/// asserts that 1,000 more allocate nothing and that each visited
/// `fields_per_call` fields.
fn assert_steady_state_allocates_nothing(what: &str, fields_per_call: u64, call: impl Fn()) {
    let first = allocations_during(&call);
    assert!(
        first > 0,
        "{what}: the first call plans the call site and allocates; the counter works"
    );

    let fields_before = VISITED_FIELDS.load(Ordering::Relaxed);
    let bytes_before = FORMATTED_BYTES.load(Ordering::Relaxed);
    let steady = allocations_during(|| {
        for _ in 0..1_000 {
            call();
        }
    });
    assert_eq!(steady, 0, "{what}: 1,000 enabled calls allocated {steady} times");
    let fields = VISITED_FIELDS.load(Ordering::Relaxed) - fields_before;
    assert_eq!(
        fields,
        1_000 * fields_per_call,
        "{what}: every call recorded its fields"
    );
    assert!(FORMATTED_BYTES.load(Ordering::Relaxed) - bytes_before > 0);
}

#[test]
fn component_methods_allocate_nothing_per_call() {
    tracing::subscriber::set_global_default(VisitingSubscriber {
        next_id: AtomicU64::new(1),
    })
    .expect("the only subscriber of this test binary");
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(caci_benches::THREE_INPUTS)
        .allow_struct_named("Business")
        .build()
        .expect("a valid configuration");
    caci_core::install(config);

    let id = business_id();
    // business_id, trial, plan; then outcome, duration_ns, code.function.name.
    assert_steady_state_allocates_nothing("three inputs", 6, || {
        three_inputs::component(id, true, Plan::Starter);
    });
    let input = business();
    // business.{id, plan, country, trial, seats}; then outcome, duration_ns.
    assert_steady_state_allocates_nothing("five-field struct", 8, || struct_input::component(&input));
}
