//! How a contract's names read in English: declaration labels where the
//! author wrote one, the identifier with its underscores as spaces where not.
//!
//! Labels are written for a heading ("Third parties: other clouds,
//! co-development partners, customers"); inside a sentence only the part
//! before `": "` is used, so a long gloss does not swallow the sentence.

use crate::ast::{DeclKind, ItemKind};
use crate::eval::{Contract, Scenario, Value};
use crate::symbols::{ANYONE, ANYWHERE, SymbolKind};
use chrono::NaiveDate;

/// The label written on `name`'s declaration, if any.
pub fn declared_label<'c>(contract: &'c Contract, name: &str) -> Option<&'c str> {
    let item = contract.symbols.get(name)?.item?;
    let label = match &contract.file.items.get(item)?.kind {
        ItemKind::Decl(decl) => decl.label.as_ref(),
        ItemKind::Group(group) => group.label.as_ref(),
        ItemKind::Fact(fact) => fact.label.as_ref(),
        _ => None,
    }?;
    Some(label.value.as_str()).filter(|l| !l.trim().is_empty())
}

/// The doc comment on `name`'s declaration, if any.
pub fn declared_doc<'c>(contract: &'c Contract, name: &str) -> Option<&'c str> {
    let item = contract.symbols.get(name)?.item?;
    contract
        .file
        .items
        .get(item)?
        .doc
        .as_ref()
        .map(|d| d.text.as_str())
}

/// An identifier as words: `research_ip` reads "research ip".
pub fn spaced(name: &str) -> String {
    name.replace('_', " ")
}

/// The in-sentence form of a label: the part before `": "`, trimmed.
pub fn short_label(label: &str) -> &str {
    label.split(": ").next().unwrap_or(label).trim()
}

/// How `name` reads inside a sentence: its short label, or the spaced
/// identifier. The wildcards read "anyone" and "any venue".
pub fn name_phrase(contract: &Contract, name: &str) -> String {
    match name {
        ANYONE => "anyone".to_string(),
        ANYWHERE => "any venue".to_string(),
        _ => match declared_label(contract, name) {
            Some(label) => mid_sentence(contract, short_label(label)),
            None => spaced(name),
        },
    }
}

/// A name as the heading of a section: the whole label and the identifier.
pub fn heading(contract: &Contract, name: &str) -> String {
    match name {
        ANYONE => "Anyone".to_string(),
        _ => match declared_label(contract, name) {
            Some(label) => format!("{label} ({name})"),
            None => name.to_string(),
        },
    }
}

/// A group reads as its label, or its members joined with `conjunction`;
/// any other name as `name_phrase`.
pub fn set_phrase(contract: &Contract, names: &[String], conjunction: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for name in names {
        let is_unlabelled_group = contract.symbols.kind(name) == Some(SymbolKind::Group)
            && declared_label(contract, name).is_none();
        if is_unlabelled_group {
            for member in contract.symbols.expand(name) {
                parts.push(name_phrase(contract, &member));
            }
        } else {
            parts.push(name_phrase(contract, name));
        }
    }
    join_words(&parts, conjunction)
}

/// An `on` set in words with its preposition: territories read "in" with
/// their article ("in the European Union", "in Japan"), anything else "on"
/// ("on Microsoft Azure"). "in" only when every venue named is a territory.
pub fn venue_phrase(contract: &Contract, names: &[String]) -> String {
    let mut venues: Vec<String> = Vec::new();
    for name in names {
        let is_unlabelled_group = contract.symbols.kind(name) == Some(SymbolKind::Group)
            && declared_label(contract, name).is_none();
        if is_unlabelled_group {
            venues.extend(contract.symbols.expand(name));
        } else {
            venues.push(name.clone());
        }
    }
    let territories: Option<Vec<String>> = venues
        .iter()
        .map(|venue| territory_phrase(contract, venue))
        .collect();
    match territories {
        Some(phrases) if !phrases.is_empty() => format!("in {}", join_words(&phrases, "or")),
        _ => format!("on {}", set_phrase(contract, names, "or")),
    }
}

/// Words that end the name of a territory that takes "the": "the European
/// Union", "the United States", "the Asia-Pacific region".
const TERRITORY_NOUNS: [&str; 13] = [
    "Union",
    "States",
    "Kingdom",
    "Republic",
    "Emirates",
    "Federation",
    "Area",
    "Region",
    "region",
    "Territory",
    "Territories",
    "Islands",
    "Netherlands",
];

/// Territories whose name is an abbreviation read with "the".
const TERRITORY_ABBREVIATIONS: [&str; 7] = ["EU", "EEA", "US", "USA", "UK", "UAE", "PRC"];

/// Territories named without an article.
const TERRITORY_NAMES: [&str; 24] = [
    "Europe",
    "Asia",
    "Africa",
    "America",
    "Oceania",
    "Japan",
    "China",
    "India",
    "Canada",
    "Mexico",
    "Brazil",
    "Australia",
    "Germany",
    "France",
    "Italy",
    "Spain",
    "Switzerland",
    "Korea",
    "Singapore",
    "Israel",
    "Ireland",
    "England",
    "Scotland",
    "Wales",
];

/// A venue as a territory with its article, or None when its label (or
/// name) does not read as one.
fn territory_phrase(contract: &Contract, venue: &str) -> Option<String> {
    let words = name_phrase(contract, venue);
    let bare = words.strip_prefix("the ").unwrap_or(&words);
    let last = bare
        .split_whitespace()
        .next_back()?
        .trim_matches(|c: char| !c.is_alphanumeric());
    if words.starts_with("the ") {
        Some(words)
    } else if TERRITORY_NOUNS.contains(&last)
        || TERRITORY_ABBREVIATIONS.contains(&bare.to_uppercase().as_str())
            && bare.chars().all(|c| c.is_ascii_uppercase())
    {
        Some(format!("the {bare}"))
    } else if TERRITORY_NAMES.contains(&last) {
        Some(bare.to_string())
    } else {
        None
    }
}

/// "a", "a and b", "a, b and c".
pub fn join_words(parts: &[String], conjunction: &str) -> String {
    match parts {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// A label used mid-sentence. Labels are written in sentence case ("The
/// expert panel verifies ...", "Frontier model partnership"), so the first
/// letter is lowered when the label reads that way: an article ("The EMA
/// approves" reads "the EMA approves"), or two words or more, the first
/// capitalised and otherwise lower case and the second in lower case, unless
/// the first word is a proper noun of the contract ("Marlow's books" keeps
/// its capital: see `is_proper_noun`). "OpenAI declares AGI" stays as it is.
pub fn mid_sentence(contract: &Contract, text: &str) -> String {
    let mut words = text.split_whitespace();
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return text.to_string();
    };
    let is_article = ARTICLES.contains(&first);
    let mut chars = first.chars();
    let sentence_case = chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| !c.is_uppercase())
        && second.starts_with(|c: char| c.is_lowercase());
    if !is_article && (!sentence_case || is_proper_noun(contract, first)) {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Capitalised articles that begin a sentence-case label.
const ARTICLES: [&str; 3] = ["The", "A", "An"];

/// Whether `word` (a possessive `'s` set aside) names something of the
/// contract: a party's name ("Marlow" for `party marlow`), the first word
/// of a party's label written as a name ("Marlow Pharma", not "Third
/// parties"), or a word written capitalised after the first word of a
/// label or of the title.
fn is_proper_noun(contract: &Contract, word: &str) -> bool {
    let stem = word
        .trim_end_matches("'s")
        .trim_end_matches("\u{2019}s")
        .trim_matches(|c: char| !c.is_alphanumeric());
    if stem.is_empty() {
        return false;
    }
    if contract.symbols.effective_kind(&stem.to_lowercase()) == Some(SymbolKind::Party) {
        return true;
    }
    let same = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()) == stem;
    contract.file.items.iter().any(|item| {
        let (label, is_party) = match &item.kind {
            ItemKind::Decl(decl) => (decl.label.as_ref(), decl.kind == DeclKind::Party),
            ItemKind::Group(group) => (group.label.as_ref(), false),
            ItemKind::Fact(fact) => (fact.label.as_ref(), false),
            ItemKind::Deal(title) => (Some(title), false),
            _ => (None, false),
        };
        label.is_some_and(|l| {
            // A party's label names it when it is not itself in sentence
            // case: "Marlow" or "Marlow Pharma", not "Third parties".
            let mut words = l.value.split_whitespace();
            let first = words.next();
            let second_capitalised = words
                .next()
                .is_none_or(|w| w.starts_with(|c: char| c.is_uppercase()));
            let first_names_it = is_party && second_capitalised && first.is_some_and(same);
            first_names_it || l.value.split_whitespace().skip(1).any(same)
        })
    })
}

/// The first letter in upper case, for the start of a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether a noun phrase reads as plural ("OpenAI API products are"): its
/// head, the words before the first preposition or colon, ends in a plural
/// `s`. A heuristic for English labels; identifiers read as singular.
pub fn is_plural(phrase: &str) -> bool {
    const BREAKS: [&str; 11] = [
        "to",
        "of",
        "for",
        "with",
        "developed",
        "in",
        "on",
        "from",
        "that",
        "which",
        "by",
    ];
    let head = phrase.split([':', ',', '(']).next().unwrap_or(phrase);
    let last = head
        .split_whitespace()
        .take_while(|w| !BREAKS.contains(w))
        .last()
        .unwrap_or("");
    last.len() > 2
        && last.ends_with('s')
        && !last.ends_with("ss")
        && !last.ends_with("us")
        && !last.ends_with("is")
}

/// A date as words: 31 December 2032.
pub fn date_words(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A value for a reader: money rounded to the cent when its literal would
/// be long (`$16,666,666.67`), everything else as its literal.
pub fn reading(value: &Value) -> String {
    match value {
        Value::Money(amount) => amount.money_reading(),
        _ => value.display(),
    }
}

/// A `let` that needs no fact or event, evaluated: its value as a literal.
pub fn constant_let(contract: &Contract, name: &str) -> Option<Value> {
    let decl = contract.let_decl(name)?;
    let empty = Scenario::default();
    let day = contract.effective().unwrap_or(NaiveDate::MIN);
    crate::eval::Env::new(contract, &empty, day)
        .eval(&decl.value)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_heads() {
        assert!(is_plural("OpenAI API products"));
        assert!(is_plural("IP rights to models and products"));
        assert!(is_plural("API products developed with third parties"));
        assert!(!is_plural("Pursuit of AGI"));
        assert!(!is_plural("Frontier model partnership"));
        assert!(!is_plural("Warrant for more OpenAI shares"));
        assert!(!is_plural("api"));
        assert!(!is_plural("Special status"));
    }

    #[test]
    fn short_labels_and_lists() {
        assert_eq!(
            short_label("Third parties: other clouds, customers"),
            "Third parties"
        );
        assert_eq!(short_label("Microsoft Azure"), "Microsoft Azure");
        let words: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(join_words(&words, "or"), "a, b or c");
        assert_eq!(join_words(&words[..1], "or"), "a");
        assert_eq!(
            date_words("2032-12-31".parse().unwrap()),
            "31 December 2032"
        );
    }
}
