//! Compile-time behaviour: what users see when the derive is misused, and
//! that the expansion is hygienic. The `.stderr` files are pinned to the
//! workspace toolchain; regenerate them with
//! `TRYBUILD=overwrite cargo test -p caci-derive --test compile_fail`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/pass/*.rs");
}
