//! `deal diff`: the two examples (the changes and effects the 2025
//! agreement reports), a file against itself, clause matching, the JSON
//! shape and exit codes.

mod common;

use assert_cmd::Command;
use deal::diff::{DiffReport, Effect, diff};
use deal::eval::Contract;
use deal::source::SourceFile;
use serde_json::Value;
use std::path::Path;

const OLD: &str = "examples/msft_openai_2019.deal";
const NEW: &str = "examples/msft_openai_2025.deal";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn contract_from(name: &str, text: &str) -> Contract {
    deal::load(SourceFile::new(name, text.to_string()))
        .contract()
        .unwrap_or_else(|d| panic!("{name} should evaluate: {d:#?}"))
}

fn example(path: &str) -> Contract {
    contract_from(path, &std::fs::read_to_string(root().join(path)).unwrap())
}

fn examples_diff() -> DiffReport {
    diff(&example(OLD), &example(NEW))
}

/// `deal` at a fixed width of 100 columns.
fn deal() -> Command {
    let mut command = common::deal();
    command.env("COLUMNS", "100");
    command
}

/// The one effect for this party, change word and act (query text).
fn effect<'r>(report: &'r DiffReport, party: &str, change: &str, act: &str) -> &'r Effect {
    let found: Vec<&Effect> = report
        .effects
        .effects
        .iter()
        .filter(|e| e.party == party && e.change == change && e.act == act)
        .collect();
    match found.as_slice() {
        [only] => only,
        _ => panic!(
            "expected one `{change}` effect for {party} on `{act}`, found {}; all effects:\n{}",
            found.len(),
            report
                .effects
                .effects
                .iter()
                .map(|e| format!("{} {} {}: {}", e.party, e.change, e.act, e.description))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn changed_field<'r>(
    report: &'r DiffReport,
    label: &str,
    field: &str,
) -> (Option<&'r str>, Option<&'r str>) {
    let change = report
        .clauses
        .changed
        .iter()
        .find(|c| c.new.label == label)
        .unwrap_or_else(|| panic!("`{label}` is not reported as changed"));
    let field = change
        .changes
        .iter()
        .find(|f| f.field == field)
        .unwrap_or_else(|| panic!("`{label}` has no change in `{field}`: {:?}", change.changes));
    (field.old.as_deref(), field.new.as_deref())
}

#[test]
fn the_right_of_first_refusal_is_lost() {
    let report = examples_diff();
    assert!(report.clauses.removed.iter().any(|c| c.label == "rofr"));
    assert!(report.clauses.added.iter().any(|c| c.label == "no_rofr"));
    let lost = effect(&report, "microsoft", "lost", "holds microsoft compute_rofr");
    assert!(lost.always);
    assert_eq!(lost.new, vec!["no"]);
    assert!(
        lost.description
            .starts_with("Microsoft Corporation no longer holds compute_rofr"),
        "{}",
        lost.description
    );
    assert_eq!(lost.example.old_clauses, vec!["rofr"]);
    assert_eq!(lost.example.new_clauses, vec!["no_rofr"]);
}

#[test]
fn co_development_is_gained() {
    let report = examples_diff();
    for act in [
        "may openai develop codev_api on azure with third_party",
        "may openai develop non_api with third_party",
    ] {
        let gained = effect(&report, "openai", "gained", act);
        assert!(gained.always, "{}", gained.description);
    }
    // The old prohibition (on `products`) is gone, and co-developed API
    // products are held to Azure.
    effect(
        &report,
        "openai",
        "no-longer-forbidden",
        "may openai develop products with third_party",
    );
    let azure_only = effect(
        &report,
        "openai",
        "newly-forbidden",
        "may openai develop codev_api on aws",
    );
    assert!(
        azure_only.description.contains("on aws with anyone"),
        "{}",
        azure_only.description
    );
}

#[test]
fn open_weight_models_are_gained_under_the_capability_criteria() {
    let report = examples_diff();
    let gained = effect(
        &report,
        "openai",
        "gained",
        "may openai release open_weight_models",
    );
    assert!(!gained.always);
    assert!(
        gained
            .description
            .contains("when meets_capability_criteria"),
        "{}",
        gained.description
    );
    assert_eq!(gained.old, vec!["no"]);
    assert_eq!(gained.example.new_clauses, vec!["open_weights"]);
}

#[test]
fn microsoft_may_pursue_agi() {
    let report = examples_diff();
    let gained = effect(
        &report,
        "microsoft",
        "gained",
        "may microsoft pursue agi_research",
    );
    assert!(gained.always);
    assert!(
        gained.description.contains("(it was forbidden)"),
        "{}",
        gained.description
    );
}

#[test]
fn research_ip_now_ends_with_2030_or_verification() {
    let report = examples_diff();
    assert_eq!(
        changed_field(&report, "research_ip", "end"),
        (None, Some("until 2031-01-01 or agi_verified"))
    );
    let lost = effect(&report, "microsoft", "lost", "holds microsoft research_ip");
    assert!(lost.always, "research IP ends in every future");
    assert!(
        lost.description
            .contains("from 2031-01-01, even if agi_verified never happens"),
        "{}",
        lost.description
    );
    assert!(
        lost.description
            .contains("earlier if agi_verified happens first")
    );
    assert_eq!(lost.example.day.to_string(), "2031-01-01");
    assert!(lost.example.events.is_empty());
}

#[test]
fn model_ip_now_runs_through_2032() {
    let report = examples_diff();
    assert_eq!(
        changed_field(&report, "model_ip", "end"),
        (None, Some("through 2032-12-31"))
    );
    let lost = effect(&report, "microsoft", "lost", "holds microsoft model_ip");
    assert!(lost.always);
    assert!(
        lost.description.contains("from 2033-01-01"),
        "{}",
        lost.description
    );
}

#[test]
fn the_stake_falls_from_32_5_to_27_percent() {
    let report = examples_diff();
    assert_eq!(
        changed_field(&report, "ms_stake", "quantity"),
        (Some("32.5%"), Some("27%"))
    );
    let stake = report.lets.iter().find(|l| l.name == "stake").unwrap();
    assert_eq!(stake.change_word(), "changed");
    assert_eq!(stake.old.as_ref().unwrap().shown(), "32.5%");
    assert_eq!(stake.new.as_ref().unwrap().shown(), "27%");
    // The stake is held in both versions: no effect on holding it.
    assert!(
        !report
            .effects
            .effects
            .iter()
            .any(|e| e.act == "holds microsoft openai")
    );
}

#[test]
fn api_exclusivity_now_lasts_until_verification() {
    let report = examples_diff();
    assert_eq!(
        changed_field(&report, "api_exclusive", "end"),
        (Some("until agi_declared"), Some("until agi_verified"))
    );
    assert_eq!(
        changed_field(&report, "api_exclusive", "unless"),
        (Some("openai_profits >= $100B"), None)
    );
    let forbidden = effect(
        &report,
        "openai",
        "newly-forbidden",
        "may openai host api on aws",
    );
    assert!(
        forbidden.description.contains("once agi_declared happens")
            && forbidden.description.contains("until agi_verified happens"),
        "{}",
        forbidden.description
    );
    assert!(forbidden.description.contains("to anyone but us_natsec"));
    // National-security customers may be served anywhere, whatever happens.
    let natsec = effect(
        &report,
        "openai",
        "gained",
        "may openai host api to us_natsec",
    );
    assert!(natsec.always);
}

#[test]
fn new_obligations_and_declarations_are_reported() {
    let report = examples_diff();
    let revenue = effect(
        &report,
        "openai",
        "obligation-added",
        "must openai pay revenue_share to microsoft",
    );
    assert!(revenue.description.contains("until agi_verified happens"));
    effect(
        &report,
        "openai",
        "obligation-added",
        "must openai purchase azure_services with microsoft",
    );
    let added: Vec<&str> = report
        .declarations
        .added
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert!(added.contains(&"agi_verified") && added.contains(&"panel"));
    let removed: Vec<&str> = report
        .declarations
        .removed
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(removed, vec!["products", "openai_profits"]);
    assert_eq!(
        report
            .header
            .iter()
            .map(|h| h.field.as_str())
            .collect::<Vec<_>>(),
        vec!["title", "effective"]
    );
}

#[test]
fn unchanged_clauses_are_not_mentioned() {
    let report = examples_diff();
    let human = deal::diff::human(&report, 100);
    // Unchanged in text (ms_stake changed; these did not exist or did not change).
    for label in report.clauses.changed.iter().map(|c| c.new.label.as_str()) {
        assert!(
            ["ms_stake", "api_exclusive", "model_ip", "research_ip"].contains(&label),
            "{label}"
        );
    }
    assert!(human.contains("Clauses changed (4)"));
}

#[test]
fn a_file_against_itself_reports_nothing() {
    let contract = example(NEW);
    let report = diff(&contract, &contract);
    assert!(report.is_empty(), "{report:#?}");
    let output = deal().args(["diff", NEW, NEW]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("No changes"), "{stdout}");
    let json = deal()
        .args(["diff", "--format", "json", OLD, OLD])
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["clauses"]["added"], serde_json::json!([]));
    assert_eq!(value["clauses"]["changed"], serde_json::json!([]));
    assert_eq!(value["effects"], serde_json::json!([]));
    assert_eq!(value["lets"], serde_json::json!([]));
}

#[test]
fn json_shape() {
    let output = deal()
        .args(["diff", "--format", "json", OLD, NEW])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let value: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(value["old"], OLD);
    assert_eq!(value["new"], NEW);
    for key in ["added", "removed", "changed"] {
        assert!(value["clauses"][key].is_array(), "clauses.{key}");
    }
    let changed = value["clauses"]["changed"].as_array().unwrap();
    let stake = changed.iter().find(|c| c["label"] == "ms_stake").unwrap();
    assert_eq!(
        stake["changes"],
        serde_json::json!([{"field": "quantity", "old": "32.5%", "new": "27%"}])
    );
    assert!(
        value["lets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["name"] == "stake"
                && l["old"] == "32.5%"
                && l["new"] == "27%"
                && l["change"] == "changed")
    );
    for key in ["added", "removed"] {
        assert!(value["declarations"][key].is_array());
    }
    let effects = value["effects"].as_array().unwrap();
    assert!(!effects.is_empty());
    for e in effects {
        for key in ["party", "change", "act", "description"] {
            assert!(e[key].is_string(), "{key} in {e}");
        }
        assert!(
            [
                "gained",
                "lost",
                "newly-forbidden",
                "no-longer-forbidden",
                "obligation-added",
                "obligation-removed"
            ]
            .contains(&e["change"].as_str().unwrap())
        );
        let example = &e["example"];
        assert!(
            example["day"].is_string()
                && example["events"].is_object()
                && example["facts"].is_object()
        );
    }
    let open_weights = effects
        .iter()
        .find(|e| e["act"] == "may openai release open_weight_models" && e["change"] == "gained")
        .unwrap();
    assert_eq!(
        open_weights["example"]["facts"]["meets_capability_criteria"],
        serde_json::json!({"type": "bool", "value": "true", "display": "true"})
    );
}

#[test]
fn exit_codes() {
    let dir = std::env::temp_dir().join(format!("deal-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.deal");
    std::fs::write(
        &bad,
        "party a\nasset x\naction use\na may use nothing_declared\n",
    )
    .unwrap();
    deal().arg("diff").arg(OLD).arg(&bad).assert().code(1);
    let json = deal()
        .args(["diff", "--format", "json", OLD])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["errors"], 1);
    deal()
        .args(["diff", OLD, "no/such/file.deal"])
        .assert()
        .code(2);
}

const BEFORE: &str = r#"
party a "Alpha"
party b
asset x
asset y
venue v1
venue v2
action use
event e
a may use x on v1
a holds y
anyone may use y
renamed: b must use x by 2030-01-01
"#;

const AFTER: &str = r#"
party a "Alpha"
party b
asset x
asset y
venue v1
venue v2
action use
event e
fact n: number

a may use x on v1, v2 until e
b holds y when n > 3
kept: b must use x by 2030-01-01
exclusive y on v2
"#;

#[test]
fn clauses_match_by_label_then_structure() {
    let report = diff(
        &contract_from("before.deal", BEFORE),
        &contract_from("after.deal", AFTER),
    );
    // The unlabelled `a may use x` matches by its body though its line moved.
    let moved = report
        .clauses
        .changed
        .iter()
        .find(|c| c.new.text.starts_with("a may use x"))
        .expect("matched by structure");
    let fields: Vec<(&str, Option<&str>, Option<&str>)> = moved
        .changes
        .iter()
        .map(|f| (f.field.as_str(), f.old.as_deref(), f.new.as_deref()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("on", Some("v1"), Some("v1, v2")),
            ("end", None, Some("until e"))
        ]
    );
    // A clause renamed but otherwise the same is a label change.
    let renamed = report
        .clauses
        .changed
        .iter()
        .find(|c| c.new.label == "kept")
        .unwrap();
    assert_eq!(renamed.old.label, "renamed");
    assert_eq!(renamed.changes.len(), 1);
    assert_eq!(renamed.changes[0].field, "label");
    let added: Vec<&str> = report
        .clauses
        .added
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(added, vec!["b holds y when n > 3", "exclusive y on v2"]);
    let removed: Vec<&str> = report
        .clauses
        .removed
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(removed, vec!["a holds y", "anyone may use y"]);

    // Effects: the exclusivity forbids anyone to use y on v1; b's holding depends on n.
    effect(&report, "anyone", "lost", "may anyone use y on v1");
    let holds = effect(&report, "b", "gained", "holds b y");
    assert!(
        holds.description.contains("when n > 3"),
        "{}",
        holds.description
    );
    let lost = effect(&report, "a", "lost", "may a use x on v1");
    assert!(
        lost.description.contains("once e happens"),
        "{}",
        lost.description
    );
    let gained = effect(&report, "a", "gained", "may a use x on v2");
    assert!(
        gained.description.contains("until e happens"),
        "{}",
        gained.description
    );
}

#[test]
fn a_change_before_the_first_dated_window_shows_without_an_effective_date() {
    let old = contract_from("old.deal", "party a\nasset x\naction use\na may use x\n");
    let new = contract_from(
        "new.deal",
        "party a\nasset x\naction use\na may use x from 2030-01-01\n",
    );
    let report = diff(&old, &new);
    let lost = effect(&report, "a", "lost", "may a use x");
    assert!(
        lost.description.contains("until 2030-01-01"),
        "{}",
        lost.description
    );
}

#[test]
fn the_shared_enumerator_adds_its_futures() {
    use deal::diff::acts::acts;
    use deal::diff::futures::{Deciders, relevant};
    use deal::diff::joint::compared_futures;
    let (old, new) = (example(OLD), example(NEW));
    let (all, _) = acts(&old, &new);
    let act = all
        .iter()
        .find(|a| a.family == deal::diff::acts::Family::Holds && a.act.asset == "research_ip")
        .unwrap();
    let deciders = Deciders {
        old: (
            &old,
            deal::diff::acts::candidates(&old, &act.act)
                .iter()
                .map(|i| i.id)
                .collect(),
        ),
        new: (
            &new,
            deal::diff::acts::candidates(&new, &act.act)
                .iter()
                .map(|i| i.id)
                .collect(),
        ),
    };
    let relevant = relevant(&deciders);
    let start = day("2025-10-28");
    let (exact, _) = compared_futures(&deciders, &relevant, start, day("2027-10-28"));
    let scenarios = exact.unwrap();
    // No event; verification by the start; verification at the 2031 boundary.
    assert!(scenarios.iter().any(|s| s.events.is_empty()));
    assert!(
        scenarios
            .iter()
            .any(|s| s.events.get("agi_verified") == Some(&start))
    );
    assert!(
        scenarios
            .iter()
            .any(|s| s.events.get("agi_verified") == Some(&day("2031-01-01"))
                || s.events.get("agi_verified") == Some(&day("2030-12-31")))
    );
    // Nothing before the comparison start.
    assert!(
        scenarios
            .iter()
            .all(|s| s.events.values().all(|d| *d >= start))
    );
}

#[test]
fn a_name_that_changed_meaning_is_compared_over_each_versions_range_futures() {
    let old = contract_from(
        "old.deal",
        "effective 2026-01-01\nparty a\nasset x\naction use\nlet cutoff = 2030-01-01\na may use x until cutoff\n",
    );
    let new = contract_from(
        "new.deal",
        "effective 2026-01-01\nparty a\nasset x\naction use\nlet cutoff = 2031-01-01\na may use x until cutoff\n",
    );
    let report = diff(&old, &new);
    let gained = effect(&report, "a", "gained", "may a use x");
    assert!(
        gained
            .description
            .contains("from 2030-01-01, until 2031-01-01"),
        "{}",
        gained.description
    );
    assert!(
        report
            .effects
            .notes
            .iter()
            .any(|n| n.contains("futures over the range only")
                && n.contains("`cutoff` means something else")),
        "{:?}",
        report.effects.notes
    );
}

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

#[test]
fn only_acts_whose_clauses_changed_are_compared() {
    let mut text = String::from("effective 2026-01-01\naction use\nvenue v1\nevent e\n");
    for i in 0..200 {
        text.push_str(&format!(
            "party p{i}\nasset a{i}\nc{i}: p{i} may use a{i} on v1 until e\n"
        ));
    }
    let changed = text.replace(
        "c7: p7 may use a7 on v1 until e\n",
        "c7: p7 may use a7 on v1 until e or 2030-01-01\n",
    );
    let report = diff(
        &contract_from("a.deal", &text),
        &contract_from("b.deal", &changed),
    );
    assert_eq!(report.clauses.changed.len(), 1);
    // One (party, action, asset), with its venue values: none, v1, and none other declared.
    assert!(report.effects.acts <= 3, "{}", report.effects.acts);
    let lost = effect(&report, "p7", "lost", "may p7 use a7 on v1");
    assert!(
        lost.description.contains("from 2030-01-01"),
        "{}",
        lost.description
    );
    assert!(
        report.effects.notes.is_empty(),
        "{:?}",
        report.effects.notes
    );
}

#[test]
fn a_changed_recurrence_or_deadline_is_stated_relative_to_its_period() {
    let base = "effective 2025-01-01\nparty marlow\nparty helvion\nasset report\nasset know_how\n\
                action deliver\naction disclose\nevent sale\n";
    let old = contract_from(
        "old.deal",
        &format!(
            "{base}reports: marlow must deliver report to helvion every 3 months from sale within 45 days\n\
             confidential: marlow must not disclose know_how survives 5 years\n"
        ),
    );
    let new = contract_from(
        "new.deal",
        &format!(
            "{base}reports: marlow must deliver report to helvion every 1 month from sale within 30 days\n\
             confidential: marlow must not disclose know_how survives 3 years\n"
        ),
    );
    let report = diff(&old, &new);
    assert_eq!(
        changed_field(&report, "reports", "recurrence"),
        (Some("every 3 months"), Some("every 1 month"))
    );
    assert_eq!(
        changed_field(&report, "reports", "deadline"),
        (
            Some("within 45 days after each period"),
            Some("within 30 days after each period")
        )
    );
    assert_eq!(
        changed_field(&report, "confidential", "survival"),
        (
            Some("survives 5 years after the contract's end"),
            Some("survives 3 years after the contract's end")
        )
    );
}

#[test]
fn a_fact_only_a_debt_amount_reads_is_valued_in_every_future() {
    // The debt's amount is a fact no condition reads; its status reads it.
    // The enumerator values every fact the clauses read (the amount too),
    // so no future is skipped for lack of it, and none errs.
    let base = "effective 2025-01-01\nparty a\nparty b\nasset fees\naction pay\nevent launch\n\
                fact sales: money\n";
    let old = contract_from(
        "old.deal",
        &format!("{base}debt: a must pay sales of fees to b within 30 days after launch\n"),
    );
    let new = contract_from(
        "new.deal",
        &format!("{base}debt: a must pay sales of fees to b within 60 days after launch\n"),
    );
    let report = diff(&old, &new);
    let notes = &report.effects.notes;
    assert!(
        !notes
            .iter()
            .any(|n| n.contains("give no value to a fact") || n.contains("an evaluation error")),
        "{notes:?}"
    );
    effect(&report, "a", "deadline-later", "status debt");
}
