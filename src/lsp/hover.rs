//! Hover: for a name, its kind, declaration, label and doc comment (for a
//! `let`, its exact value); for a clause label, the clause in plain English
//! and its window when no event happens (the default scenario); for a date,
//! a duration or a time expression, the date it resolves to.

use super::document::Document;
use super::navigation::declaration;
use crate::ast::{Item, ItemKind};
use crate::check::occurrences::{Moment, Namespace, Occurrence};
use crate::eval::value::duration_display;
use crate::eval::{ClauseId, Contract, Env, Scenario, Time, window};
use crate::explain::clause_sentence;
use crate::explain::words::{constant_let, date_words};
use chrono::NaiveDate;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

pub fn hover(document: &Document, position: Position) -> Option<Hover> {
    let (text, span) = match document.occurrence_at(position) {
        Some(occurrence) => (name_hover(document, occurrence)?, occurrence.span),
        None => {
            let offset = document.offset(position);
            let (span, moment) = document.analysis().index.moment_at(offset)?;
            (moment_hover(document, moment)?, *span)
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(document.range(span)),
    })
}

fn name_hover(document: &Document, occurrence: &Occurrence) -> Option<String> {
    let analysis = document.analysis();
    let symbols = &analysis.loaded.symbols;
    let file = analysis.loaded.file.as_ref()?;
    let declared_at = declaration(document, occurrence);
    let item_index = match occurrence.namespace {
        Namespace::Name => symbols.get(&occurrence.text).and_then(|s| s.item),
        Namespace::Label => symbols.label(&occurrence.text).map(|l| l.item),
        Namespace::Scenario => declared_at.and_then(|span| {
            file.items
                .iter()
                .position(|item| item.span.start <= span.start && span.end <= item.span.end)
        }),
    };
    let Some(item) = item_index.and_then(|i| file.items.get(i)) else {
        return Some(match symbols.kind(&occurrence.text) {
            Some(kind) => format!("`{}`: {}, predeclared", occurrence.text, kind.noun()),
            None => format!("`{}` is not declared", occurrence.text),
        });
    };
    let mut parts = vec![format!(
        "```deal\n{}\n```",
        first_line(document.source.slice(item.span))
    )];
    if let Some(kind) = symbols
        .kind(&occurrence.text)
        .filter(|_| occurrence.namespace == Namespace::Name)
    {
        parts.push(format!("*{}*", kind.noun()));
    }
    if let Some(label) = item_label(item) {
        parts.push(label.to_string());
    }
    if let Some(doc) = &item.doc {
        parts.push(doc.text.clone());
    }
    if let Some(contract) = &analysis.contract {
        parts.extend(meaning(contract, item, item_index, occurrence));
    }
    Some(parts.join("\n\n"))
}

/// What the library says the item means: a `let`'s value, a clause's
/// sentence and window.
fn meaning(
    contract: &Contract,
    item: &Item,
    index: Option<usize>,
    occurrence: &Occurrence,
) -> Vec<String> {
    match (&item.kind, index) {
        (ItemKind::Let(_), _) => vec![match constant_let(contract, &occurrence.text) {
            Some(value) => format!("= `{}`", value.display()),
            None => "its value depends on facts or events".to_string(),
        }],
        (ItemKind::Clause(_), Some(index)) => {
            let id = ClauseId(index);
            let mut out = vec![clause_sentence(contract, id)];
            out.push(match window(contract, &Scenario::default(), id) {
                Ok((start, end)) => window_words(start, end),
                Err(diagnostic) => {
                    format!("its window cannot be computed: {}", diagnostic.message())
                }
            });
            out
        }
        _ => Vec::new(),
    }
}

/// The window in the default scenario (no event happens), in words.
fn window_words(start: Time, end: Time) -> String {
    let when = match (start, end) {
        (Time::Never, _) => "never in force".to_string(),
        (Time::Day(start), _) if end <= Time::Day(start) => "never in force".to_string(),
        (Time::Day(start), Time::Never) if start == NaiveDate::MIN => {
            "in force throughout".to_string()
        }
        (Time::Day(start), Time::Never) => format!("in force from {start}, with no end"),
        (Time::Day(start), Time::Day(end)) if start == NaiveDate::MIN => {
            format!("in force until {end} (exclusive)")
        }
        (Time::Day(start), Time::Day(end)) => {
            format!("in force from {start} until {end} (exclusive)")
        }
    };
    format!("When no event happens: {when}.")
}

fn item_label(item: &Item) -> Option<&str> {
    match &item.kind {
        ItemKind::Decl(decl) => decl.label.as_ref().map(|l| l.value.as_str()),
        ItemKind::Group(group) => group.label.as_ref().map(|l| l.value.as_str()),
        ItemKind::Fact(fact) => fact.label.as_ref().map(|l| l.value.as_str()),
        ItemKind::Scenario(scenario) => scenario.label.as_ref().map(|l| l.value.as_str()),
        ItemKind::Deal(_)
        | ItemKind::Effective(_)
        | ItemKind::Let(_)
        | ItemKind::Clause(_)
        | ItemKind::Assert(_) => None,
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim_end()
}

fn moment_hover(document: &Document, moment: &Moment) -> Option<String> {
    match moment {
        Moment::Date(date) => Some(day_words(*date)),
        Moment::Duration(duration) => {
            let (months, days) = duration.months_days();
            Some(duration_display(months, days))
        }
        Moment::Time(time) => {
            let contract = document.analysis().contract.as_ref()?;
            let scenario = Scenario::default();
            let day = contract.effective().unwrap_or(NaiveDate::MIN);
            let resolved = match Env::new(contract, &scenario, day).time(time) {
                Ok(Time::Day(date)) => day_words(date),
                Ok(Time::Never) => "never".to_string(),
                Err(diagnostic) => return Some(diagnostic.message()),
            };
            Some(format!("When no event happens: {resolved}"))
        }
    }
}

fn day_words(date: NaiveDate) -> String {
    format!("{date}: {}, {}", date.format("%A"), date_words(date))
}
