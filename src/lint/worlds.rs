//! The lints' one door to the scenario enumerator (`analysis`): "is there a
//! world (a scenario and a day) where …", answered with the earliest such
//! world, described in words for the message. Answers that several rules
//! need (is this clause ever in force? are these two ever in force on one
//! day?) are computed once per `deal check` and cached.

use crate::analysis::{Futures, World, find_world, futures_for};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{ClauseId, Contract, Scenario, in_force};
use crate::limits::{MAX_LINT_FUTURES, MAX_LINT_FUTURES_PER_CLAUSE};
use crate::lint::probes::Probes;
use chrono::NaiveDate;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;

/// A world that shows a finding, with what the message says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    pub day: NaiveDate,
    pub scenario: Scenario,
    /// The events and facts of the question, named by `describe`. The
    /// words are put together only when a message asks for them: most
    /// witnesses (two clauses in force together) show no finding.
    events: Vec<String>,
    facts: Vec<String>,
    /// No constant date bears on the question: the day is "some day d".
    relative: bool,
}

impl Witness {
    fn new(futures: &Futures<'_>, world: World) -> Witness {
        let owned = |names: Vec<&str>| names.into_iter().map(str::to_string).collect();
        Witness {
            day: world.day,
            scenario: world.scenario,
            events: owned(futures.event_names()),
            facts: owned(futures.fact_names()),
            // With no constant date in the question the representative day
            // is arbitrary (the analysis takes today): the message places
            // the events relative to it, so it never depends on the clock.
            relative: futures.points().is_empty(),
        }
    }

    /// The day and the scenario in words: "on 2027-01-01, with
    /// agi_declared on 2026-12-31, agi_verified never, compute = 2e28 flop".
    /// Every event and fact the question depends on is named (an event
    /// that does not happen as "never"). When no constant date bears on the
    /// question, the day is "some day d" and events are placed relative to
    /// it ("agi on d - 1 day"), or "any day" when no event bears on it
    /// either.
    pub fn describe(&self) -> String {
        let relative = self.relative;
        let day = match (relative, self.events.is_empty()) {
            (true, true) => "on any day".to_string(),
            (true, false) => "on some day d".to_string(),
            (false, _) => format!("on {}", self.day),
        };
        let mut parts: Vec<String> = self
            .events
            .iter()
            .map(|event| match self.scenario.events.get(event) {
                Some(&date) if relative => {
                    format!("{event} on {}", relative_day(date, self.day))
                }
                Some(date) => format!("{event} on {date}"),
                None => format!("{event} never"),
            })
            .collect();
        parts.extend(self.facts.iter().filter_map(|fact| {
            self.scenario
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
}

/// `d`, `d + 3 days`, `d - 1 day`.
fn relative_day(date: NaiveDate, day: NaiveDate) -> String {
    let offset = (date - day).num_days();
    let unit = |n: i64| if n == 1 { "day" } else { "days" };
    match offset {
        0 => "d".to_string(),
        n if n > 0 => format!("d + {n} {}", unit(n)),
        n => format!("d - {} {}", -n, unit(-n)),
    }
}

type Found = Result<Option<Witness>, Diagnostic>;

/// What one question costs from the budget at least, in states: the
/// budget then also bounds the number of questions (1,000 clauses on one
/// act, each an exception to the one before, asked 250,000).
const MIN_QUESTION_COST: u64 = 10;

pub struct Worlds<'a> {
    contract: &'a Contract,
    /// Tried before the enumeration by the questions that only ask whether
    /// a world exists; built on the first such question.
    probes: OnceCell<Probes>,
    live: RefCell<HashMap<ClauseId, Result<bool, Diagnostic>>>,
    together: RefCell<HashMap<(ClauseId, ClauseId), Found>>,
    /// States the questions asked so far may enumerate, in all.
    spent: Cell<u64>,
    /// At most this many (`limits::MAX_LINT_FUTURES`).
    budget: u64,
    /// Once the budget is spent: the one `deal::limit` every later question
    /// returns (the same diagnostic, so it is reported once).
    exhausted: RefCell<Option<Diagnostic>>,
}

impl<'a> Worlds<'a> {
    pub fn new(contract: &'a Contract) -> Worlds<'a> {
        let clauses = contract.clauses().count() as u64;
        Worlds {
            contract,
            probes: OnceCell::new(),
            live: RefCell::new(HashMap::new()),
            together: RefCell::new(HashMap::new()),
            spent: Cell::new(0),
            budget: MAX_LINT_FUTURES
                .saturating_add(clauses.saturating_mul(MAX_LINT_FUTURES_PER_CLAUSE)),
            exhausted: RefCell::new(None),
        }
    }

    /// The earliest world, among the representative futures of `clauses`
    /// (their events, facts and dates), where `pred` holds on the world's
    /// scenario and day.
    pub fn find(
        &self,
        clauses: &[ClauseId],
        pred: impl FnMut(&Scenario, NaiveDate) -> Result<bool, Diagnostic>,
    ) -> Found {
        self.ask(clauses, pred, Witness::new)
    }

    /// Whether there is such a world, without describing it: a question
    /// whose witness no message shows (a clause that is in force somewhere
    /// is not a finding) spends the same budget but formats nothing.
    fn exists(
        &self,
        clauses: &[ClauseId],
        pred: impl FnMut(&Scenario, NaiveDate) -> Result<bool, Diagnostic>,
    ) -> Result<bool, Diagnostic> {
        Ok(self.ask(clauses, pred, |_, _| ())?.is_some())
    }

    /// `find` and `exists`: the budget, the enumeration, then `answer` on
    /// the earliest world.
    fn ask<T>(
        &self,
        clauses: &[ClauseId],
        mut pred: impl FnMut(&Scenario, NaiveDate) -> Result<bool, Diagnostic>,
        answer: impl FnOnce(&Futures<'_>, World) -> T,
    ) -> Result<Option<T>, Diagnostic> {
        if let Some(stop) = self.exhausted.borrow().as_ref() {
            return Err(stop.clone());
        }
        let futures = futures_for(self.contract, clauses, &[], &[])?;
        // Every question costs something, however few its futures: a
        // contract of many clauses on one act asks a question per pair.
        let cost = futures.state_bound().max(MIN_QUESTION_COST);
        let spent = self.spent.get().saturating_add(cost);
        if spent > self.budget {
            let span = clauses
                .first()
                .map(|&id| self.contract.clause_span(id))
                .unwrap_or_default();
            let stop = over_budget(self.budget, span);
            *self.exhausted.borrow_mut() = Some(stop.clone());
            return Err(stop);
        }
        self.spent.set(spent);
        let world = find_world(&futures, |world| pred(&world.scenario, world.day))?;
        Ok(world.map(|world| answer(&futures, world)))
    }

    /// Whether the budget is spent: every later question returns the same
    /// `deal::limit`, so a rule looping over pairs stops rather than
    /// collect a copy of it per pair (10,000 chained exceptions: 23 GB).
    pub fn exhausted(&self) -> bool {
        self.exhausted.borrow().is_some()
    }

    /// Whether a probe (`lint::probes`) shows a day on which all of `ids`
    /// are in force. Such a yes is exact and costs nothing from the budget;
    /// a no leaves the question to the enumeration.
    fn probed_in_force(&self, ids: &[ClauseId]) -> bool {
        self.probes
            .get_or_init(|| Probes::new(self.contract))
            .all_in_force(self.contract, ids)
    }

    /// Whether the clause is in force on some day of some scenario.
    pub fn live(&self, id: ClauseId) -> Result<bool, Diagnostic> {
        if let Some(found) = self.live.borrow().get(&id) {
            return found.clone();
        }
        let contract = self.contract;
        let found = if self.probed_in_force(&[id]) {
            Ok(true)
        } else {
            self.exists(&[id], |scenario, day| {
                Ok(in_force(contract, scenario, id, day)?)
            })
        };
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
        let found = if !self.live(a)? || !self.live(b)? {
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

    /// Whether both clauses are in force on some day of some scenario,
    /// for a rule that shows no world when they are: a probe may settle
    /// it without the enumeration.
    pub fn ever_together(&self, a: ClauseId, b: ClauseId) -> Result<bool, Diagnostic> {
        let key = (a.min(b), a.max(b));
        if let Some(found) = self.together.borrow().get(&key) {
            return Ok(found.clone()?.is_some());
        }
        if self.probed_in_force(&[key.0, key.1]) {
            return Ok(true);
        }
        Ok(self.together(a, b)?.is_some())
    }
}

fn over_budget(budget: u64, span: crate::source::Span) -> Diagnostic {
    Diagnostic::new(
        Code::Limit,
        format!(
            "the lints stopped here: this contract's clauses have more possible futures \
             than the {budget} they may examine in all"
        ),
        span,
        "the question that went over",
    )
    .with_help(
        "clauses over many events and facts multiply their futures; split such clauses, or \
         use fewer events in each. Findings past this point (conflicts, dead clauses, ...) \
         were not looked for",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::contract;

    fn witness_of_both(text: &str, a: &str, b: &str) -> Option<String> {
        let contract = contract(text);
        let worlds = Worlds::new(&contract);
        let id = |label: &str| contract.clause_by_label(label).unwrap();
        worlds
            .together(id(a), id(b))
            .unwrap()
            .map(|witness| witness.describe())
    }

    const DECLS: &str = "party p\nasset x\naction act\nevent e\nevent f after e\nfact ok: bool\n";

    #[test]
    fn dated_witnesses_name_the_day_and_every_event() {
        let text =
            format!("{DECLS}effective 2026-01-01\na: p may act x until f\nb: p may act x from e\n");
        assert_eq!(
            witness_of_both(&text, "a", "b").as_deref(),
            Some("on 2026-01-01, with e on 2026-01-01, f never")
        );
    }

    #[test]
    fn without_a_date_the_witness_is_relative_to_its_day() {
        let text = format!("{DECLS}a: p may act x until e\nb: p may act x from e - 1 day\n");
        assert_eq!(
            witness_of_both(&text, "a", "b").as_deref(),
            Some("on some day d, with e on d + 1 day")
        );
        let timeless = format!("{DECLS}a: p may act x when ok\nb: p may act x\n");
        assert_eq!(
            witness_of_both(&timeless, "a", "b").as_deref(),
            Some("on any day, with ok = true")
        );
    }

    #[test]
    fn answers_are_cached_and_symmetric() {
        let text = format!("{DECLS}a: p may act x until e\nb: p may act x from e\n");
        let contract = contract(&text);
        let worlds = Worlds::new(&contract);
        let (a, b) = (
            contract.clause_by_label("a").unwrap(),
            contract.clause_by_label("b").unwrap(),
        );
        assert_eq!(worlds.together(a, b), Ok(None));
        assert_eq!(worlds.together(b, a), Ok(None));
        assert!(worlds.live(a).unwrap());
        assert_eq!(worlds.together.borrow().len(), 1);
    }

    #[test]
    fn past_the_budget_questions_get_one_limit_diagnostic() {
        // 20 events: each clause has 2^20 futures, more than the budget.
        let events: Vec<String> = (0..20).map(|i| format!("e{i}")).collect();
        let mut text = String::from("party p\nasset x\naction act\n");
        for event in &events {
            text.push_str(&format!("event {event}\n"));
        }
        // Each clause starts once 19 events have happened and ends with the
        // 20th: no probe (`lint::probes`) shows it in force, so each
        // question goes to the enumeration.
        let (last, rest) = events.split_last().unwrap();
        for k in 0..3 {
            text.push_str(&format!(
                "c{k}: p may act x from {} until {last}\n",
                rest.join(" and ")
            ));
        }
        let contract = contract(&text);
        let worlds = Worlds::new(&contract);
        let id = |label: &str| contract.clause_by_label(label).unwrap();
        let first = worlds.live(id("c0")).unwrap_err();
        assert_eq!(first.code, Code::Limit);
        assert!(
            first.message.contains("the lints stopped"),
            "{}",
            first.message
        );
        // Later questions are not asked: they return the same diagnostic.
        assert_eq!(worlds.live(id("c2")).unwrap_err(), first);
        assert!(worlds.exhausted());
        let found = crate::lint::run(&contract);
        let limits: Vec<_> = found.iter().filter(|d| d.code == Code::Limit).collect();
        assert_eq!(limits.len(), 1, "{found:#?}");
        assert!(
            !found.iter().any(|d| d.code == Code::DeadClause),
            "{found:#?}"
        );
    }

    #[test]
    fn a_rule_over_pairs_stops_when_the_budget_is_spent() {
        // Permits and forbids on one act over 20 events: the first pair's
        // question is over the budget, and the rule asks no more (before,
        // it kept a copy of the limit for every pair).
        let events: Vec<String> = (0..20).map(|i| format!("e{i}")).collect();
        let mut text = String::from("party p\nasset x\naction act\n");
        for event in &events {
            text.push_str(&format!("event {event}\n"));
        }
        for k in 0..20 {
            let modality = if k % 2 == 0 { "may" } else { "must not" };
            text.push_str(&format!(
                "c{k}: p {modality} act x from {}\n",
                events.join(" and ")
            ));
        }
        let contract = contract(&text);
        let context = crate::lint::LintContext::new(&contract);
        let found = crate::lint::conflict::run(&context);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, Code::Limit);
    }
}
