//! Contracts in plain English (`deal explain`, the REPL's `:explain`, and
//! the sentences `deal diff` shows for added and removed clauses).
//!
//! A clause becomes one sentence built from its parts, in a fixed order:
//! who, the modality, the act, its object and quantity, the venue,
//! recipient and counterparty sets, the recurrence (`every`), the window
//! (`from`, `until`, `through`), the deadline (`by`, `within`), the
//! conditions (`when`, then `unless` after a comma), `survives` and the
//! exceptions. Names read
//! as their declaration labels (see `words`). The output is deterministic:
//! sections in declaration order, clauses in source order.

mod phrase;
mod render;
pub mod words;

pub use phrase::{
    Preposition, condition_phrase, event_clause, point_phrase, quantity_phrase, time_phrase,
};
pub use render::{BOLD, Layout, RESET, declared_parties, explain_contract, wrap};

use crate::ast::{Clause, ClauseBody, DurationLit, Modality, Object, Qualifier, QualifierKind};
use crate::eval::{ClauseId, Contract};
use crate::symbols::SymbolKind;
use chrono::NaiveDate;
use words::{capitalised, is_plural, join_words, name_phrase, set_phrase, venue_phrase};

/// One clause as a plain-English sentence, ending with a full stop. An id
/// that is not a clause gives an empty string.
pub fn clause_sentence(contract: &Contract, id: ClauseId) -> String {
    match contract.clause(id) {
        Some(clause) => sentence(contract, clause),
        None => String::new(),
    }
}

fn names_of(list: &[crate::ast::Name]) -> Vec<String> {
    list.iter().map(|n| n.text.clone()).collect()
}

fn object_phrase(contract: &Contract, object: &Object) -> String {
    let thing = set_phrase(contract, std::slice::from_ref(&object.name.text), "and");
    match &object.quantity {
        Some(quantity) => format!("{} of {thing}", quantity_phrase(contract, quantity)),
        None => thing,
    }
}

/// The sentence for a clause (see the module documentation for the order).
pub fn sentence(contract: &Contract, clause: &Clause) -> String {
    let mut parts: Vec<String> = vec![body_phrase(contract, clause)];
    let is_exclusive = matches!(clause.body, ClauseBody::Exclusive { .. });
    if !is_exclusive {
        for qualifier in &clause.qualifiers {
            match &qualifier.kind {
                QualifierKind::On(list) => parts.push(venue_phrase(contract, &names_of(list))),
                QualifierKind::To(list) => parts.push(format!(
                    "to {}",
                    set_phrase(contract, &names_of(list), "or")
                )),
                QualifierKind::With(list) => parts.push(format!(
                    "with {}",
                    set_phrase(contract, &names_of(list), "or")
                )),
                _ => {}
            }
        }
    }
    let period = clause.qualifiers.iter().find_map(|q| match &q.kind {
        QualifierKind::Every(duration) => Some(duration),
        _ => None,
    });
    if let Some(period) = period {
        parts.push(format!("every {}", period_words(period).0));
    }
    for qualifier in &clause.qualifiers {
        let (preposition, time) = match &qualifier.kind {
            QualifierKind::From(time) => (Preposition::From, time),
            QualifierKind::Until(time) => (Preposition::Until, time),
            QualifierKind::Through(time) => (Preposition::Through, time),
            _ => continue,
        };
        parts.push(time_phrase(contract, preposition, time));
    }
    for qualifier in &clause.qualifiers {
        match &qualifier.kind {
            QualifierKind::By(time) => parts.push(time_phrase(contract, Preposition::By, time)),
            QualifierKind::Within {
                duration,
                after: Some(trigger),
            } => parts.push(format!(
                "within {} after {}",
                duration_words(duration),
                point_phrase(contract, trigger)
            )),
            // On a recurring obligation: each instance's own deadline.
            QualifierKind::Within {
                duration,
                after: None,
            } => {
                let noun = period.map_or("period", |p| period_words(p).1);
                if let Some(previous) = parts.last_mut() {
                    previous.push(',');
                }
                parts.push(format!(
                    "each within {} after the end of its {noun}",
                    duration_words(duration)
                ));
            }
            _ => {}
        }
    }
    let mut text = parts.join(" ");
    // `when` conditions all hold; an `unless` is set off by a comma, as a
    // lawyer writes it.
    let whens: Vec<String> = clause
        .qualifiers
        .iter()
        .filter_map(|q| match &q.kind {
            QualifierKind::When(c) => Some(format!("when {}", condition_phrase(contract, c))),
            _ => None,
        })
        .collect();
    if !whens.is_empty() {
        text.push(' ');
        text.push_str(&whens.join(" and "));
    }
    for qualifier in &clause.qualifiers {
        if let QualifierKind::Unless(c) = &qualifier.kind {
            text.push_str(", unless ");
            text.push_str(&condition_phrase(contract, c));
        }
    }
    for qualifier in &clause.qualifiers {
        if let QualifierKind::Survives(extra) = &qualifier.kind {
            text.push_str("; this survives ");
            if let Some(extra) = extra {
                text.push_str(&duration_words(extra));
                text.push_str(" after ");
            }
            text.push_str("the end of the contract");
        }
    }
    let exceptions: Vec<String> = clause
        .qualifiers
        .iter()
        .filter_map(|q| match &q.kind {
            QualifierKind::Notwithstanding(labels) => Some(names_of(labels)),
            _ => None,
        })
        .flatten()
        .collect();
    if !exceptions.is_empty() {
        text.push_str(", notwithstanding ");
        text.push_str(&join_words(&exceptions, "and"));
    }
    text.push('.');
    capitalised(&text)
}

/// A duration in words: "30 days", "1 year".
fn duration_words(duration: &DurationLit) -> String {
    let (months, days) = duration.months_days();
    crate::eval::value::duration_display(months, days)
}

/// A recurrence as words after "every", and the noun for one period:
/// 3 months read "quarter", 1 year "year", 1 month "month", 1 week "week";
/// other lengths read as written ("45 days", "period").
fn period_words(duration: &DurationLit) -> (String, &'static str) {
    match duration.months_days() {
        (3, 0) => ("quarter".to_string(), "quarter"),
        (12, 0) => ("year".to_string(), "year"),
        (1, 0) => ("month".to_string(), "month"),
        (0, 7) => ("week".to_string(), "week"),
        (0, 1) => ("day".to_string(), "day"),
        _ => (duration_words(duration), "period"),
    }
}

/// The contract's term in words, for the heading of `deal explain`:
/// "The contract runs from 1 March 2025 until the licence term ends or the
/// licence is terminated, whichever comes first." None without a term.
pub fn term_sentence(contract: &Contract, start: NaiveDate, end: &Qualifier) -> Option<String> {
    let (preposition, time) = match &end.kind {
        QualifierKind::Until(time) => (Preposition::Until, time),
        QualifierKind::Through(time) => (Preposition::Through, time),
        _ => return None,
    };
    Some(format!(
        "The contract runs from {} {}.",
        words::date_words(start),
        time_phrase(contract, preposition, time)
    ))
}

/// Who does what to which object: the sentence before its qualifiers.
fn body_phrase(contract: &Contract, clause: &Clause) -> String {
    match &clause.body {
        ClauseBody::Act {
            modality,
            party,
            action,
            object,
        } => {
            let verb = match modality {
                Modality::May => "may",
                Modality::Must => "must",
                Modality::MustNot => "must not",
            };
            format!(
                "{} {verb} {} {}",
                set_phrase(contract, std::slice::from_ref(&party.text), "and"),
                name_phrase(contract, &action.text),
                object_phrase(contract, object)
            )
        }
        ClauseBody::Holds {
            negated,
            party,
            object,
        } => {
            let who = set_phrase(contract, std::slice::from_ref(&party.text), "and");
            let verb = if is_group_of_many(contract, &party.text) || is_plural(&who) {
                "hold"
            } else {
                "holds"
            };
            let no = if *negated { " no" } else { "" };
            format!("{who} {verb}{no} {}", object_phrase(contract, object))
        }
        ClauseBody::Exclusive { object } => {
            let thing = object_phrase(contract, object);
            let verb = if is_plural(&thing) { "are" } else { "is" };
            let mut scopes = Vec::new();
            for qualifier in &clause.qualifiers {
                let (lead, list) = match &qualifier.kind {
                    QualifierKind::On(list) => ("", list),
                    QualifierKind::With(list) => ("dealings with ", list),
                    QualifierKind::To(list) => ("recipients ", list),
                    _ => continue,
                };
                scopes.push(format!(
                    "{lead}{}",
                    set_phrase(contract, &names_of(list), "and")
                ));
            }
            format!("{thing} {verb} exclusive to {}", join_words(&scopes, "and"))
        }
        ClauseBody::Only {
            party,
            action,
            object,
        } => format!(
            "only {} may {} {}",
            set_phrase(contract, std::slice::from_ref(&party.text), "and"),
            name_phrase(contract, &action.text),
            object_phrase(contract, object)
        ),
    }
}

/// The party a clause is listed under in `deal explain`: its party as
/// written (a group or `anyone` included), or None for an exclusivity,
/// which binds every party.
pub fn clause_party(clause: &Clause) -> Option<&str> {
    match &clause.body {
        ClauseBody::Act { party, .. }
        | ClauseBody::Holds { party, .. }
        | ClauseBody::Only { party, .. } => Some(&party.text),
        ClauseBody::Exclusive { .. } => None,
    }
}

/// Whether `name` is a group with more than one member: "Microsoft and
/// OpenAI hold ...".
fn is_group_of_many(contract: &Contract, name: &str) -> bool {
    contract.symbols.kind(name) == Some(SymbolKind::Group)
        && contract.symbols.expand(name).len() > 1
}

/// Whether `name` is a party (or a group of parties) of the contract.
pub fn is_party(contract: &Contract, name: &str) -> bool {
    contract.symbols.effective_kind(name) == Some(SymbolKind::Party)
}
