//! `:why` claims only what it checked: every run of dates it gives for a
//! missing event, and every "no event would change the answer", agrees with
//! placing that event (with the missing events it must follow) on every
//! day of a range and asking again.
//!
//! Run over one query per clause of the examples, the clean corpus and the
//! explore corpus, on a few days, under no scenario and each scenario block.

mod common;

use chrono::{Days, NaiveDate};
use common::{clause_queries, deal_files, load_contract};
use deal::analysis::hypotheses::{Tried, what_if_any_date};
use deal::eval::{ClauseKind, Contract, Scenario, answer, same_answer};
use deal::render::scenario_args::scenario_blocks;
use deal::source::SourceFile;

/// One query per clause, then each obligation's status, at most six.
fn queries(contract: &Contract) -> Vec<String> {
    let mut out = clause_queries(contract);
    for (id, clause, _) in contract.clauses() {
        if let (Some(info), Some(label)) = (contract.clause_info(id), &clause.label)
            && info.kind == ClauseKind::Must
        {
            out.push(format!("status {}", label.text));
        }
    }
    out.truncate(6);
    out
}

fn scenarios(contract: &Contract) -> Vec<Scenario> {
    let mut out = vec![Scenario::default()];
    for block in scenario_blocks(contract) {
        if let Ok(scenario) = Scenario::from_ast(contract, block)
            && scenario.validate(contract).is_empty()
        {
            out.push(scenario);
        }
    }
    out.truncate(2);
    out
}

/// Placing each missing event on every day of `range` gives the answer the
/// claims give for that day. Returns the number of placements tried and of
/// runs of dates claimed to change the answer.
fn check_claims(
    contract: &Contract,
    scenario: &Scenario,
    query_text: &str,
    day: NaiveDate,
) -> (usize, usize) {
    let source = SourceFile::new("<query>".to_string(), query_text.to_string());
    let Ok(query) = deal::syntax::parse_query(&source) else {
        return (0, 0);
    };
    let Ok(what_if) = what_if_any_date(contract, scenario, &query, day) else {
        return (0, 0);
    };
    let first = day.checked_sub_days(Days::new(800)).unwrap();
    let last = day.checked_add_days(Days::new(60)).unwrap();
    let mut tried = 0;
    for event in contract.events() {
        let name = event.name.text.as_str();
        if scenario.events.contains_key(name) || what_if.untried.iter().any(|u| u == name) {
            continue;
        }
        let mut assumed = vec![name.to_string()];
        let mut i = 0;
        while let Some(next) = assumed.get(i).cloned() {
            for before in contract.prerequisites(&next) {
                if !scenario.events.contains_key(before) && !assumed.contains(before) {
                    assumed.push(before.clone());
                }
            }
            i += 1;
        }
        let earliest = assumed
            .iter()
            .flat_map(|e| contract.prerequisites(e))
            .filter_map(|before| scenario.events.get(before))
            .max()
            .copied()
            .unwrap_or(first);
        for x in first.max(earliest).iter_days().take_while(|&x| x <= last) {
            if let Tried::Range(from, until) = what_if.tried
                && (x < from || x > until)
            {
                continue;
            }
            let mut hypothetical = scenario.clone();
            for e in &assumed {
                hypothetical.set_event(e, Some(x));
            }
            let Ok(actual) = answer(contract, &hypothetical, &query, day) else {
                continue;
            };
            tried += 1;
            let claimed = what_if
                .changes
                .iter()
                .find(|c| c.event == name && c.dates.contains(x))
                .map_or(&what_if.baseline, |c| &c.answer);
            assert!(
                same_answer(&claimed.outcome, &actual.outcome),
                "`{query_text}` on {day}, `{name}` on {x}: :why claims {}, asking gives {}",
                claimed.outcome.display(),
                actual.outcome.display()
            );
        }
    }
    (tried, what_if.changes.len())
}

#[test]
fn every_claim_of_why_holds_on_every_day_of_a_range() {
    let mut files = deal_files("examples");
    files.extend(deal_files("tests/corpus/ok"));
    files.extend(deal_files("tests/explore"));
    files.extend(deal_files("tests/v2"));
    let (mut placements, mut claims) = (0, 0);
    for file in &files {
        let Some(contract) = load_contract(file) else {
            continue;
        };
        let start = contract
            .effective()
            .unwrap_or(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        let days = [
            start.checked_add_days(Days::new(200)).unwrap(),
            start.checked_add_days(Days::new(1500)).unwrap(),
        ];
        for scenario in scenarios(&contract) {
            for query in queries(&contract) {
                for day in days {
                    let (tried, claimed) = check_claims(&contract, &scenario, &query, day);
                    placements += tried;
                    claims += claimed;
                }
            }
        }
    }
    assert!(
        placements > 10_000 && claims > 20,
        "only {placements} placements were tried and {claims} changes claimed"
    );
    eprintln!("{placements} placements agree with {claims} claimed changes");
}
