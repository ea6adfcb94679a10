//! Compile-time choice between "capturable" and "not capturable" for
//! generated code, without a `Capture` bound on the user's types.
//!
//! Method resolution tries `Probe<T>` (needs `T: Capture`) before
//! `&Probe<T>` (any `T`), so `(&Probe(&value)).caci_erase()` gives the value
//! when its type implements `Capture` and `None` otherwise. A generic `T`
//! without a `Capture` bound takes the second path.

use std::fmt;

use crate::capture::{Capture, DynCapture};
use crate::shape::Shape;

/// Wraps a reference for the probe traits.
pub struct Probe<'a, T: ?Sized>(pub &'a T);

/// The path taken when `T: Capture`.
pub trait ViaCapture<'a> {
    /// The value, erased.
    fn caci_erase(&self) -> Option<&'a dyn DynCapture>;
    /// The type's shape.
    fn caci_shape(&self) -> Shape;
}

impl<'a, T: Capture> ViaCapture<'a> for Probe<'a, T> {
    #[inline]
    fn caci_erase(&self) -> Option<&'a dyn DynCapture> {
        Some(self.0)
    }
    fn caci_shape(&self) -> Shape {
        T::shape()
    }
}

/// The path taken for any other type.
pub trait ViaOpaque<'a> {
    /// Nothing: the type is not capturable.
    fn caci_erase(&self) -> Option<&'a dyn DynCapture>;
    /// An opaque shape carrying the type's name.
    fn caci_shape(&self) -> Shape;
}

impl<'a, T: ?Sized> ViaOpaque<'a> for &Probe<'a, T> {
    #[inline]
    fn caci_erase(&self) -> Option<&'a dyn DynCapture> {
        None
    }
    fn caci_shape(&self) -> Shape {
        Shape::opaque(std::any::type_name::<T>())
    }
}

/// An error's message, when its type implements `Display`.
pub trait ViaDisplay<'a> {
    /// The value as `Display`.
    fn caci_display(&self) -> Option<&'a dyn fmt::Display>;
}

impl<'a, T: fmt::Display> ViaDisplay<'a> for Probe<'a, T> {
    #[inline]
    fn caci_display(&self) -> Option<&'a dyn fmt::Display> {
        Some(self.0)
    }
}

/// No message for an error type without `Display`.
pub trait ViaNoDisplay<'a> {
    /// Nothing.
    fn caci_display(&self) -> Option<&'a dyn fmt::Display>;
}

impl<'a, T: ?Sized> ViaNoDisplay<'a> for &Probe<'a, T> {
    #[inline]
    fn caci_display(&self) -> Option<&'a dyn fmt::Display> {
        None
    }
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // the borrow is what selects the path
mod tests {
    use super::*;

    struct NotCapturable;

    #[test]
    fn capturable_values_are_erased_and_others_are_not() {
        let flag = true;
        let other = NotCapturable;
        assert!((&Probe(&flag)).caci_erase().is_some());
        assert!((&Probe(&other)).caci_erase().is_none());
        assert_eq!((&Probe(&flag)).caci_shape().kind(), crate::Kind::Bool);
        assert_eq!((&Probe(&other)).caci_shape().kind(), crate::Kind::Opaque);
    }

    fn generic_without_bound<T>(value: &T) -> bool {
        (&Probe(value)).caci_erase().is_some()
    }

    #[test]
    fn unbounded_generics_take_the_opaque_path() {
        assert!(!generic_without_bound(&true));
    }

    #[test]
    fn errors_have_a_message_only_with_display() {
        let io = std::io::Error::other("disk full");
        assert_eq!(
            (&Probe(&io)).caci_display().map(|m| m.to_string()),
            Some("disk full".to_owned())
        );
        assert!((&Probe(&NotCapturable)).caci_display().is_none());
    }
}
