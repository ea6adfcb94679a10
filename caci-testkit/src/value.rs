//! Field values as a subscriber received them, with their types.

use std::fmt;

/// One recorded field value, typed as `tracing` delivered it.
///
/// Comparison with [`FieldValue::matches`] is numeric-aware: `42` recorded as
/// `i64` equals `42u64`.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// `record_bool`.
    Bool(bool),
    /// `record_i64`.
    I64(i64),
    /// `record_u64`.
    U64(u64),
    /// `record_i128`.
    I128(i128),
    /// `record_u128`.
    U128(u128),
    /// `record_f64`.
    F64(f64),
    /// `record_str`.
    Str(String),
    /// `record_debug` (and `Display` values, which `tracing` records that way).
    Debug(String),
}

impl FieldValue {
    /// The type's name as a failure message shows it.
    pub fn type_name(&self) -> &'static str {
        match self {
            FieldValue::Bool(_) => "bool",
            FieldValue::I64(_) => "i64",
            FieldValue::U64(_) => "u64",
            FieldValue::I128(_) => "i128",
            FieldValue::U128(_) => "u128",
            FieldValue::F64(_) => "f64",
            FieldValue::Str(_) => "str",
            FieldValue::Debug(_) => "debug",
        }
    }

    fn as_integer(&self) -> Option<i128> {
        match *self {
            FieldValue::I64(value) => Some(i128::from(value)),
            FieldValue::U64(value) => Some(i128::from(value)),
            FieldValue::I128(value) => Some(value),
            FieldValue::U128(value) => i128::try_from(value).ok(),
            // A float with no fractional part is the integer it equals.
            FieldValue::F64(value) if value.fract() == 0.0 && value.abs() < 2f64.powi(63) => Some(value as i128),
            _ => None,
        }
    }

    /// The value as text: strings as they are, others as rendered.
    pub fn as_text(&self) -> String {
        match self {
            FieldValue::Str(text) | FieldValue::Debug(text) => text.clone(),
            other => other.to_string(),
        }
    }

    /// Equality that ignores integer width and signedness, compares a float
    /// with no fractional part equal to the integer it is (`3.0` matches
    /// `3`; `3.5` matches only `3.5`), and lets a string match a
    /// `Debug`/`Display` rendering of the same text.
    ///
    /// ```
    /// use caci_testkit::FieldValue;
    /// assert!(FieldValue::I64(42).matches(&FieldValue::U64(42)));
    /// assert!(FieldValue::F64(3.0).matches(&FieldValue::I64(3)));
    /// assert!(!FieldValue::F64(3.5).matches(&FieldValue::I64(3)));
    /// assert!(FieldValue::Debug("STARTER".into()).matches(&FieldValue::Str("STARTER".into())));
    /// assert!(!FieldValue::Bool(true).matches(&FieldValue::Str("true".into())));
    /// ```
    pub fn matches(&self, other: &FieldValue) -> bool {
        if let (Some(a), Some(b)) = (self.as_integer(), other.as_integer()) {
            return a == b;
        }
        match (self, other) {
            (FieldValue::Str(a) | FieldValue::Debug(a), FieldValue::Str(b) | FieldValue::Debug(b)) => a == b,
            _ => self == other,
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Bool(value) => write!(f, "{value}"),
            FieldValue::I64(value) => write!(f, "{value}"),
            FieldValue::U64(value) => write!(f, "{value}"),
            FieldValue::I128(value) => write!(f, "{value}"),
            FieldValue::U128(value) => write!(f, "{value}"),
            FieldValue::F64(value) => write!(f, "{value}"),
            FieldValue::Str(value) => write!(f, "{value:?}"),
            FieldValue::Debug(value) => f.write_str(value),
        }
    }
}

macro_rules! from_value {
    ($($ty:ty => $variant:ident $(as $cast:ty)?),* $(,)?) => {$(
        impl From<$ty> for FieldValue {
            fn from(value: $ty) -> Self {
                FieldValue::$variant(value $(as $cast)?)
            }
        }
    )*};
}
from_value!(
    bool => Bool,
    i8 => I64 as i64, i16 => I64 as i64, i32 => I64 as i64, i64 => I64,
    u8 => U64 as u64, u16 => U64 as u64, u32 => U64 as u64, u64 => U64,
    i128 => I128, u128 => U128, f32 => F64 as f64, f64 => F64,
);

impl From<&str> for FieldValue {
    fn from(value: &str) -> Self {
        FieldValue::Str(value.to_owned())
    }
}

impl From<String> for FieldValue {
    fn from(value: String) -> Self {
        FieldValue::Str(value)
    }
}
