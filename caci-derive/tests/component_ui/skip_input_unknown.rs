use caci_core::component;

struct Service;

#[component]
impl Service {
    #[caci(skip_input = "crad", skip_inputs(self, amount))]
    fn charge(&self, card: u32, cents: u64) -> u64 {
        u64::from(card) + cents
    }

    #[caci(skip_inputs(anything))]
    fn nothing(&self) {}
}

fn main() {}
