//! `Capture` for primitives, strings, UUIDs (feature `uuid`) and `time`
//! values (feature `time`), and, each behind the feature of its crate's
//! name, for `chrono`, `rust_decimal` and `jiff` values.

use std::borrow::Cow;

#[cfg(feature = "chrono")]
use std::fmt;

use crate::record::capture::{Capture, Out};
#[cfg(feature = "chrono")]
use crate::record::render::Render;
use crate::shape::{Kind, Shape};

/// One trusted scalar impl per line: the type, its kind, and how a value
/// (`value`, a reference) is offered to `out`.
macro_rules! scalars {
    ($( [$($generics:tt)*] $ty:ty => $kind:ident, |$value:ident, $out:ident| $record:expr; )*) => {$(
        impl<$($generics)*> Capture for $ty {
            const LOOKS_FIRST: bool = true;
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
    [] bool => Bool, |value, out| out.bool_ref(value);
    [] i8 => SignedInteger, |value, out| out.signed_ref(value, i64::from(*value));
    [] i16 => SignedInteger, |value, out| out.signed_ref(value, i64::from(*value));
    [] i32 => SignedInteger, |value, out| out.signed_ref(value, i64::from(*value));
    [] i64 => SignedInteger, |value, out| out.i64_ref(value);
    // isize is at most 64 bits on every supported target.
    [] isize => SignedInteger, |value, out| out.signed_ref(value, *value as i64);
    [] i128 => SignedInteger, |value, out| out.i128(value);
    [] u8 => UnsignedInteger, |value, out| out.u64(u64::from(*value));
    [] u16 => UnsignedInteger, |value, out| out.u64(u64::from(*value));
    [] u32 => UnsignedInteger, |value, out| out.u64(u64::from(*value));
    [] u64 => UnsignedInteger, |value, out| out.u64_ref(value);
    [] usize => UnsignedInteger, |value, out| out.u64(*value as u64);
    [] u128 => UnsignedInteger, |value, out| out.u128(value);
    [] f32 => Float, |value, out| out.f64(f64::from(*value));
    [] f64 => Float, |value, out| out.f64_ref(value);
    [] char => String, |value, out| out.char(value);
    [] String => String, |value, out| out.str_through(value, value);
    [] Cow<'_, str> => String, |value, out| out.str(value);
}

/// A `&str` field is handed to `tracing` as the reference it is.
impl Capture for str {
    const LOOKS_FIRST: bool = true;
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::String)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.str(self);
    }
    #[inline]
    fn record_through<'v, 'a: 'v>(this: &'v &'a Self, out: Out<'_, 'v>) {
        out.str_through(this, this);
    }
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

// Widths as above; `chrono` years reach six digits and a sign.
#[cfg(feature = "chrono")]
scalars! {
    [Tz: chrono::TimeZone] chrono::DateTime<Tz> => DateTime, |value, out| out.rendered(value);
    [] chrono::NaiveDateTime => DateTime, |value, out| out.rendered(value);
    [] chrono::NaiveDate => Date, |value, out| out.short_display(value, 14);
    [] chrono::NaiveTime => Time, |value, out| out.short_display(value, 18);
    [] chrono::TimeDelta => Duration, |value, out| out.short_display(value, usize::MAX);
}

/// RFC 3339, `Z` for UTC and as many fraction digits as needed
/// (`2026-11-25T12:00:00Z`), as `time::OffsetDateTime` renders.
#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> Render for chrono::DateTime<Tz> {
    fn render(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        use chrono::Offset as _;
        let offset = self.offset().fix();
        let local = self.naive_local();
        write!(out, "{local:?}")?;
        if offset.local_minus_utc() == 0 {
            out.write_char('Z')
        } else {
            write!(out, "{offset:?}")
        }
    }
}

/// ISO 8601 without an offset (`2026-11-25T12:00:00`), as
/// `time::PrimitiveDateTime` renders (chrono's `Display` puts a space
/// between the date and the time).
#[cfg(feature = "chrono")]
impl Render for chrono::NaiveDateTime {
    fn render(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        write!(out, "{self:?}")
    }
}

// Exact: the text keeps every digit and the scale (`12.3400`). At most 29
// digits, a point, a leading `0` and a sign.
#[cfg(feature = "rust_decimal")]
scalars! {
    [] rust_decimal::Decimal => Decimal, |value, out| out.short_display(value, 32);
}

// RFC 3339 and RFC 9557 (`ZonedDateTime` adds its time zone, `[Europe/Paris]`).
#[cfg(feature = "jiff")]
scalars! {
    [] jiff::Timestamp => DateTime, |value, out| out.short_display(value, usize::MAX);
    [] jiff::ZonedDateTime => DateTime, |value, out| out.short_display(value, usize::MAX);
    [] jiff::civil::DateTime => DateTime, |value, out| out.short_display(value, usize::MAX);
    [] jiff::civil::Date => Date, |value, out| out.short_display(value, 13);
    [] jiff::civil::Time => Time, |value, out| out.short_display(value, 18);
    [] jiff::SignedDuration => Duration, |value, out| out.short_display(value, usize::MAX);
    [] jiff::Span => Duration, |value, out| out.short_display(value, usize::MAX);
}
