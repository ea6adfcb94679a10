//! The coverage report: what every wrapped method would capture under a
//! configuration, how much of it is captured, and what to allow next.
//!
//! Built from the method registry (every `#[component]` method registers a
//! [`MethodDescriptor`](crate::MethodDescriptor)) without calling anything:
//! each method's inputs' shapes are walked by the same planner the spans
//! use, so the report says exactly what the spans will carry.
//!
//! ```
//! use caci_core::coverage::{CoverageReport, Gate, RenderOptions};
//! use caci_core::__private::MethodSite;
//! use caci_core::__private::SiteInfo;
//! use caci_core::{Capture, Input, Kind, Level, MethodDescriptor, MethodInfo, Shape};
//! use caci_core::{Telemetry, TelemetryCaptureConfiguration};
//!
//! use uuid::Uuid;
//!
//! #[derive(Telemetry)]
//! struct Business {
//!     business_id: Uuid,
//!     country: String,
//!     email: String,
//! }
//!
//! // What `#[component]` registers for `Signup::create(&self, business: &Business)`.
//! static CREATE: MethodSite = MethodSite::new(
//!     SiteInfo { name: "Signup.create", target: "app", level: Level::INFO, module_path: "app",
//!                file: "src/signup.rs", line: 7, inputs: &["business"] },
//!     MethodInfo { component: "Signup", method: "create", signature: "create(&self, business: &Business) -> ()",
//!                  input_types: &["&Business"], output_type: "()", captures_output: false },
//! );
//! fn create_shapes() -> (Vec<Input>, Option<Shape>) {
//!     (vec![Input::new("business", Business::shape())], None)
//! }
//! let methods = [MethodDescriptor::new(&CREATE, create_shapes)];
//!
//! let config = TelemetryCaptureConfiguration::builder().allow_kind(Kind::Uuid).build().unwrap();
//! // In your binary: `CoverageReport::from_registry(&config)`, every method linked in.
//! let report = CoverageReport::build(&config, &methods);
//! assert_eq!(report.totals.percent_text(), "33.3%"); // business_id; not country; never email
//! assert_eq!(report.suggestions[0].to_string(), "allow field name `country`: +1");
//! assert!(report.render_text(RenderOptions { color: false })
//!     .contains("    - business.email: String     — not captured: `email` is denied"));
//! assert!(Gate { min_percent: Some(30.0), baseline: None }.check(&report).passed());
//! ```
//!
//! In CI, run [`cli::run`] from a binary or test that links your components,
//! **after installing your configuration** (without `--config` the report is
//! of the configuration in force; a report of nothing installed says so, see
//! [`ConfigurationSource`]). It prints the report (text, JSON, Markdown or
//! [HTML](CoverageReport::render_html)), gates on `--min` and `--baseline`,
//! writes the suggestions as a configuration to review
//! ([`--emit-config`](CoverageReport::to_config_toml)), and merges several
//! services' JSON reports into one table ([`FleetReport`], `coverage merge`).
//! It returns a [`CoverageOutcome`](cli::CoverageOutcome) carrying the exit
//! code.
//!
//! # What counts
//!
//! The unit is the *leaf*: one [`LeafDecision`](crate::LeafDecision), i.e.
//! one value that would become one span field (see [`Totals`] for the
//! list). The renderings call leaves "inputs". Per method, per component and
//! overall, the report gives three figures, each rounded to one decimal by
//! [`format_percent`] in every rendering:
//!
//! - **coverage**: captured leaves over all leaves;
//! - **reachable maximum**: reachable leaves over all leaves, where a leaf is
//!   reachable when it is captured or withheld only by the allow lists or
//!   the limits (not allowed, beyond the depth limit, beyond the
//!   fields-per-span limit) or generic (see [Generic
//!   methods](#generic-methods)): what allowing everything allowable reaches.
//!   Leaves withheld by a protection (the deny floor and deny list, denied
//!   types, `sensitive`, types with no capturable form, reserved and
//!   duplicate paths) are not reachable;
//! - **captured of the reachable**: captured over reachable leaves. This is
//!   what the gate's `--min` ([`Gate::min_percent`]) compares with.
//!
//! **Constructors** (associated functions without a `self` receiver that
//! return `Self` or the component, bare or in `Result`, `Option`, `Arc`,
//! `Box` or `Rc`, e.g. `new(repo: Arc<dyn Repo>) -> Self`) are detected from
//! the registered signature and listed apart ("constructors (listed, not
//! counted)"; `"constructor": true` in JSON): their leaves count in no
//! component's or report's totals and in no suggestion, their inputs being
//! wiring rather than requests.
//!
//! # Scopes
//!
//! A leaf captured by one of the configuration's
//! [scopes](crate::config::ScopeSpec) rather than its global lists carries
//! the scope's place ([`LeafReport::scope`]), shown next to its verdict:
//! `captured (name allowed, scope PaymentGateway.authorize)`. A scope that
//! applies at none of the report's methods (its component has no wrapped
//! method here, or its method is not a wrapped method of that component) is
//! listed in [`CoverageReport::unmatched_scopes`] and every rendering warns
//! "scope `X` matches nothing". The [`Gate`] prints those warnings and does
//! **not** fail on them: a shared base configuration may hold scopes meant
//! for other services. The header shows the configuration's id
//! ([`CoverageReport::configuration_id`]), which CACI's change events carry
//! as `config.id`, so a report can be matched with the configuration
//! running.
//!
//! # Generic methods
//!
//! For `fn put<T: Capture>(&self, item: T)` or `item: impl Capture`, the
//! registered description cannot name `item`'s type: its leaf is decided as
//! [`Reason::DependsOnType`](crate::decision::Reason::DependsOnType) and the
//! renderings say "depends on the type of each call", never "not
//! captured". It counts **once, as reachable** (an allow rule can capture
//! what a call passes) and never as captured, so `--min 100` cannot pass
//! while a generic input is counted.
//!
//! Each such method also lists the **instantiations planned in this
//! process** ([`MethodReport::instantiations`], from
//! [`MethodDescriptor::instantiations`](crate::MethodDescriptor::instantiations):
//! those called with a subscriber listening at the method's level), each
//! labelled by its generic inputs' types (`item: Shipping`) with its leaves
//! decided under the report's configuration, the method's scopes applied:
//! what that instantiation's spans carry. They are **shown, not counted**
//! (in no total, suggestion or gate): which exist depends on what the
//! process has called, so a report built in CI would otherwise count
//! differently from one built in a test run. A leaf of the method's other
//! inputs whose capture differs in an instantiation (`note`, pushed over
//! `max_fields_per_span` by a larger `T`) is decided as depending on the
//! type too, so the method's own leaves never claim what a span lacks.
//!
//! # Text
//!
//! The report of the test fixture (`caci-core/tests/coverage_fixture`),
//! as [`CoverageReport::render_text`] prints it:
//!
//! ```text
//! CACI coverage: 8 of 18 inputs captured (44.4%) in 2 components, 4 methods
//! Configuration c8182c94 (config.id in CACI's change events)
//! Reachable maximum: 14 of 18 (77.8%); captured of the reachable: 57.1% (what --min gates on)
//! Not captured: 5 not allowed, 2 denied, 1 marked sensitive, 1 type not capturable,
//!   1 beyond the depth limit
//!
//! Billing                                                                   3 of 5   60.0%  max 100.0%
//!   charge(&self, amount_cents: i64, currency: String, audit: Audit) -> Receipt                 3 of 5
//!     - amount_cents: i64         — not captured: not allowed
//!     - currency: String          — captured (name allowed)
//!     - audit.step.detail: Detail — not captured: beyond the depth limit
//!     - return.receipt_id: Uuid   — captured (struct allowed)
//!     - return.total_cents: i64   — captured (struct allowed)
//!   refund(&self) -> ()                                                                         0 of 0
//!     (no inputs)
//!
//! SubscriptionService                                                      5 of 13   38.5%  max  69.2%
//!   activate_features(&self, business_id: BusinessId, tier: Tier) -> Vec<Tier>                  1 of 3
//!     - business_id: BusinessId — captured (kind allowed)
//!     - tier: Tier              — not captured: not allowed
//!     - return: Vec<Tier>       — not captured: not allowed
//!   initialize_business(&self, business: &Business, ledger: &Ledger) -> ()                     4 of 10
//!     - business.business_id: BusinessId       — captured (kind allowed)
//!     - business.tier: Tier                    — not captured: not allowed
//!     - business.country: String               — captured (name allowed)
//!     - business.email: String                 — not captured: `email` is denied
//!     - business.card_token: String            — not captured: marked sensitive
//!     - business.internal_note: String         — not captured: `internal_note` is denied
//!     - business.owner.user_id: Uuid           — captured (path allowed)
//!     - business.owner.display_name: String    — not captured: not allowed
//!     - business.flags: BTreeMap<String, bool> — captured (dictionary allowed)
//!     - ledger: Ledger                         — not captured: type not capturable
//!
//! Suggestions, ranked by the inputs each would capture:
//!   1. +3  allow kind `enum` (allowed_field_kinds)
//!      SubscriptionService.activate_features: tier
//!      SubscriptionService.activate_features: return
//!      SubscriptionService.initialize_business: business.tier
//!   2. +2  allow field name `tier` (allowed_field_names)
//!      SubscriptionService.activate_features: tier
//!      SubscriptionService.initialize_business: business.tier
//!   3. +1  allow path `business.tier` (allowed_field_names)
//!      SubscriptionService.initialize_business: business.tier
//!   4. +1  allow field name `amount_cents` (allowed_field_names)
//!      Billing.charge: amount_cents
//!   5. +1  allow field name `return` (allowed_field_names)
//!      SubscriptionService.activate_features: return
//!   6. +1  allow struct `Business` (allowed_structs)
//!      SubscriptionService.initialize_business: business.tier
//!   7. +1  allow kind `signed_integer` (allowed_field_kinds)
//!      Billing.charge: amount_cents
//!
//! Needs review: looks personal, not suggested:
//!   - +1  allow field name `display_name` (allowed_field_names)
//!     looks personal: `display_name` (displayname)
//!     SubscriptionService.initialize_business: business.owner.display_name
//!   - +1  allow struct `Owner` (allowed_structs)
//!     looks personal: `display_name` (displayname)
//!     SubscriptionService.initialize_business: business.owner.display_name
//! ```
//!
//! [`CoverageReport::render_markdown`] gives the same for a pull-request
//! comment: a summary table, one `<details>` per component, the suggestions.
//!
//! # JSON schema `caci.coverage/v1`
//!
//! [`CoverageReport::to_json`] writes, and [`CoverageReport::from_json`]
//! reads (a baseline), one object. Within `v1` fields may be added and
//! readers ignore fields they do not know; anything else makes `v2`.
//!
//! ```json
//! {
//!   "schema": "caci.coverage/v1",
//!   "service": "my-service",
//!   "configuration_id": "c8182c94",
//!   "totals": { "captured": 8, "leaves": 18, "percent": 44.44444444444444, "percent_text": "44.4%",
//!               "reachable": 14, "reachable_max_percent": 77.77777777777777, "reachable_max_text": "77.8%",
//!               "percent_of_reachable": 57.142857142857146, "percent_of_reachable_text": "57.1%",
//!               "not_captured": { "not_allowed": 5, "denied": 2, "sensitive": 1,
//!                                 "type_not_capturable": 1, "beyond_depth": 1, "field_limit": 0 } },
//!   "configuration": { "allowed_field_names": ["country", "currency", "business.owner.user_id"], "...": "…" },
//!   "configuration_source": { "type": "file", "path": "caci.json" },
//!   "unmatched_scopes": ["Elsewhere"],
//!   "components": [{ "name": "Billing", "...": "…" }, {
//!     "name": "SubscriptionService",
//!     "totals": { "...": "as above" },
//!     "methods": [{ "name": "activate_features", "...": "…" }, {
//!       "name": "initialize_business",
//!       "signature": "initialize_business(&self, business: &Business, ledger: &Ledger) -> ()",
//!       "span": "SubscriptionService.initialize_business",
//!       "file": "src/service.rs", "line": 10, "captures_output": false,
//!       "totals": { "...": "as above" },
//!       "leaves": [
//!         { "path": "business.business_id", "type": "BusinessId", "kind": "uuid",
//!           "enclosing_type": "app::Business", "captured": true, "by": "kind",
//!           "verdict": "captured (kind allowed)" },
//!         { "path": "business.tier", "type": "Tier", "kind": "enum", "enclosing_type": "app::Business",
//!           "captured": false, "reason": "not_allowed", "verdict": "not captured: not allowed" },
//!         { "path": "business.email", "type": "String", "kind": "string", "enclosing_type": "app::Business",
//!           "captured": false, "reason": "denied", "identifier": "email",
//!           "verdict": "not captured: `email` is denied" },
//!         { "path": "business.flags", "type": "BTreeMap<String, bool>", "kind": "map", "item_kind": "bool",
//!           "enclosing_type": "app::Business", "captured": true, "by": "dictionary",
//!           "verdict": "captured (dictionary allowed)" },
//!         { "path": "ledger", "type": "Ledger", "kind": "opaque", "captured": false,
//!           "reason": "type_not_capturable", "verdict": "not captured: type not capturable" }
//!       ]
//!     }]
//!   }],
//!   "suggestions": [{
//!     "addition": { "type": "kind", "value": "enum" },
//!     "unlocks": [
//!       { "component": "SubscriptionService", "method": "activate_features", "path": "tier" },
//!       { "component": "SubscriptionService", "method": "activate_features", "path": "return" },
//!       { "component": "SubscriptionService", "method": "initialize_business", "path": "business.tier" }
//!     ]
//!   }],
//!   "needs_review": [{
//!     "addition": { "type": "name", "value": "display_name" },
//!     "unlocks": [{ "component": "SubscriptionService", "method": "initialize_business",
//!                   "path": "business.owner.display_name" }],
//!     "looks_personal": [{ "identifier": "display_name", "term": "displayname" }]
//!   }]
//! }
//! ```
//!
//! | field | meaning |
//! |---|---|
//! | `schema` | always `"caci.coverage/v1"` |
//! | `service` | the service (program) the report is of; absent when unknown (the CLI sets the program's name, or `--service NAME`) |
//! | `totals` | over every component, constructors left out: `captured`, `leaves`, `percent` (`captured × 100 / leaves`, unrounded; `null` without leaves), `percent_text` (rounded, as the renderings show it), `reachable`, `reachable_max_percent` and `reachable_max_text` (`reachable × 100 / leaves`), `percent_of_reachable` and `percent_of_reachable_text` (`captured × 100 / reachable`, what `--min` gates on; `null` when nothing is reachable), and `not_captured`, the count per reason code. The derived figures are ignored when read |
//! | `configuration_id` | the configuration's id, 8 hex digits, as CACI's change events carry it in `config.id`; absent in reports written before it |
//! | `configuration` | the [`ConfigSpec`](crate::config::ConfigSpec) the report was built with |
//! | `configuration_source` | where it came from: `{"type": "given" \| "installed" \| "nothing_installed"}` or `{"type": "file", "path": …}` ([`ConfigurationSource`]) |
//! | `unmatched_scopes` | the places (`Component` or `Component.method`) of the configuration's scopes that match no method of the report; absent when none |
//! | `components[]` | sorted by `name`; each with `totals` and `methods` |
//! | `methods[]` | sorted by `name`, then `file` and `line`: `name`, `signature` (as written), `span` (the span's name), `file`, `line`, `captures_output`, `skipped` and `constructor` (present when `true`), `totals`, `leaves`, and for generic methods `instantiations` (absent when none): `[{types, leaves}]`, `types` as `item: Shipping`, `leaves` as below, not counted in any `totals` |
//! | `leaves[]` | in the order the shapes are walked: `path` (dotted; the output under `return`), `type` (as written, without module paths), `kind` and, for lists and maps, `item_kind` (kind names as in configurations: `uuid`, `signed_integer`, …), `enclosing_type` (full name of the type holding the leaf; absent at the top level), `captured`, then `by` when captured, with `scope` (`"PaymentGateway.authorize"`) when a configuration scope rather than the global lists allowed it, or `reason` when not, `identifier` with reason `denied`, and `verdict`, the same in words (ignored when read) |
//! | `by` | the rule that allowed the leaf: `path`, `name`, `struct`, `dictionary`, `kind` |
//! | `reason` | why not: `not_allowed`, `denied`, `sensitive`, `type_not_capturable`, `depends_on_type` (generic: see the method's `instantiations`), `beyond_depth`, `field_limit`, `denied_type`, `reserved`, `duplicate_path` |
//! | `suggestions[]` | best first: `addition` (`{"type": "name" \| "path" \| "kind" \| "struct" \| "dictionary", "value": …}`), `unlocks` (the places, `{component, method, path}`, it would capture), and `crowds_out` (places it would push over `max_fields_per_span`; absent when none) |
//! | `needs_review[]` | as `suggestions`, plus `looks_personal`: `[{identifier, term}]` |
//!
//! # Suggestions
//!
//! See [`Suggestion`] for how they are found and verified. A denied or
//! sensitive leaf is never unlocked by an allow rule, so it never appears
//! in a suggestion; additions touching names that [`looks_personal`] are
//! listed under `needs_review` instead.

mod addition;
pub mod cli;
mod constructor;
mod emit;
mod fleet;
mod fleet_html;
mod gate;
mod html;
mod instantiation;
mod json;
mod leaf;
mod markdown;
mod options;
mod outcome;
mod percent;
mod personal;
mod report;
mod source;
mod struct_name;
mod subject;
mod suggest;
mod text;
mod totals;
mod unmatched;
mod wire;

pub use addition::Addition;
pub use fleet::{FleetReport, LeftOutField, ServiceSummary};
pub use gate::{Gate, GateFailure, GateOutcome};
pub use instantiation::InstantiationReport;
pub use json::{ReportJsonError, SCHEMA};
pub use leaf::{LeafReport, Place};
pub use percent::format_percent;
pub use personal::{PERSONAL_SUBSTRINGS, PERSONAL_WORDS, identifier_words, looks_personal};
pub use report::{ComponentReport, CoverageReport, MethodReport};
pub use source::ConfigurationSource;
pub use suggest::{PersonalMatch, Suggestion};
pub use text::RenderOptions;
pub use totals::{ReasonCounts, Totals, reason_code};
