//! Reading lines: interactively through rustyline (prompt, editing,
//! history), or in batch mode when stdin is not a terminal (every line run,
//! plain output, no prompts, exit status 1 if any line failed).

use super::helper::{DealHelper, Vocabulary};
use super::session::{Reply, Session};
use crate::diagnostic::RenderStyle;
use crate::render::exit::Exit;
use crate::render::files::{read_at_most, write_atomically};
use crate::render::output;
use crate::syntax::lexer::Openness;
use rustyline::Editor;
use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Run a session on this process's stdin: interactive on a terminal, else
/// batch. `opening` is what loading the contract reported.
pub fn run(session: Session, opening: Reply) -> Exit {
    if std::io::stdin().is_terminal() {
        interactive(session, opening)
    } else {
        let stdin = std::io::stdin();
        batch(
            session,
            &opening,
            stdin.lock(),
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )
    }
}

/// Batch mode: run every input from `input` (lines, joined while a `{`,
/// `(` or string is open), write results to `out` and problems to `err`,
/// plainly. Exit 1 if the opening or any input reported an error.
pub fn batch(
    mut session: Session,
    opening: &Reply,
    mut input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Exit {
    let mut failed = opening.failed();
    // Write errors (a closed pipe) end the run; there is nobody to tell.
    if emit(opening, RenderStyle::PLAIN, out, err).is_err() {
        return Exit::Failure;
    }
    let mut pending = String::new();
    let mut openness = Openness::default();
    let mut line_number = 0usize;
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        let read = match input.read_until(b'\n', &mut bytes) {
            Ok(read) => read,
            Err(e) => {
                let _ = writeln!(err, "error: cannot read the input: {e}");
                return Exit::Failure;
            }
        };
        let at_end = read == 0;
        if !at_end {
            line_number += 1;
            match std::str::from_utf8(&bytes) {
                // A command cannot be part of an item: whatever was left
                // open before it is run (and fails) on its own first.
                Ok(line) if line.trim_start().starts_with(':') && !pending.trim().is_empty() => {
                    let reply = session.run(&pending);
                    failed |= reply.failed();
                    if emit(&reply, RenderStyle::PLAIN, out, err).is_err() {
                        return Exit::Failure;
                    }
                    pending.clear();
                    pending.push_str(line);
                    openness = Openness::default();
                    openness.feed(line);
                }
                Ok(line) => {
                    pending.push_str(line);
                    openness.feed(line);
                }
                Err(e) => {
                    failed = true;
                    let _ = writeln!(
                        err,
                        "error: input line {line_number} is not UTF-8 text (invalid byte at column {})",
                        e.valid_up_to() + 1
                    );
                    continue;
                }
            }
            // Commands are always finished.
            if openness.is_incomplete() && !pending.trim_start().starts_with(':') {
                continue;
            }
        }
        if !pending.trim().is_empty() {
            let reply = session.run(&pending);
            failed |= reply.failed();
            if emit(&reply, RenderStyle::PLAIN, out, err).is_err() {
                return Exit::Failure;
            }
            if reply.quit {
                break;
            }
        }
        pending.clear();
        openness = Openness::default();
        if at_end {
            break;
        }
    }
    if failed { Exit::Failure } else { Exit::Success }
}

/// Write a reply: output to `out`, problems to `err`.
fn emit(
    reply: &Reply,
    style: RenderStyle,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<()> {
    out.write_all(reply.output.as_bytes())?;
    out.flush()?;
    err.write_all(reply.render_problems(style).as_bytes())?;
    err.flush()
}

/// The interactive loop. Ctrl-C clears the line, Ctrl-D (or `:quit`)
/// leaves with status 0.
pub fn interactive(mut session: Session, opening: Reply) -> Exit {
    let color = output::stdout_color();
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .color_mode(if color {
            ColorMode::Enabled
        } else {
            ColorMode::Disabled
        })
        .build();
    let mut editor: Editor<DealHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(editor) => editor,
        Err(e) => {
            eprintln!("error: cannot start line editing: {e}");
            return Exit::Usage;
        }
    };
    editor.set_helper(Some(DealHelper::new(
        Vocabulary::of(session.loaded()),
        color,
    )));
    let history = HistoryFile::locate();
    if let Some(history) = &history {
        for entry in history.read() {
            let _ = editor.add_history_entry(entry);
        }
    }
    let stderr_style = output::stderr_style();
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    let _ = emit(&opening, stderr_style, &mut stdout, &mut stderr);
    println!(
        "deal repl: {}. `:help` lists the commands; Ctrl-D leaves.",
        session.summary()
    );
    let mut history_warned = false;
    // Ctrl-C at the prompt is a key rustyline reads; during an evaluation
    // it is a signal, which now cancels the evaluation, not the session.
    crate::interrupt::catch_sigint();
    loop {
        let line = match read_item(&mut editor, &session.prompt()) {
            Ok(line) => line,
            // Ctrl-C: the item is dropped and a fresh prompt shown.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: cannot read the terminal: {e}");
                return Exit::Usage;
            }
        };
        if !line.trim().is_empty() {
            let _ = editor.add_history_entry(line.as_str());
            if let Some(history) = &history
                && let Err(e) = history.append(&line)
                && !history_warned
            {
                eprintln!(
                    "warning: history is not saved to {}: {e}",
                    history.path.display()
                );
                history_warned = true;
            }
        }
        crate::interrupt::take();
        let before = session.clone();
        let reply = session.run(&line);
        if crate::interrupt::take() {
            // What the line computed may be cut short: drop all of it.
            session = before;
            eprintln!("interrupted: the line was not run; the session is as it was");
            continue;
        }
        let _ = emit(&reply, stderr_style, &mut stdout, &mut stderr);
        refresh(&mut editor, &session);
        if reply.quit {
            break;
        }
    }
    Exit::Success
}

/// One item from the terminal: a line, and while it leaves a `{` or `(`
/// open (and is not a `:command`), the lines after it, each read with the
/// continuation prompt, joined as batch mode joins them. Ctrl-C on any line
/// drops the whole item; Ctrl-D on a continuation line runs what was typed,
/// where the parser says what is missing.
fn read_item(
    editor: &mut Editor<DealHelper, DefaultHistory>,
    prompt: &str,
) -> Result<String, ReadlineError> {
    let mut item = editor.readline(prompt)?;
    if item.trim_start().starts_with(':') {
        return Ok(item);
    }
    let mut openness = Openness::default();
    openness.feed(&item);
    openness.feed("\n");
    let continuation = continuation_prompt(prompt);
    while openness.is_incomplete() {
        let line = match editor.readline(&continuation) {
            Ok(line) => line,
            Err(ReadlineError::Eof) => break,
            Err(other) => return Err(other),
        };
        item.push('\n');
        item.push_str(&line);
        openness.feed(&line);
        openness.feed("\n");
    }
    Ok(item)
}

/// `...> `, right-aligned under the prompt so typed text lines up.
fn continuation_prompt(prompt: &str) -> String {
    let width = prompt.chars().count();
    format!("{:>width$}", "...> ")
}

/// Give the editor the session's names after a line that may have changed them.
fn refresh(editor: &mut Editor<DealHelper, DefaultHistory>, session: &Session) {
    if let Some(helper) = editor.helper_mut() {
        helper.vocabulary = Vocabulary::of(session.loaded());
    }
}

// ---------------------------------------------------------------- history

/// Entries kept in memory and written back when the file is compacted.
pub const MAX_HISTORY: usize = 1000;

/// Most bytes of a history file read: far more than `2 * MAX_HISTORY`
/// entries of ordinary length, so only a file that is not a history is cut.
pub const MAX_HISTORY_BYTES: usize = 16 * 1024 * 1024;

/// The history file: one entry a line, `\` and line breaks escaped. New
/// entries are appended with one write each, so sessions running side by
/// side interleave whole entries; the file is compacted by an atomic
/// rewrite when it grows past twice `MAX_HISTORY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryFile {
    pub path: PathBuf,
}

impl HistoryFile {
    /// `DEAL_HISTORY` (set but empty: no history), else
    /// `$XDG_STATE_HOME/deal/history`, else `~/.local/state/deal/history`.
    pub fn locate() -> Option<HistoryFile> {
        history_path(
            std::env::var_os("DEAL_HISTORY"),
            std::env::var_os("XDG_STATE_HOME"),
            std::env::var_os("HOME"),
        )
        .map(|path| HistoryFile { path })
    }

    /// The entries, oldest first (at most `MAX_HISTORY`). A missing or
    /// unreadable file is an empty history, and so is anything but a regular
    /// file (`DEAL_HISTORY=/dev/zero` would never end); at most
    /// `MAX_HISTORY_BYTES` are read.
    pub fn read(&self) -> Vec<String> {
        if !self.is_regular_or_missing() {
            return Vec::new();
        }
        let Ok(file) = std::fs::File::open(&self.path) else {
            return Vec::new();
        };
        let Ok(bytes) = read_at_most(file, MAX_HISTORY_BYTES) else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(&bytes);
        let entries: Vec<String> = text
            .lines()
            .filter(|line| !line.is_empty())
            .map(unescape)
            .collect();
        if entries.len() > 2 * MAX_HISTORY {
            let kept = entries.get(entries.len() - MAX_HISTORY..).unwrap_or(&[]);
            let mut text = String::new();
            for entry in kept {
                text.push_str(&escape(entry));
                text.push('\n');
            }
            // Best effort: a failed rewrite leaves the longer file, still valid.
            let _ = write_atomically(&self.path, text.as_bytes());
        }
        let skip = entries.len().saturating_sub(MAX_HISTORY);
        entries.into_iter().skip(skip).collect()
    }

    /// Append one entry (creating the file and its directory if needed).
    /// A history that is not a regular file (a device, a FIFO) is left alone.
    pub fn append(&self, entry: &str) -> std::io::Result<()> {
        if !self.is_regular_or_missing() {
            return Ok(());
        }
        if let Some(dir) = self.path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        let mut line = escape(entry);
        line.push('\n');
        file.write_all(line.as_bytes())
    }
}

impl HistoryFile {
    fn is_regular_or_missing(&self) -> bool {
        std::fs::metadata(&self.path).map_or(true, |meta| meta.is_file())
    }
}

/// Where history lives, from the values of `DEAL_HISTORY`, `XDG_STATE_HOME`
/// and `HOME`. Relative XDG directories are ignored, as the XDG spec says.
pub fn history_path(
    deal_history: Option<OsString>,
    xdg_state_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    if let Some(path) = deal_history {
        return (!path.is_empty()).then(|| PathBuf::from(path));
    }
    if let Some(dir) = xdg_state_home.map(PathBuf::from)
        && dir.is_absolute()
    {
        return Some(dir.join("deal").join("history"));
    }
    let home = home.map(PathBuf::from).filter(|h| h.is_absolute())?;
    Some(
        Path::new(&home)
            .join(".local")
            .join("state")
            .join("deal")
            .join("history"),
    )
}

fn escape(entry: &str) -> String {
    entry.replace('\\', "\\\\").replace('\n', "\\n")
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_path_prefers_the_variable_then_xdg_then_home() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(
            history_path(os("/tmp/h"), os("/state"), os("/home/u")),
            Some(PathBuf::from("/tmp/h"))
        );
        assert_eq!(history_path(os(""), os("/state"), os("/home/u")), None);
        assert_eq!(
            history_path(None, os("/state"), os("/home/u")),
            Some(PathBuf::from("/state/deal/history"))
        );
        assert_eq!(
            history_path(None, os("relative"), os("/home/u")),
            Some(PathBuf::from("/home/u/.local/state/deal/history"))
        );
        assert_eq!(history_path(None, None, None), None);
    }

    #[test]
    fn history_entries_round_trip_through_the_file() {
        let dir = std::env::temp_dir().join(format!("deal-history-{}", std::process::id()));
        let file = HistoryFile {
            path: dir.join("sub").join("history"),
        };
        file.append("may a b c").unwrap();
        file.append("scenario s {\n  e on 2028-01-01\n}").unwrap();
        file.append("back\\slash \\n").unwrap();
        assert_eq!(
            file.read(),
            vec![
                "may a b c".to_string(),
                "scenario s {\n  e on 2028-01-01\n}".to_string(),
                "back\\slash \\n".to_string(),
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_long_history_is_compacted() {
        let dir = std::env::temp_dir().join(format!("deal-history-long-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = HistoryFile {
            path: dir.join("history"),
        };
        let text: String = (0..2 * MAX_HISTORY + 5)
            .map(|i| format!("entry {i}\n"))
            .collect();
        std::fs::write(&file.path, text).unwrap();
        let entries = file.read();
        assert_eq!(entries.len(), MAX_HISTORY);
        assert_eq!(
            entries.last().map(String::as_str),
            Some(format!("entry {}", 2 * MAX_HISTORY + 4).as_str())
        );
        assert_eq!(
            std::fs::read_to_string(&file.path).unwrap().lines().count(),
            MAX_HISTORY
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
