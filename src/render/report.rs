//! Reporting diagnostics for a set of files in each output format. `check`
//! uses all of it; `query`, `test` and `explore` use it for errors that stop
//! them, so every command reports problems in the same shape.

use super::artifact_path::{self, ArtifactLocation};
use crate::diagnostic::{Code, Diagnostic, JsonDiagnostic, Located, Severity, render};
use crate::limits::MAX_RENDERED_DIAGNOSTICS;
use crate::source::SourceFile;
use serde::Serialize;
use std::path::Path;

/// Diagnostics of one file.
pub struct FileReport {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Counts over a set of reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Totals {
    pub fn of(reports: &[FileReport]) -> Totals {
        let mut totals = Totals {
            files: reports.len(),
            ..Totals::default()
        };
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => totals.errors += 1,
                Severity::Warning => totals.warnings += 1,
            }
        }
        totals
    }

    /// "2 errors, 1 warning in 3 files"
    pub fn summary(&self) -> String {
        format!(
            "{}, {} in {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.files, "file")
        )
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Human form: each diagnostic as a miette report, on stderr; past
/// `limits::MAX_RENDERED_DIAGNOSTICS` in one file, a line saying how many
/// more there are (a snippet costs time in proportion to the file, so
/// rendering 20,000 of them took 15 s; JSON output has them all).
pub fn human(reports: &[FileReport], style: crate::diagnostic::RenderStyle) -> String {
    let mut out = String::new();
    for report in reports {
        for diagnostic in report.diagnostics.iter().take(MAX_RENDERED_DIAGNOSTICS) {
            out.push_str(&render(
                Located {
                    file: &report.source,
                    diagnostic,
                },
                style,
            ));
            out.push('\n');
        }
        let more = report
            .diagnostics
            .len()
            .saturating_sub(MAX_RENDERED_DIAGNOSTICS);
        if more > 0 {
            let noun = if more == 1 {
                "diagnostic"
            } else {
                "diagnostics"
            };
            out.push_str(&format!(
                "... and {more} more {noun} in `{}` (`--format json` lists them all)\n\n",
                report.source.name
            ));
        }
    }
    out
}

/// A file that could not be read (an I/O problem): reported next to the
/// findings of the files that could, so one bad file does not empty a
/// machine-readable report. The exit status is 2.
#[derive(Clone, Debug, Serialize)]
pub struct Unreadable {
    pub file: String,
    pub message: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    unreadable: &'a [Unreadable],
}

/// The spec's `check --format json` object, with `unreadable` listing the
/// files that could not be read, if any.
pub fn json(reports: &[FileReport], unreadable: &[Unreadable]) -> String {
    let totals = Totals::of(reports);
    let report = JsonReport {
        files: totals.files,
        errors: totals.errors,
        warnings: totals.warnings,
        diagnostics: json_diagnostics(reports),
        unreadable,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_string())
}

pub fn json_diagnostics(reports: &[FileReport]) -> Vec<JsonDiagnostic> {
    reports
        .iter()
        .flat_map(|r| {
            r.diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(&r.source, d))
        })
        .collect()
}

/// The object a JSON-speaking command prints when errors stop it:
/// `{"errors": N, "diagnostics": [...]}`.
pub fn json_errors(reports: &[FileReport]) -> String {
    let totals = Totals::of(reports);
    serde_json::to_string_pretty(&serde_json::json!({
        "errors": totals.errors,
        "warnings": totals.warnings,
        "diagnostics": json_diagnostics(reports),
    }))
    .unwrap_or_else(|_| "{}".to_string())
}

// ------------------------------------------------------------------ SARIF

/// The SARIF schema GitHub code scanning validates against.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where `deal`'s documentation (the `docs/` folder) is published, ending
/// in `/`: the base of SARIF's `informationUri` and rule `helpUri`s. A
/// build for a published home sets `DEAL_DOCS_URL`; without it, the
/// repository's placeholder address.
pub const DOCS_URL: &str = match option_env!("DEAL_DOCS_URL") {
    Some(url) => url,
    None => "https://example.invalid/deal/blob/main/docs/",
};

/// The page of docs/lints.md, optionally at an anchor.
fn lints_page(anchor: Option<&str>) -> String {
    match anchor {
        Some(anchor) => format!("{DOCS_URL}lints.md#{anchor}"),
        None => format!("{DOCS_URL}lints.md"),
    }
}

/// What a rule table entry says about one code: a one-line summary and a
/// fuller description (for lints, drawn from the rule's own text).
pub fn describe(code: Code) -> (String, String) {
    if let Some(rule) = crate::lint::rule(code) {
        return (rule.summary.to_string(), rule.description());
    }
    let (summary, description) = code.about().unwrap_or_default();
    (summary.to_string(), description.to_string())
}

/// What `deal check --explain CODE` prints: the code and its severity,
/// then for a lint its whole documentation, else its summary and description.
pub fn explanation(code: Code) -> String {
    let heading = format!("{} ({})\n\n", code.as_str(), code.severity().as_str());
    match crate::lint::rule(code) {
        Some(rule) => format!("{heading}{}\n\n{}\n", rule.summary, rule.doc.trim()),
        None => {
            let (summary, description) = describe(code);
            format!("{heading}{summary}\n\n{description}\n")
        }
    }
}

/// A SARIF rule's help: the description, and for a lint its whole
/// documentation as Markdown.
fn help(code: Code, description: &str) -> serde_json::Value {
    match crate::lint::rule(code) {
        Some(rule) => serde_json::json!({"text": description, "markdown": rule.doc}),
        None => serde_json::json!({"text": description}),
    }
}

pub fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn sarif_region(file: &SourceFile, span: crate::source::Span) -> serde_json::Value {
    let (start_line, start_column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    serde_json::json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

/// A diagnostic's text for one-line consumers: the message, its notes,
/// then `help: ...`.
pub fn full_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push('\n');
        text.push_str(note);
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

/// SARIF 2.1.0 for GitHub code scanning: one run, a rule for every code
/// (`Code::ALL`, so `ruleIndex` is the code's position there; a lint's
/// `helpUri` is its section of docs/lints.md), and a result per diagnostic
/// with its primary location and, as related locations, the other labels.
/// Locations are relative to `SRCROOT`, the working directory, which the
/// run's `originalUriBaseIds` gives as a `file:` URI. Columns count
/// Unicode code points. Files that could not be read are tool execution
/// notifications of the run's invocation.
pub fn sarif(
    reports: &[FileReport],
    unreadable: &[Unreadable],
    working_dir: Option<&Path>,
) -> String {
    let mut out = Vec::new();
    // Writing to a Vec fails only if serialization does, which it cannot here.
    let _ = write_sarif(&mut out, reports, unreadable, working_dir);
    String::from_utf8(out).unwrap_or_default()
}

/// `sarif` written as it is produced: one result is held at a time, so the
/// memory used does not grow with the number of diagnostics (the document
/// as one value took 15 KB per result, 2 GB for 100,000 conflicts).
pub fn write_sarif(
    out: impl std::io::Write,
    reports: &[FileReport],
    unreadable: &[Unreadable],
    working_dir: Option<&Path>,
) -> std::io::Result<()> {
    let working_dir = artifact_path::working_dir_text(working_dir);
    let working_dir = working_dir.as_deref();
    let log = SarifLog {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [SarifRun {
            tool: serde_json::json!({"driver": {
                "name": "deal",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": lints_page(None),
                "rules": sarif_rules(),
            }}),
            original_uri_base_ids: working_dir
                .and_then(artifact_path::base_uri)
                .map(|uri| serde_json::json!({ artifact_path::SRCROOT: {"uri": uri} })),
            column_kind: "unicodeCodePoints",
            results: SarifResults {
                reports,
                working_dir,
            },
            invocations: sarif_invocations(unreadable, working_dir),
        }],
    };
    serde_json::to_writer_pretty(out, &log).map_err(std::io::Error::from)
}

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<serde_json::Value>,
    column_kind: &'static str,
    results: SarifResults<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invocations: Option<serde_json::Value>,
}

/// The results, each built when the serializer reaches it.
struct SarifResults<'a> {
    reports: &'a [FileReport],
    working_dir: Option<&'a str>,
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let working_dir = self.working_dir;
        serializer.collect_seq(self.reports.iter().flat_map(|report| {
            let artifact = artifact_path::artifact_location(&report.source.name, working_dir);
            report
                .diagnostics
                .iter()
                .map(move |d| sarif_result(&report.source, &artifact, d))
        }))
    }
}

fn sarif_rules() -> Vec<serde_json::Value> {
    Code::ALL
        .iter()
        .map(|&code| {
            let (summary, description) = describe(code);
            let lint = crate::lint::rule(code);
            let mut rule = serde_json::json!({
                "id": code.as_str(),
                "name": code.name(),
                "shortDescription": {"text": summary},
                "fullDescription": {"text": description},
                "help": help(code, &description),
                "defaultConfiguration": {"level": sarif_level(code.severity())},
                "properties": {
                    "tags": [if lint.is_some() { "lint" } else { "check" }]
                },
            });
            // Only lints have a section of docs/lints.md.
            if let Some(lint) = lint {
                rule["helpUri"] =
                    serde_json::json!(lints_page(Some(&crate::lint::docs::anchor(lint))));
            }
            rule
        })
        .collect()
}

fn sarif_result(
    file: &SourceFile,
    artifact: &ArtifactLocation,
    d: &Diagnostic,
) -> serde_json::Value {
    let location = |span, message: Option<&str>, id: Option<usize>| {
        let mut location = serde_json::json!({
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": sarif_region(file, span),
            }
        });
        if let Some(message) = message {
            location["message"] = serde_json::json!({"text": message});
        }
        if let Some(id) = id {
            location["id"] = serde_json::json!(id);
        }
        location
    };
    let rule_index = Code::ALL.iter().position(|&c| c == d.code).unwrap_or(0);
    let related: Vec<serde_json::Value> = d
        .labels
        .iter()
        .skip(1)
        .enumerate()
        .map(|(i, label)| location(label.span, Some(&label.message), Some(i + 1)))
        .collect();
    let mut result = serde_json::json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": rule_index,
        "level": sarif_level(d.severity),
        "message": {"text": full_text(d)},
        "locations": [location(d.primary_span(), None, None)],
    });
    if !related.is_empty() {
        result["relatedLocations"] = serde_json::Value::Array(related);
    }
    result
}

/// A failed invocation listing the files that could not be read; none when
/// every file was read.
fn sarif_invocations(
    unreadable: &[Unreadable],
    working_dir: Option<&str>,
) -> Option<serde_json::Value> {
    if unreadable.is_empty() {
        return None;
    }
    let notifications: Vec<serde_json::Value> = unreadable
        .iter()
        .map(|u| {
            serde_json::json!({
                "level": "error",
                "message": {"text": u.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": artifact_path::artifact_location(&u.file, working_dir),
                }}],
            })
        })
        .collect();
    Some(serde_json::json!([{
        "executionSuccessful": false,
        "toolExecutionNotifications": notifications,
    }]))
}

// ------------------------------------------------------------------ GitHub

/// A workflow command's message: `%`, `\r` and `\n` escaped.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as data, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one line per diagnostic:
/// `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=deal::code::message`
/// (`::warning` for warnings), so findings show up as annotations on the
/// pull request. Paths are relative to the working directory.
pub fn github(
    reports: &[FileReport],
    unreadable: &[Unreadable],
    working_dir: Option<&Path>,
) -> String {
    let working_dir = artifact_path::working_dir_text(working_dir);
    let github_path = |name: &str| artifact_path::relative_path(name, working_dir.as_deref());
    let mut out = String::new();
    for u in unreadable {
        out.push_str(&format!(
            "::error file={},title=deal::io::{}\n",
            escape_property(&github_path(&u.file)),
            escape_data(&u.message),
        ));
    }
    for report in reports {
        let file = github_path(&report.source.name);
        for d in &report.diagnostics {
            let span = d.primary_span();
            let (line, col) = report.source.line_col(span.start);
            let (end_line, end_col) = report.source.line_col(span.end);
            out.push_str(&format!(
                "::{} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
                sarif_level(d.severity),
                escape_property(&file),
                escape_property(&d.code.as_str()),
                escape_data(&full_text(d)),
            ));
        }
    }
    out
}
