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
    fn expand<'f>(names: &'f [ast::Name], expansions: &mut Expansions<'f>) -> Members {
        let mut set = FxHashSet::default();
        for name in names {
            let leaves = expansions.leaves(&name.text);
            if leaves.wildcard {
                return Members::Any;
            }
            set.reserve(leaves.names.len());
            set.extend(leaves.names.iter().cloned());
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

/// Each name's leaf members (`Symbols::expand`), worked out once: a contract
/// names the same few parties, actions, venues and groups in clause after
/// clause, and expanding a group walks it member by member.
struct Expansions<'f> {
    symbols: &'f Symbols,
    by_name: FxHashMap<&'f str, Leaves>,
}

struct Leaves {
    /// Whether a leaf is `anyone` or `anywhere`: the whole set is then `Any`.
    wildcard: bool,
    names: Vec<String>,
}

impl<'f> Expansions<'f> {
    fn new(symbols: &'f Symbols) -> Self {
        Expansions {
            symbols,
            by_name: FxHashMap::default(),
        }
    }

    fn leaves(&mut self, name: &'f str) -> &Leaves {
        let symbols = self.symbols;
        self.by_name.entry(name).or_insert_with(|| {
            let names = symbols.expand(name);
            Leaves {
                wildcard: names.iter().any(|leaf| Symbols::is_wildcard(leaf)),
                names,
            }
        })
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
    fn build<'f>(
        id: ClauseId,
        clause: &'f ast::Clause,
        expansions: &mut Expansions<'f>,
    ) -> ClauseInfo {
        let mut one = |name: &'f ast::Name| Members::expand(std::slice::from_ref(name), expansions);
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
                QualifierKind::On(names) => {
                    sets.push((Slot::On, Members::expand(names, expansions)))
                }
                QualifierKind::To(names) => {
                    sets.push((Slot::To, Members::expand(names, expansions)))
                }
                QualifierKind::With(names) => {
                    sets.push((Slot::With, Members::expand(names, expansions)))
                }
                QualifierKind::Notwithstanding(labels) => {
                    exceptions.extend(labels.iter().filter_map(|label| {
                        expansions
                            .symbols
                            .label(&label.text)
                            .map(|l| ClauseId(l.item))
                    }));
                }
                _ => {}
            }
        }
        ClauseInfo {
            id,
            kind: ClauseKind::of(&clause.body),
            parties,
            actions,
            objects: expansions.leaves(&object.name.text).names.clone(),
            sets,
            exceptions,
        }
    }
}

/// Clauses by what a query names, each list in source order.
#[derive(Clone, Debug, Default)]
pub struct ClauseIndex {
    pub infos: Vec<ClauseInfo>,
    /// Item index -> position in `infos` (None for an item that is not a clause).
    position: Vec<Option<usize>>,
    /// action -> object -> may/must/must-not clauses.
    acts: FxHashMap<String, FxHashMap<String, Vec<usize>>>,
    /// object -> exclusivities.
    exclusives: FxHashMap<String, Vec<usize>>,
    /// object -> holds / holds-no clauses.
    holds: FxHashMap<String, Vec<usize>>,
}

impl ClauseIndex {
    pub fn build(file: &ast::File, symbols: &Symbols) -> ClauseIndex {
        let mut index = ClauseIndex {
            position: vec![None; file.items.len()],
            ..ClauseIndex::default()
        };
        let mut expansions = Expansions::new(symbols);
        for (item_index, item) in file.items.iter().enumerate() {
            let ast::ItemKind::Clause(clause) = &item.kind else {
                continue;
            };
            let info = ClauseInfo::build(ClauseId(item_index), clause, &mut expansions);
            let position = index.infos.len();
            if let Some(slot) = index.position.get_mut(item_index) {
                *slot = Some(position);
            }
            match info.kind {
                ClauseKind::May | ClauseKind::Must | ClauseKind::MustNot | ClauseKind::Only => {
                    if let Members::Only(actions) = &info.actions {
                        for action in actions {
                            match index.acts.get_mut(action.as_str()) {
                                Some(by_object) => add(by_object, &info.objects, position),
                                None => {
                                    let mut by_object = FxHashMap::default();
                                    add(&mut by_object, &info.objects, position);
                                    index.acts.insert(action.clone(), by_object);
                                }
                            }
                        }
                    }
                }
                ClauseKind::Exclusive => add(&mut index.exclusives, &info.objects, position),
                ClauseKind::Holds | ClauseKind::HoldsNo => {
                    add(&mut index.holds, &info.objects, position)
                }
            }
            index.infos.push(info);
        }
        index
    }

    pub fn info(&self, id: ClauseId) -> Option<&ClauseInfo> {
        let position = (*self.position.get(id.0)?)?;
        self.infos.get(position)
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

/// `position` appended to each object's list; a key is allocated only for an
/// object seen for the first time.
fn add(by_object: &mut FxHashMap<String, Vec<usize>>, objects: &[String], position: usize) {
    for object in objects {
        match by_object.get_mut(object.as_str()) {
            Some(positions) => positions.push(position),
            None => {
                by_object.insert(object.clone(), vec![position]);
            }
        }
    }
}
