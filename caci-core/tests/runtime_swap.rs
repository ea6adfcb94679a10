//! The process-wide configuration is replaceable at run time. Its own test
//! binary: it installs configurations for the whole process.

use caci_core::{Level, TelemetryCaptureConfiguration};
use caci_testkit::FieldValue;
use std::sync::{Arc, Mutex};
use tracing_subscriber::layer::SubscriberExt;

fn initialize_business() {
    let _span = caci_core::span!(
        Level::INFO,
        "SubscriptionService.initialize_business",
        plan = "STARTER",
        feature_group = "LEGACY"
    )
    .entered();
}

/// Field names of every span a plain fmt-free layer sees, process-wide.
#[derive(Clone, Default)]
struct Names(Arc<Mutex<Vec<Vec<String>>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Names {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut recorded = FieldNames::default();
        attrs.record(&mut recorded);
        self.0.lock().unwrap().push(recorded.0);
    }
}

#[derive(Default)]
struct FieldNames(Vec<String>);

impl tracing::field::Visit for FieldNames {
    fn record_debug(&mut self, field: &tracing::field::Field, _: &dyn std::fmt::Debug) {
        self.0.push(field.name().to_owned());
    }
}

#[test]
fn an_installed_configuration_applies_to_every_thread_and_can_be_swapped() {
    let names = Names::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(names.clone())).unwrap();

    initialize_business();
    let narrow = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap();
    assert!(caci_core::install(narrow).is_none());
    std::thread::spawn(initialize_business).join().unwrap();
    let wide = TelemetryCaptureConfiguration::builder()
        .allow_fields(["plan", "feature_group"])
        .build()
        .unwrap();
    let previous = caci_core::install(wide).expect("the narrow configuration was installed");
    assert_eq!(previous.spec().allowed_field_names, ["plan"]);
    std::thread::spawn(initialize_business).join().unwrap();

    let seen = names.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![
            vec![],
            vec!["plan".to_owned()],
            vec!["plan".to_owned(), "feature_group".to_owned()]
        ]
    );

    // A swap while a call is recording: that call finishes on the rules it
    // started with; the next call uses the new ones.
    names.0.lock().unwrap().clear();
    let narrow = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap();
    caci_core::install(narrow);
    for _ in 0..2 {
        let _span = caci_core::span!(
            Level::INFO,
            "Site.in_flight",
            plan = SwapsWhileRecorded,
            feature_group = "LEGACY"
        )
        .entered();
    }
    let seen = names.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![
            vec!["plan".to_owned()],
            vec!["plan".to_owned(), "feature_group".to_owned()]
        ]
    );

    // Removing an entry from the deny floor is never silent.
    let removes_address = TelemetryCaptureConfiguration::builder()
        .allow_field("address")
        .remove_from_deny_floor("address")
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture(&TelemetryCaptureConfiguration::default(), || {
        caci_core::install(removes_address);
    });
    let warning = captured
        .events()
        .iter()
        .find(|event| event.target == "caci")
        .expect("a warning");
    assert_eq!(warning.level, Level::WARN);
    let fields = format!("{:?}", warning.fields);
    assert!(
        warning
            .field("floor_removals")
            .is_some_and(|value| value.as_text() == "address"),
        "{fields}"
    );
    assert!(fields.contains("+floor_removals [address]"), "{fields}");
}

/// A value that installs a wider configuration while it is being recorded.
struct SwapsWhileRecorded;

impl caci_core::Capture for SwapsWhileRecorded {
    fn shape() -> caci_core::Shape {
        caci_core::Shape::scalar::<Self>(caci_core::Kind::String)
    }

    fn record<'v>(&'v self, out: caci_core::Out<'_, 'v>) {
        let wide = TelemetryCaptureConfiguration::builder()
            .allow_fields(["plan", "feature_group"])
            .build()
            .unwrap();
        caci_core::install(wide);
        out.str("STARTER");
    }
}

#[test]
fn a_scoped_configuration_overrides_the_installed_one_on_its_thread_only() {
    let scoped = TelemetryCaptureConfiguration::builder()
        .allow_field("feature_group")
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture(&scoped, initialize_business);
    captured
        .span("SubscriptionService.initialize_business")
        .assert_field("feature_group", FieldValue::Str("LEGACY".into()))
        .assert_no_field("plan");
}
