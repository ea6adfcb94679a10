//! A call site planned under one configuration, and how it records: the
//! span's opening values, and a method's output and fixed fields at the end.

use std::any::TypeId;
use std::mem::MaybeUninit;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use tracing::field::{Field, Value, ValueSet};
use tracing::{Metadata, Span};

use super::callsite::DynamicCallsite;
use crate::plan::Plan;
use crate::record::capture::{DynCapture, Erased, Out};
use crate::record::sink::{Opening, Pair, Sink, SlotFrame};
use crate::record::slot::{RenderLimits, Room, RoomBuffer, Slot};
use crate::rules::{MAX_FIELDS_PER_SPAN_CEILING, RenderRules};

/// Room for every field a span can declare: the captured ones (at most the
/// ceiling) and the fixed ones of a method span.
pub(super) const MAX_SLOTS: usize = MAX_FIELDS_PER_SPAN_CEILING + 8;

/// The buffer sizes a span is opened with: the smallest that holds every
/// declared field, so a typical span initialises a few hundred bytes, not
/// kilobytes.
const SMALL_SLOTS: usize = 16;
const MEDIUM_SLOTS: usize = 48;

/// A call site planned under one configuration.
///
/// Plans are immutable and never freed, so a call borrows its plan for
/// `'static` with no reference count. They are few: one per call site per
/// distinct way of recording (configurations whose plans record alike share
/// one) per generic instantiation, and at most
/// [`MAX_PLANS_PER_SITE`](super::MAX_PLANS_PER_SITE) per site.
pub(crate) struct SitePlan {
    pub(crate) rules: Arc<RenderRules>,
    pub(crate) callsite: &'static DynamicCallsite,
    /// The callsite's metadata, read without going through its `OnceLock`.
    pub(super) metadata: &'static Metadata<'static>,
    pub(crate) plan: Plan,
    /// The identity of the value types the plan was made for.
    pub(super) key: TypeId,
    /// Handles of the fixed fields, in `fixed_fields` order.
    pub(super) fixed: Box<[Field]>,
    /// Handles of the captured fields, in slot order.
    pub(super) captured: Box<[Field]>,
    /// Where the site is.
    pub(super) info: &'static super::SiteInfo,
    /// A method site's fully qualified path (`code.function.name`); empty
    /// for other sites.
    pub(super) function_name: &'static str,
    /// A wrapped method's metrics, when the configuration asks for them.
    #[cfg(feature = "metrics")]
    pub(crate) metrics: Option<super::metrics::MethodMetrics>,
}

/// What sees the captured values of an opening once they are filled (the
/// metrics' labels), without a second walk.
pub(crate) trait SlotTap {
    /// Whether [`tap`](Self::tap) looks at the values: an opening that is
    /// not tapped hands its values straight to `tracing`.
    const READS_SLOTS: bool = true;

    /// The captured values, in slot order.
    fn tap(&mut self, slots: &[Slot<'_>]);
}

impl SlotTap for () {
    const READS_SLOTS: bool = false;

    #[inline(always)]
    fn tap(&mut self, _: &[Slot<'_>]) {}
}

impl SitePlan {
    /// The limits and deny list a recording obeys.
    #[inline]
    fn render_limits(&self) -> RenderLimits<'_> {
        RenderLimits(&self.rules)
    }

    /// The metadata of the spans this plan opens.
    #[inline]
    pub(crate) fn metadata(&self) -> &'static Metadata<'static> {
        self.metadata
    }

    /// The handles of the site's `N` fixed fields (a method site's:
    /// `METHOD_FIELDS`), checked once; `None` for a site with other fixed
    /// fields.
    #[inline]
    pub(crate) fn fixed_fields<const N: usize>(&self) -> Option<&[Field; N]> {
        (*self.fixed).try_into().ok()
    }

    /// Opens a span with the inputs' allowed values (`None`: an input whose
    /// type is not capturable).
    #[inline]
    pub(crate) fn open<'v>(&'v self, values: impl Iterator<Item = Option<Erased<'v>>> + Clone) -> Span {
        self.open_tapped(values, &mut ())
    }

    /// [`open`](Self::open), showing `tap` the captured values.
    #[inline]
    pub(crate) fn open_tapped<'v>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>> + Clone,
        tap: &mut impl SlotTap,
    ) -> Span {
        if !self.callsite.is_enabled() {
            return Span::none();
        }
        self.open_enabled(values, tap)
    }

    /// A plan whose inputs are all trusted (CACI's impls and derived ones)
    /// opens directly. Otherwise one `catch_unwind` guards the whole
    /// opening, and a `Capture` impl that panics costs a second, careful
    /// opening (input by input), not a guard per input on every call.
    #[inline(never)]
    fn open_enabled<'v>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>> + Clone,
        tap: &mut impl SlotTap,
    ) -> Span {
        if !self.plan.guarded {
            return self.open_sized(values, tap);
        }
        self.open_guarded(values, tap)
    }

    #[inline(never)]
    fn open_guarded<'v>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>> + Clone,
        tap: &mut impl SlotTap,
    ) -> Span {
        let again = values.clone();
        match catch_unwind(AssertUnwindSafe(|| self.open_sized(values, &mut *tap))) {
            Ok(span) => span,
            Err(_) => self.open_contained(again, tap),
        }
    }

    #[cold]
    #[inline(never)]
    fn open_contained<'v>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>> + Clone,
        tap: &mut impl SlotTap,
    ) -> Span {
        self.with_values(Fill::Contained(values), &[], tap, |values| {
            Span::new(self.metadata, values)
        })
    }

    /// Shared by every call site (generic only over the iterator type): one
    /// copy of the code for each captured-field count.
    #[inline(always)]
    fn open_sized<'v, T: SlotTap>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>> + Clone,
        tap: &mut T,
    ) -> Span {
        // The captured fields only, as (field, value) pairs: the fixed ones
        // are recorded later, and a value set with only the fields present
        // is what `tracing`'s own macros build. Up to six fields the array
        // is exact; above, it is padded with absent entries to a size class,
        // which keeps this function's code small.
        match self.captured.len() {
            0 => {
                tap.tap(&[]);
                new_span(self.metadata, &self.metadata.fields().value_set(&[]))
            }
            1 => self.open_with_pairs::<1, T>(values, tap),
            2 => self.open_with_pairs::<2, T>(values, tap),
            3 => self.open_with_pairs::<3, T>(values, tap),
            4 => self.open_with_pairs::<4, T>(values, tap),
            5 => self.open_with_pairs::<5, T>(values, tap),
            6 => self.open_with_pairs::<6, T>(values, tap),
            7..=8 => self.open_with_pairs::<8, T>(values, tap),
            9..=12 => self.open_with_pairs::<12, T>(values, tap),
            _ if T::READS_SLOTS => self.open_any(values, tap),
            _ => self.open_wide(values),
        }
    }

    /// An untapped opening of more than twelve fields, in a size class of
    /// its own (each has one copy of the code, shared by every site).
    #[inline(never)]
    fn open_wide<'v>(&'v self, values: impl Iterator<Item = Option<Erased<'v>>> + Clone) -> Span {
        match self.captured.len() {
            ..=16 => self.open_direct::<16>(values),
            17..=24 => self.open_direct::<24>(values),
            25..=32 => self.open_direct::<32>(values),
            33..=48 => self.open_direct::<48>(values),
            49..=64 => self.open_direct::<64>(values),
            65..=96 => self.open_direct::<96>(values),
            _ => self.open_direct::<MAX_SLOTS>(values),
        }
    }

    /// Opens the span with `N` (field, value) pairs, `N` at least the
    /// number of captured fields, filled as the inputs are visited: without
    /// room first, then again with room when a text needed some.
    #[inline(always)]
    fn open_direct<'v, const N: usize>(&'v self, values: impl Iterator<Item = Option<Erased<'v>>> + Clone) -> Span {
        self.open_direct_in::<N>(values.clone(), None)
            .unwrap_or_else(|| again_with_room(|buffer| self.open_direct_in::<N>(values, buffer)))
    }

    /// The direct opening itself, or `None` (nothing opened) when a text
    /// needed room and `buffer` gives none.
    #[inline(always)]
    fn open_direct_in<'v, const N: usize>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>>,
        buffer: Option<&mut RoomBuffer>,
    ) -> Option<Span> {
        let captured = &self.captured[..self.captured.len().min(N)];
        let mut cells: [MaybeUninit<Slot<'_>>; N] = [const { MaybeUninit::uninit() }; N];
        // An absent pair is skipped by every visitor; any declared field
        // will do as its key.
        let mut pairs: [Pair<'_>; N] = std::array::from_fn(|index| (captured.get(index).unwrap_or(&captured[0]), None));
        let mut opening = Opening::new(&mut cells, self.render_limits(), room_in(buffer));
        self.fill_sink(
            Sink::Opening {
                pairs: &mut pairs[..captured.len()],
                opening: &mut opening,
            },
            shorten(values),
        );
        if opening.wanted_room() {
            return None;
        }
        Some(new_span(self.metadata, &self.metadata.fields().value_set(&pairs)))
    }

    /// Opens the span with an array of `N` (field, value) pairs, `N` at
    /// least the number of captured fields; the extra pairs are absent.
    /// Without room first: a text that needs some (a cut string, a char)
    /// has the opening done again, with room.
    #[inline(always)]
    fn open_with_pairs<'v, const N: usize, T: SlotTap>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>> + Clone,
        tap: &mut T,
    ) -> Span {
        if !T::READS_SLOTS {
            return self.open_direct::<N>(values);
        }
        match self.open_pairs_in::<N>(values.clone(), None, &mut *tap) {
            Some(span) => span,
            None => again_with_room(|buffer| self.open_pairs_in::<N>(values, buffer, tap)),
        }
    }

    /// The tapped opening itself, or `None` (nothing opened) when a text
    /// needed room and `buffer` gives none.
    #[inline(always)]
    fn open_pairs_in<'v, const N: usize>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>>,
        buffer: Option<&mut RoomBuffer>,
        tap: &mut impl SlotTap,
    ) -> Option<Span> {
        let mut slots: [Slot<'_>; N] = [const { Slot::Absent }; N];
        let captured = self.captured.len().min(N);
        let mut frame = SlotFrame::new(&mut slots[..captured], self.render_limits(), room_in(buffer));
        self.fill_sink(Sink::Slots(&mut frame), shorten(values));
        if frame.wanted_room() {
            return None;
        }
        tap.tap(frame.slots());
        // An absent pair is skipped by every visitor; any declared field
        // will do as its key.
        let mut recorded: [Pair<'_>; N] = [(&self.captured[0], None); N];
        for ((entry, field), slot) in recorded.iter_mut().zip(self.captured.iter()).zip(frame.slots()) {
            *entry = (field, slot.as_value());
        }
        Some(new_span(self.metadata, &self.metadata.fields().value_set(&recorded)))
    }

    #[inline(never)]
    fn open_any<'v>(
        &'v self,
        values: impl Iterator<Item = Option<Erased<'v>>> + Clone,
        tap: &mut impl SlotTap,
    ) -> Span {
        self.with_values(Fill::Inputs(values), &[], tap, |values| {
            Span::new(self.metadata, values)
        })
    }

    /// Offers each input the plan records to its node. An input is visited
    /// only when the plan captures some of it and its value has the type the
    /// plan was made for; a `Capture` impl that panics loses its input's
    /// fields, and the others are still recorded.
    #[inline(always)]
    fn fill_sink<'v>(&'v self, mut sink: Sink<'_, 'v>, values: impl Iterator<Item = Option<Erased<'v>>>) {
        for (input, value) in self.plan.inputs.iter().zip(values) {
            if let (Some(expected), Some(value)) = (input.type_id, value) {
                self.record_input(&input.node, expected, value, sink.reborrow());
            }
        }
    }

    /// [`fill_sink`], or [`fill_contained`] when the plan has an input whose
    /// `Capture` impl is not trusted (the same choice a span's opening
    /// makes, decided when the site was planned).
    ///
    /// [`fill_sink`]: Self::fill_sink
    /// [`fill_contained`]: Self::fill_contained
    #[inline(always)]
    fn fill_guarded_if_needed<'v>(&'v self, sink: Sink<'_, 'v>, values: impl Iterator<Item = Option<Erased<'v>>>) {
        if self.plan.guarded {
            self.fill_contained(sink, values);
        } else {
            self.fill_sink(sink, values);
        }
    }

    /// [`fill_sink`](Self::fill_sink) after a `Capture` impl panicked: input
    /// by input, each guarded, clearing what a panicking one wrote.
    fn fill_contained<'v>(&'v self, mut sink: Sink<'_, 'v>, values: impl Iterator<Item = Option<Erased<'v>>>) {
        for (index, (input, value)) in self.plan.inputs.iter().zip(values).enumerate() {
            let (Some(expected), Some(value)) = (input.type_id, value) else {
                continue;
            };
            let recorded = catch_unwind(AssertUnwindSafe(|| {
                self.record_input(&input.node, expected, value, sink.reborrow());
            }));
            if recorded.is_err() {
                self.contain_panic(&mut sink, index);
            }
        }
    }

    #[inline(always)]
    fn record_input<'v>(
        &'v self,
        node: &'v crate::plan::Node,
        expected: TypeId,
        value: Erased<'v>,
        sink: Sink<'_, 'v>,
    ) {
        if value.type_id == expected {
            value.value.dyn_record(Out::new(node, sink));
        } else {
            crate::safety::MISMATCHED_TYPES.fired(self.callsite.name());
        }
    }

    /// Clears what input `index` wrote before its `Capture` impl panicked.
    #[cold]
    #[inline(never)]
    fn contain_panic(&self, sink: &mut Sink<'_, '_>, index: usize) {
        crate::safety::CONTAINED_PANICS.fired(self.callsite.name());
        if let Some(slots) = self.plan.input_slots.get(index) {
            sink.clear(slots.clone());
        }
    }

    /// Writes a value's allowed leaves under `node` (a method's output or
    /// error); a `Capture` impl that panics loses them all.
    fn fill_value<'v>(
        &'v self,
        mut sink: Sink<'_, 'v>,
        node: Option<&'v crate::plan::Node>,
        value: &'v dyn DynCapture,
    ) {
        if let Some(node) = node {
            let recorded = catch_unwind(AssertUnwindSafe(|| value.dyn_record(Out::new(node, sink.reborrow()))));
            if recorded.is_err() {
                crate::safety::CONTAINED_PANICS.fired(self.callsite.name());
                sink.clear(0..self.plan.fields.len());
            }
        }
    }

    /// Records the output's allowed values, with the fixed fields' values
    /// (in `fixed_fields` order), on `span`.
    pub(crate) fn record_output<'v>(
        &'v self,
        span: &Span,
        output: &'v dyn DynCapture,
        fixed: &[Option<&'v dyn Value>],
    ) {
        self.record_value(span, self.plan.output.as_ref(), output, fixed);
    }

    /// Records a failed call's error value's allowed fields (`error.code`),
    /// with the fixed fields' values, on `span`.
    pub(crate) fn record_error<'v>(&'v self, span: &Span, error: &'v dyn DynCapture, fixed: &[Option<&'v dyn Value>]) {
        self.record_value(span, self.plan.error.as_ref(), error, fixed);
    }

    fn record_value<'v>(
        &'v self,
        span: &Span,
        node: Option<&'v crate::plan::Node>,
        value: &'v dyn DynCapture,
        fixed: &[Option<&'v dyn Value>],
    ) {
        self.with_values(
            Fill::<std::iter::Empty<Option<Erased<'v>>>>::Value(node, value),
            fixed,
            &mut (),
            |values| span.record_all(values),
        );
    }

    /// Emits an event (the site is an event site) with the inputs' allowed
    /// values and `message`.
    #[inline]
    pub(crate) fn emit<'v>(&'v self, values: impl Iterator<Item = Option<Erased<'v>>> + Clone, message: &str) {
        if !self.callsite.is_enabled() {
            return;
        }
        self.emit_enabled(values, message);
    }

    #[inline(never)]
    fn emit_enabled<'v>(&'v self, values: impl Iterator<Item = Option<Erased<'v>>> + Clone, message: &str) {
        let message = tracing::field::display(message);
        self.with_values(Fill::GuardedIfNeeded(values), &[Some(&message)], &mut (), |values| {
            tracing::Event::dispatch(self.metadata, values)
        });
    }

    /// Runs `deliver` with a value set over every declared field: the
    /// captured ones as `fill` writes them, then the fixed ones from `fixed`
    /// (absent past its end).
    #[inline]
    fn with_values<'v, I: Iterator<Item = Option<Erased<'v>>> + Clone, R>(
        &'v self,
        fill: Fill<'v, I>,
        fixed: &[Option<&dyn Value>],
        tap: &mut impl SlotTap,
        deliver: impl FnOnce(&ValueSet<'_>) -> R,
    ) -> R {
        // The buffers live in this frame; sized by class, so the common span
        // does not initialise (or probe the stack for) kilobytes.
        let declared = self.callsite.field_names.len();
        if declared <= SMALL_SLOTS {
            self.with_buffers::<SMALL_SLOTS, I, R>(fill, fixed, tap, deliver)
        } else {
            self.with_large_buffers(fill, fixed, tap, deliver)
        }
    }

    #[inline(never)]
    fn with_large_buffers<'v, I: Iterator<Item = Option<Erased<'v>>> + Clone, R>(
        &'v self,
        fill: Fill<'v, I>,
        fixed: &[Option<&dyn Value>],
        tap: &mut impl SlotTap,
        deliver: impl FnOnce(&ValueSet<'_>) -> R,
    ) -> R {
        if self.callsite.field_names.len() <= MEDIUM_SLOTS {
            self.with_buffers::<MEDIUM_SLOTS, I, R>(fill, fixed, tap, deliver)
        } else {
            self.with_buffers::<MAX_SLOTS, I, R>(fill, fixed, tap, deliver)
        }
    }

    /// [`with_values`](Self::with_values) with buffers of `N` slots:
    /// without room first, then again with room when a text needed some.
    #[inline(always)]
    fn with_buffers<'v, const N: usize, I: Iterator<Item = Option<Erased<'v>>> + Clone, R>(
        &'v self,
        fill: Fill<'v, I>,
        fixed: &[Option<&dyn Value>],
        tap: &mut impl SlotTap,
        deliver: impl FnOnce(&ValueSet<'_>) -> R,
    ) -> R {
        match self.with_buffers_in::<N, I, R, _>(fill.clone(), None, fixed, &mut *tap, deliver) {
            Ok(delivered) => delivered,
            Err(deliver) => self.with_room::<N, I, R>(fill, fixed, tap, deliver),
        }
    }

    #[cold]
    #[inline(never)]
    fn with_room<'v, const N: usize, I: Iterator<Item = Option<Erased<'v>>>, R>(
        &'v self,
        fill: Fill<'v, I>,
        fixed: &[Option<&dyn Value>],
        tap: &mut impl SlotTap,
        deliver: impl FnOnce(&ValueSet<'_>) -> R,
    ) -> R {
        let mut buffer = RoomBuffer::new();
        match self.with_buffers_in::<N, I, R, _>(fill, Some(&mut buffer), fixed, tap, deliver) {
            Ok(delivered) => delivered,
            Err(_) => unreachable!("with room, no text asks for more"),
        }
    }

    /// Fills and delivers; gives `deliver` back, undelivered, when a text
    /// needed room and `buffer` gives none.
    #[inline(always)]
    fn with_buffers_in<'v, const N: usize, I: Iterator<Item = Option<Erased<'v>>>, R, D>(
        &'v self,
        fill: Fill<'v, I>,
        buffer: Option<&mut RoomBuffer>,
        fixed: &[Option<&dyn Value>],
        tap: &mut impl SlotTap,
        deliver: D,
    ) -> Result<R, D>
    where
        D: FnOnce(&ValueSet<'_>) -> R,
    {
        let captured = self.plan.fields.len();
        let declared = self.callsite.field_names.len();
        let mut slots: [Slot<'_>; N] = [const { Slot::Absent }; N];
        let mut frame = SlotFrame::new(&mut slots[..captured], self.render_limits(), room_in(buffer));
        let sink = Sink::Slots(&mut frame);
        match fill {
            Fill::Inputs(values) => self.fill_sink(sink, shorten(values)),
            Fill::Contained(values) => self.fill_contained(sink, shorten(values)),
            Fill::GuardedIfNeeded(values) => self.fill_guarded_if_needed(sink, shorten(values)),
            Fill::Value(node, value) => self.fill_value(sink, node, value),
        }
        if frame.wanted_room() {
            return Err(deliver);
        }
        tap.tap(frame.slots());
        let mut recorded: [Option<&dyn Value>; N] = [None; N];
        let (captured_values, fixed_values) = recorded[..declared].split_at_mut(captured);
        for (entry, slot) in captured_values.iter_mut().zip(frame.slots()) {
            *entry = slot.as_value();
        }
        for (entry, value) in fixed_values.iter_mut().zip(fixed) {
            *entry = *value;
        }
        Ok(deliver(&self.metadata().fields().value_set_all(&recorded[..declared])))
    }

    /// Records the captured values on `span` (of `target`'s metadata), each
    /// into the late field of its name; values without one are dropped. At
    /// most [`SMALL_SLOTS`] fields per `record!`.
    pub(crate) fn record_late<'v>(
        &'v self,
        span: &Span,
        target: &'static DynamicCallsite,
        values: impl Iterator<Item = Option<Erased<'v>>>,
    ) {
        // Not on a span's opening path: room always, rather than a second run.
        let mut buffer = RoomBuffer::new();
        let mut slots: [Slot<'_>; SMALL_SLOTS] = [const { Slot::Absent }; SMALL_SLOTS];
        let captured = self.plan.fields.len().min(SMALL_SLOTS);
        let mut frame = SlotFrame::new(&mut slots[..captured], self.render_limits(), Room::new(&mut buffer));
        self.fill_guarded_if_needed(Sink::Slots(&mut frame), shorten(values));
        let late = target.late_fields();
        let fields = tracing_core::callsite::Callsite::metadata(target).fields();
        for (name, slot) in self.plan.fields.iter().zip(frame.slots()) {
            let (Some(value), true) = (slot.as_value(), late.contains(&name.as_str())) else {
                continue;
            };
            if let Some(field) = fields.field(name) {
                span.record_all(&fields.value_set(&[(&field, Some(value))]));
            }
        }
    }

    /// A failed call's error message as recorded: its `Display`, cut to the
    /// string limit, and scrubbed like any captured string (a message can
    /// carry an email address).
    #[cold]
    pub(crate) fn error_message(&self, message: &dyn std::fmt::Display) -> String {
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            let full = message.to_string();
            match crate::record::slot::truncation_point(&full, self.rules.limits.max_string_len) {
                Some(end) => format!("{}{}", &full[..end], crate::record::slot::TRUNCATION_MARK),
                None => full,
            }
        }));
        let Ok(rendered) = rendered else {
            crate::safety::CONTAINED_PANICS.fired(self.callsite.name());
            return String::new();
        };
        match self.render_limits().scrubbed(&rendered) {
            Some(marker) => marker.to_owned(),
            None => rendered,
        }
    }

    /// A method's `code.function.name`.
    #[inline]
    pub(crate) fn function_name(&self) -> &'static str {
        self.function_name
    }

    /// Where the site is.
    #[inline]
    pub(crate) fn site_info(&self) -> &'static super::SiteInfo {
        self.info
    }

    /// Whether method spans carry `duration_ns`.
    #[inline]
    pub(crate) fn records_duration(&self) -> bool {
        self.rules.record_duration
    }

    /// Whether method spans carry `code.file.path` and `code.line.number`.
    #[inline]
    pub(crate) fn captures_code_location(&self) -> bool {
        self.rules.capture_code_location
    }

    /// Whether failed calls' error messages may be recorded.
    pub(crate) fn captures_error_messages(&self) -> bool {
        self.rules.capture_error_messages
    }
}

/// What a recording writes into the slots of its frame.
#[derive(Clone)]
enum Fill<'v, I> {
    /// The inputs, unguarded (trusted impls).
    Inputs(I),
    /// The inputs, each guarded.
    Contained(I),
    /// The inputs, guarded when the plan has an untrusted impl.
    GuardedIfNeeded(I),
    /// A method's output or error, under its node.
    Value(Option<&'v crate::plan::Node>, &'v dyn DynCapture),
}

/// The values, borrowed for as long as a recording's frame (where its cut
/// strings are kept).
#[inline(always)]
#[allow(clippy::map_identity, reason = "the map is the coercion to the shorter lifetime")]
fn shorten<'s, 'v: 's>(values: impl Iterator<Item = Option<Erased<'v>>>) -> impl Iterator<Item = Option<Erased<'s>>> {
    values.map(|value| -> Option<Erased<'s>> { value })
}

/// An opening done again with room, after a first run without it asked
/// for some (cut strings are rare: out of line).
#[cold]
#[inline(never)]
fn again_with_room<R>(run: impl FnOnce(Option<&mut RoomBuffer>) -> Option<R>) -> R {
    let mut buffer = RoomBuffer::new();
    run(Some(&mut buffer)).expect("with room, no text asks for more")
}

/// Room in `buffer`, or none (a first run, done again with room if a text
/// needs some).
#[inline(always)]
fn room_in(buffer: Option<&mut RoomBuffer>) -> Room<'_> {
    match buffer {
        Some(buffer) => Room::new(buffer),
        None => Room::none(),
    }
}

/// `Span::new`, out of line: each buffer size shares one copy.
#[inline(never)]
fn new_span(metadata: &'static Metadata<'static>, values: &ValueSet<'_>) -> Span {
    Span::new(metadata, values)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing_subscriber::layer::{Context, SubscriberExt};

    use super::super::{CallSite, SiteInfo};
    use crate::plan::Input;
    use crate::record::capture::{Capture, Erased};

    /// Every field name a span is opened with.
    #[derive(Clone, Default)]
    struct Names(Arc<Mutex<Vec<String>>>);

    impl Visit for Names {
        fn record_debug(&mut self, field: &Field, _: &dyn std::fmt::Debug) {
            self.0.lock().unwrap().push(field.name().to_owned());
        }
    }

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Names {
        fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, _: &tracing::span::Id, _: Context<'_, S>) {
            attrs.record(&mut self.clone());
        }
    }

    static SITE: CallSite = CallSite::new(SiteInfo {
        name: "mislabel",
        target: "caci_core::tests",
        level: tracing::Level::INFO,
        module_path: "caci_core::tests",
        file: file!(),
        line: line!(),
        inputs: &["value"],
    });

    /// A plan made for one type and handed a value of another (what a
    /// keying mistake would do) drops the value and counts it.
    #[test]
    fn a_plan_never_records_a_value_of_a_type_it_was_not_made_for() {
        let names = Names::default();
        let subscriber = tracing_subscriber::registry().with(names.clone());
        let config = crate::TelemetryCaptureConfiguration::builder()
            .allow_field("value")
            .build()
            .unwrap();
        tracing::subscriber::with_default(subscriber, || {
            tracing_core::callsite::rebuild_interest_cache();
            crate::with_configuration(&config, || {
                let plan = SITE.core.plan(typeid::of::<u64>(), || {
                    let input =
                        Input::new("value", u64::shape()).typed(Some(crate::record::capture::input_type_of::<u64>()));
                    (vec![input], None)
                });
                let before = crate::safety_counters().mismatched_types;
                drop(plan.open([Some(Erased::new(&7u64))].into_iter()));
                assert_eq!(crate::safety_counters().mismatched_types, before);
                drop(plan.open([Some(Erased::new(&"a string, not a u64"))].into_iter()));
                assert_eq!(crate::safety_counters().mismatched_types, before + 1);
            });
        });
        assert_eq!(
            *names.0.lock().unwrap(),
            ["value"],
            "only the right type's value is recorded"
        );
    }
}
