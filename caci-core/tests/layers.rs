//! caci-core's modules form layers, read bottom-up; no module imports one
//! above it, and modules of one layer do not import each other in a circle.
//! The order is the one `lib.rs` describes ("How the pieces fit").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom to top; modules on one line share a layer.
const LAYERS: &[&[&str]] = &[
    &["shape", "safety"],
    &["rules"],
    &["plan"],
    &["record"],
    &["site", "method", "probe"],
    &["config"],
    &["active"],
    &["coverage", "reload"],
];

/// The module names that follow any of `prefixes` in `text`'s code lines
/// (comment lines left out).
fn names_after(text: &str, prefixes: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines().filter(|line| !line.trim_start().starts_with("//")) {
        for prefix in prefixes {
            for (index, _) in line.match_indices(prefix) {
                let rest = &line[index + prefix.len()..];
                names.push(
                    rest.chars()
                        .take_while(|ch| ch.is_ascii_lowercase() || *ch == '_')
                        .collect(),
                );
            }
        }
    }
    names
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules each top-level module names as `crate::<module>`
/// in code (comments and doc comments left out).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let used = graph.entry(module.clone()).or_default();
        for name in names_after(&text, &["crate::"]) {
            if name != module && layer_of(&name).is_some() {
                used.insert(name);
            }
        }
    }
    graph
}

#[test]
fn every_top_level_module_has_a_layer() {
    let unknown: Vec<String> = imports()
        .into_keys()
        .filter(|module| layer_of(module).is_none())
        .collect();
    assert!(unknown.is_empty(), "modules without a layer in LAYERS: {unknown:?}");
}

#[test]
fn no_module_imports_one_above_it() {
    let mut upward = Vec::new();
    for (module, used) in imports() {
        let Some(own) = layer_of(&module) else { continue };
        for target in used {
            if layer_of(&target).is_some_and(|layer| layer > own) {
                upward.push(format!("{module} -> {target}"));
            }
        }
    }
    assert!(upward.is_empty(), "imports of a higher layer: {upward:?}");
}

#[test]
fn modules_of_one_layer_import_each_other_in_no_circle() {
    let graph = imports();
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        let cycle = find_circle(module, &graph, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "a circle of imports: {}",
            cycle.unwrap_or_default().join(" -> ")
        );
    }
}

/// The coverage report's modules (`src/coverage/*.rs`): which of them each
/// names as `super::<module>` or `crate::coverage::<module>`.
fn coverage_imports() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("coverage");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let modules: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|module| module != "mod")
        .collect();
    for module in &modules {
        let text = std::fs::read_to_string(dir.join(format!("{module}.rs"))).unwrap();
        let used = graph.entry(module.clone()).or_default();
        for name in names_after(&text, &["super::", "crate::coverage::"]) {
            if name != *module && modules.contains(&name) {
                used.insert(name);
            }
        }
    }
    graph
}

#[test]
fn the_coverage_reports_modules_import_each_other_in_no_circle() {
    let graph = coverage_imports();
    assert!(
        graph.contains_key("report") && graph.contains_key("suggest"),
        "{graph:?}"
    );
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        let cycle = find_circle(module, &graph, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "a circle of imports: {}",
            cycle.unwrap_or_default().join(" -> ")
        );
    }
}

fn find_circle(
    module: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|seen| seen == module) {
        let mut cycle = path[start..].to_vec();
        cycle.push(module.to_owned());
        return Some(cycle);
    }
    if !done.insert(module.to_owned()) {
        return None;
    }
    path.push(module.to_owned());
    let found = graph
        .get(module)
        .into_iter()
        .flatten()
        .find_map(|next| find_circle(next, graph, path, done));
    path.pop();
    found
}
