//! JUnit XML, the test report CI systems (GitLab, Jenkins, Azure) show
//! next to a pipeline: `<testsuites>` with a `<testsuite>` per file, and a
//! `<testcase>` per finding of `deal check` or per expectation and
//! assertion of `deal test`, a failing one carrying `<failure>` (or
//! `<error>` when the file could not be read or evaluated).
//!
//! The counts in the opening tags are computed before any case is written,
//! and each case is written as it is made, so a check with 100,000
//! findings never holds the document.

use super::artifact_path::relative_path;
use super::report::{FileReport, Unreadable, full_text, sarif_level};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;
use std::io::{self, Write};
use std::path::Path;

/// How a test case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Passed; `output` is what it printed (a warning that does not fail).
    Passed { output: Option<String> },
    /// What it checks does not hold.
    Failed {
        kind: String,
        message: String,
        detail: String,
    },
    /// It could not be run: the file could not be read, loaded or evaluated.
    Error {
        kind: String,
        message: String,
        detail: String,
    },
}

/// One `<testcase>`; its class is the file of its suite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    pub name: String,
    pub line: Option<usize>,
    pub verdict: Verdict,
}

/// One `<testsuite>`: the cases of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestSuite {
    /// The file, as `deal` was given it (written relative to the working
    /// directory).
    pub file: String,
    pub cases: Vec<TestCase>,
}

/// `tests`, `failures` and `errors` of a suite or of the whole document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tests: usize,
    pub failures: usize,
    pub errors: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
    }

    fn of_verdict(verdict: &Verdict) -> Counts {
        Counts {
            tests: 1,
            failures: usize::from(matches!(verdict, Verdict::Failed { .. })),
            errors: usize::from(matches!(verdict, Verdict::Error { .. })),
        }
    }

    fn of_cases(cases: &[TestCase]) -> Counts {
        let mut counts = Counts::default();
        for case in cases {
            counts.add(Counts::of_verdict(&case.verdict));
        }
        counts
    }
}

impl TestSuite {
    /// A file that could not be read: one case in error.
    pub fn unreadable(problem: &Unreadable) -> TestSuite {
        TestSuite {
            file: problem.file.clone(),
            cases: vec![TestCase {
                name: "read".to_string(),
                line: None,
                verdict: Verdict::Error {
                    kind: "deal::io".to_string(),
                    message: problem.message.clone(),
                    detail: problem.message.clone(),
                },
            }],
        }
    }
}

/// The name a file goes by in the report: relative, forward slashes.
pub fn file_name(name: &str, working_dir: Option<&Path>) -> String {
    let working_dir = working_dir.map(|dir| dir.to_string_lossy());
    relative_path(name, working_dir.as_deref())
}

/// `line L, column C: severity[code]` then the diagnostic's message,
/// notes and help: the body of a failure.
pub fn diagnostic_detail(source: &SourceFile, d: &Diagnostic) -> String {
    let (line, column) = source.line_col(d.primary_span().start);
    format!(
        "line {line}, column {column}: {}[{}]\n{}",
        sarif_level(d.severity),
        d.code.as_str(),
        full_text(d)
    )
}

impl TestCase {
    pub fn passed(name: impl Into<String>, line: Option<usize>) -> TestCase {
        TestCase {
            name: name.into(),
            line,
            verdict: Verdict::Passed { output: None },
        }
    }

    /// A case that failed, or with `error` could not run, because of these
    /// diagnostics: its type and message are the first one's, its body all
    /// of them.
    pub fn failed(
        name: impl Into<String>,
        line: Option<usize>,
        source: &SourceFile,
        diagnostics: &[&Diagnostic],
        error: bool,
    ) -> TestCase {
        let (kind, message) = match diagnostics.first() {
            Some(first) => (first.code.as_str(), first.message.clone()),
            None => ("deal".to_string(), "failed".to_string()),
        };
        let detail = diagnostics
            .iter()
            .map(|d| diagnostic_detail(source, d))
            .collect::<Vec<_>>()
            .join("\n\n");
        TestCase {
            name: name.into(),
            line,
            verdict: if error {
                Verdict::Error {
                    kind,
                    message,
                    detail,
                }
            } else {
                Verdict::Failed {
                    kind,
                    message,
                    detail,
                }
            },
        }
    }
}

/// The test case of one `deal check` finding: a failure when it fails the
/// check (an error, or a warning under `--deny warnings`), else a passing
/// case that prints the warning.
fn check_case(source: &SourceFile, d: &Diagnostic, deny_warnings: bool) -> TestCase {
    let (line, column) = source.line_col(d.primary_span().start);
    let detail = diagnostic_detail(source, d);
    let fails = d.severity == Severity::Error || deny_warnings;
    TestCase {
        name: format!("{} at {line}:{column}", d.code.as_str()),
        line: Some(line),
        verdict: if fails {
            Verdict::Failed {
                kind: d.code.as_str().to_string(),
                message: d.message.clone(),
                detail,
            }
        } else {
            Verdict::Passed {
                output: Some(detail),
            }
        },
    }
}

/// The case of a file with no findings.
fn clean_case() -> TestCase {
    TestCase {
        name: "no findings".to_string(),
        line: None,
        verdict: Verdict::Passed { output: None },
    }
}

fn check_counts(report: &FileReport, deny_warnings: bool) -> Counts {
    if report.diagnostics.is_empty() {
        return Counts {
            tests: 1,
            ..Counts::default()
        };
    }
    let failures = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error || deny_warnings)
        .count();
    Counts {
        tests: report.diagnostics.len(),
        failures,
        errors: 0,
    }
}

/// `deal check --format junit`: the unreadable files first (each a suite
/// with an error), then a suite per file with a case per finding, or one
/// passing case when it has none.
pub fn write_check(
    mut out: impl Write,
    reports: &[FileReport],
    unreadable: &[Unreadable],
    deny_warnings: bool,
    working_dir: Option<&Path>,
) -> io::Result<()> {
    let unreadable: Vec<TestSuite> = unreadable.iter().map(TestSuite::unreadable).collect();
    let mut total = Counts::default();
    for suite in &unreadable {
        total.add(Counts::of_cases(&suite.cases));
    }
    for report in reports {
        total.add(check_counts(report, deny_warnings));
    }
    write_open(&mut out, "deal check", total)?;
    for suite in &unreadable {
        write_suite(&mut out, suite, working_dir)?;
    }
    for report in reports {
        let file = file_name(&report.source.name, working_dir);
        write_suite_open(&mut out, &file, check_counts(report, deny_warnings))?;
        if report.diagnostics.is_empty() {
            write_case(&mut out, &file, &clean_case())?;
        }
        for d in &report.diagnostics {
            write_case(
                &mut out,
                &file,
                &check_case(&report.source, d, deny_warnings),
            )?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    write_close(&mut out)
}

/// A document of whole suites (`deal test`), named after the command.
pub fn write_suites(
    mut out: impl Write,
    name: &str,
    suites: &[TestSuite],
    working_dir: Option<&Path>,
) -> io::Result<()> {
    let mut total = Counts::default();
    for suite in suites {
        total.add(Counts::of_cases(&suite.cases));
    }
    write_open(&mut out, name, total)?;
    for suite in suites {
        write_suite(&mut out, suite, working_dir)?;
    }
    write_close(&mut out)
}

fn write_open(out: &mut impl Write, name: &str, counts: Counts) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{}" tests="{}" failures="{}" errors="{}">"#,
        escape(name),
        counts.tests,
        counts.failures,
        counts.errors
    )
}

fn write_close(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "</testsuites>")
}

fn write_suite_open(out: &mut impl Write, file: &str, counts: Counts) -> io::Result<()> {
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}" skipped="0">"#,
        escape(file),
        counts.tests,
        counts.failures,
        counts.errors
    )
}

fn write_suite(
    out: &mut impl Write,
    suite: &TestSuite,
    working_dir: Option<&Path>,
) -> io::Result<()> {
    let file = file_name(&suite.file, working_dir);
    write_suite_open(out, &file, Counts::of_cases(&suite.cases))?;
    for case in &suite.cases {
        write_case(out, &file, case)?;
    }
    writeln!(out, "  </testsuite>")
}

fn write_case(out: &mut impl Write, file: &str, case: &TestCase) -> io::Result<()> {
    let file = escape(file);
    write!(
        out,
        r#"    <testcase name="{}" classname="{file}" file="{file}""#,
        escape(&case.name)
    )?;
    if let Some(line) = case.line {
        write!(out, r#" line="{line}""#)?;
    }
    match &case.verdict {
        Verdict::Passed { output: None } => writeln!(out, "/>"),
        Verdict::Passed {
            output: Some(output),
        } => writeln!(
            out,
            ">\n      <system-out>{}</system-out>\n    </testcase>",
            escape_text(output)
        ),
        Verdict::Failed {
            kind,
            message,
            detail,
        } => write_outcome(out, "failure", kind, message, detail),
        Verdict::Error {
            kind,
            message,
            detail,
        } => write_outcome(out, "error", kind, message, detail),
    }
}

fn write_outcome(
    out: &mut impl Write,
    element: &str,
    kind: &str,
    message: &str,
    detail: &str,
) -> io::Result<()> {
    writeln!(
        out,
        ">\n      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n    </testcase>",
        escape(kind),
        escape(message),
        escape_text(detail)
    )
}

/// `text` as XML 1.0 character data between tags: as `escape`, but tabs
/// and line breaks stay as they are, which is easier to read.
pub fn escape_text(text: &str) -> String {
    escape(text).replace("&#10;", "\n").replace("&#9;", "\t")
}

/// `text` as an XML 1.0 attribute value (or character data). Markup
/// characters become entities; tab, CR and LF become character references
/// (an attribute value would turn them into spaces otherwise); every other
/// control character, which XML 1.0 cannot carry at all, and the
/// non-characters U+FFFE and U+FFFF become the visible escape human output
/// uses (`\u{1b}`).
pub fn escape(text: &str) -> String {
    let visible = crate::terminal::escape_controls(text);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_characters_xml_cannot_carry_are_escaped() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(escape("x\ty\nz"), "x&#9;y&#10;z");
        assert_eq!(escape_text("x\ty\n<z>"), "x\ty\n&lt;z&gt;");
        assert_eq!(
            escape("\u{1b}[2J\u{0}\u{7}\r\u{fffe}"),
            "\\u{1b}[2J\\u{0}\\u{7}\\u{d}\\u{fffe}"
        );
        assert_eq!(escape("Öl – ok"), "Öl – ok");
    }

    #[test]
    fn counts_agree_with_the_cases() {
        let failed = TestCase {
            name: "x".into(),
            line: Some(1),
            verdict: Verdict::Failed {
                kind: "k".into(),
                message: "m".into(),
                detail: "d".into(),
            },
        };
        let passed = TestCase {
            name: "y".into(),
            line: None,
            verdict: Verdict::Passed { output: None },
        };
        assert_eq!(
            Counts::of_cases(&[failed, passed]),
            Counts {
                tests: 2,
                failures: 1,
                errors: 0
            }
        );
    }
}
