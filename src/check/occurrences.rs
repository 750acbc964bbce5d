//! Every name and label as written in a file, with the namespace it lives
//! in and whether it declares or refers, plus the dates, durations and time
//! expressions hover resolves. One walk over the tree serves the editor's
//! definition, references, rename, hover and semantic tokens, and the
//! `deal::unused` lint.
//!
//! The walk matches every AST variant without a wildcard, so that a new
//! variant is a compile error here until its names are collected.

use crate::ast::{
    ClauseBody, DurationLit, Expr, ExprKind, File, ItemKind, Literal, Name, Object, Qualifier,
    QualifierKind, Query, ScenarioLine, Slots, TimeExpr, TimeKind, TypeName,
};
use crate::source::Span;
use chrono::NaiveDate;

/// Names live in three namespaces: declared names, clause and assertion
/// labels, and scenario names. A label may share its text with a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    Name,
    Label,
    Scenario,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Declaration,
    Reference,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub text: String,
    pub span: Span,
    pub namespace: Namespace,
    pub role: Role,
}

/// A date, duration or time expression as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moment {
    Date(NaiveDate),
    Duration(DurationLit),
    Time(TimeExpr),
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    /// In source order.
    pub occurrences: Vec<Occurrence>,
    /// Outer before inner where they nest.
    pub moments: Vec<(Span, Moment)>,
}

impl Index {
    /// The innermost date, duration or time expression around an offset.
    pub fn moment_at(&self, offset: usize) -> Option<&(Span, Moment)> {
        self.moments
            .iter()
            .filter(|(span, _)| span.start <= offset && offset <= span.end)
            .min_by_key(|(span, _)| span.len())
    }
}

/// Every occurrence and moment of `file`.
pub fn collect(file: &File) -> Index {
    let mut occurrences = Vec::new();
    let mut walk = Walk {
        found: |name: &Name, namespace: Namespace, role: Role| {
            occurrences.push(Occurrence::of(name, namespace, role))
        },
        moments: Some(Vec::new()),
    };
    for item in &file.items {
        walk.item(&item.kind);
    }
    let moments = walk.moments.unwrap_or_default();
    occurrences.sort_by_key(|o| o.span);
    Index {
        occurrences,
        moments,
    }
}

/// The occurrences of names and labels in one item, in the order walked
/// (no moments: what a check of every clause needs, without the copies).
pub fn occurrences_in(item: &ItemKind) -> Vec<Occurrence> {
    let mut occurrences = Vec::new();
    each_name(item, |name, namespace, role| {
        occurrences.push(Occurrence::of(name, namespace, role))
    });
    occurrences
}

/// Each name and label written in one item, in the order walked, as
/// borrowed from the tree: for a pass over every item that only looks.
pub fn each_name<'a>(item: &'a ItemKind, found: impl FnMut(&'a Name, Namespace, Role)) {
    Walk {
        found,
        moments: None,
    }
    .item(item);
}

impl Occurrence {
    fn of(name: &Name, namespace: Namespace, role: Role) -> Occurrence {
        Occurrence {
            text: name.text.clone(),
            span: name.span,
            namespace,
            role,
        }
    }
}

struct Walk<F> {
    /// Told each name and label.
    found: F,
    /// Dates, durations and time expressions, when they are wanted.
    moments: Option<Vec<(Span, Moment)>>,
}

impl<'a, F: FnMut(&'a Name, Namespace, Role)> Walk<F> {
    fn push(&mut self, name: &'a Name, namespace: Namespace, role: Role) {
        (self.found)(name, namespace, role);
    }

    fn declare(&mut self, name: &'a Name) {
        self.push(name, Namespace::Name, Role::Declaration);
    }

    fn refer(&mut self, name: &'a Name) {
        self.push(name, Namespace::Name, Role::Reference);
    }

    fn refer_all(&mut self, names: &'a [Name]) {
        for name in names {
            self.refer(name);
        }
    }

    fn item(&mut self, kind: &'a ItemKind) {
        match kind {
            ItemKind::Deal(_) => {}
            ItemKind::Effective(effective) => {
                self.moment(effective.date.span, || Moment::Date(effective.date.date));
                if let Some(end) = &effective.end {
                    self.qualifiers(std::slice::from_ref(end));
                }
            }
            ItemKind::Decl(decl) => {
                self.declare(&decl.name);
                if let Some(by) = &decl.by {
                    self.refer(by);
                }
                self.refer_all(&decl.after);
            }
            ItemKind::Group(group) => {
                self.declare(&group.name);
                self.refer_all(&group.members);
            }
            ItemKind::Let(decl) => {
                self.declare(&decl.name);
                self.expr(&decl.value);
            }
            ItemKind::Fact(fact) => {
                self.declare(&fact.name);
                match &fact.ty.kind {
                    TypeName::Unit(unit) => self.refer(unit),
                    TypeName::Money
                    | TypeName::Percent
                    | TypeName::Number
                    | TypeName::Bool
                    | TypeName::Date
                    | TypeName::Duration => {}
                }
                if let Some(default) = &fact.default {
                    self.expr(default);
                }
            }
            ItemKind::Clause(clause) => {
                if let Some(label) = &clause.label {
                    self.push(label, Namespace::Label, Role::Declaration);
                }
                match &clause.body {
                    ClauseBody::Act {
                        modality: _,
                        party,
                        action,
                        object,
                    } => {
                        self.refer(party);
                        self.refer(action);
                        self.object(object);
                    }
                    ClauseBody::Holds {
                        negated: _,
                        party,
                        object,
                    } => {
                        self.refer(party);
                        self.object(object);
                    }
                    ClauseBody::Exclusive { object } => self.object(object),
                    ClauseBody::Only {
                        party,
                        action,
                        object,
                    } => {
                        self.refer(party);
                        self.refer(action);
                        self.object(object);
                    }
                }
                self.qualifiers(&clause.qualifiers);
            }
            ItemKind::Scenario(scenario) => {
                self.push(&scenario.name, Namespace::Scenario, Role::Declaration);
                for line in &scenario.lines {
                    self.scenario_line(line);
                }
            }
            ItemKind::Assert(assertion) => {
                self.push(&assertion.label, Namespace::Label, Role::Declaration);
                self.query(&assertion.query);
                self.qualifiers(&assertion.window);
            }
        }
    }

    fn object(&mut self, object: &'a Object) {
        if let Some(quantity) = &object.quantity {
            self.expr(quantity);
        }
        self.refer(&object.name);
    }

    fn qualifiers(&mut self, qualifiers: &'a [Qualifier]) {
        for qualifier in qualifiers {
            match &qualifier.kind {
                QualifierKind::On(names)
                | QualifierKind::To(names)
                | QualifierKind::With(names) => self.refer_all(names),
                QualifierKind::From(time)
                | QualifierKind::Until(time)
                | QualifierKind::Through(time)
                | QualifierKind::By(time)
                | QualifierKind::Within {
                    after: Some(time), ..
                } => self.time(time),
                QualifierKind::Within { duration, .. }
                | QualifierKind::Every(duration)
                | QualifierKind::Survives(Some(duration)) => {
                    self.moment(duration.span, || Moment::Duration(duration.clone()))
                }
                QualifierKind::Survives(None) => {}
                QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                    self.expr(condition)
                }
                QualifierKind::Notwithstanding(labels) => {
                    for label in labels {
                        self.push(label, Namespace::Label, Role::Reference);
                    }
                }
            }
        }
    }

    fn scenario_line(&mut self, line: &'a ScenarioLine) {
        match line {
            ScenarioLine::Event { name, date } => {
                self.refer(name);
                self.moment(date.span, || Moment::Date(date.date));
            }
            ScenarioLine::Fact { name, value } => {
                self.refer(name);
                self.expr(value);
            }
            ScenarioLine::Record(record) => {
                self.refer(&record.party);
                self.refer(&record.action);
                if let Some(quantity) = &record.quantity {
                    self.expr(quantity);
                }
                self.refer(&record.asset);
                self.qualifiers(&record.qualifiers);
                self.moment(record.date.span, || Moment::Date(record.date.date));
            }
            ScenarioLine::Expect(block) => {
                self.moment(block.at.span, || Moment::Date(block.at.date));
                for expectation in &block.lines {
                    match &expectation.kind {
                        crate::ast::ExpectKind::Yes(query)
                        | crate::ast::ExpectKind::No(query)
                        | crate::ast::ExpectKind::Unspecified(query) => self.query(query),
                        crate::ast::ExpectKind::Status { label, status: _ } => {
                            self.push(label, Namespace::Label, Role::Reference)
                        }
                        crate::ast::ExpectKind::Expr(expr) => self.expr(expr),
                    }
                }
            }
        }
    }

    fn query(&mut self, query: &'a Query) {
        match query {
            Query::May(act) | Query::Must(act) => {
                self.refer(&act.party);
                self.refer(&act.action);
                self.refer(&act.object);
                self.slots(&act.slots);
            }
            Query::Holds(holds) => {
                self.refer(&holds.party);
                self.refer(&holds.object);
                self.slots(&holds.slots);
            }
            Query::Status(label) => self.push(label, Namespace::Label, Role::Reference),
            Query::Expr(expr) => self.expr(expr),
        }
    }

    fn slots(&mut self, slots: &'a Slots) {
        let Slots { on, to, with } = slots;
        for name in [on, to, with].into_iter().flatten() {
            self.refer(name);
        }
    }

    /// Recursion is bounded: the parser refuses trees deeper than
    /// `limits::MAX_EXPRESSION_DEPTH`.
    fn expr(&mut self, expr: &'a Expr) {
        match &expr.kind {
            ExprKind::Literal(literal) => match literal {
                Literal::Quantity { unit, .. } => self.refer(unit),
                Literal::Date(date) => self.moment(expr.span, || Moment::Date(*date)),
                Literal::Duration(duration) => {
                    self.moment(expr.span, || Moment::Duration(duration.clone()))
                }
                Literal::Number { .. }
                | Literal::Money { .. }
                | Literal::Percent { .. }
                | Literal::Bool(_)
                | Literal::String(_) => {}
            },
            ExprKind::Name(name) => self.refer(name),
            ExprKind::Unary { op: _, operand } => self.expr(operand),
            ExprKind::Binary { op: _, lhs, rhs } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::Extremum { which: _, args } => {
                for arg in args {
                    self.expr(arg);
                }
            }
            ExprKind::EventBy { event, deadline } => {
                self.refer(event);
                self.time(deadline);
            }
            ExprKind::StatusIs { label, status: _ } => {
                self.push(label, Namespace::Label, Role::Reference);
            }
        }
    }

    fn time(&mut self, time: &'a TimeExpr) {
        self.moment(time.span, || Moment::Time(time.clone()));
        match &time.kind {
            TimeKind::Date(_) => {}
            TimeKind::Name(name) => self.refer(name),
            TimeKind::Shift {
                base,
                sign: _,
                duration,
            } => {
                self.time(base);
                self.moment(duration.span, || Moment::Duration(duration.clone()));
            }
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                self.time(a);
                self.time(b);
            }
            TimeKind::Paren(inner) => self.time(inner),
        }
    }

    fn moment(&mut self, span: Span, moment: impl FnOnce() -> Moment) {
        if let Some(moments) = &mut self.moments {
            moments.push((span, moment()));
        }
    }
}
