//! `deal explore` says nothing a replay would contradict: every timeline's
//! example, given back to `deal query` as `--event`/`--fact` flags, gives
//! that timeline's answer on the first and last day of each of its
//! segments; no example places an event before the contract's `effective`
//! date; and the "when" conditions are about the events as written.
//!
//! Run over every clause's act (and holds) of the examples, the clean
//! corpus and tests/explore/.

mod common;

use common::{TempDir, clause_queries, deal, deal_files, load_contract};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn previous_day(day: &str) -> String {
    let date: chrono::NaiveDate = day.parse().unwrap();
    date.pred_opt().unwrap().to_string()
}

/// The file to replay an example in: the contract itself, or, when the
/// example assumes performance, the contract with a `scenario` block of
/// the records it prints (events and facts still come as flags).
fn replay_file(file: &Path, example: &Value, scratch: &TempDir) -> (PathBuf, Option<&'static str>) {
    let Some(records) = example.get("records").and_then(Value::as_array) else {
        return (file.to_path_buf(), None);
    };
    let mut contract = std::fs::read_to_string(file).unwrap();
    contract.push_str("\nscenario explore_example {\n");
    for record in records {
        contract.push_str(&format!("  {}\n", text(record)));
    }
    contract.push_str("}\n");
    (
        scratch.write("replay.deal", &contract),
        Some("explore_example"),
    )
}

/// The answer `deal query` gives on `day` in the example.
fn replay(file: &Path, query: &str, example: &Value, day: &str) -> String {
    let scratch = TempDir::new("explore-replay");
    let (file, scenario) = replay_file(file, example, &scratch);
    let file = file.as_path();
    let mut cmd = deal();
    cmd.arg("query").arg(file).arg(query).arg("--at").arg(day);
    cmd.arg("--format").arg("json");
    if let Some(name) = scenario {
        cmd.arg("--scenario").arg(name);
    }
    for (event, date) in example["events"].as_object().unwrap() {
        cmd.arg("--event").arg(format!("{event}={}", text(date)));
    }
    for (fact, value) in example["facts"].as_object().unwrap() {
        cmd.arg("--fact").arg(format!("{fact}={}", text(value)));
    }
    let output = cmd.output().unwrap();
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "{} {query} on {day} with {example}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    text(&answer["answer"])
}

fn check_file(file: &Path) -> usize {
    let Some(contract) = load_contract(file) else {
        return 0;
    };
    let mut replayed = 0;
    for query in clause_queries(&contract) {
        let output = deal()
            .arg("explore")
            .arg("--format")
            .arg("json")
            .arg(file)
            .arg(&query)
            .output()
            .unwrap();
        if output.status.code() != Some(0) {
            continue; // a refusal (deal::limit) states no timeline
        }
        let exploration: Value = serde_json::from_slice(&output.stdout).unwrap();
        let until = text(&exploration["until"]);
        for timeline in exploration["timelines"].as_array().unwrap() {
            let example = &timeline["example"];
            if let Some(effective) = contract.effective() {
                for (event, date) in example["events"].as_object().unwrap() {
                    let date: chrono::NaiveDate = text(date).parse().unwrap();
                    assert!(
                        date >= effective,
                        "{}: `{query}`: example places {event} on {date}, before effective",
                        file.display()
                    );
                }
            }
            let segments = timeline["segments"].as_array().unwrap();
            for (i, segment) in segments.iter().enumerate() {
                let first = text(&segment["from"]);
                let last = segments
                    .get(i + 1)
                    .map_or(until.clone(), |next| previous_day(&text(&next["from"])));
                let expected = text(&segment["answer"]);
                for day in [&first, &last] {
                    let got = replay(file, &query, example, day);
                    assert_eq!(
                        got,
                        expected,
                        "{}: `{query}`, timeline \"{}\", example {example}, on {day}",
                        file.display(),
                        timeline["description"]
                    );
                    replayed += 1;
                }
            }
        }
    }
    replayed
}

#[test]
fn every_example_replays_its_timeline() {
    let mut files = deal_files("examples");
    files.extend(deal_files("tests/corpus/ok"));
    files.extend(deal_files("tests/explore"));
    files.extend(deal_files("tests/v2"));
    let replayed: usize = files.iter().map(|f| check_file(f)).sum();
    assert!(replayed > 50, "only {replayed} replays");
}

fn explore_human(file: &str, query: &str) -> (Option<i32>, String, String) {
    let output = deal()
        .env("COLUMNS", "100")
        .arg("explore")
        .arg(file)
        .arg(query)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn conditions_are_about_the_event_as_written() {
    let (code, out, _) = explore_human(
        "tests/explore/cure_60.deal",
        "may helvion terminate agreement",
    );
    assert_eq!(code, Some(0));
    // `breach_notice + 60 days` falls in the range exactly when
    // `breach_notice` is on or before 2034-11-02 (the range ends 2035-01-01).
    assert!(
        out.contains("when `breach_notice` happens on or before 2034-11-02\n"),
        "{out}"
    );
    assert!(
        out.contains("when `breach_notice` does not happen on or before 2034-11-02\n"),
        "{out}"
    );
    // Not stated against the shifted date, and no "yes throughout": the
    // notice cannot come before the contract takes effect.
    assert!(!out.contains("2035-01-01\n   example"), "{out}");
    assert!(!out.contains("yes throughout"), "{out}");
}

#[test]
fn no_conditions_claimed_when_the_order_of_events_decides() {
    let (code, out, _) = explore_human("tests/explore/order_decides.deal", "may p use z");
    assert_eq!(code, Some(0));
    // "yes throughout" holds when `a` never happens or when `x` falls on the
    // same day as `a`: no condition on each event alone says that.
    let yes = out
        .split("\n\n")
        .find(|block| block.contains("yes throughout"))
        .unwrap();
    assert!(
        yes.contains("their order against each other decides it"),
        "{yes}"
    );
}

#[test]
fn an_evaluation_error_is_reported_not_dropped() {
    let (code, out, err) = explore_human(
        "tests/explore/explore-drops-erroring-futures.deal",
        "may a act x",
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("deal::eval"), "{err}");
}

/// Issue reproducers that ran for 10-40 s before refusing: each now ends in
/// a `deal::limit` refusal (exit 1, nothing on stdout) after a bounded
/// amount of work.
#[test]
fn costly_explorations_are_refused_with_a_limit() {
    for file in [
        "tests/hostile_explore/explore-slow-many-clauses.deal",
        "tests/hostile_explore/explore-slow-200-facts.deal",
        "tests/regressions/lint-futures-budget.deal",
    ] {
        let (code, out, err) = explore_human(file, "may a act x");
        assert_eq!(code, Some(1), "{file}: {out}");
        assert!(out.is_empty(), "{file}: {out}");
        assert!(err.contains("deal::limit"), "{file}: {err}");
    }
}

#[test]
fn performance_is_tried_for_debts_and_recurring_obligations() {
    let file = "tests/explore/remedy_for_unpaid_fee.deal";
    // A reward for paying: the fee paid in time, and paid on a later day.
    let (code, out, _) = explore_human(file, "may a use contract");
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("unspecified until fee_due fulfilled, then yes"),
        "{out}"
    );
    assert!(out.contains("a pay 100 of fee to b on "), "{out}");
    // A remedy for not paying a recurring obligation: with every instance
    // paid on time it never opens; left unpaid, it opens the day after the
    // first deadline.
    let (code, out, _) = explore_human(file, "may b terminate contract");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("unspecified throughout"), "{out}");
    assert!(
        out.contains("a pay 10 of fee to b on 2025-01-01, a pay 10 of fee to b on 2025-04-01"),
        "{out}"
    );
    assert!(
        out.contains("unspecified until 2025-04-16, then yes"),
        "{out}"
    );
}
