//! `deal query FILE "QUERY"`: answer one question, with the clauses behind it.

use super::{Exit, report_problem};
use crate::diagnostic::Diagnostic;
use crate::eval::{Contract, Scenario};
use crate::render::answer::{render_human, render_json};
use crate::render::ask::{answer_checked, parse_checked_query, report_for};
use crate::render::files::read_source;
use crate::render::output;
use crate::render::report::{FileReport, human, json_errors};
use crate::render::scenario_args::{ScenarioArgs, parse_date};
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// The contract.
    pub file: PathBuf,
    /// A query (`may P A X [on V] [to R] [with W]`, `must ...`, `holds P X ...`,
    /// `status LABEL`) or an expression.
    pub query: String,
    /// The day to answer for (default: today).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerFormat {
    Human,
    Json,
}

/// Diagnostics that stop a command, in the requested format; exit 1.
pub fn fail_with(reports: Vec<FileReport>, format: AnswerFormat) -> Exit {
    match format {
        AnswerFormat::Human => eprint!("{}", human(&reports, output::stderr_style())),
        AnswerFormat::Json => println!("{}", json_errors(&reports)),
    }
    Exit::Failure
}

/// Read and load a contract that must be evaluable; on failure, report and say how to exit.
pub fn load_contract(path: &std::path::Path, format: AnswerFormat) -> Result<Contract, Exit> {
    let source = read_source(path).map_err(|p| report_problem(&p))?;
    crate::load(source)
        .into_contract()
        .map_err(|(source, diagnostics)| {
            fail_with(
                vec![FileReport {
                    source,
                    diagnostics,
                }],
                format,
            )
        })
}

/// The day from `--at`, or today.
pub fn day_arg(at: &Option<String>) -> Result<NaiveDate, Exit> {
    match at {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => parse_date(text).map_err(|e| {
            eprintln!("error: --at: {e}");
            Exit::Usage
        }),
    }
}

/// The scenario from the arguments, validated against the contract.
pub fn scenario_arg(
    contract: &Contract,
    args: &ScenarioArgs,
    format: AnswerFormat,
) -> Result<Scenario, Exit> {
    let scenario = match args.build(contract) {
        Ok(scenario) => scenario,
        Err(Ok(problem)) => {
            eprintln!("error: {}", problem.0);
            return Err(Exit::Usage);
        }
        Err(Err(diagnostics)) => {
            return Err(fail_with(vec![report_of(contract, diagnostics)], format));
        }
    };
    let problems = scenario.validate(contract);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(fail_with(vec![report_of(contract, problems)], format));
    }
    Ok(scenario)
}

fn report_of(contract: &Contract, diagnostics: Vec<Diagnostic>) -> FileReport {
    FileReport {
        source: contract.source.clone(),
        diagnostics,
    }
}

pub fn run(args: &QueryArgs) -> Exit {
    match run_inner(args) {
        Ok(exit) | Err(exit) => exit,
    }
}

fn run_inner(args: &QueryArgs) -> Result<Exit, Exit> {
    let day = day_arg(&args.at)?;
    let contract = load_contract(&args.file, args.format)?;
    let query =
        parse_checked_query(&contract, &args.query).map_err(|r| fail_with(vec![r], args.format))?;
    let scenario = scenario_arg(&contract, &args.scenario, args.format)?;
    let asked = answer_checked(&contract, &scenario, query, day)
        .map_err(|d| fail_with(vec![report_for(&contract, &args.query, d)], args.format))?;
    let explained = asked.explained(&contract, &scenario, &args.query, day);
    match args.format {
        AnswerFormat::Human => print!("{}", render_human(&explained)),
        AnswerFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&render_json(&explained)).unwrap_or_default()
        ),
    }
    Ok(Exit::Success)
}
