use caci_core::Telemetry;

#[derive(Telemetry)]
#[telemetry(rename_all = "snake_case")]
struct Business {
    plan: String,
    #[telemetry(rename = "plan")]
    plan_name: String,
}

#[derive(Telemetry)]
#[telemetry(rename_all = "lowercase")]
enum Tier {
    Pro,
    PRO,
}

fn main() {}
