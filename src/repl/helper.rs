//! Line editing for the interactive REPL: tab completion of commands,
//! keywords and declared names (of the kind expected at the cursor where
//! that is simple to tell), hints, syntax highlighting and the validator
//! that lets an unclosed `{`, `(` or string continue on the next line.
//!
//! Everything here works on a `Vocabulary`, a snapshot of the session's
//! names taken after each line, so the editor never borrows the session.

use super::commands::{COMMANDS, find};
use crate::Loaded;
use crate::ast::ItemKind;
use crate::symbols::SymbolKind;
use crate::syntax::lexer::{LexemeKind, is_name_char, lexemes};
use crate::syntax::{ITEM_KEYWORDS, KEYWORDS, QUALIFIER_KEYWORDS, TYPE_NAMES};
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;

/// The names a session knows, for completion and highlighting.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// Declared names with the kind they stand for (a group: its members').
    pub names: Vec<(String, SymbolKind)>,
    /// Every clause label (explicit, or `clause_LINE`).
    pub clause_labels: Vec<String>,
    /// Labels of `must` clauses: what `status` takes.
    pub obligation_labels: Vec<String>,
    pub assertion_labels: Vec<String>,
    pub scenarios: Vec<String>,
}

impl Vocabulary {
    /// The names of a loaded contract (also one that does not evaluate).
    pub fn of(loaded: &Loaded) -> Vocabulary {
        let symbols = &loaded.symbols;
        let mut vocabulary = Vocabulary {
            names: symbols
                .names()
                .filter_map(|(name, _)| {
                    symbols
                        .effective_kind(name)
                        .map(|kind| (name.to_string(), kind))
                })
                .collect(),
            ..Vocabulary::default()
        };
        vocabulary.names.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(file) = &loaded.file {
            for (i, item) in file.items.iter().enumerate() {
                match &item.kind {
                    ItemKind::Clause(clause) => {
                        let label = symbols.clause_label(i).unwrap_or_default().to_string();
                        if matches!(
                            clause.body,
                            crate::ast::ClauseBody::Act {
                                modality: crate::ast::Modality::Must,
                                ..
                            }
                        ) {
                            vocabulary.obligation_labels.push(label.clone());
                        }
                        vocabulary.clause_labels.push(label);
                    }
                    ItemKind::Assert(assertion) => vocabulary
                        .assertion_labels
                        .push(assertion.label.text.clone()),
                    ItemKind::Scenario(scenario) => {
                        vocabulary.scenarios.push(scenario.name.text.clone())
                    }
                    _ => {}
                }
            }
        }
        vocabulary
    }

    fn names_of(&self, kinds: &[SymbolKind]) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .filter(move |(_, kind)| kinds.contains(kind))
            .map(|(name, _)| name.as_str())
    }

    fn kind_of(&self, name: &str) -> Option<SymbolKind> {
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, kind)| *kind)
    }
}

// ---------------------------------------------------------------- completion

/// What the cursor's word may be.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expect {
    Commands,
    Files,
    /// These words (keywords, labels, scenario names...).
    Words(Vec<String>),
}

/// The start of the word that ends at `pos`.
fn word_start(line: &str, pos: usize) -> usize {
    let before = line.get(..pos).unwrap_or(line);
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map_or(pos, |(i, _)| i)
}

/// Tokens of a line: words, literals and single punctuation characters
/// (`==`-style operators come out as two characters, which is enough here).
/// Strings and comments are dropped.
fn tokens(text: &str) -> Vec<String> {
    lexemes(text)
        .filter(|l| {
            matches!(
                l.kind,
                LexemeKind::Word | LexemeKind::Literal | LexemeKind::Punct
            )
        })
        .map(|l| l.text.to_string())
        .collect()
}

fn owned<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    words.into_iter().map(str::to_string).collect()
}

/// What may stand at the cursor, from the tokens before it on its line.
fn expected(vocabulary: &Vocabulary, input: &str, line_before: &str) -> Expect {
    use SymbolKind::*;
    let names = |kinds: &[SymbolKind]| owned(vocabulary.names_of(kinds));
    let trimmed = input.trim_start();
    if let Some(command) = trimmed.strip_prefix(':') {
        let words: Vec<&str> = command.split_whitespace().collect();
        let ends_in_space = command.ends_with(char::is_whitespace);
        let arg = if ends_in_space {
            words.len().saturating_sub(1)
        } else {
            words.len().saturating_sub(2)
        };
        if words.is_empty() || (words.len() == 1 && !ends_in_space) {
            return Expect::Commands;
        }
        return match (words.first().copied().unwrap_or(""), arg) {
            ("help", 0) => Expect::Words(owned(COMMANDS.iter().map(|c| c.name))),
            ("load", _) => Expect::Files,
            ("at", 0) => Expect::Words(owned(["today"])),
            ("event", 0) | ("unevent", 0) => Expect::Words(names(&[Event])),
            ("event", 1) => Expect::Words(owned(["never"])),
            ("fact", 0) => Expect::Words(names(&[Fact])),
            ("status", 0) => Expect::Words(vocabulary.obligation_labels.clone()),
            ("scenario", 0) => {
                let mut words = vocabulary.scenarios.clone();
                words.push("none".to_string());
                Expect::Words(words)
            }
            ("explain", 0) => {
                let mut words = vocabulary.clause_labels.clone();
                words.extend(vocabulary.assertion_labels.iter().cloned());
                words.extend(vocabulary.names.iter().map(|(n, _)| n.clone()));
                Expect::Words(words)
            }
            _ => Expect::Words(Vec::new()),
        };
    }
    let tokens = tokens(line_before);
    let token = |i: usize| tokens.get(i).map(String::as_str);
    let Some(last) = tokens.last().map(String::as_str) else {
        let mut words = owned(ITEM_KEYWORDS.iter().copied());
        words.extend(vocabulary.names.iter().map(|(n, _)| n.clone()));
        return Expect::Words(words);
    };
    let first = token(0).unwrap_or("");
    // The keyword of the clause body (`may`, `must`, `holds`), if any, and where.
    let modal = tokens
        .iter()
        .position(|t| matches!(t.as_str(), "may" | "must" | "holds"));
    let query_form = modal == Some(0);
    let time = || {
        let mut words = names(&[Event, Let]);
        words.sort();
        words
    };
    let condition = || {
        let mut words = names(&[Fact, Event, Let]);
        words.sort();
        words
    };
    // The keyword a `,` continues the list of.
    let listed_after = |keyword: &str| {
        tokens
            .iter()
            .rev()
            .find(|t| is_keyword(t))
            .is_some_and(|t| t == keyword)
    };
    let words = match last {
        "may" | "must" if query_form => names(&[Party]),
        "may" | "must" => names(&[Action]),
        "not" if token(tokens.len().wrapping_sub(2)) == Some("must") => names(&[Action]),
        "holds" if query_form => names(&[Party]),
        "holds" => {
            let mut words = names(&[Asset, Party]);
            words.insert(0, "no".to_string());
            words
        }
        "no" | "exclusive" => names(&[Asset]),
        // `only anyone` is `deal::wrong-kind`.
        "only" => {
            let mut words = names(&[Party]);
            words.retain(|w| w != crate::symbols::ANYONE);
            words
        }
        "on" => names(&[Venue]),
        "to" | "with" => names(&[Party]),
        "by" if first == "event" => names(&[Party]),
        "from" | "until" | "by" => time(),
        "through" => names(&[Let]),
        "after" => names(&[Event]),
        "when" | "unless" | "and" | "or" | "=" | "<" | ">" | "+" | "-" | "*" | "/" | "(" => {
            condition()
        }
        "status" => vocabulary.obligation_labels.clone(),
        "notwithstanding" => vocabulary.clause_labels.clone(),
        "of" => names(&[Asset, Party]),
        ":" if first == "fact" => {
            let mut words = owned(TYPE_NAMES.iter().copied());
            words.extend(names(&[Unit]));
            words
        }
        "," if listed_after("notwithstanding") => vocabulary.clause_labels.clone(),
        "," if listed_after("on") => names(&[Venue]),
        "," if listed_after("to") || listed_after("with") => names(&[Party]),
        "," if listed_after("after") => names(&[Event]),
        "party" | "event" | "asset" | "venue" | "action" | "unit" | "group" | "let" | "fact"
        | "scenario" | "assert" => Vec::new(),
        _ => positional(vocabulary, &tokens, modal),
    };
    Expect::Words(words)
}

fn is_keyword(word: &str) -> bool {
    crate::syntax::is_keyword(word)
}

/// After a name: the next slot of `may P A X` / `P may A X` / `holds P X`.
fn positional(vocabulary: &Vocabulary, tokens: &[String], modal: Option<usize>) -> Vec<String> {
    use SymbolKind::*;
    let names = |kinds: &[SymbolKind]| owned(vocabulary.names_of(kinds));
    let qualifiers = || owned(QUALIFIER_KEYWORDS.iter().copied());
    let Some(k) = modal else {
        let mut words = owned(KEYWORDS.iter().copied());
        words.extend(vocabulary.names.iter().map(|(n, _)| n.clone()));
        return words;
    };
    let keyword = tokens.get(k).map(String::as_str).unwrap_or("");
    // Words after the modal keyword (skipping `not`, `no` and `Q of`).
    let after: Vec<&str> = tokens
        .iter()
        .skip(k + 1)
        .map(String::as_str)
        .filter(|t| !matches!(*t, "not" | "no"))
        .collect();
    if let Some(of) = after.iter().position(|t| *t == "of") {
        return if after.len() > of + 1 {
            qualifiers()
        } else {
            names(&[Asset, Party])
        };
    }
    match (keyword, k == 0, after.len()) {
        ("may" | "must", true, 1) => names(&[Action]),
        ("may" | "must", true, 2) => names(&[Asset]),
        ("may" | "must", false, 1) => names(&[Asset]),
        ("holds", true, 1) => names(&[Asset, Party]),
        _ => qualifiers(),
    }
}

/// Completions for the word that ends at `pos`: its start and the candidates
/// (commands with their colon), sorted, each once.
pub fn complete_words(vocabulary: &Vocabulary, line: &str, pos: usize) -> (usize, Vec<String>) {
    let pos = pos.min(line.len());
    let start = word_start(line, pos);
    let prefix = line.get(start..pos).unwrap_or("");
    let before = line.get(..start).unwrap_or("");
    let line_before = before.rsplit('\n').next().unwrap_or(before);
    match expected(vocabulary, line.get(..pos).unwrap_or(line), line_before) {
        Expect::Commands => {
            let start = line.get(..pos).and_then(|b| b.rfind(':')).unwrap_or(start);
            let typed = line.get(start + 1..pos).unwrap_or("");
            let mut found: Vec<String> = COMMANDS
                .iter()
                .filter(|c| c.name.starts_with(typed))
                .map(|c| format!(":{}", c.name))
                .collect();
            found.sort();
            (start, found)
        }
        Expect::Files => (start, Vec::new()),
        Expect::Words(mut words) => {
            words.retain(|w| w.starts_with(prefix));
            words.sort();
            words.dedup();
            (start, words)
        }
    }
}

// ---------------------------------------------------------------- highlighting

mod style {
    pub const RESET: &str = "\x1b[0m";
    pub const KEYWORD: &str = "\x1b[1;34m";
    pub const NAME: &str = "\x1b[36m";
    pub const LITERAL: &str = "\x1b[32m";
    pub const STRING: &str = "\x1b[33m";
    pub const COMMENT: &str = "\x1b[2m";
    pub const COMMAND: &str = "\x1b[1;35m";
    pub const HINT: &str = "\x1b[2m";
}

/// The line with ANSI colours: keywords, declared names, literals, strings,
/// comments and a leading `:command`. The text itself is unchanged.
pub fn highlight(vocabulary: &Vocabulary, line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let paint = |out: &mut String, colour: &str, text: &str| {
        out.push_str(colour);
        out.push_str(text);
        out.push_str(style::RESET);
    };
    if line.trim_start().starts_with(':') {
        let end = line
            .char_indices()
            .skip_while(|(_, c)| c.is_whitespace())
            .find(|(_, c)| c.is_whitespace())
            .map_or(line.len(), |(i, _)| i);
        paint(&mut out, style::COMMAND, &line[..end]);
        out.push_str(&line[end..]);
        return out;
    }
    for lexeme in lexemes(line) {
        let colour = match lexeme.kind {
            LexemeKind::Comment => Some(style::COMMENT),
            LexemeKind::Str { .. } => Some(style::STRING),
            LexemeKind::Literal => Some(style::LITERAL),
            LexemeKind::Word if is_keyword(lexeme.text) => Some(style::KEYWORD),
            LexemeKind::Word if vocabulary.kind_of(lexeme.text).is_some() => Some(style::NAME),
            _ => None,
        };
        match colour {
            Some(colour) => paint(&mut out, colour, lexeme.text),
            None => out.push_str(lexeme.text),
        }
    }
    out
}

// ---------------------------------------------------------------- rustyline glue

/// A hint shown after the cursor; `completion` is what Right-arrow inserts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealHint {
    display: String,
    completion: Option<String>,
}

impl Hint for DealHint {
    fn display(&self) -> &str {
        &self.display
    }

    fn completion(&self) -> Option<&str> {
        self.completion.as_deref()
    }
}

/// The hint for a line with the cursor at `pos`: the rest of the only
/// completion of the word being typed, or the arguments a command takes.
pub fn hint_for(vocabulary: &Vocabulary, line: &str, pos: usize) -> Option<DealHint> {
    if pos < line.len() {
        return None;
    }
    let trimmed = line.trim_start();
    if let Some(command) = trimmed.strip_prefix(':') {
        let name = command.trim_end();
        if command.ends_with(' ') && !name.contains(' ') {
            let info = find(name)?;
            return (!info.args.is_empty()).then(|| DealHint {
                display: info.args.to_string(),
                completion: None,
            });
        }
    }
    let (start, candidates) = complete_words(vocabulary, line, pos);
    let typed = line.get(start..pos)?;
    match candidates.as_slice() {
        [only] if only.len() > typed.len() && !typed.is_empty() && only.starts_with(typed) => {
            let rest = only.get(typed.len()..)?.to_string();
            Some(DealHint {
                display: rest.clone(),
                completion: Some(rest),
            })
        }
        _ => None,
    }
}

/// The rustyline helper of an interactive session.
pub struct DealHelper {
    pub vocabulary: Vocabulary,
    /// Colours allowed (a terminal, and NO_COLOR unset).
    pub color: bool,
    files: FilenameCompleter,
}

impl DealHelper {
    pub fn new(vocabulary: Vocabulary, color: bool) -> DealHelper {
        DealHelper {
            vocabulary,
            color,
            files: FilenameCompleter::new(),
        }
    }
}

impl Completer for DealHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = line.get(..pos).unwrap_or(line);
        if matches!(expected(&self.vocabulary, before, before), Expect::Files) {
            return self.files.complete_path(line, pos);
        }
        let (start, words) = complete_words(&self.vocabulary, line, pos);
        let single = words.len() == 1;
        Ok((
            start,
            words
                .into_iter()
                .map(|word| Pair {
                    display: word.clone(),
                    // A lone candidate is finished: the next word can follow.
                    replacement: if single { format!("{word} ") } else { word },
                })
                .collect(),
        ))
    }
}

impl Hinter for DealHelper {
    type Hint = DealHint;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<DealHint> {
        hint_for(&self.vocabulary, line, pos)
    }
}

impl Highlighter for DealHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(highlight(&self.vocabulary, line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{}{hint}{}", style::HINT, style::RESET))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _forced: bool) -> bool {
        self.color
    }
}

/// Every line is complete for the editor: the loop reads continuation lines
/// itself, with their own prompt (`repl::loop::read_item`).
impl Validator for DealHelper {}

impl Helper for DealHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn vocabulary() -> Vocabulary {
        let text = "party openai\nparty microsoft\nasset api\nvenue azure\nvenue gcp\n\
                    action host\nevent agi_verified\nfact compute: number\nlet stake = 27%\n\
                    api_exclusive: exclusive api on azure until agi_verified\n\
                    pay: openai must host api\n\
                    scenario early { agi_verified on 2028-01-01 }\n";
        Vocabulary::of(&crate::load(SourceFile::new("t.deal", text)))
    }

    fn complete(line: &str) -> Vec<String> {
        complete_words(&vocabulary(), line, line.len()).1
    }

    #[test]
    fn commands_complete_with_their_colon() {
        assert_eq!(complete(":he"), vec![":help"]);
        assert_eq!(complete(":un"), vec![":undo", ":unevent"]);
        assert_eq!(complete_words(&vocabulary(), ":he", 3).0, 0);
    }

    #[test]
    fn command_arguments_complete_by_kind() {
        assert_eq!(complete(":event ag"), vec!["agi_verified"]);
        assert_eq!(complete(":scenario "), vec!["early", "none"]);
        assert_eq!(complete(":explain api_"), vec!["api_exclusive"]);
        assert_eq!(complete(":fact c"), vec!["compute"]);
        assert_eq!(complete(":event agi_verified n"), vec!["never"]);
    }

    #[test]
    fn query_slots_complete_by_kind() {
        assert_eq!(complete("may o"), vec!["openai"]);
        assert_eq!(complete("may openai h"), vec!["host"]);
        assert_eq!(complete("may openai host a"), vec!["api"]);
        assert_eq!(
            complete("may openai host api on "),
            vec!["anywhere", "azure", "gcp"]
        );
        assert_eq!(complete("status "), vec!["pay"]);
        assert_eq!(complete("holds m"), vec!["microsoft"]);
    }

    #[test]
    fn clause_slots_complete_by_kind() {
        assert_eq!(complete("x: openai may h"), vec!["host"]);
        assert_eq!(complete("x: openai may host a"), vec!["api"]);
        assert_eq!(
            complete("x: openai may host api until a"),
            vec!["agi_verified"]
        );
        assert_eq!(
            complete("x: openai may host api notwithstanding api"),
            vec!["api_exclusive"]
        );
        assert_eq!(complete("x: openai may host api on azure, g"), vec!["gcp"]);
        assert_eq!(complete("fact f: n"), vec!["number"]);
    }

    #[test]
    fn the_start_of_a_line_offers_keywords_and_names() {
        let words = complete("st");
        assert!(words.contains(&"status".to_string()), "{words:?}");
        assert!(words.contains(&"stake".to_string()), "{words:?}");
    }

    #[test]
    fn hints_finish_a_unique_word_or_show_arguments() {
        let v = vocabulary();
        let hint = hint_for(&v, "may open", 8).unwrap();
        assert_eq!(hint.display(), "ai");
        assert_eq!(hint.completion(), Some("ai"));
        let hint = hint_for(&v, ":event ", 7).unwrap();
        assert_eq!(hint.display(), "NAME DATE|never");
        assert_eq!(hint.completion(), None);
        assert!(hint_for(&v, "may open", 3).is_none());
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let v = vocabulary();
        for line in [
            "may openai host api on gcp",
            "x: openai may host api until 2028-01-01 // note",
            "let y = $1.5B / 27% + 5e26",
            "party p \"unterminated",
            ":event agi_verified 2028-01-01",
            "é ü → ∞ \u{0}",
        ] {
            let painted = highlight(&v, line);
            let plain = strip_ansi(&painted);
            assert_eq!(plain, line);
        }
        let painted = highlight(&v, "may openai");
        assert!(painted.contains(&format!("{}may{}", style::KEYWORD, style::RESET)));
        assert!(painted.contains(&format!("{}openai{}", style::NAME, style::RESET)));
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
