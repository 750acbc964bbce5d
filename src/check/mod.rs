//! Static checking: everything in spec section 8 that needs no evaluation.
//!
//! Names and kinds (`unknown-name`, `duplicate-name`, `wrong-kind`), types
//! (`type-mismatch`), decidable conditions (`undecidable`), cycles of `after`,
//! `notwithstanding`, `let` and groups, the static half of scenarios
//! (`bad-scenario`) and the names in assertions. Every problem is reported in
//! one run; nothing stops at the first error. Lints live elsewhere.

mod assertion;
mod clause;
mod cycles;
mod decide;
mod duplicates;
mod graph;
pub mod occurrences;
mod query;
mod resolve;
mod scenario;
mod typing;

#[cfg(test)]
mod golden;
#[cfg(test)]
mod testing;

use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};
use crate::symbols::Symbols;
use crate::types::Type;
use rustc_hash::FxHashMap;

pub use typing::names_in;

/// The result of checking a file: its symbol table and every diagnostic, sorted.
pub struct Checked {
    pub symbols: Symbols,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolve names and kinds, type-check expressions, find cycles, check
/// scenarios and assertions statically.
pub fn check(source: &SourceFile, file: &ast::File) -> Checked {
    let symbols = Symbols::build(file, |offset| source.line_col(offset).0);
    let mut diagnostics = {
        let mut checker = Checker::new(&symbols, file);
        checker.check_file();
        checker.diags
    };
    Diagnostic::sort(&mut diagnostics);
    Checked {
        symbols,
        diagnostics,
    }
}

/// Check a query typed at the REPL or given to `deal query` against a contract.
/// Spans point into the query's own source (the query was parsed from it).
pub fn check_query(symbols: &Symbols, file: &ast::File, query: &ast::Query) -> Vec<Diagnostic> {
    let mut checker = Checker::quiet(symbols, file);
    checker.check_query(query, query::Use::Standalone);
    let mut diagnostics = checker.diags;
    Diagnostic::sort(&mut diagnostics);
    diagnostics
}

/// The static type of an expression (None when it already has an error); used
/// by the evaluator and the CLI to validate `--fact` values.
pub fn type_of(symbols: &Symbols, file: &ast::File, expr: &ast::Expr) -> Option<Type> {
    let mut checker = Checker::quiet(symbols, file);
    let ty = checker.type_expr(expr);
    if checker.diags.is_empty() { ty } else { None }
}

/// Declared type of a fact (None when `fact` is not a fact, or its unit is undeclared).
pub fn fact_type(symbols: &Symbols, file: &ast::File, fact: &str) -> Option<Type> {
    typing::declared_fact_type(symbols, file, fact)
}

/// What is known about a `let` once its value has been typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LetInfo {
    /// None when the value has an error (already reported) or is part of a cycle.
    pub ty: Option<Type>,
    /// Uses no fact and no event, directly or through other lets: a constant
    /// a `when` condition may compare with.
    pub constant: bool,
}

/// The state shared by every check: the file, its symbols, the typed `let`
/// values and the diagnostics found so far. Each concern adds its methods in
/// its own module.
pub(crate) struct Checker<'a> {
    pub symbols: &'a Symbols,
    pub file: &'a ast::File,
    pub lets: FxHashMap<String, LetInfo>,
    /// Each group's member kind, computed once.
    pub group_kinds: FxHashMap<String, Option<crate::symbols::SymbolKind>>,
    pub diags: Vec<Diagnostic>,
    /// Expressions nested too deeply already reported (by span), so a deep
    /// tree is reported once, not once per level.
    too_deep: Vec<Span>,
}

impl<'a> Checker<'a> {
    /// A checker with the `let` values typed (their diagnostics kept).
    fn new(symbols: &'a Symbols, file: &'a ast::File) -> Self {
        let mut checker = Checker {
            symbols,
            file,
            lets: FxHashMap::default(),
            group_kinds: resolve::group_kinds(symbols, file),
            diags: Vec::new(),
            too_deep: Vec::new(),
        };
        checker.infer_lets();
        checker
    }

    /// A checker for something outside the file (a query): the file's own
    /// diagnostics are dropped, only what is found afterwards is kept.
    fn quiet(symbols: &'a Symbols, file: &'a ast::File) -> Self {
        let mut checker = Checker::new(symbols, file);
        checker.diags.clear();
        checker.too_deep.clear();
        checker
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    fn check_file(&mut self) {
        self.check_duplicates();
        for (index, item) in self.file.items.iter().enumerate() {
            match &item.kind {
                ast::ItemKind::Deal(_) | ast::ItemKind::Let(_) => {}
                ast::ItemKind::Effective(effective) => {
                    if let Some(end) = &effective.end {
                        self.check_window(end);
                    }
                }
                ast::ItemKind::Decl(decl) => self.check_decl(decl),
                ast::ItemKind::Group(group) => self.check_group(group),
                ast::ItemKind::Fact(fact) => self.check_fact(fact),
                ast::ItemKind::Clause(clause) => self.check_clause(index, clause),
                ast::ItemKind::Scenario(scenario) => self.check_scenario(scenario),
                ast::ItemKind::Assert(assertion) => self.check_assertion(assertion),
            }
        }
        self.check_event_cycles();
        self.check_group_cycles();
        self.check_exception_cycles();
        self.check_status_cycles();
    }

    /// Deep nesting is refused with a diagnostic rather than a stack overflow.
    fn nested_too_deeply(&mut self, span: Span) {
        if self
            .too_deep
            .iter()
            .any(|s| s.start <= span.start && span.end <= s.end)
        {
            return;
        }
        self.too_deep.push(span);
        self.report(
            Diagnostic::new(
                Code::Limit,
                "expression nested too deeply",
                span,
                "too deep to check",
            )
            .with_help("split it into several `let` values"),
        );
    }
}

/// How deep the checker follows nested expressions and times: the parser
/// refuses deeper trees, so this only guards ASTs built some other way.
pub(crate) const MAX_DEPTH: usize = crate::limits::MAX_EXPRESSION_DEPTH;
