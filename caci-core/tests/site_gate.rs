//! A call site's gate (`CallSite::may_be_enabled`): closed only when no
//! subscriber wants the site's spans and the site is planned under the
//! configuration in force; reopened by a subscriber that wants them and by
//! every configuration change. One test: it drives `tracing`'s global
//! interest cache, which other tests in the same binary would disturb.

use caci_core::__private::{CallSite, Erased, SiteInfo, type_key};
use caci_core::TelemetryCaptureConfiguration;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;

static SITE: CallSite = CallSite::new(SiteInfo {
    name: "Gate.check",
    target: "site_gate",
    level: tracing::Level::INFO,
    module_path: "site_gate",
    file: file!(),
    line: line!(),
    inputs: &["plan"],
});

/// Opens (and drops) one span at [`SITE`] recording `plan`; whether it was
/// enabled.
fn call() -> bool {
    let plan = "PRO";
    let values = (&plan,);
    !SITE.span(type_key(&values), &[Erased::new(&plan)]).is_disabled()
}

fn configuration(field: &str) -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_field(field)
        .build()
        .unwrap()
}

#[test]
fn the_gate_closes_only_when_no_subscriber_wants_the_site_and_reopens_on_any_change() {
    caci_core::install(configuration("plan"));
    assert!(SITE.may_be_enabled(), "a site never planned is open");

    // No subscriber anywhere: the first call plans, and `tracing` answers
    // `never` for the site's callsite.
    assert!(!call());
    assert!(!SITE.may_be_enabled(), "no subscriber: closed once planned");

    // A subscriber that wants INFO spans reopens it, and the span is made.
    let wanting = tracing_subscriber::registry().with(LevelFilter::TRACE);
    tracing::subscriber::with_default(wanting, || {
        tracing_core::callsite::rebuild_interest_cache();
        assert!(SITE.may_be_enabled(), "a subscriber wants the site's spans");
        assert!(call());
        assert!(SITE.may_be_enabled(), "still wanted after the call");
    });
    tracing_core::callsite::rebuild_interest_cache();

    // A subscriber that filters INFO out closes it again.
    let filtering = tracing_subscriber::registry().with(LevelFilter::WARN);
    tracing::subscriber::with_default(filtering, || {
        tracing_core::callsite::rebuild_interest_cache();
        assert!(!call());
        assert!(!SITE.may_be_enabled(), "INFO filtered out: closed");

        // A new configuration may declare other fields (which a field
        // filter may want): open until the site is planned under it.
        caci_core::install(configuration("country"));
        assert!(SITE.may_be_enabled(), "open after an install, until planned");
        assert!(!call());
        assert!(!SITE.may_be_enabled(), "planned again, and still filtered out");

        // A scoped configuration reopens it too, and so does leaving it.
        caci_core::with_configuration(&configuration("seats"), || {
            assert!(SITE.may_be_enabled(), "open in a new scope, until planned");
            assert!(!call());
            assert!(!SITE.may_be_enabled());
        });
        assert!(SITE.may_be_enabled(), "open after the scope, until planned");
        assert!(!call());
        assert!(!SITE.may_be_enabled());
    });
}
