//! The canonical layout of a whole file: which text goes on which line, where
//! each comment lands, and where blank lines stay (docs/format.md).
//!
//! The file becomes a list of *segments* in source order: the smallest pieces
//! that may start a line (an item's head, each qualifier of a clause, each
//! scenario line, a closing brace), each with the source offset of its first
//! token. Segments group into *units* (one item, one scenario line, one
//! expectation); a unit is printed on one line unless it is too wide or a
//! comment sits inside it, and then each of its segments starts a line.
//!
//! Every comment attaches to a segment by offset alone:
//! - a comment with code before it on its line trails the last segment that
//!   starts before it;
//! - a comment alone on its line leads the first segment that starts after it
//!   (or ends the file).
//!
//! The printer puts each comment back in exactly that relation (trailing on
//! the segment's line, or on its own line just above it), so reading the
//! output attaches every comment to the same segment again: that is what
//! makes formatting idempotent.

use super::inline;
use crate::ast::{
    Assertion, Clause, Comment, Decl, Doc, ExpectBlock, File, Item, ItemKind, Record, Scenario,
    ScenarioLine,
};
use crate::source::SourceFile;

/// Lines longer than this are broken before their qualifiers.
pub const MAX_WIDTH: usize = 100;

/// Spaces per level of indentation (blocks and continuation lines alike).
const INDENT: usize = 2;

struct Segment {
    /// Source offset of the segment's first token.
    start: usize,
    /// Source offset just after its last token.
    end: usize,
    text: String,
}

enum Piece<'a> {
    /// An item, a scenario line or an expectation: `segments[first..first+count]`.
    Unit {
        indent: usize,
        doc: Option<&'a Doc>,
        first: usize,
        count: usize,
        /// Its line ends with `{`: the next line starts a block.
        opens_block: bool,
    },
    /// The `}` of a block whose contents are indented at `indent + INDENT`.
    Close { indent: usize, segment: usize },
}

/// Where the comments go, by segment index.
struct Attachments<'a> {
    leading: Vec<Vec<&'a Comment>>,
    trailing: Vec<Vec<&'a Comment>>,
    end_of_file: Vec<&'a Comment>,
}

pub fn format_file(source: &SourceFile, file: &File) -> String {
    let mut plan = Plan::default();
    for item in &file.items {
        plan.item(source, item, 0);
    }
    let attachments = attach(source, &file.comments, &plan.segments);
    let mut printer = Printer::new(source);
    for piece in &plan.pieces {
        printer.piece(piece, &plan.segments, &attachments);
    }
    for comment in &attachments.end_of_file {
        printer.comment(comment, 0, true);
    }
    printer.finish()
}

// ---------------------------------------------------------------- planning

#[derive(Default)]
struct Plan<'a> {
    segments: Vec<Segment>,
    pieces: Vec<Piece<'a>>,
}

impl<'a> Plan<'a> {
    fn segment(&mut self, start: usize, end: usize, text: String) {
        self.segments.push(Segment { start, end, text });
    }

    /// A unit of a head segment and its continuation segments.
    fn unit(
        &mut self,
        indent: usize,
        doc: Option<&'a Doc>,
        head: Segment,
        rest: Vec<Segment>,
        opens_block: bool,
    ) {
        let first = self.segments.len();
        let count = 1 + rest.len();
        self.segments.push(head);
        self.segments.extend(rest);
        self.pieces.push(Piece::Unit {
            indent,
            doc,
            first,
            count,
            opens_block,
        });
    }

    fn close(&mut self, source: &SourceFile, indent: usize, block_end: usize) {
        // The block's span ends just after its `}`.
        let brace = block_end.saturating_sub(1);
        let start = if source.slice(crate::source::Span::new(brace, block_end)) == "}" {
            brace
        } else {
            block_end
        };
        let segment = self.segments.len();
        self.segment(start, block_end, "}".to_string());
        self.pieces.push(Piece::Close { indent, segment });
    }

    fn item(&mut self, source: &SourceFile, item: &'a Item, indent: usize) {
        let doc = item.doc.as_ref();
        let start = item.span.start;
        let end = item.span.end;
        let single = |text: String| Segment { start, end, text };
        match &item.kind {
            ItemKind::Deal(title) => self.unit(
                indent,
                doc,
                single(format!("deal {}", inline::string(&title.value))),
                vec![],
                false,
            ),
            ItemKind::Effective(date) => self.unit(
                indent,
                doc,
                single(format!("effective {}", date.date.format("%Y-%m-%d"))),
                vec![],
                false,
            ),
            ItemKind::Decl(decl) => self.decl(item, decl, indent),
            ItemKind::Group(group) => {
                self.unit(indent, doc, single(inline::group(group)), vec![], false)
            }
            ItemKind::Let(binding) => self.unit(
                indent,
                doc,
                single(format!(
                    "let {} = {}",
                    binding.name,
                    inline::expr(&binding.value)
                )),
                vec![],
                false,
            ),
            ItemKind::Fact(fact) => {
                self.unit(indent, doc, single(inline::fact(fact)), vec![], false)
            }
            ItemKind::Clause(clause) => self.clause(item, clause, indent),
            ItemKind::Assert(assertion) => self.assertion(item, assertion, indent),
            ItemKind::Scenario(scenario) => self.scenario(source, item, scenario, indent),
        }
    }

    fn decl(&mut self, item: &'a Item, decl: &Decl, indent: usize) {
        let head_end = decl
            .label
            .as_ref()
            .map_or(decl.name.span.end, |l| l.span.end);
        let head = Segment {
            start: item.span.start,
            end: head_end,
            text: inline::decl_head(decl),
        };
        let mut rest = Vec::new();
        let mut tail = inline::decl_tail(decl).into_iter();
        if let Some(by) = &decl.by
            && let Some(text) = tail.next()
        {
            rest.push(Segment {
                start: by.span.start,
                end: by.span.end,
                text,
            });
        }
        if let (Some(first), Some(last)) = (decl.after.first(), decl.after.last())
            && let Some(text) = tail.next()
        {
            rest.push(Segment {
                start: first.span.start,
                end: last.span.end,
                text,
            });
        }
        self.unit(indent, item.doc.as_ref(), head, rest, false);
    }

    fn clause(&mut self, item: &'a Item, clause: &Clause, indent: usize) {
        let head_end = match &clause.body {
            crate::ast::ClauseBody::Act { object, .. }
            | crate::ast::ClauseBody::Holds { object, .. }
            | crate::ast::ClauseBody::Exclusive { object } => object.span.end,
        };
        let head = Segment {
            start: item.span.start,
            end: head_end,
            text: inline::clause_head(clause),
        };
        self.unit(
            indent,
            item.doc.as_ref(),
            head,
            qualifier_segments(&clause.qualifiers),
            false,
        );
    }

    fn assertion(&mut self, item: &'a Item, assertion: &Assertion, indent: usize) {
        let head = Segment {
            start: item.span.start,
            end: assertion.query.span().end,
            text: inline::assertion_head(assertion),
        };
        self.unit(
            indent,
            item.doc.as_ref(),
            head,
            qualifier_segments(&assertion.window),
            false,
        );
    }

    fn scenario(
        &mut self,
        source: &SourceFile,
        item: &'a Item,
        scenario: &'a Scenario,
        indent: usize,
    ) {
        let head_end = scenario
            .label
            .as_ref()
            .map_or(scenario.name.span.end, |l| l.span.end);
        let head = Segment {
            start: item.span.start,
            end: head_end,
            text: inline::scenario_head(&scenario.name, scenario.label.as_ref()),
        };
        self.unit(indent, item.doc.as_ref(), head, vec![], true);
        let inner = indent + INDENT;
        for line in &scenario.lines {
            match line {
                ScenarioLine::Event { name, date } => {
                    let text = format!("{name} on {}", date.date.format("%Y-%m-%d"));
                    let segment = Segment {
                        start: name.span.start,
                        end: date.span.end,
                        text,
                    };
                    self.unit(inner, None, segment, vec![], false);
                }
                ScenarioLine::Fact { name, value } => {
                    let segment = Segment {
                        start: name.span.start,
                        end: value.span.end,
                        text: format!("{name} = {}", inline::expr(value)),
                    };
                    self.unit(inner, None, segment, vec![], false);
                }
                ScenarioLine::Record(record) => self.record(record, inner),
                ScenarioLine::Expect(block) => self.expect_block(source, block, inner),
            }
        }
        self.close(source, indent, scenario.span.end.max(item.span.end));
    }

    fn record(&mut self, record: &Record, indent: usize) {
        let head_end = record.asset.span.end;
        let head = Segment {
            start: record.span.start,
            end: head_end,
            text: inline::record_head(record),
        };
        let mut rest = qualifier_segments(&record.qualifiers);
        rest.push(Segment {
            start: record.date.span.start,
            end: record.date.span.end,
            text: format!("on {}", record.date.date.format("%Y-%m-%d")),
        });
        self.unit(indent, None, head, rest, false);
    }

    fn expect_block(&mut self, source: &SourceFile, block: &ExpectBlock, indent: usize) {
        let head = Segment {
            start: block.span.start,
            end: block.at.span.end,
            text: format!("expect at {} {{", block.at.date.format("%Y-%m-%d")),
        };
        self.unit(indent, None, head, vec![], true);
        for expectation in &block.lines {
            let segment = Segment {
                start: expectation.span.start,
                end: expectation.span.end,
                text: inline::expectation(&expectation.kind),
            };
            self.unit(indent + INDENT, None, segment, vec![], false);
        }
        self.close(source, indent, block.span.end);
    }
}

fn qualifier_segments(qualifiers: &[crate::ast::Qualifier]) -> Vec<Segment> {
    qualifiers
        .iter()
        .map(|q| Segment {
            start: q.span.start,
            end: q.span.end,
            text: inline::qualifier(q),
        })
        .collect()
}

// ---------------------------------------------------------------- comments

fn attach<'a>(
    source: &SourceFile,
    comments: &'a [Comment],
    segments: &[Segment],
) -> Attachments<'a> {
    let mut attachments = Attachments {
        leading: segments.iter().map(|_| Vec::new()).collect(),
        trailing: segments.iter().map(|_| Vec::new()).collect(),
        end_of_file: Vec::new(),
    };
    let mut ordered: Vec<&Comment> = comments.iter().collect();
    ordered.sort_by_key(|c| c.span.start);
    for comment in ordered {
        let at = comment.span.start;
        // Segments are in source order: the first one starting after the comment.
        let after = segments.partition_point(|s| s.start <= at);
        if has_code_before(source, at)
            && let Some(slot) = after
                .checked_sub(1)
                .and_then(|i| attachments.trailing.get_mut(i))
        {
            slot.push(comment);
            continue;
        }
        match attachments.leading.get_mut(after) {
            Some(slot) => slot.push(comment),
            None => attachments.end_of_file.push(comment),
        }
    }
    // One line holds one trailing comment, and the output keeps comments in
    // source order. So a segment keeps only its first trailing comment, and
    // only if no comment placed after its line (one alone on its line inside
    // the segment) came before it; the others lead the next segment.
    for index in 0..segments.len() {
        let next_leading = attachments
            .leading
            .get(index + 1)
            .unwrap_or(&attachments.end_of_file);
        let keep = match attachments
            .trailing
            .get(index)
            .and_then(|slot| slot.first())
        {
            Some(first) => {
                usize::from(next_leading.iter().all(|c| c.span.start > first.span.start))
            }
            None => continue,
        };
        let moved: Vec<&Comment> = match attachments.trailing.get_mut(index) {
            Some(slot) if slot.len() > keep => slot.drain(keep..).collect(),
            _ => continue,
        };
        let target = match attachments.leading.get_mut(index + 1) {
            Some(slot) => slot,
            None => &mut attachments.end_of_file,
        };
        target.extend(moved);
        target.sort_by_key(|c| c.span.start);
    }
    attachments
}

/// Whether anything but white space precedes `offset` on its line.
fn has_code_before(source: &SourceFile, offset: usize) -> bool {
    let Some(before) = source.text.get(..offset) else {
        return false;
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before
        .get(line_start..)
        .is_some_and(|line| !line.trim().is_empty())
}

// ---------------------------------------------------------------- printing

struct Printer<'s> {
    source: &'s SourceFile,
    lines: Vec<String>,
    /// Source offset where the last printed line's content ends.
    previous_end: Option<usize>,
    /// Just after `{` or at the start of the file: no blank line here.
    at_block_start: bool,
}

impl<'s> Printer<'s> {
    fn new(source: &'s SourceFile) -> Self {
        Printer {
            source,
            lines: Vec::new(),
            previous_end: None,
            at_block_start: true,
        }
    }

    /// Push one line; a blank line first if `blank_ok` and the source had one
    /// (or more) between the previous line's content and this one's.
    fn line(&mut self, indent: usize, text: &str, start: usize, end: usize, blank_ok: bool) {
        if blank_ok
            && !self.at_block_start
            && let Some(previous) = self.previous_end
            && self.source_blank_between(previous, start)
        {
            self.lines.push(String::new());
        }
        self.lines.push(format!("{:indent$}{text}", ""));
        self.previous_end = Some(end);
        self.at_block_start = false;
    }

    /// Whether the source has a line of nothing but white space between the
    /// two offsets (lines with code or comments on them do not count).
    fn source_blank_between(&self, from: usize, to: usize) -> bool {
        let Some(gap) = self.source.text.get(from..to).filter(|_| from < to) else {
            return false;
        };
        let mut lines = gap.split('\n');
        // The first piece ends the previous line and the last starts the next.
        lines.next();
        let mut whole_lines: Vec<&str> = lines.collect();
        whole_lines.pop();
        whole_lines.iter().any(|line| line.trim().is_empty())
    }

    fn comment(&mut self, comment: &Comment, indent: usize, blank_ok: bool) {
        self.line(
            indent,
            comment.text.trim_end(),
            comment.span.start,
            comment.span.end,
            blank_ok,
        );
    }

    fn doc(&mut self, doc: &Doc, indent: usize) {
        let mut first = true;
        for line in doc.text.split('\n') {
            // The parser strips `///` and one space; white space at the end goes.
            let line = line.trim_end();
            let text = if line.is_empty() {
                "///".to_string()
            } else {
                format!("/// {line}")
            };
            // Only the first doc line may follow a blank line; the others and
            // the item stay together.
            self.line(indent, &text, doc.span.start, doc.span.end, first);
            first = false;
        }
    }

    /// A code line with its trailing comment (at most one, see `attach`).
    fn code(
        &mut self,
        indent: usize,
        text: &str,
        start: usize,
        end: usize,
        trailing: &[&Comment],
        blank_ok: bool,
    ) {
        match trailing.first() {
            Some(comment) => {
                let line = format!("{text} {}", comment.text.trim_end());
                self.line(indent, &line, start, end.max(comment.span.end), blank_ok);
            }
            None => self.line(indent, text, start, end, blank_ok),
        }
    }

    fn piece(&mut self, piece: &Piece<'_>, segments: &[Segment], attachments: &Attachments<'_>) {
        match *piece {
            Piece::Unit {
                indent,
                doc,
                first,
                count,
                opens_block,
            } => self.unit(
                indent,
                doc,
                first,
                count,
                opens_block,
                segments,
                attachments,
            ),
            Piece::Close { indent, segment } => {
                let Some(brace) = segments.get(segment) else {
                    return;
                };
                for comment in attachments.leading.get(segment).into_iter().flatten() {
                    self.comment(comment, indent + INDENT, true);
                }
                let trailing = attachments
                    .trailing
                    .get(segment)
                    .map_or(&[][..], |t| t.as_slice());
                self.code(indent, &brace.text, brace.start, brace.end, trailing, false);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn unit(
        &mut self,
        indent: usize,
        doc: Option<&Doc>,
        first: usize,
        count: usize,
        opens_block: bool,
        segments: &[Segment],
        attachments: &Attachments<'_>,
    ) {
        let Some(unit) = segments.get(first..first + count) else {
            return;
        };
        let (Some(head), Some(last)) = (unit.first(), unit.last()) else {
            return;
        };
        let leading = |i: usize| attachments.leading.get(i).map_or(&[][..], |v| v.as_slice());
        let trailing = |i: usize| {
            attachments
                .trailing
                .get(i)
                .map_or(&[][..], |v| v.as_slice())
        };

        for comment in leading(first) {
            self.comment(comment, indent, true);
        }
        if let Some(doc) = doc {
            self.doc(doc, indent);
        }
        let head_blank_ok = doc.is_none();

        let one_line = inline::join_line(&head.text, unit.iter().skip(1).map(|s| s.text.clone()));
        let comment_inside = (first + 1..first + count).any(|i| !leading(i).is_empty())
            || (first..first + count - 1).any(|i| !trailing(i).is_empty());
        let too_wide = indent + one_line.chars().count() > MAX_WIDTH;
        if count == 1 || !(comment_inside || too_wide) {
            self.code(
                indent,
                &one_line,
                head.start,
                last.end,
                trailing(first + count - 1),
                head_blank_ok,
            );
        } else {
            for (offset, segment) in unit.iter().enumerate() {
                let index = first + offset;
                let segment_indent = if offset == 0 { indent } else { indent + INDENT };
                if offset > 0 {
                    for comment in leading(index) {
                        self.comment(comment, segment_indent, false);
                    }
                }
                let blank_ok = offset == 0 && head_blank_ok;
                self.code(
                    segment_indent,
                    &segment.text,
                    segment.start,
                    segment.end,
                    trailing(index),
                    blank_ok,
                );
            }
        }
        if opens_block {
            self.at_block_start = true;
        }
    }

    fn finish(self) -> String {
        if self.lines.is_empty() {
            return String::new();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }
}
