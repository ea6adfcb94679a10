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
}

impl<'v> Slot<'v> {
    #[inline]
    pub(crate) fn string(value: &'v str, max_len: usize) -> Self {
        match truncation_point(value, max_len) {
            None => Slot::Str(value),
            Some(end) => Slot::Text(tracing::field::display(Text::Truncated(&value[..end]))),
        }
    }

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
            Sink::Slots { slots, limits } => Sink::Slots { slots, limits: *limits },
            Sink::Render(renderer) => Sink::Render(&mut **renderer),
        }
    }
}

/// Writes the leaves of one list or map item as text: every leaf, or only
/// the one in slot `only` (a column).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_cuts_on_a_char_boundary() {
        assert_eq!(truncation_point("abc", 3), None);
        assert_eq!(truncation_point("héllo", 2), Some(3));
        assert_eq!(truncation_point("日本語", 1), Some(3));
        assert_eq!(truncation_point("日本語", 3), None);
    }
}
