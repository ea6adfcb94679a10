//! Types the user does not own: `#[telemetry(display)]`, `#[telemetry(with
//! = "...")]`, and the `chrono`, `rust_decimal` and `jiff` features (this
//! crate's tests enable them), captured into real spans.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use caci_core::{Capture, Kind, Level, Out, Shape, ShapeBody, Telemetry, TelemetryCaptureConfiguration};
use caci_testkit::FieldValue;
use rust_decimal::Decimal;

fn config(build: impl FnOnce(caci_core::ConfigBuilder) -> caci_core::ConfigBuilder) -> TelemetryCaptureConfiguration {
    build(TelemetryCaptureConfiguration::builder())
        .build()
        .expect("a valid configuration")
}

/// Opens `test.span` capturing `$name = $value` under `$config`, and
/// returns the span as recorded.
macro_rules! span_of {
    ($config:expr, $name:ident = $value:expr) => {{
        let value = $value;
        let ((), captured) = caci_testkit::capture(&$config, || {
            let _span = caci_core::span!(Level::INFO, "test.span", $name = value).entered();
        });
        captured.span("test.span").clone()
    }};
}

/// A foreign type: `Display`, no `Capture`.
struct Reference(&'static str);

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A foreign money type, captured through a view.
struct Money {
    units: i64,
    currency: &'static str,
}

#[derive(Telemetry)]
struct MoneyView {
    units: i64,
    currency: String,
}

fn money_view(money: &Money) -> MoneyView {
    MoneyView {
        units: money.units,
        currency: money.currency.to_owned(),
    }
}

fn as_cents(money: &Money) -> i64 {
    money.units * 100
}

#[derive(Telemetry)]
struct Invoice {
    total: Decimal,
    #[telemetry(display)]
    reference: Reference,
    #[telemetry(with = "money_view")]
    amount: Money,
    #[telemetry(with = "as_cents", rename = "cents")]
    amount_in_cents: Money,
}

fn invoice(reference: &'static str) -> Invoice {
    Invoice {
        total: Decimal::new(123_400, 4),
        reference: Reference(reference),
        amount: Money {
            units: 12,
            currency: "EUR",
        },
        amount_in_cents: Money {
            units: 12,
            currency: "EUR",
        },
    }
}

#[test]
fn a_decimal_allowed_by_kind_stays_exact() {
    let span = span_of!(config(|b| b.allow_kind(Kind::Decimal)), invoice = invoice("INV-1"));
    span.assert_fields_exactly(&["invoice.total"]);
    assert_eq!(
        span.field("invoice.total").map(FieldValue::to_string).as_deref(),
        Some("12.3400")
    );
    let exact = Decimal::from_str_exact("-0.0000000000000000000000000001").unwrap();
    let span = span_of!(config(|b| b.allow_kind(Kind::Decimal)), total = exact);
    span.assert_field("total", "-0.0000000000000000000000000001");
    let span = span_of!(config(|b| b.allow_kind(Kind::Decimal)), total = Decimal::MIN);
    span.assert_field("total", "-79228162514264337593543950335");
}

#[test]
fn the_decimal_kind_is_read_from_a_configuration_file() {
    let config = TelemetryCaptureConfiguration::from_toml_str("allowed_field_kinds = [\"decimal\"]").unwrap();
    let span = span_of!(config, invoice = invoice("INV-1"));
    span.assert_fields_exactly(&["invoice.total"]);
}

#[test]
fn a_display_field_is_a_string_cut_and_scrubbed_as_strings_are() {
    let span = span_of!(
        config(|b| b.allow_field("reference")),
        invoice = invoice("INV-2026-0001")
    );
    span.assert_fields_exactly(&["invoice.reference"])
        .assert_field("invoice.reference", "INV-2026-0001");

    let short = config(|b| b.allow_field("reference").max_string_len(8));
    let span = span_of!(short, invoice = invoice("INV-2026-0001"));
    span.assert_field("invoice.reference", "INV-2026…");

    let span = span_of!(
        config(|b| b.allow_field("reference")),
        invoice = invoice("owner@example.com")
    );
    span.assert_field("invoice.reference", "[redacted: email]");
    let unscrubbed = config(|b| b.allow_field("reference").scrub_values(false));
    let span = span_of!(unscrubbed, invoice = invoice("owner@example.com"));
    span.assert_field("invoice.reference", "owner@example.com");

    let ShapeBody::Struct(fields) = Invoice::shape().body else {
        unreachable!()
    };
    let shape = (fields[1].shape.unwrap())();
    assert_eq!(shape.kind(), Kind::String);
    assert!(shape.type_name.ends_with("Reference"), "{}", shape.type_name);
}

#[test]
fn a_with_field_has_the_shape_and_leaves_of_what_its_function_returns() {
    let span = span_of!(
        config(|b| b.allow_fields(["units", "currency", "cents"])),
        invoice = invoice("INV-1")
    );
    span.assert_fields_exactly(&["invoice.amount.units", "invoice.amount.currency", "invoice.cents"]);
    assert_eq!(span.field("invoice.amount.units"), Some(&FieldValue::I64(12)));
    assert_eq!(
        span.field("invoice.amount.currency"),
        Some(&FieldValue::Str("EUR".into()))
    );
    assert_eq!(span.field("invoice.cents"), Some(&FieldValue::I64(1200)));

    // Known without a value, under the field's own type name.
    let ShapeBody::Struct(fields) = Invoice::shape().body else {
        unreachable!()
    };
    let amount = (fields[2].shape.unwrap())();
    let ShapeBody::Struct(view) = &amount.body else {
        panic!("{amount:?}")
    };
    assert_eq!(
        view.iter().map(|field| field.name).collect::<Vec<_>>(),
        ["units", "currency"]
    );
    assert!(amount.type_name.ends_with("Money"), "{}", amount.type_name);
    assert_eq!((fields[3].shape.unwrap())().kind(), Kind::SignedInteger);
    // A `with` function is the user's code: the type's record is guarded.
    assert!(!Invoice::trusted());
}

/// Counts how often it is formatted, and panics when it is: a value that is
/// not captured must never be.
struct Tripwire;

static FORMATTED: AtomicUsize = AtomicUsize::new(0);
static CONVERTED: AtomicUsize = AtomicUsize::new(0);

impl fmt::Display for Tripwire {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        FORMATTED.fetch_add(1, Ordering::SeqCst);
        panic!("a Tripwire was formatted");
    }
}

fn converted(_: &Tripwire) -> i64 {
    CONVERTED.fetch_add(1, Ordering::SeqCst);
    panic!("a Tripwire was converted");
}

#[derive(Telemetry)]
struct Guarded {
    seats: u32,
    #[telemetry(display)]
    shown: Tripwire,
    #[telemetry(with = "converted")]
    computed: Tripwire,
}

#[derive(Telemetry)]
enum Event {
    Paid(
        #[telemetry(display)] Tripwire,
        #[telemetry(with = "converted")] Tripwire,
        u32,
    ),
}

#[test]
fn a_display_or_with_field_that_is_not_allowed_is_never_formatted_nor_converted() {
    let allowed = config(|b| b.allow_fields(["seats", "event", "2"]));
    let guarded = Guarded {
        seats: 3,
        shown: Tripwire,
        computed: Tripwire,
    };
    let span = span_of!(allowed, guarded = guarded);
    span.assert_fields_exactly(&["guarded.seats"]);
    let span = span_of!(allowed, event = Event::Paid(Tripwire, Tripwire, 7));
    span.assert_fields_exactly(&["event", "event.2"]);
    assert_eq!(FORMATTED.load(Ordering::SeqCst), 0);
    assert_eq!(CONVERTED.load(Ordering::SeqCst), 0);
}

/// Counts how often it is formatted.
struct Counted(&'static AtomicUsize);

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fetch_add(1, Ordering::SeqCst);
        f.write_str("counted")
    }
}

#[derive(Telemetry)]
struct Label(#[telemetry(display)] Counted);

#[test]
fn an_allowed_display_field_is_formatted_when_the_subscriber_records_it() {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let span = span_of!(config(|b| b.allow_field("label")), label = Label(Counted(&COUNT)));
    span.assert_field("label", "counted");
    assert_eq!(COUNT.load(Ordering::SeqCst), 1);

    static NOT_ALLOWED: AtomicUsize = AtomicUsize::new(0);
    let span = span_of!(config(|b| b.allow_field("other")), label = Label(Counted(&NOT_ALLOWED)));
    span.assert_fields_exactly(&[]);
    assert_eq!(NOT_ALLOWED.load(Ordering::SeqCst), 0);
}

fn leaked_secret(_: &Money) -> String {
    "contact owner@example.com".to_owned()
}

fn wide(_: &Money) -> u128 {
    u128::MAX
}

#[derive(Telemetry)]
struct Computed {
    #[telemetry(with = "leaked_secret")]
    note: Money,
    #[telemetry(with = "wide")]
    big: Money,
    #[telemetry(with = "money_view")]
    views: Money,
}

#[test]
fn computed_leaves_are_scrubbed_cut_and_typed_like_borrowed_ones() {
    let computed = || Computed {
        note: Money {
            units: 1,
            currency: "EUR",
        },
        big: Money {
            units: 1,
            currency: "EUR",
        },
        views: Money {
            units: 1,
            currency: "SWISS FRANCS",
        },
    };
    let span = span_of!(config(|b| b.allow_fields(["note", "big"])), computed = computed());
    span.assert_field("computed.note", "[redacted: email]");
    assert_eq!(span.field("computed.big"), Some(&FieldValue::U128(u128::MAX)));
    let short = config(|b| b.allow_field("currency").max_string_len(5));
    let span = span_of!(short, computed = computed());
    span.assert_field("computed.views.currency", "SWISS…");
}

#[test]
fn a_list_of_structs_with_foreign_fields_renders_them() {
    #[derive(Telemetry)]
    struct Line {
        #[telemetry(display)]
        reference: Reference,
        #[telemetry(with = "as_cents")]
        cents: Money,
    }
    let lines = vec![
        Line {
            reference: Reference("A-1"),
            cents: Money {
                units: 2,
                currency: "EUR",
            },
        },
        Line {
            reference: Reference("owner@example.com"),
            cents: Money {
                units: 3,
                currency: "EUR",
            },
        },
    ];
    let span = span_of!(
        config(|b| b.allow_fields(["lines", "reference", "cents"])),
        lines = lines
    );
    span.assert_field("lines.reference", "[A-1, [redacted: email]]")
        .assert_field("lines.cents", "[200, 300]");
}

mod chrono_types {
    use super::*;
    use chrono::{FixedOffset, NaiveDate, TimeDelta, TimeZone as _};

    #[derive(Telemetry)]
    struct Booking {
        at: chrono::DateTime<chrono::Utc>,
        local: chrono::DateTime<FixedOffset>,
        naive: chrono::NaiveDateTime,
        day: NaiveDate,
        time: chrono::NaiveTime,
        length: TimeDelta,
    }

    fn booking() -> Booking {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let naive = day.and_hms_milli_opt(12, 0, 0, 500).unwrap();
        Booking {
            at: day.and_hms_opt(12, 0, 0).unwrap().and_utc(),
            local: FixedOffset::east_opt(3600)
                .unwrap()
                .from_local_datetime(&naive)
                .unwrap(),
            naive,
            day,
            time: naive.time(),
            length: TimeDelta::seconds(90),
        }
    }

    #[test]
    fn chrono_values_have_their_kinds_and_iso_renderings() {
        let all = config(|b| b.allow_kinds([Kind::DateTime, Kind::Date, Kind::Time, Kind::Duration]));
        let span = span_of!(all, booking = booking());
        span.assert_field("booking.at", "2026-11-25T12:00:00Z")
            .assert_field("booking.local", "2026-11-25T12:00:00.500+01:00")
            .assert_field("booking.naive", "2026-11-25T12:00:00.500")
            .assert_field("booking.day", "2026-11-25")
            .assert_field("booking.time", "12:00:00.500")
            .assert_field("booking.length", "PT90S");
        let dates_only = config(|b| b.allow_kind(Kind::Date));
        span_of!(dates_only, booking = booking()).assert_fields_exactly(&["booking.day"]);
    }

    #[test]
    fn chrono_renderings_obey_max_string_len() {
        let short = config(|b| b.allow_kinds([Kind::DateTime, Kind::Date]).max_string_len(10));
        let span = span_of!(short, booking = booking());
        span.assert_field("booking.at", "2026-11-25…")
            .assert_field("booking.local", "2026-11-25…")
            .assert_field("booking.naive", "2026-11-25…")
            .assert_field("booking.day", "2026-11-25");
        let shorter = config(|b| b.allow_kind(Kind::Date).max_string_len(4));
        span_of!(shorter, booking = booking()).assert_field("booking.day", "2026…");
    }
}

mod jiff_types {
    use super::*;
    use jiff::civil;

    #[derive(Telemetry)]
    struct Booking {
        at: jiff::Timestamp,
        zoned: jiff::ZonedDateTime,
        civil: civil::DateTime,
        day: civil::Date,
        time: civil::Time,
        length: jiff::SignedDuration,
    }

    fn booking() -> Booking {
        let civil = civil::date(2026, 11, 25).at(12, 0, 0, 0);
        let at = jiff::Timestamp::from_second(1_795_608_000).unwrap();
        Booking {
            at,
            zoned: at.to_zoned_datetime(jiff::tz::TimeZone::UTC),
            civil,
            day: civil.date(),
            time: civil.time(),
            length: jiff::SignedDuration::from_secs(90),
        }
    }

    #[test]
    fn jiff_values_have_their_kinds_and_renderings() {
        let all = config(|b| b.allow_kinds([Kind::DateTime, Kind::Date, Kind::Time, Kind::Duration]));
        let span = span_of!(all, booking = booking());
        span.assert_field("booking.at", "2026-11-25T12:00:00Z")
            .assert_field("booking.zoned", "2026-11-25T12:00:00+00:00[UTC]")
            .assert_field("booking.civil", "2026-11-25T12:00:00")
            .assert_field("booking.day", "2026-11-25")
            .assert_field("booking.time", "12:00:00")
            .assert_field("booking.length", "PT1M30S");
        let times_only = config(|b| b.allow_kind(Kind::Time));
        span_of!(times_only, booking = booking()).assert_fields_exactly(&["booking.time"]);
    }

    #[test]
    fn jiff_renderings_obey_max_string_len() {
        let short = config(|b| b.allow_kinds([Kind::DateTime, Kind::Date]).max_string_len(10));
        let span = span_of!(short, booking = booking());
        span.assert_field("booking.at", "2026-11-25…")
            .assert_field("booking.zoned", "2026-11-25…")
            .assert_field("booking.civil", "2026-11-25…")
            .assert_field("booking.day", "2026-11-25");
    }
}

/// A hand-written `Capture` impl that counts its calls: it may compute
/// before it looks at its `Out`, so a field the plan skips is never offered
/// to it (CACI's own impls and derived ones are, and only look).
struct Audited;

static AUDITED: AtomicUsize = AtomicUsize::new(0);

impl Capture for Audited {
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::SignedInteger)
    }
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        AUDITED.fetch_add(1, Ordering::SeqCst);
        out.i64(1);
    }
}

#[derive(Telemetry)]
struct Ledger {
    entries: u32,
    audited: Audited,
    owner: Label,
}

#[test]
fn a_skipped_field_with_a_hand_written_impl_is_never_offered() {
    let ledger = || Ledger {
        entries: 4,
        audited: Audited,
        owner: Label(Counted(&AUDITED)),
    };
    let span = span_of!(config(|b| b.allow_field("entries")), ledger = ledger());
    span.assert_fields_exactly(&["ledger.entries"])
        .assert_field("ledger.entries", 4_i64);
    assert_eq!(
        AUDITED.load(Ordering::SeqCst),
        0,
        "neither the impl nor the display ran"
    );

    let span = span_of!(config(|b| b.allow_fields(["entries", "audited"])), ledger = ledger());
    span.assert_fields_exactly(&["ledger.entries", "ledger.audited"]);
    assert_eq!(AUDITED.load(Ordering::SeqCst), 1, "offered once it is captured");
}
