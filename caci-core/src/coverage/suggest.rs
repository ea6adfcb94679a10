//! Finding and verifying suggestions; see [`Suggestion`].

use std::cmp::Reverse;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::addition::Addition;
use super::leaf::Place;
use super::personal::looks_personal;
use super::struct_name::suggested_struct;
use super::subject::Subject;
use crate::config::TelemetryCaptureConfiguration;
use crate::plan::LeafDecision;
use crate::rules::decision::{Leaf, Reason, Verdict};
use crate::shape::Kind;

/// A configuration addition and what it would capture. The report ranks
/// them by the number of leaves not captured today that each would capture
/// (then from the narrowest addition to the broadest).
///
/// 1. Every leaf not captured because no rule allows it
///    ([`Reason::NotAllowed`]) proposes the additions that could allow it:
///    its name (unless positional, like `0`), its dotted path, the struct
///    holding it (seen through references and the standard wrappers and
///    collections: `Result<Option<Business>, E>` suggests `Business`, never
///    `Result` or `Option`), its kind (or its items' kind; never `string`, free text
///    being where personal data hides), or for a map, a dictionary by name
///    or path. Leaves are grouped by addition, so each addition is
///    evaluated once, against the methods it could change.
/// 2. Each addition is verified by the decision rule itself: the
///    configuration with the addition is compiled (an addition the
///    configuration would reject, e.g. a name on the deny floor, is
///    dropped), and each affected method is decided again, leaf by leaf when
///    its field limit cannot interfere, otherwise by re-planning the whole
///    method (which also finds leaves the limit would crowd out).
/// 3. A path suggestion that captures exactly what its name would is
///    dropped; additions touching a name that
///    [looks personal](super::looks_personal) go to "needs review".
///
/// The work is linear in the number of leaves: each leaf proposes at most
/// five additions and is decided again once per addition.
///
/// ```
/// use caci_core::coverage::{Addition, Place, Suggestion};
///
/// let suggestion = Suggestion {
///     addition: Addition::Name("plan".into()),
///     unlocks: vec![Place::new("Billing", "charge", "plan")],
///     looks_personal: vec![],
///     crowds_out: vec![],
/// };
/// assert_eq!(suggestion.to_string(), "allow field name `plan`: +1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// What to add to the configuration.
    pub addition: Addition,
    /// The leaves, not captured today, that it would capture, in report order.
    pub unlocks: Vec<Place>,
    /// Identifiers among the addition and the unlocked paths that look
    /// personal; non-empty exactly for the report's `needs_review` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub looks_personal: Vec<PersonalMatch>,
    /// Leaves captured today that the addition would push over
    /// `max_fields_per_span`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crowds_out: Vec<Place>,
}

/// An identifier that looks personal, and the term it matched.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonalMatch {
    /// The identifier, as written (a field name or path segment).
    pub identifier: String,
    /// The term it matched (see [`looks_personal`](super::looks_personal)).
    pub term: String,
}

impl std::fmt::Display for Suggestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: +{}", self.addition, self.unlocks.len())
    }
}

/// `(suggestions, needs review)`, each best first.
pub(crate) fn suggest(
    config: &TelemetryCaptureConfiguration,
    subjects: &[Subject],
) -> (Vec<Suggestion>, Vec<Suggestion>) {
    let mut groups: HashMap<Addition, Vec<(usize, usize)>> = HashMap::new();
    let mut proposed = Vec::new();
    for (method, subject) in subjects.iter().enumerate() {
        for (leaf, decision) in subject.decisions.iter().enumerate() {
            if decision.verdict == Verdict::NotCaptured(Reason::NotAllowed) {
                proposed.clear();
                candidates(decision, &mut proposed);
                for addition in proposed.drain(..) {
                    groups.entry(addition).or_default().push((method, leaf));
                }
            }
        }
    }
    let max_fields = config.limits().max_fields_per_span;
    let room: Vec<Room> = subjects.iter().map(|subject| Room::of(subject, max_fields)).collect();
    let mut personal = PersonalCache::default();
    let mut evaluated: Vec<Suggestion> = groups
        .into_iter()
        .filter_map(|(addition, leaves)| {
            let hypothetical = hypothetical(config, &addition)?;
            let mut suggestion = Suggestion {
                addition,
                unlocks: Vec::new(),
                looks_personal: Vec::new(),
                crowds_out: Vec::new(),
            };
            for chunk in leaves.chunk_by(|a, b| a.0 == b.0) {
                let subject = &subjects[chunk[0].0];
                if room[chunk[0].0].leaf_by_leaf(&suggestion.addition) {
                    let unlocked = chunk
                        .iter()
                        .map(|&(_, leaf)| &subject.decisions[leaf])
                        .filter(|decision| decide_again(&hypothetical, decision).is_captured());
                    suggestion
                        .unlocks
                        .extend(unlocked.map(|decision| place(subject, decision)));
                } else {
                    replan(&hypothetical, subject, &mut suggestion);
                }
            }
            if suggestion.unlocks.is_empty() {
                return None;
            }
            suggestion.looks_personal = personal.matches(&suggestion);
            Some(suggestion)
        })
        .collect();
    drop_paths_that_equal_their_name(&mut evaluated);
    evaluated.sort_by(|a, b| (Reverse(a.unlocks.len()), &a.addition).cmp(&(Reverse(b.unlocks.len()), &b.addition)));
    evaluated
        .into_iter()
        .partition(|suggestion| suggestion.looks_personal.is_empty())
}

/// The additions that could allow `decision`, a leaf no rule allows today.
fn candidates(decision: &LeafDecision, out: &mut Vec<Addition>) {
    let path = decision.path.as_str();
    let name = path.rsplit('.').next().unwrap_or(path);
    let nested = path.contains('.');
    if decision.kind == Kind::Map {
        out.push(Addition::Dictionary(name.to_owned()));
        if nested {
            out.push(Addition::Dictionary(path.to_owned()));
        }
        return;
    }
    if !name.chars().all(|ch| ch.is_ascii_digit()) {
        out.push(Addition::Name(name.to_owned()));
    }
    if nested {
        out.push(Addition::Path(path.to_owned()));
    }
    if let Some(name) = decision.enclosing_type.and_then(suggested_struct) {
        out.push(Addition::Struct(name));
    }
    let kind = match decision.kind {
        Kind::List => decision.item_kind,
        kind => Some(kind),
    };
    if let Some(kind) = kind.filter(|kind| suggestable_kind(*kind)) {
        out.push(Addition::Kind(kind));
    }
}

/// Kinds worth allowing wholesale: everything that cannot hold free text.
fn suggestable_kind(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::String | Kind::List | Kind::Struct | Kind::Map | Kind::Opaque
    )
}

/// The configuration with `addition`, unless the configuration would reject
/// it or it names a denied identifier.
fn hypothetical(config: &TelemetryCaptureConfiguration, addition: &Addition) -> Option<TelemetryCaptureConfiguration> {
    if let Addition::Name(value) | Addition::Path(value) | Addition::Dictionary(value) = addition
        && value.split('.').any(|segment| config.deny_list().is_denied(segment))
    {
        return None;
    }
    let mut spec = config.spec().clone();
    addition.apply(&mut spec);
    TelemetryCaptureConfiguration::from_spec(spec).ok()
}

/// Whether a method's field limit can interfere with an addition: if not,
/// deciding its leaves one by one gives what re-planning it would.
struct Room {
    /// No leaf is over the field limit, and even if every leaf no rule
    /// allows today were captured, the limit would not be reached.
    plenty: bool,
    /// The method has a map, into which a path addition adds an entry leaf.
    has_map: bool,
}

impl Room {
    fn of(subject: &Subject, max_fields: usize) -> Room {
        let mut possible = 0;
        let mut at_limit = false;
        let mut has_map = false;
        for decision in &subject.decisions {
            has_map |= decision.kind == Kind::Map;
            match &decision.verdict {
                Verdict::Captured(_) | Verdict::NotCaptured(Reason::NotAllowed) => possible += 1,
                Verdict::NotCaptured(Reason::FieldLimit) => at_limit = true,
                Verdict::NotCaptured(_) => {}
            }
        }
        Room {
            plenty: !at_limit && possible <= max_fields,
            has_map,
        }
    }

    fn leaf_by_leaf(&self, addition: &Addition) -> bool {
        self.plenty && !(self.has_map && matches!(addition, Addition::Path(_)))
    }
}

/// A leaf that was not allowed, decided again under a configuration with one
/// more allow rule: the rows before "not allowed" (floor, types, reserved
/// names) passed already, and an allow rule cannot change them.
fn decide_again(config: &TelemetryCaptureConfiguration, decision: &LeafDecision) -> Verdict {
    let segments: Vec<&str> = decision.path.split('.').collect();
    let mut leaf = Leaf::new(&segments, decision.kind);
    leaf.item_kind = decision.item_kind;
    leaf.enclosing_type = decision.enclosing_type;
    // Only an output's leaves can be "not allowed" under `return`: an
    // input's are reserved.
    leaf.output = segments.first() == Some(&"return");
    config.decide(&leaf)
}

/// Re-plans the whole method under `config`, matching leaves by path (and
/// occurrence, for paths that repeat across enum variants).
fn replan(config: &TelemetryCaptureConfiguration, subject: &Subject, suggestion: &mut Suggestion) {
    let after = config.decisions_at(
        subject.info.component,
        subject.info.method,
        &subject.inputs,
        subject.output.as_ref(),
    );
    let mut verdicts: HashMap<&str, Vec<&Verdict>> = HashMap::new();
    for decision in &after {
        verdicts.entry(&decision.path).or_default().push(&decision.verdict);
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for before in &subject.decisions {
        let occurrence = seen.entry(&before.path).or_default();
        let now = verdicts
            .get(before.path.as_str())
            .and_then(|list| list.get(*occurrence));
        *occurrence += 1;
        let Some(now) = now else { continue };
        match (&before.verdict, now) {
            (Verdict::NotCaptured(Reason::NotAllowed), Verdict::Captured(_)) => {
                suggestion.unlocks.push(place(subject, before));
            }
            (Verdict::Captured(_), Verdict::NotCaptured(Reason::FieldLimit)) => {
                suggestion.crowds_out.push(place(subject, before));
            }
            _ => {}
        }
    }
}

fn place(subject: &Subject, decision: &LeafDecision) -> Place {
    Place::new(subject.info.component, subject.info.method, &decision.path)
}

/// Drops a path (or dictionary path) addition that captures exactly what
/// the same name would: the name is the simpler entry.
fn drop_paths_that_equal_their_name(suggestions: &mut Vec<Suggestion>) {
    let by_name: HashMap<(bool, &str), usize> = suggestions
        .iter()
        .filter_map(|suggestion| match &suggestion.addition {
            Addition::Name(name) => Some(((false, name.as_str()), suggestion.unlocks.len())),
            Addition::Dictionary(name) if !name.contains('.') => {
                Some(((true, name.as_str()), suggestion.unlocks.len()))
            }
            _ => None,
        })
        .collect();
    let redundant: Vec<bool> = suggestions
        .iter()
        .map(|suggestion| {
            let key = match &suggestion.addition {
                Addition::Path(path) => (false, path.as_str()),
                Addition::Dictionary(path) if path.contains('.') => (true, path.as_str()),
                _ => return false,
            };
            let name = key.1.rsplit('.').next().unwrap_or(key.1);
            by_name.get(&(key.0, name)) == Some(&suggestion.unlocks.len())
        })
        .collect();
    let mut flags = redundant.into_iter();
    suggestions.retain(|_| !flags.next().unwrap_or(false));
}

/// Caches [`looks_personal`] per identifier: the same names repeat across
/// methods.
#[derive(Default)]
struct PersonalCache {
    seen: HashMap<String, Option<&'static str>>,
}

impl PersonalCache {
    fn matches(&mut self, suggestion: &Suggestion) -> Vec<PersonalMatch> {
        let own = match &suggestion.addition {
            Addition::Name(value) | Addition::Path(value) | Addition::Dictionary(value) => Some(value.as_str()),
            Addition::Struct(_) | Addition::Kind(_) => None,
        };
        let segments = own
            .into_iter()
            .chain(suggestion.unlocks.iter().map(|place| place.path.as_str()))
            .flat_map(|path| path.split('.'));
        let mut found: Vec<PersonalMatch> = Vec::new();
        for segment in segments {
            let term = match self.seen.get(segment) {
                Some(term) => *term,
                None => *self.seen.entry(segment.to_owned()).or_insert(looks_personal(segment)),
            };
            if let Some(term) = term
                && !found.iter().any(|known| known.identifier == segment)
            {
                found.push(PersonalMatch {
                    identifier: segment.to_owned(),
                    term: term.to_owned(),
                });
            }
        }
        found.sort();
        found
    }
}
