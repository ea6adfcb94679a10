use caci_core::component;

struct Service;

#[component]
impl Service {
    #[caci(skip, name = "charged", level = "debug", capture_output)]
    fn charge(&self) -> u32 {
        1
    }

    #[caci(capture_output)]
    const fn constant() -> u32 {
        1
    }
}

fn main() {}
