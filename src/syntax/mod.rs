//! Text to AST: the pest grammar (`grammar/deal.pest`), lowering of pest
//! pairs to `ast` nodes with exact byte spans, and syntax errors worded for
//! the people who write contracts.
//!
//! The pipeline for one source text:
//! 1. `prescan`: a lexical pass that refuses NUL bytes, unterminated strings
//!    and nesting beyond `limits::MAX_NESTING` (so the recursive grammar
//!    never sees input that could exhaust the stack), and collects comments.
//! 2. pest parses; its first error becomes one `deal::syntax` diagnostic
//!    (`errors`).
//! 3. `lower` builds the AST, checking literals (dates, numbers, escapes) and
//!    structural rules; it reports every problem it finds, not just the first.
//! 4. Doc comments are attached to the items they precede (`comments`).
//!
//! pest types never leave this module.

mod comments;
mod errors;
mod grammar;
pub mod lexer;
mod literals;
mod lower;
mod prescan;

#[cfg(test)]
mod tests;

use crate::ast;
use crate::decimal::Decimal;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use grammar::{DealParser, Rule};
pub use literals::{iso_date, money_scale};
use pest::Parser;

/// Every reserved word of spec section 1: keywords, type names and duration
/// words. None of them can be a name. The grammar's `keyword` rule lists
/// the same words (a test checks each is rejected as a name); the parser,
/// REPL completion and highlighting read this list.
pub const KEYWORDS: &[&str] = &[
    "deal",
    "effective",
    "party",
    "event",
    "asset",
    "venue",
    "action",
    "unit",
    "group",
    "let",
    "fact",
    "by",
    "after",
    "may",
    "must",
    "not",
    "holds",
    "no",
    "exclusive",
    "only",
    "of",
    "on",
    "to",
    "with",
    "from",
    "until",
    "through",
    "when",
    "unless",
    "notwithstanding",
    "within",
    "every",
    "survives",
    "max",
    "min",
    "or",
    "and",
    "true",
    "false",
    "scenario",
    "expect",
    "at",
    "is",
    "assert",
    "always",
    "never",
    "unspecified",
    "status",
    "money",
    "percent",
    "number",
    "bool",
    "date",
    "duration",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
];

/// The words an item can begin with (declarations, clauses, scenarios,
/// assertions): what the REPL offers at the start of a line.
pub const ITEM_KEYWORDS: &[&str] = &[
    "may",
    "must",
    "holds",
    "status",
    "exclusive",
    "only",
    "party",
    "event",
    "asset",
    "venue",
    "action",
    "unit",
    "group",
    "let",
    "fact",
    "scenario",
    "assert",
    "deal",
    "effective",
];

/// The words that begin a clause qualifier.
pub const QUALIFIER_KEYWORDS: &[&str] = &[
    "on",
    "to",
    "with",
    "from",
    "until",
    "through",
    "by",
    "within",
    "every",
    "survives",
    "when",
    "unless",
    "notwithstanding",
];

/// The type names a `fact` can have.
pub const TYPE_NAMES: &[&str] = &["money", "percent", "number", "bool", "date", "duration"];

/// A number written as in a contract (`1_000`, `0.5`, `1e27`), scaled by
/// `10^shift`: the one reading of numbers, shared by the parser and the fact
/// values given to `--fact` and `:fact`. None when `text` is not such a
/// number or is out of range.
pub fn number_value(text: &str, shift: i64) -> Option<Decimal> {
    let pairs = DealParser::parse(Rule::num, text).ok()?;
    let read: usize = pairs.map(|pair| pair.as_str().len()).sum();
    if read != text.len() {
        return None;
    }
    literals::number(text, shift, Span::default()).ok()
}

/// Whether `word` is reserved (and so can never be a name).
pub fn is_keyword(word: &str) -> bool {
    // Every keyword is lower-case letters only: most names (with a digit or
    // `_`) are told apart without a look at the list.
    word.bytes().all(|b| b.is_ascii_lowercase()) && KEYWORDS.contains(&word)
}

/// Whether `word` can stand as a name or label: lower-case letters, digits
/// and `_`, not starting with a digit, and not reserved (the grammar's
/// `identifier`).
pub fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !is_keyword(word)
}

/// What a REPL line turned out to be.
// One value per REPL line: boxing the larger variant would only burden callers.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplInput {
    /// A query or an expression to answer.
    Query(ast::Query),
    /// Declarations, clauses, scenarios or assertions to add.
    Items(ast::File),
}

/// Parse a whole `.deal` file.
pub fn parse_file(source: &SourceFile) -> Result<ast::File, Vec<Diagnostic>> {
    parse_items(&source.text).map_err(|failure| failure.diagnostics)
}

/// Parse one query or expression (spec section 7): the REPL, `deal query`
/// and `--fact` values.
pub fn parse_query(source: &SourceFile) -> Result<ast::Query, Vec<Diagnostic>> {
    parse_query_text(&source.text).map_err(|failure| failure.diagnostics)
}

/// A REPL line: a query or expression if it parses as one, else one or more
/// items. When neither parses, the error that got further into the line is
/// the one reported (it is the likelier intent).
pub fn parse_repl_input(source: &SourceFile) -> Result<ReplInput, Vec<Diagnostic>> {
    let query_failure = match parse_query_text(&source.text) {
        Ok(query) => return Ok(ReplInput::Query(query)),
        Err(failure) => failure,
    };
    match parse_items(&source.text) {
        Ok(file) => Ok(ReplInput::Items(file)),
        Err(items_failure) => {
            if query_failure.reached > items_failure.reached {
                Err(query_failure.diagnostics)
            } else {
                Err(items_failure.diagnostics)
            }
        }
    }
}

/// Diagnostics, and how far into the text parsing got before failing.
struct Failure {
    diagnostics: Vec<Diagnostic>,
    reached: usize,
}

impl Failure {
    /// Refused before parsing (NUL byte, nesting): at the diagnostic.
    fn prescan(diagnostic: Diagnostic) -> Self {
        Failure {
            reached: diagnostic.primary_span().start,
            diagnostics: vec![diagnostic],
        }
    }

    /// pest's error: as far as pest got.
    fn syntax(error: &pest::error::Error<Rule>, text: &str, context: errors::Context) -> Self {
        Failure {
            diagnostics: vec![errors::from_pest(error, text, context)],
            reached: errors::position(error),
        }
    }

    /// The text parsed; lowering found problems.
    fn lowering(mut diagnostics: Vec<Diagnostic>) -> Self {
        Diagnostic::sort(&mut diagnostics);
        Failure {
            diagnostics,
            reached: usize::MAX,
        }
    }
}

fn parse_items(text: &str) -> Result<ast::File, Failure> {
    let scanned = prescan::prescan(text).map_err(Failure::prescan)?;
    let comments = &scanned.comments;
    let items = match fast_items(text, comments) {
        Some(items) => items,
        None => items(text, comments)?,
    };
    Ok(comments::attach(text, items, &scanned.comments))
}

/// The items as the grammar's entry rule `file` reads them, or the syntax
/// error.
fn items(text: &str, comments: &[prescan::RawComment]) -> Result<Vec<ast::Item>, Failure> {
    let pairs = DealParser::parse(Rule::file, text)
        .map_err(|e| Failure::syntax(&e, text, errors::Context::File))?;
    let lowerer = lower::Lowerer::new(text, comments);
    let items = lowerer.file(pairs);
    let diagnostics = lowerer.finish();
    if !diagnostics.is_empty() {
        return Err(Failure::lowering(diagnostics));
    }
    Ok(items)
}

/// Whether the fast path reads `text` exactly as `file` does, or leaves it
/// to `file`: the law the parser's speed rests on, checked over the test
/// corpora, by a property test and by the `parse` fuzz target.
#[doc(hidden)]
pub fn fast_path_agrees(text: &str) -> bool {
    let Ok(scanned) = prescan::prescan(text) else {
        return true;
    };
    match fast_items(text, &scanned.comments) {
        None => true,
        Some(fast) => items(text, &scanned.comments).is_ok_and(|slow| slow == fast),
    }
}

/// The items as the grammar's fast path (`file_fast`) reads them, when it
/// reads them exactly as `file` would: it parses, no name it read without
/// the keyword check is reserved, and lowering has nothing to say. Anything
/// else is left to `file`, which gives the tree or the error.
fn fast_items(text: &str, comments: &[prescan::RawComment]) -> Option<Vec<ast::Item>> {
    let pairs = DealParser::parse(Rule::file_fast, text).ok()?;
    let lowerer = lower::Lowerer::new(text, comments);
    let items = lowerer.file(pairs);
    let exact = !lowerer.read_reserved_name();
    (exact && lowerer.finish().is_empty()).then_some(items)
}

fn parse_query_text(text: &str) -> Result<ast::Query, Failure> {
    let scanned = prescan::prescan(text).map_err(Failure::prescan)?;
    let pairs = DealParser::parse(Rule::query_only, text)
        .map_err(|e| Failure::syntax(&e, text, errors::Context::Query))?;
    let lowerer = lower::Lowerer::new(text, &scanned.comments);
    let query = lowerer.query_only(pairs);
    let diagnostics = lowerer.finish();
    match query {
        Some(query) if diagnostics.is_empty() => Ok(query),
        _ if diagnostics.is_empty() => Err(Failure::lowering(vec![Diagnostic::new(
            crate::diagnostic::Code::Syntax,
            "expected a query",
            crate::source::Span::new(0, text.len()),
            "not a query",
        )])),
        _ => Err(Failure::lowering(diagnostics)),
    }
}
