//! `Capture` for primitives, strings, UUIDs and `time` values.

use std::borrow::Cow;

use crate::record::capture::{Capture, Out};
use crate::shape::{Kind, Shape};

impl Capture for bool {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::Bool)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.bool(*self);
    }
}

macro_rules! signed {
    ($($ty:ty),*) => {$(
        impl Capture for $ty {
            fn trusted() -> bool {
        true
    }
            fn shape() -> Shape {
                Shape::scalar::<Self>(Kind::SignedInteger)
            }
            #[inline]
            fn record<'v>(&'v self, out: Out<'_, 'v>) {
                out.i64(i64::from(*self));
            }
        }
    )*};
}
signed!(i8, i16, i32, i64);

macro_rules! unsigned {
    ($($ty:ty),*) => {$(
        impl Capture for $ty {
            fn trusted() -> bool {
        true
    }
            fn shape() -> Shape {
                Shape::scalar::<Self>(Kind::UnsignedInteger)
            }
            #[inline]
            fn record<'v>(&'v self, out: Out<'_, 'v>) {
                out.u64(u64::from(*self));
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64);

impl Capture for isize {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::SignedInteger)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        // isize is at most 64 bits on every supported target.
        out.i64(*self as i64);
    }
}

impl Capture for usize {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::UnsignedInteger)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.u64(*self as u64);
    }
}

impl Capture for i128 {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::SignedInteger)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.i128(self);
    }
}

impl Capture for u128 {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::UnsignedInteger)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.u128(self);
    }
}

impl Capture for f32 {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::Float)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.f64(f64::from(*self));
    }
}

impl Capture for f64 {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::Float)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.f64(*self);
    }
}

impl Capture for char {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::String)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.display(self);
    }
}

impl Capture for str {
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
}

impl Capture for String {
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
}

impl Capture for Cow<'_, str> {
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
}

// Each renders in at most `$width` characters (`Duration` is unbounded).
macro_rules! displayed {
    ($($ty:ty => $kind:ident, $width:expr);* $(;)?) => {$(
        impl Capture for $ty {
            fn trusted() -> bool {
        true
    }
            fn shape() -> Shape {
                Shape::scalar::<Self>(Kind::$kind)
            }
            #[inline]
            fn record<'v>(&'v self, out: Out<'_, 'v>) {
                out.short_display(self, $width);
            }
        }
    )*};
}
displayed!(
    uuid::Uuid => Uuid, 36;
    time::Date => Date, 13;
    time::Time => Time, 18;
    time::Duration => Duration, usize::MAX;
);

impl Capture for time::OffsetDateTime {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::DateTime)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.offset_date_time(self);
    }
}

impl Capture for time::PrimitiveDateTime {
    fn trusted() -> bool {
        true
    }
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::DateTime)
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.primitive_date_time(self);
    }
}
