//! A wrapped method's gate: its dispatcher reads only the site's gate, so a
//! call no subscriber wants costs a read of one byte and a branch. The gate
//! must never stay closed while a subscriber wants the span: a subscriber that
//! appears, a level that is enabled again, a new configuration all get
//! their spans. One test: it drives `tracing`'s global interest cache.

use caci_core::{Telemetry, TelemetryCaptureConfiguration, component};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;

#[derive(Clone, Copy, Telemetry)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    Starter,
}

struct Billing;

#[component]
impl Billing {
    fn charge(&self, plan: Plan, seats: u32) -> u32 {
        let _ = plan;
        seats * 2
    }
}

fn configuration(field: &str) -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_field(field)
        .build()
        .unwrap()
}

fn gate_open() -> bool {
    Billing::__caci_site_charge.may_be_enabled()
}

#[test]
fn a_closed_gate_never_hides_a_span_a_subscriber_wants() {
    caci_core::install(configuration("plan"));
    assert!(gate_open(), "a site never planned is open");

    // No subscriber: the first call plans the site (its level is off), and
    // the gate closes; the method still runs.
    assert_eq!(Billing.charge(Plan::Starter, 3), 6);
    assert!(!gate_open(), "no subscriber: closed");
    assert_eq!(Billing.charge(Plan::Starter, 4), 8, "a closed gate runs the body");

    // INFO filtered out: closed once planned under it.
    let filtering = tracing_subscriber::registry().with(LevelFilter::WARN);
    tracing::subscriber::with_default(filtering, || {
        tracing_core::callsite::rebuild_interest_cache();
        assert_eq!(Billing.charge(Plan::Starter, 1), 2);
        assert!(!gate_open(), "INFO filtered out: closed");
        // A new configuration reopens it until the site is planned again.
        caci_core::install(configuration("seats"));
        assert!(gate_open(), "a new configuration: open until planned");
        assert_eq!(Billing.charge(Plan::Starter, 1), 2);
        assert!(!gate_open());
    });

    // A subscriber that wants the span opens it, and the span is recorded,
    // with the configuration in force.
    let (_, captured) = caci_testkit::capture(&configuration("seats"), || Billing.charge(Plan::Starter, 7));
    captured
        .span("Billing.charge")
        .assert_field("seats", 7i64)
        .assert_no_field("plan");
}
