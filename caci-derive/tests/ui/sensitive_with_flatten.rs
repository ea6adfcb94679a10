use caci_core::Telemetry;

#[derive(Telemetry)]
struct Card {
    last4: String,
}

#[derive(Telemetry)]
struct Payment {
    #[telemetry(sensitive, flatten)]
    card: Card,
}

fn main() {}
