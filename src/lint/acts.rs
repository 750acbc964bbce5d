//! Static half of the pairwise lints: can two clauses match one act, one
//! permitting it and the other forbidding it (spec section 7's matching,
//! section 8's "act")? This needs no scenario: matching depends only on
//! names, never on time, facts or events. Whether the two clauses can also
//! be in force on one day is the analysis' question (`worlds`).
//!
//! An act is one `may`-family or one `holds`-family query: one party, one
//! action (none for `holds`), one asset, and at most one member for each of
//! `on`, `to`, `with`. When the clauses leave a choice, the witness takes the
//! alphabetically first member, so findings are deterministic.

use crate::analysis::act::Act;
use crate::eval::{ClauseId, ClauseInfo, ClauseKind, Contract, Members, Slot};
use crate::symbols::{ANYONE, SymbolKind, Symbols};
use rustc_hash::FxHashMap;

/// Whether a clause permits some of the acts it matches (section 7, step
/// 2): an exclusivity never does (v2); `only P` does, for P.
pub fn can_permit(kind: ClauseKind) -> bool {
    matches!(
        kind,
        ClauseKind::May | ClauseKind::Must | ClauseKind::Holds | ClauseKind::Only
    )
}

/// Whether a clause forbids some of the acts it matches: `only P` does, for
/// every party but P.
pub fn can_forbid(kind: ClauseKind) -> bool {
    matches!(
        kind,
        ClauseKind::MustNot | ClauseKind::HoldsNo | ClauseKind::Exclusive | ClauseKind::Only
    )
}

/// Leaf names of a kind that a wildcard set can stand for: the declared
/// venues (for `on`) and parties (for `to`, `with`), sorted.
pub struct Universe {
    venues: Vec<String>,
    parties: Vec<String>,
}

impl Universe {
    pub fn of(symbols: &Symbols) -> Universe {
        let leaves = |kind: SymbolKind| {
            let mut names: Vec<String> = symbols
                .names()
                .filter(|(name, symbol)| symbol.kind == kind && !Symbols::is_wildcard(name))
                .map(|(name, _)| name.to_string())
                .collect();
            names.sort_unstable();
            names
        };
        Universe {
            venues: leaves(SymbolKind::Venue),
            parties: leaves(SymbolKind::Party),
        }
    }

    fn of_slot(&self, slot: Slot) -> &[String] {
        match slot {
            Slot::On => &self.venues,
            Slot::To | Slot::With => &self.parties,
        }
    }
}

/// A clause's set for a slot, if it has one (`on`, `to`, `with` appear at
/// most once per clause).
fn set(info: &ClauseInfo, slot: Slot) -> Option<&Members> {
    info.sets.iter().find(|(s, _)| *s == slot).map(|(_, m)| m)
}

/// The first member of both, alphabetically; `Any` on both sides gives
/// `Some(None)` (any value fits, so the act may leave it out); nothing in
/// common gives None.
fn common(a: &Members, b: &Members) -> Option<Option<String>> {
    match (a, b) {
        (Members::Any, Members::Any) => Some(None),
        (Members::Any, Members::Only(set)) | (Members::Only(set), Members::Any) => {
            first(set.iter()).map(Some)
        }
        (Members::Only(x), Members::Only(y)) => first(x.intersection(y)).map(Some),
    }
}

fn first<'s>(names: impl Iterator<Item = &'s String>) -> Option<String> {
    names.min().cloned()
}

/// A value for `slot` that satisfies one clause's set (or its absence):
/// omitted for no set or a wildcard, else the first member.
fn one_value(set: Option<&Members>) -> Option<String> {
    match set {
        None | Some(Members::Any) => None,
        Some(Members::Only(members)) => first(members.iter()),
    }
}

const SLOTS: [Slot; 3] = [Slot::On, Slot::To, Slot::With];

/// An act that `permit` permits and `forbid` forbids, if there is one.
/// `permit` must be a `may`, `must`, `holds` or `only`; `forbid` a `must
/// not`, `holds no`, `exclusive` or `only` of the same family (else None).
pub fn common_act(permit: &ClauseInfo, forbid: &ClauseInfo, universe: &Universe) -> Option<Act> {
    if !can_permit(permit.kind) || !can_forbid(forbid.kind) || permit.id == forbid.id {
        return None;
    }
    if permit.kind.is_act_family() != forbid.kind.is_act_family() {
        return None;
    }
    let party = if forbid.kind == ClauseKind::Only {
        // `only P` forbids the act to every party but P.
        outsider(&permit.parties, &forbid.parties, universe)?
    } else {
        match common(&permit.parties, &forbid.parties)? {
            Some(party) => party,
            None => ANYONE.to_string(),
        }
    };
    let action = if permit.kind.is_act_family() {
        // `may`/`must` name an action; `exclusive` binds every action.
        Some(common(&permit.actions, &forbid.actions)??)
    } else {
        None
    };
    let asset = first(permit.objects.iter().filter(|o| forbid.objects.contains(o)))?;
    let mut act = Act {
        party,
        action,
        asset,
        on: None,
        to: None,
        with: None,
    };
    if forbid.kind == ClauseKind::Exclusive {
        return excluded_act(permit, forbid, universe, act);
    }
    for slot in SLOTS {
        let value = match (set(permit, slot), set(forbid, slot)) {
            (Some(a), Some(b)) => common(a, b)?,
            (a, b) => one_value(a.or(b)),
        };
        *act.slot_mut(slot) = value;
    }
    Some(act)
}

/// A party that `accepted` allows and `owners` leaves out: alphabetically
/// first, from the declared parties where `accepted` is a wildcard.
fn outsider(accepted: &Members, owners: &Members, universe: &Universe) -> Option<String> {
    let outside = |name: &&String| !owners.contains(name);
    match accepted {
        Members::Only(set) => first(set.iter().filter(outside)),
        Members::Any => first(universe.parties.iter().filter(outside)),
    }
}

/// An exclusivity forbids an act that names, for one of its sets, a value
/// outside it (section 7, step 2). Find such a value the permit accepts:
/// from the permit's own set for that slot, or, when the permit has none or
/// a wildcard, any declared name of the slot's kind.
fn excluded_act(
    permit: &ClauseInfo,
    exclusive: &ClauseInfo,
    universe: &Universe,
    mut act: Act,
) -> Option<Act> {
    for (slot, members) in &exclusive.sets {
        let Members::Only(inside) = members else {
            continue; // a wildcard set excludes nothing
        };
        let outside = match set(permit, *slot) {
            Some(Members::Only(accepted)) => first(accepted.difference(inside)),
            None | Some(Members::Any) => first(
                universe
                    .of_slot(*slot)
                    .iter()
                    .filter(|name| !inside.contains(name.as_str())),
            ),
        };
        let Some(outside) = outside else {
            continue;
        };
        for other in SLOTS {
            *act.slot_mut(other) = if other == *slot {
                Some(outside.clone())
            } else {
                one_value(set(permit, other))
            };
        }
        return Some(act);
    }
    None
}

/// An act that one of the two clauses permits and the other forbids, in
/// either order, if any.
pub fn opposed_act(a: &ClauseInfo, b: &ClauseInfo, universe: &Universe) -> Option<Act> {
    common_act(a, b, universe).or_else(|| common_act(b, a, universe))
}

/// Clauses that could match a common act, looked up by name so that a
/// contract of thousands of clauses never compares all pairs:
/// - a `must not` is paired with the `may`/`must` clauses on one of its
///   (action, asset) pairs,
/// - an `exclusive` with the `may`/`must` clauses on one of its assets
///   (it binds every action),
/// - a `holds no` with the `holds` clauses on one of its assets.
pub struct PermitIndex<'c> {
    by_action_asset: FxHashMap<(&'c str, &'c str), Vec<ClauseId>>,
    acts_by_asset: FxHashMap<&'c str, Vec<ClauseId>>,
    holds_by_asset: FxHashMap<&'c str, Vec<ClauseId>>,
}

impl<'c> PermitIndex<'c> {
    pub fn build(contract: &'c Contract) -> PermitIndex<'c> {
        let mut index = PermitIndex {
            by_action_asset: FxHashMap::default(),
            acts_by_asset: FxHashMap::default(),
            holds_by_asset: FxHashMap::default(),
        };
        for (id, _, _) in contract.clauses() {
            let Some(info) = contract.clause_info(id) else {
                continue;
            };
            match info.kind {
                ClauseKind::May | ClauseKind::Must | ClauseKind::Only => {
                    for asset in &info.objects {
                        index.acts_by_asset.entry(asset).or_default().push(id);
                        if let Members::Only(actions) = &info.actions {
                            for action in actions {
                                index
                                    .by_action_asset
                                    .entry((action, asset))
                                    .or_default()
                                    .push(id);
                            }
                        }
                    }
                }
                ClauseKind::Holds => {
                    for asset in &info.objects {
                        index.holds_by_asset.entry(asset).or_default().push(id);
                    }
                }
                ClauseKind::MustNot | ClauseKind::HoldsNo | ClauseKind::Exclusive => {}
            }
        }
        index
    }

    /// The permits that may oppose `forbid`, each once, in source order.
    pub fn candidates(&self, forbid: &ClauseInfo) -> Vec<ClauseId> {
        let mut found: Vec<ClauseId> = Vec::new();
        let mut add = |ids: Option<&Vec<ClauseId>>| found.extend(ids.into_iter().flatten());
        for asset in &forbid.objects {
            match forbid.kind {
                ClauseKind::MustNot | ClauseKind::Only => {
                    if let Members::Only(actions) = &forbid.actions {
                        for action in actions {
                            add(self.by_action_asset.get(&(action.as_str(), asset.as_str())));
                        }
                    }
                }
                ClauseKind::Exclusive => add(self.acts_by_asset.get(asset.as_str())),
                ClauseKind::HoldsNo => add(self.holds_by_asset.get(asset.as_str())),
                ClauseKind::May | ClauseKind::Must | ClauseKind::Holds => {}
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::contract;

    fn act_between(text: &str, a: &str, b: &str) -> Option<String> {
        let contract = contract(text);
        let info = |label: &str| {
            contract
                .clause_info(contract.clause_by_label(label).unwrap())
                .unwrap()
        };
        let universe = Universe::of(&contract.symbols);
        opposed_act(info(a), info(b), &universe).map(|act| act.to_string())
    }

    const DECLS: &str = "party openai\nparty microsoft\nparty us_natsec\nasset api\nasset weights\n\
        venue azure\nvenue gcp\nvenue aws\naction host\naction release\n";

    fn with_decls(clauses: &str) -> String {
        format!("{DECLS}{clauses}")
    }

    #[test]
    fn a_permit_outside_an_exclusivity() {
        let text = with_decls("ex: exclusive api on azure\np: openai may host api on gcp\n");
        assert_eq!(
            act_between(&text, "p", "ex").as_deref(),
            Some("openai host api on gcp")
        );
        // Either order.
        assert_eq!(
            act_between(&text, "ex", "p").as_deref(),
            Some("openai host api on gcp")
        );
    }

    #[test]
    fn a_permit_inside_an_exclusivity_is_no_act() {
        let text = with_decls("ex: exclusive api on azure\np: openai may host api on azure\n");
        assert_eq!(act_between(&text, "p", "ex"), None);
    }

    #[test]
    fn a_permit_without_the_set_meets_the_exclusivity_on_another_venue() {
        // The permit ignores `on`; the exclusivity forbids every other venue.
        let text = with_decls("ex: exclusive api on azure\np: openai may host api\n");
        assert_eq!(
            act_between(&text, "p", "ex").as_deref(),
            Some("openai host api on aws")
        );
        let wildcard =
            with_decls("ex: exclusive api on azure\np: anyone may host api on anywhere\n");
        assert_eq!(
            act_between(&wildcard, "p", "ex").as_deref(),
            Some("anyone host api on aws")
        );
    }

    #[test]
    fn an_exclusivity_with_every_venue_excludes_nothing() {
        let text = "party openai\nasset api\nvenue azure\naction host\n\
                    ex: exclusive api on azure\np: openai may host api\n";
        assert_eq!(act_between(text, "p", "ex"), None);
    }

    #[test]
    fn the_permits_other_sets_are_named_too() {
        let text = with_decls(
            "ex: exclusive api on azure\np: openai may host api on anywhere to us_natsec\n",
        );
        assert_eq!(
            act_between(&text, "p", "ex").as_deref(),
            Some("openai host api on aws to us_natsec")
        );
    }

    #[test]
    fn may_and_must_not_need_a_common_party_action_asset_and_sets() {
        let text = with_decls(
            "p: openai may host api on azure, gcp\n\
             f: openai must not host api on gcp\n\
             other_party: microsoft must not host api on gcp\n\
             other_action: openai must not release api on gcp\n\
             other_venue: openai must not host api on aws\n\
             anyone_f: anyone must not host api to us_natsec\n",
        );
        assert_eq!(
            act_between(&text, "p", "f").as_deref(),
            Some("openai host api on gcp")
        );
        assert_eq!(act_between(&text, "p", "other_party"), None);
        assert_eq!(act_between(&text, "p", "other_action"), None);
        assert_eq!(act_between(&text, "p", "other_venue"), None);
        assert_eq!(
            act_between(&text, "p", "anyone_f").as_deref(),
            Some("openai host api on azure to us_natsec")
        );
    }

    #[test]
    fn two_permits_or_two_forbids_are_no_act() {
        let text = with_decls(
            "a: openai may host api\nb: openai must host api\n\
             c: openai must not host api\nd: exclusive api on azure\n",
        );
        assert_eq!(act_between(&text, "a", "b"), None);
        assert_eq!(act_between(&text, "c", "d"), None);
    }

    #[test]
    fn holds_and_holds_no() {
        let text = with_decls(
            "h: microsoft holds weights\nn: microsoft holds no weights\n\
             other: openai holds no weights\nact: microsoft must not host weights\n",
        );
        assert_eq!(
            act_between(&text, "h", "n").as_deref(),
            Some("microsoft holds weights")
        );
        assert_eq!(act_between(&text, "h", "other"), None);
        // Families never mix.
        assert_eq!(act_between(&text, "h", "act"), None);
    }

    #[test]
    fn groups_expand() {
        let text = with_decls(
            "group clouds = gcp, aws\ngroup models = api, weights\n\
             p: openai may host models on clouds\nf: anyone must not host weights on aws\n",
        );
        assert_eq!(
            act_between(&text, "p", "f").as_deref(),
            Some("openai host weights on aws")
        );
    }

    #[test]
    fn the_index_finds_only_permits_on_the_same_names() {
        let text = with_decls(
            "p1: openai may host api\np2: openai may release api\np3: openai may host weights\n\
             h: microsoft holds api\n\
             f: openai must not host api\nex: exclusive api on azure\nn: microsoft holds no api\n",
        );
        let contract = contract(&text);
        let index = PermitIndex::build(&contract);
        let labels = |label: &str| -> Vec<String> {
            let info = contract
                .clause_info(contract.clause_by_label(label).unwrap())
                .unwrap();
            index
                .candidates(info)
                .into_iter()
                .map(|id| contract.clause_label(id).to_string())
                .collect()
        };
        assert_eq!(labels("f"), vec!["p1"]);
        assert_eq!(labels("ex"), vec!["p1", "p2"]);
        assert_eq!(labels("n"), vec!["h"]);
        assert!(labels("p1").is_empty());
    }

    #[test]
    fn an_exclusivity_never_permits() {
        let text = with_decls(
            "ex: exclusive api on azure
f: openai must not host api on azure
             g: openai must not host api on gcp
",
        );
        let contract = contract(&text);
        let info = |label: &str| {
            contract
                .clause_info(contract.clause_by_label(label).unwrap())
                .unwrap()
        };
        let universe = Universe::of(&contract.symbols);
        // Inside its sets an exclusivity says nothing (v2): no act opposes them.
        assert_eq!(opposed_act(info("ex"), info("f"), &universe), None);
        assert_eq!(opposed_act(info("ex"), info("g"), &universe), None);
    }
}
