//! TEMPORARY STUB (replaced by the real module).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scrubbed {
    Email,
}
impl Scrubbed {
    pub(crate) const fn marker(self) -> &'static str {
        "[redacted: email]"
    }
}
pub(crate) fn scrub(value: &str) -> Option<Scrubbed> {
    value.contains('@').then_some(Scrubbed::Email)
}
