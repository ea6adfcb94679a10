//! The crate to instrument, from `cargo metadata`: its directory, name,
//! manifest and target roots.

use std::path::{Path, PathBuf};

use cargo_metadata::{MetadataCommand, TargetKind};

/// One package of the workspace.
#[derive(Clone, Debug)]
pub struct Project {
    /// The package's name.
    pub name: String,
    /// The directory holding its `Cargo.toml`.
    pub dir: PathBuf,
    /// Its library's crate name (`-` as `_`), how types are named at run time.
    pub crate_name: String,
    /// Its library and binary roots, relative to `dir`.
    pub roots: Vec<PathBuf>,
    /// The workspace's root directory (`dir` for a crate on its own).
    pub workspace_root: PathBuf,
}

/// The package to instrument: `package` when given, else the one whose
/// directory is (or holds) `cwd` (or `manifest_path`'s directory), else the
/// workspace's only package.
pub fn find(cwd: &Path, manifest_path: Option<&Path>, package: Option<&str>) -> Result<Project, String> {
    let mut command = MetadataCommand::new();
    command.no_deps().current_dir(cwd);
    if let Some(manifest_path) = manifest_path {
        command.manifest_path(manifest_path);
    }
    let metadata = command
        .exec()
        .map_err(|error| format!("cargo metadata failed: {error}"))?;
    let members: Vec<&cargo_metadata::Package> = metadata.workspace_packages();
    // The package is looked for where the manifest is, when one is given.
    let start = manifest_path
        .map(|path| cwd.join(path).parent().map(Path::to_path_buf).unwrap_or_default())
        .unwrap_or_else(|| cwd.to_path_buf());
    let cwd = std::fs::canonicalize(&start).unwrap_or(start);
    let chosen = match package {
        Some(name) => members
            .iter()
            .find(|member| member.name.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = members.iter().map(|member| member.name.as_str()).collect();
                format!(
                    "no package `{name}` in the workspace (its packages: {})",
                    names.join(", ")
                )
            })?,
        None => members
            .iter()
            .filter(|member| member.manifest_path.parent().is_some_and(|dir| cwd.starts_with(dir)))
            .max_by_key(|member| member.manifest_path.as_str().len())
            .or(if members.len() == 1 { members.first() } else { None })
            .ok_or_else(|| {
                let names: Vec<&str> = members.iter().map(|member| member.name.as_str()).collect();
                format!("several packages here: pick one with --package ({})", names.join(", "))
            })?,
    };
    let dir: PathBuf = chosen
        .manifest_path
        .parent()
        .map(|dir| dir.as_std_path().to_path_buf())
        .unwrap_or_default();
    let mut roots = Vec::new();
    let mut crate_name = chosen.name.replace('-', "_");
    for target in &chosen.targets {
        let library = target
            .kind
            .iter()
            .any(|kind| matches!(kind, TargetKind::Lib | TargetKind::RLib));
        let binary = target.kind.contains(&TargetKind::Bin);
        if !(library || binary) {
            continue;
        }
        if library {
            crate_name = target.name.replace('-', "_");
        }
        let path = target.src_path.as_std_path();
        roots.push(path.strip_prefix(&dir).unwrap_or(path).to_path_buf());
    }
    Ok(Project {
        name: chosen.name.to_string(),
        dir,
        crate_name,
        roots,
        workspace_root: metadata.workspace_root.as_std_path().to_path_buf(),
    })
}
