//! The deny floor beats every allow rule whatever the shape of the code:
//! renames, flatten, enum variants, type names, compound and plural names,
//! Unicode look-alikes, dictionary keys and pattern parameters.
#![allow(dead_code, unused_variables)] // fields and inputs exist to be (not) captured

use std::collections::BTreeMap;

use caci_core::decision::{Reason, Verdict};
use caci_core::{Kind, Level, Telemetry, TelemetryCaptureConfiguration, component};
use caci_testkit::Captured;

fn strings_and_everything() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::String, Kind::Enum, Kind::UnsignedInteger, Kind::Bool])
        .allow_fields(["hint", "street", "0", "value", "plan"])
        .allow_dictionary("flags")
        .build()
        .unwrap()
}

#[track_caller]
fn assert_nowhere(captured: &Captured, secret: &str) {
    let spans = captured.spans().iter().flat_map(|span| &span.fields);
    let events = captured.events().iter().flat_map(|event| &event.fields);
    for (name, value) in spans.chain(events) {
        assert!(
            !value.as_text().contains(secret),
            "`{secret}` reached a subscriber as `{name}`"
        );
    }
}

#[derive(Telemetry)]
struct Renamed {
    #[telemetry(rename = "hint")]
    password: String,
    plan: String,
}

#[derive(Telemetry)]
struct Address {
    street: String,
    city_code: u64,
}

#[derive(Telemetry)]
struct User {
    plan: String,
    #[telemetry(flatten)]
    address: Address,
}

#[derive(Telemetry)]
enum Credential {
    Password(String),
    ApiKey { value: String },
    Anonymous,
}

#[derive(Telemetry)]
struct Password(String);

#[derive(Telemetry)]
struct UserEmail(String);

#[derive(Telemetry)]
struct VaultEntry {
    plan: String,
}

#[derive(Telemetry)]
#[telemetry(sensitive)]
struct Ssn {
    value: String,
    not_capturable: std::time::Instant,
}

#[derive(Telemetry)]
struct Token(String);

#[derive(Telemetry)]
struct Wrapper {
    inner: String,
}

struct Shapes;

#[component]
impl Shapes {
    fn renamed(&self, renamed: &Renamed) {}
    fn flattened(&self, user: &User) {}
    fn variant(&self, credential: &Credential) {}
    fn typed(&self, value: &Password, contact: Option<&UserEmail>, entry: &VaultEntry, ssn: &Ssn) {}
    fn pattern(&self, Token(t): Token, Wrapper { inner: secret }: Wrapper, plan: &str) -> usize {
        t.len() + secret.len()
    }
    fn keyed(&self, flags: &BTreeMap<String, String>) {}
}

#[test]
fn a_rename_does_not_hide_the_declared_name() {
    let ((), captured) = caci_testkit::capture(&strings_and_everything(), || {
        Shapes.renamed(&Renamed {
            password: "hunter2-renamed".into(),
            plan: "PRO".into(),
        })
    });
    assert_nowhere(&captured, "hunter2-renamed");
    captured.span("Shapes.renamed").assert_field("renamed.plan", "PRO");
}

#[test]
fn a_flattened_field_keeps_its_name_for_the_floor() {
    let ((), captured) = caci_testkit::capture(&strings_and_everything(), || {
        Shapes.flattened(&User {
            plan: "PRO".into(),
            address: Address {
                street: "1 Secret Street".into(),
                city_code: 4,
            },
        })
    });
    assert_nowhere(&captured, "Secret Street");
    let span = captured.span("Shapes.flattened");
    span.assert_field("user.plan", "PRO")
        .assert_no_field("user.street")
        .assert_no_field("user.city_code");
}

#[test]
fn a_variant_name_is_a_segment_for_the_floor() {
    let config = strings_and_everything();
    let ((), captured) = caci_testkit::capture(&config, || {
        Shapes.variant(&Credential::Password("hunter2-variant".into()));
        Shapes.variant(&Credential::ApiKey {
            value: "key-variant".into(),
        });
        Shapes.variant(&Credential::Anonymous);
    });
    assert_nowhere(&captured, "hunter2-variant");
    assert_nowhere(&captured, "key-variant");
    let names: Vec<_> = captured
        .spans_named("Shapes.variant")
        .map(|span| span.field("credential").map(|v| v.as_text()))
        .collect();
    assert_eq!(
        names,
        [Some("Password".into()), Some("ApiKey".into()), Some("Anonymous".into())],
        "the variant's name is not a secret"
    );
}

#[test]
fn type_names_are_checked_and_sensitive_types_are_never_captured() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::String])
        .allow_fields(["value", "plan", "contact"])
        .deny_type("Vault*")
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture(&config, || {
        Shapes.typed(
            &Password("hunter2-type".into()),
            Some(&UserEmail("owner@type.example".into())),
            &VaultEntry {
                plan: "vaulted-plan".into(),
            },
            &Ssn {
                value: "123-45-6789".into(),
                not_capturable: std::time::Instant::now(),
            },
        )
    });
    assert_nowhere(&captured, "hunter2-type");
    assert_nowhere(&captured, "owner@type.example");
    assert_nowhere(&captured, "vaulted-plan");
    assert_nowhere(&captured, "123-45-6789");

    let inputs = [
        caci_core::Input::new("value", <Password as caci_core::Capture>::shape()),
        caci_core::Input::new("entry", <VaultEntry as caci_core::Capture>::shape()),
        caci_core::Input::new("ssn", <Ssn as caci_core::Capture>::shape()),
    ];
    let verdicts: Vec<String> = config
        .decisions(&inputs, None)
        .iter()
        .map(|d| d.verdict.to_string())
        .collect();
    assert_eq!(
        verdicts,
        [
            "not captured: type `Password` is denied (the floor word `password`)",
            "not captured: type `VaultEntry` is denied (`denied_types` entry `Vault*`)",
            "not captured: marked sensitive",
        ]
    );
}

#[test]
fn pattern_parameters_are_checked_by_their_bindings() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::String])
        .build()
        .unwrap();
    let (length, captured) = caci_testkit::capture(&config, || {
        Shapes.pattern(
            Token("tok-pattern".into()),
            Wrapper {
                inner: "inner-pattern".into(),
            },
            "PRO",
        )
    });
    assert_eq!(length, "tok-pattern".len() + "inner-pattern".len());
    assert_nowhere(&captured, "tok-pattern");
    assert_nowhere(&captured, "inner-pattern");
    captured.span("Shapes.pattern").assert_field("plan", "PRO");
}

#[test]
fn dictionary_keys_on_the_floor_are_dropped() {
    let flags = BTreeMap::from([
        ("Proxy-Authorization".to_owned(), "Basic abc".to_owned()),
        ("user.password".to_owned(), "hunter2-key".to_owned()),
        ("region".to_owned(), "ca-central".to_owned()),
    ]);
    let before = caci_core::safety_counters().dropped_keys;
    let ((), captured) = caci_testkit::capture(&strings_and_everything(), || Shapes.keyed(&flags));
    let rendered = captured
        .span("Shapes.keyed")
        .field("flags")
        .expect("the dictionary is allowed")
        .as_text();
    assert_eq!(rendered, "{region: ca-central}");
    assert!(caci_core::safety_counters().dropped_keys >= before + 2);
}

/// Names that hold a floor word, in every spelling: each is denied.
#[test]
fn compound_plural_and_look_alike_names_are_denied_by_their_words() {
    let config = strings_and_everything();
    for name in [
        "user_email",
        "new_password",
        "password_confirmation",
        "emails",
        "stripe_token",
        "billing_address",
        "db_password",
        "userEmail",
        "user-email",
        "password2",
        "db2Password",
        "p\u{0430}ssword",
        "\u{FF25}\u{FF2D}\u{FF21}\u{FF29}\u{FF2C}",
        "API_KEYS",
        "FirstName",
    ] {
        let path = [name];
        let leaf = caci_core::decision::Leaf::new(&path, Kind::String);
        match config.decide(&leaf) {
            Verdict::NotCaptured(Reason::Denied { identifier, .. }) => assert_eq!(identifier, name),
            other => panic!("`{name}` should be denied, got {other:?}"),
        }
    }
    for name in ["business_id", "plan", "feature_group", "country", "user_id", "seats"] {
        let path = [name];
        let leaf = caci_core::decision::Leaf::new(&path, Kind::String);
        assert!(config.decide(&leaf).is_captured(), "`{name}` should be captured");
    }
}

#[test]
fn a_false_positive_names_its_word_and_is_lifted_by_name() {
    let leaf = |name| caci_core::decision::Leaf::new(name, Kind::UnsignedInteger);
    let strict = TelemetryCaptureConfiguration::builder()
        .allow_kind(Kind::UnsignedInteger)
        .build()
        .unwrap();
    assert_eq!(
        strict.decide(&leaf(&["token_count"])).to_string(),
        "not captured: `token` (a word of `token_count`) is denied"
    );
    let lifted = TelemetryCaptureConfiguration::builder()
        .allow_kind(Kind::UnsignedInteger)
        .remove_from_deny_floor("token_count")
        .build()
        .unwrap();
    assert!(lifted.decide(&leaf(&["token_count"])).is_captured());
    assert!(
        !lifted.decide(&leaf(&["stripe_token"])).is_captured(),
        "only that name is lifted"
    );
    let err = TelemetryCaptureConfiguration::builder()
        .allow_field("token_count")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("has the word `token`"), "{err}");
}

#[test]
fn caci_events_obey_the_floor_and_plain_tracing_events_are_outside_it() {
    let config = strings_and_everything();
    let email = "owner@event.example";
    let ((), captured) = caci_testkit::capture(&config, || {
        caci_core::event!(
            Level::INFO,
            "signed up",
            plan = "PRO",
            user_email = email,
            new_password = "pw-event"
        );
    });
    let event = captured
        .events()
        .iter()
        .find(|event| event.fields.iter().any(|(name, _)| name == "plan"))
        .expect("the CACI event");
    let names: Vec<&str> = event.fields.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["plan", "message"]);
    assert_nowhere(&captured, email);
    assert_nowhere(&captured, "pw-event");
}
