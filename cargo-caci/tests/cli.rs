//! The installed binary, as `cargo caci …` runs it.

mod support;

use std::process::Command;

use support::*;

fn cargo_caci(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-caci"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn cargo_caci_init_dry_run_prints_the_diff_and_exits_zero() {
    let dir = crate_of(
        "cli",
        &[(
            "src/lib.rs",
            "pub struct Order {\n    pub order_id: u64,\n}\n\npub struct OrderRepo;\n\nimpl OrderRepo {\n    pub fn save(&self, order: Order) {}\n}\n",
        )],
    );
    let before = tree(&dir);
    let checkout = workspace();
    let output = cargo_caci(
        &dir,
        &["caci", "init", "--dry-run", "--caci-path", checkout.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("+#[caci_core::component]\n impl OrderRepo {"),
        "{stdout}"
    );
    assert_eq!(tree(&dir), before);
}

#[test]
fn usage_errors_exit_two_and_help_exits_zero() {
    let dir = scratch("cli-usage");
    let output = cargo_caci(&dir, &["caci", "inti"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown command `inti` (expected `init`)"));
    let output = cargo_caci(&dir, &["caci", "init", "--colour"]);
    assert_eq!(output.status.code(), Some(2));
    let output = cargo_caci(&dir, &["caci", "--help"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("Usage: cargo caci init [OPTIONS]"));
    // Outside the workspace's directory (the scratch directories are in
    // its target directory, below its Cargo.toml).
    let lone = std::env::temp_dir().join(format!("caci-init-no-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&lone).unwrap();
    let output = cargo_caci(&lone, &["caci", "init"]);
    let _ = std::fs::remove_dir_all(&lone);
    assert_eq!(output.status.code(), Some(1), "no Cargo.toml here: an error");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: cargo metadata failed"));
}

#[test]
fn a_file_with_crlf_line_endings_keeps_them() {
    let dir = crate_of(
        "crlf",
        &[(
            "src/lib.rs",
            "pub struct Order {\r\n    pub api_key: String,\r\n}\r\n\r\npub struct OrderRepo;\r\n\r\nimpl OrderRepo {\r\n    pub fn save(&self, order: Order) {}\r\n}\r\n",
        )],
    );
    init(&dir);
    let lib = read(&dir, "src/lib.rs");
    assert_eq!(
        lib,
        "#[derive(caci_core::Telemetry)]\r\npub struct Order {\r\n    #[telemetry(sensitive)]\r\n    pub api_key: String,\r\n}\r\n\r\n\
         pub struct OrderRepo;\r\n\r\n#[caci_core::component]\r\nimpl OrderRepo {\r\n    pub fn save(&self, order: Order) {}\r\n}\r\n"
    );
}
