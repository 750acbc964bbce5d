//! The effect half of `deal diff`: for each party, the rights, permissions
//! and obligations gained or lost, found by asking the query engine the
//! same question of both versions over the same futures.
//!
//! For each act (see `acts`) and each of its futures (see `futures`,
//! `joint`, and `performance` for the records a future performs), both
//! versions answer on every day where an answer can change: the comparison
//! start, each window start and end of a deciding clause of either
//! version, each event date, and for the obligations whose status the
//! clauses read, their windows, each instance's start, the day after each
//! deadline and each record's date. Between those days answers are constant,
//! so the answer timelines are exact for that future. Where the answers
//! differ, the difference is recorded per (old answer, new answer) with
//! the first stretch of days it lasts in each future, and then described
//! in words: from when (a fixed date, or an event), until when, under
//! which fact conditions, and whether it happens even if no event does.

use super::acts::{ComparedAct, Family, candidates};
use super::futures::{
    Deciders, Relevant, anchors, comparison_start, range_end, relevant, status_obligations,
};
use super::joint::{CompareFutures, NotJoint, ScenarioKey, compared_futures, key_of};
use super::performance::{
    in_time, late_for_one, performance_keys, realise, record_act, records as performance_records,
};
use super::times::{Role, WrittenTimes, phrase};
use crate::analysis::Bound;
use crate::analysis::act::Act;
use crate::ast::{ClauseBody, ExprKind};
use crate::eval::{
    Answer, ClauseId, Contract, Env, EvalError, Outcome, Scenario, Time, Value, answer, window,
};
use crate::explain::quantity_phrase;
use crate::explain::words::{capitalised, name_phrase};
use crate::fmt::format_expr;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Which query an effect is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueryKind {
    May,
    Must,
    Holds,
    /// A debt's status (`status LABEL`), compared when its deadline changed.
    Status,
}

impl QueryKind {
    pub fn word(self) -> &'static str {
        match self {
            QueryKind::May => "may",
            QueryKind::Must => "must",
            QueryKind::Holds => "holds",
            QueryKind::Status => "status",
        }
    }
}

/// One future where an effect shows, for the report's `example`: an
/// example only, which `deal query OLD|NEW QUERY --at DAY --event ...
/// --fact ...` replays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The query asked, as deal text (one of the effect's `acts`).
    pub query: String,
    /// The first day of the difference in this future.
    pub day: NaiveDate,
    /// Events that happen, with their dates (the others never happen).
    pub events: BTreeMap<String, NaiveDate>,
    pub facts: BTreeMap<String, Value>,
    /// The performance the future assumes, as scenario record lines in
    /// date order (`a pay 100 of fee to b on 2025-02-10`): a scenario block
    /// with these lines replays the example.
    pub records: Vec<String>,
    /// The answers on `day`.
    pub old: &'static str,
    pub new: &'static str,
    /// The clauses that decide the old and the new answer on `day`.
    pub old_clauses: Vec<String>,
    pub new_clauses: Vec<String>,
}

/// A right, permission or obligation that one party gains or loses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    pub party: String,
    /// The party as the report names it: its label, or `Anyone`.
    pub party_label: String,
    pub kind: QueryKind,
    /// `gained`, `lost`, `newly-forbidden`, `no-longer-forbidden`,
    /// `obligation-added`, `obligation-removed`.
    pub change: &'static str,
    /// A query that shows the effect, as deal text: `holds microsoft research_ip`.
    pub act: String,
    /// Every query compared that shows it (venue, recipient and
    /// counterparty variants merged into this effect).
    pub acts: Vec<String>,
    /// The answers of the old and the new version where the effect shows.
    pub old: Vec<&'static str>,
    pub new: Vec<&'static str>,
    /// A sentence: "Microsoft Corporation no longer holds research_ip from 2031-01-01, ...".
    pub description: String,
    /// Whether it shows in every future compared.
    pub always: bool,
    pub example: Example,
    /// The `on`, `to` and `with` values it covers.
    pub slots: [SlotValue; 3],
    /// The act it was found on (the first, when variants were merged).
    pub family_act: ComparedAct,
}

/// What an effect covers in one slot.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SlotValue {
    /// The query leaves the slot out.
    Omitted,
    Named(String),
    /// Every value, and none.
    Any,
    /// Every value but these members, and none.
    AnyBut(Vec<String>),
}

const SLOT_WORDS: [(&str, &str); 3] = [("on", "any venue"), ("to", "anyone"), ("with", "anyone")];

/// " on aws to anyone but us_natsec": the slots of an effect as words.
fn slots_phrase(slots: &[SlotValue; 3]) -> String {
    let mut out = String::new();
    for ((keyword, any), value) in SLOT_WORDS.iter().zip(slots) {
        match value {
            SlotValue::Omitted => {}
            SlotValue::Named(name) => out.push_str(&format!(" {keyword} {name}")),
            SlotValue::Any => out.push_str(&format!(" {keyword} {any}")),
            SlotValue::AnyBut(names) => out.push_str(&format!(
                " {keyword} {any} but {}",
                crate::explain::words::join_words(names, "or")
            )),
        }
    }
    out
}

/// Merge effects that differ only in one slot's value into one effect
/// covering every value (`Any`), or every value but some members
/// (`AnyBut`), when the values tried say so; slots merged `with`, `to`,
/// then `on`. Then the slot phrase goes into each description.
fn merge_slots(effects: Vec<Effect>) -> Vec<Effect> {
    let mut current = effects;
    for slot in [2usize, 1, 0] {
        let mut groups: Vec<Vec<Effect>> = Vec::new();
        for effect in current {
            let same = |other: &Effect| {
                other.party == effect.party
                    && other.kind == effect.kind
                    && other.change == effect.change
                    && other.old == effect.old
                    && other.new == effect.new
                    && other.description == effect.description
                    && other.family_act.family == effect.family_act.family
                    && other.family_act.act.action == effect.family_act.act.action
                    && other.family_act.act.asset == effect.family_act.act.asset
                    && (0..3).all(|i| i == slot || other.slots[i] == effect.slots[i])
            };
            match groups.iter_mut().find(|g| g.first().is_some_and(same)) {
                Some(group) => group.push(effect),
                None => groups.push(vec![effect]),
            }
        }
        current = Vec::new();
        for group in groups {
            current.extend(merge_group(group, slot));
        }
    }
    for effect in &mut current {
        effect.description = effect
            .description
            .replace(SLOT_MARK, &slots_phrase(&effect.slots));
    }
    current
}

fn merge_group(group: Vec<Effect>, slot: usize) -> Vec<Effect> {
    let Some(first) = group.first() else {
        return group;
    };
    let options = &first.family_act.options[slot];
    let tried = options.values();
    let mut values: BTreeSet<Option<String>> = BTreeSet::new();
    for effect in &group {
        match &effect.slots[slot] {
            SlotValue::Omitted => values.insert(None),
            SlotValue::Named(name) => values.insert(Some(name.clone())),
            SlotValue::Any | SlotValue::AnyBut(_) => return group,
        };
    }
    let covers_outsider = options
        .outsider
        .as_ref()
        .is_some_and(|o| values.contains(&Some(o.clone())));
    let merged = if tried.len() > 1 && tried.iter().all(|v| values.contains(v)) {
        SlotValue::Any
    } else if values.contains(&None) && covers_outsider {
        SlotValue::AnyBut(
            options
                .members
                .iter()
                .filter(|m| !values.contains(&Some((*m).clone())))
                .cloned()
                .collect(),
        )
    } else {
        return group;
    };
    let mut iter = group.into_iter();
    let Some(mut kept) = iter.next() else {
        return Vec::new();
    };
    for other in iter {
        kept.always &= other.always;
        kept.acts.extend(other.acts);
        if other.example.day < kept.example.day {
            kept.example = other.example;
        }
    }
    kept.slots[slot] = merged;
    // The representative query leaves a merged slot out (always one of the variants).
    let mut act = kept.family_act.clone();
    match slot {
        0 => act.act.on = None,
        1 => act.act.to = None,
        _ => act.act.with = None,
    }
    kept.act = crate::fmt::format_query(&act.query(kept.kind == QueryKind::Must));
    vec![kept]
}

/// All effects, and how they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    pub effects: Vec<Effect>,
    /// The first day compared.
    pub start: Option<NaiveDate>,
    /// Acts compared (those whose deciding clauses differ between the
    /// versions), and futures evaluated over all of them.
    pub acts: usize,
    pub futures: usize,
    /// Anything left out or approximated.
    pub notes: Vec<String>,
}

/// The first stretch of days, in one future, where the answers are a given pair.
#[derive(Clone, Debug)]
struct Stretch {
    scenario: usize,
    start: NaiveDate,
    end: Time,
    /// The answers of each version over the stretch.
    olds: BTreeSet<&'static str>,
    news: BTreeSet<&'static str>,
    /// The answers on the first day.
    old_answer: &'static str,
    new_answer: &'static str,
    old_deciding: Vec<ClauseId>,
    new_deciding: Vec<ClauseId>,
}

/// An effect is keyed by the query and the change word: "gained" covers
/// both unspecified-to-yes and no-to-yes, so a permission that was
/// forbidden on some days and unspecified on others is one effect.
type Key = (QueryKind, &'static str);

/// A day where the versions answer differently.
struct Point {
    key: Key,
    old: &'static str,
    new: &'static str,
    old_deciding: Vec<ClauseId>,
    new_deciding: Vec<ClauseId>,
}

impl Point {
    fn of(kind: QueryKind, old: &Answer, new: &Answer) -> Option<Point> {
        if old.outcome == new.outcome {
            return None;
        }
        // A status differs in its word: the amount owed and the deadline
        // are what changed, not a difference on the day.
        if kind == QueryKind::Status && old.outcome.word() == new.outcome.word() {
            return None;
        }
        let (old_word, new_word) = (outcome_word(&old.outcome), outcome_word(&new.outcome));
        Some(Point {
            key: (kind, change_word(kind, old_word, new_word)),
            old: old_word,
            new: new_word,
            old_deciding: old.deciding.clone(),
            new_deciding: new.deciding.clone(),
        })
    }
}

fn outcome_word(outcome: &Outcome) -> &'static str {
    outcome.word()
}

/// The days where any answer about the act can change in this future:
/// the deciding clauses' window starts and ends, the events, and for the
/// obligations whose status they read, their windows, the day each
/// instance begins, the day after each deadline, and the days of the
/// records performing them.
fn change_days(
    deciders: &Deciders<'_>,
    scenarios: [&Scenario; 2],
    start: NaiveDate,
) -> Vec<NaiveDate> {
    let mut days = BTreeSet::from([start]);
    let mut obligations = Vec::new();
    for ((contract, ids), scenario) in [&deciders.old, &deciders.new].into_iter().zip(scenarios) {
        let read = status_obligations(contract, ids);
        for &id in ids.iter().chain(&read) {
            if let Ok((from, until)) = window(contract, scenario, id) {
                for time in [from, until] {
                    if let Time::Day(day) = time {
                        days.insert(day);
                    }
                }
            }
        }
        for record in &scenario.records {
            days.insert(record.date);
        }
        obligations.push((contract, scenario, read));
    }
    for scenario in scenarios {
        for &day in scenario.events.values() {
            days.insert(day);
        }
    }
    // A recurring obligation's instances run on. Once one is unpaid past
    // its deadline the obligation stays violated, and the records stop
    // with the last one: the instances that begin by two years after the
    // last record or event are enough.
    let last = scenarios
        .iter()
        .flat_map(|s| {
            s.records
                .iter()
                .map(|r| r.date)
                .chain(s.events.values().copied())
        })
        .chain([start])
        .max()
        .unwrap_or(start);
    let horizon = last
        .checked_add_months(chrono::Months::new(24))
        .unwrap_or(NaiveDate::MAX);
    for (contract, scenario, read) in obligations {
        let ctx = crate::eval::force::Ctx::new(contract, scenario, None);
        for id in read {
            // An evaluation error shows when the answers are asked.
            for instance in crate::eval::obligation::instances(ctx, id, horizon).unwrap_or_default()
            {
                days.insert(instance.begins);
                if let Some(overdue) = instance.due.day().and_then(|due| due.succ_opt()) {
                    days.insert(overdue);
                }
            }
        }
    }
    // Past year 9999 no contract can speak of the day, nor an example name it.
    days.into_iter()
        .filter(|day| *day >= start && writable_day(day))
        .collect()
}

/// Both versions' answers to `query` on `day`.
fn both(
    deciders: &Deciders<'_>,
    [old_scenario, new_scenario]: [&Scenario; 2],
    query: &crate::ast::Query,
    day: NaiveDate,
) -> Result<(Answer, Answer), EvalError> {
    let old = answer(deciders.old.0, old_scenario, query, day)?;
    let new = answer(deciders.new.0, new_scenario, query, day)?;
    Ok((old, new))
}

/// Most answers asked over all acts: past it, the remaining acts are not
/// compared, and a note names them.
pub const MAX_EVALUATIONS: usize = 1_000_000;

/// The debts present in both versions under one label whose deadline
/// changed, each as an act asked `status LABEL`, with its clause in each
/// version: moving a deadline changes when the debt is violated, which no
/// `may`, `must` or `holds` answer shows while nothing is performed.
fn debt_status_acts(old: &Contract, new: &Contract) -> Vec<(ComparedAct, (ClauseId, ClauseId))> {
    use crate::eval::{Members, ObligationKind, obligation::kind_of};
    let mut out = Vec::new();
    for change in super::structure::diff_clauses(old, new).changed {
        let (old_id, new_id) = (change.old.id, change.new.id);
        let debt = |c: &Contract, id| kind_of(c, id) == ObligationKind::Debt;
        if change.old.label != change.new.label
            || !debt(old, old_id)
            || !debt(new, new_id)
            || !change.changes.iter().any(|f| f.field == "deadline")
        {
            continue;
        }
        let Some(info) = new.clause_info(new_id) else {
            continue;
        };
        let first = |members: &Members| match members {
            Members::Any => Some(crate::symbols::ANYONE.to_string()),
            Members::Only(set) => set.iter().min().cloned(),
        };
        let (Some(party), Some(action), Some(object)) = (
            first(&info.parties),
            first(&info.actions),
            info.objects.iter().min().cloned(),
        ) else {
            continue;
        };
        let act = ComparedAct {
            family: Family::Act,
            act: Act {
                party,
                action: Some(action),
                asset: object,
                on: None,
                to: None,
                with: None,
            },
            has_must: false,
            options: Default::default(),
            status: Some(change.new.label.clone()),
        };
        out.push((act, (old_id, new_id)));
    }
    out
}

/// The events a debt's deadlines name (`within 30 days after approval`):
/// its status changes with them.
fn add_deadline_events(deciders: &Deciders<'_>, relevant: &mut Relevant) {
    for (contract, ids) in [&deciders.old, &deciders.new] {
        for &id in ids {
            let Some(clause) = contract.clause(id) else {
                continue;
            };
            for qualifier in &clause.qualifiers {
                let time = match &qualifier.kind {
                    crate::ast::QualifierKind::By(time)
                    | crate::ast::QualifierKind::Within {
                        after: Some(time), ..
                    } => time,
                    _ => continue,
                };
                let leaves = crate::analysis::written_times(
                    contract,
                    time,
                    &crate::analysis::offset::Offset::identity(),
                )
                .unwrap_or_default();
                for leaf in leaves {
                    if let Bound::Event { name, .. } = leaf {
                        relevant.direct_events.insert(name.clone());
                        relevant.events.insert(name);
                    }
                }
            }
        }
    }
}

/// Each future over the range once more with the obligations whose status
/// the deciding clauses read performed: all in time (`in_time`), and late for
/// one version only (`late_for_one`), for the instances begun by a year
/// after the future's last event (or the comparison start).
fn add_performance(deciders: &Deciders<'_>, scenarios: &mut Vec<Scenario>, start: NaiveDate) {
    let mut added = Vec::new();
    for scenario in scenarios.iter() {
        let last = scenario
            .events
            .values()
            .copied()
            .chain([start])
            .max()
            .unwrap_or(start);
        let horizon = last
            .checked_add_days(chrono::Days::new(366))
            .unwrap_or(last);
        added.extend(in_time(deciders, scenario, horizon));
        added.extend(late_for_one(deciders, scenario, horizon));
    }
    let mut seen: BTreeSet<ScenarioKey> = scenarios.iter().map(key_of).collect();
    for scenario in added {
        if seen.insert(key_of(&scenario)) {
            scenarios.push(scenario);
        }
    }
}

/// Whether an effect needs a property of its futures: `Some(value)` when
/// every future where it shows (`differing`) has the property at `value`
/// and the futures compared (`evaluated`) have it both ways.
fn decided_by(
    differing: &[usize],
    evaluated: &[usize],
    property: impl Fn(usize) -> bool,
) -> Option<bool> {
    let inside: BTreeSet<bool> = differing.iter().map(|&i| property(i)).collect();
    let outside: BTreeSet<bool> = evaluated.iter().map(|&i| property(i)).collect();
    match (inside.len(), outside.len()) {
        (1, 2) => inside.first().copied(),
        _ => None,
    }
}

/// The obligations a compared future can assume performed (the deciding
/// clauses' own and those whose status they read), by the act a record of
/// each performs, to the label that names it in words.
fn performed_acts(deciders: &Deciders<'_>) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = performance_keys(deciders)
        .into_iter()
        .map(|(label, key)| (key, label))
        .collect();
    for (contract, ids) in [&deciders.new, &deciders.old] {
        for &id in ids {
            let Some(clause) = contract.clause(id) else {
                continue;
            };
            let Some(label) = &clause.label else {
                continue;
            };
            if !clause.body.is_must() {
                continue;
            }
            let day = contract.effective().unwrap_or(NaiveDate::MIN);
            let line = crate::analysis::fulfilment_record(contract, id, day);
            out.entry(record_act(&line).to_string())
                .or_insert_with(|| label.text.clone());
        }
    }
    out
}

/// The deciding clauses of an act in each version: acts with the same
/// ones share their futures.
type DecidersKey = (Vec<ClauseId>, Vec<ClauseId>);

/// An act as the query that asks it, for notes: `may p0 act1 x0 to p1`.
fn asked_as(act: &ComparedAct) -> String {
    crate::fmt::format_query(&act.query(false))
}

/// Most names a note lists before counting the rest.
const NOTE_NAMES: usize = 8;

/// "a, b, c and 12 more".
fn listed(names: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = names.iter().take(NOTE_NAMES).map(String::as_str).collect();
    let rest = names.len().saturating_sub(NOTE_NAMES);
    if rest == 0 {
        shown.join(", ")
    } else {
        format!("{} and {rest} more", shown.join(", "))
    }
}

/// Whether every date of a scenario can be written in the language.
fn writable(scenario: &Scenario) -> bool {
    scenario.events.values().all(writable_day)
        && scenario
            .fulfilments
            .values()
            .chain(scenario.instance_fulfilments.values())
            .all(|f| writable_day(&f.date))
        && scenario.facts.values().all(|value| match value {
            Value::Date(day) => writable_day(day),
            _ => true,
        })
}

/// Whether a date literal can name the day (years 0000 to 9999).
fn writable_day(day: &NaiveDate) -> bool {
    (0..=9999).contains(&chrono::Datelike::year(day))
}

/// Whether an act's deciding clauses are the same in both versions, and
/// read the same values: then every answer is the same and there is
/// nothing to compare. Clauses (and the obligations whose status they
/// read) compare by their text (label and exceptions included) and their
/// resolved sets (groups expanded); what they read by
/// the `let` values, the events' `after` lists and the facts' types and
/// defaults.
fn same_deciders(deciders: &Deciders<'_>, relevant: &Relevant) -> bool {
    let prints = |(contract, ids): &(&Contract, Vec<ClauseId>)| -> Vec<String> {
        let mut out: Vec<String> = ids
            .iter()
            .chain(&status_obligations(contract, ids))
            .map(|&id| {
                let text = contract.clause(id).map(crate::fmt::format_clause);
                let info = contract.clause_info(id).map(|info| {
                    let members = |m: &crate::eval::Members| match m {
                        crate::eval::Members::Any => "*".to_string(),
                        crate::eval::Members::Only(set) => {
                            let mut v: Vec<&String> = set.iter().collect();
                            v.sort();
                            format!("{v:?}")
                        }
                    };
                    let sets: Vec<String> = info
                        .sets
                        .iter()
                        .map(|(slot, m)| format!("{}:{}", slot.keyword(), members(m)))
                        .collect();
                    format!(
                        "{:?} {} {} {:?} {sets:?}",
                        info.kind,
                        members(&info.parties),
                        members(&info.actions),
                        info.objects
                    )
                });
                format!("{text:?} {info:?}")
            })
            .collect();
        out.sort();
        out
    };
    if prints(&deciders.old) != prints(&deciders.new) {
        return false;
    }
    let (old, new) = (deciders.old.0, deciders.new.0);
    let lets_same = relevant.lets.iter().all(|name| {
        old.let_decl(name).map(|l| format_expr(&l.value))
            == new.let_decl(name).map(|l| format_expr(&l.value))
    });
    let events_same = relevant.events.iter().all(|name| {
        let after = |c: &Contract| {
            c.event_decl(name).map(|_| {
                let mut v: Vec<String> = c.prerequisites(name).to_vec();
                v.sort();
                v
            })
        };
        after(old) == after(new)
    });
    let facts_same = relevant.facts.iter().all(|name| {
        let fact = |c: &Contract| {
            c.fact_decl(name).map(|f| {
                (
                    crate::eval::type_of(&f.ty),
                    f.default.as_ref().map(format_expr),
                )
            })
        };
        fact(old) == fact(new)
    });
    lets_same && events_same && facts_same
}

/// Compare the two versions act by act.
pub fn effects(old: &Contract, new: &Contract) -> Effects {
    let (mut acts, mut notes) = super::acts::acts(old, new);
    let status_acts = debt_status_acts(old, new);
    acts.extend(status_acts.iter().map(|(act, _)| act.clone()));
    let start = comparison_start(old, new);
    let anchors = anchors(old, new, start);
    let mut not_joint: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut not_compared: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // The slot variants of one (party, action, asset) share their deciding
    // clauses, and so their futures: each set of futures is built once.
    let mut joint_cache: BTreeMap<DecidersKey, CompareFutures> = BTreeMap::new();
    let mut over_budget: BTreeSet<String> = BTreeSet::new();
    let mut evaluations = 0usize;
    let mut result = Effects {
        start: Some(start),
        acts: acts.len(),
        ..Effects::default()
    };
    let mut failed: BTreeSet<String> = BTreeSet::new();
    // Futures that leave out a fact an answer reads: the acts, and the facts.
    let mut unvalued: BTreeSet<String> = BTreeSet::new();
    let mut unvalued_facts: BTreeSet<String> = BTreeSet::new();
    for act in &acts {
        let pair = status_acts.iter().find(|(a, _)| a == act).map(|(_, p)| *p);
        let deciders = match pair {
            Some((old_id, new_id)) => Deciders {
                old: (old, vec![old_id]),
                new: (new, vec![new_id]),
            },
            None => Deciders {
                old: (
                    old,
                    candidates(old, &act.act).iter().map(|i| i.id).collect(),
                ),
                new: (
                    new,
                    candidates(new, &act.act).iter().map(|i| i.id).collect(),
                ),
            },
        };
        let mut relevant = relevant(&deciders);
        if pair.is_some() {
            add_deadline_events(&deciders, &mut relevant);
        }
        if same_deciders(&deciders, &relevant) {
            // The same clauses reading the same values answer the same way.
            result.acts = result.acts.saturating_sub(1);
            continue;
        }
        if evaluations >= MAX_EVALUATIONS {
            over_budget.insert(asked_as(act));
            continue;
        }
        // The futures over the range keep events off the clauses' own
        // dates, so that each effect has an example future where no two of
        // the contract's times coincide; the one-day futures make the
        // comparison exact.
        let key = (deciders.old.1.clone(), deciders.new.1.clone());
        let (joint, (range, cut)) = joint_cache
            .entry(key)
            .or_insert_with(|| compared_futures(&deciders, &relevant, start, range_end(&anchors)));
        let mut scenarios = range.clone();
        // Without the exact futures, a cut range leaves futures out: the
        // effects' words then name no condition they cannot vouch for.
        let reduced = joint.is_err() && cut.is_some();
        if reduced && !relevant.statuses.is_empty() {
            // The cut keeps the futures that place fewest events and
            // payments: add each with every obligation paid in time (and
            // late for one version), where a remedy for non-payment no
            // longer hides what else changed.
            add_performance(&deciders, &mut scenarios, start);
        }
        match joint {
            Ok(joint) => {
                // Exact: the futures over the range only add examples.
                let mut seen: BTreeSet<ScenarioKey> = scenarios.iter().map(key_of).collect();
                for scenario in joint.iter() {
                    if seen.insert(key_of(scenario)) {
                        scenarios.push(scenario.clone());
                    }
                }
            }
            Err(NotJoint(why)) => {
                let why = match cut {
                    Some(cut) if cut != why => format!("{why}; {cut}"),
                    _ => why.clone(),
                };
                // Without the exact futures, the range's are all there is.
                let bucket = if range.is_empty() {
                    &mut not_compared
                } else {
                    &mut not_joint
                };
                bucket.entry(why).or_default().insert(asked_as(act));
            }
        }
        // A future the language cannot write (a date past 9999) is no
        // contract's future, and its example could not be replayed.
        scenarios.retain(writable);
        let times = WrittenTimes::collect(&deciders, act.status.is_some());
        let primary = act.query(false);
        let must = act.has_must.then(|| act.query(true));
        let mut stretches: BTreeMap<Key, Vec<Stretch>> = BTreeMap::new();
        let mut evaluated: Vec<usize> = Vec::new();
        let mut failures = 0usize;
        let mut lacking = 0usize;
        for (index, scenario) in scenarios.iter().enumerate() {
            match compare_one(
                &deciders,
                scenario,
                start,
                &primary,
                must.as_ref(),
                act,
                index,
                &times,
            ) {
                Ok((found, asked)) => {
                    evaluations = evaluations.saturating_add(asked);
                    evaluated.push(index);
                    for (key, stretch) in found {
                        stretches.entry(key).or_default().push(stretch);
                    }
                }
                Err(error) => match error.missing_fact() {
                    Some(fact) => {
                        lacking += 1;
                        unvalued_facts.insert(format!("`{fact}`"));
                    }
                    None => failures += 1,
                },
            }
        }
        result.futures += evaluated.len();
        if failures > 0 {
            failed.insert(format!("{} ({failures} futures)", asked_as(act)));
        }
        if lacking > 0 {
            unvalued.insert(format!("{} ({lacking} futures)", asked_as(act)));
        }
        for (key, list) in stretches {
            // Only a violation moving is the debt's own effect: a window
            // that opens or closes elsewhere shows in its `must` answers.
            if key.1 == "status-changed" {
                continue;
            }
            result.effects.push(describe(
                &deciders, act, key, &list, &scenarios, &evaluated, &relevant, start, &times,
                reduced,
            ));
        }
    }
    if !over_budget.is_empty() {
        notes.push(format!(
            "not compared (more than {MAX_EVALUATIONS} answers were asked before them): {}",
            listed(&over_budget)
        ));
    }
    for (why, acts) in &not_compared {
        notes.push(format!("not compared ({why}): {}", listed(acts)));
    }
    for (why, acts) in &not_joint {
        notes.push(format!(
            "compared over the futures over the range only ({why}): {}",
            listed(acts)
        ));
    }
    if !failed.is_empty() {
        notes.push(format!(
            "some futures could not be evaluated (an evaluation error) and were skipped for {}",
            listed(&failed)
        ));
    }
    if !unvalued.is_empty() {
        notes.push(format!(
            "some futures give no value to a fact the answers read ({}) and were skipped for {}",
            listed(&unvalued_facts),
            listed(&unvalued)
        ));
    }
    result.notes = notes;
    result.effects = merge_slots(std::mem::take(&mut result.effects));
    let party_rank = party_order(old, new);
    result.effects.sort_by(|a, b| {
        party_rank(&a.party)
            .cmp(&party_rank(&b.party))
            .then_with(|| a.family_act.act.asset.cmp(&b.family_act.act.asset))
            .then_with(|| a.family_act.act.action.cmp(&b.family_act.act.action))
            .then_with(|| a.slots.cmp(&b.slots))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.example.day.cmp(&b.example.day))
            .then_with(|| a.change.cmp(b.change))
    });
    result
}

/// Parties in the new version's declaration order, then the old one's, then `anyone`.
pub fn party_order<'a>(
    old: &'a Contract,
    new: &'a Contract,
) -> impl Fn(&str) -> (usize, usize) + 'a {
    move |party: &str| {
        for (rank, contract) in [new, old].into_iter().enumerate() {
            if let Some(item) = contract.symbols.get(party).and_then(|s| s.item) {
                return (rank, item);
            }
        }
        (2, 0)
    }
}

/// One future: the first stretch of each differing answer pair.
#[allow(clippy::too_many_arguments)]
fn compare_one(
    deciders: &Deciders<'_>,
    scenario: &Scenario,
    start: NaiveDate,
    primary: &crate::ast::Query,
    must: Option<&crate::ast::Query>,
    act: &ComparedAct,
    index: usize,
    times: &WrittenTimes,
) -> Result<(Vec<(Key, Stretch)>, usize), EvalError> {
    let old_scenario = realise(deciders.old.0, scenario);
    let new_scenario = realise(deciders.new.0, scenario);
    let scenarios = [&old_scenario, &new_scenario];
    let mut days = change_days(deciders, scenarios, start);
    if act.status.is_some() {
        // A debt's status also changes the day after its deadline.
        let mut all: BTreeSet<NaiveDate> = days.into_iter().collect();
        all.extend(
            times
                .days(scenario)
                .into_iter()
                .filter(|d| *d > start && writable_day(d)),
        );
        days = all.into_iter().collect();
    }
    let asked = days.len() * if must.is_some() { 4 } else { 2 };
    let primary_kind = match (act.family, &act.status) {
        (_, Some(_)) => QueryKind::Status,
        (Family::Holds, None) => QueryKind::Holds,
        (Family::Act, None) => QueryKind::May,
    };
    // At each day: the differing pair, if any (a changed obligation explains
    // a changed permission, so it is reported instead).
    let mut points: Vec<(NaiveDate, Option<Point>)> = Vec::new();
    for &day in &days {
        let mut found = None;
        if let Some(must) = must {
            let (old, new) = both(deciders, scenarios, must, day)?;
            found = Point::of(QueryKind::Must, &old, &new);
        }
        if found.is_none() {
            let (old, new) = both(deciders, scenarios, primary, day)?;
            found = Point::of(primary_kind, &old, &new);
        }
        points.push((day, found));
    }
    let mut out: Vec<(Key, Stretch)> = Vec::new();
    let mut i = 0;
    while i < points.len() {
        let Some(first) = &points[i].1 else {
            i += 1;
            continue;
        };
        let mut olds = BTreeSet::from([first.old]);
        let mut news = BTreeSet::from([first.new]);
        let mut j = i + 1;
        while let Some((_, Some(next))) = points.get(j)
            && next.key == first.key
        {
            olds.insert(next.old);
            news.insert(next.new);
            j += 1;
        }
        let end = points
            .get(j)
            .map_or(Time::Never, |(day, _)| Time::Day(*day));
        if !out.iter().any(|(k, _)| *k == first.key) {
            out.push((
                first.key,
                Stretch {
                    scenario: index,
                    start: points[i].0,
                    end,
                    olds,
                    news,
                    old_answer: first.old,
                    new_answer: first.new,
                    old_deciding: first.old_deciding.clone(),
                    new_deciding: first.new_deciding.clone(),
                },
            ));
        }
        i = j;
    }
    Ok((out, asked))
}

/// The change word of an answer pair.
fn change_word(kind: QueryKind, old: &str, new: &str) -> &'static str {
    match (kind, old, new) {
        (QueryKind::Status, "violated", _) => "deadline-later",
        (QueryKind::Status, _, "violated") => "deadline-earlier",
        (QueryKind::Status, _, _) => "status-changed",
        (QueryKind::Must, "no", _) => "obligation-added",
        (QueryKind::Must, _, _) => "obligation-removed",
        (_, _, "yes") => "gained",
        (_, "yes", _) => "lost",
        (_, _, "no") => "newly-forbidden",
        _ => "no-longer-forbidden",
    }
}

/// "may no longer host api on aws", "now holds 26% of openai", ...: the
/// change, and apart what the answer was (or became) when that is one
/// thing, for the end of the sentence: "(it is now forbidden)".
fn verb_phrase(
    kind: QueryKind,
    change: &str,
    olds: &BTreeSet<&str>,
    news: &BTreeSet<&str>,
    predicate: &str,
) -> (String, String) {
    let only = |set: &BTreeSet<&str>, word: &str| set.len() == 1 && set.contains(word);
    let denied = if kind == QueryKind::Holds {
        "expressly denied"
    } else {
        "forbidden"
    };
    let was = if only(olds, "no") {
        format!(" (it was {denied})")
    } else if olds.contains("no") {
        format!(" (it was {denied} or unspecified)")
    } else {
        String::new()
    };
    let now = if only(news, "no") {
        format!(" (it is now {denied})")
    } else if only(news, "unspecified") {
        " (no clause grants it any more)".to_string()
    } else {
        String::new()
    };
    match (kind, change) {
        (QueryKind::Status, "deadline-later") => (
            format!("is no longer in breach of {predicate}"),
            " (when it is not performed)".to_string(),
        ),
        (QueryKind::Status, "deadline-earlier") => (
            format!("is now in breach of {predicate}"),
            " (when it is not performed)".to_string(),
        ),
        (QueryKind::Status, _) => (
            format!("sees the status of {predicate} change"),
            String::new(),
        ),
        (QueryKind::Must, "obligation-added") => (format!("now must {predicate}"), String::new()),
        (QueryKind::Must, _) => (format!("no longer must {predicate}"), String::new()),
        (QueryKind::Holds, "gained") => (format!("now holds {predicate}"), was),
        (QueryKind::Holds, "lost") => (format!("no longer holds {predicate}"), now),
        (QueryKind::Holds, "newly-forbidden") => (
            format!("is now expressly denied {predicate}"),
            String::new(),
        ),
        (QueryKind::Holds, _) => (
            format!("is no longer expressly denied {predicate}"),
            String::new(),
        ),
        (_, "gained") => (format!("may now {predicate}"), was),
        (_, "lost") => (format!("may no longer {predicate}"), now),
        (_, "newly-forbidden") => (format!("is now forbidden to {predicate}"), String::new()),
        _ => (
            format!("is no longer forbidden to {predicate}"),
            String::new(),
        ),
    }
}

/// Where a stretch starts or ends: always one of the contract's own
/// times, never a day read off one future.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    /// The comparison start.
    Start,
    /// A time the deciding clauses write: a constant date, or an event with
    /// its shift.
    Time(Bound),
    /// The day an obligation whose status the clauses read is performed
    /// (its label): in a future that assumes performance, a record's date.
    Performed(String),
    Never,
}

/// What `marks_of` needs besides the stretches.
struct MarkContext<'a> {
    start: NaiveDate,
    times: &'a WrittenTimes,
    /// The obligations whose performance the futures assume: the act a
    /// record of each performs, to its label.
    performed_by: BTreeMap<String, String>,
}

/// The marks a stretch's start or end can be read as in its future: the
/// written times that fall on that day (the comparison start itself is
/// `Start`, not the constant date it may also be).
fn marks_on(time: Time, scenario: &Scenario, context: &MarkContext<'_>) -> Vec<Mark> {
    let day = match time {
        Time::Never => return vec![Mark::Never],
        Time::Day(day) => day,
    };
    let mut out = Vec::new();
    if day == context.start {
        out.push(Mark::Start);
    }
    for written in context.times.on(day, scenario) {
        if day == context.start && matches!(written, Bound::Date(_)) {
            continue;
        }
        out.push(Mark::Time(written.clone()));
    }
    let performed = scenario
        .fulfilments
        .values()
        .chain(scenario.instance_fulfilments.values())
        .filter(|f| f.date == day)
        .filter_map(|f| context.performed_by.get(record_act(&f.record)));
    for label in performed {
        let mark = Mark::Performed(label.clone());
        if !out.contains(&mark) {
            out.push(mark);
        }
    }
    out
}

/// Each stretch's mark (start or end), chosen so that as few of the
/// contract's times as possible account for every stretch: a time that
/// alone accounts for a stretch comes first, and a stretch on a day where
/// two chosen times coincide (a future where an event falls on a clause's
/// date) could be either's doing, so it does not shape the words. The flag
/// says whether some stretch fell on none of the times.
fn marks_of<'s>(
    stretches: &'s [Stretch],
    scenarios: &[Scenario],
    context: &MarkContext<'_>,
    at: impl Fn(&Stretch) -> Time,
) -> (Vec<(Mark, &'s Stretch)>, bool) {
    let options: Vec<Vec<Mark>> = stretches
        .iter()
        .map(|s| {
            scenarios
                .get(s.scenario)
                .map(|scenario| marks_on(at(s), scenario, context))
                .unwrap_or_default()
        })
        .collect();
    let mut chosen: Vec<Mark> = Vec::new();
    let mut uncovered: Vec<usize> = (0..options.len())
        .filter(|&i| options.get(i).is_some_and(|o| !o.is_empty()))
        .collect();
    while !uncovered.is_empty() {
        let alone: Vec<usize> = uncovered
            .iter()
            .copied()
            .filter(|&i| options.get(i).is_some_and(|o| o.len() == 1))
            .collect();
        let pool = if alone.is_empty() { &uncovered } else { &alone };
        let mut counts: BTreeMap<&Mark, usize> = BTreeMap::new();
        for &i in pool {
            for mark in options.get(i).into_iter().flatten() {
                *counts.entry(mark).or_default() += 1;
            }
        }
        let Some(best) = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(mark, _)| (*mark).clone())
        else {
            break;
        };
        uncovered.retain(|&i| options.get(i).is_some_and(|o| !o.contains(&best)));
        chosen.push(best);
    }
    let mut out = Vec::new();
    let mut unlabelled = false;
    for (stretch, marks) in stretches.iter().zip(&options) {
        let hits: Vec<&Mark> = chosen.iter().filter(|m| marks.contains(m)).collect();
        match hits.as_slice() {
            [one] => out.push(((*one).clone(), stretch)),
            [] => unlabelled = true,
            _ => {}
        }
    }
    (out, unlabelled)
}

/// "from 60 days after breach_notice", "once agi_declared happens".
fn from_words(time: &Bound) -> String {
    match time {
        Bound::Date(day) => format!("from {day}"),
        Bound::Event { name, offset } if offset.is_identity() => format!("once {name} happens"),
        other => format!("from {}", phrase(other)),
    }
}

/// "2033-01-01", "agi_verified happens", "6 months after breach_notice".
fn until_words(time: &Bound) -> String {
    match time {
        Bound::Event { name, offset } if offset.is_identity() => format!("{name} happens"),
        other => phrase(other),
    }
}

/// When an effect runs from one version's time to the other's, both shifts
/// of one event and both the same part of a window: what moved, relative
/// to the event ("the permission now starts 90 days after breach_notice,
/// not 60").
fn moved_words(
    times: &WrittenTimes,
    from: &Bound,
    until: &Bound,
    kind: QueryKind,
    change: &str,
) -> Option<String> {
    let (Bound::Event { name: a, .. }, Bound::Event { name: b, .. }) = (from, until) else {
        return None;
    };
    if a != b {
        return None;
    }
    let (from_roles, until_roles) = (times.roles(from), times.roles(until));
    let only = |roles: &BTreeSet<(usize, Role)>, version: usize, role: Role| {
        roles.contains(&(version, role)) && !roles.iter().any(|(v, r)| *v != version && *r == role)
    };
    let role = [Role::Start, Role::End, Role::Overdue]
        .into_iter()
        .find(|&role| {
            (only(&from_roles, 0, role) && only(&until_roles, 1, role))
                || (only(&from_roles, 1, role) && only(&until_roles, 0, role))
        })?;
    let (old, new) = if from_roles.contains(&(0, role)) {
        (from, until)
    } else {
        (until, from)
    };
    // An answer that reads an obligation's status moves with its deadline.
    let read = |time: &Bound| times.overdue_of.get(time).cloned().unwrap_or_default();
    let debt = match (kind, role) {
        (QueryKind::Status, _) | (_, Role::Start | Role::End | Role::Condition) => None,
        (_, Role::Overdue) => {
            let (a, b) = (read(from), read(until));
            let shared: Vec<&String> = a.intersection(&b).collect();
            match shared.as_slice() {
                [only] => Some((*only).clone()),
                _ => return None,
            }
        }
    };
    let noun = match (kind, change) {
        _ if debt.is_some() => debt.as_deref().unwrap_or_default(),
        (QueryKind::Status, _) => "the debt",
        (QueryKind::Must, _) => "the obligation",
        (QueryKind::Holds, "gained" | "lost") => "the right",
        (QueryKind::Holds, _) => "the denial",
        (_, "gained" | "lost") => "the permission",
        _ => "the prohibition",
    };
    let (verb, new, old) = match role {
        Role::Start => ("now starts", new.clone(), old.clone()),
        Role::Overdue => ("is now due", deadline_of(new)?, deadline_of(old)?),
        _ => ("now ends", new.clone(), old.clone()),
    };
    let (new_words, old_words) = (at_words(&new), at_words(&old));
    // "90 days after e, not 60": what both phrases share at the end goes once.
    let shared = common_tail(&new_words, &old_words);
    let old_short = old_words
        .strip_suffix(shared.as_str())
        .filter(|rest| !rest.is_empty() && !shared.is_empty())
        .unwrap_or(&old_words);
    Some(format!("{noun} {verb} {new_words}, not {old_short}"))
}

/// The deadline whose day after a time is: the time a day earlier.
fn deadline_of(overdue: &Bound) -> Option<Bound> {
    match overdue {
        Bound::Date(day) => day.pred_opt().map(Bound::Date),
        Bound::Event { name, offset } => Some(Bound::Event {
            name: name.clone(),
            offset: offset.then(0, -1),
        }),
    }
}

/// A moment as the object of "starts"/"ends": "when e happens", "60 days after e".
fn at_words(time: &Bound) -> String {
    match time {
        Bound::Event { name, offset } if offset.is_identity() => format!("when {name} happens"),
        other => phrase(other),
    }
}

/// The words two phrases end with, from a word boundary (" days after e").
fn common_tail(a: &str, b: &str) -> String {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let mut shared: Vec<&str> = Vec::new();
    for (x, y) in wa.iter().rev().zip(wb.iter().rev()) {
        if x != y {
            break;
        }
        shared.insert(0, x);
    }
    if shared.len() >= wa.len().min(wb.len()) {
        return String::new();
    }
    if shared.is_empty() {
        String::new()
    } else {
        format!(" {}", shared.join(" "))
    }
}

fn join_or(parts: &[String]) -> String {
    crate::explain::words::join_words(parts, "or")
}

/// Marks where the slot phrase goes in a description until slots are merged.
pub(crate) const SLOT_MARK: char = '\u{1}';

/// The truth of each fact-only condition leaf in each future.
struct AtomTable {
    texts: Vec<String>,
    /// truth[atom][scenario]
    truth: Vec<Vec<Option<bool>>>,
}

impl AtomTable {
    fn new(
        deciders: &Deciders<'_>,
        relevant: &Relevant,
        scenarios: &[Scenario],
        start: NaiveDate,
    ) -> AtomTable {
        let mut texts = Vec::new();
        let mut truth = Vec::new();
        for atom in &relevant.atoms {
            let text = format_expr(&atom.expr);
            if texts.contains(&text) {
                continue;
            }
            let contract = if atom.version == 0 {
                deciders.old.0
            } else {
                deciders.new.0
            };
            truth.push(
                scenarios
                    .iter()
                    .map(|s| Env::new(contract, s, start).condition(&atom.expr).ok())
                    .collect(),
            );
            texts.push(text);
        }
        AtomTable { texts, truth }
    }

    /// "when X" / "unless X" for each leaf that has one truth value over
    /// `within` but not over `among`.
    fn conditions(&self, within: &[usize], among: &[usize]) -> Vec<String> {
        let mut out = Vec::new();
        for (text, row) in self.texts.iter().zip(&self.truth) {
            let values = |set: &[usize]| -> BTreeSet<Option<bool>> {
                set.iter().map(|&i| row.get(i).copied().flatten()).collect()
            };
            let (inside, outside) = (values(within), values(among));
            if inside.len() == 1 && outside.len() > 1 {
                match inside.into_iter().next().flatten() {
                    Some(true) => out.push(format!("when {text}")),
                    Some(false) => out.push(format!("unless {text}")),
                    None => {}
                }
            }
        }
        out
    }
}

fn with_conditions(phrase: String, conditions: &[String]) -> String {
    if conditions.is_empty() {
        phrase
    } else if phrase.is_empty() {
        conditions.join(", ")
    } else {
        format!("{phrase} {}", conditions.join(", "))
    }
}

#[allow(clippy::too_many_arguments)]
fn describe(
    deciders: &Deciders<'_>,
    act: &ComparedAct,
    (kind, change): Key,
    stretches: &[Stretch],
    scenarios: &[Scenario],
    evaluated: &[usize],
    relevant: &Relevant,
    start: NaiveDate,
    times: &WrittenTimes,
    reduced: bool,
) -> Effect {
    let (old, new) = (deciders.old.0, deciders.new.0);
    let subject = {
        let declarer = if new.symbols.get(&act.act.party).is_some() {
            new
        } else {
            old
        };
        capitalised(&name_phrase(declarer, &act.act.party))
    };
    let olds: BTreeSet<&'static str> = stretches
        .iter()
        .flat_map(|s| s.olds.iter().copied())
        .collect();
    let news: BTreeSet<&'static str> = stretches
        .iter()
        .flat_map(|s| s.news.iter().copied())
        .collect();
    let base = match &act.status {
        Some(label) => format!("{label} ({})", act.act.base()),
        None => stake_predicate(deciders, act, stretches, change).unwrap_or_else(|| act.act.base()),
    };
    let predicate = format!("{base}{SLOT_MARK}");
    let (head, detail) = verb_phrase(kind, change, &olds, &news, &predicate);
    let mut sentence = format!("{subject} {head}");
    let always = stretches.len() == evaluated.len();
    let scenario_of = |s: &Stretch| scenarios.get(s.scenario);
    let atoms = AtomTable::new(deciders, relevant, scenarios, start);
    let differing: Vec<usize> = stretches.iter().map(|s| s.scenario).collect();
    let overall = atoms.conditions(&differing, evaluated);

    // From when: one part per kind of start, each with the conditions that
    // single it out among the futures where the effect shows.
    let context = MarkContext {
        start,
        times,
        performed_by: performed_acts(deciders),
    };
    let (start_marks_found, start_unlabelled) =
        marks_of(stretches, scenarios, &context, |s: &Stretch| {
            Time::Day(s.start)
        });
    let mut groups: BTreeMap<Mark, Vec<&Stretch>> = BTreeMap::new();
    for (mark, stretch) in start_marks_found {
        groups.entry(mark).or_default().push(stretch);
    }
    let group_conditions = |members: &[&Stretch]| -> Vec<String> {
        let within: Vec<usize> = members.iter().map(|s| s.scenario).collect();
        atoms
            .conditions(&within, &differing)
            .into_iter()
            .filter(|c| !overall.contains(c))
            .collect()
    };
    let base_in = |members: &[&Stretch]| {
        members
            .iter()
            .any(|s| scenario_of(s).is_some_and(|sc| sc.events.is_empty()))
    };
    let event_of = |mark: &Mark| match mark {
        Mark::Time(Bound::Event { name, .. }) => Some(name.clone()),
        _ => None,
    };
    let start_marks: Vec<&Mark> = groups.keys().collect();
    let mut from_parts: Vec<String> = Vec::new();
    let mut start_events: Vec<String> = Vec::new();
    // "from D, even if E never happens (earlier if E happens first)": one
    // date that holds without events, and an event that can only bring it
    // forward (the event itself, unshifted).
    let earlier_event = match start_marks.as_slice() {
        [Mark::Time(Bound::Date(date)), events @ ..]
            if !events.is_empty()
                && events.iter().all(|m| {
                    matches!(m, Mark::Time(Bound::Event { offset, .. }) if offset.is_identity())
                })
                && groups
                    .get(&Mark::Time(Bound::Date(*date)))
                    .is_some_and(|g| base_in(g))
                && events.iter().all(|m| {
                    groups
                        .get(*m)
                        .is_some_and(|g| g.iter().all(|s| s.start < *date))
                }) =>
        {
            let names: Vec<String> = events.iter().filter_map(|m| event_of(m)).collect();
            Some((*date, names))
        }
        _ => None,
    };
    if let Some((date, names)) = &earlier_event {
        let events = join_or(names);
        from_parts.push(format!(
            "from {date}, even if {events} never happens, or earlier if {events} happens first"
        ));
        start_events = names.clone();
    } else {
        for (mark, members) in &groups {
            let conditions = if groups.len() > 1 {
                group_conditions(members)
            } else {
                Vec::new()
            };
            let phrase = match mark {
                Mark::Start if groups.len() == 1 => String::new(),
                Mark::Start => format!("from the start ({start})"),
                Mark::Time(time) => {
                    start_events.extend(event_of(mark));
                    from_words(time)
                }
                Mark::Performed(label) => format!("once {label} is performed"),
                Mark::Never => continue,
            };
            let part = with_conditions(phrase, &conditions);
            if !part.is_empty() {
                from_parts.push(part);
            }
        }
    }
    if start_unlabelled {
        from_parts.push("from days that depend on when the events fall".to_string());
    }
    if !from_parts.is_empty() {
        sentence.push(' ');
        sentence.push_str(&from_parts.join(", or "));
    }

    // Until when.
    let (end_marks, end_unlabelled) = marks_of(stretches, scenarios, &context, |s: &Stretch| s.end);
    let ends: BTreeSet<Mark> = end_marks.into_iter().map(|(mark, _)| mark).collect();
    let mut until_parts: Vec<String> = Vec::new();
    let mut end_events: Vec<String> = Vec::new();
    for end in &ends {
        match end {
            Mark::Time(time) => {
                end_events.extend(event_of(end));
                until_parts.push(until_words(time));
            }
            Mark::Performed(label) => until_parts.push(format!("{label} is performed")),
            Mark::Start | Mark::Never => {}
        }
    }
    if end_unlabelled {
        until_parts.push("days that depend on when the events fall".to_string());
    }
    if !until_parts.is_empty() {
        sentence.push_str(&format!(", until {}", join_or(&until_parts)));
        if ends.contains(&Mark::Never) && !end_events.is_empty() {
            sentence.push_str(" (if ever)");
        }
    }
    // What moved, relative to its event.
    let time_ends: Vec<&Bound> = ends
        .iter()
        .filter_map(|m| match m {
            Mark::Time(time) => Some(time),
            _ => None,
        })
        .collect();
    let moved = match (start_marks.as_slice(), time_ends.as_slice()) {
        ([Mark::Time(from)], [until]) if !start_unlabelled && !end_unlabelled => {
            moved_words(times, from, until, kind, change)
        }
        _ => None,
    };

    // Under which conditions, over every future where it shows.
    let mut conditions = overall;
    // An event that a named event must follow goes without saying.
    let implied = prerequisites(deciders, &start_events);
    // "once L is performed": that it is performed, and the events it
    // needs to be owed at all, go without saying.
    let performed_at_start: BTreeSet<&String> = groups
        .keys()
        .filter_map(|mark| match mark {
            Mark::Performed(label) => Some(label),
            _ => None,
        })
        .collect();
    // Futures that vary one event at a time cannot tell which events the
    // effect needs: with the others never, every one would seem to be.
    let events = if reduced {
        BTreeSet::new()
    } else {
        relevant.events.clone()
    };
    for event in &events {
        if start_events.contains(event) || end_events.contains(event) || implied.contains(event) {
            continue;
        }
        let happens = |index: usize| {
            scenarios
                .get(index)
                .is_some_and(|s| s.events.contains_key(event))
        };
        match decided_by(&differing, evaluated, happens) {
            Some(true) if !performed_at_start.is_empty() => {}
            Some(true) => conditions.push(format!("only if {event} happens")),
            Some(false) => conditions.push(format!("only if {event} never happens")),
            None => {}
        }
    }
    // Likewise whether the obligations whose status the clauses read are
    // performed in the future.
    let keys = if reduced {
        BTreeMap::new()
    } else {
        performance_keys(deciders)
    };
    for (label, key) in keys {
        if performed_at_start.contains(&label) {
            continue;
        }
        let performed = |index: usize| {
            scenarios.get(index).is_some_and(|s| {
                performance_records(s)
                    .iter()
                    .any(|line| record_act(line) == key)
            })
        };
        match decided_by(&differing, evaluated, performed) {
            Some(true) => conditions.push(format!("only if {label} is performed")),
            Some(false) => conditions.push(format!("only if {label} is not performed")),
            None => {}
        }
    }
    if !conditions.is_empty() {
        sentence.push_str(&format!(", {}", conditions.join(", ")));
    }
    let plain = from_parts.len() <= 1 && start_events.is_empty() && end_events.is_empty();
    if always && plain && conditions.is_empty() && !start_unlabelled && !end_unlabelled {
        sentence.push_str(", whatever happens");
    }
    if let Some(moved) = moved {
        sentence.push_str(&format!(": {moved}"));
    }
    sentence.push_str(&detail);
    sentence.push('.');

    // The example: the future with the fewest events, then the fewest
    // records, then one where the
    // effect's first day is one written time alone (no coincidence to
    // puzzle over), then the earliest day.
    let query = crate::fmt::format_query(&act.query(kind == QueryKind::Must));
    let coincides = |s: &Stretch| {
        scenario_of(s).is_none_or(|sc| {
            marks_on(Time::Day(s.start), sc, &context).len() > 1
                || marks_on(s.end, sc, &context).len() > 1
        })
    };
    let chosen = stretches.iter().min_by_key(|s| {
        (
            scenario_of(s).map_or(usize::MAX, |sc| sc.events.len()),
            scenario_of(s).map_or(usize::MAX, |sc| performance_records(sc).len()),
            coincides(s),
            s.start,
            s.scenario,
        )
    });
    let example = match chosen {
        Some(s) => Example {
            query: query.clone(),
            day: s.start,
            events: scenario_of(s)
                .map(|sc| sc.events.clone())
                .unwrap_or_default(),
            facts: scenario_of(s)
                .map(|sc| sc.facts.clone())
                .unwrap_or_default(),
            records: scenario_of(s).map(performance_records).unwrap_or_default(),
            old: s.old_answer,
            new: s.new_answer,
            old_clauses: labels(old, &s.old_deciding),
            new_clauses: labels(new, &s.new_deciding),
        },
        None => Example {
            query: query.clone(),
            day: start,
            events: BTreeMap::new(),
            facts: BTreeMap::new(),
            records: Vec::new(),
            old: "unspecified",
            new: "unspecified",
            old_clauses: Vec::new(),
            new_clauses: Vec::new(),
        },
    };
    Effect {
        party: act.act.party.clone(),
        party_label: subject,
        kind,
        change,
        act: query.clone(),
        acts: vec![query],
        old: olds.into_iter().collect(),
        new: news.into_iter().collect(),
        description: sentence,
        always,
        example,
        slots: act.act.slot_values().map(|v| match v {
            Some(name) => SlotValue::Named(name),
            None => SlotValue::Omitted,
        }),
        family_act: act.clone(),
    }
}

/// Every event that one of `events` must come after, directly or not.
fn prerequisites(deciders: &Deciders<'_>, events: &[String]) -> BTreeSet<String> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = events.to_vec();
    while let Some(event) = queue.pop() {
        for contract in [deciders.old.0, deciders.new.0] {
            for before in contract.prerequisites(&event) {
                if found.insert(before.clone()) {
                    queue.push(before.clone());
                }
            }
        }
    }
    found
}

fn labels(contract: &Contract, ids: &[ClauseId]) -> Vec<String> {
    ids.iter()
        .map(|&id| contract.clause_label(id).to_string())
        .collect()
}

/// For a stake (`holds` whose object is a party), the quantity of the
/// deciding stake clause: "26% of openai".
fn stake_predicate(
    deciders: &Deciders<'_>,
    act: &ComparedAct,
    stretches: &[Stretch],
    change: &str,
) -> Option<String> {
    if act.family != Family::Holds {
        return None;
    }
    let stretch = stretches.first()?;
    let (contract, ids) = if change == "gained" {
        (deciders.new.0, &stretch.new_deciding)
    } else {
        (deciders.old.0, &stretch.old_deciding)
    };
    let quantities: Vec<String> = ids
        .iter()
        .filter_map(|&id| match &contract.clause(id)?.body {
            ClauseBody::Holds { object, .. } => object.quantity.as_ref(),
            _ => None,
        })
        .map(|q| match &q.kind {
            ExprKind::Literal(_) => format_expr(q),
            _ => quantity_phrase(contract, q),
        })
        .collect();
    match quantities.as_slice() {
        [only] => Some(format!("{only} of {}", act.act.base())),
        _ => None,
    }
}
