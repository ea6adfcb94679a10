//! The [`Capture`] trait: a type's static shape, and a visit of a value's
//! leaves as typed values.
//!
//! A visit never decides what is captured: it offers each leaf to an [`Out`],
//! which holds the call site's cached plan and keeps only what the installed
//! configuration allows. Offering a leaf that is not allowed costs one branch.

use std::any::TypeId;
use std::fmt;

// `Text`: dates (the optional `time` impls) and renderings of foreign types.
use super::render::{Render, Text};
use super::sink::{LeafSink, Sink};
use super::slot::{RenderLimits, Slot};
use crate::plan::InputType;
use crate::plan::Node;
use crate::shape::{Kind, Shape};

/// A type whose values CACI can capture.
///
/// Derive it with `#[derive(Telemetry)]`. A field of a type you do not own
/// is captured with `#[telemetry(display)]` (its `Display` text) or
/// `#[telemetry(with = "path::to::fn")]` (a function to a capturable value);
/// implement the trait by hand for a newtype of your own, or for leaves you
/// compute.
///
/// ```
/// use caci_core::{Capture, Kind, Out, Shape};
///
/// /// A money amount captured as its integer number of cents.
/// struct Cents(i64);
///
/// impl Capture for Cents {
///     fn shape() -> Shape {
///         Shape::scalar::<Self>(Kind::SignedInteger)
///     }
///     fn record<'v>(&'v self, out: Out<'_, 'v>) {
///         out.i64(self.0);
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be captured by CACI",
    label = "`{Self}` does not implement `Capture`",
    note = "if you own `{Self}`, derive it: `#[derive(caci_core::Telemetry)]`",
    note = "if you do not, mark the field: `#[telemetry(display)]` captures its `Display` text, \
            `#[telemetry(with = \"path::to::fn\")]` what a function from `&{Self}` returns, \
            `#[telemetry(skip)]` leaves it out",
    note = "`chrono`, `rust_decimal` and `jiff` types are capturable with caci-core's features of the same names"
)]
pub trait Capture {
    /// The static shape of the type, used to plan call sites and to build the
    /// coverage report without a value.
    fn shape() -> Shape;

    /// Offers the value's leaves to `out`. Must offer the leaves that
    /// [`Capture::shape`] describes, and nothing else.
    fn record<'v>(&'v self, out: Out<'_, 'v>);

    /// Whether [`record`](Capture::record) is known not to panic: true for
    /// CACI's own impls and for `#[derive(Telemetry)]` types whose fields
    /// are all trusted. A call site whose inputs are all trusted records
    /// without a `catch_unwind`; any other impl (a hand-written one) is
    /// guarded, so a panic in it never changes the call. Asked when a call
    /// site is planned, never per call.
    #[doc(hidden)]
    fn trusted() -> bool {
        false
    }

    /// Whether [`record`](Capture::record) looks at its `Out` before doing
    /// anything else, and a skipped field then costs no more than that look
    /// (inlined): CACI's scalars and strings, `Option` and pointers as what
    /// they hold, and derived structs and enums (not newtypes, whose impl is
    /// their field's). A derived struct offers such a field without checking
    /// for a skip first; any other field (a hand-written impl, which may
    /// compute before it looks) is not offered at all when skipped.
    #[doc(hidden)]
    const LOOKS_FIRST: bool = false;

    /// [`record`](Capture::record) of a value reached through a shared
    /// reference (a `&str` field): an impl may hand `tracing` the reference
    /// itself. The default records the value.
    #[doc(hidden)]
    #[inline]
    fn record_through<'v, 'a: 'v>(this: &'v &'a Self, out: Out<'_, 'v>) {
        Self::record(this, out);
    }
}

/// An object-safe view of [`Capture`], for heterogeneous inputs.
pub trait DynCapture {
    /// The shape of the value's type.
    fn dyn_shape(&self) -> Shape;
    /// The value's type as a plan records it: its identity and whether its
    /// `Capture` impl is trusted not to panic.
    #[doc(hidden)]
    fn dyn_input_type(&self) -> InputType;
    /// See [`Capture::record`].
    fn dyn_record<'v>(&'v self, out: Out<'_, 'v>);
}

impl<T: Capture + ?Sized> DynCapture for T {
    fn dyn_shape(&self) -> Shape {
        T::shape()
    }

    fn dyn_input_type(&self) -> InputType {
        input_type_of::<T>()
    }

    #[inline]
    fn dyn_record<'v>(&'v self, out: Out<'_, 'v>) {
        self.record(out)
    }
}

/// A value erased for a call site, with the identity of its type taken
/// where the type was known (a constant): a plan records the value only
/// when that identity is the one it was made for.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Erased<'a> {
    /// The value.
    pub value: &'a (dyn DynCapture + 'a),
    /// The identity of its type.
    pub type_id: TypeId,
}

impl<'a> Erased<'a> {
    /// `value`, erased.
    #[inline(always)]
    pub fn new<T: Capture + 'a>(value: &'a T) -> Self {
        Erased {
            value,
            type_id: typeid::of::<T>(),
        }
    }
}

/// `T` as a plan records an input's type: its identity, and whether its
/// `Capture` impl is trusted not to panic.
#[doc(hidden)]
pub fn input_type_of<T: Capture + ?Sized>() -> InputType {
    InputType {
        id: typeid::of::<T>(),
        trusted: T::trusted(),
    }
}

/// The shape of a `#[telemetry(display)]` field of type `T`: a string,
/// under `T`'s name (so the floor and `denied_types` see `T`).
#[doc(hidden)]
pub fn display_shape<T: ?Sized>() -> Shape {
    Shape::scalar::<T>(Kind::String)
}

/// Records a `#[telemetry(display)]` field: see [`Out::display`].
#[doc(hidden)]
#[inline]
pub fn record_display<'v, T: fmt::Display>(value: &'v T, out: Out<'_, 'v>) {
    out.display(value);
}

/// What [`with_field`] is asked for.
#[doc(hidden)]
pub enum WithJob<'a, 'v, T: ?Sized> {
    /// The field's shape.
    Shape,
    /// Record the field's value.
    Record(&'v T, Out<'a, 'v>),
}

/// A `#[telemetry(with = "...")]` field of type `T`: its shape (what the
/// function returns, known from its type alone, under `T`'s name, as a
/// newtype's is its field's under its own), or a record of its value (the
/// function runs only then, when the plan captures some of the field; see
/// [`Out::computed`]).
///
/// One function for both, called the same way by the shape and the record:
/// a wrong function is one error (the compiler reports identical errors
/// once), at the path the user wrote.
#[doc(hidden)]
#[inline]
pub fn with_field<T: ?Sized, R: Capture>(with: fn(&T) -> R, job: WithJob<'_, '_, T>) -> Option<Shape> {
    match job {
        WithJob::Shape => Some(R::shape().renamed(std::any::type_name::<T>())),
        WithJob::Record(value, out) => {
            out.computed(with(value));
            None
        }
    }
}

/// Where a value offers its leaves; see [`Capture::record`].
///
/// Each method consumes the `Out`: a value is one leaf, one struct, one
/// variant, one list or one map.
pub struct Out<'a, 'v> {
    node: &'v Node,
    sink: Sink<'a, 'v>,
}

impl<'a, 'v> Out<'a, 'v> {
    pub(crate) fn new(node: &'v Node, sink: Sink<'a, 'v>) -> Self {
        Out { node, sink }
    }

    #[inline]
    fn leaf(mut self, value: Slot<'v>) {
        if let Node::Leaf { slot } = self.node {
            self.sink.put(*slot, value);
        }
    }

    /// A `bool`.
    #[inline]
    pub fn bool(self, value: bool) {
        self.leaf(Slot::Bool(value));
    }

    /// A signed integer.
    #[inline]
    pub fn i64(mut self, value: i64) {
        if let Node::Leaf { slot } = self.node {
            self.sink.put_known(*slot, || Slot::I64(value));
        }
    }

    /// An unsigned integer: recorded as `i64` when it fits, since
    /// OpenTelemetry has no unsigned attribute type.
    #[inline]
    pub fn u64(self, value: u64) {
        match i64::try_from(value) {
            Ok(signed) => self.i64(signed),
            Err(_) => self.leaf(Slot::U64(value)),
        }
    }

    /// A leaf borrowed from the input, which `tracing` can record as it
    /// is: handed to a span's opening without a copy (`slot` makes the
    /// same value, for the other sinks).
    #[inline(always)]
    fn borrowed(mut self, value: &'v dyn tracing::Value, slot: impl FnOnce() -> Slot<'v>) {
        if let Node::Leaf { slot: index } = self.node {
            self.sink.put_borrowed(*index, value, slot);
        }
    }

    /// [`bool`](Self::bool), borrowed.
    #[inline]
    pub(crate) fn bool_ref(self, value: &'v bool) {
        self.borrowed(value, || Slot::Bool(*value));
    }

    /// [`i64`](Self::i64), borrowed.
    #[inline]
    pub(crate) fn i64_ref(self, value: &'v i64) {
        self.borrowed(value, || Slot::I64(*value));
    }

    /// [`u64`](Self::u64), borrowed: one that fits `i64` is the same bytes
    /// read as an `i64`, so it is recorded as one without a copy.
    #[inline]
    pub(crate) fn u64_ref(self, value: &'v u64) {
        match i64::try_from(*value) {
            Ok(signed) => self.borrowed(bytemuck::cast_ref::<u64, i64>(value), || Slot::I64(signed)),
            Err(_) => self.borrowed(value, || Slot::U64(*value)),
        }
    }

    /// [`f64`](Self::f64), borrowed.
    #[inline]
    pub(crate) fn f64_ref(self, value: &'v f64) {
        self.borrowed(value, || Slot::F64(*value));
    }

    /// A float.
    #[inline]
    pub fn f64(self, value: f64) {
        self.leaf(Slot::F64(value));
    }

    /// A string, cut to the configured length on a UTF-8 boundary; one that
    /// looks like an email address, a card number, a JWT, a credential or an
    /// IBAN is replaced by a marker such as `[redacted: card]` unless the
    /// configuration turns value scrubbing off.
    #[inline(always)]
    pub fn str(self, value: &'v str) {
        self.string(value, None);
    }

    /// [`str`](Self::str) of a string `tracing` records as it is
    /// (`borrowed`: a `String`, a `&str`), handed to a span's opening
    /// without a copy when it needs neither scrubbing nor cutting.
    #[inline(always)]
    pub(crate) fn str_through(self, value: &'v str, borrowed: &'v dyn tracing::Value) {
        self.string(value, Some(borrowed));
    }

    /// [`str`](Self::str), with the string as `tracing` records it when
    /// there is one. The `Out` is taken apart first: the plain string's
    /// path keeps the sink in registers.
    #[inline(always)]
    fn string(self, value: &'v str, borrowed: Option<&'v dyn tracing::Value>) {
        let Out { node, mut sink } = self;
        if let Node::Leaf { slot } = node
            && !sink.put_plain_str(*slot, value, borrowed)
        {
            sink.put_scrubbed_str(*slot, value);
        }
    }

    /// A signed integer `tracing` records as an `i64` (`i8` to `i32`,
    /// `isize`), borrowed; `widened` is the same value.
    #[inline]
    pub(crate) fn signed_ref<T: tracing::Value>(self, value: &'v T, widened: i64) {
        self.borrowed(value, || Slot::I64(widened));
    }

    /// A character, recorded as a one-character string.
    #[inline]
    pub fn char(mut self, value: &'v char) {
        if let Node::Leaf { slot } = self.node {
            self.sink.put_char(*slot, value);
        }
    }

    /// A string given by a value's `Display` (what `#[telemetry(display)]`
    /// records), formatted only when a subscriber asks for it, and then
    /// treated as [`str`](Out::str) treats a string: scrubbed, and cut to the
    /// configured length. A value that is not captured is never formatted.
    #[inline]
    pub fn display(mut self, value: &'v dyn fmt::Display) {
        if let Node::Leaf { slot } = self.node {
            let limits = self.sink.render_limits();
            self.sink.put(*slot, Slot::text(Text::Scrubbed(value, limits)));
        }
    }

    /// A value computed for the capture rather than borrowed from the input
    /// (what `#[telemetry(with = "...")]` records). It does not outlive
    /// this call, so each of its captured leaves is copied out of it: a
    /// string or a rendering (a date, a list) becomes an owned string, made
    /// only for the leaves the plan captures.
    #[inline]
    pub fn computed<R: Capture>(mut self, value: R) {
        let mut keeping = Keeping { sink: &mut self.sink };
        value.record(Out::new(self.node, Sink::Render(&mut keeping)));
    }

    /// A value of a foreign type rendered by CACI (chrono's dates), only when
    /// a subscriber asks for it, and cut to the configured length.
    #[cfg_attr(not(feature = "chrono"), allow(dead_code, reason = "used by feature-gated impls"))]
    #[inline]
    pub(crate) fn rendered(self, value: &'v dyn Render) {
        let max = self.sink.max_string_len();
        self.leaf(Slot::text(Text::Rendered(value, max)));
    }

    /// A date and time, rendered in RFC 3339 (`2026-11-25T12:00:00Z`).
    #[cfg(feature = "time")]
    #[inline]
    pub fn offset_date_time(self, value: &'v time::OffsetDateTime) {
        let max = self.sink.max_string_len();
        self.leaf(Slot::text(Text::OffsetDateTime(value, max)));
    }

    /// A date and time without an offset, rendered `2026-11-25T12:00:00`.
    #[cfg(feature = "time")]
    #[inline]
    pub fn primitive_date_time(self, value: &'v time::PrimitiveDateTime) {
        let max = self.sink.max_string_len();
        self.leaf(Slot::text(Text::PrimitiveDateTime(value, max)));
    }

    /// A 128-bit signed integer: recorded as `i64` when it fits, else as
    /// `i128` (never as text).
    #[inline]
    pub fn i128(self, value: &'v i128) {
        match i64::try_from(*value) {
            Ok(narrow) => self.i64(narrow),
            Err(_) => self.leaf(Slot::I128(value)),
        }
    }

    /// A 128-bit unsigned integer: recorded as `i64` when it fits, else as
    /// `u64` or `u128` (never as text).
    #[inline]
    pub fn u128(self, value: &'v u128) {
        match u64::try_from(*value) {
            Ok(narrow) => self.u64(narrow),
            Err(_) => self.leaf(Slot::U128(value)),
        }
    }

    /// A value whose `Display` never exceeds `width` characters (UUIDs,
    /// dates): skips the length-limiting writer when the limit allows it.
    // Used by the optional impls (UUIDs, dates).
    #[cfg_attr(not(any(feature = "uuid", feature = "time")), allow(dead_code))]
    #[inline]
    pub(crate) fn short_display(mut self, value: &'v dyn fmt::Display, width: usize) {
        if let Node::Leaf { slot } = self.node {
            let max = self.sink.max_string_len();
            if width <= max {
                self.sink
                    .put_known(*slot, || Slot::Short(tracing::field::display(value)));
            } else {
                self.sink.put(*slot, Slot::display(value, max));
            }
        }
    }

    /// A struct: returns where to offer its fields, or `None` when none of
    /// them is captured.
    #[inline]
    pub fn fields(self) -> Option<Fields<'a, 'v>> {
        match self.node {
            Node::Struct(nodes) => Some(Fields { nodes, sink: self.sink }),
            _ => None,
        }
    }

    /// [`fields`](Self::fields) of a struct whose shape lists `N` fields
    /// (what `#[derive(Telemetry)]` calls): the nodes are checked against
    /// `N` once, so offering a field by its constant index needs no check.
    #[doc(hidden)]
    #[inline(always)]
    pub fn struct_fields<const N: usize>(self) -> Option<StructFields<'a, 'v, N>> {
        match self.node {
            Node::Struct(nodes) => Some(StructFields {
                nodes: nodes.as_ref().try_into().ok()?,
                sink: self.sink,
            }),
            _ => None,
        }
    }

    /// An enum value: records the variant's name where allowed, and returns
    /// where to offer the variant's fields (indexed as in its shape), or
    /// `None` when none of them is captured.
    #[inline(always)]
    pub fn variant(self, index: usize, name: &'static str) -> Option<Fields<'a, 'v>> {
        // A unit enum's value is one leaf: inline; an enum with fields is
        // not. The `Out` is taken apart first and put together again only
        // for the call out of line, so the leaf's path keeps it in registers.
        let Out { node, mut sink } = self;
        match node {
            Node::Leaf { slot } => sink.put_known(*slot, || Slot::Str(name)),
            // A skipped field (offered because the enum looks first) stays
            // inline too.
            Node::Skip => {}
            _ => return Out { node, sink }.variant_of_enum(index, name),
        }
        None
    }

    /// [`variant`](Self::variant) with the name in a `static` (what
    /// `#[derive(Telemetry)]` passes: `&"STARTER"`), so a unit enum's value
    /// reaches a span's opening without a copy. (Written out beside
    /// `variant`: a shared helper taking the leaf's write as a closure
    /// costs about 8 instructions per enum field.)
    #[doc(hidden)]
    #[inline(always)]
    pub fn variant_ref(self, index: usize, name: &'static &'static str) -> Option<Fields<'a, 'v>> {
        let Out { node, mut sink } = self;
        match node {
            Node::Leaf { slot } => sink.put_borrowed(*slot, name, || Slot::Str(name)),
            Node::Skip => {}
            _ => return Out { node, sink }.variant_of_enum(index, name),
        }
        None
    }

    #[inline(never)]
    fn variant_of_enum(mut self, index: usize, name: &'static str) -> Option<Fields<'a, 'v>> {
        match self.node {
            Node::Enum {
                name_slot,
                variants,
                cut_names,
            } => {
                if let Some(slot) = name_slot {
                    if *cut_names {
                        self.sink.put_long_str(*slot, name);
                    } else {
                        self.sink.put(*slot, Slot::Str(name));
                    }
                }
                let nodes = variants.get(index)?;
                (!nodes.is_empty()).then_some(Fields { nodes, sink: self.sink })
            }
            _ => None,
        }
    }

    /// A list: recorded as one field, rendered `[a, b, c]` within the limits;
    /// a list of structs as one field per captured leaf of its items.
    #[inline]
    pub fn list(mut self, value: &'v dyn ListValue) {
        match self.node {
            Node::Leaf { slot } => {
                let limits = self.sink.render_limits();
                self.sink.put(*slot, Slot::list(value, limits));
            }
            Node::Columns(columns) => {
                for slot in &columns.slots {
                    self.sink.put(*slot, Slot::column(value, columns, *slot));
                }
            }
            _ => {}
        }
    }

    /// A map with string-like keys: the whole map as one field rendered
    /// `{key: value}` where the dictionary is allowed, and single entries
    /// named in the configuration as typed fields.
    #[inline]
    pub fn map(mut self, value: &'v dyn MapValue) {
        match self.node {
            Node::Leaf { slot } => {
                let limits = self.sink.render_limits();
                self.sink.put(*slot, Slot::map(value, limits));
            }
            Node::Map { whole, entries } => {
                if let Some(slot) = whole {
                    let limits = self.sink.render_limits();
                    self.sink.put(*slot, Slot::map(value, limits));
                }
                for (key, node) in entries.iter() {
                    if let Some(entry) = value.get(key) {
                        entry.dyn_record(Out::new(node, self.sink.reborrow()));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Where a struct or a variant offers its fields; see [`Out::fields`].
pub struct Fields<'a, 'v> {
    nodes: &'v [Node],
    sink: Sink<'a, 'v>,
}

impl<'v> Fields<'_, 'v> {
    /// Offers the field at `index` (its position in the type's shape).
    #[inline]
    pub fn field<T: Capture + ?Sized>(&mut self, index: usize, value: &'v T) {
        if let Some(out) = self.at(index) {
            value.record(out);
        }
    }

    /// Where to offer the field at `index` (its position in the type's
    /// shape), or `None` when nothing of it is captured: then its value need
    /// not be looked at, formatted or computed.
    #[inline]
    pub fn at(&mut self, index: usize) -> Option<Out<'_, 'v>> {
        offered(self.nodes.get(index)?, &mut self.sink)
    }
}

/// Where to offer a field under `node`, or `None` when nothing of it is
/// captured.
#[inline(always)]
fn offered<'s, 'v>(node: &'v Node, sink: &'s mut Sink<'_, 'v>) -> Option<Out<'s, 'v>> {
    match node {
        Node::Skip => None,
        node => Some(Out::new(node, sink.reborrow())),
    }
}

/// [`Fields`] of a struct with `N` fields in its shape: see
/// [`Out::struct_fields`].
#[doc(hidden)]
pub struct StructFields<'a, 'v, const N: usize> {
    nodes: &'v [Node; N],
    sink: Sink<'a, 'v>,
}

impl<'v, const N: usize> StructFields<'_, 'v, N> {
    /// [`Fields::at`] with the index a constant (below `N`).
    #[inline(always)]
    pub fn at<const INDEX: usize>(&mut self) -> Option<Out<'_, 'v>> {
        self.at_looking::<INDEX>(false)
    }

    /// [`at`](Self::at) for a field whose impl looks at its `Out` first
    /// (`looks_first`, its type's [`Capture::LOOKS_FIRST`]): then a skipped
    /// field is offered too, and its impl's own look is the only check.
    #[inline(always)]
    pub fn at_looking<const INDEX: usize>(&mut self, looks_first: bool) -> Option<Out<'_, 'v>> {
        const { assert!(INDEX < N, "a field index past its struct's shape") };
        let node = &self.nodes[INDEX];
        if looks_first {
            return Some(Out::new(node, self.sink.reborrow()));
        }
        offered(node, &mut self.sink)
    }
}

/// Where a computed value's leaves go: into the sink they were meant for,
/// kept in the recording's room, since the value is gone once it is
/// recorded.
struct Keeping<'s, 'a, 'v> {
    sink: &'s mut Sink<'a, 'v>,
}

impl<'t, 'v: 't> LeafSink<'t> for Keeping<'_, '_, 'v> {
    fn put(&mut self, slot: u16, value: Slot<'t>) {
        self.sink.put_transient(slot, &value);
    }

    fn put_transient(&mut self, slot: u16, value: &Slot<'_>) {
        self.sink.put_transient(slot, value);
    }

    fn render_limits(&self) -> RenderLimits<'t> {
        self.sink.render_limits()
    }
}

/// A sequence whose items can be rendered; implemented for the standard
/// collections.
pub trait ListValue {
    /// Calls `each` on items in order until it returns `false`.
    fn for_each_item<'v>(&'v self, each: &mut dyn FnMut(&'v dyn DynCapture) -> bool);
}

/// A map with string-like keys; implemented for `HashMap` and `BTreeMap`.
pub trait MapValue {
    /// Calls `each` on entries (in the map's order) until it returns `false`.
    fn for_each_entry<'v>(&'v self, each: &mut dyn FnMut(&'v str, &'v dyn DynCapture) -> bool);
    /// The value under `key`.
    fn get<'v>(&'v self, key: &str) -> Option<&'v dyn DynCapture>;
}
