use caci_core::Telemetry;

struct Amount(i64);

/// Not `Capture`.
struct Opaque;

fn of_u32(value: &u32) -> i64 {
    i64::from(*value)
}

fn opaque(_: &Amount) -> Opaque {
    Opaque
}

#[derive(Telemetry)]
struct Payment {
    #[telemetry(with = "no_such_function")]
    missing: Amount,
    #[telemetry(with = "of_u32")]
    wrong_input: Amount,
    #[telemetry(with = "opaque")]
    uncapturable_output: Amount,
}

fn main() {}
