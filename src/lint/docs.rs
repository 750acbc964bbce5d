//! The rules' documentation, generated from the text each rule keeps next
//! to its pass (`Rule::doc`): the table and the sections of docs/lints.md,
//! and the plain-text forms SARIF and `deal check --explain` show.

use super::{RULES, Rule};
use crate::diagnostic::Severity;

/// The rules in the order docs/lints.md lists them: errors first.
pub fn documented_rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = RULES.iter().collect();
    rules.sort_by_key(|rule| rule.code.severity() != Severity::Error);
    rules
}

/// The Markdown table of docs/lints.md: code (linking to its section),
/// severity and what it catches.
pub fn rules_table() -> String {
    let mut table = String::from("| code | severity | catches |\n|---|---|---|\n");
    for rule in documented_rules() {
        let code = rule.code.as_str();
        table.push_str(&format!(
            "| [`{code}`](#{}) | {} | {} |\n",
            anchor(rule),
            rule.code.severity().as_str(),
            lowercase_first(rule.summary)
        ));
    }
    table
}

/// The anchor of a rule's section in docs/lints.md, as Markdown renderers
/// make it from the heading `` `deal::conflict` ``: `dealconflict`.
pub fn anchor(rule: &Rule) -> String {
    rule.code.as_str().replace("::", "")
}

/// One section of docs/lints.md per rule.
pub fn rules_sections() -> String {
    documented_rules()
        .iter()
        .map(|rule| rule_section(rule))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A rule's section: its code as a heading, then its documentation.
pub fn rule_section(rule: &Rule) -> String {
    format!("## `{}`\n\n{}\n", rule.code.as_str(), rule.doc.trim())
}

/// The paragraphs of `doc` that begin with one of `openings`, with the
/// openings and Markdown emphasis dropped and lines joined: one paragraph.
pub fn plain_paragraphs(doc: &str, openings: &[&str]) -> String {
    doc.split("\n\n")
        .filter_map(|paragraph| {
            let paragraph = paragraph.trim();
            openings
                .iter()
                .find_map(|opening| paragraph.strip_prefix(opening))
        })
        .map(|rest| rest.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" ")
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_documents_what_why_and_an_example() {
        for rule in RULES {
            for part in ["**What.**", "**Why.**", "```"] {
                assert!(rule.doc.contains(part), "{:?} lacks {part}", rule.code);
            }
            assert!(!rule.description().is_empty());
        }
    }

    #[test]
    fn the_description_is_the_what_and_why_paragraphs_in_plain_text() {
        let doc = "**What.** One\nthing.\n\n**Why.** A\nreason.\n\nBad:\n```\nx\n```";
        assert_eq!(
            plain_paragraphs(doc, &["**What.**", "**Why.**"]),
            "One thing. A reason."
        );
    }

    #[test]
    fn the_table_lists_errors_before_warnings() {
        let table = rules_table();
        let conflict = table.find("deal::conflict").unwrap_or(usize::MAX);
        let unused = table.find("deal::unused").unwrap_or(0);
        assert!(conflict < unused, "{table}");
    }
}
