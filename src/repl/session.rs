//! The state of one REPL session and what a typed line does to it.
//!
//! The session's contract is the loaded file's text with every item typed
//! since appended to it, each chunk on lines of its own. Appending keeps
//! every span valid (the file's lines keep their numbers; a typed clause
//! without a label is `clause_LINE` with LINE counted past the file's end),
//! and the whole text is re-loaded with `crate::load` after each change, so
//! the REPL evaluates exactly what `deal query` would on the same text.
//! `:undo` drops the last chunk.
//!
//! A typed line is parsed at the offset where it would be appended, so the
//! spans of its diagnostics never collide with the contract's. Diagnostics
//! are then rendered against the text they point into: the file's, or the
//! typed line's own (`<input>`, or `<typed N>` for an item typed earlier),
//! with labels elsewhere turned into "see ..." notes.

use crate::ast::{ItemKind, Query};
use crate::diagnostic::{Code, Diagnostic, Label, RenderStyle};
use crate::eval::{Answer, Change, Contract, Scenario};
use crate::limits::MAX_TYPED_RECHECK_BYTES;
use crate::render::answer::{Explained, clause_window, render_human};
use crate::render::ask::{answer_checked, check_typed_query};
use crate::render::files::{display_name, read_source};
use crate::render::report::{FileReport, human, plural};
use crate::render::scenario_args::{ScenarioArgs, suggestion};
use crate::source::{SourceFile, Span};
use crate::symbols::SymbolKind;
use crate::syntax::{ReplInput, parse_repl_input};
use crate::{Loaded, load};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The display name of a session without a file.
pub const NO_FILE: &str = "<repl>";

/// What one line did: results for stdout, problems for stderr.
#[derive(Debug, Default)]
pub struct Reply {
    /// Command results and answers, for stdout.
    pub output: String,
    /// Diagnostics and one-line errors, for stderr.
    pub problems: Vec<Problem>,
    /// The line asked to end the session.
    pub quit: bool,
}

/// A problem a line reported.
#[derive(Debug)]
pub enum Problem {
    /// A diagnostic, with the text its spans point into.
    Diagnostic {
        source: SourceFile,
        diagnostic: Diagnostic,
    },
    /// A one-line error (`error: ...`): commands, files.
    Error(String),
}

impl Problem {
    pub fn is_error(&self) -> bool {
        match self {
            Problem::Diagnostic { diagnostic, .. } => diagnostic.is_error(),
            Problem::Error(_) => true,
        }
    }
}

impl Reply {
    pub fn output(text: impl Into<String>) -> Reply {
        Reply {
            output: text.into(),
            ..Reply::default()
        }
    }

    pub fn error(message: impl Into<String>) -> Reply {
        Reply {
            problems: vec![Problem::Error(message.into())],
            ..Reply::default()
        }
    }

    /// Whether the line failed: it reported an error (warnings do not count).
    pub fn failed(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// Append a line of output.
    pub fn say(&mut self, line: impl AsRef<str>) {
        self.output.push_str(line.as_ref());
        if !self.output.ends_with('\n') {
            self.output.push('\n');
        }
    }

    /// The problems as a human reads them.
    pub fn render_problems(&self, style: RenderStyle) -> String {
        let mut out = String::new();
        for problem in &self.problems {
            match problem {
                Problem::Diagnostic { source, diagnostic } => out.push_str(&human(
                    &[FileReport {
                        source: source.clone(),
                        diagnostics: vec![diagnostic.clone()],
                    }],
                    style,
                )),
                Problem::Error(message) => {
                    out.push_str("error: ");
                    out.push_str(message);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// The contract text of a session and everything loading it produced.
#[derive(Clone, Debug)]
pub(super) struct Build {
    /// Where each typed chunk starts in the text.
    pub chunk_starts: Vec<usize>,
    pub loaded: Loaded,
    /// Everything `deal check` would report on the text.
    pub diagnostics: Vec<Diagnostic>,
    /// The contract, when it parses and resolves.
    pub contract: Option<Contract>,
}

impl Build {
    fn new(name: &str, base: &str, typed: &[String]) -> Build {
        let mut text = String::from(base);
        let mut chunk_starts = Vec::with_capacity(typed.len());
        for chunk in typed {
            chunk_starts.push(text.len());
            text.push_str(chunk);
        }
        let source = SourceFile::new(name, text);
        let loaded = load(source);
        let contract = loaded.contract().ok();
        let diagnostics = crate::lint_loaded(&loaded, contract.as_ref());
        Build {
            chunk_starts,
            loaded,
            diagnostics,
            contract,
        }
    }

    pub fn source(&self) -> &SourceFile {
        &self.loaded.source
    }

    fn item_count(&self) -> Option<usize> {
        self.loaded.file.as_ref().map(|f| f.items.len())
    }

    /// Where a typed chunk is: its start, its text and its name.
    fn chunks(&self) -> impl Iterator<Item = (usize, &str, String)> {
        let text = &self.loaded.source.text;
        let ends = self
            .chunk_starts
            .iter()
            .skip(1)
            .copied()
            .chain(std::iter::once(text.len()));
        self.chunk_starts
            .iter()
            .zip(ends)
            .enumerate()
            .map(|(i, (&start, end))| {
                (
                    start,
                    text.get(start..end).unwrap_or(""),
                    format!("<typed {}>", i + 1),
                )
            })
    }

    /// "x.deal:12:5" or "<typed 2>:1:5" for an offset into the text.
    fn place(&self, offset: usize) -> String {
        if let Some((start, text, name)) = self
            .chunks()
            .filter(|(start, _, _)| *start <= offset)
            .last()
        {
            let local = SourceFile::new(name.clone(), text.to_string());
            let (line, column) = local.line_col(offset - start);
            return format!("{name}:{line}:{column}");
        }
        let (line, column) = self.source().line_col(offset);
        format!("{}:{line}:{column}", self.source().name)
    }

    /// A diagnostic with the text it is best shown against. `input` is a
    /// line parsed at the end of the text (its spans start at the text's
    /// length); `last_is_input` names the last chunk `<input>` (an item
    /// just typed).
    pub fn localize(
        &self,
        diagnostic: Diagnostic,
        input: Option<&str>,
        last_is_input: bool,
    ) -> Problem {
        let mut segments: Vec<(usize, String, String)> = self
            .chunks()
            .map(|(start, text, name)| (start, text.to_string(), name))
            .collect();
        if last_is_input && let Some(last) = segments.last_mut() {
            last.2 = "<input>".to_string();
        }
        if let Some(text) = input {
            segments.push((
                self.source().text.len(),
                text.to_string(),
                "<input>".to_string(),
            ));
        }
        let at = diagnostic.primary_span().start;
        let Some((start, text, name)) = segments
            .into_iter()
            .rev()
            .find(|(start, text, _)| at >= *start && at <= start + text.len())
        else {
            return Problem::Diagnostic {
                source: self.source().clone(),
                diagnostic,
            };
        };
        let end = start + text.len();
        let mut local = Diagnostic {
            labels: Vec::new(),
            ..diagnostic.clone()
        };
        for label in diagnostic.labels {
            if label.span.start >= start && label.span.end <= end {
                local.labels.push(Label {
                    span: Span::new(label.span.start - start, label.span.end - start),
                    message: label.message,
                });
            } else {
                let what = if label.message.is_empty() {
                    "see".to_string()
                } else {
                    label.message
                };
                local
                    .notes
                    .push(format!("{what}: {}", self.place(label.span.start)));
            }
        }
        Problem::Diagnostic {
            source: SourceFile::new(name, text),
            diagnostic: local,
        }
    }
}

/// The last answer, kept whole for `:why`.
#[derive(Clone, Debug)]
pub(super) struct LastAnswer {
    pub text: String,
    pub contract: Contract,
    pub scenario: Scenario,
    pub query: Query,
    pub day: NaiveDate,
    pub answer: Answer,
    pub change: Option<Change>,
    /// Facts the answer read.
    pub reads: BTreeSet<String>,
}

impl LastAnswer {
    pub fn explained(&self) -> Explained<'_> {
        Explained {
            contract: &self.contract,
            scenario: &self.scenario,
            query_text: &self.text,
            query: &self.query,
            day: self.day,
            answer: &self.answer,
            change: self.change.as_ref(),
        }
    }
}

/// One REPL session: a contract (file plus typed items), the day and the
/// scenario answers are given for, and the last answer.
#[derive(Clone, Debug)]
pub struct Session {
    /// The loaded file, if any.
    pub(super) file: Option<PathBuf>,
    /// How the contract is named in output.
    pub(super) name: String,
    /// The file's text, ending with a line break when not empty.
    pub(super) base: String,
    /// Typed chunks, each ending with a line break.
    pub(super) typed: Vec<String>,
    pub(super) build: Build,
    pub(super) day: NaiveDate,
    /// The scenario block answers start from.
    pub(super) scenario_name: Option<String>,
    /// `:event` / `:unevent` changes (None: the event does not happen).
    pub(super) events: BTreeMap<String, Option<NaiveDate>>,
    /// `:fact` values, as typed.
    pub(super) facts: BTreeMap<String, String>,
    pub(super) last: Option<LastAnswer>,
    /// Bytes of contract text checked for typed items since the contract
    /// was loaded (see `limits::MAX_TYPED_RECHECK_BYTES`).
    pub(super) rechecked_bytes: usize,
}

/// A text as a chunk of the session's contract: ending with a line break.
fn as_chunk(text: &str) -> String {
    let mut chunk = text.to_string();
    if !chunk.is_empty() && !chunk.ends_with('\n') {
        chunk.push('\n');
    }
    chunk
}

impl Session {
    /// A session with an empty contract.
    pub fn new(day: NaiveDate) -> Session {
        Session {
            file: None,
            name: NO_FILE.to_string(),
            base: String::new(),
            typed: Vec::new(),
            build: Build::new(NO_FILE, "", &[]),
            day,
            scenario_name: None,
            events: BTreeMap::new(),
            facts: BTreeMap::new(),
            last: None,
            rechecked_bytes: 0,
        }
    }

    /// The day answers are given for.
    pub fn day(&self) -> NaiveDate {
        self.day
    }

    /// The scenario block answers start from.
    pub fn scenario_name(&self) -> Option<&str> {
        self.scenario_name.as_deref()
    }

    /// Whether `:event` or `:fact` changed the scenario.
    pub fn scenario_changed(&self) -> bool {
        !self.events.is_empty() || !self.facts.is_empty()
    }

    /// The session's contract text (the file plus typed items).
    pub fn text(&self) -> &str {
        &self.build.source().text
    }

    /// The evaluable contract, if the text parses and resolves.
    pub fn contract(&self) -> Option<&Contract> {
        self.build.contract.as_ref()
    }

    /// The loaded text (also when it cannot be evaluated).
    pub fn loaded(&self) -> &Loaded {
        &self.build.loaded
    }

    /// `deal 2027-01-01 early_agi> `; a `*` marks a scenario changed by
    /// `:event` or `:fact`.
    pub fn prompt(&self) -> String {
        let mut prompt = format!("deal {}", self.day);
        match &self.scenario_name {
            Some(name) => {
                prompt.push(' ');
                prompt.push_str(name);
            }
            None if self.scenario_changed() => prompt.push(' '),
            None => {}
        }
        if self.scenario_changed() {
            prompt.push('*');
        }
        prompt.push_str("> ");
        prompt
    }

    /// Load a contract file, replacing the session's contract (typed items,
    /// `:event`/`:fact` changes and the scenario are dropped). The reply
    /// shows the file's diagnostics; an unreadable file leaves the session
    /// as it was.
    pub fn load_file(&mut self, path: &Path) -> Reply {
        let source = match read_source(path) {
            Ok(source) => source,
            Err(problem) => return Reply::error(problem.0),
        };
        self.file = Some(path.to_path_buf());
        self.name = display_name(path);
        self.base = as_chunk(&source.text);
        self.typed.clear();
        self.rechecked_bytes = 0;
        self.scenario_name = None;
        self.events.clear();
        self.facts.clear();
        self.last = None;
        self.build = Build::new(&self.name, &self.base, &self.typed);
        let mut reply = Reply::default();
        self.show_all_diagnostics(&mut reply);
        reply
    }

    /// Read the file again; typed items stay.
    pub fn reload(&mut self) -> Reply {
        let Some(path) = self.file.clone() else {
            return Reply::error("no file is loaded (`:load FILE` loads one)");
        };
        let source = match read_source(&path) {
            Ok(source) => source,
            Err(problem) => return Reply::error(problem.0),
        };
        self.base = as_chunk(&source.text);
        let mut reply = Reply::default();
        self.rebuild(&mut reply);
        self.show_all_diagnostics(&mut reply);
        reply.say(format!("reloaded {}", self.summary()));
        self.show_last_change(&mut reply);
        reply
    }

    /// "x.deal: 17 clauses, 5 scenarios (2 typed items)"
    pub fn summary(&self) -> String {
        let (mut clauses, mut scenarios) = (0, 0);
        if let Some(file) = &self.build.loaded.file {
            for item in &file.items {
                match item.kind {
                    ItemKind::Clause(_) => clauses += 1,
                    ItemKind::Scenario(_) => scenarios += 1,
                    _ => {}
                }
            }
        }
        let mut text = format!(
            "{}: {}, {}",
            self.name,
            plural(clauses, "clause"),
            plural(scenarios, "scenario")
        );
        if !self.typed.is_empty() {
            text.push_str(&format!(" ({})", plural(self.typed.len(), "typed chunk")));
        }
        let errors = self
            .build
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count();
        if errors > 0 {
            text.push_str(&format!(", {}", plural(errors, "error")));
        }
        text
    }

    /// Every diagnostic of the session's contract, as problems.
    pub(super) fn show_all_diagnostics(&self, reply: &mut Reply) {
        for diagnostic in &self.build.diagnostics {
            reply
                .problems
                .push(self.build.localize(diagnostic.clone(), None, false));
        }
    }

    /// Run one input: a `:command`, a query or expression, or items to add.
    pub fn run(&mut self, input: &str) -> Reply {
        let text = input.trim();
        if text.is_empty() {
            return Reply::default();
        }
        if let Some(command) = text.strip_prefix(':') {
            return super::commands::run(self, command);
        }
        self.typed_input(text)
    }

    /// Parse a typed line where it would be appended, then answer it or add it.
    pub(super) fn typed_input(&mut self, text: &str) -> Reply {
        let offset = self.text().len();
        let padded = SourceFile::new("<input>", format!("{}{text}", " ".repeat(offset)));
        match parse_repl_input(&padded) {
            Err(diagnostics) => Reply {
                problems: diagnostics
                    .into_iter()
                    .map(|d| self.build.localize(d, Some(text), false))
                    .collect(),
                ..Reply::default()
            },
            Ok(ReplInput::Query(query)) => self.answer(text, padded, query),
            // Only comments: nothing to add.
            Ok(ReplInput::Items(file)) if file.items.is_empty() => Reply::default(),
            Ok(ReplInput::Items(file)) => self.add_items(text, file.items.len()),
        }
    }

    pub(super) fn cannot_evaluate(&self) -> Reply {
        if self.build.loaded.file.is_none() {
            return Reply::error(format!(
                "{} does not parse, so nothing can be evaluated: fix it and `:reload` (`:check` shows the errors)",
                self.name
            ));
        }
        let blocking = self
            .build
            .diagnostics
            .iter()
            .filter(|d| d.code.blocks_evaluation())
            .count();
        Reply::error(format!(
            "the contract has {} that stop evaluation (`:check` shows them; fix the file and `:reload`, or `:undo` a typed item)",
            plural(blocking, "error")
        ))
    }

    /// Answer a query under the session's day and scenario, explained as
    /// `deal query` explains it.
    fn answer(&mut self, text: &str, padded: SourceFile, query: Query) -> Reply {
        let Some(contract) = self.build.contract.clone() else {
            return self.cannot_evaluate();
        };
        let query = match check_typed_query(&contract, padded, query) {
            Ok(query) => query,
            Err(report) => {
                return Reply {
                    problems: report
                        .diagnostics
                        .into_iter()
                        .map(|d| self.build.localize(d, Some(text), false))
                        .collect(),
                    ..Reply::default()
                };
            }
        };
        let scenario = match self.scenario(&contract) {
            Ok(scenario) => scenario,
            Err(problems) => {
                return Reply {
                    problems,
                    ..Reply::default()
                };
            }
        };
        let asked = match answer_checked(&contract, &scenario, query, self.day) {
            Ok(asked) => asked,
            Err(diagnostic) => {
                return Reply {
                    problems: vec![self.build.localize(diagnostic, Some(text), false)],
                    ..Reply::default()
                };
            }
        };
        let last = LastAnswer {
            text: text.to_string(),
            contract,
            scenario,
            query: asked.query,
            day: self.day,
            answer: asked.answer,
            change: asked.change,
            reads: asked.reads,
        };
        let reply = Reply::output(render_human(&last.explained()));
        self.last = Some(last);
        reply
    }

    /// The scenario answers are given under: the scenario block, then the
    /// `:event` and `:fact` changes, validated as `deal query` validates
    /// `--scenario`, `--event` and `--fact`.
    pub fn scenario(&self, contract: &Contract) -> Result<Scenario, Vec<Problem>> {
        self.scenario_for(contract, None)
    }

    /// `scenario`, with the problems that `:event`/`:fact` changes cause
    /// pointed at `command`, the line that made the change (the scenario
    /// block would otherwise be labelled whole).
    pub(super) fn scenario_for(
        &self,
        contract: &Contract,
        command: Option<&str>,
    ) -> Result<Scenario, Vec<Problem>> {
        let args = ScenarioArgs {
            scenario: self.scenario_name.clone(),
            events: self
                .events
                .iter()
                .map(|(name, date)| match date {
                    Some(date) => format!("{name}={date}"),
                    None => format!("{name}=never"),
                })
                .collect(),
            facts: self
                .facts
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect(),
        };
        let scenario = match args.build(contract) {
            Ok(scenario) => scenario,
            Err(Ok(problem)) => return Err(vec![Problem::Error(problem.0)]),
            Err(Err(diagnostics)) => {
                return Err(diagnostics
                    .into_iter()
                    .map(|d| self.build.localize(d, None, false))
                    .collect());
            }
        };
        let problems = scenario.validate(contract);
        if problems.iter().any(Diagnostic::is_error) {
            // `validate` labels entries that no scenario line gave on the
            // block (or at offset 0 without one).
            let fallback = scenario.span.unwrap_or_default();
            return Err(problems
                .into_iter()
                .filter(Diagnostic::is_error)
                .map(|d| match command {
                    Some(command) if d.primary_span() == fallback => self.at_command(d, command),
                    _ => self.build.localize(d, None, false),
                })
                .collect());
        }
        Ok(scenario)
    }

    /// A diagnostic re-pointed at a command line: its primary label on the
    /// whole line, its other labels as notes.
    fn at_command(&self, diagnostic: Diagnostic, command: &str) -> Problem {
        let mut labels = diagnostic.labels.iter();
        let primary = labels.next().map(|l| l.message.clone()).unwrap_or_default();
        let mut local = Diagnostic::new(
            diagnostic.code,
            diagnostic.message.clone(),
            Span::new(0, command.len()),
            primary,
        );
        local.help = diagnostic.help.clone();
        for label in labels {
            local.notes.push(format!(
                "{}: {}",
                label.message,
                self.build.place(label.span.start)
            ));
        }
        local.notes.extend(diagnostic.notes.iter().cloned());
        Problem::Diagnostic {
            source: SourceFile::new("<input>", command.to_string()),
            diagnostic: local,
        }
    }

    /// Add typed items to the contract. Refused (nothing changes) when the
    /// result no longer parses and resolves where it did; otherwise the
    /// items stay and any new diagnostics are shown.
    fn add_items(&mut self, text: &str, count: usize) -> Reply {
        let Some(items_before) = self.build.item_count() else {
            return Reply::error(format!(
                "{} does not parse, so typed items cannot be checked against it: fix it and `:reload`",
                self.name
            ));
        };
        // Each typed item re-checks the whole contract: past the budget,
        // items are refused rather than let a long paste run for minutes.
        let checked = self.build.source().text.len() + text.len();
        if self.rechecked_bytes.saturating_add(checked) > MAX_TYPED_RECHECK_BYTES {
            let first_line = text.lines().next().unwrap_or("").len();
            return Reply {
                problems: vec![Problem::Diagnostic {
                    source: SourceFile::new("input", text.to_string()),
                    diagnostic: Diagnostic::new(
                        Code::Limit,
                        format!(
                            "typed items have re-checked the contract {MAX_TYPED_RECHECK_BYTES} \
                             bytes' worth since it was loaded: this item was not added"
                        ),
                        Span::new(0, first_line),
                        "not added",
                    )
                    .with_help(
                        "put the items in the contract file and `:reload` (a file of any size \
                         is checked once)",
                    ),
                }],
                ..Reply::default()
            };
        }
        self.rechecked_bytes += checked;
        let mut typed = self.typed.clone();
        typed.push(as_chunk(text));
        let candidate = Build::new(&self.name, &self.base, &typed);
        let known: HashSet<(Code, &str, Span)> = self
            .build
            .diagnostics
            .iter()
            .map(|d| (d.code, d.message.as_str(), d.primary_span()))
            .collect();
        let new: Vec<Diagnostic> = candidate
            .diagnostics
            .iter()
            .filter(|d| !known.contains(&(d.code, d.message.as_str(), d.primary_span())))
            .cloned()
            .collect();
        let mut reply = Reply::default();
        for diagnostic in &new {
            reply
                .problems
                .push(candidate.localize(diagnostic.clone(), None, true));
        }
        let blocks = new
            .iter()
            .any(|d| d.is_error() && d.code.blocks_evaluation());
        if blocks || candidate.item_count() != Some(items_before + count) {
            if !blocks {
                reply.problems.push(Problem::Error(
                    "the typed text joins the item before it instead of standing alone; not added"
                        .to_string(),
                ));
            } else {
                reply.say(
                    "not added: the contract would not evaluate (fix the line and type it again)",
                );
            }
            return reply;
        }
        self.typed = typed;
        self.build = candidate;
        for line in self.describe_items(items_before) {
            reply.say(line);
        }
        self.reconcile(&mut reply);
        self.show_last_change(&mut reply);
        reply
    }

    /// "added clause `natsec2`: in force from ..." for each item from `first` on.
    fn describe_items(&self, first: usize) -> Vec<String> {
        let Some(file) = &self.build.loaded.file else {
            return Vec::new();
        };
        let symbols = &self.build.loaded.symbols;
        let scenario = self
            .build
            .contract
            .as_ref()
            .and_then(|c| self.scenario(c).ok().map(|s| (c, s)));
        file.items
            .iter()
            .enumerate()
            .skip(first)
            .map(|(i, item)| match &item.kind {
                ItemKind::Clause(_) => {
                    let label = symbols.clause_label(i).unwrap_or("");
                    match &scenario {
                        Some((contract, scenario)) => format!(
                            "added clause `{label}`: {}",
                            clause_window(contract, scenario, crate::eval::ClauseId(i))
                        ),
                        None => format!("added clause `{label}`"),
                    }
                }
                ItemKind::Decl(decl) => {
                    format!("added {} `{}`", decl.kind.keyword(), decl.name.text)
                }
                ItemKind::Group(group) => format!("added group `{}`", group.name.text),
                ItemKind::Let(decl) => format!("added let `{}`", decl.name.text),
                ItemKind::Fact(fact) => format!("added fact `{}`", fact.name.text),
                ItemKind::Scenario(s) => format!("added scenario `{}`", s.name.text),
                ItemKind::Assert(a) => format!("added assertion `{}`", a.label.text),
                ItemKind::Deal(_) => "added the deal's title".to_string(),
                ItemKind::Effective(effective) => {
                    format!("added effective date {}", effective.date.date)
                }
            })
            .collect()
    }

    /// Drop the last typed chunk.
    pub(super) fn undo(&mut self) -> Reply {
        let Some(chunk) = self.typed.last().cloned() else {
            return Reply::error(
                "nothing to undo: no item was typed since the contract was loaded",
            );
        };
        self.typed.pop();
        let mut reply = Reply::default();
        self.rebuild(&mut reply);
        let first = chunk.lines().next().unwrap_or("").trim();
        let more = if chunk.trim_end().lines().count() > 1 {
            " ..."
        } else {
            ""
        };
        reply.say(format!("removed: {first}{more}"));
        self.show_last_change(&mut reply);
        reply
    }

    /// Re-load the text after the file or the typed chunks changed.
    fn rebuild(&mut self, reply: &mut Reply) {
        self.build = Build::new(&self.name, &self.base, &self.typed);
        self.reconcile(reply);
    }

    /// Keep the scenario settings consistent with a changed contract: drop
    /// (and say so) a scenario, event or fact that is no longer declared, or
    /// a fact value that no longer fits its type.
    fn reconcile(&mut self, reply: &mut Reply) {
        let symbols = &self.build.loaded.symbols;
        if let Some(name) = &self.scenario_name {
            let exists = self.build.loaded.file.as_ref().is_some_and(|file| {
                file.items
                    .iter()
                    .any(|item| matches!(&item.kind, ItemKind::Scenario(s) if s.name.text == *name))
            });
            if !exists {
                reply.say(format!(
                    "scenario `{name}` is gone: answers are now under the empty scenario"
                ));
                self.scenario_name = None;
            }
        }
        let gone: Vec<String> = self
            .events
            .keys()
            .filter(|name| symbols.kind(name) != Some(SymbolKind::Event))
            .cloned()
            .collect();
        for name in gone {
            reply.say(format!(
                "`:event {name}` dropped: `{name}` is no longer an event"
            ));
            self.events.remove(&name);
        }
        let mut dropped = Vec::new();
        for (name, value) in &self.facts {
            let fits = match &self.build.contract {
                _ if symbols.kind(name) != Some(SymbolKind::Fact) => {
                    Err(format!("`{name}` is no longer a fact"))
                }
                Some(contract) => crate::eval::parse_fact_value(contract, name, value).map(|_| ()),
                // Cannot be checked now; kept for when the contract evaluates.
                None => Ok(()),
            };
            if let Err(why) = fits {
                dropped.push((name.clone(), why));
            }
        }
        for (name, why) in dropped {
            reply.say(format!("`:fact {name}` dropped: {why}"));
            self.facts.remove(&name);
        }
    }

    /// After the contract changed: the last query again, if its answer moved.
    fn show_last_change(&mut self, reply: &mut Reply) {
        let Some(last) = &self.last else {
            return;
        };
        let (text, before) = (last.text.clone(), last.answer.outcome.clone());
        let day = last.day;
        let saved_day = std::mem::replace(&mut self.day, day);
        let saved_last = self.last.take();
        let again = self.typed_input(&text);
        self.day = saved_day;
        match &self.last {
            Some(now) if !again.failed() && now.answer.outcome != before => {
                reply.say(format!(
                    "the last answer changes: {} (was {}): {}",
                    now.answer.outcome.display(),
                    before.display(),
                    text
                ));
            }
            Some(_) => {}
            None => {
                // It no longer evaluates; keep the old one for `:why`.
                self.last = saved_last;
            }
        }
    }

    /// Whether `name` is a scenario block of the contract; else the error.
    pub(super) fn check_scenario_name(&self, name: &str) -> Result<(), String> {
        let names: Vec<String> = self
            .build
            .loaded
            .file
            .iter()
            .flat_map(|file| file.items.iter())
            .filter_map(|item| match &item.kind {
                ItemKind::Scenario(s) => Some(s.name.text.clone()),
                _ => None,
            })
            .collect();
        if names.iter().any(|n| n == name) {
            return Ok(());
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        if names.is_empty() {
            Err(format!("no scenario named `{name}`: the contract has none"))
        } else {
            Err(format!(
                "no scenario named `{name}`{}",
                suggestion(name, &refs)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::RenderStyle;

    fn session(text: &str) -> Session {
        let mut session = Session::new(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        session.base = as_chunk(text);
        session.name = "c.deal".to_string();
        session.build = Build::new(&session.name, &session.base, &session.typed);
        session
    }

    fn problems(reply: &Reply) -> String {
        reply.render_problems(RenderStyle::PLAIN)
    }

    #[test]
    fn typed_items_are_appended_and_undone() {
        let mut s = session("party a\nasset x\naction use");
        let reply = s.run("ok: a may use x");
        assert!(!reply.failed(), "{}", problems(&reply));
        assert_eq!(s.text(), "party a\nasset x\naction use\nok: a may use x\n");
        assert_eq!(s.build.chunk_starts, vec![27]);
        let reply = s.run("may a use x");
        assert!(reply.output.starts_with("yes: may a use x (on 2027-01-01)"));
        s.run(":undo");
        assert_eq!(s.text(), "party a\nasset x\naction use\n");
        let reply = s.run("may a use x");
        assert!(reply.output.starts_with("unspecified: may a use x"));
    }

    #[test]
    fn diagnostics_in_earlier_typed_items_name_them() {
        let mut s = session("party a\nasset x\naction use");
        assert!(!s.run("unit flop").failed());
        // A duplicate of the typed unit: the first place is in `<typed 1>`.
        let reply = s.run("unit flop");
        let text = problems(&reply);
        assert!(reply.failed());
        assert!(text.contains("<input>:1:6"), "{text}");
        assert!(text.contains("<typed 1>:1:6"), "{text}");
        // Refused: the contract is unchanged.
        assert_eq!(s.typed.len(), 1);
    }

    #[test]
    fn a_query_is_parsed_where_it_would_be_appended() {
        let mut s = session("let big = $1B\nlet zero = $0\nlet r = big / zero");
        // The division inside the contract's `let` points into the file...
        let reply = s.run("r");
        let text = problems(&reply);
        assert!(text.contains("c.deal:3:15"), "{text}");
        // ...or into the item typed earlier...
        s.run("let t = big / zero");
        let text = problems(&s.run("t"));
        assert!(text.contains("<typed 1>:1:15"), "{text}");
        // ...and one typed in the query into the query.
        let reply = s.run("big / zero");
        let text = problems(&reply);
        assert!(text.contains("<input>:1:"), "{text}");
        assert!(text.contains("big / zero"), "{text}");
    }

    #[test]
    fn the_prompt_shows_the_day_and_scenario() {
        let mut s = session("event e\nscenario early { e on 2028-01-01 }");
        assert_eq!(s.prompt(), "deal 2027-01-01> ");
        s.run(":scenario early");
        assert_eq!(s.prompt(), "deal 2027-01-01 early> ");
        s.run(":unevent e");
        assert_eq!(s.prompt(), "deal 2027-01-01 early*> ");
        s.run(":scenario none");
        s.run(":event e 2029-01-01");
        assert_eq!(s.prompt(), "deal 2027-01-01 *> ");
    }

    #[test]
    fn settings_that_no_longer_fit_the_contract_are_dropped() {
        let mut s = session("party a");
        assert!(!s.run("event e").failed());
        assert!(!s.run("fact f: number").failed());
        assert!(!s.run(":event e 2028-01-01").failed());
        assert!(!s.run(":fact f 3").failed());
        let reply = s.run(":undo");
        assert!(
            reply.output.contains("`:fact f` dropped"),
            "{}",
            reply.output
        );
        let reply = s.run(":undo");
        assert!(
            reply.output.contains("`:event e` dropped"),
            "{}",
            reply.output
        );
        assert!(!s.scenario_changed());
    }
}
