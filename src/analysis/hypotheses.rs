//! "What if an event that has not happened did happen?" over every date,
//! for the REPL's `:why`.
//!
//! Fix the scenario and the day `d`, and let one missing event (with the
//! missing events it must come after) happen on a date `x`. The answer on
//! `d` reads `x` only through comparisons `x + σ <= k` (or `<`) between the
//! event shifted by an offset `σ` it appears with (see `atoms`) and a date
//! `k` the world already fixes: `d` itself, a constant point, another
//! event's date or a record's date (shifted by the offset it is compared
//! with). Each comparison changes its truth only between `t_σ(k)` and the
//! day after (the thresholds of `offset`), so the answer is constant between
//! consecutive candidate dates, and trying each candidate tries every date.
//! That is what lets `:why` say "no event would change the answer, on any
//! date" and be right; `tests/repl_why.rs` checks it against trying every
//! day of a range.
//!
//! A recurring obligation's instances fall due at `x` plus a multiple of
//! its period, which the offsets do not list: when a contract has one, every
//! day of a bounded range is tried instead, and the answer says which
//! dates were tried.

use crate::ast::Query;
use crate::diagnostic::Diagnostic;
use crate::eval::obligation::{ObligationKind, kind_of};
use crate::eval::{Answer, Contract, Scenario, answer, matching, same_answer};
use chrono::{Days, NaiveDate};
use std::collections::BTreeSet;

use super::atoms::{Atoms, Bound};
use super::clause_atoms;
use super::offset::{Offset, next_day, previous_day};

/// Most answers one `what_if_any_date` asks, over all its events: past it,
/// the events not yet tried are listed as such rather than guessed.
pub const MAX_HYPOTHESES: usize = 50_000;

/// The first date an event is placed on: the first of the years a date
/// literal can write, so that every hypothesis can be replayed.
fn first_writable_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// How many days before the day asked are tried one by one when the
/// contract has a recurring obligation (ten years).
pub const RECURRING_SCAN_DAYS: u64 = 3_660;

/// The dates tried for the events: all of them, or a bounded range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tried {
    /// Every date on which the events could happen.
    EveryDate,
    /// Every date from the first to the second, inclusive (a contract with a
    /// recurring obligation; dates outside were not tried).
    Range(NaiveDate, NaiveDate),
}

/// The answer when `event` happens on a date of `dates`, where it differs
/// from the answer without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hypothesis {
    pub event: String,
    /// The missing events it must come after, placed on the same date.
    pub with: Vec<String>,
    pub dates: DateRange,
    pub answer: Answer,
}

/// A run of dates: `None` at either end reaches as far as dates go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first.is_none_or(|first| first <= date) && self.last.is_none_or(|last| date <= last)
    }
}

impl std::fmt::Display for DateRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.first, self.last) {
            (None, None) => f.write_str("on any date"),
            (None, Some(last)) => write!(f, "on or before {last}"),
            (Some(first), None) => write!(f, "on or after {first}"),
            (Some(first), Some(last)) if first == last => write!(f, "on {first}"),
            (Some(first), Some(last)) => write!(f, "from {first} to {last}"),
        }
    }
}

/// What the missing events would do to the answer on the day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhatIf {
    /// The answer without any of them.
    pub baseline: Answer,
    /// Each run of dates on which an event changes the answer, by event in
    /// declaration order, then by date.
    pub changes: Vec<Hypothesis>,
    pub tried: Tried,
    /// Events not tried on every date of `tried`: the budget ran out, or
    /// their answer could not be evaluated.
    pub untried: Vec<String>,
    /// Some event was tried together with missing events it must come
    /// after, all on one date (earlier prerequisites were not tried).
    pub with_prerequisites: bool,
}

/// For each event the scenario lacks, the runs of dates on which its
/// happening (with the missing events it must come after, on the same date)
/// changes the answer to `query` on `day`.
pub fn what_if_any_date(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> Result<WhatIf, Diagnostic> {
    let baseline = answer(contract, scenario, query, day)?;
    let atoms = query_atoms(contract, query);
    let tried = if has_recurring_obligation(contract) {
        let first = day
            .checked_sub_days(Days::new(RECURRING_SCAN_DAYS))
            .unwrap_or(first_writable_date())
            .max(first_writable_date());
        Tried::Range(first, next_day(day).unwrap_or(day))
    } else {
        Tried::EveryDate
    };
    let mut what_if = WhatIf {
        baseline,
        changes: Vec::new(),
        tried,
        untried: Vec::new(),
        with_prerequisites: false,
    };
    let known = known_dates(scenario, atoms.as_ref(), day);
    let mut asked = 0usize;
    for event in contract.events() {
        let name = event.name.text.as_str();
        if scenario.events.contains_key(name) {
            continue;
        }
        if crate::interrupt::requested() {
            what_if.untried.push(name.to_string());
            continue;
        }
        let Some(atoms) = &atoms else {
            what_if.untried.push(name.to_string());
            continue;
        };
        let (assumed, earliest) = assumed_events(contract, scenario, name);
        what_if.with_prerequisites |= assumed.len() > 1;
        let candidates = match tried {
            Tried::EveryDate => threshold_candidates(&assumed, atoms, &known, earliest),
            Tried::Range(first, last) => every_day(first.max(earliest), last),
        };
        if asked + candidates.len() > MAX_HYPOTHESES {
            what_if.untried.push(name.to_string());
            continue;
        }
        asked += candidates.len();
        match runs(contract, scenario, query, day, &assumed, &candidates) {
            Some(runs) => {
                for (dates, after) in runs {
                    if !same_answer(&what_if.baseline.outcome, &after.outcome) {
                        what_if.changes.push(Hypothesis {
                            event: name.to_string(),
                            with: assumed.iter().skip(1).cloned().collect(),
                            dates: bounded(dates, tried, earliest),
                            answer: after,
                        });
                    }
                }
            }
            None => what_if.untried.push(name.to_string()),
        }
    }
    Ok(what_if)
}

/// The atoms of the clauses the query matches (and of its condition): where
/// the events appear, with which offsets. None when they cannot be
/// collected, so that nothing is claimed.
fn query_atoms(contract: &Contract, query: &Query) -> Option<Atoms> {
    let mut atoms = clause_atoms(contract, &matching(contract, query)).ok()?;
    if let Query::Expr(expr) = query {
        atoms.add_condition(contract, expr).ok()?;
    }
    Some(atoms)
}

fn has_recurring_obligation(contract: &Contract) -> bool {
    contract
        .clauses()
        .any(|(id, _, _)| matches!(kind_of(contract, id), ObligationKind::Recurring { .. }))
}

/// The dates an event's shifted date can be compared with: the day, the
/// constant points, the dates of the scenario's events and records, and
/// the dates of relations' bounds.
fn known_dates(scenario: &Scenario, atoms: Option<&Atoms>, day: NaiveDate) -> BTreeSet<NaiveDate> {
    let mut known: BTreeSet<NaiveDate> = BTreeSet::from([day]);
    known.extend(scenario.events.values().copied());
    known.extend(scenario.records.iter().map(|record| record.date));
    if let Some(atoms) = atoms {
        known.extend(atoms.points.iter().copied());
        for relation in &atoms.relations {
            match &relation.bound {
                Bound::Date(date) => {
                    known.insert(*date);
                }
                Bound::Event { name, offset } => {
                    if let Some(&date) = scenario.events.get(name) {
                        known.extend(offset.apply(date));
                    }
                }
            }
        }
    }
    known
}

/// `event` and the missing events it must come after (first the event),
/// and the earliest date they can all happen: the latest date of the
/// prerequisites that do happen.
fn assumed_events(
    contract: &Contract,
    scenario: &Scenario,
    event: &str,
) -> (Vec<String>, NaiveDate) {
    let mut assumed: Vec<String> = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut earliest = first_writable_date();
    let mut stack = vec![event];
    while let Some(name) = stack.pop() {
        if let Some(&date) = scenario.events.get(name) {
            earliest = earliest.max(date);
            continue;
        }
        if !seen.insert(name) {
            continue;
        }
        assumed.push(name.to_string());
        stack.extend(contract.prerequisites(name).iter().map(String::as_str));
    }
    (assumed, earliest)
}

/// Every date on which a comparison of the assumed events' shifted dates
/// with a known date can change, the day after each, and the earliest date
/// they can happen: ascending, none before `earliest`.
fn threshold_candidates(
    assumed: &[String],
    atoms: &Atoms,
    known: &BTreeSet<NaiveDate>,
    earliest: NaiveDate,
) -> Vec<NaiveDate> {
    let mut offsets: BTreeSet<Offset> = BTreeSet::from([Offset::identity()]);
    for name in assumed {
        if let Some(found) = atoms.events.get(name) {
            offsets.extend(found.keys().cloned());
        }
    }
    for relation in &atoms.relations {
        if let Bound::Event { name, offset } = &relation.bound
            && assumed.contains(name)
        {
            offsets.insert(offset.clone());
        }
    }
    let mut candidates: BTreeSet<NaiveDate> = BTreeSet::from([earliest]);
    for offset in &offsets {
        for &date in known {
            // `x + σ <= k` turns at `t_σ(k)`; `x + σ < k` at `t_σ(k - 1)`.
            for bound in [Some(date), previous_day(date)].into_iter().flatten() {
                if let Some(threshold) = offset.threshold(bound) {
                    candidates.insert(threshold);
                    candidates.extend(next_day(threshold));
                }
            }
        }
    }
    candidates.into_iter().filter(|&c| c >= earliest).collect()
}

fn every_day(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    first.iter_days().take_while(|&d| d <= last).collect()
}

/// The answer with the assumed events on each candidate, merged into runs
/// of equal answers: a run reaches to the day before the next candidate.
/// None when a hypothesis cannot be evaluated.
fn runs(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
    assumed: &[String],
    candidates: &[NaiveDate],
) -> Option<Vec<(DateRange, Answer)>> {
    let mut runs: Vec<(DateRange, Answer)> = Vec::new();
    let mut hypothetical = scenario.clone();
    for (i, &date) in candidates.iter().enumerate() {
        for name in assumed {
            hypothetical.set_event(name, Some(date));
        }
        let after = answer(contract, &hypothetical, query, day).ok()?;
        if let Some((range, previous)) = runs.last_mut() {
            if same_answer(&previous.outcome, &after.outcome) {
                continue;
            }
            range.last = previous_day(date);
        }
        let first = (i > 0).then_some(date);
        runs.push((DateRange { first, last: None }, after));
    }
    Some(runs)
}

/// A run's ends as claimed: an open end stands for every date only when
/// every date was tried, and never reaches before `earliest`.
fn bounded(dates: DateRange, tried: Tried, earliest: NaiveDate) -> DateRange {
    let floor = (earliest > first_writable_date()).then_some(earliest);
    match tried {
        Tried::EveryDate => DateRange {
            first: dates.first.or(floor),
            last: dates.last,
        },
        Tried::Range(first, last) => DateRange {
            first: Some(dates.first.unwrap_or(first.max(earliest))),
            last: Some(dates.last.unwrap_or(last)),
        },
    }
}
