//! Lints (spec section 8): read-only passes over a contract that parses and
//! resolves, one module per rule, in the manner of ruff and clippy.
//!
//! Each rule module has its `CODE` (which fixes its severity), a doc
//! comment saying what it catches and why that matters to a contract
//! author, its pass `run(&LintContext) -> Vec<Diagnostic>`, and its own
//! tests. `RULES` lists them in the order they run; `run` runs them all and
//! sorts the result, so output never depends on hash order.
//!
//! The semantic rules ask "is there a world (a scenario and a day) where …":
//! every such question goes to the one scenario enumerator, through
//! `worlds`. The static questions ("can these two clauses match one act?")
//! live in `acts`.

pub mod acts;
pub mod conflict;
pub mod dead_clause;
pub mod deadline_before_start;
pub mod docs;
pub mod exclusive_clash;
pub mod needless_exception;
pub mod over_allocated;
mod probes;
pub mod unused;
pub mod worlds;

#[cfg(test)]
pub(crate) mod testing;

use crate::ast::Clause;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{ClauseId, Contract};
use crate::source::Span;
use std::collections::HashSet;

/// One lint rule: what the registry, `deal check` and the SARIF rule table
/// know about it.
#[derive(Clone, Copy)]
pub struct Rule {
    pub code: Code,
    /// One line: what the rule catches.
    pub summary: &'static str,
    /// Markdown: **What.**, **Why.**, examples and, where it helps,
    /// **Resolve.** The one text behind docs/lints.md, `deal check
    /// --explain` and the SARIF rule table (`docs`).
    pub doc: &'static str,
    pub run: fn(&LintContext<'_>) -> Vec<Diagnostic>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

impl Rule {
    /// What the rule catches and why it matters, in one paragraph of plain
    /// text: the **What.** and **Why.** paragraphs of its documentation.
    pub fn description(&self) -> String {
        docs::plain_paragraphs(self.doc, &["**What.**", "**Why.**"])
    }
}

/// Every rule, in the order it runs.
pub const RULES: [Rule; 7] = [
    unused::RULE,
    dead_clause::RULE,
    deadline_before_start::RULE,
    conflict::RULE,
    needless_exception::RULE,
    over_allocated::RULE,
    exclusive_clash::RULE,
];

/// The rule reporting `code`, if `code` is a lint's.
pub fn rule(code: Code) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}

/// What every rule reads: the contract, and the answers to questions that
/// several rules ask (so `conflict` and `needless-exception` share the work).
pub struct LintContext<'a> {
    pub contract: &'a Contract,
    pub worlds: worlds::Worlds<'a>,
}

impl<'a> LintContext<'a> {
    pub fn new(contract: &'a Contract) -> LintContext<'a> {
        LintContext {
            contract,
            worlds: worlds::Worlds::new(contract),
        }
    }

    /// Every clause in source order.
    pub fn clauses(&self) -> impl Iterator<Item = (ClauseId, &'a Clause)> + 'a {
        self.contract.clauses().map(|(id, clause, _)| (id, clause))
    }

    /// The clause's label as output names it (`clause_LINE` when unlabelled).
    pub fn label(&self, id: ClauseId) -> &'a str {
        self.contract.clause_label(id)
    }

    /// Whether the clause has a label of its own (only those can be named
    /// in `notwithstanding`).
    pub fn has_explicit_label(&self, id: ClauseId) -> bool {
        self.contract
            .clause(id)
            .is_some_and(|clause| clause.label.is_some())
    }

    /// Where a finding about a clause points: its label when it has one
    /// (short, on one line), else the whole clause.
    pub fn anchor(&self, id: ClauseId) -> Span {
        match self.contract.clause(id) {
            Some(clause) => clause.label.as_ref().map_or(clause.span, |l| l.span),
            None => Span::default(),
        }
    }
}

/// Run every rule on a contract that parses and resolves. The result is
/// sorted (`Diagnostic::sort`) and free of repeats: an evaluation error met
/// by several rules (the analysis reports it as a `deal::eval`) appears once.
pub fn run(contract: &Contract) -> Vec<Diagnostic> {
    let context = LintContext::new(contract);
    let mut diagnostics = Vec::new();
    let mut seen = HashSet::new();
    for rule in &RULES {
        if crate::interrupt::requested() {
            break;
        }
        for diagnostic in (rule.run)(&context) {
            let key = (
                diagnostic.code,
                diagnostic.primary_span(),
                diagnostic.message.clone(),
            );
            if seen.insert(key) {
                diagnostics.push(diagnostic);
            }
        }
    }
    Diagnostic::sort(&mut diagnostics);
    diagnostics
}

/// "a, b and c"
pub(crate) fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lint_text;

    #[test]
    fn every_rule_is_a_lint_code_and_listed_once() {
        let mut codes: Vec<Code> = RULES.iter().map(|r| r.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        for code in codes {
            assert!(!code.blocks_evaluation(), "{code}");
            assert!(rule(code).is_some());
        }
        assert!(rule(Code::Syntax).is_none());
    }

    #[test]
    fn lists_read_naturally() {
        let list =
            |items: &[&str]| and_list(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn a_clean_contract_has_no_findings() {
        let found = lint_text(
            "party openai\nasset api\naction host\nvenue azure\n\
             hosting: openai may host api on azure\n",
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
