//! `undecidable`: a `when`/`unless` condition compares single facts with
//! constants (spec section 5), so that only the order of facts and constants
//! matters and finitely many representative values decide every analysis.
//!
//! Atoms: a comparison whose sides are each a fact or a constant (a literal, a
//! `let` that uses no fact or event, or arithmetic on constants only); a bool
//! fact, an event, a bool literal or a constant standing alone. `and`, `or`,
//! `not` and parentheses combine atoms.

use super::{Checker, MAX_DEPTH};
use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::diagnostic::{Code, Diagnostic};
use crate::symbols::SymbolKind;

impl Checker<'_> {
    /// Type a condition as a bool, then check it is decidable.
    pub(crate) fn check_condition(&mut self, condition: &Expr) {
        if self.expect_bool(condition, "a condition") {
            self.decidable(condition, 0);
        }
    }

    fn decidable(&mut self, expr: &Expr, depth: usize) {
        if depth > MAX_DEPTH {
            self.nested_too_deeply(expr.span);
            return;
        }
        match &expr.kind {
            ExprKind::Paren(inner) => self.decidable(inner, depth + 1),
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => self.decidable(operand, depth + 1),
            ExprKind::Binary {
                op: BinaryOp::And | BinaryOp::Or,
                lhs,
                rhs,
            } => {
                self.decidable(lhs, depth + 1);
                self.decidable(rhs, depth + 1);
            }
            ExprKind::Binary { op, lhs, rhs } if op.is_comparison() => {
                self.comparison_side(lhs);
                self.comparison_side(rhs);
            }
            ExprKind::Name(name)
                if self.symbols.kind(&name.text) == Some(SymbolKind::Let)
                    && !self.is_constant_let(&name.text) =>
            {
                self.report(computed_let(expr, &name.text));
            }
            // Literals, `E by T` and `L is STATUS` stand alone; anything else
            // here is not a bool and was reported as a type mismatch.
            _ => {}
        }
    }

    fn comparison_side(&mut self, side: &Expr) {
        let side = strip_parens(side);
        match &side.kind {
            ExprKind::Literal(_) => {}
            ExprKind::Name(name) => match self.symbols.kind(&name.text) {
                Some(SymbolKind::Event) => self.report(
                    Diagnostic::new(
                        Code::Undecidable,
                        format!("a condition compares the event `{name}`"),
                        side.span,
                        "an event stands alone in a condition",
                    )
                    .with_help(format!("write `{name}` or `not {name}`")),
                ),
                Some(SymbolKind::Let) if !self.is_constant_let(&name.text) => {
                    self.report(computed_let(side, &name.text));
                }
                _ => {}
            },
            _ if !self.uses_fact_or_event(side) => {}
            _ => self.report(
                Diagnostic::new(
                    Code::Undecidable,
                    "a condition compares a value computed from a fact",
                    side.span,
                    "arithmetic on a fact",
                )
                .with_help(
                    "compare a single fact with a constant (e.g. `revenue >= $100B`); \
                     for a computed value, introduce a fact that scenarios supply",
                ),
            ),
        }
    }

    fn is_constant_let(&self, name: &str) -> bool {
        self.lets.get(name).is_none_or(|info| info.constant)
    }
}

fn computed_let(at: &Expr, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Undecidable,
        format!("a condition uses `{name}`, which is computed from facts or events"),
        at.span,
        "computed from a fact or an event",
    )
    .with_help("write the comparison in the condition itself, a single fact against a constant")
}

/// `((x))` is `x`. Iterative: parentheses can nest deeply.
fn strip_parens(mut expr: &Expr) -> &Expr {
    while let ExprKind::Paren(inner) = &expr.kind {
        expr = inner;
    }
    expr
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use crate::diagnostic::Code;

    #[test]
    fn decidable_conditions() {
        let run = Run::with(
            "let threshold = $100B * 2\n\
             let flag = true\n\
             openai may host api when training_compute > compute_threshold\n\
             openai may host api when revenue >= $100B and not safe\n\
             openai may host api when (revenue > threshold or agi_verified) and flag\n\
             openai may host api unless revenue < $1B * 3\n\
             assert a: always may openai host api when safe unless revenue > costs\n",
        );
        assert_eq!(run.diagnostics, vec![]);
    }

    #[test]
    fn undecidable_conditions() {
        let cases = [
            (
                "let r = revenue * 2\nopenai may host api when r > costs\n",
                "r",
            ),
            (
                "let big = revenue > $1B\nopenai may host api when big\n",
                "big",
            ),
            (
                "openai may host api when agi_verified == true\n",
                "agi_verified",
            ),
            ("openai may host api unless -revenue < costs\n", "-revenue"),
            (
                "assert a: always may openai host api when revenue + costs > $1B\n",
                "revenue + costs",
            ),
        ];
        for (lines, under) in cases {
            let run = Run::with(lines);
            let d = run.only(Code::Undecidable);
            assert_eq!(run.labelled(d)[0].0, under, "{lines}");
        }
    }
}
