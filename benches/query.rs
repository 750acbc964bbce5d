//! Query latency on a loaded 10k-clause contract: a `may` query (the target
//! is under 10 microseconds), a `holds` query and an expression, each
//! answered under the empty scenario. Loading is done once, outside the
//! measurement, as the REPL and `deal test` do.
//!
//! cargo bench --bench query -- --warm-up-time 1 --measurement-time 3

/// The allocator the `deal` binary uses (`src/main.rs`), so that the figures
/// here are those of the command.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use deal::eval::{Contract, Scenario, answer};
use deal::source::SourceFile;
use std::hint::black_box;

const CLAUSES: usize = 10_000;

fn loaded() -> Contract {
    let source = SourceFile::new("generated.deal", common::contract(CLAUSES));
    match deal::load(source).contract() {
        Ok(contract) => contract,
        Err(diagnostics) => panic!("the generated contract does not load: {diagnostics:#?}"),
    }
}

fn queries(c: &mut Criterion) {
    let contract = loaded();
    let scenario = Scenario::default();
    let middle = CLAUSES / 16;
    let cases = [
        ("may", common::may_query(middle)),
        ("may_unspecified", format!("may p0 act0 a{middle} on v7")),
        ("holds", format!("holds p{} a{middle}", (middle + 1) % 20)),
        ("expression", "threshold * 2 + revenue".to_string()),
    ];
    let mut group = c.benchmark_group("query_10k");
    for (name, text) in cases {
        let query = match deal::render::ask::parse_checked_query(&contract, &text) {
            Ok(query) => query,
            Err(report) => panic!("`{text}` does not check: {:#?}", report.diagnostics),
        };
        for day in [
            NaiveDate::from_ymd_opt(2024, 6, 1),
            NaiveDate::from_ymd_opt(2027, 6, 1),
        ]
        .into_iter()
        .flatten()
        {
            group.bench_function(format!("{name}/{day}"), |b| {
                b.iter(|| answer(&contract, &scenario, black_box(&query), black_box(day)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
