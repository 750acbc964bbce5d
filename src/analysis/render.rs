//! A world written out: as a `scenario` block a user can paste into the
//! contract to replay it, and as the JSON object of `deal test` and
//! `deal explore` (`{"day", "events", "facts"}`).

use crate::eval::{Scenario, Value};
use chrono::NaiveDate;
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeSet;

/// `scenario NAME { ... }`: the events that happen (by date), the facts in
/// `facts` (all the scenario's facts when None) as deal literals, then the
/// `expect` lines given (each line as written, at `day`).
pub fn scenario_block(
    name: &str,
    scenario: &Scenario,
    facts: Option<&BTreeSet<String>>,
    day: Option<NaiveDate>,
    expect: &[String],
) -> String {
    let mut out = format!("scenario {name} {{\n");
    for (event, date) in events_by_date(scenario) {
        out.push_str(&format!("  {event} on {date}\n"));
    }
    for (fact, value) in shown_facts(scenario, facts) {
        out.push_str(&format!("  {fact} = {}\n", value.display()));
    }
    for record in records(scenario) {
        out.push_str(&format!("  {record}\n"));
    }
    if let Some(day) = day
        && !expect.is_empty()
    {
        out.push_str(&format!("  expect at {day} {{\n"));
        for line in expect {
            out.push_str(&format!("    {line}\n"));
        }
        out.push_str("  }\n");
    }
    out.push('}');
    out
}

/// `{"day": ..., "events": {...}, "facts": {...}}`: dates as ISO strings,
/// fact values as the spec's JSON strings (exact decimals, a percent as its
/// fraction, ISO durations). `day` is left out when None.
pub fn world_json(
    scenario: &Scenario,
    facts: Option<&BTreeSet<String>>,
    day: Option<NaiveDate>,
) -> Json {
    let mut events = Map::new();
    for (event, date) in events_by_date(scenario) {
        events.insert(event.to_string(), json!(date.to_string()));
    }
    let mut values = Map::new();
    for (fact, value) in shown_facts(scenario, facts) {
        values.insert(fact.to_string(), json!(value.json_value()));
    }
    let mut object = Map::new();
    if let Some(day) = day {
        object.insert("day".into(), json!(day.to_string()));
    }
    object.insert("events".into(), Json::Object(events));
    object.insert("facts".into(), Json::Object(values));
    let records = records(scenario);
    if !records.is_empty() {
        object.insert("records".into(), json!(records));
    }
    Json::Object(object)
}

/// `agi_declared on 2028-03-01, agi_verified on 2028-09-01, safe = true`,
/// or `no events` for an empty scenario.
pub fn scenario_line(scenario: &Scenario, facts: Option<&BTreeSet<String>>) -> String {
    let mut parts: Vec<String> = events_by_date(scenario)
        .into_iter()
        .map(|(event, date)| format!("{event} on {date}"))
        .collect();
    parts.extend(
        shown_facts(scenario, facts)
            .into_iter()
            .map(|(fact, value)| format!("{fact} = {}", value.display())),
    );
    parts.extend(records(scenario));
    if parts.is_empty() {
        "no events".to_string()
    } else {
        parts.join(", ")
    }
}

fn events_by_date(scenario: &Scenario) -> Vec<(&str, NaiveDate)> {
    let mut events: Vec<(&str, NaiveDate)> = scenario
        .events
        .iter()
        .map(|(name, &date)| (name.as_str(), date))
        .collect();
    events.sort_by_key(|&(name, date)| (date, name));
    events
}

fn shown_facts<'a>(
    scenario: &'a Scenario,
    facts: Option<&BTreeSet<String>>,
) -> Vec<(&'a str, &'a Value)> {
    scenario
        .facts
        .iter()
        .filter(|(name, _)| facts.is_none_or(|shown| shown.contains(*name)))
        .map(|(name, value)| (name.as_str(), value))
        .collect()
}

/// The performance an analysed future assumes, as scenario record lines in
/// date order (section 8: counterexamples print the records they need).
fn records(scenario: &Scenario) -> Vec<String> {
    let mut fulfilments: Vec<_> = scenario
        .fulfilments
        .values()
        .chain(scenario.instance_fulfilments.values())
        .collect();
    fulfilments.sort_by_key(|f| f.date);
    fulfilments.into_iter().map(|f| f.record.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decimal::Decimal;

    #[test]
    fn blocks_and_json() {
        let mut scenario = Scenario::default();
        scenario.set_event("b", Some("2028-01-02".parse().unwrap()));
        scenario.set_event("a", Some("2028-01-01".parse().unwrap()));
        scenario.set_fact("stake", Value::Percent(Decimal::parse("0.27").unwrap()));
        scenario.set_fact("unread", Value::Bool(true));
        let read: BTreeSet<String> = ["stake".to_string()].into();
        let block = scenario_block(
            "counterexample_x",
            &scenario,
            Some(&read),
            Some("2028-02-01".parse().unwrap()),
            &["not may p a x".to_string()],
        );
        assert_eq!(
            block,
            "scenario counterexample_x {\n  a on 2028-01-01\n  b on 2028-01-02\n  stake = 27%\n  \
             expect at 2028-02-01 {\n    not may p a x\n  }\n}"
        );
        let object = world_json(&scenario, Some(&read), Some("2028-02-01".parse().unwrap()));
        assert_eq!(
            object,
            json!({"day": "2028-02-01", "events": {"a": "2028-01-01", "b": "2028-01-02"},
                   "facts": {"stake": "0.27"}})
        );
        assert_eq!(
            scenario_line(&scenario, Some(&read)),
            "a on 2028-01-01, b on 2028-01-02, stake = 27%"
        );
    }
}
