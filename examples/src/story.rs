//! What `cargo run -p caci-examples` runs: sign-ups through the service with
//! the bug, the question the traces answer, the data fix, and sign-ups again.

use std::collections::BTreeMap;
use std::io::{self, Write};

use caci_core::TelemetryCaptureConfiguration;
use caci_core::coverage::{CoverageReport, RenderOptions};
use caci_core::decision::Verdict;

use crate::domain::{Feature, FeatureGroup, Plan};
use crate::service::{ApiError, App, DataFixReport, PlanCatalog};
use crate::signups;
use crate::tally::{Crosstab, Tally};
use crate::tree::TreePrinter;

/// Sign-ups before the fix.
pub const SIGNUPS: u32 = 300;
/// Sign-ups after the fix.
pub const SIGNUPS_AFTER_FIX: u32 = 30;
/// Sign-ups whose span trees are printed before the fix (one per plan).
pub const PRINTED_SIGNUPS: usize = 3;
/// The span the plan × feature group table counts.
pub const TALLIED_SPAN: &str = "FeatureStore.activate_features";

const PLANS: [&str; 3] = ["STARTER", "LEGACY", "PRO"];
const GROUPS: [&str; 3] = ["STARTER", "LEGACY", "PRO"];

/// The layers the story reads from: one printing a few span trees, one
/// counting activations by plan and feature group.
#[derive(Clone)]
pub struct Observers {
    /// Prints the span trees of a few sign-ups.
    pub printer: TreePrinter,
    /// Counts [`TALLIED_SPAN`] spans by `plan` and `feature_group`.
    pub tally: Tally,
}

impl Observers {
    /// Observers printing to `out`.
    pub fn new<W: Write + Send + 'static>(out: W) -> Self {
        Observers {
            printer: TreePrinter::new(out),
            tally: Tally::new(TALLIED_SPAN, "plan", "feature_group"),
        }
    }
}

/// What the story found.
#[derive(Clone, Debug)]
pub struct StoryOutcome {
    /// Plan × feature group before the fix.
    pub before: Crosstab,
    /// What the data fix did.
    pub fix: DataFixReport,
    /// Plan × feature group after the fix.
    pub after: Crosstab,
}

/// Runs the story, printing to `out`. The configuration must be in force
/// and `observers` installed in the current subscriber.
pub fn run(
    out: &mut dyn Write,
    observers: &Observers,
    config: &TelemetryCaptureConfiguration,
) -> io::Result<StoryOutcome> {
    run_pausing(out, observers, config, std::time::Duration::ZERO)
}

/// [`run`], waiting `pause` after the first sign-ups (before the fix) and
/// at the end: time for a metrics scraper to see the leak, then its fix.
pub fn run_pausing(
    out: &mut dyn Write,
    observers: &Observers,
    config: &TelemetryCaptureConfiguration,
    pause: std::time::Duration,
) -> io::Result<StoryOutcome> {
    let spec = config.spec();
    writeln!(out, "Capture configuration (built in main):")?;
    writeln!(out, "  allowed field names: {}", spec.allowed_field_names.join(", "))?;
    writeln!(out, "  allowed kinds:       {}", spec.allowed_field_kinds.join(", "))?;
    writeln!(out)?;

    let app = App::new(PlanCatalog::as_deployed());
    writeln!(
        out,
        "{SIGNUPS} sign-ups through POST /initialize-business; the spans of the first {PRINTED_SIGNUPS}:"
    )?;
    writeln!(out)?;
    observers.printer.print_next(PRINTED_SIGNUPS);
    let refused = sign_up(&app, 0..SIGNUPS);
    out.flush()?;
    writeln!(out)?;
    writeln!(out, "{}", summary(SIGNUPS, &refused))?;
    writeln!(out)?;

    writeln!(out, "What feature groups are we initializing? ({TALLIED_SPAN} spans)")?;
    writeln!(out)?;
    let before = observers.tally.table().with_order(&PLANS, &GROUPS);
    write!(out, "{before}")?;
    writeln!(out)?;
    let leaked = premium_features_on(&app, Plan::Starter);
    for (feature, businesses) in &leaked {
        writeln!(
            out,
            "!! {businesses} businesses on the free STARTER plan have {}, a premium feature:",
            name(feature)
        )?;
    }
    let wrong: Vec<&str> = GROUPS
        .into_iter()
        .filter(|group| *group != "STARTER" && before.get("STARTER", group) > 0)
        .collect();
    if !leaked.is_empty() && !wrong.is_empty() {
        writeln!(
            out,
            "   the STARTER plan points at the {} feature group.",
            wrong.join(" and ")
        )?;
    }
    writeln!(out)?;

    writeln!(
        out,
        "Coverage report (`cargo run -p caci-examples -- coverage` for every input):"
    )?;
    writeln!(out)?;
    writeln!(out, "{}", coverage_summary(config))?;

    if !pause.is_zero() {
        writeln!(out, "(pausing {pause:?} before the fix, for the metrics scraper)")?;
        out.flush()?;
        std::thread::sleep(pause);
    }
    let fix = app.data_fix.fix_premium_leak(Plan::Starter, FeatureGroup::Starter);
    let revoked: Vec<String> = fix
        .revoked
        .iter()
        .map(|(feature, count)| format!("{} from {count} businesses", name(feature)))
        .collect();
    writeln!(
        out,
        "Data fix: STARTER now points at the {} feature group (was {}); revoked {}.",
        name(&fix.feature_group),
        fix.previous_group.as_ref().map_or_else(|| "nothing".to_owned(), name),
        if revoked.is_empty() {
            "nothing".to_owned()
        } else {
            revoked.join(", ")
        },
    )?;
    writeln!(out)?;

    observers.tally.reset();
    writeln!(
        out,
        "{SIGNUPS_AFTER_FIX} more sign-ups after the fix; the spans of the first:"
    )?;
    writeln!(out)?;
    observers.printer.print_next(1);
    let refused = sign_up(&app, SIGNUPS..SIGNUPS + SIGNUPS_AFTER_FIX);
    out.flush()?;
    writeln!(out)?;
    writeln!(out, "{}", summary(SIGNUPS_AFTER_FIX, &refused))?;
    writeln!(out)?;
    let after = observers.tally.table().with_order(&PLANS, &GROUPS);
    write!(out, "{after}")?;
    writeln!(out)?;
    let still_leaked = premium_features_on(&app, Plan::Starter);
    if still_leaked.is_empty() && after.get("STARTER", "LEGACY") == 0 {
        writeln!(
            out,
            "STARTER -> STARTER: no business on a free plan holds a premium feature."
        )?;
    } else {
        writeln!(out, "!! still leaking: {still_leaked:?}")?;
    }
    if !pause.is_zero() {
        writeln!(out, "(pausing {pause:?} at the end, for the metrics scraper)")?;
        out.flush()?;
        std::thread::sleep(pause);
    }
    Ok(StoryOutcome { before, fix, after })
}

fn sign_up(app: &App, indices: std::ops::Range<u32>) -> BTreeMap<String, usize> {
    let mut refused = BTreeMap::new();
    for index in indices {
        if let Err(error) = app.api.initialize_business(&signups::request(index)) {
            let reason = match error {
                ApiError::TermsNotAccepted => "terms not accepted",
                ApiError::UnsupportedCountry => "unsupported country",
            };
            *refused.entry(reason.to_owned()).or_insert(0) += 1;
        }
    }
    refused
}

fn summary(signups: u32, refused: &BTreeMap<String, usize>) -> String {
    let total: usize = refused.values().sum();
    let reasons: Vec<String> = refused
        .iter()
        .map(|(reason, count)| format!("{count} {reason}"))
        .collect();
    let initialized = signups as usize - total;
    if total == 0 {
        format!("{initialized} businesses initialized.")
    } else {
        format!(
            "{initialized} businesses initialized, {total} refused ({}).",
            reasons.join(", ")
        )
    }
}

/// Premium features held by businesses on `plan`, with how many hold each.
fn premium_features_on(app: &App, plan: Plan) -> BTreeMap<Feature, usize> {
    let mut held = BTreeMap::new();
    for entitlement in app.store.entitlements().into_values() {
        if entitlement.plan != plan {
            continue;
        }
        for feature in entitlement.features.into_iter().filter(|feature| feature.is_premium()) {
            *held.entry(feature).or_insert(0) += 1;
        }
    }
    held
}

/// A value's name as spans show it: `TRANSACTION_IMPORT`.
fn name<T: std::fmt::Debug>(value: &T) -> String {
    let mut name = String::new();
    for (index, character) in format!("{value:?}").chars().enumerate() {
        if character.is_uppercase() && index > 0 {
            name.push('_');
        }
        name.push(character.to_ascii_uppercase());
    }
    name
}

/// The coverage report's summary: what the configuration captures of every
/// `#[component]` method, read from the method registry without calling
/// anything. `cargo run -p caci-examples -- coverage` prints it all.
pub fn coverage_summary(config: &TelemetryCaptureConfiguration) -> String {
    let report = CoverageReport::from_registry(config);
    let full = report.render_text(RenderOptions { color: false });
    let mut out = String::new();
    for line in full.lines().take_while(|line| !line.is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    let width = report
        .components
        .iter()
        .map(|component| component.name.len())
        .max()
        .unwrap_or(0);
    for component in &report.components {
        let totals = &component.totals;
        let counted = format!("{} of {}", totals.captured, totals.leaves);
        out.push_str(&format!(
            "  {:<width$}  {counted:>8}  {:>6}\n",
            component.name,
            totals.percent_text()
        ));
    }
    let left_out: Vec<(String, String)> = report
        .components
        .iter()
        .flat_map(|component| component.methods.iter().map(move |method| (component, method)))
        .flat_map(|(component, method)| {
            method
                .leaves
                .iter()
                .filter(|leaf| !leaf.verdict.is_captured())
                .map(move |leaf| {
                    let place = format!("{}.{}: {}", component.name, method.name, leaf.path);
                    let why = match &leaf.verdict {
                        Verdict::NotCaptured(reason) => reason.to_string(),
                        captured => captured.to_string(),
                    };
                    (place, why)
                })
        })
        .collect();
    if !left_out.is_empty() {
        out.push_str("Left out:\n");
        let width = left_out.iter().map(|(place, _)| place.len()).max().unwrap_or(0);
        for (place, verdict) in &left_out {
            out.push_str(&format!("  {place:<width$}  {verdict}\n"));
        }
    }
    out.push_str(&format!(
        "Suggestions: {}; {} more would capture data that looks personal, for review only.\n",
        report.suggestions.len(),
        report.needs_review.len()
    ));
    out
}
