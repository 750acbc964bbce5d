//! A group in `after` means its members, in every command: the same
//! contract written `after both` (with `group both = a, b`) and written
//! `after a, b` gets the same answers from check, test, explore and diff.

mod common;

use common::{TempDir, deal};
use std::path::Path;

/// The contract, with `after` naming the group or listing its members. The
/// listed form keeps the group's line as a comment so every line number,
/// and so every rendered diagnostic, stays the same.
fn contract(grouped: bool, extra_clause: &str) -> String {
    let (group, after) = if grouped {
        ("group both = a, b", "both")
    } else {
        ("// both = a, b", "a, b")
    };
    format!(
        "effective 2025-01-01
party p
event a by p
event b by p
{group}
event x by p after {after}
asset z
action use
c: p may use z from x until a
d: p may use z from x
{extra_clause}
scenario all {{
  a on 2025-03-01
  b on 2025-04-01
  x on 2025-05-01
  expect at 2025-06-01 {{
    may p use z
  }}
}}
"
    )
}

/// Exit code and output, with the file's name taken out.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = deal()
        .current_dir(dir)
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code(),
        text.replace("grouped", "FILE").replace("listed", "FILE"),
    )
}

#[test]
fn check_reports_the_dead_clause_either_way() {
    let dir = TempDir::new("groups-after-check");
    dir.write("grouped.deal", &contract(true, ""));
    dir.write("listed.deal", &contract(false, ""));
    let grouped = run(dir.path(), &["check", "--format", "json", "grouped.deal"]);
    let listed = run(dir.path(), &["check", "--format", "json", "listed.deal"]);
    assert!(grouped.1.contains("deal::dead-clause"), "{}", grouped.1);
    assert_eq!(grouped, listed);
}

#[test]
fn test_explore_and_query_answer_alike() {
    let dir = TempDir::new("groups-after-answers");
    dir.write("grouped.deal", &contract(true, ""));
    dir.write("listed.deal", &contract(false, ""));
    for args in [
        vec!["test", "FILE.deal"],
        vec!["explore", "FILE.deal", "may p use z"],
        vec!["explore", "--format", "json", "FILE.deal", "may p use z"],
        vec![
            "query",
            "FILE.deal",
            "may p use z",
            "--event",
            "x=2025-05-01",
            "--event",
            "a=2025-03-01",
            "--at",
            "2025-06-01",
        ],
    ] {
        let with = |name: &'static str| -> Vec<&str> {
            args.iter()
                .map(|a| if *a == "FILE.deal" { name } else { *a })
                .collect()
        };
        let grouped = run(dir.path(), &with("grouped.deal"));
        let listed = run(dir.path(), &with("listed.deal"));
        assert_eq!(grouped, listed, "deal {}", args.join(" "));
    }
}

#[test]
fn query_refuses_x_before_a_member_either_way() {
    let dir = TempDir::new("groups-after-order");
    dir.write("grouped.deal", &contract(true, ""));
    dir.write("listed.deal", &contract(false, ""));
    for name in ["grouped.deal", "listed.deal"] {
        let (code, text) = run(
            dir.path(),
            &[
                "query",
                name,
                "may p use z",
                "--event",
                "a=2025-03-01",
                "--event",
                "x=2025-05-01",
                "--at",
                "2025-06-01",
            ],
        );
        assert_eq!(code, Some(1), "{name}: {text}");
        assert!(
            text.contains("`b`, which it must come after"),
            "{name}: {text}"
        );
    }
}

#[test]
fn diff_finds_the_same_effects_either_way() {
    let dir = TempDir::new("groups-after-diff");
    let change = "e: p may use z until b\n";
    dir.write("grouped.deal", &contract(true, ""));
    dir.write("grouped2.deal", &contract(true, change));
    dir.write("listed.deal", &contract(false, ""));
    dir.write("listed2.deal", &contract(false, change));
    let grouped = run(
        dir.path(),
        &["diff", "--format", "json", "grouped.deal", "grouped2.deal"],
    );
    let listed = run(
        dir.path(),
        &["diff", "--format", "json", "listed.deal", "listed2.deal"],
    );
    assert!(grouped.1.contains("\"effects\":[{"), "{}", grouped.1);
    assert_eq!(grouped, listed);
    // The two spellings of the same order differ in declarations only.
    let (code, text) = run(
        dir.path(),
        &["diff", "--format", "json", "grouped.deal", "listed.deal"],
    );
    assert_eq!(code, Some(0));
    assert!(text.contains("\"effects\":[]"), "{text}");
}
