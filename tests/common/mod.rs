//! What every integration test shares: the `deal` binary as the tests run
//! it, the crate root, temporary directories, and the one golden-file
//! mechanism (insta). To accept deliberate changes to golden output, run
//! `INSTA_UPDATE=always cargo test --test NAME` (or `cargo insta review`)
//! and review the diff before committing.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The crate root, where `examples/` and `tests/` are.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `deal` binary, run from the crate root, without colour and without
/// the terminal's width (so output is the same everywhere).
pub fn deal() -> Command {
    let mut command = Command::cargo_bin("deal").expect("the deal binary is built for tests");
    command
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    command
}

/// The path of the `deal` binary, for tests that start it without
/// `assert_cmd` (in a pseudo-terminal, through a shell, with piped stdin).
pub fn deal_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("deal")
}

/// A fresh directory under the system's temporary directory, removed with
/// everything in it when dropped.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// A new empty directory; `label` says which test made it.
    pub fn new(label: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("deal-test-{}-{label}-{unique}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write `text` to `name` inside the directory; its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let file = self.path.join(name);
        if let Some(parent) = file.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        std::fs::write(&file, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        file
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Compare `actual` with the golden snapshot `name` kept in `dir` (relative
/// to the crate root) as `<name>.snap`.
pub fn assert_golden(dir: &str, name: &str, actual: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, actual));
}

/// The `*.deal` files directly in `dir` (relative to the crate root), sorted.
pub fn deal_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "deal"))
        .collect();
    files.sort();
    files
}

/// The contract in `path`, if it loads without errors.
pub fn load_contract(path: &Path) -> Option<deal::eval::Contract> {
    let text = std::fs::read_to_string(path).unwrap();
    deal::load(deal::source::SourceFile::new(
        path.display().to_string(),
        text,
    ))
    .contract()
    .ok()
}

/// One query per clause of `contract`, each once: its kind (`may` for
/// `may`/`only`, `must` for `must`/`must not`, `holds`), the first of its
/// parties and actions by name, and its first object. Exclusivities ask
/// nothing of their own.
pub fn clause_queries(contract: &deal::eval::Contract) -> Vec<String> {
    use deal::eval::{ClauseKind, Members};
    let first = |members: &Members| match members {
        Members::Any => None,
        Members::Only(set) => set.iter().min().cloned(),
    };
    let mut out: Vec<String> = Vec::new();
    for (id, _, _) in contract.clauses() {
        let Some(info) = contract.clause_info(id) else {
            continue;
        };
        let Some(object) = info.objects.first() else {
            continue;
        };
        let query = match info.kind {
            ClauseKind::May | ClauseKind::Must | ClauseKind::MustNot | ClauseKind::Only => {
                let (Some(party), Some(action)) = (first(&info.parties), first(&info.actions))
                else {
                    continue;
                };
                let verb = if matches!(info.kind, ClauseKind::May | ClauseKind::Only) {
                    "may"
                } else {
                    "must"
                };
                format!("{verb} {party} {action} {object}")
            }
            ClauseKind::Holds | ClauseKind::HoldsNo => {
                let Some(party) = first(&info.parties) else {
                    continue;
                };
                format!("holds {party} {object}")
            }
            ClauseKind::Exclusive => continue,
        };
        if !out.contains(&query) {
            out.push(query);
        }
    }
    out
}
