//! `caci_core::reload`: a watched configuration file is re-installed when it
//! changes, however it is replaced. Each test installs process-wide, so they
//! run one at a time (and in this binary of their own). No test asserts a
//! timing: each waits for a condition, with a generous deadline.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use caci_core::TelemetryCaptureConfiguration;
use caci_core::reload::{ReloadGuard, ReloadStats, Watch};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits (up to 10 s) until `done` holds; says what was awaited if not.
#[track_caller]
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The names the installed configuration allows.
fn allowed() -> Vec<String> {
    caci_core::current_configuration().spec().allowed_field_names.clone()
}

fn names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
    format!("allowed_field_names = [{}]\n", quoted.join(", "))
}

/// Waits until the guard has reloaded `count` times and `expected` is in force.
#[track_caller]
fn wait_for_reload(guard: &ReloadGuard, count: u64, expected: &[&str]) {
    wait_for(&format!("reload {count} installing {expected:?}"), || {
        guard.stats().reloads >= count
    });
    assert_eq!(guard.stats().reloads, count, "{:?}", guard.stats());
    assert_eq!(allowed(), expected);
}

/// Replaces `path` as editors do: a new file, renamed over the old one.
fn rename_over(path: &Path, text: &str) {
    let temp = path.with_extension("toml.swp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

#[test]
fn a_rewritten_file_is_installed_and_unchanged_content_is_not() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caci.toml");
    std::fs::write(&path, names(&["plan"])).unwrap();
    let guard = caci_core::reload::watch(&path).unwrap();
    assert_eq!(allowed(), ["plan"], "installed at start");
    assert_eq!(guard.stats(), ReloadStats::default());

    std::fs::write(&path, names(&["plan", "country"])).unwrap();
    wait_for_reload(&guard, 1, &["plan", "country"]);

    // The same configuration, written differently, and a change beside it:
    // read again, not reinstalled.
    let checks = guard.stats().checks;
    std::fs::write(&path, "allowed_field_names = [ \"plan\", \"country\" ] # same\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "unrelated").unwrap();
    wait_for("a read of the unchanged file", || guard.stats().checks > checks);
    assert_eq!(guard.stats().reloads, 1, "{:?}", guard.stats());
    assert_eq!(guard.stats().failures, 0);
}

#[test]
fn a_file_renamed_over_the_old_one_is_installed() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caci.toml");
    std::fs::write(&path, names(&["plan"])).unwrap();
    let guard = caci_core::reload::watch(&path).unwrap();
    rename_over(&path, &names(&["status"]));
    wait_for_reload(&guard, 1, &["status"]);
    rename_over(&path, &names(&["status", "tier"]));
    wait_for_reload(&guard, 2, &["status", "tier"]);
}

/// A Kubernetes ConfigMap volume: `caci.toml -> ..data/caci.toml`, `..data ->
/// ..<timestamp>`, and an update swaps `..data` in one rename.
#[cfg(unix)]
#[test]
fn a_configmap_symlink_swap_is_installed() {
    use std::os::unix::fs::symlink;

    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let version = |name: &str, text: &str| {
        std::fs::create_dir(dir.path().join(name)).unwrap();
        std::fs::write(dir.path().join(name).join("caci.toml"), text).unwrap();
    };
    version("..2026_01_01_a", &names(&["plan"]));
    symlink("..2026_01_01_a", dir.path().join("..data")).unwrap();
    symlink("..data/caci.toml", dir.path().join("caci.toml")).unwrap();
    let guard = caci_core::reload::watch(dir.path().join("caci.toml")).unwrap();
    assert_eq!(allowed(), ["plan"]);

    for (count, (name, allowed)) in [("..2026_01_01_b", "status"), ("..2026_01_01_c", "tier")]
        .into_iter()
        .enumerate()
    {
        version(name, &names(&[allowed]));
        symlink(name, dir.path().join("..data_tmp")).unwrap();
        std::fs::rename(dir.path().join("..data_tmp"), dir.path().join("..data")).unwrap();
        wait_for_reload(&guard, count as u64 + 1, &[allowed]);
    }
}

#[test]
fn a_bad_file_keeps_the_configuration_and_logs_one_error_with_every_problem() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caci.toml");
    std::fs::write(&path, names(&["plan"])).unwrap();
    let bad = "allowed_field_kinds = [\"uuidd\"]\n[limits]\nmax_depth = 0\n";
    let (stats, captured) = caci_testkit::capture_all_threads(&TelemetryCaptureConfiguration::default(), || {
        let guard = caci_core::reload::watch(&path).unwrap();
        std::fs::write(&path, bad).unwrap();
        wait_for("a failed read", || guard.stats().failures >= 1);
        assert_eq!(allowed(), ["plan"], "the configuration in force is kept");
        // The same problems again are not logged again.
        std::fs::write(&path, format!("{bad}# still bad\n")).unwrap();
        wait_for("a second failed read", || guard.stats().failures >= 2);
        std::fs::write(&path, names(&["status"])).unwrap();
        wait_for_reload(&guard, 1, &["status"]);
        guard.stats()
    });
    assert_eq!(stats.failures, 2, "{stats:?}");
    let errors: Vec<_> = captured
        .events()
        .iter()
        .filter(|event| event.target == "caci" && event.level == tracing::Level::ERROR)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let message = errors[0]
        .fields
        .iter()
        .find(|(name, _)| name == "message")
        .map(|(_, value)| value.as_text())
        .expect("a message");
    for needle in [
        path.display().to_string().as_str(),
        "2 problems",
        "allowed_field_kinds[0]: unknown kind `uuidd`",
        "limits.max_depth: must be at least 1",
    ] {
        assert!(message.contains(needle), "{needle:?} is not in {message:?}");
    }
}

#[test]
fn a_bad_file_at_start_is_an_error_and_installs_nothing() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caci.toml");
    std::fs::write(&path, names(&["plan"])).unwrap();
    let first = caci_core::reload::watch(&path).unwrap();
    drop(first);
    std::fs::write(&path, "allowed_field_kinds = [\"uuidd\"]\n").unwrap();
    let err = caci_core::reload::watch(&path).unwrap_err();
    assert_eq!(err.source_name(), Some(path.display().to_string().as_str()));
    assert_eq!(allowed(), ["plan"]);
    let err = caci_core::reload::watch(dir.path().join("missing.toml")).unwrap_err();
    assert!(err.to_string().contains("cannot read it"), "{err}");
}

#[test]
fn a_changed_base_file_is_installed() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("org")).unwrap();
    std::fs::create_dir_all(dir.path().join("svc")).unwrap();
    let base = dir.path().join("org/caci-base.toml");
    std::fs::write(&base, names(&["plan"])).unwrap();
    let path = dir.path().join("svc/caci.toml");
    std::fs::write(
        &path,
        format!("extends = \"../org/caci-base.toml\"\n{}", names(&["status"])),
    )
    .unwrap();
    let guard = caci_core::reload::watch(&path).unwrap();
    assert_eq!(allowed(), ["plan", "status"]);
    rename_over(&base, &names(&["plan", "country"]));
    wait_for_reload(&guard, 1, &["plan", "country", "status"]);
}

#[cfg(unix)]
#[test]
fn sighup_re_reads_the_file() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caci.toml");
    std::fs::write(&path, names(&["plan"])).unwrap();
    // Files not watched: only the signal can have read the change.
    let guard = Watch::new(&path).files(false).sighup(true).start().unwrap();
    std::fs::write(&path, names(&["status"])).unwrap();
    signal_hook::low_level::raise(signal_hook::consts::SIGHUP).unwrap();
    wait_for_reload(&guard, 1, &["status"]);
}

#[test]
fn dropping_the_guard_stops_watching() {
    let _serial = serial();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caci.toml");
    std::fs::write(&path, names(&["plan"])).unwrap();
    let guard = Watch::new(&path).sighup(true).start().unwrap();
    let (dropped, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        drop(guard);
        dropped.send(()).unwrap();
    });
    done.recv_timeout(Duration::from_secs(10))
        .expect("dropping the guard ends its threads");
    std::fs::write(&path, names(&["status"])).unwrap();
    // A second watcher, started after the write, sees it; the first must not
    // have installed anything meanwhile (it would, a debounce after the write).
    let other = dir.path().join("other.toml");
    std::fs::write(&other, names(&["tier"])).unwrap();
    let second = caci_core::reload::watch(&other).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(allowed(), ["tier"]);
    drop(second);
}
