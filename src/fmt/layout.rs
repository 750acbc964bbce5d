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
//! The printer puts each comment back in that relation (trailing on the
//! segment's line, or on its own line just above it), so reading the output
//! attaches every comment to the same segment again: that is what makes
//! formatting idempotent. The one adjustment: a line holds one trailing
//! comment and comments keep their order, so a trailing comment that cannot
//! stay on its line leads the next segment instead (see `attach`), and reads
//! back that way too.

use super::inline;
use crate::ast::{
    Comment, Decl, Doc, ExpectBlock, File, Item, ItemKind, Qualifier, Record, Scenario,
    ScenarioLine,
};
use crate::source::{SourceFile, Span};
use std::ops::Range;

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

/// An item, a scenario line or an expectation: one line, or one line per
/// segment when it is too wide or a comment sits inside it.
struct Unit<'a> {
    indent: usize,
    doc: Option<&'a Doc>,
    /// Its segments: the head, then the pieces that may start continuation lines.
    segments: Range<usize>,
    /// Its line ends with `{`: the next line starts a block.
    opens_block: bool,
}

enum Piece<'a> {
    Unit(Unit<'a>),
    /// The `}` of a block whose contents are indented at `indent + INDENT`.
    Close {
        indent: usize,
        segment: usize,
    },
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
        plan.item(source, item);
    }
    let attachments = attach(source, &file.comments, &plan.segments);
    let mut printer = Printer {
        source,
        segments: &plan.segments,
        attachments: &attachments,
        lines: Vec::new(),
        previous_end: None,
        at_block_start: true,
    };
    for piece in &plan.pieces {
        match piece {
            Piece::Unit(unit) => printer.unit(unit),
            Piece::Close { indent, segment } => printer.close(*indent, *segment),
        }
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

fn segment(start: usize, end: usize, text: String) -> Segment {
    Segment { start, end, text }
}

fn iso(date: &chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn qualifier_segments(qualifiers: &[Qualifier]) -> Vec<Segment> {
    qualifiers
        .iter()
        .map(|q| segment(q.span.start, q.span.end, inline::qualifier(q)))
        .collect()
}

impl<'a> Plan<'a> {
    /// A unit: a head segment and the segments that may continue it.
    fn unit(&mut self, indent: usize, doc: Option<&'a Doc>, head: Segment, rest: Vec<Segment>) {
        let first = self.segments.len();
        self.segments.push(head);
        self.segments.extend(rest);
        self.pieces.push(Piece::Unit(Unit {
            indent,
            doc,
            segments: first..self.segments.len(),
            opens_block: false,
        }));
    }

    /// A unit whose line ends with `{`.
    fn open(&mut self, indent: usize, doc: Option<&'a Doc>, head: Segment) {
        self.unit(indent, doc, head, Vec::new());
        if let Some(Piece::Unit(unit)) = self.pieces.last_mut() {
            unit.opens_block = true;
        }
    }

    /// The `}` of a block whose span ends at `block_end` (just after the brace).
    fn close(&mut self, source: &SourceFile, indent: usize, block_end: usize) {
        let brace = Span::new(block_end.saturating_sub(1), block_end);
        let start = if source.slice(brace) == "}" {
            brace.start
        } else {
            block_end
        };
        self.pieces.push(Piece::Close {
            indent,
            segment: self.segments.len(),
        });
        self.segments
            .push(segment(start, block_end, "}".to_string()));
    }

    /// A top-level item.
    fn item(&mut self, source: &SourceFile, item: &'a Item) {
        let doc = item.doc.as_ref();
        let Span { start, end } = item.span;
        match &item.kind {
            ItemKind::Deal(title) => {
                let text = format!("deal {}", inline::string(&title.value));
                self.unit(0, doc, segment(start, end, text), Vec::new());
            }
            ItemKind::Effective(effective) => {
                let text = format!("effective {}", iso(&effective.date.date));
                match &effective.end {
                    Some(term) => {
                        let head = segment(start, effective.date.span.end, text);
                        let rest = qualifier_segments(std::slice::from_ref(term));
                        self.unit(0, doc, head, rest);
                    }
                    None => self.unit(0, doc, segment(start, end, text), Vec::new()),
                }
            }
            ItemKind::Decl(decl) => self.decl(item, decl),
            ItemKind::Group(group) => {
                self.unit(
                    0,
                    doc,
                    segment(start, end, inline::group(group)),
                    Vec::new(),
                );
            }
            ItemKind::Let(binding) => {
                let text = format!("let {} = {}", binding.name, inline::expr(&binding.value));
                self.unit(0, doc, segment(start, end, text), Vec::new());
            }
            ItemKind::Fact(fact) => {
                self.unit(0, doc, segment(start, end, inline::fact(fact)), Vec::new());
            }
            ItemKind::Clause(clause) => {
                let object = clause.body.object();
                let head = segment(start, object.span.end, inline::clause_head(clause));
                self.unit(0, doc, head, qualifier_segments(&clause.qualifiers));
            }
            ItemKind::Assert(assertion) => {
                let head_end = assertion.query.span().end;
                let head = segment(start, head_end, inline::assertion_head(assertion));
                self.unit(0, doc, head, qualifier_segments(&assertion.window));
            }
            ItemKind::Scenario(scenario) => self.scenario(source, item, scenario),
        }
    }

    fn decl(&mut self, item: &'a Item, decl: &Decl) {
        let head_end = decl
            .label
            .as_ref()
            .map_or(decl.name.span.end, |l| l.span.end);
        let head = segment(item.span.start, head_end, inline::decl_head(decl));
        // `by` and `after` have no span of their own: their names stand in.
        let mut rest = Vec::new();
        if let Some(by) = &decl.by {
            rest.push(segment(by.span.start, by.span.end, inline::decl_by(by)));
        }
        if let (Some(first), Some(last)) = (decl.after.first(), decl.after.last()) {
            rest.push(segment(
                first.span.start,
                last.span.end,
                inline::decl_after(&decl.after),
            ));
        }
        self.unit(0, item.doc.as_ref(), head, rest);
    }

    fn scenario(&mut self, source: &SourceFile, item: &'a Item, scenario: &'a Scenario) {
        let head_end = scenario
            .label
            .as_ref()
            .map_or(scenario.name.span.end, |l| l.span.end);
        let head_text = inline::scenario_head(&scenario.name, scenario.label.as_ref());
        self.open(
            0,
            item.doc.as_ref(),
            segment(item.span.start, head_end, head_text),
        );
        for line in &scenario.lines {
            match line {
                ScenarioLine::Event { name, date } => {
                    let text = format!("{name} on {}", iso(&date.date));
                    self.unit(
                        INDENT,
                        None,
                        segment(name.span.start, date.span.end, text),
                        Vec::new(),
                    );
                }
                ScenarioLine::Fact { name, value } => {
                    let text = format!("{name} = {}", inline::expr(value));
                    self.unit(
                        INDENT,
                        None,
                        segment(name.span.start, value.span.end, text),
                        Vec::new(),
                    );
                }
                ScenarioLine::Record(record) => self.record(record),
                ScenarioLine::Expect(block) => self.expect_block(source, block),
            }
        }
        self.close(source, 0, scenario.span.end.max(item.span.end));
    }

    fn record(&mut self, record: &Record) {
        let head = segment(
            record.span.start,
            record.asset.span.end,
            inline::record_head(record),
        );
        let mut rest = qualifier_segments(&record.qualifiers);
        let date = &record.date;
        rest.push(segment(
            date.span.start,
            date.span.end,
            format!("on {}", iso(&date.date)),
        ));
        self.unit(INDENT, None, head, rest);
    }

    fn expect_block(&mut self, source: &SourceFile, block: &ExpectBlock) {
        let head_text = format!("expect at {} {{", iso(&block.at.date));
        self.open(
            INDENT,
            None,
            segment(block.span.start, block.at.span.end, head_text),
        );
        for expectation in &block.lines {
            let Span { start, end } = expectation.span;
            let text = inline::expectation(&expectation.kind);
            self.unit(2 * INDENT, None, segment(start, end, text), Vec::new());
        }
        self.close(source, INDENT, block.span.end);
    }
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

struct Printer<'a> {
    source: &'a SourceFile,
    segments: &'a [Segment],
    attachments: &'a Attachments<'a>,
    lines: Vec<String>,
    /// Source offset where the last printed line's content ends.
    previous_end: Option<usize>,
    /// Just after `{` or at the start of the file: no blank line here.
    at_block_start: bool,
}

impl<'a> Printer<'a> {
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
        let Span { start, end } = comment.span;
        self.line(indent, comment.text.trim_end(), start, end, blank_ok);
    }

    fn doc(&mut self, doc: &Doc, indent: usize) {
        for (index, line) in doc.text.split('\n').enumerate() {
            // The parser strips `///` and one space; white space at the end goes.
            let line = line.trim_end();
            let text = if line.is_empty() {
                "///".to_string()
            } else {
                format!("/// {line}")
            };
            // Only the first doc line may follow a blank line; the others and
            // the item stay together.
            self.line(indent, &text, doc.span.start, doc.span.end, index == 0);
        }
    }

    fn leading(&self, segment: usize) -> &'a [&'a Comment] {
        let attachments: &'a Attachments<'a> = self.attachments;
        attachments.leading.get(segment).map_or(&[], Vec::as_slice)
    }

    fn trailing(&self, segment: usize) -> &'a [&'a Comment] {
        let attachments: &'a Attachments<'a> = self.attachments;
        attachments.trailing.get(segment).map_or(&[], Vec::as_slice)
    }

    /// A line of code ending with the trailing comment of `last_segment`
    /// (at most one, see `attach`).
    fn code(
        &mut self,
        indent: usize,
        text: &str,
        span: Range<usize>,
        last_segment: usize,
        blank_ok: bool,
    ) {
        match self.trailing(last_segment).first().copied() {
            Some(comment) => {
                let line = format!("{text} {}", comment.text.trim_end());
                let end = span.end.max(comment.span.end);
                self.line(indent, &line, span.start, end, blank_ok);
            }
            None => self.line(indent, text, span.start, span.end, blank_ok),
        }
    }

    fn unit(&mut self, unit: &Unit<'_>) {
        let Some(segments) = self.segments.get(unit.segments.clone()) else {
            return;
        };
        let (Some(head), Some(last)) = (segments.first(), segments.last()) else {
            return;
        };
        let first = unit.segments.start;
        let last_index = unit.segments.end - 1;

        for comment in self.leading(first) {
            self.comment(comment, unit.indent, true);
        }
        if let Some(doc) = unit.doc {
            self.doc(doc, unit.indent);
        }
        let head_blank_ok = unit.doc.is_none();

        let one_line =
            inline::join_line(&head.text, segments.iter().skip(1).map(|s| s.text.clone()));
        let comment_inside = (first + 1..=last_index).any(|i| !self.leading(i).is_empty())
            || (first..last_index).any(|i| !self.trailing(i).is_empty());
        let too_wide = unit.indent + one_line.chars().count() > MAX_WIDTH;
        if segments.len() == 1 || !(comment_inside || too_wide) {
            self.code(
                unit.indent,
                &one_line,
                head.start..last.end,
                last_index,
                head_blank_ok,
            );
        } else {
            self.code(
                unit.indent,
                &head.text,
                head.start..head.end,
                first,
                head_blank_ok,
            );
            let indent = unit.indent + INDENT;
            for (index, segment) in segments
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, s)| (first + i, s))
            {
                for comment in self.leading(index) {
                    self.comment(comment, indent, false);
                }
                self.code(
                    indent,
                    &segment.text,
                    segment.start..segment.end,
                    index,
                    false,
                );
            }
        }
        if unit.opens_block {
            self.at_block_start = true;
        }
    }

    fn close(&mut self, indent: usize, segment: usize) {
        let Some(brace) = self.segments.get(segment) else {
            return;
        };
        for comment in self.leading(segment) {
            self.comment(comment, indent + INDENT, true);
        }
        self.code(indent, &brace.text, brace.start..brace.end, segment, false);
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
