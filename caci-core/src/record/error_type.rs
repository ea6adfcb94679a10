//! `error.type`: the low-cardinality name of a failed call's error.
//!
//! The variant of an error enum deriving `Telemetry`
//! (`BillingError::CardDeclined`), an `std::io::Error`'s kind
//! (`std::io::ErrorKind::NotFound`), a boxed `dyn Error`'s (or, with the
//! `anyhow` feature, an `anyhow::Error`'s) root cause when it is an
//! `io::Error`, and the error's type name for anything else. Never its
//! message.

use std::error::Error;
use std::io;

/// The name a failed call's error is recorded under, as `error.type` on the
/// span and as the `error.type` label of the method's metrics.
///
/// `#[derive(Telemetry)]` implements it for enums: the variant's name after
/// the type's (`BillingError::CardDeclined`). Implement it by hand for an
/// error struct with a kind field; the name must come from a small fixed set
/// (it is a metric label), never from the error's message or data.
///
/// ```
/// use caci_core::ErrorType;
///
/// #[derive(caci_core::Telemetry, Debug)]
/// enum BillingError {
///     NotFound,
///     CardDeclined { code: u16 },
/// }
///
/// assert_eq!(BillingError::CardDeclined { code: 51 }.error_type(), "BillingError::CardDeclined");
/// let io = std::io::Error::from(std::io::ErrorKind::NotFound);
/// assert_eq!(io.error_type(), "std::io::ErrorKind::NotFound");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `error.type` name of its own",
    note = "derive `Telemetry` on an error enum to record its variant, or implement `ErrorType`"
)]
pub trait ErrorType {
    /// The error's name: a `'static` string from a small fixed set.
    fn error_type(&self) -> &'static str;
}

impl<E: ErrorType + ?Sized> ErrorType for &E {
    #[inline]
    fn error_type(&self) -> &'static str {
        (**self).error_type()
    }
}

/// `std::io::ErrorKind` names, and the same behind a boxed `dyn Error`.
macro_rules! io_kinds {
    ($($kind:ident),* $(,)?) => {
        fn io_kind_name(kind: io::ErrorKind) -> &'static str {
            match kind {
                $(io::ErrorKind::$kind => concat!("std::io::ErrorKind::", stringify!($kind)),)*
                _ => "std::io::Error",
            }
        }

        fn boxed_io_kind_name(kind: io::ErrorKind) -> &'static str {
            match kind {
                $(io::ErrorKind::$kind => concat!("Box<dyn Error>: std::io::ErrorKind::", stringify!($kind)),)*
                _ => "Box<dyn Error>: std::io::Error",
            }
        }

        #[cfg(feature = "anyhow")]
        fn anyhow_io_kind_name(kind: io::ErrorKind) -> &'static str {
            match kind {
                $(io::ErrorKind::$kind => concat!("anyhow::Error: std::io::ErrorKind::", stringify!($kind)),)*
                _ => "anyhow::Error: std::io::Error",
            }
        }
    };
}

io_kinds!(
    NotFound,
    PermissionDenied,
    ConnectionRefused,
    ConnectionReset,
    ConnectionAborted,
    NotConnected,
    AddrInUse,
    AddrNotAvailable,
    BrokenPipe,
    AlreadyExists,
    WouldBlock,
    InvalidInput,
    InvalidData,
    TimedOut,
    WriteZero,
    Interrupted,
    Unsupported,
    UnexpectedEof,
    OutOfMemory,
    Other,
);

impl ErrorType for io::Error {
    fn error_type(&self) -> &'static str {
        io_kind_name(self.kind())
    }
}

/// The outermost error's own type cannot be named through `dyn Error`; its
/// root cause is looked at where that is cheap: an `io::Error` gives its kind.
fn boxed(error: &(dyn Error + 'static)) -> &'static str {
    let mut root = error;
    // A bounded walk: a source chain can be long, never cyclic in practice.
    for _ in 0..16 {
        match root.source() {
            Some(next) => root = next,
            None => break,
        }
    }
    match root.downcast_ref::<io::Error>() {
        Some(io) => boxed_io_kind_name(io.kind()),
        None => "Box<dyn Error>",
    }
}

impl ErrorType for Box<dyn Error> {
    fn error_type(&self) -> &'static str {
        boxed(self.as_ref())
    }
}

impl ErrorType for Box<dyn Error + Send> {
    fn error_type(&self) -> &'static str {
        boxed(self.as_ref())
    }
}

impl ErrorType for Box<dyn Error + Send + Sync> {
    fn error_type(&self) -> &'static str {
        boxed(self.as_ref())
    }
}

/// With the `anyhow` feature: the root cause's kind when it is an
/// `io::Error`, `anyhow::Error` otherwise (the context chain's types cannot
/// be named through `dyn Error`).
#[cfg(feature = "anyhow")]
impl ErrorType for anyhow::Error {
    fn error_type(&self) -> &'static str {
        match self.root_cause().downcast_ref::<io::Error>() {
            Some(io) => anyhow_io_kind_name(io.kind()),
            None => "anyhow::Error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapper(io::Error);

    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("wrapped")
        }
    }

    impl Error for Wrapper {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn io_errors_are_named_by_kind_never_by_message() {
        let error = io::Error::new(io::ErrorKind::PermissionDenied, "owner@example.com may not");
        assert_eq!(error.error_type(), "std::io::ErrorKind::PermissionDenied");
        assert_eq!(io::Error::other("x").error_type(), "std::io::ErrorKind::Other");
    }

    #[test]
    fn boxed_errors_name_an_io_root_cause() {
        let boxed: Box<dyn Error + Send + Sync> = Box::new(Wrapper(io::ErrorKind::TimedOut.into()));
        assert_eq!(boxed.error_type(), "Box<dyn Error>: std::io::ErrorKind::TimedOut");
        let plain: Box<dyn Error> = "no root cause".into();
        assert_eq!(plain.error_type(), "Box<dyn Error>");
    }

    #[cfg(feature = "anyhow")]
    #[test]
    fn anyhow_errors_name_an_io_root_cause() {
        let error = anyhow::Error::new(io::Error::from(io::ErrorKind::NotFound)).context("loading owner@example.com");
        assert_eq!(error.error_type(), "anyhow::Error: std::io::ErrorKind::NotFound");
        assert_eq!(anyhow::anyhow!("no io cause").error_type(), "anyhow::Error");
    }
}
