//! Times and conditions as English phrases.
//!
//! An event reads as its label, which is written as a sentence ("The expert
//! panel verifies the AGI declaration"), so `until agi_verified` reads
//! "until the expert panel verifies the AGI declaration". Recursion follows
//! the tree, whose depth the parser bounds; past `MAX_PHRASE_DEPTH` the
//! deal text itself is shown.

use super::words::{
    constant_let, date_words, declared_label, mid_sentence, reading, short_label, spaced,
};
use crate::ast::{BinaryOp, Expr, ExprKind, Extremum, Literal, Sign, TimeExpr, TimeKind, UnaryOp};
use crate::eval::{Contract, Value};
use crate::fmt::{format_expr, format_time};
use crate::symbols::SymbolKind;

/// Deepest nesting rendered as words; deeper parts are shown as deal text.
const MAX_PHRASE_DEPTH: usize = 32;

/// The preposition a time follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preposition {
    From,
    Until,
    Through,
    By,
}

impl Preposition {
    fn word(self) -> &'static str {
        match self {
            Preposition::From => "from",
            Preposition::Until => "until",
            Preposition::Through => "through",
            Preposition::By => "by",
        }
    }

    /// What joins the preposition to an event's sentence.
    fn before_event(self) -> &'static str {
        match self {
            Preposition::From => "from when",
            Preposition::Until => "until",
            Preposition::Through => "through the day",
            Preposition::By => "by the time",
        }
    }
}

/// An event as a clause: its label mid-sentence, or "NAME happens".
pub fn event_clause(contract: &Contract, name: &str) -> String {
    match declared_label(contract, name) {
        Some(label) => mid_sentence(contract, short_label(label)),
        None => format!("{} happens", spaced(name)),
    }
}

/// `from T`, `until T`, `through D`, `by T` in words.
pub fn time_phrase(contract: &Contract, preposition: Preposition, time: &TimeExpr) -> String {
    timed(contract, preposition, time, 0)
}

fn timed(contract: &Contract, preposition: Preposition, time: &TimeExpr, depth: usize) -> String {
    if depth > MAX_PHRASE_DEPTH {
        return format!("{} {}", preposition.word(), format_time(time));
    }
    match &time.kind {
        TimeKind::Paren(inner) => timed(contract, preposition, inner, depth + 1),
        TimeKind::Name(name) if is_event(contract, &name.text) => format!(
            "{} {}",
            preposition.before_event(),
            event_clause(contract, &name.text)
        ),
        TimeKind::Or(..) | TimeKind::And(..) => {
            let first = matches!(time.kind, TimeKind::Or(..));
            let mut operands = Vec::new();
            flatten_time(time, first, &mut operands, 0);
            let phrases: Vec<String> = operands
                .iter()
                .map(|t| timed(contract, preposition, t, depth + 1))
                .collect();
            let (joiner, which) = if first {
                ("or", "first")
            } else {
                ("and", "last")
            };
            format!(
                "{}, whichever comes {which}",
                super::words::join_words(&phrases, joiner)
            )
        }
        _ => format!(
            "{} {}",
            preposition.word(),
            point(contract, time, depth + 1)
        ),
    }
}

/// The operands of a chain of `or` (or of `and`), parentheses looked through.
fn flatten_time<'t>(time: &'t TimeExpr, or: bool, out: &mut Vec<&'t TimeExpr>, depth: usize) {
    let split = match &time.kind {
        TimeKind::Or(a, b) if or => Some((a, b)),
        TimeKind::And(a, b) if !or => Some((a, b)),
        _ => None,
    };
    match split {
        Some((a, b)) if depth < MAX_PHRASE_DEPTH => {
            flatten_time(a, or, out, depth + 1);
            flatten_time(b, or, out, depth + 1);
        }
        _ => out.push(time),
    }
}

/// A time as a noun or clause without a preposition, for phrases that
/// bring their own ("within 30 days after ...").
pub fn point_phrase(contract: &Contract, time: &TimeExpr) -> String {
    point(contract, time, 0)
}

/// A time as a noun or clause without a preposition: "31 December 2032",
/// "1 year after the expert panel verifies the AGI declaration".
fn point(contract: &Contract, time: &TimeExpr, depth: usize) -> String {
    if depth > MAX_PHRASE_DEPTH {
        return format_time(time);
    }
    match &time.kind {
        TimeKind::Date(date) => date_words(*date),
        TimeKind::Paren(inner) => point(contract, inner, depth + 1),
        TimeKind::Name(name) if is_event(contract, &name.text) => {
            event_clause(contract, &name.text)
        }
        TimeKind::Name(name) => match constant_let(contract, &name.text) {
            Some(Value::Date(date)) => format!("{} ({})", spaced(&name.text), date_words(date)),
            _ => spaced(&name.text),
        },
        TimeKind::Shift {
            base,
            sign,
            duration,
        } => {
            let direction = match sign {
                Sign::Plus => "after",
                Sign::Minus => "before",
            };
            let (months, days) = duration.months_days();
            format!(
                "{} {direction} {}",
                crate::eval::value::duration_display(months, days),
                point(contract, base, depth + 1)
            )
        }
        TimeKind::Or(a, b) => format!(
            "the earlier of {} and {}",
            point(contract, a, depth + 1),
            point(contract, b, depth + 1)
        ),
        TimeKind::And(a, b) => format!(
            "the later of {} and {}",
            point(contract, a, depth + 1),
            point(contract, b, depth + 1)
        ),
    }
}

fn is_event(contract: &Contract, name: &str) -> bool {
    contract.symbols.kind(name) == Some(SymbolKind::Event)
}

/// A `when`/`unless` condition in words: "training compute exceeds the
/// compute threshold", "safety guardrails is true".
pub fn condition_phrase(contract: &Contract, condition: &Expr) -> String {
    condition_at(contract, condition, 0)
}

fn condition_at(contract: &Contract, condition: &Expr, depth: usize) -> String {
    if depth > MAX_PHRASE_DEPTH {
        return format_expr(condition);
    }
    match &condition.kind {
        ExprKind::Paren(inner) => condition_at(contract, inner, depth + 1),
        ExprKind::Name(name) => match contract.symbols.kind(&name.text) {
            Some(SymbolKind::Event) => event_clause(contract, &name.text),
            _ => format!("{} is true", subject(contract, &name.text)),
        },
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => match &strip_parens(operand).kind {
            ExprKind::Name(name) => match contract.symbols.kind(&name.text) {
                Some(SymbolKind::Event) => {
                    format!("{} has not happened", spaced(&name.text))
                }
                _ => format!("{} is false", subject(contract, &name.text)),
            },
            _ => format!(
                "it is not the case that {}",
                condition_at(contract, operand, depth + 1)
            ),
        },
        ExprKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::And | BinaryOp::Or => format!(
                "{} {} {}",
                condition_at(contract, lhs, depth + 1),
                op.symbol(),
                condition_at(contract, rhs, depth + 1)
            ),
            op if op.is_comparison() => format!(
                "{} {} {}",
                operand(contract, lhs, true),
                comparison_verb(*op),
                operand(contract, rhs, false)
            ),
            _ => format_expr(condition),
        },
        ExprKind::EventBy { event, deadline } => format!(
            "{} by {}",
            event_clause(contract, &event.text),
            point(contract, deadline, depth + 1)
        ),
        // A clause label is an identifier the reader finds in the listing.
        ExprKind::StatusIs { label, status } => {
            format!("{} is {}", label.text, status.status.as_str())
        }
        ExprKind::Literal(Literal::Bool(true)) => "always".to_string(),
        ExprKind::Literal(Literal::Bool(false)) => "never".to_string(),
        _ => format_expr(condition),
    }
}

/// Whether `expr` is a percent literal or a constant `let` of a percent:
/// `12% * net_sales` and `royalty_rate * net_sales` read "... of ...".
fn is_percent(contract: &Contract, expr: &Expr) -> bool {
    match &strip_parens(expr).kind {
        ExprKind::Literal(Literal::Percent { .. }) => true,
        ExprKind::Name(name) => {
            matches!(constant_let(contract, &name.text), Some(Value::Percent(_)))
        }
        _ => false,
    }
}

fn strip_parens(expr: &Expr) -> &Expr {
    let mut current = expr;
    for _ in 0..MAX_PHRASE_DEPTH {
        match &current.kind {
            ExprKind::Paren(inner) => current = inner,
            _ => break,
        }
    }
    current
}

fn comparison_verb(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Gt => "exceeds",
        BinaryOp::Ge => "is at least",
        BinaryOp::Lt => "is below",
        BinaryOp::Le => "is at most",
        BinaryOp::Ne => "is not",
        _ => "is",
    }
}

/// A fact or `let` as the subject of a comparison: its label or spaced name.
fn subject(contract: &Contract, name: &str) -> String {
    match declared_label(contract, name) {
        Some(label) => mid_sentence(contract, short_label(label)),
        None => spaced(name),
    }
}

/// One side of a comparison: a value in words (see `value_at`); a fact by
/// name gets "the" when it is the object, as in "exceeds the compute
/// threshold".
fn operand(contract: &Contract, expr: &Expr, is_subject: bool) -> String {
    let words = value_at(contract, expr, 0);
    let is_plain_name = matches!(&strip_parens(expr).kind, ExprKind::Name(name)
        if contract.symbols.kind(&name.text) != Some(SymbolKind::Let)
            || constant_let(contract, &name.text).is_none());
    if is_plain_name && !is_subject && words.starts_with(|c: char| c.is_lowercase()) {
        format!("the {words}")
    } else {
        words
    }
}

/// A quantity before `of`: the literal as written (money rounded for
/// reading), a named value with its value ("27% (stake)"), `max`/`min` as
/// "the greater of ...".
pub fn quantity_phrase(contract: &Contract, quantity: &Expr) -> String {
    match &strip_parens(quantity).kind {
        ExprKind::Name(name) => match constant_let(contract, &name.text) {
            Some(value) => format!("{} ({})", reading(&value), name.text),
            None => spaced(&name.text),
        },
        _ => value_at(contract, quantity, 0),
    }
}

/// A value in words: a literal as written (money rounded for reading); a
/// fact or `let` by its label or spaced name, a constant `let` with its
/// value; `12% * net_sales` as "12% of net sales"; `max`/`min` as "the
/// greater (lesser) of ...". Anything else as deal text.
fn value_at(contract: &Contract, expr: &Expr, depth: usize) -> String {
    if depth > MAX_PHRASE_DEPTH {
        return format_expr(expr);
    }
    match &expr.kind {
        ExprKind::Paren(inner) => value_at(contract, inner, depth + 1),
        ExprKind::Literal(literal @ Literal::Money { .. }) => {
            reading(&Value::from_literal(literal))
        }
        ExprKind::Name(name) => {
            let words = subject(contract, &name.text);
            match contract.symbols.kind(&name.text) {
                Some(SymbolKind::Let) => match constant_let(contract, &name.text) {
                    Some(value) => format!("{words} ({})", reading(&value)),
                    None => words,
                },
                _ => words,
            }
        }
        ExprKind::Binary {
            op: BinaryOp::Mul,
            lhs,
            rhs,
        } if is_percent(contract, lhs) => format!(
            "{} of {}",
            value_at(contract, lhs, depth + 1),
            value_at(contract, rhs, depth + 1)
        ),
        ExprKind::Extremum { which, args } => {
            let values: Vec<String> = args
                .iter()
                .map(|arg| value_at(contract, arg, depth + 1))
                .collect();
            let word = match (which, values.len()) {
                (Extremum::Max, 2) => "greater",
                (Extremum::Max, _) => "greatest",
                (Extremum::Min, 2) => "lesser",
                (Extremum::Min, _) => "least",
            };
            format!("the {word} of {}", super::words::join_words(&values, "and"))
        }
        _ => format_expr(expr),
    }
}
