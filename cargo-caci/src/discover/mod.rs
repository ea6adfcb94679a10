//! What `init` finds in a crate: its items ([`index`]), how written types
//! read ([`typeref`]), what names say ([`names`]), the components
//! ([`components`]) and the domain types ([`types`]).

pub mod components;
pub mod index;
pub mod names;
pub mod typeref;
pub mod types;
