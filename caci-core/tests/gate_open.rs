//! `__private::gate_open!`, the dispatcher's read of a method site's gate
//! (on x86-64 its own asm, elsewhere an atomic load), reads what
//! `MethodSite::may_be_enabled` reads, open and closed. One test: it drives
//! `tracing`'s global interest cache.

use caci_core::__private::{MethodInfo, MethodSite, SiteInfo, gate_open};
use caci_core::TelemetryCaptureConfiguration;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;

static SITE: MethodSite = MethodSite::new(
    SiteInfo {
        name: "Gate.read",
        target: "gate_open",
        level: tracing::Level::INFO,
        module_path: "gate_open",
        file: file!(),
        line: line!(),
        inputs: &[],
    },
    MethodInfo {
        component: "Gate",
        method: "read",
        signature: "read(&self)",
        input_types: &[],
        output_type: "()",
        captures_output: false,
    },
);

/// One call of the method at [`SITE`], as the generated code makes it.
fn call() {
    SITE.start(&[]).finish_ok(None);
}

/// The asm read and the atomic read, which must agree.
fn gate() -> bool {
    let read = gate_open!(SITE);
    assert_eq!(read, SITE.may_be_enabled(), "gate_open! reads the gate's own byte");
    read
}

#[test]
fn gate_open_reads_the_gate_open_and_closed() {
    caci_core::install(TelemetryCaptureConfiguration::builder().build().unwrap());
    assert!(gate(), "a site never planned is open");

    call();
    assert!(!gate(), "no subscriber: closed once planned");

    let wanting = tracing_subscriber::registry().with(LevelFilter::TRACE);
    tracing::subscriber::with_default(wanting, || {
        tracing_core::callsite::rebuild_interest_cache();
        assert!(gate(), "a subscriber wants the site's spans");
        call();
        assert!(gate(), "still wanted after a call");
    });
    tracing_core::callsite::rebuild_interest_cache();
    call();
    assert!(!gate(), "closed again once no subscriber wants it");
}
