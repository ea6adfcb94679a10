//! `cargo run -p caci-examples`: what it prints shows the leak, the fix, a
//! few span trees, and no personal value.

mod support;

use std::time::Duration;

use caci_examples::domain::Plan;
use caci_examples::signups;
use caci_examples::story::{PRINTED_SIGNUPS, SIGNUPS, SIGNUPS_AFTER_FIX};
use support::{accepted_on, run_example};

/// The plan × feature group tables in the output: for each, the rows with
/// their counts under STARTER, LEGACY, PRO.
fn tables(stdout: &str) -> Vec<Vec<(String, Vec<usize>)>> {
    let mut tables = Vec::new();
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("plan \\ feature_group") {
            continue;
        }
        let header: Vec<&str> = line.split_whitespace().skip(3).collect();
        assert_eq!(header, ["STARTER", "LEGACY", "PRO"], "table header: {line}");
        let rows = lines
            .by_ref()
            .take_while(|row| !row.trim().is_empty())
            .map(|row| {
                let mut cells = row.split_whitespace();
                let plan = cells.next().unwrap().to_owned();
                (plan, cells.map(|cell| cell.parse().expect("a count")).collect())
            })
            .collect();
        tables.push(rows);
    }
    tables
}

#[test]
fn the_main_command_shows_the_leak_then_the_fix() {
    let (_, stdout, elapsed) = run_example(&[]);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    assert!(stdout.starts_with("OTLP export: off"), "{stdout}");

    let tables = tables(&stdout);
    assert_eq!(tables.len(), 2, "two tables, before and after the fix:\n{stdout}");
    let starter = accepted_on(Plan::Starter, 0..SIGNUPS);
    let expected_before = vec![
        ("STARTER".to_owned(), vec![0, starter, 0]),
        ("LEGACY".to_owned(), vec![0, accepted_on(Plan::Legacy, 0..SIGNUPS), 0]),
        ("PRO".to_owned(), vec![0, 0, accepted_on(Plan::Pro, 0..SIGNUPS)]),
    ];
    assert_eq!(tables[0], expected_before, "{stdout}");
    let after = SIGNUPS..SIGNUPS + SIGNUPS_AFTER_FIX;
    let expected_after = vec![
        (
            "STARTER".to_owned(),
            vec![accepted_on(Plan::Starter, after.clone()), 0, 0],
        ),
        (
            "LEGACY".to_owned(),
            vec![0, accepted_on(Plan::Legacy, after.clone()), 0],
        ),
        ("PRO".to_owned(), vec![0, 0, accepted_on(Plan::Pro, after)]),
    ];
    assert_eq!(tables[1], expected_after, "{stdout}");

    assert!(
        stdout.contains(&format!(
            "!! {starter} businesses on the free STARTER plan have TRANSACTION_IMPORT"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("revoked TRANSACTION_IMPORT from {starter} businesses")),
        "{stdout}"
    );
    assert!(stdout.contains("STARTER -> STARTER"), "{stdout}");
    assert!(stdout.contains("Coverage report"), "{stdout}");
}

#[test]
fn the_main_command_prints_a_few_span_trees_not_hundreds() {
    let (_, stdout, _) = run_example(&[]);
    let roots: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("SubscriptionApi.initialize_business "))
        .collect();
    assert_eq!(roots.len(), PRINTED_SIGNUPS + 1, "{stdout}");
    assert!(roots[0].contains("request.plan=\"STARTER\""), "{}", roots[0]);
    assert!(roots[0].contains("request.seats=1 "), "{}", roots[0]);
    assert!(roots[0].contains("request.accepted_terms=true"), "{}", roots[0]);
    let activations: Vec<&str> = stdout
        .lines()
        .filter(|line| line.trim_start().starts_with("FeatureStore.activate_features "))
        .collect();
    assert_eq!(activations.len(), PRINTED_SIGNUPS + 1, "{stdout}");
    assert!(
        activations[0].starts_with("    "),
        "nested two levels: {}",
        activations[0]
    );
    assert!(
        activations[0].contains("plan=\"STARTER\" feature_group=\"LEGACY\"")
            && activations[0].contains("TRANSACTION_IMPORT"),
        "{}",
        activations[0]
    );
    let last = activations[PRINTED_SIGNUPS];
    assert!(
        last.contains("plan=\"STARTER\" feature_group=\"STARTER\"") && !last.contains("TRANSACTION_IMPORT"),
        "{last}"
    );
}

#[test]
fn the_main_command_prints_no_personal_value() {
    let (output, stdout, _) = run_example(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut checked = 0;
    for index in 0..SIGNUPS + SIGNUPS_AFTER_FIX {
        for value in signups::personal_values(index) {
            assert!(!stdout.contains(&value), "stdout contains {value:?}");
            assert!(!stderr.contains(&value), "stderr contains {value:?}");
            checked += 1;
        }
    }
    assert!(checked > 3 * (SIGNUPS + SIGNUPS_AFTER_FIX) as usize);
    // The output does carry the data the configuration allows.
    let user_id = signups::request(0).user.user_id.0.to_string();
    assert!(stdout.contains(&user_id), "the first user's id is printed");
}
