//! The representative futures of a set of clauses: one world (a scenario
//! and a day) for every distinct state the clauses can observe.
//!
//! A state on day `d` is: the region of `d` among the constant points; for
//! each event, the interval its date falls in among its thresholds
//! `t_σ(d)` (see `offset`), the last interval meaning "not by then" (later,
//! or never); and each fact's representative value (see `facts`). Every
//! atom of `atoms` is decided by the state, so every question about the
//! clauses has the same answer in every world of one state.
//!
//! A state is realisable when the `after` constraints admit it: the
//! greedy placement (each event at the earliest date of its interval that
//! is not before its prerequisites) succeeds. Its witness places events at
//! the latest such dates instead (on the day itself when "by then"), and an
//! event "not by then" never happens unless an event that follows it does.

use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{Contract, Scenario, Value};
use crate::limits::MAX_FUTURES;
use crate::source::Span;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

use super::atoms::{Atoms, Bound};
use super::facts::{FactValues, representatives};
use super::offset::{Offset, next_day, previous_day};
use crate::eval::{ClauseId, Fulfilment};

/// A scenario and a day: one representative future.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct World {
    /// Dates for the events that happen; every fact in scope has a value.
    pub scenario: Scenario,
    pub day: NaiveDate,
}

impl World {
    /// How many events happen.
    pub fn events_placed(&self) -> usize {
        self.scenario.events.len()
    }

    /// Whether every date of the world (its day, its events, its date facts)
    /// can be written in the language: a counterexample or an example
    /// future must paste back into a contract and replay.
    pub fn is_writable(&self) -> bool {
        let writable = |day: &NaiveDate| (0..=9999).contains(&day.year());
        writable(&self.day)
            && self.scenario.events.values().all(writable)
            && self.scenario.facts.values().all(|value| match value {
                Value::Date(day) => writable(day),
                _ => true,
            })
    }
}

/// One event in scope.
#[derive(Clone, Debug)]
pub(super) struct EventSlot {
    pub name: String,
    /// The offsets it appears with; empty for an event that is only another
    /// event's prerequisite.
    pub offsets: Vec<Offset>,
    /// Indices of its direct prerequisites (always earlier in `events`).
    pub prerequisites: Vec<usize>,
    /// Itself and every event it must (transitively) come after, as a mask.
    pub ancestry: u64,
    /// For a debt's fulfilment (v2): the debt. Its date becomes assumed
    /// performance, not an event.
    pub fulfils: Option<ClauseId>,
}

/// A relation atom `[subject <= bound]` between two slots or a slot and a
/// constant date (see `atoms::Relation`).
#[derive(Clone, Debug)]
struct RelationSlot {
    subject: usize,
    bound: SlotBound,
    /// A constraint of this truth rather than an atom.
    fixed: Option<bool>,
}

#[derive(Clone, Debug)]
enum SlotBound {
    Date(NaiveDate),
    Event(usize, Offset),
}

/// `x_target >= f(x_source)` (plus a day when strict), `f` monotone: every
/// constraint of a relation system takes this form (see `solve`).
struct Lower<'o> {
    target: usize,
    source: usize,
    f: Monotone<'o>,
    strict: bool,
}

enum Monotone<'o> {
    Identity,
    Shift(&'o Offset),
    /// The least `y` with `y + σ >= x`: `x <= y + σ` read as a bound on `y`.
    Inverse(&'o Offset),
}

impl Monotone<'_> {
    fn apply(&self, x: NaiveDate) -> Option<NaiveDate> {
        match self {
            Monotone::Identity => Some(x),
            Monotone::Shift(offset) => offset.apply(x),
            Monotone::Inverse(offset) => next_day(offset.threshold(previous_day(x)?)?),
        }
    }
}

/// A representative day and each event's thresholds on it.
#[derive(Clone, Debug)]
struct DayType {
    day: NaiveDate,
    /// Per event: the distinct thresholds `t_σ(day)`, ascending.
    thresholds: Vec<Vec<NaiveDate>>,
}

/// The representative futures of a set of clauses: build with
/// `futures_for`, walk with `iter` or `find_world`.
#[derive(Clone, Debug)]
pub struct Futures<'c> {
    contract: &'c Contract,
    events: Vec<EventSlot>,
    days: Vec<DayType>,
    facts: Vec<FactValues>,
    /// Masks of events "by then", grouped by how many events the state
    /// places (the mask with every prerequisite added).
    masks_by_placed: Vec<Vec<u64>>,
    states: u64,
    points: Vec<NaiveDate>,
    relations: Vec<RelationSlot>,
    /// The recurring obligations whose performance varies between worlds.
    recurring: Vec<ClauseId>,
}

impl<'c> Futures<'c> {
    /// Build from collected atoms. `default_day` stands for every day when
    /// there is no constant point at all.
    pub(crate) fn build(
        contract: &'c Contract,
        atoms: &Atoms,
        default_day: NaiveDate,
        span: Span,
    ) -> Result<Futures<'c>, Diagnostic> {
        let events = event_slots(contract, atoms, span)?;
        let facts = representatives(contract, &atoms.facts)?;
        // A relation to a constant date `p` changes the order of the
        // subject's threshold `t_σ(d)` and `p` on the days `p + σ` and
        // `(p + 1 day) + σ`: such days bound regions too.
        let mut points: BTreeSet<NaiveDate> = atoms.points.clone();
        for relation in &atoms.relations {
            if let Bound::Date(date) = relation.bound
                && let Some(offsets) = atoms.events.get(&relation.subject)
            {
                // `t_σ(d) >= p` from `p + σ` on, `t_σ(d) > p` from `(p + 1) + σ` on.
                for offset in offsets.keys() {
                    points.extend(offset.apply(date));
                    points.extend(next_day(date).and_then(|next| offset.apply(next)));
                }
            }
        }
        let points: Vec<NaiveDate> = points.into_iter().collect();
        let days = day_types(&events, &points, default_day, span)?;
        let fact_combinations = facts
            .iter()
            .fold(1u64, |n, f| n.saturating_mul(f.values.len() as u64));
        let mut states = 0u64;
        for day in &days {
            let per_day = day
                .thresholds
                .iter()
                .fold(1u64, |n, t| n.saturating_mul(t.len() as u64 + 1));
            states = states.saturating_add(per_day.saturating_mul(fact_combinations));
        }
        if states > MAX_FUTURES as u64 {
            return Err(too_many(states, MAX_FUTURES as u64, &events, &facts, span));
        }
        let relations = relation_slots(&events, atoms);
        // Within a state, a subject's relations to its `k` bounds leave at
        // most `k + 1` consistent choices (its place among them).
        let mut per_subject: BTreeMap<usize, u64> = BTreeMap::new();
        for relation in relations.iter().filter(|r| r.fixed.is_none()) {
            *per_subject.entry(relation.subject).or_insert(1) += 1;
        }
        let relation_factor = per_subject.values().fold(1u64, |n, &k| n.saturating_mul(k));
        states = states.saturating_mul(relation_factor);
        if states > MAX_FUTURES as u64 {
            return Err(too_many(states, MAX_FUTURES as u64, &events, &facts, span));
        }
        // Each recurring obligation's performance: at most four patterns
        // per state (see `performances`).
        let recurring: Vec<ClauseId> = atoms.recurring.iter().copied().collect();
        for _ in &recurring {
            states = states.saturating_mul(4);
        }
        if states > MAX_FUTURES as u64 {
            let names: Vec<String> = recurring
                .iter()
                .map(|&id| format!("`{}`", contract.clause_label(id)))
                .collect();
            return Err(
                too_many(states, MAX_FUTURES as u64, &events, &facts, span).with_note(format!(
                    "each recurring obligation in scope ({}) multiplies the states by its 4 \
                     patterns of performance",
                    names.join(", ")
                )),
            );
        }
        let masks_by_placed = masks_by_placed(&events);
        Ok(Futures {
            contract,
            events,
            days,
            facts,
            masks_by_placed,
            states,
            points,
            relations,
            recurring,
        })
    }

    /// The contract these futures belong to.
    pub fn contract(&self) -> &'c Contract {
        self.contract
    }

    /// An upper bound on the number of worlds `iter` yields.
    pub fn state_bound(&self) -> u64 {
        self.states
    }

    /// The events in scope, prerequisites first.
    pub fn event_names(&self) -> Vec<&str> {
        self.events.iter().map(|e| e.name.as_str()).collect()
    }

    /// The facts in scope.
    pub fn fact_names(&self) -> Vec<&str> {
        self.facts.iter().map(|f| f.name.as_str()).collect()
    }

    /// The constant points `p` of atoms `[p <= d]`, ascending.
    pub fn points(&self) -> &[NaiveDate] {
        &self.points
    }

    /// The representative days, ascending.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.days.iter().map(|d| d.day).collect()
    }

    /// Every representative world: fewest events placed first, then the
    /// earliest day. Only worlds the language can write are futures (years
    /// 0000 to 9999, the years of a date literal): a day before year 0 or
    /// after 9999 is outside every contract.
    pub fn iter(&self) -> impl Iterator<Item = World> + '_ {
        self.masks_by_placed
            .iter()
            .flat_map(move |masks| {
                self.days.iter().flat_map(move |day| {
                    masks
                        .iter()
                        .flat_map(move |&mask| self.placements(day, mask))
                        .flat_map(move |events| self.worlds(day.day, events))
                })
            })
            .filter(World::is_writable)
            .take_while(|_| !crate::interrupt::requested())
    }

    /// Realisable placements of the events on `day` with exactly `mask`
    /// "by then", each interval choice in turn.
    fn placements<'a>(
        &'a self,
        day: &'a DayType,
        mask: u64,
    ) -> impl Iterator<Item = BTreeMap<String, NaiveDate>> + 'a {
        let members: Vec<usize> = (0..self.events.len())
            .filter(|&i| mask & (1 << i) != 0)
            .collect();
        let radices: Vec<usize> = members
            .iter()
            .map(|&i| day.thresholds.get(i).map_or(0, Vec::len))
            .collect();
        Odometer::new(radices).flat_map(move |choice| {
            let mut intervals = vec![None; self.events.len()];
            for (&member, &interval) in members.iter().zip(&choice) {
                if let Some(slot) = intervals.get_mut(member) {
                    *slot = Some(interval);
                }
            }
            let Some(plain) = self.witness(day, mask, &intervals) else {
                return Vec::new();
            };
            self.related_witnesses(day, mask, &intervals, plain)
        })
    }

    /// The placements of one state that decide its relation atoms each way
    /// (v2: `E by T`, a debt's fulfilment against its times). Relations
    /// whose two sides are not both placed by the day hold already (the
    /// bound lies after the day, the subject on or before it), so only the
    /// others are chosen; each choice is realised by the least solution of
    /// its constraints, or dropped when it has none.
    fn related_witnesses(
        &self,
        day: &DayType,
        mask: u64,
        intervals: &[Option<usize>],
        plain: BTreeMap<String, NaiveDate>,
    ) -> Vec<BTreeMap<String, NaiveDate>> {
        let placed = closure(&self.events, mask);
        let is_placed = |e: usize| placed & (1 << e) != 0;
        let mut forced: Vec<(&RelationSlot, bool)> = Vec::new();
        let mut live: Vec<&RelationSlot> = Vec::new();
        for relation in &self.relations {
            if !is_placed(relation.subject) {
                continue;
            }
            let decided = match &relation.bound {
                SlotBound::Date(_) => false,
                SlotBound::Event(other, _) => !is_placed(*other),
            };
            match (decided, relation.fixed) {
                // The bound lies after the day: the relation holds.
                (true, Some(false)) => return Vec::new(),
                (true, _) => {}
                (false, Some(truth)) => forced.push((relation, truth)),
                (false, None) => live.push(relation),
            }
        }
        if live.is_empty() && forced.is_empty() {
            return vec![plain];
        }
        let Some(bounds) = self.interval_bounds(day, placed, intervals) else {
            return Vec::new();
        };
        let mut out: Vec<BTreeMap<String, NaiveDate>> = Vec::new();
        for bits in 0u64..(1u64 << live.len().min(20)) {
            let mut choice: Vec<(&RelationSlot, bool)> = forced.clone();
            choice.extend(
                live.iter()
                    .enumerate()
                    .map(|(i, r)| (*r, bits & (1 << i) != 0)),
            );
            let Some(dates) = self.solve(day.day, placed, &bounds, &choice) else {
                continue;
            };
            let world: BTreeMap<String, NaiveDate> = self
                .events
                .iter()
                .zip(dates)
                .filter_map(|(event, date)| Some((event.name.clone(), date?)))
                .collect();
            if !out.contains(&world) {
                out.push(world);
            }
        }
        out
    }

    /// Each placed event's interval on `day` as (earliest, latest), either
    /// side open.
    fn interval_bounds(
        &self,
        day: &DayType,
        placed: u64,
        intervals: &[Option<usize>],
    ) -> Option<Vec<(Option<NaiveDate>, Option<NaiveDate>)>> {
        let mut out = vec![(None, None); self.events.len()];
        for (e, slot) in out.iter_mut().enumerate() {
            if placed & (1 << e) == 0 {
                continue;
            }
            *slot = interval_of(day, e, intervals)?;
        }
        Some(out)
    }

    /// The least dates, within `bounds`, that respect `after` and the
    /// chosen truth of each relation; None when there are none. Every
    /// constraint is `x_target >= f(x_source)` with `f` monotone (an upper
    /// relation `x <= y + σ` bounds `y` from below by the inverse shift),
    /// so raising lower bounds to a fixpoint gives the least solution, and
    /// a bound that passes its upper end, or a fixpoint not reached in
    /// (n + 2) rounds (a cycle that always raises), means none.
    fn solve(
        &self,
        day: NaiveDate,
        placed: u64,
        bounds: &[(Option<NaiveDate>, Option<NaiveDate>)],
        choice: &[(&RelationSlot, bool)],
    ) -> Option<Vec<Option<NaiveDate>>> {
        let n = self.events.len();
        let is_placed = |e: usize| placed & (1 << e) != 0;
        // Below every bound in play, so an unbounded event can go early.
        let mut floor = day;
        for &(low, high) in bounds {
            floor = floor.min(low.unwrap_or(floor)).min(high.unwrap_or(floor));
        }
        for (relation, _) in choice {
            if let SlotBound::Date(date) = relation.bound {
                floor = floor.min(date);
            }
        }
        let floor = crate::eval::time::shift_date(floor, -12 * 10, 0).ok()?;
        let mut low: Vec<NaiveDate> = bounds.iter().map(|(l, _)| l.unwrap_or(floor)).collect();
        let mut high: Vec<Option<NaiveDate>> = bounds.iter().map(|(_, h)| *h).collect();
        let mut lowers: Vec<Lower<'_>> = Vec::new();
        for (e, event) in self.events.iter().enumerate() {
            if !is_placed(e) {
                continue;
            }
            for &before in &event.prerequisites {
                lowers.push(Lower {
                    target: e,
                    source: before,
                    f: Monotone::Identity,
                    strict: false,
                });
            }
        }
        for (relation, holds) in choice {
            let s = relation.subject;
            match (&relation.bound, holds) {
                (SlotBound::Date(date), true) => {
                    let cap = high.get_mut(s)?;
                    *cap = Some(cap.map_or(*date, |c| c.min(*date)));
                }
                (SlotBound::Date(date), false) => {
                    let floor_s = low.get_mut(s)?;
                    *floor_s = (*floor_s).max(next_day(*date)?);
                }
                (SlotBound::Event(other, offset), true) => lowers.push(Lower {
                    target: *other,
                    source: s,
                    f: Monotone::Inverse(offset),
                    strict: false,
                }),
                (SlotBound::Event(other, offset), false) => lowers.push(Lower {
                    target: s,
                    source: *other,
                    f: Monotone::Shift(offset),
                    strict: true,
                }),
            }
        }
        let fits = |low: &[NaiveDate], high: &[Option<NaiveDate>]| {
            (0..n).all(|e| {
                !is_placed(e)
                    || match (low.get(e), high.get(e)) {
                        (Some(l), Some(Some(h))) => l <= h,
                        _ => true,
                    }
            })
        };
        if !fits(&low, &high) {
            return None;
        }
        let mut settled = false;
        for _ in 0..(n + 2) * (lowers.len() + 1) {
            let mut changed = false;
            for lower in &lowers {
                let from = *low.get(lower.source)?;
                let mut wanted = lower.f.apply(from)?;
                if lower.strict {
                    wanted = next_day(wanted)?;
                }
                let current = low.get_mut(lower.target)?;
                if wanted > *current {
                    *current = wanted;
                    changed = true;
                }
            }
            if !fits(&low, &high) {
                return None;
            }
            if !changed {
                settled = true;
                break;
            }
        }
        if !settled {
            return None;
        }
        Some(
            (0..n)
                .map(|e| is_placed(e).then(|| low.get(e).copied()).flatten())
                .collect(),
        )
    }

    /// Event dates realising a state, or None when `after` rules it out.
    /// `intervals[e]` is Some(i) for an event "by then" in interval i.
    fn witness(
        &self,
        day: &DayType,
        mask: u64,
        intervals: &[Option<usize>],
    ) -> Option<BTreeMap<String, NaiveDate>> {
        let placed = closure(&self.events, mask);
        let n = self.events.len();
        // Earliest dates (None: unbounded below), then latest bounds.
        let mut earliest: Vec<Option<NaiveDate>> = vec![None; n];
        let mut latest: Vec<Option<NaiveDate>> = vec![None; n];
        for (e, event) in self.events.iter().enumerate() {
            if placed & (1 << e) == 0 {
                continue;
            }
            let (low, high) = interval_of(day, e, intervals)?;
            let mut low = low;
            for &before in &event.prerequisites {
                low = low.max(*earliest.get(before)?);
            }
            if let (Some(l), Some(h)) = (low, high)
                && l > h
            {
                return None;
            }
            *earliest.get_mut(e)? = low;
            *latest.get_mut(e)? = high;
        }
        let mut dates: Vec<Option<NaiveDate>> = vec![None; n];
        for e in (0..n).rev() {
            if placed & (1 << e) == 0 {
                continue;
            }
            let mut date = latest.get(e).copied().flatten();
            for (g, follower) in self.events.iter().enumerate() {
                if placed & (1 << g) != 0 && follower.prerequisites.contains(&e) {
                    date = match (date, dates.get(g).copied().flatten()) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
            }
            let low = earliest.get(e).copied().flatten();
            let date = date.or(low).unwrap_or(day.day);
            if low.is_some_and(|low| low > date) {
                return None;
            }
            *dates.get_mut(e)? = Some(date);
        }
        Some(
            self.events
                .iter()
                .zip(dates)
                .filter_map(|(event, date)| Some((event.name.clone(), date?)))
                .collect(),
        )
    }

    /// One world per combination of representative fact values.
    fn worlds(
        &self,
        day: NaiveDate,
        events: BTreeMap<String, NaiveDate>,
    ) -> impl Iterator<Item = World> + '_ {
        let radices: Vec<usize> = self.facts.iter().map(|f| f.values.len()).collect();
        Odometer::new(radices).flat_map(move |choice| {
            let facts: BTreeMap<String, Value> = self
                .facts
                .iter()
                .zip(&choice)
                .filter_map(|(fact, &i)| Some((fact.name.clone(), fact.values.get(i)?.clone())))
                .collect();
            let mut scenario = Scenario {
                facts,
                ..Scenario::default()
            };
            for (name, &date) in &events {
                if let Some(slot) = self.events.iter().find(|e| &e.name == name) {
                    place_slot(self.contract, &mut scenario, slot, date);
                }
            }
            assume_performance(self.contract, &self.recurring, scenario, day)
                .into_iter()
                .map(move |scenario| World { scenario, day })
        })
    }
}

/// An event slot's date in a scenario: an event happens on it, a debt's
/// fulfilment becomes assumed performance (printed as the record it
/// stands for).
pub(super) fn place_slot(
    contract: &Contract,
    scenario: &mut Scenario,
    slot: &EventSlot,
    date: NaiveDate,
) {
    match slot.fulfils {
        Some(id) => {
            let record = record_line(contract, id, date);
            scenario.fulfilments.insert(id, Fulfilment { date, record });
        }
        None => {
            scenario.events.insert(slot.name.clone(), date);
        }
    }
}

/// The scenario with each combination of the assumed performance of the
/// `recurring` obligations (`performances` on `day`), those that perform
/// least first.
pub(super) fn assume_performance(
    contract: &Contract,
    recurring: &[ClauseId],
    scenario: Scenario,
    day: NaiveDate,
) -> Vec<Scenario> {
    let mut out = vec![scenario];
    for &id in recurring {
        let Some(base) = out.first() else {
            break;
        };
        let patterns = performances(contract, base, id, day);
        if patterns.len() <= 1 && patterns.first().is_none_or(Vec::is_empty) {
            continue;
        }
        out = out
            .into_iter()
            .flat_map(|scenario| {
                patterns.iter().map(move |pattern| {
                    let mut scenario = scenario.clone();
                    for &(instance, date) in pattern {
                        let record = record_line(contract, id, date);
                        scenario
                            .instance_fulfilments
                            .insert((id, instance), Fulfilment { date, record });
                    }
                    scenario
                })
            })
            .collect();
    }
    out
}

/// The performance of a recurring obligation that the analyses try on
/// `day`, as lists of (instance, date it is fulfilled): every reading of
/// its status, discharge and open instances on `day` that some performance
/// gives, one pattern each (see docs/analysis.md).
///
/// On `day`, let U be the begun instances not fulfilled by then. The
/// obligation is violated when some instance of U is past its deadline,
/// else pending when U is not empty, else fulfilled (inactive when no
/// instance has begun); it is discharged when U is empty, and has an open
/// instance when some instance of U is not past its deadline. Deadlines
/// grow with the instance number, so these patterns give every reachable
/// combination: none performed (violated once the first deadline has
/// passed, with the last instance open while it is not past its own);
/// all but the first, each after the first deadline (violated, nothing
/// open); all but the last begun (pending while the last is not past its
/// deadline); all. Each is paid on the first day it is open and the
/// earlier instances are settled, so the printed records replay the same
/// way under the earliest-deadline-first allocation. Patterns that read
/// the same on `day` are kept once.
fn performances(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    day: NaiveDate,
) -> Vec<Vec<(usize, NaiveDate)>> {
    let ctx = crate::eval::force::Ctx::new(contract, scenario, None);
    let Ok(instances) = crate::eval::obligation::instances(ctx, id, day) else {
        // The evaluation reports the error itself, in the world.
        return vec![Vec::new()];
    };
    let begun = |k: usize| instances.get(k).map(|i| i.begins);
    let mut candidates: Vec<Vec<(usize, NaiveDate)>> = vec![Vec::new()];
    if let Some(first_due) = instances.first().and_then(|i| i.due.day())
        && first_due < day
        && let Some(after_first) = next_day(first_due)
    {
        candidates.push(
            instances
                .iter()
                .skip(1)
                .map(|i| (i.index, i.begins.max(after_first)))
                .collect(),
        );
    }
    let all: Vec<(usize, NaiveDate)> = (0..instances.len())
        .filter_map(|k| Some((instances.get(k)?.index, begun(k)?)))
        .collect();
    candidates.push(
        all.iter()
            .take(all.len().saturating_sub(1))
            .copied()
            .collect(),
    );
    candidates.push(all);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for pattern in candidates {
        let reading = reading_on(&instances, &pattern, day);
        if !seen.contains(&reading) {
            seen.push(reading);
            out.push(pattern);
        }
    }
    out
}

/// What a pattern of performance reads as on `day`: (violated, some begun
/// instance unfulfilled, some unfulfilled instance still open).
fn reading_on(
    instances: &[crate::eval::obligation::Instance],
    pattern: &[(usize, NaiveDate)],
    day: NaiveDate,
) -> (bool, bool, bool) {
    let unfulfilled: Vec<&crate::eval::obligation::Instance> = instances
        .iter()
        .filter(|i| !pattern.iter().any(|&(k, _)| k == i.index))
        .collect();
    let past = |i: &crate::eval::obligation::Instance| i.due.day().is_some_and(|due| due < day);
    (
        unfulfilled.iter().any(|i| past(i)),
        !unfulfilled.is_empty(),
        unfulfilled.iter().any(|i| !past(i)),
    )
}

/// The record that fulfils a debt on `date`, as a scenario line: its party,
/// action and asset (the first member of a group), its quantity as written
/// (a scenario evaluates it with its own facts), the first member of each
/// `on`/`to`/`with` set.
fn record_line(contract: &Contract, id: ClauseId, date: NaiveDate) -> String {
    let Some(clause) = contract.clause(id) else {
        return String::new();
    };
    let first = |name: &str| {
        contract
            .symbols
            .expand(name)
            .into_iter()
            .next()
            .unwrap_or_else(|| name.to_string())
    };
    let object = clause.body.object();
    let party = clause
        .body
        .party()
        .map_or(String::new(), |p| first(&p.text));
    let action = clause
        .body
        .action()
        .map_or(String::new(), |a| first(&a.text));
    let mut line = format!("{party} {action} ");
    if let Some(quantity) = &object.quantity {
        let text = crate::fmt::format_expr(quantity);
        let simple = matches!(
            quantity.kind,
            crate::ast::ExprKind::Literal(_) | crate::ast::ExprKind::Name(_)
        );
        if simple {
            line.push_str(&format!("{text} of "));
        } else {
            line.push_str(&format!("({text}) of "));
        }
    }
    line.push_str(&first(&object.name.text));
    for qualifier in &clause.qualifiers {
        let (keyword, names) = match &qualifier.kind {
            crate::ast::QualifierKind::On(names) => ("on", names),
            crate::ast::QualifierKind::To(names) => ("to", names),
            crate::ast::QualifierKind::With(names) => ("with", names),
            _ => continue,
        };
        if let Some(name) = names.first() {
            line.push_str(&format!(" {keyword} {}", first(&name.text)));
        }
    }
    line.push_str(&format!(" on {date}"));
    line
}

/// The relation atoms as slot indices; a relation naming an event out of
/// scope is dropped (it cannot be, since atoms add both sides' events).
fn relation_slots(events: &[EventSlot], atoms: &Atoms) -> Vec<RelationSlot> {
    let index = |name: &str| events.iter().position(|e| e.name == name);
    atoms
        .relations
        .iter()
        .filter_map(|relation| {
            let subject = index(&relation.subject)?;
            let bound = match &relation.bound {
                Bound::Date(date) => SlotBound::Date(*date),
                // An event against itself shifted is decided by the shift.
                Bound::Event { name, .. } if *name == relation.subject => return None,
                Bound::Event { name, offset } => SlotBound::Event(index(name)?, offset.clone()),
            };
            Some(RelationSlot {
                subject,
                bound,
                fixed: relation.fixed,
            })
        })
        .collect()
}

/// Event `e`'s interval among its thresholds on `day` as (earliest,
/// latest), either side open: before the first threshold, between two, or
/// after the last ("not by then").
fn interval_of(
    day: &DayType,
    e: usize,
    intervals: &[Option<usize>],
) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let thresholds = day.thresholds.get(e)?;
    Some(match intervals.get(e).copied().flatten() {
        Some(0) => (None, Some(*thresholds.first()?)),
        Some(i) => (
            Some(next_day(*thresholds.get(i - 1)?)?),
            Some(*thresholds.get(i)?),
        ),
        None => match thresholds.last() {
            Some(&last) => (Some(next_day(last)?), None),
            None => (None, None),
        },
    })
}

/// The first world, in `Futures::iter` order (fewest events placed, then
/// the earliest day), where `pred` holds. An error from `pred` stops the
/// search.
pub fn find_world(
    futures: &Futures,
    mut pred: impl FnMut(&World) -> Result<bool, Diagnostic>,
) -> Result<Option<World>, Diagnostic> {
    for world in futures.iter() {
        if pred(&world)? {
            return Ok(Some(world));
        }
    }
    Ok(None)
}

/// The events in scope, in an order where prerequisites come first: those
/// the atoms name, plus everything they must come after.
pub(super) fn event_slots(
    contract: &Contract,
    atoms: &Atoms,
    span: Span,
) -> Result<Vec<EventSlot>, Diagnostic> {
    // Names are borrowed from the atoms and the contract: this runs for
    // every lint question, and cloning each name on each step was a third
    // of its cost on large contracts.
    let mut wanted: BTreeSet<&str> = atoms.events.keys().map(String::as_str).collect();
    let mut stack: Vec<&str> = wanted.iter().copied().collect();
    while let Some(name) = stack.pop() {
        for before in contract.prerequisites(name) {
            if wanted.insert(before) {
                stack.push(before);
            }
        }
    }
    // Declaration order, then prerequisites moved before their followers.
    // Only the events in scope are sorted: scanning every declared event on
    // each question made the lints quadratic on large contracts.
    for relation in &atoms.relations {
        if let Bound::Event { name, .. } = &relation.bound
            && wanted.insert(name)
        {
            stack.push(name);
        }
    }
    while let Some(name) = stack.pop() {
        if let Some(decl) = contract.event_decl(name) {
            for before in &decl.after {
                if wanted.insert(&before.text) {
                    stack.push(&before.text);
                }
            }
        }
    }
    let mut declared: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|name| contract.event_decl(name).is_some() || atoms.fulfilments.contains_key(*name))
        .collect();
    declared.sort_by_key(|name| contract.symbols.get(name).and_then(|s| s.item));
    let mut order: Vec<&str> = Vec::new();
    let mut visiting: Vec<&str> = Vec::new();
    for name in &declared {
        topological(contract, name, &wanted, &mut order, &mut visiting, 0);
    }
    if order.len() > 63 {
        return Err(Diagnostic::new(
            Code::Limit,
            format!(
                "{} events bear on this question; the analyses handle at most 63",
                order.len()
            ),
            span,
            "too many events in scope",
        ));
    }
    let index: BTreeMap<&str, usize> = order.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let mut slots: Vec<EventSlot> = Vec::with_capacity(order.len());
    for (i, &name) in order.iter().enumerate() {
        let prerequisites: Vec<usize> = contract
            .prerequisites(name)
            .iter()
            .filter_map(|b| index.get(b.as_str()).copied())
            .filter(|&b| b < i)
            .collect();
        let mut ancestry = 1u64 << i;
        for &b in &prerequisites {
            ancestry |= slots.get(b).map_or(0, |s| s.ancestry);
        }
        slots.push(EventSlot {
            name: name.to_string(),
            offsets: atoms
                .events
                .get(name)
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default(),
            prerequisites,
            ancestry,
            fulfils: atoms.fulfilments.get(name).copied(),
        });
    }
    Ok(slots)
}

fn topological<'n>(
    contract: &'n Contract,
    name: &'n str,
    wanted: &BTreeSet<&str>,
    order: &mut Vec<&'n str>,
    visiting: &mut Vec<&'n str>,
    depth: usize,
) {
    // `after` cycles are refused by the checker; the guards keep this total.
    if depth > 64 || order.contains(&name) || visiting.contains(&name) {
        return;
    }
    visiting.push(name);
    for before in contract.prerequisites(name) {
        if wanted.contains(before.as_str()) {
            topological(contract, before, wanted, order, visiting, depth + 1);
        }
    }
    visiting.pop();
    order.push(name);
}

/// A mask with every prerequisite of its members added.
fn closure(events: &[EventSlot], mask: u64) -> u64 {
    events
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .fold(mask, |acc, (_, e)| acc | e.ancestry)
}

/// Every mask of events that can be "by then" (those with offsets),
/// grouped by how many events it places.
fn masks_by_placed(events: &[EventSlot]) -> Vec<Vec<u64>> {
    let choosable: Vec<usize> = (0..events.len())
        .filter(|&i| events.get(i).is_some_and(|e| !e.offsets.is_empty()))
        .collect();
    // A debt's fulfilment is performance, not an event: worlds are ordered
    // by the events they place.
    let real = events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.fulfils.is_none())
        .fold(0u64, |m, (i, _)| m | (1 << i));
    let mut groups: Vec<Vec<u64>> = vec![Vec::new(); events.len() + 1];
    // The state bound was checked before this runs, and every choosable
    // event doubles it, so there are at most MAX_FUTURES masks.
    for bits in 0u64..(1u64 << choosable.len()) {
        let mask = choosable
            .iter()
            .enumerate()
            .filter(|(j, _)| bits & (1 << j) != 0)
            .fold(0u64, |m, (_, &i)| m | (1 << i));
        let placed = (closure(events, mask) & real).count_ones() as usize;
        if let Some(group) = groups.get_mut(placed) {
            group.push(mask);
        }
    }
    groups
}

/// Events related by `after`, as groups of indices.
fn components(events: &[EventSlot]) -> Vec<Vec<usize>> {
    let related = |a: usize, b: usize| {
        events.get(a).is_some_and(|e| e.prerequisites.contains(&b))
            || events.get(b).is_some_and(|e| e.prerequisites.contains(&a))
    };
    let mut seen = vec![false; events.len()];
    let mut groups = Vec::new();
    for first in 0..events.len() {
        if seen.get(first).copied().unwrap_or(true) {
            continue;
        }
        let mut group = vec![first];
        let mut next = 0;
        while let Some(&current) = group.get(next) {
            next += 1;
            if let Some(flag) = seen.get_mut(current) {
                *flag = true;
            }
            for other in 0..events.len() {
                if !group.contains(&other) && related(current, other) {
                    group.push(other);
                }
            }
        }
        groups.push(group);
    }
    groups
}

/// The Gregorian calendar repeats every 400 years: 146,097 days.
const CALENDAR_PERIOD_DAYS: i64 = 146_097;

/// Four years of the leap cycle.
const LEAP_CYCLE_DAYS: i64 = 1_461;

/// Offsets that reach further than this (in days) are tracked over a whole
/// 400-year cycle rather than over leap cycles and one century year.
const LOCAL_REACH_LIMIT_DAYS: i64 = 40 * 365;

/// The representative days: the first day of each region between constant
/// points (the day before the first point for the region before it), and
/// more when the order of an event group's thresholds changes within a
/// region (offsets mixing months with days: `e + 1 month` against
/// `e + 30 days`); then the first day of each distinct order is kept.
///
/// That order depends only on the calendar around the day: the lengths of
/// the months the offsets reach over, and the day's place in its month. So
/// each region is walked day by day over two leap cycles plus that reach
/// (every ordinary calendar neighbourhood occurs there) and around one
/// century year that is not a leap year (2100, 2200, 2300: the only other
/// neighbourhoods), or over a whole 400-year cycle for offsets longer than
/// 40 years.
fn day_types(
    events: &[EventSlot],
    points: &[NaiveDate],
    default_day: NaiveDate,
    span: Span,
) -> Result<Vec<DayType>, Diagnostic> {
    let out_of_range = || {
        Diagnostic::new(
            Code::Eval,
            "a date the analysis needs falls outside the supported calendar",
            span,
            "here",
        )
    };
    let varying: Vec<Vec<Offset>> = components(events)
        .into_iter()
        .map(|group| {
            let offsets: BTreeSet<Offset> = group
                .iter()
                .filter_map(|&i| events.get(i))
                .flat_map(|e| e.offsets.iter().cloned())
                .collect();
            offsets.into_iter().collect::<Vec<_>>()
        })
        .filter(|offsets| !rigid(offsets))
        .collect();
    let reach = varying
        .iter()
        .flatten()
        .map(Offset::reach_days)
        .max()
        .unwrap_or(0);
    let key = |day: NaiveDate| -> Option<Vec<Vec<usize>>> {
        varying
            .iter()
            .map(|offsets| {
                let thresholds: Option<Vec<NaiveDate>> =
                    offsets.iter().map(|o| o.threshold(day)).collect();
                thresholds.map(|t| order_type(&t))
            })
            .collect()
    };
    // Regions as (first day, last day), and whether to walk them backwards
    // (the region before the first point, from the day before it).
    let mut regions: Vec<(NaiveDate, Option<NaiveDate>, bool)> = Vec::new();
    match points.first() {
        None => regions.push((default_day, None, false)),
        Some(&first) => {
            regions.push((previous_day(first).ok_or_else(out_of_range)?, None, true));
            for (i, &point) in points.iter().enumerate() {
                let end = match points.get(i + 1) {
                    Some(&next) => Some(previous_day(next).ok_or_else(out_of_range)?),
                    None => None,
                };
                regions.push((point, end, false));
            }
        }
    }
    let mut days = Vec::new();
    for (start, end, backwards) in regions {
        if varying.is_empty() {
            days.push(day_type(events, start).ok_or_else(out_of_range)?);
            continue;
        }
        let scan = days_to_scan(start, end, backwards, reach);
        let ordered: Box<dyn Iterator<Item = &NaiveDate>> = if backwards {
            Box::new(scan.iter().rev())
        } else {
            Box::new(scan.iter())
        };
        let mut seen: BTreeSet<Vec<Vec<usize>>> = BTreeSet::new();
        for &day in ordered {
            let Some(k) = key(day) else {
                return Err(out_of_range());
            };
            if seen.insert(k) {
                days.push(day_type(events, day).ok_or_else(out_of_range)?);
            }
        }
    }
    days.sort_by_key(|d| d.day);
    Ok(days)
}

/// The days of a region to walk (see `day_types`): `start` is its first day,
/// or its last when it runs `backwards` without end.
fn days_to_scan(
    start: NaiveDate,
    end: Option<NaiveDate>,
    backwards: bool,
    reach: i64,
) -> BTreeSet<NaiveDate> {
    let (low, high) = if backwards {
        (None, Some(start))
    } else {
        (Some(start), end)
    };
    let clip = |a: NaiveDate, b: NaiveDate| -> Option<(NaiveDate, NaiveDate)> {
        let a = low.map_or(a, |l| a.max(l));
        let b = high.map_or(b, |h| b.min(h));
        (a <= b).then_some((a, b))
    };
    let away = |days: i64| -> Option<NaiveDate> {
        let delta = chrono::Duration::try_days(days)?;
        if backwards {
            start.checked_sub_signed(delta)
        } else {
            start.checked_add_signed(delta)
        }
    };
    let mut stretches: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let ordered = |a: NaiveDate, b: NaiveDate| (a.min(b), a.max(b));
    if reach > LOCAL_REACH_LIMIT_DAYS {
        let far = away(CALENDAR_PERIOD_DAYS - 1).unwrap_or(start);
        stretches.extend(clip(ordered(start, far).0, ordered(start, far).1));
    } else {
        let regular = 2 * LEAP_CYCLE_DAYS + 2 * reach + 62;
        let far = away(regular).unwrap_or(start);
        stretches.extend(clip(ordered(start, far).0, ordered(start, far).1));
        let neighbourhood = |year: i32| -> Option<(NaiveDate, NaiveDate)> {
            let margin = chrono::Duration::try_days(reach + 31)?;
            let first = NaiveDate::from_ymd_opt(year, 1, 1)?.checked_sub_signed(margin)?;
            let last = NaiveDate::from_ymd_opt(year, 12, 31)?.checked_add_signed(margin)?;
            Some((first, last))
        };
        // Century years that are not leap years, walking away from `start`.
        let reach_years = i32::try_from(reach / 365 + 2).unwrap_or(i32::MAX);
        let from_year = chrono::Datelike::year(&start);
        let mut century = if backwards {
            (from_year.saturating_add(reach_years) / 100) * 100
        } else {
            (from_year.saturating_sub(reach_years) / 100) * 100
        };
        for _ in 0..120 {
            let year = century;
            century = if backwards {
                century.saturating_sub(100)
            } else {
                century.saturating_add(100)
            };
            if year % 400 == 0 {
                continue;
            }
            let Some((first, last)) = neighbourhood(year) else {
                continue;
            };
            if (!backwards && high.is_some_and(|h| first > h))
                || (backwards && low.is_some_and(|l| last < l))
            {
                break;
            }
            let clipped = clip(first, last);
            stretches.extend(clipped);
            // Every such century has the same calendar around it, so one
            // whole neighbourhood inside the region is enough; walking every
            // century of a long region took seconds.
            if clipped == Some((first, last)) {
                break;
            }
        }
    }
    let mut days = BTreeSet::new();
    for (first, last) in stretches {
        let mut day = first;
        while day <= last {
            days.insert(day);
            match next_day(day) {
                Some(next) => day = next,
                None => break,
            }
        }
    }
    days
}

/// Whether the order of thresholds `t_σ(d)` for these offsets is the same
/// on every day: days-only offsets keep their distances; one offset, or no
/// shift against month steps of one sign, cannot change order.
fn rigid(offsets: &[Offset]) -> bool {
    if offsets.len() <= 1 || offsets.iter().all(Offset::is_days_only) {
        return true;
    }
    offsets.len() == 2
        && offsets.iter().any(Offset::is_identity)
        && offsets.iter().any(Offset::is_months_one_way)
}

/// Dense ranks: the order of the values, ties included.
fn order_type(values: &[NaiveDate]) -> Vec<usize> {
    let mut sorted: Vec<NaiveDate> = values.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    values
        .iter()
        .map(|v| sorted.partition_point(|s| s < v))
        .collect()
}

fn day_type(events: &[EventSlot], day: NaiveDate) -> Option<DayType> {
    let thresholds = events
        .iter()
        .map(|event| {
            let mut t: Vec<NaiveDate> = event
                .offsets
                .iter()
                .map(|o| o.threshold(day))
                .collect::<Option<_>>()?;
            t.sort_unstable();
            t.dedup();
            Some(t)
        })
        .collect::<Option<_>>()?;
    Some(DayType { day, thresholds })
}

pub(super) fn too_many(
    states: u64,
    limit: u64,
    events: &[EventSlot],
    facts: &[FactValues],
    span: Span,
) -> Diagnostic {
    let names: Vec<String> = events
        .iter()
        .filter(|e| !e.offsets.is_empty())
        .map(|e| format!("`{}`", e.name))
        .collect();
    let fact_names: Vec<String> = facts.iter().map(|f| format!("`{}`", f.name)).collect();
    let mut message = format!(
        "too many possible futures to analyse: {states} representative states (the limit is {limit})"
    );
    if !names.is_empty() {
        message.push_str(&format!(", over the events {}", names.join(", ")));
    }
    if !fact_names.is_empty() {
        message.push_str(&format!(" and the facts {}", fact_names.join(", ")));
    }
    Diagnostic::new(Code::Limit, message, span, "the analysis stops here").with_help(
        "split the question, or use fewer event offsets and dates in the clauses it touches",
    )
}

/// Every combination of digits below the given radices, the last digit
/// fastest; one empty combination when there are no digits, none when a
/// radix is zero.
pub(super) struct Odometer {
    radices: Vec<usize>,
    next: Option<Vec<usize>>,
}

impl Odometer {
    pub(super) fn new(radices: Vec<usize>) -> Odometer {
        let next = (!radices.contains(&0)).then(|| vec![0; radices.len()]);
        Odometer { radices, next }
    }
}

impl Iterator for Odometer {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let mut following = current.clone();
        let mut position = following.len();
        let mut carried = true;
        while carried && position > 0 {
            position -= 1;
            if let (Some(digit), Some(&radix)) =
                (following.get_mut(position), self.radices.get(position))
            {
                *digit += 1;
                if *digit < radix {
                    carried = false;
                } else {
                    *digit = 0;
                }
            }
        }
        if !carried {
            self.next = Some(following);
        }
        Some(current)
    }
}

/// The record line that fulfils obligation `id` (a debt, or one instance
/// of a recurring obligation) on `date`, as the analyses print it: for
/// `deal diff`, which performs obligations on days of its own.
pub(crate) fn fulfilment_record(contract: &Contract, id: ClauseId, date: NaiveDate) -> String {
    record_line(contract, id, date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odometer_counts() {
        let all: Vec<Vec<usize>> = Odometer::new(vec![2, 3]).collect();
        assert_eq!(all.len(), 6);
        assert_eq!(all[0], vec![0, 0]);
        assert_eq!(all[5], vec![1, 2]);
        assert_eq!(Odometer::new(vec![]).count(), 1);
        assert_eq!(Odometer::new(vec![2, 0]).count(), 0);
    }

    #[test]
    fn order_types_keep_ties() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            order_type(&[d("2027-01-02"), d("2027-01-01"), d("2027-01-02")]),
            vec![1, 0, 1]
        );
    }

    #[test]
    fn rigid_offsets() {
        assert!(rigid(&[Offset::identity(), Offset::by(0, 30)]));
        assert!(rigid(&[Offset::identity(), Offset::by(1, 0)]));
        assert!(!rigid(&[Offset::by(1, 0), Offset::by(0, 30)]));
        assert!(!rigid(&[Offset::identity(), Offset::by(1, -30)]));
        assert!(!rigid(&[
            Offset::identity(),
            Offset::by(1, 0),
            Offset::by(2, 0)
        ]));
    }
}
