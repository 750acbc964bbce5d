//! A few worlds tried before the enumeration, for the lint questions that
//! only ask whether some world exists (is this clause ever in force? are
//! these two ever in force on one day?).
//!
//! Why: on a real contract nearly every such answer is yes, and a yes needs
//! one world, not the representative futures of the question (building
//! them is most of the work of `deal check` on a large contract). Every
//! probe is a scenario `Scenario::validate` accepts, so a world among them
//! where the answer is yes settles the question exactly; a question the
//! probes leave open, or where evaluating them fails, is enumerated as
//! before, so a "no" (a finding) and every error still come from the
//! enumeration.

use crate::analysis::clause_fact_values;
use crate::eval::{ClauseId, Contract, Ctx, FactReads, Scenario, Time, Value};
use chrono::{Days, NaiveDate};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The day the probes place their events on when the contract has no
/// `effective` date: any day gives a valid scenario, this one only has to
/// be the same on every run.
const ANCHOR_WITHOUT_EFFECTIVE: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Days between an event and the events that must come after it, in the
/// probe that spreads them out: long enough for the usual notice periods
/// and shifts (`e + 6 months`) to fall between two events.
const SPREAD_DAYS: u64 = 3 * 366;

pub struct Probes {
    scenarios: Vec<Scenario>,
    /// Fact values that settled an earlier question, by fact, tried first
    /// when a probe fails on that fact: the clauses of a contract tend to
    /// compare a fact with the same constants, and working out a
    /// question's representative values costs more than the probe.
    learned: RefCell<BTreeMap<String, Vec<Value>>>,
}

impl Probes {
    /// Nothing happens; every event happens on the anchor day (the
    /// `effective` date); every event happens `SPREAD_DAYS` after the
    /// latest event it must come after. Facts keep their defaults. A probe
    /// the contract's order refuses (a cycle, a date past the calendar) is
    /// left out.
    pub fn new(contract: &Contract) -> Probes {
        let anchor = contract.effective().unwrap_or(ANCHOR_WITHOUT_EFFECTIVE);
        let events: Vec<&str> = contract.events().map(|e| e.name.text.as_str()).collect();
        let mut scenarios = vec![Scenario::default()];
        if !events.is_empty() {
            let mut together = Scenario::default();
            for &event in &events {
                together.events.insert(event.to_string(), anchor);
            }
            // Without an `after`, spreading places every event on the
            // anchor too: the same probe, tried once.
            let spread = spread(contract, &events, anchor).filter(|spread| *spread != together);
            scenarios.push(together);
            scenarios.extend(spread);
        }
        scenarios.retain(|scenario| scenario.validate(contract).is_empty());
        Probes {
            scenarios,
            learned: RefCell::new(BTreeMap::new()),
        }
    }

    /// Whether the probes show a day on which every clause of `ids` is in
    /// force: `true` settles the question, `false` leaves it open. Where a
    /// probe fails having read facts, it is tried again with one of those
    /// facts changed: first to the values that settled earlier questions,
    /// then to each of this question's representative values
    /// (`analysis::facts`). Every value tried has the fact's type, so
    /// every probe stays a valid scenario.
    pub fn all_in_force(&self, contract: &Contract, ids: &[ClauseId]) -> bool {
        let mut representatives = None;
        for probe in &self.scenarios {
            let reads = FactReads::default();
            if in_force_together(Ctx::new(contract, probe, Some(&reads)), ids) == Some(true) {
                return true;
            }
            let read = reads.into_inner();
            if read.is_empty() {
                continue;
            }
            let mut varied = probe.clone();
            let mut settles = |fact: &str, value: &Value| {
                if Some(value.ty()) != contract.fact_type(fact) {
                    return false;
                }
                varied.facts.insert(fact.to_string(), value.clone());
                let settled = in_force_together(Ctx::new(contract, &varied, None), ids);
                varied.facts.remove(fact);
                settled == Some(true)
            };
            let learned_settles = read.iter().any(|fact| {
                self.learned
                    .borrow()
                    .get(fact)
                    .is_some_and(|values| values.iter().any(|value| settles(fact, value)))
            });
            if learned_settles {
                return true;
            }
            let representatives = representatives
                .get_or_insert_with(|| clause_fact_values(contract, ids).unwrap_or_default());
            for fact in representatives
                .iter()
                .filter(|fact| read.contains(&fact.name))
            {
                if let Some(value) = fact.values.iter().find(|value| settles(&fact.name, value)) {
                    let mut learned = self.learned.borrow_mut();
                    let values = learned.entry(fact.name.clone()).or_default();
                    if !values.contains(value) {
                        values.push(value.clone());
                    }
                    return true;
                }
            }
        }
        false
    }
}

/// Every event `SPREAD_DAYS` after the latest of its prerequisites (the
/// anchor when it has none), or `None` when the order has a cycle or a date
/// falls outside the calendar.
fn spread(contract: &Contract, events: &[&str], anchor: NaiveDate) -> Option<Scenario> {
    let mut scenario = Scenario::default();
    for (event, level) in levels(contract, events)? {
        let offset = level.checked_mul(SPREAD_DAYS)?;
        let date = anchor.checked_add_days(Days::new(offset))?;
        scenario.events.insert(event.to_string(), date);
    }
    Some(scenario)
}

/// How many events lie on the longest chain of prerequisites below each
/// event (0 for an event with none), or `None` on a cycle. A depth-first
/// walk with its own stack: an `after` chain of any length is one pass.
fn levels<'c>(contract: &'c Contract, events: &[&'c str]) -> Option<HashMap<&'c str, u64>> {
    let mut level: HashMap<&'c str, u64> = HashMap::new();
    let mut on_path: HashSet<&'c str> = HashSet::new();
    for &root in events {
        if level.contains_key(root) {
            continue;
        }
        on_path.insert(root);
        let mut stack: Vec<(&'c str, usize)> = vec![(root, 0)];
        while let Some((event, next)) = stack.last_mut() {
            let prerequisites = contract.prerequisites(event);
            if let Some(before) = prerequisites.get(*next) {
                *next += 1;
                let before = before.as_str();
                if level.contains_key(before) {
                    continue;
                }
                if !on_path.insert(before) {
                    return None;
                }
                stack.push((before, 0));
            } else {
                let depth = prerequisites
                    .iter()
                    .filter_map(|before| level.get(before.as_str()))
                    .map(|d| d + 1)
                    .max()
                    .unwrap_or(0);
                let event = *event;
                level.insert(event, depth);
                on_path.remove(event);
                stack.pop();
            }
        }
    }
    Some(level)
}

/// Whether all of `ids` are in force on one day of the context's scenario
/// among the days where that can first happen: the latest of their window
/// starts, and the scenario's last event if it comes later (conditions
/// read events as having happened). `None` when a window or condition
/// cannot be evaluated here (a fact without a default, say).
fn in_force_together(ctx: Ctx<'_>, ids: &[ClauseId]) -> Option<bool> {
    let mut windows = Vec::with_capacity(ids.len());
    let mut start = NaiveDate::MIN;
    for &id in ids {
        let (from, until) = ctx.window(id).ok()?;
        match from {
            Time::Day(day) => start = start.max(day),
            Time::Never => return Some(false),
        }
        windows.push((id, until));
    }
    let last_event = ctx.scenario.events.values().copied().max();
    let days = std::iter::once(start).chain(last_event.filter(|&day| day > start));
    for day in days {
        let mut all = true;
        for &(id, until) in &windows {
            if until.reached_by(day) || !ctx.conditions_hold(id, day).ok()? {
                all = false;
                break;
            }
        }
        if all {
            return Some(true);
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::contract;

    fn settled(text: &str, labels: &[&str]) -> bool {
        let contract = contract(text);
        let ids: Vec<ClauseId> = labels
            .iter()
            .map(|label| contract.clause_by_label(label).unwrap())
            .collect();
        Probes::new(&contract).all_in_force(&contract, &ids)
    }

    const DECLS: &str = "party p\nasset x\naction act\nevent e\nevent f after e\nfact ok: bool\n";

    #[test]
    fn a_clause_in_force_in_a_probe_is_settled() {
        let text = format!(
            "{DECLS}effective 2026-01-01\n\
             plain: p may act x\n\
             waits: p may act x from e + 6 months\n\
             between: p may act x from e + 6 months until f\n\
             both: p may act x from f when e\n"
        );
        for label in ["plain", "waits", "between", "both"] {
            assert!(settled(&text, &[label]), "{label}");
        }
        assert!(settled(&text, &["plain", "between"]));
    }

    #[test]
    fn a_fact_is_tried_at_the_values_the_question_compares_it_with() {
        let text = format!(
            "{DECLS}fact revenue: money = $50M\n\
             needs_fact: p may act x when ok\n\
             above: p may act x when revenue > $100M\n\
             below_too: p may act x when revenue < $10M\n"
        );
        for label in ["needs_fact", "above", "below_too"] {
            assert!(settled(&text, &[label]), "{label}");
        }
    }

    #[test]
    fn a_dead_clause_is_left_to_the_enumeration() {
        let text = format!(
            "{DECLS}effective 2026-01-01\n\
             swapped: p may act x from 2030-01-01 until 2029-01-01\n\
             contradiction: p may act x when ok unless ok\n\
             after_end: p may act x from f until e\n"
        );
        for label in ["swapped", "contradiction", "after_end"] {
            assert!(!settled(&text, &[label]), "{label}");
        }
    }

    #[test]
    fn every_probe_is_a_valid_scenario() {
        let text = format!("{DECLS}event g after e, f\nevent h\n");
        let contract = contract(&text);
        let probes = Probes::new(&contract);
        assert_eq!(probes.scenarios.len(), 3);
        for scenario in &probes.scenarios {
            assert!(scenario.validate(&contract).is_empty(), "{scenario:?}");
        }
        let spread = &probes.scenarios[2].events;
        assert!(spread["e"] < spread["f"] && spread["f"] < spread["g"]);
        assert_eq!(spread["h"], spread["e"]);
    }
}
