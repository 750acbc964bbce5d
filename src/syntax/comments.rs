//! Comments after parsing: a run of `///` lines directly before a top-level
//! item (only white space between) becomes that item's `doc`; every other
//! comment, including doc comments inside scenarios or before nothing, is
//! kept in `File.comments` in source order so that `fmt` can put it back.

use super::prescan::RawComment;
use crate::ast::{Comment, Doc, File, Item};
use crate::source::Span;

pub(super) fn attach(text: &str, mut items: Vec<Item>, raw: &[RawComment]) -> File {
    let mut plain = Vec::new();
    // The current run of consecutive doc comments, not yet given to an item.
    let mut run: Vec<RawComment> = Vec::new();
    let mut next_item = 0usize;

    for comment in raw {
        // Items that start before this comment take the pending run (if it
        // sits right before them) or leave it as plain comments.
        while let Some(item) = items.get_mut(next_item) {
            if item.span.start >= comment.span.start {
                break;
            }
            give_run(text, &mut run, item, &mut plain);
            next_item += 1;
        }
        let continues_run = run
            .last()
            .is_none_or(|last| is_blank(text, last.span.end, comment.span.start));
        if comment.doc && continues_run {
            run.push(*comment);
        } else {
            flush(text, &mut run, &mut plain);
            if comment.doc {
                run.push(*comment);
            } else {
                plain.push(to_comment(text, comment));
            }
        }
    }
    while let Some(item) = items.get_mut(next_item) {
        give_run(text, &mut run, item, &mut plain);
        next_item += 1;
    }
    flush(text, &mut run, &mut plain);

    File {
        items,
        comments: plain,
    }
}

fn give_run(text: &str, run: &mut Vec<RawComment>, item: &mut Item, plain: &mut Vec<Comment>) {
    let Some(last) = run.last() else {
        return;
    };
    if !is_blank(text, last.span.end, item.span.start) {
        flush(text, run, plain);
        return;
    }
    let lines: Vec<&str> = run.iter().map(|c| doc_line(text, c.span)).collect();
    let first = run.first().map_or(last.span, |c| c.span);
    item.doc = Some(Doc {
        text: lines.join("\n"),
        span: first.to(last.span),
    });
    run.clear();
}

fn flush(text: &str, run: &mut Vec<RawComment>, plain: &mut Vec<Comment>) {
    plain.extend(run.drain(..).map(|c| to_comment(text, &c)));
}

fn to_comment(text: &str, raw: &RawComment) -> Comment {
    Comment {
        text: text
            .get(raw.span.start..raw.span.end)
            .unwrap_or("")
            .to_string(),
        span: raw.span,
    }
}

/// The text of one `///` line: the marker and one leading space stripped.
fn doc_line(text: &str, span: Span) -> &str {
    let line = text.get(span.start..span.end).unwrap_or("");
    let line = line.strip_prefix("///").unwrap_or(line);
    line.strip_prefix(' ').unwrap_or(line)
}

fn is_blank(text: &str, start: usize, end: usize) -> bool {
    text.get(start..end)
        .is_some_and(|between| between.chars().all(char::is_whitespace))
}
