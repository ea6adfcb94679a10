//! The per-call path allocates nothing for scalar fields: a counting global
//! allocator watches this thread while an enabled call site runs.
#![allow(unsafe_code)] // a counting `GlobalAlloc` needs it

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};

use caci_core::{Kind, Level, TelemetryCaptureConfiguration};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
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

/// A subscriber that enables everything and formats every field into a
/// sink that keeps only a byte count: it allocates nothing itself.
struct FormattingSubscriber {
    next_id: AtomicU64,
}

/// Bytes of field text the subscriber formatted, process-wide.
static FORMATTED_BYTES: AtomicU64 = AtomicU64::new(0);

struct ByteCount(u64);

impl fmt::Write for ByteCount {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len() as u64;
        Ok(())
    }
}

impl Visit for ByteCount {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self, "{}={value:?}", field.name());
    }
}

impl Subscriber for FormattingSubscriber {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut count = ByteCount(0);
        span.record(&mut count);
        FORMATTED_BYTES.fetch_add(count.0, Ordering::Relaxed);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[derive(Clone, Copy)]
enum Plan {
    Starter,
}

impl caci_core::Capture for Plan {
    fn shape() -> caci_core::Shape {
        caci_core::Shape {
            type_name: "Plan",
            body: caci_core::ShapeBody::Enum(vec![caci_core::VariantShape::new("STARTER", "Starter", vec![])]),
        }
    }
    fn record<'v>(&'v self, out: caci_core::Out<'_, 'v>) {
        match self {
            Plan::Starter => {
                out.variant(0, "STARTER");
            }
        }
    }
}

fn call(business_id: uuid::Uuid, trial: bool, seats: u32, plan: Plan, country: &str, features: &[&str]) {
    let span = caci_core::span!(
        Level::INFO,
        "SubscriptionService.initialize_business",
        business_id = business_id,
        trial = trial,
        seats = seats,
        plan = plan,
        country = country,
        features = features
    );
    drop(span);
}

#[test]
fn an_enabled_call_allocates_nothing_per_call() {
    let subscriber = FormattingSubscriber {
        next_id: AtomicU64::new(1),
    };
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(["trial", "seats", "plan", "country", "features"])
        .allow_kind(Kind::Uuid)
        .build()
        .unwrap();
    caci_core::install(config);
    let id = uuid::Uuid::from_u128(7);
    let features = ["INVOICING", "RECEIPTS"];

    // The first call plans the call site and registers its metadata.
    let first = allocations_during(|| call(id, true, 3, Plan::Starter, "CA", &features));
    assert!(first > 0, "planning allocates once; the counter works");

    let bytes_before = FORMATTED_BYTES.load(Ordering::Relaxed);
    let steady = allocations_during(|| {
        for _ in 0..1_000 {
            call(id, true, 3, Plan::Starter, "CA", &features);
        }
    });
    assert_eq!(steady, 0, "1,000 enabled calls allocated {steady} times");
    let per_call = (FORMATTED_BYTES.load(Ordering::Relaxed) - bytes_before) / 1_000;
    let expected = "business_id=00000000-0000-0000-0000-000000000007trial=trueseats=3plan=\"STARTER\"country=\"CA\"features=[INVOICING, RECEIPTS]";
    assert_eq!(
        per_call,
        expected.len() as u64,
        "every field, the UUID and the list included, was formatted"
    );
}
