//! Shared by the integration tests: copies of fixtures under the target
//! directory, `init` run on them, and cargo run on the result.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use cargo_caci::init::{Options, Report, run};

/// The CACI workspace this crate is in.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A fresh directory under the target directory (`target/tmp/caci-init/…`).
pub fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static CLEAN: std::sync::Once = std::sync::Once::new();
    CLEAN.call_once(remove_stale);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("caci-init").join(format!(
        "{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Removes the scratch directories of test processes that have ended
/// (`<name>-<pid>-<n>`; the shared `target` stays), where `/proc` tells.
fn remove_stale() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("caci-init");
    let (Ok(entries), true) = (std::fs::read_dir(&root), Path::new("/proc/self").exists()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name.rsplit('-').nth(1).and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A copy of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    let dir = scratch(name);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name),
        &dir,
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A crate made of `files` (path, text); a `Cargo.toml` is written unless given.
pub fn crate_of(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    if !files.iter().any(|(path, _)| *path == "Cargo.toml") {
        write(
            &dir,
            "Cargo.toml",
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n\n[dependencies]\n"
            ),
        );
    }
    for (path, text) in files {
        write(&dir, path, text);
    }
    dir
}

/// Writes `text` at `dir/path`, making directories.
pub fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Reads `dir/path`.
pub fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap()
}

/// `init` at `dir` with the workspace as the CACI checkout.
pub fn init(dir: &Path) -> Report {
    init_with(dir, |_| {})
}

/// `init` at `dir`, options adjusted by `adjust`.
pub fn init_with(dir: &Path, adjust: impl FnOnce(&mut Options)) -> Report {
    let mut options = Options {
        dir: dir.to_path_buf(),
        caci_path: Some(workspace()),
        ..Options::default()
    };
    adjust(&mut options);
    run(&options).unwrap_or_else(|error| panic!("init failed: {error}"))
}

/// Every file under `dir` but `target`, with its text, sorted.
pub fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                collect(root, &path, files);
            }
        } else {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            files.push((relative, std::fs::read_to_string(&path).unwrap_or_default()));
        }
    }
}

/// `cargo <args>` in `dir`, offline, with the workspace's Cargo.lock and one
/// target directory shared by every fixture (under this workspace's target
/// directory), so the registry cache and the built dependencies are reused.
pub fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("caci-init").join("target");
    Command::new(env!("CARGO"))
        .arg(args[0])
        .arg("--offline")
        .args(&args[1..])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap()
}

/// The unified diffs from `before` to `after` (file trees), files in
/// `leave_out` left out.
pub fn diff_trees(before: &[(String, String)], after: &[(String, String)], leave_out: &[&str]) -> String {
    let mut out = String::new();
    for (path, text) in after {
        if leave_out.contains(&path.as_str()) {
            continue;
        }
        let old = before
            .iter()
            .find(|(old_path, _)| old_path == path)
            .map(|(_, text)| text.as_str());
        out.push_str(&cargo_caci::diff::unified(path, old, text));
    }
    out
}

/// Adds a test to the crate at `dir` that prints the real coverage report's
/// totals for its `caci.toml` (`CACI-COVERAGE captured leaves reachable`),
/// with caci-core's `coverage` feature as a dev-dependency. `anchor` is an
/// item of the crate, named so the crate (and its components) is linked.
pub fn add_coverage_probe(dir: &Path, anchor: &str) {
    let manifest = read(dir, "Cargo.toml");
    let mut document: toml_edit::DocumentMut = manifest.parse().unwrap();
    let path = document["dependencies"]["caci-core"]["path"]
        .as_str()
        .unwrap()
        .to_owned();
    if document.get("dev-dependencies").is_none() {
        document["dev-dependencies"] = toml_edit::table();
    }
    let mut dependency = toml_edit::InlineTable::new();
    dependency.insert("path", path.into());
    let mut features = toml_edit::Array::new();
    features.push("coverage");
    dependency.insert("features", toml_edit::Value::Array(features));
    document["dev-dependencies"]["caci-core"] = toml_edit::value(dependency);
    std::fs::write(dir.join("Cargo.toml"), document.to_string()).unwrap();
    write(
        dir,
        "tests/caci_coverage_probe.rs",
        &format!(
            "#[test]\nfn coverage_of_caci_toml() {{\n    let _ = {anchor};\n    \
             let config = caci_core::TelemetryCaptureConfiguration::from_path(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/caci.toml\")).unwrap();\n    \
             let totals = caci_core::coverage::CoverageReport::from_registry(&config).totals;\n    \
             println!(\"CACI-COVERAGE {{}} {{}} {{}}\", totals.captured, totals.leaves, totals.reachable());\n}}\n"
        ),
    );
}

/// The totals the probe printed: (captured, leaves, reachable).
pub fn probe_totals(stdout: &str) -> (usize, usize, usize) {
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix("CACI-COVERAGE "))
        .unwrap_or_else(|| panic!("no coverage line in:\n{stdout}"));
    let numbers: Vec<usize> = line.split(' ').map(|number| number.parse().unwrap()).collect();
    (numbers[0], numbers[1], numbers[2])
}
