//! One test per row of the decision rule documented on `caci_core::decision`.

use caci_core::decision::{AllowedBy, Leaf, Reason, Verdict};
use caci_core::{Kind, TelemetryCaptureConfiguration};

fn config() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["plan", "business.country", "metadata.region", "token_count"])
        .allow_kinds([Kind::Uuid, Kind::Enum])
        .allow_struct_named("FeatureGroup")
        .allow_dictionary("metadata")
        .deny_field("internal_note")
        .remove_from_deny_floor("token_count")
        .max_depth(3)
        .build()
        .unwrap()
}

fn captured(by: AllowedBy) -> Verdict {
    Verdict::Captured(by)
}

fn not_captured(reason: Reason) -> Verdict {
    Verdict::NotCaptured(reason)
}

fn denied(identifier: &str) -> Verdict {
    not_captured(Reason::Denied {
        identifier: identifier.to_owned(),
        word: caci_core::config::deny::normalize(identifier),
    })
}

#[test]
fn row_1_sensitive_beats_every_allow_rule() {
    let leaf = Leaf::new(&["plan"], Kind::Enum)
        .in_type("app::FeatureGroup")
        .marked_sensitive();
    assert_eq!(config().decide(&leaf), not_captured(Reason::Sensitive));
}

#[test]
fn row_2_a_denied_segment_anywhere_on_the_path_beats_every_allow_rule() {
    let config = config();
    assert_eq!(config.decide(&Leaf::new(&["password"], Kind::Uuid)), denied("password"));
    assert_eq!(
        config.decide(&Leaf::new(&["credentials", "plan"], Kind::Enum)),
        denied("credentials")
    );
    assert_eq!(
        config.decide(&Leaf::new(&["internalNote"], Kind::String).in_type("FeatureGroup")),
        denied("internalNote")
    );
    assert_eq!(
        config.decide(&Leaf::new(&["user", "Email"], Kind::String)),
        denied("Email")
    );
}

#[test]
fn row_2_a_denied_word_or_an_identifier_behind_the_path_beats_every_allow_rule() {
    let config = config();
    let word = |identifier: &str, word: &str| {
        not_captured(Reason::Denied {
            identifier: identifier.to_owned(),
            word: word.to_owned(),
        })
    };
    assert_eq!(
        config.decide(&Leaf::new(&["plan", "new_password"], Kind::Enum)),
        word("new_password", "password")
    );
    assert_eq!(
        config.decide(&Leaf::new(&["userEmails"], Kind::Uuid)),
        word("userEmails", "email")
    );
    // A renamed field's declared name, a variant, a pattern's bindings.
    assert_eq!(
        config.decide(&Leaf::new(&["plan"], Kind::Enum).behind(&["api_key"])),
        word("api_key", "apikey")
    );
    // An exempted compound name stays capturable; its word stays denied.
    assert_eq!(
        config.decide(&Leaf::new(&["token_count"], Kind::Uuid)),
        captured(AllowedBy::Name)
    );
    assert_eq!(
        config.decide(&Leaf::new(&["stripe_token"], Kind::Uuid)),
        word("stripe_token", "token")
    );
}

#[test]
fn row_3_a_denied_type_on_the_path_beats_every_allow_rule() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .deny_type("*Vault*")
        .build()
        .unwrap();
    let denied_type = |type_name: &str, rule: &str| {
        not_captured(Reason::DeniedType {
            type_name: type_name.to_owned(),
            rule: rule.to_owned(),
        })
    };
    let leaf = |types| Leaf::new(&["plan"], Kind::String).of_types(types);
    assert_eq!(
        config.decide(&leaf(&["app::Password"])),
        denied_type("Password", "the floor word `password`")
    );
    assert_eq!(
        config.decide(&leaf(&[
            "core::option::Option<app::UserEmail>",
            "alloc::string::String"
        ])),
        denied_type("UserEmail", "the floor word `email`")
    );
    assert_eq!(
        config.decide(&leaf(&["app::KeyVault"])),
        denied_type("KeyVault", "`denied_types` entry `*Vault*`")
    );
    assert_eq!(
        config.decide(&leaf(&["core::pin::Pin<&app::Plan>"])),
        captured(AllowedBy::Name),
        "std names are not domain names"
    );
}

#[test]
fn row_4_cacis_own_names_are_reserved() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::String, Kind::Enum, Kind::UnsignedInteger])
        .build()
        .unwrap();
    for path in [
        &["outcome"][..],
        &["duration_ns"],
        &["otel", "status_code"],
        &["error", "type"],
        &["message"],
        &["return"],
    ] {
        assert_eq!(
            config.decide(&Leaf::new(path, Kind::String)),
            not_captured(Reason::Reserved),
            "{path:?}"
        );
    }
    let mut output = Leaf::new(&["return", "plan"], Kind::String);
    output.output = true;
    assert_eq!(
        config.decide(&output),
        captured(AllowedBy::Kind),
        "a captured output's root"
    );
    assert_eq!(
        config.decide(&Leaf::new(&["order", "outcome"], Kind::Enum)),
        captured(AllowedBy::Kind)
    );
}

#[test]
fn row_5_opaque_kinds_and_lists_of_non_leaves_are_not_capturable() {
    let config = config();
    assert_eq!(
        config.decide(&Leaf::new(&["plan"], Kind::Opaque)),
        not_captured(Reason::TypeNotCapturable)
    );
    let list_of_structs = Leaf::new(&["plan"], Kind::List).with_items(Kind::Struct);
    assert_eq!(config.decide(&list_of_structs), not_captured(Reason::TypeNotCapturable));
    let map_of_maps = Leaf::new(&["metadata"], Kind::Map).with_items(Kind::Map);
    assert_eq!(config.decide(&map_of_maps), not_captured(Reason::TypeNotCapturable));
}

#[test]
fn row_6_paths_deeper_than_the_limit_are_not_captured() {
    let leaf = Leaf::new(&["a", "b", "c", "plan"], Kind::Enum);
    assert_eq!(config().decide(&leaf), not_captured(Reason::BeyondDepth));
    let at_limit = Leaf::new(&["a", "b", "plan"], Kind::Enum);
    assert_eq!(config().decide(&at_limit), captured(AllowedBy::Name));
}

#[test]
fn row_7_maps_are_captured_only_as_allowed_dictionaries() {
    let config = config();
    let metadata = Leaf::new(&["request", "metadata"], Kind::Map).with_items(Kind::String);
    assert_eq!(config.decide(&metadata), captured(AllowedBy::Dictionary));
    let plan_map = Leaf::new(&["plan"], Kind::Map).with_items(Kind::String);
    assert_eq!(
        config.decide(&plan_map),
        not_captured(Reason::NotAllowed),
        "a name allow is not a dictionary allow"
    );
}

#[test]
fn row_8_a_full_dotted_path_is_captured() {
    let config = config();
    assert_eq!(
        config.decide(&Leaf::new(&["business", "country"], Kind::String)),
        captured(AllowedBy::Path)
    );
    assert_eq!(
        config.decide(&Leaf::new(&["metadata", "region"], Kind::String)),
        captured(AllowedBy::Path)
    );
    assert_eq!(
        config.decide(&Leaf::new(&["user", "country"], Kind::String)),
        not_captured(Reason::NotAllowed),
        "a path allows one nested field, not the name everywhere"
    );
}

#[test]
fn row_9_a_plain_name_matches_at_any_depth() {
    let config = config();
    assert_eq!(
        config.decide(&Leaf::new(&["plan"], Kind::String)),
        captured(AllowedBy::Name)
    );
    assert_eq!(
        config.decide(&Leaf::new(&["business", "plan"], Kind::String)),
        captured(AllowedBy::Name)
    );
}

#[test]
fn row_10_direct_fields_of_an_allowed_struct_are_captured() {
    let config = config();
    let leaf = Leaf::new(&["group", "label"], Kind::String).in_type("my_app::billing::FeatureGroup");
    assert_eq!(config.decide(&leaf), captured(AllowedBy::Struct));
    let generic = Leaf::new(&["group", "label"], Kind::String).in_type("my_app::FeatureGroup<u8>");
    assert_eq!(config.decide(&generic), captured(AllowedBy::Struct));
    let other = Leaf::new(&["group", "label"], Kind::String).in_type("my_app::Business");
    assert_eq!(config.decide(&other), not_captured(Reason::NotAllowed));
}

#[test]
fn row_11_allowed_kinds_are_captured_wherever_they_are() {
    let config = config();
    assert_eq!(
        config.decide(&Leaf::new(&["business", "owner_id"], Kind::Uuid)),
        captured(AllowedBy::Kind)
    );
    let list_of_enums = Leaf::new(&["features"], Kind::List).with_items(Kind::Enum);
    assert_eq!(
        config.decide(&list_of_enums),
        captured(AllowedBy::Kind),
        "a list takes its items' kind"
    );
}

#[test]
fn row_13_anything_else_is_not_captured() {
    let config = config();
    assert_eq!(
        config.decide(&Leaf::new(&["note"], Kind::String)),
        not_captured(Reason::NotAllowed)
    );
    assert_eq!(
        config.decide(&Leaf::new(&["amount"], Kind::SignedInteger)),
        not_captured(Reason::NotAllowed)
    );
}

#[test]
fn struct_entries_with_a_module_path_match_only_that_path() {
    let full = TelemetryCaptureConfiguration::builder()
        .allow_struct_named("my_app::FeatureGroup")
        .build()
        .unwrap();
    let leaf = Leaf::new(&["label"], Kind::String).in_type("my_app::FeatureGroup");
    assert_eq!(full.decide(&leaf), captured(AllowedBy::Struct));
    let elsewhere = Leaf::new(&["label"], Kind::String).in_type("other::FeatureGroup");
    assert_eq!(full.decide(&elsewhere), not_captured(Reason::NotAllowed));
}

#[test]
fn the_empty_configuration_captures_nothing() {
    let empty = TelemetryCaptureConfiguration::default();
    for kind in Kind::ALL {
        assert!(
            !empty.decide(&Leaf::new(&["business_id"], kind)).is_captured(),
            "{kind}"
        );
    }
}

#[test]
fn after_the_rows_a_captured_string_that_looks_secret_is_scrubbed() {
    use caci_core::Level;
    use std::collections::BTreeMap;

    let flags = BTreeMap::from([
        ("owner@keys.example".to_owned(), "on".to_owned()),
        ("region".to_owned(), "4111 1111 1111 1111".to_owned()),
    ]);
    let open = || {
        let _span = caci_core::span!(
            Level::INFO,
            "scrubbed",
            note = "refused for no@terms.example",
            header = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            reference = "DE89370400440532013000",
            plan = "PRO",
            flags = flags
        )
        .entered();
    };
    let scrubbing = TelemetryCaptureConfiguration::builder()
        .allow_fields(["note", "header", "reference", "plan"])
        .allow_dictionary("flags")
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture(&scrubbing, open);
    captured
        .span("scrubbed")
        .assert_field("note", "[redacted: email]")
        .assert_field("header", "[redacted: credential]")
        .assert_field("reference", "[redacted: iban]")
        .assert_field("plan", "PRO");
    let rendered = captured.span("scrubbed").field("flags").unwrap().as_text();
    assert_eq!(rendered, "{[redacted: email]: on, region: [redacted: card]}");

    let off = TelemetryCaptureConfiguration::builder()
        .allow_fields(["note", "header", "reference", "plan"])
        .allow_dictionary("flags")
        .scrub_values(false)
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture(&off, open);
    captured
        .span("scrubbed")
        .assert_field("note", "refused for no@terms.example");
}

#[test]
fn row_12_a_scope_allows_at_its_component_or_method_only() {
    let config = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_field("amount_cents")
        })
        .scope("Ledger", None, |scope| scope.allow_kind(Kind::Uuid))
        .build()
        .unwrap();
    let amount = Leaf::new(&["amount_cents"], Kind::UnsignedInteger);
    assert_eq!(
        config.decide(&amount),
        not_captured(Reason::NotAllowed),
        "no site: no scope"
    );
    assert_eq!(
        config.decide(&amount.clone().at("PaymentGateway", "authorize")),
        captured(AllowedBy::Name)
    );
    assert_eq!(
        config.decide(&amount.clone().at("PaymentGateway", "refund")),
        not_captured(Reason::NotAllowed)
    );
    let id = Leaf::new(&["order_id"], Kind::Uuid);
    assert_eq!(
        config.decide(&id.clone().at("Ledger", "post")),
        captured(AllowedBy::Kind)
    );
    assert_eq!(
        config.decide(&id.at("PaymentGateway", "authorize")),
        not_captured(Reason::NotAllowed)
    );
    // Rows 1-6 still win inside a scope.
    let token = Leaf::new(&["access_token"], Kind::Uuid).at("Ledger", "post");
    assert_eq!(config.decide(&token), denied("access_token"));
}
