use caci_core::Telemetry;

#[derive(Telemetry)]
enum Plan {
    Starter,
}

#[derive(Telemetry)]
struct Business {
    #[telemetry(flatten)]
    seats: u32,
    #[telemetry(flatten)]
    plan: Plan,
}

fn main() {}
