//! Asking a question of a contract: the query text parsed and checked
//! against the contract, answered on a day under a scenario, with what would
//! change the answer. `deal query`, the REPL, the fuzz target and the
//! language server all ask through here, so they can never disagree.

use super::answer::Explained;
use super::report::FileReport;
use crate::ast::Query;
use crate::diagnostic::Diagnostic;
use crate::eval::{Answer, Change, Contract, Scenario, answer_reading, next_change};
use crate::source::SourceFile;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// A checked query, answered.
#[derive(Clone, Debug)]
pub struct Asked {
    pub query: Query,
    pub answer: Answer,
    /// The next thing that would change the answer, if any.
    pub change: Option<Change>,
    /// The facts the answer read: those a counterexample has to show.
    pub reads: BTreeSet<String>,
}

impl Asked {
    /// The answer with everything needed to explain it.
    pub fn explained<'a>(
        &'a self,
        contract: &'a Contract,
        scenario: &'a Scenario,
        query_text: &'a str,
        day: NaiveDate,
    ) -> Explained<'a> {
        Explained {
            contract,
            scenario,
            query_text,
            query: &self.query,
            day,
            answer: &self.answer,
            change: self.change.as_ref(),
        }
    }
}

/// Parse, check and answer `query_text`; problems come back as a report
/// against the query text or the contract, whichever they point into.
pub fn ask(
    contract: &Contract,
    scenario: &Scenario,
    query_text: &str,
    day: NaiveDate,
) -> Result<Asked, FileReport> {
    let query = parse_checked_query(contract, query_text)?;
    answer_checked(contract, scenario, query, day)
        .map_err(|diagnostic| report_for(contract, query_text, diagnostic))
}

/// Answer a query that is already checked against the contract.
pub fn answer_checked(
    contract: &Contract,
    scenario: &Scenario,
    query: Query,
    day: NaiveDate,
) -> Result<Asked, Diagnostic> {
    let (result, reads) = answer_reading(contract, scenario, &query, day);
    let answer = result?;
    // What would change the answer is an explanation, not the answer: if it
    // cannot be computed, the answer still stands.
    let change = next_change(contract, scenario, &query, day).ok().flatten();
    Ok(Asked {
        query,
        answer,
        change,
        reads,
    })
}

/// Parse and check a query typed by the user against a contract.
///
/// The query is parsed as if it stood right after the contract's text, so
/// its spans never collide with the contract's: an evaluation error can then
/// be drawn against whichever text it points into (`report_for`).
/// Diagnostics returned here point into the query text, shown as `<query>`.
pub fn parse_checked_query(contract: &Contract, text: &str) -> Result<Query, FileReport> {
    let offset = contract.source.text.len();
    let padded = SourceFile::new("<query>", format!("{}{text}", " ".repeat(offset)));
    let query_source = SourceFile::new("<query>", text.to_string());
    let shifted = |diagnostics: Vec<Diagnostic>| FileReport {
        source: query_source.clone(),
        diagnostics: diagnostics
            .into_iter()
            .map(|d| shift_back(d, offset))
            .collect(),
    };
    let query = crate::syntax::parse_query(&padded).map_err(shifted)?;
    check_typed_query(contract, padded.clone(), query).map_err(|report| shifted(report.diagnostics))
}

/// A diagnostic whose spans are offset by `offset`, moved back to 0.
fn shift_back(mut diagnostic: Diagnostic, offset: usize) -> Diagnostic {
    for label in &mut diagnostic.labels {
        label.span.start = label.span.start.saturating_sub(offset);
        label.span.end = label.span.end.saturating_sub(offset);
    }
    diagnostic
}

/// The report for a diagnostic raised while answering a query parsed by
/// `parse_checked_query`: against the query text when it points past the
/// contract, else against the contract.
pub fn report_for(contract: &Contract, query_text: &str, diagnostic: Diagnostic) -> FileReport {
    let offset = contract.source.text.len();
    if diagnostic.primary_span().start >= offset && !query_text.is_empty() {
        FileReport {
            source: SourceFile::new("<query>", query_text.to_string()),
            diagnostics: vec![shift_back(diagnostic, offset)],
        }
    } else {
        FileReport {
            source: contract.source.clone(),
            diagnostics: vec![diagnostic],
        }
    }
}

/// Check a query already parsed from `source` (the REPL parses its lines
/// itself) against a contract; errors point into `source`.
pub fn check_typed_query(
    contract: &Contract,
    source: SourceFile,
    query: Query,
) -> Result<Query, FileReport> {
    let diagnostics = crate::check::check_query(&contract.symbols, &contract.file, &query);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(FileReport {
            source,
            diagnostics,
        });
    }
    Ok(query)
}
