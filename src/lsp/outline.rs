//! Document symbols (parties, events, ..., clauses, scenarios, assertions)
//! and folding ranges (scenarios and their `expect` blocks).

use super::document::Document;
use crate::ast::{DeclKind, Item, ItemKind, ScenarioLine};
use crate::source::Span;
use lsp_types::{DocumentSymbol, FoldingRange, FoldingRangeKind, SymbolKind};

pub fn symbols(document: &Document) -> Vec<DocumentSymbol> {
    let analysis = document.analysis();
    let Some(file) = &analysis.loaded.file else {
        return Vec::new();
    };
    file.items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| item_symbol(document, index, item))
        .collect()
}

fn item_symbol(document: &Document, index: usize, item: &Item) -> Option<DocumentSymbol> {
    let symbols = &document.analysis().loaded.symbols;
    let (name, selection, kind, detail, children) = match &item.kind {
        ItemKind::Deal(_) | ItemKind::Effective(_) => return None,
        ItemKind::Decl(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            match decl.kind {
                DeclKind::Party => SymbolKind::CLASS,
                DeclKind::Event => SymbolKind::EVENT,
                DeclKind::Asset => SymbolKind::STRUCT,
                DeclKind::Venue => SymbolKind::MODULE,
                DeclKind::Action => SymbolKind::FUNCTION,
                DeclKind::Unit => SymbolKind::TYPE_PARAMETER,
            },
            decl.kind.keyword().to_string(),
            Vec::new(),
        ),
        ItemKind::Group(group) => (
            group.name.text.clone(),
            group.name.span,
            SymbolKind::ENUM,
            "group".to_string(),
            Vec::new(),
        ),
        ItemKind::Let(decl) => (
            decl.name.text.clone(),
            decl.name.span,
            SymbolKind::CONSTANT,
            "let".to_string(),
            Vec::new(),
        ),
        ItemKind::Fact(fact) => (
            fact.name.text.clone(),
            fact.name.span,
            SymbolKind::VARIABLE,
            "fact".to_string(),
            Vec::new(),
        ),
        ItemKind::Clause(clause) => (
            symbols.clause_label(index).unwrap_or("clause").to_string(),
            clause.label.as_ref().map_or(clause.span, |l| l.span),
            SymbolKind::PROPERTY,
            crate::fmt::format_clause(clause),
            Vec::new(),
        ),
        ItemKind::Scenario(scenario) => (
            scenario.name.text.clone(),
            scenario.name.span,
            SymbolKind::NAMESPACE,
            "scenario".to_string(),
            scenario
                .lines
                .iter()
                .filter_map(|line| match line {
                    ScenarioLine::Expect(block) => Some(symbol(
                        document,
                        format!("expect at {}", block.at.date),
                        SymbolKind::OBJECT,
                        String::new(),
                        block.span,
                        block.at.span,
                        Vec::new(),
                    )),
                    ScenarioLine::Event { .. }
                    | ScenarioLine::Fact { .. }
                    | ScenarioLine::Record(_) => None,
                })
                .collect(),
        ),
        ItemKind::Assert(assertion) => (
            assertion.label.text.clone(),
            assertion.label.span,
            SymbolKind::BOOLEAN,
            "assert".to_string(),
            Vec::new(),
        ),
    };
    Some(symbol(
        document, name, kind, detail, item.span, selection, children,
    ))
}

fn symbol(
    document: &Document,
    name: String,
    kind: SymbolKind,
    detail: String,
    span: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a required field of the type.
    DocumentSymbol {
        name,
        detail: (!detail.is_empty()).then_some(detail),
        kind,
        tags: None,
        deprecated: None,
        range: document.range(span),
        selection_range: document.range(selection),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn folding(document: &Document) -> Vec<FoldingRange> {
    let Some(file) = &document.analysis().loaded.file else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    for item in &file.items {
        if let ItemKind::Scenario(scenario) = &item.kind {
            spans.push(scenario.span);
            for line in &scenario.lines {
                if let ScenarioLine::Expect(block) = line {
                    spans.push(block.span);
                }
            }
        }
    }
    spans
        .into_iter()
        .filter_map(|span| {
            let range = document.range(span);
            (range.end.line > range.start.line).then(|| FoldingRange {
                start_line: range.start.line,
                start_character: None,
                // The closing `}` stays visible.
                end_line: range.end.line.saturating_sub(1).max(range.start.line),
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            })
        })
        .collect()
}
