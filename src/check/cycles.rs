//! Cycles among declarations: `after` between events (`event-cycle`),
//! `notwithstanding` between clauses (`exception-cycle`) and groups that
//! contain themselves (`group-cycle`). Each cycle is reported once, spelled
//! out, labelled on every link. (`let` cycles are found while typing.)

use super::{Checker, graph};
use crate::ast::{ItemKind, Name, QualifierKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::symbols::SymbolKind;
use rustc_hash::FxHashMap;

/// A graph over some declarations, with the name span of each link.
struct Links<'n> {
    /// Display name of each node.
    names: Vec<&'n str>,
    edges: Vec<Vec<usize>>,
    /// Where the link from one node to another is written (its first mention).
    spans: FxHashMap<(usize, usize), Span>,
}

impl<'n> Links<'n> {
    fn new(names: Vec<&'n str>) -> Self {
        let edges = vec![Vec::new(); names.len()];
        Links {
            names,
            edges,
            spans: FxHashMap::default(),
        }
    }

    fn link(&mut self, from: usize, to: usize, span: Span) {
        if let Some(out) = self.edges.get_mut(from) {
            out.push(to);
            self.spans.entry((from, to)).or_insert(span);
        }
    }

    /// Each cycle as (spelled out, labelled links), spelled from the link that
    /// closes it (the last in the file), which is primary.
    fn cycles(&self, verb: &str) -> Vec<(String, Vec<(Span, String)>)> {
        graph::cycles(&self.edges)
            .into_iter()
            .map(|cycle| {
                let cycle = graph::start_at_last_link(&cycle, |from, to| {
                    self.spans.get(&(from, to)).map_or(0, |span| span.start)
                });
                let spelled: Vec<&str> = cycle
                    .iter()
                    .filter_map(|&n| self.names.get(n).copied())
                    .collect();
                let links = cycle
                    .windows(2)
                    .filter_map(|pair| match pair {
                        [from, to] => Some((
                            *self.spans.get(&(*from, *to))?,
                            format!(
                                "`{}` {verb} `{}`",
                                self.names.get(*from)?,
                                self.names.get(*to)?
                            ),
                        )),
                        _ => None,
                    })
                    .collect();
                (spelled.join(" → "), links)
            })
            .collect()
    }
}

/// One diagnostic for a cycle, labelled on each link.
fn cycle_diagnostic(
    code: Code,
    message: String,
    links: Vec<(Span, String)>,
    help: &str,
) -> Option<Diagnostic> {
    let mut links = links.into_iter();
    let (span, label) = links.next()?;
    let mut diagnostic = Diagnostic::new(code, message, span, label).with_help(help);
    for (span, label) in links {
        diagnostic = diagnostic.with_label(span, label);
    }
    Some(diagnostic)
}

impl<'a> Checker<'a> {
    /// Nodes for the first declaration of each name of one kind.
    fn nodes_of(&self, kind: SymbolKind) -> (Vec<&'a str>, FxHashMap<&'a str, usize>) {
        let mut names = Vec::new();
        let mut node_of = FxHashMap::default();
        let file = self.file;
        for (index, item) in file.items.iter().enumerate() {
            let name: Option<&Name> = match &item.kind {
                ItemKind::Decl(decl) => Some(&decl.name),
                ItemKind::Group(group) => Some(&group.name),
                _ => None,
            };
            let Some(name) = name else { continue };
            let symbol = self.symbols.get(&name.text);
            if symbol.is_some_and(|s| s.kind == kind && s.item == Some(index)) {
                node_of.insert(name.text.as_str(), names.len());
                names.push(name.text.as_str());
            }
        }
        (names, node_of)
    }

    /// A node for each clause, named by its label, and the node of each
    /// item (None for an item that is not a clause).
    fn clause_nodes(&self) -> (Vec<&'a str>, Vec<Option<usize>>) {
        let symbols = self.symbols;
        let mut names = Vec::new();
        let node_of = self
            .file
            .items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let ItemKind::Clause(_) = &item.kind else {
                    return None;
                };
                names.push(symbols.clause_label(index).unwrap_or("clause"));
                Some(names.len() - 1)
            })
            .collect();
        (names, node_of)
    }

    pub(crate) fn check_event_cycles(&mut self) {
        let (names, node_of) = self.nodes_of(SymbolKind::Event);
        let mut links = Links::new(names);
        for item in &self.file.items {
            let ItemKind::Decl(decl) = &item.kind else {
                continue;
            };
            let Some(&from) = node_of.get(decl.name.text.as_str()) else {
                continue;
            };
            for after in &decl.after {
                // A group of events stands for each of them.
                for member in self.symbols.expand(&after.text) {
                    if let Some(&to) = node_of.get(member.as_str()) {
                        links.link(from, to, after.span);
                    }
                }
            }
        }
        for (spelled, labels) in links.cycles("is after") {
            let message = format!("`after` forms a cycle: {spelled}");
            let help = "an event can only happen after events that can happen before it; remove one `after`";
            if let Some(diagnostic) = cycle_diagnostic(Code::EventCycle, message, labels, help) {
                self.report(diagnostic);
            }
        }
    }

    pub(crate) fn check_group_cycles(&mut self) {
        let (names, node_of) = self.nodes_of(SymbolKind::Group);
        let mut links = Links::new(names);
        for item in &self.file.items {
            let ItemKind::Group(group) = &item.kind else {
                continue;
            };
            let Some(&from) = node_of.get(group.name.text.as_str()) else {
                continue;
            };
            for member in &group.members {
                if let Some(&to) = node_of.get(member.text.as_str()) {
                    links.link(from, to, member.span);
                }
            }
        }
        for (spelled, labels) in links.cycles("contains") {
            let message = format!("a group contains itself: {spelled}");
            let help = "a group lists things of one kind, or other groups, but never itself";
            if let Some(diagnostic) = cycle_diagnostic(Code::GroupCycle, message, labels, help) {
                self.report(diagnostic);
            }
        }
    }

    /// Cycles of two or more clauses; a clause naming itself is reported
    /// where its `notwithstanding` is checked.
    pub(crate) fn check_exception_cycles(&mut self) {
        let (names, node_of) = self.clause_nodes();
        let mut links = Links::new(names);
        for (index, item) in self.file.items.iter().enumerate() {
            let ItemKind::Clause(clause) = &item.kind else {
                continue;
            };
            let Some(Some(from)) = node_of.get(index).copied() else {
                continue;
            };
            for qualifier in &clause.qualifiers {
                let QualifierKind::Notwithstanding(labels) = &qualifier.kind else {
                    continue;
                };
                for label in labels {
                    let target = self
                        .symbols
                        .label(&label.text)
                        .and_then(|t| node_of.get(t.item).copied().flatten());
                    if let Some(to) = target
                        && to != from
                    {
                        links.link(from, to, label.span);
                    }
                }
            }
        }
        for (spelled, labels) in links.cycles("is an exception to") {
            let message = format!("`notwithstanding` forms a cycle: {spelled}");
            let help = "two clauses cannot each win over the other; remove one `notwithstanding`";
            if let Some(diagnostic) = cycle_diagnostic(Code::ExceptionCycle, message, labels, help)
            {
                self.report(diagnostic);
            }
        }
    }
}

impl Checker<'_> {
    /// `deal::status-cycle`: a clause whose `when`/`unless` reads, directly
    /// or through other clauses' status conditions, its own status.
    pub(crate) fn check_status_cycles(&mut self) {
        let (names, node_of) = self.clause_nodes();
        let mut links = Links::new(names);
        let mut own: Vec<(String, Span)> = Vec::new();
        for (index, item) in self.file.items.iter().enumerate() {
            let ItemKind::Clause(clause) = &item.kind else {
                continue;
            };
            let Some(Some(from)) = node_of.get(index).copied() else {
                continue;
            };
            for qualifier in &clause.qualifiers {
                let (QualifierKind::When(condition) | QualifierKind::Unless(condition)) =
                    &qualifier.kind
                else {
                    continue;
                };
                for label in crate::ast::status_labels(condition) {
                    let Some(to) = self
                        .symbols
                        .label(&label.text)
                        .and_then(|t| node_of.get(t.item).copied().flatten())
                    else {
                        continue;
                    };
                    if to == from {
                        own.push((label.text.clone(), label.span));
                    } else {
                        links.link(from, to, label.span);
                    }
                }
            }
        }
        for (label, span) in own {
            self.report(
                Diagnostic::new(
                    Code::StatusCycle,
                    format!("`{label}` is in force only depending on its own status"),
                    span,
                    "reads the status of its own clause",
                )
                .with_help(
                    "a clause's status follows from when it is in force, so its conditions cannot read it; \
                     condition it on the events or facts behind that status instead",
                ),
            );
        }
        for (spelled, labels) in links.cycles("reads the status of") {
            let message = format!("status conditions form a cycle: {spelled}");
            let help = "each clause is in force only depending on the other's status, so neither can be decided; \
                        break the cycle by conditioning one of them on events or facts";
            if let Some(diagnostic) = cycle_diagnostic(Code::StatusCycle, message, labels, help) {
                self.report(diagnostic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use crate::diagnostic::Code;

    #[test]
    fn each_event_cycle_is_reported_once() {
        let run = Run::new(
            "event a after a\nevent b after c\nevent c after d\nevent d after b\nevent e after d\n",
        );
        assert_eq!(
            run.messages(),
            vec![
                "`after` forms a cycle: a → a",
                "`after` forms a cycle: d → b → c → d"
            ]
        );
    }

    #[test]
    fn group_cycle() {
        let run = Run::new("asset x\ngroup a = x, b\ngroup b = a\n");
        let d = run.only(Code::GroupCycle);
        assert_eq!(d.message, "a group contains itself: b → a → b");
    }

    #[test]
    fn a_group_of_events_in_after_counts_each_member() {
        let run = Run::new("event a after both\nevent b\nevent c after a\ngroup both = b, c\n");
        assert_eq!(
            run.only(Code::EventCycle).message,
            "`after` forms a cycle: c → a → c"
        );
    }

    #[test]
    fn longer_exception_cycles_are_spelled_out() {
        let run = Run::with(
            "a: openai may host api notwithstanding b\n\
             b: openai must not host api notwithstanding c\n\
             c: openai may host api notwithstanding a\n\
             d: openai may host api notwithstanding a\n",
        );
        let d = run.only(Code::ExceptionCycle);
        assert_eq!(d.message, "`notwithstanding` forms a cycle: c → a → b → c");
        assert_eq!(d.labels.len(), 3);
    }
}
