//! `expect` blocks (spec section 6): each line is a query with the answer
//! it must give.

use crate::ast::{self, ExpectKind, Query, ScenarioLine};
use crate::diagnostic::Diagnostic;
use crate::eval::query::answer;
use crate::eval::scenario::Scenario;
use crate::eval::{ClauseId, Contract};
use crate::source::Span;
use chrono::NaiveDate;

/// The result of one expectation line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectOutcome {
    /// The expectation line.
    pub span: Span,
    /// `yes`, `no`, `unspecified`, a status word, or `true` for an expression.
    pub expected: String,
    /// The answer word, a value written as a literal, or `error: CODE`.
    pub got: String,
    pub passed: bool,
    /// The clauses that decided the answer.
    pub deciding: Vec<ClauseId>,
    /// The day of the `expect at` block.
    pub at: NaiveDate,
    /// The evaluation error, when the line could not be answered.
    pub error: Option<Diagnostic>,
    /// The expectation as the formatter writes it.
    pub text: String,
    /// For a comparison expected to be true: the value of each side, as
    /// literals (`$5M`, `$6M`).
    pub sides: Option<(String, String)>,
}

/// Evaluate every `expect` line of a scenario block, in source order. The
/// scenario itself must be valid (`Err` carries its diagnostics); a line
/// whose evaluation fails is a failed outcome with its error, not an `Err`.
pub fn run_expectations(
    contract: &Contract,
    block: &ast::Scenario,
) -> Result<Vec<ExpectOutcome>, Vec<Diagnostic>> {
    let scenario = Scenario::from_ast(contract, block)?;
    let problems = scenario.validate(contract);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut outcomes = Vec::new();
    for line in &block.lines {
        let ScenarioLine::Expect(expect) = line else {
            continue;
        };
        for expectation in &expect.lines {
            outcomes.push(run_one(contract, &scenario, expectation, expect.at.date));
        }
    }
    Ok(outcomes)
}

fn run_one(
    contract: &Contract,
    scenario: &Scenario,
    expectation: &ast::Expectation,
    at: NaiveDate,
) -> ExpectOutcome {
    let status_query;
    let (query, expected): (&Query, String) = match &expectation.kind {
        ExpectKind::Yes(q) => (q, "yes".into()),
        ExpectKind::No(q) => (q, "no".into()),
        ExpectKind::Unspecified(q) => (q, "unspecified".into()),
        ExpectKind::Status { label, status } => {
            status_query = Query::Status(label.clone());
            (&status_query, status.status.as_str().into())
        }
        ExpectKind::Expr(e) => {
            status_query = Query::Expr(e.clone());
            (&status_query, "true".into())
        }
    };
    let text = crate::fmt::format_expectation(&expectation.kind);
    match answer(contract, scenario, query, at) {
        Ok(result) => {
            let got = result.outcome.display();
            let passed = got == expected;
            let sides = match &expectation.kind {
                ExpectKind::Expr(e) if !passed => sides(contract, scenario, e, at),
                _ => None,
            };
            ExpectOutcome {
                span: expectation.span,
                passed,
                expected,
                got,
                deciding: result.deciding,
                at,
                error: None,
                text,
                sides,
            }
        }
        Err(error) => {
            let error = Diagnostic::from(error);
            ExpectOutcome {
                span: expectation.span,
                expected,
                got: format!("error: {}", error.code),
                passed: false,
                deciding: Vec::new(),
                at,
                error: Some(error),
                text,
                sides: None,
            }
        }
    }
}

/// The value of each side of a comparison, written as literals.
fn sides(
    contract: &Contract,
    scenario: &Scenario,
    expr: &ast::Expr,
    at: NaiveDate,
) -> Option<(String, String)> {
    let mut expr = expr;
    while let ast::ExprKind::Paren(inner) = &expr.kind {
        expr = inner;
    }
    let ast::ExprKind::Binary { op, lhs, rhs } = &expr.kind else {
        return None;
    };
    if !op.is_comparison() {
        return None;
    }
    let value = |side: &ast::Expr| {
        answer(contract, scenario, &Query::Expr(side.clone()), at)
            .ok()
            .map(|a| a.outcome.display())
    };
    Some((value(lhs)?, value(rhs)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{
        BinaryOp, DateLit, ExpectBlock, ExpectKind, Expectation, Modality::*, ObligationStatus,
        QualifierKind as Q, StatusWord, TypeName,
    };
    use crate::diagnostic::Code;
    use crate::eval::tests::*;

    fn contract() -> Contract {
        let mut items = decls(&[
            "party:openai",
            "party:microsoft",
            "asset:api",
            "asset:fee",
            "venue:azure",
            "venue:gcp",
            "action:host",
            "action:pay",
        ]);
        items.extend([
            event("declared", &[]),
            event("verified", &["declared"]),
            fact("revenue", TypeName::Money, None),
            clause(
                "api_exclusive",
                exclusive("api"),
                vec![on(&["azure"]), Q::Until(t_name("verified"))],
            ),
            clause("fee_duty", act(Must, "openai", "pay", "fee"), vec![]),
        ]);
        contract_of(items)
    }

    fn line(kind: ExpectKind, start: usize) -> Expectation {
        Expectation {
            kind,
            span: Span::new(start, start + 1),
        }
    }

    fn block(lines: Vec<ScenarioLine>) -> ast::Scenario {
        ast::Scenario {
            name: n("test"),
            label: None,
            lines,
            span: sp(),
        }
    }

    fn event_line(name: &str, day: &str) -> ScenarioLine {
        ScenarioLine::Event {
            name: n(name),
            date: DateLit {
                date: date(day),
                span: sp(),
            },
        }
    }

    #[test]
    fn each_kind_of_line() {
        let c = contract();
        let gcp = || may_q("openai", "host", "api", slots(Some("gcp"), None, None));
        let expect = ScenarioLine::Expect(ExpectBlock {
            at: DateLit {
                date: date("2028-06-01"),
                span: sp(),
            },
            lines: vec![
                line(ExpectKind::No(gcp()), 1),
                line(ExpectKind::Yes(gcp()), 2),
                line(ExpectKind::Unspecified(gcp()), 3),
                line(
                    ExpectKind::Status {
                        label: n("fee_duty"),
                        status: StatusWord {
                            status: ObligationStatus::Pending,
                            span: sp(),
                        },
                    },
                    4,
                ),
                line(
                    ExpectKind::Expr(bin(BinaryOp::Eq, money("1"), money("1"))),
                    5,
                ),
                line(
                    ExpectKind::Expr(bin(BinaryOp::Add, money("1"), money("1"))),
                    6,
                ),
                line(
                    ExpectKind::Expr(bin(BinaryOp::Gt, name_e("revenue"), money("1"))),
                    7,
                ),
            ],
            span: sp(),
        });
        let outcomes = run_expectations(
            &c,
            &block(vec![event_line("declared", "2028-01-01"), expect]),
        )
        .unwrap();
        let summary: Vec<(&str, &str, bool)> = outcomes
            .iter()
            .map(|o| (o.expected.as_str(), o.got.as_str(), o.passed))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("no", "no", true),
                ("yes", "no", false),
                ("unspecified", "no", false),
                ("pending", "pending", true),
                ("true", "true", true),
                ("true", "$2", false),
                ("true", "error: deal::eval", false),
            ]
        );
        assert_eq!(
            outcomes[0].deciding,
            vec![c.clause_by_label("api_exclusive").unwrap()]
        );
        assert_eq!(outcomes[0].span, Span::new(1, 2));
        assert_eq!(outcomes[0].at, date("2028-06-01"));
        assert_eq!(outcomes[6].error.as_ref().map(|e| e.code), Some(Code::Eval));
    }

    #[test]
    fn a_bad_scenario_is_an_error() {
        let c = contract();
        let result = run_expectations(&c, &block(vec![event_line("verified", "2028-01-01")]));
        assert_eq!(result.unwrap_err()[0].code, Code::BadScenario);
        let twice = block(vec![
            event_line("declared", "2028-01-01"),
            event_line("declared", "2028-02-01"),
        ]);
        assert_eq!(
            run_expectations(&c, &twice).unwrap_err()[0].code,
            Code::BadScenario
        );
        let unknown = block(vec![event_line("nope", "2028-01-01")]);
        assert_eq!(
            run_expectations(&c, &unknown).unwrap_err()[0].code,
            Code::UnknownName
        );
    }
}
