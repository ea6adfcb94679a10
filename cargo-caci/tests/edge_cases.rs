//! `cargo caci init` on small crates, one edge case each: nothing is
//! built, the text of the edits is checked exactly, and every case is run
//! twice (the second run must change nothing).

mod support;

use cargo_caci::init::Report;
use support::*;

/// `init` twice at `dir`: the first run's report, after checking the
/// second changes nothing.
fn init_twice(dir: &std::path::Path) -> Report {
    let report = init(dir);
    let after = tree(dir);
    let again = init(dir);
    assert!(again.changed.is_empty(), "a second run changes {:?}", again.changed);
    assert_eq!(tree(dir), after, "a second run changes nothing");
    report
}

const LIB_SERVICE: &str = "pub mod domain;\npub mod service;\n";

#[test]
fn derives_on_several_lines_get_a_line_of_their_own() {
    let dir = crate_of(
        "multiline",
        &[
            ("src/lib.rs", LIB_SERVICE),
            (
                "src/domain.rs",
                "#[derive(\n    Debug,\n    Clone,\n)]\npub struct Trailing {\n    pub plan_id: u64,\n}\n\n\
                 #[derive(\n    Debug,\n    Clone\n)]\npub struct Bare {\n    pub retries: u8,\n}\n\n\
                 #[derive(Debug, Clone,)]\npub struct Inline(pub u32);\n",
            ),
            (
                "src/service.rs",
                "use crate::domain::{Bare, Inline, Trailing};\n\npub struct OrderService;\n\n\
                 impl OrderService {\n    pub fn place(&self, a: Trailing, b: Bare, c: Inline) {}\n}\n",
            ),
        ],
    );
    init_twice(&dir);
    assert_eq!(
        read(&dir, "src/domain.rs"),
        "#[derive(\n    Debug,\n    Clone,\n    caci_core::Telemetry,\n)]\npub struct Trailing {\n    pub plan_id: u64,\n}\n\n\
         #[derive(\n    Debug,\n    Clone,\n    caci_core::Telemetry\n)]\npub struct Bare {\n    pub retries: u8,\n}\n\n\
         #[derive(Debug, Clone, caci_core::Telemetry,)]\npub struct Inline(pub u32);\n"
    );
}

#[test]
fn a_derive_inside_cfg_attr_is_left_alone_and_a_plain_one_added() {
    let dir = crate_of(
        "cfg-attr",
        &[
            ("src/lib.rs", LIB_SERVICE),
            (
                "src/domain.rs",
                "/// An order.\n#[cfg_attr(feature = \"serde\", derive(serde::Serialize))]\npub struct Order {\n    pub order_id: u64,\n}\n\n\
                 #[cfg_attr(feature = \"caci\", derive(caci_core::Telemetry))]\npub struct Conditional {\n    pub plan: u8,\n}\n",
            ),
            (
                "src/service.rs",
                "use crate::domain::*;\n\npub struct OrderService;\n\n\
                 impl OrderService {\n    pub fn place(&self, order: crate::domain::Order, other: crate::domain::Conditional) {}\n}\n",
            ),
        ],
    );
    init_twice(&dir);
    assert_eq!(
        read(&dir, "src/domain.rs"),
        "/// An order.\n#[derive(caci_core::Telemetry)]\n#[cfg_attr(feature = \"serde\", derive(serde::Serialize))]\npub struct Order {\n    pub order_id: u64,\n}\n\n\
         #[cfg_attr(feature = \"caci\", derive(caci_core::Telemetry))]\npub struct Conditional {\n    pub plan: u8,\n}\n",
        "doc comments stay on top; a conditional derive of Telemetry counts as one"
    );
}

#[test]
fn items_made_by_macro_rules_are_left_alone_and_listed() {
    let ids = "macro_rules! id_type {\n    ($name:ident) => {\n        #[derive(Debug, Clone, Copy)]\n        pub struct $name(pub u64);\n    };\n}\n\nid_type!(OrderId);\n";
    let dir = crate_of(
        "macros",
        &[
            ("src/lib.rs", "pub mod ids;\npub mod service;\n"),
            ("src/ids.rs", ids),
            (
                "src/service.rs",
                "use crate::ids::OrderId;\n\n#[derive(Debug)]\npub struct Order {\n    pub order_id: OrderId,\n    pub total_cents: u64,\n}\n\n\
                 pub struct OrderService;\n\nimpl OrderService {\n    pub fn place(&self, order: Order, id: OrderId) {}\n}\n",
            ),
        ],
    );
    let report = init_twice(&dir);
    assert_eq!(read(&dir, "src/ids.rs"), ids, "the macro is not edited");
    assert!(read(&dir, "src/service.rs").contains(
        "    #[telemetry(skip)] // `OrderId` is made by `id_type!`: derive `Telemetry` there to capture it\n    pub order_id: OrderId,"
    ));
    assert_eq!(report.macro_types, ["`OrderId` (made by `id_type!`)"]);
    assert!(
        report
            .output
            .contains("`id_type!` at src/ids.rs:8: items made by a macro are not edited"),
        "{}",
        report.output
    );
}

#[test]
fn crate_visible_and_re_exported_types_are_derived() {
    let dir = crate_of(
        "visibility",
        &[(
            "src/lib.rs",
            "mod inner {\n    /// Re-exported below.\n    #[derive(Debug)]\n    pub struct Thing {\n        pub status: String,\n    }\n}\npub use inner::Thing;\n\n\
                 pub(crate) struct Draft {\n    pub(crate) note_count: u32,\n}\n\n\
                 pub struct DraftStore;\n\nimpl DraftStore {\n    pub(crate) fn save(&self, draft: &Draft, thing: crate::Thing) {}\n}\n",
        )],
    );
    let report = init_twice(&dir);
    let lib = read(&dir, "src/lib.rs");
    assert!(
        lib.contains("    /// Re-exported below.\n    #[derive(Debug, caci_core::Telemetry)]\n    pub struct Thing {")
    );
    assert!(lib.contains("#[derive(caci_core::Telemetry)]\npub(crate) struct Draft {"));
    assert!(lib.contains("#[caci_core::component]\nimpl DraftStore {"));
    assert_eq!(report.types_derived, 2);
}

#[test]
fn a_workspace_needs_a_package_and_only_that_one_changes() {
    let member = |name: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n")
    };
    let service =
        "pub struct BillingService;\n\nimpl BillingService {\n    pub fn charge(&self, amount_cents: u64) {}\n}\n";
    let dir = crate_of(
        "workspace",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"billing\", \"signup\"]\nresolver = \"3\"\n",
            ),
            ("billing/Cargo.toml", &member("billing")),
            ("billing/src/lib.rs", service),
            ("signup/Cargo.toml", &member("signup")),
            ("signup/src/lib.rs", service),
        ],
    );
    let error = cargo_caci::init::run(&cargo_caci::init::Options {
        dir: dir.clone(),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(
        error,
        "several packages here: pick one with --package (billing, signup)"
    );

    let before = tree(&dir);
    let report = init_with(&dir, |options| options.package = Some("signup".into()));
    assert_eq!(
        report.changed,
        ["src/lib.rs", "Cargo.toml", "caci.toml"].map(std::path::PathBuf::from)
    );
    let after = tree(&dir);
    let changed: Vec<&str> = after
        .iter()
        .filter(|file| !before.contains(file))
        .map(|(path, _)| path.as_str())
        .collect();
    assert_eq!(changed, ["signup/Cargo.toml", "signup/caci.toml", "signup/src/lib.rs"]);
    assert!(read(&dir, "signup/Cargo.toml").contains("caci-core = { path = \""));
    // --manifest-path names the member too.
    let by_manifest = init_with(&dir, |options| {
        options.manifest_path = Some("signup/Cargo.toml".into());
        options.dry_run = true;
    });
    assert!(by_manifest.changed.is_empty(), "signup is instrumented already");
    // From inside a member, that member is the one; a workspace that
    // declares caci-core is depended on through it, as `cargo add` does.
    let root = read(&dir, "Cargo.toml") + "\n[workspace.dependencies]\ncaci-core = { path = \"../caci/caci-core\" }\n";
    write(&dir, "Cargo.toml", &root);
    let inside = init(&dir.join("billing"));
    assert_eq!(inside.components_wrapped, 1);
    assert!(read(&dir, "billing/Cargo.toml").ends_with("[dependencies]\ncaci-core = { workspace = true }\n"));
}

#[test]
fn a_file_that_does_not_parse_is_named_and_skipped() {
    let broken = "pub struct Half {\n    pub plan: u8\n\nimpl Half {\n";
    let dir = crate_of(
        "broken",
        &[
            ("src/lib.rs", "pub mod broken;\npub mod service;\n"),
            ("src/broken.rs", broken),
            (
                "src/service.rs",
                "pub struct Job {\n    pub attempts: u32,\n}\n\npub struct JobProcessor;\n\nimpl JobProcessor {\n    pub fn run(&self, job: Job) {}\n}\n",
            ),
        ],
    );
    let report = init_twice(&dir);
    assert_eq!(read(&dir, "src/broken.rs"), broken);
    assert_eq!(report.skipped_files.len(), 1);
    assert!(
        report.skipped_files[0].starts_with("src/broken.rs: does not parse (line "),
        "{:?}",
        report.skipped_files
    );
    assert!(report.output.contains("src/broken.rs: does not parse"));
    assert!(read(&dir, "src/service.rs").contains("#[caci_core::component]\nimpl JobProcessor {"));
}

#[test]
fn instrumented_wrapped_std_test_and_generated_impls_are_not_wrapped() {
    let service = "use std::fmt;\n\n\
        pub struct CacheService;\n\nimpl CacheService {\n    #[tracing::instrument]\n    pub fn get(&self, key: &str) {}\n}\n\n\
        pub struct PaymentService;\n\n#[caci_core::component]\nimpl PaymentService {\n    pub fn pay(&self, payment: Payment) {}\n}\n\n\
        impl fmt::Display for PaymentService {\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n        f.write_str(\"payments\")\n    }\n}\n\n\
        impl Default for PaymentService {\n    fn default() -> Self {\n        PaymentService\n    }\n}\n\n\
        #[automatically_derived]\nimpl PaymentService {\n    pub fn generated(&self) {}\n}\n\n\
        pub struct Payment {\n    pub payment_id: u64,\n}\n\n\
        #[cfg(test)]\nmod tests {\n    pub struct TestService;\n    impl TestService {\n        pub fn run(&self) {}\n    }\n}\n";
    let test_file = "pub struct HelperService;\nimpl HelperService {\n    pub fn help(&self) {}\n}\n";
    let dir = crate_of(
        "not-wrapped",
        &[
            ("src/lib.rs", service),
            ("tests/helper.rs", test_file),
            ("benches/b.rs", test_file),
        ],
    );
    let report = init_twice(&dir);
    let lib = read(&dir, "src/lib.rs");
    assert_eq!(lib.matches("#[caci_core::component]").count(), 1, "{lib}");
    assert!(
        lib.contains("#[derive(caci_core::Telemetry)]\npub struct Payment {"),
        "an existing component's types are derived"
    );
    assert_eq!(report.for_decision, ["CacheService"]);
    assert!(report.output.contains("uses #[tracing::instrument] on get"));
    assert_eq!((report.components_wrapped, report.components_already), (0, 1));
    assert_eq!(read(&dir, "tests/helper.rs"), test_file);
}

#[test]
fn include_and_exclude_patterns_override_the_ranking() {
    let lib = "pub mod billing;\npub mod signup;\n";
    let billing = "pub struct Ledger;\nimpl Ledger {\n    pub fn post(&self, cents: i64) {}\n}\n\
                   pub struct InvoiceBuilder;\nimpl InvoiceBuilder {\n    pub fn build(&self) {}\n}\n";
    let signup = "pub struct SignupService;\nimpl SignupService {\n    pub fn sign_up(&self, seats: u16) {}\n}\n";
    let files = [
        ("src/lib.rs", lib),
        ("src/billing.rs", billing),
        ("src/signup.rs", signup),
    ];

    let dir = crate_of("patterns-cli", &files);
    let report = init_with(&dir, |options| {
        options.patterns.include.push("billing::*".into());
        options.patterns.exclude.push("*Builder".into());
    });
    assert_eq!(report.components_wrapped, 1);
    assert!(read(&dir, "src/billing.rs").starts_with("pub struct Ledger;\n#[caci_core::component]\nimpl Ledger {"));
    assert!(
        !read(&dir, "src/signup.rs").contains("component"),
        "only what the includes name"
    );
    assert!(report.output.contains("excluded by `*Builder`"));

    let dir = crate_of("patterns-file", &files);
    write(
        &dir,
        "caci.toml",
        "allowed_field_kinds = [\"enum\"]\n\n[init]\nexclude = [\"signup::*\"]\n",
    );
    let report = init_twice(&dir);
    assert!(!read(&dir, "src/signup.rs").contains("component"));
    assert!(read(&dir, "src/billing.rs").contains("#[caci_core::component]\nimpl Ledger {"));
    assert_eq!(
        report.components_wrapped, 1,
        "Ledger (public methods), not the builder nor the excluded service"
    );
}

#[test]
fn foreign_fields_get_display_or_skip_with_a_reason_and_secret_ones_sensitive() {
    let domain = "use std::sync::Mutex;\n\nuse rust_decimal::Decimal;\n\n\
        pub struct Amount(pub Decimal);\n\n\
        pub struct Payment {\n    pub amount: Amount,\n    pub fee: Decimal,\n    pub callback: url::Url,\n    \
        pub lock: Mutex<u8>,\n    pub card_token: String,\n    pub api_key: String,\n    pub due: chrono::NaiveDate,\n    \
        pub created: time::OffsetDateTime,\n    pub payment_id: uuid::Uuid,\n    pub labels: std::collections::HashMap<String, String>,\n}\n\n\
        pub enum Outcome {\n    Paid { receipt: String },\n    Failed(std::io::Error, u16),\n}\n";
    let service = "use crate::domain::*;\n\npub struct PaymentGateway;\n\nimpl PaymentGateway {\n    \
        pub fn authorize(&self, payment: &Payment) -> Result<Outcome, String> {\n        Err(String::new())\n    }\n}\n";
    let dir = crate_of(
        "foreign",
        &[
            ("src/lib.rs", LIB_SERVICE),
            ("src/domain.rs", domain),
            ("src/service.rs", service),
        ],
    );
    let report = init_twice(&dir);
    let expected = "use std::sync::Mutex;\n\nuse rust_decimal::Decimal;\n\n\
        #[derive(caci_core::Telemetry)]\npub struct Amount(#[telemetry(display)] pub Decimal);\n\n\
        #[derive(caci_core::Telemetry)]\npub struct Payment {\n    pub amount: Amount,\n    #[telemetry(display)]\n    pub fee: Decimal,\n    \
        #[telemetry(skip)] // a URL can carry credentials and a query string: capture its host with `#[telemetry(with = …)]`\n    pub callback: url::Url,\n    \
        #[telemetry(skip)] // `Mutex` is shared state, not data\n    pub lock: Mutex<u8>,\n    \
        #[telemetry(sensitive)]\n    pub card_token: String,\n    #[telemetry(sensitive)]\n    pub api_key: String,\n    \
        #[telemetry(display)]\n    pub due: chrono::NaiveDate,\n    \
        pub created: time::OffsetDateTime,\n    pub payment_id: uuid::Uuid,\n    pub labels: std::collections::HashMap<String, String>,\n}\n\n\
        #[derive(caci_core::Telemetry)]\npub enum Outcome {\n    Paid { receipt: String },\n    \
        Failed(#[telemetry(skip)] /* `std::io::Error` has no `Capture` impl */ std::io::Error, u16),\n}\n";
    assert_eq!(read(&dir, "src/domain.rs"), expected);
    assert_eq!(
        (report.fields_sensitive, report.fields_skipped, report.fields_display),
        (2, 3, 3)
    );
}

#[test]
fn dry_run_prints_a_diff_and_changes_nothing() {
    let dir = crate_of(
        "dry-run",
        &[(
            "src/lib.rs",
            "pub struct Order {\n    pub order_id: u64,\n}\n\npub struct OrderRepo;\n\nimpl OrderRepo {\n    pub fn save(&self, order: Order) {}\n}\n",
        )],
    );
    let before = tree(&dir);
    let report = init_with(&dir, |options| options.dry_run = true);
    assert_eq!(tree(&dir), before);
    assert!(report.output.contains(
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,9 +1,11 @@\n+#[derive(caci_core::Telemetry)]\n pub struct Order {\n"
    ));
    assert!(report.output.contains("--- /dev/null\n+++ b/caci.toml\n"));
    assert!(report.output.contains("+caci-core = { path = \""));
    assert!(
        report
            .output
            .contains("Would do: 1 impl block wrapped as components (0 already; 0 constructors #[caci(skip)]), 1 type derives Telemetry")
    );
    assert_eq!(report.changed.len(), 3);
}

#[test]
fn an_existing_caci_toml_is_kept_and_the_additions_printed() {
    let config = "# ours\nallowed_field_names = [\"order_id\"]\n";
    let dir = crate_of(
        "existing-config",
        &[
            (
                "src/lib.rs",
                "pub struct Order {\n    pub order_id: u64,\n    pub paid: bool,\n}\n\npub struct OrderRepo;\n\nimpl OrderRepo {\n    pub fn save(&self, order: Order) {}\n}\n",
            ),
            ("caci.toml", config),
        ],
    );
    let report = init_twice(&dir);
    assert_eq!(read(&dir, "caci.toml"), config);
    assert!(
        report
            .output
            .contains("caci.toml exists, so it is left as it is. The entries init would add:")
    );
    assert!(report.output.contains("    \"bool\",  # flags\n"));
    assert!(
        !report.output.contains("\"order_id\",  # an id"),
        "what is there is not repeated"
    );
    assert_eq!(
        (report.coverage.captured, report.coverage.leaves),
        (1, 2),
        "the coverage of the file in force"
    );
}

#[test]
fn the_written_configuration_loads_and_reviews_personal_names() {
    let dir = crate_of(
        "config",
        &[(
            "src/lib.rs",
            "pub enum Tier { Free, Paid }\n\npub struct Customer {\n    pub customer_id: u64,\n    pub tier: Tier,\n    \
             pub display_name: String,\n    pub email: String,\n    pub region: String,\n    pub retry_count: u8,\n    pub active: bool,\n}\n\n\
             pub struct CustomerClient;\n\nimpl CustomerClient {\n    pub fn update(&self, customer: Customer) {}\n}\n",
        )],
    );
    let report = init(&dir);
    let text = read(&dir, "caci.toml");
    let config = caci_core::TelemetryCaptureConfiguration::from_path(dir.join("caci.toml")).unwrap();
    assert_eq!(
        config.spec().allowed_field_names,
        ["customer_id", "region", "retry_count"]
    );
    assert_eq!(config.spec().allowed_field_kinds, ["enum", "bool"]);
    assert!(text.contains(
        "    # \"display_name\",  # needs review: looks personal: `display_name` (displayname); would capture\n"
    ));
    assert!(!text.contains("\"email\""), "a floor name is never written");
    assert_eq!((report.config_entries, report.config_review), (5, 1));
    assert_eq!((report.coverage.captured, report.coverage.leaves), (5, 7));
    assert!(
        report
            .output
            .contains("Coverage (static, by caci-core's decision rule): 5 of 7 inputs captured (71.4%)")
    );
}

#[test]
fn a_newtype_of_a_type_without_capture_is_not_derived_and_fields_holding_it_are_skipped() {
    let dir = crate_of(
        "underivable",
        &[(
            "src/lib.rs",
            "pub struct Handle(pub std::sync::Mutex<u8>);\n\npub struct Wrapper(pub Handle);\n\n\
             pub struct Job {\n    pub handle: Wrapper,\n    pub attempts: u32,\n}\n\n\
             pub struct JobProcessor;\n\nimpl JobProcessor {\n    pub fn run(&self, job: Job, handle: Handle) {}\n}\n",
        )],
    );
    let report = init_twice(&dir);
    assert_eq!(
        read(&dir, "src/lib.rs"),
        "pub struct Handle(pub std::sync::Mutex<u8>);\n\npub struct Wrapper(pub Handle);\n\n\
         #[derive(caci_core::Telemetry)]\npub struct Job {\n    \
         #[telemetry(skip)] // `Wrapper` cannot derive Telemetry: `Handle` cannot derive Telemetry: `Mutex` is shared state, not data\n    \
         pub handle: Wrapper,\n    pub attempts: u32,\n}\n\n\
         pub struct JobProcessor;\n\n#[caci_core::component]\nimpl JobProcessor {\n    pub fn run(&self, job: Job, handle: Handle) {}\n}\n"
    );
    assert!(
        report
            .output
            .contains("Handle: not derived: `Mutex` is shared state, not data"),
        "{}",
        report.output
    );
}

#[test]
fn generated_files_and_cfg_test_modules_are_not_read() {
    let generated = "// @generated by a tool\npub struct ProtoService;\nimpl ProtoService {\n    pub fn call(&self, order_id: u64) {}\n}\n";
    let dir = crate_of(
        "generated",
        &[
            (
                "src/lib.rs",
                "pub mod proto;\n#[cfg(test)]\nmod tests;\n\npub struct Order {\n    pub order_id: u64,\n}\n\n\
                 pub struct OrderHandler;\n\nimpl OrderHandler {\n    pub fn handle(&self, order: Order) {}\n}\n",
            ),
            ("src/proto.rs", generated),
            (
                "src/tests.rs",
                "pub struct TestConsumer;\nimpl TestConsumer {\n    pub fn consume(&self) {}\n}\n",
            ),
        ],
    );
    let report = init_twice(&dir);
    assert_eq!(read(&dir, "src/proto.rs"), generated);
    assert!(!read(&dir, "src/tests.rs").contains("component"));
    assert_eq!(report.skipped_files, ["src/proto.rs: generated (marked `@generated`)"]);
    assert_eq!(report.components_wrapped, 1);
}

#[test]
fn a_caci_toml_that_does_not_load_is_left_alone_and_its_problems_shown() {
    let config = "allowed_field_kinds = [\"uuidd\"]\n";
    let dir = crate_of(
        "bad-config",
        &[
            (
                "src/lib.rs",
                "pub struct Order {\n    pub paid: bool,\n}\n\npub struct OrderRepo;\n\nimpl OrderRepo {\n    pub fn new() -> Self {\n        OrderRepo\n    }\n\n    pub fn save(&self, order: Order) {}\n}\n",
            ),
            ("caci.toml", config),
        ],
    );
    let report = init_twice(&dir);
    assert_eq!(read(&dir, "caci.toml"), config);
    assert!(report.output.contains("unknown kind `uuidd`"), "{}", report.output);
    assert!(report.output.contains("    \"bool\",  # flags\n"));
    assert!(read(&dir, "src/lib.rs").contains("    #[caci(skip)]\n    pub fn new() -> Self {"));
    assert_eq!(report.constructors_skipped, 1);
}

#[test]
fn a_crate_without_components_is_left_as_it_is() {
    let dir = crate_of(
        "no-components",
        &[(
            "src/lib.rs",
            "pub fn helper(order_id: u64) -> u64 {\n    order_id\n}\n\npub struct Plain;\n",
        )],
    );
    let before = tree(&dir);
    let report = init(&dir);
    assert_eq!(tree(&dir), before, "no dependency, no caci.toml");
    assert!(report.changed.is_empty());
    assert!(
        report
            .output
            .contains("No component found (no impl block scores 1 or more): nothing changed.")
    );
    assert!(
        report
            .output
            .contains("  (no impl block with a method taking `self` on the crate's own types)")
    );
}
