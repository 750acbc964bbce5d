//! The timeline as a Gantt chart in text: one row per clause, years on the
//! axis, events as vertical marks and listed under the chart. Box-drawing
//! characters on a terminal, plain ASCII elsewhere.

use super::{Row, Timeline};
use crate::eval::Time;
use chrono::{Datelike, NaiveDate};

/// How the chart is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub width: usize,
    /// Box-drawing characters (a terminal) or ASCII.
    pub unicode: bool,
}

struct Glyphs {
    solid: char,
    hatched: char,
    window: char,
    open: char,
    event: char,
    caret: char,
    deadline: char,
    axis: char,
    tick: char,
    instance: char,
    discharged: char,
    violated: char,
    contract_end: char,
}

const UNICODE: Glyphs = Glyphs {
    solid: '█',
    hatched: '░',
    window: '·',
    open: '▶',
    event: '┆',
    caret: '▲',
    deadline: '◆',
    axis: '─',
    tick: '┬',
    instance: '╋',
    discharged: '✓',
    violated: '✗',
    contract_end: '┃',
};

const ASCII: Glyphs = Glyphs {
    solid: '#',
    hatched: '~',
    window: '.',
    open: '>',
    event: '|',
    caret: '^',
    deadline: '!',
    axis: '-',
    tick: '+',
    instance: ':',
    discharged: 'v',
    violated: 'X',
    contract_end: ']',
};

/// Narrowest chart area, in columns.
const MIN_CHART: usize = 20;
/// Widest label column.
const MAX_LABEL: usize = 28;

/// Map days to columns of a chart `columns` wide.
struct Scale<'t> {
    timeline: &'t Timeline,
    columns: usize,
}

impl Scale<'_> {
    fn column(&self, day: NaiveDate) -> usize {
        let offset = self.timeline.offset(day) as i128;
        let span = self.timeline.span() as i128;
        let column = offset * self.columns as i128 / span;
        usize::try_from(column)
            .unwrap_or(0)
            .min(self.columns.saturating_sub(1))
    }

    /// The columns a stretch covers: first..last (inclusive), and whether it runs off the right.
    fn cells(&self, start: NaiveDate, end: Time) -> Option<(usize, usize, bool)> {
        let (begin, stop, open) = self.timeline.clip(start, end)?;
        let first = self.column(begin);
        let last_day = stop.pred_opt().unwrap_or(stop);
        let last = if open {
            self.columns.saturating_sub(1)
        } else {
            self.column(last_day).max(first)
        };
        Some((first, last, open))
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The chart as text.
pub fn render_terminal(timeline: &Timeline, style: Style) -> String {
    let glyphs = if style.unicode { &UNICODE } else { &ASCII };
    let ascii = |s: String| {
        if style.unicode {
            s
        } else {
            s.replace('…', "~")
                .replace(['—', '–'], "-")
                .replace(['“', '”'], "\"")
        }
    };
    let label_width = timeline
        .rows()
        .map(|r| r.label.chars().count() + 4)
        .max()
        .unwrap_or(8)
        .clamp(8, MAX_LABEL);
    let columns = style.width.saturating_sub(label_width + 1).max(MIN_CHART);
    let scale = Scale { timeline, columns };
    let mut out = String::new();

    let mut title = timeline.title.clone();
    if let Some(name) = &timeline.scenario {
        title.push_str(&format!(" — scenario {name}"));
    } else {
        title.push_str(" — no event happens, facts at their defaults");
    }
    out.push_str(&ascii(title));
    out.push('\n');

    // Axis: a year label over every tick that has room.
    let years: Vec<(usize, i32)> = (timeline.from.year()..timeline.until.year())
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1).map(|d| (scale.column(d), y)))
        .collect();
    let mut labels = vec![' '; columns + 4];
    let mut axis = vec![glyphs.axis; columns];
    // A label goes over its tick when it clears the previous label.
    let mut free_from = 0usize;
    for (column, year) in &years {
        if let Some(cell) = axis.get_mut(*column) {
            *cell = glyphs.tick;
        }
        let text = year.to_string();
        if *column >= free_from && column + text.len() <= labels.len() {
            for (k, c) in text.chars().enumerate() {
                if let Some(slot) = labels.get_mut(column + k) {
                    *slot = c;
                }
            }
            free_from = column + text.len() + 1;
        }
    }
    let pad = " ".repeat(label_width + 1);
    out.push_str(&format!("{pad}{}\n", String::from_iter(labels).trim_end()));
    out.push_str(&format!("{pad}{}\n", String::from_iter(axis)));

    let event_columns: Vec<usize> = timeline
        .events
        .iter()
        .map(|e| scale.column(e.day))
        .collect();
    let end_column = timeline
        .contract_end
        .filter(|day| *day >= timeline.from && *day < timeline.until)
        .map(|day| scale.column(day));
    for group in &timeline.groups {
        out.push_str(&ascii(truncate(&group.heading, style.width)));
        out.push('\n');
        for row in &group.rows {
            let label = truncate(&row.label, label_width - 3);
            out.push_str(&format!("  {label:<width$} ", width = label_width - 2));
            out.push_str(&row_cells(row, &scale, glyphs, &event_columns));
            out.push('\n');
        }
    }

    if !timeline.events.is_empty() {
        out.push_str("Events\n");
        for (event, &column) in timeline.events.iter().zip(&event_columns) {
            let text = format!("{} {}", event.name, event.day);
            let room = columns.saturating_sub(column);
            let line = if text.chars().count() + 2 <= room {
                format!("{}{} {text}", " ".repeat(column), glyphs.caret)
            } else {
                let lead = column.saturating_sub(text.chars().count() + 1);
                format!("{}{text} {}", " ".repeat(lead), glyphs.caret)
            };
            out.push_str(&format!("{pad}{}\n", line.trim_end()));
        }
    }
    if let (Some(day), Some(column)) = (timeline.contract_end, end_column) {
        out.push_str(&format!(
            "{pad}{}{} the contract ends {day}\n",
            " ".repeat(column),
            glyphs.contract_end
        ));
    }
    out.push_str(&legend(timeline, glyphs, style.width));
    out
}

fn row_cells(row: &Row, scale: &Scale<'_>, glyphs: &Glyphs, events: &[usize]) -> String {
    let mut cells = vec![' '; scale.columns];
    for &column in events {
        if let Some(cell) = cells.get_mut(column) {
            *cell = glyphs.event;
        }
    }
    let window = match &row.window {
        Ok(window) => *window,
        Err(message) => return format!("(not evaluated: {message})"),
    };
    let never_in_force = match window {
        (Time::Day(start), end) => scale.timeline.clip(start, end).is_none(),
        _ => true,
    };
    if never_in_force {
        return "(never in force in this scenario)".to_string();
    }
    let mut open_end = false;
    if let (Time::Day(start), end) = window {
        if let Some((first, last, open)) = scale.cells(start, end) {
            let fill = if row.conditional && row.in_force.is_none() {
                glyphs.hatched
            } else if row.conditional {
                glyphs.window
            } else {
                glyphs.solid
            };
            for cell in cells.iter_mut().take(last + 1).skip(first) {
                *cell = fill;
            }
            open_end = open;
        }
        for (start, end) in row.solid() {
            if let Some((first, last, _)) = scale.cells(start, end) {
                for cell in cells.iter_mut().take(last + 1).skip(first) {
                    *cell = glyphs.solid;
                }
            }
        }
    }
    if open_end && let Some(cell) = cells.last_mut() {
        *cell = glyphs.open;
    }
    let mut mark = |day: Option<NaiveDate>, glyph: char| {
        if let Some(day) = day
            && day >= scale.timeline.from
            && day < scale.timeline.until
            && let Some(cell) = cells.get_mut(scale.column(day))
        {
            *cell = glyph;
        }
    };
    if let Some(performance) = &row.performance
        && performance.instances.len() > 1
    {
        for (begins, _) in performance.instances.iter().skip(1) {
            mark(Some(*begins), glyphs.instance);
        }
    }
    // The contract's end crosses every row, over the bars.
    mark(scale.timeline.contract_end, glyphs.contract_end);
    mark(row.deadline, glyphs.deadline);
    if let Some(performance) = &row.performance {
        mark(performance.discharged, glyphs.discharged);
        mark(performance.violated, glyphs.violated);
    }
    String::from_iter(cells).trim_end().to_string()
}

fn legend(timeline: &Timeline, glyphs: &Glyphs, width: usize) -> String {
    let mut parts = vec![
        format!("{} in force", glyphs.solid),
        format!("{} no end", glyphs.open),
    ];
    if timeline.has_decided_conditional() {
        parts.push(format!(
            "{} window open, condition (when/unless) false",
            glyphs.window
        ));
    }
    if timeline.has_undecided() {
        parts.push(format!(
            "{} conditional: the scenario does not decide the condition",
            glyphs.hatched
        ));
    }
    if timeline.has_deadline() {
        parts.push(format!("{} deadline (by, within)", glyphs.deadline));
    }
    if timeline.has_instances() {
        parts.push(format!("{} next period (every)", glyphs.instance));
    }
    if timeline.has_discharge() {
        parts.push(format!("{} discharged: the bar ends", glyphs.discharged));
    }
    if timeline.has_violation() {
        parts.push(format!("{} violated", glyphs.violated));
    }
    if timeline.contract_end.is_some() {
        parts.push(format!("{} the contract ends", glyphs.contract_end));
    }
    if !timeline.events.is_empty() {
        parts.push(format!("{} event", glyphs.event));
    }
    let mut out = crate::explain::wrap(&format!("Legend: {}", parts.join(";  ")), width, "", "  ");
    if !timeline.never.is_empty() {
        out.push_str(&crate::explain::wrap(
            &format!(
                "Never happen in this scenario: {}",
                timeline.never.join(", ")
            ),
            width,
            "",
            "  ",
        ));
    }
    out
}
