//! Procedural macros for CACI. Use them through `caci-core`.
use proc_macro::TokenStream;

/// Derives `caci_core::Capture`.
#[proc_macro_derive(Telemetry, attributes(telemetry))]
pub fn derive_telemetry(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
