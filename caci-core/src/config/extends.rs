//! `extends`: a file built on a base file, which may extend another. The
//! chain is read top first, merged base first, compiled once, and every
//! problem of every file is reported in one error naming its file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::TelemetryCaptureConfiguration;
use super::file::{self, EXTENDS, Format};
use crate::rules::{ConfigError, Problem};

/// What loading a file found: the configuration, and every file the chain
/// named (also those that could not be read), for a watcher to watch.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) result: Result<TelemetryCaptureConfiguration, ConfigError>,
    #[cfg_attr(not(feature = "reload"), allow(dead_code))]
    pub(crate) files: Vec<PathBuf>,
}

/// One file of the chain, top (the service's own file) first.
struct Link {
    shown: String,
    canonical: Option<PathBuf>,
    settings: Map<String, Value>,
}

/// Where each merged entry came from: a link and its index there.
#[derive(Default)]
struct Origins {
    lists: HashMap<String, Vec<(usize, usize)>>,
    limits: HashMap<String, usize>,
}

/// Loads `path` and the bases it extends.
pub(crate) fn load(path: &Path) -> Loaded {
    let top = path.display().to_string();
    let mut links: Vec<Link> = Vec::new();
    let mut files = vec![path.to_path_buf()];
    let mut problems = Vec::new();
    let mut next = path.to_path_buf();
    loop {
        let index = links.len();
        // Where a problem about reaching this file goes: the file itself
        // for the top one, the `extends` key of the file naming it for a base.
        let reach = |message: String| match index {
            0 => Problem::new("file", message),
            _ => in_link(Problem::new(EXTENDS, message), &links, index - 1),
        };
        let shown = next.display().to_string();
        let Some(format) = Format::from_path(&next) else {
            problems.push(match index {
                0 => Problem::new("file name", "expected a `.json` or `.toml` extension"),
                _ => reach(format!("`{shown}` is not a `.json` or `.toml` file")),
            });
            break;
        };
        let text = match std::fs::read_to_string(&next) {
            Ok(text) => text,
            Err(err) if index == 0 => {
                problems.push(reach(format!("cannot read it: {err}")));
                break;
            }
            Err(err) => {
                problems.push(reach(format!("cannot read the base file `{shown}`: {err}")));
                break;
            }
        };
        let canonical = std::fs::canonicalize(&next).ok();
        if let Some(start) = links
            .iter()
            .position(|link| canonical.is_some() && link.canonical == canonical)
        {
            let mut chain: Vec<&str> = links[start..].iter().map(|link| link.shown.as_str()).collect();
            chain.push(&shown);
            problems.push(reach(format!("a cycle: {}", chain.join(" extends "))));
            break;
        }
        let checked = match file::check(&text, format) {
            Ok(checked) => checked,
            Err(err) => {
                problems.extend(err.problems().iter().cloned().map(|p| tag(p, index, &shown)));
                break;
            }
        };
        problems.extend(checked.problems.into_iter().map(|p| tag(p, index, &shown)));
        let mut settings = checked.settings;
        if index > 0 && settings.remove("deny_floor_removals").is_some() {
            problems.push(tag(
                Problem::new(
                    "deny_floor_removals",
                    format!(
                        "removals from the deny floor are allowed only in the service's own file (`{top}`), \
                         never in a base it extends; move them there"
                    ),
                ),
                index,
                &shown,
            ));
        }
        let parent = next.parent().map(Path::to_path_buf).unwrap_or_default();
        links.push(Link {
            shown,
            canonical,
            settings,
        });
        match checked.extends {
            Some(base) => {
                next = parent.join(base);
                files.push(next.clone());
            }
            None => break,
        }
    }
    let result = if links.is_empty() {
        Err(ConfigError::new(problems).in_source(&top))
    } else {
        compile(&links, problems).map_err(|err| err.in_source(&top))
    };
    Loaded { result, files }
}

/// Merges the chain, compiles it, and reports the compiler's problems where
/// their entries were written.
fn compile(links: &[Link], mut problems: Vec<Problem>) -> Result<TelemetryCaptureConfiguration, ConfigError> {
    let (merged, origins) = merge(links);
    let spec = file::into_spec(merged)?;
    match TelemetryCaptureConfiguration::from_spec(spec) {
        Ok(config) if problems.is_empty() => Ok(config),
        Ok(_) => Err(ConfigError::new(problems)),
        Err(err) => {
            problems.extend(err.problems().iter().map(|p| origins.locate(p.clone(), links)));
            Err(ConfigError::new(problems))
        }
    }
}

/// Base first: lists are joined without duplicates, booleans and each limit
/// taken from the last file that sets them. A lone file is kept as written.
fn merge(links: &[Link]) -> (Map<String, Value>, Origins) {
    let mut merged = Map::new();
    let mut origins = Origins::default();
    for (index, link) in links.iter().enumerate().rev() {
        for (key, value) in &link.settings {
            match (key.as_str(), value) {
                ("limits", Value::Object(limits)) => {
                    let into = merged.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
                    for (limit, value) in limits {
                        into[limit.as_str()] = value.clone();
                        origins.limits.insert(limit.clone(), index);
                    }
                }
                (_, Value::Array(items)) => {
                    let Value::Array(into) = merged.entry(key.clone()).or_insert_with(|| Value::Array(Vec::new()))
                    else {
                        continue;
                    };
                    let from = origins.lists.entry(key.clone()).or_default();
                    for (at, item) in items.iter().enumerate() {
                        if links.len() == 1 || !into.contains(item) {
                            into.push(item.clone());
                            from.push((index, at));
                        }
                    }
                }
                _ => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
    }
    (merged, origins)
}

impl Origins {
    /// `allowed_field_kinds[3]` of the merged spec as the file that wrote
    /// it: `allowed_field_kinds[1]` in the base.
    fn locate(&self, problem: Problem, links: &[Link]) -> Problem {
        if let Some(limit) = problem.location.strip_prefix("limits.") {
            return match self.limits.get(limit) {
                Some(&index) => in_link(problem, links, index),
                None => problem,
            };
        }
        let Some((key, rest)) = problem.location.split_once('[') else {
            return problem;
        };
        let Some((at, rest)) = rest.split_once(']') else {
            return problem;
        };
        let origin = at
            .parse::<usize>()
            .ok()
            .and_then(|at| self.lists.get(key)?.get(at).copied());
        match origin {
            Some((index, at)) => {
                let location = format!("{key}[{at}]{rest}");
                in_link(Problem { location, ..problem }, links, index)
            }
            None => problem,
        }
    }
}

/// Names the file of link `index` on `problem` (none for the top file,
/// which the error names).
fn in_link(problem: Problem, links: &[Link], index: usize) -> Problem {
    tag(problem, index, &links[index].shown)
}

fn tag(problem: Problem, index: usize, shown: &str) -> Problem {
    if index == 0 { problem } else { problem.in_file(shown) }
}
