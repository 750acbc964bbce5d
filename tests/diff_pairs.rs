//! `deal diff` over the pairs in `tests/diff_pairs/` (`NAME.old.deal` and
//! `NAME.new.deal`, or an example as the old version: `EXAMPLE_PAIRS`):
//! the human report of each pair is a golden (`NAME.snap`), and for every
//! pair:
//!
//! - every effect's example replays: `deal query` on each version, with the
//!   example's query, day, `--event` and `--fact` flags (and its records as
//!   a scenario block added to a copy of the file), gives the "was" and
//!   "now" answers printed;
//! - an effect says when it holds in the contract's own times: every date
//!   in its sentence is one the contracts write (or the day after one, for
//!   `through`), or the comparison start, never a day read off one future;
//! - no effect is listed twice.
//!
//! To accept new output after an intended change:
//! `INSTA_UPDATE=always cargo test --test diff_pairs`, and review the diff.

mod common;

use common::{assert_golden, deal, root};
use serde_json::Value;
use std::collections::BTreeSet;

const DIR: &str = "tests/diff_pairs";

/// Pairs whose old version (or both) is a bundled example.
const EXAMPLE_PAIRS: [(&str, &str, &str); 2] = [
    (
        "agreements",
        "examples/msft_openai_2019.deal",
        "examples/msft_openai_2025.deal",
    ),
    (
        "licence_cure",
        "examples/hlv204_licence.deal",
        "tests/diff_pairs/licence_cure.new.deal",
    ),
];

/// Each pair's name, old file and new file, relative to the crate root.
fn pairs() -> Vec<(String, String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(root().join(DIR))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().to_string();
            name.strip_suffix(".old.deal").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 4, "the diff pairs have shrunk");
    let mut out: Vec<(String, String, String)> = names
        .into_iter()
        .map(|name| {
            let old = format!("{DIR}/{name}.old.deal");
            let new = format!("{DIR}/{name}.new.deal");
            assert!(root().join(&new).exists(), "{new} is missing");
            (name, old, new)
        })
        .collect();
    for (name, old, new) in EXAMPLE_PAIRS {
        out.push((name.to_string(), old.to_string(), new.to_string()));
    }
    out
}

fn diff_json(old: &str, new: &str) -> Value {
    let output = deal()
        .args(["diff", "--format", "json", old, new])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "deal diff {old} {new}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn each_pair_reads_as_its_golden() {
    for (name, old, new) in pairs() {
        let output = deal()
            .env("COLUMNS", "80")
            .args(["diff", &old, &new])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "deal diff {old} {new}");
        assert_golden(DIR, &name, &String::from_utf8(output.stdout).unwrap());
    }
}

/// `deal query FILE QUERY` in the example's future: its answer word. An
/// event or fact the version does not declare is left out for it; None
/// when the query names something the version does not declare. An
/// example that performs obligations prints their records: they are
/// replayed as a scenario block added to a copy of the file.
fn replay(file: &str, example: &Value) -> Option<String> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let loaded = deal::load(deal::source::SourceFile::new(file, text.clone()));
    let contract = loaded.contract().unwrap();
    let records: Vec<&str> = example["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let copy = tempfile::Builder::new().suffix(".deal").tempfile().unwrap();
    let mut target = file.to_string();
    let mut scenario: Vec<String> = Vec::new();
    if !records.is_empty() {
        let lines: Vec<String> = records.iter().map(|r| format!("  {r}\n")).collect();
        std::fs::write(
            copy.path(),
            format!("{text}\nscenario performed {{\n{}}}\n", lines.concat()),
        )
        .unwrap();
        target = copy.path().to_string_lossy().to_string();
        scenario = vec!["--scenario".into(), "performed".into()];
    }
    let mut args: Vec<String> = vec![
        "query".into(),
        target,
        example["query"].as_str().unwrap().into(),
        "--at".into(),
        example["day"].as_str().unwrap().into(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(scenario);
    for (name, day) in example["events"].as_object().unwrap() {
        if contract.event_decl(name).is_none() {
            continue;
        }
        args.push("--event".into());
        args.push(format!("{name}={}", day.as_str().unwrap()));
    }
    for (name, fact) in example["facts"].as_object().unwrap() {
        if contract.fact_decl(name).is_none() {
            continue;
        }
        args.push("--fact".into());
        args.push(format!("{name}={}", fact["value"].as_str().unwrap()));
    }
    let output = deal().args(&args).output().unwrap();
    if String::from_utf8_lossy(&output.stdout).contains("deal::unknown-name") {
        return None;
    }
    assert_eq!(
        output.status.code(),
        Some(0),
        "deal {}:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    Some(answer["answer"].as_str().unwrap().to_string())
}

#[test]
fn every_example_replays_on_both_versions() {
    let mut replayed = 0;
    for (name, old, new) in pairs() {
        let report = diff_json(&old, &new);
        for effect in report["effects"].as_array().unwrap() {
            let example = &effect["example"];
            let acts: Vec<&str> = effect["acts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            assert!(
                acts.contains(&example["query"].as_str().unwrap()),
                "{name}: the example asks one of the effect's queries: {effect}"
            );
            for (file, side) in [(&old, "old"), (&new, "new")] {
                let printed = example[side].as_str().unwrap();
                // `deal query` refuses a name the version does not declare
                // (a party only the new version has): such a query can be
                // asked of the other version only.
                if let Some(answer) = replay(file, example) {
                    assert_eq!(
                        answer, printed,
                        "{name}: the example of `{}` on the {side} version",
                        effect["description"]
                    );
                }
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 10, "only {replayed} examples replayed");
}

/// Every `YYYY-MM-DD` in a text.
fn dates_in(text: &str) -> Vec<chrono::NaiveDate> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for start in 0..bytes.len().saturating_sub(9) {
        if let Some(slice) = text.get(start..start + 10)
            && let Ok(day) = slice.parse::<chrono::NaiveDate>()
        {
            out.push(day);
        }
    }
    out
}

#[test]
fn effects_speak_in_the_contracts_own_times() {
    for (name, old, new) in pairs() {
        let mut written: BTreeSet<chrono::NaiveDate> = BTreeSet::new();
        for file in [&old, &new] {
            let text = std::fs::read_to_string(root().join(file)).unwrap();
            for day in dates_in(&text) {
                written.insert(day);
                written.extend(day.succ_opt());
            }
        }
        let report = diff_json(&old, &new);
        if let Some(from) = report["compared"]["from"].as_str() {
            written.insert(from.parse().unwrap());
        }
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        for effect in report["effects"].as_array().unwrap() {
            let description = effect["description"].as_str().unwrap();
            for day in dates_in(description) {
                assert!(
                    written.contains(&day),
                    "{name}: {day} is no date of the contracts: {description}"
                );
            }
            let party = effect["party"].as_str().unwrap().to_string();
            assert!(
                seen.insert((party, description.to_string())),
                "{name}: listed twice: {description}"
            );
        }
    }
}

#[test]
fn the_cure_period_moves_relative_to_the_notice() {
    let report = diff_json(
        &format!("{DIR}/cure_period.old.deal"),
        &format!("{DIR}/cure_period.new.deal"),
    );
    let effects = report["effects"].as_array().unwrap();
    assert_eq!(effects.len(), 1, "{effects:?}");
    let description = effects[0]["description"].as_str().unwrap();
    assert!(
        description.contains("from 60 days after breach_notice, until 90 days after breach_notice")
            && description.contains("now starts 90 days after breach_notice, not 60"),
        "{description}"
    );
}

#[test]
fn a_right_that_now_lasts_six_months_longer_says_so() {
    let report = diff_json(
        &format!("{DIR}/until_event.old.deal"),
        &format!("{DIR}/until_event.new.deal"),
    );
    let effects = report["effects"].as_array().unwrap();
    assert_eq!(effects.len(), 1, "{effects:?}");
    let description = effects[0]["description"].as_str().unwrap();
    assert!(
        description.contains("once breach_notice happens, until 6 months after breach_notice")
            && description
                .contains("now ends 6 months after breach_notice, not when breach_notice happens"),
        "{description}"
    );
}

#[test]
fn a_longer_payment_deadline_moves_the_violation() {
    let report = diff_json(
        &format!("{DIR}/payment_deadline.old.deal"),
        &format!("{DIR}/payment_deadline.new.deal"),
    );
    let effects: Vec<&Value> = report["effects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["query"] == "status")
        .collect();
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(effects[0]["change"], "deadline-later");
    let description = effects[0]["description"].as_str().unwrap();
    assert!(
        description.contains("from 31 days after approval, until 46 days after approval")
            && description.contains("the debt is now due 45 days after approval, not 30"),
        "{description}"
    );
    // The other way round, the debt falls due earlier.
    let back = diff_json(
        &format!("{DIR}/payment_deadline.new.deal"),
        &format!("{DIR}/payment_deadline.old.deal"),
    );
    let effects: Vec<&Value> = back["effects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["query"] == "status")
        .collect();
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(effects[0]["change"], "deadline-earlier");
    assert!(
        effects[0]["description"]
            .as_str()
            .unwrap()
            .contains("the debt is now due 30 days after approval, not 45"),
        "{}",
        effects[0]["description"]
    );
}

/// The effects of a pair on one party's `may` answers.
fn may_effects(name: &str) -> Vec<Value> {
    let report = diff_json(
        &format!("{DIR}/{name}.old.deal"),
        &format!("{DIR}/{name}.new.deal"),
    );
    report["effects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["query"] == "may")
        .cloned()
        .collect()
}

#[test]
fn a_remedy_moves_with_the_deadline_it_reads() {
    let effects = may_effects("remedy_deadline");
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(effects[0]["change"], "lost");
    assert_eq!(effects[0]["act"], "may helvion terminate licence");
    let description = effects[0]["description"].as_str().unwrap();
    assert!(
        description.contains("from 31 days after approval, until 46 days after approval")
            && description.contains("milestone is now due 45 days after approval, not 30"),
        "{description}"
    );
}

#[test]
fn a_changed_remedy_is_compared_where_the_debt_is_unpaid() {
    let effects = may_effects("remedy_changed");
    assert_eq!(effects.len(), 1, "{effects:?}");
    let description = effects[0]["description"].as_str().unwrap();
    // A payment after the deadline leaves the debt violated, so the change
    // shows with a late record too: no "only if ... performed" is claimed.
    assert!(
        description.contains("from 31 days after approval, until 40 days after approval")
            && !description.contains("performed"),
        "{description}"
    );
    assert_eq!(effects[0]["example"]["records"], serde_json::json!([]));
}

#[test]
fn a_reward_shows_in_a_future_where_the_debt_is_paid() {
    let effects = may_effects("reward");
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(effects[0]["change"], "gained");
    let description = effects[0]["description"].as_str().unwrap();
    assert!(
        description.contains("once milestone is performed"),
        "{description}"
    );
    // Paid after the old deadline (2025-01-31) and by the new one.
    let records = effects[0]["example"]["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    let record = records[0].as_str().unwrap();
    let paid: &str = record
        .strip_prefix("marlow pay $10M of fees to helvion on ")
        .unwrap_or_else(|| panic!("{record}"));
    assert!(("2025-02-01"..="2025-02-15").contains(&paid), "{record}");
}

#[test]
fn a_longer_grace_period_moves_the_remedy() {
    let effects = may_effects("recurrence");
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(effects[0]["change"], "lost");
    let description = effects[0]["description"].as_str().unwrap();
    assert!(
        description.contains("from 3 months and 30 days after first_sale"),
        "{description}"
    );
}
