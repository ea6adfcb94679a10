//! Built-in `Capture` implementations.

mod containers;
mod scalars;

pub use containers::MapKey;
