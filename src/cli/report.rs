//! Reporting diagnostics for a set of files in each output format. `check`
//! uses all of it; `query`, `test` and `explore` use it for errors that stop
//! them, so every command reports problems in the same shape.

use crate::diagnostic::{Diagnostic, JsonDiagnostic, Located, Severity, render};
use crate::source::SourceFile;
use serde::Serialize;

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

/// Human form: each diagnostic as a miette report, on stderr.
pub fn human(reports: &[FileReport], style: crate::diagnostic::RenderStyle) -> String {
    let mut out = String::new();
    for report in reports {
        for diagnostic in &report.diagnostics {
            out.push_str(&render(
                Located {
                    file: &report.source,
                    diagnostic,
                },
                style,
            ));
            out.push('\n');
        }
    }
    out
}

#[derive(Serialize)]
struct JsonReport {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

/// The spec's `check --format json` object.
pub fn json(reports: &[FileReport]) -> String {
    let totals = Totals::of(reports);
    let report = JsonReport {
        files: totals.files,
        errors: totals.errors,
        warnings: totals.warnings,
        diagnostics: json_diagnostics(reports),
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
