use caci_core::Telemetry;

/// Neither `Capture` nor `Display`.
struct Amount(i64);

#[derive(Telemetry)]
struct Payment {
    #[telemetry(display)]
    amount: Amount,
    cents: i64,
}

#[derive(Telemetry)]
enum Event {
    Refunded {
        #[telemetry(display)]
        amount: Amount,
    },
}

#[derive(Telemetry)]
struct Total(#[telemetry(display)] Amount);

fn main() {}
