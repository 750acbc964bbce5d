//! Both versions' deciding clauses in one contract, so that the project's
//! one scenario enumerator (`analysis::futures_for`) sees the atoms of
//! both at once: every order of both versions' dates, events and fact
//! comparisons that can tell them apart is one of its futures.
//!
//! The joint contract has the new version's declarations, the old one's
//! that the new lacks, copies of the deciding clauses of each version
//! (without labels or exceptions, which no atom depends on), the
//! obligations whose status those clauses read (labelled: the new
//! version's as written; the old version's, when they differ, under a
//! label no name can have, which its copied status conditions read) and,
//! as its `effective` date, the comparison start. The enumerator performs
//! each copied obligation on the representative days of its own times;
//! its worlds become scenarios with records (see `performance`). It cannot be built when a name
//! the clauses read means something else in each version (a `let` with
//! another value, a fact of another type, a name of another kind); those
//! acts are compared over each version's futures over a range only
//! (`range_scenarios`).
//!
//! Futures where an event happens before the comparison start are left
//! out: what happened before the new version applies is history both
//! versions were written with.

use super::futures::{Deciders, Relevant, status_obligations};
use super::performance::{late_for_one, records};
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

/// A scenario's event dates, fact values and records, for telling scenarios apart.
pub type ScenarioKey = (Vec<(String, NaiveDate)>, Vec<(String, String)>, Vec<String>);

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

/// A clause's label in the joint contract: the new version's as written,
/// the old version's marked so that it cannot meet a name of the new one
/// (a mark no name can contain).
fn joint_label(version: usize, label: &str) -> String {
    if version == 0 {
        format!("{label}'old")
    } else {
        label.to_string()
    }
}

/// The version key of a joint clause that stands for both versions.
const BOTH: usize = 2;

/// The labels of the obligations whose status both versions' deciding
/// clauses read and that are the same in both (the same text, reading only
/// such obligations' status): the joint contract has one copy of each.
fn shared_obligations(deciders: &Deciders<'_>) -> BTreeSet<String> {
    let (old, new) = (deciders.old.0, deciders.new.0);
    let old_read = status_obligations(old, &deciders.old.1);
    let new_read = status_obligations(new, &deciders.new.1);
    let text =
        |contract: &Contract, id: ClauseId| contract.clause(id).map(crate::fmt::format_clause);
    let mut shared: BTreeSet<String> = BTreeSet::new();
    for &id in &new_read {
        let label = new.clause_label(id);
        if let Some(old_id) = old.clause_by_label(label)
            && old_read.contains(&old_id)
            && text(old, old_id) == text(new, id)
        {
            shared.insert(label.to_string());
        }
    }
    // One that reads the status of an obligation that changed changes too.
    loop {
        let changed: Vec<String> = shared
            .iter()
            .filter(|label| {
                let Some(id) = new.clause_by_label(label) else {
                    return true;
                };
                status_obligations(new, &[id])
                    .iter()
                    .any(|&read| !shared.contains(new.clause_label(read)))
            })
            .cloned()
            .collect();
        if changed.is_empty() {
            return shared;
        }
        for label in changed {
            shared.remove(&label);
        }
    }
}

/// Rename every `L is STATUS` label of a condition. Iterative: conditions
/// can nest deeply.
fn rename_statuses(condition: &mut ast::Expr, rename: impl Fn(&str) -> String) {
    let mut stack = vec![condition];
    while let Some(expr) = stack.pop() {
        match &mut expr.kind {
            ast::ExprKind::StatusIs { label, .. } => label.text = rename(&label.text),
            ast::ExprKind::Literal(_) | ast::ExprKind::Name(_) | ast::ExprKind::EventBy { .. } => {}
            ast::ExprKind::Unary { operand, .. } | ast::ExprKind::Paren(operand) => {
                stack.push(operand)
            }
            ast::ExprKind::Binary { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            ast::ExprKind::Extremum { args, .. } => stack.extend(args.iter_mut()),
        }
    }
}

/// The joint contract of an act's deciding clauses, and their ids in it.
fn joint_contract(
    deciders: &Deciders<'_>,
    relevant: &Relevant,
    start: NaiveDate,
) -> Result<Joint, NotJoint> {
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
    let mut versions: BTreeMap<ClauseId, usize> = BTreeMap::new();
    let shared = shared_obligations(deciders);
    let rename = |label: &str| {
        if shared.contains(label) {
            label.to_string()
        } else {
            joint_label(0, label)
        }
    };
    for (version, (contract, clause_ids)) in [&deciders.old, &deciders.new].into_iter().enumerate()
    {
        // The obligations whose status the deciding clauses read go in
        // labelled, so that the enumerator places their performance: the
        // new version's under their labels, the old version's (when they
        // differ) under labels no name can have, and its status conditions
        // read those.
        let read = status_obligations(contract, clause_ids);
        let label_of = |id: ClauseId| {
            let label = contract.clause_label(id);
            if version == 0 {
                rename(label)
            } else {
                label.to_string()
            }
        };
        let mut copied: Vec<ClauseId> = clause_ids.clone();
        copied.extend(read.iter().filter(|&&id| {
            let shared_copy = version == 0 && shared.contains(contract.clause_label(id));
            !clause_ids.contains(&id) && !shared_copy
        }));
        for &id in &copied {
            let Some(clause) = contract.clause(id) else {
                continue;
            };
            let mut copy = clause.clone();
            copy.label = read.contains(&id).then(|| ast::Name {
                text: label_of(id),
                span: Span::default(),
            });
            copy.qualifiers
                .retain(|q| !matches!(q.kind, QualifierKind::Notwithstanding(_)));
            if version == 0 {
                for qualifier in &mut copy.qualifiers {
                    if let QualifierKind::When(condition) | QualifierKind::Unless(condition) =
                        &mut qualifier.kind
                    {
                        rename_statuses(condition, rename);
                    }
                }
            }
            if clause_ids.contains(&id) {
                ids.push(ClauseId(items.len()));
            }
            // A shared obligation's performance is both versions'.
            let from = if shared.contains(contract.clause_label(id)) && read.contains(&id) {
                BOTH
            } else {
                version
            };
            versions.insert(ClauseId(items.len()), from);
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
    Ok(Joint {
        contract: Contract::new(SourceFile::new("joint.deal", ""), file, symbols),
        deciders: ids,
        versions,
    })
}

/// The joint contract, the ids of the deciding clauses' copies in it, and
/// the version each copied clause comes from.
struct Joint {
    contract: Contract,
    deciders: Vec<ClauseId>,
    versions: BTreeMap<ClauseId, usize>,
}

/// The distinct scenarios of the representative futures of an act's
/// deciding clauses in both versions, with the performance each assumes.
///
/// The enumerator performs each version's obligations apart (the same debt
/// in each version is two obligations of the joint contract, each paid on
/// the representative days of its own deadline). One future is one world,
/// where both versions see the same acts: each scenario here carries in
/// `fulfilments` and `instance_fulfilments` the records both versions are
/// asked with (keyed by the joint contract's ids, which mean nothing in
/// either version: read them with `performance_records`). A world that
/// performs obligations of both versions gives three scenarios: the old
/// version's records, the new one's, and both.
fn joint_scenarios(
    joint: &Joint,
    deciders: &Deciders<'_>,
    relevant: &Relevant,
    start: NaiveDate,
) -> Result<Vec<Scenario>, NotJoint> {
    // When the clauses read obligations' status, "E by the day before the
    // start" for each event: the worlds where it is false place E from the
    // start on, with the obligations it starts performed on the days its
    // shifts reach from there (the representative days otherwise cluster
    // around the contract's constant dates, with the events before them).
    let before_start: Vec<ast::Expr> = match start.pred_opt() {
        Some(eve) if !relevant.statuses.is_empty() => relevant
            .events
            .iter()
            .map(|event| ast::Expr {
                kind: ast::ExprKind::EventBy {
                    event: ast::Name {
                        text: event.clone(),
                        span: Span::default(),
                    },
                    deadline: ast::TimeExpr {
                        kind: ast::TimeKind::Date(eve),
                        span: Span::default(),
                    },
                },
                span: Span::default(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let conditions: Vec<&ast::Expr> = before_start.iter().collect();
    let futures = crate::analysis::futures_for(&joint.contract, &joint.deciders, &[], &conditions)
        .map_err(|d| NotJoint(d.message))?;
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
        for scenario in one_world(joint, deciders, world.scenario, world.day) {
            let key = key_of(&scenario);
            if seen.insert(key) {
                if out.len() >= MAX_JOINT_SCENARIOS {
                    return Err(NotJoint(format!(
                        "more than {MAX_JOINT_SCENARIOS} representative futures"
                    )));
                }
                out.push(scenario);
            }
        }
    }
    Ok(out)
}

/// The scenarios of one world of the joint contract: its events and facts
/// with the old version's performance, the new one's, both (each once),
/// and the performance that is late for one version and in time for the
/// other (`late_for_one`).
fn one_world(
    joint: &Joint,
    deciders: &Deciders<'_>,
    world: Scenario,
    day: NaiveDate,
) -> Vec<Scenario> {
    let of_version = |version: usize| {
        let mut scenario = Scenario {
            events: world.events.clone(),
            facts: world.facts.clone(),
            ..Scenario::default()
        };
        let from = |id: &ClauseId| {
            version == BOTH
                || matches!(joint.versions.get(id), Some(&v) if v == version || v == BOTH)
        };
        scenario.fulfilments = world
            .fulfilments
            .iter()
            .filter(|(id, _)| from(id))
            .map(|(id, f)| (*id, f.clone()))
            .collect();
        scenario.instance_fulfilments = world
            .instance_fulfilments
            .iter()
            .filter(|((id, _), _)| from(id))
            .map(|(key, f)| (*key, f.clone()))
            .collect();
        scenario
    };
    let mut out: Vec<Scenario> = Vec::new();
    let late = late_for_one(deciders, &world, day);
    for scenario in [of_version(BOTH), of_version(0), of_version(1)]
        .into_iter()
        .chain(late)
    {
        if !out.iter().any(|s| records(s) == records(&scenario)) {
            out.push(scenario);
        }
    }
    out
}

/// An act's exact futures, or why they could not be built; and its
/// futures over the range, with why some were left out.
pub type CompareFutures = (
    Result<Vec<Scenario>, NotJoint>,
    (Vec<Scenario>, Option<String>),
);

/// An act's futures from both views of the enumerator, with the joint
/// contract built once: the exact one-day futures (or why they could not
/// be used), and the futures over `start..=until` with why some were left
/// out (see `range_scenarios`).
pub fn compared_futures(
    deciders: &Deciders<'_>,
    relevant: &Relevant,
    start: NaiveDate,
    until: NaiveDate,
) -> CompareFutures {
    match joint_contract(deciders, relevant, start) {
        Ok(joint) => (
            joint_scenarios(&joint, deciders, relevant, start),
            range_scenarios(Some(&joint), deciders, start, until),
        ),
        Err(why) => (Err(why), range_scenarios(None, deciders, start, until)),
    }
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
fn range_scenarios(
    joint: Option<&Joint>,
    deciders: &Deciders<'_>,
    start: NaiveDate,
    until: NaiveDate,
) -> (Vec<Scenario>, Option<String>) {
    let runs: Vec<(&Contract, Vec<ClauseId>)> = match &joint {
        Some(joint) => vec![(&joint.contract, joint.deciders.clone())],
        None => vec![
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
            // On the joint contract, each version's performance apart and
            // together (`one_world`); a version's own futures as they are.
            let compared = match joint {
                Some(joint) => one_world(joint, deciders, scenario, until),
                None => vec![scenario],
            };
            for scenario in compared {
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
            }
            Ok(())
        });
        if let Err(stop) = walked {
            cut = Some(stop.message);
        }
    }
    (out, cut)
}

/// A scenario's events, facts and the records its performance stands
/// for, for telling scenarios apart.
pub fn key_of(scenario: &Scenario) -> ScenarioKey {
    (
        scenario
            .events
            .iter()
            .map(|(n, d)| (n.clone(), *d))
            .collect(),
        scenario
            .facts
            .iter()
            .map(|(n, v)| (n.clone(), v.json_value()))
            .collect(),
        records(scenario),
    )
}
