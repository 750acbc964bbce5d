//! Contracts in plain English (`deal explain`, the REPL's `:explain`, and
//! the sentences `deal diff` shows for added and removed clauses).
//!
//! A clause becomes one sentence built from its parts, in a fixed order:
//! who, the modality, the act, its object and quantity, the venue,
//! recipient and counterparty sets, the window (`from`, `until`,
//! `through`), the deadline, the conditions and the exceptions. Names read
//! as their declaration labels (see `words`). The output is deterministic:
//! sections in declaration order, clauses in source order.

mod phrase;
mod render;
pub mod words;

pub use phrase::{Preposition, condition_phrase, event_clause, quantity_phrase, time_phrase};
pub use render::{BOLD, Layout, RESET, declared_parties, explain_contract, wrap};

use crate::ast::{Clause, ClauseBody, Modality, Object, QualifierKind};
use crate::eval::{ClauseId, Contract};
use crate::symbols::SymbolKind;
use words::{capitalised, is_plural, join_words, name_phrase, set_phrase};

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
                QualifierKind::On(list) => parts.push(format!(
                    "on {}",
                    set_phrase(contract, &names_of(list), "or")
                )),
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
        if let QualifierKind::By(time) = &qualifier.kind {
            parts.push(time_phrase(contract, Preposition::By, time));
        }
    }
    let mut conditions = Vec::new();
    for qualifier in &clause.qualifiers {
        match &qualifier.kind {
            QualifierKind::When(c) => {
                conditions.push(format!("when {}", condition_phrase(contract, c)))
            }
            QualifierKind::Unless(c) => {
                conditions.push(format!("unless {}", condition_phrase(contract, c)))
            }
            _ => {}
        }
    }
    let mut text = parts.join(" ");
    if !conditions.is_empty() {
        text.push(' ');
        text.push_str(&conditions.join(" and "));
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
            let holds = if *negated { "holds no" } else { "holds" };
            format!(
                "{} {holds} {}",
                set_phrase(contract, std::slice::from_ref(&party.text), "and"),
                object_phrase(contract, object)
            )
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
    }
}

/// The party a clause is listed under in `deal explain`: its party as
/// written (a group or `anyone` included), or None for an exclusivity,
/// which binds every party.
pub fn clause_party(clause: &Clause) -> Option<&str> {
    match &clause.body {
        ClauseBody::Act { party, .. } | ClauseBody::Holds { party, .. } => Some(&party.text),
        ClauseBody::Exclusive { .. } => None,
    }
}

/// Whether `name` is a party (or a group of parties) of the contract.
pub fn is_party(contract: &Contract, name: &str) -> bool {
    contract.symbols.effective_kind(name) == Some(SymbolKind::Party)
}
