use caci_core::Telemetry;

#[derive(Telemetry)]
#[telemetry(rename_all = "Title Case")]
struct Business {
    #[telemetry(skip, rename = "id")]
    business_id: u64,
    #[telemetry(redact)]
    owner: String,
    #[telemetry(rename = "a.b")]
    plan: String,
}

fn main() {}
