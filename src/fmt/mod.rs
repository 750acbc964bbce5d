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
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};

pub use layout::MAX_WIDTH;

/// Format a parsed file. `source` is the text it was parsed from: comments and
/// blank lines are placed by the spans into it.
pub fn format_file(source: &SourceFile, file: &ast::File) -> String {
    layout::format_file(source, file)
}

/// Why a source text was not formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The text does not parse (`deal::syntax`); it cannot be formatted.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would not read back as the same contract, caught
    /// before anything is written; `span` is the first item or comment of the
    /// source that would change. The one known cause: a `///` line inside an
    /// item (so a plain comment) that would land above the next item and
    /// become its doc comment. Anything else is a bug in the formatter.
    Unfaithful { span: Span },
}

/// Parse and format a source text, and check the result: the formatted text
/// must parse to the same items and comments (spans, and white space at the
/// end of comment lines, aside). `deal fmt` writes only what passes.
pub fn format_source(source: &SourceFile) -> Result<String, FormatError> {
    let file = crate::syntax::parse_file(source).map_err(FormatError::Syntax)?;
    let text = format_file(source, &file);
    let reread = SourceFile::new(source.name.clone(), text.as_str());
    let whole = Span::new(0, source.text.len());
    let again =
        crate::syntax::parse_file(&reread).map_err(|_| FormatError::Unfaithful { span: whole })?;
    match first_difference(&file, &again) {
        Some(span) => Err(FormatError::Unfaithful { span }),
        None => Ok(text),
    }
}

/// Where `after` (the formatted file, parsed) first differs from `before`:
/// the span in `before` of the item or comment that changed. This is the
/// formatter's law, `parse(fmt(x)) == parse(x)`: items (spans aside), doc
/// comments and plain comments, white space at the end of comment lines
/// aside. `deal fmt`, its tests and the fuzz target all judge by it.
pub fn first_difference(before: &ast::File, after: &ast::File) -> Option<Span> {
    let trimmed_doc = |doc: &Option<ast::Doc>| {
        doc.as_ref().map(|d| {
            d.text
                .split('\n')
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
        })
    };
    for (index, item) in before.items.iter().enumerate() {
        let same = after.items.get(index).is_some_and(|other| {
            other.kind == item.kind && trimmed_doc(&other.doc) == trimmed_doc(&item.doc)
        });
        if !same {
            return Some(
                item.doc
                    .as_ref()
                    .map_or(item.span, |d| d.span.to(item.span)),
            );
        }
    }
    for (index, comment) in before.comments.iter().enumerate() {
        let same = after
            .comments
            .get(index)
            .is_some_and(|other| other.text.trim_end() == comment.text.trim_end());
        if !same {
            return Some(comment.span);
        }
    }
    let extra =
        after.items.len() > before.items.len() || after.comments.len() > before.comments.len();
    extra.then(|| Span::new(0, 0))
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
/// A duration as written: `30 days`, `1 year`.
pub fn format_duration(duration: &ast::DurationLit) -> String {
    inline::duration(duration)
}

pub fn format_time(time: &ast::TimeExpr) -> String {
    inline::time(time)
}

/// A clause on one line, label and qualifiers included, without its doc comment.
pub fn format_clause(clause: &ast::Clause) -> String {
    inline::clause(clause)
}

#[cfg(test)]
mod tests;
