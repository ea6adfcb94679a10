//! Expansion snapshots: one per form the derive accepts, and one for the
//! fallback emitted with errors.

use proc_macro2::TokenStream;
use quote::quote;

/// The derive's output, pretty-printed.
fn expand(input: TokenStream) -> String {
    let output = super::derive(input);
    let file = syn::parse2::<syn::File>(output.clone())
        .unwrap_or_else(|error| panic!("the expansion does not parse ({error}):\n{output}"));
    prettyplease::unparse(&file)
}

/// Snapshots live in `src/snapshots/`, named after the test.
macro_rules! assert_expansion {
    ($($input:tt)*) => {{
        let expanded = expand(quote!($($input)*));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(expanded));
    }};
}

#[test]
fn named_struct_with_every_attribute() {
    assert_expansion! {
        #[telemetry(rename_all = "camelCase")]
        struct Business {
            business_id: BusinessId,
            #[telemetry(rename = "tier")]
            plan: Plan,
            #[telemetry(skip)]
            cache: Cache,
            #[telemetry(sensitive)]
            owner_email: String,
            #[telemetry(flatten)]
            address: Address,
            r#type: Option<Vec<u8>>,
        }
    }
}

#[test]
fn newtype() {
    assert_expansion! {
        struct BusinessId(uuid::Uuid);
    }
}

#[test]
fn tuple_struct() {
    assert_expansion! {
        struct Range(u32, #[telemetry(rename = "end")] u32, #[telemetry(skip)] Cache, #[telemetry(sensitive)] Secret);
    }
}

#[test]
fn unit_struct() {
    assert_expansion! {
        struct Marker;
    }
}

#[test]
fn unit_enum_with_rename_all() {
    assert_expansion! {
        #[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
        enum Plan {
            Starter,
            #[telemetry(rename = "legacy-v1")]
            Legacy,
            ProMax,
        }
    }
}

#[test]
fn data_enum() {
    assert_expansion! {
        enum Payment {
            Card {
                last4: String,
                #[telemetry(sensitive)]
                number: String,
                #[telemetry(skip)]
                cvv: String,
                #[telemetry(rename = "network")]
                brand: Brand,
            },
            Transfer(Iban, #[telemetry(skip)] Cache, #[telemetry(rename = "reference")] String),
            Wallet(#[telemetry(flatten)] WalletDetails),
            Voucher(#[telemetry(sensitive)] String),
            Cash,
        }
    }
}

#[test]
fn empty_enum() {
    assert_expansion! {
        enum Never {}
    }
}

#[test]
fn generic_struct() {
    assert_expansion! {
        struct Page<'a, T, U: Clone, S, W, const N: usize>
        where
            T: core::fmt::Debug,
        {
            items: Vec<T>,
            cursor: &'a str,
            #[telemetry(skip)]
            state: S,
            #[telemetry(sensitive)]
            token: U,
            #[telemetry(flatten)]
            window: Window<W>,
            sizes: [u8; N],
        }
    }
}

#[test]
fn crate_path() {
    assert_expansion! {
        #[telemetry(crate = caci::core)]
        struct Flag {
            enabled: bool,
        }
    }
}

#[test]
fn fallback_on_error() {
    assert_expansion! {
        #[telemetry(crate = "caci::core")]
        struct Broken<T> {
            #[telemetry(bogus)]
            value: T,
        }
    }
}

#[test]
fn foreign_field_types() {
    assert_expansion! {
        struct Invoice<T> {
            #[telemetry(display)]
            number: InvoiceNumber,
            #[telemetry(with = "money::as_cents")]
            total: Decimal,
            #[telemetry(display, rename = "tag")]
            label: T,
        }
    }
}

#[test]
fn foreign_fields_in_variants_and_newtypes() {
    assert_expansion! {
        enum Event {
            Paid(#[telemetry(display)] Amount, #[telemetry(with = view)] Receipt),
        }
    }
    assert_expansion! {
        struct When(#[telemetry(with = "as_date")] Instant);
    }
}
