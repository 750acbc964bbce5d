//! `deal timeline`: the terminal chart (plain ASCII when not a terminal)
//! and the SVG, whose bars are checked against the evaluator's windows by
//! mapping x positions back to dates through the year ticks.

mod common;

use chrono::NaiveDate;
use common::{TempDir, deal, root};
use deal::eval::{Contract, Scenario, Time, window};
use deal::source::SourceFile;
use deal::timeline::{Style, build, render_svg, render_terminal};
use std::collections::BTreeMap;

const EXAMPLE: &str = "examples/msft_openai_2025.deal";

fn example() -> Contract {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    deal::load(SourceFile::new(EXAMPLE, text))
        .contract()
        .unwrap()
}

fn scenario(contract: &Contract, name: &str) -> Scenario {
    let block = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            deal::ast::ItemKind::Scenario(s) if s.name.text == name => Some(s),
            _ => None,
        })
        .unwrap();
    Scenario::from_ast(contract, block).unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

// ---------------------------------------------------------------- a small XML reader

/// An element's name and attributes, in document order.
#[derive(Debug)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
}

/// Every start tag of a document, after checking that tags nest, attribute
/// values are quoted and no bare `<` or `&` appears in text.
fn parse_svg(svg: &str) -> Vec<Element> {
    let mut out = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in text: {text:?}"
            );
        }
        let end = rest[start..].find('>').expect("tag closes") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name.trim()), "tags nest");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        let mut attributes = BTreeMap::new();
        loop {
            attrs = attrs.trim_start();
            if attrs.is_empty() {
                break;
            }
            let (key, after) = attrs
                .split_once("=\"")
                .expect("attribute values are quoted");
            let (value, after) = after.split_once('"').expect("attribute value closes");
            assert!(!value.contains('<'), "no < in attribute values");
            attributes.insert(key.trim().to_string(), value.to_string());
            attrs = after;
        }
        if !self_closing {
            open.push(name.to_string());
        }
        out.push(Element {
            name: name.to_string(),
            attributes,
        });
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    out
}

fn number(element: &Element, key: &str) -> f64 {
    element.attributes[key].parse().unwrap()
}

/// x of a date, from the year ticks (a linear map).
struct Axis {
    day0: NaiveDate,
    x0: f64,
    per_day: f64,
}

impl Axis {
    fn from_ticks(elements: &[Element]) -> Axis {
        let ticks: Vec<(NaiveDate, f64)> = elements
            .iter()
            .filter(|e| e.attributes.get("class").map(String::as_str) == Some("tick"))
            .map(|e| (day(&e.attributes["data-date"]), number(e, "x1")))
            .collect();
        assert!(ticks.len() >= 2, "year ticks on the axis");
        let (first, last) = (ticks[0], ticks[ticks.len() - 1]);
        let per_day = (last.1 - first.1) / (last.0 - first.0).num_days() as f64;
        for (date, x) in &ticks {
            let expected = first.1 + (*date - first.0).num_days() as f64 * per_day;
            assert!((x - expected).abs() < 0.02, "ticks are linear in time");
        }
        Axis {
            day0: first.0,
            x0: first.1,
            per_day,
        }
    }

    fn x(&self, date: NaiveDate) -> f64 {
        self.x0 + (date - self.day0).num_days() as f64 * self.per_day
    }
}

// ---------------------------------------------------------------- SVG

#[test]
fn svg_bars_match_the_evaluator_windows() {
    let contract = example();
    for name in ["early_agi", "agi_never", "late_agi"] {
        let scenario = scenario(&contract, name);
        let timeline = build(&contract, &scenario);
        let svg = render_svg(&timeline);
        let elements = parse_svg(&svg);
        assert_eq!(elements[0].name, "svg");
        let axis = Axis::from_ticks(&elements);
        let right_edge = timeline.until;
        for (id, _, _) in contract.clauses() {
            let label = contract.clause_label(id);
            let (start, end) = window(&contract, &scenario, id).unwrap();
            let conditional = contract.clause(id).unwrap().qualifiers.iter().any(|q| {
                matches!(
                    q.kind,
                    deal::ast::QualifierKind::When(_) | deal::ast::QualifierKind::Unless(_)
                )
            });
            // The window's bar: the only bar of an unconditional clause, the
            // outlined or hatched one of a conditional clause.
            let bars: Vec<&Element> = elements
                .iter()
                .filter(|e| {
                    e.attributes.get("class").map(String::as_str) == Some("bar")
                        && e.attributes["data-clause"] == label
                        && (!conditional || e.attributes["data-kind"] != "in-force")
                })
                .collect();
            let Time::Day(start) = start else {
                assert!(bars.is_empty(), "{label} never starts in {name}: no bar");
                assert!(svg.contains("never in force in this scenario"));
                continue;
            };
            if Time::Day(start) >= end {
                assert!(
                    bars.is_empty(),
                    "{label}: an empty window in {name}: no bar"
                );
                continue;
            }
            assert_eq!(bars.len(), 1, "{label} in {name}: one window bar");
            let bar = bars[0];
            let from = start.max(timeline.from);
            assert_eq!(bar.attributes["data-from"], from.to_string(), "{label}");
            let until = match end {
                Time::Day(d) => d.to_string(),
                Time::Never => "never".to_string(),
            };
            assert_eq!(bar.attributes["data-until"], until, "{label} in {name}");
            let x = number(bar, "x");
            let width = number(bar, "width");
            assert!((x - axis.x(from)).abs() < 0.02, "{label}: x {x} is {from}");
            let stop = match end {
                Time::Day(d) if d < right_edge => d,
                _ => right_edge,
            };
            assert!(
                (x + width - axis.x(stop)).abs() < 0.02,
                "{label} in {name}: right end {} is {stop}",
                x + width
            );
            let arrow = elements.iter().any(|e| {
                e.name == "polygon"
                    && e.attributes.get("class").map(String::as_str) == Some("arrow")
                    && e.attributes["data-clause"] == label
            });
            assert_eq!(
                arrow,
                end == Time::Never,
                "{label} in {name}: arrow iff open-ended"
            );
        }
        // Events: one labelled line each, at its date.
        for (event, date) in &scenario.events {
            let group = elements
                .iter()
                .position(|e| e.name == "g" && e.attributes.get("data-event") == Some(event))
                .unwrap_or_else(|| panic!("event {event} drawn"));
            assert_eq!(elements[group].attributes["data-date"], date.to_string());
            let line = &elements[group + 1];
            assert_eq!(line.name, "line");
            assert!((number(line, "x1") - axis.x(*date)).abs() < 0.02);
        }
    }
}

#[test]
fn svg_conditional_clauses_are_hatched_or_outlined_and_the_legend_says_so() {
    let contract = example();
    // agi_never gives safety_guardrails but not share_price_multiple.
    let timeline = build(&contract, &scenario(&contract, "agi_never"));
    let svg = render_svg(&timeline);
    let elements = parse_svg(&svg);
    let kind_of = |label: &str| -> Vec<String> {
        elements
            .iter()
            .filter(|e| {
                e.attributes.get("class").map(String::as_str) == Some("bar")
                    && e.attributes["data-clause"] == label
            })
            .map(|e| e.attributes["data-kind"].clone())
            .collect()
    };
    assert_eq!(kind_of("foundation_warrant"), vec!["conditional"]);
    assert_eq!(kind_of("ms_stake"), vec!["in-force"]);
    assert!(svg.contains("url(#hatch-"));
    assert!(svg.contains("conditional: the scenario does not decide it"));

    // early_agi decides the compute cap (5e26 < 1e28): a window, never solid.
    let timeline = build(&contract, &scenario(&contract, "early_agi"));
    let svg = render_svg(&timeline);
    let elements = parse_svg(&svg);
    let cap: Vec<&Element> = elements
        .iter()
        .filter(|e| e.attributes.get("data-clause").map(String::as_str) == Some("compute_cap"))
        .filter(|e| e.name == "rect")
        .collect();
    assert_eq!(cap.len(), 1);
    assert_eq!(cap[0].attributes["data-kind"], "window");
    assert!(svg.contains("window of a when/unless clause"));
    // ... and open_weights is solid inside its window (criteria met).
    let open_weights: Vec<String> = elements
        .iter()
        .filter(|e| e.attributes.get("data-clause").map(String::as_str) == Some("open_weights"))
        .filter(|e| e.name == "rect")
        .map(|e| e.attributes["data-kind"].clone())
        .collect();
    assert_eq!(open_weights, vec!["window", "in-force"]);
}

#[test]
fn svg_groups_by_party_and_marks_significant_dates() {
    let contract = example();
    let timeline = build(&contract, &scenario(&contract, "early_agi"));
    let svg = render_svg(&timeline);
    let elements = parse_svg(&svg);
    let parties: Vec<usize> = [
        "Microsoft Corporation",
        "OpenAI Group PBC",
        "OpenAI Foundation",
        "Exclusivities",
    ]
    .iter()
    .map(|p| {
        svg.find(&format!(">{p}"))
            .unwrap_or_else(|| panic!("{p} heading"))
    })
    .collect();
    assert!(parties.windows(2).all(|w| w[0] < w[1]));
    let significant: Vec<&str> = elements
        .iter()
        .filter(|e| e.attributes.get("class").map(String::as_str) == Some("significant"))
        .map(|e| e.attributes["data-date"].as_str())
        .collect();
    for date in [
        "2025-10-28",
        "2028-03-01",
        "2028-09-01",
        "2031-01-01",
        "2033-01-01",
    ] {
        assert!(
            significant.contains(&date),
            "{date} on the axis: {significant:?}"
        );
    }
}

#[test]
fn the_command_writes_the_svg_atomically() {
    let dir = TempDir::new("timeline-svg");
    let out = dir.write("chart.svg", "old");
    let output = deal()
        .args(["timeline", EXAMPLE, "--scenario", "early_agi", "--svg"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    parse_svg(&svg);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    deal()
        .args(["timeline", EXAMPLE, "--scenario", "no_such_scenario"])
        .assert()
        .code(2);
    deal()
        .args(["timeline", EXAMPLE, "--svg", "/no/such/dir/chart.svg"])
        .assert()
        .code(2);
}

// ---------------------------------------------------------------- terminal

#[test]
fn terminal_chart_is_plain_ascii_when_piped() {
    let output = deal()
        .env("COLUMNS", "100")
        .args(["timeline", EXAMPLE, "--scenario", "early_agi"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("Microsoft Corporation (microsoft)"));
    assert!(text.contains("^ agi_verified 2028-09-01"));
    assert!(text.contains("Legend: # in force"));
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "{line:?}");
    }
}

#[test]
fn terminal_rows_follow_the_windows() {
    let contract = example();
    let scenario = scenario(&contract, "early_agi");
    let timeline = build(&contract, &scenario);
    let text = render_terminal(
        &timeline,
        Style {
            width: 100,
            unicode: false,
        },
    );
    let lines: Vec<&str> = text.lines().collect();
    // The axis line: padding, then one character per column.
    let axis = lines[2];
    let first = axis.find(['+', '-']).unwrap();
    let columns = axis.len() - first;
    let cells = |label: &str| -> String {
        let line = lines
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("{label} ")))
            .unwrap_or_else(|| panic!("row {label}"));
        line.get(first..).unwrap_or("").to_string()
    };
    let span = (timeline.until - timeline.from).num_days();
    let column_of =
        |d: NaiveDate| ((d - timeline.from).num_days() * columns as i64 / span) as usize;
    for (id, _, _) in contract.clauses() {
        let label = contract.clause_label(id);
        let row = cells(label);
        let (start, end) = window(&contract, &scenario, id).unwrap();
        let Time::Day(start) = start else {
            assert!(row.contains("never in force"), "{label}: {row}");
            continue;
        };
        let drawn_from = row.find(['#', '~', '.']).unwrap();
        assert_eq!(
            drawn_from,
            column_of(start.max(timeline.from)),
            "{label} starts"
        );
        let drawn_to = row.rfind(['#', '~', '.', '>', '!']).unwrap();
        match end {
            Time::Never => assert!(row.ends_with('>'), "{label} runs on: {row}"),
            Time::Day(end) => {
                assert!(!row.ends_with('>'), "{label} ends");
                assert_eq!(drawn_to, column_of(end.pred_opt().unwrap()), "{label} ends");
            }
        }
    }
    // compute_cap's window is open but its condition is false.
    let cap = cells("compute_cap");
    assert!(cap.contains('.') && !cap.contains('#'), "{cap}");
    // An event mark where a row is empty.
    assert!(cells("post_agi_models").contains('|'));
}

#[test]
fn unicode_on_a_terminal() {
    let contract = example();
    let timeline = build(&contract, &scenario(&contract, "agi_never"));
    let text = render_terminal(
        &timeline,
        Style {
            width: 90,
            unicode: true,
        },
    );
    assert!(text.contains('█') && text.contains('▶') && text.contains('░'));
    assert!(text.contains("Never happen in this scenario: agi_declared, agi_verified"));
}

#[test]
fn a_missing_fact_is_undecided_and_a_real_error_is_shown_as_one() {
    let text = "effective 2025-01-01\nparty a\nasset fees\naction pay\nfact big: bool\n\
                let zero = 0\nlet ratio = 5 / zero\n\
                undecided: a may pay fees when big\n\
                broken: a may pay fees when ratio > 1\n";
    let contract = deal::load(SourceFile::new("t.deal", text.to_string()))
        .contract()
        .unwrap();
    let timeline = build(&contract, &Scenario::default());
    let row = |label: &str| {
        timeline
            .rows()
            .find(|r| r.label == label)
            .unwrap_or_else(|| panic!("row {label}"))
    };
    // A fact the scenario does not give: the window is drawn, hatched.
    let undecided = row("undecided");
    assert!(undecided.window.is_ok(), "{undecided:?}");
    assert_eq!(undecided.in_force, None);
    // A division by zero in the condition is an error, not an open question.
    let broken = row("broken");
    assert_eq!(broken.window, Err("division by zero".to_string()));
    let chart = render_terminal(
        &timeline,
        Style {
            width: 100,
            unicode: false,
        },
    );
    let line = |label: &str| {
        chart
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{label} ")))
            .unwrap_or_else(|| panic!("{label} in\n{chart}"))
            .to_string()
    };
    assert!(line("undecided").contains('~'), "{chart}");
    assert!(
        line("broken").contains("(not evaluated: division by zero)"),
        "{chart}"
    );
    assert!(
        chart.contains("conditional: the scenario does not decide"),
        "{chart}"
    );
}
