//! `deal explain FILE`: every clause as a plain-English sentence, grouped by party.

use super::query::{AnswerFormat, load_contract};
use super::{Exit, output};
use crate::explain::{BOLD, Layout, RESET, explain_contract};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The contract.
    pub file: PathBuf,
}

/// Width of the text: `COLUMNS` when it is a sensible number, else 80.
pub fn text_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| (20..=500).contains(&w))
        .unwrap_or(80)
}

pub fn run(args: &ExplainArgs) -> Exit {
    let contract = match load_contract(&args.file, AnswerFormat::Human) {
        Ok(contract) => contract,
        Err(exit) => return exit,
    };
    let layout = Layout {
        width: text_width(),
        bold: output::stdout_color(),
    };
    let text = explain_contract(&contract, layout);
    // The title's bold is ours; any other escape came from the contract.
    let ours: &[&str] = if layout.bold { &[BOLD, RESET] } else { &[] };
    print!("{}", crate::terminal::escape_controls_keeping(&text, ours));
    Exit::Success
}
