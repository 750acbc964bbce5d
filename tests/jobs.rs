//! `deal check` and `deal test` over many files with `--jobs`: whatever the
//! number of threads, the output is the same bytes in the same order and
//! the exit status is the same, in every output format.

mod common;

use common::{TempDir, deal, root};
use std::path::Path;

/// Output formats of each command (stdout and stderr compared in each).
const CHECK_FORMATS: &[&str] = &["human", "json", "sarif", "github", "junit", "gitlab"];
const TEST_FORMATS: &[&str] = &["human", "json", "junit", "gitlab"];

/// A portfolio of contracts: the bundled examples (clean, with scenarios
/// and assertions) and the error corpus (one diagnostic each, failed
/// expectations and assertions among them), spread over subdirectories.
/// The directory and the number of contracts in it.
fn portfolio(label: &str) -> (TempDir, usize) {
    let dir = TempDir::new(label);
    let mut count = 0;
    for (from, to) in [("examples", "clean"), ("tests/corpus/err", "broken")] {
        let entries = std::fs::read_dir(root().join(from)).expect("the corpus is readable");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "deal") {
                let name = path.file_name().expect("a file name").to_string_lossy();
                let text = std::fs::read_to_string(&path).expect("a UTF-8 contract");
                dir.write(&format!("{to}/{name}"), &text);
                count += 1;
            }
        }
    }
    (dir, count)
}

/// Exit status, stdout and stderr of `deal ARGS` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let output = deal()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("deal runs");
    (output.status.code(), output.stdout, output.stderr)
}

fn assert_same_with_jobs(dir: &Path, command: &str, format: &str) -> Option<i32> {
    let args = |jobs| [command, ".", "--format", format, "--jobs", jobs];
    let one = run_in(dir, &args("1"));
    let four = run_in(dir, &args("4"));
    assert_eq!(
        one.0, four.0,
        "`deal {command} --format {format}`: exit status differs"
    );
    assert!(
        one.1 == four.1,
        "`deal {command} --format {format}`: stdout differs between --jobs 1 and --jobs 4:\n{}\n---\n{}",
        String::from_utf8_lossy(&one.1),
        String::from_utf8_lossy(&four.1)
    );
    assert!(
        one.2 == four.2,
        "`deal {command} --format {format}`: stderr differs between --jobs 1 and --jobs 4:\n{}\n---\n{}",
        String::from_utf8_lossy(&one.2),
        String::from_utf8_lossy(&four.2)
    );
    one.0
}

#[test]
fn check_output_is_the_same_on_one_thread_and_on_four() {
    let (dir, contracts) = portfolio("jobs-check");
    for format in CHECK_FORMATS {
        let status = assert_same_with_jobs(dir.path(), "check", format);
        assert_eq!(status, Some(1), "the broken contracts have errors");
    }
    // Every file was checked.
    let (_, json, _) = run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--jobs", "4"],
    );
    let report: serde_json::Value = serde_json::from_slice(&json).expect("JSON on stdout");
    assert_eq!(report["files"].as_u64(), Some(contracts as u64));
    assert!(contracts > 10, "a portfolio of {contracts} contracts");
}

#[test]
fn test_output_is_the_same_on_one_thread_and_on_four() {
    let (dir, _) = portfolio("jobs-test");
    for format in TEST_FORMATS {
        let status = assert_same_with_jobs(dir.path(), "test", format);
        assert_eq!(status, Some(1), "some expectations and assertions fail");
    }
}

#[test]
fn an_unreadable_file_is_reported_the_same_way_on_any_number_of_threads() {
    let (dir, _) = portfolio("jobs-unreadable");
    std::fs::write(dir.path().join("broken/latin1.deal"), b"party caf\xe9\n").expect("written");
    for format in CHECK_FORMATS {
        let status = assert_same_with_jobs(dir.path(), "check", format);
        assert_eq!(status, Some(2), "an unreadable file is an I/O error");
    }
    for format in TEST_FORMATS {
        let status = assert_same_with_jobs(dir.path(), "test", format);
        assert_eq!(status, Some(2), "an unreadable file is an I/O error");
    }
}

#[test]
fn zero_jobs_is_a_usage_error() {
    for command in ["check", "test"] {
        let (status, _, stderr) = run_in(root(), &[command, "examples", "--jobs", "0"]);
        assert_eq!(status, Some(2), "`deal {command} --jobs 0`");
        let stderr = String::from_utf8_lossy(&stderr);
        assert!(stderr.contains("--jobs"), "{stderr}");
    }
}
