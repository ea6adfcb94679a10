use caci_core::component;

#[component]
trait Billing {
    fn charge(&self);
}

#[component]
enum Plan {
    Starter,
}

#[component]
mod nested {}

#[component]
fn free() {}

fn main() {
    free();
    let _ = Plan::Starter;
}
