//! The canonical text of a contract (`deal fmt`), and the one-line text of a
//! single clause, query, expression or time that other front ends show.
//!
//! The layout is documented in `docs/format.md`. Its laws, tested over the
//! corpus and generated contracts: formatting keeps every comment and doc
//! comment, `parse(format(x)) == parse(x)` (spans aside), and formatting is
//! idempotent.

mod inline;
mod layout;

use crate::ast;
use crate::source::SourceFile;

pub use layout::MAX_WIDTH;

/// Format a parsed file. `source` is the text it was parsed from: comments and
/// blank lines are placed by the spans into it.
pub fn format_file(source: &SourceFile, file: &ast::File) -> String {
    layout::format_file(source, file)
}

/// A query on one line, as the REPL and `diff` show it.
pub fn format_query(query: &ast::Query) -> String {
    inline::query(query)
}

/// An expression on one line.
pub fn format_expr(expr: &ast::Expr) -> String {
    inline::expr(expr)
}

/// A time expression on one line.
pub fn format_time(time: &ast::TimeExpr) -> String {
    inline::time(time)
}

/// A clause on one line, label and qualifiers included, without its doc comment.
pub fn format_clause(clause: &ast::Clause) -> String {
    inline::clause(clause)
}

#[cfg(test)]
mod tests;
