use caci_core::Telemetry;

#[derive(Telemetry)]
struct Card {
    last4: String,
}

#[derive(Telemetry)]
struct Pair(#[telemetry(flatten)] Card, u32);

fn main() {}
