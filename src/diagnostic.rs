//! The one diagnostic type shared by every phase (syntax, check, lints,
//! evaluation, tests). The library builds diagnostics from spans; front ends
//! choose how to render them (`render` below, or the machine formats).

use crate::source::{SourceFile, Span};
use crate::terminal::escape_controls;
use serde::Serialize;

/// Stable diagnostic codes. The spec fixes the names of the first group; they
/// are never renamed. Codes are rendered as `deal::<name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    Syntax,
    UnknownName,
    DuplicateName,
    WrongKind,
    TypeMismatch,
    Undecidable,
    EventCycle,
    UnknownClause,
    ExceptionCycle,
    OverAllocated,
    Conflict,
    ExclusiveClash,
    DeadClause,
    Unused,
    NeedlessException,
    BadScenario,
    ExpectFailed,
    AssertionFailed,
    Eval,
    /// A resource limit was reached (nesting depth, file size, scenario count).
    Limit,
    /// `let` values defined in terms of each other (`let a = b`, `let b = a`).
    LetCycle,
    /// A group that contains itself, directly or through other groups.
    GroupCycle,
    /// A clause whose condition depends on its own status (v2).
    StatusCycle,
    /// An obligation whose deadline can fall before it is owed (v2).
    DeadlineBeforeStart,
}

impl Code {
    pub const ALL: [Code; 24] = [
        Code::Syntax,
        Code::UnknownName,
        Code::DuplicateName,
        Code::WrongKind,
        Code::TypeMismatch,
        Code::Undecidable,
        Code::EventCycle,
        Code::UnknownClause,
        Code::ExceptionCycle,
        Code::OverAllocated,
        Code::Conflict,
        Code::ExclusiveClash,
        Code::DeadClause,
        Code::Unused,
        Code::NeedlessException,
        Code::BadScenario,
        Code::ExpectFailed,
        Code::AssertionFailed,
        Code::Eval,
        Code::Limit,
        Code::LetCycle,
        Code::GroupCycle,
        Code::StatusCycle,
        Code::DeadlineBeforeStart,
    ];

    /// The name after `deal::`.
    pub fn name(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::UnknownName => "unknown-name",
            Code::DuplicateName => "duplicate-name",
            Code::WrongKind => "wrong-kind",
            Code::TypeMismatch => "type-mismatch",
            Code::Undecidable => "undecidable",
            Code::EventCycle => "event-cycle",
            Code::UnknownClause => "unknown-clause",
            Code::ExceptionCycle => "exception-cycle",
            Code::OverAllocated => "over-allocated",
            Code::Conflict => "conflict",
            Code::ExclusiveClash => "exclusive-clash",
            Code::DeadClause => "dead-clause",
            Code::Unused => "unused",
            Code::NeedlessException => "needless-exception",
            Code::BadScenario => "bad-scenario",
            Code::ExpectFailed => "expect-failed",
            Code::AssertionFailed => "assertion-failed",
            Code::Eval => "eval",
            Code::Limit => "limit",
            Code::LetCycle => "let-cycle",
            Code::GroupCycle => "group-cycle",
            Code::StatusCycle => "status-cycle",
            Code::DeadlineBeforeStart => "deadline-before-start",
        }
    }

    /// A one-line summary and a fuller description of what the code
    /// reports, for the codes that are not lints (a lint's text lives with
    /// its rule in `src/lint`): SARIF rule tables and `deal check --explain`.
    pub fn about(self) -> Option<(&'static str, &'static str)> {
        match self {
            Code::Syntax => Some((
                "The text does not parse",
                "The contract is not valid deal syntax. The message says what was expected where.",
            )),
            Code::UnknownName => Some((
                "A name is not declared",
                "Every name used must be declared once (party, event, asset, venue, action, unit, \
                 group, let or fact). The help suggests the nearest declared name.",
            )),
            Code::DuplicateName => Some((
                "A name or label is declared twice",
                "Names and labels must be unique; both places are labelled.",
            )),
            Code::WrongKind => Some((
                "A name of the wrong kind",
                "A name is used where another kind is expected, e.g. a venue where an asset is \
                 expected.",
            )),
            Code::TypeMismatch => Some((
                "Values of types that do not combine",
                "An operation or comparison on values whose types do not combine (spec section 5); \
                 both operands are labelled with their types.",
            )),
            Code::Undecidable => Some((
                "A condition does arithmetic on a fact",
                "In a `when`/`unless` condition each side of a comparison is a single fact or a \
                 constant, so that every possible future can be checked exactly.",
            )),
            Code::EventCycle => Some((
                "`after` forms a cycle",
                "Events that must each come after the other can never happen.",
            )),
            Code::UnknownClause => Some((
                "A label names no clause",
                "`notwithstanding` (or `status`) names a label that no clause has.",
            )),
            Code::ExceptionCycle => Some((
                "A clause is its own exception",
                "A clause is, directly or through others, an exception to itself, so no answer \
                 can be decided.",
            )),
            Code::BadScenario => Some((
                "A scenario that cannot happen",
                "A scenario breaks an `after` order, names an event or fact twice, or gives a value \
                 of the wrong type.",
            )),
            Code::ExpectFailed => Some((
                "An expectation's answer differs",
                "An `expect` line answered differently from what the scenario expects; the message \
                 says what was expected and what came.",
            )),
            Code::AssertionFailed => Some((
                "An assertion fails in some possible future",
                "An `assert` does not hold in every scenario; the counterexample is a scenario \
                 block that can be pasted into the contract.",
            )),
            Code::Eval => Some((
                "An evaluation error",
                "Evaluating the contract failed: division by zero, an unknown fact value, or a \
                 number or date out of range.",
            )),
            Code::Limit => Some((
                "A resource limit was reached",
                "The contract exceeds a limit on nesting depth, file size or the number of \
                 scenarios to consider.",
            )),
            Code::LetCycle => Some((
                "`let` values defined in terms of each other",
                "A `let` value depends on itself, directly or through other `let` values.",
            )),
            Code::GroupCycle => Some((
                "A group contains itself",
                "A group is a member of itself, directly or through other groups.",
            )),
            Code::StatusCycle => Some((
                "A clause's condition depends on its own status",
                "A `when`/`unless` condition reads `L is STATUS` of its own clause, directly or \
                 through other clauses' status conditions, so whether it is in force cannot be \
                 decided.",
            )),
            Code::OverAllocated
            | Code::Conflict
            | Code::ExclusiveClash
            | Code::DeadClause
            | Code::Unused
            | Code::NeedlessException
            | Code::DeadlineBeforeStart => None,
        }
    }

    /// `deal::<name>`, as printed and as used in JSON, SARIF and GitHub output.
    pub fn as_str(self) -> String {
        format!("deal::{}", self.name())
    }

    /// The code named `text`, with or without its `deal::` prefix.
    pub fn from_name(text: &str) -> Option<Code> {
        let name = text.strip_prefix("deal::").unwrap_or(text);
        Code::ALL.into_iter().find(|code| code.name() == name)
    }

    /// The severity this code carries wherever it is reported.
    pub fn severity(self) -> Severity {
        match self {
            Code::ExclusiveClash
            | Code::DeadClause
            | Code::Unused
            | Code::NeedlessException
            | Code::DeadlineBeforeStart => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Errors that stop evaluation: the contract does not parse or resolve
    /// (spec section 9). Lint findings never stop evaluation.
    pub fn blocks_evaluation(self) -> bool {
        matches!(
            self,
            Code::Syntax
                | Code::UnknownName
                | Code::DuplicateName
                | Code::WrongKind
                | Code::TypeMismatch
                | Code::Undecidable
                | Code::EventCycle
                | Code::ExceptionCycle
                | Code::UnknownClause
                | Code::Limit
                | Code::LetCycle
                | Code::GroupCycle
                | Code::StatusCycle
        )
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "deal::{}", self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A labelled span. The first label of a diagnostic is its primary location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Never empty once built through `Diagnostic::new`: the first is primary.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Extra lines shown after the snippet (witnesses, counterexamples).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with its primary label. Severity comes from the code.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: vec![Label {
                span,
                message: label.into(),
            }],
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn with_label(mut self, span: Span, label: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary span (a zero span at 0 if a diagnostic was built without labels).
    pub fn primary_span(&self) -> Span {
        self.labels.first().map(|l| l.span).unwrap_or_default()
    }

    /// Order of spec section 8: line, column, then code (file order is the caller's).
    pub fn sort(diagnostics: &mut [Diagnostic]) {
        diagnostics.sort_by(|a, b| {
            (a.primary_span().start, a.code, &a.message).cmp(&(
                b.primary_span().start,
                b.code,
                &b.message,
            ))
        });
    }
}

/// A diagnostic together with the file it points into: what front ends render.
#[derive(Clone, Copy, Debug)]
pub struct Located<'a> {
    pub file: &'a SourceFile,
    pub diagnostic: &'a Diagnostic,
}

/// The JSON form of one diagnostic (spec section 9).
#[derive(Serialize, Debug, Clone)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl JsonDiagnostic {
    pub fn new(file: &SourceFile, d: &Diagnostic) -> Self {
        let span = d.primary_span();
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end);
        JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity,
            message: d.message.clone(),
            file: file.name.clone(),
            line,
            column,
            end_line,
            end_column,
            help: d.help.clone(),
            notes: d.notes.clone(),
        }
    }
}

/// How human output is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderStyle {
    pub color: bool,
    /// Unicode box drawing; plain ASCII otherwise.
    pub unicode: bool,
    pub width: usize,
}

impl RenderStyle {
    /// Fixed, colourless output: golden files and non-terminals.
    pub const PLAIN: RenderStyle = RenderStyle {
        color: false,
        unicode: true,
        width: 100,
    };
}

/// The miette view of a located diagnostic.
struct MietteView<'a> {
    located: Located<'a>,
    source: SnippetSource<'a>,
    /// False when a labelled line is too long to show: the report then gives
    /// the location in words instead of a snippet.
    snippet: bool,
    /// The labels this view draws (indices into the diagnostic's labels):
    /// labels far from the primary one get a snippet of their own.
    drawn: Vec<usize>,
    /// Those snippets, drawn after the main one; empty for such a snippet.
    apart: Vec<MietteView<'a>>,
    /// A snippet of its own shows as advice under the label's text.
    advice: Option<String>,
}

/// Labels more lines apart than this are drawn as separate short snippets
/// rather than one snippet with every line between them.
const SNIPPET_GAP_LINES: usize = 6;

/// The labels in groups of nearby lines: the primary label's group first,
/// then the others in source order.
fn label_groups(file: &SourceFile, labels: &[Label]) -> Vec<Vec<usize>> {
    let mut by_line: Vec<(usize, usize)> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| (file.line_col(label.span.start).0, i))
        .collect();
    by_line.sort_unstable();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut last_line: Option<usize> = None;
    for (line, index) in by_line {
        let near = last_line.is_some_and(|last| line <= last + SNIPPET_GAP_LINES);
        match groups.last_mut() {
            Some(group) if near => group.push(index),
            _ => groups.push(vec![index]),
        }
        let end_line = labels
            .get(index)
            .map_or(line, |label| file.line_col(label.span.end).0);
        last_line = Some(last_line.map_or(end_line, |last| last.max(end_line)));
    }
    if let Some(primary) = groups.iter().position(|group| group.contains(&0)) {
        let first = groups.remove(primary);
        groups.insert(0, first);
    }
    groups
}

/// Longest source line shown in a snippet (a minified or generated file
/// must not print megabytes of text around a label).
const MAX_SNIPPET_LINE: usize = 400;

/// Most source text one label's snippet may show (a label over a whole file).
const MAX_SNIPPET_BYTES: usize = 64 * 1024;

/// Most labels a snippet shows. Drawing a label costs time in proportion
/// to the file, so a cycle of 10,000 `after` links, labelled on each, took
/// 3 s to draw (and 100,000 minutes).
const MAX_SNIPPET_LABELS: usize = 64;

/// Whether every line a snippet shows is short enough: the lines each label
/// touches, and the line of context miette adds before and after them; and
/// whether there are few enough labels to draw.
fn lines_fit(file: &SourceFile, labels: &[Label]) -> bool {
    if labels.len() > MAX_SNIPPET_LABELS {
        return false;
    }
    let bytes = file.text.as_bytes();
    let line_start = |at: usize| {
        bytes
            .get(..at)
            .and_then(|before| before.iter().rposition(|&b| b == b'\n'))
            .map_or(0, |i| i + 1)
    };
    let line_end = |at: usize| {
        bytes
            .get(at..)
            .and_then(|after| after.iter().position(|&b| b == b'\n'))
            .map_or(bytes.len(), |i| at + i)
    };
    labels.iter().all(|label| {
        let start = label.span.start.min(bytes.len());
        let end = label.span.end.clamp(start, bytes.len());
        let first = line_start(line_start(start).saturating_sub(1));
        let last = line_end((line_end(end) + 1).min(bytes.len()));
        last - first <= MAX_SNIPPET_BYTES
            && bytes.get(first..last).is_some_and(|shown| {
                shown
                    .split(|&b| b == b'\n')
                    .all(|line| line.len() <= MAX_SNIPPET_LINE)
            })
    })
}

impl std::fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.located.diagnostic.message)
    }
}

impl std::fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.advice {
            Some(advice) => f.write_str(&escape_controls(advice)),
            None => f.write_str(&escape_controls(&self.located.diagnostic.message)),
        }
    }
}

/// The text miette draws snippets from: control characters blanked (a
/// contract's ESC must not reach the terminal), and the location's column
/// counted as every other format counts it (`SourceFile::line_col`: code
/// points, a byte order mark not counted) where miette would count bytes.
struct SnippetSource<'a> {
    file: &'a SourceFile,
    shown: std::sync::Arc<str>,
}

impl miette::SourceCode for SnippetSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let contents =
            self.shown
                .as_ref()
                .read_span(span, context_lines_before, context_lines_after)?;
        // Without context the contents start at the span: its column is the
        // one the report's `file:line:column` shows.
        let column = if context_lines_before == 0 {
            self.file.line_col(span.offset()).1.saturating_sub(1)
        } else {
            contents.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.file.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        if self.advice.is_some() {
            return None;
        }
        Some(Box::new(self.located.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        if self.advice.is_some() {
            return Some(miette::Severity::Advice);
        }
        Some(match self.located.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        if self.advice.is_some() {
            return None;
        }
        let d = self.located.diagnostic;
        if d.help.is_none() && d.notes.is_empty() && self.snippet {
            return None;
        }
        let mut text = String::new();
        if !self.snippet {
            let (line, column) = self.located.file.line_col(d.primary_span().start);
            text.push_str(&format!(
                "at {}:{line}:{column} (too long to show)\n",
                self.located.file.name
            ));
        }
        for note in &d.notes {
            text.push_str(note);
            text.push('\n');
        }
        if let Some(help) = &d.help {
            if !d.notes.is_empty() {
                // Notes (a witness, a counterexample) come first; the fix
                // follows after a blank line.
                text.push('\n');
            }
            text.push_str(help);
        }
        Some(Box::new(escape_controls(text.trim_end()).into_owned()))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet
            .then_some(&self.source as &dyn miette::SourceCode)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.apart.is_empty() {
            return None;
        }
        Some(Box::new(
            self.apart
                .iter()
                .map(|view| view as &dyn miette::Diagnostic),
        ))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if !self.snippet {
            return None;
        }
        let len = self.located.file.text.len();
        Some(Box::new(
            self.located
                .diagnostic
                .labels
                .iter()
                .enumerate()
                .filter(|(i, _)| self.drawn.contains(i))
                .map(move |(i, label)| {
                    let start = label.span.start.min(len);
                    let end = label.span.end.clamp(start, len);
                    let text = (!label.message.is_empty())
                        .then(|| escape_controls(&label.message).into_owned());
                    if i == 0 {
                        miette::LabeledSpan::new_primary_with_span(text, start..end)
                    } else {
                        miette::LabeledSpan::new_with_span(text, start..end)
                    }
                }),
        ))
    }
}

/// Render one diagnostic for a human reader.
pub fn render(located: Located<'_>, style: RenderStyle) -> String {
    let shown = located.file.shown_text();
    let source = || SnippetSource {
        file: located.file,
        shown: shown.clone(),
    };
    let snippet = lines_fit(located.file, &located.diagnostic.labels);
    let mut groups = if snippet {
        label_groups(located.file, &located.diagnostic.labels)
    } else {
        vec![(0..located.diagnostic.labels.len()).collect()]
    };
    let drawn = if groups.is_empty() {
        Vec::new()
    } else {
        groups.remove(0)
    };
    let apart = groups
        .into_iter()
        .map(|group| MietteView {
            source: source(),
            snippet,
            advice: group
                .first()
                .and_then(|&i| located.diagnostic.labels.get(i))
                .map(|label| label.message.clone()),
            drawn: group,
            apart: Vec::new(),
            located,
        })
        .collect();
    let view = MietteView {
        source: source(),
        snippet,
        drawn,
        apart,
        advice: None,
        located,
    };
    let theme = match (style.color, style.unicode) {
        (true, true) => miette::GraphicalTheme::unicode(),
        (true, false) => miette::GraphicalTheme {
            characters: miette::ThemeCharacters::ascii(),
            styles: miette::ThemeStyles::ansi(),
        },
        (false, true) => miette::GraphicalTheme::unicode_nocolor(),
        (false, false) => miette::GraphicalTheme::none(),
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, &view).is_err() {
        // Rendering into a String cannot fail; keep a plain fallback anyway.
        let (line, col) = located
            .file
            .line_col(located.diagnostic.primary_span().start);
        out = format!(
            "{}: {} [{}] at {}:{}:{}\n",
            located.diagnostic.severity.as_str(),
            located.diagnostic.message,
            located.diagnostic.code,
            located.file.name,
            line,
            col
        );
    }
    out
}
