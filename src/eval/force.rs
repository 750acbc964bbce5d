//! Being in force (spec sections 2 and 4), in one place: the evaluation
//! context every path of the engine goes through, a clause's window (its
//! `from`/`until`/`through`, `within ... after`, capped by the contract's
//! term unless it `survives`), the `when`/`unless` test, and the days on
//! which being in force can change.
//!
//! Statuses (`L is violated`) are read through `eval::obligation`, which
//! implements `StatusOracle` for `Ctx`: this module never names it.

use crate::ast::{DurationLit, Qualifier, QualifierKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::error::EvalError;
use crate::eval::expr::{Env, FactReads, StatusOracle};
use crate::eval::ledger::Ledger;
use crate::eval::scenario::Scenario;
use crate::eval::time::Time;
use crate::eval::{ClauseId, Contract};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// How deep status conditions may nest (a condition reading the status of
/// an obligation whose being in force reads another status...). The checker
/// refuses cycles (`deal::status-cycle`); this bounds what it lets through.
pub const MAX_STATUS_DEPTH: usize = 64;

/// What one evaluation works with: the contract, the scenario, where fact
/// reads are recorded, and, while performance records are being allocated,
/// the allocation so far (a status read then sees the records allocated
/// before the current one).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub contract: &'a Contract,
    pub scenario: &'a Scenario,
    pub reads: Option<&'a FactReads>,
    pub ledger: Option<&'a Ledger>,
    /// Status conditions being followed right now.
    pub status_depth: usize,
}

impl<'a> Ctx<'a> {
    pub fn new(
        contract: &'a Contract,
        scenario: &'a Scenario,
        reads: Option<&'a FactReads>,
    ) -> Ctx<'a> {
        Ctx {
            contract,
            scenario,
            reads,
            ledger: None,
            status_depth: 0,
        }
    }

    /// The environment to evaluate expressions on `day`, reading statuses
    /// through this context.
    pub fn env(&self, day: NaiveDate) -> Env<'_>
    where
        Ctx<'a>: StatusOracle,
    {
        Env::new(self.contract, self.scenario, day)
            .reading(self.reads)
            .with_oracle(self)
    }

    /// The contract's end (section 2): never without a term.
    pub fn contract_end(&self) -> Result<Time, EvalError>
    where
        Ctx<'a>: StatusOracle,
    {
        let Some((first, end)) = self.contract.term() else {
            return Ok(Time::Never);
        };
        let (_, end) = qualifier_window(&self.env(first), first, std::slice::from_ref(end))?;
        Ok(end)
    }

    /// A clause's window under the scenario, ignoring `when`/`unless`:
    /// (start, end), in force on `d` when `start <= d < end`. Start is the
    /// later of `effective`, every `from` and a `within ... after` trigger;
    /// end is the earliest `until` and day after a `through`, capped by the
    /// contract's end (plus D for `survives D`; not at all for `survives`).
    pub fn window(&self, id: ClauseId) -> Result<(Time, Time), EvalError>
    where
        Ctx<'a>: StatusOracle,
    {
        let contract = self.contract;
        let clause = contract
            .clause(id)
            .ok_or_else(|| not_a_clause(contract, id))?;
        let first = contract.effective().unwrap_or(NaiveDate::MIN);
        // Times never depend on the day (only conditions read events as bools).
        let env = self.env(first);
        let (start, own_end) = qualifier_window(&env, first, &clause.qualifiers)?;
        let survival = clause.qualifiers.iter().find_map(|q| match &q.kind {
            QualifierKind::Survives(duration) => Some(duration.as_ref()),
            _ => None,
        });
        let cap = match survival {
            Some(None) => Time::Never,
            Some(Some(duration)) => shift(self.contract_end()?, duration, clause.span)?,
            None => self.contract_end()?,
        };
        Ok((start, own_end.or(cap)))
    }

    /// Whether a clause is in force on `day`: its window first, then each
    /// `when`, then each `unless` (each group in source order), stopping at
    /// the first test that fails, so a fact is only needed when it is reached.
    pub fn in_force(&self, id: ClauseId, day: NaiveDate) -> Result<bool, EvalError>
    where
        Ctx<'a>: StatusOracle,
    {
        let (start, end) = self.window(id)?;
        if !start.reached_by(day) || end.reached_by(day) {
            return Ok(false);
        }
        self.conditions_hold(id, day)
    }

    /// The `when`/`unless` part of `in_force`, for a caller that has the
    /// window already.
    pub fn conditions_hold(&self, id: ClauseId, day: NaiveDate) -> Result<bool, EvalError>
    where
        Ctx<'a>: StatusOracle,
    {
        let clause = self
            .contract
            .clause(id)
            .ok_or_else(|| not_a_clause(self.contract, id))?;
        let env = self.env(day);
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

    /// The days on which whether the clause is in force can change within
    /// its window, from its first day up to and including `last`: the
    /// window's start, and every day on which something a condition reads
    /// changes (an event happens, an event deadline of `E by T` passes, a
    /// record is made, a deadline of an obligation passes). Between two of
    /// these days the answer is the same, so testing them decides every day.
    pub fn change_days(&self, id: ClauseId, last: NaiveDate) -> Result<Vec<NaiveDate>, EvalError>
    where
        Ctx<'a>: StatusOracle,
    {
        let (start, end) = self.window(id)?;
        let Time::Day(first) = start else {
            return Ok(Vec::new());
        };
        let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
        days.insert(first);
        let mut add = |day: NaiveDate| {
            if day > first && day <= last && !end.reached_by(day) {
                days.insert(day);
            }
        };
        for &day in self.scenario.events.values() {
            add(day);
        }
        for record in &self.scenario.records {
            add(record.date);
        }
        let clause = self
            .contract
            .clause(id)
            .ok_or_else(|| not_a_clause(self.contract, id))?;
        for qualifier in &clause.qualifiers {
            if let QualifierKind::When(condition) | QualifierKind::Unless(condition) =
                &qualifier.kind
            {
                for label in crate::ast::status_labels(condition) {
                    for day in self.status_changes(label, last)? {
                        add(day);
                    }
                }
            }
        }
        Ok(days.into_iter().filter(|&d| d <= last).collect())
    }

    /// Whether the clause is in force on some day on or before `last`.
    pub fn in_force_some_day(&self, id: ClauseId, last: NaiveDate) -> Result<bool, EvalError>
    where
        Ctx<'a>: StatusOracle,
    {
        Ok(self.first_day_in_force(id, last)?.is_some())
    }

    /// The first day on or before `last` on which the clause is in force.
    pub fn first_day_in_force(
        &self,
        id: ClauseId,
        last: NaiveDate,
    ) -> Result<Option<NaiveDate>, EvalError>
    where
        Ctx<'a>: StatusOracle,
    {
        for day in self.change_days(id, last)? {
            if self.in_force(id, day)? {
                return Ok(Some(day));
            }
        }
        Ok(None)
    }
}

/// The window `[start, end)` that `from`, `until`, `through` and `within D
/// after T` qualifiers give, starting no earlier than `first`: the latest
/// start wins, the earliest end wins, `through D` ends after day D. Clause
/// windows, assertion windows and the contract's term are computed here.
pub fn qualifier_window(
    env: &Env<'_>,
    first: NaiveDate,
    qualifiers: &[Qualifier],
) -> Result<(Time, Time), EvalError> {
    let mut start = Time::Day(first);
    let mut end = Time::Never;
    for qualifier in qualifiers {
        match &qualifier.kind {
            QualifierKind::From(time)
            | QualifierKind::Within {
                after: Some(time), ..
            } => start = start.and(env.time(time)?),
            QualifierKind::Until(time) => end = end.or(env.time(time)?),
            QualifierKind::Through(time) => {
                let after = env
                    .time(time)?
                    .next_day()
                    .map_err(|e| EvalError::OutOfRange {
                        message: e.to_string(),
                        span: time.span,
                        label: "the day after this is out of range",
                    })?;
                end = end.or(after);
            }
            _ => {}
        }
    }
    Ok((start, end))
}

/// `time + duration`, as a `deal::eval` error labelled at `span` when the
/// date leaves the calendar.
pub fn shift(
    time: Time,
    duration: &DurationLit,
    span: crate::source::Span,
) -> Result<Time, EvalError> {
    let (months, days) = duration.months_days();
    time.shift(months, days).map_err(|e| EvalError::OutOfRange {
        message: e.to_string(),
        span,
        label: "this date is out of range",
    })
}

pub(crate) fn not_a_clause(contract: &Contract, id: ClauseId) -> Diagnostic {
    let span = contract
        .file
        .items
        .get(id.0)
        .map(|item| item.span)
        .unwrap_or_default();
    Diagnostic::new(
        Code::Eval,
        format!("item {} is not a clause", id.0),
        span,
        "not a clause",
    )
}
