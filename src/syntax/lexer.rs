//! The words, literals, strings, comments and punctuation of deal text, for
//! the tools that need tokens without a parse: REPL highlighting,
//! completion and the reading of continuation lines. Total: any text lexes,
//! and the lexemes put back together give the text.
//!
//! The rules are the grammar's: a string runs from `"` to the next
//! unescaped `"` on its line (at the line's end it is unterminated), a
//! comment from `//` to the end of its line, a name is an ASCII letter or
//! `_` followed by letters, digits and `_`. A literal (number, money,
//! percent, date, duration amount) starts with a digit or a `$`; it is taken
//! loosely, as far as it could continue, since only the parser judges it.

/// What a lexeme is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LexemeKind {
    Space,
    /// A keyword or a name.
    Word,
    Literal,
    /// `closed`: it ends with its `"` (else at the line's or the text's end).
    Str {
        closed: bool,
    },
    Comment,
    /// Any other character, alone.
    Punct,
}

/// One lexeme: its kind and its text, which starts at byte `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexeme<'t> {
    pub kind: LexemeKind,
    pub start: usize,
    pub text: &'t str,
}

/// The lexemes of `text`, in order.
pub fn lexemes(text: &str) -> Lexemes<'_> {
    Lexemes { text, at: 0 }
}

pub struct Lexemes<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Iterator for Lexemes<'t> {
    type Item = Lexeme<'t>;

    fn next(&mut self) -> Option<Lexeme<'t>> {
        let rest = self.text.get(self.at..)?;
        let first = rest.chars().next()?;
        let (kind, len) = if first.is_whitespace() {
            (LexemeKind::Space, space_len(rest))
        } else if rest.starts_with("//") {
            (LexemeKind::Comment, rest.find('\n').unwrap_or(rest.len()))
        } else if first == '"' {
            let (len, closed) = string_len(rest);
            (LexemeKind::Str { closed }, len)
        } else if first.is_ascii_digit() || (first == '$' && rest.len() > 1) {
            (LexemeKind::Literal, literal_len(rest))
        } else if first.is_ascii_alphabetic() || first == '_' {
            // Name characters are ASCII: bytes tell where the name ends.
            let len = rest
                .bytes()
                .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
                .unwrap_or(rest.len());
            (LexemeKind::Word, len)
        } else {
            (LexemeKind::Punct, first.len_utf8())
        };
        // Every branch takes at least the first character.
        let len = len.max(first.len_utf8());
        let start = self.at;
        self.at += len;
        Some(Lexeme {
            kind,
            start,
            text: rest.get(..len)?,
        })
    }
}

/// The length of the white space at the start of `rest`, by bytes while
/// it is ASCII (most of it), by characters from the first other one.
fn space_len(rest: &str) -> usize {
    let ascii = rest
        .bytes()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .unwrap_or(rest.len());
    match rest.get(ascii..) {
        Some(tail) if tail.bytes().next().is_some_and(|b| !b.is_ascii()) => {
            ascii
                + tail
                    .find(|c: char| !c.is_whitespace())
                    .unwrap_or(tail.len())
        }
        _ => ascii,
    }
}

/// A character that continues a name.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The length of the string at the start of `rest` (a `"`), and whether it
/// is closed. An unterminated string stops before the line break.
fn string_len(rest: &str) -> (usize, bool) {
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (i + 1, true),
            '\n' => return (i, false),
            '\\' => {
                if let Some((j, '\n')) = chars.next() {
                    return (j, false);
                }
            }
            _ => {}
        }
    }
    (rest.len(), false)
}

/// The length of the literal at the start of `rest`: letters, digits, `_`,
/// `.`, `%`, a leading `$`, `-` after a digit (dates) and a sign after `e`.
fn literal_len(rest: &str) -> usize {
    let mut len = 0;
    let mut previous = ' ';
    for (i, c) in rest.char_indices() {
        let continues = is_name_char(c)
            || c == '.'
            || c == '%'
            || (i == 0 && c == '$')
            || (c == '-' && previous.is_ascii_digit())
            || ((c == '+' || c == '-') && previous == 'e');
        if !continues {
            break;
        }
        len = i + c.len_utf8();
        previous = c;
    }
    len
}

/// What input read so far leaves open: a `{` or `(` not yet closed. A
/// string never continues: it ends at its line's end, as in the grammar,
/// where the parser reports it, so the next line is read afresh. Fed a
/// piece at a time, at any character boundary; each line is lexed once
/// when it is complete, so continuation lines cost what their text costs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Openness {
    /// Brackets open in the complete lines.
    depth: usize,
    /// More closers than openers: finished, and the parser says what is wrong.
    overclosed: bool,
    /// The text after the last line break, lexed again when more arrives.
    last_line: String,
}

impl Openness {
    /// Read more input.
    pub fn feed(&mut self, text: &str) {
        if self.overclosed {
            return;
        }
        self.last_line.push_str(text);
        let Some(line_end) = self.last_line.rfind('\n') else {
            return;
        };
        let (depth, overclosed) = brackets(self.depth, &self.last_line[..line_end]);
        self.depth = depth;
        self.overclosed = overclosed;
        self.last_line.drain(..=line_end);
    }

    /// Whether the input so far is unfinished.
    pub fn is_incomplete(&self) -> bool {
        if self.overclosed {
            return false;
        }
        let (depth, overclosed) = brackets(self.depth, &self.last_line);
        !overclosed && depth > 0
    }
}

/// Brackets opened and closed by `text` (outside strings and comments) on
/// top of `depth`, and whether a closer found nothing to close.
fn brackets(mut depth: usize, text: &str) -> (usize, bool) {
    for lexeme in lexemes(text) {
        if lexeme.kind != LexemeKind::Punct {
            continue;
        }
        match lexeme.text {
            "(" | "{" => depth += 1,
            ")" | "}" => match depth.checked_sub(1) {
                Some(less) => depth = less,
                None => return (depth, true),
            },
            _ => {}
        }
    }
    (depth, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(LexemeKind, &str)> {
        lexemes(text).map(|l| (l.kind, l.text)).collect()
    }

    #[test]
    fn lexemes_put_back_together_give_the_text() {
        for text in [
            "x: openai may host api until 2028-01-01 // note",
            "let y = $1.5B / 27% + 5e26 + 1e-3",
            "party p \"a \\\" b\" \"open\nnext",
            "é ü → ∞ \u{0} $",
            "\"\\",
            "",
        ] {
            let joined: String = lexemes(text).map(|l| l.text).collect();
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn each_kind_as_the_grammar_reads_it() {
        use LexemeKind::*;
        assert_eq!(
            kinds("until 2028-01-01 // x"),
            vec![
                (Word, "until"),
                (Space, " "),
                (Literal, "2028-01-01"),
                (Space, " "),
                (Comment, "// x"),
            ]
        );
        assert_eq!(
            kinds("$1.5B*12%"),
            vec![(Literal, "$1.5B"), (Punct, "*"), (Literal, "12%")]
        );
        assert_eq!(
            kinds("\"a\\\"b\"\"c\nd"),
            vec![
                (Str { closed: true }, "\"a\\\"b\""),
                (Str { closed: false }, "\"c"),
                (Space, "\n"),
                (Word, "d"),
            ]
        );
        assert_eq!(kinds("_x9"), vec![(Word, "_x9")]);
    }

    fn is_incomplete(text: &str) -> bool {
        let mut openness = Openness::default();
        openness.feed(text);
        openness.is_incomplete()
    }

    #[test]
    fn unclosed_brackets_continue_and_strings_do_not() {
        assert!(is_incomplete("scenario s {"));
        assert!(is_incomplete("let x = (1 +"));
        // A string cannot span lines: it ends at the line's end (with an
        // error), and the next line is read afresh.
        assert!(!is_incomplete("party p \"Open"));
        assert!(!is_incomplete("party p \"Open\\"));
        assert!(!is_incomplete("party p \"Open {"));
        assert!(!is_incomplete("party p \"Open\nparty q"));
        assert!(!is_incomplete("party p \"Open\\\nparty q"));
        assert!(is_incomplete("party p \"Open\nscenario s {"));
        assert!(!is_incomplete("scenario s { }"));
        assert!(!is_incomplete("party p \"a { b\""));
        assert!(!is_incomplete("let x = 1 // {"));
        assert!(!is_incomplete(")"));
        assert!(!is_incomplete(")("));
        assert!(is_incomplete("scenario s {\n  x on 2028-01-01 // }\n"));
        assert!(!is_incomplete("scenario s {\n  x on 2028-01-01\n}"));
    }

    /// Fed in pieces, at any character boundary, the scanner agrees with
    /// scanning the whole text at once.
    #[test]
    fn openness_fed_in_pieces_agrees_with_the_whole() {
        for text in [
            "scenario s {\n  x on 2028-01-01 // }\n",
            "party p \"a \\\" { b\"\n(",
            "party p \"Open\\\nscenario s {",
            "let x = (1 / 2) // (\n)",
            ")(",
            "\"\\",
        ] {
            let mut whole = Openness::default();
            whole.feed(text);
            for (cut, _) in text.char_indices() {
                let mut pieces = Openness::default();
                pieces.feed(&text[..cut]);
                pieces.feed(&text[cut..]);
                assert_eq!(
                    pieces.is_incomplete(),
                    whole.is_incomplete(),
                    "{text:?} cut at {cut}"
                );
            }
        }
    }
}
