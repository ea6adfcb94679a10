//! Leak checks: nothing sensitive anywhere in what was captured.

use caci_core::config::deny::DenyList;

use crate::captured::Captured;

impl Captured {
    /// Asserts that `raw` (an email, a card number…) appears nowhere in
    /// anything captured: span and event names, field names and values.
    ///
    /// ```
    /// use caci_core::{Level, TelemetryCaptureConfiguration};
    ///
    /// let create = || {
    ///     let _span = caci_core::span!(Level::INFO, "Users.create", plan = "PRO", email = "ada@example.com").entered();
    /// };
    /// let safe = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&safe, create);
    /// captured.assert_never_contains("ada@example.com");
    ///
    /// // A configuration that lets the email through fails the check.
    /// let leaky = TelemetryCaptureConfiguration::builder()
    ///     .allow_fields(["plan", "email"])
    ///     .remove_from_deny_floor("email")
    ///     .scrub_values(false)
    ///     .build()
    ///     .unwrap();
    /// let ((), captured) = caci_testkit::capture(&leaky, create);
    /// let caught = std::panic::catch_unwind(|| {
    ///     captured.assert_never_contains("ada@example.com");
    /// });
    /// assert!(caught.is_err());
    /// ```
    #[track_caller]
    pub fn assert_never_contains(&self, raw: &str) -> &Self {
        for span in &self.spans {
            let hit = span.name.contains(raw)
                || span
                    .fields
                    .iter()
                    .any(|(name, value)| name.contains(raw) || value.as_text().contains(raw));
            if hit {
                panic!("`{raw}` was captured, in span:\n  {span}");
            }
        }
        for event in &self.events {
            if event.name.contains(raw)
                || event
                    .fields
                    .iter()
                    .any(|(name, value)| name.contains(raw) || value.as_text().contains(raw))
            {
                panic!("`{raw}` was captured, in an event `{}`: {:?}", event.name, event.fields);
            }
        }
        self
    }

    /// Asserts that no captured field name, of a span or of an event, has a
    /// segment on `deny` (use `DenyList::floor()` for the built-in floor).
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// use caci_core::config::deny::DenyList;
    /// let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "password"]).remove_from_deny_floor("password").build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _span = caci_core::span!(Level::INFO, "Users.create", plan = "PRO").entered();
    /// });
    /// captured.assert_no_denied_fields(&DenyList::floor());
    /// ```
    #[track_caller]
    pub fn assert_no_denied_fields(&self, deny: &DenyList) -> &Self {
        for span in &self.spans {
            for (name, value) in &span.fields {
                if let Some(segment) = name.split('.').find(|segment| deny.is_denied(segment)) {
                    panic!(
                        "span `{}` carries `{name}` = {value}, and `{segment}` is denied",
                        span.name
                    );
                }
            }
        }
        for event in &self.events {
            for (name, value) in &event.fields {
                if let Some(segment) = name.split('.').find(|segment| deny.is_denied(segment)) {
                    panic!(
                        "event `{}` carries `{name}` = {value}, and `{segment}` is denied",
                        event.name
                    );
                }
            }
        }
        self
    }
}
