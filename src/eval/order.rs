//! Event order: the events an event must come `after` (spec section 5),
//! with groups expanded. Every caller that needs the order (check, scenario
//! validation, the analyses, diff, explore, the REPL) asks here, so a group
//! in `after` means the same thing everywhere.

use crate::ast::{self, ItemKind};
use crate::symbols::{SymbolKind, Symbols};
use std::collections::BTreeMap;

/// The direct prerequisites of every declared event, groups expanded, each
/// listed once, in the order written.
#[derive(Clone, Debug, Default)]
pub struct EventOrder {
    direct: BTreeMap<String, Vec<String>>,
}

impl EventOrder {
    pub fn build(file: &ast::File, symbols: &Symbols) -> EventOrder {
        let direct = file
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::Decl(decl) if decl.kind == ast::DeclKind::Event => Some(decl),
                _ => None,
            })
            .map(|decl| (decl.name.text.clone(), expanded(decl, symbols)))
            .collect();
        EventOrder { direct }
    }

    /// The events `event` must come after (directly), groups expanded; empty
    /// for an undeclared name.
    pub fn prerequisites(&self, event: &str) -> &[String] {
        self.direct.get(event).map_or(&[], Vec::as_slice)
    }
}

/// The prerequisites of one declaration: each group in `after` replaced by
/// its event members; the event itself and repeats left out.
pub fn expanded(decl: &ast::Decl, symbols: &Symbols) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for after in &decl.after {
        for member in symbols.expand(&after.text) {
            if symbols.kind(&member) == Some(SymbolKind::Event)
                && member != decl.name.text
                && !out.contains(&member)
            {
                out.push(member);
            }
        }
    }
    out
}
