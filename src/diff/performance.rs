//! The performance of obligations in the futures `deal diff` compares
//! (spec section 8: every debt may be fulfilled on any day it is open, or
//! never; every recurring instance likewise).
//!
//! A compared future is one world, where both versions see the same acts:
//! its performance is a list of records, scenario lines such as `marlow pay
//! $10M of fees to helvion on 2025-02-01`, which each version reads as a
//! scenario block with those lines would be read (`realise`), so that an
//! example replays through `deal query` with those lines. A scenario
//! carries its records in `fulfilments` and `instance_fulfilments`, under
//! keys that mean nothing in either version (`records` reads them).
//!
//! Where the records come from: the shared enumerator's futures of the
//! joint contract (see `joint`; both its one-day view and its view over a
//! range), where each version's obligations are performed on the
//! representative days of their own times; and `late_for_one`, a payment
//! on the day after the earlier of two versions' deadlines, which no
//! single version's representative days give; and, when the futures over
//! the range had to be cut, `in_time`: every obligation performed on the
//! day it begins.

use super::futures::{Deciders, status_obligations};
use crate::eval::{ClauseId, Contract, Fulfilment, Scenario};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Each version performs its obligations on the representative days of its
/// own times, which never fall between the two versions' deadlines for one
/// obligation: a payment late for one version and in time for the other.
/// This adds that future: each instance (or debt) of an obligation present
/// in both versions under one label, whose deadlines differ, paid on the
/// day after the earlier deadline, when it has begun by `day` in both.
pub fn late_for_one(deciders: &Deciders<'_>, world: &Scenario, day: NaiveDate) -> Option<Scenario> {
    let (old, new) = (deciders.old.0, deciders.new.0);
    let plain = Scenario {
        events: world.events.clone(),
        facts: world.facts.clone(),
        ..Scenario::default()
    };
    let mut scenario = plain.clone();
    for new_id in status_obligations(new, &deciders.new.1) {
        let Some(old_id) = old.clause_by_label(new.clause_label(new_id)) else {
            continue;
        };
        if !status_obligations(old, &deciders.old.1).contains(&old_id) {
            continue;
        }
        let instances = |contract: &Contract, id: ClauseId| {
            let ctx = crate::eval::force::Ctx::new(contract, &plain, None);
            crate::eval::obligation::instances(ctx, id, day).unwrap_or_default()
        };
        for (was, now) in instances(old, old_id).iter().zip(instances(new, new_id)) {
            let (Some(a), Some(b)) = (was.due.day(), now.due.day()) else {
                continue;
            };
            if a == b {
                continue;
            }
            let Some(paid) = a.min(b).succ_opt() else {
                continue;
            };
            if paid < was.begins.max(now.begins) {
                continue;
            }
            let record = crate::analysis::fulfilment_record(new, new_id, paid);
            scenario
                .instance_fulfilments
                .insert((new_id, now.index), Fulfilment { date: paid, record });
        }
    }
    (!scenario.instance_fulfilments.is_empty()).then_some(scenario)
}

/// The records a compared scenario's performance stands for, as scenario
/// lines in date order (`a pay 100 of fee to b on 2025-02-10`).
pub fn records(scenario: &Scenario) -> Vec<String> {
    let mut fulfilments: Vec<(NaiveDate, &str)> = scenario
        .fulfilments
        .values()
        .chain(scenario.instance_fulfilments.values())
        .map(|f| (f.date, f.record.as_str()))
        .collect();
    fulfilments.sort();
    fulfilments.dedup();
    fulfilments
        .into_iter()
        .map(|(_, record)| record.to_string())
        .collect()
}

/// A compared scenario as one version reads it: its events and facts, and
/// its performance as the records the version makes of its scenario lines
/// (as `deal query` reads a scenario block with those lines). A line the
/// version cannot read (it names an asset only the other version declares)
/// performs nothing there and is left out.
pub fn realise(contract: &Contract, scenario: &Scenario) -> Scenario {
    let mut out = Scenario {
        events: scenario.events.clone(),
        facts: scenario.facts.clone(),
        ..Scenario::default()
    };
    if scenario.fulfilments.is_empty() && scenario.instance_fulfilments.is_empty() {
        return out;
    }
    // The block names only what the version declares, as a replay would.
    let mut shown = Scenario {
        events: scenario.events.clone(),
        facts: scenario.facts.clone(),
        ..Scenario::default()
    };
    shown
        .events
        .retain(|name, _| contract.event_decl(name).is_some());
    shown
        .facts
        .retain(|name, _| contract.fact_decl(name).is_some());
    let read = |performance: &Scenario| -> Option<Vec<crate::eval::PerformanceRecord>> {
        let text = crate::analysis::scenario_block("performed", performance, None, None, &[]);
        let source = crate::source::SourceFile::new("performed.deal", text);
        let file = crate::syntax::parse_file(&source).ok()?;
        let block = file.items.iter().find_map(|item| match &item.kind {
            crate::ast::ItemKind::Scenario(block) => Some(block),
            _ => None,
        })?;
        Scenario::from_ast(contract, block).ok().map(|s| s.records)
    };
    let mut all = shown.clone();
    all.fulfilments = scenario.fulfilments.clone();
    all.instance_fulfilments = scenario.instance_fulfilments.clone();
    if let Some(records) = read(&all) {
        out.records = records;
        return out;
    }
    let mut each: Vec<&Fulfilment> = scenario
        .fulfilments
        .values()
        .chain(scenario.instance_fulfilments.values())
        .collect();
    each.sort_by_key(|f| f.date);
    for fulfilment in each {
        let mut one = shown.clone();
        one.fulfilments.insert(ClauseId(0), fulfilment.clone());
        out.records.extend(read(&one).unwrap_or_default());
    }
    out
}

/// The obligations whose status the deciding clauses of either version
/// read, by label, each with the act its records perform (the record line
/// without its date).
pub fn performance_keys(deciders: &Deciders<'_>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (contract, ids) in [&deciders.new, &deciders.old] {
        for id in status_obligations(contract, ids) {
            let day = contract.effective().unwrap_or(NaiveDate::MIN);
            let line = crate::analysis::fulfilment_record(contract, id, day);
            out.entry(contract.clause_label(id).to_string())
                .or_insert_with(|| record_act(&line).to_string());
        }
    }
    out
}

/// A record line without its date: `a pay 100 of fee to b`.
pub fn record_act(line: &str) -> &str {
    line.rsplit_once(" on ").map_or(line, |(act, _)| act)
}

/// Every obligation whose status the deciding clauses read, in either
/// version, performed on the day each of its instances begins (a debt on
/// its first day in force), for the instances begun by `horizon`: the
/// future where everything is done in time. The new version's record is
/// used for an obligation both versions have. None when nothing begins.
pub fn in_time(deciders: &Deciders<'_>, world: &Scenario, horizon: NaiveDate) -> Option<Scenario> {
    let plain = Scenario {
        events: world.events.clone(),
        facts: world.facts.clone(),
        ..Scenario::default()
    };
    let mut scenario = plain.clone();
    let mut done: Vec<String> = Vec::new();
    for (contract, ids) in [&deciders.new, &deciders.old] {
        for id in status_obligations(contract, ids) {
            let label = contract.clause_label(id).to_string();
            if done.contains(&label) {
                continue;
            }
            done.push(label);
            let ctx = crate::eval::force::Ctx::new(contract, &plain, None);
            // An evaluation error shows when the answers are asked.
            let instances =
                crate::eval::obligation::instances(ctx, id, horizon).unwrap_or_default();
            for instance in instances {
                let record = crate::analysis::fulfilment_record(contract, id, instance.begins);
                scenario.instance_fulfilments.insert(
                    (
                        ClauseId(scenario.instance_fulfilments.len()),
                        instance.index,
                    ),
                    Fulfilment {
                        date: instance.begins,
                        record,
                    },
                );
            }
        }
    }
    (!scenario.instance_fulfilments.is_empty()).then_some(scenario)
}
