//! Assertions on one captured span. Each panics on the test thread, at the
//! caller's line, with the span as it was captured.

use crate::captured::CapturedSpan;
use crate::value::FieldValue;

impl CapturedSpan {
    /// Asserts that field `name` was recorded with a value matching
    /// `expected` (numeric-aware: `42` matches `i64` and `u64` alike).
    ///
    /// ```should_panic
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// # let config = TelemetryCaptureConfiguration::builder().allow_field("seats").build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _span = caci_core::span!(Level::INFO, "Seats.set", seats = 3u8).entered();
    /// });
    /// captured.span("Seats.set").assert_field("seats", 3); // passes: u8 3 recorded as i64
    /// captured.span("Seats.set").assert_field("seats", 4); // panics: "field `seats` is 3 (i64), expected 4 (i64)"
    /// ```
    #[track_caller]
    pub fn assert_field(&self, name: &str, expected: impl Into<FieldValue>) -> &Self {
        let expected = expected.into();
        match self.field(name) {
            Some(actual) if actual.matches(&expected) => self,
            Some(actual) => panic!(
                "span `{}`: field `{name}` is {actual} ({}), expected {expected} ({})\n  span: {self}",
                self.name,
                actual.type_name(),
                expected.type_name()
            ),
            None => panic!(
                "span `{}`: field `{name}` was not captured, expected {expected}\n  span: {self}",
                self.name
            ),
        }
    }

    /// Asserts that field `name` was recorded with exactly this type and
    /// value (no numeric leniency): for checking that typed telemetry stays
    /// typed.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// # let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "seats"]).build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _span = caci_core::span!(Level::INFO, "Seats.set", plan = "PRO", seats = 3u8, email = "a@b.c").entered();
    /// });
    /// use caci_testkit::FieldValue;
    /// captured.span("Seats.set").assert_field_typed("seats", FieldValue::I64(3)); // u8 arrives as i64
    /// ```
    #[track_caller]
    pub fn assert_field_typed(&self, name: &str, expected: FieldValue) -> &Self {
        match self.field(name) {
            Some(actual) if *actual == expected => self,
            Some(actual) => panic!(
                "span `{}`: field `{name}` is {actual} ({}), expected exactly {expected} ({})\n  span: {self}",
                self.name,
                actual.type_name(),
                expected.type_name()
            ),
            None => panic!("span `{}`: field `{name}` was not captured\n  span: {self}", self.name),
        }
    }

    /// Asserts that field `name` was not recorded.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// # let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "seats"]).build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _span = caci_core::span!(Level::INFO, "Seats.set", plan = "PRO", seats = 3u8, email = "a@b.c").entered();
    /// });
    /// captured.span("Seats.set").assert_no_field("email");
    /// ```
    #[track_caller]
    pub fn assert_no_field(&self, name: &str) -> &Self {
        if let Some(actual) = self.field(name) {
            panic!(
                "span `{}`: field `{name}` was captured as {actual}, expected it absent\n  span: {self}",
                self.name
            );
        }
        self
    }

    /// Asserts that exactly these fields were recorded, in any order.
    ///
    /// ```
    /// # use caci_core::{Level, TelemetryCaptureConfiguration};
    /// # let config = TelemetryCaptureConfiguration::builder().allow_fields(["plan", "seats"]).build().unwrap();
    /// let ((), captured) = caci_testkit::capture(&config, || {
    ///     let _span = caci_core::span!(Level::INFO, "Seats.set", plan = "PRO", seats = 3u8, email = "a@b.c").entered();
    /// });
    /// captured.span("Seats.set").assert_fields_exactly(&["seats", "plan"]);
    /// ```
    #[track_caller]
    pub fn assert_fields_exactly(&self, names: &[&str]) -> &Self {
        let mut actual = self.field_names();
        actual.sort_unstable();
        let mut expected = names.to_vec();
        expected.sort_unstable();
        if actual != expected {
            let missing: Vec<_> = expected.iter().filter(|name| !actual.contains(name)).collect();
            let extra: Vec<_> = actual.iter().filter(|name| !expected.contains(name)).collect();
            panic!(
                "span `{}`: fields differ; missing {missing:?}, unexpected {extra:?}\n  span: {self}",
                self.name
            );
        }
        self
    }

    /// Asserts that the wrapped method failed: outcome `error` (or `panic`),
    /// optionally with an error type whose name ends with `error_type`.
    ///
    /// ```
    /// # use caci_core::TelemetryCaptureConfiguration;
    /// struct Billing;
    /// #[derive(Debug)]
    /// struct CardDeclined;
    /// #[caci_core::component]
    /// impl Billing {
    ///     fn charge(&self, cents: i64) -> Result<(), CardDeclined> {
    ///         if cents > 100 { Err(CardDeclined) } else { Ok(()) }
    ///     }
    /// }
    /// let config = TelemetryCaptureConfiguration::builder().allow_field("cents").build().unwrap();
    /// let (_, captured) = caci_testkit::capture(&config, || {
    ///     let _ = Billing.charge(50);
    ///     let _ = Billing.charge(500);
    /// });
    /// use caci_testkit::SpanQuery;
    /// captured.span(SpanQuery::named("Billing.charge").with("cents", 500)).assert_error(Some("CardDeclined"));
    /// ```
    #[track_caller]
    pub fn assert_error(&self, error_type: Option<&str>) -> &Self {
        let outcome = self.outcome();
        if !matches!(outcome.as_deref(), Some("error" | "panic")) {
            panic!(
                "span `{}`: expected an error outcome, found {}\n  span: {self}",
                self.name,
                outcome.as_deref().unwrap_or("no outcome")
            );
        }
        if let Some(expected) = error_type {
            let actual = self.field("error.type").map(FieldValue::as_text).unwrap_or_default();
            if !actual.ends_with(expected) {
                panic!(
                    "span `{}`: error type is `{actual}`, expected `{expected}`\n  span: {self}",
                    self.name
                );
            }
        }
        self
    }

    /// Asserts the wrapped method's outcome: `"ok"`, `"error"`, `"panic"`
    /// or `"cancelled"`.
    ///
    /// ```
    /// # use caci_core::TelemetryCaptureConfiguration;
    /// struct Billing;
    /// #[derive(Debug)]
    /// struct CardDeclined;
    /// #[caci_core::component]
    /// impl Billing {
    ///     fn charge(&self, cents: i64) -> Result<(), CardDeclined> {
    ///         if cents > 100 { Err(CardDeclined) } else { Ok(()) }
    ///     }
    /// }
    /// let config = TelemetryCaptureConfiguration::builder().allow_field("cents").build().unwrap();
    /// let (_, captured) = caci_testkit::capture(&config, || {
    ///     let _ = Billing.charge(50);
    ///     let _ = Billing.charge(500);
    /// });
    /// use caci_testkit::SpanQuery;
    /// captured.span(SpanQuery::named("Billing.charge").with("cents", 50)).assert_outcome("ok");
    /// ```
    #[track_caller]
    pub fn assert_outcome(&self, expected: &str) -> &Self {
        let outcome = self.outcome();
        if outcome.as_deref() != Some(expected) {
            panic!(
                "span `{}`: outcome is {}, expected {expected}\n  span: {self}",
                self.name,
                outcome.as_deref().unwrap_or("absent")
            );
        }
        self
    }
}
