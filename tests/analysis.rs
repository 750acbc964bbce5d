//! The scenario enumerator and what it serves: assertions, `find_world`,
//! `deal explore`. Verdicts are cross-checked against brute force on small
//! contracts, and every counterexample is replayed through the evaluator.

use chrono::NaiveDate;
use deal::analysis::{self, AssertionOutcome};
use deal::ast::{Assertion, ItemKind, QualifierKind, Quantifier};
use deal::eval::{Contract, Outcome, PerformanceRecord, Scenario, Time, Value, answer};
use deal::source::SourceFile;
use std::collections::BTreeMap;

fn contract(text: &str) -> Contract {
    let loaded = deal::load(SourceFile::new("t.deal", text));
    match loaded.contract() {
        Ok(contract) => contract,
        Err(errors) => panic!("{text}\n{errors:#?}"),
    }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn outcome_of(text: &str, label: &str) -> AssertionOutcome {
    analysis::check_assertions(&contract(text))
        .into_iter()
        .find(|o| o.label == label)
        .unwrap()
}

fn assertions(contract: &Contract) -> Vec<&Assertion> {
    contract
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Assert(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// Paste the counterexample block into the contract and run it as a
/// scenario: the expectation it states must fail.
fn replay_fails(text: &str, outcome: &AssertionOutcome) {
    let counterexample = outcome.counterexample.as_ref().expect("a counterexample");
    let with_block = format!("{text}\n{}\n", counterexample.block);
    let replayed = contract(&with_block);
    let name = format!("counterexample_{}", outcome.label);
    let block = replayed
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            ItemKind::Scenario(s) if s.name.text == name => Some(s),
            _ => None,
        })
        .expect("the pasted scenario");
    let results = deal::eval::run_expectations(&replayed, block)
        .unwrap_or_else(|e| panic!("{}\n{e:#?}", counterexample.block));
    assert!(
        results.iter().any(|r| !r.passed),
        "replay passed:\n{}",
        counterexample.block
    );
}

// ---------------------------------------------------------------- the kinds of assertion

const BASE: &str = "effective 2025-10-28\n\
    party microsoft\nparty openai\nparty us_natsec\n\
    asset api\nasset model_ip\nasset research_ip\n\
    venue azure\nvenue gcp\naction host\n\
    event agi_declared\nevent agi_verified after agi_declared\n\
    fact safe: bool\nfact revenue: money\n\
    api_exclusive: exclusive api on azure until agi_verified\n\
    natsec: openai may host api on anywhere to us_natsec notwithstanding api_exclusive\n\
    model_ip: microsoft holds model_ip through 2032-12-31\n\
    research_ip: microsoft holds research_ip until 2031-01-01 or agi_verified when safe\n";

#[test]
fn always_passes_and_fails() {
    let text = format!(
        "{BASE}assert keeps: always holds microsoft model_ip through 2032-12-31\n\
         assert too_long: always holds microsoft model_ip through 2033-01-01\n"
    );
    assert!(outcome_of(&text, "keeps").passed);
    let failed = outcome_of(&text, "too_long");
    assert!(!failed.passed);
    let counterexample = failed.counterexample.as_ref().unwrap();
    assert_eq!(counterexample.world.day, day("2033-01-01"));
    assert_eq!(counterexample.answer, Some(Outcome::Unspecified));
    assert!(counterexample.world.scenario.events.is_empty());
    let diagnostic = failed.diagnostic.as_ref().unwrap();
    assert_eq!(diagnostic.code, deal::diagnostic::Code::AssertionFailed);
    assert!(
        diagnostic.message.contains("too_long"),
        "{}",
        diagnostic.message
    );
    assert!(
        diagnostic.message.contains("unspecified"),
        "{}",
        diagnostic.message
    );
    replay_fails(&text, &failed);
}

#[test]
fn always_not_passes_and_fails() {
    let text = format!(
        "{BASE}assert exclusive_until_verified: always not may openai host api on gcp until agi_verified\n\
         assert exclusive_forever: always not may openai host api on gcp\n"
    );
    assert!(outcome_of(&text, "exclusive_until_verified").passed);
    let failed = outcome_of(&text, "exclusive_forever");
    assert!(!failed.passed);
    let counterexample = failed.counterexample.as_ref().unwrap();
    // Minimal: the verification (and the declaration it needs) on the first day.
    assert_eq!(counterexample.world.day, day("2025-10-28"));
    assert_eq!(counterexample.world.scenario.events.len(), 2);
    assert_eq!(counterexample.answer, Some(Outcome::Unspecified));
    replay_fails(&text, &failed);
}

#[test]
fn never_passes_and_fails() {
    let text = format!(
        "{BASE}assert api_stays_on_azure: never may openai host api on gcp until agi_verified\n\
         assert natsec_blocked: never may openai host api on gcp to us_natsec\n"
    );
    assert!(outcome_of(&text, "api_stays_on_azure").passed);
    let failed = outcome_of(&text, "natsec_blocked");
    let counterexample = failed.counterexample.as_ref().unwrap();
    assert_eq!(counterexample.answer, Some(Outcome::Yes));
    assert_eq!(counterexample.world.day, day("2025-10-28"));
    let contract = contract(&text);
    let deciding: Vec<&str> = counterexample
        .deciding
        .iter()
        .map(|&id| contract.clause_label(id))
        .collect();
    assert_eq!(deciding, vec!["natsec"]);
    replay_fails(&text, &failed);
}

#[test]
fn assumptions_and_facts_in_counterexamples() {
    let text = format!(
        "{BASE}assert research_when_safe: always holds microsoft research_ip until 2031-01-01 unless agi_verified when safe\n\
         assert research_always: always holds microsoft research_ip until 2031-01-01\n"
    );
    assert!(outcome_of(&text, "research_when_safe").passed);
    let failed = outcome_of(&text, "research_always");
    let counterexample = failed.counterexample.as_ref().unwrap();
    // Without events, only an unsafe world breaks it; `safe` was read.
    assert!(counterexample.world.scenario.events.is_empty());
    assert_eq!(
        counterexample.world.scenario.facts.get("safe"),
        Some(&Value::Bool(false))
    );
    assert!(counterexample.facts_read.contains("safe"));
    assert!(
        counterexample.block.contains("safe = false"),
        "{}",
        counterexample.block
    );
    replay_fails(&text, &failed);
    let json = analysis::failure_json(&contract(&text), &failed).unwrap();
    assert_eq!(json["assertion"], "research_always");
    assert_eq!(json["expected"], "yes");
    assert_eq!(json["got"], "unspecified");
    assert_eq!(json["counterexample"]["day"], "2025-10-28");
    assert_eq!(json["counterexample"]["facts"]["safe"], "false");
    assert_eq!(json["counterexample"]["events"], serde_json::json!({}));
}

#[test]
fn windows_starting_at_never_are_empty_and_events_shift_windows() {
    let text = format!(
        "{BASE}assert after_verification: never holds microsoft research_ip from agi_verified\n\
         assert a_month_before: never holds microsoft research_ip from agi_verified - 1 month\n"
    );
    assert!(outcome_of(&text, "after_verification").passed);
    let failed = outcome_of(&text, "a_month_before");
    let counterexample = failed.counterexample.as_ref().unwrap();
    let verified = counterexample.world.scenario.events["agi_verified"];
    let shifted = deal::eval::time::shift_date(verified, -1, 0).unwrap();
    assert!(shifted <= counterexample.world.day && counterexample.world.day < verified);
    replay_fails(&text, &failed);
}

#[test]
fn condition_assertions_and_fact_values() {
    let text = "effective 2026-01-01\nfact revenue: money\nfact costs: money\n\
        assert tautology: always revenue > $1B or revenue <= $1B\n\
        assert profitable: always revenue >= costs\n\
        assert never_equal: never revenue == $5B\n";
    assert!(outcome_of(text, "tautology").passed);
    for label in ["profitable", "never_equal"] {
        let failed = outcome_of(text, label);
        assert!(!failed.passed, "{label}");
        replay_fails(text, &failed);
    }
    let equal = outcome_of(text, "never_equal");
    assert_eq!(
        equal.counterexample.unwrap().world.scenario.facts["revenue"],
        Value::Money(deal::decimal::Decimal::parse("5e9").unwrap())
    );
}

#[test]
fn evaluation_errors_fail_the_assertion() {
    // Comparing a months duration with a days one has no answer.
    let text = "effective 2026-01-01\nparty p\nasset x\naction act\nfact notice: duration\n\
        c: p may act x when notice >= 30 days\n\
        assert a: always may p act x when notice > 60 days\n";
    let failed = outcome_of(text, "a");
    assert!(!failed.passed);
    let diagnostic = failed.diagnostic.unwrap();
    assert_eq!(diagnostic.code, deal::diagnostic::Code::Eval);
    assert!(failed.counterexample.is_some());
}

#[test]
fn example_2025_assertions_hold() {
    let text = std::fs::read_to_string("examples/msft_openai_2025.deal").unwrap();
    for outcome in analysis::check_assertions(&contract(&text)) {
        assert!(
            outcome.passed,
            "{}: {:#?}",
            outcome.label, outcome.diagnostic
        );
    }
}

#[test]
fn corpus_assertion_failure_replays() {
    let text = std::fs::read_to_string("tests/corpus/err/assertion-failed.deal").unwrap();
    let failed = outcome_of(&text, "research_ip_ends_by_2030");
    assert!(!failed.passed);
    assert_eq!(
        failed.counterexample.as_ref().unwrap().world.day,
        day("2031-01-01")
    );
    replay_fails(&text, &failed);
}

#[test]
fn too_many_futures_is_a_limit_not_a_hang() {
    let mut text = String::from("effective 2026-01-01\nparty p\nasset x\naction act\n");
    let mut qualifiers = String::new();
    for i in 0..24 {
        text.push_str(&format!("event e{i}\n"));
        qualifiers.push_str(&format!(" unless e{i}"));
    }
    text.push_str(&format!(
        "c: p may act x{qualifiers}\nassert a: always may p act x\n"
    ));
    let outcome = outcome_of(&text, "a");
    let diagnostic = outcome.diagnostic.unwrap();
    assert_eq!(diagnostic.code, deal::diagnostic::Code::Limit);
    assert!(
        diagnostic.message.contains("`e0`"),
        "{}",
        diagnostic.message
    );
    assert!(!outcome.passed);
}

// ---------------------------------------------------------------- brute force

/// Every placement of the contract's events on `event_days` or never
/// (respecting `after`), with every combination of the given fact values.
fn brute_scenarios(
    contract: &Contract,
    event_days: &[NaiveDate],
    facts: &[(&str, Vec<Value>)],
) -> Vec<Scenario> {
    let events: Vec<String> = contract.events().map(|e| e.name.text.clone()).collect();
    let mut placements: Vec<BTreeMap<String, NaiveDate>> = vec![BTreeMap::new()];
    for event in &events {
        let mut next = Vec::new();
        for placed in &placements {
            next.push(placed.clone());
            for &d in event_days {
                let mut more = placed.clone();
                more.insert(event.clone(), d);
                next.push(more);
            }
        }
        placements = next;
    }
    let mut fact_sets: Vec<BTreeMap<String, Value>> = vec![BTreeMap::new()];
    for (fact, values) in facts {
        fact_sets = fact_sets
            .into_iter()
            .flat_map(|set| {
                values.iter().map(move |v| {
                    let mut set = set.clone();
                    set.insert(fact.to_string(), v.clone());
                    set
                })
            })
            .collect();
    }
    // Performance: the debt `m` (when declared) paid on one of the days, or never.
    let mut record_sets: Vec<Vec<PerformanceRecord>> = vec![Vec::new()];
    if contract.clause_by_label("m").is_some() {
        record_sets.extend(event_days.iter().map(|&date| {
            vec![PerformanceRecord {
                party: "p".into(),
                action: "pay".into(),
                asset: "y".into(),
                quantity: None,
                slots: Vec::new(),
                date,
                span: Default::default(),
            }]
        }));
    }
    // Performance of the recurring obligation `r` (when declared): any set
    // of up to four payments on the days from `effective`, enough for
    // every instance begun in the range to be paid on any day or never.
    if contract.clause_by_label("r").is_some() {
        let effective = contract.effective().unwrap_or(NaiveDate::MIN);
        let record = |date| PerformanceRecord {
            party: "p".into(),
            action: "pay".into(),
            asset: "z".into(),
            quantity: None,
            slots: Vec::new(),
            date,
            span: Default::default(),
        };
        let mut sets: Vec<Vec<NaiveDate>> = vec![Vec::new()];
        for &date in event_days.iter().filter(|&&d| d >= effective) {
            let longer: Vec<Vec<NaiveDate>> = sets
                .iter()
                .filter(|set| set.len() < 4)
                .map(|set| {
                    let mut set = set.clone();
                    set.push(date);
                    set
                })
                .collect();
            sets.extend(longer);
        }
        record_sets = sets
            .into_iter()
            .map(|dates| dates.into_iter().map(record).collect())
            .collect();
    }
    let mut out = Vec::new();
    for events in placements {
        let scenario = Scenario {
            events,
            ..Scenario::default()
        };
        if !scenario.validate(contract).is_empty() {
            continue;
        }
        for facts in &fact_sets {
            for records in &record_sets {
                out.push(Scenario {
                    facts: facts.clone(),
                    records: records.clone(),
                    ..scenario.clone()
                });
            }
        }
    }
    out
}

/// Spec section 10, read directly: None when the day is not checked,
/// Some(false) when the assertion fails on it.
fn brute_judge(
    contract: &Contract,
    assertion: &Assertion,
    scenario: &Scenario,
    on: NaiveDate,
) -> Option<bool> {
    // With statuses: an assumption may read an obligation's status.
    let ctx = deal::eval::force::Ctx::new(contract, scenario, None);
    let env = ctx.env(on);
    let mut start = Time::Day(contract.effective().unwrap_or(NaiveDate::MIN));
    let mut end = Time::Never;
    for q in &assertion.window {
        match &q.kind {
            QualifierKind::From(t) => start = start.and(env.time(t).ok()?),
            QualifierKind::Until(t) => end = end.or(env.time(t).ok()?),
            QualifierKind::Through(t) => end = end.or(env.time(t).ok()?.next_day().ok()?),
            _ => {}
        }
    }
    if !start.reached_by(on) || end.reached_by(on) {
        return None;
    }
    for q in &assertion.window {
        match &q.kind {
            QualifierKind::When(c) if !env.condition(c).ok()? => return None,
            QualifierKind::Unless(c) if env.condition(c).ok()? => return None,
            _ => {}
        }
    }
    let Ok(result) = answer(contract, scenario, &assertion.query, on) else {
        return Some(false);
    };
    let yes = matches!(
        result.outcome,
        Outcome::Yes | Outcome::Value(Value::Bool(true))
    );
    let no = matches!(
        result.outcome,
        Outcome::No | Outcome::Value(Value::Bool(false))
    );
    Some(match assertion.quantifier {
        Quantifier::Always => yes,
        Quantifier::AlwaysNot => no,
        Quantifier::Never => !yes,
    })
}

/// The minimal failure by brute force: (events placed, day).
fn brute_failure(
    contract: &Contract,
    assertion: &Assertion,
    scenarios: &[Scenario],
    days: &[NaiveDate],
) -> Option<(usize, NaiveDate)> {
    let mut best: Option<(usize, NaiveDate)> = None;
    for scenario in scenarios {
        let placed = scenario.events.len();
        if best.is_some_and(|(n, _)| n < placed) {
            continue;
        }
        for &on in days {
            if best.is_some_and(|b| b <= (placed, on)) {
                break;
            }
            if brute_judge(contract, assertion, scenario, on) == Some(false) {
                best = Some((placed, on));
                break;
            }
        }
    }
    best
}

fn span_days(first: &str, count: i64) -> Vec<NaiveDate> {
    (0..count)
        .map(|i| day(first) + chrono::Duration::days(i))
        .collect()
}

/// Compare the analysis with brute force on every assertion of `text`.
fn cross_check(
    text: &str,
    event_days: &[NaiveDate],
    days: &[NaiveDate],
    facts: &[(&str, Vec<Value>)],
) {
    let contract = contract(text);
    let scenarios = brute_scenarios(&contract, event_days, facts);
    let outcomes = analysis::check_assertions(&contract);
    for (assertion, outcome) in assertions(&contract).into_iter().zip(&outcomes) {
        let brute = brute_failure(&contract, assertion, &scenarios, days);
        let label = &assertion.label.text;
        if let Some(found) = &outcome.counterexample {
            // The counterexample reproduces: judged directly, and replayed as text.
            assert_eq!(
                brute_judge(&contract, assertion, &found.world.scenario, found.world.day),
                Some(false),
                "{label}\n{}\n{text}",
                found.block
            );
            replay_fails(text, outcome);
        }
        match (brute, &outcome.counterexample) {
            (None, None) => assert!(outcome.passed, "{label}: {:?}\n{text}", outcome.diagnostic),
            (Some(minimal), Some(found)) => {
                let claimed = (found.world.events_placed(), found.world.day);
                if in_range(found, event_days, days) {
                    assert_eq!(
                        claimed, minimal,
                        "{label}: the counterexample is not minimal\n{}\n{text}",
                        found.block
                    );
                } else {
                    assert!(claimed <= minimal, "{label}\n{}\n{text}", found.block);
                }
            }
            // The analysis sees all of time; brute force only its ranges.
            (None, Some(found)) => assert!(
                !in_range(found, event_days, days),
                "{label}: brute force finds no failure\n{}\n{text}",
                found.block
            ),
            (Some(minimal), None) => panic!(
                "{label}: brute force fails it at {minimal:?}, the analysis passes it: {:?}\n{text}",
                outcome.diagnostic
            ),
        }
    }
}

fn in_range(
    found: &analysis::Counterexample,
    event_days: &[NaiveDate],
    days: &[NaiveDate],
) -> bool {
    days.contains(&found.world.day)
        && found
            .world
            .scenario
            .events
            .values()
            .all(|d| event_days.contains(d))
        && found
            .world
            .scenario
            .fulfilments
            .values()
            .chain(found.world.scenario.instance_fulfilments.values())
            .all(|f| event_days.contains(&f.date))
}

/// A tiny deterministic generator for random contracts.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn random_contract(seed: u64) -> String {
    let mut r = Lcg(seed);
    let mut text = String::from(
        "effective 2028-02-10\nparty p\nasset x\naction act\nvenue v1\nvenue v2\n\
         fact flag: bool\nfact level: number\nevent e1\n",
    );
    text.push_str(if r.below(2) == 0 {
        "event e2 after e1\n"
    } else {
        "event e2\n"
    });
    let bodies = [
        "p may act x",
        "p must not act x",
        "p may act x on v2",
        "exclusive x on v1",
        "p must act x",
        "p must not act x on v1",
    ];
    let qualifiers = [
        "from e1",
        "from e1 + 3 days",
        "until e2",
        "until e2 - 2 days",
        "until e1 + 4 days",
        "from 2028-02-14",
        "until 2028-02-22",
        "through 2028-02-18",
        "until 2028-02-18 or e2",
        "from e1 and 2028-02-14",
        "when flag",
        "unless flag",
        "unless e2",
        "when e1",
        "when level > 5",
        "when level <= 3",
        "when level == 5 or not flag",
    ];
    let clauses = 2 + r.below(3);
    for i in 0..clauses {
        let mut line = format!("c{i}: {}", r.pick(&bodies));
        for _ in 0..r.below(3) {
            line.push(' ');
            line.push_str(r.pick(&qualifiers));
        }
        if i > 0 && r.below(3) == 0 {
            line.push_str(&format!(" notwithstanding c{}", r.below(i)));
        }
        text.push_str(&line);
        text.push('\n');
    }
    let queries = [
        "may p act x",
        "may p act x on v2",
        "may p act x on v1",
        "must p act x",
    ];
    let windows = [
        "",
        " from e1",
        " until e2",
        " through 2028-02-18",
        " from 2028-02-14",
        " when flag",
        " unless level > 5",
        " from e2 - 1 day",
    ];
    for (i, quantifier) in ["always", "always not", "never"].iter().enumerate() {
        text.push_str(&format!(
            "assert a{i}: {quantifier} {}{}\n",
            r.pick(&queries),
            r.pick(&windows)
        ));
    }
    text
}

fn numbers(values: &[&str]) -> Vec<Value> {
    values
        .iter()
        .map(|v| Value::Number(deal::decimal::Decimal::parse(v).unwrap()))
        .collect()
}

#[test]
fn assertions_agree_with_brute_force_on_random_contracts() {
    let event_days = span_days("2028-02-06", 24);
    let days = span_days("2028-02-10", 20);
    let facts = [
        ("flag", vec![Value::Bool(false), Value::Bool(true)]),
        ("level", numbers(&["3", "4", "5", "6"])),
    ];
    for seed in 0..12 {
        cross_check(&random_contract(seed), &event_days, &days, &facts);
    }
}

/// Random contracts in the forms of language version 2: an exclusive right,
/// a debt due after an event, and conditions on an event's deadline and on
/// the debt's status (spec sections 3, 5 and 8).
fn random_v2_contract(seed: u64) -> String {
    let mut r = Lcg(seed);
    let mut text = String::from(
        "effective 2028-02-10\nparty p\nparty q\nasset x\nasset y\naction act\naction pay\n\
         venue v1\nvenue v2\nevent e1\n",
    );
    text.push_str(if r.below(2) == 0 {
        "event e2 after e1\n"
    } else {
        "event e2\n"
    });
    text.push_str(r.pick(&[
        "m: p must pay y within 4 days after e1\n",
        "m: p must pay y from e2 by e1 + 3 days\n",
        "m: p must pay y by 2028-02-16\n",
    ]));
    let bodies = [
        "p may act x",
        "p must not act x",
        "only q may act x on v1",
        "only p may act x on v2",
        "exclusive x on v1",
    ];
    let qualifiers = [
        "from e1",
        "until e2",
        "unless e2 by e1 + 3 days",
        "when e1 by 2028-02-16",
        "when e2 by e1",
        "when m is violated",
        "when m is fulfilled",
        "unless m is pending",
        "when m is inactive",
    ];
    let clauses = 2 + r.below(3);
    for i in 0..clauses {
        let mut line = format!("c{i}: {}", r.pick(&bodies));
        for _ in 0..1 + r.below(2) {
            line.push(' ');
            line.push_str(r.pick(&qualifiers));
        }
        if i > 0 && r.below(3) == 0 {
            line.push_str(&format!(" notwithstanding c{}", r.below(i)));
        }
        text.push_str(&line);
        text.push('\n');
    }
    let queries = [
        "may p act x",
        "may p act x on v2",
        "may p act x on v1",
        "must p pay y",
    ];
    for (i, quantifier) in ["always", "always not", "never"].iter().enumerate() {
        text.push_str(&format!(
            "assert a{i}: {quantifier} {}{}\n",
            r.pick(&queries),
            r.pick(&["", " from e1", " until e2", " from 2028-02-14"])
        ));
    }
    text
}

#[test]
fn v2_forms_agree_with_brute_force_on_random_contracts() {
    let event_days = span_days("2028-02-08", 14);
    let days = span_days("2028-02-10", 14);
    let seeds: u64 = std::env::var("DEAL_V2_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16);
    for seed in 0..seeds {
        cross_check(&random_v2_contract(seed), &event_days, &days, &[]);
    }
}

/// Random contracts with a recurring obligation `r` (from a date or an
/// event, until a date or an event, with or without grace) and clauses
/// whose conditions read its status: remedies, rewards, and assumptions.
fn random_recurring_contract(seed: u64) -> String {
    let mut r = Lcg(seed);
    let mut text = String::from(
        "effective 2028-02-10\nparty p\nparty q\nasset x\nasset z\naction act\n\
         action pay\nvenue v1\nvenue v2\nevent e1\n",
    );
    text.push_str(r.pick(&[
        "r: p must pay z every 4 days\n",
        "r: p must pay z every 5 days within 2 days\n",
        "r: p must pay z every 3 days from e1\n",
        "r: p must pay z every 4 days from e1 within 3 days\n",
        "r: p must pay z every 3 days until e1 within 1 day\n",
        "r: p must pay z every 4 days until 2028-02-18 within 5 days\n",
        "r: p must pay z every 4 days from 2028-02-12 until e1 + 2 days within 2 days\n",
    ]));
    let bodies = [
        "p may act x",
        "p must not act x",
        "only q may act x on v1",
        "exclusive x on v1",
    ];
    let qualifiers = [
        "from e1",
        "until e1",
        "when r is violated",
        "when r is fulfilled",
        "unless r is pending",
        "when r is inactive",
        "unless r is violated",
    ];
    let clauses = 2 + r.below(2);
    for i in 0..clauses {
        let mut line = format!("c{i}: {}", r.pick(&bodies));
        for _ in 0..1 + r.below(2) {
            line.push(' ');
            line.push_str(r.pick(&qualifiers));
        }
        text.push_str(&line);
        text.push('\n');
    }
    let queries = ["may p act x", "may p act x on v1", "must p pay z"];
    for (i, quantifier) in ["always", "always not", "never"].iter().enumerate() {
        text.push_str(&format!(
            "assert a{i}: {quantifier} {}{}\n",
            r.pick(&queries),
            r.pick(&[
                "",
                " from e1",
                " until e1",
                " from 2028-02-14",
                " when r is violated",
                " unless r is fulfilled",
            ])
        ));
    }
    text
}

#[test]
fn recurring_obligations_agree_with_brute_force_on_random_contracts() {
    let event_days = span_days("2028-02-08", 14);
    let days = span_days("2028-02-10", 12);
    let seeds: u64 = std::env::var("DEAL_RECURRING_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6);
    for seed in 0..seeds {
        cross_check(&random_recurring_contract(seed), &event_days, &days, &[]);
    }
}

#[test]
fn month_offsets_agree_with_brute_force() {
    // A month against 30 days around the end of January: the order of the
    // thresholds changes from day to day and from leap to common years.
    let text = "effective 2028-01-20\nparty p\nasset x\naction act\nevent e\n\
        c: p may act x from e + 1 month until e + 30 days\n\
        d: p must not act x from e + 1 month - 1 day until e + 1 month + 1 day\n\
        assert a0: never may p act x\n\
        assert a1: always not may p act x from 2028-02-27\n\
        assert a2: always may p act x from e + 1 month until e + 30 days\n\
        assert a3: never may p act x from e + 1 month + 1 day\n";
    let mut event_days = span_days("2028-01-10", 60);
    event_days.extend(span_days("2029-01-10", 60));
    let mut days = span_days("2028-01-20", 60);
    days.extend(span_days("2029-01-20", 60));
    cross_check(text, &event_days, &days, &[]);
    // Only a common-year February is short enough: the first failure of
    // `a0` is a year after the leap February.
    let failed = outcome_of(text, "a0");
    let found = failed.counterexample.unwrap();
    assert_eq!(found.world.day, day("2029-03-01"));
    assert_eq!(found.world.scenario.events["e"], day("2029-01-31"));
}

#[test]
fn find_world_agrees_with_brute_force() {
    let event_days = span_days("2028-02-06", 24);
    let days = span_days("2028-02-10", 20);
    let facts = [
        ("flag", vec![Value::Bool(false), Value::Bool(true)]),
        ("level", numbers(&["3", "4", "5", "6"])),
    ];
    let query_source = SourceFile::new("q", "may p act x on v2");
    let query = deal::syntax::parse_query(&query_source).unwrap();
    for seed in 20..23 {
        let text = random_contract(seed);
        let contract = contract(&text);
        let mut brute: BTreeMap<String, (usize, NaiveDate)> = BTreeMap::new();
        for scenario in brute_scenarios(&contract, &event_days, &facts) {
            for &on in &days {
                let got = answer(&contract, &scenario, &query, on).unwrap().outcome;
                let best = brute
                    .entry(got.display())
                    .or_insert((scenario.events.len(), on));
                *best = (*best).min((scenario.events.len(), on));
            }
        }
        let clauses = deal::eval::matching(&contract, &query);
        let futures = analysis::futures_for(&contract, &clauses, &[], &[]).unwrap();
        for wanted in [Outcome::Yes, Outcome::No, Outcome::Unspecified] {
            let found = analysis::find_world(&futures, |w| {
                Ok(w.day >= day("2028-02-10")
                    && answer(&contract, &w.scenario, &query, w.day)?.outcome == wanted)
            })
            .unwrap();
            assert_eq!(
                found.map(|w| (w.events_placed(), w.day)),
                brute.get(&wanted.display()).copied(),
                "{wanted:?}\n{text}"
            );
        }
    }
}

#[test]
fn century_years_that_are_not_leap_years_are_seen() {
    // Four years are 1461 days unless the span misses every February 29th,
    // which first happens across 2100 (not a leap year).
    let text = "effective 2020-01-01\nparty p\nasset x\naction act\nevent e\n\
        c: p may act x from e + 4 years until e + 1461 days\n\
        assert a: never may p act x\n";
    let failed = outcome_of(text, "a");
    let found = failed.counterexample.as_ref().unwrap();
    assert_eq!(found.world.day, day("2100-02-28"));
    assert_eq!(found.world.scenario.events["e"], day("2096-02-29"));
    replay_fails(text, &failed);
}

// ---------------------------------------------------------------- explore

/// The answers of a scenario on every day of a range, merged: (first day, answer).
fn brute_timeline(
    contract: &Contract,
    query: &deal::ast::Query,
    scenario: &Scenario,
    days: &[NaiveDate],
) -> Vec<(NaiveDate, String)> {
    let mut timeline: Vec<(NaiveDate, String)> = Vec::new();
    for &on in days {
        let got = answer(contract, scenario, query, on)
            .unwrap()
            .outcome
            .display();
        if timeline.last().is_none_or(|(_, last)| *last != got) {
            timeline.push((on, got));
        }
    }
    timeline
}

#[test]
fn explore_finds_every_answer_sequence_and_its_examples_replay() {
    let from = day("2028-02-10");
    let until = day("2028-02-28");
    let range = span_days("2028-02-10", 19);
    let event_days = span_days("2028-02-04", 27);
    let facts = [
        ("flag", vec![Value::Bool(false), Value::Bool(true)]),
        ("level", numbers(&["3", "4", "5", "6"])),
    ];
    for seed in [3, 7, 11, 30] {
        let text = random_contract(seed);
        let contract = contract(&text);
        for query_text in ["may p act x on v2", "must p act x"] {
            let query = deal::syntax::parse_query(&SourceFile::new("q", query_text)).unwrap();
            let explored = analysis::explore(&contract, &query, from, until).unwrap();
            let mut found: std::collections::BTreeSet<Vec<String>> = Default::default();
            for group in &explored.groups {
                found.insert(group.segments.iter().map(|s| s.outcome.display()).collect());
                // The example has exactly the timeline shown.
                let replayed = brute_timeline(&contract, &query, &group.example, &range);
                let shown: Vec<(NaiveDate, String)> = group
                    .segments
                    .iter()
                    .map(|s| (s.from, s.outcome.display()))
                    .collect();
                assert_eq!(
                    replayed, shown,
                    "{query_text}: {}\n{text}",
                    group.description
                );
            }
            let mut brute: std::collections::BTreeSet<Vec<String>> = Default::default();
            for scenario in brute_scenarios(&contract, &event_days, &facts) {
                let timeline = brute_timeline(&contract, &query, &scenario, &range);
                brute.insert(timeline.into_iter().map(|(_, a)| a).collect());
            }
            assert_eq!(found, brute, "{query_text}\n{text}");
        }
    }
}

#[test]
fn explore_describes_the_2025_api_exclusivity() {
    let text = std::fs::read_to_string("examples/msft_openai_2025.deal").unwrap();
    let contract = contract(&text);
    let query =
        deal::syntax::parse_query(&SourceFile::new("q", "may openai host api on gcp")).unwrap();
    let explored =
        analysis::explore(&contract, &query, day("2025-10-28"), day("2035-10-28")).unwrap();
    let descriptions: Vec<&str> = explored
        .groups
        .iter()
        .map(|g| g.description.as_str())
        .collect();
    assert_eq!(
        descriptions,
        vec![
            "no throughout",
            "unspecified throughout",
            "no until agi_verified, then unspecified"
        ]
    );
    // The fewest events: none for "no throughout".
    assert!(explored.groups[0].example.events.is_empty());
    let changing = &explored.groups[2];
    assert_eq!(
        changing.segments[1].change,
        vec!["agi_verified".to_string()]
    );
    assert_eq!(
        changing.segments[1].from,
        changing.example.events["agi_verified"]
    );
}

#[test]
fn explore_refuses_status_queries() {
    let text = std::fs::read_to_string("examples/msft_openai_2025.deal").unwrap();
    let contract = contract(&text);
    let query =
        deal::syntax::parse_query(&SourceFile::new("q", "status azure_commitment")).unwrap();
    match analysis::explore(&contract, &query, day("2025-10-28"), day("2035-10-28")) {
        Err(analysis::ExploreError::Query(d)) => {
            assert_eq!(d.code, deal::diagnostic::Code::WrongKind)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn explore_json_through_the_binary() {
    let output = assert_cmd::Command::cargo_bin("deal")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "explore",
            "examples/msft_openai_2025.deal",
            "may openai host api on gcp",
            "--until",
            "2030-12-31",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["query"], "may openai host api on gcp");
    assert_eq!(json["from"], "2025-10-28");
    assert_eq!(json["until"], "2030-12-31");
    let timelines = json["timelines"].as_array().unwrap();
    assert_eq!(timelines.len(), 3);
    let changing = timelines
        .iter()
        .find(|t| t["description"] == "no until agi_verified, then unspecified")
        .unwrap();
    let segments = changing["segments"].as_array().unwrap();
    assert_eq!(segments[0]["from"], "2025-10-28");
    assert_eq!(segments[0]["answer"], "no");
    assert_eq!(segments[0]["clauses"], serde_json::json!(["api_exclusive"]));
    assert_eq!(segments[1]["answer"], "unspecified");
    let verified = changing["example"]["events"]["agi_verified"]
        .as_str()
        .unwrap();
    assert_eq!(segments[1]["from"], verified);
    assert!(changing["example"]["facts"].is_object());
}

#[test]
fn explore_errors_and_usage() {
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("deal")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .unwrap()
    };
    let example = "examples/msft_openai_2025.deal";
    // A query that does not check: exit 1, the errors object on stdout.
    let output = run(&[
        "explore",
        example,
        "may openai host api on gpc",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["code"], "deal::unknown-name");
    // A status query cannot be explored.
    let output = run(&[
        "explore",
        example,
        "status azure_commitment",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    // Bad dates and a missing file are usage errors.
    assert_eq!(
        run(&[
            "explore",
            example,
            "may openai host api on gcp",
            "--from",
            "2030-1-1"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(&[
            "explore",
            example,
            "may openai host api on gcp",
            "--from",
            "2030-01-01",
            "--until",
            "2029-01-01"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(&["explore", "no/such.deal", "may openai host api on gcp"])
            .status
            .code(),
        Some(2)
    );
}

// ---------------------------------------------------------------- recurring obligations

const RECURRING: &str = "effective 2028-02-10\n\
    party p\nasset x\nasset z\naction act\naction pay\n\
    r: p must pay z every 5 days within 2 days\n";

/// A reward on a recurring obligation: every instance may be performed, so
/// `r is fulfilled` is reachable, and the counterexample prints the record.
#[test]
fn a_recurring_obligation_may_be_performed_in_the_analysed_futures() {
    let text = format!(
        "{RECURRING}reward: p may act x when r is fulfilled\n\
         assert never_rewarded: never may p act x\n"
    );
    let outcome = outcome_of(&text, "never_rewarded");
    assert!(!outcome.passed, "{:?}", outcome.diagnostic);
    let found = outcome.counterexample.as_ref().unwrap();
    assert_eq!(found.world.day, day("2028-02-10"), "{}", found.block);
    assert!(
        found.block.contains("p pay z on 2028-02-10"),
        "{}",
        found.block
    );
    replay_fails(&text, &outcome);
}

/// A remedy on a recurring obligation is live only once an instance misses
/// its deadline; a late instance does not stop a later one being paid.
#[test]
fn a_remedy_on_a_recurring_obligation_needs_a_missed_instance() {
    let text = format!(
        "{RECURRING}remedy: p may act x when r is violated\n\
         assert not_before_the_first_deadline: never may p act x until 2028-02-17\n\
         assert not_while_all_paid: never may p act x unless r is violated\n\
         assert always_violated_later: always may p act x from 2028-02-17\n"
    );
    assert!(outcome_of(&text, "not_before_the_first_deadline").passed);
    assert!(outcome_of(&text, "not_while_all_paid").passed);
    let outcome = outcome_of(&text, "always_violated_later");
    assert!(!outcome.passed);
    let found = outcome.counterexample.as_ref().unwrap();
    assert_eq!(found.world.day, day("2028-02-17"), "{}", found.block);
    assert!(
        found.block.contains("p pay z on 2028-02-10"),
        "{}",
        found.block
    );
    replay_fails(&text, &outcome);
}

/// Forms that depend on a recurring obligation's history, not on the day
/// asked, are refused with `deal::limit`, never answered approximately.
#[test]
fn history_dependent_recurring_forms_are_a_limit() {
    for (extra, why) in [
        (
            "event e1\nr2: p must pay x every 5 days when e1\n\
             c: p may act x when r2 is violated\n",
            "names an event or a status",
        ),
        (
            "penalty: p must pay x within 5 days after 2028-02-10 when r is violated\n\
             c: p may act x when penalty is violated\n",
            "whole history",
        ),
    ] {
        let text = format!("{RECURRING}{extra}assert a: never may p act x\n");
        let outcome = outcome_of(&text, "a");
        assert!(!outcome.passed, "{text}");
        let diagnostic = outcome.diagnostic.as_ref().expect("a diagnostic");
        assert_eq!(diagnostic.code.as_str(), "deal::limit", "{diagnostic:?}");
        assert!(diagnostic.message.contains(why), "{}", diagnostic.message);
        assert!(diagnostic.help.is_some());
    }
}

/// `must` on a recurring obligation after its window: yes while an
/// instance is open, no once it is paid; both futures are seen.
#[test]
fn must_after_a_recurring_window_depends_on_payment() {
    let text = "effective 2028-02-10\n\
        party p\nasset z\naction pay\n\
        r: p must pay z every 5 days until 2028-02-20 within 10 days\n\
        assert owed: always must p pay z from 2028-02-20 through 2028-02-25\n\
        assert settled: always not must p pay z from 2028-02-20 through 2028-02-25\n";
    for label in ["owed", "settled"] {
        let outcome = outcome_of(text, label);
        assert!(!outcome.passed, "{label}");
        let found = outcome.counterexample.as_ref().unwrap();
        assert_eq!(found.world.day, day("2028-02-20"), "{}", found.block);
        replay_fails(text, &outcome);
    }
    let owed = outcome_of(text, "owed");
    assert!(
        owed.counterexample
            .as_ref()
            .unwrap()
            .block
            .contains("p pay z on 2028-02-15"),
        "{}",
        owed.counterexample.as_ref().unwrap().block
    );
}
