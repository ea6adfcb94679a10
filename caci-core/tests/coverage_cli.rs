//! The command line: formats, colour, the gate, the baseline, and one clear
//! error with its exit code for every bad input.

mod coverage_fixture;

use std::path::PathBuf;
use std::process::ExitCode;

use caci_core::coverage::cli::{self, EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_OK, EXIT_USAGE, USAGE};
use caci_core::coverage::{ConfigurationSource, CoverageReport, RenderOptions};
use coverage_fixture::{CONFIG_JSON, METHODS, config};

inventory::submit! { METHODS[0] }
inventory::submit! { METHODS[1] }
inventory::submit! { METHODS[2] }
inventory::submit! { METHODS[3] }

struct Run {
    code: u8,
    stdout: String,
    stderr: String,
}

fn run_with_colour(args: &[&str], auto_color: bool) -> Run {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let args = args.iter().map(|arg| (*arg).to_owned());
    let outcome = cli::run_with(args, &METHODS, &mut stdout, &mut stderr, auto_color);
    Run {
        code: outcome.code(),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn run(args: &[&str]) -> Run {
    run_with_colour(args, false)
}

/// A fresh file path under a per-test directory.
fn temp(test: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("caci-coverage-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn config_file(test: &str) -> String {
    let path = temp(test, "caci.json");
    std::fs::write(&path, CONFIG_JSON).unwrap();
    path.display().to_string()
}

fn report() -> CoverageReport {
    CoverageReport::build(&config(), &METHODS)
}

/// The report the command prints for `--config path`.
fn report_of_file(path: &str) -> CoverageReport {
    let mut report = report();
    report.configuration_source = ConfigurationSource::File(path.to_owned());
    report
}

#[test]
fn help_prints_the_usage_and_succeeds() {
    for flag in ["--help", "-h"] {
        let run = run(&[flag]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (EXIT_OK, USAGE, "")
        );
    }
    assert!(USAGE.contains("--config FILE") && USAGE.contains("3  bad input"));
}

#[test]
fn the_process_entry_point_reads_the_registry() {
    assert_eq!(cli::run(["--help".to_owned()]).exit_code(), ExitCode::SUCCESS);
    assert_eq!(CoverageReport::from_registry(&config()), report());
}

#[test]
fn each_format_prints_the_report_built_from_the_configuration_file() {
    let config = config_file("formats");
    let text = run(&["--config", &config]);
    assert_eq!((text.code, text.stderr.as_str()), (EXIT_OK, ""));
    assert_eq!(text.stdout, report().render_text(RenderOptions { color: false }));

    let json = run(&["--config", &config, "--format", "json"]);
    assert_eq!(json.code, EXIT_OK);
    assert_eq!(
        CoverageReport::from_json(&json.stdout).unwrap(),
        report_of_file(&config)
    );

    let markdown = run(&["--config", &config, "--format=markdown"]);
    assert_eq!(markdown.code, EXIT_OK);
    assert_eq!(markdown.stdout, report().render_markdown(), "no gate, no gate section");
}

#[test]
fn without_a_configuration_file_or_an_installed_one_every_format_says_nothing_is_installed() {
    // Nothing is installed in this test binary (its tests use scoped configurations).
    let text = run(&[]);
    assert_eq!(text.code, EXIT_OK);
    assert!(
        text.stdout.starts_with(
            "CACI coverage: 0 of 18 inputs captured (0.0%) in 2 components, 4 methods\n\
             No configuration is installed: this reports the empty configuration, which captures nothing. Call\n  \
             caci_core::install(...) before dispatching to the coverage command, or pass --config FILE.\n"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stderr.starts_with("warning: No configuration is installed"),
        "{}",
        text.stderr
    );
    let markdown = run(&["--format", "markdown"]).stdout;
    assert!(
        markdown.contains("> **Warning:** No configuration is installed"),
        "{markdown}"
    );
    let json = run(&["--format", "json"]).stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["configuration_source"],
        serde_json::json!({"type": "nothing_installed"})
    );
    assert_eq!(
        CoverageReport::from_json(&json).unwrap().configuration_source,
        ConfigurationSource::NothingInstalled
    );
    let html = run(&["--format", "html"]).stdout;
    assert!(html.contains("data-warning=\"nothing-installed\""));

    // With a configuration in force, the report is of it, and says nothing more.
    let installed = caci_core::with_configuration(&config(), || run(&[]));
    assert!(
        installed
            .stdout
            .starts_with("CACI coverage: 8 of 18 inputs captured (44.4%)"),
        "{}",
        installed.stdout
    );
    assert!(!installed.stdout.contains("No configuration is installed"));
    assert_eq!(installed.stderr, "");
    let json = caci_core::with_configuration(&config(), || run(&["--format", "json"])).stdout;
    assert_eq!(
        CoverageReport::from_json(&json).unwrap().configuration_source,
        ConfigurationSource::Installed
    );
}

#[test]
fn colour_follows_the_terminal_unless_told_otherwise() {
    let config = config_file("colour");
    let coloured = |run: &Run| run.stdout.contains('\u{1b}');
    assert!(coloured(&run_with_colour(&["--config", &config], true)));
    assert!(!coloured(&run_with_colour(&["--config", &config], false)));
    assert!(!coloured(&run_with_colour(
        &["--config", &config, "--color", "never"],
        true
    )));
    assert!(coloured(&run_with_colour(
        &["--config", &config, "--color", "always"],
        false
    )));
    assert!(!coloured(&run_with_colour(
        &["--config", &config, "--color", "always", "--format", "json"],
        true
    )));
}

#[test]
fn the_minimum_gates_the_exit_code() {
    let config = config_file("minimum");
    let pass = run(&["--config", &config, "--min", "44"]);
    assert_eq!((pass.code, pass.stderr.as_str()), (EXIT_OK, "coverage gate passed\n"));
    let fail = run(&["--config", &config, "--min", "60", "--format", "markdown"]);
    assert_eq!(fail.code, EXIT_GATE_FAILED);
    assert_eq!(
        fail.stderr,
        "coverage gate failed:\n  - coverage 57.1% of the reachable inputs (8 of 14; 18 inputs in all) is below the minimum 60%\n"
    );
    assert!(
        fail.stdout.ends_with(
            "### Coverage gate\n\n❌ Failed:\n\n- coverage 57.1% of the reachable inputs (8 of 14; 18 inputs in all) is below the minimum 60%\n"
        )
    );
}

#[test]
fn update_baseline_writes_the_json_report_and_a_later_regression_fails() {
    let config = config_file("baseline");
    let baseline = temp("baseline", "coverage.json");
    let shown = baseline.display().to_string();
    let wrote = run(&["--config", &config, "--baseline", &shown, "--update-baseline"]);
    assert_eq!(wrote.code, EXIT_OK);
    assert_eq!(
        wrote.stderr,
        format!("wrote the baseline `{shown}` (8 of 18 inputs captured)\n"),
        "the old baseline is not compared with: it is being replaced"
    );
    assert_eq!(
        std::fs::read_to_string(&baseline).unwrap(),
        report_of_file(&config).to_json()
    );

    let same = run(&["--config", &config, "--baseline", &shown]);
    assert_eq!((same.code, same.stderr.as_str()), (EXIT_OK, "coverage gate passed\n"));

    let narrower = temp("baseline", "narrower.toml");
    std::fs::write(&narrower, "allowed_field_names = [\"country\", \"business.owner.user_id\"]\nallowed_field_kinds = [\"uuid\"]\nallowed_structs = [\"Receipt\"]\nallowed_dictionaries = [\"flags\"]\n").unwrap();
    let regressed = run(&["--config", &narrower.display().to_string(), "--baseline", &shown]);
    assert_eq!(regressed.code, EXIT_GATE_FAILED);
    assert_eq!(
        regressed.stderr,
        "coverage gate failed:\n  - regression: Billing.charge: currency was captured in the baseline, now not captured: not allowed\n"
    );
}

#[test]
fn a_missing_configuration_file_is_bad_input_named_in_one_error() {
    let missing = temp("missing-config", "absent.toml");
    let run = run(&["--config", &missing.display().to_string()]);
    assert_eq!(run.code, EXIT_BAD_INPUT);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(&format!(
            "error: invalid CACI configuration in `{}` (1 problem):\n  - file: cannot read it: ",
            missing.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_configuration_file_is_bad_input() {
    let path = temp("malformed-config", "caci.json");
    std::fs::write(&path, "{ \"allowed_field_names\": [\"plan\",] }").unwrap();
    let run = run(&["--config", &path.display().to_string()]);
    assert_eq!(run.code, EXIT_BAD_INPUT);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        format!("error: invalid CACI configuration in `{}` (1 problem):", path.display())
    );
    assert!(
        run.stderr.contains("line 1, column 34: invalid JSON: trailing comma"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_or_missing_baseline_is_bad_input() {
    let config = config_file("bad-baseline");
    let path = temp("bad-baseline", "coverage.json");
    let shown = path.display().to_string();

    let missing = run(&["--config", &config, "--baseline", &shown]);
    assert_eq!(missing.code, EXIT_BAD_INPUT);
    assert!(
        missing
            .stderr
            .starts_with(&format!("error: cannot read the baseline `{shown}`: ")),
        "{}",
        missing.stderr
    );
    assert!(missing.stderr.ends_with("(create it with --update-baseline)\n"));

    std::fs::write(&path, "{\"schema\": \"caci.coverage/v1\", \"totals\": ").unwrap();
    let malformed = run(&["--config", &config, "--baseline", &shown]);
    assert_eq!((malformed.code, malformed.stdout.as_str()), (EXIT_BAD_INPUT, ""));
    assert_eq!(
        malformed.stderr,
        format!(
            "error: the baseline `{shown}` is unusable: not a CACI coverage report: EOF while parsing a value at line 1 column 41\n"
        )
    );

    std::fs::write(&path, "{\"schema\": \"caci.coverage/v9\"}").unwrap();
    let other = run(&["--config", &config, "--baseline", &shown]);
    assert_eq!(other.code, EXIT_BAD_INPUT);
    assert!(
        other.stderr.contains("unsupported schema `caci.coverage/v9`"),
        "{}",
        other.stderr
    );

    let rewritten = run(&["--config", &config, "--baseline", &shown, "--update-baseline"]);
    assert_eq!(rewritten.code, EXIT_OK, "an unusable baseline can be replaced");
}

#[test]
fn an_unwritable_baseline_is_bad_input() {
    let config = config_file("unwritable");
    let path = temp("unwritable", "no-such-dir").join("coverage.json");
    let shown = path.display().to_string();
    let run = run(&["--config", &config, "--baseline", &shown, "--update-baseline"]);
    assert_eq!(run.code, EXIT_BAD_INPUT);
    assert!(
        run.stderr
            .starts_with(&format!("error: cannot write the baseline `{shown}`: ")),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2_with_one_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["--verbose"], "unknown option `--verbose`"),
        (&["-v"], "unknown option `-v`"),
        (
            &["--min=sixty"],
            "`--min` must be a percentage from 0 to 100, not `sixty`",
        ),
        (&["--format"], "`--format` needs a value: text, json, markdown or html"),
        (
            &["--format", "yaml"],
            "`--format` must be text, json, markdown or html, not `yaml`",
        ),
        (
            &["--color", "sometimes"],
            "`--color` must be auto, always or never, not `sometimes`",
        ),
        (
            &["--min", "150"],
            "`--min` must be a percentage from 0 to 100, not `150`",
        ),
        (
            &["--min", "sixty"],
            "`--min` must be a percentage from 0 to 100, not `sixty`",
        ),
        (
            &["--min", "--format", "json"],
            "`--min` needs a value: a percentage from 0 to 100",
        ),
        (&["--min", "1", "--min", "2"], "`--min` is given more than once"),
        (
            &["--update-baseline"],
            "`--update-baseline` needs `--baseline FILE` to write to",
        ),
        (
            &["--update-baseline=yes", "--baseline", "b.json"],
            "`--update-baseline` takes no value",
        ),
        (
            &["target/debug/my-service", "--min", "60"],
            "unexpected argument `target/debug/my-service` (pass the arguments without the program name, e.g. `std::env::args().skip(1)`; `merge` comes first)",
        ),
    ];
    for (args, message) in cases {
        let run = run(args);
        assert_eq!(run.code, EXIT_USAGE, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(
            run.stderr,
            format!("error: {message}\n\nRun with --help for the options.\n"),
            "{args:?}"
        );
    }
}

#[test]
fn exit_codes_are_distinct_and_documented() {
    assert_eq!([EXIT_OK, EXIT_GATE_FAILED, EXIT_USAGE, EXIT_BAD_INPUT], [0, 1, 2, 3]);
    for line in [
        "0  the report was printed",
        "1  the gate failed",
        "2  usage error",
        "3  bad input",
    ] {
        assert!(USAGE.contains(line), "{line}");
    }
}
