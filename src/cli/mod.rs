//! The `deal` command line: one module per subcommand. Each subcommand reads
//! its files, calls the library, renders, and returns an `Exit`; `main` only
//! parses arguments and turns the `Exit` into the process status. What the
//! output looks like belongs to `render`, shared with the REPL.

pub mod check;
pub mod diff;
pub mod explain;
pub mod explore;
pub mod fmt;
pub mod lsp;
pub mod query;
pub mod repl;
pub mod test;
pub mod timeline;

pub use crate::render::exit::{Exit, report_problem};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "deal",
    version,
    about = "Parse, check, evaluate and explain contracts written in the deal language",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse, check and lint contracts (for editors and CI).
    Check(check::CheckArgs),
    /// Answer one query or expression, with the clauses behind the answer.
    Query(query::QueryArgs),
    /// Run every `expect` block and every `assert` of the contracts.
    Test(test::TestArgs),
    /// An interactive session: queries, typed clauses and `:commands`.
    Repl(repl::ReplArgs),
    /// Rewrite contracts in the canonical layout (`--check`: show the diff instead).
    Fmt(fmt::FmtArgs),
    /// Show how a query's answer depends on the future: every distinct timeline.
    Explore(explore::ExploreArgs),
    /// What changed between two versions: clauses, values, declarations, and their effect per party.
    Diff(diff::DiffArgs),
    /// Every clause as a plain-English sentence, grouped by party.
    Explain(explain::ExplainArgs),
    /// When each clause is in force under a scenario: a terminal Gantt chart, and an SVG.
    Timeline(timeline::TimelineArgs),
    /// A language server for editors, over stdin and stdout.
    Lsp(lsp::LspArgs),
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Repl(args) => repl::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Explore(args) => explore::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Timeline(args) => timeline::run(&args),
        Command::Lsp(args) => lsp::run(&args),
    }
}
