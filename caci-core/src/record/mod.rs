//! Recording a call's values: the [`Capture`](capture::Capture) trait and
//! the [`Out`](capture::Out) a value offers its leaves to, where those
//! leaves are written (`sink`) and kept (`slot`), their rendering as text (`render`), and CACI's
//! own `Capture` impls (`impls`). A visit follows a plan (the layer below)
//! and never decides anything itself.

pub(crate) mod capture;
pub(crate) mod error_type;
mod impls;
pub(crate) mod render;
pub(crate) mod sink;
pub(crate) mod slot;

pub use impls::MapKey;
