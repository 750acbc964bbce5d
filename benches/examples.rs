//! The examples as a user meets them: `deal test` on each example through
//! the library (load, then every `expect` block and assertion), and the release binary's
//! start-up plus a whole `deal check` / `deal test` of the largest example
//! (the target is under 10 ms).
//!
//! cargo bench --bench examples -- --warm-up-time 1 --measurement-time 3

/// The allocator the `deal` binary uses (`src/main.rs`), so that the figures
/// here are those of the command.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use deal::ast::ItemKind;
use deal::eval::run_expectations;
use deal::source::SourceFile;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "deal"))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// What `deal test` does for one file, short of printing: every `expect`
/// block, then every assertion.
fn test_contract(source: &SourceFile) -> usize {
    let loaded = deal::load(source.clone());
    let Ok(contract) = loaded.contract() else {
        return 0;
    };
    let mut passed = 0;
    for item in &contract.file.items {
        if let ItemKind::Scenario(block) = &item.kind
            && let Ok(outcomes) = run_expectations(&contract, block)
        {
            passed += outcomes.iter().filter(|o| o.passed).count();
        }
    }
    passed += deal::analysis::check_assertions(&contract).len();
    passed
}

fn library(c: &mut Criterion) {
    let mut group = c.benchmark_group("test_library");
    for path in examples() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let source = SourceFile::new(path.display().to_string(), text);
        group.bench_function(name.unwrap_or_default(), |b| {
            b.iter(|| test_contract(black_box(&source)))
        });
    }
    group.finish();
}

fn process(c: &mut Criterion) {
    let binary = env!("CARGO_BIN_EXE_deal");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/msft_openai_2025.deal");
    let mut group = c.benchmark_group("process");
    group.sample_size(50);
    for subcommand in ["check", "test"] {
        group.bench_function(subcommand, |b| {
            b.iter(|| {
                Command::new(binary)
                    .arg(subcommand)
                    .arg(&example)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, library, process);
criterion_main!(benches);
