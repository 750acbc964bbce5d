//! `deal lsp`: the language server, for editors (see docs/editors.md).

use super::Exit;

#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted
    /// because editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &LspArgs) -> Exit {
    match crate::lsp::run_stdio() {
        Ok(()) => Exit::Success,
        Err(problem) => {
            eprintln!("error: deal lsp: {problem}");
            Exit::Usage
        }
    }
}
