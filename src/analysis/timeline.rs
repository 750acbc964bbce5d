//! `deal explore`: how the answer to one query depends on the future.
//!
//! Over a range of days, one scenario gives one *timeline*: the answer on
//! the first day and on each day it changes. The answer can only change on
//! a constant point of the clauses the query matches or on a shifted event
//! date `e + σ` (see `atoms`), so a timeline is computed by asking the
//! query engine on those days only, and it is described symbolically by
//! what happens on each change day ("no until agi_verified, then
//! unspecified").
//!
//! The scenarios are the enumerator's representative futures over the
//! range (`orders::RangeFutures`): every order of the shifted event dates
//! among the constant points of the range and each other, with assumed
//! performance. Timelines that read alike are grouped, each with the
//! example that places the fewest events. Every timeline shown is real (it
//! comes from a scenario that was evaluated); see `orders` for what can be
//! missed.

use crate::ast::Query;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{ClauseId, Contract, Outcome, Scenario, answer_reading, matching};
use crate::limits::{MAX_EXPLORE_WORK, MAX_FUTURES};
use crate::source::Span;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use super::atoms::Atoms;
use super::clause_atoms;
use super::futures::{EventSlot, place_slot, too_many};
use super::offset::{next_day, previous_day};
use super::orders::{RangeFutures, slot_date};

/// One stretch of a timeline with one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Its first day.
    pub from: NaiveDate,
    pub outcome: Outcome,
    /// The clauses that decide the answer on its first day.
    pub deciding: Vec<ClauseId>,
    /// What happens on its first day: event dates (`agi_verified`,
    /// `agi_verified + 30 days`) and constant dates; empty for the first
    /// segment.
    pub change: Vec<String>,
}

/// Scenarios whose timelines read alike.
#[derive(Clone, Debug)]
pub struct TimelineGroup {
    /// "no until agi_verified, then unspecified".
    pub description: String,
    /// The example's timeline.
    pub segments: Vec<Segment>,
    /// The example: the scenario of the group with the fewest events.
    pub example: Scenario,
    /// The facts the example's answers read.
    pub facts_read: BTreeSet<String>,
    /// How many representative scenarios fall in the group.
    pub futures: usize,
    /// Which futures give this timeline, as conditions on the events as
    /// written: "`agi_verified` happens between 2025-10-29 and 2030-12-31";
    /// events that may fall anywhere are left out. None when no such list
    /// is exact: the timeline then depends on how events fall relative to
    /// each other, not only on their dates against the contract's dates.
    pub when: Option<Vec<String>>,
    /// Per event: where it falls in the group's scenarios.
    placements: BTreeMap<String, BTreeSet<Place>>,
    /// Every combination of places seen, in the order of `placements`.
    combinations: BTreeSet<Vec<Place>>,
    /// Whether two events' shifted dates fell in one stretch of the range
    /// (or both on or before its first day) in some future of the group.
    shared_stretch: bool,
}

/// Where an event's shifted dates fall, one entry per offset of the event:
/// 0 is on or before the first day, `i` is the `i`-th stretch of the range
/// between its constant points, and one past the last stretch is after the
/// range (or the event never happens).
type Place = Vec<usize>;

impl TimelineGroup {
    /// Whether conditions on each event alone say exactly which futures give
    /// this timeline: the group has every combination of the places its
    /// events take, and no two events ever share a stretch (where their
    /// order against each other could decide the answer).
    fn exact(&self) -> bool {
        let product = self
            .placements
            .values()
            .fold(1usize, |n, places| n.saturating_mul(places.len()));
        !self.shared_stretch && product == self.combinations.len()
    }
}

/// The distinct timelines of a query over a range of days.
#[derive(Clone, Debug)]
pub struct Exploration {
    pub from: NaiveDate,
    /// The last day of the range (inclusive).
    pub until: NaiveDate,
    pub groups: Vec<TimelineGroup>,
    /// How many representative scenarios (with fact values) were evaluated.
    pub scenarios: usize,
    /// How many answers were asked: what counts against the budget.
    pub asked: u64,
}

/// Where an exploration failed: the query itself (its spans point into
/// the query text) or the contract.
#[derive(Clone, Debug)]
pub enum ExploreError {
    Query(Diagnostic),
    Contract(Diagnostic),
}

/// Every distinct timeline of `query` over `from..=until`.
pub fn explore(
    contract: &Contract,
    query: &Query,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Exploration, ExploreError> {
    explore_within(contract, query, from, until, MAX_FUTURES as u64)
}

/// `explore` with a smaller budget of answers asked: past `budget` it
/// stops with `deal::limit`. For callers that must stay quick (an
/// editor's code lens).
pub fn explore_within(
    contract: &Contract,
    query: &Query,
    from: NaiveDate,
    until: NaiveDate,
    budget: u64,
) -> Result<Exploration, ExploreError> {
    let budget = budget.min(MAX_FUTURES as u64);
    let condition = match query {
        Query::Status(label) => {
            return Err(ExploreError::Query(
                Diagnostic::new(
                    Code::WrongKind,
                    "explore asks a `may`, `must` or `holds` query or a condition, not a `status`",
                    label.span,
                    "a status depends on every day up to its deadline",
                )
                .with_help("ask `deal query` for the status under one scenario"),
            ));
        }
        Query::Expr(condition) => {
            // The query's own errors come first, labelled in the query.
            Atoms::default()
                .add_condition(contract, condition)
                .map_err(ExploreError::Query)?;
            Some(condition)
        }
        _ => None,
    };
    let clauses = matching(contract, query);
    let span = clauses
        .first()
        .map(|&id| contract.clause_span(id))
        .unwrap_or_default();
    let mut atoms = clause_atoms(contract, &clauses).map_err(ExploreError::Contract)?;
    if let Some(condition) = condition {
        atoms
            .add_condition(contract, condition)
            .map_err(ExploreError::Query)?;
    }
    let futures =
        RangeFutures::build(contract, &atoms, from, until, span).map_err(ExploreError::Contract)?;
    let events = &futures.events;
    let explorer = Explorer {
        futures: &futures,
        query,
    };
    // A future whose dates the enumeration cannot place (a shifted date
    // outside the calendar) is still a future: every event on the first
    // day surfaces its evaluation error instead of losing it.
    let mut every_event = Scenario::default();
    let first_day = contract.effective().map_or(from, |e| e.max(from));
    for event in events {
        place_slot(contract, &mut every_event, event, first_day);
    }
    if let Some(facts) = futures.fact_combinations().next() {
        every_event.facts = facts;
    }
    explorer
        .timeline(&every_event)
        .map_err(ExploreError::Contract)?;
    let mut groups: Vec<TimelineGroup> = Vec::new();
    let mut keys: Vec<Vec<(String, Vec<String>)>> = Vec::new();
    let mut scenarios = 0usize;
    let mut evaluations = 0u64;
    // What one answer costs grows with the clauses it weighs and the events
    // and facts each of them reads: the budget counts that work, so a
    // refusal comes as fast on 300 clauses as on one.
    let answer_cost = (clauses.len() as u64 + 1)
        .saturating_mul(events.len() as u64 + futures.facts.len() as u64 + 1);
    let mut work = 0u64;
    futures
        .each(&mut |world| {
            scenarios += 1;
            let (segments, read, asked) = explorer.timeline(&world)?;
            evaluations = evaluations.saturating_add(asked);
            work = work.saturating_add(asked.saturating_mul(answer_cost));
            if evaluations > budget {
                return Err(too_many(evaluations, budget, events, &futures.facts, span));
            }
            if work > MAX_EXPLORE_WORK {
                return Err(too_much_work(
                    evaluations,
                    clauses.len(),
                    events.len(),
                    futures.facts.len(),
                    span,
                ));
            }
            let places = explorer.places(&world);
            let shared = explorer.shares_a_stretch(&places);
            let combination: Vec<Place> = places.iter().map(|(_, p)| p.clone()).collect();
            let key: Vec<(String, Vec<String>)> = segments
                .iter()
                .map(|s| (s.outcome.display(), s.change.clone()))
                .collect();
            match keys.iter().position(|k| *k == key) {
                Some(i) => {
                    if let Some(group) = groups.get_mut(i) {
                        group.futures += 1;
                        group.shared_stretch |= shared;
                        group.combinations.insert(combination);
                        for (event, place) in places {
                            group.placements.entry(event).or_default().insert(place);
                        }
                        if assumed_size(&world) < assumed_size(&group.example) {
                            group.example = world;
                            group.segments = segments;
                            group.facts_read = read;
                        }
                    }
                }
                None => {
                    keys.push(key);
                    groups.push(TimelineGroup {
                        description: describe(&segments),
                        segments,
                        example: world,
                        facts_read: read,
                        futures: 1,
                        when: None,
                        combinations: BTreeSet::from([combination]),
                        shared_stretch: shared,
                        placements: places
                            .into_iter()
                            .map(|(event, place)| (event, BTreeSet::from([place])))
                            .collect(),
                    });
                }
            }
            Ok(())
        })
        .map_err(ExploreError::Contract)?;
    let mut groups = merge_coincidences(groups);
    let stretches = Stretches {
        boundary: &futures.boundary,
        until,
        floor: contract.effective(),
    };
    for group in &mut groups {
        if !group.exact() {
            continue;
        }
        group.when = Some(
            group
                .placements
                .iter()
                .filter_map(|(event, places)| {
                    let slot = events.iter().find(|e| &e.name == event)?;
                    stretches.words(slot, places)
                })
                .collect(),
        );
    }
    groups.sort_by(|a, b| {
        (a.example.events.len(), a.segments.len(), &a.description).cmp(&(
            b.example.events.len(),
            b.segments.len(),
            &b.description,
        ))
    });
    Ok(Exploration {
        from,
        until,
        groups,
        scenarios,
        asked: evaluations,
    })
}

/// The limit diagnostic when the work budget, not the number of futures,
/// ran out.
fn too_much_work(
    evaluations: u64,
    clauses: usize,
    events: usize,
    facts: usize,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::Limit,
        format!(
            "too much work to explore: stopped after {evaluations} answers, each weighing {clauses} clauses over {events} events and {facts} facts (the budget is {MAX_EXPLORE_WORK} units: answers x (clauses + 1) x (events + facts + 1))"
        ),
        span,
        "the analysis stops here",
    )
    .with_help("ask about a narrower act, or split the clauses and conditions it touches")
}

/// What an example assumes: events placed, then performance assumed; the
/// group's example is the future that assumes least.
fn assumed_size(scenario: &Scenario) -> (usize, usize) {
    (
        scenario.events.len(),
        scenario.fulfilments.len() + scenario.instance_fulfilments.len(),
    )
}

struct Explorer<'a> {
    futures: &'a RangeFutures<'a>,
    query: &'a Query,
}

/// The stretches of the range an event's shifted dates can fall in, read
/// back as dates of the event itself.
struct Stretches<'a> {
    /// `from` and the constant points inside the range.
    boundary: &'a [NaiveDate],
    until: NaiveDate,
    /// No event happens before the contract's `effective` date.
    floor: Option<NaiveDate>,
}

/// Dates of an event, inclusive; None is unbounded (above: later than any
/// date, or never).
type DateRange = (Option<NaiveDate>, Option<NaiveDate>);

impl Stretches<'_> {
    /// The first and last day a shifted date in stretch `i` can take; None
    /// for "on or before the first day" (below) and "after the range" (above).
    fn days(&self, i: usize) -> DateRange {
        let never = self.boundary.len() + 1;
        if i == 0 {
            return (None, self.boundary.first().copied());
        }
        if i >= never {
            return (next_day(self.until), None);
        }
        let first = match self.boundary.get(i - 1) {
            Some(&from) if i == 1 => next_day(from),
            Some(&point) => Some(point),
            None => Some(self.until),
        };
        let last = self
            .boundary
            .get(i)
            .and_then(|&point| previous_day(point))
            .unwrap_or(self.until);
        (first, Some(last))
    }

    /// The event's own dates whose shifted dates fall as in `place`: for each
    /// offset `σ`, `σ(x)` in `[a, b]` is `x` in `[t_σ(a - 1) + 1, t_σ(b)]`.
    fn event_range(&self, event: &EventSlot, place: &Place) -> Option<DateRange> {
        let mut low: Option<NaiveDate> = self.floor;
        let mut high: Option<NaiveDate> = None;
        for (offset, &stretch) in event.offsets.iter().zip(place) {
            let (first, last) = self.days(stretch);
            if let Some(first) = first {
                let earliest = next_day(offset.threshold(previous_day(first)?)?)?;
                low = low.max(Some(earliest));
            }
            if let Some(last) = last {
                let latest = offset.threshold(last)?;
                high = Some(high.map_or(latest, |h| h.min(latest)));
            }
        }
        match (low, high) {
            (Some(l), Some(h)) if l > h => None,
            range => Some(range),
        }
    }

    /// "`breach_notice` happens between 2025-01-01 and 2034-11-02", stated
    /// for the event as written (not for its shifted dates); None when the
    /// event may fall anywhere.
    fn words(&self, event: &EventSlot, places: &BTreeSet<Place>) -> Option<String> {
        let mut ranges: Vec<DateRange> = places
            .iter()
            .filter_map(|place| self.event_range(event, place))
            .collect();
        ranges.sort();
        let mut merged: Vec<DateRange> = Vec::new();
        for (low, high) in ranges {
            match merged.last_mut() {
                Some((_, last_high))
                    if last_high.is_none_or(|h| low.is_none_or(|l| next_day(h) >= Some(l))) =>
                {
                    *last_high = match (*last_high, high) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => merged.push((low, high)),
            }
        }
        if let [(low, None)] = merged.as_slice()
            && *low == self.floor
        {
            return None;
        }
        // A debt's fulfilment reads as performance, not as an event.
        let (name, happens, does_not) = match super::atoms::fulfilled_label(&event.name) {
            Some(label) if event.fulfils.is_some() => (label, "is fulfilled", "is not fulfilled"),
            _ => (event.name.as_str(), "happens", "does not happen"),
        };
        let words: Vec<String> = merged
            .iter()
            .map(|range| match *range {
                (low, None) if low == self.floor => {
                    format!("`{name}` {happens} at any time or not at all")
                }
                (Some(low), None) => {
                    let before = previous_day(low).unwrap_or(low);
                    format!("`{name}` {does_not} on or before {before}")
                }
                (low, Some(high)) if low == self.floor => {
                    format!("`{name}` {happens} on or before {high}")
                }
                (Some(low), Some(high)) if low == high => format!("`{name}` {happens} on {low}"),
                (Some(low), Some(high)) => {
                    format!("`{name}` {happens} between {low} and {high}")
                }
                (None, _) => format!("`{name}` {happens} at any time"),
            })
            .collect();
        Some(words.join(", or "))
    }
}

impl Explorer<'_> {
    /// Where each event with offsets falls in a scenario.
    fn places(&self, scenario: &Scenario) -> Vec<(String, Place)> {
        self.futures
            .events
            .iter()
            .filter(|e| !e.offsets.is_empty())
            .map(|e| {
                let date = slot_date(scenario, e);
                let place = e
                    .offsets
                    .iter()
                    .map(|o| match date.and_then(|d| o.apply(d)) {
                        Some(q) if q <= self.futures.from => 0,
                        Some(q) if q <= self.futures.until => {
                            self.futures.boundary.partition_point(|&p| p <= q)
                        }
                        _ => self.futures.boundary.len() + 1,
                    })
                    .collect();
                (e.name.clone(), place)
            })
            .collect()
    }

    /// Whether two events' shifted dates fall in one stretch of the range,
    /// or both on or before its first day.
    fn shares_a_stretch(&self, places: &[(String, Place)]) -> bool {
        let never = self.futures.boundary.len() + 1;
        let mut taken: BTreeSet<usize> = BTreeSet::new();
        for (_, place) in places {
            let mine: BTreeSet<usize> = place.iter().copied().filter(|&p| p < never).collect();
            if mine.iter().any(|p| taken.contains(p)) {
                return true;
            }
            taken.extend(mine);
        }
        false
    }

    /// The days inside the range where a recurring obligation's status can
    /// change in this scenario: each instance's first day, the day after
    /// its deadline, and the day it is assumed fulfilled. An instance that
    /// cannot be computed (an evaluation error) adds none: the answers on
    /// the other days report the error.
    fn performance_days(&self, scenario: &Scenario) -> BTreeSet<NaiveDate> {
        let mut days: BTreeSet<NaiveDate> = scenario
            .instance_fulfilments
            .values()
            .map(|f| f.date)
            .collect();
        let ctx = crate::eval::force::Ctx::new(self.futures.contract, scenario, None);
        for &id in &self.futures.recurring {
            let Ok(instances) = crate::eval::obligation::instances(ctx, id, self.futures.until)
            else {
                continue;
            };
            for instance in instances {
                days.insert(instance.begins);
                days.extend(instance.due.day().and_then(next_day));
            }
        }
        days.retain(|&d| d > self.futures.from && d <= self.futures.until);
        days
    }

    /// The scenario's timeline over the range, the facts it read, and how
    /// many answers it asked for.
    fn timeline(
        &self,
        scenario: &Scenario,
    ) -> Result<(Vec<Segment>, BTreeSet<String>, u64), Diagnostic> {
        let mut changes: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
        for &point in self.futures.boundary.iter().skip(1) {
            changes.entry(point).or_default().push(point.to_string());
        }
        for event in &self.futures.events {
            let Some(date) = slot_date(scenario, event) else {
                continue;
            };
            for offset in &event.offsets {
                if let Some(q) = offset.apply(date)
                    && q > self.futures.from
                    && q <= self.futures.until
                {
                    changes
                        .entry(q)
                        .or_default()
                        .insert(0, format!("{}{}", event.name, offset.suffix()));
                }
            }
        }
        for day in self.performance_days(scenario) {
            changes.entry(day).or_default().push(day.to_string());
        }
        let mut read = BTreeSet::new();
        let mut segments: Vec<Segment> = Vec::new();
        let mut asked = 0u64;
        let days = std::iter::once((self.futures.from, Vec::new())).chain(changes);
        for (day, mut change) in days {
            asked += 1;
            let (result, facts) = answer_reading(self.futures.contract, scenario, self.query, day);
            read.extend(facts);
            let answer = result.map_err(|error| {
                Diagnostic::from(error).with_note(format!(
                    "on {day}, in the scenario: {}",
                    super::render::scenario_line(scenario, None)
                ))
            })?;
            if segments
                .last()
                .is_some_and(|last| last.outcome == answer.outcome)
            {
                continue;
            }
            change.sort_by_key(|label| label.chars().next().is_some_and(|c| c.is_ascii_digit()));
            change.dedup();
            segments.push(Segment {
                from: day,
                outcome: answer.outcome,
                deciding: answer.deciding,
                change,
            });
        }
        Ok((segments, read, asked))
    }
}

/// "no until agi_verified, then unspecified"; "no throughout".
pub fn describe(segments: &[Segment]) -> String {
    let mut out = String::new();
    for (i, segment) in segments.iter().enumerate() {
        let answer = segment.outcome.display();
        if i == 0 {
            out.push_str(&answer);
        } else {
            out.push_str(&format!(
                " until {}, then {answer}",
                change_words(&segment.change)
            ));
        }
    }
    if segments.len() == 1 {
        out.push_str(" throughout");
    }
    out
}

/// `agi_verified`, or `agi_verified = 2031-01-01` when several coincide.
fn change_words(change: &[String]) -> String {
    change.join(" = ")
}

/// A timeline whose change days coincide with several things reads like
/// the group where each of those changes happens for one of them alone:
/// fold it into that group when there is one.
fn merge_coincidences(groups: Vec<TimelineGroup>) -> Vec<TimelineGroup> {
    let (plain, coincident): (Vec<TimelineGroup>, Vec<TimelineGroup>) = groups
        .into_iter()
        .partition(|g| g.segments.iter().all(|s| s.change.len() <= 1));
    let mut plain = plain;
    let mut kept = Vec::new();
    for group in coincident {
        let target = plain.iter_mut().find(|p| {
            p.segments.len() == group.segments.len()
                && p.segments.iter().zip(&group.segments).all(|(a, b)| {
                    a.outcome == b.outcome
                        && (a.change.is_empty() && b.change.is_empty()
                            || a.change.first().is_some_and(|c| b.change.contains(c)))
                })
        });
        match target {
            Some(target) => {
                target.futures += group.futures;
                target.shared_stretch |= group.shared_stretch;
                target.combinations.extend(group.combinations);
                for (event, places) in group.placements {
                    target.placements.entry(event).or_default().extend(places);
                }
            }
            None => kept.push(group),
        }
    }
    plain.extend(kept);
    plain
}

/// The example of a group as `{"events": {...}, "facts": {...}}`.
pub fn example_json(group: &TimelineGroup) -> serde_json::Value {
    super::render::world_json(&group.example, Some(&group.facts_read), None)
}
