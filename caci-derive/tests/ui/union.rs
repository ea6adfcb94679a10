use caci_core::Telemetry;

#[derive(Telemetry)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
