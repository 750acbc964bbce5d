//! The one implementation of spec section 7: every front end (`deal query`,
//! `expect`, the REPL, assertions, explore, diff) asks `answer`.

use crate::ast::{ActQuery, HoldsQuery, ObligationStatus, Query, QualifierKind, Slots};
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::expr::Env;
use crate::eval::index::{ClauseInfo, ClauseKind};
use crate::eval::obligation;
use crate::eval::scenario::Scenario;
use crate::eval::time::Time;
use crate::eval::value::Value;
use crate::eval::{ClauseId, Contract};
use chrono::NaiveDate;
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub outcome: Outcome,
    /// The clauses that decide the answer, in source order (section 7).
    pub deciding: Vec<ClauseId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Yes,
    No,
    Unspecified,
    /// A `status LABEL` query: the obligation's status and what has been
    /// performed so far (the summed quantity, or the number of records).
    Status { status: ObligationStatus, performed: Decimal },
    /// An expression query.
    Value(Value),
}

impl Outcome {
    /// The `answer` word of JSON output: `yes`, `no`, `unspecified`, a
    /// status word, or `value`.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Yes => "yes",
            Outcome::No => "no",
            Outcome::Unspecified => "unspecified",
            Outcome::Status { status, .. } => status.as_str(),
            Outcome::Value(_) => "value",
        }
    }

    /// What an `expect` line compares: the word, or a value written as a literal.
    pub fn display(&self) -> String {
        match self {
            Outcome::Value(value) => value.display(),
            other => other.word().to_string(),
        }
    }
}

/// What a clause does to the act a query names (step 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Effect {
    Permit,
    Forbid,
}

/// Answer `query` on `day` under `scenario`.
pub fn answer(contract: &Contract, scenario: &Scenario, query: &Query, day: NaiveDate) -> Result<Answer, Diagnostic> {
    match query {
        Query::May(q) => act_answer(contract, scenario, q, false, day),
        Query::Must(q) => act_answer(contract, scenario, q, true, day),
        Query::Holds(q) => holds_answer(contract, scenario, q, day),
        Query::Status(label) => {
            let id = contract.clause_by_label(&label.text).ok_or_else(|| {
                Diagnostic::new(
                    Code::UnknownClause,
                    format!("no clause is labelled `{}`", label.text),
                    label.span,
                    "not a clause label",
                )
            })?;
            if contract.clause_info(id).map(|info| info.kind) != Some(ClauseKind::Must) {
                return Err(Diagnostic::new(
                    Code::Eval,
                    format!("`{}` is not an obligation: only `must` clauses have a status", label.text),
                    label.span,
                    "not a `must` clause",
                )
                .with_label(contract.clause_span(id), "this clause"));
            }
            let state = obligation::status(contract, scenario, id, day)?;
            Ok(Answer {
                outcome: Outcome::Status {
                    status: state.status,
                    performed: state.performed,
                },
                deciding: vec![id],
            })
        }
        Query::Expr(expr) => Ok(Answer {
            outcome: Outcome::Value(Env::new(contract, scenario, day).eval(expr)?),
            deciding: Vec::new(),
        }),
    }
}

fn act_answer(
    contract: &Contract,
    scenario: &Scenario,
    q: &ActQuery,
    must: bool,
    day: NaiveDate,
) -> Result<Answer, Diagnostic> {
    let candidates = contract.act_candidates(&q.action.text, &q.object.text);
    let matching = candidates.into_iter().filter(|info| match info.kind {
        ClauseKind::Exclusive => exclusive_matches(info, &q.slots),
        _ => info.parties.contains(&q.party.text) && info.actions.contains(&q.action.text) && sets_match(info, &q.slots),
    });
    let kept = keep_in_force(contract, scenario, matching, day)?;
    let survivors = drop_exceptions(&kept);
    if must {
        let musts: Vec<ClauseId> = survivors.iter().filter(|i| i.kind == ClauseKind::Must).map(|i| i.id).collect();
        return Ok(if musts.is_empty() {
            Answer {
                outcome: Outcome::No,
                deciding: Vec::new(),
            }
        } else {
            Answer {
                outcome: Outcome::Yes,
                deciding: musts,
            }
        });
    }
    Ok(decide(&survivors, &q.slots))
}

fn holds_answer(contract: &Contract, scenario: &Scenario, q: &HoldsQuery, day: NaiveDate) -> Result<Answer, Diagnostic> {
    let candidates = contract.holds_candidates(&q.object.text);
    let matching = candidates
        .into_iter()
        .filter(|info| info.parties.contains(&q.party.text) && sets_match(info, &q.slots));
    let kept = keep_in_force(contract, scenario, matching, day)?;
    let survivors = drop_exceptions(&kept);
    Ok(decide(&survivors, &q.slots))
}

/// Each qualifier set of the clause must be named by the query with a
/// member; a wildcard set matches a named value or an omitted one.
fn sets_match(info: &ClauseInfo, slots: &Slots) -> bool {
    info.sets.iter().all(|(slot, members)| match slot.of_query(slots) {
        Some(value) => members.contains(value),
        None => members.is_any(),
    })
}

/// An exclusivity matches any party and action on its object when the
/// query names a value for at least one of its sets.
fn exclusive_matches(info: &ClauseInfo, slots: &Slots) -> bool {
    info.sets.iter().any(|(slot, _)| slot.of_query(slots).is_some())
}

/// Step 1's in-force filter, in source order.
fn keep_in_force<'c>(
    contract: &Contract,
    scenario: &Scenario,
    matching: impl Iterator<Item = &'c ClauseInfo>,
    day: NaiveDate,
) -> Result<Vec<&'c ClauseInfo>, Diagnostic> {
    let mut kept = Vec::new();
    for info in matching {
        if in_force(contract, scenario, info.id, day)? {
            kept.push(info);
        }
    }
    Ok(kept)
}

/// Step 3: drop every clause that a kept clause names in `notwithstanding`,
/// computed once from the kept set.
fn drop_exceptions<'c>(kept: &[&'c ClauseInfo]) -> Vec<&'c ClauseInfo> {
    let dropped: HashSet<ClauseId> = kept.iter().flat_map(|info| info.exceptions.iter().copied()).collect();
    kept.iter().copied().filter(|info| !dropped.contains(&info.id)).collect()
}

/// Step 2 for one clause.
fn effect(info: &ClauseInfo, slots: &Slots) -> Effect {
    match info.kind {
        ClauseKind::May | ClauseKind::Must | ClauseKind::Holds => Effect::Permit,
        ClauseKind::MustNot | ClauseKind::HoldsNo => Effect::Forbid,
        ClauseKind::Exclusive => {
            let excluded = info.sets.iter().any(|(slot, members)| {
                slot.of_query(slots).is_some_and(|value| !members.contains(value))
            });
            if excluded { Effect::Forbid } else { Effect::Permit }
        }
    }
}

/// Step 4: a forbid wins, then a permit, else unspecified.
fn decide(survivors: &[&ClauseInfo], slots: &Slots) -> Answer {
    let (mut permits, mut forbids) = (Vec::new(), Vec::new());
    for info in survivors {
        match effect(info, slots) {
            Effect::Permit => permits.push(info.id),
            Effect::Forbid => forbids.push(info.id),
        }
    }
    if !forbids.is_empty() {
        Answer {
            outcome: Outcome::No,
            deciding: forbids,
        }
    } else if !permits.is_empty() {
        Answer {
            outcome: Outcome::Yes,
            deciding: permits,
        }
    } else {
        Answer {
            outcome: Outcome::Unspecified,
            deciding: Vec::new(),
        }
    }
}

/// A clause's window under a scenario, ignoring `when`/`unless`: (start,
/// end), in force on `d` when `start <= d < end`. Start is the later of
/// `effective` and every `from` (the first day of the calendar without
/// either); end is the earliest `until` and day after a `through`, or never.
pub fn window(contract: &Contract, scenario: &Scenario, id: ClauseId) -> Result<(Time, Time), Diagnostic> {
    let clause = contract.clause(id).ok_or_else(|| not_a_clause(contract, id))?;
    let env = Env::new(contract, scenario, contract.effective().unwrap_or(NaiveDate::MIN));
    let mut start = Time::Day(contract.effective().unwrap_or(NaiveDate::MIN));
    let mut end = Time::Never;
    for qualifier in &clause.qualifiers {
        match &qualifier.kind {
            QualifierKind::From(time) => start = start.and(env.time(time)?),
            QualifierKind::Until(time) => end = end.or(env.time(time)?),
            QualifierKind::Through(time) => {
                let last = env.time(time)?;
                let after = last.next_day().map_err(|e| {
                    Diagnostic::new(Code::Eval, e.to_string(), time.span, "the day after this is out of range")
                })?;
                end = end.or(after);
            }
            _ => {}
        }
    }
    Ok((start, end))
}

/// Whether a clause is in force on `day`: its window first, then each
/// `when`, then each `unless` (each group in source order), stopping at the
/// first test that fails, so a fact is only needed when it is reached.
pub fn in_force(contract: &Contract, scenario: &Scenario, id: ClauseId, day: NaiveDate) -> Result<bool, Diagnostic> {
    let (start, end) = window(contract, scenario, id)?;
    if !start.reached_by(day) || end.reached_by(day) {
        return Ok(false);
    }
    let clause = contract.clause(id).ok_or_else(|| not_a_clause(contract, id))?;
    let env = Env::new(contract, scenario, day);
    for qualifier in &clause.qualifiers {
        if let QualifierKind::When(condition) = &qualifier.kind
            && !env.condition(condition)?
        {
            return Ok(false);
        }
    }
    for qualifier in &clause.qualifiers {
        if let QualifierKind::Unless(condition) = &qualifier.kind
            && env.condition(condition)?
        {
            return Ok(false);
        }
    }
    Ok(true)
}

pub(crate) fn not_a_clause(contract: &Contract, id: ClauseId) -> Diagnostic {
    let span = contract.file.items.get(id.0).map(|item| item.span).unwrap_or_default();
    Diagnostic::new(Code::Eval, format!("item {} is not a clause", id.0), span, "not a clause")
}
