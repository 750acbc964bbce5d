//! `deal timeline`: when each clause is in force under one scenario, as a
//! terminal Gantt chart and as an SVG.
//!
//! A clause's bar is its window from `eval::window`. Inside the window,
//! a clause with `when`/`unless` is in force only where its conditions
//! hold: those days come from `eval::in_force`, asked on every day where
//! the answer can change (the window's start and each event date inside
//! it, since facts are fixed for a scenario). When a condition needs a fact
//! the scenario does not give, the bar is drawn as conditional (hatched)
//! and the chart says so.

mod svg;
mod terminal;

pub use svg::render_svg;
pub use terminal::{Style, render_terminal};

use crate::ast::QualifierKind;
use crate::eval::{ClauseId, Contract, Env, Scenario, Time, in_force, window};
use crate::explain::clause_party;
use crate::explain::words::heading;
use chrono::{Datelike, NaiveDate};

/// One clause's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: ClauseId,
    pub label: String,
    /// The window (start inclusive, end exclusive), or the evaluation
    /// error that kept it from being computed.
    pub window: Result<(Time, Time), String>,
    /// Whether the clause has `when`/`unless`.
    pub conditional: bool,
    /// For a conditional clause, the stretches inside the window where it
    /// is in force; None when the scenario does not decide the conditions.
    pub in_force: Option<Vec<(NaiveDate, Time)>>,
    /// An obligation's deadline (`by`) under the scenario, if it has one
    /// that falls on a day (the earliest, when there are several).
    pub deadline: Option<NaiveDate>,
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

/// Stretches inside the window where a conditional clause is in force;
/// None if a condition cannot be evaluated under this scenario.
fn in_force_stretches(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    start: NaiveDate,
    end: Time,
) -> Option<Vec<(NaiveDate, Time)>> {
    let mut days: Vec<NaiveDate> = vec![start];
    days.extend(
        scenario
            .events
            .values()
            .copied()
            .filter(|&d| d > start && Time::Day(d) < end),
    );
    days.sort();
    days.dedup();
    let mut out: Vec<(NaiveDate, Time)> = Vec::new();
    let mut open: Option<NaiveDate> = None;
    for (i, &day) in days.iter().enumerate() {
        let on = in_force(contract, scenario, id, day).ok()?;
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
    Some(out)
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
        let window = window(contract, scenario, id).map_err(|d| d.message.clone());
        let mut in_force = None;
        if let Ok((start, end)) = &window {
            for time in [start, end] {
                if let Time::Day(day) = time
                    && *day != NaiveDate::MIN
                {
                    significant.push(*day);
                }
            }
            if conditional && let Time::Day(start) = start {
                in_force = in_force_stretches(contract, scenario, id, *start, *end);
            }
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
    significant.retain(|d| *d >= from && *d < until);
    significant.sort();
    significant.dedup();
    Timeline {
        title,
        scenario: scenario.name.clone(),
        from,
        until,
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        events,
        never,
        significant,
    }
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
        self.rows().any(|r| r.conditional && r.in_force.is_none())
    }

    pub fn has_deadline(&self) -> bool {
        self.rows().any(|r| r.deadline.is_some())
    }

    /// Whether any row is conditional and decided by the scenario (for the legend).
    pub fn has_decided_conditional(&self) -> bool {
        self.rows().any(|r| r.conditional && r.in_force.is_some())
    }

    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.groups.iter().flat_map(|g| g.rows.iter())
    }
}
