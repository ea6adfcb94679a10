//! Typed values waiting to be handed to `tracing` (slots), the limits a
//! recording obeys, and the room in its frame for text it makes.

use std::fmt;

use tracing::field::{DisplayValue, Value};

use super::capture::{ListValue, MapValue};
use super::render::Text;
use crate::plan::Columns;
use crate::rules::RenderRules;
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

// An opening's cells are `MaybeUninit` and never dropped: a slot must own
// nothing.
const _: () = assert!(!std::mem::needs_drop::<Slot<'static>>());

impl<'v> Slot<'v> {
    #[inline]
    pub(crate) fn display(value: &'v dyn fmt::Display, max_len: usize) -> Self {
        Slot::Text(tracing::field::display(Text::Display(value, max_len)))
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

    /// The same value, kept in `room` where it borrows (a computed value's
    /// leaf, which does not outlive its recording): scalars by value or in
    /// the room, text (a string, a rendering) as a string of the room, or
    /// `Absent` when there is no room for it.
    pub(crate) fn kept<'r>(&self, room: &mut Room<'r>) -> Slot<'r> {
        match self {
            Slot::Absent => Slot::Absent,
            Slot::Bool(value) => Slot::Bool(*value),
            Slot::I64(value) => Slot::I64(*value),
            Slot::U64(value) => Slot::U64(*value),
            Slot::F64(value) => Slot::F64(*value),
            Slot::Str(value) => room.keep(&[value]).map_or(Slot::Absent, Slot::Str),
            Slot::I128(value) => room.keep_signed(**value).map_or(Slot::Absent, Slot::I128),
            Slot::U128(value) => room.keep_unsigned(**value).map_or(Slot::Absent, Slot::U128),
            _ => room
                .keep_text(|out| self.write_text(out))
                .map_or(Slot::Absent, Slot::Str),
        }
    }

    /// The value as `tracing` records it: typed where a type exists.
    /// Inlined, so that where the variant was just written the match folds.
    #[inline(always)]
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

/// How many bytes a recording that needs room keeps in its frame for cut
/// strings, chars and computed values' text, so that they reach `tracing`
/// as strings (`record_str`), as whole ones do. Past it, a cut string is
/// rendered through `record_debug`, and a computed value's text is dropped.
pub(crate) const ROOM_BYTES: usize = 4096;

/// Room in a recording's frame for text it makes: a cut string with its
/// mark, a char, a computed value's rendering.
///
/// A recording first runs without room, which costs nothing; the first
/// text that needs room marks it wanted, and the recording is run again
/// with room (cut strings are rare, and cost their scrubbing anyway).
pub(crate) struct Room<'b> {
    rest: &'b mut [u8],
    /// Computed integers beyond 64 bits, which stay integers.
    signed: &'b mut [i128],
    unsigned: &'b mut [u128],
    /// Whether there is room at all (a first, roomless run has none).
    given: bool,
    /// Whether text needed room that this run did not have.
    wanted: bool,
}

impl<'b> Room<'b> {
    /// Room in `buffer`.
    #[inline]
    pub(crate) fn new(buffer: &'b mut RoomBuffer) -> Self {
        Room {
            rest: &mut buffer.text,
            signed: &mut buffer.signed,
            unsigned: &mut buffer.unsigned,
            given: true,
            wanted: false,
        }
    }

    /// No room: text that needs some marks the run to be done again.
    #[inline]
    pub(crate) fn none() -> Self {
        Room {
            rest: &mut [],
            signed: &mut [],
            unsigned: &mut [],
            given: false,
            wanted: false,
        }
    }

    /// Whether this run needed room it did not have.
    #[inline]
    pub(crate) fn wanted(&self) -> bool {
        self.wanted
    }

    fn refuse(&mut self) -> Option<&'b str> {
        self.wanted |= !self.given;
        None
    }

    /// `parts` one after the other, as a string of the room.
    fn keep(&mut self, parts: &[&str]) -> Option<&'b str> {
        let needed: usize = parts.iter().map(|part| part.len()).sum();
        if self.rest.len() < needed {
            return self.refuse();
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

    /// What `write` writes, as a string of the room; `None` when it does not
    /// fit whole.
    fn keep_text(&mut self, write: impl FnOnce(&mut dyn fmt::Write) -> fmt::Result) -> Option<&'b str> {
        let mut writer = RoomWriter {
            buffer: &mut *self.rest,
            len: 0,
        };
        if write(&mut writer).is_err() {
            return self.refuse();
        }
        let len = writer.len;
        let (kept, rest) = std::mem::take(&mut self.rest).split_at_mut(len);
        self.rest = rest;
        std::str::from_utf8(kept).ok()
    }

    fn keep_signed(&mut self, value: i128) -> Option<&'b i128> {
        match std::mem::take(&mut self.signed).split_first_mut() {
            Some((kept, rest)) => {
                *kept = value;
                self.signed = rest;
                Some(kept)
            }
            None => {
                self.refuse();
                None
            }
        }
    }

    fn keep_unsigned(&mut self, value: u128) -> Option<&'b u128> {
        match std::mem::take(&mut self.unsigned).split_first_mut() {
            Some((kept, rest)) => {
                *kept = value;
                self.unsigned = rest;
                Some(kept)
            }
            None => {
                self.refuse();
                None
            }
        }
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

/// The storage a [`Room`] hands out, in the frame of a recording that
/// needs it.
pub(crate) struct RoomBuffer {
    text: [u8; ROOM_BYTES],
    signed: [i128; 4],
    unsigned: [u128; 4],
}

impl RoomBuffer {
    #[inline]
    pub(crate) fn new() -> Self {
        RoomBuffer {
            text: [0; ROOM_BYTES],
            signed: [0; 4],
            unsigned: [0; 4],
        }
    }
}

/// Writes whole `str`s into a byte buffer, failing when one does not fit.
struct RoomWriter<'a> {
    buffer: &'a mut [u8],
    len: usize,
}

impl fmt::Write for RoomWriter<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let end = self.len + text.len();
        let target = self.buffer.get_mut(self.len..end).ok_or(fmt::Error)?;
        target.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The limits and deny list that a rendering obeys: the rules in force,
/// behind one pointer so a slot stays small.
#[derive(Clone, Copy)]
pub(crate) struct RenderLimits<'v>(pub(crate) &'v RenderRules);

impl<'v> RenderLimits<'v> {
    #[inline]
    pub(crate) fn max_items(self) -> usize {
        self.0.limits.max_list_items
    }

    #[inline]
    pub(crate) fn max_string_len(self) -> usize {
        self.0.limits.max_string_len
    }

    /// Strings shorter than this are recorded as they are.
    #[inline]
    pub(crate) fn plain_below(self) -> usize {
        self.0.plain_below
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(slot: &Slot<'_>) -> String {
        let mut out = String::new();
        slot.write_text(&mut out).unwrap();
        out
    }

    #[test]
    fn kept_slots_keep_scalars_by_value_and_text_in_the_room() {
        let mut buffer = RoomBuffer::new();
        let mut room = Room::new(&mut buffer);
        let wide = i128::MIN;
        assert!(matches!(Slot::I64(-3).kept(&mut room), Slot::I64(-3)));
        assert!(matches!(Slot::Bool(true).kept(&mut room), Slot::Bool(true)));
        let kept = Slot::I128(&wide).kept(&mut room);
        assert!(
            matches!(kept, Slot::I128(value) if *value == wide),
            "it stays an integer"
        );
        let kept = {
            let borrowed = String::from("a longer value");
            Slot::Text(tracing::field::display(Text::Truncated(&borrowed[..8]))).kept(&mut room)
        };
        assert_eq!(text(&kept), "a longer…");
        assert!(!room.wanted());
        let too_long = "x".repeat(ROOM_BYTES + 1);
        assert!(matches!(Slot::Str(&too_long).kept(&mut room), Slot::Absent));
        assert!(!room.wanted(), "a full room is not asked for again");
    }

    #[test]
    fn a_run_without_room_asks_for_it() {
        let mut room = Room::none();
        assert_eq!(room.cut("abc"), None);
        assert!(room.wanted());
        let mut buffer = RoomBuffer::new();
        let mut room = Room::new(&mut buffer);
        assert_eq!(room.cut("abc"), Some("abc…"));
        assert_eq!(room.char('é'), Some("é"));
        assert!(!room.wanted());
    }

    #[test]
    fn truncation_cuts_on_a_char_boundary() {
        assert_eq!(truncation_point("abc", 3), None);
        assert_eq!(truncation_point("héllo", 2), Some(3));
        assert_eq!(truncation_point("日本語", 1), Some(3));
        assert_eq!(truncation_point("日本語", 3), None);
    }
}
