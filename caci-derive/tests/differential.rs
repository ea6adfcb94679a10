//! The coverage report against the spans, leaf by leaf and both ways.
//!
//! For each of a table of generated configurations (names, dotted paths,
//! kinds, structs, dictionaries, denied names, floor removals, limits and
//! scopes), every method of two components is called (so the generic ones'
//! instantiations are planned) and its spans captured, and the report of
//! the same configuration is built. Then:
//!
//! - every leaf the report calls captured is a field of the method's spans
//!   (for a generic method: each instantiation's captured leaves, on that
//!   instantiation's spans), and every field on a span (CACI's own left
//!   out) is a leaf the report calls captured;
//! - the report's totals (per method, component and overall: leaves,
//!   captured, each reason, reachable, and the three percentages) are the
//!   counts made here from its leaves;
//! - the scopes the report names are the configuration's, and the scopes
//!   that match nothing are exactly those;
//! - the JSON round-trips and no rendering calls a generic input "not
//!   captured".
//!
//! `CACI_DIFFERENTIAL_CONFIGS` sets the number of configurations (default 96).
#![allow(dead_code, unused_variables)] // fields and inputs exist to be (not) captured

use std::collections::{BTreeMap, BTreeSet};

use caci_core::coverage::{CoverageReport, LeafReport, MethodReport, RenderOptions, Totals, format_percent};
use caci_core::decision::{Reason, Verdict};
use caci_core::{Capture, Kind, MethodDescriptor, Telemetry, TelemetryCaptureConfiguration, component};
use caci_testkit::CapturedSpan;
use uuid::Uuid;

// ------------------------------------------------------------ the types

#[derive(Telemetry, Clone)]
struct OrderId(u64);

#[derive(Telemetry, Clone)]
enum Tier {
    Free,
    Professional,
}

#[derive(Telemetry, Clone)]
struct Extra {
    region: String,
    seats: u64,
}

#[derive(Telemetry, Clone)]
struct Customer {
    #[telemetry(rename = "alias")]
    nickname: String,
    tier: Tier,
    #[telemetry(flatten)]
    extra: Extra,
    #[telemetry(sensitive)]
    card_number: String,
    email: String,
    token_count: u64,
    note: Option<String>,
}

#[derive(Telemetry, Clone)]
struct Detail {
    label: String,
    amount: u64,
}

#[derive(Telemetry, Clone)]
enum Payment {
    Card {
        last4: String,
        #[telemetry(sensitive)]
        number: String,
    },
    Transfer(String, u64),
    Voucher {
        detail: Detail,
    },
    Cash,
}

#[derive(Telemetry, Clone)]
struct Line {
    sku: String,
    quantity: u64,
}

#[derive(Telemetry, Clone)]
struct Shipping {
    carrier: String,
    weight_grams: u64,
}

#[derive(Telemetry, Clone)]
struct Level3 {
    value: u64,
}

#[derive(Telemetry, Clone)]
struct Level2 {
    c: Level3,
    tag: String,
}

#[derive(Telemetry, Clone)]
struct Level1 {
    b: Level2,
}

#[derive(Telemetry, Clone)]
struct Deep {
    a: Level1,
    top: u64,
}

/// `region` twice: its own and its flattened `Extra`'s.
#[derive(Telemetry, Clone)]
struct Twice {
    region: String,
    #[telemetry(flatten)]
    extra: Extra,
}

#[derive(Debug)]
struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("declined")
    }
}

impl std::error::Error for Declined {}

#[derive(Telemetry, Clone)]
struct Receipt {
    receipt_id: Uuid,
    total: u64,
    lines: Vec<Line>,
}

// ----------------------------------------------------- the components

/// No `Capture` impl: not capturable.
struct Pool;

struct Orders;

#[component]
impl Orders {
    fn new(seed: u64, region: String) -> Self {
        Orders
    }

    #[caci(capture_output)]
    fn try_refund(&self, order_id: OrderId, twice: Twice) -> Result<Shipping, Declined> {
        Ok(shipping())
    }

    fn place(&self, order_id: OrderId, customer: &Customer, lines: Vec<Line>, tags: Vec<String>) -> bool {
        true
    }

    fn pay(&self, payment: Payment, amount_cents: u64, currency: &str) -> bool {
        true
    }

    #[caci(capture_output)]
    fn receipt(&self, order_id: OrderId) -> Receipt {
        Receipt {
            receipt_id: Uuid::from_u128(7),
            total: 1250,
            lines: vec![line()],
        }
    }

    fn annotate(
        &self,
        flags: BTreeMap<String, String>,
        counts: BTreeMap<String, u64>,
        labels: BTreeSet<String>,
        deep: &Deep,
        shipping: Option<Shipping>,
        pool: &Pool,
    ) {
    }

    fn login(&self, password: &str, user_name: String, attempt: u32, active: bool, outcome: &str) -> bool {
        true
    }
}

struct Store;

#[component]
impl Store {
    fn put<T: Capture>(&self, item: T) -> bool {
        true
    }

    fn put_any(&self, item: impl Capture, note: &str) -> bool {
        true
    }

    #[caci(capture_output)]
    fn echo<T: Capture + Clone>(&self, item: T, copies: u64) -> T {
        item
    }
}

const COMPONENTS: &[&str] = &["Orders", "Store"];

fn line() -> Line {
    Line {
        sku: "SKU-1".into(),
        quantity: 2,
    }
}

fn shipping() -> Shipping {
    Shipping {
        carrier: "DHL".into(),
        weight_grams: 900,
    }
}

fn customer() -> Customer {
    Customer {
        nickname: "ada".into(),
        tier: Tier::Professional,
        extra: Extra {
            region: "eu".into(),
            seats: 3,
        },
        card_number: "4242 4242 4242 4242".into(),
        email: "ada@example.com".into(),
        token_count: 2,
        note: Some("a note".into()),
    }
}

fn deep() -> Deep {
    Deep {
        a: Level1 {
            b: Level2 {
                c: Level3 { value: 9 },
                tag: "t".into(),
            },
        },
        top: 1,
    }
}

/// One call: the method it is, the instantiation's label for a generic
/// method (as the report names it), and the call.
struct Call {
    component: &'static str,
    method: &'static str,
    instantiation: Option<&'static str>,
    run: fn(),
}

/// Every method, each enum variant and each instantiation once. Map keys
/// cover every key a configuration names by path.
const CALLS: &[Call] = &[
    Call {
        component: "Orders",
        method: "place",
        instantiation: None,
        run: || {
            Orders.place(
                OrderId(1),
                &customer(),
                vec![line(), line()],
                vec!["a".into(), "b".into()],
            );
        },
    },
    Call {
        component: "Orders",
        method: "pay",
        instantiation: None,
        run: || {
            let card = Payment::Card {
                last4: "4242".into(),
                number: "4242 4242 4242 4242".into(),
            };
            Orders.pay(card, 1250, "EUR");
        },
    },
    Call {
        component: "Orders",
        method: "pay",
        instantiation: None,
        run: || {
            Orders.pay(Payment::Transfer("DE89".into(), 5), 300, "EUR");
        },
    },
    Call {
        component: "Orders",
        method: "pay",
        instantiation: None,
        run: || {
            let detail = Detail {
                label: "gift".into(),
                amount: 10,
            };
            Orders.pay(Payment::Voucher { detail }, 10, "EUR");
        },
    },
    Call {
        component: "Orders",
        method: "pay",
        instantiation: None,
        run: || {
            Orders.pay(Payment::Cash, 1, "EUR");
        },
    },
    Call {
        component: "Orders",
        method: "receipt",
        instantiation: None,
        run: || {
            Orders.receipt(OrderId(2));
        },
    },
    Call {
        component: "Orders",
        method: "annotate",
        instantiation: None,
        run: || {
            let flags = BTreeMap::from([
                ("beta".to_owned(), "on".to_owned()),
                ("region".to_owned(), "eu".to_owned()),
            ]);
            let counts = BTreeMap::from([("retries".to_owned(), 2), ("items".to_owned(), 5)]);
            let labels = BTreeSet::from(["x".to_owned(), "y".to_owned()]);
            Orders.annotate(flags, counts, labels, &deep(), Some(shipping()), &Pool);
        },
    },
    Call {
        component: "Orders",
        method: "login",
        instantiation: None,
        run: || {
            Orders.login("hunter2", "ada".into(), 3, true, "fine");
        },
    },
    Call {
        component: "Orders",
        method: "new",
        instantiation: None,
        run: || {
            let _ = Orders::new(5, "eu".into());
        },
    },
    Call {
        component: "Orders",
        method: "try_refund",
        instantiation: None,
        run: || {
            let twice = Twice {
                region: "eu".into(),
                extra: Extra {
                    region: "us".into(),
                    seats: 1,
                },
            };
            let _ = Orders.try_refund(OrderId(3), twice);
        },
    },
    Call {
        component: "Store",
        method: "echo",
        instantiation: Some("item: Receipt, return: Receipt"),
        run: || {
            Store.echo(Orders.receipt(OrderId(4)), 2);
        },
    },
    Call {
        component: "Store",
        method: "echo",
        instantiation: Some("item: u64, return: u64"),
        run: || {
            Store.echo(8_u64, 1);
        },
    },
    Call {
        component: "Store",
        method: "put",
        instantiation: Some("item: Shipping"),
        run: || {
            Store.put(shipping());
        },
    },
    Call {
        component: "Store",
        method: "put",
        instantiation: Some("item: u64"),
        run: || {
            Store.put(42_u64);
        },
    },
    Call {
        component: "Store",
        method: "put",
        instantiation: Some("item: Line"),
        run: || {
            Store.put(line());
        },
    },
    Call {
        component: "Store",
        method: "put",
        instantiation: Some("item: BTreeMap<String, u64>"),
        run: || {
            let keys = ["retries", "items", "carrier", "sku", "0", "receipt_id"];
            Store.put(
                keys.map(|key| (key.to_owned(), 1_u64))
                    .into_iter()
                    .collect::<BTreeMap<_, _>>(),
            );
        },
    },
    Call {
        component: "Store",
        method: "put",
        instantiation: Some("item: Payment"),
        run: || {
            // One span per variant: the report's leaves are every variant's.
            Store.put(Payment::Transfer("DE89".into(), 5));
            let card = Payment::Card {
                last4: "4242".into(),
                number: "4242 4242 4242 4242".into(),
            };
            Store.put(card);
            let detail = Detail {
                label: "gift".into(),
                amount: 10,
            };
            Store.put(Payment::Voucher { detail });
            Store.put(Payment::Cash);
        },
    },
    Call {
        component: "Store",
        method: "put_any",
        instantiation: Some("item: Tier"),
        run: || {
            Store.put_any(Tier::Free, "first");
        },
    },
    Call {
        component: "Store",
        method: "put_any",
        instantiation: Some("item: Shipping"),
        run: || {
            Store.put_any(shipping(), "second");
        },
    },
];

// ------------------------------------------------- the configurations

/// SplitMix64: a fixed seed, the same table on every run.
struct Values(u64);

impl Values {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, from: &'a [T], percent: u64) -> Vec<&'a T> {
        from.iter().filter(|_| self.chance(percent)).collect()
    }

    fn one<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }
}

const NAMES: &[&str] = &[
    "order_id",
    "alias",
    "tier",
    "region",
    "seats",
    "note",
    "sku",
    "quantity",
    "tags",
    "last4",
    "amount_cents",
    "currency",
    "label",
    "amount",
    "0",
    "1",
    "receipt_id",
    "total",
    "return",
    "labels",
    "top",
    "value",
    "tag",
    "carrier",
    "weight_grams",
    "item",
    "attempt",
    "active",
    "user_name",
    "token_count",
    "email",
    "outcome",
    "copies",
    "seed",
    "twice",
];
const PATHS: &[&str] = &[
    "customer.tier",
    "customer.alias",
    "customer.extra",
    "customer.region",
    "lines.sku",
    "payment.detail.label",
    "flags.region",
    "flags.beta",
    "counts.retries",
    "deep.a.b.c.value",
    "deep.a.b.tag",
    "shipping.carrier",
    "item.carrier",
    "item.sku",
    "return.lines.sku",
    "twice.region",
    "return.carrier",
    "item.receipt_id",
    "return.total",
    "item.retries",
    "item.0",
];
const KINDS: &[Kind] = &[
    Kind::String,
    Kind::UnsignedInteger,
    Kind::Enum,
    Kind::Bool,
    Kind::List,
    Kind::Uuid,
    Kind::Map,
];
const STRUCTS: &[&str] = &[
    "Customer", "Line", "Detail", "Shipping", "Level2", "Receipt", "Payment", "Extra",
];
const DICTIONARIES: &[&str] = &["flags", "counts"];
const DENIED: &[&str] = &["alias", "sku", "label", "region", "carrier", "note"];
const SCOPE_PLACES: &[(&str, Option<&str>)] = &[
    ("Orders", None),
    ("Orders", Some("place")),
    ("Orders", Some("pay")),
    ("Store", None),
    ("Store", Some("put")),
    ("Store", Some("put_any")),
    // These match nothing.
    ("Orders", Some("refund")),
    ("Elsewhere", None),
];

fn generated_config(values: &mut Values) -> caci_core::ConfigBuilder {
    let mut builder = TelemetryCaptureConfiguration::builder();
    let chosen = values.pick(NAMES, 25);
    for name in &chosen {
        builder = builder.allow_field(**name);
    }
    for path in values.pick(PATHS, 20) {
        builder = builder.allow_field(*path);
    }
    for kind in values.pick(KINDS, 15) {
        builder = builder.allow_kind(*kind);
    }
    for name in values.pick(STRUCTS, 12) {
        builder = builder.allow_struct_named(*name);
    }
    for name in values.pick(DICTIONARIES, 25) {
        builder = builder.allow_dictionary(*name);
    }
    for name in values.pick(DENIED, 12) {
        if !chosen.contains(&name) {
            builder = builder.deny_field(*name);
        }
    }
    if values.chance(30) {
        builder = builder.remove_from_deny_floor("token_count");
    }
    if values.chance(15) {
        builder = builder.remove_from_deny_floor("email");
    }
    for name in values.pick(&["Detail", "Shipping", "Tier"], 8) {
        builder = builder.deny_type(*name);
    }
    for _ in 0..values.next() % 5 {
        let (component, method) = *values.one(SCOPE_PLACES);
        let name = *values.one(NAMES);
        let path = *values.one(PATHS);
        let kind = *values.one(KINDS);
        let structure = *values.one(STRUCTS);
        let which = values.next() % 4;
        let name = if values.chance(50) {
            *values.one(&["item", "note", "amount_cents", "currency", "order_id", "carrier", "sku"])
        } else {
            name
        };
        builder = builder.scope(component, method, |scope| match which {
            0 => scope.allow_field(name),
            1 => scope.allow_field(path),
            2 => scope.allow_kind(kind),
            _ => scope.allow_struct_named(structure).allow_dictionary("flags"),
        });
    }
    builder
        .max_depth(1 + (values.next() % 4) as usize)
        .max_string_len(*values.one(&[3, 8, 255]))
        .max_fields_per_span(*values.one(&[2, 3, 5, 32]))
        .max_list_items(*values.one(&[1, 3, 20]))
}

fn configurations() -> Vec<TelemetryCaptureConfiguration> {
    let wanted = std::env::var("CACI_DIFFERENTIAL_CONFIGS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(96);
    let mut values = Values(0xCAC1_2026_0015);
    let mut configs = vec![TelemetryCaptureConfiguration::default()];
    while configs.len() < wanted {
        if let Ok(config) = generated_config(&mut values).build() {
            configs.push(config);
        }
    }
    configs
}

// ------------------------------------------------------------ checks

/// A field CACI records on every method span, whatever the configuration.
fn is_own(name: &str) -> bool {
    caci_core::METHOD_FIELDS.contains(&name)
        || name.starts_with("code.")
        || name.starts_with("otel.")
        || name.starts_with("error.")
}

fn captured_paths(leaves: &[LeafReport]) -> BTreeSet<&str> {
    leaves
        .iter()
        .filter(|leaf| leaf.verdict.is_captured())
        .map(|leaf| leaf.path.as_str())
        .collect()
}

/// Checks one method's (or one instantiation's) captured leaves against its
/// spans, both ways: `where_` names it in failures.
fn check_both_ways(where_: &str, leaves: &[LeafReport], spans: &[CapturedSpan], failures: &mut Vec<String>) {
    let reported = captured_paths(leaves);
    let mut on_spans = BTreeSet::new();
    for span in spans {
        for name in span.field_names().into_iter().filter(|name| !is_own(name)) {
            if !reported.contains(name) {
                failures.push(format!(
                    "{where_}: `{name}` is on a span, and the report does not call it captured"
                ));
            }
            on_spans.insert(name.to_owned());
        }
    }
    for path in reported {
        if !on_spans.contains(path) {
            failures.push(format!(
                "{where_}: the report calls `{path}` captured, and no span carries it"
            ));
        }
    }
}

/// The counts made here from `leaves`, as [`Totals`].
fn count(leaves: &[LeafReport]) -> Totals {
    let mut totals = Totals::default();
    for leaf in leaves {
        totals.leaves += 1;
        let counts = &mut totals.not_captured;
        match &leaf.verdict {
            Verdict::Captured(_) => totals.captured += 1,
            Verdict::NotCaptured(reason) => match reason {
                Reason::NotAllowed => counts.not_allowed += 1,
                Reason::Denied { .. } => counts.denied += 1,
                Reason::Sensitive => counts.sensitive += 1,
                Reason::TypeNotCapturable => counts.type_not_capturable += 1,
                Reason::DependsOnType => counts.depends_on_type += 1,
                Reason::BeyondDepth => counts.beyond_depth += 1,
                Reason::FieldLimit => counts.field_limit += 1,
                Reason::DeniedType { .. } => counts.denied_type += 1,
                Reason::Reserved => counts.reserved += 1,
                Reason::DuplicatePath => counts.duplicate_path += 1,
                other => panic!("a reason this test does not count: {other:?}"),
            },
        }
    }
    totals
}

/// `part × 100 / whole` with one decimal, rounded half up, counted here.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "n/a".to_owned();
    }
    let exact = part as f64 * 1000.0 / whole as f64;
    let tenths = (exact + 0.5 + 1e-9).floor() as u64;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

fn check_totals(where_: &str, totals: &Totals, expected: &Totals, failures: &mut Vec<String>) {
    if totals != expected {
        failures.push(format!("{where_}: totals {totals:?}, counted {expected:?}"));
        return;
    }
    let counts = &expected.not_captured;
    let reachable =
        expected.captured + counts.not_allowed + counts.depends_on_type + counts.beyond_depth + counts.field_limit;
    let figures = [
        ("reachable", totals.reachable().to_string(), reachable.to_string()),
        (
            "coverage",
            totals.percent_text(),
            percent(expected.captured, expected.leaves),
        ),
        (
            "reachable maximum",
            totals.reachable_max_text(),
            percent(reachable, expected.leaves),
        ),
        (
            "captured of the reachable",
            totals.of_reachable_text(),
            percent(expected.captured, reachable),
        ),
    ];
    for (figure, reported, counted) in figures {
        if reported != counted {
            failures.push(format!("{where_}: {figure} {reported}, counted {counted}"));
        }
    }
    if format_percent(expected.captured, expected.leaves) != percent(expected.captured, expected.leaves) {
        failures.push(format!("{where_}: format_percent disagrees"));
    }
}

fn add(into: &mut Totals, other: &Totals) {
    into.captured += other.captured;
    into.leaves += other.leaves;
    let (a, b) = (&mut into.not_captured, &other.not_captured);
    a.not_allowed += b.not_allowed;
    a.denied += b.denied;
    a.sensitive += b.sensitive;
    a.type_not_capturable += b.type_not_capturable;
    a.depends_on_type += b.depends_on_type;
    a.beyond_depth += b.beyond_depth;
    a.field_limit += b.field_limit;
    a.denied_type += b.denied_type;
    a.reserved += b.reserved;
    a.duplicate_path += b.duplicate_path;
}

fn is_generic(method: &MethodReport) -> bool {
    method
        .leaves
        .iter()
        .any(|leaf| leaf.verdict == Verdict::NotCaptured(Reason::DependsOnType))
}

/// The scopes of `config` that apply at `component.method`, as places.
fn scopes_at(config: &TelemetryCaptureConfiguration, component: &str, method: &str) -> BTreeSet<String> {
    config
        .spec()
        .scopes
        .iter()
        .filter(|scope| scope.component == component && scope.method.as_deref().is_none_or(|m| m == method))
        .map(|scope| scope.place())
        .collect()
}

/// What the table exercised, to show it is not vacuous.
#[derive(Default, Debug)]
struct Stats {
    leaves: usize,
    captured: usize,
    instantiation_leaves: usize,
    span_fields: usize,
    scoped: usize,
    unmatched_scopes: usize,
    reasons: BTreeMap<&'static str, usize>,
}

fn check_config(config: &TelemetryCaptureConfiguration, stats: &mut Stats) -> Vec<String> {
    let mut failures = Vec::new();
    // Every call, each under its own capture: spans per (method, instantiation).
    let mut spans: BTreeMap<(&str, &str, Option<&str>), Vec<CapturedSpan>> = BTreeMap::new();
    for call in CALLS {
        let ((), captured) = caci_testkit::capture(config, call.run);
        let name = format!("{}.{}", call.component, call.method);
        let of_call: Vec<CapturedSpan> = captured.spans_named(&name).cloned().collect();
        if of_call.is_empty() {
            failures.push(format!("{name}: no span"));
        }
        spans
            .entry((call.component, call.method, call.instantiation))
            .or_default()
            .extend(of_call);
    }
    let report = CoverageReport::build(
        config,
        MethodDescriptor::all().filter(|descriptor| COMPONENTS.contains(&descriptor.info().component)),
    );

    let mut overall = Totals::default();
    for component in &report.components {
        let mut component_totals = Totals::default();
        for method in &component.methods {
            let at = format!("{}.{}", component.name, method.name);
            let counted = count(&method.leaves);
            check_totals(&at, &method.totals, &counted, &mut failures);
            stats.leaves += counted.leaves;
            stats.captured += counted.captured;
            for (code, n) in counted.not_captured.iter() {
                *stats.reasons.entry(code).or_default() += n;
            }
            if !method.constructor {
                add(&mut component_totals, &counted);
            }
            let scopes = scopes_at(config, &component.name, &method.name);
            let every_leaf = method.leaves.iter().chain(
                method
                    .instantiations
                    .iter()
                    .flat_map(|instantiation| &instantiation.leaves),
            );
            for leaf in every_leaf {
                stats.scoped += usize::from(leaf.scope.is_some());
                match (&leaf.scope, leaf.verdict.is_captured()) {
                    (Some(scope), true) if !scopes.contains(scope) => {
                        failures.push(format!(
                            "{at}: `{}` names scope `{scope}`, not one of {scopes:?}",
                            leaf.path
                        ));
                    }
                    (Some(scope), false) => {
                        failures.push(format!(
                            "{at}: `{}` is not captured, and names scope `{scope}`",
                            leaf.path
                        ));
                    }
                    _ => {}
                }
            }
            if is_generic(method) {
                let called: Vec<&Option<&str>> = spans
                    .keys()
                    .filter(|(c, m, _)| *c == component.name && *m == method.name)
                    .map(|(_, _, instantiation)| instantiation)
                    .collect();
                for label in called {
                    let label = label.expect("a generic method's calls name their instantiation");
                    let Some(instantiation) = method.instantiations.iter().find(|i| i.types == label) else {
                        failures.push(format!(
                            "{at}: no instantiation `{label}` in {:?}",
                            method.instantiations.iter().map(|i| &i.types).collect::<Vec<_>>()
                        ));
                        continue;
                    };
                    let of_it = &spans[&(component.name.as_str(), method.name.as_str(), Some(label))];
                    check_both_ways(&format!("{at} [{label}]"), &instantiation.leaves, of_it, &mut failures);
                    stats.instantiation_leaves += instantiation.leaves.len();
                    stats.span_fields += of_it.iter().map(|span| span.fields.len()).sum::<usize>();
                    // The method's own leaves of non-generic inputs say what
                    // every instantiation's spans carry.
                    for leaf in method.leaves.iter().filter(|leaf| leaf.verdict.is_captured()) {
                        for span in of_it {
                            if span.field(&leaf.path).is_none() {
                                failures.push(format!(
                                    "{at}: the report calls `{}` captured, and the span of `{label}` does not carry it",
                                    leaf.path
                                ));
                            }
                        }
                    }
                }
            } else {
                let of_method: Vec<CapturedSpan> = spans
                    .iter()
                    .filter(|((c, m, _), _)| *c == component.name && *m == method.name)
                    .flat_map(|(_, spans)| spans.iter().cloned())
                    .collect();
                if of_method.is_empty() {
                    failures.push(format!("{at}: never called"));
                }
                check_both_ways(&at, &method.leaves, &of_method, &mut failures);
                stats.span_fields += of_method.iter().map(|span| span.fields.len()).sum::<usize>();
            }
        }
        check_totals(&component.name, &component.totals, &component_totals, &mut failures);
        add(&mut overall, &component_totals);
    }
    check_totals("overall", &report.totals, &overall, &mut failures);

    // Scopes that match nothing: exactly the configuration's for places
    // that are not methods here.
    let methods: BTreeSet<(String, String)> = report
        .components
        .iter()
        .flat_map(|c| c.methods.iter().map(|m| (c.name.clone(), m.name.clone())))
        .collect();
    let mut unmatched: Vec<String> = Vec::new();
    for scope in &config.spec().scopes {
        let matches = methods
            .iter()
            .any(|(c, m)| *c == scope.component && scope.method.as_deref().is_none_or(|wanted| wanted == m));
        if !matches && !unmatched.contains(&scope.place()) {
            unmatched.push(scope.place());
        }
    }
    stats.unmatched_scopes += unmatched.len();
    if report.unmatched_scopes != unmatched {
        failures.push(format!(
            "unmatched scopes {:?}, expected {unmatched:?}",
            report.unmatched_scopes
        ));
    }
    if report.configuration_id.as_deref() != Some(config.id().to_string().as_str()) {
        failures.push(format!("configuration id {:?}", report.configuration_id));
    }

    // JSON round-trips; no rendering calls a generic input not captured.
    match CoverageReport::from_json(&report.to_json()) {
        Ok(read) if read == report => {}
        Ok(_) => failures.push("the JSON does not read back as the same report".to_owned()),
        Err(err) => failures.push(format!("the JSON does not read back: {err}")),
    }
    let renderings = [
        report.render_text(RenderOptions::default()),
        report.render_markdown(),
        report.render_html(),
    ];
    for rendering in &renderings {
        if rendering.contains("not captured: depends on the type") {
            failures.push("a rendering calls a generic input not captured".to_owned());
        }
    }
    failures
}

#[test]
fn the_report_agrees_with_the_spans_leaf_by_leaf() {
    let configs = configurations();
    assert!(configs.len() >= 48);
    let mut failures = Vec::new();
    let mut stats = Stats::default();
    for (index, config) in configs.iter().enumerate() {
        for failure in check_config(config, &mut stats) {
            failures.push(format!("configuration #{index} ({}): {failure}", config.id()));
        }
    }
    eprintln!("{} configurations: {stats:#?}", configs.len());
    // The table reaches every verdict, scopes and generic instantiations.
    assert!(
        stats.captured > 500 && stats.instantiation_leaves > 100 && stats.span_fields > 1000,
        "{stats:?}"
    );
    assert!(stats.scoped > 0 && stats.unmatched_scopes > 0, "{stats:?}");
    for (code, n) in &stats.reasons {
        assert!(*n > 0, "no leaf was {code}: {stats:#?}");
    }
    if let Some(first) = failures.first() {
        let index: usize = first["configuration #".len()..]
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        panic!(
            "{} disagreements, e.g.\n{}\n\nthe first configuration:\n{:#?}",
            failures.len(),
            failures.iter().take(30).cloned().collect::<Vec<_>>().join("\n"),
            configs[index].spec()
        );
    }
}
