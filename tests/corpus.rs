//! Corpus tests in the Cedar style: every file under `tests/corpus/ok/`
//! checks clean; every `tests/corpus/err/<name>.deal` produces exactly the
//! rendered diagnostics in `<name>.out` (no colour, fixed width). The code a
//! file is named after (up to the first dot) must be among its diagnostics.
//! Files are checked with `--deny warnings`, so warnings fail them too; a
//! file whose first line is `// command: test` is run with `deal test`.
//!
//! The expected output is an insta snapshot, `<name>.snap` next to the
//! file. To accept new output after an intended change:
//! `INSTA_UPDATE=always cargo test --test corpus`, and review the diff.

mod common;

use common::{assert_golden, deal};
use std::path::{Path, PathBuf};

fn files_in(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn ok_corpus_checks_clean() {
    let files = files_in("tests/corpus/ok", "deal");
    assert!(!files.is_empty());
    for file in files {
        let output = deal()
            .arg("check")
            .arg("--deny")
            .arg("warnings")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{} should check clean:\n{}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn err_corpus_matches_expected_output() {
    let files = files_in("tests/corpus/err", "deal");
    assert!(!files.is_empty());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in files {
        let relative = file.strip_prefix(root).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        // A file whose diagnostics come from running it says so on its first line.
        let command = if text.starts_with("// command: test") {
            "test"
        } else {
            "check"
        };
        let mut cmd = deal();
        cmd.current_dir(root).arg(command).arg(relative);
        if command == "check" {
            cmd.arg("--deny").arg("warnings");
        }
        let output = cmd.output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{} should fail with exit 1",
            relative.display()
        );
        let got = String::from_utf8(output.stderr).unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let code = stem.split('.').next().unwrap();
        assert!(
            got.contains(&format!("deal::{code}")),
            "{} should report deal::{code}:\n{got}",
            relative.display()
        );
        assert_golden("tests/corpus/err", &stem, &got);
    }
}

/// Every clean contract goes through every command: each ends cleanly
/// (exit 0), and `fmt --check` finds it already in canonical layout.
#[test]
fn ok_corpus_runs_clean_through_every_command() {
    let files = files_in("tests/corpus/ok", "deal");
    assert!(files.len() >= 4, "the clean corpus has shrunk");
    let out = common::TempDir::new("corpus-svg");
    for file in files {
        let path = file.to_string_lossy().to_string();
        let svg = out
            .path()
            .join("timeline.svg")
            .to_string_lossy()
            .to_string();
        let commands: [&[&str]; 10] = [
            &["check", "--deny", "warnings", &path],
            &["check", "--format", "sarif", &path],
            &["test", &path],
            &["fmt", "--check", &path],
            &["explain", &path],
            &["timeline", &path, "--svg", &svg],
            &["diff", &path, &path],
            &[
                "query",
                &path,
                "true",
                "--at",
                "2030-01-01",
                "--format",
                "json",
            ],
            &["explore", &path, "true"],
            &["repl", &path],
        ];
        for args in commands {
            let output = deal().args(args).write_stdin(":help\n").output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(0),
                "deal {}:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
