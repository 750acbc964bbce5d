//! How fast the scenario enumerator verifies an assertion: 8 events (in
//! `after` pairs) and 50 significant dates, every clause matching the
//! query, so that a passing assertion visits every representative state.

use criterion::{Criterion, criterion_group, criterion_main};
use deal::analysis;
use deal::eval::Contract;
use deal::source::SourceFile;
use std::hint::black_box;

/// `events` events, `dates` clauses each bounded by its own date and an
/// event, an exclusivity that forbids `v2`, and an assertion that holds.
fn contract_text(events: usize, dates: usize) -> String {
    let mut text = String::from(
        "effective 2025-01-01\nparty p\nasset x\naction act\nvenue v1\nvenue v2\n\
         fact flag: bool\n",
    );
    for e in 0..events {
        if e % 2 == 1 {
            text.push_str(&format!("event e{e} after e{}\n", e - 1));
        } else {
            text.push_str(&format!("event e{e}\n"));
        }
    }
    text.push_str("only_v1: exclusive x on v1\n");
    for d in 0..dates {
        let year = 2026 + d / 12;
        let month = d % 12 + 1;
        text.push_str(&format!(
            "c{d}: p may act x from {year}-{month:02}-15 until e{}\n",
            d % events.max(1)
        ));
    }
    text.push_str("assert never_v2: always not may p act x on v2\n");
    text
}

/// Like `contract_text`, with each event used both `+ 1 month` and
/// `+ 30 days` later: the thresholds' order changes with the calendar.
fn mixed_offsets_text(events: usize, dates: usize) -> String {
    let mut text = contract_text(events, 0).replace("assert never_v2", "assert mixed_never_v2");
    for d in 0..dates {
        let year = 2026 + d / 12;
        let month = d % 12 + 1;
        let shift = if d % 2 == 0 { "1 month" } else { "30 days" };
        text.push_str(&format!(
            "c{d}: p may act x from {year}-{month:02}-15 until e{} + {shift}\n",
            d % events.max(1)
        ));
    }
    text
}

fn load(text: &str) -> Contract {
    deal::load(SourceFile::new("bench.deal", text))
        .contract()
        .expect("the bench contract evaluates")
}

fn bench(c: &mut Criterion) {
    let text = contract_text(8, 50);
    let contract = load(&text);
    let outcomes = analysis::check_assertions(&contract);
    assert!(outcomes[0].passed, "{:?}", outcomes[0].diagnostic);
    let query = deal::syntax::parse_query(&SourceFile::new("q", "may p act x on v2")).unwrap();
    let clauses = deal::eval::matching(&contract, &query);
    let futures = analysis::futures_for(&contract, &clauses, &[], &[]).unwrap();
    eprintln!(
        "{} clauses, {} events, {} dates, {} representative days, at most {} states",
        clauses.len(),
        futures.event_names().len(),
        futures.points().len(),
        futures.days().len(),
        futures.state_bound()
    );

    let mut group = c.benchmark_group("analysis");
    group.sample_size(10);
    group.bench_function("passing assertion, 8 events, 50 dates", |b| {
        let first = &outcomes[0].label;
        b.iter(|| {
            let outcomes = analysis::check_assertions(black_box(&contract));
            black_box(
                outcomes
                    .iter()
                    .find(|o| &o.label == first)
                    .map(|o| o.passed),
            )
        })
    });
    group.bench_function("futures_for, 8 events, 50 dates", |b| {
        b.iter(|| {
            black_box(analysis::futures_for(&contract, &clauses, &[], &[]).map(|f| f.state_bound()))
        })
    });
    let mixed = load(&mixed_offsets_text(4, 50));
    let mixed_clauses = deal::eval::matching(&mixed, &query);
    let futures = analysis::futures_for(&mixed, &mixed_clauses, &[], &[]).unwrap();
    eprintln!(
        "mixed offsets: {} events, {} dates, {} representative days, at most {} states",
        futures.event_names().len(),
        futures.points().len(),
        futures.days().len(),
        futures.state_bound()
    );
    assert!(analysis::check_assertions(&mixed)[0].passed);
    group.bench_function(
        "passing assertion, 4 events with month and day offsets, 50 dates",
        |b| b.iter(|| black_box(analysis::check_assertions(black_box(&mixed)).len())),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
