//! `duplicate-name`: one namespace for declared names (the predeclared
//! wildcards included), one for clause and assertion labels (with the
//! `clause_<line>` names reserved), one for scenarios; `effective` and the
//! `deal` title at most once.

use super::Checker;
use crate::ast::{ItemKind, Name};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::symbols::{ANYONE, ANYWHERE, SymbolKind};
use rustc_hash::FxHashMap;

/// Labels of this form name unlabelled clauses in output.
pub(crate) fn is_reserved_label(label: &str) -> bool {
    label
        .strip_prefix("clause_")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// First occurrence of each name in one namespace, with what it was.
#[derive(Default)]
struct Namespace<'a> {
    first: FxHashMap<&'a str, (Span, &'static str)>,
}

impl<'a> Namespace<'a> {
    /// The earlier occurrence, if `name` was seen before; records it otherwise.
    fn add(&mut self, name: &'a Name, what: &'static str) -> Option<(Span, &'static str)> {
        match self.first.get(name.text.as_str()) {
            Some(&earlier) => Some(earlier),
            None => {
                self.first.insert(&name.text, (name.span, what));
                None
            }
        }
    }
}

impl<'a> Checker<'a> {
    pub(crate) fn check_duplicates(&mut self) {
        let mut names = Namespace::default();
        let mut labels = Namespace::default();
        let mut scenarios = Namespace::default();
        let mut effective: Option<Span> = None;
        let mut title: Option<Span> = None;
        let file = self.file;
        for item in &file.items {
            match &item.kind {
                ItemKind::Deal(text) => {
                    self.at_most_once(&mut title, "the `deal` title", text.span)
                }
                ItemKind::Effective(e) => {
                    self.at_most_once(&mut effective, "`effective`", e.date.span)
                }
                ItemKind::Decl(decl) => {
                    let what = SymbolKind::from_decl(decl.kind).article_noun();
                    self.declare(&mut names, &decl.name, what);
                }
                ItemKind::Group(group) => {
                    self.declare(&mut names, &group.name, SymbolKind::Group.article_noun())
                }
                ItemKind::Let(value) => {
                    self.declare(&mut names, &value.name, SymbolKind::Let.article_noun())
                }
                ItemKind::Fact(fact) => {
                    self.declare(&mut names, &fact.name, SymbolKind::Fact.article_noun())
                }
                ItemKind::Clause(clause) => {
                    if let Some(label) = &clause.label {
                        self.label(&mut labels, label, "a clause");
                    }
                }
                ItemKind::Assert(assertion) => {
                    self.label(&mut labels, &assertion.label, "an assertion")
                }
                ItemKind::Scenario(scenario) => {
                    if let Some((first, _)) = scenarios.add(&scenario.name, "scenario") {
                        self.report(twice(
                            format!("scenario `{}` is declared twice", scenario.name),
                            scenario.name.span,
                            first,
                        ));
                    }
                }
            }
        }
    }

    fn declare(&mut self, names: &mut Namespace<'a>, name: &'a Name, what: &'static str) {
        if name.text == ANYONE || name.text == ANYWHERE {
            let meaning = if name.text == ANYONE {
                "any party"
            } else {
                "any venue"
            };
            self.report(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("`{name}` is predeclared"),
                    name.span,
                    "declared again here",
                )
                .with_help(format!(
                    "`{name}` is built in and means {meaning}; choose another name"
                )),
            );
            return;
        }
        if let Some((first, first_what)) = names.add(name, what) {
            let message = if first_what == what {
                format!("`{name}` is declared twice")
            } else {
                format!("`{name}` is declared twice (as {first_what} and as {what})")
            };
            self.report(
                twice(message, name.span, first)
                    .with_help("names share one namespace; rename one of them"),
            );
        }
    }

    fn label(&mut self, labels: &mut Namespace<'a>, label: &'a Name, what: &'static str) {
        if is_reserved_label(&label.text) {
            self.report(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("`{label}` is a reserved label"),
                    label.span,
                    "reserved for unlabelled clauses",
                )
                .with_help(
                    "unlabelled clauses are called `clause_<line>` in output; choose another label",
                ),
            );
            return;
        }
        if let Some((first, first_what)) = labels.add(label, what) {
            let message = if first_what == what {
                format!("label `{label}` is used twice")
            } else {
                format!("label `{label}` is used twice (by {first_what} and by {what})")
            };
            self.report(
                twice(message, label.span, first).with_help(
                    "clause and assertion labels share one namespace; rename one of them",
                ),
            );
        }
    }

    fn at_most_once(&mut self, first: &mut Option<Span>, what: &str, span: Span) {
        match first {
            Some(earlier) => {
                let earlier = *earlier;
                self.report(
                    Diagnostic::new(
                        Code::DuplicateName,
                        format!("{what} is given twice"),
                        span,
                        "given again here",
                    )
                    .with_label(earlier, "first given here")
                    .with_help("a file has at most one; remove one of them"),
                );
            }
            None => *first = Some(span),
        }
    }
}

/// A duplicate labelled at both places, the later one primary.
fn twice(message: String, again: Span, first: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateName, message, again, "declared again here")
        .with_label(first, "first declared here")
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use super::is_reserved_label;
    use crate::diagnostic::Code;

    #[test]
    fn reserved_labels() {
        assert!(is_reserved_label("clause_12"));
        assert!(!is_reserved_label("clause_"));
        assert!(!is_reserved_label("clause_a1"));
        assert!(!is_reserved_label("clauses_1"));
    }

    #[test]
    fn duplicate_labels_share_one_namespace_with_assertions() {
        let run = Run::with("x: openai may host api\nassert x: always may openai host api\n");
        let d = run.only(Code::DuplicateName);
        assert_eq!(
            d.message,
            "label `x` is used twice (by a clause and by an assertion)"
        );
        // Labels and names are separate namespaces.
        assert_eq!(Run::with("api: openai may host api\n").diagnostics, vec![]);
    }

    #[test]
    fn reserved_labels_and_predeclared_names() {
        let run = Run::with("clause_7: openai may host api\n");
        let d = run.only(Code::DuplicateName);
        assert_eq!(d.message, "`clause_7` is a reserved label");
        assert!(d.help.as_deref().unwrap().contains("clause_<line>"));

        let run = Run::with("party anyone\n");
        let d = run.only(Code::DuplicateName);
        assert_eq!(d.message, "`anyone` is predeclared");
        assert_eq!(run.labelled(d)[0].0, "anyone");
    }

    #[test]
    fn effective_and_title_at_most_once() {
        let run = Run::new("deal \"a\"\neffective 2025-01-01\ndeal \"b\"\neffective 2026-01-01\n");
        assert_eq!(run.codes(), vec![Code::DuplicateName, Code::DuplicateName]);
        assert_eq!(
            run.diagnostics[0].message,
            "the `deal` title is given twice"
        );
        assert_eq!(run.labelled(&run.diagnostics[0])[0].0, "\"b\"");
        assert_eq!(run.diagnostics[1].message, "`effective` is given twice");
        assert_eq!(
            run.labelled(&run.diagnostics[1]),
            vec![
                ("2026-01-01", "given again here".to_string()),
                ("2025-01-01", "first given here".to_string())
            ]
        );
    }

    #[test]
    fn duplicate_scenarios() {
        let run = Run::with("scenario s {\n}\nscenario s {\n}\n");
        assert_eq!(
            run.only(Code::DuplicateName).message,
            "scenario `s` is declared twice"
        );
    }
}
