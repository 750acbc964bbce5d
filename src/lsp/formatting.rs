//! Whole-document formatting through the library's formatter (`deal fmt`),
//! which refuses any result that would not read back as the same contract.

use super::document::Document;
use crate::fmt::{FormatError, format_source};
use lsp_types::{Position, Range, TextEdit};

/// The edits, or why the text cannot be formatted. A file that does not
/// parse gets no edits: its diagnostics already say why.
pub fn format(document: &Document) -> Result<Vec<TextEdit>, String> {
    match format_source(&document.source) {
        Ok(text) if text == document.text() => Ok(Vec::new()),
        Ok(text) => {
            let end = document
                .lines
                .position(document.text(), document.text().len());
            Ok(vec![TextEdit::new(
                Range::new(Position::new(0, 0), end),
                text,
            )])
        }
        Err(FormatError::Syntax(_)) => Ok(Vec::new()),
        Err(FormatError::Unfaithful { span }) => {
            let line = document.range(span).start.line + 1;
            Err(format!(
                "not formatted: the text at line {line} would change meaning (a `///` line inside an item would become a doc comment); make it a `//` comment"
            ))
        }
    }
}
