//! The lints' one door to the scenario enumerator (`analysis`): "is there a
//! world (a scenario and a day) where …", answered with the earliest such
//! world, described in words for the message. Answers that several rules
//! need (is this clause ever in force? are these two ever in force on one
//! day?) are computed once per `deal check` and cached.

use crate::analysis::{Futures, World, find_world, futures_for};
use crate::diagnostic::Diagnostic;
use crate::eval::{ClauseId, Contract, Scenario, in_force};
use chrono::NaiveDate;
use std::cell::RefCell;
use std::collections::HashMap;

/// A world that shows a finding, with what the message says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    pub day: NaiveDate,
    pub scenario: Scenario,
    /// "on 2027-01-01, with agi_verified never".
    words: String,
}

impl Witness {
    fn new(futures: &Futures<'_>, world: World) -> Witness {
        let words = describe(futures, &world);
        Witness {
            day: world.day,
            scenario: world.scenario,
            words,
        }
    }

    /// The day and the scenario in words: "on 2027-01-01, with
    /// agi_declared on 2026-12-31, agi_verified never, compute = 2e28 flop".
    /// Every event and fact the question depends on is named (an event
    /// that does not happen as "never"); when no date, event or fact bears
    /// on it, "on any day".
    pub fn describe(&self) -> String {
        self.words.clone()
    }
}

fn describe(futures: &Futures<'_>, world: &World) -> String {
    let events = futures.event_names();
    let facts = futures.fact_names();
    let day = if futures.points().is_empty() && events.is_empty() {
        "on any day".to_string()
    } else {
        format!("on {}", world.day)
    };
    let mut parts: Vec<String> = events
        .iter()
        .map(|&event| match world.scenario.events.get(event) {
            Some(date) => format!("{event} on {date}"),
            None => format!("{event} never"),
        })
        .collect();
    parts.extend(facts.iter().filter_map(|&fact| {
        world
            .scenario
            .facts
            .get(fact)
            .map(|value| format!("{fact} = {}", value.display()))
    }));
    if parts.is_empty() {
        day
    } else {
        format!("{day}, with {}", parts.join(", "))
    }
}

type Found = Result<Option<Witness>, Diagnostic>;

pub struct Worlds<'a> {
    contract: &'a Contract,
    live: RefCell<HashMap<ClauseId, Found>>,
    together: RefCell<HashMap<(ClauseId, ClauseId), Found>>,
}

impl<'a> Worlds<'a> {
    pub fn new(contract: &'a Contract) -> Worlds<'a> {
        Worlds {
            contract,
            live: RefCell::new(HashMap::new()),
            together: RefCell::new(HashMap::new()),
        }
    }

    /// The earliest world, among the representative futures of `clauses`
    /// (their events, facts and dates), where `pred` holds on the world's
    /// scenario and day.
    pub fn find(
        &self,
        clauses: &[ClauseId],
        mut pred: impl FnMut(&Scenario, NaiveDate) -> Result<bool, Diagnostic>,
    ) -> Found {
        let futures = futures_for(self.contract, clauses, &[], &[])?;
        let world = find_world(&futures, |world| pred(&world.scenario, world.day))?;
        Ok(world.map(|world| Witness::new(&futures, world)))
    }

    /// The earliest world where the clause is in force; None for a clause
    /// in force on no day of any scenario.
    pub fn live(&self, id: ClauseId) -> Found {
        if let Some(found) = self.live.borrow().get(&id) {
            return found.clone();
        }
        let contract = self.contract;
        let found = self.find(&[id], |scenario, day| in_force(contract, scenario, id, day));
        self.live.borrow_mut().insert(id, found.clone());
        found
    }

    /// The earliest world where both clauses are in force on the same day.
    pub fn together(&self, a: ClauseId, b: ClauseId) -> Found {
        let key = (a.min(b), a.max(b));
        if let Some(found) = self.together.borrow().get(&key) {
            return found.clone();
        }
        // A clause never in force is never in force with another: skip
        // the pair's enumeration.
        let found = if self.live(a)?.is_none() || self.live(b)?.is_none() {
            Ok(None)
        } else {
            let contract = self.contract;
            self.find(&[key.0, key.1], |scenario, day| {
                Ok(in_force(contract, scenario, key.0, day)?
                    && in_force(contract, scenario, key.1, day)?)
            })
        };
        self.together.borrow_mut().insert(key, found.clone());
        found
    }
}
