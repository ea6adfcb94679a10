use caci_core::component;

struct Service;

#[component]
impl Service {
    #[caci(skip)]
    const LIMIT: u32 = 3;

    #[caci]
    fn bare(&self) {}
}

fn main() {}
