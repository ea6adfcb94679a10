//! Captured fields at every size (issue #17): a `#[component]` method taking
//! a struct of N `u64` fields, all allowed, against a hand-written span
//! recording the same N fields, `code.function.name`, `outcome` and
//! `duration_ns` (N = 1, 3, 10, 30): the fields the method span has.
//! Same body (`black_box` on the input) everywhere.

use std::hint::black_box;
use std::time::Instant;

use caci_core::{TelemetryCaptureConfiguration, component};
use tracing::field::Empty;

/// A wide-input method as the benches call it.
pub type Method = fn();

/// One size: the struct, its component, the component's call on a constant
/// input, and the hand-written span with the same fields.
macro_rules! wide {
    ($wide:ident, $component:ident, $input:ident, $call:ident, $manual:ident: $($field:ident = $value:literal),+) => {
        #[doc = concat!("A struct of `u64` fields: ", $(stringify!($field), " "),+)]
        #[derive(Clone, Copy, Debug, caci_core::Telemetry)]
        #[allow(missing_docs, reason = "the fields are numbered")]
        pub struct $wide {
            $(pub $field: u64),+
        }

        #[doc = concat!("The component whose method takes a [`", stringify!($wide), "`].")]
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $component;

        #[component]
        impl $component {
            /// Every field of `wide`.
            #[inline(never)]
            pub fn record(&self, wide: &$wide) {
                black_box(wide);
            }
        }

        static $input: $wide = $wide { $($field: $value),+ };

        /// The component's method on a constant input.
        #[inline(never)]
        pub fn $call() {
            $component.record(black_box(&$input));
        }

        /// A hand-written span with the same fields as the component's:
        /// the struct's, `code.function.name`, `outcome` and `duration_ns`.
        #[inline(never)]
        pub fn $manual() {
            let wide = black_box(&$input);
            let span = tracing::info_span!(
                concat!(stringify!($component), ".record"),
                $(wide.$field = wide.$field,)+
                code.function.name = concat!(module_path!(), "::", stringify!($component), "::record"),
                outcome = Empty,
                duration_ns = Empty
            );
            let started = Instant::now();
            {
                let _entered = span.enter();
                black_box(wide);
            }
            let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
            tracing::record_all!(span, outcome = "ok", duration_ns = nanos);
        }
    };
}

wide!(Wide1, Fields1, WIDE_1, component_1, manual_1: f0 = 1);

wide!(Wide3, Fields3, WIDE_3, component_3, manual_3: f0 = 1, f1 = 2, f2 = 3);

wide!(Wide10, Fields10, WIDE_10, component_10, manual_10: f0 = 1, f1 = 2, f2 = 3, f3 = 4, f4 = 5, f5 = 6, f6 = 7, f7 = 8, f8 = 9, f9 = 10);

wide!(Wide30, Fields30, WIDE_30, component_30, manual_30: f0 = 1, f1 = 2, f2 = 3, f3 = 4, f4 = 5, f5 = 6, f6 = 7, f7 = 8, f8 = 9, f9 = 10, f10 = 11, f11 = 12, f12 = 13, f13 = 14, f14 = 15, f15 = 16, f16 = 17, f17 = 18, f18 = 19, f19 = 20, f20 = 21, f21 = 22, f22 = 23, f23 = 24, f24 = 25, f25 = 26, f26 = 27, f27 = 28, f28 = 29, f29 = 30);

/// The configuration: every field of every wide struct allowed.
pub fn configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_struct::<Wide1>()
        .allow_struct::<Wide3>()
        .allow_struct::<Wide10>()
        .allow_struct::<Wide30>()
        .allow_struct::<leaves::Account>()
        .allow_struct::<leaves::Owner>()
        .allow_struct::<leaves::Limits>()
        .allow_struct::<leaves::State>()
        .max_fields_per_span(64)
        .build()
        .expect("the wide configuration is valid")
}

/// Every variant, by name.
pub const VARIANTS: &[(&str, Method)] = &[
    ("component_1", component_1),
    ("manual_1", manual_1),
    ("component_3", component_3),
    ("manual_3", manual_3),
    ("component_10", component_10),
    ("manual_10", manual_10),
    ("component_30", component_30),
    ("manual_30", manual_30),
    ("component_leaves_30", leaves::component_leaves_30),
    ("manual_leaves_30", leaves::manual_leaves_30),
];

/// A struct of 30 leaves of the kinds services capture, in three nested
/// structs: ids (a UUID newtype, integers), bools, unit enums, short strings.
pub mod leaves {
    use std::hint::black_box;
    use std::time::Instant;

    use caci_core::{Telemetry, component};
    use tracing::field::Empty;
    use uuid::Uuid;

    use crate::{BusinessId, Plan};

    /// Where an account is.
    #[derive(Clone, Copy, Debug, Telemetry)]
    #[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
    #[allow(missing_docs, reason = "the variants name themselves")]
    pub enum Region {
        NorthAmerica,
        Europe,
    }

    /// Who owns the account: 10 leaves.
    #[derive(Clone, Debug, Telemetry)]
    #[allow(missing_docs, reason = "the fields name themselves")]
    pub struct Owner {
        pub business_id: BusinessId,
        pub user_id: u64,
        pub seats: u32,
        pub verified: bool,
        pub admin: bool,
        pub plan: Plan,
        pub region: Region,
        pub country: &'static str,
        pub locale: &'static str,
        pub age_days: i64,
    }

    /// What the account may do: 10 leaves.
    #[derive(Clone, Debug, Telemetry)]
    #[allow(missing_docs, reason = "the fields name themselves")]
    pub struct Limits {
        pub max_invoices: u64,
        pub max_users: u32,
        pub max_projects: i32,
        pub invoicing: bool,
        pub payroll: bool,
        pub import: bool,
        pub tier: Plan,
        pub home: Region,
        pub currency: &'static str,
        pub quota_left: i64,
    }

    /// The account's state: 10 leaves.
    #[derive(Clone, Debug, Telemetry)]
    #[allow(missing_docs, reason = "the fields name themselves")]
    pub struct State {
        pub version: u64,
        pub invoices: u64,
        pub retries: u32,
        pub balance_cents: i64,
        pub active: bool,
        pub delinquent: bool,
        pub previous_plan: Plan,
        pub billing_region: Region,
        pub status: &'static str,
        pub attempts: i32,
    }

    /// An account: 30 leaves in three structs.
    #[derive(Clone, Debug, Telemetry)]
    #[allow(missing_docs, reason = "the fields name themselves")]
    pub struct Account {
        pub owner: Owner,
        pub limits: Limits,
        pub state: State,
    }

    /// The component whose method takes an [`Account`].
    #[derive(Clone, Copy, Debug, Default)]
    pub struct Accounts;

    #[component]
    impl Accounts {
        /// Every leaf of `account`.
        #[inline(never)]
        pub fn update(&self, account: &Account) {
            black_box(account);
        }
    }

    /// The constant input.
    pub fn account() -> Account {
        Account {
            owner: Owner {
                business_id: BusinessId(Uuid::from_u128(0x9c5b_9925_5a8e_4c1b_8a57_0f83_2cd1_4b6e)),
                user_id: 42,
                seats: 3,
                verified: true,
                admin: false,
                plan: Plan::Starter,
                region: Region::NorthAmerica,
                country: "CA",
                locale: "en-CA",
                age_days: 400,
            },
            limits: Limits {
                max_invoices: 1_000,
                max_users: 5,
                max_projects: 10,
                invoicing: true,
                payroll: false,
                import: true,
                tier: Plan::Legacy,
                home: Region::Europe,
                currency: "CAD",
                quota_left: 17,
            },
            state: State {
                version: 7,
                invoices: 123,
                retries: 0,
                balance_cents: -4_200,
                active: true,
                delinquent: false,
                previous_plan: Plan::Pro,
                billing_region: Region::NorthAmerica,
                status: "open",
                attempts: 2,
            },
        }
    }

    static ACCOUNT: std::sync::LazyLock<Account> = std::sync::LazyLock::new(account);

    /// The component's method on the constant account.
    #[inline(never)]
    pub fn component_leaves_30() {
        Accounts.update(black_box(&ACCOUNT));
    }

    /// A hand-written span with the component's fields: the 30 leaves as
    /// `tracing` records them by hand (the UUID displayed, the enums as
    /// their names), `code.function.name`, `outcome` and `duration_ns`.
    #[inline(never)]
    pub fn manual_leaves_30() {
        let account = black_box(&*ACCOUNT);
        let (owner, limits, state) = (&account.owner, &account.limits, &account.state);
        let span = tracing::info_span!(
            "Accounts.update",
            account.owner.business_id = %owner.business_id.0,
            account.owner.user_id = owner.user_id,
            account.owner.seats = owner.seats,
            account.owner.verified = owner.verified,
            account.owner.admin = owner.admin,
            account.owner.plan = plan_name(owner.plan),
            account.owner.region = owner.region.name(),
            account.owner.country = owner.country,
            account.owner.locale = owner.locale,
            account.owner.age_days = owner.age_days,
            account.limits.max_invoices = limits.max_invoices,
            account.limits.max_users = limits.max_users,
            account.limits.max_projects = limits.max_projects,
            account.limits.invoicing = limits.invoicing,
            account.limits.payroll = limits.payroll,
            account.limits.import = limits.import,
            account.limits.tier = plan_name(limits.tier),
            account.limits.home = limits.home.name(),
            account.limits.currency = limits.currency,
            account.limits.quota_left = limits.quota_left,
            account.state.version = state.version,
            account.state.invoices = state.invoices,
            account.state.retries = state.retries,
            account.state.balance_cents = state.balance_cents,
            account.state.active = state.active,
            account.state.delinquent = state.delinquent,
            account.state.previous_plan = plan_name(state.previous_plan),
            account.state.billing_region = state.billing_region.name(),
            account.state.status = state.status,
            account.state.attempts = state.attempts,
            code.function.name = concat!(module_path!(), "::Accounts::update"),
            outcome = Empty,
            duration_ns = Empty
        );
        let started = Instant::now();
        {
            let _entered = span.enter();
            black_box(account);
        }
        let nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
        tracing::record_all!(span, outcome = "ok", duration_ns = nanos);
    }

    /// The name CACI records for a plan.
    pub fn plan_name(plan: Plan) -> &'static str {
        match plan {
            Plan::Starter => "STARTER",
            Plan::Legacy => "LEGACY",
            Plan::Pro => "PRO",
        }
    }

    impl Region {
        /// The name CACI records.
        pub fn name(self) -> &'static str {
            match self {
                Region::NorthAmerica => "NORTH_AMERICA",
                Region::Europe => "EUROPE",
            }
        }
    }
}
