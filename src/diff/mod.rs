//! `deal diff OLD NEW`: what changed between two versions of a contract,
//! as text (clauses, `let` values, declarations; see `structure`) and in
//! effect (rights, permissions and obligations each party gains or loses
//! over the futures both versions are compared in; see `effects`).
//!
//! The library computes a `DiffReport`; `render` turns it into the human
//! report or the JSON object. Unchanged clauses are not mentioned.

pub mod acts;
pub mod effects;
pub mod futures;
pub mod joint;
pub mod performance;
mod render;
pub mod structure;
pub mod times;

pub use effects::{Effect, Effects, Example, QueryKind};
pub use render::{human, json};
pub use structure::{
    ClauseChange, ClauseDiff, ClauseEntry, DeclChange, DeclDiff, DeclEntry, FieldChange, LetChange,
    LetValue,
};

use crate::eval::Contract;

/// Everything `deal diff` reports about two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffReport {
    /// The files' names, as shown.
    pub old: String,
    pub new: String,
    /// The title and the effective date, when they differ.
    pub header: Vec<FieldChange>,
    pub clauses: ClauseDiff,
    /// The English sentence of every added, removed or changed clause, by
    /// (version, label): version 0 is the old one.
    pub sentences: Vec<((usize, String), String)>,
    pub lets: Vec<LetChange>,
    pub declarations: DeclDiff,
    pub effects: Effects,
}

impl DiffReport {
    /// Whether the two versions say the same thing.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
            && self.clauses == ClauseDiff::default()
            && self.lets.is_empty()
            && self.declarations == DeclDiff::default()
            && self.effects.effects.is_empty()
    }

    /// The sentence of a clause in one version.
    pub fn sentence(&self, version: usize, label: &str) -> Option<&str> {
        self.sentences
            .iter()
            .find(|((v, l), _)| *v == version && l == label)
            .map(|(_, s)| s.as_str())
    }
}

/// Compare two versions.
pub fn diff(old: &Contract, new: &Contract) -> DiffReport {
    let clauses = structure::diff_clauses(old, new);
    let mut sentences = Vec::new();
    for entry in &clauses.removed {
        sentences.push((
            (0, entry.label.clone()),
            crate::explain::clause_sentence(old, entry.id),
        ));
    }
    for entry in &clauses.added {
        sentences.push((
            (1, entry.label.clone()),
            crate::explain::clause_sentence(new, entry.id),
        ));
    }
    for change in &clauses.changed {
        sentences.push((
            (0, change.old.label.clone()),
            crate::explain::clause_sentence(old, change.old.id),
        ));
        sentences.push((
            (1, change.new.label.clone()),
            crate::explain::clause_sentence(new, change.new.id),
        ));
    }
    DiffReport {
        old: old.source.name.clone(),
        new: new.source.name.clone(),
        header: structure::diff_header(old, new),
        clauses,
        sentences,
        lets: structure::diff_lets(old, new),
        declarations: structure::diff_declarations(old, new),
        effects: effects::effects(old, new),
    }
}
