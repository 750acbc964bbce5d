//! `deal check` throughput without the process: parse, check and lints
//! (`deal::check_and_lint`) on generated contracts of 1k, 10k and 100k
//! clauses, in bytes per second, with parsing alone and parse + check
//! (`deal::load`) beside it to show where the time goes. Ten times the
//! clauses should cost about ten times the time.
//!
//! cargo bench --bench check -- --warm-up-time 1 --measurement-time 3
//!
//! With `DEAL_GENERATED_DIR` set, the contracts are also written there as
//! `generated-N.deal` (N clauses), so that two builds of `deal check` can be
//! timed on the same files: `DEAL_GENERATED_DIR=/tmp/deal-gen cargo bench --bench
//! check -- --list` writes them without running the benches.

/// The allocator the `deal` binary uses (`src/main.rs`), so that the figures
/// here are those of the command.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use deal::source::SourceFile;
use std::hint::black_box;

fn stages(c: &mut Criterion) {
    let sources: Vec<(usize, SourceFile)> = common::SIZES
        .iter()
        .map(|&clauses| {
            let text = common::contract(clauses);
            (clauses, SourceFile::new("generated.deal", text))
        })
        .collect();
    if let Some(dir) = std::env::var_os("DEAL_GENERATED_DIR") {
        let dir = std::path::PathBuf::from(dir);
        for (clauses, source) in &sources {
            let path = dir.join(format!("generated-{clauses}.deal"));
            std::fs::write(&path, source.text.as_bytes())
                .expect("the generated contract is written");
        }
    }
    for (name, stage) in [
        ("parse", parse as fn(&SourceFile)),
        ("load", load),
        ("check_and_lint", check_and_lint),
    ] {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for (clauses, source) in &sources {
            group.throughput(Throughput::Bytes(source.text.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(clauses), source, |b, source| {
                b.iter(|| stage(black_box(source)))
            });
        }
        group.finish();
    }
}

fn parse(source: &SourceFile) {
    black_box(deal::syntax::parse_file(source).is_ok());
}

fn load(source: &SourceFile) {
    black_box(deal::load(source.clone()).diagnostics.len());
}

fn check_and_lint(source: &SourceFile) {
    black_box(deal::check_and_lint(source).len());
}

criterion_group!(benches, stages);
criterion_main!(benches);
