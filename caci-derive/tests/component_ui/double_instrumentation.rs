use caci_core::{component, instrument_fn};

struct Service;

#[component]
impl Service {
    #[tracing::instrument(skip(self))]
    fn charge(&self, cents: i64) -> i64 {
        cents
    }

    #[tracing::instrument]
    fn refund(cents: i64) -> i64 {
        cents
    }

    #[instrument_fn]
    fn quote(cents: i64) -> i64 {
        cents
    }

    // Kept: `#[caci(skip)]` leaves the method to tracing's span.
    #[caci(skip)]
    #[tracing::instrument(skip(self))]
    fn helper(&self) {}
}

use tracing::instrument;

#[instrument_fn]
#[instrument]
fn charge(cents: i64) -> i64 {
    cents
}

fn main() {
    let _ = Service.charge(1) + Service::refund(1) + Service::quote(1) + charge(1);
    Service.helper();
}
