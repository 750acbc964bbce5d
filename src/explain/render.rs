//! The whole of `deal explain`: the title, then every clause grouped by
//! party (exclusivities, which bind every party, last), then the events,
//! the named values and the facts that scenarios supply. Wrapped to a width.

use super::words::{date_words, declared_doc, declared_label, heading, name_phrase, reading};
use super::{clause_party, clause_sentence, event_clause};
use crate::ast::{DeclKind, ItemKind};
use crate::eval::{Contract, Env, Scenario};
use crate::fmt::format_expr;
use chrono::NaiveDate;

/// How the text is laid out: the width to wrap at, and whether headings
/// are emphasised with terminal escapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub bold: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            width: 80,
            bold: false,
        }
    }
}

/// Narrowest width wrapped to: below it, indentation would leave no room.
const MIN_WIDTH: usize = 30;

/// Greedy word wrap. The first line starts with `first`, the others with
/// `rest`; a word longer than a line gets a line of its own. Existing line
/// breaks are kept.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::new();
    let mut indent = first;
    for paragraph in text.split('\n') {
        let mut line = String::from(indent);
        let mut empty = true;
        for word in paragraph.split_whitespace() {
            let fits = line.chars().count() + 1 + word.chars().count() <= width;
            if !empty && !fits {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(rest);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
        indent = rest;
    }
    out
}

/// The escapes around a bold title.
pub const BOLD: &str = "\x1b[1m";
pub const RESET: &str = "\x1b[0m";

fn title_line(text: &str, layout: Layout) -> String {
    if layout.bold {
        format!("{BOLD}{text}{RESET}\n")
    } else {
        format!("{text}\n")
    }
}

/// Every clause of the contract as English, grouped by party.
pub fn explain_contract(contract: &Contract, layout: Layout) -> String {
    let mut out = String::new();
    let title = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            ItemKind::Deal(title) => Some(title.value.clone()),
            _ => None,
        });
    out.push_str(&title_line(
        title.as_deref().unwrap_or(&contract.source.name),
        layout,
    ));
    let term = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            ItemKind::Effective(effective) => effective.end.as_ref(),
            _ => None,
        });
    match contract.effective() {
        Some(day) => {
            let line = term
                .and_then(|end| super::term_sentence(contract, day, end))
                .unwrap_or_else(|| format!("Effective {}.", date_words(day)));
            out.push_str(&wrap(&line, layout.width, "", ""));
        }
        None => out.push_str("No effective date: clauses apply from any date.\n"),
    }

    // Sections: each party that has clauses, in declaration order, then
    // parties named only as groups or `anyone`, then exclusivities.
    let mut sections: Vec<(Option<String>, Vec<crate::eval::ClauseId>)> = Vec::new();
    for (id, clause, _) in contract.clauses() {
        let party = clause_party(clause).map(str::to_string);
        match sections.iter_mut().find(|(p, _)| *p == party) {
            Some((_, ids)) => ids.push(id),
            None => sections.push((party, vec![id])),
        }
    }
    let declared_order = |party: &Option<String>| -> (usize, usize) {
        match party {
            None => (2, 0),
            Some(name) => match contract.symbols.get(name).and_then(|s| s.item) {
                Some(item) => (0, item),
                None => (1, 0),
            },
        }
    };
    sections.sort_by_key(|(party, _)| declared_order(party));

    for (party, ids) in &sections {
        out.push('\n');
        let head = match party {
            Some(name) => heading(contract, name),
            None => "Exclusivities (they bind every party)".to_string(),
        };
        out.push_str(&title_line(&head, layout));
        for &id in ids {
            let sentence = format!(
                "{}: {}",
                contract.clause_label(id),
                clause_sentence(contract, id)
            );
            out.push_str(&wrap(&sentence, layout.width, "  - ", "    "));
            if let Some(doc) = contract
                .file
                .items
                .get(id.0)
                .and_then(|item| item.doc.as_ref())
            {
                out.push_str(&wrap(&reflow(&doc.text), layout.width, "      ", "      "));
            }
        }
    }

    let events: Vec<String> = contract
        .events()
        .map(|event| {
            let mut line = format!("{}: {}", event.name.text, {
                let clause = event_clause(contract, &event.name.text);
                super::words::capitalised(&clause)
            });
            if let Some(by) = &event.by {
                line.push_str(&format!(" (caused by {})", name_phrase(contract, &by.text)));
            }
            if !event.after.is_empty() {
                let after: Vec<String> = event.after.iter().map(|a| a.text.clone()).collect();
                line.push_str(&format!(
                    "; it can happen only after {}",
                    super::words::join_words(&after, "and")
                ));
            }
            line.push('.');
            line
        })
        .collect();
    if !events.is_empty() {
        out.push('\n');
        out.push_str(&title_line("Events", layout));
        for line in &events {
            out.push_str(&wrap(line, layout.width, "  - ", "    "));
        }
    }

    let empty = Scenario::default();
    let day = contract.effective().unwrap_or(NaiveDate::MIN);
    let mut values = Vec::new();
    let mut facts = Vec::new();
    for item in &contract.file.items {
        match &item.kind {
            ItemKind::Let(decl) => {
                let text = format_expr(&decl.value);
                let line = match Env::new(contract, &empty, day).eval(&decl.value) {
                    Ok(value) if value.display() != text => {
                        format!("{} = {text} = {}", decl.name.text, reading(&value))
                    }
                    _ => format!("{} = {text}", decl.name.text),
                };
                values.push((line, item.doc.as_ref().map(|d| d.text.clone())));
            }
            ItemKind::Fact(decl) => {
                let mut line = format!("{}: {}", decl.name.text, fact_type(&decl.ty));
                if let Some(label) = declared_label(contract, &decl.name.text) {
                    line.push_str(&format!(" ({label})"));
                }
                if let Some(default) = &decl.default {
                    line.push_str(&format!(
                        ", {} unless a scenario says otherwise",
                        format_expr(default)
                    ));
                }
                facts.push((
                    line,
                    declared_doc(contract, &decl.name.text).map(str::to_string),
                ));
            }
            _ => {}
        }
    }
    for (title, entries) in [
        ("Named values", &values),
        ("Facts that scenarios supply", &facts),
    ] {
        if entries.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(&title_line(title, layout));
        for (line, doc) in entries.iter() {
            out.push_str(&wrap(line, layout.width, "  - ", "    "));
            if let Some(doc) = doc {
                out.push_str(&wrap(&reflow(doc), layout.width, "      ", "      "));
            }
        }
    }
    out
}

/// A doc comment as paragraphs: its lines joined, a blank line kept as a break.
pub fn reflow(doc: &str) -> String {
    doc.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn fact_type(ty: &crate::ast::TypeRef) -> String {
    crate::eval::type_of(ty).to_string()
}

/// Parties in declaration order (used by tests and by `diff`).
pub fn declared_parties(contract: &Contract) -> Vec<String> {
    contract
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Decl(decl) if decl.kind == DeclKind::Party => Some(decl.name.text.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_the_width_with_indents() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let wrapped = wrap(text, 30, "  - ", "    ");
        for line in wrapped.lines() {
            assert!(line.chars().count() <= 30, "{line:?}");
        }
        assert!(wrapped.starts_with("  - one"));
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("    ")));
        let words: Vec<&str> = wrapped.split_whitespace().filter(|w| *w != "-").collect();
        assert_eq!(words.join(" "), text);
    }

    #[test]
    fn a_long_word_gets_its_own_line() {
        let long = "x".repeat(50);
        let wrapped = wrap(&format!("a {long} b"), 30, "", "");
        assert_eq!(wrapped, format!("a\n{long}\nb\n"));
    }
}
