//! `allow struct` suggestions name the struct inside the standard wrappers
//! and collections, never `Option`, `Result`, `Vec`, `Cow`, … themselves.

use caci_core::__private::{MethodSite, SiteInfo};
use caci_core::coverage::{Addition, CoverageReport};
use caci_core::{Capture, Input, Level, MethodDescriptor, MethodInfo, Shape, Telemetry, TelemetryCaptureConfiguration};

#[derive(Telemetry)]
struct Business {
    plan: u8,
    seats: u16,
}

#[derive(Telemetry)]
struct Item {
    sku: u32,
}

static LOAD: MethodSite = MethodSite::new(
    SiteInfo {
        name: "Repo.load",
        target: "app",
        level: Level::INFO,
        module_path: "app",
        file: "src/repo.rs",
        line: 3,
        inputs: &["items", "cached", "by_id"],
    },
    MethodInfo {
        component: "Repo",
        method: "load",
        signature: "load(&self, items: Vec<Item>, cached: Cow<'_, Item>, by_id: &HashMap<String, Item>) -> Result<Option<Business>, ApiError>",
        input_types: &["Vec<Item>", "Cow<'_, Item>", "&HashMap<String, Item>"],
        output_type: "Result<Option<Business>, ApiError>",
        captures_output: true,
    },
);

/// The shapes as the planner would see them if a wrapper's name were kept
/// as the fields' owner: the worst case for a suggestion.
fn load_shapes() -> (Vec<Input>, Option<Shape>) {
    let inputs = vec![
        Input::new("items", Item::shape().renamed("alloc::vec::Vec<app::Item>")),
        Input::new("cached", Item::shape().renamed("alloc::borrow::Cow<'_, app::Item>")),
        Input::new(
            "by_id",
            Item::shape().renamed("&std::collections::hash::map::HashMap<alloc::string::String, app::Item>"),
        ),
    ];
    let output = Business::shape().renamed("core::result::Result<core::option::Option<app::Business>, app::ApiError>");
    (inputs, Some(output))
}

#[test]
fn struct_suggestions_see_through_results_options_lists_cows_and_maps() {
    let methods = [MethodDescriptor::new(&LOAD, load_shapes)];
    let report = CoverageReport::build(&TelemetryCaptureConfiguration::default(), &methods);
    let structs: Vec<&str> = report
        .suggestions
        .iter()
        .chain(&report.needs_review)
        .filter_map(|suggestion| match &suggestion.addition {
            Addition::Struct(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert!(structs.contains(&"Business"), "{structs:?}");
    for wrapper in ["Option", "Result", "Vec", "Cow", "HashMap", "Box", "Arc", "Rc"] {
        assert!(
            !structs.contains(&wrapper),
            "suggested `allow struct {wrapper}`: {structs:?}"
        );
    }
    let text = report.to_string();
    assert!(
        !text.contains("allow struct `Option`") && !text.contains("allow struct `Result`"),
        "{text}"
    );
}
