//! Compile-time behaviour of `#[component]` and `#[instrument_fn]`: what
//! users see when they are misused (at the offending tokens, once), and that
//! the expansion is hygienic. The `.stderr` files are pinned to the workspace
//! toolchain; regenerate them with
//! `TRYBUILD=overwrite cargo test -p caci-derive --test component_compile_fail`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/component_ui/*.rs");
    cases.pass("tests/component_ui/pass/*.rs");
}
