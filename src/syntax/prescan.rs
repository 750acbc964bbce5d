//! A lexical pass before pest. It refuses what pest should never see (NUL
//! bytes, unterminated strings, nesting deep enough to exhaust the stack of
//! a recursive grammar) and collects comments for `fmt` and doc comments.
//!
//! Strings and comments are recognised exactly as the grammar does: a string
//! runs from `"` to the next unescaped `"` on the same line, a comment from
//! `//` to the end of the line.

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::MAX_NESTING;
use crate::source::Span;

/// A `//` comment as found in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct RawComment {
    /// From `//` to the end of the line, without the line break (a trailing
    /// `\r` is excluded too).
    pub span: Span,
    /// `///` (but not `////`) as the first thing on its line.
    pub doc: bool,
}

pub(super) struct Scanned {
    pub comments: Vec<RawComment>,
}

pub(super) fn prescan(text: &str) -> Result<Scanned, Diagnostic> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut depth = 0usize;
    let mut line_start = 0usize;
    let mut i = 0usize;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            0 => return Err(nul_byte(i)),
            b'\n' => {
                line_start = i + 1;
                i += 1;
            }
            b'"' => i = skip_string(bytes, i)?,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let start = i;
                while let Some(&b) = bytes.get(i) {
                    if b == b'\n' {
                        break;
                    }
                    if b == 0 {
                        return Err(nul_byte(i));
                    }
                    i += 1;
                }
                let mut end = i;
                if end > start && bytes.get(end - 1) == Some(&b'\r') {
                    end -= 1;
                }
                let first_on_line = bytes
                    .get(line_start..start)
                    .is_some_and(|before| before.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')));
                let slashes = bytes
                    .get(start..)
                    .map_or(0, |rest| rest.iter().take_while(|&&b| b == b'/').count());
                comments.push(RawComment {
                    span: Span::new(start, end),
                    doc: first_on_line && slashes == 3,
                });
            }
            b'(' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(i));
                }
                i += 1;
            }
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(Scanned { comments })
}

/// Skip the string that starts at `start` (a `"`); the index after its end.
fn skip_string(bytes: &[u8], start: usize) -> Result<usize, Diagnostic> {
    let mut i = start + 1;
    loop {
        match bytes.get(i) {
            Some(b'"') => return Ok(i + 1),
            Some(b'\\') => match bytes.get(i + 1) {
                Some(b'\n') | None => return Err(unterminated(bytes, start, i + 1)),
                Some(0) => return Err(nul_byte(i + 1)),
                Some(_) => i += 2,
            },
            Some(b'\n') | None => return Err(unterminated(bytes, start, i)),
            Some(0) => return Err(nul_byte(i)),
            Some(_) => i += 1,
        }
    }
}

fn nul_byte(at: usize) -> Diagnostic {
    Diagnostic::new(
        Code::Syntax,
        "the text contains a NUL byte",
        Span::new(at, at + 1),
        "NUL byte",
    )
    .with_help("a deal file is UTF-8 text; remove the NUL byte (is this a binary file?)")
}

fn unterminated(bytes: &[u8], start: usize, end: usize) -> Diagnostic {
    let mut end = end;
    if end > start && bytes.get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    Diagnostic::new(
        Code::Syntax,
        "unterminated string",
        Span::new(start, end.max(start + 1)),
        "this string has no closing `\"` on its line",
    )
    .with_help("end the string with `\"` on the same line; write `\\n` for a line break inside it")
}

fn too_deep(at: usize) -> Diagnostic {
    Diagnostic::new(
        Code::Limit,
        format!("nesting deeper than {MAX_NESTING} levels"),
        Span::new(at, at + 1),
        format!("this bracket opens level {}", MAX_NESTING + 1),
    )
    .with_help("split the expression into `let` values")
}
