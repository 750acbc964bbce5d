//! The effect half of `deal diff`: for each party, the rights, permissions
//! and obligations gained or lost, found by asking the query engine the
//! same question of both versions over the same futures.
//!
//! For each act (see `acts`) and each of its futures (see `futures`), both
//! versions answer on every day where an answer can change: the comparison
//! start, each window start and end of a deciding clause of either
//! version, and each event date. Between those days answers are constant,
//! so the answer timelines are exact for that future. Where the answers
//! differ, the difference is recorded per (old answer, new answer) with
//! the first stretch of days it lasts in each future, and then described
//! in words: from when (a fixed date, or an event), until when, under
//! which fact conditions, and whether it happens even if no event does.

use super::acts::{Act, Family, candidates};
use super::futures::{Deciders, Relevant, anchors, comparison_start, futures, relevant};
use super::joint::{NotJoint, joint_scenarios};
use crate::ast::{ClauseBody, ExprKind};
use crate::eval::{
    Answer, ClauseId, Contract, Env, Outcome, Scenario, Time, Value, answer, window,
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
}

impl QueryKind {
    pub fn word(self) -> &'static str {
        match self {
            QueryKind::May => "may",
            QueryKind::Must => "must",
            QueryKind::Holds => "holds",
        }
    }
}

/// One future where an effect shows, for the report's `example`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The first day of the difference in this future.
    pub day: NaiveDate,
    /// Events that happen, with their dates (the others never happen).
    pub events: BTreeMap<String, NaiveDate>,
    pub facts: BTreeMap<String, Value>,
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
    pub family_act: Act,
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
                    && other.family_act.action == effect.family_act.action
                    && other.family_act.object == effect.family_act.object
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
        0 => act.on = None,
        1 => act.to = None,
        _ => act.with = None,
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

/// The days where any answer about the act can change in this future.
fn change_days(deciders: &Deciders<'_>, scenario: &Scenario, start: NaiveDate) -> Vec<NaiveDate> {
    let mut days = BTreeSet::from([start]);
    for (contract, ids) in [&deciders.old, &deciders.new] {
        for &id in ids {
            if let Ok((from, until)) = window(contract, scenario, id) {
                for time in [from, until] {
                    if let Time::Day(day) = time
                        && day > start
                    {
                        days.insert(day);
                    }
                }
            }
        }
    }
    days.extend(scenario.events.values().copied().filter(|&d| d > start));
    days.into_iter().collect()
}

/// Both versions' answers to `query` on `day`.
fn both(
    deciders: &Deciders<'_>,
    scenario: &Scenario,
    query: &crate::ast::Query,
    day: NaiveDate,
) -> Result<(Answer, Answer), ()> {
    let old = answer(deciders.old.0, scenario, query, day).map_err(|_| ())?;
    let new = answer(deciders.new.0, scenario, query, day).map_err(|_| ())?;
    Ok((old, new))
}

/// Most answers asked over all acts: past it, the remaining acts are not
/// compared, and a note names them.
pub const MAX_EVALUATIONS: usize = 1_000_000;

/// A scenario's events and facts as text, for telling scenarios apart.
fn scenario_key(scenario: &Scenario) -> String {
    let mut key = String::new();
    for (name, day) in &scenario.events {
        key.push_str(&format!("{name}={day};"));
    }
    key.push('|');
    for (name, value) in &scenario.facts {
        key.push_str(&format!("{name}={};", value.json_value()));
    }
    key
}

/// Whether an act's deciding clauses are the same in both versions, and
/// read the same values: then every answer is the same and there is
/// nothing to compare. Clauses compare by their text (label and exceptions
/// included) and their resolved sets (groups expanded); what they read by
/// the `let` values, the events' `after` lists and the facts' types and
/// defaults.
fn same_deciders(deciders: &Deciders<'_>, relevant: &Relevant) -> bool {
    let prints = |(contract, ids): &(&Contract, Vec<ClauseId>)| -> Vec<String> {
        let mut out: Vec<String> = ids
            .iter()
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
    let (acts, mut notes) = super::acts::acts(old, new);
    let start = comparison_start(old, new);
    let anchors = anchors(old, new, start);
    let anchor_set: BTreeSet<NaiveDate> = anchors.iter().copied().collect();
    let mut not_joint = Vec::new();
    let mut over_budget: Vec<String> = Vec::new();
    let mut evaluations = 0usize;
    let mut result = Effects {
        start: Some(start),
        acts: acts.len(),
        ..Effects::default()
    };
    let mut reduced = Vec::new();
    let mut failed = Vec::new();
    for act in &acts {
        let deciders = Deciders {
            old: (old, candidates(old, act).iter().map(|i| i.id).collect()),
            new: (new, candidates(new, act).iter().map(|i| i.id).collect()),
        };
        let relevant = relevant(&deciders);
        if same_deciders(&deciders, &relevant) {
            // The same clauses reading the same values answer the same way.
            result.acts = result.acts.saturating_sub(1);
            continue;
        }
        if evaluations >= MAX_EVALUATIONS {
            over_budget.push(act.predicate());
            continue;
        }
        let mut futures = futures(old, new, &relevant, &anchors);
        if futures.reduced {
            reduced.push(act.predicate());
        }
        // The enumerator's futures make the comparison exact; the fallback's
        // keep events off the clauses' own dates, which the wording needs.
        match joint_scenarios(&deciders, &relevant, start) {
            Ok(joint) => {
                let mut seen: BTreeSet<String> =
                    futures.scenarios.iter().map(scenario_key).collect();
                for scenario in joint {
                    if seen.insert(scenario_key(&scenario)) {
                        futures.scenarios.push(scenario);
                    }
                }
            }
            Err(NotJoint(why)) => not_joint.push(format!("{} ({why})", act.predicate())),
        }
        let primary = act.query(false);
        let must = act.has_must.then(|| act.query(true));
        let mut stretches: BTreeMap<Key, Vec<Stretch>> = BTreeMap::new();
        let mut evaluated: Vec<usize> = Vec::new();
        let mut failures = 0usize;
        for (index, scenario) in futures.scenarios.iter().enumerate() {
            match compare_one(
                &deciders,
                scenario,
                start,
                &primary,
                must.as_ref(),
                act,
                index,
            ) {
                Ok((found, asked)) => {
                    evaluations = evaluations.saturating_add(asked);
                    evaluated.push(index);
                    for (key, stretch) in found {
                        stretches.entry(key).or_default().push(stretch);
                    }
                }
                Err(()) => failures += 1,
            }
        }
        result.futures += evaluated.len();
        if failures > 0 {
            failed.push(format!("{} ({failures} futures)", act.predicate()));
        }
        for (key, list) in stretches {
            result.effects.push(describe(
                &deciders,
                act,
                key,
                &list,
                &futures.scenarios,
                &evaluated,
                &relevant,
                start,
                &anchor_set,
            ));
        }
    }
    if !reduced.is_empty() {
        notes.push(format!(
            "too many futures to try every combination for {}: events or facts were varied one at a time",
            reduced.join(", ")
        ));
    }
    if !over_budget.is_empty() {
        notes.push(format!(
            "not compared (more than {MAX_EVALUATIONS} answers were asked before them): {}",
            over_budget.join(", ")
        ));
    }
    if !not_joint.is_empty() {
        notes.push(format!(
            "compared over the fallback futures only: {}",
            not_joint.join(", ")
        ));
    }
    if !failed.is_empty() {
        notes.push(format!(
            "some futures could not be evaluated (an evaluation error) and were skipped for {}",
            failed.join(", ")
        ));
    }
    result.notes = notes;
    result.effects = merge_slots(std::mem::take(&mut result.effects));
    let party_rank = party_order(old, new);
    result.effects.sort_by(|a, b| {
        party_rank(&a.party)
            .cmp(&party_rank(&b.party))
            .then_with(|| a.family_act.object.cmp(&b.family_act.object))
            .then_with(|| a.family_act.action.cmp(&b.family_act.action))
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
fn compare_one(
    deciders: &Deciders<'_>,
    scenario: &Scenario,
    start: NaiveDate,
    primary: &crate::ast::Query,
    must: Option<&crate::ast::Query>,
    act: &Act,
    index: usize,
) -> Result<(Vec<(Key, Stretch)>, usize), ()> {
    let days = change_days(deciders, scenario, start);
    let asked = days.len() * if must.is_some() { 4 } else { 2 };
    let primary_kind = match act.family {
        Family::Holds => QueryKind::Holds,
        Family::Act => QueryKind::May,
    };
    // At each day: the differing pair, if any (a changed obligation explains
    // a changed permission, so it is reported instead).
    let mut points: Vec<(NaiveDate, Option<Point>)> = Vec::new();
    for &day in &days {
        let mut found = None;
        if let Some(must) = must {
            let (old, new) = both(deciders, scenario, must, day)?;
            found = Point::of(QueryKind::Must, &old, &new);
        }
        if found.is_none() {
            let (old, new) = both(deciders, scenario, primary, day)?;
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

/// Where a stretch starts or ends.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    /// The comparison start.
    Start,
    Date(NaiveDate),
    /// The event that happens that day in that future.
    Event(String),
    Never,
}

/// What a stretch's start or end is attributed to: a day that is both a
/// constant date of the clauses and an event's date cannot say which
/// caused the change, so it is None and does not shape the wording (the
/// enumerator places events on such days; the fallback never does).
fn mark(
    time: Time,
    scenario: &Scenario,
    context: &MarkContext<'_>,
    events_count: bool,
) -> Option<Mark> {
    let day = match time {
        Time::Never => return Some(Mark::Never),
        Time::Day(day) => day,
    };
    let on_day = |direct: bool| -> Vec<&str> {
        scenario
            .events
            .iter()
            .filter(|(name, date)| {
                **date == day
                    && (!direct || context.relevant.direct_events.contains(*name))
                    && context.relevant.events.contains(*name)
            })
            .map(|(name, _)| name.as_str())
            .collect()
    };
    let mut events = on_day(true);
    if events.is_empty() {
        events = on_day(false);
    }
    if events_count && !events.is_empty() {
        if context.anchors.contains(&day) {
            return None;
        }
        return Some(Mark::Event(events.join(" and ")));
    }
    if day == context.start {
        Some(Mark::Start)
    } else {
        Some(Mark::Date(day))
    }
}

/// What `mark` needs besides the stretch.
struct MarkContext<'a> {
    start: NaiveDate,
    anchors: &'a BTreeSet<NaiveDate>,
    relevant: &'a Relevant,
}

/// Each stretch's mark (start or end); when every one is ambiguous, the
/// events are ignored and the days speak for themselves.
fn marks_of<'s>(
    stretches: &'s [Stretch],
    scenarios: &[Scenario],
    context: &MarkContext<'_>,
    at: impl Fn(&Stretch) -> Time,
) -> Vec<(Mark, &'s Stretch)> {
    let with_events: Vec<(Mark, &Stretch)> = stretches
        .iter()
        .filter_map(|s| Some((mark(at(s), scenarios.get(s.scenario)?, context, true)?, s)))
        .collect();
    if !with_events.is_empty() || stretches.is_empty() {
        return with_events;
    }
    stretches
        .iter()
        .filter_map(|s| Some((mark(at(s), scenarios.get(s.scenario)?, context, false)?, s)))
        .collect()
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
    act: &Act,
    (kind, change): Key,
    stretches: &[Stretch],
    scenarios: &[Scenario],
    evaluated: &[usize],
    relevant: &Relevant,
    start: NaiveDate,
    anchors: &BTreeSet<NaiveDate>,
) -> Effect {
    let (old, new) = (deciders.old.0, deciders.new.0);
    let subject = {
        let declarer = if new.symbols.get(&act.party).is_some() {
            new
        } else {
            old
        };
        capitalised(&name_phrase(declarer, &act.party))
    };
    let olds: BTreeSet<&'static str> = stretches
        .iter()
        .flat_map(|s| s.olds.iter().copied())
        .collect();
    let news: BTreeSet<&'static str> = stretches
        .iter()
        .flat_map(|s| s.news.iter().copied())
        .collect();
    let base = stake_predicate(deciders, act, stretches, change).unwrap_or_else(|| act.base());
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
        anchors,
        relevant,
    };
    let mut groups: BTreeMap<Mark, Vec<&Stretch>> = BTreeMap::new();
    for (mark, stretch) in marks_of(stretches, scenarios, &context, |s: &Stretch| {
        Time::Day(s.start)
    }) {
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
    let start_marks: Vec<&Mark> = groups.keys().collect();
    let mut from_parts: Vec<String> = Vec::new();
    let mut start_events: Vec<String> = Vec::new();
    // "from D, even if E never happens (earlier if E happens first)": one
    // date that holds without events, and an event that can only bring it forward.
    let earlier_event = match start_marks.as_slice() {
        [Mark::Date(date), events @ ..]
            if !events.is_empty()
                && events.iter().all(|m| matches!(m, Mark::Event(_)))
                && groups.get(&Mark::Date(*date)).is_some_and(|g| base_in(g))
                && events.iter().all(|m| {
                    groups
                        .get(*m)
                        .is_some_and(|g| g.iter().all(|s| s.start < *date))
                }) =>
        {
            let names: Vec<String> = events
                .iter()
                .filter_map(|m| match m {
                    Mark::Event(e) => Some(e.clone()),
                    _ => None,
                })
                .collect();
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
                Mark::Date(day) => format!("from {day}"),
                Mark::Event(event) => {
                    start_events.push(event.clone());
                    format!("once {event} happens")
                }
                Mark::Never => continue,
            };
            let part = with_conditions(phrase, &conditions);
            if !part.is_empty() {
                from_parts.push(part);
            }
        }
    }
    if !from_parts.is_empty() {
        sentence.push(' ');
        sentence.push_str(&from_parts.join(", or "));
    }

    // Until when.
    let ends: BTreeSet<Mark> = marks_of(stretches, scenarios, &context, |s: &Stretch| s.end)
        .into_iter()
        .map(|(mark, _)| mark)
        .collect();
    let mut until_parts: Vec<String> = Vec::new();
    let mut end_events: Vec<String> = Vec::new();
    for end in &ends {
        match end {
            Mark::Date(d) => until_parts.push(d.to_string()),
            Mark::Event(e) => {
                end_events.push(e.clone());
                until_parts.push(format!("{e} happens"));
            }
            Mark::Start | Mark::Never => {}
        }
    }
    if !until_parts.is_empty() {
        sentence.push_str(&format!(", until {}", join_or(&until_parts)));
        if ends.contains(&Mark::Never) && !end_events.is_empty() {
            sentence.push_str(" (if ever)");
        }
    }

    // Under which conditions, over every future where it shows.
    let mut conditions = overall;
    // An event that a named event must follow goes without saying.
    let implied = prerequisites(deciders, &start_events);
    for event in &relevant.events {
        if start_events.contains(event) || end_events.contains(event) || implied.contains(event) {
            continue;
        }
        let happens = |index: usize| {
            scenarios
                .get(index)
                .is_some_and(|s| s.events.contains_key(event))
        };
        let inside: BTreeSet<bool> = differing.iter().map(|&i| happens(i)).collect();
        let outside: BTreeSet<bool> = evaluated.iter().map(|&i| happens(i)).collect();
        if inside.len() == 1 && outside.len() > 1 {
            if inside.contains(&true) {
                conditions.push(format!("only if {event} happens"));
            } else {
                conditions.push(format!("only if {event} never happens"));
            }
        }
    }
    if !conditions.is_empty() {
        sentence.push_str(&format!(", {}", conditions.join(", ")));
    }
    let plain = from_parts.len() <= 1 && start_events.is_empty() && end_events.is_empty();
    if always && plain && conditions.is_empty() {
        sentence.push_str(", whatever happens");
    }
    sentence.push_str(&detail);
    sentence.push('.');

    // The example: the future with the fewest events, then the earliest day.
    // Events on the clauses' own dates make an example hard to read.
    let on_anchor = |s: &Stretch| {
        scenario_of(s).is_none_or(|sc| sc.events.values().any(|d| anchors.contains(d)))
    };
    let chosen = stretches.iter().min_by_key(|s| {
        (
            scenario_of(s).map_or(usize::MAX, |sc| sc.events.len()),
            on_anchor(s),
            s.start,
            s.scenario,
        )
    });
    let example = match chosen {
        Some(s) => Example {
            day: s.start,
            events: scenario_of(s)
                .map(|sc| sc.events.clone())
                .unwrap_or_default(),
            facts: scenario_of(s)
                .map(|sc| sc.facts.clone())
                .unwrap_or_default(),
            old: s.old_answer,
            new: s.new_answer,
            old_clauses: labels(old, &s.old_deciding),
            new_clauses: labels(new, &s.new_deciding),
        },
        None => Example {
            day: start,
            events: BTreeMap::new(),
            facts: BTreeMap::new(),
            old: "unspecified",
            new: "unspecified",
            old_clauses: Vec::new(),
            new_clauses: Vec::new(),
        },
    };
    let query = crate::fmt::format_query(&act.query(kind == QueryKind::Must));
    Effect {
        party: act.party.clone(),
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
        slots: act.slot_values().map(|v| match v {
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
    act: &Act,
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
        [only] => Some(format!("{only} of {}", act.base())),
        _ => None,
    }
}
