use caci_core::component;

struct Service;

#[component]
impl Service {
    fn charge(&self, #[cfg(test)] card: u32, cents: u64) -> u64 {
        cents
    }
}

fn main() {}
