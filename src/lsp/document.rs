//! One open document: its text, the positions editors speak in (lines and
//! UTF-16 columns, the protocol's default), and its analysis, computed once
//! per version through the library.

use crate::check::occurrences::{Index, Occurrence, collect};
use crate::eval::Contract;
use crate::repl::helper::Vocabulary;
use crate::source::{SourceFile, Span};
use crate::{Loaded, load};
use lsp_types::{Position, Range};
use std::sync::{Arc, OnceLock};

/// Lines and UTF-16 columns of one text, from byte offsets and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        }
    }

    /// The position of a byte offset, clamped into the text.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = text
            .get(start..offset)
            .map_or(0, |prefix| prefix.encode_utf16().count());
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of a position; a line or column past the end is
    /// clamped to the end of the text or of the line.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |next| next.saturating_sub(1));
        let line = text.get(start..end).unwrap_or("");
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += to_u32(c.len_utf16());
        }
        end
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What the library makes of one version of a document.
#[derive(Debug)]
pub struct Analysis {
    pub loaded: Loaded,
    /// The contract when it can be evaluated.
    pub contract: Option<Contract>,
    /// Every name and label as written, and the dates hover resolves.
    pub index: Index,
}

#[derive(Debug)]
pub struct Document {
    pub uri: String,
    pub version: i32,
    pub source: SourceFile,
    pub lines: LineIndex,
    /// Shared with the checker's copy of this version, so that the text is
    /// parsed and checked once whichever thread needs it first.
    analysis: Arc<OnceLock<Analysis>>,
}

impl Document {
    pub fn new(uri: String, version: i32, text: String) -> Document {
        let source = SourceFile::new(uri.clone(), text);
        let lines = LineIndex::new(&source.text);
        Document {
            uri,
            version,
            source,
            lines,
            analysis: Arc::default(),
        }
    }

    /// The same version, sharing its analysis: what the checker gets.
    pub fn snapshot(&self) -> Document {
        Document {
            uri: self.uri.clone(),
            version: self.version,
            source: self.source.clone(),
            lines: self.lines.clone(),
            analysis: Arc::clone(&self.analysis),
        }
    }

    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// The analysis of this version, computed on first use.
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| {
            let loaded = load(self.source.clone());
            let contract = loaded.contract().ok();
            let index = loaded.file.as_ref().map(collect).unwrap_or_default();
            Analysis {
                loaded,
                contract,
                index,
            }
        })
    }

    /// The names completion offers: this version's when it parses, else
    /// `fallback` (those of the last version the checker saw parse).
    pub fn vocabulary(&self, fallback: Option<Vocabulary>) -> Vocabulary {
        let analysis = self.analysis();
        match (&analysis.loaded.file, fallback) {
            (None, Some(fallback)) => fallback,
            _ => Vocabulary::of(&analysis.loaded),
        }
    }

    pub fn range(&self, span: Span) -> Range {
        self.lines.range(self.text(), span)
    }

    pub fn offset(&self, position: Position) -> usize {
        self.lines.offset(self.text(), position)
    }

    /// The name or label under the cursor (touching either end of it).
    pub fn occurrence_at(&self, position: Position) -> Option<&Occurrence> {
        let offset = self.offset(position);
        let occurrences = &self.analysis().index.occurrences;
        let first = occurrences.partition_point(|o| o.span.end < offset);
        occurrences
            .iter()
            .skip(first)
            .take_while(|o| o.span.start <= offset)
            .next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "a–b\n𝄞x\n\nend";
        let lines = LineIndex::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let position = lines.position(text, offset);
            assert_eq!(lines.offset(text, position), offset, "{offset}");
        }
        // The clef is two UTF-16 units.
        let x = text.find('x').unwrap_or_default();
        assert_eq!(lines.position(text, x), Position::new(1, 2));
        // Past the end of a line or of the text: clamped.
        assert_eq!(lines.offset(text, Position::new(0, 99)), 5);
        assert_eq!(lines.offset(text, Position::new(99, 0)), text.len());
    }
}
