use caci_core::Telemetry;

struct Card {
    number: String,
}

struct Instant;

// Two fields of types without `Capture`: one error each, at the field's type.
#[derive(Telemetry)]
struct Payment {
    card: Card,
    at: Instant,
}

#[derive(Telemetry)]
enum Event {
    Paid { card: Card },
}

fn main() {}
