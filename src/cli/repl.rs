//! `deal repl [FILE]`: the interactive session (see `crate::repl`).

use super::query::day_arg;
use super::{Exit, report_problem};
use crate::render::files::read_source;
use crate::repl::{Problem, Reply, Session};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ReplArgs {
    /// The contract to load (none: start with an empty one).
    pub file: Option<PathBuf>,
    /// The day to answer for (default: today; `:at` changes it).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Start under a scenario declared in the file (`:scenario` changes it).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
}

pub fn run(args: &ReplArgs) -> Exit {
    let day = match day_arg(&args.at) {
        Ok(day) => day,
        Err(exit) => return exit,
    };
    let mut session = Session::new(day);
    let mut opening = Reply::default();
    if let Some(path) = &args.file {
        // An unreadable file is a usage error; a contract with errors still starts.
        if let Err(problem) = read_source(path) {
            return report_problem(&problem);
        }
        opening = session.load_file(path);
    }
    if let Some(name) = &args.scenario {
        let reply = session.run(&format!(":scenario {name}"));
        if reply.failed() {
            eprint!(
                "{}",
                reply.render_problems(crate::diagnostic::RenderStyle::PLAIN)
            );
            // As `query --scenario` does: a scenario that is not declared is
            // a usage error, one that cannot happen a diagnostic.
            let diagnosed = reply
                .problems
                .iter()
                .any(|problem| matches!(problem, Problem::Diagnostic { .. }));
            return if diagnosed {
                Exit::Failure
            } else {
                Exit::Usage
            };
        }
    }
    crate::repl::run(session, opening)
}
