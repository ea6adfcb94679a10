//! `#[component]` on asynchronous methods: `async fn`, `-> impl Future`, and
//! `#[async_trait]` impls. The span goes with the future: entered on every
//! poll, never held across an `.await`.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use caci_core::{Kind, Level, MethodDescriptor, Telemetry, TelemetryCaptureConfiguration, component};
use caci_testkit::Captured;

#[derive(Debug, PartialEq, Telemetry)]
struct Receipt {
    seats: u32,
}

#[derive(Debug, PartialEq)]
struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("declined")
    }
}

/// Pending once, then ready: forces a suspension point.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn config() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::UnsignedInteger, Kind::String, Kind::Bool])
        .build()
        .expect("valid configuration")
}

/// Polls to completion on this thread.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

fn capture<F: Future>(future: F) -> (F::Output, Captured) {
    block_on(caci_testkit::capture_async(&config(), future))
}

/// Opens a child span after a suspension point.
async fn child_after_await() {
    YieldOnce(false).await;
    let _child = caci_core::span!(Level::INFO, "child").entered();
}

fn assert_send<T: Send>(_: &T) {}

struct Checkout {
    seats: u32,
}

#[component]
impl Checkout {
    async fn pay(&self, seats: u32) -> Result<u32, Declined> {
        child_after_await().await;
        if seats == 0 {
            return Err(Declined);
        }
        Ok(self.seats + seats)
    }

    #[caci(capture_output)]
    async fn receipt(&mut self, (low, high): (u32, u32)) -> Receipt {
        YieldOnce(false).await;
        self.seats = low + high;
        Receipt { seats: self.seats }
    }

    fn later(&self, seats: u32) -> impl Future<Output = u32> + Send + '_ {
        async move {
            child_after_await().await;
            self.seats * seats
        }
    }

    #[caci(capture_output)]
    fn later_result(&self, seats: u32) -> impl Future<Output = Result<u32, Declined>> {
        async move {
            YieldOnce(false).await;
            if seats == 0 { Err(Declined) } else { Ok(seats) }
        }
    }

    fn boxed(&self) -> Pin<Box<dyn Future<Output = u32> + Send + '_>> {
        Box::pin(async move {
            child_after_await().await;
            self.seats
        })
    }
}

#[test]
fn an_async_span_is_entered_across_awaits() {
    let checkout = Checkout { seats: 1 };
    let future = checkout.pay(2);
    assert_send(&future);
    let (paid, captured) = capture(future);
    assert_eq!(paid, Ok(3));
    let pay = captured.span("Checkout.pay");
    pay.assert_field("seats", 2).assert_field("outcome", "ok");
    assert!(pay.closed);
    let child = captured.span("child");
    assert_eq!(
        captured.parent_of(child).map(|span| span.name.as_str()),
        Some("Checkout.pay")
    );
}

#[test]
fn async_errors_and_outputs() {
    let mut checkout = Checkout { seats: 1 };
    let (declined, captured) = capture(checkout.pay(0));
    assert_eq!(declined, Err(Declined));
    captured
        .span("Checkout.pay")
        .assert_field("outcome", "error")
        .assert_field("error.type", std::any::type_name::<Declined>());

    let (receipt, captured) = capture(checkout.receipt((2, 3)));
    assert_eq!(receipt, Receipt { seats: 5 });
    captured
        .span("Checkout.receipt")
        .assert_field("return.seats", 5)
        .assert_no_field("arg0");
}

#[test]
fn a_dropped_future_is_cancelled() {
    let checkout = Checkout { seats: 1 };
    let ((), captured) = block_on(caci_testkit::capture_async(&config(), async {
        let mut pay = pin!(checkout.pay(1));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(pay.as_mut().poll(&mut cx).is_pending());
    }));
    captured.span("Checkout.pay").assert_field("outcome", "cancelled");
}

#[test]
fn returned_futures_are_instrumented_until_they_complete() {
    let checkout = Checkout { seats: 3 };
    assert_send(&checkout.later(2));
    // The span opens when the function is called, and closes when its future
    // completes.
    let (product, captured) = capture(async { checkout.later(2).await });
    assert_eq!(product, 6);
    let later = captured.span("Checkout.later");
    later.assert_field("seats", 2).assert_field("outcome", "ok");
    let child = captured.span("child");
    assert_eq!(
        captured.parent_of(child).map(|span| span.name.as_str()),
        Some("Checkout.later")
    );

    let (results, captured) = capture(async { (checkout.later_result(0).await, checkout.later_result(4).await) });
    assert_eq!(results, (Err(Declined), Ok(4)));
    let spans: Vec<_> = captured.spans_named("Checkout.later_result").collect();
    spans[0].assert_field("outcome", "error").assert_no_field("return");
    spans[1].assert_field("outcome", "ok").assert_field("return", 4);

    let (seats, captured) = capture(async { checkout.boxed().await });
    assert_eq!(seats, 3);
    let child = captured.span("child");
    assert_eq!(
        captured.parent_of(child).map(|span| span.name.as_str()),
        Some("Checkout.boxed")
    );
}

// ---- #[async_trait] ----

#[async_trait]
trait Payments {
    async fn charge(&self, cents: u32) -> Result<u32, Declined>;
    async fn refund(&self, cents: u32) -> u32;
}

struct Card;
struct Wire;

/// Above `#[async_trait]`, `#[component]` sees the `async fn`s as written.
#[component]
#[async_trait]
impl Payments for Card {
    #[caci(capture_output)]
    async fn charge(&self, cents: u32) -> Result<u32, Declined> {
        child_after_await().await;
        if cents == 0 { Err(Declined) } else { Ok(cents) }
    }

    async fn refund(&self, cents: u32) -> u32 {
        cents
    }
}

/// Below it, `#[component]` sees the boxed futures `#[async_trait]` made.
#[async_trait]
#[component]
impl Payments for Wire {
    async fn charge(&self, cents: u32) -> Result<u32, Declined> {
        child_after_await().await;
        if cents == 0 { Err(Declined) } else { Ok(cents) }
    }

    async fn refund(&self, cents: u32) -> u32 {
        cents
    }
}

#[test]
fn async_trait_impls_in_either_order() {
    let card: &(dyn Payments + Sync) = &Card;
    let future = card.charge(5);
    assert_send(&future);
    let (charged, captured) = capture(future);
    assert_eq!(charged, Ok(5));
    let charge = captured.span("Card.charge");
    charge.assert_field("cents", 5).assert_field("return", 5);
    let child = captured.span("child");
    assert_eq!(
        captured.parent_of(child).map(|span| span.name.as_str()),
        Some("Card.charge")
    );

    let wire: &(dyn Payments + Sync) = &Wire;
    let (charged, captured) = capture(async { (wire.charge(0).await, wire.refund(2).await) });
    assert_eq!(charged, (Err(Declined), 2));
    captured
        .span("Wire.charge")
        .assert_field("cents", 0)
        .assert_field("outcome", "error");
    captured.span("Wire.refund").assert_field("outcome", "ok");
    let child = captured.span("child");
    assert_eq!(
        captured.parent_of(child).map(|span| span.name.as_str()),
        Some("Wire.charge")
    );

    let charge = MethodDescriptor::all()
        .find(|descriptor| descriptor.site().name == "Card.charge")
        .expect("registered");
    assert_eq!(
        charge.info().signature,
        "async charge(&self, cents: u32) -> Result<u32, Declined>"
    );
}
