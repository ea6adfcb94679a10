//! Text rendered only when a subscriber formats a value: cut strings,
//! dates, `Display` values, and lists, maps and list columns within the
//! limits (the floor and value scrubbing apply to map keys here).

use std::fmt::{self, Write as _};

use super::capture::{DynCapture, ListValue, MapValue, Out};
use super::sink::{LeafSink, Sink};
use super::slot::{RenderLimits, Slot, TRUNCATION_MARK, truncation_point};
use crate::plan::{Columns, Node};

/// Values rendered to text only when a subscriber formats them.
pub(crate) enum Text<'v> {
    Truncated(&'v str),
    /// RFC 3339, e.g. `2026-11-25T12:00:00Z`.
    #[cfg(feature = "time")]
    OffsetDateTime(&'v time::OffsetDateTime, usize),
    /// ISO 8601 without an offset, e.g. `2026-11-25T12:00:00`.
    #[cfg(feature = "time")]
    PrimitiveDateTime(&'v time::PrimitiveDateTime, usize),
    Display(&'v dyn fmt::Display, usize),
    /// A user's `Display` value captured as a string: formatted whole, then
    /// scrubbed and cut as a captured `str` is.
    Scrubbed(&'v dyn fmt::Display, RenderLimits<'v>),
    /// A foreign type CACI renders itself (chrono's dates).
    #[cfg_attr(not(feature = "chrono"), allow(dead_code, reason = "used by feature-gated impls"))]
    Rendered(&'v dyn Render, usize),
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
            // Cut to the string limit like every rendering (a cut ends the
            // formatting with an error, which the mark replaces).
            #[cfg(feature = "time")]
            Text::OffsetDateTime(value, max_len) => {
                let mut out = LimitedWriter::new(f, *max_len);
                let _ = value.format_into(&mut FmtIo(&mut out), &time::format_description::well_known::Rfc3339);
                out.finish()
            }
            #[cfg(feature = "time")]
            Text::PrimitiveDateTime(value, max_len) => {
                let mut out = LimitedWriter::new(f, *max_len);
                let _ = value.format_into(&mut FmtIo(&mut out), PRIMITIVE_DATE_TIME);
                out.finish()
            }
            Text::Display(..)
            | Text::Scrubbed(..)
            | Text::Rendered(..)
            | Text::List(..)
            | Text::Map(..)
            | Text::Column(..) => {
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
            Text::Scrubbed(value, limits) => {
                let mut text = String::new();
                let _ = write!(text, "{value}");
                let text = limits.scrubbed(&text).unwrap_or(&text);
                match truncation_point(text, limits.max_string_len()) {
                    None => f.write_str(text),
                    Some(end) => {
                        f.write_str(&text[..end])?;
                        f.write_char(TRUNCATION_MARK)
                    }
                }
            }
            Text::Rendered(value, max_len) => {
                let mut out = LimitedWriter::new(f, *max_len);
                let _ = value.render(&mut out);
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
            Text::Truncated(_) => Ok(()),
            #[cfg(feature = "time")]
            Text::OffsetDateTime(..) | Text::PrimitiveDateTime(..) => Ok(()),
        }
    }
}

/// A foreign value CACI writes as text itself, where its own `Display` is
/// not the rendering CACI gives its kind (chrono's `DateTime` in RFC 3339).
pub(crate) trait Render {
    fn render(&self, out: &mut dyn fmt::Write) -> fmt::Result;
}

#[cfg(feature = "time")]
const PRIMITIVE_DATE_TIME: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");

/// Lets `time`'s `io::Write` formatting write into a `fmt::Write`.
#[cfg(feature = "time")]
struct FmtIo<'a>(&'a mut dyn fmt::Write);

#[cfg(feature = "time")]
impl std::io::Write for FmtIo<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let text = std::str::from_utf8(bytes).map_err(std::io::Error::other)?;
        self.0.write_str(text).map_err(std::io::Error::other)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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
struct ItemRenderer<'o, 'f, 'v> {
    out: &'o mut LimitedWriter<'f>,
    limits: RenderLimits<'v>,
    only: Option<u16>,
    written: bool,
    result: fmt::Result,
}

impl<'v> LeafSink<'v> for ItemRenderer<'_, '_, 'v> {
    fn put(&mut self, slot: u16, value: Slot<'v>) {
        self.put_transient(slot, &value);
    }

    fn put_transient(&mut self, slot: u16, value: &Slot<'_>) {
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
