//! The command line as CI and scripts see it: exit codes, JSON shapes of
//! spec section 9, and where output goes.

mod common;

use common::{TempDir, deal, root};
use serde_json::Value;

const EXAMPLE: &str = "examples/msft_openai_2025.deal";

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn check_examples_is_clean() {
    deal().args(["check", "examples/"]).assert().success();
}

#[test]
fn check_json_shape() {
    let dir = TempDir::new("cli-json-shape");
    let path = dir.write(
        "unknown.deal",
        "party openai\nasset api\nvenue azure\naction host\nx: openai may host api on azur\n",
    );
    let output = deal()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json = json_of(&output);
    assert_eq!(json["files"], 1);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 0);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "deal::unknown-name");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 27);
    assert_eq!(d["help"], "did you mean `azure`?");
    assert!(d["file"].as_str().unwrap().ends_with("unknown.deal"));
    assert!(
        output.stderr.is_empty(),
        "machine formats keep stderr quiet"
    );
}

#[test]
fn check_human_goes_to_stderr_with_a_summary() {
    let dir = TempDir::new("cli-human");
    let path = dir.write("bad.deal", "party openai\nparty openai\n");
    let output = deal().arg("check").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("deal::duplicate-name"), "{stderr}");
    assert!(stderr.contains("1 error, 0 warnings in 1 file"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "NO_COLOR output has no escape codes"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    deal().args(["check", "no/such/file.deal"]).assert().code(2);
    deal().args(["check"]).assert().code(2);
    deal().args(["frobnicate"]).assert().code(2);
    deal()
        .args([
            "query",
            EXAMPLE,
            "may openai host api on gcp",
            "--at",
            "2027-13-01",
        ])
        .assert()
        .code(2);
    deal()
        .args([
            "query",
            EXAMPLE,
            "may openai host api on gcp",
            "--scenario",
            "early_agj",
        ])
        .assert()
        .code(2);
    deal()
        .args([
            "query",
            EXAMPLE,
            "may openai host api on gcp",
            "--event",
            "agi=2027-01-01",
        ])
        .assert()
        .code(2);
}

#[test]
fn invalid_utf8_is_a_one_line_error() {
    let dir = TempDir::new("cli-utf8");
    let path = dir.path().join("bytes.deal");
    std::fs::write(&path, b"party a\n\xff\xfe\x00").unwrap();
    let output = deal().arg("check").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not UTF-8"));
}

#[test]
fn every_command_has_help() {
    for command in ["check", "query", "test", "fmt"] {
        deal().args([command, "--help"]).assert().success();
    }
    deal().arg("--help").assert().success();
}

#[test]
fn query_json_answers() {
    let run = |query: &str, extra: &[&str]| {
        let output = deal()
            .args(["query", EXAMPLE, query, "--format", "json"])
            .args(if extra.contains(&"--at") {
                &[][..]
            } else {
                &["--at", "2027-01-01"][..]
            })
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        json_of(&output)
    };
    let json = run("may openai host api on gcp", &[]);
    assert_eq!(json["query"], "may openai host api on gcp");
    assert_eq!(json["at"], "2027-01-01");
    assert_eq!(json["answer"], "no");
    assert_eq!(json["clauses"], serde_json::json!(["api_exclusive"]));

    let json = run("stake_value / stake", &[]);
    assert_eq!(json["answer"], "value");
    assert_eq!(json["value"]["type"], "money");
    assert_eq!(json["value"]["value"], "500000000000");
    assert_eq!(json["value"]["display"], "$500B");

    let json = run("status azure_commitment", &["--scenario", "early_agi"]);
    assert_eq!(json["answer"], "pending");
    assert_eq!(json["clauses"], serde_json::json!(["azure_commitment"]));
    assert_eq!(json["performed"], "40000000000");

    let json = run("stake", &[]);
    assert_eq!(json["value"]["type"], "percent");
    assert_eq!(json["value"]["value"], "0.27");

    let json = run(
        "may openai host api on gcp",
        &[
            "--event",
            "agi_declared=2026-01-01",
            "--event",
            "agi_verified=2026-06-01",
        ],
    );
    assert_eq!(json["answer"], "unspecified");
    assert_eq!(json["clauses"], serde_json::json!([]));

    // --event NAME=never cancels an event the scenario gives.
    let json = run(
        "holds microsoft research_ip",
        &[
            "--scenario",
            "agi_2027",
            "--at",
            "2029-01-01",
            "--event",
            "agi_verified=never",
        ],
    );
    assert_eq!(json["answer"], "yes");

    // A fact given as the JSON decimal string replays.
    let json = run(
        "may microsoft develop agi_with_openai_ip",
        &[
            "--fact",
            "training_compute=20000000000000000000000000000",
            "--fact",
            "compute_threshold=1e28 flop",
        ],
    );
    assert_eq!(json["answer"], "no");
    assert_eq!(json["clauses"], serde_json::json!(["compute_cap"]));
}

#[test]
fn query_errors_are_json_when_asked() {
    let output = deal()
        .args([
            "query",
            EXAMPLE,
            "may openai host api on gcpp",
            "--at",
            "2027-01-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json = json_of(&output);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["code"], "deal::unknown-name");
}

#[test]
fn query_needing_an_unknown_fact_is_an_eval_error() {
    let output = deal()
        .args([
            "query",
            EXAMPLE,
            "may openai release open_weight_models",
            "--at",
            "2027-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("deal::eval"), "{stderr}");
    assert!(stderr.contains("meets_capability_criteria"), "{stderr}");
}

#[test]
fn query_human_explains_the_answer() {
    let output = deal()
        .args([
            "query",
            EXAMPLE,
            "may openai host api on gcp",
            "--at",
            "2027-01-01",
            "--scenario",
            "early_agi",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("no: may openai host api on gcp (on 2027-01-01, scenario early_agi)"),
        "{stdout}"
    );
    assert!(stdout.contains("api_exclusive forbids"), "{stdout}");
    assert!(
        stdout.contains(
            "/// 2. \"OpenAI's API products are exclusive to Azure until AGI is verified.\""
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("in force from 2025-10-28 until 2028-09-01"),
        "{stdout}"
    );
    assert!(
        stdout.contains("what would change this: unspecified from 2028-09-01"),
        "{stdout}"
    );
}

#[test]
fn test_json_summary_and_exit_codes() {
    let output = deal()
        .args(["test", "examples/", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let json = json_of(&output);
    assert!(json["scenarios"].as_u64().unwrap() >= 7);
    assert_eq!(json["failed"], 0);
    assert_eq!(json["passed"], json["expectations"]);

    let output = deal()
        .args([
            "test",
            "tests/corpus/err/expect-failed.deal",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json = json_of(&output);
    assert_eq!(json["failed"], 1);
    let failure = &json["failures"][0];
    assert_eq!(failure["scenario"], "early");
    assert_eq!(failure["line"], 14);
    assert_eq!(failure["expected"], "yes");
    assert_eq!(failure["got"], "no");
    assert!(
        failure["file"]
            .as_str()
            .unwrap()
            .ends_with("expect-failed.deal")
    );
}

#[test]
fn test_reports_eval_errors_as_failed_lines() {
    let output = deal()
        .args(["test", "tests/corpus/err/eval.deal", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json = json_of(&output);
    assert_eq!(json["failures"][0]["got"], "error: deal::eval");
}

#[test]
fn readme_commands_work_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("cargo run -- check examples/"));
    assert!(readme.contains("cargo test"));
}
