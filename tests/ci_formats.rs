//! `--format junit` and `--format gitlab` of `deal check` and `deal test`,
//! as CI systems read them: JUnit XML that parses, whose counts agree with
//! its test cases and which validates against `tests/schemas/junit.xsd`
//! (with `xmllint`, when installed), and GitLab Code Quality issues with
//! every field GitLab needs and fingerprints that do not depend on where
//! the files are.

mod common;

use common::{TempDir, deal};
use serde_json::Value;
use std::path::Path;

/// A conflict (an error with a second clause).
const CONFLICT: &str = "party openai\nasset api\nvenue azure\nvenue gcp\naction host\n\
event agi_verified\napi_exclusive: exclusive api on azure until agi_verified\n\
gcp_deal: openai may host api on gcp from 2027-01-01\n";

/// An unused asset (a warning).
const WARNING: &str = "party openai\nasset api\nasset weights\naction host\n\
hosting: openai may host api\n";

const CLEAN: &str = "party openai\nasset api\naction host\nhosting: openai may host api\n";

/// Two expectations (one fails) and two assertions (one fails).
const TESTED: &str = "party a\nasset api\naction host\nh: a may host api\n\
scenario s {\n  expect at 2026-01-01 {\n    may a host api\n    not may a host api\n  }\n}\n\
assert holds_up: always may a host api\nassert breaks: never may a host api\n";

/// A failing expectation whose text has markup characters, quotes and
/// control characters (ESC, BEL) in a string.
const HOSTILE_TEXT: &str = "party a\nasset x\naction act\nc: a may act x\n\
scenario s {\n  expect at 2026-01-01 {\n    \"<&'\u{1b}[2J\u{7}\\\"\" == \"b\"\n  }\n}\n";

/// A contract that does not load.
const DUPLICATE: &str = "party a\nparty a\n";

fn workdir(label: &str) -> TempDir {
    let dir = TempDir::new(label);
    dir.write("sub/conflict.deal", CONFLICT);
    dir.write("sub/warning.deal", WARNING);
    dir.write("clean.deal", CLEAN);
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = deal().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).expect("machine output is UTF-8"),
        String::from_utf8(output.stderr).unwrap(),
    )
}

// ------------------------------------------------------------------ JUnit

/// What the tests need of a test case.
#[derive(Debug)]
struct Case {
    suite: String,
    name: String,
    classname: String,
    outcome: Option<(String, String, String)>,
    system_out: Option<String>,
}

/// Parse a JUnit document, check that the counts of every suite and of
/// the whole agree with its test cases, and validate it against the XSD.
fn junit_cases(xml: &str) -> Vec<Case> {
    validate_with_xmllint(xml);
    let document = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("JUnit output is well-formed XML ({e}):\n{xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let count = |node: roxmltree::Node, attribute: &str| -> usize {
        node.attribute(attribute)
            .unwrap_or_else(|| panic!("<{}> has `{attribute}`", node.tag_name().name()))
            .parse()
            .unwrap()
    };
    let mut cases = Vec::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for suite in root.children().filter(|n| n.is_element()) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        let name = suite.attribute("name").unwrap().to_string();
        let (mut suite_tests, mut suite_failures, mut suite_errors) = (0, 0, 0);
        for case in suite.children().filter(|n| n.is_element()) {
            assert_eq!(case.tag_name().name(), "testcase");
            suite_tests += 1;
            let mut outcome = None;
            let mut system_out = None;
            for child in case.children().filter(|n| n.is_element()) {
                match child.tag_name().name() {
                    kind @ ("failure" | "error") => {
                        if kind == "failure" {
                            suite_failures += 1;
                        } else {
                            suite_errors += 1;
                        }
                        assert!(outcome.is_none(), "one outcome per case");
                        let message = child.attribute("message").unwrap().to_string();
                        assert!(!message.is_empty());
                        let kind_attr = child.attribute("type").unwrap();
                        outcome = Some((
                            format!("{kind}:{kind_attr}"),
                            message,
                            child.text().unwrap_or("").to_string(),
                        ));
                    }
                    "system-out" => system_out = Some(child.text().unwrap_or("").to_string()),
                    other => panic!("unexpected <{other}>"),
                }
            }
            cases.push(Case {
                suite: name.clone(),
                name: case.attribute("name").unwrap().to_string(),
                classname: case.attribute("classname").unwrap().to_string(),
                outcome,
                system_out,
            });
        }
        assert_eq!(count(suite, "tests"), suite_tests, "suite {name}");
        assert_eq!(count(suite, "failures"), suite_failures, "suite {name}");
        assert_eq!(count(suite, "errors"), suite_errors, "suite {name}");
        tests += suite_tests;
        failures += suite_failures;
        errors += suite_errors;
    }
    assert_eq!(count(root, "tests"), tests);
    assert_eq!(count(root, "failures"), failures);
    assert_eq!(count(root, "errors"), errors);
    cases
}

/// `xmllint --noout --schema tests/schemas/junit.xsd`, when xmllint is
/// installed (Debian: `libxml2-utils`); without it, a note and no check.
fn validate_with_xmllint(xml: &str) {
    let scratch = TempDir::new("junit-xsd");
    let file = scratch.write("report.xml", xml);
    let schema = common::root().join("tests/schemas/junit.xsd");
    let output = match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
    {
        Ok(output) => output,
        Err(e) => {
            eprintln!("xmllint is not installed ({e}): JUnit output not validated against the XSD");
            return;
        }
    };
    assert!(
        output.status.success(),
        "JUnit output does not validate against junit.xsd:\n{}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn junit_check_has_a_case_per_finding_and_counts_that_agree() {
    let dir = workdir("junit-check");
    let (code, xml, stderr) = run(
        dir.path(),
        &["check", "--format", "junit", "sub", "clean.deal"],
    );
    assert_eq!(code, 1, "an error fails the check");
    assert!(stderr.is_empty(), "{stderr}");
    let cases = junit_cases(&xml);
    assert_eq!(cases.len(), 3, "{cases:#?}");

    let conflict = &cases[0];
    assert_eq!(conflict.suite, "sub/conflict.deal");
    assert_eq!(conflict.classname, "sub/conflict.deal");
    assert_eq!(conflict.name, "deal::conflict at 8:1");
    let (kind, message, detail) = conflict.outcome.as_ref().unwrap();
    assert_eq!(kind, "failure:deal::conflict");
    assert!(message.contains("`gcp_deal` permits"), "{message}");
    assert!(
        detail.starts_with("line 8, column 1: error[deal::conflict]\n"),
        "{detail}"
    );
    assert!(
        detail.contains("help: add `notwithstanding api_exclusive`"),
        "{detail}"
    );

    // A warning does not fail the check, so its case passes and says it.
    let warning = &cases[1];
    assert_eq!(warning.name, "deal::unused at 3:7");
    assert!(warning.outcome.is_none(), "{warning:?}");
    assert!(
        warning
            .system_out
            .as_ref()
            .unwrap()
            .contains("`weights` is declared but never used")
    );

    assert_eq!(cases[2].suite, "clean.deal");
    assert_eq!(cases[2].name, "no findings");
    assert!(cases[2].outcome.is_none());

    // Under --deny warnings it fails, as the exit status does.
    let (code, xml, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "junit",
            "--deny",
            "warnings",
            "sub/warning.deal",
        ],
    );
    assert_eq!(code, 1);
    let cases = junit_cases(&xml);
    assert_eq!(cases[0].outcome.as_ref().unwrap().0, "failure:deal::unused");

    let (code, xml, _) = run(dir.path(), &["check", "--format", "junit", "clean.deal"]);
    assert_eq!(code, 0);
    assert_eq!(junit_cases(&xml).len(), 1);
}

#[test]
fn junit_reports_unreadable_files_as_errors_and_exits_2() {
    let dir = workdir("junit-io");
    std::fs::write(dir.path().join("sub/binary.deal"), b"\xff\n").unwrap();
    for command in ["check", "test"] {
        let (code, xml, stderr) = run(
            dir.path(),
            &[command, "--format", "junit", "sub", "missing.deal"],
        );
        assert_eq!(code, 2, "{command}: I/O problems are exit 2");
        assert!(stderr.is_empty(), "{command}: {stderr}");
        let cases = junit_cases(&xml);
        let errors: Vec<&Case> = cases
            .iter()
            .filter(|c| c.outcome.as_ref().is_some_and(|o| o.0 == "error:deal::io"))
            .collect();
        assert_eq!(errors.len(), 2, "{command}: {cases:#?}");
        assert!(
            errors.iter().any(|c| c.suite == "sub/binary.deal"),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|c| c.suite == "missing.deal"),
            "{errors:?}"
        );
        // The readable files are still there.
        assert!(
            cases.iter().any(|c| c.suite == "sub/conflict.deal"),
            "{command}"
        );
    }
}

#[test]
fn junit_escapes_markup_quotes_and_control_characters() {
    let dir = TempDir::new("junit-escape");
    dir.write("hostile.deal", HOSTILE_TEXT);
    let (code, xml, _) = run(dir.path(), &["test", "--format", "junit", "hostile.deal"]);
    assert_eq!(code, 1);
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{7}'), "{xml}");
    let cases = junit_cases(&xml);
    let failed = cases.iter().find(|c| c.outcome.is_some()).unwrap();
    // The parsed text is the original, with the control characters visible.
    let expected = "\"<&'\\u{1b}[2J\\u{7}\\\"\" == \"b\"";
    assert_eq!(
        failed.name,
        format!("scenario s, at 2026-01-01: {expected}")
    );
    let (_, message, detail) = failed.outcome.as_ref().unwrap();
    assert!(message.contains(expected), "{message}");
    assert!(detail.contains("scenario's facts"), "{detail}");
}

#[test]
fn junit_test_has_a_case_per_file_expectation_and_assertion() {
    let dir = TempDir::new("junit-test");
    dir.write("tested.deal", TESTED);
    dir.write("duplicate.deal", DUPLICATE);
    let (code, xml, stderr) = run(dir.path(), &["test", "--format", "junit", "."]);
    assert_eq!(code, 1);
    assert!(stderr.is_empty(), "{stderr}");
    let cases = junit_cases(&xml);
    let summary: Vec<(&str, &str, Option<&str>)> = cases
        .iter()
        .map(|c| {
            (
                c.suite.as_str(),
                c.name.as_str(),
                c.outcome.as_ref().map(|o| o.0.as_str()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "duplicate.deal",
                "loads and checks",
                Some("error:deal::duplicate-name")
            ),
            ("tested.deal", "loads and checks", None),
            (
                "tested.deal",
                "scenario s, at 2026-01-01: may a host api",
                None
            ),
            (
                "tested.deal",
                "scenario s, at 2026-01-01: not may a host api",
                Some("failure:deal::expect-failed")
            ),
            ("tested.deal", "assert holds_up", None),
            (
                "tested.deal",
                "assert breaks",
                Some("failure:deal::assertion-failed")
            ),
        ]
    );
    let breaks = &cases[5].outcome.as_ref().unwrap().2;
    assert!(breaks.contains("counterexample"), "{breaks}");
}

// ------------------------------------------------------------------ GitLab

fn gitlab(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let (code, stdout, stderr) = run(dir, args);
    assert!(stderr.is_empty(), "{stderr}");
    let issues: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("Code Quality output is JSON ({e}):\n{stdout}"));
    let issues = issues.as_array().expect("a JSON array of issues").clone();
    for issue in &issues {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                issue[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} in {issue}"
            );
        }
        let severity = issue["severity"].as_str().unwrap();
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&severity),
            "{issue}"
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(
            !path.starts_with('/') && !path.contains('\\'),
            "relative: {path}"
        );
        assert!(
            issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1,
            "{issue}"
        );
    }
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    (code, issues)
}

#[test]
fn gitlab_check_issues_have_the_code_quality_fields() {
    let dir = workdir("gitlab-check");
    dir.write("sub/twice.deal", "party a\nasset x\nasset x\nasset x\n");
    let (code, issues) = gitlab(
        dir.path(),
        &["check", "--format", "gitlab", "sub", "clean.deal"],
    );
    assert_eq!(code, 1);
    let conflict = &issues[0];
    assert_eq!(conflict["check_name"], "deal::conflict");
    assert_eq!(conflict["severity"], "major");
    assert_eq!(conflict["location"]["path"], "sub/conflict.deal");
    assert_eq!(conflict["location"]["lines"]["begin"], 8);
    assert!(
        conflict["description"]
            .as_str()
            .unwrap()
            .contains("help: add `notwithstanding")
    );
    let unused = issues
        .iter()
        .find(|i| i["check_name"] == "deal::unused")
        .unwrap();
    assert_eq!(unused["severity"], "minor");
    assert_eq!(unused["location"]["path"], "sub/warning.deal");
    // Two findings with the same message on identical lines still differ.
    let twice: Vec<&Value> = issues
        .iter()
        .filter(|i| {
            i["location"]["path"] == "sub/twice.deal" && i["check_name"] == "deal::duplicate-name"
        })
        .collect();
    assert_eq!(twice.len(), 2, "{issues:#?}");

    let (code, issues) = gitlab(dir.path(), &["check", "--format", "gitlab", "clean.deal"]);
    assert_eq!((code, issues.len()), (0, 0));
}

#[test]
fn gitlab_fingerprints_do_not_depend_on_where_the_files_are() {
    let first = workdir("gitlab-here");
    let second = workdir("gitlab-there");
    // Lines added above a finding do not change its fingerprint either.
    second.write("sub/warning.deal", &format!("// a comment\n\n{WARNING}"));
    let (_, here) = gitlab(first.path(), &["check", "--format", "gitlab", "sub"]);
    let absolute = second.path().join("sub");
    let (_, there) = gitlab(
        second.path(),
        &["check", "--format", "gitlab", absolute.to_str().unwrap()],
    );
    assert_eq!(here.len(), there.len());
    for (a, b) in here.iter().zip(&there) {
        assert_eq!(a["location"]["path"], b["location"]["path"]);
        assert_eq!(a["fingerprint"], b["fingerprint"], "{a}\n{b}");
    }
    let (_, again) = gitlab(first.path(), &["check", "--format", "gitlab", "sub"]);
    assert_eq!(here, again, "the same run gives the same report");
}

#[test]
fn gitlab_reports_unreadable_files_and_exits_2() {
    let dir = workdir("gitlab-io");
    std::fs::write(dir.path().join("sub/binary.deal"), b"\xff\n").unwrap();
    for command in ["check", "test"] {
        let (code, issues) = gitlab(dir.path(), &[command, "--format", "gitlab", "sub"]);
        assert_eq!(code, 2, "{command}");
        let io = issues
            .iter()
            .find(|i| i["check_name"] == "deal::io")
            .unwrap();
        assert_eq!(io["severity"], "critical");
        assert_eq!(io["location"]["path"], "sub/binary.deal");
        assert!(
            io["description"].as_str().unwrap().contains("UTF-8"),
            "{io}"
        );
    }
}

#[test]
fn gitlab_test_reports_failed_expectations_and_assertions_at_their_lines() {
    let dir = TempDir::new("gitlab-test");
    dir.write("tested.deal", TESTED);
    let (code, issues) = gitlab(dir.path(), &["test", "--format", "gitlab", "tested.deal"]);
    assert_eq!(code, 1);
    let found: Vec<(&str, u64)> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("deal::expect-failed", 8), ("deal::assertion-failed", 12)]
    );
}

#[test]
fn help_documents_every_format() {
    for (command, formats) in [
        (
            "check",
            &["human", "json", "sarif", "github", "junit", "gitlab"][..],
        ),
        ("test", &["human", "json", "junit", "gitlab"][..]),
    ] {
        let (code, help, _) = run(common::root(), &[command, "--help"]);
        assert_eq!(code, 0);
        for format in formats {
            // clap's long help: `- junit:  JUnit XML: ...`
            let documented = help.lines().any(|line| {
                line.trim_start()
                    .strip_prefix(&format!("- {format}:"))
                    .is_some_and(|text| !text.trim().is_empty())
            });
            assert!(
                documented,
                "`deal {command} --help` documents `{format}`:\n{help}"
            );
        }
    }
}
