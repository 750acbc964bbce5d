//! What `deal diff` compares an act over: the clauses that can decide it
//! in each version (`Deciders`), what they read (`relevant`: events,
//! facts, `let`s, statuses and fact-only condition leaves, and those of
//! the obligations whose status they read), and the range
//! of days: the comparison start and the significant dates. The futures
//! themselves come from the project's one enumerator (`analysis`), through
//! `diff::joint`.

use crate::ast::{BinaryOp, Expr, ExprKind, TimeExpr, TimeKind, UnaryOp};
use crate::eval::{ClauseId, Contract, Scenario, Time, window};
use crate::symbols::SymbolKind;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

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

/// The last day the futures over the range reach: two years after the
/// last significant date, so that events after it fall in every order
/// among each other, and examples stay near the dates the contract names.
pub fn range_end(anchors: &[NaiveDate]) -> NaiveDate {
    let last = anchors.last().copied().unwrap_or(FALLBACK_START);
    last.checked_add_months(chrono::Months::new(24))
        .unwrap_or(NaiveDate::MAX)
        .min(LAST_WRITABLE_DAY)
}

/// The last day a date literal can name.
const LAST_WRITABLE_DAY: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MAX,
};

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
                if let Some(time) = qualifier.kind.time() {
                    walker.time(time, 0);
                } else if let Q::When(e) | Q::Unless(e) = &qualifier.kind {
                    walker.expr(e, 0);
                    walker.atoms(version, e, 0);
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

    /// Leaves of `and`/`or`/`not` that read facts and no event.
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
            ExprKind::Binary { op, .. } if op.is_comparison() => {
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
}
