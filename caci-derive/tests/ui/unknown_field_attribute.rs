use caci_core::Telemetry;

#[derive(Telemetry)]
struct Business {
    #[telemetry(sensitve)]
    tax_reference: String,
}

fn main() {}
