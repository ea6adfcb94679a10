use caci_core::component;

struct Service;

#[component]
impl Service {
    #[caci(capture_output)]
    fn nothing(&self) {}

    #[caci(capture_output)]
    fn opaque(&self) -> impl Iterator<Item = u32> {
        0..3
    }

    #[caci(capture_output)]
    fn never(&self) -> ! {
        panic!()
    }
}

// Asked for by the whole component, capture simply does not apply to these.
#[component(capture_output)]
impl Service {
    fn quiet(&self) {}
    fn items(&self) -> impl Iterator<Item = u32> {
        0..3
    }
}

fn main() {}
