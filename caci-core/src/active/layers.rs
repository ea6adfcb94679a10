//! What is in force for the process: the installed configuration, less its
//! scopes whose `ttl` ran out, widened by each live `install_for`. A timer
//! thread puts the narrower configuration back when one runs out, so call
//! sites never read a clock: they see a new configuration identity, as after
//! any install.

use std::sync::{Condvar, Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use super::log::{self, Why};
use crate::config::{ConfigError, ScopeSpec, TelemetryCaptureConfiguration};
use crate::rules::current;

pub(crate) struct Layers {
    /// The configuration `install` put in force last.
    base: Option<TelemetryCaptureConfiguration>,
    /// When each of the base's scopes with a `ttl` ends, counted from the
    /// first install that had it; `true` once it has ended.
    scope_ends: Vec<(ScopeSpec, Instant, bool)>,
    widenings: Vec<Live>,
    next_token: u64,
    /// What was put in force last, to log what changes.
    in_force: Option<TelemetryCaptureConfiguration>,
}

struct Live {
    token: u64,
    config: TelemetryCaptureConfiguration,
    until: Instant,
}

static LAYERS: Mutex<Layers> = Mutex::new(Layers {
    base: None,
    scope_ends: Vec::new(),
    widenings: Vec::new(),
    next_token: 1,
    in_force: None,
});
static WAKE: Condvar = Condvar::new();
static TIMER: Once = Once::new();

pub(crate) fn lock() -> MutexGuard<'static, Layers> {
    LAYERS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Layers {
    /// Replaces the base; returns the previous one.
    pub(crate) fn install(&mut self, config: TelemetryCaptureConfiguration) -> Option<TelemetryCaptureConfiguration> {
        let now = Instant::now();
        let mut ends = Vec::new();
        for scope in &config.spec().scopes {
            let Some(ttl) = config.scope_ttl(scope) else { continue };
            let known = self.scope_ends.iter().find(|(known, ..)| known == scope);
            ends.push(known.cloned().unwrap_or_else(|| (scope.clone(), now + ttl, false)));
        }
        self.scope_ends = ends;
        let previous = self.base.replace(config);
        // A widening that cannot stand with the new base ends: the base
        // itself is always valid.
        while let Err(err) = self.apply(Why::Install) {
            let Some(dropped) = self.widenings.pop() else { break };
            tracing::warn!(
                target: "caci",
                widening = %dropped.config.id(),
                "CACI widening ended: it conflicts with the configuration installed: {err}"
            );
        }
        self.wake_timer();
        previous
    }

    /// Adds a widening for `ttl`; refused when it conflicts with the base.
    pub(crate) fn widen(&mut self, config: TelemetryCaptureConfiguration, ttl: Duration) -> Result<u64, ConfigError> {
        let token = self.next_token;
        self.next_token += 1;
        let until = Instant::now().checked_add(ttl).unwrap_or_else(far_future);
        self.widenings.push(Live { token, config, until });
        if let Err(err) = self.apply(Why::Widening(ttl)) {
            self.widenings.pop();
            return Err(err);
        }
        self.wake_timer();
        Ok(token)
    }

    /// Ends the widening `token` early; `false` when it already ended.
    pub(crate) fn end(&mut self, token: u64) -> bool {
        let before = self.widenings.len();
        self.widenings.retain(|live| live.token != token);
        let ended = self.widenings.len() != before;
        if ended {
            // Narrowing only removes allowances: it always compiles.
            let _ = self.apply(Why::Ended);
        }
        ended
    }

    /// Whether the widening `token` is still in force.
    pub(crate) fn is_live(&self, token: u64) -> bool {
        self.widenings.iter().any(|live| live.token == token)
    }

    /// Computes what is in force now and installs it, logging the change.
    fn apply(&mut self, why: Why) -> Result<(), ConfigError> {
        let mut spec = self.base.as_ref().map(|base| base.spec().clone()).unwrap_or_default();
        spec.scopes
            .retain(|scope| !self.scope_ends.iter().any(|(ended, _, done)| *done && ended == scope));
        for live in &self.widenings {
            spec = spec.widened_by(live.config.spec());
        }
        let config = match &self.base {
            Some(base) if base.spec() == &spec => base.clone(),
            _ => TelemetryCaptureConfiguration::from_spec(spec)?,
        };
        current::install(std::sync::Arc::clone(&config.rules));
        crate::site::reopen_gates();
        log::changed(self.in_force.as_ref(), &config, why);
        self.in_force = Some(config);
        Ok(())
    }

    /// The next moment something runs out.
    fn next_end(&self) -> Option<Instant> {
        let widenings = self.widenings.iter().map(|live| live.until);
        let scopes = self
            .scope_ends
            .iter()
            .filter(|(_, _, done)| !done)
            .map(|(_, at, _)| *at);
        widenings.chain(scopes).min()
    }

    /// Ends what ran out by `now`; whether anything did.
    fn expire(&mut self, now: Instant) -> bool {
        let before = self.widenings.len();
        self.widenings.retain(|live| live.until > now);
        let mut expired = self.widenings.len() != before;
        for (_, at, done) in &mut self.scope_ends {
            if !*done && *at <= now {
                *done = true;
                expired = true;
            }
        }
        expired
    }

    fn wake_timer(&self) {
        if self.next_end().is_some() {
            TIMER.call_once(|| {
                std::thread::Builder::new()
                    .name("caci-expiry".into())
                    .spawn(run_timer)
                    .expect("CACI's expiry thread starts");
            });
            WAKE.notify_all();
        }
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600)
}

/// Sleeps until the next end, then puts the narrower configuration in force.
fn run_timer() {
    let mut layers = lock();
    loop {
        let now = Instant::now();
        match layers.next_end() {
            None => layers = WAKE.wait(layers).unwrap_or_else(|poisoned| poisoned.into_inner()),
            Some(at) if at > now => {
                layers = WAKE
                    .wait_timeout(layers, at - now)
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .0;
            }
            Some(_) => {
                if layers.expire(now) {
                    // Narrowing only removes allowances: it always compiles.
                    let _ = layers.apply(Why::Expiry);
                }
            }
        }
    }
}
