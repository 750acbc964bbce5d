//! `deal test FILE|DIR...`: run every `expect` block (and every `assert`).

use super::{Exit, report_problem};
use crate::ast::ItemKind;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{Contract, ExpectOutcome, run_expectations};
use crate::render::batch::{JobsArgs, map_files};
use crate::render::files::{DealFile, IoProblem, collect_deal_files, display_name};
use crate::render::junit::{TestCase, TestSuite};
use crate::render::output::write_stdout;
use crate::render::report::{FileReport, Unreadable, human, json_diagnostics, plural};
use crate::render::{gitlab, junit, output};
use crate::source::SourceFile;
use serde_json::{Value as Json, json};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Contract files, or directories to search for `*.deal` files.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format: a human report, or a machine format on stdout.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    #[command(flatten)]
    pub jobs: JobsArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    /// Failures as reports on stderr, the totals on stdout.
    Human,
    /// One JSON summary: counts, failures and diagnostics.
    Json,
    /// JUnit XML: a test suite per file, a test case per expectation and
    /// assertion.
    Junit,
    /// GitLab Code Quality JSON: an issue per failed expectation or
    /// assertion and per error.
    Gitlab,
}

impl TestFormat {
    /// Whether the format is one document that reports unreadable files
    /// inside it rather than stopping at the first.
    fn reports_unreadable(self) -> bool {
        matches!(self, TestFormat::Junit | TestFormat::Gitlab)
    }
}

/// Counts and failures over every file.
#[derive(Default)]
struct Tally {
    scenarios: usize,
    expectations: usize,
    passed: usize,
    failed: usize,
    assertions: usize,
    assertions_failed: usize,
    failures: Vec<Json>,
    reports: Vec<FileReport>,
    /// A JUnit suite per file, in file order.
    suites: Vec<TestSuite>,
    unreadable: Vec<Unreadable>,
}

pub fn run(args: &TestArgs) -> Exit {
    let paths = match collect_deal_files(&args.paths) {
        Ok(paths) => paths,
        Err(problem) => return report_problem(&problem),
    };
    let tested = map_files(&paths, args.jobs.threads(), test_file);
    let mut tally = Tally::default();
    for (file, outcome) in paths.iter().zip(tested) {
        match outcome {
            Ok(file_tally) => tally.add(file_tally),
            Err(problem) if args.format.reports_unreadable() => {
                let problem = Unreadable {
                    file: display_name(&file.path),
                    message: problem.0,
                };
                tally.suites.push(TestSuite::unreadable(&problem));
                tally.unreadable.push(problem);
            }
            // The first unreadable file in walk order ends the run.
            Err(problem) => return report_problem(&problem),
        }
    }
    let errors = tally
        .reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.is_error())
        .count();
    match args.format {
        TestFormat::Human => {
            eprint!("{}", human(&tally.reports, output::stderr_style()));
            println!(
                "{} in {}: {}",
                plural(tally.scenarios, "scenario"),
                plural(paths.len(), "file"),
                tally.summary()
            );
        }
        TestFormat::Json => {
            let report = json!({
                "files": paths.len(),
                "scenarios": tally.scenarios,
                "expectations": tally.expectations,
                "passed": tally.passed,
                "failed": tally.failed,
                "assertions": tally.assertions,
                "assertions_failed": tally.assertions_failed,
                "failures": tally.failures,
                "errors": errors,
                "diagnostics": json_diagnostics(&tally.reports),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        TestFormat::Junit => {
            let working_dir = std::env::current_dir().ok();
            let written = write_stdout(|out| {
                junit::write_suites(out, "deal test", &tally.suites, working_dir.as_deref())
            });
            if let Err(e) = written {
                return report_problem(&IoProblem(format!("cannot write the JUnit report: {e}")));
            }
        }
        TestFormat::Gitlab => {
            let working_dir = std::env::current_dir().ok();
            let written = write_stdout(|out| {
                gitlab::write(
                    &mut *out,
                    &tally.reports,
                    &tally.unreadable,
                    working_dir.as_deref(),
                )?;
                writeln!(out)
            });
            if let Err(e) = written {
                return report_problem(&IoProblem(format!(
                    "cannot write the Code Quality report: {e}"
                )));
            }
        }
    }
    if !tally.unreadable.is_empty() {
        return Exit::Usage;
    }
    if errors > 0 || tally.failed > 0 || tally.assertions_failed > 0 {
        Exit::Failure
    } else {
        Exit::Success
    }
}

impl Tally {
    /// Another file's counts and failures, after this one's.
    fn add(&mut self, other: Tally) {
        self.scenarios += other.scenarios;
        self.expectations += other.expectations;
        self.passed += other.passed;
        self.failed += other.failed;
        self.assertions += other.assertions;
        self.assertions_failed += other.assertions_failed;
        self.failures.extend(other.failures);
        self.reports.extend(other.reports);
        self.suites.extend(other.suites);
        self.unreadable.extend(other.unreadable);
    }

    fn summary(&self) -> String {
        let mut text = format!(
            "expectations: {} passed, {} failed",
            self.passed, self.failed
        );
        if self.assertions > 0 {
            text.push_str(&format!(
                "; assertions: {} passed, {} failed",
                self.assertions - self.assertions_failed,
                self.assertions_failed
            ));
        }
        text
    }
}

/// The JUnit suite of a file that does not load: one case in error.
fn unloaded_suite(source: &SourceFile, diagnostics: &[Diagnostic]) -> TestSuite {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    TestSuite {
        file: source.name.clone(),
        cases: vec![TestCase::failed(LOAD_CASE, None, source, &errors, true)],
    }
}

/// The JUnit case of a file that loads and checks.
const LOAD_CASE: &str = "loads and checks";

/// One file's counts, failures and JUnit suite, or why it cannot be read.
fn test_file(file: &DealFile) -> Result<Tally, IoProblem> {
    let loaded = crate::load(file.read()?);
    let mut tally = Tally::default();
    match loaded.contract() {
        Ok(contract) => test_contract(&contract, &mut tally),
        Err(diagnostics) => {
            tally
                .suites
                .push(unloaded_suite(&loaded.source, &diagnostics));
            tally.reports.push(FileReport {
                source: loaded.source.clone(),
                diagnostics,
            })
        }
    }
    Ok(tally)
}

fn test_contract(contract: &Contract, tally: &mut Tally) {
    let mut diagnostics = Vec::new();
    let source = &contract.source;
    let line_of = |span: crate::source::Span| Some(source.line_col(span.start).0);
    let mut suite = TestSuite {
        file: source.name.clone(),
        cases: vec![TestCase::passed(LOAD_CASE, None)],
    };
    for item in &contract.file.items {
        let ItemKind::Scenario(block) = &item.kind else {
            continue;
        };
        tally.scenarios += 1;
        match run_expectations(contract, block) {
            Err(mut problems) => {
                let problems_ref: Vec<&Diagnostic> = problems.iter().collect();
                suite.cases.push(TestCase::failed(
                    format!("scenario {}", block.name.text),
                    line_of(item.span),
                    source,
                    &problems_ref,
                    true,
                ));
                diagnostics.append(&mut problems)
            }
            Ok(outcomes) => {
                for outcome in outcomes {
                    tally.expectations += 1;
                    let name = format!(
                        "scenario {}, at {}: {}",
                        block.name.text, outcome.at, outcome.text
                    );
                    if outcome.passed {
                        tally.passed += 1;
                        suite
                            .cases
                            .push(TestCase::passed(name, line_of(outcome.span)));
                        continue;
                    }
                    tally.failed += 1;
                    let (line, _) = contract.source.line_col(outcome.span.start);
                    tally.failures.push(json!({
                        "file": contract.source.name,
                        "scenario": block.name.text,
                        "line": line,
                        "expectation": outcome.text,
                        "expected": outcome.expected,
                        "got": outcome.got,
                        "at": outcome.at.to_string(),
                        "clauses": outcome.deciding.iter().map(|&id| contract.clause_label(id)).collect::<Vec<_>>(),
                    }));
                    let failure = expect_failed(contract, &block.name.text, &outcome);
                    let mut reasons = vec![&failure];
                    reasons.extend(outcome.error.as_ref());
                    suite.cases.push(TestCase::failed(
                        name,
                        line_of(outcome.span),
                        source,
                        &reasons,
                        false,
                    ));
                    diagnostics.push(failure);
                    if let Some(error) = outcome.error {
                        diagnostics.push(error);
                    }
                }
            }
        }
    }
    for outcome in crate::analysis::check_assertions(contract) {
        tally.assertions += 1;
        let name = format!("assert {}", outcome.label);
        if outcome.passed {
            suite
                .cases
                .push(TestCase::passed(name, line_of(outcome.span)));
            continue;
        }
        // A counterexample fails the assertion; an evaluation error or a
        // limit means it could not be decided.
        let reasons: Vec<&Diagnostic> = outcome.diagnostic.iter().collect();
        let undecided = reasons.iter().any(|d| d.code != Code::AssertionFailed);
        suite.cases.push(TestCase::failed(
            name,
            line_of(outcome.span),
            source,
            &reasons,
            undecided,
        ));
        tally.assertions_failed += 1;
        if let Some(failure) = crate::analysis::failure_json(contract, &outcome) {
            let mut failure = failure;
            if let Some(fields) = failure.as_object_mut() {
                fields.insert("file".into(), json!(contract.source.name));
            }
            tally.failures.push(failure);
        }
        if let Some(diagnostic) = outcome.diagnostic {
            diagnostics.push(diagnostic);
        }
    }
    tally.suites.push(suite);
    Diagnostic::sort(&mut diagnostics);
    if !diagnostics.is_empty() {
        tally.reports.push(FileReport {
            source: contract.source.clone(),
            diagnostics,
        });
    }
}

/// `deal::expect-failed` at the expectation, with the deciding clauses labelled.
fn expect_failed(contract: &Contract, scenario: &str, outcome: &ExpectOutcome) -> Diagnostic {
    // An expression: its value on each side, and no clause to point at.
    if let Some((left, right)) = &outcome.sides {
        return Diagnostic::new(
            Code::ExpectFailed,
            format!(
                "`{}` is {}: the left side is {left}, the right side {right} (scenario `{scenario}`, at {})",
                outcome.text, outcome.got, outcome.at
            ),
            outcome.span,
            format!("{left}, expected {right}"),
        )
        .with_help("the expression is evaluated with the scenario's facts; check them or the expected value");
    }
    if outcome.expected == "true" && outcome.deciding.is_empty() {
        return Diagnostic::new(
            Code::ExpectFailed,
            format!(
                "`{}` is {}, expected true (scenario `{scenario}`, at {})",
                outcome.text, outcome.got, outcome.at
            ),
            outcome.span,
            format!("{}, expected true", outcome.got),
        )
        .with_help(
            "the expression is evaluated with the scenario's facts; check them or the expression",
        );
    }
    let mut diagnostic = Diagnostic::new(
        Code::ExpectFailed,
        format!(
            "expected {}, got {} (scenario `{scenario}`, at {})",
            outcome.expected, outcome.got, outcome.at
        ),
        outcome.span,
        format!("expected {}", outcome.expected),
    );
    for &id in &outcome.deciding {
        diagnostic = diagnostic.with_label(
            contract.clause_span(id),
            format!("`{}` decides {}", contract.clause_label(id), outcome.got),
        );
    }
    let help = if outcome.deciding.is_empty() {
        format!(
            "no clause decides this act on {}: the answer is {}",
            outcome.at, outcome.got
        )
    } else {
        "if the contract is right, correct the expectation; otherwise change the clauses labelled here".to_string()
    };
    diagnostic.with_help(help)
}
