//! `deal test FILE|DIR...`: run every `expect` block (and every `assert`).

use super::{Exit, report_problem};
use crate::ast::ItemKind;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{Contract, ExpectOutcome, run_expectations};
use crate::render::batch::{JobsArgs, map_files};
use crate::render::files::{DealFile, IoProblem, collect_deal_files};
use crate::render::output;
use crate::render::report::{FileReport, human, json_diagnostics, plural};
use serde_json::{Value as Json, json};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Contract files, or directories to search for `*.deal` files.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format: a human report, or one JSON summary on stdout.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    #[command(flatten)]
    pub jobs: JobsArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    Human,
    Json,
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
}

pub fn run(args: &TestArgs) -> Exit {
    let paths = match collect_deal_files(&args.paths) {
        Ok(paths) => paths,
        Err(problem) => return report_problem(&problem),
    };
    let tested = map_files(&paths, args.jobs.threads(), test_file);
    let mut tally = Tally::default();
    for outcome in tested {
        match outcome {
            Ok(file_tally) => tally.add(file_tally),
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

/// One file's counts and failures, or why it cannot be read.
fn test_file(file: &DealFile) -> Result<Tally, IoProblem> {
    let loaded = crate::load(file.read()?);
    let mut tally = Tally::default();
    match loaded.contract() {
        Ok(contract) => test_contract(&contract, &mut tally),
        Err(diagnostics) => tally.reports.push(FileReport {
            source: loaded.source.clone(),
            diagnostics,
        }),
    }
    Ok(tally)
}

fn test_contract(contract: &Contract, tally: &mut Tally) {
    let mut diagnostics = Vec::new();
    for item in &contract.file.items {
        let ItemKind::Scenario(block) = &item.kind else {
            continue;
        };
        tally.scenarios += 1;
        match run_expectations(contract, block) {
            Err(mut problems) => diagnostics.append(&mut problems),
            Ok(outcomes) => {
                for outcome in outcomes {
                    tally.expectations += 1;
                    if outcome.passed {
                        tally.passed += 1;
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
                    diagnostics.push(expect_failed(contract, &block.name.text, &outcome));
                    if let Some(error) = outcome.error {
                        diagnostics.push(error);
                    }
                }
            }
        }
    }
    for outcome in crate::analysis::check_assertions(contract) {
        tally.assertions += 1;
        if outcome.passed {
            continue;
        }
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
