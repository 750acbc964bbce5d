//! Helpers for the rules' tests: lint real `.deal` text and look at what
//! each finding says and where its labels point.

use crate::diagnostic::Diagnostic;
use crate::eval::Contract;
use crate::lint::LintContext;
use crate::source::SourceFile;

/// The contract in `text`; panics (in tests only) when it does not resolve.
pub fn contract(text: &str) -> Contract {
    let loaded = crate::load(SourceFile::new("test.deal", text));
    match loaded.contract() {
        Ok(contract) => contract,
        Err(errors) => panic!("the test contract does not resolve: {errors:#?}"),
    }
}

/// Every lint finding on `text`.
pub fn lint_text(text: &str) -> Vec<Diagnostic> {
    crate::lint::run(&contract(text))
}

/// The findings of one rule's pass on `text`, sorted.
pub fn run_rule(text: &str, run: fn(&LintContext<'_>) -> Vec<Diagnostic>) -> Vec<Diagnostic> {
    let contract = contract(text);
    let context = LintContext::new(&contract);
    let mut found = run(&context);
    Diagnostic::sort(&mut found);
    found
}

/// The source text under each label of a finding, with the label's message.
pub fn labels(text: &str, diagnostic: &Diagnostic) -> Vec<(String, String)> {
    diagnostic
        .labels
        .iter()
        .map(|l| {
            (
                text.get(l.span.start..l.span.end).unwrap_or("").to_string(),
                l.message.clone(),
            )
        })
        .collect()
}
