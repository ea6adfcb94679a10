use caci_core::Telemetry;

#[derive(Telemetry)]
struct TaxReference(#[telemetry(sensitive)] String);

fn main() {}
