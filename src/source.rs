//! Source text and byte spans. Every diagnostic points into a `SourceFile`
//! through a `Span`; nothing downstream ever searches text to find a place.

use std::sync::{Arc, OnceLock};

/// A half-open byte range `start..end` into one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// One named source text (a file, a REPL line, a query argument). Make a
/// new one for new text: the line index belongs to the text it was built on.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
    /// Byte offset of each line's start, built on the first `line_col` and
    /// shared by clones: every clause's `clause_LINE` name and every
    /// diagnostic asks, and counting lines from the start each time made
    /// checking a large file quadratic.
    line_starts: Arc<OnceLock<Vec<usize>>>,
    /// The text as a snippet shows it (`terminal::blank_controls`), made on
    /// the first diagnostic drawn and shared like the line index.
    shown: Arc<OnceLock<Arc<str>>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: Arc::default(),
            shown: Arc::default(),
        }
    }

    /// 1-based line and column (in characters, that is Unicode code points)
    /// of a byte offset: the one column convention of every output format.
    /// A byte order mark opening the file is not counted. Offsets past the
    /// end, or inside a multi-byte character, are clamped, never a panic.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // Lines starting at or before the offset; the first starts at 0.
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = line
            .checked_sub(1)
            .and_then(|i| starts.get(i))
            .copied()
            .unwrap_or(0);
        let before = self.text.get(line_start..offset).unwrap_or("");
        let before = if line_start == 0 {
            before.strip_prefix('\u{FEFF}').unwrap_or(before)
        } else {
            before
        };
        let column = before.chars().count() + 1;
        (line.max(1), column)
    }

    /// The text with its control characters blanked, byte for byte: what a
    /// diagnostic snippet may show on a terminal.
    pub fn shown_text(&self) -> Arc<str> {
        self.shown
            .get_or_init(|| match crate::terminal::blank_controls(&self.text) {
                std::borrow::Cow::Borrowed(_) => self.text.clone(),
                std::borrow::Cow::Owned(blanked) => blanked.into(),
            })
            .clone()
    }

    /// The text of the line holding `offset`, without its line break; ""
    /// when the offset is not in the text.
    pub fn line_text(&self, offset: usize) -> &str {
        let Some(before) = self.text.get(..offset) else {
            return "";
        };
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let end = self
            .text
            .get(offset..)
            .and_then(|after| after.find('\n'))
            .map_or(self.text.len(), |i| offset + i);
        let line = self.text.get(start..end).unwrap_or("");
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// The text a span covers, or "" when the span does not fit this text.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("x", "ab\n–cd");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // After the 3-byte en dash.
        assert_eq!(file.line_col(6), (2, 2));
        // Inside the dash and past the end are clamped.
        assert_eq!(file.line_col(4), (2, 1));
        assert_eq!(file.line_col(999), (2, 4));
    }

    #[test]
    fn line_text_is_the_whole_line_without_its_break() {
        let file = SourceFile::new("x", "ab\r\ncd ef\nlast");
        assert_eq!(file.line_text(0), "ab");
        assert_eq!(file.line_text(7), "cd ef");
        assert_eq!(file.line_text(4), "cd ef");
        assert_eq!(file.line_text(14), "last");
        assert_eq!(file.line_text(99), "");
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let file = SourceFile::new("x", "\u{FEFF}c: zz\n\u{FEFF}");
        assert_eq!(file.line_col(3), (1, 1));
        assert_eq!(file.line_col(6), (1, 4));
        // Only at the start of the file.
        assert_eq!(file.line_col(12), (2, 2));
    }

    /// The line index gives what counting from the start of the text gives,
    /// at every offset.
    #[test]
    fn line_index_agrees_with_counting() {
        fn counted(text: &str, offset: usize) -> (usize, usize) {
            let mut offset = offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, before[line_start..].chars().count() + 1)
        }
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "ab\r\ncd\r\n",
            "–\n\n–x\né",
            "x\ny\nz",
        ] {
            let file = SourceFile::new("x", text);
            for offset in 0..text.len() + 3 {
                assert_eq!(
                    file.line_col(offset),
                    counted(text, offset),
                    "{text:?} at {offset}"
                );
            }
            // Clones share the index.
            let clone = file.clone();
            assert_eq!(clone.line_col(text.len()), counted(text, text.len()));
        }
    }
}
