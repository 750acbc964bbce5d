//! Inputs that once broke `deal`, and the limits that keep hostile input
//! from breaking it.
//!
//! Every file in `tests/regressions/` is a fuzz finding (or an input written
//! to the same end), kept as it was found. Each runs through the library the
//! way every fuzz target does (parse, check and lints, the `fmt` laws, a
//! query, the `expect` blocks and assertions) and through the binary (`check`, `fmt
//! --check`, `test`, `query`): the binary must exit 0, 1 or 2, never crash.
//! A file's name says what it once did; README.md ("Fuzzing and benchmarks")
//! says how to add one.
//!
//! The limits: deep nesting, a large file, a file over the size limit,
//! invalid UTF-8, a NUL byte and an unterminated string each get a
//! diagnostic or a one-line error, with exit status 1 or 2.
//!
//! And writes: `deal fmt` replaces a file atomically, so a write that fails
//! leaves the original as it was.

mod common;

use common::{TempDir, deal, deal_path, root};
use deal::ast::ItemKind;
use deal::diagnostic::{Located, RenderStyle, render};
use deal::eval::{Scenario, answer, next_change, run_expectations};
use deal::source::SourceFile;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The fixed day every fuzzed query is answered on.
const QUERY_DAY: &str = "2030-06-15";

fn regression_inputs() -> Vec<PathBuf> {
    let dir = root().join("tests/regressions");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    inputs.sort();
    inputs
}

/// The binary ended on its own with 0, 1 or 2, and did not panic.
fn assert_no_crash(what: &str, output: &Output) -> i32 {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("{what}: killed by a signal ({:?})", output.status));
    assert!(
        matches!(code, 0..=2),
        "{what}: exit status {code}\n{}",
        stderr.chars().take(2000).collect::<String>()
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    code
}

// ---------------------------------------------------------------- the library

/// Everything the four fuzz targets do with one input.
fn through_the_library(name: &str, text: &str) {
    let source = SourceFile::new(name, text);
    // parse
    let parsed = deal::syntax::parse_file(&source);
    if let Err(diagnostics) = &parsed {
        for diagnostic in diagnostics {
            render(
                Located {
                    file: &source,
                    diagnostic,
                },
                RenderStyle::PLAIN,
            );
        }
    }
    let _ = deal::syntax::parse_repl_input(&source);
    // check
    for diagnostic in &deal::check_and_lint(&source) {
        render(
            Located {
                file: &source,
                diagnostic,
            },
            RenderStyle::PLAIN,
        );
    }
    // fmt_roundtrip
    if let Ok(file) = parsed {
        let once = deal::fmt::format_file(&source, &file);
        let reread = SourceFile::new(name, once.as_str());
        let again = deal::syntax::parse_file(&reread)
            .unwrap_or_else(|d| panic!("{name}: the formatted text does not parse: {d:#?}"));
        let twice = deal::fmt::format_file(&reread, &again);
        assert!(
            deal::fmt::first_difference(&file, &again).is_none(),
            "{name}: parse(fmt(x)) != parse(x)"
        );
        assert_eq!(once, twice, "{name}: fmt is not idempotent");
    }
    // query_eval: the last line is the query, the rest the contract.
    let (contract_text, query_text) = text.rsplit_once('\n').unwrap_or(("", text));
    let loaded = deal::load(SourceFile::new(name, contract_text));
    let Ok(contract) = loaded.contract() else {
        return;
    };
    for item in &contract.file.items {
        if let ItemKind::Scenario(block) = &item.kind {
            let _ = run_expectations(&contract, block);
        }
    }
    for outcome in deal::analysis::check_assertions(&contract) {
        let _ = deal::analysis::failure_json(&contract, &outcome);
    }
    if let Ok(query) = deal::render::ask::parse_checked_query(&contract, query_text) {
        let day = QUERY_DAY.parse().unwrap();
        let scenario = Scenario::default();
        let _ = answer(&contract, &scenario, &query, day);
        let _ = next_change(&contract, &scenario, &query, day);
    }
}

#[test]
fn every_regression_input_runs_through_the_library() {
    let inputs = regression_inputs();
    assert!(!inputs.is_empty());
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The fuzz targets skip input that is not UTF-8, as `read_source` refuses it.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            through_the_library(&name, text);
        }
    }
}

// ---------------------------------------------------------------- the binary

#[test]
fn every_regression_input_runs_through_the_binary() {
    let dir = TempDir::new("regressions-binary");
    for path in regression_inputs() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let file = dir.path().join("input.deal");
        std::fs::write(&file, &bytes).unwrap();
        for args in [
            &["check"][..],
            &["check", "--format", "json"],
            &["fmt", "--check"],
            &["test"],
        ] {
            let output = deal().args(args).arg(&file).output().unwrap();
            assert_no_crash(&format!("{name}: deal {}", args.join(" ")), &output);
        }
        // `deal fmt` in place: whatever happens, the file is the original or
        // its formatted text, never something in between.
        let output = deal().arg("fmt").arg(&file).output().unwrap();
        let code = assert_no_crash(&format!("{name}: deal fmt"), &output);
        let after = std::fs::read(&file).unwrap();
        if code != 0 {
            assert_eq!(after, bytes, "{name}: a refused file changed");
        }
        // `deal query` on the contract part, as the query_eval target splits it.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let (contract_text, query_text) = text.rsplit_once('\n').unwrap_or(("", text));
            if !query_text.contains('\0') && !query_text.is_empty() {
                std::fs::write(&file, contract_text).unwrap();
                let output = deal()
                    .args(["query", "--at", QUERY_DAY])
                    .arg(&file)
                    .arg(query_text)
                    .output()
                    .unwrap();
                assert_no_crash(&format!("{name}: deal query"), &output);
            }
        }
    }
}

// ---------------------------------------------------------------- limits

/// Run `deal check` on `bytes`; the exit status and stderr. The file is
/// named relative to its directory, so where the system keeps temporary
/// files does not move where diagnostics wrap.
fn check_bytes(name: &str, bytes: &[u8]) -> (i32, String) {
    let dir = TempDir::new(&format!("regressions-{name}"));
    let file = format!("{name}.deal");
    std::fs::write(dir.path().join(&file), bytes).unwrap();
    let output = deal()
        .current_dir(dir.path())
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    let code = assert_no_crash(name, &output);
    (code, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_hundred_thousand_nested_parentheses_are_a_limit_diagnostic() {
    let depth = 100_000;
    let text = format!("let x = {}1{}\n", "(".repeat(depth), ")".repeat(depth));
    let (code, stderr) = check_bytes("nested", text.as_bytes());
    assert_eq!(code, 1);
    assert!(stderr.contains("deal::limit"), "{stderr}");
    assert!(stderr.contains("nesting deeper than 64 levels"), "{stderr}");
}

#[test]
fn long_chains_of_operators_are_limit_diagnostics() {
    let n = 100_000;
    for (name, text) in [
        ("sum", format!("let x = {}\n", vec!["1"; n].join(" + "))),
        ("minus", format!("let x = {}1\n", "-".repeat(n))),
        ("not", format!("let x = {}true\n", "not ".repeat(n))),
        (
            "shifts",
            format!("effective 2025-01-01{}\n", " + 1 day".repeat(n)),
        ),
        (
            "or",
            format!(
                "party a\nasset b\naction c\na may c b until {}\n",
                vec!["2030-01-01"; n].join(" or ")
            ),
        ),
    ] {
        let (code, stderr) = check_bytes(name, text.as_bytes());
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stderr.contains("deal::"), "{name}: {stderr}");
        assert!(
            stderr.len() < 1000,
            "{name}: {} bytes on stderr",
            stderr.len()
        );
    }
}

#[test]
fn a_50_mb_file_gets_a_diagnostic() {
    // 50 MB of zero bytes, written as a sparse file: fast to make, and the
    // whole of it is read, checked and refused at its first byte.
    let dir = TempDir::new("regressions-large");
    let file = dir.path().join("large.deal");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    let output = deal().arg("check").arg(&file).output().unwrap();
    let code = assert_no_crash("50 MB", &output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("NUL byte"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    // The one line of 50 MB is not printed back: the snippet is left out.
    assert!(stderr.len() < 1000, "{} bytes on stderr", stderr.len());
}

#[test]
fn a_file_over_the_size_limit_is_a_one_line_error() {
    let dir = TempDir::new("regressions-over-limit");
    let file = dir.path().join("huge.deal");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(deal::limits::MAX_FILE_BYTES as u64 + 1)
        .unwrap();
    for command in ["check", "test", "fmt"] {
        let output = deal().arg(command).arg(&file).output().unwrap();
        let code = assert_no_crash(command, &output);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(code, 2, "{command}: {stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error:") && first.contains("byte limit"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn invalid_utf8_is_a_one_line_error() {
    let (code, stderr) = check_bytes("latin1", b"party caf\xe9\n");
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not UTF-8"), "{stderr}");
}

#[test]
fn a_nul_byte_is_a_syntax_diagnostic() {
    let (code, stderr) = check_bytes("nul", b"party a\nparty \0b\n");
    assert_eq!(code, 1);
    assert!(
        stderr.contains("deal::syntax") && stderr.contains("NUL byte"),
        "{stderr}"
    );
}

#[test]
fn an_unterminated_string_is_a_syntax_diagnostic() {
    let (code, stderr) = check_bytes("unterminated", b"deal \"no end\nparty a\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("unterminated string"), "{stderr}");
}

// ---------------------------------------------------------------- atomic writes

const UNFORMATTED: &str = "party   a\nparty b   \"B\"\n";

/// `deal fmt` on a file whose new text cannot be written: the status is 2,
/// the error names the file, the original is intact and no temporary file
/// is left beside it.
fn assert_failed_write_keeps_original(dir: &Path, output: &Output) {
    let file = dir.join("a.deal");
    let code = assert_no_crash("fmt", output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), UNFORMATTED);
    let names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["a.deal"], "a temporary file was left behind");
}

#[test]
fn a_write_that_runs_out_of_space_leaves_the_original_intact() {
    // A file size limit of zero makes every write fail (EFBIG), even for
    // root, to whom a read-only directory is no obstacle. The signal that
    // the limit raises is ignored, so the write fails as on a full disk.
    let dir = TempDir::new("regressions-no-space");
    let file = dir.write("a.deal", UNFORMATTED);
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" fmt \"$1\"")
        .arg(deal_path())
        .arg(&file)
        .output()
        .unwrap();
    assert_failed_write_keeps_original(dir.path(), &output);
}

#[test]
fn a_timeline_svg_that_cannot_be_written_leaves_the_old_one_intact() {
    let dir = TempDir::new("regressions-svg");
    let svg = dir.write("out.svg", "old");
    let example = root().join("examples/msft_openai_2025.deal");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" timeline \"$1\" --svg \"$2\"")
        .arg(deal_path())
        .arg(&example)
        .arg(&svg)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let code = assert_no_crash("timeline", &output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&svg).unwrap(), "old");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["out.svg"], "a temporary file was left behind");
}

#[cfg(unix)]
#[test]
fn a_write_into_a_read_only_directory_leaves_the_original_intact() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("regressions-read-only");
    let file = dir.write("a.deal", UNFORMATTED);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into read-only directories anyway; then there is nothing
    // to test here (the file size test above covers root).
    let probe = dir.path().join("probe");
    let writable = std::fs::write(&probe, "").is_ok();
    let _ = std::fs::remove_file(&probe);
    if !writable {
        let output = deal().arg("fmt").arg(&file).output().unwrap();
        assert_failed_write_keeps_original(dir.path(), &output);
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn fmt_replaces_the_file_and_leaves_nothing_beside_it() {
    let dir = TempDir::new("regressions-fmt-ok");
    let file = dir.write("a.deal", UNFORMATTED);
    let output = deal().arg("fmt").arg(&file).output().unwrap();
    assert_eq!(assert_no_crash("fmt", &output), 0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "party a\nparty b \"B\"\n"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["a.deal"]);
}

// ---------------------------------------------------------------- long lines

#[test]
fn a_diagnostic_next_to_a_long_line_leaves_the_snippet_out() {
    // The long line is not the labelled one: it is the line of context
    // after it, which a snippet shows too.
    let path = root().join("tests/regressions/long-line-snippet.deal");
    let output = deal().arg("check").arg(&path).output().unwrap();
    assert_eq!(assert_no_crash("long line", &output), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`nobody` is not declared"), "{stderr}");
    // (The help line may wrap after the path.)
    assert!(stderr.contains("long-line-snippet.deal:6:1"), "{stderr}");
    assert!(stderr.contains("too long to show"), "{stderr}");
    assert!(stderr.contains("declare it"), "{stderr}");
    assert!(stderr.len() < 1000, "{stderr}");
}

#[test]
fn a_long_multi_line_clause_keeps_its_snippet() {
    // Each line is short; together they are longer than any one line may be.
    let qualifiers = "\n  when flag_with_a_long_name_that_goes_on".repeat(12);
    let text = format!(
        "party p\nasset q\naction r\nfact flag_with_a_long_name_that_goes_on: bool\nnobody may r q{qualifiers}\n"
    );
    let (code, stderr) = check_bytes("multi-line", text.as_bytes());
    assert_eq!(code, 1);
    assert!(stderr.contains("╰── not declared"), "{stderr}");
    assert!(!stderr.contains("too long to show"), "{stderr}");
}

// ---------------------------------------------------------------- analysis budget

#[test]
fn many_clauses_over_many_events_stop_the_lints_with_one_limit() {
    let path = root().join("tests/regressions/lint-futures-budget.deal");
    let output = deal().arg("check").arg(&path).output().unwrap();
    assert_eq!(assert_no_crash("lint budget", &output), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("deal::limit").count(), 1, "{stderr}");
    assert!(stderr.contains("the lints stopped here"), "{stderr}");
    assert!(stderr.contains("1 error, 0 warnings"), "{stderr}");
}

#[test]
fn thousands_of_findings_are_bounded_in_work_and_in_output() {
    let path = root().join("tests/regressions/exception-chain.deal");
    let output = deal().arg("check").arg(&path).output().unwrap();
    assert_eq!(assert_no_crash("exception chain", &output), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The first 200 are drawn; a line counts the rest.
    let drawn = stderr.matches("deal::conflict").count();
    assert_eq!(
        drawn,
        deal::limits::MAX_RENDERED_DIAGNOSTICS,
        "{}",
        &stderr[..2000]
    );
    assert!(
        stderr.contains("more diagnostics in `"),
        "{}",
        &stderr[stderr.len() - 500..]
    );
    // The lints stopped at their budget rather than ask 250,000 questions.
    let json = deal()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let limits = diagnostics
        .iter()
        .filter(|d| d["code"] == "deal::limit")
        .count();
    assert_eq!(limits, 1);
    assert!(
        diagnostics.len() < 200_000,
        "{} diagnostics",
        diagnostics.len()
    );
}

#[test]
fn a_file_with_thousands_of_errors_draws_the_first_ones() {
    let mut text = String::from("party p\nasset q\naction r\n");
    for i in 0..1000 {
        text.push_str(&format!("nobody{i} may r q\n"));
    }
    let (code, stderr) = check_bytes("many-errors", text.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("deal::unknown-name").count(), 200);
    assert!(
        stderr.contains("... and 800 more diagnostics in `"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1000 errors, 0 warnings in 1 file"),
        "{stderr}"
    );
}

#[test]
fn a_cycle_of_ten_thousand_links_is_reported_without_drawing_each() {
    let n = 10_000;
    let mut text = format!("event e0 after e{}\n", n - 1);
    for i in 1..n {
        text.push_str(&format!("event e{i} after e{}\n", i - 1));
    }
    let (code, stderr) = check_bytes("long-cycle", text.as_bytes());
    assert_eq!(code, 1);
    assert!(stderr.contains("deal::event-cycle"), "{}", &stderr[..500]);
    assert!(stderr.contains("too long to show"), "{}", &stderr[..500]);
    // The message spells the cycle out; no snippet line is drawn.
    assert!(!stderr.contains("╭─["), "{}", &stderr[..500]);
}
