//! Typed values waiting to be handed to `tracing`, and the sinks leaves are
//! written to: the per-call slot array, or a renderer (`render`) for list
//! and map items.

use std::fmt;

use tracing::field::{DisplayValue, Value};

use super::capture::{ListValue, MapValue};
use super::render::Text;
use crate::plan::Columns;
use crate::rules::Rules;
use crate::rules::deny::DenyList;

/// One captured value, borrowed from the call's inputs where possible.
pub(crate) enum Slot<'v> {
    Absent,
    Bool(bool),
    I64(i64),
    U64(u64),
    /// Beyond 64 bits, borrowed so a slot stays small.
    I128(&'v i128),
    U128(&'v u128),
    F64(f64),
    Str(&'v str),
    /// Known to fit the string limit: formatted directly (UUIDs, dates:
    /// the optional impls).
    #[cfg_attr(not(any(feature = "uuid", feature = "time")), allow(dead_code))]
    Short(DisplayValue<&'v dyn fmt::Display>),
    Text(DisplayValue<Text<'v>>),
    /// A leaf of a computed value (`Out::computed`), copied out of it.
    Owned(Box<str>),
    OwnedI128(Box<i128>),
    OwnedU128(Box<u128>),
}

impl<'v> Slot<'v> {
    #[inline]
    pub(crate) fn display(value: &'v dyn fmt::Display, max_len: usize) -> Self {
        Slot::Text(tracing::field::display(Text::Display(value, max_len)))
    }

    /// A value whose rendering never exceeds `width` characters (UUIDs,
    /// dates): formatted directly when that fits the limit.
    #[cfg_attr(not(any(feature = "uuid", feature = "time")), allow(dead_code))]
    #[inline]
    pub(crate) fn short_display(value: &'v dyn fmt::Display, width: usize, max_len: usize) -> Self {
        if width <= max_len {
            Slot::Short(tracing::field::display(value))
        } else {
            Slot::display(value, max_len)
        }
    }

    #[inline]
    pub(crate) fn list(value: &'v dyn ListValue, limits: RenderLimits<'v>) -> Self {
        Slot::Text(tracing::field::display(Text::List(value, limits)))
    }

    /// The column `slot` of a list of structs: that leaf of every item.
    #[inline]
    pub(crate) fn column(list: &'v dyn ListValue, columns: &'v Columns, slot: u16) -> Self {
        Slot::Text(tracing::field::display(Text::Column(list, columns, slot)))
    }

    #[inline]
    pub(crate) fn map(value: &'v dyn MapValue, limits: RenderLimits<'v>) -> Self {
        Slot::Text(tracing::field::display(Text::Map(value, limits)))
    }

    // Dates only (the optional `time` impls).
    #[cfg_attr(not(feature = "time"), allow(dead_code))]
    #[inline]
    pub(crate) fn text(text: Text<'v>) -> Self {
        Slot::Text(tracing::field::display(text))
    }

    /// The same value, owning what it borrowed: a string or a rendering
    /// becomes an owned string (rendered now), a wide integer is boxed.
    pub(crate) fn into_owned(self) -> Slot<'static> {
        match self {
            Slot::Absent => Slot::Absent,
            Slot::Bool(value) => Slot::Bool(value),
            Slot::I64(value) => Slot::I64(value),
            Slot::U64(value) => Slot::U64(value),
            Slot::F64(value) => Slot::F64(value),
            Slot::I128(value) => Slot::OwnedI128(Box::new(*value)),
            Slot::U128(value) => Slot::OwnedU128(Box::new(*value)),
            Slot::Str(value) => Slot::Owned(value.into()),
            // `DisplayValue`'s `Debug` is its value's `Display`.
            Slot::Short(value) => Slot::Owned(format!("{value:?}").into()),
            Slot::Text(value) => Slot::Owned(format!("{value:?}").into()),
            Slot::Owned(value) => Slot::Owned(value),
            Slot::OwnedI128(value) => Slot::OwnedI128(value),
            Slot::OwnedU128(value) => Slot::OwnedU128(value),
        }
    }

    /// The value as `tracing` records it: typed where a type exists.
    #[inline]
    pub(crate) fn as_value(&self) -> Option<&dyn Value> {
        match self {
            Slot::Absent => None,
            Slot::Bool(value) => Some(value),
            Slot::I64(value) => Some(value),
            Slot::U64(value) => Some(value),
            Slot::I128(value) => Some(value),
            Slot::U128(value) => Some(value),
            Slot::F64(value) => Some(value),
            Slot::Str(value) => Some(value),
            Slot::Short(value) => Some(value),
            Slot::Text(value) => Some(value),
            Slot::Owned(value) => Some(value),
            Slot::OwnedI128(value) => Some(&**value),
            Slot::OwnedU128(value) => Some(&**value),
        }
    }

    pub(crate) fn write_text(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Slot::Absent => Ok(()),
            Slot::Bool(value) => write!(out, "{value}"),
            Slot::I64(value) => write!(out, "{value}"),
            Slot::U64(value) => write!(out, "{value}"),
            Slot::I128(value) => write!(out, "{value}"),
            Slot::U128(value) => write!(out, "{value}"),
            Slot::F64(value) => write!(out, "{value}"),
            Slot::Str(value) => out.write_str(value),
            Slot::Short(value) => write!(out, "{value:?}"),
            Slot::Text(value) => write!(out, "{value:?}"),
            Slot::Owned(value) => out.write_str(value),
            Slot::OwnedI128(value) => write!(out, "{value}"),
            Slot::OwnedU128(value) => write!(out, "{value}"),
        }
    }
}

// Slots are written per captured field per call: keep them small.
const _: () = assert!(std::mem::size_of::<Slot<'static>>() <= 40);

/// The byte index to cut `value` at so it keeps at most `max_chars`
/// characters, or `None` when it already fits.
#[inline]
pub(crate) fn truncation_point(value: &str, max_chars: usize) -> Option<usize> {
    if value.len() <= max_chars {
        return None;
    }
    value.char_indices().nth(max_chars).map(|(index, _)| index)
}

/// Marks text that was cut to the configured length.
pub(crate) const TRUNCATION_MARK: char = '…';

/// How many bytes of cut strings and chars one recording keeps in its
/// frame, so that they reach `tracing` as strings (`record_str`), as
/// uncut ones do: four strings cut at the default 255 ASCII characters.
/// Past it, a cut string is rendered through `record_debug`.
pub(crate) const CUT_BYTES: usize = 1024;

/// Room in the recording's frame for the cut strings and chars it records.
pub(crate) struct Cuts<'b> {
    rest: &'b mut [u8],
}

impl<'b> Cuts<'b> {
    /// Cuts written into `buffer`.
    #[inline]
    pub(crate) fn new(buffer: &'b mut [u8]) -> Self {
        Cuts { rest: buffer }
    }

    /// No room: for plans that never cut a string.
    #[inline]
    pub(crate) fn none() -> Self {
        Cuts { rest: &mut [] }
    }

    /// `text` as a string of the frame, when there is room for it.
    fn keep(&mut self, parts: &[&str]) -> Option<&'b str> {
        let needed: usize = parts.iter().map(|part| part.len()).sum();
        if self.rest.len() < needed {
            return None;
        }
        let (kept, rest) = std::mem::take(&mut self.rest).split_at_mut(needed);
        self.rest = rest;
        let mut at = 0;
        for part in parts {
            kept[at..at + part.len()].copy_from_slice(part.as_bytes());
            at += part.len();
        }
        std::str::from_utf8(kept).ok()
    }

    /// `prefix` followed by the truncation mark.
    pub(crate) fn cut(&mut self, prefix: &str) -> Option<&'b str> {
        let mut mark = [0; 4];
        self.keep(&[prefix, TRUNCATION_MARK.encode_utf8(&mut mark)])
    }

    /// One character as a string.
    pub(crate) fn char(&mut self, ch: char) -> Option<&'b str> {
        let mut bytes = [0; 4];
        self.keep(&[ch.encode_utf8(&mut bytes)])
    }
}

/// The limits and deny list that a rendering obeys: the rules in force,
/// behind one pointer so a slot stays small.
#[derive(Clone, Copy)]
pub(crate) struct RenderLimits<'v>(pub(crate) &'v Rules);

impl<'v> RenderLimits<'v> {
    #[inline]
    pub(crate) fn max_items(self) -> usize {
        self.0.limits.max_list_items
    }

    #[inline]
    pub(crate) fn max_string_len(self) -> usize {
        self.0.limits.max_string_len
    }

    #[inline]
    pub(crate) fn deny(self) -> &'v DenyList {
        &self.0.deny
    }

    /// The marker that replaces `value`, when value scrubbing is on and
    /// `value` looks like something that must not be captured.
    #[inline]
    pub(crate) fn scrubbed(self, value: &str) -> Option<&'static str> {
        if self.0.scrub_values {
            crate::rules::scrub::scrub(value).map(crate::rules::scrub::Scrubbed::marker)
        } else {
            None
        }
    }
}

pub(crate) trait LeafSink<'v> {
    fn put(&mut self, slot: u16, value: Slot<'v>);
    fn render_limits(&self) -> RenderLimits<'v>;
}

/// Where an [`Out`] writes: the call's slot array (the hot path, written
/// directly), or a renderer behind `dyn` (list and map items).
pub(crate) enum Sink<'a, 'v> {
    Slots {
        slots: &'a mut [Slot<'v>],
        limits: RenderLimits<'v>,
        cuts: &'a mut Cuts<'v>,
    },
    Render(&'a mut dyn LeafSink<'v>),
}

impl<'v> Sink<'_, 'v> {
    #[inline]
    pub(crate) fn put(&mut self, slot: u16, value: Slot<'v>) {
        match self {
            Sink::Slots { slots, .. } => {
                if let Some(target) = slots.get_mut(usize::from(slot)) {
                    *target = value;
                }
            }
            Sink::Render(renderer) => renderer.put(slot, value),
        }
    }

    /// A string cut to the configured length: recorded as a string, cut or
    /// not, while the frame has room for the cut copy.
    #[inline]
    pub(crate) fn put_str(&mut self, slot: u16, value: &'v str) {
        match truncation_point(value, self.max_string_len()) {
            None => self.put(slot, Slot::Str(value)),
            Some(end) => self.put_cut(slot, &value[..end]),
        }
    }

    #[cold]
    #[inline(never)]
    fn put_cut(&mut self, slot: u16, prefix: &'v str) {
        let kept = match self {
            Sink::Slots { cuts, .. } => cuts.cut(prefix),
            Sink::Render(_) => None,
        };
        let value = match kept {
            Some(kept) => Slot::Str(kept),
            None => Slot::Text(tracing::field::display(Text::Truncated(prefix))),
        };
        self.put(slot, value);
    }

    /// A character, recorded as a one-character string.
    #[inline]
    pub(crate) fn put_char(&mut self, slot: u16, value: &'v char) {
        let kept = match self {
            Sink::Slots { cuts, .. } => cuts.char(*value),
            _ => None,
        };
        let value = match kept {
            Some(kept) => Slot::Str(kept),
            None => Slot::display(value, usize::MAX),
        };
        self.put(slot, value);
    }

    #[inline]
    pub(crate) fn max_string_len(&self) -> usize {
        self.render_limits().max_string_len()
    }

    #[inline]
    pub(crate) fn render_limits(&self) -> RenderLimits<'v> {
        match self {
            Sink::Slots { limits, .. } => *limits,
            Sink::Render(renderer) => renderer.render_limits(),
        }
    }

    /// Forgets the values written to `slots` (a panicking input's).
    pub(crate) fn clear(&mut self, slots: std::ops::Range<usize>) {
        if let Sink::Slots { slots: written, .. } = self
            && let Some(range) = written.get_mut(slots)
        {
            range.fill_with(|| Slot::Absent);
        }
    }

    /// The same sink, for a nested value.
    #[inline]
    pub(crate) fn reborrow(&mut self) -> Sink<'_, 'v> {
        match self {
            Sink::Slots { slots, limits, cuts } => Sink::Slots {
                slots,
                limits: *limits,
                cuts,
            },
            Sink::Render(renderer) => Sink::Render(&mut **renderer),
        }
    }
}

/// Writes the leaves of one list or map item as text: every leaf, or only
/// the one in slot `only` (a column).
#[cfg(test)]
mod tests {
    use super::*;

    fn text(slot: &Slot<'_>) -> String {
        let mut out = String::new();
        slot.write_text(&mut out).unwrap();
        out
    }

    #[test]
    fn owned_slots_keep_their_types_and_render_borrowed_text_once() {
        let wide = i128::MIN;
        assert!(matches!(Slot::I64(-3).into_owned(), Slot::I64(-3)));
        assert!(matches!(Slot::Bool(true).into_owned(), Slot::Bool(true)));
        assert!(matches!(Slot::I128(&wide).into_owned(), Slot::OwnedI128(value) if *value == wide));
        let owned = {
            let borrowed = String::from("a longer value");
            Slot::Text(tracing::field::display(Text::Truncated(&borrowed[..8]))).into_owned()
        };
        assert!(matches!(&owned, Slot::Owned(_)));
        assert_eq!(text(&owned), "a longer…");
        let owned = Slot::Str("plain").into_owned();
        assert_eq!(text(&owned), "plain");
    }

    #[test]
    fn truncation_cuts_on_a_char_boundary() {
        assert_eq!(truncation_point("abc", 3), None);
        assert_eq!(truncation_point("héllo", 2), Some(3));
        assert_eq!(truncation_point("日本語", 1), Some(3));
        assert_eq!(truncation_point("日本語", 3), None);
    }
}
