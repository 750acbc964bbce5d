//! Test support: build small ASTs by hand over a source text, with the spans
//! a parser would give. Nodes are built in source order; each name or token
//! is found at or after the previous one, so a repeated word gets the span of
//! the occurrence the test means.

use crate::ast::*;
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

pub(crate) struct Builder {
    pub source: SourceFile,
    cursor: usize,
}

impl Builder {
    pub fn new(text: &str) -> Self {
        Builder {
            source: SourceFile::new("test.deal", text),
            cursor: 0,
        }
    }

    /// The span of the next occurrence of `token` as a whole word.
    pub fn at(&mut self, token: &str) -> Span {
        let text = &self.source.text;
        let mut from = self.cursor;
        loop {
            let Some(offset) = text[from..].find(token) else {
                panic!("`{token}` not found after byte {} in {text:?}", self.cursor)
            };
            let start = from + offset;
            let end = start + token.len();
            let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
            let before_ok = !text[..start].chars().next_back().is_some_and(word) || !token.starts_with(word);
            let after_ok = !text[end..].chars().next().is_some_and(word) || !token.ends_with(word);
            if before_ok && after_ok {
                self.cursor = end;
                return Span::new(start, end);
            }
            from = start + 1;
        }
    }

    pub fn name(&mut self, text: &str) -> Name {
        Name::new(text, self.at(text))
    }

    pub fn names(&mut self, texts: &[&str]) -> Vec<Name> {
        texts.iter().map(|t| self.name(t)).collect()
    }

    pub fn decl(&mut self, kind: DeclKind, name: &str) -> Item {
        let start = self.at(kind.keyword());
        let name = self.name(name);
        item(
            ItemKind::Decl(Decl {
                kind,
                name,
                label: None,
                by: None,
                after: Vec::new(),
                span: start.to(self.here()),
            }),
            start.to(self.here()),
        )
    }

    pub fn event(&mut self, name: &str, after: &[&str]) -> Item {
        let start = self.at("event");
        let name = self.name(name);
        let after = if after.is_empty() {
            Vec::new()
        } else {
            self.at("after");
            self.names(after)
        };
        let span = start.to(self.here());
        item(
            ItemKind::Decl(Decl {
                kind: DeclKind::Event,
                name,
                label: None,
                by: None,
                after,
                span,
            }),
            span,
        )
    }

    pub fn group(&mut self, name: &str, members: &[&str]) -> Item {
        let start = self.at("group");
        let name = self.name(name);
        let members = self.names(members);
        let span = start.to(self.here());
        item(
            ItemKind::Group(Group {
                name,
                label: None,
                members,
                span,
            }),
            span,
        )
    }

    /// `let NAME = <value built by the closure>`
    pub fn let_(&mut self, name: &str, value: impl FnOnce(&mut Builder) -> Expr) -> Item {
        let start = self.at("let");
        let name = self.name(name);
        let value = value(self);
        let span = start.to(value.span);
        item(ItemKind::Let(Let { name, value, span }), span)
    }

    pub fn fact(&mut self, name: &str, ty: &str) -> Item {
        let start = self.at("fact");
        let name = self.name(name);
        let ty_span = self.at(ty);
        let kind = match ty {
            "money" => TypeName::Money,
            "percent" => TypeName::Percent,
            "number" => TypeName::Number,
            "bool" => TypeName::Bool,
            "date" => TypeName::Date,
            "duration" => TypeName::Duration,
            unit => TypeName::Unit(Name::new(unit, ty_span)),
        };
        let span = start.to(ty_span);
        item(
            ItemKind::Fact(Fact {
                name,
                label: None,
                ty: TypeRef { kind, span: ty_span },
                default: None,
                span,
            }),
            span,
        )
    }

    /// `[label:] party may|must|must not action [quantity of] object qualifiers`
    pub fn act(
        &mut self,
        label: Option<&str>,
        modality: Modality,
        party: &str,
        action: &str,
        object: &str,
        qualifiers: impl FnOnce(&mut Builder) -> Vec<Qualifier>,
    ) -> Item {
        let label = label.map(|l| self.name(l));
        let party = self.name(party);
        let action = self.name(action);
        let object_name = self.name(object);
        let object = Object {
            quantity: None,
            span: object_name.span,
            name: object_name,
        };
        let body = ClauseBody::Act {
            modality,
            party,
            action,
            object,
        };
        self.clause(label, body, qualifiers)
    }

    pub fn clause(
        &mut self,
        label: Option<Name>,
        body: ClauseBody,
        qualifiers: impl FnOnce(&mut Builder) -> Vec<Qualifier>,
    ) -> Item {
        let start = match (&label, &body) {
            (Some(l), _) => l.span,
            (None, ClauseBody::Act { party, .. } | ClauseBody::Holds { party, .. }) => party.span,
            (None, ClauseBody::Exclusive { object }) => object.span,
        };
        let qualifiers = qualifiers(self);
        let span = start.to(self.here());
        item(
            ItemKind::Clause(Clause {
                label,
                body,
                qualifiers,
                span,
            }),
            span,
        )
    }

    /// `keyword names`
    pub fn names_qualifier(&mut self, keyword: &str, names: &[&str]) -> Qualifier {
        let start = self.at(keyword);
        let names = self.names(names);
        let kind = match keyword {
            "on" => QualifierKind::On(names),
            "to" => QualifierKind::To(names),
            "with" => QualifierKind::With(names),
            "notwithstanding" => QualifierKind::Notwithstanding(names),
            other => panic!("not a names qualifier: {other}"),
        };
        Qualifier {
            kind,
            span: start.to(self.here()),
        }
    }

    /// `keyword NAME` for a time qualifier.
    pub fn time_qualifier(&mut self, keyword: &str, name: &str) -> Qualifier {
        let start = self.at(keyword);
        let name = self.name(name);
        let time = TimeExpr {
            span: name.span,
            kind: TimeKind::Name(name),
        };
        let kind = match keyword {
            "from" => QualifierKind::From(time),
            "until" => QualifierKind::Until(time),
            "through" => QualifierKind::Through(time),
            "by" => QualifierKind::By(time),
            other => panic!("not a time qualifier: {other}"),
        };
        Qualifier {
            kind,
            span: start.to(self.here()),
        }
    }

    pub fn when(&mut self, condition: impl FnOnce(&mut Builder) -> Expr) -> Qualifier {
        let start = self.at("when");
        let condition = condition(self);
        Qualifier {
            span: start.to(condition.span),
            kind: QualifierKind::When(condition),
        }
    }

    pub fn var(&mut self, name: &str) -> Expr {
        let name = self.name(name);
        Expr {
            span: name.span,
            kind: ExprKind::Name(name),
        }
    }

    /// A numeric literal as written: `$135B`, `27%`, `2`.
    pub fn lit(&mut self, text: &str) -> Expr {
        let span = self.at(text);
        let literal = if let Some(money) = text.strip_prefix('$') {
            let (digits, scale) = match money.chars().last() {
                Some('B') => (&money[..money.len() - 1], "e9"),
                Some('M') => (&money[..money.len() - 1], "e6"),
                _ => (money, ""),
            };
            Literal::Money {
                value: Decimal::parse(&format!("{digits}{scale}")).unwrap(),
                text: text.to_string(),
            }
        } else if let Some(percent) = text.strip_suffix('%') {
            Literal::Percent {
                value: Decimal::parse(&format!("{percent}e-2")).unwrap(),
                text: text.to_string(),
            }
        } else if text == "true" || text == "false" {
            Literal::Bool(text == "true")
        } else {
            Literal::Number {
                value: Decimal::parse(text).unwrap(),
                text: text.to_string(),
            }
        };
        Expr {
            span,
            kind: ExprKind::Literal(literal),
        }
    }

    pub fn bin(&mut self, lhs: Expr, op: BinaryOp, rhs: impl FnOnce(&mut Builder) -> Expr) -> Expr {
        self.at(op.symbol());
        let rhs = rhs(self);
        Expr {
            span: lhs.span.to(rhs.span),
            kind: ExprKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
        }
    }

    fn here(&self) -> Span {
        Span::new(self.cursor, self.cursor)
    }
}

fn item(kind: ItemKind, span: Span) -> Item {
    Item { doc: None, kind, span }
}

/// Codes of the diagnostics, in order.
pub(crate) fn codes(diagnostics: &[Diagnostic]) -> Vec<Code> {
    diagnostics.iter().map(|d| d.code).collect()
}

/// The text under a diagnostic's primary label.
pub(crate) fn primary_text<'s>(source: &'s SourceFile, diagnostic: &Diagnostic) -> &'s str {
    source.slice(diagnostic.primary_span())
}
