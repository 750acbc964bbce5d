//! Code lenses: on each scenario, its expectations run (passed, or the
//! first failure); on each assertion, its verdict over every future; on
//! each clause, the answer timeline of the question it answers, from
//! `explore`, on one line. One request explores at most
//! `limits::MAX_LENS_EXPLORATIONS` clauses, sharing the budget
//! `limits::MAX_LENS_FUTURES`.

use super::document::Document;
use crate::analysis::{ExploreError, check_assertions, describe, explore_within};
use crate::ast::{
    ActQuery, Clause, ClauseBody, HoldsQuery, ItemKind, Modality, QualifierKind, Query, Slots,
};
use crate::diagnostic::Code;
use crate::eval::time::shift_date;
use crate::eval::{Contract, run_expectations};
use crate::limits::{MAX_LENS_EXPLORATIONS, MAX_LENS_FUTURES, MAX_LENS_FUTURES_PER_CLAUSE};
use crate::source::Span;
use lsp_types::{CodeLens, Command};

/// Longest lens title, in characters: a lens is one line above the code.
const MAX_TITLE: usize = 160;

pub fn lenses(document: &Document) -> Vec<CodeLens> {
    let Some(contract) = &document.analysis().contract else {
        return Vec::new();
    };
    let assertions = check_assertions(contract);
    // Answers asked so far by the clause lenses.
    let mut asked = 0u64;
    let mut explored = 0;
    let mut out = Vec::new();
    for item in &contract.file.items {
        let title = match &item.kind {
            ItemKind::Scenario(scenario) => scenario_title(contract, scenario),
            ItemKind::Assert(assertion) => {
                match assertions
                    .iter()
                    .find(|o| o.span == item.span || o.label == assertion.label.text)
                {
                    Some(outcome) if outcome.passed => "✓ holds in every future".to_string(),
                    Some(outcome) => match &outcome.diagnostic {
                        Some(diagnostic) => format!("✗ {}", diagnostic.message),
                        None => "✗ fails".to_string(),
                    },
                    None => continue,
                }
            }
            ItemKind::Clause(clause) => {
                let Some(query) = clause_query(clause) else {
                    continue;
                };
                let budget = MAX_LENS_FUTURES
                    .saturating_sub(asked)
                    .min(MAX_LENS_FUTURES_PER_CLAUSE);
                explored += 1;
                if budget == 0 || explored > MAX_LENS_EXPLORATIONS {
                    "timeline: not explored here (the lenses' budget is spent); ask `deal explore`"
                        .to_string()
                } else {
                    let (title, used) = timeline_title(contract, &query, budget);
                    asked += used;
                    title
                }
            }
            ItemKind::Deal(_)
            | ItemKind::Effective(_)
            | ItemKind::Decl(_)
            | ItemKind::Group(_)
            | ItemKind::Let(_)
            | ItemKind::Fact(_) => continue,
        };
        out.push(lens(document, item.span, title));
    }
    out
}

fn lens(document: &Document, span: Span, title: String) -> CodeLens {
    let start = document.range(span).start;
    let mut title: String = title.lines().next().unwrap_or("").to_string();
    if title.chars().count() > MAX_TITLE {
        title = title.chars().take(MAX_TITLE - 1).collect::<String>() + "…";
    }
    CodeLens {
        range: lsp_types::Range::new(start, start),
        // Informational: no command runs when it is clicked.
        command: Some(Command::new(title, String::new(), None)),
        data: None,
    }
}

fn scenario_title(contract: &Contract, scenario: &crate::ast::Scenario) -> String {
    match run_expectations(contract, scenario) {
        Err(problems) => match problems.first() {
            Some(problem) => format!("✗ cannot run: {}", problem.message),
            None => "✗ cannot run".to_string(),
        },
        Ok(outcomes) if outcomes.is_empty() => "no expectations".to_string(),
        Ok(outcomes) => {
            let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
            match failed.first() {
                None => format!("✓ run: {} passed", outcomes.len()),
                Some(first) => {
                    let (line, _) = contract.source.line_col(first.span.start);
                    format!(
                        "✗ run: {} of {} failed; line {line}: expected {}, got {} at {}",
                        failed.len(),
                        outcomes.len(),
                        first.expected,
                        first.got,
                        first.at
                    )
                }
            }
        }
    }
}

/// The question a clause answers, as a query: `may`/`must not` clauses ask
/// `may`, `must` clauses ask `must`, `holds` clauses ask `holds`, each with
/// the clause's first venue, recipient and counterparty. An exclusivity
/// names no party, so it asks nothing.
fn clause_query(clause: &Clause) -> Option<Query> {
    let mut slots = Slots::default();
    for qualifier in &clause.qualifiers {
        let (slot, names) = match &qualifier.kind {
            QualifierKind::On(names) => (&mut slots.on, names),
            QualifierKind::To(names) => (&mut slots.to, names),
            QualifierKind::With(names) => (&mut slots.with, names),
            QualifierKind::From(_)
            | QualifierKind::Until(_)
            | QualifierKind::Through(_)
            | QualifierKind::By(_)
            | QualifierKind::Within { .. }
            | QualifierKind::Every(_)
            | QualifierKind::Survives(_)
            | QualifierKind::When(_)
            | QualifierKind::Unless(_)
            | QualifierKind::Notwithstanding(_) => continue,
        };
        if slot.is_none() {
            *slot = names.first().cloned();
        }
    }
    match &clause.body {
        ClauseBody::Act {
            modality,
            party,
            action,
            object,
        } => {
            let act = ActQuery {
                party: party.clone(),
                action: action.clone(),
                object: object.name.clone(),
                slots,
                span: clause.span,
            };
            Some(match modality {
                Modality::May | Modality::MustNot => Query::May(act),
                Modality::Must => Query::Must(act),
            })
        }
        ClauseBody::Holds {
            negated: _,
            party,
            object,
        } => Some(Query::Holds(HoldsQuery {
            party: party.clone(),
            object: object.name.clone(),
            slots,
            span: clause.span,
        })),
        ClauseBody::Exclusive { object: _ } => None,
        ClauseBody::Only {
            party,
            action,
            object,
        } => Some(Query::May(ActQuery {
            party: party.clone(),
            action: action.clone(),
            object: object.name.clone(),
            slots,
            span: clause.span,
        })),
    }
}

/// The lens title and the answers its exploration asked.
fn timeline_title(contract: &Contract, query: &Query, budget: u64) -> (String, u64) {
    let from = contract
        .effective()
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let Ok(until) = shift_date(from, 12 * crate::analysis::EXPLORE_YEARS, 0) else {
        return (
            "timeline: the range falls outside the calendar".to_string(),
            0,
        );
    };
    let asked = crate::fmt::format_query(query);
    match explore_within(contract, query, from, until, budget) {
        Ok(exploration) => {
            let timelines: Vec<String> = exploration
                .groups
                .iter()
                .map(|group| describe(&group.segments))
                .collect();
            let title = match timelines.as_slice() {
                [one] => format!("{asked}: {one}"),
                many => format!("{asked}: {} timelines: {}", many.len(), many.join(" | ")),
            };
            (title, exploration.asked)
        }
        Err(ExploreError::Query(d) | ExploreError::Contract(d)) if d.code == Code::Limit => (
            format!("{asked}: too many futures for a lens; ask `deal explore`"),
            budget,
        ),
        Err(ExploreError::Query(d) | ExploreError::Contract(d)) => {
            (format!("{asked}: not explored: {}", d.message), 0)
        }
    }
}
