//! How an answer explains itself (issue: "every answer explains itself"):
//! the answer, each deciding clause as a source snippet with its doc comment
//! and the dates that bound it under the scenario, and what would change it.
//! `deal query` and the REPL both render answers through here.

use crate::ast::{ClauseBody, Modality, QualifierKind, Query, TimeExpr, TimeKind};
use crate::eval::{
    Answer, Change, ClauseId, Contract, Members, Outcome, Scenario, Slot, Time, window,
};
use crate::source::{SourceFile, Span};
use chrono::NaiveDate;
use serde_json::{Value as Json, json};

/// Everything known about one answered query.
pub struct Explained<'a> {
    pub contract: &'a Contract,
    pub scenario: &'a Scenario,
    /// The query as the user wrote it.
    pub query_text: &'a str,
    pub query: &'a Query,
    pub day: NaiveDate,
    pub answer: &'a Answer,
    pub change: Option<&'a Change>,
}

/// The first line: `no: may openai host api on gcp (on 2027-01-01, scenario early_agi)`.
pub fn headline(e: &Explained<'_>) -> String {
    let scenario = match &e.scenario.name {
        Some(name) => format!(", scenario {name}"),
        None => String::new(),
    };
    let answer = match &e.answer.outcome {
        Outcome::Value(value) => value.display(),
        Outcome::Status(state) => status_summary(e, state),
        other => other.word().to_string(),
    };
    format!("{answer}: {} (on {}{scenario})", e.query_text.trim(), e.day)
}

/// `violated (performed $0 of $10M, due 2026-06-18)`; a recurring
/// obligation adds its deciding period.
fn status_summary(e: &Explained<'_>, state: &crate::eval::StatusAnswer) -> String {
    let performed = performed_display(e, &state.performed);
    let mut parts = vec![match &state.owed {
        Some(owed) => format!("performed {performed} of {}", performed_display(e, owed)),
        None => format!("performed so far: {performed}"),
    }];
    match state.due {
        Some(due) => parts.push(format!("due {due}")),
        None if state.owed.is_some() => parts.push("no deadline".to_string()),
        None => {}
    }
    if let Some((from, until)) = state.period {
        let last = until.pred_opt().unwrap_or(until);
        parts.push(format!("period {from} to {last}"));
    }
    format!("{} ({})", state.status.as_str(), parts.join(", "))
}

fn performed_display(e: &Explained<'_>, performed: &crate::decimal::Decimal) -> String {
    match e.query {
        Query::Status(label) => match e.contract.clause_by_label(&label.text) {
            Some(id) => performed_amount(e.contract, id, performed),
            None => performed.to_plain_string(),
        },
        _ => performed.to_plain_string(),
    }
}

/// What an obligation's records add up to, in the type of its quantity
/// (`$40B`), or the plain count when it has none.
pub fn performed_amount(
    contract: &Contract,
    id: ClauseId,
    performed: &crate::decimal::Decimal,
) -> String {
    let quantity_type = contract
        .clause(id)
        .and_then(|clause| match &clause.body {
            ClauseBody::Act { object, .. } => object.quantity.as_ref(),
            _ => None,
        })
        .and_then(|q| crate::check::type_of(&contract.symbols, &contract.file, q));
    match quantity_type.and_then(|ty| crate::eval::Value::of_type(&ty, performed.clone())) {
        Some(value) => value.display(),
        None => performed.to_plain_string(),
    }
}

/// The full human explanation.
pub fn render_human(e: &Explained<'_>) -> String {
    let mut out = headline(e);
    out.push('\n');
    if !e.answer.deciding.is_empty() {
        for &id in &e.answer.deciding {
            out.push('\n');
            out.push_str(&clause_block(e, id));
        }
    } else if matches!(e.answer.outcome, Outcome::Unspecified) {
        out.push_str("\nno clause in force speaks to this act\n");
        if let Some(hint) = missing_qualifier_hint(e.contract, e.query, e.query_text) {
            out.push_str(&format!("{hint}\n"));
        }
    }
    for &id in &e.answer.discharged {
        out.push('\n');
        out.push_str(&discharged_line(e, id));
    }
    if let Some(change) = e.change {
        out.push_str(&format!("\n{}\n", change_sentence(change)));
    }
    out
}

/// When a `may`/`must`/`holds` query leaves out a qualifier (`on`, `to`,
/// `with`) that every clause on its act and party names, no clause can
/// speak to it (section 7: a clause with a set matches only a query that
/// names a member). The answer stands; this line says which qualifier and a
/// value that would match: "hint: every clause on this act names `on`; ask
/// `may marlow commercialise hlv204 on eu`".
pub fn missing_qualifier_hint(
    contract: &Contract,
    query: &Query,
    query_text: &str,
) -> Option<String> {
    let (party, slots, candidates) = match query {
        Query::May(q) | Query::Must(q) => (
            &q.party,
            &q.slots,
            contract.act_candidates(&q.action.text, &q.object.text),
        ),
        Query::Holds(q) => (
            &q.party,
            &q.slots,
            contract.holds_candidates(&q.object.text),
        ),
        Query::Status(_) | Query::Expr(_) => return None,
    };
    let candidates: Vec<_> = candidates
        .into_iter()
        .filter(|info| info.parties.contains(&party.text))
        .collect();
    let first = candidates.first()?;
    let given = |slot: Slot| match slot {
        Slot::On => slots.on.is_some(),
        Slot::To => slots.to.is_some(),
        Slot::With => slots.with.is_some(),
    };
    let names_of = |info: &crate::eval::ClauseInfo, slot: Slot| {
        info.sets
            .iter()
            .find(|(s, _)| *s == slot)
            .and_then(|(_, members)| match members {
                Members::Only(names) => names.iter().min().cloned(),
                Members::Any => None,
            })
    };
    [Slot::On, Slot::To, Slot::With]
        .into_iter()
        .filter(|&slot| !given(slot))
        .find(|&slot| candidates.iter().all(|info| names_of(info, slot).is_some()))
        .and_then(|slot| {
            let value = names_of(first, slot)?;
            Some(format!(
                "hint: every clause on this act names `{}`; ask `{} {} {value}`",
                slot.keyword(),
                query_text.trim(),
                slot.keyword()
            ))
        })
}

/// "`fee` would require it, but it is discharged: fulfilled by the record
/// on 2028-03-20 (line 12)".
fn discharged_line(e: &Explained<'_>, id: ClauseId) -> String {
    let label = e.contract.clause_label(id);
    let records: Vec<String> = crate::eval::status(e.contract, e.scenario, id, e.day)
        .map(|state| state.records)
        .unwrap_or_default()
        .iter()
        .filter_map(|&i| e.scenario.records.get(i))
        .map(|record| {
            let (line, _) = e.contract.source.line_col(record.span.start);
            format!("{} (line {line})", record.date)
        })
        .collect();
    let by = match records.as_slice() {
        [] => String::new(),
        [one] => format!(": fulfilled by the record on {one}"),
        many => format!(": fulfilled by the records on {}", many.join(", ")),
    };
    format!("`{label}` would require it, but it is discharged{by}\n")
}

/// "what would change this: yes from 2028-09-01, when `agi_verified` happens"
pub fn change_sentence(change: &Change) -> String {
    let answer = match &change.answer.outcome {
        Outcome::Value(value) => value.display(),
        other => other.word().to_string(),
    };
    format!(
        "what would change this: {answer} from {}, when {}",
        change.day, change.because
    )
}

/// What a deciding clause does to the asked act.
fn role(e: &Explained<'_>, id: ClauseId) -> &'static str {
    let Some(clause) = e.contract.clause(id) else {
        return "decides";
    };
    match (&e.answer.outcome, &clause.body) {
        (Outcome::No, _) => "forbids",
        (
            _,
            ClauseBody::Act {
                modality: Modality::Must,
                ..
            },
        ) if matches!(e.query, Query::Must(_)) => "requires",
        (_, ClauseBody::Exclusive { .. }) => "permits (inside its exclusivity)",
        (Outcome::Yes, _) => "permits",
        (Outcome::Status { .. }, _) => "is the obligation",
        _ => "decides",
    }
}

/// One deciding clause: label and role, its doc comment and source lines, its window.
pub fn clause_block(e: &Explained<'_>, id: ClauseId) -> String {
    let contract = e.contract;
    let (line, _) = contract.source.line_col(contract.clause_span(id).start);
    let mut out = format!(
        "{} {} — {}:{}\n",
        contract.clause_label(id),
        role(e, id),
        contract.source.name,
        line
    );
    out.push_str(&clause_source(contract, e.scenario, id));
    out
}

/// A clause as the reader should see it: its doc comment and source lines
/// in a numbered gutter, then its window under the scenario.
pub fn clause_source(contract: &Contract, scenario: &Scenario, id: ClauseId) -> String {
    let doc = contract
        .clauses()
        .find(|(cid, _, _)| *cid == id)
        .and_then(|(_, _, doc)| doc.map(|d| d.text.as_str()));
    let span = contract.clause_span(id);
    let mut out = source_snippet(&contract.source, doc, span);
    let (line, _) = contract.source.line_col(span.start);
    let gutter = gutter_width(&contract.source, span, line);
    out.push_str(&format!(
        "{:>gutter$}   {}\n",
        "",
        clause_window(contract, scenario, id)
    ));
    out
}

/// An item's doc comment and source lines in a numbered gutter.
pub fn source_snippet(source: &SourceFile, doc: Option<&str>, span: Span) -> String {
    let (line, _) = source.line_col(span.start);
    let gutter = gutter_width(source, span, line);
    let mut out = String::new();
    if let Some(doc) = doc {
        for doc_line in doc.lines() {
            out.push_str(&format!("{:>gutter$} │ /// {doc_line}\n", ""));
        }
    }
    for (i, text) in source.slice(span).lines().enumerate() {
        out.push_str(&format!("{:>gutter$} │ {text}\n", line + i));
    }
    out
}

fn gutter_width(source: &SourceFile, span: Span, line: usize) -> usize {
    (line + source.slice(span).lines().count())
        .to_string()
        .len()
}

/// "in force from 2025-10-28 until 2028-09-01 (agi_verified on 2028-09-01)"
pub fn window_sentence(e: &Explained<'_>, id: ClauseId) -> String {
    clause_window(e.contract, e.scenario, id)
}

/// A clause's window under a scenario in words, with the dates of the
/// events it depends on and its `when`/`unless` conditions.
pub fn clause_window(contract: &Contract, scenario: &Scenario, id: ClauseId) -> String {
    let mut text = match window(contract, scenario, id) {
        Ok((start, end)) => {
            let start = match start {
                // No `effective` and no `from`: the first day of the calendar.
                Time::Day(day) if day == NaiveDate::MIN => "from the start".to_string(),
                Time::Day(day) => format!("from {day}"),
                Time::Never => "never (its start never comes)".to_string(),
            };
            let end = match end {
                Time::Day(day) => match day.pred_opt() {
                    Some(last) => format!(" until {day} (last day {last})"),
                    None => format!(" until {day}"),
                },
                Time::Never => ", with no end".to_string(),
            };
            format!("in force {start}{end}")
        }
        Err(error) => format!("window unknown: {}", error.message()),
    };
    let events = clause_events(contract, id);
    if !events.is_empty() {
        let dates: Vec<String> = events
            .iter()
            .map(|name| match scenario.events.get(name) {
                Some(day) => format!("{name} on {day}"),
                None => format!("{name} never happens"),
            })
            .collect();
        text.push_str(&format!(" in this scenario ({})", dates.join(", ")));
    }
    if let Some(clause) = contract.clause(id) {
        for qualifier in &clause.qualifiers {
            if matches!(
                qualifier.kind,
                QualifierKind::When(_) | QualifierKind::Unless(_)
            ) {
                text.push_str(&format!("; {}", contract.source.slice(qualifier.span)));
                if let QualifierKind::When(condition) | QualifierKind::Unless(condition) =
                    &qualifier.kind
                {
                    text.push_str(&fact_values(contract, scenario, condition));
                }
            }
        }
    }
    text
}

/// " (training_compute = 2e28 flop, compute_threshold = 1e28 flop)": the
/// values the scenario gives the facts a condition reads (or their defaults).
fn fact_values(contract: &Contract, scenario: &Scenario, condition: &crate::ast::Expr) -> String {
    let mut names = Vec::new();
    collect_facts(contract, condition, &mut names, 0);
    let values: Vec<String> = names
        .iter()
        .map(|name| match scenario.facts.get(name) {
            Some(value) => format!("{name} = {}", value.display()),
            None => match contract.fact_decl(name).and_then(|f| f.default.as_ref()) {
                Some(default) => {
                    format!("{name} = {} (default)", contract.source.slice(default.span))
                }
                None => format!("{name} has no value"),
            },
        })
        .collect();
    if values.is_empty() {
        String::new()
    } else {
        format!(" ({})", values.join(", "))
    }
}

fn collect_facts(
    contract: &Contract,
    expr: &crate::ast::Expr,
    names: &mut Vec<String>,
    depth: usize,
) {
    use crate::ast::ExprKind;
    if depth > crate::limits::MAX_EXPRESSION_DEPTH {
        return;
    }
    match &expr.kind {
        ExprKind::Name(name) => {
            if contract.fact_decl(&name.text).is_some() && !names.contains(&name.text) {
                names.push(name.text.clone());
            }
        }
        ExprKind::Unary { operand, .. } | ExprKind::Paren(operand) => {
            collect_facts(contract, operand, names, depth + 1)
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            collect_facts(contract, lhs, names, depth + 1);
            collect_facts(contract, rhs, names, depth + 1);
        }
        ExprKind::Extremum { args, .. } => {
            for arg in args {
                collect_facts(contract, arg, names, depth + 1);
            }
        }
        ExprKind::Literal(_) | ExprKind::EventBy { .. } | ExprKind::StatusIs { .. } => {}
    }
}

/// Events named in a clause's time qualifiers, in order, each once.
fn clause_events(contract: &Contract, id: ClauseId) -> Vec<String> {
    let mut names = Vec::new();
    let Some(clause) = contract.clause(id) else {
        return names;
    };
    for time in clause.qualifiers.iter().filter_map(|q| q.kind.time()) {
        collect_events(contract, time, &mut names, 0);
    }
    names
}

fn collect_events(contract: &Contract, time: &TimeExpr, names: &mut Vec<String>, depth: usize) {
    if depth > crate::limits::MAX_EXPRESSION_DEPTH {
        return;
    }
    match &time.kind {
        TimeKind::Date(_) => {}
        TimeKind::Name(name) => {
            if contract.event_decl(&name.text).is_some() && !names.contains(&name.text) {
                names.push(name.text.clone());
            }
        }
        TimeKind::Shift { base, .. } | TimeKind::Paren(base) => {
            collect_events(contract, base, names, depth + 1)
        }
        TimeKind::Or(a, b) | TimeKind::And(a, b) => {
            collect_events(contract, a, names, depth + 1);
            collect_events(contract, b, names, depth + 1);
        }
    }
}

/// The JSON object of spec section 9 (with extra fields `scenario`, `deciding`
/// and `change`).
pub fn render_json(e: &Explained<'_>) -> Json {
    let labels: Vec<&str> = e
        .answer
        .deciding
        .iter()
        .map(|&id| e.contract.clause_label(id))
        .collect();
    let mut map = serde_json::Map::new();
    map.insert("query".into(), json!(e.query_text.trim()));
    map.insert("at".into(), json!(e.day.to_string()));
    map.insert("answer".into(), json!(e.answer.outcome.word()));
    match &e.answer.outcome {
        Outcome::Value(value) => {
            map.insert(
                "value".into(),
                json!({"type": value.ty().to_string(), "value": value.json_value(), "display": value.display()}),
            );
        }
        Outcome::Status(state) => {
            map.insert("clauses".into(), json!(labels));
            map.insert("performed".into(), json!(state.performed.to_plain_string()));
            map.insert(
                "owed".into(),
                json!(state.owed.as_ref().map(|o| o.to_plain_string())),
            );
            map.insert("due".into(), json!(state.due.map(|d| d.to_string())));
            if let Some((from, until)) = state.period {
                map.insert(
                    "period".into(),
                    json!({"from": from.to_string(), "until": until.to_string()}),
                );
            }
        }
        Outcome::Unspecified => {
            map.insert("clauses".into(), json!(labels));
            if let Some(hint) = missing_qualifier_hint(e.contract, e.query, e.query_text) {
                map.insert("hint".into(), json!(hint.trim_start_matches("hint: ")));
            }
        }
        Outcome::Yes | Outcome::No => {
            map.insert("clauses".into(), json!(labels));
        }
    }
    if let Some(name) = &e.scenario.name {
        map.insert("scenario".into(), json!(name));
    }
    let deciding: Vec<Json> = e
        .answer
        .deciding
        .iter()
        .map(|&id| {
            let span: Span = e.contract.clause_span(id);
            let (line, column) = e.contract.source.line_col(span.start);
            json!({"label": e.contract.clause_label(id), "file": e.contract.source.name, "line": line, "column": column})
        })
        .collect();
    if !deciding.is_empty() {
        map.insert("deciding".into(), Json::Array(deciding));
    }
    if !e.answer.discharged.is_empty() {
        let discharged: Vec<&str> = e
            .answer
            .discharged
            .iter()
            .map(|&id| e.contract.clause_label(id))
            .collect();
        map.insert("discharged".into(), json!(discharged));
    }
    if let Some(change) = e.change {
        map.insert(
            "change".into(),
            json!({"day": change.day.to_string(), "answer": change.answer.outcome.word(), "because": change.because}),
        );
    }
    Json::Object(map)
}
