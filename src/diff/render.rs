//! `deal diff` output: the human report (sections in a fixed order, each
//! left out when empty) and the JSON object.

use super::DiffReport;
use super::structure::FieldChange;
use crate::explain::wrap;
use serde_json::{Value as Json, json};

fn shown(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("(none)")
}

fn field_line(change: &FieldChange) -> String {
    format!(
        "{}: {} -> {}",
        change.field,
        shown(&change.old),
        shown(&change.new)
    )
}

/// The human report, wrapped at `width`.
pub fn human(report: &DiffReport, width: usize) -> String {
    let mut out = format!("deal diff {} -> {}\n", report.old, report.new);
    if report.is_empty() {
        out.push_str("\nNo changes: both versions say the same thing.\n");
        return out;
    }
    let section = |out: &mut String, title: String| {
        out.push('\n');
        out.push_str(&title);
        out.push('\n');
    };
    if !report.header.is_empty() {
        section(&mut out, "Contract".to_string());
        for change in &report.header {
            out.push_str(&wrap(&field_line(change), width, "  ~ ", "      "));
        }
    }

    let clauses = &report.clauses;
    if !clauses.changed.is_empty() {
        section(
            &mut out,
            format!("Clauses changed ({})", clauses.changed.len()),
        );
        for change in &clauses.changed {
            let label = if change.old.label == change.new.label {
                change.new.label.clone()
            } else {
                format!("{} (was {})", change.new.label, change.old.label)
            };
            out.push_str(&wrap(&label, width, "  ~ ", "    "));
            for field in &change.changes {
                out.push_str(&wrap(&field_line(field), width, "      ", "        "));
            }
            if let Some(sentence) = report.sentence(1, &change.new.label) {
                out.push_str(&wrap(
                    &format!("now: {sentence}"),
                    width,
                    "      ",
                    "        ",
                ));
            }
        }
    }
    for (title, entries, version, sign) in [
        ("Clauses added", &clauses.added, 1, "  + "),
        ("Clauses removed", &clauses.removed, 0, "  - "),
    ] {
        if entries.is_empty() {
            continue;
        }
        section(&mut out, format!("{title} ({})", entries.len()));
        for entry in entries.iter() {
            out.push_str(&wrap(&entry.text, width, sign, "      "));
            if let Some(sentence) = report.sentence(version, &entry.label) {
                out.push_str(&wrap(sentence, width, "      ", "      "));
            }
        }
    }

    if !report.lets.is_empty() {
        section(&mut out, format!("Values ({})", report.lets.len()));
        for change in &report.lets {
            let describe = |v: &super::LetValue| match &v.value {
                Some(value) if *value != v.expr => format!("{} = {value}", v.expr),
                _ => v.expr.clone(),
            };
            let (sign, text) = match (&change.old, &change.new) {
                (Some(a), Some(b)) => {
                    let text = if a.expr == b.expr {
                        format!(
                            "{} = {}: {} -> {}",
                            change.name,
                            a.expr,
                            a.shown(),
                            b.shown()
                        )
                    } else {
                        format!("{}: {} -> {}", change.name, describe(a), describe(b))
                    };
                    ("  ~ ", text)
                }
                (None, Some(b)) => ("  + ", format!("{} = {}", change.name, describe(b))),
                (Some(a), None) => ("  - ", format!("{} = {}", change.name, describe(a))),
                (None, None) => continue,
            };
            out.push_str(&wrap(&text, width, sign, "      "));
        }
    }

    let declarations = &report.declarations;
    let count = declarations.added.len() + declarations.removed.len() + declarations.changed.len();
    if count > 0 {
        section(&mut out, format!("Declarations ({count})"));
        for entry in &declarations.added {
            out.push_str(&wrap(&entry.text, width, "  + ", "      "));
        }
        for entry in &declarations.removed {
            out.push_str(&wrap(&entry.text, width, "  - ", "      "));
        }
        for change in &declarations.changed {
            let fields: Vec<String> = change.changes.iter().map(field_line).collect();
            out.push_str(&wrap(
                &format!("{} {}: {}", change.kind, change.name, fields.join("; ")),
                width,
                "  ~ ",
                "      ",
            ));
        }
    }

    let effects = &report.effects;
    if !effects.effects.is_empty() || !effects.notes.is_empty() {
        let from = effects
            .start
            .map(|d| format!(" from {d}"))
            .unwrap_or_default();
        section(
            &mut out,
            format!(
                "Effects ({}; compared{from} over {} futures of the {} acts whose clauses changed)",
                effects.effects.len(),
                effects.futures,
                effects.acts
            ),
        );
        let mut current: Option<&str> = None;
        for effect in &effects.effects {
            if current != Some(effect.party.as_str()) {
                out.push_str(&format!("  {}\n", effect.party_label));
                current = Some(&effect.party);
            }
            let tag = format!("    {:<20}", effect.change);
            out.push_str(&wrap(
                &effect.description,
                width,
                &tag,
                &" ".repeat(tag.len()),
            ));
            if !effect.always {
                out.push_str(&wrap(
                    &example_line(effect),
                    width,
                    &" ".repeat(tag.len()),
                    &" ".repeat(tag.len() + 2),
                ));
            }
        }
        for note in &effects.notes {
            out.push_str(&wrap(&format!("note: {note}"), width, "  ", "    "));
        }
    }
    out
}

fn clause_list(labels: &[String]) -> String {
    if labels.is_empty() {
        "no clause".to_string()
    } else {
        labels.join(", ")
    }
}

/// "for example, if breach_notice happens on 2026-01-01: on 2026-03-02
/// was yes (termination_right), now unspecified (no clause)". Labelled as
/// one example future: its dates hold in that future only.
fn example_line(effect: &super::Effect) -> String {
    let example = &effect.example;
    let mut given: Vec<String> = Vec::new();
    let events: Vec<String> = example
        .events
        .iter()
        .map(|(name, day)| format!("{name} happens on {day}"))
        .collect();
    if events.is_empty() {
        given.push("no event happens".to_string());
    } else {
        given.push(crate::explain::words::join_words(&events, "and"));
    }
    let facts: Vec<String> = example
        .facts
        .iter()
        .map(|(name, value)| format!("{name} = {}", value.display()))
        .collect();
    if !facts.is_empty() {
        given.push(facts.join(", "));
    }
    if !example.records.is_empty() {
        given.push(crate::explain::words::join_words(&example.records, "and"));
    }
    // A merged effect names the query its example asks.
    let asked = if effect.acts.len() > 1 {
        format!(" `{}`", example.query)
    } else {
        String::new()
    };
    format!(
        "for example, if {}: on {}{asked} was {} ({}), now {} ({})",
        given.join(" and "),
        example.day,
        example.old,
        clause_list(&example.old_clauses),
        example.new,
        clause_list(&example.new_clauses)
    )
}

fn field_json(change: &FieldChange) -> Json {
    json!({"field": change.field, "old": change.old, "new": change.new})
}

/// The JSON object: `old`, `new`, `clauses`, `lets`, `declarations`,
/// `effects` (spec'd by the task), plus `header` and `compared`.
pub fn json(report: &DiffReport) -> Json {
    let clauses = &report.clauses;
    let entry = |version: usize, e: &super::ClauseEntry| {
        json!({
            "label": e.label,
            "text": e.text,
            "sentence": report.sentence(version, &e.label),
        })
    };
    let changed: Vec<Json> = clauses
        .changed
        .iter()
        .map(|c| {
            json!({
                "label": c.new.label,
                "old_label": c.old.label,
                "old_text": c.old.text,
                "new_text": c.new.text,
                "changes": c.changes.iter().map(field_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let lets: Vec<Json> = report
        .lets
        .iter()
        .map(|l| {
            json!({
                "name": l.name,
                "change": l.change_word(),
                "old": l.old.as_ref().map(|v| v.shown().to_string()),
                "new": l.new.as_ref().map(|v| v.shown().to_string()),
                "old_expr": l.old.as_ref().map(|v| v.expr.clone()),
                "new_expr": l.new.as_ref().map(|v| v.expr.clone()),
            })
        })
        .collect();
    let decl = |e: &super::DeclEntry| json!({"kind": e.kind, "name": e.name, "text": e.text});
    let declarations = &report.declarations;
    let effects: Vec<Json> = report
        .effects
        .effects
        .iter()
        .map(|e| {
            let facts: serde_json::Map<String, Json> = e
                .example
                .facts
                .iter()
                .map(|(name, value)| {
                    (
                        name.clone(),
                        json!({"type": value.ty().to_string(), "value": value.json_value(), "display": value.display()}),
                    )
                })
                .collect();
            let events: serde_json::Map<String, Json> = e
                .example
                .events
                .iter()
                .map(|(name, day)| (name.clone(), json!(day.to_string())))
                .collect();
            json!({
                "party": e.party,
                "change": e.change,
                "act": e.act,
                "acts": e.acts,
                "query": e.kind.word(),
                "old": e.old,
                "new": e.new,
                "always": e.always,
                "description": e.description,
                "example": {
                    "query": e.example.query,
                    "day": e.example.day.to_string(),
                    "old": e.example.old,
                    "new": e.example.new,
                    "events": events,
                    "facts": facts,
                    "records": e.example.records,
                    "old_clauses": e.example.old_clauses,
                    "new_clauses": e.example.new_clauses,
                },
            })
        })
        .collect();
    json!({
        "old": report.old,
        "new": report.new,
        "header": report.header.iter().map(field_json).collect::<Vec<_>>(),
        "clauses": {
            "added": clauses.added.iter().map(|e| entry(1, e)).collect::<Vec<_>>(),
            "removed": clauses.removed.iter().map(|e| entry(0, e)).collect::<Vec<_>>(),
            "changed": changed,
        },
        "lets": lets,
        "declarations": {
            "added": declarations.added.iter().map(decl).collect::<Vec<_>>(),
            "removed": declarations.removed.iter().map(decl).collect::<Vec<_>>(),
            "changed": declarations.changed.iter().map(|c| json!({
                "kind": c.kind,
                "name": c.name,
                "changes": c.changes.iter().map(field_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "effects": effects,
        "compared": {
            "from": report.effects.start.map(|d| d.to_string()),
            "acts": report.effects.acts,
            "futures": report.effects.futures,
            "notes": report.effects.notes,
        },
    })
}
