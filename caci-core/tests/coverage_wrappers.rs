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

/// The shapes as `#[component]` gives them: a `Result`'s `Ok` type, lists of
/// structs, shared pointers.
fn real_shapes() -> (Vec<Input>, Option<Shape>) {
    let inputs = vec![
        Input::new("items", <Vec<Item>>::shape()),
        Input::new("cached", <std::sync::Arc<Item>>::shape()),
    ];
    (inputs, Some(<Option<Business>>::shape()))
}

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

fn suggested_structs(report: &CoverageReport) -> Vec<&str> {
    report
        .suggestions
        .iter()
        .chain(&report.needs_review)
        .filter_map(|suggestion| match &suggestion.addition {
            Addition::Struct(name) => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn struct_suggestions_name_the_struct_inside_options_lists_and_arcs() {
    let methods = [MethodDescriptor::new(&LOAD, real_shapes)];
    let report = CoverageReport::build(&TelemetryCaptureConfiguration::default(), &methods);
    let structs = suggested_structs(&report);
    assert_eq!(structs, ["Business", "Item"], "verified: each captures what it says");
}

#[test]
fn a_wrapper_is_never_suggested_even_when_it_owns_the_fields() {
    let methods = [MethodDescriptor::new(&LOAD, load_shapes)];
    let report = CoverageReport::build(&TelemetryCaptureConfiguration::default(), &methods);
    let structs = suggested_structs(&report);
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
