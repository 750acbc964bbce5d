//! `deal check FILE|DIR...`: parse, check and lint contracts for CI.

use super::{Exit, report_problem};
use crate::diagnostic::Code;
use crate::render::batch::{JobsArgs, map_files};
use crate::render::files::{DealFile, IoProblem, collect_deal_files, display_name};
use crate::render::output::write_stdout;
use crate::render::report::{FileReport, Totals, Unreadable};
use crate::render::scenario_args::suggestion;
use crate::render::{gitlab, junit, output, report};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Contract files, or directories to search for `*.deal` files.
    #[arg(required_unless_present = "explain", value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format: human reports on stderr, or a machine format on stdout.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Treat a class of findings as errors (`--deny warnings`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Vec<Deny>,
    /// Explain a diagnostic code (`deal::conflict` or `conflict`) instead of
    /// checking: what it reports, why, and for a lint an example.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["paths", "format", "deny"])]
    pub explain: Option<String>,
    #[command(flatten)]
    pub jobs: JobsArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// Reports with snippets and a summary line, on stderr.
    Human,
    /// One JSON object: counts and every diagnostic.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning (`upload-sarif`).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: a test suite per file, a test case per finding.
    Junit,
    /// GitLab Code Quality JSON: an issue per finding.
    Gitlab,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deny {
    /// Any warning fails the check.
    Warnings,
}

pub fn run(args: &CheckArgs) -> Exit {
    if let Some(code) = &args.explain {
        return explain_code(code);
    }
    let paths = match collect_deal_files(&args.paths) {
        Ok(paths) => paths,
        Err(problem) => return report_problem(&problem),
    };
    // Human reports are drawn by the workers too, each file's on its own
    // (the report is the files' reports one after another), so drawing
    // thousands of diagnostics does not wait for one thread.
    let style = output::stderr_style();
    let human = args.format == CheckFormat::Human;
    let checked = map_files(&paths, args.jobs.threads(), |file| {
        check_file(file).map(|report| {
            let drawn = if human {
                report::human(std::slice::from_ref(&report), style)
            } else {
                String::new()
            };
            (report, drawn)
        })
    });
    let mut reports = Vec::new();
    let mut drawn = String::new();
    let mut unreadable = Vec::new();
    for outcome in checked {
        match outcome {
            Ok((report, text)) => {
                reports.push(report);
                drawn.push_str(&text);
            }
            Err(problem) => unreadable.push(problem),
        }
    }
    let totals = Totals::of(&reports);
    match args.format {
        CheckFormat::Human => {
            for problem in &unreadable {
                eprintln!("error: {}", problem.message);
            }
            eprint!("{drawn}");
            // A lone unreadable file stays a one-line error.
            if !reports.is_empty() || unreadable.is_empty() {
                eprintln!("{}", totals.summary());
            }
        }
        CheckFormat::Json => println!("{}", report::json(&reports, &unreadable)),
        CheckFormat::Sarif => {
            let working_dir = std::env::current_dir().ok();
            let written = write_stdout(|out| {
                report::write_sarif(&mut *out, &reports, &unreadable, working_dir.as_deref())?;
                writeln!(out)
            });
            if let Err(e) = written {
                return report_problem(&IoProblem(format!("cannot write the SARIF log: {e}")));
            }
        }
        CheckFormat::Github => {
            let working_dir = std::env::current_dir().ok();
            print!(
                "{}",
                report::github(&reports, &unreadable, working_dir.as_deref())
            );
        }
        CheckFormat::Junit => {
            let working_dir = std::env::current_dir().ok();
            let deny_warnings = args.deny.contains(&Deny::Warnings);
            let written = write_stdout(|out| {
                junit::write_check(
                    out,
                    &reports,
                    &unreadable,
                    deny_warnings,
                    working_dir.as_deref(),
                )
            });
            if let Err(e) = written {
                return report_problem(&IoProblem(format!("cannot write the JUnit report: {e}")));
            }
        }
        CheckFormat::Gitlab => {
            let working_dir = std::env::current_dir().ok();
            let written = write_stdout(|out| {
                gitlab::write(&mut *out, &reports, &unreadable, working_dir.as_deref())?;
                writeln!(out)
            });
            if let Err(e) = written {
                return report_problem(&IoProblem(format!(
                    "cannot write the Code Quality report: {e}"
                )));
            }
        }
    }
    if !unreadable.is_empty() {
        return Exit::Usage;
    }
    let denied_warnings = args.deny.contains(&Deny::Warnings) && totals.warnings > 0;
    if totals.errors > 0 || denied_warnings {
        Exit::Failure
    } else {
        Exit::Success
    }
}

/// One file's diagnostics, or why it cannot be read.
fn check_file(file: &DealFile) -> Result<FileReport, Unreadable> {
    let source = file.read().map_err(|problem| Unreadable {
        file: display_name(&file.path),
        message: problem.0,
    })?;
    let diagnostics = crate::check_and_lint(&source);
    Ok(FileReport {
        source,
        diagnostics,
    })
}

/// `deal check --explain CODE`: the code's documentation on stdout.
fn explain_code(text: &str) -> Exit {
    let Some(code) = Code::from_name(text) else {
        let names: Vec<&str> = Code::ALL.iter().map(|code| code.name()).collect();
        eprintln!(
            "error: --explain: no diagnostic code `{text}`{}",
            suggestion(text.trim_start_matches("deal::"), &names)
        );
        return Exit::Usage;
    };
    print!("{}", report::explanation(code));
    Exit::Success
}
