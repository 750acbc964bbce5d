//! `deal explain FILE`: every clause as a plain-English sentence, grouped by party.

use super::Exit;
use super::query::{AnswerFormat, load_contract};
use crate::explain::{BOLD, Layout, RESET, explain_contract};
use crate::render::output::{self, text_width};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The contract.
    pub file: PathBuf,
}

/// Width of the text: `COLUMNS` when it is a sensible number, else 80.
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
