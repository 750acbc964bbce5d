//! How human output looks: colour only on a terminal and never under NO_COLOR.

use crate::diagnostic::RenderStyle;
use std::io::IsTerminal;

/// The style for diagnostics written to stderr.
pub fn stderr_style() -> RenderStyle {
    style_for(std::io::stderr().is_terminal())
}

/// The style for reports written to stdout.
pub fn stdout_style() -> RenderStyle {
    style_for(std::io::stdout().is_terminal())
}

fn style_for(is_terminal: bool) -> RenderStyle {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = is_terminal && !no_color;
    RenderStyle {
        color,
        unicode: true,
        width: if is_terminal {
            terminal_width()
        } else {
            RenderStyle::PLAIN.width
        },
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&w| (20..=500).contains(&w))
        .unwrap_or(100)
}

/// Whether stdout is a terminal and colour is allowed (for charts and highlights).
pub fn stdout_color() -> bool {
    stdout_style().color
}

/// The width to wrap prose to (`explain`, `diff`, `timeline`): `COLUMNS`
/// when sensible, else 80, whether or not stdout is a terminal.
pub fn text_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| (20..=500).contains(&w))
        .unwrap_or(80)
}

/// Write a machine-readable document to stdout as it is produced, through
/// one buffered lock, and flush it: a large report is never held whole.
pub fn write_stdout(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write(&mut out)?;
    std::io::Write::flush(&mut out)
}
