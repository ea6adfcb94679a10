//! Adding `caci-core` to the crate's `[dependencies]`, as `cargo add` does:
//! the file keeps its formatting and comments (toml_edit), and a sorted
//! table stays sorted.
//!
//! The crates are not on crates.io yet, so the line depends on what is known:
//!
//! | known | line |
//! |---|---|
//! | the workspace's `[workspace.dependencies]` has `caci-core` | `caci-core = { workspace = true }` |
//! | `--caci-path DIR` (a CACI checkout) | `caci-core = { path = "<relative>/caci-core" }` |
//! | `--caci-git URL` | `caci-core = { git = "URL" }` |
//! | a checkout above the crate, or the one `cargo-caci` was installed from | a path, as above |
//! | nothing | `caci-core = "0.1"` (resolves once published; a note says so) |

use std::path::{Component, Path, PathBuf};

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

/// Where `caci-core` comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A CACI checkout (the directory holding `caci-core/`).
    Checkout(PathBuf),
    /// A git repository.
    Git(String),
    /// A version requirement on crates.io.
    Version(String),
    /// The workspace's own `[workspace.dependencies]` entry.
    Workspace,
}

impl Source {
    /// The source for a crate at `crate_dir`: the given checkout or git
    /// address, else a checkout above the crate or the one this binary was
    /// built from, else `"0.1"`.
    pub fn pick(crate_dir: &Path, checkout: Option<&Path>, git: Option<&str>) -> Source {
        Source::pick_in(crate_dir, None, checkout, git)
    }

    /// As [`Source::pick`], but first the workspace's `[workspace.dependencies]`
    /// entry, when the root manifest (`workspace_manifest`, its text) has one.
    pub fn pick_in(
        crate_dir: &Path,
        workspace_manifest: Option<&str>,
        checkout: Option<&Path>,
        git: Option<&str>,
    ) -> Source {
        let declared = workspace_manifest
            .and_then(|text| text.parse::<DocumentMut>().ok())
            .is_some_and(|document| {
                document
                    .get("workspace")
                    .and_then(|workspace| workspace.get("dependencies"))
                    .and_then(|dependencies| dependencies.get("caci-core"))
                    .is_some()
            });
        if declared {
            return Source::Workspace;
        }
        if let Some(checkout) = checkout {
            return Source::Checkout(checkout.to_path_buf());
        }
        if let Some(git) = git {
            return Source::Git(git.to_owned());
        }
        let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf);
        crate_dir
            .ancestors()
            .map(Path::to_path_buf)
            .chain(built_from)
            .find(|dir| dir.join("caci-core").join("Cargo.toml").is_file())
            .map_or_else(|| Source::Version("0.1".to_owned()), Source::Checkout)
    }
}

/// What [`add_dependency`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Added {
    /// `caci-core` was there already.
    Present,
    /// Added, with this line.
    Line(String),
}

/// `manifest` with `caci-core` in `[dependencies]`, and what was done.
///
/// ```
/// use cargo_caci::manifest::{Added, Source, add_dependency};
///
/// let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nanyhow = \"1\" # errors\nuuid = \"1\"\n";
/// let (text, added) = add_dependency(manifest, "/work/x".as_ref(), &Source::Version("0.1".into())).unwrap();
/// assert_eq!(added, Added::Line("caci-core = \"0.1\"".into()));
/// assert!(text.contains("anyhow = \"1\" # errors\ncaci-core = \"0.1\"\nuuid = \"1\"\n"));
/// ```
pub fn add_dependency(manifest: &str, crate_dir: &Path, source: &Source) -> Result<(String, Added), String> {
    let mut document: DocumentMut = manifest.parse().map_err(|error| format!("Cargo.toml: {error}"))?;
    if has_caci_core(&document) {
        return Ok((manifest.to_owned(), Added::Present));
    }
    let value = match source {
        Source::Version(version) => Value::from(version.as_str()),
        Source::Workspace => {
            let mut table = InlineTable::new();
            table.insert("workspace", Value::from(true));
            Value::InlineTable(table)
        }
        Source::Git(url) => {
            let mut table = InlineTable::new();
            table.insert("git", Value::from(url.as_str()));
            Value::InlineTable(table)
        }
        Source::Checkout(checkout) => {
            let target = checkout.join("caci-core");
            let path = relative(crate_dir, &target).unwrap_or(target);
            let mut table = InlineTable::new();
            table.insert("path", Value::from(path.to_string_lossy().replace('\\', "/")));
            Value::InlineTable(table)
        }
    };
    if !document.contains_key("dependencies") {
        document.insert("dependencies", Item::Table(Table::new()));
    }
    let Some(table) = document["dependencies"].as_table_mut() else {
        return Err("Cargo.toml: `dependencies` is not a table".to_owned());
    };
    let keys: Vec<String> = table.iter().map(|(key, _)| key.to_owned()).collect();
    let sorted = keys.windows(2).all(|pair| pair[0] <= pair[1]);
    table.insert("caci-core", Item::Value(value));
    if sorted {
        table.sort_values();
    }
    let line = format!("caci-core = {}", table["caci-core"].to_string().trim());
    Ok((document.to_string(), Added::Line(line)))
}

fn has_caci_core(document: &DocumentMut) -> bool {
    let Some(table) = document.get("dependencies").and_then(Item::as_table_like) else {
        return false;
    };
    table.iter().any(|(key, item)| {
        key == "caci-core"
            || item
                .as_table_like()
                .and_then(|dep| dep.get("package"))
                .and_then(Item::as_str)
                == Some("caci-core")
    })
}

/// `target` relative to `base`, both made absolute and normalised as
/// written (symbolic links are kept, so `../caci` stays `../caci`).
fn relative(base: &Path, target: &Path) -> Option<PathBuf> {
    let (base, target) = (std::path::absolute(base).ok()?, std::path::absolute(target).ok()?);
    let (base, target) = (normalised(&base), normalised(&target));
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..base.len() {
        path.push("..");
    }
    for component in &target[common..] {
        path.push(component);
    }
    Some(path)
}

/// The path's components with `.` dropped and `..` applied.
fn normalised(path: &Path) -> Vec<Component<'_>> {
    let mut components = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(components.last(), Some(Component::Normal(_))) => {
                components.pop();
            }
            other => components.push(other),
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(manifest: &str, source: &Source) -> (String, Added) {
        add_dependency(manifest, Path::new("/nonexistent"), source).unwrap()
    }

    #[test]
    fn an_unsorted_table_gets_the_line_at_its_end_and_keeps_its_comments() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\n# the web\ntokio = \"1\"\naxum = \"0.8\"  # routes\n\n[dev-dependencies]\n";
        let (text, _) = add(manifest, &Source::Git("https://example.invalid/caci".into()));
        assert_eq!(
            text,
            "[package]\nname = \"x\"\n\n[dependencies]\n# the web\ntokio = \"1\"\naxum = \"0.8\"  # routes\n\
             caci-core = { git = \"https://example.invalid/caci\" }\n\n[dev-dependencies]\n"
        );
    }

    #[test]
    fn a_workspace_that_declares_caci_core_is_followed() {
        let root = "[workspace]\nmembers = [\"billing\"]\n\n[workspace.dependencies]\ncaci-core = { path = \"../caci/caci-core\" }\n";
        let here = Path::new("/nonexistent");
        assert_eq!(Source::pick_in(here, Some(root), Some(here), None), Source::Workspace);
        assert_ne!(
            Source::pick_in(here, Some("[workspace]\n"), None, Some("x")),
            Source::Workspace
        );
        let (text, _) = add("[dependencies]\n", &Source::Workspace);
        assert_eq!(text, "[dependencies]\ncaci-core = { workspace = true }\n");
    }

    #[test]
    fn a_missing_table_is_made_and_a_present_dependency_left_alone() {
        let (text, added) = add("[package]\nname = \"x\"\n", &Source::Version("0.1".into()));
        assert_eq!(text, "[package]\nname = \"x\"\n\n[dependencies]\ncaci-core = \"0.1\"\n");
        assert_eq!(added, Added::Line("caci-core = \"0.1\"".into()));
        for present in [
            "[dependencies]\ncaci-core.workspace = true\n",
            "[dependencies]\ncaci = { package = \"caci-core\", path = \"../caci-core\" }\n",
        ] {
            assert_eq!(
                add(present, &Source::Version("0.1".into())),
                (present.to_owned(), Added::Present)
            );
        }
    }

    #[test]
    fn a_checkout_is_depended_on_by_a_relative_path() {
        let root = std::env::temp_dir().join(format!("caci-manifest-{}", std::process::id()));
        let service = root.join("services").join("billing");
        std::fs::create_dir_all(&service).unwrap();
        std::fs::create_dir_all(root.join("caci").join("caci-core")).unwrap();
        let (text, _) = add_dependency("[dependencies]\n", &service, &Source::Checkout(root.join("caci"))).unwrap();
        assert_eq!(
            text,
            "[dependencies]\ncaci-core = { path = \"../../caci/caci-core\" }\n"
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn the_source_is_the_option_given_else_a_checkout_found() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(
            Source::pick(here, None, Some("https://x.invalid/caci")),
            Source::Git("https://x.invalid/caci".into())
        );
        let workspace = here.parent().unwrap().to_path_buf();
        assert_eq!(
            Source::pick(here, None, None),
            Source::Checkout(workspace.clone()),
            "the checkout above"
        );
        assert_eq!(
            Source::pick(here, Some(&workspace), Some("x")),
            Source::Checkout(workspace)
        );
    }
}
