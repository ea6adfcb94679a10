//! One string input, captured with value scrubbing on and off: what the
//! second line of defence costs on a string field. Both variants call the
//! same method; the driver installs the configuration the variant names.

use std::hint::black_box;

use caci_core::{TelemetryCaptureConfiguration, component};

/// A string-input method as the benches call it.
pub type Method = fn(&str);

/// The note every variant passes: an ordinary sentence, long enough for
/// every detector's pre-scan to look at it.
pub const NOTE: &str = "order 7 shipped from the Montreal warehouse";

/// The component whose method takes the string.
#[derive(Clone, Copy, Debug, Default)]
pub struct Notes;

#[component]
impl Notes {
    /// Span `Notes.record`: `note`, then `outcome` and `duration_ns`.
    #[inline(never)]
    pub fn record(&self, note: &str) {
        black_box(note);
    }
}

fn component(note: &str) {
    Notes.record(note);
}

/// The variants: the same method under the configuration its name says.
pub const VARIANTS: &[(&str, Method)] = &[("scrubbed", component), ("unscrubbed", component)];

/// The configuration for `variant`: `note` allowed, scrubbing on unless
/// the variant is `unscrubbed`.
pub fn configuration(variant: &str) -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_field("note")
        .scrub_values(variant != "unscrubbed")
        .build()
        .expect("a valid benchmark configuration")
}
