//! Metrics per wrapped method (cargo feature `metrics`): a call counter and a
//! duration histogram, labelled by component, method, outcome, `error.type`
//! and the configuration's `metric_labels`, through the `metrics` facade.
//!
//! Which captured slots are labels is decided once per call site and
//! configuration (here, when the site is planned), never per call. A call
//! turns its label slots into a small key (a bool, an enum variant's name by
//! its address, a string by a hash of its text) and finds the series of
//! that key in a per-site cache: no allocation and no string built per call
//! once the cache is warm. Registering a series, and anything past the
//! caps, takes a lock and allocates.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::sync::{Mutex, OnceLock, RwLock};

use metrics::{Counter, Histogram, Key, Label, Level, Metadata};

use crate::plan::Plan;
use crate::record::slot::Slot;
use crate::rules::Rules;
use crate::shape::Kind;

/// The call counter's name.
pub(crate) const CALLS: &str = "caci.method.calls";
/// The duration histogram's name (seconds).
pub(crate) const DURATION: &str = "caci.method.duration";
/// Counts calls whose label values were collapsed to [`OTHER`].
pub(crate) const OVERFLOW: &str = "caci.method.label_overflow";
/// The value a label takes past a cap.
pub(crate) const OTHER: &str = "_other";
/// The value of a label whose leaf was not captured on this call (an
/// `Option` that was `None`, say).
pub(crate) const ABSENT: &str = "_none";

/// At most this many labels per method (the configuration checks it too).
const MAX_LABELS: usize = crate::rules::MAX_METRIC_LABELS;
// `LabelKey::same` compares two, four or all words.
const _: () = assert!(MAX_LABELS == 8);
/// A string label longer than this is cut before it is hashed and named.
const MAX_LABEL_TEXT: usize = 128;

static METADATA: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// How a label's value is read from its slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LabelKind {
    /// A bool or an enum variant: a small, fixed set of values, keyed by
    /// value (a variant's name by its address).
    Small,
    /// A string: keyed by a hash of its text, checked against the text on
    /// every hit, and capped in distinct values.
    Text,
}

#[derive(Debug)]
struct LabelSlot {
    name: String,
    slot: u16,
    kind: LabelKind,
}

/// The labels of one call, as the cache keys them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct LabelKey([u64; MAX_LABELS]);

impl LabelKey {
    /// Whether the first `len` words are `other`'s. The words past `len`
    /// are zero in every key, so comparing a few more is still exact: two,
    /// four or all eight words, each compared directly (no `memcmp` call).
    #[inline]
    fn same(&self, other: &LabelKey, len: usize) -> bool {
        let (a, b) = (&self.0, &other.0);
        let first = a[0] == b[0] && a[1] == b[1];
        match len {
            0..=2 => first,
            3..=4 => first && a[2] == b[2] && a[3] == b[3],
            _ => a == b,
        }
    }

    /// The key's first `len` words, mixed into a table index.
    #[inline]
    fn spread(&self, len: usize) -> usize {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mix = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
        let hash = match len {
            0..=2 => mix(mix(0, self.0[0]), self.0[1]),
            _ => self.0.iter().fold(0, |hash, word| mix(hash, *word)),
        };
        // The high bits are the best mixed.
        (hash >> 32) as usize
    }
}

/// How many slots of the cache a lookup tries before it takes the lock.
const MAX_PROBES: usize = 8;

/// The cache's size: a power of two with room for every series and the
/// keys that reach them (several keys can name one series).
fn cache_slots(max_series: usize) -> usize {
    (max_series.saturating_mul(2) + 16).next_power_of_two().min(1 << 14)
}

/// A bool's or an enum variant's key: the value (a variant's name by its
/// address and length, which tell it apart without reading it); anything
/// else by a hash of its text (a variant name cut to the string limit).
#[inline]
fn small_key(slot: &Slot<'_>) -> u64 {
    match slot {
        Slot::Absent => 0,
        Slot::Bool(value) => 1 + u64::from(*value),
        Slot::Str(name) => (name.as_ptr() as u64) ^ ((name.len() as u64) << 56),
        other => hash_text(Text::of(other).as_str()),
    }
}

/// The metrics of one wrapped method under one configuration.
pub(crate) struct MethodMetrics {
    component: &'static str,
    method: &'static str,
    labels: Box<[LabelSlot]>,
    /// The labels' slots, in order, inline for the warm path.
    slots: [u16; MAX_LABELS],
    has_text: bool,
    max_series: usize,
    max_values: usize,
    /// The warm path: an open-addressing table of label keys and their
    /// series, read without a lock (slots are set once, under `registry`'s
    /// lock, and never changed).
    cache: Box<[OnceLock<&'static Cached>]>,
    /// Everything a miss needs.
    registry: Mutex<Registry>,
    overflow: Counter,
}

struct Cached {
    key: LabelKey,
    series: &'static Series,
    /// The string labels' values, to tell a hash collision from a hit.
    texts: Box<[Box<str>]>,
}

#[derive(Default)]
struct Registry {
    /// Every series so far, by its label values.
    series: HashMap<Box<[Box<str>]>, &'static Series>,
    /// Per label, the distinct string values seen (only for string labels).
    distinct: Vec<HashSet<Box<str>>>,
    /// The series every label of which is `_other`, once the cap is reached.
    other: Option<&'static Series>,
}

/// One label set's handles. Leaked: a method has at most
/// `max_series_per_method` of them per configuration.
pub(crate) struct Series {
    labels: Vec<Label>,
    ok: Handles,
    errors: RwLock<Vec<(&'static str, Handles)>>,
    ends: Mutex<Vec<(&'static str, Handles)>>,
}

struct Handles {
    calls: Counter,
    duration: Histogram,
}

impl Handles {
    fn register(labels: Vec<Label>) -> Self {
        let calls = Key::from_parts(CALLS, labels.clone());
        let duration = Key::from_parts(DURATION, labels);
        metrics::with_recorder(|recorder| Handles {
            calls: recorder.register_counter(&calls, &METADATA),
            duration: recorder.register_histogram(&duration, &METADATA),
        })
    }

    #[inline]
    fn record(&self, seconds: f64) {
        self.calls.increment(1);
        self.duration.record(seconds);
    }
}

impl Series {
    fn new(mut labels: Vec<Label>) -> &'static Series {
        let ok = Handles::register(with_outcome(&labels, "ok", None));
        labels.shrink_to_fit();
        Box::leak(Box::new(Series {
            labels,
            ok,
            errors: RwLock::new(Vec::new()),
            ends: Mutex::new(Vec::new()),
        }))
    }

    /// A call that returned normally.
    #[inline]
    pub(crate) fn ok(&self, nanos: i64) {
        self.ok.record(seconds(nanos));
    }

    /// A call that failed with `error_type`.
    #[cold]
    pub(crate) fn error(&self, error_type: &'static str, nanos: i64) {
        {
            let errors = self.errors.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some((_, handles)) = errors.iter().find(|(known, _)| *known == error_type) {
                handles.record(seconds(nanos));
                return;
            }
        }
        let mut errors = self.errors.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !errors.iter().any(|(known, _)| *known == error_type) {
            let handles = Handles::register(with_outcome(&self.labels, "error", Some(error_type)));
            errors.push((error_type, handles));
        }
        if let Some((_, handles)) = errors.iter().find(|(known, _)| *known == error_type) {
            handles.record(seconds(nanos));
        }
    }

    /// A call that panicked (`error.type` `panic`) or was cancelled.
    #[cold]
    pub(crate) fn ended(&self, outcome: &'static str, error_type: Option<&'static str>, nanos: i64) {
        let mut ends = self.ends.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !ends.iter().any(|(known, _)| *known == outcome) {
            ends.push((
                outcome,
                Handles::register(with_outcome(&self.labels, outcome, error_type)),
            ));
        }
        if let Some((_, handles)) = ends.iter().find(|(known, _)| *known == outcome) {
            handles.record(seconds(nanos));
        }
    }
}

fn seconds(nanos: i64) -> f64 {
    // Exact to the nanosecond for any call shorter than 104 days.
    #[allow(clippy::cast_precision_loss)]
    let nanos = nanos as f64;
    nanos / 1e9
}

fn with_outcome(labels: &[Label], outcome: &'static str, error_type: Option<&'static str>) -> Vec<Label> {
    let mut all = Vec::with_capacity(labels.len() + 2);
    all.extend_from_slice(&labels[..2]);
    all.push(Label::from_static_parts("outcome", outcome));
    if let Some(error_type) = error_type {
        all.push(Label::from_static_parts("error.type", error_type));
    }
    all.extend_from_slice(&labels[2..]);
    all
}

impl MethodMetrics {
    /// The metrics of `component.method` under `rules`, when the
    /// configuration asks for them; the labels are the planned slots named
    /// by `metric_labels` (of a kind a label can be).
    pub(crate) fn new(rules: &Rules, component: &'static str, method: &'static str, plan: &Plan) -> Option<Self> {
        if !rules.method_metrics {
            return None;
        }
        describe();
        let mut labels = Vec::new();
        for label in &rules.metric_labels {
            let Some((slot, path)) = plan
                .fields
                .iter()
                .enumerate()
                .find(|(_, path)| crate::rules::label_names(label, path))
            else {
                continue;
            };
            let kind = plan
                .decisions
                .iter()
                .find(|decision| decision.path == *path && decision.verdict.is_captured())
                .map(|decision| decision.kind);
            let kind = match kind {
                Some(Kind::Bool | Kind::Enum) => LabelKind::Small,
                Some(Kind::String) => LabelKind::Text,
                _ => continue,
            };
            let (Ok(slot), true) = (u16::try_from(slot), labels.len() < MAX_LABELS) else {
                continue;
            };
            labels.push(LabelSlot {
                name: label.clone(),
                slot,
                kind,
            });
        }
        let overflow = Key::from_parts(
            OVERFLOW,
            vec![
                Label::from_static_parts("component", component),
                Label::from_static_parts("method", method),
            ],
        );
        let overflow = metrics::with_recorder(|recorder| recorder.register_counter(&overflow, &METADATA));
        Some(MethodMetrics {
            component,
            method,
            has_text: labels.iter().any(|label| label.kind == LabelKind::Text),
            slots: std::array::from_fn(|index| labels.get(index).map_or(0, |label| label.slot)),
            registry: Mutex::new(Registry {
                distinct: labels.iter().map(|_| HashSet::new()).collect(),
                ..Registry::default()
            }),
            labels: labels.into_boxed_slice(),
            max_series: rules.limits.max_series_per_method,
            max_values: rules.limits.max_label_values,
            cache: (0..cache_slots(rules.limits.max_series_per_method))
                .map(|_| OnceLock::new())
                .collect(),
            overflow,
        })
    }

    /// The series of a call whose captured values are `slots`.
    #[inline]
    pub(crate) fn series(&self, slots: &[Slot<'_>]) -> &'static Series {
        if self.has_text {
            return self.series_with_text(slots);
        }
        let mut key = LabelKey([0; MAX_LABELS]);
        let word = |index: usize| small_key(slots.get(usize::from(self.slots[index])).unwrap_or(&Slot::Absent));
        // One or two labels, the common case, without a loop.
        match self.labels.len() {
            0 => {}
            1 => key.0[0] = word(0),
            2 => key.0 = [word(0), word(1), 0, 0, 0, 0, 0, 0],
            count => {
                for (index, entry) in key.0.iter_mut().enumerate().take(count) {
                    *entry = word(index);
                }
            }
        }
        match self.lookup(&key, &[]) {
            Some(series) => series,
            None => self.resolve(key, slots),
        }
    }

    /// [`series`](Self::series) for labels with a string among them: its
    /// text is hashed, and compared with the cached one on a hit.
    #[inline(never)]
    fn series_with_text(&self, slots: &[Slot<'_>]) -> &'static Series {
        let mut key = LabelKey([0; MAX_LABELS]);
        let mut texts: [Text<'_>; MAX_LABELS] = [const { Text::None }; MAX_LABELS];
        for ((entry, text), label) in key.0.iter_mut().zip(texts.iter_mut()).zip(self.labels.iter()) {
            let slot = slots.get(usize::from(label.slot)).unwrap_or(&Slot::Absent);
            *entry = match (label.kind, slot) {
                (LabelKind::Small, slot) | (_, slot @ Slot::Absent) => small_key(slot),
                (LabelKind::Text, slot) => {
                    *text = Text::of(slot);
                    hash_text(text.as_str())
                }
            };
        }
        match self.lookup(&key, &texts) {
            Some(series) => series,
            None => self.resolve(key, slots),
        }
    }

    /// The cached series of `key` (and `texts`, the string labels' values).
    #[inline]
    fn lookup(&self, key: &LabelKey, texts: &[Text<'_>]) -> Option<&'static Series> {
        let mask = self.cache.len() - 1;
        let mut index = key.spread(self.labels.len()) & mask;
        for _ in 0..MAX_PROBES {
            let cached = self.cache[index].get()?;
            if cached.key.same(key, self.labels.len()) && (!self.has_text || self.same_texts(cached, texts)) {
                return Some(cached.series);
            }
            index = (index + 1) & mask;
        }
        None
    }

    fn same_texts(&self, cached: &Cached, texts: &[Text<'_>]) -> bool {
        let mut known = cached.texts.iter();
        self.labels
            .iter()
            .zip(texts)
            .filter(|(label, _)| label.kind == LabelKind::Text)
            .all(|(_, text)| known.next().is_some_and(|known| **known == *text.as_str()))
    }

    /// A miss: the label values as text, capped, and their series (made
    /// when new and under the cap, else the `_other` one), then cached.
    #[cold]
    #[inline(never)]
    fn resolve(&self, key: LabelKey, slots: &[Slot<'_>]) -> &'static Series {
        let mut registry = self.registry.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut collapsed = false;
        let mut values: Vec<Box<str>> = Vec::with_capacity(self.labels.len());
        let mut texts: Vec<Box<str>> = Vec::new();
        for (index, label) in self.labels.iter().enumerate() {
            let slot = slots.get(usize::from(label.slot)).unwrap_or(&Slot::Absent);
            let value: Box<str> = match slot {
                Slot::Absent => ABSENT.into(),
                Slot::Bool(value) => if *value { "true" } else { "false" }.into(),
                other => Text::of(other).as_str().into(),
            };
            if label.kind == LabelKind::Text {
                texts.push(if matches!(slot, Slot::Absent) {
                    "".into()
                } else {
                    value.clone()
                });
            }
            let value = if label.kind == LabelKind::Text && &*value != ABSENT {
                let seen = &mut registry.distinct[index];
                if seen.contains(&value) || seen.len() < self.max_values {
                    seen.insert(value.clone());
                    value
                } else {
                    collapsed = true;
                    OTHER.into()
                }
            } else {
                value
            };
            values.push(value);
        }
        let values = values.into_boxed_slice();
        let series = match registry.series.get(&values) {
            Some(series) => series,
            None if registry.series.len() < self.max_series => {
                let series = Series::new(self.base_labels(&values));
                registry.series.insert(values.clone(), series);
                series
            }
            None => {
                collapsed = true;
                let other: Vec<Box<str>> = self.labels.iter().map(|_| OTHER.into()).collect();
                *registry
                    .other
                    .get_or_insert_with(|| Series::new(self.base_labels(&other)))
            }
        };
        if collapsed {
            self.overflow.increment(1);
        }
        // Cached while there is room (bounded: at most the table's slots,
        // so string values past the cap may miss every time).
        let mask = self.cache.len() - 1;
        let mut index = key.spread(self.labels.len()) & mask;
        for _ in 0..MAX_PROBES {
            let slot = &self.cache[index];
            match slot.get() {
                None => {
                    let cached = Box::leak(Box::new(Cached {
                        key,
                        series,
                        texts: texts.into_boxed_slice(),
                    }));
                    let _ = slot.set(cached);
                    break;
                }
                Some(cached)
                    if cached.key.same(&key, self.labels.len()) && cached.texts.as_ref() == texts.as_slice() =>
                {
                    break;
                }
                Some(_) => index = (index + 1) & mask,
            }
        }
        drop(registry);
        series
    }

    fn base_labels(&self, values: &[Box<str>]) -> Vec<Label> {
        let mut labels = Vec::with_capacity(2 + values.len());
        labels.push(Label::from_static_parts("component", self.component));
        labels.push(Label::from_static_parts("method", self.method));
        labels.extend(
            self.labels
                .iter()
                .zip(values)
                .map(|(label, value)| Label::new(label.name.clone(), value.to_string())),
        );
        labels
    }
}

/// Resolves a call's series from the slots its span is opened with.
pub(crate) struct SeriesTap<'m> {
    metrics: &'m MethodMetrics,
    /// The series, once the span's values were seen.
    pub(crate) series: Option<&'static Series>,
}

impl<'m> SeriesTap<'m> {
    pub(crate) fn new(metrics: &'m MethodMetrics) -> Self {
        SeriesTap { metrics, series: None }
    }
}

impl super::SlotTap for SeriesTap<'_> {
    #[inline]
    fn tap(&mut self, slots: &[Slot<'_>]) {
        self.series = Some(self.metrics.series(slots));
    }
}

/// A string label's text: the captured string itself, or a rendering cut
/// to [`MAX_LABEL_TEXT`] bytes on a character boundary.
enum Text<'v> {
    None,
    Borrowed(&'v str),
    Rendered { bytes: [u8; MAX_LABEL_TEXT], len: usize },
}

impl<'v> Text<'v> {
    fn of(slot: &Slot<'v>) -> Self {
        if let Slot::Str(value) = slot {
            return Text::Borrowed(value);
        }
        let mut cut = Cut {
            bytes: [0; MAX_LABEL_TEXT],
            len: 0,
        };
        let _ = slot.write_text(&mut cut);
        Text::Rendered {
            bytes: cut.bytes,
            len: cut.len,
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Text::None => "",
            Text::Borrowed(value) => value,
            Text::Rendered { bytes, len } => std::str::from_utf8(&bytes[..*len]).unwrap_or_default(),
        }
    }
}

/// Writes whole characters while they fit.
struct Cut {
    bytes: [u8; MAX_LABEL_TEXT],
    len: usize,
}

impl std::fmt::Write for Cut {
    fn write_str(&mut self, part: &str) -> std::fmt::Result {
        for character in part.chars() {
            let width = character.len_utf8();
            if self.len + width > MAX_LABEL_TEXT {
                return Err(std::fmt::Error);
            }
            character.encode_utf8(&mut self.bytes[self.len..]);
            self.len += width;
        }
        Ok(())
    }
}

fn hash_text(text: &str) -> u64 {
    let mut hasher = KeyHasher::default();
    hasher.write(text.as_bytes());
    // Never 0 (absent) for a present value.
    hasher.finish() | 1
}

/// A small multiplicative hasher (the label keys are already well spread;
/// strings go through the same mix a word at a time).
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let mut tail = [0; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.write_u64(u64::from_le_bytes(tail) ^ (bytes.len() as u64) << 56);
    }

    #[inline]
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    #[inline]
    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Describes the metrics once per process: units and help texts.
fn describe() {
    static DESCRIBED: std::sync::Once = std::sync::Once::new();
    DESCRIBED.call_once(|| {
        metrics::describe_counter!(CALLS, "Calls of a wrapped method, by outcome and error.type");
        metrics::describe_histogram!(
            DURATION,
            metrics::Unit::Seconds,
            "Duration of a wrapped method's calls, by outcome and error.type"
        );
        metrics::describe_counter!(
            OVERFLOW,
            "Calls whose label values were counted under _other: past max_series_per_method or max_label_values"
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_a_whole_path_or_its_last_segments() {
        use crate::rules::label_names;
        assert!(label_names("plan", "plan"));
        assert!(label_names("plan", "business.plan"));
        assert!(label_names("business.plan", "request.business.plan"));
        assert!(!label_names("plan", "business.subplan"));
        assert!(!label_names("plan", "plan.name"));
    }

    #[test]
    fn string_hashes_differ_and_are_never_absent() {
        assert_ne!(hash_text("CA"), hash_text("US"));
        assert_ne!(hash_text(""), 0);
        assert_ne!(hash_text("abcdefgh1"), hash_text("abcdefgh2"));
    }
}
