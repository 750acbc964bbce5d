//! `deal timeline`: when each clause is in force under one scenario, as a
//! terminal Gantt chart and as an SVG.
//!
//! A clause's bar is its window from `eval::window`. Inside the window,
//! a clause with `when`/`unless` is in force only where its conditions
//! hold: those days come from `eval::in_force`, asked on every day where
//! the answer can change (`eval::force::Ctx::change_days`: the window's
//! start, each event and record date inside it, and the days a status that
//! a condition reads changes; facts are fixed for a scenario). When a condition needs a fact
//! the scenario does not give, the bar is drawn as conditional (hatched)
//! and the chart says so; any other error in a condition (a division by
//! zero) is shown instead of the bar, as an error in the window is.
//!
//! An obligation's bar ends on the day it is discharged; its instances
//! (a recurring obligation's periods) are ticks on the bar, a violation is
//! marked on the day after the missed deadline, and the contract's end
//! (`effective ... until T`) is drawn across the chart.

mod svg;
mod terminal;

pub use svg::render_svg;
pub use terminal::{Style, render_terminal};

use crate::ast::{ObligationStatus, QualifierKind};
use crate::eval::obligation::{discharged, instances, kind_of};
use crate::eval::{
    ClauseId, Contract, Ctx, Env, EvalError, ObligationKind, Scenario, Time, in_force, status,
    window,
};
use crate::explain::clause_party;
use crate::explain::words::heading;
use chrono::{Datelike, NaiveDate};

/// One clause's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: ClauseId,
    pub label: String,
    /// The window (start inclusive, end exclusive), or the evaluation
    /// error that kept it (or, for a conditional clause, the days it is in
    /// force) from being computed.
    pub window: Result<(Time, Time), String>,
    /// Whether the clause has `when`/`unless`.
    pub conditional: bool,
    /// For a conditional clause, the stretches inside the window where it
    /// is in force; None when the scenario does not decide the conditions.
    pub in_force: Option<Vec<(NaiveDate, Time)>>,
    /// An obligation's deadline (`by`, `within ... after`) under the
    /// scenario, if it has one that falls on a day (the earliest, when there
    /// are several; a recurring obligation's are its instances' own).
    pub deadline: Option<NaiveDate>,
    /// For a debt or recurring obligation, what the scenario's records did
    /// to it (see `Performance`); None for other clauses.
    pub performance: Option<Performance>,
}

/// An obligation's instances and their fate under the scenario, from
/// `eval::obligation` (the timeline draws, it never decides).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Performance {
    /// Each instance begun inside the chart: its first day and its
    /// deadline (a recurring obligation's periods are ticks on its bar).
    pub instances: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// The day the obligation is discharged (every begun instance
    /// fulfilled): its bar ends there.
    pub discharged: Option<NaiveDate>,
    /// The first day its status is `violated`.
    pub violated: Option<NaiveDate>,
}

impl Row {
    /// Where the row is drawn solid: the in-force stretches, or the whole
    /// window for an unconditional clause.
    pub fn solid(&self) -> Vec<(NaiveDate, Time)> {
        match (&self.window, &self.in_force) {
            (_, Some(stretches)) => stretches.clone(),
            (Ok((Time::Day(start), end)), None)
                if !self.conditional && *end > Time::Day(*start) =>
            {
                vec![(*start, *end)]
            }
            _ => Vec::new(),
        }
    }
}

/// Clauses under one party (or, for exclusivities, under none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub heading: String,
    pub rows: Vec<Row>,
}

/// An event the scenario dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventMark {
    pub name: String,
    pub day: NaiveDate,
}

/// Everything both renderings draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub title: String,
    pub scenario: Option<String>,
    /// The chart's left and right edges (January 1 of their years).
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub groups: Vec<Group>,
    pub events: Vec<EventMark>,
    /// Declared events this scenario does not date (they never happen).
    pub never: Vec<String>,
    /// Every date where a window starts or ends, or an event happens, in range.
    pub significant: Vec<NaiveDate>,
    /// The day the contract's term ends under the scenario (`effective ...
    /// until T`), when it does.
    pub contract_end: Option<NaiveDate>,
}

/// Where a chart with no date at all starts.
const FALLBACK_START: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Fewest years a chart spans.
const MIN_YEARS: i32 = 5;
/// Most years a chart spans (a far date is drawn at the edge as open).
const MAX_YEARS: i32 = 200;

fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(FALLBACK_START)
}

/// Stretches inside the window where a conditional clause is in force, or
/// why a condition cannot be evaluated under this scenario.
fn in_force_stretches(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    start: NaiveDate,
    end: Time,
) -> Result<Vec<(NaiveDate, Time)>, EvalError> {
    // Every day the answer can change: event dates, records, and the days
    // a status read by `L is STATUS` changes (eval decides which).
    let last = match end {
        Time::Day(day) => day.pred_opt().unwrap_or(day),
        Time::Never => year_start(start.year().saturating_add(MAX_YEARS)),
    };
    let days = Ctx::new(contract, scenario, None).change_days(id, last)?;
    let mut out: Vec<(NaiveDate, Time)> = Vec::new();
    let mut open: Option<NaiveDate> = None;
    for (i, &day) in days.iter().enumerate() {
        let on = in_force(contract, scenario, id, day)?;
        match (on, open) {
            (true, None) => open = Some(day),
            (false, Some(from)) => {
                out.push((from, Time::Day(day)));
                open = None;
            }
            _ => {}
        }
        if i + 1 == days.len()
            && let Some(from) = open
        {
            out.push((from, end));
        }
    }
    Ok(out)
}

/// The timeline of a contract under a scenario.
pub fn build(contract: &Contract, scenario: &Scenario) -> Timeline {
    let title = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            crate::ast::ItemKind::Deal(t) => Some(t.value.clone()),
            _ => None,
        })
        .unwrap_or_else(|| contract.source.name.clone());
    let mut groups: Vec<(Option<String>, Group)> = Vec::new();
    let mut significant: Vec<NaiveDate> = Vec::new();
    significant.extend(contract.effective());
    // The contract's own dates count even where this scenario's events cut a window short.
    let nothing = Scenario::default();
    for (id, _, _) in contract.clauses() {
        if let Ok((start, end)) = window(contract, &nothing, id) {
            for time in [start, end] {
                if let Time::Day(day) = time
                    && day != NaiveDate::MIN
                {
                    significant.push(day);
                }
            }
        }
    }
    for (id, clause, _) in contract.clauses() {
        let conditional = clause
            .qualifiers
            .iter()
            .any(|q| matches!(q.kind, QualifierKind::When(_) | QualifierKind::Unless(_)));
        let mut window = window(contract, scenario, id).map_err(|error| error.message());
        let mut in_force = None;
        let mut condition_error = None;
        if let Ok((start, end)) = &window {
            for time in [start, end] {
                if let Time::Day(day) = time
                    && *day != NaiveDate::MIN
                {
                    significant.push(*day);
                }
            }
            if conditional && let Time::Day(start) = start {
                match in_force_stretches(contract, scenario, id, *start, *end) {
                    Ok(stretches) => in_force = Some(stretches),
                    // A fact the scenario does not give: drawn as undecided.
                    Err(error) if error.is_missing_fact() => {}
                    Err(error) => condition_error = Some(error.message()),
                }
            }
        }
        if let Some(message) = condition_error {
            window = Err(message);
        }
        let deadline = clause
            .qualifiers
            .iter()
            .filter_map(|q| match &q.kind {
                QualifierKind::By(time) => {
                    let day = contract.effective().unwrap_or(NaiveDate::MIN);
                    Env::new(contract, scenario, day).time(time).ok()?.day()
                }
                _ => None,
            })
            .min();
        significant.extend(deadline);
        let row = Row {
            id,
            label: contract.clause_label(id).to_string(),
            window,
            conditional,
            in_force,
            deadline,
            performance: None,
        };
        let party = clause_party(clause).map(str::to_string);
        match groups.iter_mut().find(|(p, _)| *p == party) {
            Some((_, group)) => group.rows.push(row),
            None => groups.push((
                party.clone(),
                Group {
                    heading: match &party {
                        Some(name) => heading(contract, name),
                        None => "Exclusivities (bind every party)".to_string(),
                    },
                    rows: vec![row],
                },
            )),
        }
    }
    let order = |party: &Option<String>| -> (usize, usize) {
        match party {
            None => (2, 0),
            Some(name) => match contract.symbols.get(name).and_then(|s| s.item) {
                Some(item) => (0, item),
                None => (1, 0),
            },
        }
    };
    groups.sort_by_key(|(party, _)| order(party));

    let mut events: Vec<EventMark> = scenario
        .events
        .iter()
        .map(|(name, &day)| EventMark {
            name: name.clone(),
            day,
        })
        .collect();
    events.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.name.cmp(&b.name)));
    significant.extend(events.iter().map(|e| e.day));
    let never: Vec<String> = contract
        .events()
        .map(|e| e.name.text.clone())
        .filter(|name| !scenario.events.contains_key(name))
        .collect();

    let first = contract
        .effective()
        .or_else(|| significant.iter().min().copied())
        .unwrap_or(FALLBACK_START);
    let from = year_start(first.year());
    let last_year = significant
        .iter()
        .max()
        .map_or(first.year(), |d| d.year())
        .clamp(from.year(), from.year() + MAX_YEARS - 1);
    // One more year after the last date, so an end reads as an end.
    let until = year_start((last_year + 2).max(from.year() + MIN_YEARS));
    let mut groups: Vec<Group> = groups.into_iter().map(|(_, g)| g).collect();
    let last_day = until.pred_opt().unwrap_or(until);
    for row in groups.iter_mut().flat_map(|g| g.rows.iter_mut()) {
        row.performance = performance(contract, scenario, row.id, last_day);
        if let Some(performance) = &row.performance {
            significant.extend(performance.discharged);
            significant.extend(performance.violated);
            if row.deadline.is_none() {
                row.deadline = performance.instances.iter().find_map(|(_, due)| *due);
            }
            // A discharged obligation is owed no more: its bar ends there.
            if let (Some(day), Ok((_, end))) = (performance.discharged, &mut row.window) {
                *end = (*end).min(Time::Day(day));
            }
            if let (Some(day), Some(stretches)) = (performance.discharged, &mut row.in_force) {
                stretches.retain(|(from, _)| *from < day);
                for (_, end) in stretches.iter_mut() {
                    *end = (*end).min(Time::Day(day));
                }
            }
        }
    }
    let contract_end = match Ctx::new(contract, scenario, None).contract_end() {
        Ok(Time::Day(day)) if day != NaiveDate::MIN => Some(day),
        _ => None,
    };
    significant.extend(contract_end);
    significant.retain(|d| *d >= from && *d < until);
    significant.sort();
    significant.dedup();
    Timeline {
        title,
        scenario: scenario.name.clone(),
        from,
        until,
        groups,
        events,
        never,
        significant,
        contract_end,
    }
}

/// Instances, discharge and violation of obligation `id` up to `last`
/// (None unless it is a debt or a recurring obligation, or when the
/// scenario cannot be evaluated for it). Discharge is looked for on the
/// days records are dated, violation on the day after each deadline.
fn performance(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    last: NaiveDate,
) -> Option<Performance> {
    if matches!(kind_of(contract, id), ObligationKind::Duty) || !is_obligation(contract, id) {
        return None;
    }
    let ctx = Ctx::new(contract, scenario, None);
    let instances = instances(ctx, id, last).ok()?;
    let mut record_days: Vec<NaiveDate> = scenario.records.iter().map(|r| r.date).collect();
    record_days.sort();
    record_days.dedup();
    let discharged = record_days
        .into_iter()
        .filter(|day| *day <= last)
        .find(|day| discharged(ctx, id, *day).unwrap_or(false));
    let violated = instances
        .iter()
        .filter_map(|instance| instance.due.day()?.succ_opt())
        .filter(|day| *day <= last)
        .take(MAX_VIOLATION_CHECKS)
        .find(|day| {
            status(contract, scenario, id, *day)
                .is_ok_and(|state| state.status == ObligationStatus::Violated)
        });
    Some(Performance {
        instances: instances
            .iter()
            .map(|instance| (instance.begins, instance.due.day()))
            .collect(),
        discharged,
        violated,
    })
}

/// Deadlines tried for a violation mark: each try allocates the records
/// afresh, so a daily obligation over a long chart stays fast (a violation
/// is final, so the first one found is the one drawn).
const MAX_VIOLATION_CHECKS: usize = 400;

fn is_obligation(contract: &Contract, id: ClauseId) -> bool {
    contract
        .clause(id)
        .is_some_and(|clause| clause.body.is_must())
}

impl Timeline {
    /// The first day after the chart, as a time.
    pub fn end(&self) -> Time {
        Time::Day(self.until)
    }

    /// Days from the chart's left edge to `day`, clamped to the chart.
    pub fn offset(&self, day: NaiveDate) -> i64 {
        (day.max(self.from).min(self.until) - self.from).num_days()
    }

    /// Days across the chart.
    pub fn span(&self) -> i64 {
        (self.until - self.from).num_days().max(1)
    }

    /// A stretch clipped to the chart: (first day, last edge, runs past the right edge).
    pub fn clip(&self, start: NaiveDate, end: Time) -> Option<(NaiveDate, NaiveDate, bool)> {
        let open = end >= self.end();
        let stop = match end {
            Time::Day(day) if !open => day,
            _ => self.until,
        };
        let begin = start.max(self.from);
        (begin < stop).then_some((begin, stop, open))
    }

    /// Whether any row is conditional and undecided (for the legend).
    pub fn has_undecided(&self) -> bool {
        self.rows()
            .any(|r| r.conditional && r.in_force.is_none() && r.window.is_ok())
    }

    pub fn has_deadline(&self) -> bool {
        self.rows().any(|r| r.deadline.is_some())
    }

    /// Whether any obligation has more than one instance (ticks on its bar).
    pub fn has_instances(&self) -> bool {
        self.rows().any(|r| {
            r.performance
                .as_ref()
                .is_some_and(|p| p.instances.len() > 1)
        })
    }

    pub fn has_discharge(&self) -> bool {
        self.rows().any(|r| {
            r.performance
                .as_ref()
                .is_some_and(|p| p.discharged.is_some())
        })
    }

    pub fn has_violation(&self) -> bool {
        self.rows()
            .any(|r| r.performance.as_ref().is_some_and(|p| p.violated.is_some()))
    }

    /// Whether any row is conditional and decided by the scenario (for the legend).
    pub fn has_decided_conditional(&self) -> bool {
        self.rows().any(|r| r.conditional && r.in_force.is_some())
    }

    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.groups.iter().flat_map(|g| g.rows.iter())
    }
}
