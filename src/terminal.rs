//! Contract text on its way to a terminal. Strings, comments and names come
//! from whoever wrote the contract; a raw ESC or BEL in them would let a
//! file retitle the window, clear the screen or forge output. Human output
//! shows every control character as an escape instead.

use std::borrow::Cow;

/// `text` with every control character but newline and tab written as a
/// visible escape (`\u{1b}`).
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_controls_keeping(text, &[])
}

/// `escape_controls`, except that the exact sequences in `kept` (the
/// caller's own styling, e.g. `"\x1b[1m"`) stay. A contract that spells one
/// of them out gets bold text at worst, never another escape.
pub fn escape_controls_keeping<'a>(text: &'a str, kept: &[&str]) -> Cow<'a, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(sequence) = kept.iter().find(|s| !s.is_empty() && rest.starts_with(*s)) {
            out.push_str(sequence);
            rest = rest.get(sequence.len()..).unwrap_or("");
            continue;
        }
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    Cow::Owned(out)
}

/// `text` with each control character but newline and tab (and the CR of a
/// CRLF) replaced by `?`s of the same length in bytes, so that byte offsets
/// into the text still hold: what a diagnostic snippet shows.
pub fn blank_controls(text: &str) -> Cow<'_, str> {
    let is_blanked = |(i, c): (usize, char)| {
        is_unsafe(c) && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !text.char_indices().any(is_blanked) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if is_blanked((i, c)) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        assert_eq!(escape_controls("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            escape_controls("\x1b]0;pwned\x07x\u{9b}"),
            "\\u{1b}]0;pwned\\u{7}x\\u{9b}"
        );
        assert_eq!(
            escape_controls_keeping("\x1b[1mT\x1b[2J\x1b[0m", &["\x1b[1m", "\x1b[0m"]),
            "\x1b[1mT\\u{1b}[2J\x1b[0m"
        );
    }

    #[test]
    fn blanking_keeps_byte_offsets() {
        let text = "a\x1b[2J\r\nb\rc\u{9b}d";
        let blanked = blank_controls(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked, "a?[2J\r\nb?c??d");
        assert!(matches!(blank_controls("ok\r\n"), Cow::Borrowed(_)));
    }
}
