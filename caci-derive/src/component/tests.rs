//! Expansion snapshots (in `src/component/snapshots/`): one per body shape,
//! and the fallback emitted with errors.

use proc_macro2::TokenStream;
use quote::quote;

/// The macro's output, pretty-printed.
fn pretty(output: TokenStream) -> String {
    let file = syn::parse2::<syn::File>(output.clone())
        .unwrap_or_else(|error| panic!("the expansion does not parse ({error}):\n{output}"));
    prettyplease::unparse(&file)
}

macro_rules! assert_expansion {
    ($expanded:expr) => {{
        let expanded = pretty($expanded);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(expanded));
    }};
}

#[test]
fn sync_methods() {
    assert_expansion!(super::component(
        quote!(),
        quote! {
            impl SubscriptionService {
                #[caci(capture_output, skip_input = "token")]
                pub fn initialize_business(&self, business: &Business, token: &str) -> Result<Subscription, Declined> {
                    self.plans.start(business)
                }

                fn ranges(&mut self, (low, high): (u32, u32)) {
                    self.low = low;
                }
            }
        }
    ));
}

#[test]
fn async_and_future_methods() {
    assert_expansion!(super::component(
        quote!(level = "debug", target = "billing"),
        quote! {
            impl<'a, T: Capture> Billing<'a, T> {
                async fn charge(&self, item: T, cents: u64) -> u64 {
                    self.gateway.charge(cents).await
                }

                fn later(&self) -> impl Future<Output = u32> + '_ {
                    async move { self.count }
                }
            }
        }
    ));
}

#[test]
fn async_and_future_methods_of_a_non_generic_impl() {
    assert_expansion!(super::component(
        quote!(),
        quote! {
            impl Billing {
                async fn charge(&self, cents: u64) -> u64 {
                    self.gateway.charge(cents).await
                }

                fn later(&self) -> impl Future<Output = u32> + '_ {
                    async move { self.count }
                }
            }
        }
    ));
}

#[test]
fn free_function() {
    assert_expansion!(super::instrument_fn(
        quote!(component = "Billing", crate = my::caci),
        quote! {
            unsafe fn charge(cents: i64) -> i64 {
                cents
            }
        }
    ));
}

#[test]
fn fallback_on_error() {
    let output = super::component(
        quote!(),
        quote! {
            impl Service {
                #[caci(level = "loud")]
                fn charge(&self) {}

                #[caci(skip)]
                fn refund(&self) {}
            }
        },
    );
    let text = output.to_string();
    assert!(text.contains("compile_error"), "{text}");
    let item = text.split_once("impl").map(|(_, item)| item).unwrap_or_default();
    assert_eq!(
        item.replace(' ', ""),
        "Service{fncharge(&self){}fnrefund(&self){}}",
        "the item as written, without `#[caci]`"
    );
}
