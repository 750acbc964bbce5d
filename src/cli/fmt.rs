//! `deal fmt [--check] FILE|DIR...`: rewrite contracts in the canonical layout
//! (docs/format.md), or with `--check` show what would change.
//!
//! A file that does not parse is refused and left untouched; a file is written
//! only when its text changes, and always atomically.

use super::{Exit, report_problem};
use crate::diagnostic::{Located, render};
use crate::fmt::FormatError;
use crate::render::files::{
    DealFile, IoProblem, collect_deal_files, display_name, write_atomically,
};
use crate::render::output;
use crate::render::report::plural;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Contracts to format: files, or directories (every `*.deal` file below).
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Write nothing: print a unified diff of each file that would change and
    /// exit 1 if any would.
    #[arg(long)]
    pub check: bool,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    /// Rewritten, or (under `--check`) would be.
    Changed,
    /// It does not parse, or its formatted text would read differently: the
    /// reason was printed, nothing was written.
    Refused,
}

pub fn run(args: &FmtArgs) -> Exit {
    let files = match collect_deal_files(&args.paths) {
        Ok(files) => files,
        Err(problem) => return report_problem(&problem),
    };
    let mut exit = Exit::Success;
    let mut changed = 0usize;
    for file in &files {
        match format_path(file, args.check) {
            Ok(Outcome::Unchanged) => {}
            Ok(Outcome::Changed) => {
                changed += 1;
                if args.check {
                    exit = exit.max(Exit::Failure);
                }
            }
            Ok(Outcome::Refused) => exit = exit.max(Exit::Failure),
            Err(problem) => exit = exit.max(report_problem(&problem)),
        }
    }
    let files = plural(changed, "file");
    if args.check {
        eprintln!("{files} would be reformatted");
    } else {
        eprintln!("formatted {files}");
    }
    exit
}

fn format_path(file: &DealFile, check: bool) -> Result<Outcome, IoProblem> {
    let path = &file.path;
    let source = file.read()?;
    let formatted = match crate::fmt::format_source(&source) {
        Ok(text) => text,
        Err(FormatError::Syntax(diagnostics)) => {
            let style = output::stderr_style();
            for diagnostic in &diagnostics {
                let located = Located {
                    file: &source,
                    diagnostic,
                };
                eprint!("{}", render(located, style));
            }
            eprintln!(
                "error: `{}` does not parse; it was left unchanged",
                source.name
            );
            return Ok(Outcome::Refused);
        }
        Err(FormatError::Unfaithful { span }) => {
            let (line, _) = source.line_col(span.start);
            eprintln!(
                "error: formatting `{}` would change the contract near line {line}; \
                 it was left unchanged",
                source.name
            );
            eprintln!(
                "help: a `///` line inside an item becomes a doc comment once moved above the \
                 next item: write `//` there (anything else is a bug in `deal fmt`)"
            );
            return Ok(Outcome::Refused);
        }
    };
    if *source.text == *formatted {
        return Ok(Outcome::Unchanged);
    }
    if check {
        // `a/` and `b/` prefixes as git writes them, also for absolute paths.
        let name = display_name(path);
        print!(
            "{}",
            unified_diff(name.trim_start_matches('/'), &source.text, &formatted)
        );
    } else {
        write_atomically(path, formatted.as_bytes())?;
    }
    Ok(Outcome::Changed)
}

/// `--- a/NAME` / `+++ b/NAME` and the changed hunks with three lines of
/// context; coloured only on a terminal that allows it.
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    if !output::stdout_color() {
        return text;
    }
    let mut coloured = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let colour = match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => "\x1b[32m",
            Some(b'-') if !line.starts_with("---") => "\x1b[31m",
            Some(b'@') => "\x1b[36m",
            _ => "",
        };
        if colour.is_empty() {
            coloured.push_str(line);
        } else {
            let body = line.strip_suffix('\n').unwrap_or(line);
            coloured.push_str(colour);
            coloured.push_str(body);
            coloured.push_str("\x1b[0m");
            if line.ends_with('\n') {
                coloured.push('\n');
            }
        }
    }
    coloured
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_git_style_headers_and_hunks() {
        let diff = unified_diff("x.deal", "party a\nparty  b\n", "party a\nparty b\n");
        assert!(
            diff.starts_with("--- a/x.deal\n+++ b/x.deal\n@@ "),
            "{diff}"
        );
        assert!(diff.contains("\n-party  b\n+party b\n"), "{diff}");
    }
}
