use caci_core::Telemetry;

#[derive(Telemetry)]
#[telemetry(rename_al = "camelCase")]
struct Business {
    feature_group: String,
}

fn main() {}
