//! Clauses as the query engine sees them: groups expanded, wildcards
//! recognised, exceptions resolved to clause ids, and indexes so that a query
//! touches only the clauses that could match it.

use crate::ast::{self, ClauseBody, Modality, QualifierKind};
use crate::eval::ClauseId;
use crate::symbols::Symbols;
use rustc_hash::{FxHashMap, FxHashSet};

/// What a clause does, in the words of section 7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClauseKind {
    May,
    Must,
    MustNot,
    Holds,
    HoldsNo,
    Exclusive,
    /// `only P may ...`: permits P, forbids every other party (v2).
    Only,
}

impl ClauseKind {
    fn of(body: &ClauseBody) -> ClauseKind {
        match body {
            ClauseBody::Act { modality, .. } => match modality {
                Modality::May => ClauseKind::May,
                Modality::Must => ClauseKind::Must,
                Modality::MustNot => ClauseKind::MustNot,
            },
            ClauseBody::Holds { negated: false, .. } => ClauseKind::Holds,
            ClauseBody::Holds { negated: true, .. } => ClauseKind::HoldsNo,
            ClauseBody::Exclusive { .. } => ClauseKind::Exclusive,
            ClauseBody::Only { .. } => ClauseKind::Only,
        }
    }

    /// Whether `may`/`must` queries consider this clause (else `holds` queries do).
    pub fn is_act_family(self) -> bool {
        !matches!(self, ClauseKind::Holds | ClauseKind::HoldsNo)
    }
}

/// The qualifier slots a query can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    On,
    To,
    With,
}

impl Slot {
    pub fn keyword(self) -> &'static str {
        match self {
            Slot::On => "on",
            Slot::To => "to",
            Slot::With => "with",
        }
    }

    /// The member a query names for this slot.
    pub fn of_query(self, slots: &ast::Slots) -> Option<&str> {
        match self {
            Slot::On => slots.on.as_ref(),
            Slot::To => slots.to.as_ref(),
            Slot::With => slots.with.as_ref(),
        }
        .map(|n| n.text.as_str())
    }
}

/// A set of names after group expansion; a wildcard (`anyone`, `anywhere`) is `Any`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Members {
    Any,
    Only(FxHashSet<String>),
}

impl Members {
    fn expand(names: &[ast::Name], symbols: &Symbols) -> Members {
        let mut set = FxHashSet::default();
        for name in names {
            for leaf in symbols.expand(&name.text) {
                if Symbols::is_wildcard(&leaf) {
                    return Members::Any;
                }
                set.insert(leaf);
            }
        }
        Members::Only(set)
    }

    pub fn contains(&self, name: &str) -> bool {
        match self {
            Members::Any => true,
            Members::Only(set) => set.contains(name),
        }
    }

    pub fn is_any(&self) -> bool {
        matches!(self, Members::Any)
    }
}

/// One clause, resolved.
#[derive(Clone, Debug)]
pub struct ClauseInfo {
    pub id: ClauseId,
    pub kind: ClauseKind,
    /// The party (`Any` for `anyone` and for `exclusive`, which binds everyone).
    pub parties: Members,
    /// The action (`Any` for holds and exclusive clauses, which have none).
    pub actions: Members,
    /// The object: an asset (or, for a stake, a party), groups expanded.
    pub objects: Vec<String>,
    /// The `on`/`to`/`with` sets, in source order.
    pub sets: Vec<(Slot, Members)>,
    /// Clauses this one names in `notwithstanding` (unknown labels skipped:
    /// the checker reports them).
    pub exceptions: Vec<ClauseId>,
}

impl ClauseInfo {
    fn build(id: ClauseId, clause: &ast::Clause, symbols: &Symbols) -> ClauseInfo {
        let one = |name: &ast::Name| Members::expand(std::slice::from_ref(name), symbols);
        let (parties, actions, object) = match &clause.body {
            ClauseBody::Act {
                party,
                action,
                object,
                ..
            } => (one(party), one(action), object),
            ClauseBody::Holds { party, object, .. } => (one(party), Members::Any, object),
            ClauseBody::Exclusive { object } => (Members::Any, Members::Any, object),
            // The party set is whom the right belongs to; the clause
            // matches every party (section 7).
            ClauseBody::Only {
                party,
                action,
                object,
            } => (one(party), one(action), object),
        };
        let mut sets = Vec::new();
        let mut exceptions = Vec::new();
        for qualifier in &clause.qualifiers {
            match &qualifier.kind {
                QualifierKind::On(names) => sets.push((Slot::On, Members::expand(names, symbols))),
                QualifierKind::To(names) => sets.push((Slot::To, Members::expand(names, symbols))),
                QualifierKind::With(names) => {
                    sets.push((Slot::With, Members::expand(names, symbols)))
                }
                QualifierKind::Notwithstanding(labels) => {
                    exceptions.extend(
                        labels.iter().filter_map(|label| {
                            symbols.label(&label.text).map(|l| ClauseId(l.item))
                        }),
                    );
                }
                _ => {}
            }
        }
        ClauseInfo {
            id,
            kind: ClauseKind::of(&clause.body),
            parties,
            actions,
            objects: symbols.expand(&object.name.text),
            sets,
            exceptions,
        }
    }
}

/// Clauses by what a query names, each list in source order.
#[derive(Clone, Debug, Default)]
pub struct ClauseIndex {
    pub infos: Vec<ClauseInfo>,
    /// Item index -> position in `infos`.
    position: FxHashMap<usize, usize>,
    /// action -> object -> may/must/must-not clauses.
    acts: FxHashMap<String, FxHashMap<String, Vec<usize>>>,
    /// object -> exclusivities.
    exclusives: FxHashMap<String, Vec<usize>>,
    /// object -> holds / holds-no clauses.
    holds: FxHashMap<String, Vec<usize>>,
}

impl ClauseIndex {
    pub fn build(file: &ast::File, symbols: &Symbols) -> ClauseIndex {
        let mut index = ClauseIndex::default();
        for (item_index, item) in file.items.iter().enumerate() {
            let ast::ItemKind::Clause(clause) = &item.kind else {
                continue;
            };
            let info = ClauseInfo::build(ClauseId(item_index), clause, symbols);
            let position = index.infos.len();
            index.position.insert(item_index, position);
            match info.kind {
                ClauseKind::May | ClauseKind::Must | ClauseKind::MustNot | ClauseKind::Only => {
                    let actions = match &info.actions {
                        Members::Only(set) => set.iter().cloned().collect::<Vec<_>>(),
                        Members::Any => Vec::new(),
                    };
                    for action in actions {
                        let by_object = index.acts.entry(action).or_default();
                        for object in &info.objects {
                            by_object.entry(object.clone()).or_default().push(position);
                        }
                    }
                }
                ClauseKind::Exclusive => {
                    for object in &info.objects {
                        index
                            .exclusives
                            .entry(object.clone())
                            .or_default()
                            .push(position);
                    }
                }
                ClauseKind::Holds | ClauseKind::HoldsNo => {
                    for object in &info.objects {
                        index
                            .holds
                            .entry(object.clone())
                            .or_default()
                            .push(position);
                    }
                }
            }
            index.infos.push(info);
        }
        index
    }

    pub fn info(&self, id: ClauseId) -> Option<&ClauseInfo> {
        self.position.get(&id.0).and_then(|&p| self.infos.get(p))
    }

    /// The `may`/`must`/`must not`/`exclusive` clauses on (action, object), in source order.
    pub fn act_candidates(&self, action: &str, object: &str) -> Vec<&ClauseInfo> {
        let acts = self
            .acts
            .get(action)
            .and_then(|by_object| by_object.get(object))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let exclusives = self
            .exclusives
            .get(object)
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.merged(acts, exclusives)
    }

    /// The `holds`/`holds no` clauses on an object, in source order.
    pub fn holds_candidates(&self, object: &str) -> Vec<&ClauseInfo> {
        let holds = self
            .holds
            .get(object)
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.merged(holds, &[])
    }

    /// Two ascending position lists merged into clauses in source order.
    fn merged(&self, a: &[usize], b: &[usize]) -> Vec<&ClauseInfo> {
        let mut positions: Vec<usize> = a.iter().chain(b).copied().collect();
        positions.sort_unstable();
        positions.dedup();
        positions
            .iter()
            .filter_map(|&p| self.infos.get(p))
            .collect()
    }
}
