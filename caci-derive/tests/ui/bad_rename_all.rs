use caci_core::Telemetry;

#[derive(Telemetry)]
#[telemetry(rename_all = "ScreamingSnakeCase")]
enum Plan {
    Starter,
    Pro,
}

fn main() {}
