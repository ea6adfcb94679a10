use caci_core::component;

struct Service;

// One bad option: one error, and the methods stay usable as written.
#[component]
impl Service {
    #[caci(level = "loud")]
    fn charge(&self, card: u32) -> u32 {
        card
    }

    fn refund(&self) -> u32 {
        self.charge(2)
    }
}

fn main() {
    let _ = Service.refund();
}
