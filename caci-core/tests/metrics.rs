//! Method metrics (cargo feature `metrics`), through metrics-util's
//! debugging recorder installed for the whole test binary: names, labels,
//! the series cap, and that no denied or non-allowed value becomes a label.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use caci_core::{ErrorType, Kind, Telemetry, TelemetryCaptureConfiguration, component};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

fn snapshotter() -> &'static Snapshotter {
    static SNAPSHOTTER: OnceLock<Snapshotter> = OnceLock::new();
    SNAPSHOTTER.get_or_init(|| {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        recorder.install().expect("the only recorder of this test binary");
        snapshotter
    })
}

/// One metric as read back: its name, labels and value.
#[derive(Clone, Debug)]
struct Reading {
    name: String,
    labels: BTreeMap<String, String>,
    unit: Option<metrics::Unit>,
    value: Value,
}

/// A counter's total, or every value a histogram recorded.
#[derive(Clone, Debug)]
enum Value {
    Counter(u64),
    Histogram(Vec<f64>),
}

/// Every metric of `component` recorded so far. A snapshot drains the
/// recorder, and the tests run in parallel: every snapshot is added to one
/// store, which each test reads.
fn readings(component: &str) -> Vec<Reading> {
    type Store = BTreeMap<(String, BTreeMap<String, String>), Reading>;
    static STORE: Mutex<Store> = Mutex::new(BTreeMap::new());
    let mut store = STORE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    for (key, unit, _, value) in snapshotter().snapshot().into_vec() {
        let key = key.key();
        let name = key.name().to_owned();
        let labels: BTreeMap<String, String> = key
            .labels()
            .map(|label| (label.key().to_owned(), label.value().to_owned()))
            .collect();
        let reading = store.entry((name.clone(), labels.clone())).or_insert_with(|| Reading {
            name,
            labels,
            unit,
            value: match value {
                DebugValue::Histogram(_) => Value::Histogram(Vec::new()),
                _ => Value::Counter(0),
            },
        });
        match (&mut reading.value, value) {
            (Value::Counter(total), DebugValue::Counter(count)) => *total += count,
            (Value::Histogram(all), DebugValue::Histogram(values)) => all.extend(values.into_iter().map(|v| v.0)),
            _ => {}
        }
    }
    store
        .values()
        .filter(|reading| reading.labels.get("component").map(String::as_str) == Some(component))
        .cloned()
        .collect()
}

fn calls(readings: &[Reading], labels: &[(&str, &str)]) -> u64 {
    readings
        .iter()
        .filter(|reading| reading.name == "caci.method.calls")
        .filter(|reading| {
            labels
                .iter()
                .all(|(key, value)| reading.labels.get(*key).map(String::as_str) == Some(*value))
        })
        .map(|reading| match reading.value {
            Value::Counter(count) => count,
            Value::Histogram(_) => 0,
        })
        .sum()
}

#[derive(Telemetry, Clone, Copy, Debug)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    Starter,
    Pro,
}

#[derive(Telemetry, Debug)]
enum BillingError {
    NotFound,
    CardDeclined { code: u16 },
}

impl std::fmt::Display for BillingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused for owner@example.com")
    }
}

impl std::error::Error for BillingError {}

struct Billing;

#[component]
impl Billing {
    fn charge(
        &self,
        plan: Plan,
        trial: bool,
        country: &str,
        business_id: uuid::Uuid,
        email: &str,
        fail: Option<u16>,
    ) -> Result<u32, BillingError> {
        let _ = (plan, trial, country, business_id, email);
        match fail {
            None => Ok(1),
            Some(0) => Err(BillingError::NotFound),
            Some(code) => Err(BillingError::CardDeclined { code }),
        }
    }
}

/// The same method as `Billing`'s, for a test of its own (the recorder is
/// shared by the tests, which run in parallel).
struct Vault;

#[component]
impl Vault {
    fn charge(&self, plan: Plan, country: &str, business_id: uuid::Uuid, email: &str) -> Result<u32, BillingError> {
        let _ = (plan, country, business_id, email);
        Err(BillingError::CardDeclined { code: 7 })
    }
}

struct Shop;

#[component]
impl Shop {
    fn order(&self, plan: Plan, country: &str) -> bool {
        let _ = (plan, country);
        true
    }
}

struct Quiet;

#[component]
impl Quiet {
    fn ping(&self, plan: Plan) -> bool {
        let _ = plan;
        true
    }
}

fn config() -> caci_core::ConfigBuilder {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["plan", "trial", "country"])
        .allow_kinds([Kind::Uuid, Kind::Enum])
        .method_metrics(true)
}

const ID: uuid::Uuid = uuid::Uuid::from_u128(0x6a1e_0000_0000_4000_8000_0000_0000_0001);

#[test]
fn calls_and_durations_are_labelled_by_method_outcome_error_variant_and_allowed_labels() {
    snapshotter();
    let config = config().metric_labels(["plan", "trial"]).build().unwrap();
    caci_testkit::capture(&config, || {
        let billing = Billing;
        for _ in 0..3 {
            billing
                .charge(Plan::Starter, true, "CA", ID, "owner@example.com", None)
                .unwrap();
        }
        billing
            .charge(Plan::Pro, false, "US", ID, "owner@example.com", None)
            .unwrap();
        billing
            .charge(Plan::Pro, false, "US", ID, "owner@example.com", Some(51))
            .unwrap_err();
        billing
            .charge(Plan::Starter, false, "US", ID, "owner@example.com", Some(0))
            .unwrap_err();
    });
    let readings = readings("Billing");
    let ok = [("method", "charge"), ("outcome", "ok")];
    assert_eq!(calls(&readings, &ok), 4, "{readings:#?}");
    assert_eq!(
        calls(&readings, &[("plan", "STARTER"), ("trial", "true"), ("outcome", "ok")]),
        3
    );
    assert_eq!(
        calls(&readings, &[("plan", "PRO"), ("trial", "false"), ("outcome", "ok")]),
        1
    );
    assert_eq!(
        calls(
            &readings,
            &[
                ("outcome", "error"),
                ("error.type", "BillingError::CardDeclined"),
                ("plan", "PRO")
            ]
        ),
        1
    );
    assert_eq!(
        calls(
            &readings,
            &[("outcome", "error"), ("error.type", "BillingError::NotFound")]
        ),
        1
    );
    // error.type only on failures.
    for reading in readings
        .iter()
        .filter(|reading| reading.labels.get("outcome").map(String::as_str) == Some("ok"))
    {
        assert!(!reading.labels.contains_key("error.type"), "{reading:?}");
    }
    let durations: Vec<&Reading> = readings
        .iter()
        .filter(|reading| reading.name == "caci.method.duration")
        .collect();
    assert!(!durations.is_empty());
    for duration in &durations {
        assert_eq!(duration.unit, Some(metrics::Unit::Seconds));
        let Value::Histogram(values) = &duration.value else {
            panic!("a histogram: {duration:?}");
        };
        assert!(values.iter().all(|seconds| (0.0..60.0).contains(seconds)));
    }
    // Only CACI's labels and the allowed ones.
    for reading in &readings {
        for key in reading.labels.keys() {
            assert!(
                ["component", "method", "outcome", "error.type", "plan", "trial"].contains(&key.as_str()),
                "unexpected label {key} in {reading:?}"
            );
        }
    }
}

#[test]
fn no_denied_or_unlisted_value_becomes_a_label() {
    snapshotter();
    // `country` is captured by the span but is not a label here; the email
    // is on the deny floor; the uuid is captured but never a label.
    let config = config().metric_labels(["plan"]).build().unwrap();
    caci_testkit::capture(&config, || {
        Vault.charge(Plan::Pro, "JM", ID, "leak@example.com").unwrap_err();
    });
    let id = ID.to_string();
    let readings = readings("Vault");
    assert_eq!(
        calls(
            &readings,
            &[("plan", "PRO"), ("error.type", "BillingError::CardDeclined")]
        ),
        1
    );
    for reading in readings {
        for value in reading.labels.values() {
            assert!(
                value != "JM" && value != "leak@example.com" && *value != id && !value.contains("refused"),
                "a value that is not an allowed label: {reading:?}"
            );
        }
    }
}

#[test]
fn labels_that_would_make_a_series_per_value_are_refused_when_built() {
    let error = config().metric_labels(["business_id"]).build().unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`business_id` is a uuid: a metric label would create a series per value"),
        "{message}"
    );
    assert_eq!(error.problems()[0].location, "metric_labels[0]");

    let denied = config().metric_labels(["email"]).build().unwrap_err();
    assert!(denied.to_string().contains("denied"), "{denied}");

    let own = config().metric_labels(["outcome"]).build().unwrap_err();
    assert!(own.to_string().contains("CACI's own labels"), "{own}");

    let not_captured = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .method_metrics(true)
        .metric_labels(["trial"])
        .build()
        .unwrap_err();
    assert!(not_captured.to_string().contains("never captured"), "{not_captured}");

    let from_file = TelemetryCaptureConfiguration::from_toml_str(
        "allowed_field_names = [\"plan\", \"country\"]\nmethod_metrics = true\nmetric_labels = [\"plan\", \"country\"]\n\
         [limits]\nmax_series_per_method = 50\nmax_label_values = 5\n",
    )
    .unwrap();
    assert_eq!(from_file.spec().metric_labels, ["plan", "country"]);
    assert_eq!(from_file.limits().max_series_per_method, 50);
    assert_eq!(from_file.limits().max_label_values, 5);
}

#[test]
fn past_the_caps_new_values_collapse_to_other_and_are_counted() {
    snapshotter();
    let config = config()
        .metric_labels(["plan", "country"])
        .max_label_values(3)
        .max_series_per_method(4)
        .build()
        .unwrap();
    let countries = ["CA", "US", "GB", "FR", "JM", "NG", "DE"];
    let (_, captured) = caci_testkit::capture(&config, || {
        for _ in 0..2 {
            for country in countries {
                Shop.order(Plan::Starter, country);
                Shop.order(Plan::Pro, country);
            }
        }
    });
    assert_eq!(captured.spans_named("Shop.order").count(), 28);
    let readings = readings("Shop");
    let series: Vec<&Reading> = readings
        .iter()
        .filter(|reading| reading.name == "caci.method.calls")
        .collect();
    assert!(series.len() <= 5, "at most the cap and `_other`: {series:#?}");
    let distinct: std::collections::BTreeSet<&str> = series
        .iter()
        .map(|reading| reading.labels["country"].as_str())
        .filter(|country| *country != "_other")
        .collect();
    assert!(distinct.len() <= 3, "{distinct:?}");
    assert_eq!(
        calls(&readings, &[]),
        28,
        "every call is counted somewhere: {readings:#?}"
    );
    assert!(calls(&readings, &[("country", "_other")]) > 0);
    let overflow: u64 = readings
        .iter()
        .filter(|reading| reading.name == "caci.method.label_overflow")
        .map(|reading| match reading.value {
            Value::Counter(count) => count,
            Value::Histogram(_) => 0,
        })
        .sum();
    assert!(overflow > 0, "the overflow is counted: {readings:#?}");
}

#[test]
fn spans_are_the_same_with_metrics_on() {
    snapshotter();
    let without = TelemetryCaptureConfiguration::builder()
        .allow_fields(["plan"])
        .build()
        .unwrap();
    let with = without
        .to_builder()
        .method_metrics(true)
        .metric_labels(["plan"])
        .build()
        .unwrap();
    let fields = |config: &TelemetryCaptureConfiguration| {
        let (_, captured) = caci_testkit::capture(config, || Quiet.ping(Plan::Pro));
        let span = captured.span("Quiet.ping");
        let mut names: Vec<String> = span.fields.iter().map(|(name, _)| name.clone()).collect();
        names.sort();
        names
    };
    assert_eq!(fields(&without), fields(&with));
    assert!(calls(&readings("Quiet"), &[("plan", "PRO")]) >= 1);
}

#[test]
fn derived_error_enums_name_their_variants() {
    assert_eq!(BillingError::NotFound.error_type(), "BillingError::NotFound");
    assert_eq!(
        BillingError::CardDeclined { code: 51 }.error_type(),
        "BillingError::CardDeclined"
    );
}

struct Inbox;

#[component]
impl Inbox {
    fn route(&self, plan: Plan, country: &str) -> bool {
        let _ = (plan, country);
        true
    }
}

#[test]
fn label_values_are_scrubbed_as_span_values_are() {
    snapshotter();
    let config = config().metric_labels(["country"]).build().unwrap();
    let (_, captured) = caci_testkit::capture(&config, || {
        Inbox.route(Plan::Pro, "owner@example.com");
        Inbox.route(Plan::Pro, "CA");
    });
    let span_value = captured
        .spans_named("Inbox.route")
        .next()
        .and_then(|span| span.field("country").map(|value| value.as_text()))
        .expect("the span captured the country");
    assert_ne!(span_value, "owner@example.com");
    let readings = readings("Inbox");
    assert_eq!(
        calls(&readings, &[("country", span_value.as_str())]),
        1,
        "{readings:#?}"
    );
    assert_eq!(calls(&readings, &[("country", "CA")]), 1);
    for reading in &readings {
        assert!(
            reading.labels.values().all(|value| !value.contains('@')),
            "an email as a label: {reading:?}"
        );
    }
}
