//! `deal timeline` on the obligations of language version 2: a recurring
//! obligation's periods as ticks, a bar that ends when the obligation is
//! discharged, a violation marked, and the contract's end drawn, in the
//! model, the terminal chart and the SVG.

use chrono::NaiveDate;
use deal::eval::{Contract, Scenario, Time};
use deal::source::SourceFile;
use deal::timeline::{Row, Style, Timeline, build, render_svg, render_terminal};

const LICENCE: &str = r#"deal "Licence"
effective 2025-01-01 until term_end
party marlow
party helvion
event term_end
asset fees
asset report
action pay
action deliver
upfront: marlow must pay $25M of fees to helvion within 30 days after 2025-01-01
milestone: marlow must pay $10M of fees to helvion by 2026-06-30
reports: marlow must deliver report to helvion every 3 months within 30 days
scenario paid {
  term_end on 2028-01-01
  marlow pay $25M of fees to helvion on 2025-01-20
  marlow deliver report to helvion on 2025-04-10
}
"#;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn contract() -> Contract {
    deal::load(SourceFile::new("licence.deal", LICENCE))
        .contract()
        .unwrap()
}

fn timeline() -> Timeline {
    let contract = contract();
    let block = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            deal::ast::ItemKind::Scenario(s) => Some(s),
            _ => None,
        })
        .unwrap();
    let scenario = Scenario::from_ast(&contract, block).unwrap();
    build(&contract, &scenario)
}

fn row<'t>(timeline: &'t Timeline, label: &str) -> &'t Row {
    timeline
        .rows()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("no row {label}"))
}

#[test]
fn a_discharged_debt_ends_its_bar_on_the_day_it_is_paid() {
    let timeline = timeline();
    let upfront = row(&timeline, "upfront");
    let performance = upfront.performance.as_ref().unwrap();
    assert_eq!(performance.discharged, Some(day("2025-01-20")));
    assert_eq!(performance.violated, None);
    assert_eq!(upfront.deadline, Some(day("2025-01-31")));
    let (_, end) = upfront.window.clone().unwrap();
    assert_eq!(end, Time::Day(day("2025-01-20")));
}

#[test]
fn a_missed_deadline_is_marked_the_day_after() {
    let timeline = timeline();
    let milestone = row(&timeline, "milestone");
    let performance = milestone.performance.as_ref().unwrap();
    assert_eq!(performance.discharged, None);
    assert_eq!(performance.violated, Some(day("2026-07-01")));
    // Not discharged: the bar runs to the contract's end.
    assert_eq!(
        milestone.window.clone().unwrap().1,
        Time::Day(day("2028-01-01"))
    );
}

#[test]
fn a_recurring_obligation_has_one_tick_per_period_until_the_contract_ends() {
    let timeline = timeline();
    let reports = row(&timeline, "reports");
    let performance = reports.performance.as_ref().unwrap();
    let begins: Vec<NaiveDate> = performance.instances.iter().map(|(b, _)| *b).collect();
    // Quarters from 2025-01-01 until the contract ends on 2028-01-01.
    assert_eq!(begins.len(), 12, "{begins:?}");
    assert_eq!(begins.first(), Some(&day("2025-01-01")));
    assert_eq!(begins.last(), Some(&day("2027-10-01")));
    // The first quarter is due 30 days after its last day, 2025-03-31.
    assert_eq!(performance.instances[0].1, Some(day("2025-04-30")));
    // The first report came in time; the second quarter's never came.
    assert_eq!(performance.violated, Some(day("2025-07-31")));
    assert_eq!(timeline.contract_end, Some(day("2028-01-01")));
}

#[test]
fn the_terminal_chart_draws_ticks_marks_and_the_end() {
    let text = render_terminal(
        &timeline(),
        Style {
            width: 100,
            unicode: false,
        },
    );
    let line = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no row {label} in\n{text}"))
            .to_string()
    };
    assert!(line("upfront").contains('v'), "{text}");
    assert!(line("milestone").contains('X'), "{text}");
    assert!(line("reports").matches(':').count() >= 8, "{text}");
    assert!(line("reports").contains(']'), "{text}");
    assert!(text.contains("] the contract ends 2028-01-01"), "{text}");
    for legend in [
        "v discharged",
        "X violated",
        ": next period",
        "] the contract ends",
    ] {
        assert!(text.contains(legend), "no {legend:?} in\n{text}");
    }
    // The paid debt's bar stops at the payment: nothing drawn after its mark.
    let upfront = line("upfront");
    let after = upfront.split('v').nth(1).unwrap_or("");
    assert!(!after.contains('#'), "{upfront}");
}

#[test]
fn the_svg_marks_instances_discharge_violation_and_the_end() {
    let svg = render_svg(&timeline());
    assert_eq!(
        svg.matches(r#"class="instance" data-clause="reports""#)
            .count(),
        11
    );
    assert!(svg.contains(r#"class="discharged" data-clause="upfront" data-date="2025-01-20""#));
    assert!(svg.contains(r#"class="violated" data-clause="milestone" data-date="2026-07-01""#));
    assert!(svg.contains(r#"class="contract-end" data-date="2028-01-01""#));
    assert!(svg.contains(
        r#"class="bar" data-kind="in-force" data-clause="upfront" data-from="2025-01-01" data-until="2025-01-20""#
    ));
}

#[test]
fn a_remedy_on_a_violation_is_in_force_from_the_violation() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/v2/spec_section_11.deal");
    let text = std::fs::read_to_string(path).unwrap();
    let contract = deal::load(SourceFile::new("spec_section_11.deal", text))
        .contract()
        .unwrap();
    let block = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            deal::ast::ItemKind::Scenario(s) if s.name.text == "paid_late" => Some(s),
            _ => None,
        })
        .unwrap();
    let scenario = Scenario::from_ast(&contract, block).unwrap();
    let timeline = build(&contract, &scenario);
    let remedy = row(&timeline, "terminate_for_nonpayment");
    let stretches = remedy.in_force.clone().unwrap();
    // approval_milestone was due 2026-06-18 and paid on 2026-07-01.
    assert_eq!(stretches.first().map(|s| s.0), Some(day("2026-06-19")));
}
