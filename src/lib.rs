//! `deal`: a small language for the terms of business deals.
//!
//! The pipeline: `syntax` (text to AST with spans) → `check` (names, types,
//! lints) → `eval` (time, scenarios, queries). Front ends (`cli`, `repl`, …)
//! call these and never re-implement semantics. The library never prints.

pub mod analysis;
pub mod ast;
pub mod check;
pub mod cli;
pub mod decimal;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod interrupt;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod render;
pub mod repl;
pub mod source;
pub mod suggest;
pub mod symbols;
pub mod syntax;
pub mod terminal;
pub mod timeline;
pub mod types;

use diagnostic::Diagnostic;
use source::SourceFile;
use symbols::Symbols;

/// A contract read from text and checked (no lints): where every front end starts.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub source: SourceFile,
    /// None when the text does not parse.
    pub file: Option<ast::File>,
    pub symbols: Symbols,
    /// Syntax and check diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and check a contract.
pub fn load(source: SourceFile) -> Loaded {
    match syntax::parse_file(&source) {
        Err(mut diagnostics) => {
            Diagnostic::sort(&mut diagnostics);
            Loaded {
                source,
                file: None,
                symbols: Symbols::default(),
                diagnostics,
            }
        }
        Ok(file) => {
            let checked = check::check(&source, &file);
            let mut diagnostics = checked.diagnostics;
            Diagnostic::sort(&mut diagnostics);
            Loaded {
                source,
                file: Some(file),
                symbols: checked.symbols,
                diagnostics,
            }
        }
    }
}

impl Loaded {
    /// Whether the contract parses and resolves, so that it can be evaluated
    /// (spec section 9: lint findings never stop evaluation).
    pub fn can_evaluate(&self) -> bool {
        self.file.is_some() && !self.diagnostics.iter().any(|d| d.code.blocks_evaluation())
    }

    /// The evaluable contract, or the diagnostics that stop evaluation.
    pub fn contract(&self) -> Result<eval::Contract, Vec<Diagnostic>> {
        match &self.file {
            Some(file) if self.can_evaluate() => Ok(eval::Contract::new(
                self.source.clone(),
                file.clone(),
                self.symbols.clone(),
            )),
            _ => Err(self
                .diagnostics
                .iter()
                .filter(|d| d.code.blocks_evaluation())
                .cloned()
                .collect()),
        }
    }
}

/// Everything `deal check` reports for one file: syntax, check and lint
/// diagnostics, sorted. Lints run only on a contract that can be evaluated.
pub fn check_and_lint(source: &SourceFile) -> Vec<Diagnostic> {
    load(source.clone()).checked_and_linted()
}

impl Loaded {
    /// `check_and_lint` for a contract already loaded.
    pub fn checked_and_linted(&self) -> Vec<Diagnostic> {
        let contract = self.contract().ok();
        lint_loaded(self, contract.as_ref())
    }
}

/// `check_and_lint` of a contract already loaded (`contract` is its
/// evaluable form, if it has one), sparing a second parse and check.
pub fn lint_loaded(loaded: &Loaded, contract: Option<&eval::Contract>) -> Vec<Diagnostic> {
    let mut diagnostics = loaded.diagnostics.clone();
    if let Some(contract) = contract {
        diagnostics.extend(lint::run(contract));
    }
    Diagnostic::sort(&mut diagnostics);
    diagnostics
}
