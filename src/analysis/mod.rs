//! Every possible future (spec sections 8 and 10): one scenario enumerator
//! that every analysis shares. Assertions, `deal explore`, the lints that
//! range over scenarios (conflict, dead clause, over-allocation, exclusive
//! clash, needless exception) and the effects part of `deal diff` are all
//! "for every representative future, ask the query engine".
//!
//! # The method
//!
//! Spec section 8 quantifies over every placement of every event on any day
//! or never (respecting `after`), every value of every fact, and every day.
//! That is infinite, but what a set of clauses can observe of one world on
//! one day `d` is finite (`atoms`):
//! - `[p <= d]` for each constant date `p` (`effective`, dates and constant
//!   `let` dates in windows, `through D` as `D + 1 day`);
//! - `[e + σ <= d]` for each event `e` and offset `σ` it appears with
//!   (σ is nothing for a bare event in a window or a condition);
//! - fact comparisons with constants or other facts, and bool facts.
//!
//! Events never meet constants or each other except through `d` and through
//! `after`. So a *state* is: the region of `d` among the sorted constant
//! points; for each event, the interval of its date among its thresholds
//! `t_σ(d)` (the latest date with `date + σ <= d`; the last interval is
//! "not by then", later or never); and each fact's place among its constants
//! and peers. The enumeration (`futures`) yields one concrete world per
//! realisable state:
//! - days: the first day of each region (the day before the first point
//!   for the region before it). When an event group mixes month offsets
//!   with day offsets (`e + 1 month` and `e + 30 days`), the order of its
//!   thresholds depends on the calendar around `d`; the region is then
//!   walked day by day (at most one 400-year calendar cycle, after which
//!   everything repeats) and the first day of each distinct order is kept.
//! - events: a state is realisable iff placing every event at the earliest
//!   date of its interval that is not before its prerequisites succeeds
//!   (the constraints are `prerequisite <= follower` only, so the earliest
//!   placement is optimal). The witness puts each event at the latest date
//!   of its interval (on `d` itself when "by then"), and an event "not by
//!   then" never happens unless an event that follows it does.
//! - facts: each constant, and `k` distinct values below, between and above
//!   the constants, for a group of `k` facts compared with each other
//!   (`facts`): every order of the group among the constants occurs.
//!
//! Why it is exact: every world maps to a state with the same atom values
//! (a day of the same region and threshold order, event dates in the same
//! intervals, fact values in the same places), and the answer of the query
//! engine is a function of the atoms of the clauses it consults. So "every
//! world" and "some world" range over the same answers as "every state".
//!
//! Only what can bear on the question is enumerated: the events, facts and
//! dates of the clauses given (for a query, those it matches:
//! `eval::matching`), plus the window and assumptions of an assertion, plus
//! the `after` prerequisites of those events. Every other event never
//! happens in the worlds yielded and every other fact has no value.
//!
//! Limits: the number of states is about `regions × Π(offsets_e + 1) ×
//! fact values`; past `limits::MAX_FUTURES` the analysis stops with
//! `deal::limit` naming the events involved. History-dependent answers
//! (`status` of an obligation, which looks at every day up to a deadline)
//! are outside this day-by-day method.
//!
//! # Usage
//!
//! ```
//! use deal::analysis::{find_world, futures_for};
//! use deal::eval::{Outcome, answer};
//!
//! let text = "effective 2025-01-01\n\
//!     party openai\nasset api\naction host\nvenue azure\nvenue gcp\n\
//!     event agi_verified\n\
//!     api_exclusive: exclusive api on azure until agi_verified\n";
//! let loaded = deal::load(deal::source::SourceFile::new("x.deal", text));
//! let contract = loaded.contract().unwrap();
//! let query = deal::syntax::parse_query(&deal::source::SourceFile::new(
//!     "q", "may openai host api on gcp")).unwrap();
//! let clauses = deal::eval::matching(&contract, &query);
//! let futures = futures_for(&contract, &clauses, &[], &[]).unwrap();
//! // The earliest world from `effective` on where the answer is not `no`.
//! let effective = contract.effective().unwrap();
//! let world = find_world(&futures, |w| {
//!     Ok(w.day >= effective
//!         && answer(&contract, &w.scenario, &query, w.day)?.outcome != Outcome::No)
//! })
//! .unwrap()
//! .unwrap();
//! assert_eq!(world.scenario.events.len(), 1); // agi_verified happens
//! assert_eq!(world.day, effective);
//! ```

pub mod act;
pub mod assertions;
mod atoms;
mod facts;
mod futures;
pub mod hypotheses;
pub mod offset;
pub mod orders;
pub mod render;
pub mod timeline;

pub use assertions::{AssertionOutcome, Counterexample, check_assertions, failure_json};
pub use atoms::Bound;
pub(crate) use futures::fulfilment_record;
pub use futures::{Futures, World, find_world};
pub use render::{scenario_block, scenario_line, world_json};
pub use timeline::{
    Exploration, ExploreError, Segment, TimelineGroup, describe, example_json, explore,
    explore_within,
};

use crate::ast::{Expr, Qualifier, QualifierKind, TimeExpr};
use crate::diagnostic::Diagnostic;
use crate::eval::{ClauseId, Contract};
use crate::source::Span;
use atoms::Atoms;
use offset::Offset;

/// How many years `deal explore` (and the editor's timelines) look ahead
/// from `effective` (or today) when no end is given.
pub const EXPLORE_YEARS: i64 = 10;

/// The representative futures of `clauses`, with the atoms of `extra_times`
/// (each as a point of time, e.g. an `until`) and `extra_conditions` (e.g.
/// assumptions) added.
pub fn futures_for<'c>(
    contract: &'c Contract,
    clauses: &[ClauseId],
    extra_times: &[&TimeExpr],
    extra_conditions: &[&Expr],
) -> Result<Futures<'c>, Diagnostic> {
    let mut atoms = clause_atoms(contract, clauses)?;
    for time in extra_times {
        atoms.add_time(contract, time, &Offset::identity())?;
    }
    for condition in extra_conditions {
        atoms.add_condition(contract, condition)?;
    }
    let span = first_span(contract, clauses)
        .or_else(|| extra_times.first().map(|t| t.span))
        .or_else(|| extra_conditions.first().map(|c| c.span))
        .unwrap_or_default();
    Futures::build(contract, &atoms, default_day(contract), span)
}

/// Like `futures_for`, with an assertion's window: `from`, `until` and
/// `through` (its day after) times and `when`/`unless` assumptions.
pub fn futures_for_window<'c>(
    contract: &'c Contract,
    clauses: &[ClauseId],
    window: &[Qualifier],
    extra_conditions: &[&Expr],
) -> Result<Futures<'c>, Diagnostic> {
    let mut atoms = clause_atoms(contract, clauses)?;
    add_qualifiers(contract, &mut atoms, window)?;
    for condition in extra_conditions {
        atoms.add_condition(contract, condition)?;
    }
    let span = window
        .first()
        .map(|q| q.span)
        .or_else(|| first_span(contract, clauses))
        .unwrap_or_default();
    Futures::build(contract, &atoms, default_day(contract), span)
}

/// Representative values (`facts::representatives`) of the facts the
/// clauses' windows and conditions read.
pub fn clause_fact_values(
    contract: &Contract,
    clauses: &[ClauseId],
) -> Result<Vec<facts::FactValues>, Diagnostic> {
    facts::representatives(contract, &clause_atoms(contract, clauses)?.facts)
}

/// The atoms of `effective` and of each clause's window and conditions.
fn clause_atoms(contract: &Contract, clauses: &[ClauseId]) -> Result<Atoms, Diagnostic> {
    let mut atoms = Atoms::default();
    if let Some(effective) = contract.effective() {
        atoms.add_point(effective);
    }
    for &id in clauses {
        if let Some(clause) = contract.clause(id) {
            add_qualifiers(contract, &mut atoms, &clause.qualifiers)?;
            add_term(contract, &mut atoms, &clause.qualifiers)?;
            if clause.body.is_must() {
                atoms.add_obligation(contract, id, clause.span)?;
            }
        }
    }
    Ok(atoms)
}

/// The contract's end caps a clause's window (v2): the end itself, or D
/// after it for `survives D`; `survives` alone is not capped.
pub(crate) fn add_term(
    contract: &Contract,
    atoms: &mut Atoms,
    qualifiers: &[Qualifier],
) -> Result<(), Diagnostic> {
    add_term_then(contract, atoms, qualifiers, &Offset::identity())
}

/// `add_term` with the end shifted by `after` (a recurring obligation's
/// last deadline lies a grace after its end).
pub(crate) fn add_term_then(
    contract: &Contract,
    atoms: &mut Atoms,
    qualifiers: &[Qualifier],
    after: &Offset,
) -> Result<(), Diagnostic> {
    match term_end(contract, qualifiers) {
        Some((time, then)) => atoms.add_time(contract, time, &then.followed_by(after)),
        None => Ok(()),
    }
}

/// The time that caps a clause with these qualifiers (the contract's end,
/// a `through` date as its day after, shifted by `survives D`), with that
/// shift; None without a term or with `survives` alone.
pub(crate) fn term_end<'c>(
    contract: &'c Contract,
    qualifiers: &[Qualifier],
) -> Option<(&'c TimeExpr, Offset)> {
    let (_, end) = contract.term()?;
    let survival = qualifiers.iter().find_map(|q| match &q.kind {
        QualifierKind::Survives(duration) => Some(duration.as_ref()),
        _ => None,
    });
    let then = match survival {
        Some(None) => return None,
        Some(Some(duration)) => {
            let (months, days) = duration.months_days();
            Offset::identity().then(months, days)
        }
        None => Offset::identity(),
    };
    match &end.kind {
        QualifierKind::Until(time) => Some((time, then)),
        QualifierKind::Through(time) => Some((time, then.after(0, 1))),
        _ => None,
    }
}

/// `from`/`until` times, `through` days after, `when`/`unless` conditions.
/// An obligation's `by` deadline does not limit when it is in force.
pub(crate) fn add_qualifiers(
    contract: &Contract,
    atoms: &mut Atoms,
    qualifiers: &[Qualifier],
) -> Result<(), Diagnostic> {
    for qualifier in qualifiers {
        match &qualifier.kind {
            QualifierKind::From(time)
            | QualifierKind::Until(time)
            | QualifierKind::Within {
                after: Some(time), ..
            } => atoms.add_time(contract, time, &Offset::identity())?,
            QualifierKind::Through(time) => atoms.add_time(contract, time, &Offset::by(0, 1))?,
            QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                atoms.add_condition(contract, condition)?
            }
            _ => {}
        }
    }
    Ok(())
}

fn first_span(contract: &Contract, clauses: &[ClauseId]) -> Option<Span> {
    clauses.first().map(|&id| contract.clause_span(id))
}

/// The day that stands for every day when no date bears on a question.
fn default_day(contract: &Contract) -> chrono::NaiveDate {
    contract
        .effective()
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The times `time` (then shifted by `then`) is made of, as the contract
/// writes them: `A or B` and `A and B` taken apart into constant dates and
/// events with their shifts (`breach_notice + 60 days`). Whatever day the
/// time falls on in a future, it is the day of one of these there.
pub fn written_times(
    contract: &Contract,
    time: &TimeExpr,
    then: &Offset,
) -> Result<Vec<Bound>, Diagnostic> {
    let mut atoms = Atoms::default();
    atoms.add_time(contract, time, then)?;
    let mut out: Vec<Bound> = atoms.points.into_iter().map(Bound::Date).collect();
    for (name, offsets) in atoms.events {
        out.extend(offsets.into_keys().map(|offset| Bound::Event {
            name: name.clone(),
            offset,
        }));
    }
    Ok(out)
}
