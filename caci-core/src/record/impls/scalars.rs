//! `Capture` for primitives, strings, UUIDs (feature `uuid`) and `time`
//! values (feature `time`).

use std::borrow::Cow;

use crate::record::capture::{Capture, Out};
use crate::shape::{Kind, Shape};

/// One trusted scalar impl per line: the type, its kind, and how a value
/// (`value`, a reference) is offered to `out`.
macro_rules! scalars {
    ($( [$($generics:tt)*] $ty:ty => $kind:ident, |$value:ident, $out:ident| $record:expr; )*) => {$(
        impl<$($generics)*> Capture for $ty {
            fn trusted() -> bool {
                true
            }
            fn shape() -> Shape {
                Shape::scalar::<Self>(Kind::$kind)
            }
            #[inline]
            fn record<'v>(&'v self, $out: Out<'_, 'v>) {
                let $value = self;
                $record
            }
        }
    )*};
}

scalars! {
    [] bool => Bool, |value, out| out.bool(*value);
    [] i8 => SignedInteger, |value, out| out.i64(i64::from(*value));
    [] i16 => SignedInteger, |value, out| out.i64(i64::from(*value));
    [] i32 => SignedInteger, |value, out| out.i64(i64::from(*value));
    [] i64 => SignedInteger, |value, out| out.i64(*value);
    // isize is at most 64 bits on every supported target.
    [] isize => SignedInteger, |value, out| out.i64(*value as i64);
    [] i128 => SignedInteger, |value, out| out.i128(value);
    [] u8 => UnsignedInteger, |value, out| out.u64(u64::from(*value));
    [] u16 => UnsignedInteger, |value, out| out.u64(u64::from(*value));
    [] u32 => UnsignedInteger, |value, out| out.u64(u64::from(*value));
    [] u64 => UnsignedInteger, |value, out| out.u64(*value);
    [] usize => UnsignedInteger, |value, out| out.u64(*value as u64);
    [] u128 => UnsignedInteger, |value, out| out.u128(value);
    [] f32 => Float, |value, out| out.f64(f64::from(*value));
    [] f64 => Float, |value, out| out.f64(*value);
    [] char => String, |value, out| out.display(value);
    [] str => String, |value, out| out.str(value);
    [] String => String, |value, out| out.str(value);
    [] Cow<'_, str> => String, |value, out| out.str(value);
}

// Each renders in at most this many characters (`Duration` is unbounded).
#[cfg(feature = "uuid")]
scalars! {
    [] uuid::Uuid => Uuid, |value, out| out.short_display(value, 36);
}

#[cfg(feature = "time")]
scalars! {
    [] time::Date => Date, |value, out| out.short_display(value, 13);
    [] time::Time => Time, |value, out| out.short_display(value, 18);
    [] time::Duration => Duration, |value, out| out.short_display(value, usize::MAX);
    [] time::OffsetDateTime => DateTime, |value, out| out.offset_date_time(value);
    [] time::PrimitiveDateTime => DateTime, |value, out| out.primitive_date_time(value);
}
