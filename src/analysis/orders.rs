//! The representative futures of a set of clauses over a range of days:
//! every distinct order of the events' shifted dates among the constant
//! points of the range and each other, with the facts' representative
//! values and the assumed performance of the obligations in scope. This is
//! the enumerator's view for whoever reads a whole run of days per future
//! (`deal explore`'s timelines); `futures` is its view for one day at a
//! time. Both build on the same atoms, event slots, fact representatives
//! and performance (`futures::place_slot`, `futures::assume_performance`).
//!
//! Events are placed one at a time, prerequisites first; each new event
//! takes one date per distinct position of its shifted dates among the
//! points placed so far (on a point, or strictly between two, or outside
//! the range), or never. "Strictly between" takes the middle of the gap,
//! leaving room on both sides for the events placed after it. Events that
//! only other events must come after are placed with their followers. A
//! debt whose status the clauses read is placed the same way, after the
//! events, as the date it is assumed fulfilled; recurring obligations take
//! the enumerator's patterns of performance at the range's last day.
//!
//! Limits: a position strictly between two points that are only a few days
//! apart can run out of room when many later event dates must also fall
//! inside that gap, so such an order can be missed; a recurring obligation
//! is tried only in its four patterns. Every future given is real.

use crate::diagnostic::Diagnostic;
use crate::eval::{ClauseId, Contract, Scenario, Value};
use crate::source::Span;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use super::atoms::Atoms;
use super::facts::{FactValues, representatives};
use super::futures::{EventSlot, Odometer, assume_performance, event_slots, place_slot};
use super::offset::next_day;

/// The representative futures of a set of clauses over `from..=until`.
#[derive(Clone, Debug)]
pub struct RangeFutures<'c> {
    pub(super) contract: &'c Contract,
    pub(super) events: Vec<EventSlot>,
    /// Indices of `events` in the order they are placed.
    order: Vec<usize>,
    /// For each position of `order`, how many events from it on can take
    /// a date (those with offsets): one past the last is 0.
    placeable_from: Vec<usize>,
    /// The recurring obligations whose assumed performance varies.
    pub(super) recurring: Vec<ClauseId>,
    pub(super) facts: Vec<FactValues>,
    pub(super) from: NaiveDate,
    pub(super) until: NaiveDate,
    /// `from` and the constant points inside the range, ascending.
    pub(super) boundary: Vec<NaiveDate>,
    early: Option<NaiveDate>,
}

impl<'c> RangeFutures<'c> {
    /// Build from collected atoms; `span` labels a refusal.
    pub(super) fn build(
        contract: &'c Contract,
        atoms: &Atoms,
        from: NaiveDate,
        until: NaiveDate,
        span: Span,
    ) -> Result<RangeFutures<'c>, Diagnostic> {
        let events = event_slots(contract, atoms, span)?;
        let facts = representatives(contract, &atoms.facts)?;
        let recurring: Vec<ClauseId> = atoms.recurring.iter().copied().collect();
        // Events first, then the debts' fulfilments, so that each
        // fulfilment is placed among the dates (and deadlines) its events
        // give.
        let (mut order, fulfilments): (Vec<usize>, Vec<usize>) =
            (0..events.len()).partition(|&i| events.get(i).is_some_and(|e| e.fulfils.is_none()));
        order.extend(fulfilments);
        let mut placeable_from = vec![0; order.len() + 1];
        for (position, &index) in order.iter().enumerate().rev() {
            let own = usize::from(events.get(index).is_some_and(|e| !e.offsets.is_empty()));
            let after = placeable_from.get(position + 1).copied().unwrap_or(0);
            if let Some(slot) = placeable_from.get_mut(position) {
                *slot = after + own;
            }
        }
        let mut boundary: Vec<NaiveDate> = vec![from];
        boundary.extend(
            atoms
                .points
                .iter()
                .copied()
                .filter(|&p| p > from && p <= until),
        );
        let early = earliest_threshold(&events, from);
        Ok(RangeFutures {
            contract,
            events,
            order,
            placeable_from,
            recurring,
            facts,
            from,
            until,
            boundary,
            early,
        })
    }

    /// The representative futures of `clauses` over `from..=until`.
    pub fn for_clauses(
        contract: &'c Contract,
        clauses: &[ClauseId],
        from: NaiveDate,
        until: NaiveDate,
    ) -> Result<RangeFutures<'c>, Diagnostic> {
        let atoms = super::clause_atoms(contract, clauses)?;
        let span = clauses
            .first()
            .map(|&id| contract.clause_span(id))
            .unwrap_or_default();
        RangeFutures::build(contract, &atoms, from, until, span)
    }

    /// Call `visit` with every representative future: each order of the
    /// events and fulfilments, with each combination of the facts'
    /// representative values and of the recurring obligations' patterns
    /// of performance. An error from `visit` stops the walk.
    pub fn each(
        &self,
        visit: &mut dyn FnMut(Scenario) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        self.orders(&mut |order| {
            let mut with_facts = order;
            for facts in self.fact_combinations() {
                with_facts.facts = facts;
                for world in assume_performance(
                    self.contract,
                    &self.recurring,
                    with_facts.clone(),
                    self.until,
                ) {
                    visit(world)?;
                }
            }
            Ok(())
        })
    }

    pub fn fact_combinations(&self) -> impl Iterator<Item = BTreeMap<String, Value>> + '_ {
        let radices: Vec<usize> = self.facts.iter().map(|f| f.values.len()).collect();
        Odometer::new(radices).map(move |choice| {
            self.facts
                .iter()
                .zip(&choice)
                .filter_map(|(fact, &i)| Some((fact.name.clone(), fact.values.get(i)?.clone())))
                .collect()
        })
    }

    /// Call `visit` with every representative order of the events and
    /// debts' fulfilments (no facts or recurring performance yet).
    pub fn orders(
        &self,
        visit: &mut dyn FnMut(Scenario) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        // Fewest placed first, so that a caller who stops early has seen
        // every future with fewer events (and fulfilments) than the last.
        let placeable = self.placeable_from.first().copied().unwrap_or(0);
        for placed in 0..=placeable {
            let mut dates: Vec<Option<NaiveDate>> = vec![None; self.events.len()];
            self.place(0, placed, &mut dates, visit)?;
        }
        Ok(())
    }

    /// Place the `position`-th event of `order`, then the rest, so that
    /// exactly `left` more of them get a date.
    fn place(
        &self,
        position: usize,
        left: usize,
        dates: &mut Vec<Option<NaiveDate>>,
        visit: &mut dyn FnMut(Scenario) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let Some((index, event)) = self
            .order
            .get(position)
            .and_then(|&i| Some((i, self.events.get(i)?)))
        else {
            return match (left, self.complete(dates)) {
                (0, Some(scenario)) => visit(scenario),
                _ => Ok(()),
            };
        };
        if self.placeable_from.get(position).copied().unwrap_or(0) < left {
            return Ok(());
        }
        if let Some(slot) = dates.get_mut(index) {
            *slot = None;
        }
        self.place(position + 1, left, dates, visit)?;
        if event.offsets.is_empty() || left == 0 {
            // Placed with its followers, in `complete`; or nothing left to place.
            return Ok(());
        }
        let Some(lower) = self.lower_bound(index, dates) else {
            return Ok(()); // A prerequisite never happens.
        };
        for candidate in self.candidates(index, event, lower, dates) {
            if let Some(slot) = dates.get_mut(index) {
                *slot = Some(candidate);
            }
            self.place(position + 1, left - 1, dates, visit)?;
        }
        if let Some(slot) = dates.get_mut(index) {
            *slot = None;
        }
        Ok(())
    }

    /// The latest date among the event's placed ancestors with offsets (None
    /// when one of them never happens); `Some(None)` when unconstrained.
    fn lower_bound(&self, index: usize, dates: &[Option<NaiveDate>]) -> Option<Option<NaiveDate>> {
        let event = self.events.get(index)?;
        let mut lower: Option<NaiveDate> = None;
        for (a, ancestor) in self.events.iter().enumerate() {
            if a == index || event.ancestry & (1 << a) == 0 || ancestor.offsets.is_empty() {
                continue;
            }
            let date = (*dates.get(a)?)?;
            lower = lower.max(Some(date));
        }
        Some(lower)
    }

    /// One date per distinct position of the event's shifted dates among the
    /// points placed so far, not before `lower`.
    fn candidates(
        &self,
        index: usize,
        event: &EventSlot,
        lower: Option<NaiveDate>,
        dates: &[Option<NaiveDate>],
    ) -> Vec<NaiveDate> {
        let points = self.points_so_far(dates);
        let mut found: Vec<NaiveDate> = Vec::new();
        for offset in &event.offsets {
            // Strictly inside each gap (the last gap ends after `until`).
            let mut gaps = points.clone();
            gaps.extend(next_day(self.until));
            for pair in gaps.windows(2) {
                let (low, high) = (pair[0], pair[1]);
                let half = chrono::Duration::try_days((high - low).num_days() / 2);
                let Some(middle) = half.and_then(|half| low.checked_add_signed(half)) else {
                    continue;
                };
                if let Some(x) = offset.threshold(middle)
                    && offset.apply(x).is_some_and(|q| q > low && q < high)
                {
                    found.push(x);
                }
            }
            // On each point inside the range.
            for &point in points.iter().skip(1) {
                if let Some(x) = offset.threshold(point)
                    && offset.apply(x) == Some(point)
                {
                    found.push(x);
                }
            }
            // Already by the start: as early as any event goes.
            if let Some(x) = offset.threshold(self.from) {
                found.push(self.early.map_or(x, |early| early.min(x)));
            }
        }
        // After the range, but placed: only a follower can tell.
        let has_followers = self
            .events
            .iter()
            .enumerate()
            .any(|(f, other)| f != index && other.ancestry & (1 << index) != 0);
        if has_followers
            && let Some(x) = event
                .offsets
                .iter()
                .filter_map(|o| o.threshold(self.until))
                .max()
        {
            found.extend(next_day(x));
        }
        found.extend(lower);
        // No event happens before the contract takes effect.
        if let Some(floor) = self.contract.effective() {
            for x in &mut found {
                *x = (*x).max(floor);
            }
        }
        let mut seen: BTreeSet<Vec<(usize, bool)>> = BTreeSet::new();
        let mut kept: Vec<NaiveDate> = Vec::new();
        for x in found {
            if lower.is_some_and(|l| x < l) {
                continue;
            }
            let signature: Option<Vec<(usize, bool)>> = event
                .offsets
                .iter()
                .map(|o| o.apply(x).map(|q| self.position(&points, q)))
                .collect();
            if let Some(signature) = signature
                && seen.insert(signature)
            {
                kept.push(x);
            }
        }
        kept.sort_unstable();
        kept
    }

    /// Where a shifted date falls: (how many points inside the range come
    /// before it, whether it is one of them); one class for "by the start"
    /// and one for "after the range".
    fn position(&self, points: &[NaiveDate], q: NaiveDate) -> (usize, bool) {
        if q <= self.from {
            (0, true)
        } else if q > self.until {
            (usize::MAX, false)
        } else {
            let before = points.partition_point(|&p| p < q);
            (before, points.binary_search(&q).is_ok())
        }
    }

    /// `from`, the constant points of the range, and the shifted dates of
    /// the events placed so far that fall inside it, ascending.
    fn points_so_far(&self, dates: &[Option<NaiveDate>]) -> Vec<NaiveDate> {
        let mut points: Vec<NaiveDate> = self.boundary.to_vec();
        for (event, date) in self.events.iter().zip(dates) {
            let Some(date) = date else { continue };
            for offset in &event.offsets {
                if let Some(q) = offset.apply(*date)
                    && q > self.from
                    && q <= self.until
                {
                    points.push(q);
                }
            }
        }
        points.sort_unstable();
        points.dedup();
        points
    }

    /// Give events without offsets the date of their earliest follower, and
    /// check `after`; the scenario.
    fn complete(&self, dates: &[Option<NaiveDate>]) -> Option<Scenario> {
        let mut dates = dates.to_vec();
        for e in (0..self.events.len()).rev() {
            if self.events.get(e).is_some_and(|ev| ev.offsets.is_empty()) {
                let followers = self
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.prerequisites.contains(&e))
                    .filter_map(|(g, _)| dates.get(g).copied().flatten());
                let date = followers.min();
                if let Some(slot) = dates.get_mut(e) {
                    *slot = date;
                }
            }
        }
        let mut scenario = Scenario::default();
        for (event, date) in self.events.iter().zip(&dates) {
            let Some(date) = date else { continue };
            for &before in &event.prerequisites {
                match dates.get(before).copied().flatten() {
                    Some(earlier) if earlier <= *date => {}
                    _ => return None,
                }
            }
            place_slot(self.contract, &mut scenario, event, *date);
        }
        Some(scenario)
    }
}

/// The earliest date any event can take that puts all its shifted dates on
/// or before `from`: events "already happened" go there, leaving every
/// follower free to come later.
fn earliest_threshold(events: &[EventSlot], from: NaiveDate) -> Option<NaiveDate> {
    events
        .iter()
        .flat_map(|e| e.offsets.iter().filter_map(|o| o.threshold(from)))
        .min()
}

/// The date an event slot takes in a scenario: the event's date, or the
/// day the debt is assumed fulfilled.
pub(super) fn slot_date(scenario: &Scenario, slot: &EventSlot) -> Option<NaiveDate> {
    match slot.fulfils {
        Some(id) => scenario.fulfilments.get(&id).map(|f| f.date),
        None => scenario.events.get(&slot.name).copied(),
    }
}
