use clap::Parser;
use deal::cli::{Cli, run};

fn main() -> std::process::ExitCode {
    run(Cli::parse()).into()
}
