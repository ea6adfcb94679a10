//! The expansion uses absolute paths only: it compiles with the prelude's
//! names and the `core`/`std` crates shadowed, and through a re-export
//! (`crate = path`).
#![no_implicit_prelude]
#![allow(dead_code, non_camel_case_types)]

extern crate caci_core;
extern crate std as real_std;

mod core {}
mod std {}

struct Result;
struct Option;
struct Some;
struct None;
struct Ok;
struct Err;
struct Vec;
struct String;
struct Box;
struct From;
struct Clone;
struct __private;
struct __CACI_SITE;
trait Capture {}
trait Sized {}
fn __caci_descriptor_shapes() {}

mod reexport {
    pub extern crate caci_core as caci;
}

struct Service {
    seats: u32,
}

#[caci_core::component]
impl Service {
    #[caci(skip)]
    fn skipped(&self) -> u32 {
        0
    }

    fn seats(&self, added: u32, (low, high): (u32, u32)) -> u32 {
        self.seats + added + low + high
    }

    fn fallible(&self, fail: bool) -> real_std::result::Result<u32, real_std::string::String> {
        if fail {
            return real_std::result::Result::Err(real_std::string::ToString::to_string("no"));
        }
        real_std::result::Result::Ok(self.seats)
    }

    #[caci(capture_output)]
    async fn later(&self) -> u32 {
        self.seats
    }

    fn future(&self) -> impl real_std::future::Future<Output = u32> + '_ {
        async move { self.seats }
    }

    fn boxed(&self) -> real_std::pin::Pin<real_std::boxed::Box<dyn real_std::future::Future<Output = u32> + '_>> {
        real_std::boxed::Box::pin(async move { self.seats })
    }

    fn generic<T: caci_core::Capture>(&self, value: T, other: impl real_std::fmt::Debug) -> T {
        let _ = other;
        value
    }
}

#[caci_core::component(crate = reexport::caci, capture_output)]
impl Service {
    fn through_reexport(&self) -> u32 {
        self.seats
    }
}

#[caci_core::instrument_fn(component = "Free", crate = reexport::caci)]
fn free(plan: u8) -> u8 {
    plan
}

fn main() {
    let service = Service { seats: 1 };
    let _ = service.seats(1, (2, 3));
    let _ = service.fallible(true);
    let _ = service.through_reexport();
    let _ = service.generic(1u8, 2u8);
    let _ = free(1);
}
