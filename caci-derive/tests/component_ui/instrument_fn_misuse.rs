use caci_core::instrument_fn;

struct Service;

impl Service {
    #[instrument_fn]
    fn method(&self) {}

    #[instrument_fn]
    fn constructor() -> Self {
        Service
    }
}

#[instrument_fn]
#[caci(skip_input = "card")]
fn charge(card: u32) -> u32 {
    card
}

#[instrument_fn(colour = "blue")]
const fn constant() {}

#[instrument_fn]
impl Service {}

fn main() {}
