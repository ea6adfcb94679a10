use caci_core::component;

#[component]
struct Service {
    seats: u32,
}

fn main() {
    // The struct is still emitted: no error here.
    let _ = Service { seats: 1 }.seats;
}
