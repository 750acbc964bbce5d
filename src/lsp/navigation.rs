//! Go to definition, find references and rename, for every declared name,
//! clause and assertion label, and scenario name. Each lives in its own
//! namespace: renaming the label `api` leaves the asset `api` alone.

use super::document::Document;
use crate::check::occurrences::{Namespace, Occurrence, Role};
use crate::source::Span;
use crate::syntax::is_name;
use lsp_types::{Location, Position, Range, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// Where the occurrence's name or label is declared (the first declaration,
/// as the symbol table keeps it); None for the predeclared wildcards and
/// undeclared names.
pub fn declaration(document: &Document, occurrence: &Occurrence) -> Option<Span> {
    let analysis = document.analysis();
    let symbols = &analysis.loaded.symbols;
    match occurrence.namespace {
        Namespace::Name => symbols
            .get(&occurrence.text)
            .filter(|symbol| symbol.item.is_some())
            .map(|symbol| symbol.span),
        Namespace::Label => symbols.label(&occurrence.text).map(|label| label.span),
        Namespace::Scenario => analysis
            .index
            .occurrences
            .iter()
            .find(|o| {
                o.namespace == Namespace::Scenario
                    && o.role == Role::Declaration
                    && o.text == occurrence.text
            })
            .map(|o| o.span),
    }
}

pub fn definition(document: &Document, uri: &Uri, position: Position) -> Option<Location> {
    let occurrence = document.occurrence_at(position)?;
    let span = declaration(document, occurrence)?;
    Some(Location::new(uri.clone(), document.range(span)))
}

/// Every occurrence of the same name in the same namespace.
fn same<'d>(document: &'d Document, occurrence: &Occurrence) -> Vec<&'d Occurrence> {
    document
        .analysis()
        .index
        .occurrences
        .iter()
        .filter(|o| o.namespace == occurrence.namespace && o.text == occurrence.text)
        .collect()
}

pub fn references(
    document: &Document,
    uri: &Uri,
    position: Position,
    include_declaration: bool,
) -> Vec<Location> {
    let Some(occurrence) = document.occurrence_at(position) else {
        return Vec::new();
    };
    same(document, occurrence)
        .into_iter()
        .filter(|o| include_declaration || o.role == Role::Reference)
        .map(|o| Location::new(uri.clone(), document.range(o.span)))
        .collect()
}

/// The range of the name that would be renamed, or why it cannot be.
pub fn prepare_rename(document: &Document, position: Position) -> Result<Range, String> {
    let occurrence = document
        .occurrence_at(position)
        .ok_or("only a declared name, a label or a scenario name can be renamed")?;
    if declaration(document, occurrence).is_none() {
        return Err(format!(
            "`{}` is not declared in this file, so it cannot be renamed",
            occurrence.text
        ));
    }
    Ok(document.range(occurrence.span))
}

pub fn rename(
    document: &Document,
    uri: &Uri,
    position: Position,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    prepare_rename(document, position)?;
    let occurrence = document
        .occurrence_at(position)
        .ok_or("nothing to rename here")?;
    if !is_name(new_name) {
        return Err(format!(
            "`{new_name}` is not a name: use lower-case letters, digits and `_`, not starting with a digit, and not a keyword"
        ));
    }
    let analysis = document.analysis();
    // The predeclared `anyone` and `anywhere` are names too.
    let taken = analysis.index.occurrences.iter().any(|o| {
        o.namespace == occurrence.namespace && o.role == Role::Declaration && o.text == new_name
    }) || (occurrence.namespace == Namespace::Name
        && analysis.loaded.symbols.get(new_name).is_some());
    if taken && new_name != occurrence.text {
        return Err(format!("`{new_name}` is already declared"));
    }
    let edits = same(document, occurrence)
        .into_iter()
        .map(|o| TextEdit::new(document.range(o.span), new_name.to_string()))
        .collect();
    Ok(WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)])))
}
