//! The one-line text of every node: expressions, times, queries, qualifiers
//! and the pieces that `layout` arranges into lines.
//!
//! Parentheses are printed where the tree has them (`Paren`). A tree built by
//! hand may lack some that precedence needs; those are added, so the text
//! always reads back as the same structure. Left-nested chains (`a + b + c`,
//! `x or y or z`) are walked in a loop, not by recursion, so their length does
//! not reach the stack; only parentheses recurse, and the parser bounds their
//! depth (`limits::MAX_NESTING`).

use crate::ast::{
    ActQuery, Assertion, BinaryOp, Clause, ClauseBody, Decl, DurationLit, DurationUnit, ExpectKind,
    Expr, ExprKind, Fact, Group, HoldsQuery, Literal, Modality, Name, Object, Precedence,
    Qualifier, QualifierKind, Quantifier, Query, Record, Sign, Slots, TimeExpr, TimeKind, TypeName,
    UnaryOp,
};

// ---------------------------------------------------------------- expressions

/// How tightly an expression binds (spec section 5), loosest first.
/// A precedence as the level `write_expr` compares: looser binds less.
const fn level(precedence: Precedence) -> u8 {
    precedence as u8 + 1
}

const EXPR_NOT: u8 = level(Precedence::Not);
const EXPR_NEG: u8 = level(Precedence::Neg);
const EXPR_ATOM: u8 = level(Precedence::Atom);

fn binary_level(op: BinaryOp) -> u8 {
    level(op.precedence())
}

fn expr_level(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::Binary { op, .. } => binary_level(*op),
        ExprKind::Unary {
            op: UnaryOp::Not, ..
        } => EXPR_NOT,
        ExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => EXPR_NEG,
        ExprKind::Literal(_)
        | ExprKind::Name(_)
        | ExprKind::Paren(_)
        | ExprKind::Extremum { .. }
        | ExprKind::EventBy { .. }
        | ExprKind::StatusIs { .. } => EXPR_ATOM,
    }
}

/// The least level a left operand needs to go without parentheses:
/// comparisons do not chain, everything else folds to the left.
fn lhs_min_level(op: BinaryOp) -> u8 {
    let level = binary_level(op);
    if op.is_comparison() { level + 1 } else { level }
}

pub fn expr(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, 0);
    out
}

fn write_expr(out: &mut String, expr: &Expr, min_level: u8) {
    if expr_level(expr) < min_level {
        out.push('(');
        write_expr(out, expr, 0);
        out.push(')');
        return;
    }
    match &expr.kind {
        ExprKind::Literal(literal) => write_literal(out, literal),
        ExprKind::Name(name) => out.push_str(&name.text),
        ExprKind::Paren(inner) => {
            out.push('(');
            write_expr(out, inner, 0);
            out.push(')');
        }
        ExprKind::Unary { op, operand } => match op {
            UnaryOp::Not => {
                out.push_str("not ");
                write_expr(out, operand, EXPR_NOT);
            }
            UnaryOp::Neg => {
                out.push('-');
                write_expr(out, operand, EXPR_NEG);
            }
        },
        ExprKind::Binary { .. } => write_binary_chain(out, expr),
        ExprKind::Extremum { which, args } => {
            out.push_str(which.keyword());
            out.push('(');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, arg, 0);
            }
            out.push(')');
        }
        ExprKind::EventBy { event, deadline } => {
            out.push_str(&event.text);
            out.push_str(" by ");
            // The grammar reads a shifted time here: `or`/`and` need parentheses.
            write_time(out, deadline, TIME_SHIFT);
        }
        ExprKind::StatusIs { label, status } => {
            out.push_str(&label.text);
            out.push_str(" is ");
            out.push_str(status.status.as_str());
        }
    }
}

/// `a + b - c`: the left spine of binary nodes that need no parentheses,
/// printed bottom-up in a loop.
fn write_binary_chain(out: &mut String, top: &Expr) {
    let mut spine: Vec<(BinaryOp, &Expr)> = Vec::new();
    let mut current = top;
    while let ExprKind::Binary { op, lhs, rhs } = &current.kind {
        spine.push((*op, rhs));
        let lhs_min = lhs_min_level(*op);
        if matches!(lhs.kind, ExprKind::Binary { .. }) && expr_level(lhs) >= lhs_min {
            current = lhs;
        } else {
            write_expr(out, lhs, lhs_min);
            break;
        }
    }
    for (op, rhs) in spine.iter().rev() {
        out.push(' ');
        out.push_str(op.symbol());
        out.push(' ');
        write_expr(out, rhs, binary_level(*op) + 1);
    }
}

fn write_literal(out: &mut String, literal: &Literal) {
    match literal {
        Literal::Number { text, .. }
        | Literal::Money { text, .. }
        | Literal::Percent { text, .. } => out.push_str(text),
        Literal::Quantity { text, unit, .. } => {
            out.push_str(text);
            out.push(' ');
            out.push_str(&unit.text);
        }
        Literal::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Literal::Date(date) => out.push_str(&date.format("%Y-%m-%d").to_string()),
        Literal::Duration(duration) => out.push_str(&self::duration(duration)),
        Literal::String(value) => out.push_str(&string(value)),
    }
}

/// `"..."` with the spec's four escapes.
pub fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// `1 month`, `3 months`: the singular word exactly for one.
pub fn duration(duration: &DurationLit) -> String {
    let (one, many) = match duration.unit {
        DurationUnit::Day => ("day", "days"),
        DurationUnit::Week => ("week", "weeks"),
        DurationUnit::Month => ("month", "months"),
        DurationUnit::Year => ("year", "years"),
    };
    let word = if duration.amount == 1 { one } else { many };
    format!("{} {}", duration.amount, word)
}

// ---------------------------------------------------------------- time

const TIME_OR: u8 = 1;
const TIME_AND: u8 = 2;
const TIME_SHIFT: u8 = 3;
const TIME_ATOM: u8 = 4;

fn time_level(time: &TimeExpr) -> u8 {
    match &time.kind {
        TimeKind::Or(..) => TIME_OR,
        TimeKind::And(..) => TIME_AND,
        TimeKind::Shift { .. } => TIME_SHIFT,
        TimeKind::Date(_) | TimeKind::Name(_) | TimeKind::Paren(_) => TIME_ATOM,
    }
}

pub fn time(time: &TimeExpr) -> String {
    let mut out = String::new();
    write_time(&mut out, time, 0);
    out
}

/// One step of a left-folded time chain: what follows the left operand.
enum TimeStep<'a> {
    Or(&'a TimeExpr),
    And(&'a TimeExpr),
    Shift(Sign, &'a DurationLit),
}

fn write_time(out: &mut String, time: &TimeExpr, min_level: u8) {
    let level = time_level(time);
    if level < min_level {
        out.push('(');
        write_time(out, time, 0);
        out.push(')');
        return;
    }
    match &time.kind {
        TimeKind::Date(date) => out.push_str(&date.format("%Y-%m-%d").to_string()),
        TimeKind::Name(name) => out.push_str(&name.text),
        TimeKind::Paren(inner) => {
            out.push('(');
            write_time(out, inner, 0);
            out.push(')');
        }
        TimeKind::Or(..) | TimeKind::And(..) | TimeKind::Shift { .. } => {
            // Walk the left spine while each left operand binds at least as
            // tightly as its parent needs; the rest recurses.
            let mut steps: Vec<TimeStep<'_>> = Vec::new();
            let mut current = time;
            loop {
                let (step, left, parent_level) = match &current.kind {
                    TimeKind::Or(lhs, rhs) => (TimeStep::Or(rhs), lhs.as_ref(), TIME_OR),
                    TimeKind::And(lhs, rhs) => (TimeStep::And(rhs), lhs.as_ref(), TIME_AND),
                    TimeKind::Shift {
                        base,
                        sign,
                        duration,
                    } => (TimeStep::Shift(*sign, duration), base.as_ref(), TIME_SHIFT),
                    _ => break,
                };
                steps.push(step);
                let left_level = time_level(left);
                if left_level >= parent_level && left_level < TIME_ATOM {
                    current = left;
                } else {
                    write_time(out, left, parent_level);
                    break;
                }
            }
            for step in steps.iter().rev() {
                match step {
                    TimeStep::Or(rhs) => {
                        out.push_str(" or ");
                        write_time(out, rhs, TIME_AND);
                    }
                    TimeStep::And(rhs) => {
                        out.push_str(" and ");
                        write_time(out, rhs, TIME_SHIFT);
                    }
                    TimeStep::Shift(sign, duration) => {
                        out.push_str(match sign {
                            Sign::Plus => " + ",
                            Sign::Minus => " - ",
                        });
                        out.push_str(&self::duration(duration));
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- queries

fn names(list: &[Name]) -> String {
    list.iter()
        .map(|n| n.text.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_slots(out: &mut String, slots: &Slots) {
    for (keyword, slot) in [("on", &slots.on), ("to", &slots.to), ("with", &slots.with)] {
        if let Some(name) = slot {
            out.push(' ');
            out.push_str(keyword);
            out.push(' ');
            out.push_str(&name.text);
        }
    }
}

fn act_query(keyword: &str, q: &ActQuery) -> String {
    let mut out = format!("{keyword} {} {} {}", q.party, q.action, q.object);
    write_slots(&mut out, &q.slots);
    out
}

fn holds_query(q: &HoldsQuery) -> String {
    let mut out = format!("holds {} {}", q.party, q.object);
    write_slots(&mut out, &q.slots);
    out
}

pub fn query(query: &Query) -> String {
    match query {
        Query::May(q) => act_query("may", q),
        Query::Must(q) => act_query("must", q),
        Query::Holds(q) => holds_query(q),
        Query::Status(label) => format!("status {label}"),
        Query::Expr(e) => expr(e),
    }
}

pub fn expectation(kind: &ExpectKind) -> String {
    match kind {
        ExpectKind::Yes(q) => query(q),
        ExpectKind::No(q) => format!("not {}", query(q)),
        ExpectKind::Unspecified(q) => format!("unspecified {}", query(q)),
        ExpectKind::Status { label, status } => {
            format!("status {label} is {}", status.status.as_str())
        }
        ExpectKind::Expr(e) => expr(e),
    }
}

// ---------------------------------------------------------------- clauses

pub fn qualifier(qualifier: &Qualifier) -> String {
    let keyword = qualifier.kind.keyword();
    let rest = match &qualifier.kind {
        QualifierKind::On(list)
        | QualifierKind::To(list)
        | QualifierKind::With(list)
        | QualifierKind::Notwithstanding(list) => names(list),
        QualifierKind::From(t)
        | QualifierKind::Until(t)
        | QualifierKind::Through(t)
        | QualifierKind::By(t) => time(t),
        QualifierKind::When(e) | QualifierKind::Unless(e) => expr(e),
        QualifierKind::Within {
            duration: d,
            after: Some(t),
        } => format!("{} after {}", duration(d), time(t)),
        QualifierKind::Within {
            duration: d,
            after: None,
        }
        | QualifierKind::Every(d) => duration(d),
        QualifierKind::Survives(None) => return keyword.to_string(),
        QualifierKind::Survives(Some(d)) => duration(d),
    };
    format!("{keyword} {rest}")
}

/// A quantity before `of`: the grammar takes only a literal, a name or a
/// parenthesised expression there.
fn quantity(quantity: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, quantity, EXPR_ATOM);
    out
}

fn object(object: &Object) -> String {
    match &object.quantity {
        Some(q) => format!("{} of {}", quantity(q), object.name),
        None => object.name.text.clone(),
    }
}

/// `label: body`, the part of a clause before its qualifiers.
pub fn clause_head(clause: &Clause) -> String {
    let body = match &clause.body {
        ClauseBody::Act {
            modality,
            party,
            action,
            object: obj,
        } => {
            let verb = match modality {
                Modality::May => "may",
                Modality::Must => "must",
                Modality::MustNot => "must not",
            };
            format!("{party} {verb} {action} {}", object(obj))
        }
        ClauseBody::Holds {
            negated,
            party,
            object: obj,
        } => {
            let no = if *negated { "no " } else { "" };
            format!("{party} holds {no}{}", object(obj))
        }
        ClauseBody::Exclusive { object: obj } => format!("exclusive {}", object(obj)),
        ClauseBody::Only {
            party,
            action,
            object: obj,
        } => format!("only {party} may {action} {}", object(obj)),
    };
    match &clause.label {
        Some(label) => format!("{label}: {body}"),
        None => body,
    }
}

pub fn clause(clause: &Clause) -> String {
    join_line(
        &clause_head(clause),
        clause.qualifiers.iter().map(qualifier),
    )
}

/// A head and its continuation pieces on one line.
pub fn join_line(head: &str, rest: impl IntoIterator<Item = String>) -> String {
    let mut out = head.to_string();
    for piece in rest {
        out.push(' ');
        out.push_str(&piece);
    }
    out
}

// ---------------------------------------------------------------- declarations

fn with_label(head: String, label: Option<&crate::ast::Str>) -> String {
    match label {
        Some(label) => format!("{head} {}", string(&label.value)),
        None => head,
    }
}

/// `KIND name ["label"]`; an event's `by` and `after` are separate pieces.
pub fn decl_head(decl: &Decl) -> String {
    with_label(
        format!("{} {}", decl.kind.keyword(), decl.name),
        decl.label.as_ref(),
    )
}

/// An event's `by P`.
pub fn decl_by(party: &Name) -> String {
    format!("by {party}")
}

/// An event's `after E, F`.
pub fn decl_after(events: &[Name]) -> String {
    format!("after {}", names(events))
}

pub fn group(group: &Group) -> String {
    let head = with_label(format!("group {}", group.name), group.label.as_ref());
    format!("{head} = {}", names(&group.members))
}

fn type_name(ty: &TypeName) -> &str {
    match ty {
        TypeName::Money => "money",
        TypeName::Percent => "percent",
        TypeName::Number => "number",
        TypeName::Bool => "bool",
        TypeName::Date => "date",
        TypeName::Duration => "duration",
        TypeName::Unit(name) => &name.text,
    }
}

pub fn fact(fact: &Fact) -> String {
    let head = with_label(format!("fact {}", fact.name), fact.label.as_ref());
    let mut out = format!("{head}: {}", type_name(&fact.ty.kind));
    if let Some(default) = &fact.default {
        out.push_str(" = ");
        out.push_str(&expr(default));
    }
    out
}

pub fn scenario_head(name: &Name, label: Option<&crate::ast::Str>) -> String {
    format!("{} {{", with_label(format!("scenario {name}"), label))
}

/// `PARTY ACTION [Q of] ASSET`, before the record's qualifiers and date.
pub fn record_head(record: &Record) -> String {
    let mut out = format!("{} {} ", record.party, record.action);
    if let Some(q) = &record.quantity {
        out.push_str(&quantity(q));
        out.push_str(" of ");
    }
    out.push_str(&record.asset.text);
    out
}

/// `assert LABEL: always QUERY`, before the window.
pub fn assertion_head(assertion: &Assertion) -> String {
    let quantifier = match assertion.quantifier {
        Quantifier::Always => "always",
        Quantifier::AlwaysNot => "always not",
        Quantifier::Never => "never",
    };
    format!(
        "assert {}: {quantifier} {}",
        assertion.label,
        query(&assertion.query)
    )
}
