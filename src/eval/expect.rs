//! `expect` blocks (spec section 6): each line is a query with the answer
//! it must give.

use crate::ast::{self, ExpectKind, Query, ScenarioLine};
use crate::diagnostic::Diagnostic;
use crate::eval::query::{Outcome, answer};
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
}

/// Evaluate every `expect` line of a scenario block, in source order. The
/// scenario itself must be valid (`Err` carries its diagnostics); a line
/// whose evaluation fails is a failed outcome with its error, not an `Err`.
pub fn run_expectations(contract: &Contract, block: &ast::Scenario) -> Result<Vec<ExpectOutcome>, Vec<Diagnostic>> {
    let scenario = Scenario::from_ast(contract, block)?;
    let problems = scenario.validate(contract);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut outcomes = Vec::new();
    for line in &block.lines {
        let ScenarioLine::Expect(expect) = line else { continue };
        for expectation in &expect.lines {
            outcomes.push(run_one(contract, &scenario, expectation, expect.at.date));
        }
    }
    Ok(outcomes)
}

fn run_one(contract: &Contract, scenario: &Scenario, expectation: &ast::Expectation, at: NaiveDate) -> ExpectOutcome {
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
    match answer(contract, scenario, query, at) {
        Ok(result) => {
            let got = match &result.outcome {
                Outcome::Value(value) => value.display(),
                other => other.word().to_string(),
            };
            ExpectOutcome {
                span: expectation.span,
                passed: got == expected,
                expected,
                got,
                deciding: result.deciding,
                at,
                error: None,
            }
        }
        Err(error) => ExpectOutcome {
            span: expectation.span,
            expected,
            got: format!("error: {}", error.code),
            passed: false,
            deciding: Vec::new(),
            at,
            error: Some(error),
        },
    }
}
