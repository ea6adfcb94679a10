//! Each macro reads in stages (options → model → validate → expand, with
//! the fallback on error): no stage module imports another in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// For the macro in `src/<name>/`: which of its modules each module names as
/// `crate::<name>::<module>` in code.
fn stage_imports(name: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(name);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pending = vec![dir.clone()];
    while let Some(path) = pending.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path.strip_prefix(&dir).unwrap();
            let module = relative
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if module == "mod" || module == "tests" || module == "snapshots" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let prefix = format!("crate::{name}::");
            let used = graph.entry(module.clone()).or_default();
            for line in text.lines().filter(|line| !line.trim_start().starts_with("//")) {
                for (index, _) in line.match_indices(&prefix) {
                    let rest = &line[index + prefix.len()..];
                    let target: String = rest
                        .chars()
                        .take_while(|ch| ch.is_ascii_lowercase() || *ch == '_')
                        .collect();
                    if !target.is_empty() && target != module && target != "error_at" {
                        used.insert(target);
                    }
                }
                // `use crate::component::{a, b}` names several at once.
                if let Some(group) = line.split(&format!("crate::{name}::{{")).nth(1) {
                    for target in group
                        .split(['}', ','])
                        .map(|part| part.trim().split("::").next().unwrap_or(""))
                    {
                        if !target.is_empty() && target != module && target != "error_at" {
                            used.insert(target.to_owned());
                        }
                    }
                }
            }
        }
    }
    graph
}

fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
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
            .find_map(|next| visit(next, graph, path, done));
        path.pop();
        found
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_derives_stages_import_each_other_in_no_circle() {
    let graph = stage_imports("telemetry");
    assert!(
        graph.contains_key("model") && graph.contains_key("validate"),
        "{graph:?}"
    );
    assert_eq!(circle(&graph), None, "{graph:?}");
}

#[test]
fn the_component_macros_stages_import_each_other_in_no_circle() {
    let graph = stage_imports("component");
    assert!(graph.contains_key("model") && graph.contains_key("expand"), "{graph:?}");
    assert_eq!(circle(&graph), None, "{graph:?}");
}
