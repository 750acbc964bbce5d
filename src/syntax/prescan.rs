//! A lexical pass before pest. It refuses what pest should never see (NUL
//! bytes, unterminated strings, nesting deep enough to exhaust the stack of
//! a recursive grammar) and collects comments for `fmt` and doc comments.
//!
//! Strings and comments are recognised by `lexer`, exactly as the grammar
//! does: a string runs from `"` to the next unescaped `"` on the same line, a
//! comment from `//` to the end of the line.

use super::lexer::{LexemeKind, lexemes};
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
    let nul = text.find('\0');
    let mut comments = Vec::new();
    let mut depth = 0usize;
    let mut line_start = 0usize;
    for lexeme in lexemes(text) {
        let end = lexeme.start + lexeme.text.len();
        if let Some(at) = nul.filter(|&at| at < end) {
            return Err(nul_byte(at));
        }
        match lexeme.kind {
            LexemeKind::Space => {
                if let Some(last_break) = lexeme.text.rfind('\n') {
                    line_start = lexeme.start + last_break + 1;
                }
            }
            LexemeKind::Str { closed: false } => return Err(unterminated(text, lexeme.start, end)),
            LexemeKind::Comment => {
                let body = lexeme.text.strip_suffix('\r').unwrap_or(lexeme.text);
                let first_on_line = text
                    .get(line_start..lexeme.start)
                    .is_some_and(|before| before.chars().all(|c| matches!(c, ' ' | '\t' | '\r')));
                let slashes = body.bytes().take_while(|&b| b == b'/').count();
                comments.push(RawComment {
                    span: Span::new(lexeme.start, lexeme.start + body.len()),
                    doc: first_on_line && slashes == 3,
                });
            }
            LexemeKind::Punct => match lexeme.text {
                "(" | "{" => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(too_deep(lexeme.start));
                    }
                }
                ")" | "}" => depth = depth.saturating_sub(1),
                _ => {}
            },
            _ => {}
        }
    }
    Ok(Scanned { comments })
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

/// An unterminated string from `start` to `end` (before its line break; a
/// `\r` of that break is not part of it).
fn unterminated(text: &str, start: usize, end: usize) -> Diagnostic {
    let mut end = end;
    if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
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
