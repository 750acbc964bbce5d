//! Evaluating expressions and time expressions under one scenario on one day.
//!
//! `let` values are evaluated on demand and memoised for the life of an
//! `Env` (so a chain of lets that reuse each other costs linear time), a
//! `let` that refers back to itself is a `deal::eval` error, and recursion is
//! bounded by `MAX_DEPTH`.

use crate::ast::{
    BinaryOp, Expr, ExprKind, Extremum, Name, ObligationStatus, StatusWord, TimeExpr, TimeKind,
    UnaryOp,
};
use crate::decimal::DecimalError;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::error::EvalError;
use crate::eval::scenario::Scenario;
use crate::eval::time::Time;
use crate::eval::value::{Value, ValueError};
use crate::eval::{Contract, ValueDecl};
use crate::source::Span;
use crate::symbols::SymbolKind;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The names of the facts an evaluation read (from the scenario, from a
/// default, or found missing): what a counterexample must show.
pub type FactReads = RefCell<BTreeSet<String>>;

/// Deepest recursion of one evaluation: expression nesting plus `let`
/// references. Twice the parser's `MAX_EXPRESSION_DEPTH`, so a long chain
/// of `let`s fits; about 1 MB of stack in a debug build, far less in release.
pub const MAX_DEPTH: usize = 2 * crate::limits::MAX_EXPRESSION_DEPTH;

/// What a condition `L is STATUS` asks: the status of the obligation
/// labelled L on a day. Conditions read statuses, statuses read whether
/// clauses are in force, and being in force reads conditions: the trait
/// breaks that loop between modules (`eval::obligation` answers it).
pub trait StatusOracle {
    fn status_on(&self, label: &Name, day: NaiveDate) -> Result<ObligationStatus, EvalError>;

    /// The days up to `last` on which L's status can change.
    fn status_changes(&self, label: &Name, last: NaiveDate) -> Result<Vec<NaiveDate>, EvalError>;
}

/// The place an expression is evaluated: a contract, a scenario and a day
/// (event names in conditions read "happened on or before this day").
pub struct Env<'a> {
    pub contract: &'a Contract,
    pub scenario: &'a Scenario,
    pub day: NaiveDate,
    /// Values of `let`s and fact defaults already computed, by name.
    /// Keyed by the declaration's own name, which lives as long as the contract.
    memo: RefCell<FxHashMap<&'a str, Value>>,
    /// `let`s being evaluated right now: a repeat is a cycle.
    active: RefCell<Vec<&'a str>>,
    reads: Option<&'a FactReads>,
    /// Answers `L is STATUS`; without one such a condition is an error.
    oracle: Option<&'a dyn StatusOracle>,
}

fn eval_error(message: impl Into<String>, span: Span, label: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::Eval, message, span, label)
}

/// A date that leaves the calendar, labelled at `span`.
fn out_of_range(error: impl std::fmt::Display, span: Span, label: &'static str) -> EvalError {
    EvalError::OutOfRange {
        message: error.to_string(),
        span,
        label,
    }
}

impl<'a> Env<'a> {
    pub fn new(contract: &'a Contract, scenario: &'a Scenario, day: NaiveDate) -> Env<'a> {
        Env {
            contract,
            scenario,
            day,
            memo: RefCell::new(FxHashMap::default()),
            active: RefCell::new(Vec::new()),
            reads: None,
            oracle: None,
        }
    }

    /// Answer `L is STATUS` conditions with `oracle`.
    pub fn with_oracle(mut self, oracle: &'a dyn StatusOracle) -> Env<'a> {
        self.oracle = Some(oracle);
        self
    }

    /// Record in `reads` every fact this environment reads.
    pub fn reading(mut self, reads: Option<&'a FactReads>) -> Env<'a> {
        self.reads = reads;
        self
    }

    pub fn eval(&self, expr: &Expr) -> Result<Value, EvalError> {
        self.eval_at(expr, 0)
    }

    /// A `when`/`unless` condition: the expression must give a bool.
    pub fn condition(&self, expr: &Expr) -> Result<bool, EvalError> {
        match self.eval(expr)? {
            Value::Bool(b) => Ok(b),
            other => Err(eval_error(
                format!(
                    "a condition must be true or false, but this is {} ({})",
                    other.display(),
                    other.ty()
                ),
                expr.span,
                "not a condition",
            )
            .into()),
        }
    }

    /// A time expression (section 4): a date, an event (never when the
    /// scenario does not say it happens), a `let` or fact holding a date,
    /// shifted by durations, combined with `or` (earliest) and `and` (latest).
    pub fn time(&self, time: &TimeExpr) -> Result<Time, EvalError> {
        self.time_at(time, 0)
    }

    fn deeper(depth: usize, span: Span) -> Result<usize, EvalError> {
        if depth >= MAX_DEPTH {
            Err(EvalError::TooDeep {
                span,
                limit: MAX_DEPTH,
            })
        } else {
            Ok(depth + 1)
        }
    }

    fn time_at(&self, time: &TimeExpr, depth: usize) -> Result<Time, EvalError> {
        let depth = Self::deeper(depth, time.span)?;
        match &time.kind {
            TimeKind::Date(date) => Ok(Time::Day(*date)),
            TimeKind::Paren(inner) => self.time_at(inner, depth),
            TimeKind::Or(a, b) => Ok(self.time_at(a, depth)?.or(self.time_at(b, depth)?)),
            TimeKind::And(a, b) => Ok(self.time_at(a, depth)?.and(self.time_at(b, depth)?)),
            TimeKind::Shift {
                base,
                sign,
                duration,
            } => {
                let (months, days) = duration.signed_months_days(*sign);
                self.time_at(base, depth)?
                    .shift(months, days)
                    .map_err(|e| out_of_range(e, time.span, "this date is out of range"))
            }
            TimeKind::Name(name) => match self.contract.symbols.kind(&name.text) {
                Some(SymbolKind::Event) => Ok(self
                    .scenario
                    .events
                    .get(&name.text)
                    .map_or(Time::Never, |&day| Time::Day(day))),
                Some(SymbolKind::Let | SymbolKind::Fact) => {
                    match self.value_of(&name.text, name.span, depth)? {
                        Value::Date(day) => Ok(Time::Day(day)),
                        other => Err(eval_error(
                            format!(
                                "`{}` is {} ({}), not a date",
                                name.text,
                                other.display(),
                                other.ty()
                            ),
                            name.span,
                            "expected a date",
                        )
                        .into()),
                    }
                }
                Some(kind) => Err(eval_error(
                    format!("`{}` is {}, not a time", name.text, kind.article_noun()),
                    name.span,
                    "expected a date or an event",
                )
                .into()),
                None => Err(unknown_name(&name.text, name.span).into()),
            },
        }
    }

    // The recursive path is split into small functions on purpose: in a
    // debug build one big `match` gives every level a frame of several KB.
    fn eval_at(&self, expr: &Expr, depth: usize) -> Result<Value, EvalError> {
        let depth = Self::deeper(depth, expr.span)?;
        match &expr.kind {
            ExprKind::Literal(literal) => literal_value(literal),
            ExprKind::Paren(inner) => self.eval_at(inner, depth),
            ExprKind::Name(name) => self.eval_name(name, depth),
            ExprKind::Unary { op, operand } => self.eval_unary(*op, operand, depth),
            ExprKind::Binary { op, lhs, rhs } => self.eval_binary(expr, *op, lhs, rhs, depth),
            ExprKind::Extremum { which, args } => self.eval_extremum(expr, *which, args, depth),
            ExprKind::EventBy { event, deadline } => self.eval_event_by(event, deadline, depth),
            ExprKind::StatusIs { label, status } => self.eval_status_is(label, status),
        }
    }

    #[inline(never)]
    fn eval_extremum(
        &self,
        expr: &Expr,
        which: Extremum,
        args: &[Expr],
        depth: usize,
    ) -> Result<Value, EvalError> {
        let mut best: Option<(Value, &Expr)> = None;
        for arg in args {
            let value = self.eval_at(arg, depth)?;
            let Some((current, at)) = &best else {
                best = Some((value, arg));
                continue;
            };
            let order = value.compare(current).map_err(|e| {
                eval_error(
                    format!("`{}` cannot order these values: {e}", which.keyword()),
                    arg.span,
                    format!("this is {}", value.display()),
                )
                .with_label(at.span, format!("this is {}", current.display()))
            })?;
            let better = match which {
                Extremum::Max => order == std::cmp::Ordering::Greater,
                Extremum::Min => order == std::cmp::Ordering::Less,
            };
            if better {
                best = Some((value, arg));
            }
        }
        best.map(|(value, _)| value).ok_or_else(|| {
            eval_error(
                format!("`{}` of nothing", which.keyword()),
                expr.span,
                "no values",
            )
            .into()
        })
    }

    /// `E by T`: E happened on or before both the day and T.
    #[inline(never)]
    fn eval_event_by(
        &self,
        event: &Name,
        deadline: &TimeExpr,
        depth: usize,
    ) -> Result<Value, EvalError> {
        let Some(&happened) = self.scenario.events.get(&event.text) else {
            return Ok(Value::Bool(false));
        };
        let in_time = Time::Day(happened) <= self.time_at(deadline, depth)?;
        Ok(Value::Bool(happened <= self.day && in_time))
    }

    #[inline(never)]
    fn eval_status_is(&self, label: &Name, status: &StatusWord) -> Result<Value, EvalError> {
        let Some(oracle) = self.oracle else {
            return Err(eval_error(
                format!(
                    "`{label} is {}` cannot be evaluated here",
                    status.status.as_str()
                ),
                label.span,
                "a status condition",
            )
            .with_help(
                "an obligation's status is a condition of a clause, an assertion or an expectation",
            )
            .into());
        };
        Ok(Value::Bool(
            oracle.status_on(label, self.day)? == status.status,
        ))
    }

    #[inline(never)]
    fn eval_name(&self, name: &Name, depth: usize) -> Result<Value, EvalError> {
        match self.contract.symbols.kind(&name.text) {
            Some(SymbolKind::Event) => Ok(Value::Bool(
                self.scenario
                    .events
                    .get(&name.text)
                    .is_some_and(|&day| day <= self.day),
            )),
            Some(SymbolKind::Let | SymbolKind::Fact) => self.value_of(&name.text, name.span, depth),
            Some(kind) => Err(not_a_value(name, kind).into()),
            None => Err(unknown_name(&name.text, name.span).into()),
        }
    }

    #[inline(never)]
    fn eval_unary(&self, op: UnaryOp, operand: &Expr, depth: usize) -> Result<Value, EvalError> {
        let value = self.eval_at(operand, depth)?;
        match (op, value) {
            (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
            (UnaryOp::Not, other) => Err(type_error_one("not", &other, operand.span).into()),
            (UnaryOp::Neg, value) => value
                .negate()
                .map_err(|_| type_error_one("-", &value, operand.span).into()),
        }
    }

    #[inline(never)]
    fn eval_binary(
        &self,
        expr: &Expr,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        depth: usize,
    ) -> Result<Value, EvalError> {
        let left = self.eval_at(lhs, depth)?;
        if !matches!(op, BinaryOp::And | BinaryOp::Or) {
            let right = self.eval_at(rhs, depth)?;
            return Value::binary(op, &left, &right).map_err(|e| binary_error(e, expr, lhs, rhs));
        }
        let Value::Bool(l) = left else {
            return Err(type_error_one(op.symbol(), &left, lhs.span).into());
        };
        // Short-circuit: the right side may need a fact this scenario lacks.
        if (op == BinaryOp::Or && l) || (op == BinaryOp::And && !l) {
            return Ok(Value::Bool(l));
        }
        match self.eval_at(rhs, depth)? {
            Value::Bool(r) => Ok(Value::Bool(r)),
            other => Err(type_error_one(op.symbol(), &other, rhs.span).into()),
        }
    }

    /// The value of a `let` or fact: for a fact, the scenario's value, else
    /// its default, else an error.
    fn value_of(&self, name: &str, span: Span, depth: usize) -> Result<Value, EvalError> {
        let contract: &'a Contract = self.contract;
        let (declared, definition) = match contract.value_decl(name) {
            Some(ValueDecl::Let(decl)) => (decl.name.text.as_str(), &decl.value),
            Some(ValueDecl::Fact(fact)) => {
                if let Some(reads) = self.reads {
                    reads.borrow_mut().insert(name.to_string());
                }
                if let Some(value) = self.scenario.facts.get(name) {
                    return Ok(value.clone());
                }
                match &fact.default {
                    Some(default) => (fact.name.text.as_str(), default),
                    None => {
                        return Err(EvalError::MissingFact {
                            name: name.to_string(),
                            span,
                        });
                    }
                }
            }
            None => return Err(unknown_name(name, span).into()),
        };
        // A literal names nothing (no cycle to catch) and is read again as
        // cheaply as it is looked up: most facts' defaults and many lets.
        if let ExprKind::Literal(_) = definition.kind {
            return self.eval_at(definition, depth);
        }
        if let Some(value) = self.memo.borrow().get(declared) {
            return Ok(value.clone());
        }
        if self.active.borrow().contains(&declared) {
            return Err(EvalError::Cycle {
                name: name.to_string(),
                span,
            });
        }
        self.active.borrow_mut().push(declared);
        let result = self.eval_at(definition, depth);
        self.active.borrow_mut().pop();
        let value = result?;
        self.memo.borrow_mut().insert(declared, value.clone());
        Ok(value)
    }
}

#[inline(never)]
fn literal_value(literal: &crate::ast::Literal) -> Result<Value, EvalError> {
    Ok(Value::from_literal(literal))
}

#[cold]
fn not_a_value(name: &Name, kind: SymbolKind) -> Diagnostic {
    eval_error(
        format!("`{}` is {}, not a value", name.text, kind.article_noun()),
        name.span,
        "not a value",
    )
}

#[cold]
fn unknown_name(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownName,
        format!("`{name}` is not declared"),
        span,
        "not declared",
    )
}

#[cold]
fn type_error_one(op: &str, value: &Value, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("`{op}` cannot apply to {}", value.ty()),
        span,
        format!("this is {}", value.ty()),
    )
}

#[cold]
fn binary_error(error: ValueError, expr: &Expr, lhs: &Expr, rhs: &Expr) -> EvalError {
    match error {
        ValueError::TypeMismatch { op, lhs: l, rhs: r } => Diagnostic::new(
            Code::TypeMismatch,
            format!("`{op}` cannot combine {l} with {r}"),
            lhs.span,
            format!("this is {l}"),
        )
        .with_label(rhs.span, format!("this is {r}"))
        .into(),
        ValueError::Decimal(DecimalError::DivisionByZero) => EvalError::DivisionByZero {
            divisor: rhs.span,
            dividend: lhs.span,
        },
        ValueError::Incomparable { .. } => eval_error(error.to_string(), lhs.span, "this")
            .with_label(rhs.span, "cannot be ordered against this")
            .with_help("compare durations in the same unit (months or days)")
            .into(),
        ValueError::Decimal(DecimalError::OutOfRange)
        | ValueError::DateOutOfRange
        | ValueError::DurationOutOfRange => out_of_range(error, expr.span, "this has no result"),
        ValueError::NotWhole(_) => {
            eval_error(error.to_string(), expr.span, "this has no result").into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{DurationLit, DurationUnit, ItemKind, Literal, Sign, TypeName};
    use crate::decimal::Decimal;
    use crate::eval::tests::{contract_of, sp};

    fn lit(value: Literal) -> Expr {
        Expr {
            kind: ExprKind::Literal(value),
            span: sp(),
        }
    }
    fn money(text: &str) -> Expr {
        lit(Literal::Money {
            value: Decimal::parse(text).unwrap(),
            text: text.into(),
        })
    }
    fn name(text: &str) -> Expr {
        Expr {
            kind: ExprKind::Name(Name::new(text, sp())),
            span: sp(),
        }
    }
    fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr {
            kind: ExprKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            span: sp(),
        }
    }
    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn items() -> Vec<ItemKind> {
        use crate::eval::tests::{event, fact, let_};
        vec![
            event("agi", &[]),
            let_(
                "stake",
                lit(Literal::Percent {
                    value: Decimal::parse("0.27").unwrap(),
                    text: "27%".into(),
                }),
            ),
            let_("stake_value", money("135e9")),
            let_("loop_a", name("loop_b")),
            let_("loop_b", name("loop_a")),
            let_("launch", lit(Literal::Date(day("2028-01-31")))),
            fact("revenue", TypeName::Money, None),
            fact("flag", TypeName::Bool, Some(lit(Literal::Bool(true)))),
        ]
    }

    #[test]
    fn lets_facts_and_events() {
        let contract = contract_of(items());
        let mut scenario = Scenario::default();
        scenario.set_event("agi", Some(day("2028-03-01")));
        let env = Env::new(&contract, &scenario, day("2028-03-01"));
        let ratio = bin(BinaryOp::Div, name("stake_value"), name("stake"));
        assert_eq!(
            env.eval(&ratio),
            Ok(Value::Money(Decimal::parse("500e9").unwrap()))
        );
        assert_eq!(env.eval(&name("agi")), Ok(Value::Bool(true)));
        assert_eq!(env.eval(&name("flag")), Ok(Value::Bool(true)));
        let before = Env::new(&contract, &scenario, day("2028-02-29"));
        assert_eq!(before.eval(&name("agi")), Ok(Value::Bool(false)));
    }

    #[test]
    fn an_unknown_fact_is_an_eval_error_on_its_use() {
        let contract = contract_of(items());
        let scenario = Scenario::default();
        let env = Env::new(&contract, &scenario, day("2028-01-01"));
        let use_span = Span::new(40, 47);
        let revenue = Expr {
            kind: ExprKind::Name(Name::new("revenue", use_span)),
            span: use_span,
        };
        let error = env.eval(&revenue).unwrap_err();
        assert_eq!(error.missing_fact(), Some("revenue"));
        let error = Diagnostic::from(error);
        assert_eq!(error.code, Code::Eval);
        assert_eq!(error.primary_span(), use_span);
        assert!(error.message.contains("fact `revenue` has no value"));
        assert_eq!(
            error.help.as_deref(),
            Some("give it a value in the scenario or with `--fact revenue=...`")
        );
    }

    #[test]
    fn short_circuit_skips_unknown_facts() {
        let contract = contract_of(items());
        let scenario = Scenario::default();
        let env = Env::new(&contract, &scenario, day("2028-01-01"));
        let unknown = bin(BinaryOp::Gt, name("revenue"), money("1"));
        let either = bin(BinaryOp::Or, name("flag"), unknown.clone());
        assert_eq!(env.eval(&either), Ok(Value::Bool(true)));
        let both = bin(BinaryOp::And, name("agi"), unknown.clone());
        assert_eq!(env.eval(&both), Ok(Value::Bool(false)));
        let needed = bin(BinaryOp::And, name("flag"), unknown);
        assert!(env.eval(&needed).unwrap_err().is_missing_fact());
    }

    #[test]
    fn division_by_zero_labels_both_operands() {
        let contract = contract_of(items());
        let scenario = Scenario::default();
        let env = Env::new(&contract, &scenario, day("2028-01-01"));
        let mut lhs = money("1");
        lhs.span = Span::new(0, 2);
        let mut rhs = money("0");
        rhs.span = Span::new(5, 7);
        let mut division = bin(BinaryOp::Div, lhs, rhs);
        division.span = Span::new(0, 7);
        let error = env.eval(&division).unwrap_err();
        assert!(matches!(error, EvalError::DivisionByZero { .. }));
        let error = Diagnostic::from(error);
        assert_eq!(error.code, Code::Eval);
        assert_eq!(error.message, "division by zero");
        let spans: Vec<Span> = error.labels.iter().map(|l| l.span).collect();
        // The divisor is the primary label: it is what has to change.
        assert_eq!(spans, vec![Span::new(5, 7), Span::new(0, 2)]);
    }

    #[test]
    fn a_let_cycle_is_an_error_not_a_stack_overflow() {
        let contract = contract_of(items());
        let scenario = Scenario::default();
        let env = Env::new(&contract, &scenario, day("2028-01-01"));
        let error = env.eval(&name("loop_a")).unwrap_err();
        assert!(matches!(error, EvalError::Cycle { .. }));
        let error = Diagnostic::from(error);
        assert_eq!(error.code, Code::Eval);
        assert!(error.message.contains("in terms of itself"));
    }

    #[test]
    fn time_expressions() {
        let contract = contract_of(items());
        let mut scenario = Scenario::default();
        let env = Env::new(&contract, &scenario, day("2028-01-01"));
        let time = |kind| TimeExpr { kind, span: sp() };
        let agi = time(TimeKind::Name(Name::new("agi", sp())));
        let launch = time(TimeKind::Name(Name::new("launch", sp())));
        assert_eq!(env.time(&agi), Ok(Time::Never));
        let shifted = time(TimeKind::Shift {
            base: Box::new(launch.clone()),
            sign: Sign::Plus,
            duration: DurationLit {
                amount: 1,
                unit: DurationUnit::Month,
                span: sp(),
            },
        });
        assert_eq!(env.time(&shifted), Ok(Time::Day(day("2028-02-29"))));
        let either = time(TimeKind::Or(
            Box::new(agi.clone()),
            Box::new(launch.clone()),
        ));
        assert_eq!(env.time(&either), Ok(Time::Day(day("2028-01-31"))));
        let both = time(TimeKind::And(
            Box::new(agi.clone()),
            Box::new(launch.clone()),
        ));
        assert_eq!(env.time(&both), Ok(Time::Never));
        scenario.set_event("agi", Some(day("2029-05-05")));
        let env = Env::new(&contract, &scenario, day("2028-01-01"));
        assert_eq!(env.time(&both), Ok(Time::Day(day("2029-05-05"))));
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;
    use crate::ast::Name;
    use crate::eval::tests::{contract_of, let_, money, sp};

    fn nested(depth: usize) -> Expr {
        let mut e = money("1");
        for _ in 0..depth {
            e = Expr {
                kind: ExprKind::Unary {
                    op: UnaryOp::Neg,
                    operand: Box::new(e),
                },
                span: sp(),
            };
        }
        e
    }

    #[test]
    fn the_deepest_evaluation_fits_a_test_threads_stack() {
        let contract = contract_of(vec![let_("x", money("1"))]);
        let scenario = Scenario::default();
        let env = Env::new(&contract, &scenario, NaiveDate::MIN);
        // MAX_DEPTH levels: MAX_DEPTH - 1 operators over one literal.
        assert!(env.eval(&nested(MAX_DEPTH - 1)).is_ok());
        let error = env.eval(&nested(MAX_DEPTH)).unwrap_err();
        assert!(matches!(error, EvalError::TooDeep { .. }));
        assert_eq!(Diagnostic::from(error).code, Code::Limit);
    }

    #[test]
    fn a_long_let_chain_is_linear_and_bounded() {
        // let0 = $1; let_k = let_{k-1} + let_{k-1}: exponential without memoising.
        let mut items = vec![let_("v0", money("1"))];
        for k in 1..60 {
            let previous = || Expr {
                kind: ExprKind::Name(Name::new(format!("v{}", k - 1), sp())),
                span: sp(),
            };
            items.push(let_(
                &format!("v{k}"),
                Expr {
                    kind: ExprKind::Binary {
                        op: BinaryOp::Add,
                        lhs: Box::new(previous()),
                        rhs: Box::new(previous()),
                    },
                    span: sp(),
                },
            ));
        }
        let contract = contract_of(items);
        let scenario = Scenario::default();
        let env = Env::new(&contract, &scenario, NaiveDate::MIN);
        let last = Expr {
            kind: ExprKind::Name(Name::new("v59", sp())),
            span: sp(),
        };
        let expected = crate::decimal::Decimal::parse("576460752303423488").unwrap();
        assert_eq!(env.eval(&last), Ok(Value::Money(expected)));
    }
}
