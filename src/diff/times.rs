//! The contract's own times for the effects of `deal diff`: every time the
//! deciding clauses of either version write (constant dates, events with
//! their shifts, the contract's term), each with the part it plays (a
//! window's start or end, a condition) and the versions that write it.
//!
//! An effect starts and ends on days where an answer changes, and each such
//! day is the day of one of these times in the future at hand. Effects are
//! described by the times, never by the days: a day read off one future
//! (`2026-03-02`) would read as a fixed date, when it is `breach_notice +
//! 60 days` there and another day in another future.

use super::futures::{Deciders, status_obligations};
use crate::analysis::Bound;
use crate::analysis::offset::Offset;
use crate::ast::{QualifierKind, TimeExpr};
use crate::eval::obligation::kind_of;
use crate::eval::{ClauseId, Contract, ObligationKind, Scenario};
use crate::symbols::SymbolKind;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// The part a time plays in a clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// `from`, `within ... after`, `effective`: the window opens.
    Start,
    /// `until`, `through` (its day after), the contract's term: it closes.
    End,
    /// An event read in `when`/`unless`.
    Condition,
    /// The day after a debt's deadline (`by T`, `within D after T`), or
    /// after a recurring obligation's first deadline: the day it is
    /// violated when not performed.
    Overdue,
}

/// The times written by the deciding clauses of both versions.
#[derive(Clone, Debug, Default)]
pub struct WrittenTimes {
    /// Each time, with the (version, role) pairs that write it; version 0
    /// is the old one.
    pub times: BTreeMap<Bound, BTreeSet<(usize, Role)>>,
    /// For each `Overdue` time, the labels of the obligations it is the
    /// day after the deadline of.
    pub overdue_of: BTreeMap<Bound, BTreeSet<String>>,
}

impl WrittenTimes {
    /// The times of the deciding clauses' windows, conditions and the
    /// contract's term; with `deadlines`, also the day after each deadline;
    /// and the day after the deadlines of the obligations whose status the
    /// clauses read.
    pub fn collect(deciders: &Deciders<'_>, deadlines: bool) -> WrittenTimes {
        let mut out = WrittenTimes::default();
        for (version, (contract, ids)) in [&deciders.old, &deciders.new].into_iter().enumerate() {
            if let Some(effective) = contract.effective() {
                out.add(Bound::Date(effective), version, Role::Start);
            }
            for &id in ids {
                out.add_clause(contract, id, version);
                if deadlines {
                    out.add_deadlines(contract, id, version);
                }
            }
            for id in status_obligations(contract, ids) {
                out.add_deadlines(contract, id, version);
            }
        }
        out
    }

    fn add(&mut self, time: Bound, version: usize, role: Role) {
        self.times.entry(time).or_default().insert((version, role));
    }

    fn add_time(
        &mut self,
        contract: &Contract,
        time: &TimeExpr,
        then: &Offset,
        version: usize,
        role: Role,
    ) {
        // A time outside the calendar has no day to be found on.
        for leaf in crate::analysis::written_times(contract, time, then).unwrap_or_default() {
            self.add(leaf, version, role);
        }
    }

    fn add_clause(&mut self, contract: &Contract, id: ClauseId, version: usize) {
        let Some(clause) = contract.clause(id) else {
            return;
        };
        let after_day = Offset::by(0, 1);
        for qualifier in &clause.qualifiers {
            match &qualifier.kind {
                QualifierKind::From(time)
                | QualifierKind::Within {
                    after: Some(time), ..
                } => self.add_time(contract, time, &Offset::identity(), version, Role::Start),
                QualifierKind::Until(time) => {
                    self.add_time(contract, time, &Offset::identity(), version, Role::End)
                }
                QualifierKind::Through(time) => {
                    self.add_time(contract, time, &after_day, version, Role::End)
                }
                QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                    for name in crate::check::names_in(condition) {
                        if contract.symbols.kind(&name.text) == Some(SymbolKind::Event) {
                            self.add(
                                Bound::Event {
                                    name: name.text.clone(),
                                    offset: Offset::identity(),
                                },
                                version,
                                Role::Condition,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        // The contract's end caps the window, `survives D` D after it.
        if let Some((_, end)) = contract.term() {
            let survival = clause.qualifiers.iter().find_map(|q| match &q.kind {
                QualifierKind::Survives(duration) => Some(duration.as_ref()),
                _ => None,
            });
            let then = match survival {
                Some(None) => return,
                Some(Some(duration)) => {
                    let (months, days) = duration.months_days();
                    Offset::by(months, days)
                }
                None => Offset::identity(),
            };
            match &end.kind {
                QualifierKind::Until(time) => {
                    self.add_time(contract, time, &then, version, Role::End)
                }
                QualifierKind::Through(time) => {
                    self.add_time(contract, time, &then.then(0, 1), version, Role::End)
                }
                _ => {}
            }
        }
    }

    fn add_deadlines(&mut self, contract: &Contract, id: ClauseId, version: usize) {
        let Some(clause) = contract.clause(id) else {
            return;
        };
        let mut overdue: Vec<(&TimeExpr, Offset)> = Vec::new();
        for qualifier in &clause.qualifiers {
            match &qualifier.kind {
                QualifierKind::By(time) => overdue.push((time, Offset::by(0, 1))),
                QualifierKind::Within {
                    duration,
                    after: Some(time),
                } => {
                    let (months, days) = duration.months_days();
                    overdue.push((time, Offset::by(months, days).then(0, 1)));
                }
                _ => {}
            }
        }
        // A recurring obligation's first period ends a period after its
        // start; its first instance is overdue the grace and a day later.
        if let ObligationKind::Recurring { period, grace } = kind_of(contract, id) {
            let (grace_months, grace_days) = grace.unwrap_or((0, 0));
            let first = Offset::by(period.0, period.1)
                .then(0, -1)
                .then(grace_months, grace_days)
                .then(0, 1);
            let mut from = false;
            for qualifier in &clause.qualifiers {
                if let QualifierKind::From(time) = &qualifier.kind {
                    overdue.push((time, first.clone()));
                    from = true;
                }
            }
            // Without `from`, the first period starts on the effective date.
            if !from && let Some(day) = contract.effective().and_then(|d| first.apply(d)) {
                self.overdue_of
                    .entry(Bound::Date(day))
                    .or_default()
                    .insert(contract.clause_label(id).to_string());
                self.add(Bound::Date(day), version, Role::Overdue);
            }
        }
        let label = contract.clause_label(id).to_string();
        for (time, offset) in overdue {
            for leaf in crate::analysis::written_times(contract, time, &offset).unwrap_or_default()
            {
                self.overdue_of
                    .entry(leaf.clone())
                    .or_default()
                    .insert(label.clone());
                self.add(leaf, version, Role::Overdue);
            }
        }
    }

    /// The days of every time in `scenario`.
    pub fn days(&self, scenario: &Scenario) -> Vec<NaiveDate> {
        self.times
            .keys()
            .filter_map(|time| value(time, scenario))
            .collect()
    }

    /// The times that fall on `day` in `scenario`.
    pub fn on(&self, day: NaiveDate, scenario: &Scenario) -> Vec<&Bound> {
        self.times
            .keys()
            .filter(|time| value(time, scenario) == Some(day))
            .collect()
    }

    /// The parts a time plays, by version.
    pub fn roles(&self, time: &Bound) -> BTreeSet<(usize, Role)> {
        self.times.get(time).cloned().unwrap_or_default()
    }
}

/// The day of a time in a future; None when its event never happens (or
/// the shift leaves the calendar).
pub fn value(time: &Bound, scenario: &Scenario) -> Option<NaiveDate> {
    match time {
        Bound::Date(date) => Some(*date),
        Bound::Event { name, offset } => offset.apply(*scenario.events.get(name)?),
    }
}

/// A time in words: `2031-01-01`, `agi_verified`, `60 days after breach_notice`.
pub fn phrase(time: &Bound) -> String {
    match time {
        Bound::Date(date) => date.to_string(),
        Bound::Event { name, offset } => offset.phrase(name),
    }
}
