//! Completion by expected kind: the REPL's completer (`repl::helper`) asked
//! about the line up to the cursor, over the names of the last version of
//! the file that parsed.

use super::document::Document;
use crate::repl::helper::{Vocabulary, complete_words};
use crate::symbols::SymbolKind;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Position, Range, TextEdit,
};

pub fn complete(
    document: &Document,
    vocabulary: &Vocabulary,
    position: Position,
) -> Vec<CompletionItem> {
    let line_start = document.offset(Position::new(position.line, 0));
    let cursor = document.offset(position);
    let line = document.text().get(line_start..cursor).unwrap_or("");
    let (start, words) = complete_words(vocabulary, line, line.len());
    // The completer counts bytes; the range wants UTF-16 columns.
    let start = document.lines.position(document.text(), line_start + start);
    let range = Range::new(start, position);
    words
        .into_iter()
        .map(|word| {
            let kind = vocabulary
                .names
                .iter()
                .find(|(name, _)| *name == word)
                .map(|(_, kind)| item_kind(*kind))
                .unwrap_or(if crate::syntax::is_keyword(&word) {
                    CompletionItemKind::KEYWORD
                } else {
                    CompletionItemKind::REFERENCE
                });
            CompletionItem {
                label: word.clone(),
                kind: Some(kind),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, word))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn item_kind(kind: SymbolKind) -> CompletionItemKind {
    match kind {
        SymbolKind::Party => CompletionItemKind::CLASS,
        SymbolKind::Event => CompletionItemKind::EVENT,
        SymbolKind::Asset => CompletionItemKind::STRUCT,
        SymbolKind::Venue => CompletionItemKind::MODULE,
        SymbolKind::Action => CompletionItemKind::FUNCTION,
        SymbolKind::Unit => CompletionItemKind::UNIT,
        SymbolKind::Group => CompletionItemKind::ENUM,
        SymbolKind::Let => CompletionItemKind::CONSTANT,
        SymbolKind::Fact => CompletionItemKind::VARIABLE,
    }
}
