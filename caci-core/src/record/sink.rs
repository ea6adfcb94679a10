//! Where a recording writes the leaves an [`Out`](super::capture::Out) is
//! offered: a span's opening (each value handed straight to its value-set
//! pair), a frame of slots (outputs, errors, events, tapped openings), or a
//! renderer behind `dyn` (list and map items).
//!
//! A sink is at most three words and a tag, so the `Out` a struct builds
//! for each of its fields stays in registers.

use std::mem::MaybeUninit;

use tracing::field::{Field, Value};

use super::render::Text;
use super::slot::{RenderLimits, Room, Slot, truncation_point};

/// A renderer's side of a sink (list and map items, computed values).
pub(crate) trait LeafSink<'v> {
    fn put(&mut self, slot: u16, value: Slot<'v>);
    /// Writes a value that does not live for `'v` (a computed value's leaf)
    /// now: renderers write text at once anyway.
    fn put_transient(&mut self, slot: u16, value: &Slot<'_>);
    fn render_limits(&self) -> RenderLimits<'v>;
}

/// The pair type of a value set: a declared field and its value, if any.
pub(crate) type Pair<'v> = (&'v Field, Option<&'v dyn Value>);

/// A span's opening being filled, beside its pairs (which the sink holds
/// itself, one per captured field): a leaf borrowed from the input goes
/// straight into its slot's pair, any other into the next free cell and
/// the cell into the pair, so the values are not walked again before
/// `tracing` sees them. Cells start uninitialised (`MaybeUninit::write`
/// hands back the value it keeps), so an opening pays only for the cells
/// it fills.
pub(crate) struct Opening<'v> {
    cells: std::slice::IterMut<'v, MaybeUninit<Slot<'v>>>,
    limits: RenderLimits<'v>,
    /// Strings shorter than this are recorded as they are
    /// ([`plain_below`](crate::rules::scrub::plain_below)).
    plain_below: usize,
    room: Room<'v>,
}

impl<'v> Opening<'v> {
    /// An opening keeping values in `cells` and cut text in `room`.
    #[inline(always)]
    pub(crate) fn new(cells: &'v mut [MaybeUninit<Slot<'v>>], limits: RenderLimits<'v>, room: Room<'v>) -> Self {
        Opening {
            cells: cells.iter_mut(),
            limits,
            plain_below: limits.plain_below(),
            room,
        }
    }

    /// Whether a text needed room this opening did not have.
    #[inline(always)]
    pub(crate) fn wanted_room(&self) -> bool {
        self.room.wanted()
    }
}

// A slot past the pairs drops its value: a value is only ever recorded
// under its own slot's field.

#[inline(always)]
fn put_borrowed<'v>(pairs: &mut [Pair<'v>], slot: u16, value: &'v dyn Value) {
    if let Some(pair) = pairs.get_mut(usize::from(slot)) {
        pair.1 = Some(value);
    }
}

/// Writes `value` into the opening's next cell and the cell into `slot`'s
/// pair. Inlined where the variant is known, reading the cell back folds:
/// no match on the variant.
#[inline(always)]
fn put_in_cell<'v>(pairs: &mut [Pair<'v>], opening: &mut Opening<'v>, slot: u16, value: Slot<'v>) {
    let (Some(pair), Some(cell)) = (pairs.get_mut(usize::from(slot)), opening.cells.next()) else {
        return;
    };
    let cell: &'v Slot<'v> = cell.write(value);
    pair.1 = cell.as_value();
}

/// A frame of slots being filled, one per captured field, read once the
/// recording is done (a method's output or error, an event, a tapped
/// opening, `record!`).
pub(crate) struct SlotFrame<'v> {
    slots: &'v mut [Slot<'v>],
    limits: RenderLimits<'v>,
    room: Room<'v>,
}

impl<'v> SlotFrame<'v> {
    /// A frame writing `slots`, keeping cut text in `room`.
    #[inline(always)]
    pub(crate) fn new(slots: &'v mut [Slot<'v>], limits: RenderLimits<'v>, room: Room<'v>) -> Self {
        SlotFrame { slots, limits, room }
    }

    /// The slots, once filled.
    #[inline(always)]
    pub(crate) fn slots(&self) -> &[Slot<'v>] {
        self.slots
    }

    /// Whether a text needed room this frame did not have.
    #[inline(always)]
    pub(crate) fn wanted_room(&self) -> bool {
        self.room.wanted()
    }

    #[inline(always)]
    fn put(&mut self, slot: u16, value: Slot<'v>) {
        if let Some(target) = self.slots.get_mut(usize::from(slot)) {
            *target = value;
        }
    }
}

/// Where an [`Out`](super::capture::Out) writes.
pub(crate) enum Sink<'a, 'v> {
    /// A span's opening, with its captured fields' pairs: the hot path,
    /// tested first.
    Opening {
        pairs: &'a mut [Pair<'v>],
        opening: &'a mut Opening<'v>,
    },
    Slots(&'a mut SlotFrame<'v>),
    Render(&'a mut dyn LeafSink<'v>),
}

impl<'v> Sink<'_, 'v> {
    #[inline]
    pub(crate) fn put(&mut self, slot: u16, value: Slot<'v>) {
        match self {
            Sink::Opening { pairs, opening } => put_in_cell(pairs, opening, slot, value),
            Sink::Slots(frame) => frame.put(slot, value),
            Sink::Render(renderer) => renderer.put(slot, value),
        }
    }

    /// [`put`](Self::put) of a value whose variant the caller knows (an
    /// integer, a name, a UUID), made by `value` in each arm: a span's
    /// opening writes it inline, where the cell reads back without a match
    /// (a value made before the match would go through memory, and the
    /// read back through a jump table); other sinks take `put`.
    #[inline(always)]
    pub(crate) fn put_known(&mut self, slot: u16, value: impl Fn() -> Slot<'v>) {
        match self {
            Sink::Opening { pairs, opening } => put_in_cell(pairs, opening, slot, value()),
            _ => self.put(slot, value()),
        }
    }

    /// A value borrowed from the input that `tracing` records as it is
    /// (`value`); `kept` makes the same value, for the sinks that keep slots.
    #[inline(always)]
    pub(crate) fn put_borrowed(&mut self, slot: u16, value: &'v dyn Value, kept: impl FnOnce() -> Slot<'v>) {
        match self {
            Sink::Opening { pairs, .. } => put_borrowed(pairs, slot, value),
            _ => self.put(slot, kept()),
        }
    }

    /// A string too short to be scrubbed that fits the limit, written
    /// straight into a span's opening: `borrowed` (the same string as
    /// `tracing` records it: a `String`, a `&str`) without a cell, or else
    /// `value` in one. `false` (nothing written) for any other string or
    /// sink, which [`put_scrubbed_str`](Self::put_scrubbed_str) then takes.
    #[inline(always)]
    pub(crate) fn put_plain_str(&mut self, slot: u16, value: &'v str, borrowed: Option<&'v dyn Value>) -> bool {
        let Sink::Opening { pairs, opening } = self else {
            return false;
        };
        if value.len() >= opening.plain_below {
            return false;
        }
        match borrowed {
            Some(borrowed) => put_borrowed(pairs, slot, borrowed),
            None => put_in_cell(pairs, opening, slot, Slot::Str(value)),
        }
        true
    }

    /// A string scrubbed (replaced by its marker when it looks like a
    /// secret), then cut to the limit: [`put_str`](Self::put_str).
    ///
    /// Out of line, and taking the sink by value: the caller's sink stays
    /// in registers on the plain string's path.
    #[inline(never)]
    pub(crate) fn put_scrubbed_str(mut self, slot: u16, value: &'v str) {
        let value = self.render_limits().scrubbed(value).unwrap_or(value);
        self.put_str(slot, value);
    }

    /// A string cut to the configured length: recorded as a string, cut or
    /// not, while the frame has room for the cut copy.
    #[inline(always)]
    pub(crate) fn put_str(&mut self, slot: u16, value: &'v str) {
        // Short in bytes, so short in characters: the common case.
        match self {
            Sink::Opening { pairs, opening } if value.len() <= opening.limits.max_string_len() => {
                put_in_cell(pairs, opening, slot, Slot::Str(value))
            }
            Sink::Slots(frame) if value.len() <= frame.limits.max_string_len() => frame.put(slot, Slot::Str(value)),
            _ => self.put_str_slow(slot, value),
        }
    }

    /// [`put_str`](Self::put_str) out of line, for a string that may well
    /// be cut (a variant name longer than the limit).
    #[inline(never)]
    pub(crate) fn put_long_str(&mut self, slot: u16, value: &'v str) {
        self.put_str_slow(slot, value);
    }

    #[inline(never)]
    fn put_str_slow(&mut self, slot: u16, value: &'v str) {
        match truncation_point(value, self.max_string_len()) {
            None => self.put(slot, Slot::Str(value)),
            Some(end) => self.put_cut(slot, &value[..end]),
        }
    }

    #[cold]
    #[inline(never)]
    fn put_cut(&mut self, slot: u16, prefix: &'v str) {
        let kept = self.room().and_then(|room| room.cut(prefix));
        let value = match kept {
            Some(kept) => Slot::Str(kept),
            None => Slot::Text(tracing::field::display(Text::Truncated(prefix))),
        };
        self.put(slot, value);
    }

    /// A character, recorded as a one-character string.
    #[inline]
    pub(crate) fn put_char(&mut self, slot: u16, value: &'v char) {
        let kept = self.room().and_then(|room| room.char(*value));
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
            Sink::Opening { opening, .. } => opening.limits,
            Sink::Slots(frame) => frame.limits,
            Sink::Render(renderer) => renderer.render_limits(),
        }
    }

    /// The recording's room, where it has one.
    #[inline]
    fn room(&mut self) -> Option<&mut Room<'v>> {
        match self {
            Sink::Opening { opening, .. } => Some(&mut opening.room),
            Sink::Slots(frame) => Some(&mut frame.room),
            Sink::Render(_) => None,
        }
    }

    /// A leaf of a value that does not live for `'v` (a computed one): kept
    /// in the recording's room, or written at once by a renderer.
    pub(crate) fn put_transient(&mut self, slot: u16, value: &Slot<'_>) {
        match self {
            Sink::Opening { pairs, opening } => {
                let kept = value.kept(&mut opening.room);
                put_in_cell(pairs, opening, slot, kept);
            }
            Sink::Slots(frame) => {
                let kept = value.kept(&mut frame.room);
                frame.put(slot, kept);
            }
            Sink::Render(renderer) => renderer.put_transient(slot, value),
        }
    }

    /// Forgets the values written to `slots` (a panicking input's).
    pub(crate) fn clear(&mut self, slots: std::ops::Range<usize>) {
        match self {
            Sink::Opening { pairs, .. } => {
                if let Some(range) = pairs.get_mut(slots) {
                    range.iter_mut().for_each(|pair| pair.1 = None);
                }
            }
            Sink::Slots(frame) => {
                if let Some(range) = frame.slots.get_mut(slots) {
                    range.fill_with(|| Slot::Absent);
                }
            }
            Sink::Render(_) => {}
        }
    }

    /// The same sink, for a nested value.
    #[inline]
    pub(crate) fn reborrow(&mut self) -> Sink<'_, 'v> {
        match self {
            Sink::Opening { pairs, opening } => Sink::Opening { pairs, opening },
            Sink::Slots(frame) => Sink::Slots(frame),
            Sink::Render(renderer) => Sink::Render(&mut **renderer),
        }
    }
}
