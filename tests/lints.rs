//! The lints as `deal check` reports them: one small contract per rule
//! (fires, and a fixed version stays silent), the bundled contracts staying
//! lint-clean, determinism, and a generated contract of 10,000 clauses.

mod common;

use common::{TempDir, deal};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// A fresh directory for this test's files.
/// `deal check --format json` on one contract: (exit code, JSON).
fn check_json(test: &str, text: &str) -> (i32, Value) {
    let dir = TempDir::new(test);
    let path = dir.write("contract.deal", text);
    let output = deal()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (output.status.code().unwrap(), json)
}

/// (code, line, message) of each diagnostic.
fn findings(json: &Value) -> Vec<(String, u64, String)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn codes(json: &Value) -> Vec<String> {
    findings(json)
        .into_iter()
        .map(|(code, _, _)| code)
        .collect()
}

const HEADER: &str = "\
effective 2026-01-01
party openai
party microsoft
party foundation
party us_natsec
asset api
asset weights
venue azure
venue gcp
action host
action release
event agi_verified
";

#[test]
fn conflict_fires_and_an_exception_silences_it() {
    let bad = format!(
        "{HEADER}api_exclusive: exclusive api on azure until agi_verified\n\
         gcp_deal: openai may host api on gcp from 2027-01-01\n\
         uses: microsoft holds weights\nuses2: foundation may release api on azure to us_natsec\n"
    );
    let (code, json) = check_json("conflict-bad", &bad);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        findings(&json),
        vec![(
            "deal::conflict".to_string(),
            14,
            "on 2027-01-01, with agi_verified never, `gcp_deal` permits and `api_exclusive` \
             forbids `openai host api on gcp`"
                .to_string()
        )]
    );
    assert_eq!(
        json["diagnostics"][0]["help"],
        "add `notwithstanding api_exclusive` to `gcp_deal` if it is meant as an exception, or \
         narrow one of the clauses"
    );
    let good = bad.replace(
        "from 2027-01-01",
        "from 2027-01-01 notwithstanding api_exclusive",
    );
    let (code, json) = check_json("conflict-good", &good);
    assert_eq!((code, codes(&json)), (0, vec![]), "{json:#}");
}

#[test]
fn dead_clause_fires_and_a_fixed_window_is_silent() {
    let bad = format!(
        "{HEADER}late: openai may host api from 2030-01-01 until 2029-01-01\n\
         uses: microsoft holds weights until agi_verified\n\
         more: openai may release weights on azure, gcp to us_natsec with foundation\n"
    );
    let (code, json) = check_json("dead-bad", &bad);
    assert_eq!(code, 0, "a warning alone does not fail the check: {json:#}");
    assert_eq!(json["warnings"], 1);
    assert_eq!(
        findings(&json),
        vec![(
            "deal::dead-clause".to_string(),
            13,
            "`late` is in force on no day of any scenario".to_string()
        )]
    );
    let good = bad.replace("until 2029-01-01", "until 2031-01-01");
    let (_, json) = check_json("dead-good", &good);
    assert_eq!(codes(&json), Vec::<String>::new(), "{json:#}");
}

#[test]
fn unused_fires_and_using_the_name_silences_it() {
    let bad = "party openai\nasset api\nasset weights\naction host\nhosting: openai may host api\n";
    let (code, json) = check_json("unused-bad", bad);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&json),
        vec![(
            "deal::unused".to_string(),
            3,
            "asset `weights` is declared but never used".to_string()
        )]
    );
    let good = format!("{bad}weights_too: openai may host weights\n");
    let (_, json) = check_json("unused-good", &good);
    assert_eq!(codes(&json), Vec::<String>::new(), "{json:#}");
}

#[test]
fn needless_exception_fires_on_an_unrelated_clause() {
    let bad = "party openai\nasset api\nasset weights\naction host\naction release\n\
               hosting: openai may host api\n\
               no_release: openai must not release weights notwithstanding hosting\n";
    let (code, json) = check_json("needless-bad", bad);
    assert_eq!(code, 0);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(found[0].0, "deal::needless-exception");
    assert_eq!(found[0].1, 7);
    assert_eq!(
        json["diagnostics"][0]["column"], 61,
        "labelled on the name in the list"
    );
    let good = bad.replace(" notwithstanding hosting", "");
    let (_, json) = check_json("needless-good", &good);
    assert_eq!(codes(&json), Vec::<String>::new(), "{json:#}");
}

#[test]
fn over_allocated_fires_and_ending_the_old_stake_fixes_it() {
    let bad = "party microsoft\nparty openai\nparty foundation\nevent recap\n\
               ms_stake: microsoft holds 60% of openai until recap\n\
               foundation_stake: foundation holds 50% of openai from 2027-01-01\n";
    let (code, json) = check_json("over-bad", bad);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        vec![(
            "deal::over-allocated".to_string(),
            6,
            "stakes in `openai` add up to 110% on 2027-01-01, with recap never: `ms_stake` 60% \
             and `foundation_stake` 50%"
                .to_string()
        )]
    );
    let good = bad.replace("from 2027-01-01", "from recap");
    let (code, json) = check_json("over-good", &good);
    assert_eq!((code, codes(&json)), (0, vec![]), "{json:#}");
}

#[test]
fn exclusive_clash_fires_and_a_replacement_is_silent() {
    let bad = "asset api\nvenue azure\nvenue gcp\n\
               azure_only: exclusive api on azure\n\
               gcp_only: exclusive api on gcp from 2030-01-01\n";
    let (code, json) = check_json("clash-bad", bad);
    assert_eq!(code, 0);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(found[0].0, "deal::exclusive-clash");
    assert_eq!(found[0].1, 5);
    let good = bad.replace(
        "from 2030-01-01",
        "from 2030-01-01 notwithstanding azure_only",
    );
    let (_, json) = check_json("clash-good", &good);
    assert_eq!(codes(&json), Vec::<String>::new(), "{json:#}");
}

#[test]
fn lints_do_not_run_on_a_contract_that_does_not_resolve() {
    let text = "party openai\nasset api\nasset weights\naction host\nx: openai may host apii\n";
    let (code, json) = check_json("blocked", text);
    assert_eq!(code, 1);
    assert_eq!(codes(&json), vec!["deal::unknown-name".to_string()]);
}

#[test]
fn bundled_contracts_are_lint_clean() {
    for dir in ["examples", "tests/corpus/ok"] {
        let output = deal()
            .args(["check", "--deny", "warnings", "--format", "json", dir])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{dir} should check clean:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn directories_recurse_in_a_stable_order_and_output_is_deterministic() {
    let dir = TempDir::new("tree");
    dir.write(
        "b.deal",
        "party p\nasset x\nasset unused_b\naction a\nc: p may a x\n",
    );
    dir.write(
        "nested/a.deal",
        "party p\nasset x\nasset unused_a\naction a\nc: p may a x\n",
    );
    dir.write("nested/ignored.txt", "not a contract");
    let run = || {
        deal()
            .args(["check", "--format", "json"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let first = run();
    let json: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(json["files"], 2);
    let files: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().replace('\\', "/"))
        .collect();
    assert_eq!(files.len(), 2);
    assert!(files[0].ends_with("b.deal"), "{files:?}");
    assert!(files[1].ends_with("nested/a.deal"), "{files:?}");
    for _ in 0..3 {
        assert_eq!(run().stdout, first.stdout);
    }
}

/// A contract of `n` clauses in the shape of a real deal: many parties and
/// assets, permits and bans on distinct acts, exclusivities, exceptions,
/// stakes and event windows, plus `conflicts` planted conflicts.
fn generated_contract(n: usize, conflicts: usize) -> String {
    let mut text = String::from("effective 2026-01-01\nvenue azure\nvenue gcp\nvenue aws\n");
    let groups = n / 10;
    for g in 0..groups {
        let _ = writeln!(
            text,
            "party p{g}\nasset a{g}\naction act{g}\nevent e{g}\nfact f{g}: bool"
        );
    }
    let mut clauses = 0;
    for g in 0..groups {
        let next = (g + 1) % groups;
        let lines = [
            format!("c{g}_may: p{g} may act{g} a{g} on azure until e{g}"),
            format!("c{g}_ban: p{g} must not act{g} a{g} on gcp when f{g}"),
            format!("c{g}_ex: exclusive a{g} on azure, aws from 2027-01-01"),
            format!("c{g}_aws: p{g} may act{g} a{g} on aws from e{g}"),
            format!("c{g}_must: p{g} must act{g} a{next} on azure"),
            format!("c{g}_hold: p{g} holds a{g}"),
            format!("c{g}_stake: p{next} holds 10% of p{g}"),
            format!("c{g}_late: p{g} may act{g} a{g} on azure from e{g} unless f{g}"),
            format!("c{g}_natsec: p{g} may act{g} a{g} on gcp unless f{g} notwithstanding c{g}_ex"),
            format!("c{g}_hold_late: p{g} holds a{g} through 2040-12-31"),
        ];
        for line in lines {
            text.push_str(&line);
            text.push('\n');
            clauses += 1;
        }
    }
    for k in 0..conflicts {
        let _ = writeln!(text, "planted{k}: p{k} may act{k} a{k} on gcp unless f{k}");
    }
    assert_eq!(clauses, groups * 10);
    text
}

#[test]
fn ten_thousand_clauses_find_exactly_the_planted_conflicts() {
    let text = generated_contract(10_000, 3);
    let dir = TempDir::new("big");
    let path = dir.write("big.deal", &text);
    let output = deal()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    // Each planted permit on gcp meets its group's exclusivity from 2027.
    let conflicts: Vec<(String, u64, String)> = findings(&json)
        .into_iter()
        .filter(|(code, _, _)| code == "deal::conflict")
        .collect();
    assert_eq!(conflicts.len(), 3, "{:#?}", findings(&json));
    assert!(
        conflicts[0]
            .2
            .contains("`planted0` permits and `c0_ex` forbids"),
        "{conflicts:#?}"
    );
    assert_eq!(json["errors"], 3, "{:#?}", findings(&json));
    assert_eq!(json["warnings"], 0, "{:#?}", findings(&json));
}

/// The code blocks of a Markdown text, in order.
fn code_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    let mut start = 0;
    for (number, line) in markdown.lines().enumerate() {
        match (&mut current, line.starts_with("```")) {
            (None, true) => {
                current = Some(String::new());
                start = number;
            }
            (Some(_), true) => blocks.push((start, current.take().unwrap_or_default())),
            (Some(text), false) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, false) => {}
        }
    }
    blocks
}

#[test]
fn docs_show_what_deal_check_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/lints.md")).unwrap();
    let lines: Vec<&str> = doc.lines().collect();
    let blocks = code_blocks(&doc);
    let mut shown = 0;
    for pair in blocks.windows(2) {
        let ((_, contract), (start, expected)) = (&pair[0], &pair[1]);
        if lines.get(start.wrapping_sub(1)) != Some(&"`deal check` says:") {
            continue;
        }
        let dir = TempDir::new(&format!("doc-{start}"));
        dir.write("contract.deal", contract);
        let output = deal()
            .current_dir(dir.path())
            .args(["check", "contract.deal"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        let report = stderr
            .trim_end()
            .rsplit_once('\n')
            .map_or("", |(report, _summary)| report)
            .trim_end();
        assert_eq!(
            report,
            expected.trim_end(),
            "docs/lints.md line {}",
            start + 1
        );
        shown += 1;
    }
    assert_eq!(shown, 6, "one example output per lint");
    let workflow = blocks
        .iter()
        .map(|(_, text)| text)
        .find(|text| text.contains("upload-sarif"))
        .expect("a GitHub Actions workflow");
    assert!(workflow.contains("deal check --format sarif"));
    assert!(workflow.contains("cargo install"));
    assert!(workflow.contains("security-events: write"));
}

/// Lints range over the performance of recurring obligations: a reward
/// `when r is fulfilled` is live, and conflicts with a ban that holds
/// while `r` is not violated.
#[test]
fn lints_see_recurring_performance() {
    let base = "effective 2028-02-10\nparty p\nasset x\nasset z\naction act\naction pay\n\
        r: p must pay z every 5 days within 2 days\n\
        reward: p may act x when r is fulfilled\n";
    let apart = format!("{base}ban: p must not act x when r is violated\n");
    let (code, json) = check_json("recurring-apart", &apart);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(codes(&json), Vec::<String>::new(), "{json:#}");
    let together = format!("{base}ban: p must not act x unless r is violated\n");
    let (code, json) = check_json("recurring-together", &together);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(codes(&json), vec!["deal::conflict".to_string()], "{json:#}");
}
