use caci_core::component;

trait Describe {
    fn describe(&self) -> u32;
}

#[component]
impl Describe for (u32, u32) {
    fn describe(&self) -> u32 {
        self.0
    }
}

#[component(name = "Pair")]
impl Describe for [u32; 2] {
    fn describe(&self) -> u32 {
        self[0]
    }
}

fn main() {}
