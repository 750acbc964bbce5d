//! Both versions' deciding clauses in one contract, so that the project's
//! one scenario enumerator (`analysis::futures_for`) sees the atoms of
//! both at once: every order of both versions' dates, events and fact
//! comparisons that can tell them apart is one of its futures.
//!
//! The joint contract has the new version's declarations, the old one's
//! that the new lacks, copies of the deciding clauses of each version
//! (without labels or exceptions, which no atom depends on) and, as its
//! `effective` date, the comparison start. It cannot be built when a name
//! the clauses read means something else in each version (a `let` with
//! another value, a fact of another type, a name of another kind); those
//! acts are compared over each version's futures over a range only
//! (`range_scenarios`).
//!
//! Futures where an event happens before the comparison start are left
//! out: what happened before the new version applies is history both
//! versions were written with.

use super::futures::{Deciders, Relevant};
use crate::ast::{self, Item, ItemKind, QualifierKind};
use crate::eval::{ClauseId, Contract, Scenario};
use crate::fmt::format_expr;
use crate::source::{SourceFile, Span};
use crate::symbols::Symbols;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Most distinct scenarios taken from the enumerator for one act.
pub const MAX_JOINT_SCENARIOS: usize = 5_000;
/// Most representative states walked for one act.
pub const MAX_JOINT_STATES: u64 = 50_000;

/// A scenario's event dates and fact values, for telling scenarios apart.
pub type ScenarioKey = (Vec<(String, NaiveDate)>, Vec<(String, String)>);

/// Why the joint futures of an act were not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotJoint(pub String);

fn declared_name(kind: &ItemKind) -> Option<&str> {
    match kind {
        ItemKind::Decl(d) => Some(&d.name.text),
        ItemKind::Group(g) => Some(&g.name.text),
        ItemKind::Let(l) => Some(&l.name.text),
        ItemKind::Fact(f) => Some(&f.name.text),
        _ => None,
    }
}

fn declarations(contract: &Contract) -> BTreeMap<&str, &Item> {
    let mut out = BTreeMap::new();
    for item in &contract.file.items {
        if let Some(name) = declared_name(&item.kind) {
            out.entry(name).or_insert(item);
        }
    }
    out
}

fn kind_word(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::Decl(d) => d.kind.keyword(),
        ItemKind::Group(_) => "group",
        ItemKind::Let(_) => "let",
        ItemKind::Fact(_) => "fact",
        _ => "item",
    }
}

/// The joint contract of an act's deciding clauses, and their ids in it.
fn joint_contract(
    deciders: &Deciders<'_>,
    relevant: &Relevant,
    start: NaiveDate,
) -> Result<(Contract, Vec<ClauseId>), NotJoint> {
    let (old, new) = (deciders.old.0, deciders.new.0);
    let (old_decls, new_decls) = (declarations(old), declarations(new));
    let read: BTreeSet<&String> = relevant
        .events
        .iter()
        .chain(&relevant.facts)
        .chain(&relevant.lets)
        .collect();
    for name in read {
        let (Some(a), Some(b)) = (old_decls.get(name.as_str()), new_decls.get(name.as_str()))
        else {
            continue;
        };
        let differs = match (&a.kind, &b.kind) {
            (ItemKind::Let(x), ItemKind::Let(y)) => format_expr(&x.value) != format_expr(&y.value),
            (ItemKind::Fact(x), ItemKind::Fact(y)) => {
                crate::eval::type_of(&x.ty) != crate::eval::type_of(&y.ty)
            }
            (ItemKind::Decl(x), ItemKind::Decl(y)) => x.kind != y.kind,
            (x, y) => kind_word(x) != kind_word(y),
        };
        if differs {
            return Err(NotJoint(format!(
                "`{name}` means something else in each version"
            )));
        }
    }

    let mut items: Vec<Item> = vec![Item {
        doc: None,
        kind: ItemKind::Effective(ast::Effective {
            date: ast::DateLit {
                date: start,
                span: Span::default(),
            },
            end: None,
            span: Span::default(),
        }),
        span: Span::default(),
    }];
    for (name, item) in &new_decls {
        let mut item = (*item).clone();
        // An event follows what it follows in either version.
        if let (ItemKind::Decl(decl), Some(old_item)) = (&mut item.kind, old_decls.get(name))
            && let ItemKind::Decl(old_decl) = &old_item.kind
        {
            for before in &old_decl.after {
                if !decl.after.iter().any(|a| a.text == before.text) {
                    decl.after.push(before.clone());
                }
            }
        }
        items.push(item);
    }
    for (name, item) in &old_decls {
        if !new_decls.contains_key(name) {
            items.push((*item).clone());
        }
    }
    let mut ids = Vec::new();
    for (contract, clause_ids) in [&deciders.old, &deciders.new] {
        for &id in clause_ids {
            let Some(clause) = contract.clause(id) else {
                continue;
            };
            let mut copy = clause.clone();
            copy.label = None;
            copy.qualifiers
                .retain(|q| !matches!(q.kind, QualifierKind::Notwithstanding(_)));
            ids.push(ClauseId(items.len()));
            items.push(Item {
                doc: None,
                span: copy.span,
                kind: ItemKind::Clause(copy),
            });
        }
    }
    let file = ast::File {
        items,
        comments: Vec::new(),
    };
    // Unlabelled clauses are named by item index: no output shows them.
    let symbols = Symbols::build(&file, |offset| offset);
    Ok((
        Contract::new(SourceFile::new("joint.deal", ""), file, symbols),
        ids,
    ))
}

/// The distinct scenarios of the representative futures of an act's
/// deciding clauses in both versions.
pub fn joint_scenarios(
    deciders: &Deciders<'_>,
    relevant: &Relevant,
    start: NaiveDate,
) -> Result<Vec<Scenario>, NotJoint> {
    let (joint, ids) = joint_contract(deciders, relevant, start)?;
    let futures =
        crate::analysis::futures_for(&joint, &ids, &[], &[]).map_err(|d| NotJoint(d.message))?;
    let mut seen: BTreeSet<ScenarioKey> = BTreeSet::new();
    let mut out = Vec::new();
    if futures.state_bound() > MAX_JOINT_STATES {
        return Err(NotJoint(format!(
            "about {} representative futures",
            futures.state_bound()
        )));
    }
    for world in futures.iter() {
        // What happened before the comparison start is history both
        // versions were written with; the comparison is about what happens
        // once the new version applies.
        if world.scenario.events.values().any(|&d| d < start) {
            continue;
        }
        let key = (
            world
                .scenario
                .events
                .iter()
                .map(|(n, d)| (n.clone(), *d))
                .collect(),
            world
                .scenario
                .facts
                .iter()
                .map(|(n, v)| (n.clone(), v.json_value()))
                .collect(),
        );
        if seen.insert(key) {
            if out.len() >= MAX_JOINT_SCENARIOS {
                return Err(NotJoint(format!(
                    "more than {MAX_JOINT_SCENARIOS} representative futures"
                )));
            }
            out.push(Scenario {
                events: world.scenario.events,
                facts: world.scenario.facts,
                ..Scenario::default()
            });
        }
    }
    Ok(out)
}

/// Most futures over a range taken for one act (see `range_scenarios`).
pub const MAX_RANGE_SCENARIOS: usize = 600;

/// The futures an act is compared over besides the exact ones: the
/// enumerator's view over a range of days (`analysis::orders`), from the
/// comparison start to `until`. Its events fall well inside the gaps
/// between the contract's dates as well as on them, so each effect has a
/// future where no two written times coincide, for its words and its
/// example. It runs on the joint contract, or, when that cannot be built,
/// on each version alone (the union of both). Futures with an event
/// before the start are history and left out. The second value says
/// whether the set was cut at `MAX_RANGE_SCENARIOS`, or a version's
/// futures could not be enumerated (a limit), with why.
pub fn range_scenarios(
    deciders: &Deciders<'_>,
    relevant: &Relevant,
    start: NaiveDate,
    until: NaiveDate,
) -> (Vec<Scenario>, Option<String>) {
    let joint = joint_contract(deciders, relevant, start);
    let runs: Vec<(&Contract, Vec<ClauseId>)> = match &joint {
        Ok((contract, ids)) => vec![(contract, ids.clone())],
        Err(_) => vec![
            (deciders.old.0, deciders.old.1.clone()),
            (deciders.new.0, deciders.new.1.clone()),
        ],
    };
    let mut out: Vec<Scenario> = Vec::new();
    let mut seen: BTreeSet<ScenarioKey> = BTreeSet::new();
    let mut cut: Option<String> = None;
    for (contract, ids) in runs {
        let futures = match crate::analysis::orders::RangeFutures::for_clauses(
            contract, &ids, start, until,
        ) {
            Ok(futures) => futures,
            Err(refusal) => {
                cut = Some(refusal.message);
                continue;
            }
        };
        let walked = futures.each(&mut |scenario| {
            if scenario.events.values().any(|&d| d < start) {
                return Ok(());
            }
            if seen.insert(key_of(&scenario)) {
                if out.len() >= MAX_RANGE_SCENARIOS {
                    return Err(crate::diagnostic::Diagnostic::new(
                        crate::diagnostic::Code::Limit,
                        format!("more than {MAX_RANGE_SCENARIOS} futures over the range"),
                        Span::default(),
                        "",
                    ));
                }
                out.push(scenario);
            }
            Ok(())
        });
        if let Err(stop) = walked {
            cut = Some(stop.message);
        }
    }
    (out, cut)
}

/// A scenario's events, facts and assumed performance, for telling
/// scenarios apart.
pub fn key_of(scenario: &Scenario) -> ScenarioKey {
    let mut events: Vec<(String, NaiveDate)> = scenario
        .events
        .iter()
        .map(|(n, d)| (n.clone(), *d))
        .collect();
    // Assumed performance reads as a dated entry of its own.
    events.extend(
        scenario
            .fulfilments
            .values()
            .chain(scenario.instance_fulfilments.values())
            .map(|f| (f.record.clone(), f.date)),
    );
    let facts = scenario
        .facts
        .iter()
        .map(|(n, v)| (n.clone(), v.json_value()))
        .collect();
    (events, facts)
}
