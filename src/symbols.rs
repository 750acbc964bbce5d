//! The symbol table: every declared name with its kind, plus clause and
//! assertion labels (their own namespace). Built once from a `File`; shared by
//! the checker (which reports duplicates and unknowns) and the evaluator.
//! The first declaration of a name wins; later ones are the checker's business.

use crate::ast::{DeclKind, File, ItemKind};
use crate::source::Span;
use rustc_hash::{FxHashMap, FxHashSet};

/// What a name denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Party,
    Event,
    Asset,
    Venue,
    Action,
    Unit,
    /// A group: its members' kind is found through `Symbols::group_kind`.
    Group,
    Let,
    Fact,
}

impl SymbolKind {
    pub fn from_decl(kind: DeclKind) -> Self {
        match kind {
            DeclKind::Party => SymbolKind::Party,
            DeclKind::Event => SymbolKind::Event,
            DeclKind::Asset => SymbolKind::Asset,
            DeclKind::Venue => SymbolKind::Venue,
            DeclKind::Action => SymbolKind::Action,
            DeclKind::Unit => SymbolKind::Unit,
        }
    }

    /// How a user would call it: "a venue", "an asset".
    pub fn article_noun(self) -> &'static str {
        match self {
            SymbolKind::Party => "a party",
            SymbolKind::Event => "an event",
            SymbolKind::Asset => "an asset",
            SymbolKind::Venue => "a venue",
            SymbolKind::Action => "an action",
            SymbolKind::Unit => "a unit",
            SymbolKind::Group => "a group",
            SymbolKind::Let => "a `let` value",
            SymbolKind::Fact => "a fact",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            SymbolKind::Party => "party",
            SymbolKind::Event => "event",
            SymbolKind::Asset => "asset",
            SymbolKind::Venue => "venue",
            SymbolKind::Action => "action",
            SymbolKind::Unit => "unit",
            SymbolKind::Group => "group",
            SymbolKind::Let => "let",
            SymbolKind::Fact => "fact",
        }
    }
}

/// The predeclared wildcards.
pub const ANYONE: &str = "anyone";
pub const ANYWHERE: &str = "anywhere";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub kind: SymbolKind,
    /// Index into `File::items`; `None` for the predeclared wildcards.
    pub item: Option<usize>,
    /// The span of the name in its declaration (empty for predeclared names).
    pub span: Span,
}

/// What a clause or assertion label refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelRef {
    pub item: usize,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Symbols {
    names: FxHashMap<String, Symbol>,
    labels: FxHashMap<String, LabelRef>,
    /// Group name -> member names as written (not expanded).
    groups: FxHashMap<String, Vec<String>>,
    /// Label of each clause item (explicit, or `clause_LINE`), by item
    /// index; None for the other items.
    clause_labels: Vec<Option<String>>,
}

impl Symbols {
    /// `line_of` maps a byte offset to its 1-based line, for `clause_LINE` names.
    pub fn build(file: &File, line_of: impl Fn(usize) -> usize) -> Symbols {
        let mut symbols = Symbols {
            clause_labels: vec![None; file.items.len()],
            ..Symbols::default()
        };
        for (name, kind) in [(ANYONE, SymbolKind::Party), (ANYWHERE, SymbolKind::Venue)] {
            symbols.names.insert(
                name.to_string(),
                Symbol {
                    kind,
                    item: None,
                    span: Span::default(),
                },
            );
        }
        for (index, item) in file.items.iter().enumerate() {
            let declared = match &item.kind {
                ItemKind::Decl(d) => Some((&d.name, SymbolKind::from_decl(d.kind))),
                ItemKind::Group(g) => {
                    symbols
                        .groups
                        .entry(g.name.text.clone())
                        .or_insert_with(|| g.members.iter().map(|m| m.text.clone()).collect());
                    Some((&g.name, SymbolKind::Group))
                }
                ItemKind::Let(l) => Some((&l.name, SymbolKind::Let)),
                ItemKind::Fact(f) => Some((&f.name, SymbolKind::Fact)),
                ItemKind::Clause(c) => {
                    let label = match &c.label {
                        Some(l) => {
                            symbols.labels.entry(l.text.clone()).or_insert(LabelRef {
                                item: index,
                                span: l.span,
                            });
                            l.text.clone()
                        }
                        None => format!("clause_{}", line_of(c.span.start)),
                    };
                    if let Some(slot) = symbols.clause_labels.get_mut(index) {
                        *slot = Some(label);
                    }
                    None
                }
                ItemKind::Assert(a) => {
                    symbols
                        .labels
                        .entry(a.label.text.clone())
                        .or_insert(LabelRef {
                            item: index,
                            span: a.label.span,
                        });
                    None
                }
                _ => None,
            };
            if let Some((name, kind)) = declared
                && !symbols.names.contains_key(name.text.as_str())
            {
                symbols.names.insert(
                    name.text.clone(),
                    Symbol {
                        kind,
                        item: Some(index),
                        span: name.span,
                    },
                );
            }
        }
        symbols
    }

    pub fn get(&self, name: &str) -> Option<&Symbol> {
        self.names.get(name)
    }

    pub fn kind(&self, name: &str) -> Option<SymbolKind> {
        self.names.get(name).map(|s| s.kind)
    }

    /// All declared names (predeclared wildcards included).
    pub fn names(&self) -> impl Iterator<Item = (&str, &Symbol)> {
        self.names.iter().map(|(n, s)| (n.as_str(), s))
    }

    pub fn label(&self, label: &str) -> Option<&LabelRef> {
        self.labels.get(label)
    }

    pub fn labels(&self) -> impl Iterator<Item = (&str, &LabelRef)> {
        self.labels.iter().map(|(n, l)| (n.as_str(), l))
    }

    /// The label a clause item is known by in output.
    pub fn clause_label(&self, item: usize) -> Option<&str> {
        self.clause_labels.get(item)?.as_deref()
    }

    pub fn is_wildcard(name: &str) -> bool {
        name == ANYONE || name == ANYWHERE
    }

    /// The kind of the non-group members of a group (its first leaf member
    /// decides; mixing is the checker's `wrong-kind`). None for an empty or
    /// cyclic group.
    pub fn group_kind(&self, group: &str) -> Option<SymbolKind> {
        self.expand(group).first().and_then(|leaf| self.kind(leaf))
    }

    /// The kind a name stands for where it is used: a group stands for its members' kind.
    pub fn effective_kind(&self, name: &str) -> Option<SymbolKind> {
        match self.kind(name)? {
            SymbolKind::Group => self.group_kind(name),
            kind => Some(kind),
        }
    }

    /// A name's leaf members: itself when it is not a group; a group's members,
    /// groups expanded recursively, each once, in order. Cycles are cut.
    /// Iterative, so a long chain of nested groups cannot overflow the stack.
    pub fn expand(&self, name: &str) -> Vec<String> {
        let Some((group, members)) = self.group_members(name) else {
            return vec![name.to_string()];
        };
        let mut out = Vec::with_capacity(members.len());
        let mut emitted: FxHashSet<&str> = FxHashSet::default();
        // The groups being expanded, innermost last, each with its next member.
        let mut stack: Vec<(&str, usize)> = vec![(group, 0)];
        let mut on_stack: FxHashSet<&str> = FxHashSet::from_iter([group]);
        while let Some(&(group, position)) = stack.last() {
            let member = self
                .group_members(group)
                .and_then(|(_, members)| members.get(position));
            let Some(member) = member else {
                stack.pop();
                on_stack.remove(group);
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            match self.group_members(member) {
                Some((inner, _)) => {
                    if on_stack.insert(inner) {
                        stack.push((inner, 0));
                    }
                }
                None => {
                    if emitted.insert(member.as_str()) {
                        out.push(member.clone());
                    }
                }
            }
        }
        out
    }

    /// A group's own name (as stored) and members, if `name` is a group.
    fn group_members(&self, name: &str) -> Option<(&str, &[String])> {
        if self.kind(name) != Some(SymbolKind::Group) {
            return None;
        }
        self.groups
            .get_key_value(name)
            .map(|(group, members)| (group.as_str(), members.as_slice()))
    }

    /// Declared names of one of the given kinds (groups count as their
    /// members' kind), sorted: candidates for "did you mean" and completion.
    pub fn names_of_kind(&self, kinds: &[SymbolKind]) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .names
            .keys()
            .filter(|n| self.effective_kind(n).is_some_and(|k| kinds.contains(&k)))
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{Group, Item, Name};

    fn group(name: &str, members: &[&str]) -> Item {
        let span = Span::default();
        Item {
            doc: None,
            kind: ItemKind::Group(Group {
                name: Name::new(name, span),
                label: None,
                members: members.iter().map(|m| Name::new(*m, span)).collect(),
                span,
            }),
            span,
        }
    }

    #[test]
    fn expand_flattens_in_order_once_and_cuts_cycles() {
        let file = File {
            items: vec![
                group("a", &["x", "b", "y", "c"]),
                group("b", &["y", "z", "a"]),
                group("c", &["b", "w"]),
            ],
            comments: Vec::new(),
        };
        let symbols = Symbols::build(&file, |_| 1);
        assert_eq!(symbols.expand("a"), vec!["x", "y", "z", "w"]);
        assert_eq!(symbols.expand("x"), vec!["x"]);
    }

    #[test]
    fn expand_follows_long_chains_without_recursion() {
        let n = 50_000;
        let names: Vec<String> = (0..=n).map(|i| format!("g{i}")).collect();
        let mut items: Vec<Item> = (0..n)
            .map(|i| group(&names[i], &[names[i + 1].as_str()]))
            .collect();
        items.push(group(&names[n], &["leaf"]));
        let symbols = Symbols::build(
            &File {
                items,
                comments: Vec::new(),
            },
            |_| 1,
        );
        assert_eq!(symbols.expand("g0"), vec!["leaf"]);
    }
}
