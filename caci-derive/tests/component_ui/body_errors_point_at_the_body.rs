use caci_core::component;

struct Service;

struct NotAnError;

// Mistakes in a wrapped body are reported as they would be without the
// macro: at the user's tokens.
#[component]
impl Service {
    fn seats(&self) -> u32 {
        "three"
    }

    fn parse(&self, text: &str) -> Result<u32, NotAnError> {
        let value: u32 = text.parse()?;
        Ok(value)
    }
}

// The same in a trait impl, whose methods are wrapped in place.
trait Counted {
    fn count(&self) -> u32;
}

#[component]
impl Counted for Service {
    fn count(&self) -> u32 {
        "three"
    }
}

fn main() {}
