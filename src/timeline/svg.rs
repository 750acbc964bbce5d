//! The timeline as an SVG, written by hand: one bar per clause grouped by
//! party, events as labelled dashed vertical lines, years along the top
//! and the contract's significant dates along the bottom.
//!
//! Every bar carries `data-clause`, `data-from` and `data-until` (ISO
//! dates, `never` for no end) and every year tick `data-date`, so tools
//! and tests can map x positions back to dates.

use super::{Row, Timeline};
use crate::eval::Time;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

const WIDTH: f64 = 1100.0;
const CHART_LEFT: f64 = 250.0;
const CHART_RIGHT: f64 = 1050.0;
const ROW: f64 = 24.0;
const BAR: f64 = 14.0;
const HEADING: f64 = 26.0;
const EVENT_LABEL: f64 = 16.0;

/// One colour per party section, in order; exclusivities use the last.
const PALETTE: [&str; 7] = [
    "#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16",
];
const EXCLUSIVE_COLOUR: &str = "#4a5568";
const EVENT_COLOUR: &str = "#c53030";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn iso(time: Time) -> String {
    match time {
        Time::Day(day) => day.to_string(),
        Time::Never => "never".to_string(),
    }
}

struct Geometry<'t> {
    timeline: &'t Timeline,
}

impl Geometry<'_> {
    fn x(&self, day: NaiveDate) -> f64 {
        let fraction = self.timeline.offset(day) as f64 / self.timeline.span() as f64;
        CHART_LEFT + fraction * (CHART_RIGHT - CHART_LEFT)
    }
}

/// The chart as a standalone SVG document.
pub fn render_svg(timeline: &Timeline) -> String {
    let geometry = Geometry { timeline };
    let rows: usize = timeline.groups.iter().map(|g| g.rows.len()).sum();
    let events_height = timeline.events.len() as f64 * EVENT_LABEL;
    let axis_y = 62.0 + events_height + 18.0;
    let chart_top = axis_y + 10.0;
    let chart_height = timeline.groups.len() as f64 * HEADING + rows as f64 * ROW;
    let chart_bottom = chart_top + chart_height;
    let legend_y = chart_bottom + 90.0;
    let height = legend_y + 40.0 + if timeline.never.is_empty() { 0.0 } else { 20.0 };

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="Helvetica, Arial, sans-serif" data-from="{}" data-until="{}" data-chart-left="{CHART_LEFT}" data-chart-right="{CHART_RIGHT}">"#,
        timeline.from, timeline.until
    );
    let _ = writeln!(svg, "<defs>");
    for (i, colour) in PALETTE.iter().chain([&EXCLUSIVE_COLOUR]).enumerate() {
        let _ = writeln!(
            svg,
            r#"<pattern id="hatch-{i}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}" fill-opacity="0.12"/><line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="2.5"/></pattern>"#
        );
    }
    let _ = writeln!(svg, "</defs>");
    let _ = writeln!(
        svg,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{height:.0}" fill="#ffffff"/>"##
    );

    // Title.
    let _ = writeln!(
        svg,
        r##"<text x="20" y="30" font-size="18" font-weight="bold" fill="#1a202c">{}</text>"##,
        escape(&timeline.title)
    );
    let subtitle = match &timeline.scenario {
        Some(name) => format!("Scenario {name}"),
        None => "No event happens; facts at their defaults".to_string(),
    };
    let _ = writeln!(
        svg,
        r##"<text x="20" y="50" font-size="13" fill="#4a5568">{}</text>"##,
        escape(&subtitle)
    );

    // Year grid and labels.
    let years: Vec<NaiveDate> = (timeline.from.year()..=timeline.until.year())
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .filter(|d| *d >= timeline.from && *d <= timeline.until)
        .collect();
    let every = (years.len() / 16).max(1);
    for (i, day) in years.iter().enumerate() {
        let x = geometry.x(*day);
        let _ = writeln!(
            svg,
            r##"<line class="tick" data-date="{day}" x1="{x:.2}" y1="{axis_y:.2}" x2="{x:.2}" y2="{chart_bottom:.2}" stroke="#e2e8f0" stroke-width="1"/>"##
        );
        if i % every == 0 && *day < timeline.until {
            let _ = writeln!(
                svg,
                r##"<text x="{:.2}" y="{:.2}" font-size="11" fill="#4a5568" text-anchor="start">{}</text>"##,
                x + 2.0,
                axis_y - 2.0,
                day.year()
            );
        }
    }

    // Rows.
    let mut y = chart_top;
    for (index, group) in timeline.groups.iter().enumerate() {
        let exclusive =
            index + 1 == timeline.groups.len() && group.heading.starts_with("Exclusivities");
        let palette_index = if exclusive {
            PALETTE.len()
        } else {
            index % PALETTE.len()
        };
        let colour = if exclusive {
            EXCLUSIVE_COLOUR
        } else {
            PALETTE[index % PALETTE.len()]
        };
        let _ = writeln!(
            svg,
            r##"<rect x="10" y="{y:.2}" width="{:.2}" height="{HEADING}" fill="#f7fafc"/>"##,
            WIDTH - 20.0
        );
        let _ = writeln!(
            svg,
            r##"<text class="party" x="16" y="{:.2}" font-size="13" font-weight="bold" fill="{colour}">{}</text>"##,
            y + 17.0,
            escape(&group.heading)
        );
        y += HEADING;
        for row in &group.rows {
            draw_row(&mut svg, &geometry, row, y, colour, palette_index);
            y += ROW;
        }
    }
    let _ = writeln!(
        svg,
        r##"<line x1="{CHART_LEFT}" y1="{chart_bottom:.2}" x2="{CHART_RIGHT}" y2="{chart_bottom:.2}" stroke="#a0aec0" stroke-width="1"/>"##
    );

    // Events: a dashed line across the chart, labelled above it.
    for (i, event) in timeline.events.iter().enumerate() {
        if event.day < timeline.from || event.day >= timeline.until {
            continue;
        }
        let x = geometry.x(event.day);
        let label_y = 62.0 + (i as f64 + 1.0) * EVENT_LABEL - 4.0;
        let right_half = x > (CHART_LEFT + CHART_RIGHT) / 2.0;
        let (anchor, dx) = if right_half {
            ("end", -4.0)
        } else {
            ("start", 4.0)
        };
        let _ = writeln!(
            svg,
            r#"<g class="event" data-event="{}" data-date="{}"><line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{chart_bottom:.2}" stroke="{EVENT_COLOUR}" stroke-width="1.5" stroke-dasharray="5,3"/><text x="{:.2}" y="{label_y:.2}" font-size="11" fill="{EVENT_COLOUR}" text-anchor="{anchor}">{} ({})</text></g>"#,
            escape(&event.name),
            event.day,
            label_y - 10.0,
            x + dx,
            escape(&event.name),
            event.day
        );
    }

    // The contract's end: a solid line across the chart.
    if let Some(day) = timeline.contract_end
        && day >= timeline.from
        && day < timeline.until
    {
        let x = geometry.x(day);
        let _ = writeln!(
            svg,
            r##"<g class="contract-end" data-date="{day}"><line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{chart_bottom:.2}" stroke="#1a202c" stroke-width="2.5"/><title>the contract ends {day}</title></g>"##,
            62.0
        );
    }

    // Significant dates along the bottom.
    let mut last_x = f64::NEG_INFINITY;
    for day in &timeline.significant {
        let x = geometry.x(*day);
        let _ = writeln!(
            svg,
            r##"<line class="significant" data-date="{day}" x1="{x:.2}" y1="{chart_bottom:.2}" x2="{x:.2}" y2="{:.2}" stroke="#2d3748" stroke-width="1"><title>{day}</title></line>"##,
            chart_bottom + 6.0
        );
        // A label that would overlap the previous one is left to the tick's tooltip.
        if x - last_x >= 18.0 {
            let _ = writeln!(
                svg,
                r##"<text x="{x:.2}" y="{:.2}" font-size="10" fill="#2d3748" text-anchor="end" transform="rotate(-40 {x:.2} {:.2})">{day}</text>"##,
                chart_bottom + 16.0,
                chart_bottom + 16.0
            );
            last_x = x;
        }
    }

    legend(&mut svg, timeline, legend_y);
    let _ = writeln!(svg, "</svg>");
    svg
}

fn draw_row(
    svg: &mut String,
    geometry: &Geometry<'_>,
    row: &Row,
    y: f64,
    colour: &str,
    palette: usize,
) {
    let timeline = geometry.timeline;
    let _ = writeln!(
        svg,
        r##"<text class="label" x="28" y="{:.2}" font-size="12" fill="#1a202c">{}</text>"##,
        y + 16.0,
        escape(&row.label)
    );
    let bar_y = y + (ROW - BAR) / 2.0;
    let never = |svg: &mut String| {
        let _ = writeln!(
            svg,
            r##"<text class="never" x="{CHART_LEFT}" y="{:.2}" font-size="11" font-style="italic" fill="#718096">never in force in this scenario</text>"##,
            y + 16.0
        );
    };
    let (start, end) = match &row.window {
        Ok((Time::Day(start), end)) if Time::Day(*start) < *end => (*start, *end),
        Ok(_) => return never(svg),
        Err(message) => {
            let _ = writeln!(
                svg,
                r##"<text x="{CHART_LEFT}" y="{:.2}" font-size="11" fill="#c53030">not evaluated: {}</text>"##,
                y + 16.0,
                escape(message)
            );
            return;
        }
    };
    let Some((begin, stop, open)) = timeline.clip(start, end) else {
        return never(svg);
    };
    let (x0, x1) = (geometry.x(begin), geometry.x(stop));
    let title = format!(
        "{}: in its window from {} until {}",
        row.label,
        begin,
        iso(end)
    );
    let kind = if !row.conditional {
        "in-force"
    } else if row.in_force.is_none() {
        "conditional"
    } else {
        "window"
    };
    match kind {
        "in-force" => {
            let _ = writeln!(
                svg,
                r#"<rect class="bar" data-kind="in-force" data-clause="{}" data-from="{begin}" data-until="{}" x="{x0:.2}" y="{bar_y:.2}" width="{:.2}" height="{BAR}" rx="2" fill="{colour}"><title>{}</title></rect>"#,
                escape(&row.label),
                iso(end),
                (x1 - x0).max(1.0),
                escape(&title)
            );
        }
        "conditional" => {
            let _ = writeln!(
                svg,
                r#"<rect class="bar" data-kind="conditional" data-clause="{}" data-from="{begin}" data-until="{}" x="{x0:.2}" y="{bar_y:.2}" width="{:.2}" height="{BAR}" rx="2" fill="url(#hatch-{palette})" stroke="{colour}" stroke-width="1"><title>{} (conditional)</title></rect>"#,
                escape(&row.label),
                iso(end),
                (x1 - x0).max(1.0),
                escape(&title)
            );
        }
        _ => {
            let _ = writeln!(
                svg,
                r#"<rect class="bar" data-kind="window" data-clause="{}" data-from="{begin}" data-until="{}" x="{x0:.2}" y="{bar_y:.2}" width="{:.2}" height="{BAR}" rx="2" fill="none" stroke="{colour}" stroke-width="1" stroke-dasharray="4,3"><title>{} (in force only when its condition holds)</title></rect>"#,
                escape(&row.label),
                iso(end),
                (x1 - x0).max(1.0),
                escape(&title)
            );
            for (from, until) in row.in_force.iter().flatten() {
                let Some((a, b, _)) = timeline.clip(*from, *until) else {
                    continue;
                };
                let (xa, xb) = (geometry.x(a), geometry.x(b));
                let _ = writeln!(
                    svg,
                    r#"<rect class="bar" data-kind="in-force" data-clause="{}" data-from="{a}" data-until="{}" x="{xa:.2}" y="{bar_y:.2}" width="{:.2}" height="{BAR}" rx="2" fill="{colour}"><title>{}: in force from {a} until {}</title></rect>"#,
                    escape(&row.label),
                    iso(*until),
                    (xb - xa).max(1.0),
                    escape(&row.label),
                    iso(*until)
                );
            }
        }
    }
    if let Some(day) = row.deadline
        && day >= timeline.from
        && day < timeline.until
    {
        let x = geometry.x(day);
        let mid = bar_y + BAR / 2.0;
        let _ = writeln!(
            svg,
            r##"<polygon class="deadline" data-clause="{}" data-date="{day}" points="{x:.2},{:.2} {:.2},{mid:.2} {x:.2},{:.2} {:.2},{mid:.2}" fill="#ecc94b" stroke="#744210" stroke-width="1"><title>{}: deadline {day}</title></polygon>"##,
            escape(&row.label),
            mid - 8.0,
            x + 6.0,
            mid + 8.0,
            x - 6.0,
            escape(&row.label)
        );
    }
    if let Some(performance) = &row.performance {
        draw_performance(svg, geometry, row, performance, bar_y);
    }
    if open {
        let mid = bar_y + BAR / 2.0;
        let _ = writeln!(
            svg,
            r#"<polygon class="arrow" data-clause="{}" points="{:.2},{:.2} {:.2},{mid:.2} {:.2},{:.2}" fill="{colour}"/>"#,
            escape(&row.label),
            CHART_RIGHT,
            bar_y - 3.0,
            CHART_RIGHT + 10.0,
            CHART_RIGHT,
            bar_y + BAR + 3.0
        );
    }
}

/// An obligation's instance ticks, its discharge (a check mark where the
/// bar ends) and its violation (a cross).
fn draw_performance(
    svg: &mut String,
    geometry: &Geometry<'_>,
    row: &Row,
    performance: &super::Performance,
    bar_y: f64,
) {
    let timeline = geometry.timeline;
    let inside = |day: NaiveDate| day >= timeline.from && day < timeline.until;
    if performance.instances.len() > 1 {
        for (begins, due) in performance.instances.iter().skip(1) {
            if !inside(*begins) {
                continue;
            }
            let x = geometry.x(*begins);
            let due = due.map_or("no deadline".to_string(), |d| format!("due {d}"));
            let _ = writeln!(
                svg,
                r##"<line class="instance" data-clause="{}" data-date="{begins}" x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{:.2}" stroke="#1a202c" stroke-width="1.5"><title>{}: period from {begins}, {due}</title></line>"##,
                escape(&row.label),
                bar_y - 3.0,
                bar_y + BAR + 3.0,
                escape(&row.label)
            );
        }
    }
    let mid = bar_y + BAR / 2.0;
    if let Some(day) = performance.discharged.filter(|d| inside(*d)) {
        let x = geometry.x(day);
        let _ = writeln!(
            svg,
            r##"<polyline class="discharged" data-clause="{}" data-date="{day}" points="{:.2},{mid:.2} {:.2},{:.2} {:.2},{:.2}" fill="none" stroke="#276749" stroke-width="2.5"><title>{}: discharged {day}</title></polyline>"##,
            escape(&row.label),
            x - 5.0,
            x - 1.0,
            mid + 5.0,
            x + 7.0,
            mid - 7.0,
            escape(&row.label)
        );
    }
    if let Some(day) = performance.violated.filter(|d| inside(*d)) {
        let x = geometry.x(day);
        let _ = writeln!(
            svg,
            r##"<path class="violated" data-clause="{}" data-date="{day}" d="M{:.2},{:.2} L{:.2},{:.2} M{:.2},{:.2} L{:.2},{:.2}" stroke="#c53030" stroke-width="2.5"><title>{}: violated {day}</title></path>"##,
            escape(&row.label),
            x - 6.0,
            mid - 6.0,
            x + 6.0,
            mid + 6.0,
            x - 6.0,
            mid + 6.0,
            x + 6.0,
            mid - 6.0,
            escape(&row.label)
        );
    }
}

/// A legend entry: its swatch at x, and its text.
type LegendItem = (Box<dyn Fn(f64) -> String>, &'static str);

fn legend(svg: &mut String, timeline: &Timeline, y: f64) {
    let colour = PALETTE[0];
    let mut items: Vec<LegendItem> = vec![
        (
            Box::new(move |x| {
                format!(
                    r#"<rect x="{x:.2}" y="{y:.2}" width="24" height="12" rx="2" fill="{colour}"/>"#
                )
            }),
            "in force",
        ),
        (
            Box::new(move |x| {
                format!(
                    r#"<polygon points="{:.2},{:.2} {:.2},{:.2} {:.2},{:.2}" fill="{colour}"/>"#,
                    x + 8.0,
                    y - 2.0,
                    x + 18.0,
                    y + 6.0,
                    x + 8.0,
                    y + 14.0
                )
            }),
            "no end",
        ),
    ];
    if timeline.has_decided_conditional() {
        items.push((
            Box::new(move |x| {
                format!(r#"<rect x="{x:.2}" y="{y:.2}" width="24" height="12" rx="2" fill="none" stroke="{colour}" stroke-dasharray="4,3"/>"#)
            }),
            "window of a when/unless clause (solid where in force)",
        ));
    }
    if timeline.has_undecided() {
        items.push((
            Box::new(move |x| {
                format!(r#"<rect x="{x:.2}" y="{y:.2}" width="24" height="12" rx="2" fill="url(#hatch-0)" stroke="{colour}"/>"#)
            }),
            "conditional: the scenario does not decide it",
        ));
    }
    if timeline.has_deadline() {
        items.push((
            Box::new(move |x| {
                format!(
                    r##"<polygon points="{:.2},{:.2} {:.2},{:.2} {:.2},{:.2} {:.2},{:.2}" fill="#ecc94b" stroke="#744210"/>"##,
                    x + 12.0,
                    y - 2.0,
                    x + 18.0,
                    y + 6.0,
                    x + 12.0,
                    y + 14.0,
                    x + 6.0,
                    y + 6.0
                )
            }),
            "deadline (by, within)",
        ));
    }
    if timeline.has_discharge() {
        items.push((
            Box::new(move |x| {
                format!(
                    r##"<polyline points="{:.2},{:.2} {:.2},{:.2} {:.2},{:.2}" fill="none" stroke="#276749" stroke-width="2.5"/>"##,
                    x + 7.0,
                    y + 6.0,
                    x + 11.0,
                    y + 11.0,
                    x + 19.0,
                    y - 1.0
                )
            }),
            "discharged",
        ));
    }
    if timeline.has_violation() {
        items.push((
            Box::new(move |x| {
                format!(
                    r##"<path d="M{:.2},{:.2} L{:.2},{:.2} M{:.2},{:.2} L{:.2},{:.2}" stroke="#c53030" stroke-width="2.5"/>"##,
                    x + 6.0,
                    y,
                    x + 18.0,
                    y + 12.0,
                    x + 6.0,
                    y + 12.0,
                    x + 18.0,
                    y
                )
            }),
            "violated",
        ));
    }
    if timeline.contract_end.is_some() {
        items.push((
            Box::new(move |x| {
                format!(
                    r##"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="#1a202c" stroke-width="2.5"/>"##,
                    x + 12.0,
                    y - 2.0,
                    x + 12.0,
                    y + 14.0
                )
            }),
            "the contract ends",
        ));
    }
    if !timeline.events.is_empty() {
        items.push((
            Box::new(move |x| {
                format!(
                    r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{EVENT_COLOUR}" stroke-width="1.5" stroke-dasharray="5,3"/>"#,
                    x + 12.0,
                    y - 2.0,
                    x + 12.0,
                    y + 14.0
                )
            }),
            "event",
        ));
    }
    let mut x = 20.0;
    for (swatch, text) in &items {
        let _ = writeln!(svg, "{}", swatch(x));
        let _ = writeln!(
            svg,
            r##"<text x="{:.2}" y="{:.2}" font-size="12" fill="#2d3748">{}</text>"##,
            x + 30.0,
            y + 11.0,
            escape(text)
        );
        // About 6.5 pixels a character at 12 px, and a gap.
        x += 30.0 + text.chars().count() as f64 * 6.5 + 24.0;
    }
    if !timeline.never.is_empty() {
        let _ = writeln!(
            svg,
            r##"<text x="20" y="{:.2}" font-size="12" fill="#4a5568">Never happen in this scenario: {}</text>"##,
            y + 32.0,
            escape(&timeline.never.join(", "))
        );
    }
}
