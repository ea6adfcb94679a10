use caci_core::Telemetry;

struct Card {
    number: String,
}

#[derive(Telemetry)]
struct Payment {
    card: Card,
}

fn main() {}
