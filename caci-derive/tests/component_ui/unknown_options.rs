use caci_core::component;

struct Service;

#[component(nmae = "Billing", level = "loud")]
impl Service {
    #[caci(skip_inptus(card))]
    fn charge(&self, card: u32) -> u32 {
        card
    }

    #[caci(name = "")]
    fn refund(&self) {}
}

fn main() {
    // Every method is still there, unwrapped.
    let _ = Service.charge(1);
    Service.refund();
}
