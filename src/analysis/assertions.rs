//! Assertions over every possible future (spec section 10).
//!
//! `always Q` must answer yes on every day of its window in every scenario,
//! `always not Q` no, and `never Q` must never answer yes. The window runs
//! from `effective` (or the `from` time) with no end (or up to `until`,
//! exclusive, or `through`, inclusive); window times naming events are
//! evaluated per scenario, so a window starting at never is empty; `when`
//! and `unless` are assumptions that restrict the days checked. An
//! evaluation error on a checked day fails the assertion with that error.
//!
//! The search runs over the representative futures of the clauses the query
//! matches, the window and the assumptions, fewest events first, then the
//! earliest day: the counterexample reported is a minimal one.

use crate::ast::{ItemKind, QualifierKind, Quantifier, Query};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::expr::FactReads;
use crate::eval::{ClauseId, Contract, Outcome, Value, answer_reading, matching};
use crate::source::Span;
use chrono::NaiveDate;
use serde_json::{Value as Json, json};
use std::collections::BTreeSet;

use super::futures::{World, find_world};
use super::futures_for_window;
use super::render::{scenario_block, world_json};

/// The verdict on one `assert`.
#[derive(Clone, Debug)]
pub struct AssertionOutcome {
    pub label: String,
    /// The assertion item.
    pub span: Span,
    pub passed: bool,
    /// A minimal world where it fails (none when it passed, or when the
    /// analysis could not run).
    pub counterexample: Option<Counterexample>,
    /// `deal::assertion-failed` with the counterexample in its notes, the
    /// evaluation error that failed it, or `deal::limit`.
    pub diagnostic: Option<Diagnostic>,
}

/// Where and how an assertion fails.
#[derive(Clone, Debug)]
pub struct Counterexample {
    pub world: World,
    /// The answer on that day; None when evaluating it failed.
    pub answer: Option<Outcome>,
    /// The clauses that decided it.
    pub deciding: Vec<ClauseId>,
    /// The facts the window, the assumptions and the answer read: the
    /// facts a replay needs.
    pub facts_read: BTreeSet<String>,
    /// What the assertion wanted, as an `expect` line (`not QUERY`, ...).
    pub expect_line: String,
    /// The counterexample as a `scenario` block to paste into the file.
    pub block: String,
}

/// Check every assertion of the contract, in source order.
pub fn check_assertions(contract: &Contract) -> Vec<AssertionOutcome> {
    contract
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Assert(assertion) => Some(check_one(contract, assertion)),
            _ => None,
        })
        .collect()
}

/// What one world says about an assertion.
enum Verdict {
    /// The day is outside the window, or an assumption does not hold.
    NotChecked,
    Holds,
    Fails(Outcome, Vec<ClauseId>),
    Error(Diagnostic),
}

fn check_one(contract: &Contract, assertion: &crate::ast::Assertion) -> AssertionOutcome {
    let label = assertion.label.text.clone();
    let clauses = matching(contract, &assertion.query);
    let conditions: Vec<&crate::ast::Expr> = match &assertion.query {
        Query::Expr(condition) => vec![condition],
        _ => Vec::new(),
    };
    let failed = |diagnostic: Diagnostic| AssertionOutcome {
        label: label.clone(),
        span: assertion.span,
        passed: false,
        counterexample: None,
        diagnostic: Some(diagnostic),
    };
    let futures = match futures_for_window(contract, &clauses, &assertion.window, &conditions) {
        Ok(futures) => futures,
        Err(error) => {
            return failed(on_assertion(error, assertion));
        }
    };
    let mut found: Option<(Verdict, BTreeSet<String>)> = None;
    let search = find_world(&futures, |world| {
        let reads = FactReads::default();
        let verdict = judge(contract, assertion, world, &reads);
        let fails = matches!(verdict, Verdict::Fails(..) | Verdict::Error(_));
        if fails {
            found = Some((verdict, reads.into_inner()));
        }
        Ok(fails)
    });
    let world = match search {
        Ok(Some(world)) => world,
        Ok(None) => {
            return AssertionOutcome {
                label,
                span: assertion.span,
                passed: true,
                counterexample: None,
                diagnostic: None,
            };
        }
        Err(error) => return failed(on_assertion(error, assertion)),
    };
    let Some((verdict, facts_read)) = found else {
        return failed(on_assertion(
            Diagnostic::new(
                Code::Eval,
                "the assertion could not be checked",
                assertion.span,
                "",
            ),
            assertion,
        ));
    };
    let query_text = crate::fmt::format_query(&assertion.query);
    let expect_line = expect_line(assertion.quantifier, &assertion.query, &query_text);
    let block = scenario_block(
        &format!("counterexample_{label}"),
        &world.scenario,
        Some(&facts_read),
        Some(world.day),
        std::slice::from_ref(&expect_line),
    );
    let (answer, deciding, diagnostic) = match verdict {
        Verdict::Fails(outcome, deciding) => {
            let diagnostic = failure_diagnostic(
                contract,
                assertion,
                &query_text,
                &outcome,
                &deciding,
                world.day,
                &block,
            );
            (Some(outcome), deciding, diagnostic)
        }
        Verdict::Error(error) => {
            let diagnostic = on_assertion(error, assertion).with_note(format!(
                "in this scenario, on {} (paste it into the file to replay):\n{block}",
                world.day
            ));
            (None, Vec::new(), diagnostic)
        }
        Verdict::NotChecked | Verdict::Holds => (None, Vec::new(), failed_to_judge(assertion)),
    };
    AssertionOutcome {
        label,
        span: assertion.span,
        passed: false,
        counterexample: Some(Counterexample {
            world,
            answer,
            deciding,
            facts_read,
            expect_line,
            block,
        }),
        diagnostic: Some(diagnostic),
    }
}

/// Is the world's day checked (inside the window, assumptions holding), and
/// if so does the answer satisfy the assertion?
fn judge(
    contract: &Contract,
    assertion: &crate::ast::Assertion,
    world: &World,
    reads: &FactReads,
) -> Verdict {
    match in_window(contract, assertion, world, reads) {
        Ok(false) => return Verdict::NotChecked,
        Ok(true) => {}
        Err(error) => return Verdict::Error(error),
    }
    let (result, read) = answer_reading(contract, &world.scenario, &assertion.query, world.day);
    reads.borrow_mut().extend(read);
    let answer = match result {
        Ok(answer) => answer,
        Err(error) => return Verdict::Error(error.into()),
    };
    let yes = matches!(
        answer.outcome,
        Outcome::Yes | Outcome::Value(Value::Bool(true))
    );
    let no = matches!(
        answer.outcome,
        Outcome::No | Outcome::Value(Value::Bool(false))
    );
    let holds = match assertion.quantifier {
        Quantifier::Always => yes,
        Quantifier::AlwaysNot => no,
        Quantifier::Never => !yes,
    };
    if holds {
        Verdict::Holds
    } else {
        Verdict::Fails(answer.outcome, answer.deciding)
    }
}

/// The window (from `effective` by default, no end) and the assumptions.
fn in_window(
    contract: &Contract,
    assertion: &crate::ast::Assertion,
    world: &World,
    reads: &FactReads,
) -> Result<bool, Diagnostic> {
    let ctx = crate::eval::Ctx::new(contract, &world.scenario, Some(reads));
    let env = ctx.env(world.day);
    let first = contract.effective().unwrap_or(NaiveDate::MIN);
    let (start, end) = crate::eval::query::qualifier_window(&env, first, &assertion.window)?;
    if !start.reached_by(world.day) || end.reached_by(world.day) {
        return Ok(false);
    }
    for qualifier in &assertion.window {
        if let QualifierKind::When(condition) = &qualifier.kind
            && !env.condition(condition)?
        {
            return Ok(false);
        }
    }
    for qualifier in &assertion.window {
        if let QualifierKind::Unless(condition) = &qualifier.kind
            && env.condition(condition)?
        {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The `expect` line stating what the assertion wants on the failing day,
/// so that replaying the counterexample shows the failure.
fn expect_line(quantifier: Quantifier, query: &Query, text: &str) -> String {
    let negated = match query {
        Query::Expr(_) => format!("not ({text})"),
        _ => format!("not {text}"),
    };
    match quantifier {
        Quantifier::Always => text.to_string(),
        Quantifier::AlwaysNot => negated,
        // "never yes": the answer came out yes, so `not` (no) fails on replay.
        Quantifier::Never => format!("{negated}   // never: any answer but yes"),
    }
}

fn wanted(quantifier: Quantifier, query: &Query) -> &'static str {
    match (quantifier, query) {
        (Quantifier::Always, Query::Expr(_)) => "be true on every day of its window",
        (Quantifier::AlwaysNot, Query::Expr(_)) => "be false on every day of its window",
        (Quantifier::Never, Query::Expr(_)) => "never be true",
        (Quantifier::Always, _) => "answer yes on every day of its window",
        (Quantifier::AlwaysNot, _) => "answer no on every day of its window",
        (Quantifier::Never, _) => "never answer yes",
    }
}

fn failure_diagnostic(
    contract: &Contract,
    assertion: &crate::ast::Assertion,
    query_text: &str,
    outcome: &Outcome,
    deciding: &[ClauseId],
    day: NaiveDate,
    block: &str,
) -> Diagnostic {
    let got = outcome.display();
    let mut message = format!(
        "assertion `{}` fails: on {day}, `{query_text}` answers {got}",
        assertion.label.text
    );
    if !deciding.is_empty() {
        let labels: Vec<String> = deciding
            .iter()
            .map(|&id| format!("`{}`", contract.clause_label(id)))
            .collect();
        message.push_str(&format!(" ({})", labels.join(", ")));
    }
    message.push_str(&format!(
        ", but it must {}",
        wanted(assertion.quantifier, &assertion.query)
    ));
    let mut diagnostic = Diagnostic::new(
        Code::AssertionFailed,
        message,
        assertion.label.span,
        format!("fails on {day}"),
    )
    .with_label(assertion.query.span(), format!("answers {got}"));
    for &id in deciding {
        diagnostic = diagnostic.with_label(
            contract.clause_span(id),
            format!("`{}` decides the answer", contract.clause_label(id)),
        );
    }
    diagnostic
        .with_note(format!(
            "counterexample (paste it into the file to replay it with `deal test`):\n{block}"
        ))
        .with_help("change the clauses, or narrow the assertion with `from`, `until`, `through`, `when` or `unless`")
}

/// An error met while checking, labelled on the assertion too.
fn on_assertion(error: Diagnostic, assertion: &crate::ast::Assertion) -> Diagnostic {
    let note = format!("while checking assertion `{}`", assertion.label.text);
    error.with_label(assertion.label.span, note)
}

fn failed_to_judge(assertion: &crate::ast::Assertion) -> Diagnostic {
    Diagnostic::new(
        Code::Eval,
        format!("assertion `{}` could not be judged", assertion.label.text),
        assertion.label.span,
        "here",
    )
}

/// The JSON object `deal test` reports for a failed assertion (None when it
/// passed): `assertion`, `file`, `line`, `column`, `code`, `message`, `expected`,
/// `got`, `clauses`, and `counterexample` `{"day", "events", "facts"}` with
/// the facts that were read.
pub fn failure_json(contract: &Contract, outcome: &AssertionOutcome) -> Option<Json> {
    if outcome.passed {
        return None;
    }
    let (line, column) = contract.source.line_col(outcome.span.start);
    let mut object = json!({
        "assertion": outcome.label,
        "file": contract.source.name,
        "line": line,
        "column": column,
    });
    let fields = object.as_object_mut()?;
    if let Some(diagnostic) = &outcome.diagnostic {
        fields.insert("code".into(), json!(diagnostic.code.as_str()));
        fields.insert("message".into(), json!(diagnostic.message));
    }
    let assertion = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            ItemKind::Assert(a) if a.label.text == outcome.label => Some(a),
            _ => None,
        });
    if let Some(assertion) = assertion {
        let expected = match (assertion.quantifier, &assertion.query) {
            (Quantifier::Always, Query::Expr(_)) => "true",
            (Quantifier::AlwaysNot | Quantifier::Never, Query::Expr(_)) => "false",
            (Quantifier::Always, _) => "yes",
            (Quantifier::AlwaysNot, _) => "no",
            (Quantifier::Never, _) => "not yes",
        };
        fields.insert("expected".into(), json!(expected));
    }
    if let Some(counterexample) = &outcome.counterexample {
        let got = match (&counterexample.answer, &outcome.diagnostic) {
            (Some(answer), _) => answer.display(),
            (None, Some(diagnostic)) => format!("error: {}", diagnostic.code),
            (None, None) => "error".to_string(),
        };
        fields.insert("got".into(), json!(got));
        let clauses: Vec<&str> = counterexample
            .deciding
            .iter()
            .map(|&id| contract.clause_label(id))
            .collect();
        fields.insert("clauses".into(), json!(clauses));
        fields.insert(
            "counterexample".into(),
            world_json(
                &counterexample.world.scenario,
                Some(&counterexample.facts_read),
                Some(counterexample.world.day),
            ),
        );
    }
    Some(object)
}
