//! Typed values waiting to be handed to `tracing`, and the sinks leaves are
//! written to: the per-call slot array, or a text renderer for list and map
//! items.

use std::fmt::{self, Write as _};

use tracing::field::{DisplayValue, Value};

use crate::capture::{DynCapture, ListValue, MapValue, Out};
use crate::config::deny::DenyList;
use crate::config::validate::Rules;
use crate::plan::{Columns, Node};

/// One captured value, borrowed from the call's inputs where possible.
pub(crate) enum Slot<'v> {
    Absent,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'v str),
    /// Known to fit the string limit: formatted directly.
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
            Slot::F64(value) => Some(value),
            Slot::Str(value) => Some(value),
            Slot::Short(value) => Some(value),
            Slot::Text(value) => Some(value),
        }
    }

    fn write_text(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Slot::Absent => Ok(()),
            Slot::Bool(value) => write!(out, "{value}"),
            Slot::I64(value) => write!(out, "{value}"),
            Slot::U64(value) => write!(out, "{value}"),
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

/// Values rendered to text only when a subscriber formats them.
pub(crate) enum Text<'v> {
    Truncated(&'v str),
    /// RFC 3339, e.g. `2026-11-25T12:00:00Z`.
    OffsetDateTime(&'v time::OffsetDateTime),
    /// ISO 8601 without an offset, e.g. `2026-11-25T12:00:00`.
    PrimitiveDateTime(&'v time::PrimitiveDateTime),
    Display(&'v dyn fmt::Display, usize),
    List(&'v dyn ListValue, RenderLimits<'v>),
    Map(&'v dyn MapValue, RenderLimits<'v>),
    /// One leaf (by slot) of every item of a list of structs.
    Column(&'v dyn ListValue, &'v Columns, u16),
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Truncated(value) => {
                f.write_str(value)?;
                f.write_char(TRUNCATION_MARK)
            }
            Text::OffsetDateTime(value) => value
                .format_into(&mut FmtIo(f), &time::format_description::well_known::Rfc3339)
                .map(drop)
                .map_err(|_| fmt::Error),
            Text::PrimitiveDateTime(value) => value
                .format_into(&mut FmtIo(f), PRIMITIVE_DATE_TIME)
                .map(drop)
                .map_err(|_| fmt::Error),
            Text::Display(..) | Text::List(..) | Text::Map(..) | Text::Column(..) => {
                // These run the user's `Display` and `Capture` impls, inside
                // the subscriber: a panic there must not take it down.
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.render_user_code(f))) {
                    Ok(result) => result,
                    Err(_) => {
                        crate::safety::CONTAINED_PANICS.count_silently();
                        Ok(())
                    }
                }
            }
        }
    }
}

impl Text<'_> {
    fn render_user_code(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Display(value, max_len) => {
                let mut out = LimitedWriter::new(f, *max_len);
                let _ = write!(out, "{value}");
                out.finish()
            }
            Text::List(list, limits) => {
                let mut out = LimitedWriter::new(f, limits.max_string_len());
                let _ = render_list(*list, limits, &mut out);
                out.finish()
            }
            Text::Map(map, limits) => {
                let mut out = LimitedWriter::new(f, limits.max_string_len());
                let _ = render_map(*map, limits, &mut out);
                out.finish()
            }
            Text::Column(list, columns, slot) => {
                let limits = RenderLimits(&columns.rules);
                let mut out = LimitedWriter::new(f, limits.max_string_len());
                let _ = render_column(*list, columns, *slot, &limits, &mut out);
                out.finish()
            }
            Text::Truncated(_) | Text::OffsetDateTime(_) | Text::PrimitiveDateTime(_) => Ok(()),
        }
    }
}

const PRIMITIVE_DATE_TIME: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");

/// Lets `time`'s `io::Write` formatting write into a `fmt::Formatter`.
struct FmtIo<'a, 'f>(&'a mut fmt::Formatter<'f>);

impl std::io::Write for FmtIo<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let text = std::str::from_utf8(bytes).map_err(std::io::Error::other)?;
        self.0.write_str(text).map_err(std::io::Error::other)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The limits and deny list that a rendering obeys: the rules in force,
/// behind one pointer so a slot stays small.
#[derive(Clone, Copy)]
pub(crate) struct RenderLimits<'v>(pub(crate) &'v Rules);

impl<'v> RenderLimits<'v> {
    #[inline]
    fn max_items(self) -> usize {
        self.0.limits.max_list_items
    }

    #[inline]
    pub(crate) fn max_string_len(self) -> usize {
        self.0.limits.max_string_len
    }

    #[inline]
    fn deny(self) -> &'v DenyList {
        &self.0.deny
    }

    /// The marker that replaces `value`, when value scrubbing is on and
    /// `value` looks like something that must not be captured.
    #[inline]
    pub(crate) fn scrubbed(self, value: &str) -> Option<&'static str> {
        if self.0.scrub_values {
            crate::scrub::scrub(value).map(crate::scrub::Scrubbed::marker)
        } else {
            None
        }
    }
}

fn render_list(list: &dyn ListValue, limits: &RenderLimits<'_>, out: &mut LimitedWriter<'_>) -> fmt::Result {
    let mut items = Items::open(out, '[', limits.max_items())?;
    list.for_each_item(&mut |item| items.push(|out| render_item(item, limits, out)));
    items.close(']')
}

/// `[a, b]`: the leaf `slot` of each item, `null` where an item has none
/// (an absent `Option`, another enum variant).
fn render_column(
    list: &dyn ListValue,
    columns: &Columns,
    slot: u16,
    limits: &RenderLimits<'_>,
    out: &mut LimitedWriter<'_>,
) -> fmt::Result {
    let mut items = Items::open(out, '[', limits.max_items())?;
    list.for_each_item(&mut |item| {
        items.push(|out| {
            let mut renderer = ItemRenderer {
                out,
                limits: *limits,
                only: Some(slot),
                written: false,
                result: Ok(()),
            };
            item.dyn_record(Out::new(&columns.item, Sink::Render(&mut renderer)));
            match (renderer.result, renderer.written) {
                (Ok(()), false) => out.write_str("null"),
                (result, _) => result,
            }
        })
    });
    items.close(']')
}

fn render_map(map: &dyn MapValue, limits: &RenderLimits<'_>, out: &mut LimitedWriter<'_>) -> fmt::Result {
    let mut items = Items::open(out, '{', limits.max_items())?;
    map.for_each_entry(&mut |key, value| {
        if limits.deny().is_denied(key) {
            crate::safety::DROPPED_KEYS.count_silently();
            return true;
        }
        items.push(|out| {
            out.write_str(limits.scrubbed(key).unwrap_or(key))?;
            out.write_str(": ")?;
            render_item(value, limits, out)
        })
    });
    items.close('}')
}

/// Writes bracketed, comma-separated items, at most `max` of them.
struct Items<'o, 'f> {
    out: &'o mut LimitedWriter<'f>,
    written: usize,
    max: usize,
    result: fmt::Result,
}

impl<'o, 'f> Items<'o, 'f> {
    fn open(out: &'o mut LimitedWriter<'f>, bracket: char, max: usize) -> Result<Self, fmt::Error> {
        out.write_char(bracket)?;
        Ok(Items {
            out,
            written: 0,
            max,
            result: Ok(()),
        })
    }

    /// Writes one item; `false` once nothing more should be written.
    fn push(&mut self, write: impl FnOnce(&mut LimitedWriter<'f>) -> fmt::Result) -> bool {
        if self.written == self.max {
            self.result = self.out.write_str(", …");
            return false;
        }
        if self.written > 0 {
            self.result = self.out.write_str(", ");
        }
        self.written += 1;
        self.result = std::mem::replace(&mut self.result, Ok(())).and_then(|()| write(self.out));
        self.result.is_ok()
    }

    fn close(self, bracket: char) -> fmt::Result {
        self.result?;
        self.out.write_char(bracket)
    }
}

fn render_item(item: &dyn DynCapture, limits: &RenderLimits<'_>, out: &mut LimitedWriter<'_>) -> fmt::Result {
    let mut renderer = ItemRenderer {
        out,
        limits: *limits,
        only: None,
        written: false,
        result: Ok(()),
    };
    item.dyn_record(Out::new(&Node::RENDERED_ITEM, Sink::Render(&mut renderer)));
    renderer.result
}

/// Where the leaves of a list or map item go when it is rendered.
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
struct ItemRenderer<'o, 'f, 'v> {
    out: &'o mut LimitedWriter<'f>,
    limits: RenderLimits<'v>,
    only: Option<u16>,
    written: bool,
    result: fmt::Result,
}

impl<'v> LeafSink<'v> for ItemRenderer<'_, '_, 'v> {
    fn put(&mut self, slot: u16, value: Slot<'v>) {
        if self.result.is_ok() && self.only.is_none_or(|only| only == slot) {
            self.written = true;
            self.result = value.write_text(self.out);
        }
    }

    fn render_limits(&self) -> RenderLimits<'v> {
        self.limits
    }
}

/// Writes at most `max_chars` characters, then one truncation mark.
struct LimitedWriter<'f> {
    inner: &'f mut dyn fmt::Write,
    remaining: usize,
    truncated: bool,
}

impl<'f> LimitedWriter<'f> {
    fn new(inner: &'f mut dyn fmt::Write, max_chars: usize) -> Self {
        LimitedWriter {
            inner,
            remaining: max_chars,
            truncated: false,
        }
    }

    fn finish(self) -> fmt::Result {
        if self.truncated {
            self.inner.write_char(TRUNCATION_MARK)?;
        }
        Ok(())
    }
}

impl fmt::Write for LimitedWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.truncated {
            return Err(fmt::Error);
        }
        match truncation_point(s, self.remaining) {
            None => {
                self.remaining -= s.chars().count();
                self.inner.write_str(s)
            }
            Some(end) => {
                self.inner.write_str(&s[..end])?;
                self.remaining = 0;
                self.truncated = true;
                Err(fmt::Error)
            }
        }
    }
}

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

    #[test]
    fn limited_writer_marks_truncation_once() {
        let mut text = String::new();
        let mut out = LimitedWriter::new(&mut text, 4);
        let _ = out.write_str("ab");
        let _ = out.write_str("cdef");
        let _ = out.write_str("gh");
        out.finish().unwrap();
        assert_eq!(text, "abcd…");
    }
}
