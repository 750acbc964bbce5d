//! Semantic tokens: every name coloured by what it denotes (the symbol
//! table's kind), labels and scenario names by their namespace, with a
//! `declaration` modifier where they are declared. Keywords, literals and
//! comments are the TextMate grammar's job.

use super::document::Document;
use crate::check::occurrences::{Namespace, Role};
use crate::symbols::SymbolKind;
use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};

/// The token types, in legend order: `token_type` indexes into it.
const TYPES: [SemanticTokenType; 11] = [
    SemanticTokenType::CLASS,          // party
    SemanticTokenType::EVENT,          // event
    SemanticTokenType::STRUCT,         // asset
    SemanticTokenType::NAMESPACE,      // venue
    SemanticTokenType::FUNCTION,       // action
    SemanticTokenType::TYPE_PARAMETER, // unit
    SemanticTokenType::ENUM,           // group
    SemanticTokenType::VARIABLE,       // let
    SemanticTokenType::PARAMETER,      // fact
    SemanticTokenType::DECORATOR,      // clause or assertion label
    SemanticTokenType::INTERFACE,      // scenario
];

const DECLARATION: u32 = 1;
const READONLY: u32 = 2;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::READONLY,
        ],
    }
}

fn kind_type(kind: SymbolKind) -> u32 {
    match kind {
        SymbolKind::Party => 0,
        SymbolKind::Event => 1,
        SymbolKind::Asset => 2,
        SymbolKind::Venue => 3,
        SymbolKind::Action => 4,
        SymbolKind::Unit => 5,
        SymbolKind::Group => 6,
        SymbolKind::Let => 7,
        SymbolKind::Fact => 8,
    }
}

pub fn tokens(document: &Document) -> SemanticTokens {
    let analysis = document.analysis();
    let symbols = &analysis.loaded.symbols;
    let mut data = Vec::new();
    let (mut line, mut column) = (0, 0);
    for occurrence in &analysis.index.occurrences {
        let token_type = match occurrence.namespace {
            Namespace::Name => match symbols.kind(&occurrence.text) {
                Some(kind) => kind_type(kind),
                None => continue,
            },
            Namespace::Label => 9,
            Namespace::Scenario => 10,
        };
        let mut modifiers = 0;
        if occurrence.role == Role::Declaration {
            modifiers |= DECLARATION;
        }
        if token_type == 7 {
            modifiers |= READONLY;
        }
        let range = document.range(occurrence.span);
        // Names never span lines; a token must not.
        if range.end.line != range.start.line {
            continue;
        }
        let delta_line = range.start.line.saturating_sub(line);
        let delta_start = if delta_line == 0 {
            range.start.character.saturating_sub(column)
        } else {
            range.start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character.saturating_sub(range.start.character),
            token_type,
            token_modifiers_bitset: modifiers,
        });
        (line, column) = (range.start.line, range.start.character);
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
