//! `cargo run -p caci-examples -- incident`: the story's bug met during an
//! incident, by a team whose spans do not carry feature groups yet. The
//! operator widens capture at one method for a short while, the field
//! appears on those spans only, the cause shows, and the widening reverts
//! by itself.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use caci_core::config::ConfigChange;
use caci_core::{Kind, TelemetryCaptureConfiguration};

use crate::service::{App, PlanCatalog};
use crate::signups;
use crate::story::Observers;
use crate::tally::{ABSENT, Crosstab};

/// The method the operator widens.
pub const WIDENED: (&str, &str) = ("FeatureStore", "activate_features");

/// The configuration in force before the incident: the story's, without
/// feature groups (no `feature_group` name, no `enum` kind).
pub fn before_incident() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["business_id", "user_id", "plan", "country", "seats"])
        .allow_kinds([Kind::Uuid, Kind::Bool])
        .build()
        .expect("the incident's configuration is valid")
}

/// What the operator installs for a while: `feature_group`, at the one
/// method that activates features, and nowhere else.
pub fn widening() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .scope(WIDENED.0, Some(WIDENED.1), |scope| scope.allow_field("feature_group"))
        .build()
        .expect("the widening is valid")
}

/// What the incident saw: plan × feature group at each stage.
#[derive(Clone, Debug)]
pub struct IncidentOutcome {
    /// Before the widening: every feature group absent.
    pub before: Crosstab,
    /// During it: the STARTER → LEGACY rows.
    pub during: Crosstab,
    /// After it ran out: absent again.
    pub after: Crosstab,
}

/// Runs the incident, printing to `out`; `widen_for` is how long the
/// widening lasts. `observers` must be installed in the current subscriber;
/// this installs configurations process-wide.
pub fn run(out: &mut dyn Write, observers: &Observers, widen_for: Duration) -> io::Result<IncidentOutcome> {
    let before = before_incident();
    caci_core::install(before.clone());
    let app = App::new(PlanCatalog::as_deployed());
    let stage = |indices: std::ops::Range<u32>| {
        observers.tally.reset();
        for index in indices {
            let _ = app.api.initialize_business(&signups::request(index));
        }
        observers
            .tally
            .table()
            .with_order(&["STARTER", "LEGACY", "PRO"], &["STARTER", "LEGACY", "PRO", ABSENT])
    };

    writeln!(
        out,
        "Support: free STARTER businesses have a premium feature. Configuration {}:",
        before.id()
    )?;
    let before_table = stage(0..40);
    writeln!(out, "{before_table}")?;
    writeln!(
        out,
        "The spans of {}.{} carry no feature group.\n",
        WIDENED.0, WIDENED.1
    )?;

    let widening = caci_core::install_for(widening(), widen_for).expect("the widening stands with the configuration");
    let during_config = caci_core::current_configuration();
    writeln!(
        out,
        "Operator: widen {}.{} for {} (configuration {} -> {}): {}",
        WIDENED.0,
        WIDENED.1,
        humantime_like(widen_for),
        before.id(),
        during_config.id(),
        ConfigChange::between(Some(before.spec()), during_config.spec())
    )?;
    let during = stage(40..120);
    writeln!(out, "{during}")?;
    if during.get("STARTER", "LEGACY") > 0 {
        writeln!(out, "!! The STARTER plan points at the LEGACY feature group.\n")?;
    }

    let deadline = Instant::now() + widen_for + Duration::from_secs(30);
    while widening.is_live() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let back = caci_core::current_configuration();
    writeln!(
        out,
        "The widening ran out by itself: configuration {} is back ({}).",
        back.id(),
        if back.spec() == before.spec() {
            "as before"
        } else {
            "not as before!"
        }
    )?;
    let after = stage(120..160);
    writeln!(out, "{after}")?;
    Ok(IncidentOutcome {
        before: before_table,
        during,
        after,
    })
}

fn humantime_like(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}
