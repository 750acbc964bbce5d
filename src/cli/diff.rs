//! `deal diff OLD NEW [--format human|json]`: what changed between two
//! versions of a contract, in text and in effect. Exits 0 whatever changed;
//! 1 when a file does not parse or resolve; 2 for I/O problems.

use super::Exit;
use super::query::{AnswerFormat, load_contract};
use crate::diff::{diff, human, json};
use crate::render::output::text_width;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The earlier version.
    pub old: PathBuf,
    /// The later version.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,
}

pub fn run(args: &DiffArgs) -> Exit {
    let old = match load_contract(&args.old, args.format) {
        Ok(contract) => contract,
        Err(exit) => return exit,
    };
    let new = match load_contract(&args.new, args.format) {
        Ok(contract) => contract,
        Err(exit) => return exit,
    };
    let report = diff(&old, &new);
    match args.format {
        AnswerFormat::Human => print!("{}", human(&report, text_width())),
        AnswerFormat::Json => println!("{}", json(&report)),
    }
    Exit::Success
}
