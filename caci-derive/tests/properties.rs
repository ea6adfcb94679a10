//! Property tests of CACI's first promise: whatever the configuration and
//! the values, everything a subscriber receives is allowed by the decision
//! rule, nothing on the floor, sensitive or beyond a limit is emitted, and
//! each value lands under its own field name, through `#[component]`,
//! `#[instrument_fn]`, `span!` and `event!`.
//!
//! Values are generated per case; configurations are drawn from a pool of
//! generated ones (each distinct configuration keeps its plans for the life
//! of the process, so an unbounded stream of them would only measure memory).
//! `PROPTEST_CASES` sets the cases per property (default 25,000: 100,000 in
//! all); `CACI_PROPERTY_POOL` the pool's size (default 1,024).
#![allow(dead_code, unused_variables)] // fields and inputs exist to be (not) captured

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex};

use caci_core::{Capture, Input, Kind, Level, Telemetry, TelemetryCaptureConfiguration, component, instrument_fn};
use proptest::prelude::*;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

// ------------------------------------------------------------ the types

#[derive(Telemetry, Clone)]
struct AccountId(u64);

#[derive(Telemetry, Clone)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    Starter,
    Legacy,
    Pro,
}

#[derive(Telemetry, Clone)]
enum Payment {
    Card {
        last4: String,
        #[telemetry(sensitive)]
        number: String,
    },
    Transfer(String, u64),
    Password(String),
    Cash,
}

#[derive(Telemetry, Clone)]
struct Address {
    street: String,
    country: String,
}

#[derive(Telemetry, Clone)]
struct Extra {
    region: String,
    seats: u64,
}

#[derive(Telemetry, Clone)]
struct Profile {
    #[telemetry(rename = "hint")]
    password: String,
    nickname: String,
    email: String,
    #[telemetry(flatten)]
    extra: Extra,
}

#[derive(Telemetry, Clone)]
struct Line {
    sku: String,
    quantity: u64,
    #[telemetry(sensitive)]
    secret_note: String,
}

#[derive(Telemetry, Clone)]
struct Node {
    label: String,
    next: Option<Box<Node>>,
}

#[derive(Telemetry, Clone)]
#[telemetry(sensitive)]
struct Ssn(String);

#[derive(Telemetry, Clone)]
struct ApiToken(String);

#[derive(Telemetry, Clone)]
struct Account {
    id: AccountId,
    plan: Plan,
    payment: Payment,
    address: Address,
    profile: Profile,
    lines: Vec<Line>,
    tags: Vec<String>,
    flags: BTreeMap<String, String>,
    chain: Node,
    ssn: Ssn,
    token: ApiToken,
    token_count: u64,
    contact: String,
    nickname: Option<String>,
    active: bool,
}

// ----------------------------------------------------- the call sites

struct Service;

#[component]
impl Service {
    fn handle(&self, account: &Account, plan: Plan, note: &str) -> usize {
        note.len()
    }

    fn put<T: Capture>(&self, item: T) -> bool {
        true
    }
}

#[instrument_fn]
fn process(account: &Account, count: u64) -> u64 {
    count
}

fn by_hand(account: &Account, line: &Line) {
    let _span = caci_core::span!(Level::INFO, "by_hand", account = account, line = line).entered();
}

fn emit(account: &Account, line: &Line) {
    caci_core::event!(Level::INFO, "by hand", account = account, line = line);
}

// ----------------------------------------------------- the values

/// A secret's marker: no subscriber may ever receive text containing it.
const SECRET: &str = "SECRET";

/// The integer a leaf at `path` holds: values land under their own names
/// when every integer equals its path's.
fn number_at(path: &str) -> u64 {
    path.bytes().fold(1469598103u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(1099511628211)
    }) % 1_000_000
}

/// The text a string leaf at `path` holds: `path#n`.
fn text_at(path: &str, n: u64) -> String {
    format!("{path}#{n}")
}

struct Values(u64);

impl Values {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn text(&mut self, path: &str) -> String {
        let n = self.next() % 1000;
        text_at(path, n)
    }

    fn node(&mut self, path: &str, depth: usize) -> Node {
        let next = (depth < 4 && !self.next().is_multiple_of(3))
            .then(|| Box::new(self.node(&format!("{path}.next"), depth + 1)));
        Node {
            label: self.text(&format!("{path}.label")),
            next,
        }
    }

    fn line(&mut self, path: &str) -> Line {
        Line {
            sku: self.text(&format!("{path}.sku")),
            quantity: number_at(&format!("{path}.quantity")),
            secret_note: format!("{SECRET}-note"),
        }
    }

    fn account(&mut self, at: &str) -> Account {
        let path = |field: &str| format!("{at}.{field}");
        let payment = match self.next() % 4 {
            0 => Payment::Card {
                last4: self.text(&path("payment.last4")),
                number: format!("{SECRET}-card"),
            },
            1 => Payment::Transfer(self.text(&path("payment.0")), number_at(&path("payment.1"))),
            2 => Payment::Password(format!("{SECRET}-variant")),
            _ => Payment::Cash,
        };
        let lines = (0..self.next() % 4).map(|_| self.line(&path("lines"))).collect();
        let tags = (0..self.next() % 4).map(|_| self.text(&path("tags"))).collect();
        let mut flags = BTreeMap::from([("password".to_owned(), format!("{SECRET}-flag"))]);
        if self.next().is_multiple_of(2) {
            flags.insert("region".to_owned(), self.text(&path("flags.region")));
        }
        Account {
            id: AccountId(number_at(&path("id"))),
            plan: [Plan::Starter, Plan::Legacy, Plan::Pro][(self.next() % 3) as usize].clone(),
            payment,
            address: Address {
                street: format!("{SECRET}-street"),
                country: format!("{SECRET}-country"),
            },
            profile: Profile {
                password: format!("{SECRET}-renamed"),
                nickname: self.text(&path("profile.nickname")),
                email: format!("{SECRET}-email"),
                extra: Extra {
                    region: self.text(&path("profile.region")),
                    seats: number_at(&path("profile.seats")),
                },
            },
            lines,
            tags,
            flags,
            chain: self.node(&path("chain"), 0),
            ssn: Ssn(format!("{SECRET}-ssn")),
            token: ApiToken(format!("{SECRET}-token")),
            token_count: number_at(&path("token_count")),
            contact: "owner@contact.example".to_owned(),
            nickname: (self.next().is_multiple_of(2)).then(|| self.text(&path("nickname"))),
            active: self.next().is_multiple_of(2),
        }
    }
}

// ------------------------------------------------ the configurations

fn pool_size() -> usize {
    std::env::var("CACI_PROPERTY_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024)
}

static POOL: LazyLock<Vec<TelemetryCaptureConfiguration>> = LazyLock::new(|| {
    let mut values = Values(0x9E37_79B9_7F4A_7C15);
    let mut pool = Vec::new();
    while pool.len() < pool_size() {
        if let Ok(config) = generated_config(&mut values).build() {
            pool.push(config);
        }
    }
    pool
});

fn pick<'a, T>(values: &mut Values, from: &'a [T], chance: u64) -> Vec<&'a T> {
    from.iter().filter(|_| values.next() % 100 < chance).collect()
}

fn generated_config(values: &mut Values) -> caci_core::ConfigBuilder {
    let names = [
        "plan",
        "nickname",
        "sku",
        "quantity",
        "region",
        "seats",
        "tags",
        "hint",
        "last4",
        "label",
        "note",
        "count",
        "id",
        "active",
        "contact",
        "token_count",
        "street",
        "0",
        "1",
    ];
    let paths = [
        "account.plan",
        "account.profile.nickname",
        "account.lines.sku",
        "account.flags.region",
        "account.chain.next.label",
        "item.sku",
    ];
    let kinds = [Kind::String, Kind::UnsignedInteger, Kind::Enum, Kind::Bool, Kind::List];
    let structs = ["Line", "Profile", "Node", "Account", "Extra", "Payment"];
    let denied = ["nickname", "sku", "label", "region"];
    let mut builder = TelemetryCaptureConfiguration::builder();
    let chosen: Vec<&&str> = pick(values, &names, 30);
    for name in &chosen {
        builder = builder.allow_field(**name);
    }
    for path in pick(values, &paths, 20) {
        builder = builder.allow_field(*path);
    }
    for kind in pick(values, &kinds, 25) {
        builder = builder.allow_kind(*kind);
    }
    for name in pick(values, &structs, 15) {
        builder = builder.allow_struct_named(*name);
    }
    if values.next().is_multiple_of(4) {
        builder = builder.allow_dictionary("flags");
    }
    for name in pick(values, &denied, 15) {
        if !chosen.contains(&name) {
            builder = builder.deny_field(*name);
        }
    }
    if values.next().is_multiple_of(3) {
        builder = builder.remove_from_deny_floor("token_count");
    }
    builder
        .max_depth(1 + (values.next() % 4) as usize)
        .max_string_len([3, 8, 255][(values.next() % 3) as usize])
        .max_fields_per_span([2, 5, 32][(values.next() % 3) as usize])
        .max_list_items([1, 3, 20][(values.next() % 3) as usize])
        .scrub_values(!values.next().is_multiple_of(4))
}

// --------------------------------------------------- the recorder

#[derive(Debug)]
struct Record {
    /// The span's name, or `event`.
    site: String,
    fields: Vec<(String, String)>,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Record>>>);

struct Texts<'a>(&'a mut Vec<(String, String)>);

/// Numbers and bools are kept apart from text by a leading `#`: the string
/// limit applies to text only.
impl Visit for Texts<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.push((field.name().to_owned(), format!("#{value}")));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.push((field.name().to_owned(), format!("#{value}")));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.push((field.name().to_owned(), format!("#{value}")));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, _: &tracing::span::Id, _: Context<'_, S>) {
        let mut fields = Vec::new();
        attrs.record(&mut Texts(&mut fields));
        let site = attrs.metadata().name().to_owned();
        self.0.lock().unwrap().push(Record { site, fields });
    }

    fn on_record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>, _: Context<'_, S>) {
        let mut fields = Vec::new();
        values.record(&mut Texts(&mut fields));
        self.0.lock().unwrap().push(Record {
            site: "record".to_owned(),
            fields,
        });
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = Vec::new();
        event.record(&mut Texts(&mut fields));
        self.0.lock().unwrap().push(Record {
            site: "event".to_owned(),
            fields,
        });
    }
}

thread_local! {
    static RECORDER: (Recorder, tracing::subscriber::DefaultGuard) = {
        let recorder = Recorder::default();
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.clone()));
        tracing_core::callsite::rebuild_interest_cache();
        (recorder, guard)
    };
}

fn recorded(run: impl FnOnce()) -> Vec<Record> {
    RECORDER.with(|(recorder, _)| {
        recorder.0.lock().unwrap().clear();
        run();
        std::mem::take(&mut *recorder.0.lock().unwrap())
    })
}

// ------------------------------------------------------ the checks

const OWN_FIELDS: &[&str] = &[
    "outcome",
    "duration_ns",
    "error.type",
    "otel.status_code",
    "otel.status_description",
    "code.function.name",
    "code.file.path",
    "code.line.number",
    "message",
];

/// Checks what the subscriber received against the decisions for `inputs`.
fn check(config: &TelemetryCaptureConfiguration, inputs: &[Input], records: &[Record]) -> Result<(), TestCaseError> {
    let captured: BTreeSet<String> = config
        .decisions(inputs, None)
        .into_iter()
        .filter(|decision| decision.verdict.is_captured())
        .map(|decision| decision.path)
        .collect();
    let limits = config.limits();
    for record in records {
        let own = record
            .fields
            .iter()
            .filter(|(name, _)| !OWN_FIELDS.contains(&name.as_str()));
        prop_assert!(
            own.clone().count() <= limits.max_fields_per_span,
            "too many fields: {record:?}"
        );
        for (name, value) in own {
            if std::env::var_os("CACI_PROPERTY_SHOW").is_some() {
                eprintln!("{name} = {value}");
            }
            prop_assert!(
                captured.contains(name),
                "`{name}` = {value:?} is not allowed; allowed: {captured:?}"
            );
            prop_assert!(
                name.split('.').count() <= limits.max_depth,
                "`{name}` is beyond max_depth"
            );
            check_value(config, name, value)?;
        }
        for (name, value) in &record.fields {
            prop_assert!(!value.contains(SECRET), "`{name}` = {value:?} carries a secret");
        }
    }
    Ok(())
}

/// The value under `name` is `name`'s own: its path's text or number, or a
/// list of them, cut to the string limit.
fn check_value(config: &TelemetryCaptureConfiguration, name: &str, value: &str) -> Result<(), TestCaseError> {
    let limits = config.limits();
    if let Some(typed) = value.strip_prefix('#') {
        let expected = number_at(name).to_string();
        prop_assert!(
            typed == expected || typed == "true" || typed == "false",
            "`{name}` = {typed} is not this leaf's value ({expected})"
        );
        return Ok(());
    }
    prop_assert!(
        value.chars().count() <= limits.max_string_len + 1,
        "`{name}` = {value:?} is longer than max_string_len"
    );
    if config.spec().scrub_values {
        prop_assert!(!value.contains('@'), "`{name}` = {value:?} was not scrubbed");
    }
    let cut = value.strip_suffix('…').unwrap_or(value);
    let own_text = |item: &str| {
        let expected_prefix = format!("{name}#");
        item.starts_with(&expected_prefix) || expected_prefix.starts_with(item)
    };
    let own = |item: &str| {
        item.is_empty()
            || item == "…"
            || item == "null"
            || own_text(item)
            || item.parse::<u64>().is_ok_and(|number| number == number_at(name))
            || number_at(name).to_string().starts_with(item)
            || [
                "STARTER",
                "LEGACY",
                "PRO",
                "Card",
                "Transfer",
                "Password",
                "Cash",
                "owner@contact.example",
            ]
            .iter()
            .any(|word| word.starts_with(item))
    };
    if cut.starts_with("[redacted: ") || "[redacted: ".starts_with(cut) {
        return Ok(());
    }
    if let Some(list) = cut.strip_prefix('[') {
        let items = list.trim_end_matches(']');
        for item in items.split(", ").map(|item| item.trim_end_matches(',')) {
            prop_assert!(own(item), "`{name}` = {value:?}: item {item:?} is not this leaf's");
        }
    } else if let Some(map) = cut.strip_prefix('{') {
        for entry in map.trim_end_matches('}').split(", ") {
            prop_assert!(!entry.starts_with("password"), "`{name}` = {value:?}: a denied key");
        }
    } else {
        prop_assert!(own(cut), "`{name}` = {value:?} is not this leaf's value");
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25_000)
}

fn config_and_seed() -> impl Strategy<Value = (usize, u64)> {
    (0..pool_size(), 1..u64::MAX)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn component_spans_hold_only_what_the_rule_allows((index, seed) in config_and_seed()) {
        let config = &POOL[index];
        let account = Values(seed).account("account");
        let records = recorded(|| caci_core::with_configuration(config, || {
            Service.handle(&account, Plan::Pro, "note#1");
        }));
        let inputs = [
            Input::new("account", <&Account>::shape()),
            Input::new("plan", Plan::shape()),
            Input::new("note", <&str>::shape()),
        ];
        check(config, &inputs, &records)?;
    }

    #[test]
    fn generic_and_free_function_spans_hold_only_what_the_rule_allows((index, seed) in config_and_seed()) {
        let config = &POOL[index];
        let mut values = Values(seed);
        let account = values.account("account");
        let line = values.line("item");
        let item_account = values.account("item");
        let records = recorded(|| caci_core::with_configuration(config, || {
            process(&account, number_at("count"));
        }));
        let inputs = [Input::new("account", <&Account>::shape()), Input::new("count", u64::shape())];
        check(config, &inputs, &records)?;
        // One generic site, two types: each is planned as itself.
        let records = recorded(|| caci_core::with_configuration(config, || {
            Service.put(line.clone());
        }));
        check(config, &[Input::new("item", Line::shape())], &records)?;
        let records = recorded(|| caci_core::with_configuration(config, || {
            Service.put(item_account.clone());
        }));
        check(config, &[Input::new("item", Account::shape())], &records)?;
    }

    #[test]
    fn manual_spans_hold_only_what_the_rule_allows((index, seed) in config_and_seed()) {
        let config = &POOL[index];
        let mut values = Values(seed);
        let account = values.account("account");
        let line = values.line("line");
        let records = recorded(|| caci_core::with_configuration(config, || by_hand(&account, &line)));
        let inputs = [Input::new("account", <&Account>::shape()), Input::new("line", <&Line>::shape())];
        check(config, &inputs, &records)?;
    }

    #[test]
    fn caci_events_hold_only_what_the_rule_allows((index, seed) in config_and_seed()) {
        let config = &POOL[index];
        let mut values = Values(seed);
        let account = values.account("account");
        let line = values.line("line");
        let records = recorded(|| caci_core::with_configuration(config, || emit(&account, &line)));
        prop_assert_eq!(records.len(), usize::from(records.iter().any(|r| r.site == "event")));
        let inputs = [Input::new("account", <&Account>::shape()), Input::new("line", <&Line>::shape())];
        check(config, &inputs, &records)?;
    }
}
