use caci_core::Telemetry;

// The only error is the unknown attribute: the types that use `Card` (as a
// field, flattened, as a span input) still compile.
#[derive(Telemetry)]
struct Card {
    #[telemetry(bogus)]
    last4: String,
}

#[derive(Telemetry)]
struct Payment {
    card: Card,
    #[telemetry(flatten)]
    backup: Card,
}

#[derive(Telemetry)]
enum Method {
    Card(Card),
}

fn main() {
    let card = Card { last4: "4242".into() };
    let _span = caci_core::span!(caci_core::Level::INFO, "pay", card = card);
}
