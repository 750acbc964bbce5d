//! The acts whose answers `deal diff` compares: every (party, action,
//! asset) and (party, asset) the clauses of either version name, each with
//! the venue, recipient and counterparty values that can change its answer.
//!
//! A clause's answer depends on a slot value only through membership in
//! the clauses' sets, so for each slot that some candidate clause
//! qualifies, the values tried are: none (the query leaves it out), every
//! member named in a set, and one declared name that is in no set (an
//! exclusivity forbids exactly those). A slot no candidate qualifies is
//! left out. `anyone` as a clause's party is asked as the party `anyone`,
//! which only wildcard clauses and exclusivities match. An exclusivity
//! binds every party and action: it is asked with the (party, action)
//! pairs other clauses name on its asset, or, when none do, as `anyone`
//! doing the first declared action.

use crate::analysis::act::Act;
use crate::ast::{self, DeclKind, ItemKind};
use crate::eval::{ClauseInfo, ClauseKind, Contract, Members, Slot};
use crate::source::Span;
use crate::symbols::{ANYONE, Symbols};
use std::collections::BTreeSet;

/// Most slot combinations tried for one (party, action, asset).
pub const MAX_SLOT_VARIANTS: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// `may` (and `must`) queries.
    Act,
    /// `holds` queries.
    Holds,
}

/// The values tried for one slot of a (party, action, asset): none, every
/// member some candidate clause names, and one declared name in no set.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlotOptions {
    /// Whether any candidate clause has a set for this slot (else only none is tried).
    pub qualified: bool,
    pub members: Vec<String>,
    /// The declared name in no set, standing for every such name.
    pub outsider: Option<String>,
}

impl SlotOptions {
    /// Every value tried: none first.
    pub fn values(&self) -> Vec<Option<String>> {
        if !self.qualified {
            return vec![None];
        }
        std::iter::once(None)
            .chain(self.members.iter().cloned().map(Some))
            .chain(self.outsider.iter().cloned().map(Some))
            .collect()
    }
}

/// One act compared: the concrete act (`analysis::act::Act`; no action for
/// `holds`), with what the comparison needs besides.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ComparedAct {
    pub family: Family,
    pub act: Act,
    /// Whether some `must` clause names it, so `must` is compared too.
    pub has_must: bool,
    /// What was tried for `on`, `to` and `with` for this (party, action, asset).
    pub options: [SlotOptions; 3],
    /// For a debt whose status is compared (its deadline changed): its
    /// label, and the act is asked as `status LABEL`.
    pub status: Option<String>,
}

impl ComparedAct {
    /// The `may` (or, with `must`, the `must`) query; `holds` for holds
    /// acts; `status LABEL` for a debt's status.
    pub fn query(&self, must: bool) -> ast::Query {
        match &self.status {
            Some(label) => ast::Query::Status(ast::Name::new(label, Span::default())),
            None => self.act.query(must),
        }
    }
}

fn party_names(members: &Members) -> Vec<String> {
    match members {
        Members::Any => vec![ANYONE.to_string()],
        Members::Only(set) => {
            let mut names: Vec<String> = set.iter().cloned().collect();
            names.sort();
            names
        }
    }
}

/// Names declared with `kind`, in declaration order.
fn declared(contract: &Contract, kind: DeclKind) -> Vec<String> {
    contract
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Decl(decl) if decl.kind == kind => Some(decl.name.text.clone()),
            _ => None,
        })
        .collect()
}

/// Names declared with `kind` in either version: the new one's first.
fn declared_in_either(old: &Contract, new: &Contract, kind: DeclKind) -> Vec<String> {
    let mut names = declared(new, kind);
    for name in declared(old, kind) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The acts to compare, sorted, and notes on anything left out.
pub fn acts(old: &Contract, new: &Contract) -> (Vec<ComparedAct>, Vec<String>) {
    let mut triples: BTreeSet<(Family, String, String, String)> = BTreeSet::new();
    let mut musts: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut exclusive_objects: BTreeSet<String> = BTreeSet::new();
    for contract in [old, new] {
        for (id, _, _) in contract.clauses() {
            let Some(info) = contract.clause_info(id) else {
                continue;
            };
            match info.kind {
                ClauseKind::Holds | ClauseKind::HoldsNo => {
                    for party in party_names(&info.parties) {
                        for object in &info.objects {
                            triples.insert((
                                Family::Holds,
                                party.clone(),
                                String::new(),
                                object.clone(),
                            ));
                        }
                    }
                }
                ClauseKind::Exclusive => exclusive_objects.extend(info.objects.iter().cloned()),
                ClauseKind::May | ClauseKind::Must | ClauseKind::MustNot | ClauseKind::Only => {
                    let Members::Only(actions) = &info.actions else {
                        continue;
                    };
                    let mut actions: Vec<&String> = actions.iter().collect();
                    actions.sort();
                    for party in party_names(&info.parties) {
                        for action in &actions {
                            for object in &info.objects {
                                triples.insert((
                                    Family::Act,
                                    party.clone(),
                                    (*action).clone(),
                                    object.clone(),
                                ));
                                if info.kind == ClauseKind::Must {
                                    musts.insert((
                                        party.clone(),
                                        (*action).clone(),
                                        object.clone(),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let first_action = declared_in_either(old, new, DeclKind::Action)
        .into_iter()
        .next();
    for object in &exclusive_objects {
        let named = triples
            .iter()
            .any(|(family, _, _, o)| *family == Family::Act && o == object);
        if !named && let Some(action) = &first_action {
            triples.insert((
                Family::Act,
                ANYONE.to_string(),
                action.clone(),
                object.clone(),
            ));
        }
    }

    let venues = declared_in_either(old, new, DeclKind::Venue);
    let parties = declared_in_either(old, new, DeclKind::Party);
    let mut notes = Vec::new();
    let mut out = Vec::new();
    for (family, party, action, object) in triples {
        let candidates: Vec<&ClauseInfo> = [old, new]
            .into_iter()
            .flat_map(|c| match family {
                Family::Act => c.act_candidates(&action, &object),
                Family::Holds => c.holds_candidates(&object),
            })
            .collect();
        let options = |slot: Slot, universe: &[String]| -> SlotOptions {
            let mut members: BTreeSet<String> = BTreeSet::new();
            let mut qualified = false;
            for info in &candidates {
                for (s, set) in &info.sets {
                    if *s != slot {
                        continue;
                    }
                    qualified = true;
                    if let Members::Only(names) = set {
                        members.extend(names.iter().cloned());
                    }
                }
            }
            let outsider = universe
                .iter()
                .find(|n| !members.contains(*n) && !Symbols::is_wildcard(n))
                .cloned()
                .filter(|_| !members.is_empty());
            SlotOptions {
                qualified,
                members: members.into_iter().collect(),
                outsider,
            }
        };
        let slot_options = [
            options(Slot::On, &venues),
            options(Slot::To, &parties),
            options(Slot::With, &parties),
        ];
        let [ons, tos, withs] = slot_options.clone().map(|o| o.values());
        let total = ons.len() * tos.len() * withs.len();
        if total > MAX_SLOT_VARIANTS {
            notes.push(format!(
                "{party} {action} {object}: only the first {MAX_SLOT_VARIANTS} of {total} venue/recipient/counterparty combinations were compared"
            ));
        }
        let has_must = musts.contains(&(party.clone(), action.clone(), object.clone()));
        let mut variants = Vec::new();
        'all: for on in &ons {
            for to in &tos {
                for with in &withs {
                    if variants.len() >= MAX_SLOT_VARIANTS {
                        break 'all;
                    }
                    variants.push(ComparedAct {
                        family,
                        act: Act {
                            party: party.clone(),
                            action: (family == Family::Act).then(|| action.clone()),
                            asset: object.clone(),
                            on: on.clone(),
                            to: to.clone(),
                            with: with.clone(),
                        },
                        has_must,
                        options: slot_options.clone(),
                        status: None,
                    });
                }
            }
        }
        out.extend(variants);
    }
    (out, notes)
}

/// The candidate clauses of an act in one contract.
pub fn candidates<'c>(contract: &'c Contract, act: &Act) -> Vec<&'c ClauseInfo> {
    match &act.action {
        Some(action) => contract.act_candidates(action, &act.asset),
        None => contract.holds_candidates(&act.asset),
    }
}
