//! The small set of scenarios `deal diff` compares two versions over, until
//! the project's one scenario enumerator (`analysis`) serves diff too. It
//! is a fallback, built per act from the clauses that can decide it, and
//! covers exactly this:
//!
//! - **Events**: every event those clauses mention (through `let`s too),
//!   and those of the obligations whose status they read (windows and
//!   deadlines), with the events they must come `after`. Each is either never, or on
//!   one of the *placement* dates: as many dates as there are such events,
//!   evenly spread inside each gap between consecutive significant dates
//!   from the comparison start on, and as many again a year apart after the
//!   last. Significant dates are both versions' `effective` dates and every
//!   window start and end of every clause of both versions when no event
//!   happens. Events are placed from the comparison start on (the
//!   comparison is about what happens once the new version applies), no
//!   two on the same day (so a change on an event's date is that event's),
//!   and each after the events it must follow. When every combination
//!   would be more than `MAX_EVENT_COMBINATIONS`, each event is varied
//!   alone (its prerequisites on the days just before), the others never.
//! - **Facts**: every fact those clauses' conditions and times read. A
//!   `bool` fact is false or true. A quantity fact takes, for each gap
//!   around and between the constants it is compared with (and those of the
//!   facts it is compared with), as many values as there are such linked
//!   facts, and each constant itself, so every order of the facts and
//!   constants occurs. A `date` fact takes the placement dates and the
//!   dates it is compared with, a day either side; a `duration` fact its
//!   constants, a day more, and zero. When the product is more than
//!   `MAX_FACT_COMBINATIONS`, each fact is varied alone, the others at
//!   their first value.
//! - Every combination of the two, up to `MAX_FALLBACK_FUTURES`: past it,
//!   facts and then events are varied one at a time, and what is still
//!   too many is cut (the report notes any reduction).
//!
//! What this misses: an event exactly on a significant date, two events on
//! the same day, an event before the comparison start, and an event on a
//! date computed from another (`agi_verified + 1 year`); those orders are
//! only approximated by the placements.

use crate::ast::{BinaryOp, Expr, ExprKind, TimeExpr, TimeKind, UnaryOp};
use crate::decimal::Decimal;
use crate::eval::{ClauseId, Contract, Env, Scenario, Time, Value, window};
use crate::symbols::SymbolKind;
use crate::types::Type;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// Most event combinations enumerated for one act before varying events one at a time.
pub const MAX_EVENT_COMBINATIONS: usize = 300;
/// Most fact combinations enumerated for one act before varying facts one at a time.
pub const MAX_FACT_COMBINATIONS: usize = 60;
/// Most fallback futures for one act: past it, facts and then events are
/// varied one at a time, and the rest is cut.
pub const MAX_FALLBACK_FUTURES: usize = 600;
/// Deepest expression or `let` chain walked.
const MAX_WALK_DEPTH: usize = 256;

/// The clauses that can decide an act, in each version.
pub struct Deciders<'c> {
    pub old: (&'c Contract, Vec<ClauseId>),
    pub new: (&'c Contract, Vec<ClauseId>),
}

/// A condition leaf that reads facts only: a comparison or a `bool` fact.
#[derive(Clone, Debug)]
pub struct Atom {
    /// 0 for the old version, 1 for the new.
    pub version: usize,
    pub expr: Expr,
}

/// What the deciding clauses read.
#[derive(Clone, Debug, Default)]
pub struct Relevant {
    pub events: BTreeSet<String>,
    /// Events the clauses name themselves (not only as prerequisites).
    pub direct_events: BTreeSet<String>,
    /// `let` values the clauses read, directly or through other `let`s.
    pub lets: BTreeSet<String>,
    pub facts: BTreeSet<String>,
    /// Obligations whose status the clauses read (`L is violated`).
    pub statuses: BTreeSet<String>,
    pub atoms: Vec<Atom>,
    /// (fact, constant) and (fact, fact) comparisons, for fact values.
    constants: BTreeMap<String, Vec<Value>>,
    links: BTreeSet<(String, String)>,
}

/// The day from which the two versions are compared: the later `effective`
/// date (the new version replaces the old from its own). With neither, the
/// first of January of the year before the earliest significant date (so
/// that what changes on that date shows), or 2000-01-01 for contracts with
/// no date at all.
pub fn comparison_start(old: &Contract, new: &Contract) -> NaiveDate {
    match (old.effective(), new.effective()) {
        (Some(a), Some(b)) => a.max(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => significant_dates(old, new)
            .into_iter()
            .next()
            .and_then(|first| NaiveDate::from_ymd_opt(first.year() - 1, 1, 1))
            .unwrap_or(FALLBACK_START),
    }
}

const FALLBACK_START: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Effective dates, and window starts and ends of every clause of both
/// versions when no event happens.
pub fn significant_dates(old: &Contract, new: &Contract) -> BTreeSet<NaiveDate> {
    let nothing = Scenario::default();
    let mut dates = BTreeSet::new();
    for contract in [old, new] {
        dates.extend(contract.effective());
        for (id, _, _) in contract.clauses() {
            if let Ok((start, end)) = window(contract, &nothing, id) {
                for time in [start, end] {
                    if let Time::Day(day) = time
                        && day != NaiveDate::MIN
                    {
                        dates.insert(day);
                    }
                }
            }
        }
    }
    dates
}

/// The significant dates from the comparison start on (the start included), sorted.
pub fn anchors(old: &Contract, new: &Contract, start: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = significant_dates(old, new);
    dates.insert(start);
    dates.retain(|&d| d >= start);
    dates.into_iter().collect()
}

/// Where events are placed: `per_gap` dates evenly inside each gap
/// between consecutive anchors, and `per_gap` more a year apart after the
/// last, so that that many events can happen in one gap in any order.
pub fn placements(anchors: &[NaiveDate], per_gap: usize) -> Vec<NaiveDate> {
    let per_gap = per_gap.max(1);
    let mut out = BTreeSet::new();
    for pair in anchors.windows(2) {
        let [a, b] = pair else { continue };
        let gap = (*b - *a).num_days();
        for j in 1..=per_gap {
            let offset = gap.saturating_mul(j as i64) / (per_gap as i64 + 1);
            if let Some(day) = a.checked_add_days(Days::new(offset.max(0) as u64))
                && day > *a
                && day < *b
            {
                out.insert(day);
            }
        }
    }
    if let Some(last) = anchors.last() {
        for j in 1..=per_gap {
            out.extend(last.checked_add_days(Days::new(365 * j as u64)));
        }
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------- what clauses read

/// The events, facts and fact-only condition leaves the deciding clauses read.
pub fn relevant(deciders: &Deciders<'_>) -> Relevant {
    let mut found = Relevant::default();
    for (version, (contract, ids)) in [&deciders.old, &deciders.new].into_iter().enumerate() {
        let mut walker = Walker {
            contract,
            found: &mut found,
            lets_seen: BTreeSet::new(),
        };
        for &id in ids {
            let Some(clause) = contract.clause(id) else {
                continue;
            };
            for qualifier in &clause.qualifiers {
                use crate::ast::QualifierKind as Q;
                match &qualifier.kind {
                    Q::From(t) | Q::Until(t) | Q::Through(t) => walker.time(t, 0),
                    Q::When(e) | Q::Unless(e) => {
                        walker.expr(e, 0);
                        walker.atoms(version, e, 0);
                    }
                    _ => {}
                }
            }
        }
        // The obligations whose status they read: when those open, fall
        // due and are performed decides the status, and so the answers.
        for id in status_obligations(contract, ids) {
            let Some(clause) = contract.clause(id) else {
                continue;
            };
            for qualifier in &clause.qualifiers {
                use crate::ast::QualifierKind as Q;
                match &qualifier.kind {
                    Q::From(t)
                    | Q::Until(t)
                    | Q::Through(t)
                    | Q::By(t)
                    | Q::Within { after: Some(t), .. } => walker.time(t, 0),
                    Q::When(e) | Q::Unless(e) => {
                        walker.expr(e, 0);
                        walker.atoms(version, e, 0);
                    }
                    _ => {}
                }
            }
            if let Some(quantity) = &clause.body.object().quantity {
                walker.expr(quantity, 0);
            }
        }
    }
    found.direct_events = found.events.clone();
    // Prerequisites: an event can only happen after those it follows.
    let mut queue: Vec<String> = found.events.iter().cloned().collect();
    let mut guard = 0usize;
    while let Some(event) = queue.pop() {
        guard += 1;
        if guard > 10_000 {
            break;
        }
        for contract in [deciders.old.0, deciders.new.0] {
            for before in contract.prerequisites(&event) {
                if found.events.insert(before.clone()) {
                    queue.push(before.clone());
                }
            }
        }
    }
    found
}

/// Most obligations followed through status conditions for one act.
const MAX_STATUS_OBLIGATIONS: usize = 256;

/// The obligations whose status the clauses `ids` read (`L is violated`),
/// and those whose status those read in turn, in the order first read.
pub fn status_obligations(contract: &Contract, ids: &[ClauseId]) -> Vec<ClauseId> {
    let mut found: Vec<ClauseId> = Vec::new();
    let mut queue: Vec<ClauseId> = ids.to_vec();
    let mut next = 0;
    while let Some(&id) = queue.get(next) {
        next += 1;
        let Some(clause) = contract.clause(id) else {
            continue;
        };
        for qualifier in &clause.qualifiers {
            let (crate::ast::QualifierKind::When(condition)
            | crate::ast::QualifierKind::Unless(condition)) = &qualifier.kind
            else {
                continue;
            };
            for label in crate::ast::status_labels(condition) {
                if let Some(read) = contract.clause_by_label(&label.text)
                    && !found.contains(&read)
                    && found.len() < MAX_STATUS_OBLIGATIONS
                {
                    found.push(read);
                    queue.push(read);
                }
            }
        }
    }
    found
}

struct Walker<'a> {
    contract: &'a Contract,
    found: &'a mut Relevant,
    lets_seen: BTreeSet<String>,
}

impl Walker<'_> {
    fn name(&mut self, name: &str, depth: usize) {
        match self.contract.symbols.kind(name) {
            Some(SymbolKind::Event) => {
                self.found.events.insert(name.to_string());
            }
            Some(SymbolKind::Fact) => {
                self.found.facts.insert(name.to_string());
            }
            Some(SymbolKind::Let) => {
                self.found.lets.insert(name.to_string());
                if self.lets_seen.insert(name.to_string())
                    && let Some(decl) = self.contract.let_decl(name)
                {
                    let value = decl.value.clone();
                    self.expr(&value, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn time(&mut self, time: &TimeExpr, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match &time.kind {
            TimeKind::Date(_) => {}
            TimeKind::Name(name) => self.name(&name.text, depth),
            TimeKind::Shift { base, .. } => self.time(base, depth + 1),
            TimeKind::Paren(inner) => self.time(inner, depth + 1),
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                self.time(a, depth + 1);
                self.time(b, depth + 1);
            }
        }
    }

    fn expr(&mut self, expr: &Expr, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match &expr.kind {
            ExprKind::Literal(_) => {}
            ExprKind::Name(name) => self.name(&name.text, depth),
            ExprKind::Paren(inner) | ExprKind::Unary { operand: inner, .. } => {
                self.expr(inner, depth + 1)
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs, depth + 1);
                self.expr(rhs, depth + 1);
            }
            ExprKind::Extremum { args, .. } => {
                for arg in args {
                    self.expr(arg, depth + 1);
                }
            }
            ExprKind::EventBy { event, .. } => self.name(&event.text, depth),
            ExprKind::StatusIs { label, .. } => {
                self.found.statuses.insert(label.text.clone());
            }
        }
    }

    /// Leaves of `and`/`or`/`not` that read facts and no event; and the
    /// constants each fact is compared with.
    fn atoms(&mut self, version: usize, expr: &Expr, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        match &expr.kind {
            ExprKind::Paren(inner)
            | ExprKind::Unary {
                op: UnaryOp::Not,
                operand: inner,
            } => self.atoms(version, inner, depth + 1),
            ExprKind::Binary {
                op: BinaryOp::And | BinaryOp::Or,
                lhs,
                rhs,
            } => {
                self.atoms(version, lhs, depth + 1);
                self.atoms(version, rhs, depth + 1);
            }
            ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                let (a, b) = (self.fact_of(lhs), self.fact_of(rhs));
                match (a, b) {
                    (Some(a), Some(b)) => {
                        self.found.links.insert((a, b));
                    }
                    (Some(fact), None) => self.constant(&fact, rhs),
                    (None, Some(fact)) => self.constant(&fact, lhs),
                    (None, None) => {}
                }
                self.found.atoms.push(Atom {
                    version,
                    expr: expr.clone(),
                });
            }
            ExprKind::Name(name)
                if self.contract.symbols.kind(&name.text) == Some(SymbolKind::Fact) =>
            {
                self.found.atoms.push(Atom {
                    version,
                    expr: expr.clone(),
                });
            }
            _ => {}
        }
    }

    fn fact_of(&self, expr: &Expr) -> Option<String> {
        let mut current = expr;
        for _ in 0..MAX_WALK_DEPTH {
            match &current.kind {
                ExprKind::Paren(inner) => current = inner,
                ExprKind::Name(name)
                    if self.contract.symbols.kind(&name.text) == Some(SymbolKind::Fact) =>
                {
                    return Some(name.text.clone());
                }
                _ => return None,
            }
        }
        None
    }

    fn constant(&mut self, fact: &str, expr: &Expr) {
        let nothing = Scenario::default();
        let day = self.contract.effective().unwrap_or(NaiveDate::MIN);
        if let Ok(value) = Env::new(self.contract, &nothing, day).eval(expr) {
            self.found
                .constants
                .entry(fact.to_string())
                .or_default()
                .push(value);
        }
    }
}

// ---------------------------------------------------------------- values

/// The facts linked to `fact` by comparisons (itself included).
fn linked_class(relevant: &Relevant, fact: &str) -> BTreeSet<String> {
    let mut class = BTreeSet::from([fact.to_string()]);
    loop {
        let before = class.len();
        for (a, b) in &relevant.links {
            if class.contains(a) || class.contains(b) {
                class.insert(a.clone());
                class.insert(b.clone());
            }
        }
        if class.len() == before {
            return class;
        }
    }
}

fn fact_type(old: &Contract, new: &Contract, fact: &str) -> Option<Type> {
    new.fact_type(fact).or_else(|| old.fact_type(fact))
}

/// The values tried for one fact (see the module documentation).
fn fact_values(
    old: &Contract,
    new: &Contract,
    relevant: &Relevant,
    fact: &str,
    placements: &[NaiveDate],
) -> Vec<Value> {
    let Some(ty) = fact_type(old, new, fact) else {
        return Vec::new();
    };
    let class = linked_class(relevant, fact);
    let constants: Vec<Value> = class
        .iter()
        .flat_map(|f| relevant.constants.get(f).into_iter().flatten())
        .filter(|v| v.ty() == ty)
        .cloned()
        .collect();
    match &ty {
        Type::Bool => vec![Value::Bool(false), Value::Bool(true)],
        Type::Money | Type::Percent | Type::Number | Type::Unit(_) => {
            let mut amounts: Vec<Decimal> = constants
                .iter()
                .filter_map(|v| v.amount().cloned())
                .collect();
            amounts.sort();
            amounts.dedup();
            spread(&amounts, class.len())
                .into_iter()
                .filter_map(|a| Value::of_type(&ty, a))
                .collect()
        }
        Type::Date => {
            let mut days: BTreeSet<NaiveDate> = placements.iter().copied().collect();
            for value in &constants {
                if let Value::Date(day) = value {
                    days.insert(*day);
                    days.extend(day.pred_opt());
                    days.extend(day.succ_opt());
                }
            }
            days.into_iter().map(Value::Date).collect()
        }
        Type::Duration => {
            let mut pairs: BTreeSet<(i64, i64)> = BTreeSet::from([(0, 0)]);
            for value in &constants {
                if let Value::Duration { months, days } = value {
                    pairs.insert((*months, *days));
                    pairs.insert((*months, days.saturating_add(1)));
                }
            }
            pairs
                .into_iter()
                .map(|(months, days)| Value::Duration { months, days })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Each constant, and `per_gap` values in each gap below, between and
/// above them. Below a positive constant the values are fractions of it
/// and above it multiples (`$50B`, `$200B` around `$100B`), which read
/// better in examples than `$99999999999`; otherwise steps of one.
fn spread(constants: &[Decimal], per_gap: usize) -> Vec<Decimal> {
    let per_gap = per_gap.max(1);
    let whole = |n: usize| Decimal::from(i64::try_from(n).unwrap_or(i64::MAX));
    let Some((first, last)) = constants.first().zip(constants.last()) else {
        return (1..=per_gap).map(whole).collect();
    };
    let positive = |d: &Decimal| !d.is_negative() && !d.is_zero();
    let mut out = Vec::new();
    for k in 1..=per_gap {
        let below = if positive(first) {
            first
                .mul(&whole(k))
                .and_then(|x| x.div(&whole(per_gap + 1)))
        } else {
            first.sub(&whole(per_gap + 1 - k))
        };
        out.extend(below.ok());
    }
    for (i, c) in constants.iter().enumerate() {
        out.push(c.clone());
        if let Some(next) = constants.get(i + 1) {
            let parts = whole(per_gap + 1);
            for k in 1..=per_gap {
                let step = next
                    .sub(c)
                    .and_then(|gap| gap.mul(&whole(k)))
                    .and_then(|scaled| scaled.div(&parts))
                    .and_then(|offset| c.add(&offset));
                out.extend(step.ok());
            }
        }
    }
    for k in 1..=per_gap {
        let above = if positive(last) {
            last.mul(&whole(k + 1))
        } else {
            last.add(&whole(k))
        };
        out.extend(above.ok());
    }
    out
}

// ---------------------------------------------------------------- scenarios

/// The scenarios for one act, and whether the set had to be reduced.
pub struct Futures {
    pub scenarios: Vec<Scenario>,
    pub reduced: bool,
}

/// Events in an order where each comes after those it must follow.
fn event_order(
    old: &Contract,
    new: &Contract,
    events: &BTreeSet<String>,
) -> Vec<(String, Vec<String>)> {
    let prerequisites = |event: &str| -> Vec<String> {
        let mut list: BTreeSet<String> = BTreeSet::new();
        for contract in [old, new] {
            list.extend(
                contract
                    .prerequisites(event)
                    .iter()
                    .filter(|a| events.contains(*a))
                    .cloned(),
            );
        }
        list.into_iter().collect()
    };
    let mut order: Vec<(String, Vec<String>)> = Vec::new();
    let mut pending: Vec<(String, Vec<String>)> = events
        .iter()
        .map(|e| (e.clone(), prerequisites(e)))
        .collect();
    while !pending.is_empty() {
        let ready = pending
            .iter()
            .position(|(_, before)| before.iter().all(|b| order.iter().any(|(o, _)| o == b)));
        // A cycle (the checker reports it) is broken in name order.
        let index = ready.unwrap_or(0);
        order.push(pending.remove(index));
    }
    order
}

fn event_combinations(
    order: &[(String, Vec<String>)],
    placements: &[NaiveDate],
) -> Option<Vec<BTreeMap<String, NaiveDate>>> {
    let mut partial: Vec<BTreeMap<String, NaiveDate>> = vec![BTreeMap::new()];
    for (event, before) in order {
        let mut next = Vec::new();
        for assignment in &partial {
            next.push(assignment.clone());
            let earliest = before.iter().map(|b| assignment.get(b).copied());
            let mut floor = None;
            let mut possible = true;
            for day in earliest {
                match day {
                    Some(day) => floor = floor.max(Some(day)),
                    None => possible = false,
                }
            }
            if !possible {
                continue;
            }
            let taken: BTreeSet<NaiveDate> = assignment.values().copied().collect();
            for &day in placements
                .iter()
                .filter(|&&d| floor.is_none_or(|f| d > f) && !taken.contains(&d))
            {
                let mut with = assignment.clone();
                with.insert(event.clone(), day);
                next.push(with);
            }
            if next.len() > MAX_EVENT_COMBINATIONS {
                return None;
            }
        }
        partial = next;
    }
    Some(partial)
}

/// Each event alone at each placement, with what it must follow on the days just before.
fn events_one_at_a_time(
    order: &[(String, Vec<String>)],
    placements: &[NaiveDate],
) -> Vec<BTreeMap<String, NaiveDate>> {
    let mut out = vec![BTreeMap::new()];
    for (event, _) in order {
        let mut chain = BTreeSet::from([event.clone()]);
        loop {
            let before = chain.len();
            for (e, prerequisites) in order {
                if chain.contains(e) {
                    chain.extend(prerequisites.iter().cloned());
                }
            }
            if chain.len() == before {
                break;
            }
        }
        // In `after` order, so each prerequisite lands before what follows it.
        let ordered: Vec<&String> = order
            .iter()
            .map(|(e, _)| e)
            .filter(|e| chain.contains(*e))
            .collect();
        for &day in placements {
            let last = ordered.len().saturating_sub(1);
            let dates: Option<BTreeMap<String, NaiveDate>> = ordered
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    day.checked_sub_days(Days::new((last - i) as u64))
                        .map(|d| ((*e).clone(), d))
                })
                .collect();
            out.extend(dates);
        }
    }
    out
}

fn fact_combinations(values: &[(String, Vec<Value>)]) -> (Vec<BTreeMap<String, Value>>, bool) {
    let total = values
        .iter()
        .try_fold(1usize, |acc, (_, v)| acc.checked_mul(v.len().max(1)));
    if total.is_some_and(|t| t <= MAX_FACT_COMBINATIONS) {
        let mut partial: Vec<BTreeMap<String, Value>> = vec![BTreeMap::new()];
        for (fact, options) in values {
            if options.is_empty() {
                continue;
            }
            partial = partial
                .iter()
                .flat_map(|assignment| {
                    options.iter().map(move |value| {
                        let mut with = assignment.clone();
                        with.insert(fact.clone(), value.clone());
                        with
                    })
                })
                .collect();
        }
        return (partial, false);
    }
    (one_fact_at_a_time(values), true)
}

/// Every fact at its first value, and each fact alone at each other value.
fn one_fact_at_a_time(values: &[(String, Vec<Value>)]) -> Vec<BTreeMap<String, Value>> {
    let base: BTreeMap<String, Value> = values
        .iter()
        .filter_map(|(f, v)| v.first().map(|first| (f.clone(), first.clone())))
        .collect();
    let mut out = vec![base.clone()];
    for (fact, options) in values {
        for value in options.iter().skip(1) {
            let mut with = base.clone();
            with.insert(fact.clone(), value.clone());
            out.push(with);
        }
    }
    out
}

/// The scenarios an act is compared over (see the module documentation).
pub fn futures(
    old: &Contract,
    new: &Contract,
    relevant: &Relevant,
    anchors: &[NaiveDate],
) -> Futures {
    let placements = &placements(anchors, relevant.events.len());
    let order = event_order(old, new, &relevant.events);
    let (events, events_reduced) = match event_combinations(&order, placements) {
        Some(all) => (all, false),
        None => (events_one_at_a_time(&order, placements), true),
    };
    let values: Vec<(String, Vec<Value>)> = relevant
        .facts
        .iter()
        .map(|f| (f.clone(), fact_values(old, new, relevant, f, placements)))
        .collect();
    let (mut facts, mut facts_reduced) = fact_combinations(&values);
    let (mut events, mut events_reduced) = (events, events_reduced);
    // Events and facts vary together only while the product stays small.
    if events.len().saturating_mul(facts.len()) > MAX_FALLBACK_FUTURES && !facts_reduced {
        facts = one_fact_at_a_time(&values);
        facts_reduced = true;
    }
    if events.len().saturating_mul(facts.len()) > MAX_FALLBACK_FUTURES && !events_reduced {
        events = events_one_at_a_time(&order, placements);
        events_reduced = true;
    }
    let mut scenarios = Vec::with_capacity(events.len().saturating_mul(facts.len()));
    'all: for event_dates in &events {
        for fact_values in &facts {
            if scenarios.len() >= MAX_FALLBACK_FUTURES {
                events_reduced = true;
                break 'all;
            }
            scenarios.push(Scenario {
                events: event_dates.clone(),
                facts: fact_values.clone(),
                ..Scenario::default()
            });
        }
    }
    Futures {
        scenarios,
        reduced: events_reduced || facts_reduced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn spread_covers_every_order() {
        assert_eq!(spread(&[], 2), vec![d(1), d(2)]);
        assert_eq!(spread(&[d(10)], 1), vec![d(5), d(10), d(20)]);
        assert_eq!(spread(&[d(-3)], 1), vec![d(-4), d(-3), d(-2)]);
        let two = spread(&[d(10), d(20)], 2);
        assert_eq!(two.len(), 2 + 2 + 2 + 2);
        assert!(two.windows(2).all(|w| w[0] < w[1]), "{two:?}");
    }
}
