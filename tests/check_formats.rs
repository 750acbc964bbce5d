//! `deal check` output formats as CI consumes them: SARIF 2.1.0 for GitHub
//! code scanning (validated structurally), GitHub workflow commands, the
//! spec's JSON, and exit codes with and without `--deny warnings`.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A contract with one error: a conflict, with a secondary label.
const MIXED: &str = "\
deal \"A–B\"
party openai
asset api
venue azure
venue gcp
action host
event agi_verified
api_exclusive: exclusive api on azure until agi_verified
gcp_deal: openai may host api on gcp from 2027-01-01
";

const WARNING_ONLY: &str = "party openai\nasset api\nasset weights\naction host\n\
                            hosting: openai may host api\n";

const CLEAN: &str = "party openai\nasset api\naction host\nhosting: openai may host api\n";

/// A working directory with `sub/mixed.deal`, `sub/warn.deal`, `clean.deal`.
fn workdir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("deal-formats-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/mixed.deal"), MIXED).unwrap();
    std::fs::write(dir.join("sub/warn.deal"), WARNING_ONLY).unwrap();
    std::fs::write(dir.join("clean.deal"), CLEAN).unwrap();
    dir
}

fn deal_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deal").expect("the deal binary is built for tests");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = deal_in(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(dir, &all);
    assert!(
        stderr.is_empty(),
        "machine formats keep stderr quiet: {stderr}"
    );
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("SARIF is one JSON document ({e}):\n{stdout}"));
    (code, json)
}

#[test]
fn sarif_has_what_github_code_scanning_requires() {
    let dir = workdir("sarif");
    let (code, log) = sarif(&dir, &["sub"]);
    assert_eq!(code, 1, "an error fails the check");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "deal");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    // A rule for every code, each complete.
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 24);
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "deal::syntax",
        "deal::conflict",
        "deal::dead-clause",
        "deal::unused",
        "deal::needless-exception",
        "deal::over-allocated",
        "deal::exclusive-clash",
        "deal::assertion-failed",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    for rule in rules {
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty(),
            "{rule}"
        );
        assert!(
            !rule["fullDescription"]["text"].as_str().unwrap().is_empty(),
            "{rule}"
        );
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty(), "{rule}");
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(level == "error" || level == "warning", "{rule}");
    }
    let level_of = |id: &str| {
        rules.iter().find(|r| r["id"] == id).unwrap()["defaultConfiguration"]["level"].clone()
    };
    assert_eq!(level_of("deal::conflict"), "error");
    assert_eq!(level_of("deal::unused"), "warning");

    // Results: one per diagnostic, files in order, each pointing at its rule.
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{results:#?}");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("sub/"), "relative, forward slashes: {uri}");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[key].as_u64().unwrap() >= 1,
                "{key} is 1-based: {region}"
            );
        }
    }
    let conflict = &results[0];
    assert_eq!(conflict["ruleId"], "deal::conflict");
    assert_eq!(conflict["level"], "error");
    assert_eq!(
        conflict["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "sub/mixed.deal"
    );
    assert_eq!(
        conflict["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 9, "startColumn": 1, "endLine": 9, "endColumn": 9})
    );
    let text = conflict["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("`gcp_deal` permits and `api_exclusive` forbids"),
        "{text}"
    );
    assert!(
        text.contains("help: add `notwithstanding api_exclusive`"),
        "{text}"
    );
    // The other clause is a related location.
    let related = &conflict["relatedLocations"][0];
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 8);
    assert!(
        related["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("forbids")
    );

    let unused = &results[1];
    assert_eq!(unused["ruleId"], "deal::unused");
    assert_eq!(unused["level"], "warning");
    assert_eq!(
        unused["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "sub/warn.deal"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sarif_uris_are_relative_even_for_absolute_paths() {
    let dir = workdir("sarif-abs");
    let absolute = dir.join("sub").join("warn.deal");
    let (_, log) = sarif(&dir, &[absolute.to_str().unwrap()]);
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "sub/warn.deal");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sarif_columns_count_characters() {
    let dir = workdir("sarif-cols");
    std::fs::write(
        dir.join("dash.deal"),
        // Two items on one line, after an `Ö` (2 bytes) and an en dash (3).
        "asset api\naction host\nparty openai \"Öpen–AI\" asset unused_x\n\
         hosting: openai may host api\n",
    )
    .unwrap();
    let (_, log) = sarif(&dir, &["dash.deal"]);
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        region,
        &serde_json::json!({"startLine": 3, "startColumn": 30, "endLine": 3, "endColumn": 38})
    );
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_clean_sarif_run_has_no_results_but_every_rule() {
    let dir = workdir("sarif-clean");
    let (code, log) = sarif(&dir, &["clean.deal"]);
    assert_eq!(code, 0);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        24
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn github_workflow_commands() {
    let dir = workdir("github");
    let (code, stdout, stderr) = run(&dir, &["check", "--format", "github", "sub"]);
    assert_eq!(code, 1);
    assert!(stderr.is_empty(), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "one line per diagnostic:\n{stdout}");
    assert!(
        lines[0].starts_with(
            "::error file=sub/mixed.deal,line=9,col=1,endLine=9,endColumn=9,\
             title=deal%3A%3Aconflict::on 2027-01-01, with agi_verified never, `gcp_deal` permits"
        ),
        "{}",
        lines[0]
    );
    // The help follows on an escaped new line; the message's own commas and
    // colons stay as they are (only properties escape them).
    assert!(
        lines[0].contains("%0Ahelp: add `notwithstanding api_exclusive`"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(
            "::warning file=sub/warn.deal,line=3,col=7,endLine=3,endColumn=14,\
             title=deal%3A%3Aunused::asset `weights` is declared but never used"
        ),
        "{}",
        lines[1]
    );
    let (code, stdout, _) = run(&dir, &["check", "--format", "github", "clean.deal"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_shape() {
    let dir = workdir("json");
    let (code, stdout, stderr) = run(&dir, &["check", "--format", "json", "sub", "clean.deal"]);
    assert_eq!(code, 1);
    assert!(stderr.is_empty());
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["files"], 3);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 1);
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "deal::conflict");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "sub/mixed.deal");
    assert_eq!(first["line"], 9);
    assert_eq!(first["column"], 1);
    assert!(first["message"].as_str().unwrap().contains("forbids"));
    assert!(
        first["help"]
            .as_str()
            .unwrap()
            .starts_with("add `notwithstanding")
    );
    assert_eq!(json["diagnostics"][1]["severity"], "warning");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn exit_codes_with_and_without_deny_warnings() {
    let dir = workdir("exit");
    for format in ["human", "json", "sarif", "github", "junit", "gitlab"] {
        let check = |args: &[&str]| {
            let mut all = vec!["check", "--format", format];
            all.extend_from_slice(args);
            run(&dir, &all).0
        };
        assert_eq!(check(&["clean.deal"]), 0, "{format}");
        assert_eq!(check(&["--deny", "warnings", "clean.deal"]), 0, "{format}");
        assert_eq!(
            check(&["sub/warn.deal"]),
            0,
            "{format}: a warning alone passes"
        );
        assert_eq!(
            check(&["--deny", "warnings", "sub/warn.deal"]),
            1,
            "{format}: --deny warnings fails on a warning"
        );
        assert_eq!(check(&["sub/mixed.deal"]), 1, "{format}: an error fails");
        assert_eq!(check(&["no-such.deal"]), 2, "{format}: I/O problems are 2");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn human_output_has_reports_and_the_summary() {
    let dir = workdir("human");
    let (code, stdout, stderr) = run(&dir, &["check", "sub"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("deal::conflict"), "{stderr}");
    assert!(stderr.contains("deal::unused"), "{stderr}");
    assert!(
        stderr.trim_end().ends_with("1 error, 1 warning in 2 files"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
