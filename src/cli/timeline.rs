//! `deal timeline FILE [--scenario NAME] [--svg OUT.svg]`: when each clause
//! is in force under a scenario, as a terminal Gantt chart and, with
//! `--svg`, an SVG written atomically.

use super::query::{AnswerFormat, load_contract, scenario_arg};
use super::{Exit, report_problem};
use crate::render::files::write_atomically;
use crate::render::files::{IoProblem, same_file};
use crate::render::output::text_width;
use crate::render::scenario_args::ScenarioArgs;
use crate::timeline::{Style, build, render_svg, render_terminal};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct TimelineArgs {
    /// The contract.
    pub file: PathBuf,
    /// Draw the windows under a scenario declared in the file (default: no
    /// event happens and facts take their defaults).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Also write the chart as an SVG to this file.
    #[arg(long, value_name = "OUT.svg")]
    pub svg: Option<PathBuf>,
}

pub fn run(args: &TimelineArgs) -> Exit {
    if let Some(path) = &args.svg
        && same_file(path, &args.file)
    {
        return report_problem(&IoProblem(format!(
            "`--svg {}` is the contract being drawn: it would be overwritten; name another file",
            path.display()
        )));
    }
    let contract = match load_contract(&args.file, AnswerFormat::Human) {
        Ok(contract) => contract,
        Err(exit) => return exit,
    };
    let scenario_args = ScenarioArgs {
        scenario: args.scenario.clone(),
        ..ScenarioArgs::default()
    };
    let scenario = match scenario_arg(&contract, &scenario_args, AnswerFormat::Human) {
        Ok(scenario) => scenario,
        Err(exit) => return exit,
    };
    let timeline = build(&contract, &scenario);
    let style = Style {
        width: text_width(),
        unicode: std::io::stdout().is_terminal(),
    };
    let chart = render_terminal(&timeline, style);
    print!("{}", crate::terminal::escape_controls(&chart));
    if let Some(path) = &args.svg {
        if let Err(problem) = write_atomically(path, render_svg(&timeline).as_bytes()) {
            return report_problem(&problem);
        }
        eprintln!("wrote {}", path.display());
    }
    Exit::Success
}
