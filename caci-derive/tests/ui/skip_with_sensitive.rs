use caci_core::Telemetry;

#[derive(Telemetry)]
struct Business {
    #[telemetry(skip, sensitive)]
    tax_reference: String,
}

fn main() {}
