//! What a set of clauses can observe about a world: the atoms of spec
//! sections 4 and 5.
//!
//! On day `d`, whether a clause is in force is a boolean formula over
//! - `[p <= d]` for constant dates `p` (`effective`, dates and `let` dates
//!   in `from`/`until`, `through D` as `D + 1 day`, shifted by durations);
//! - `[e + σ <= d]` for an event `e` shifted by an offset `σ` (a `from` or
//!   `until` time, or an event standing in a condition, where σ is nothing);
//! - fact comparisons in `when`/`unless`: a fact against a constant or
//!   another fact, or a bool fact alone.
//!
//! `A or B` is the earlier time, so `[min(a, b) <= d]` is `[a <= d] or
//! [b <= d]`; `A and B` is the later, an `and`; shifting is monotone, so a
//! shift distributes over both. The collector walks the time and condition
//! trees and records every atom; nothing else about a clause depends on
//! the scenario or the day.

use crate::ast::{BinaryOp, Expr, ExprKind, QualifierKind, TimeExpr, TimeKind, UnaryOp};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::expr::{Env, FactReads};
use crate::eval::{Contract, Scenario, Value};
use crate::limits::MAX_EXPRESSION_DEPTH;
use crate::source::Span;
use crate::symbols::SymbolKind;
use crate::types::Type;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use super::offset::Offset;

/// How one fact is used by the conditions in scope.
#[derive(Clone, Debug)]
pub struct FactUse {
    pub ty: Type,
    /// The constants it is compared with.
    pub constants: Vec<Value>,
    /// Other facts it is compared with.
    pub peers: BTreeSet<String>,
}

/// `[x <= bound]` between two moments neither of which is the day (v2): an
/// event against a deadline (`E by T`), or a debt's fulfilment against
/// the times that start it and its deadline.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relation {
    /// An event, or a debt's fulfilment (see `Atoms::fulfilments`).
    pub subject: String,
    pub bound: Bound,
    /// A relation that must hold (`Some(true)`) or fail (`Some(false)`) in
    /// every future enumerated: a constraint rather than an atom.
    pub fixed: Option<bool>,
}

/// One side of a time once `or`/`and` are taken apart: a constant date, or
/// an event shifted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bound {
    Date(NaiveDate),
    Event { name: String, offset: Offset },
}

/// Every atom of a set of clauses, windows and conditions.
#[derive(Clone, Debug, Default)]
pub struct Atoms {
    /// Constant dates `p` of atoms `[p <= d]`.
    pub points: BTreeSet<NaiveDate>,
    /// For each event that appears, the offsets it appears with (and where,
    /// for messages). A debt's fulfilment appears here too, under the name
    /// `fulfilment_name(label)`.
    pub events: BTreeMap<String, BTreeMap<Offset, Span>>,
    pub facts: BTreeMap<String, FactUse>,
    pub relations: BTreeSet<Relation>,
    /// The debts whose performance the question depends on, by the name
    /// their fulfilment goes by among the events.
    pub fulfilments: BTreeMap<String, crate::eval::ClauseId>,
    /// The recurring obligations whose performance the question depends
    /// on: each world assumes one of a few patterns of performed instances
    /// (see `futures::performances`).
    pub recurring: BTreeSet<crate::eval::ClauseId>,
    /// Obligations whose status was already taken in (status conditions
    /// may chain).
    statuses: BTreeSet<String>,
}

/// The name a debt's fulfilment goes by among the events: no identifier
/// contains a space, so it never meets a declared name.
pub fn fulfilment_name(label: &str) -> String {
    format!("{label} fulfilled")
}

/// The label of the debt whose fulfilment goes by `name` (the inverse of
/// `fulfilment_name`), for reading it back in sentences.
pub fn fulfilled_label(name: &str) -> Option<&str> {
    name.strip_suffix(" fulfilled")
}

impl Atoms {
    /// `[p <= d]` for a constant date.
    pub fn add_point(&mut self, point: NaiveDate) {
        self.points.insert(point);
    }

    /// The atoms of a time expression whose value is then shifted by `then`
    /// (a `through` date contributes its day after).
    pub fn add_time(
        &mut self,
        contract: &Contract,
        time: &TimeExpr,
        then: &Offset,
    ) -> Result<(), Diagnostic> {
        self.time_at(contract, time, then, 0)
    }

    fn time_at(
        &mut self,
        contract: &Contract,
        time: &TimeExpr,
        then: &Offset,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        if depth > MAX_EXPRESSION_DEPTH {
            return Err(too_deep(time.span));
        }
        match &time.kind {
            TimeKind::Date(date) => {
                let point = then.apply(*date).ok_or_else(|| out_of_range(time.span))?;
                self.add_point(point);
            }
            TimeKind::Paren(inner) => self.time_at(contract, inner, then, depth + 1)?,
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                self.time_at(contract, a, then, depth + 1)?;
                self.time_at(contract, b, then, depth + 1)?;
            }
            TimeKind::Shift {
                base,
                sign,
                duration,
            } => {
                let (months, days) = duration.signed_months_days(*sign);
                // The inner shift happens first, then whatever surrounds it.
                self.time_at(contract, base, &then.after(months, days), depth + 1)?;
            }
            TimeKind::Name(name) => match contract.symbols.kind(&name.text) {
                Some(SymbolKind::Event) => {
                    self.events
                        .entry(name.text.clone())
                        .or_default()
                        .entry(then.clone())
                        .or_insert(name.span);
                }
                _ => {
                    let date = constant_date(contract, name)?;
                    let point = then.apply(date).ok_or_else(|| out_of_range(time.span))?;
                    self.add_point(point);
                }
            },
        }
        Ok(())
    }

    /// The atoms of a `when`/`unless` condition (or a condition asked as a
    /// query). Anything outside the decidable fragment of section 5 is
    /// `deal::undecidable`: the checker refuses it in a contract, so this
    /// only fires on a query typed on the command line.
    pub fn add_condition(
        &mut self,
        contract: &Contract,
        condition: &Expr,
    ) -> Result<(), Diagnostic> {
        self.condition_at(contract, condition, 0)
    }

    fn condition_at(
        &mut self,
        contract: &Contract,
        expr: &Expr,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        if depth > MAX_EXPRESSION_DEPTH {
            return Err(too_deep(expr.span));
        }
        match &expr.kind {
            ExprKind::Paren(inner)
            | ExprKind::Unary {
                op: UnaryOp::Not,
                operand: inner,
            } => self.condition_at(contract, inner, depth + 1),
            ExprKind::Binary {
                op: BinaryOp::And | BinaryOp::Or,
                lhs,
                rhs,
            } => {
                self.condition_at(contract, lhs, depth + 1)?;
                self.condition_at(contract, rhs, depth + 1)
            }
            ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                let left = self.side(contract, lhs)?;
                let right = self.side(contract, rhs)?;
                match (left, right) {
                    (Side::Fact(a), Side::Fact(b)) => {
                        if a != b {
                            self.fact(contract, &a, expr.span)?.peers.insert(b.clone());
                            self.fact(contract, &b, expr.span)?.peers.insert(a);
                        }
                    }
                    (Side::Fact(fact), Side::Constant(value))
                    | (Side::Constant(value), Side::Fact(fact)) => {
                        self.fact(contract, &fact, expr.span)?.constants.push(value);
                    }
                    (Side::Constant(_), Side::Constant(_)) => {}
                }
                Ok(())
            }
            ExprKind::EventBy { event, deadline } => {
                self.events
                    .entry(event.text.clone())
                    .or_default()
                    .entry(Offset::identity())
                    .or_insert(event.span);
                self.add_time(contract, deadline, &Offset::identity())?;
                for bound in bounds(contract, deadline, &Offset::identity())? {
                    self.relate(&event.text, bound, None);
                }
                Ok(())
            }
            ExprKind::StatusIs { label, .. } => self.add_status(contract, label),
            ExprKind::Name(name) => match contract.symbols.kind(&name.text) {
                Some(SymbolKind::Event) => {
                    self.events
                        .entry(name.text.clone())
                        .or_default()
                        .entry(Offset::identity())
                        .or_insert(name.span);
                    Ok(())
                }
                Some(SymbolKind::Fact) => {
                    self.fact(contract, &name.text, name.span)?;
                    Ok(())
                }
                _ => constant_value(contract, expr).map(|_| ()),
            },
            _ => constant_value(contract, expr).map(|_| ()),
        }
    }

    /// The atoms an obligation's status depends on: its window, conditions
    /// and the contract's term; for a debt also the day after its deadline
    /// and its fulfilment, placed against every time that starts it or
    /// ends it. (A recurring obligation's instances are not enumerated:
    /// its status is read with no instance fulfilled.)
    fn add_status(
        &mut self,
        contract: &Contract,
        label: &crate::ast::Name,
    ) -> Result<(), Diagnostic> {
        let Some(id) = contract.clause_by_label(&label.text) else {
            return Ok(());
        };
        self.add_obligation(contract, id, label.span)
    }

    /// The atoms of an obligation's status (see `add_status`): for the
    /// obligation a question consults, since a debt's discharge changes
    /// what `must` answers, and for each `L is STATUS` condition.
    pub fn add_obligation(
        &mut self,
        contract: &Contract,
        id: crate::eval::ClauseId,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let label = contract.clause_label(id).to_string();
        if !self.statuses.insert(label.clone()) {
            return Ok(());
        }
        let Some(clause) = contract.clause(id) else {
            return Ok(());
        };
        super::add_qualifiers(contract, self, &clause.qualifiers)?;
        super::add_term(contract, self, &clause.qualifiers)?;
        // What it owes is evaluated once it begins: the facts it reads need
        // a value in every future.
        if let Some(quantity) = &clause.body.object().quantity {
            for name in crate::check::names_in(quantity) {
                if contract.symbols.kind(&name.text) == Some(SymbolKind::Fact) {
                    self.fact(contract, &name.text, name.span)?;
                }
            }
        }
        match crate::eval::obligation::kind_of(contract, id) {
            crate::eval::ObligationKind::Debt => {
                if let Some(name) = recurring_status_read(contract, &clause.qualifiers) {
                    return Err(history_limit(
                        contract,
                        id,
                        name.span,
                        format!(
                            "`{label}` owes from the day its condition on `{}`'s status first holds, \
                         which depends on that recurring obligation's whole history",
                            name.text
                        ),
                    ));
                }
            }
            crate::eval::ObligationKind::Recurring { period, grace } => {
                return self.add_recurring(contract, id, period, grace.unwrap_or((0, 0)));
            }
            crate::eval::ObligationKind::Duty => return Ok(()),
        }
        let fulfilment = fulfilment_name(&label);
        self.fulfilments.insert(fulfilment.clone(), id);
        self.events
            .entry(fulfilment.clone())
            .or_default()
            .entry(Offset::identity())
            .or_insert(span);
        // The fulfilment lies on or after each time that starts the debt
        // and on or before each that ends it: a payment outside them is no
        // fulfilment, the same future as none. Those are constraints where
        // a time has no choice in it (`or` in a start, `and` in a
        // deadline), atoms otherwise; events in its conditions are atoms.
        let mut starts: Vec<Bound> = Vec::new();
        let mut dues: Vec<Bound> = Vec::new();
        if let Some(effective) = contract.effective() {
            starts.push(Bound::Date(effective));
            self.relate(
                &fulfilment,
                day_before(&Bound::Date(effective))?,
                Some(false),
            );
        }
        let after_day = Offset::by(0, 1);
        for qualifier in &clause.qualifiers {
            match &qualifier.kind {
                QualifierKind::From(time) => {
                    let pure = !has_choice(time, false);
                    for leaf in bounds(contract, time, &Offset::identity())? {
                        self.relate(&fulfilment, day_before(&leaf)?, pure.then_some(false));
                        starts.push(leaf);
                    }
                }
                QualifierKind::By(time) => {
                    self.add_time(contract, time, &after_day)?;
                    let pure = !has_choice(time, true);
                    for leaf in bounds(contract, time, &Offset::identity())? {
                        self.relate(&fulfilment, leaf.clone(), pure.then_some(true));
                        dues.push(leaf);
                    }
                }
                QualifierKind::Within {
                    duration,
                    after: Some(time),
                } => {
                    let (months, days) = duration.months_days();
                    let due = Offset::by(months, days);
                    self.add_time(contract, time, &due.then(0, 1))?;
                    let start_pure = !has_choice(time, false);
                    for leaf in bounds(contract, time, &Offset::identity())? {
                        self.relate(&fulfilment, day_before(&leaf)?, start_pure.then_some(false));
                        starts.push(leaf);
                    }
                    let due_pure = !has_choice(time, true);
                    for leaf in bounds(contract, time, &due)? {
                        self.relate(&fulfilment, leaf.clone(), due_pure.then_some(true));
                        dues.push(leaf);
                    }
                }
                QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                    for name in crate::check::names_in(condition) {
                        if contract.symbols.kind(&name.text) == Some(SymbolKind::Event) {
                            let event = Bound::Event {
                                name: name.text.clone(),
                                offset: Offset::identity(),
                            };
                            self.relate(&fulfilment, day_before(&event)?, None);
                        }
                    }
                }
                _ => {}
            }
        }
        // Whether the debt had begun by its deadline: each time that
        // starts it against each time that ends it.
        for start in &starts {
            for due in &dues {
                if let Some(relation) = order_of(start, due) {
                    let (subject, bound) = (relation.subject.clone(), relation.bound.clone());
                    self.relate(&subject, bound, None);
                }
            }
        }
        Ok(())
    }

    /// The atoms of a recurring obligation's status under the performance
    /// the analyses assume for it (see `futures::performances`): whether an
    /// instance has begun (its start, and the start before its end), the
    /// day after its first deadline (`S + D - 1 day + G`, or `E - 1 day +
    /// G` for a first period cut short by the end `E`), and the day after
    /// its last deadline once it has ended (`E - 1 day + G`). Its instances
    /// are computed per world, so they must not depend on events or
    /// statuses through its conditions (`deal::limit` otherwise).
    fn add_recurring(
        &mut self,
        contract: &Contract,
        id: crate::eval::ClauseId,
        period: (i64, i64),
        grace: (i64, i64),
    ) -> Result<(), Diagnostic> {
        let Some(clause) = contract.clause(id) else {
            return Ok(());
        };
        for qualifier in &clause.qualifiers {
            if let QualifierKind::When(condition) | QualifierKind::Unless(condition) =
                &qualifier.kind
                && let Some(span) = history_in(contract, condition)
            {
                let label = contract.clause_label(id);
                return Err(history_limit(
                    contract,
                    id,
                    span,
                    format!(
                        "whether `{label}` owes for a period depends on its condition on that \
                         period's first day, and this condition names an event or a status"
                    ),
                ));
            }
        }
        self.recurring.insert(id);
        // After the last day of a period, the grace, and a day: violated.
        let after_end = Offset::by(0, -1).then(grace.0, grace.1).then(0, 1);
        let after_first = Offset::by(period.0, period.1).followed_by(&after_end);
        let mut starts: Vec<Bound> = Vec::new();
        if let Some(effective) = contract.effective() {
            self.add_point(
                after_first
                    .apply(effective)
                    .ok_or_else(|| out_of_range(clause.span))?,
            );
            starts.push(Bound::Date(effective));
        }
        let mut ends: Vec<Bound> = Vec::new();
        for qualifier in &clause.qualifiers {
            match &qualifier.kind {
                QualifierKind::From(time) => {
                    self.add_time(contract, time, &after_first)?;
                    starts.extend(bounds(contract, time, &Offset::identity())?);
                }
                QualifierKind::Until(time) => {
                    self.add_time(contract, time, &after_end)?;
                    ends.extend(bounds(contract, time, &Offset::identity())?);
                }
                QualifierKind::Through(time) => {
                    let day_after = Offset::by(0, 1);
                    self.add_time(contract, time, &day_after.followed_by(&after_end))?;
                    ends.extend(bounds(contract, time, &day_after)?);
                }
                _ => {}
            }
        }
        if let Some((time, then)) = super::term_end(contract, &clause.qualifiers) {
            self.add_time(contract, time, &then.followed_by(&after_end))?;
            ends.extend(bounds(contract, time, &then)?);
        }
        // Whether it starts before it ends: each start against each end.
        for start in &starts {
            for end in &ends {
                if let Some(relation) = order_of(start, &day_before(end)?) {
                    let (subject, bound) = (relation.subject.clone(), relation.bound.clone());
                    self.relate(&subject, bound, None);
                }
            }
        }
        Ok(())
    }

    /// A relation atom (or, with `fixed`, a constraint of that truth). An
    /// event bound's offset becomes an atom of that event too, so that
    /// "the bound lies after the day" is decided by the state.
    fn relate(&mut self, subject: &str, bound: Bound, fixed: Option<bool>) {
        if let Bound::Event { name, offset } = &bound {
            self.events
                .entry(name.clone())
                .or_default()
                .entry(offset.clone())
                .or_default();
        }
        self.relations.insert(Relation {
            subject: subject.to_string(),
            bound,
            fixed,
        });
    }

    fn side(&mut self, contract: &Contract, side: &Expr) -> Result<Side, Diagnostic> {
        let mut side = side;
        while let ExprKind::Paren(inner) = &side.kind {
            side = inner;
        }
        if let ExprKind::Name(name) = &side.kind
            && contract.symbols.kind(&name.text) == Some(SymbolKind::Fact)
        {
            return Ok(Side::Fact(name.text.clone()));
        }
        constant_value(contract, side).map(Side::Constant)
    }

    fn fact(
        &mut self,
        contract: &Contract,
        name: &str,
        span: Span,
    ) -> Result<&mut FactUse, Diagnostic> {
        let ty = contract.fact_type(name).ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownName,
                format!("`{name}` is not a declared fact"),
                span,
                "not a fact",
            )
        })?;
        Ok(self.facts.entry(name.to_string()).or_insert(FactUse {
            ty,
            constants: Vec::new(),
            peers: BTreeSet::new(),
        }))
    }
}

/// The first `L is STATUS` in these qualifiers' conditions that names a
/// recurring obligation.
fn recurring_status_read<'q>(
    contract: &Contract,
    qualifiers: &'q [crate::ast::Qualifier],
) -> Option<&'q crate::ast::Name> {
    qualifiers
        .iter()
        .find_map(|qualifier| match &qualifier.kind {
            QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                let mut stack = vec![condition];
                while let Some(expr) = stack.pop() {
                    match &expr.kind {
                        ExprKind::StatusIs { label, .. } => {
                            let recurring =
                                contract.clause_by_label(&label.text).is_some_and(|id| {
                                    matches!(
                                        crate::eval::obligation::kind_of(contract, id),
                                        crate::eval::ObligationKind::Recurring { .. }
                                    )
                                });
                            if recurring {
                                return Some(label);
                            }
                        }
                        ExprKind::Paren(inner) | ExprKind::Unary { operand: inner, .. } => {
                            stack.push(inner)
                        }
                        ExprKind::Binary { lhs, rhs, .. } => {
                            stack.push(rhs);
                            stack.push(lhs);
                        }
                        _ => {}
                    }
                }
                None
            }
            _ => None,
        })
}

/// Where a condition names something that changes over time (an event,
/// `E by T`, a status), if it does.
fn history_in(contract: &Contract, condition: &Expr) -> Option<Span> {
    let mut stack = vec![condition];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::EventBy { .. } | ExprKind::StatusIs { .. } => return Some(expr.span),
            ExprKind::Name(name)
                if contract.symbols.kind(&name.text) == Some(SymbolKind::Event) =>
            {
                return Some(expr.span);
            }
            ExprKind::Paren(inner) | ExprKind::Unary { operand: inner, .. } => stack.push(inner),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            _ => {}
        }
    }
    None
}

/// The analyses read a recurring obligation's performance on the day asked
/// only; what depends on its history on other days is refused, never
/// answered wrongly.
fn history_limit(
    contract: &Contract,
    id: crate::eval::ClauseId,
    span: Span,
    why: String,
) -> Diagnostic {
    Diagnostic::new(
        Code::Limit,
        format!("the analyses cannot range over every performance here: {why}"),
        span,
        "depends on a recurring obligation's history",
    )
    .with_label(contract.clause_span(id), "this obligation")
    .with_help(
        "the analyses read a recurring obligation's status on the day asked; state the \
         condition with facts, or as a clause that is not an obligation (a remedy `may`)",
    )
}

enum Side {
    Fact(String),
    Constant(Value),
}

/// The value of an expression that uses no fact and no event: a literal, a
/// constant `let`, or arithmetic on those.
pub fn constant_value(contract: &Contract, expr: &Expr) -> Result<Value, Diagnostic> {
    if let Some(name) = scenario_name_in(contract, expr) {
        return Err(Diagnostic::new(
            Code::Undecidable,
            format!(
                "a condition computes with `{name}`: the analyses compare single facts with constants"
            ),
            expr.span,
            "depends on the scenario",
        )
        .with_help(
            "compare a single fact with a constant (e.g. `revenue >= $100B`); for a computed \
             value, introduce a fact that scenarios supply",
        ));
    }
    let scenario = Scenario::default();
    let reads = FactReads::default();
    Ok(Env::new(contract, &scenario, NaiveDate::MIN)
        .reading(Some(&reads))
        .eval(expr)?)
}

/// Whether a time has a choice in it for a bound from one side: an `or`
/// (the earlier of two) in a start, an `and` (the later) in a deadline.
fn has_choice(time: &TimeExpr, deadline: bool) -> bool {
    let mut stack = vec![time];
    while let Some(time) = stack.pop() {
        match &time.kind {
            TimeKind::Or(..) if !deadline => return true,
            TimeKind::And(..) if deadline => return true,
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                stack.push(a);
                stack.push(b);
            }
            TimeKind::Shift { base, .. } | TimeKind::Paren(base) => stack.push(base),
            TimeKind::Date(_) | TimeKind::Name(_) => {}
        }
    }
    false
}

/// The day before a bound: `[P >= b]` is `not [P <= b - 1 day]`.
fn day_before(bound: &Bound) -> Result<Bound, Diagnostic> {
    Ok(match bound {
        Bound::Date(date) => Bound::Date(
            date.pred_opt()
                .ok_or_else(|| out_of_range(Span::default()))?,
        ),
        Bound::Event { name, offset } => Bound::Event {
            name: name.clone(),
            offset: offset.then(0, -1),
        },
    })
}

/// `[start <= due]` as a relation atom on an event, when one side is an
/// event (unshifted, when both are): a constant side becomes the bound.
/// Two constants need no atom; an event shifted against another event is
/// left to the days the analysis tries.
fn order_of(start: &Bound, due: &Bound) -> Option<Relation> {
    match (start, due) {
        (Bound::Date(_), Bound::Date(_)) => None,
        // p <= F + σ  is  not (F <= t_σ(p - 1 day)).
        (Bound::Date(p), Bound::Event { name, offset }) => Some(Relation {
            subject: name.clone(),
            bound: Bound::Date(offset.threshold(p.pred_opt()?)?),
            fixed: None,
        }),
        // E + σ <= q  is  E <= t_σ(q).
        (Bound::Event { name, offset }, Bound::Date(q)) => Some(Relation {
            subject: name.clone(),
            bound: Bound::Date(offset.threshold(*q)?),
            fixed: None,
        }),
        (Bound::Event { name, offset }, other) if offset.is_identity() => Some(Relation {
            subject: name.clone(),
            bound: other.clone(),
            fixed: None,
        }),
        _ => None,
    }
}

/// The leaves of a time shifted by `then`: `A or B` and `A and B` are the
/// earlier and the later of their sides, so a relation to the whole is a
/// boolean combination of relations to the leaves.
fn bounds(contract: &Contract, time: &TimeExpr, then: &Offset) -> Result<Vec<Bound>, Diagnostic> {
    let mut out = Vec::new();
    let mut stack = vec![(time, then.clone(), 0usize)];
    while let Some((time, then, depth)) = stack.pop() {
        if depth > MAX_EXPRESSION_DEPTH {
            return Err(too_deep(time.span));
        }
        match &time.kind {
            TimeKind::Date(date) => out.push(Bound::Date(
                then.apply(*date).ok_or_else(|| out_of_range(time.span))?,
            )),
            TimeKind::Paren(inner) => stack.push((inner, then, depth + 1)),
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                stack.push((b, then.clone(), depth + 1));
                stack.push((a, then, depth + 1));
            }
            TimeKind::Shift {
                base,
                sign,
                duration,
            } => {
                let (months, days) = duration.signed_months_days(*sign);
                stack.push((base, then.after(months, days), depth + 1));
            }
            TimeKind::Name(name) => match contract.symbols.kind(&name.text) {
                Some(SymbolKind::Event) => out.push(Bound::Event {
                    name: name.text.clone(),
                    offset: then,
                }),
                _ => {
                    let date = constant_date(contract, name)?;
                    out.push(Bound::Date(
                        then.apply(date).ok_or_else(|| out_of_range(time.span))?,
                    ));
                }
            },
        }
    }
    Ok(out)
}

/// A `let` standing for a date in a time expression, which must not depend
/// on facts: times may name events, never facts.
fn constant_date(contract: &Contract, name: &crate::ast::Name) -> Result<NaiveDate, Diagnostic> {
    let expr = Expr {
        kind: ExprKind::Name(name.clone()),
        span: name.span,
    };
    if let Some(used) = scenario_name_in(contract, &expr) {
        return Err(Diagnostic::new(
            Code::Undecidable,
            format!(
                "`{}` is computed from `{used}`: the analyses range over times built from dates, \
                 events and constant `let`s only",
                name.text
            ),
            name.span,
            "a time that depends on a fact",
        )
        .with_help("give the date as a constant, or model the moment as an event"));
    }
    match constant_value(contract, &expr)? {
        Value::Date(date) => Ok(date),
        other => Err(Diagnostic::new(
            Code::Eval,
            format!(
                "`{}` is {} ({}), not a date",
                name.text,
                other.display(),
                other.ty()
            ),
            name.span,
            "expected a date",
        )),
    }
}

/// The first fact or event an expression uses, directly or through `let`s.
fn scenario_name_in(contract: &Contract, expr: &Expr) -> Option<String> {
    let mut visited = BTreeSet::new();
    scenario_name_at(contract, expr, &mut visited, 0)
}

fn scenario_name_at(
    contract: &Contract,
    expr: &Expr,
    visited: &mut BTreeSet<String>,
    depth: usize,
) -> Option<String> {
    if depth > 2 * MAX_EXPRESSION_DEPTH {
        return None;
    }
    match &expr.kind {
        ExprKind::Literal(_) => None,
        ExprKind::Paren(inner) | ExprKind::Unary { operand: inner, .. } => {
            scenario_name_at(contract, inner, visited, depth + 1)
        }
        ExprKind::Binary { lhs, rhs, .. } => scenario_name_at(contract, lhs, visited, depth + 1)
            .or_else(|| scenario_name_at(contract, rhs, visited, depth + 1)),
        ExprKind::Extremum { args, .. } => args
            .iter()
            .find_map(|arg| scenario_name_at(contract, arg, visited, depth + 1)),
        ExprKind::EventBy { event, .. } => Some(event.text.clone()),
        ExprKind::StatusIs { label, .. } => Some(label.text.clone()),
        ExprKind::Name(name) => match contract.symbols.kind(&name.text) {
            Some(SymbolKind::Fact | SymbolKind::Event) => Some(name.text.clone()),
            Some(SymbolKind::Let) if visited.insert(name.text.clone()) => contract
                .let_decl(&name.text)
                .and_then(|decl| scenario_name_at(contract, &decl.value, visited, depth + 1)),
            _ => None,
        },
    }
}

fn out_of_range(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Eval,
        "the date falls outside the supported calendar",
        span,
        "this date is out of range",
    )
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::Limit,
        format!("nested deeper than {MAX_EXPRESSION_DEPTH} levels"),
        span,
        "too deep to analyse",
    )
}
