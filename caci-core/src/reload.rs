//! Reloading the configuration from its file, during an incident: edit the
//! file (or the ConfigMap), and the new configuration is in force without a
//! restart. Cargo feature `reload`.
//!
//! ```no_run
//! // In `main`: load and install the file now, and again whenever it, or a
//! // base file it `extends`, changes; also on SIGHUP.
//! let _reload = caci_core::reload::Watch::new("/etc/my-service/caci.toml")
//!     .sighup(true)
//!     .start()
//!     .expect("a valid CACI configuration");
//! // ... run the service; dropping `_reload` stops watching.
//! ```
//!
//! The watcher watches the *directories* of the files, not the files, and
//! re-reads on any change in them: this survives editors that save by
//! writing a new file and renaming it over the old one, and Kubernetes
//! ConfigMap volumes, whose files are symlinks into a `..data` symlink that
//! is replaced at once. Changes are gathered for a moment (the
//! [`debounce`](Watch::debounce)) before the file is read. A file with
//! problems is not installed: the configuration in force is kept and one
//! `tracing` error (target `caci`) lists every problem. A file whose content
//! describes the configuration this watcher installed last is not
//! reinstalled.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::{ConfigError, ConfigSpec, load};

/// Watches `path` with the defaults of [`Watch`]: files watched, no SIGHUP.
///
/// ```no_run
/// let _reload = caci_core::reload::watch("/etc/my-service/caci.toml")?;
/// # Ok::<(), caci_core::config::ConfigError>(())
/// ```
pub fn watch(path: impl Into<PathBuf>) -> Result<ReloadGuard, ConfigError> {
    Watch::new(path).start()
}

/// How to watch a configuration file; [`start`](Self::start) starts it.
///
/// ```no_run
/// use std::time::Duration;
///
/// let reload = caci_core::reload::Watch::new("/etc/my-service/caci.toml")
///     .sighup(true) // `kill -HUP <pid>` re-reads the file
///     .debounce(Duration::from_millis(200))
///     .start()?;
/// println!("{:?}", reload.stats());
/// # Ok::<(), caci_core::config::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "call `.start()` to watch the file"]
pub struct Watch {
    path: PathBuf,
    files: bool,
    #[cfg_attr(not(unix), allow(dead_code))]
    sighup: bool,
    debounce: Duration,
}

impl Watch {
    /// Watches the configuration file at `path` (JSON or TOML, as
    /// [`from_path`](crate::TelemetryCaptureConfiguration::from_path) reads it).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Watch {
            path: path.into(),
            files: true,
            sighup: false,
            debounce: Duration::from_millis(100),
        }
    }

    /// Whether changes to the files re-read them. On by default; off, only
    /// SIGHUP does.
    pub fn files(mut self, watch: bool) -> Self {
        self.files = watch;
        self
    }

    /// Whether SIGHUP re-reads the file. Off by default; on Unix only (it
    /// does nothing elsewhere). While the guard lives, SIGHUP no longer ends
    /// the process.
    pub fn sighup(mut self, sighup: bool) -> Self {
        self.sighup = sighup;
        self
    }

    /// How long to wait after a change for more changes before reading
    /// (100 ms by default): a save is often several events.
    pub fn debounce(mut self, quiet: Duration) -> Self {
        self.debounce = quiet;
        self
    }

    /// Loads and installs the file, then watches it. A file with problems,
    /// or one that cannot be watched, is an error and nothing is installed.
    pub fn start(self) -> Result<ReloadGuard, ConfigError> {
        let shown = self.path.display().to_string();
        let cannot = |what: &str, err: &dyn std::fmt::Display| {
            ConfigError::single("file", format!("cannot {what}: {err}")).in_source(&shown)
        };
        let loaded = load(&self.path);
        let config = loaded.result?;
        let (sender, receiver) = mpsc::channel();
        let mut worker = Worker {
            path: self.path,
            installed: config.spec().clone(),
            last_error: None,
            watcher: None,
            watched: BTreeSet::new(),
            stats: Arc::default(),
        };
        if self.files {
            let events = sender.clone();
            let watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
                if event.as_ref().map_or(true, |event| is_change(&event.kind)) {
                    let _ = events.send(Message::Changed);
                }
            })
            .map_err(|err| cannot("watch it", &err))?;
            worker.watcher = Some(watcher);
            worker.watch_directories(&loaded.files);
            if worker.watched.is_empty() {
                return Err(cannot("watch its directory", &"not found"));
            }
        }
        #[cfg(unix)]
        let signals = match self.sighup {
            true => Some(SighupForwarder::start(sender.clone()).map_err(|err| cannot("handle SIGHUP", &err))?),
            false => None,
        };
        crate::install(config);
        let stats = Arc::clone(&worker.stats);
        let debounce = self.debounce;
        let thread = std::thread::Builder::new()
            .name("caci-reload".to_owned())
            .spawn(move || worker.run(&receiver, debounce))
            .map_err(|err| cannot("start the watching thread", &err))?;
        Ok(ReloadGuard {
            stop: sender,
            thread: Some(thread),
            #[cfg(unix)]
            signals,
            stats,
        })
    }
}

/// Watching a configuration file; dropping it stops watching (and handling
/// SIGHUP) and waits for the watching thread to end. The configuration in
/// force stays.
#[derive(Debug)]
#[must_use = "dropping the guard stops watching"]
pub struct ReloadGuard {
    stop: Sender<Message>,
    thread: Option<JoinHandle<()>>,
    #[cfg(unix)]
    signals: Option<SighupForwarder>,
    stats: Arc<Counters>,
}

/// What a watcher did since it started, for health checks and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReloadStats {
    /// Times the files were read after the first.
    pub checks: u64,
    /// Changed configurations installed after the first.
    pub reloads: u64,
    /// Reads that found problems (the configuration in force was kept).
    pub failures: u64,
}

impl ReloadGuard {
    /// What the watcher did so far.
    pub fn stats(&self) -> ReloadStats {
        ReloadStats {
            checks: self.stats.checks.load(Ordering::Acquire),
            reloads: self.stats.reloads.load(Ordering::Acquire),
            failures: self.stats.failures.load(Ordering::Acquire),
        }
    }
}

impl Drop for ReloadGuard {
    fn drop(&mut self) {
        #[cfg(unix)]
        drop(self.signals.take());
        let _ = self.stop.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    checks: AtomicU64,
    reloads: AtomicU64,
    failures: AtomicU64,
}

enum Message {
    Changed,
    Stop,
}

/// Opening and reading a file is no change (and the watcher reads them).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The watching thread's state.
struct Worker {
    path: PathBuf,
    installed: ConfigSpec,
    last_error: Option<ConfigError>,
    watcher: Option<RecommendedWatcher>,
    watched: BTreeSet<PathBuf>,
    stats: Arc<Counters>,
}

impl Worker {
    fn run(mut self, receiver: &Receiver<Message>, debounce: Duration) {
        while let Ok(Message::Changed) = receiver.recv() {
            loop {
                match receiver.recv_timeout(debounce) {
                    Ok(Message::Changed) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            self.check();
        }
    }

    fn check(&mut self) {
        let loaded = load(&self.path);
        self.watch_directories(&loaded.files);
        match loaded.result {
            Ok(config) => {
                self.last_error = None;
                if *config.spec() != self.installed {
                    self.installed = config.spec().clone();
                    crate::install(config);
                    self.stats.reloads.fetch_add(1, Ordering::AcqRel);
                }
            }
            Err(err) => {
                if self.last_error.as_ref() != Some(&err) {
                    tracing::error!(
                        target: "caci",
                        file = %self.path.display(),
                        problems = err.problems().len(),
                        "the CACI configuration file was not reloaded, the configuration in force is kept: {err}"
                    );
                }
                self.last_error = Some(err);
                self.stats.failures.fetch_add(1, Ordering::AcqRel);
            }
        }
        self.stats.checks.fetch_add(1, Ordering::AcqRel);
    }

    /// Watches the directories of `files` (and those their symlinks point
    /// into), and no others; one that cannot be watched yet is tried again
    /// on the next read.
    fn watch_directories(&mut self, files: &[PathBuf]) {
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        let mut wanted = BTreeSet::new();
        for file in files {
            wanted.insert(directory_of(file));
            if let Ok(target) = std::fs::canonicalize(file) {
                wanted.insert(directory_of(&target));
            }
        }
        for gone in self.watched.difference(&wanted) {
            let _ = watcher.unwatch(gone);
        }
        self.watched.retain(|dir| wanted.contains(dir));
        for dir in wanted {
            if !self.watched.contains(&dir) && watcher.watch(&dir, RecursiveMode::NonRecursive).is_ok() {
                self.watched.insert(dir);
            }
        }
    }
}

fn directory_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Turns each SIGHUP into a re-read, on a thread of its own; dropping it
/// unregisters the handler and ends the thread.
#[cfg(unix)]
struct SighupForwarder {
    handle: signal_hook::iterator::Handle,
    thread: Option<JoinHandle<()>>,
}

#[cfg(unix)]
impl SighupForwarder {
    fn start(sender: Sender<Message>) -> std::io::Result<Self> {
        let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGHUP])?;
        let handle = signals.handle();
        let thread = std::thread::Builder::new()
            .name("caci-reload-sighup".to_owned())
            .spawn(move || {
                for _ in signals.forever() {
                    if sender.send(Message::Changed).is_err() {
                        break;
                    }
                }
            })?;
        Ok(SighupForwarder {
            handle,
            thread: Some(thread),
        })
    }
}

#[cfg(unix)]
impl std::fmt::Debug for SighupForwarder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SighupForwarder")
    }
}

#[cfg(unix)]
impl Drop for SighupForwarder {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
