//! A failed call's error: `error.type` names the variant of an error enum
//! deriving `Telemetry`, and the error's own fields are captured under
//! `error.` by the usual rules (opt-in: only what the configuration allows;
//! the floor and `sensitive` still apply).

use caci_core::{Kind, Telemetry, TelemetryCaptureConfiguration, component};

#[derive(Telemetry, Debug)]
#[allow(dead_code)] // the sensitive field is never read: that is the point
enum PaymentError {
    NotFound,
    CardDeclined {
        code: u16,
        retryable: bool,
        #[telemetry(sensitive)]
        card_last4: String,
        password: String,
    },
}

impl std::fmt::Display for PaymentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("declined for owner@example.com")
    }
}

struct Payments;

#[component]
impl Payments {
    fn charge(&self, amount: u32) -> Result<u32, PaymentError> {
        match amount {
            0 => Err(PaymentError::NotFound),
            1..=99 => Err(PaymentError::CardDeclined {
                code: 51,
                retryable: true,
                card_last4: "4242".into(),
                password: "hunter2".into(),
            }),
            _ => Ok(amount),
        }
    }
}

#[test]
fn error_type_names_the_variant() {
    let config = TelemetryCaptureConfiguration::default();
    let (_, captured) = caci_testkit::capture(&config, || {
        let _ = Payments.charge(0);
        let _ = Payments.charge(5);
        let _ = Payments.charge(500);
    });
    let spans: Vec<_> = captured.spans_named("Payments.charge").collect();
    spans[0].assert_field("error.type", "PaymentError::NotFound");
    spans[1].assert_field("error.type", "PaymentError::CardDeclined");
    spans[2]
        .assert_no_field("error.type")
        .assert_no_field("otel.status_code");
    for span in spans {
        span.assert_no_field("error.code");
    }
}

#[test]
fn the_errors_fields_are_captured_only_where_allowed() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(["error.code", "retryable", "card_last4"])
        .allow_kind(Kind::String)
        .build()
        .unwrap();
    let (_, captured) = caci_testkit::capture(&config, || Payments.charge(5));
    let span = captured.span("Payments.charge");
    span.assert_field("error.type", "PaymentError::CardDeclined")
        .assert_field("error.code", 51)
        .assert_field("error.retryable", true)
        .assert_no_field("error.card_last4") // sensitive
        .assert_no_field("error.password") // the floor
        .assert_no_field("error"); // the variant is error.type, not a field of its own
    captured.assert_never_contains("hunter2");
    captured.assert_never_contains("4242");
    captured.assert_never_contains("owner@example.com");
}
