//! The expansion uses absolute paths only: it compiles with the prelude's
//! names and the `core`/`std` crates shadowed.
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
struct __private;
trait Capture {}
trait Sized {}
const out: () = ();

#[derive(caci_core::Telemetry)]
struct Inner {
    value: u32,
}

#[derive(caci_core::Telemetry)]
#[telemetry(rename_all = "camelCase")]
struct Outer<'v, T> {
    plain: u8,
    borrowed: &'v str,
    generic: T,
    #[telemetry(flatten)]
    inner: Inner,
    #[telemetry(sensitive)]
    secret: Result,
    #[telemetry(skip)]
    skipped: Option,
}

#[derive(caci_core::Telemetry)]
struct Id(u64);

#[derive(caci_core::Telemetry)]
struct Pair(u8, bool);

#[derive(caci_core::Telemetry)]
enum Event {
    Unit,
    Named { out: u8, __fields: bool, __field_out: bool },
    Tuple(u8, #[telemetry(sensitive)] Err),
    Flattened(#[telemetry(flatten)] Inner),
}

#[derive(caci_core::Telemetry)]
enum Never {}

struct WithJob;
struct Shape;
fn unwrap_or_else() {}

fn as_len(value: &real_std::string::String) -> usize {
    value.len()
}

// Fields of types without `Capture`, through `display` and `with`.
#[derive(caci_core::Telemetry)]
struct Foreign<T> {
    #[telemetry(display)]
    shown: real_std::net::Ipv4Addr,
    #[telemetry(display)]
    generic: T,
    #[telemetry(with = "as_len")]
    counted: real_std::string::String,
}

#[derive(caci_core::Telemetry)]
struct ForeignId(#[telemetry(display)] real_std::net::Ipv4Addr);

fn main() {}

// Generated from another macro: the field types carry the caller's
// hygiene context, the derive's own names the macro's.
macro_rules! telemetry_struct {
    ($name:ident { $($field:ident: $ty:ty),* }) => {
        #[derive(caci_core::Telemetry)]
        struct $name {
            $($field: $ty,)*
        }

        #[derive(caci_core::Telemetry)]
        enum Wrapped {
            Only { $($field: $ty,)* },
        }
    };
}

telemetry_struct!(FromMacro { count: u32, label: &'static str });
