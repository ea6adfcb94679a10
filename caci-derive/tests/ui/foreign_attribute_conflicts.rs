use caci_core::Telemetry;

struct Amount;

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("1.00")
    }
}

fn cents(_: &Amount) -> i64 {
    100
}

#[derive(Telemetry)]
struct Payment {
    #[telemetry(display, with = "cents")]
    both: Amount,
    #[telemetry(display, sensitive)]
    hidden: Amount,
    #[telemetry(with = "cents", flatten)]
    flattened: Amount,
    #[telemetry(skip, display)]
    skipped: Amount,
    #[telemetry(with = "not a path")]
    unparsable: Amount,
    #[telemetry(with = 3)]
    not_a_function: Amount,
}

#[derive(Telemetry)]
enum Event {
    Paid(#[telemetry(with = "cents", display)] Amount, u32),
}

fn main() {}
