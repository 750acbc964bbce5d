//! How fast the scenario enumerator verifies an assertion: 8 events (in
//! `after` pairs) and 50 significant dates, every clause matching the
//! query, so that a passing assertion visits every representative state.

/// The allocator the `deal` binary uses (`src/main.rs`), so that the figures
/// here are those of the command.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// Language version 2: a licence with 5 recurring obligations, 3 debts
/// and 3 remedies (`when L is violated`), a cure period (`E by T`) and a
/// term, and assertions over every future, performance included.
pub fn v2_licence_text() -> String {
    let mut text = String::from(
        "effective 2025-03-01 until term_end or terminated\n\
         party helvion\nparty marlow\n\
         event approval\nevent first_sale after approval\nevent breach_notice\n\
         event breach_cured after breach_notice\nevent terminated after breach_notice\n\
         event term_end\n\
         asset fees\nasset royalties\nasset report\nasset data\nasset plan\nasset insurance\n\
         asset licence\naction pay\naction deliver\naction terminate\n\
         fact net_sales: money\n",
    );
    text.push_str(
        "upfront: marlow must pay $25M of fees to helvion within 30 days after 2025-03-01\n\
         milestone: marlow must pay $10M of fees to helvion within 45 days after approval\n\
         launch_fee: marlow must pay $5M of fees to helvion within 60 days after first_sale\n\
         royalties: marlow must pay max(12% * net_sales, $2M) of royalties to helvion every 1 year from first_sale within 60 days\n\
         reports: marlow must deliver report to helvion every 3 months from first_sale within 45 days\n\
         data: marlow must deliver data to helvion every 6 months from approval within 30 days\n\
         plan: marlow must deliver plan to helvion every 1 year within 90 days\n\
         insurance: marlow must deliver insurance to helvion every 1 year from approval\n\
         for_breach: helvion may terminate licence from breach_notice + 60 days unless breach_cured by breach_notice + 60 days\n\
         for_milestone: helvion may terminate licence when milestone is violated\n\
         for_launch: helvion may terminate licence when launch_fee is violated\n\
         for_upfront: helvion may terminate licence when upfront is violated\n\
         assert no_early_termination: never may helvion terminate licence until 2025-04-01 unless breach_notice unless approval\n\
         assert paid_and_cured_no_termination: never may helvion terminate licence when upfront is fulfilled unless breach_notice unless approval\n",
    );
    text
}

/// Five recurring obligations and three remedies on them (`when L is
/// violated`) under a term: every instance may be performed or not, so
/// each remedy's status read ranges over the patterns of performance.
/// (With the term `until term_end or terminated` the same question has
/// 13,934,592 representative states and stops at `limits::MAX_FUTURES`.)
pub fn recurring_remedies_text() -> String {
    String::from(
        "effective 2025-03-01 until term_end\n\
         party helvion\nparty marlow\n\
         event approval\nevent first_sale after approval\nevent term_end\n\
         asset royalties\nasset report\nasset data\nasset plan\nasset insurance\nasset licence\n\
         action pay\naction deliver\naction terminate\n\
         fact net_sales: money\n\
         royalties: marlow must pay max(12% * net_sales, $2M) of royalties to helvion every 1 year from first_sale within 60 days\n\
         reports: marlow must deliver report to helvion every 3 months from first_sale within 45 days\n\
         data: marlow must deliver data to helvion every 6 months from approval within 30 days\n\
         plan: marlow must deliver plan to helvion every 1 year within 90 days\n\
         insurance: marlow must deliver insurance to helvion every 1 year from approval\n\
         for_royalties: helvion may terminate licence when royalties is violated\n\
         for_reports: helvion may terminate licence when reports is violated\n\
         for_data: helvion may terminate licence when data is violated\n\
         assert no_early_termination: never may helvion terminate licence until 2025-07-01\n\
         assert only_for_a_missed_instance: never may helvion terminate licence \
           unless royalties is violated unless reports is violated unless data is violated\n",
    )
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
    let licence = load(&v2_licence_text());
    let outcomes = analysis::check_assertions(&licence);
    for outcome in &outcomes {
        assert!(
            outcome.passed,
            "{}: {:?}",
            outcome.label, outcome.diagnostic
        );
    }
    group.bench_function(
        "v2 licence: 5 recurring obligations, 3 remedies, a cure period, 2 assertions",
        |b| b.iter(|| black_box(analysis::check_assertions(black_box(&licence)).len())),
    );
    let recurring = load(&recurring_remedies_text());
    let outcomes = analysis::check_assertions(&recurring);
    for outcome in &outcomes {
        assert!(
            outcome.passed,
            "{}: {:?}",
            outcome.label, outcome.diagnostic
        );
    }
    group.bench_function(
        "5 recurring obligations, 3 remedies on them, 2 passing assertions",
        |b| b.iter(|| black_box(analysis::check_assertions(black_box(&recurring)).len())),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
