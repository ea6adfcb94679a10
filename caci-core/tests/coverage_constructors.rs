//! Constructors (no receiver, returning the component) are listed apart and
//! not counted: their inputs are wiring, not requests.

use std::sync::Arc;

use caci_core::coverage::{CoverageReport, RenderOptions};
use caci_core::{MethodDescriptor, TelemetryCaptureConfiguration, component};

/// A repository: what a constructor is handed.
pub trait Repo: Send + Sync {
    /// Its name.
    fn name(&self) -> &str;
}

/// A component with two constructors and one method.
pub struct SignupService {
    repo: Arc<dyn Repo>,
}

#[component]
impl SignupService {
    /// A constructor: no receiver, returns `Self`.
    pub fn new(repo: Arc<dyn Repo>, region: u16) -> Self {
        let _ = region;
        SignupService { repo }
    }

    /// A constructor: no receiver, returns `Result<Self, _>`.
    pub fn with_region(region: u16) -> Result<Self, String> {
        Err(format!("no repository for {region}"))
    }

    /// A method: counted.
    pub fn sign_up(&self, plan: u8, seats: u16) -> usize {
        self.repo.name().len() + usize::from(plan) + usize::from(seats)
    }
}

fn report() -> CoverageReport {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap();
    let methods = MethodDescriptor::all().filter(|method| method.info().component == "SignupService");
    CoverageReport::build(&config, methods)
}

#[test]
fn constructors_are_flagged_listed_and_not_counted() {
    let report = report();
    let component = &report.components[0];
    let flags: Vec<(&str, bool)> = component
        .methods
        .iter()
        .map(|method| (method.name.as_str(), method.constructor))
        .collect();
    assert_eq!(flags, [("new", true), ("sign_up", false), ("with_region", true)]);
    // Only sign_up counts: plan captured, seats not allowed.
    assert_eq!((report.totals.captured, report.totals.leaves), (1, 2));
    assert_eq!((component.totals.captured, component.totals.leaves), (1, 2));
    let new = &component.methods[0];
    assert_eq!(
        new.totals.leaves, 2,
        "a constructor's own totals still count its leaves"
    );
    // No suggestion comes from a constructor's inputs.
    for suggestion in report.suggestions.iter().chain(&report.needs_review) {
        assert!(
            suggestion.unlocks.iter().all(|place| place.method == "sign_up"),
            "{suggestion}"
        );
    }
}

#[test]
fn text_lists_constructors_apart() {
    insta::assert_snapshot!(report().render_text(RenderOptions { color: false }));
}

#[test]
fn markdown_and_json_mark_constructors() {
    let report = report();
    let markdown = report.render_markdown();
    assert!(markdown.contains("*Constructors: listed, not counted.*"), "{markdown}");
    assert!(
        markdown.contains("in 1 component, 1 method, 2 constructors not counted."),
        "{markdown}"
    );
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["components"][0]["methods"][0]["constructor"], true);
    assert!(json["components"][0]["methods"][1].get("constructor").is_none());
    assert_eq!(CoverageReport::from_json(&report.to_json()).unwrap(), report);
}
