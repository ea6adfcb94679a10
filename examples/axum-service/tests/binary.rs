//! The README's command, `cargo run -p caci-axum-service -- --self-test`:
//! it serves on loopback, answers its own four requests, prints the spans
//! nested under each request, and exits 0.

use std::process::Command;

#[test]
fn the_self_test_command_terminates_and_prints_nested_spans() {
    let output = Command::new(env!("CARGO_BIN_EXE_caci-axum-service"))
        .arg("--self-test")
        .env_remove("RUST_LOG")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("self-test: ok"), "{stdout}");
    assert!(stdout.contains("GET /invoices/999 -> 404"), "{stdout}");
    assert!(
        stdout
            .contains(r#"}:InvoiceService.create{request.business_id=42 request.plan="PRO" request.amount_cents=1200"#),
        "CACI's span inside the request span:\n{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour codes when not a terminal");
    assert!(!stdout.contains("@example.com"), "no email in the output:\n{stdout}");
}
