//! Evaluation (spec sections 4-7): values and time, scenarios, the query
//! engine (the one implementation of section 7), obligations, `expect`
//! blocks and "what would change this".
//!
//! Everything here assumes a contract that parses and resolves, but stays
//! total: anything unexpected is an `EvalError` (a `deal::eval` diagnostic
//! once reported), never a panic.

pub mod change;
pub mod error;
pub mod expect;
pub mod expr;
pub mod force;
pub mod index;
pub mod ledger;
pub mod obligation;
pub mod order;
pub mod query;
pub mod scenario;
mod scenario_block;
pub mod time;
pub mod value;

pub use change::{Change, next_change, same_answer, what_if};
pub use error::EvalError;
pub use expect::{ExpectOutcome, run_expectations};
pub use expr::{Env, FactReads};
pub use force::Ctx;
pub use index::{ClauseInfo, ClauseKind, Members, Slot};
pub use obligation::{ObligationKind, ObligationState, status};
pub use query::{
    Answer, Outcome, StatusAnswer, answer, answer_reading, contract_end, in_force, matching, window,
};
pub use scenario::{Fulfilment, PerformanceRecord, Scenario, parse_fact_value};
pub use time::Time;
pub use value::Value;

use crate::ast::{self, ItemKind};
use crate::source::{SourceFile, Span};
use crate::symbols::{SymbolKind, Symbols};
use crate::types::Type;
use chrono::NaiveDate;
use index::ClauseIndex;
use order::EventOrder;

/// A clause, by its index into `File::items`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClauseId(pub usize);

/// A contract ready to evaluate: its source, tree and symbols, plus the
/// clause index built once.
#[derive(Clone, Debug)]
pub struct Contract {
    pub source: SourceFile,
    pub file: ast::File,
    pub symbols: Symbols,
    effective: Option<NaiveDate>,
    /// The `until`/`through` of `effective ... until ...`: the contract's term.
    term: Option<ast::Qualifier>,
    index: ClauseIndex,
    order: EventOrder,
}

impl Contract {
    pub fn new(source: SourceFile, file: ast::File, symbols: Symbols) -> Contract {
        let declared = file.items.iter().find_map(|item| match &item.kind {
            ItemKind::Effective(effective) => Some(effective),
            _ => None,
        });
        let effective = declared.map(|e| e.date.date);
        let term = declared.and_then(|e| e.end.clone());
        let index = ClauseIndex::build(&file, &symbols);
        let order = EventOrder::build(&file, &symbols);
        Contract {
            source,
            file,
            symbols,
            effective,
            term,
            index,
            order,
        }
    }

    /// The contract's term: the `effective` date and its `until`/`through`.
    pub fn term(&self) -> Option<(NaiveDate, &ast::Qualifier)> {
        Some((self.effective?, self.term.as_ref()?))
    }

    /// The `effective` date, if the contract has one.
    pub fn effective(&self) -> Option<NaiveDate> {
        self.effective
    }

    /// Every clause in source order, with its doc comment.
    pub fn clauses(&self) -> impl Iterator<Item = (ClauseId, &ast::Clause, Option<&ast::Doc>)> {
        self.file
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match &item.kind {
                ItemKind::Clause(clause) => Some((ClauseId(i), clause, item.doc.as_ref())),
                _ => None,
            })
    }

    pub fn clause(&self, id: ClauseId) -> Option<&ast::Clause> {
        match &self.file.items.get(id.0)?.kind {
            ItemKind::Clause(clause) => Some(clause),
            _ => None,
        }
    }

    /// The clause's explicit label, or `clause_LINE`; "" for an id that is not a clause.
    pub fn clause_label(&self, id: ClauseId) -> &str {
        self.symbols.clause_label(id.0).unwrap_or("")
    }

    /// The clause's source span (empty for an id that is not a clause).
    pub fn clause_span(&self, id: ClauseId) -> Span {
        self.clause(id).map(|c| c.span).unwrap_or_default()
    }

    /// The clause with this label (explicit or `clause_LINE`).
    pub fn clause_by_label(&self, label: &str) -> Option<ClauseId> {
        if let Some(found) = self.symbols.label(label) {
            return self
                .clause(ClauseId(found.item))
                .map(|_| ClauseId(found.item));
        }
        self.clauses()
            .map(|(id, _, _)| id)
            .find(|&id| self.clause_label(id) == label)
    }

    /// The resolved form of a clause (groups expanded, exceptions as ids).
    pub fn clause_info(&self, id: ClauseId) -> Option<&ClauseInfo> {
        self.index.info(id)
    }

    /// The clauses a `may`/`must` query on (action, object) could match.
    pub fn act_candidates(&self, action: &str, object: &str) -> Vec<&ClauseInfo> {
        self.index.act_candidates(action, object)
    }

    /// The clauses a `holds` query on an object could match.
    pub fn holds_candidates(&self, object: &str) -> Vec<&ClauseInfo> {
        self.index.holds_candidates(object)
    }

    /// The item declaring `name`, if any.
    fn item_of(&self, name: &str) -> Option<(SymbolKind, &ItemKind)> {
        let symbol = self.symbols.get(name)?;
        let item = self.file.items.get(symbol.item?)?;
        Some((symbol.kind, &item.kind))
    }

    /// The `let` or fact declaring `name`, found with one look-up.
    pub fn value_decl(&self, name: &str) -> Option<ValueDecl<'_>> {
        match self.item_of(name)? {
            (SymbolKind::Let, ItemKind::Let(decl)) => Some(ValueDecl::Let(decl)),
            (SymbolKind::Fact, ItemKind::Fact(decl)) => Some(ValueDecl::Fact(decl)),
            _ => None,
        }
    }

    pub fn let_decl(&self, name: &str) -> Option<&ast::Let> {
        match self.item_of(name)? {
            (SymbolKind::Let, ItemKind::Let(decl)) => Some(decl),
            _ => None,
        }
    }

    pub fn fact_decl(&self, name: &str) -> Option<&ast::Fact> {
        match self.item_of(name)? {
            (SymbolKind::Fact, ItemKind::Fact(decl)) => Some(decl),
            _ => None,
        }
    }

    pub fn event_decl(&self, name: &str) -> Option<&ast::Decl> {
        match self.item_of(name)? {
            (SymbolKind::Event, ItemKind::Decl(decl)) => Some(decl),
            _ => None,
        }
    }

    /// The events `event` must come after (directly), groups expanded.
    pub fn prerequisites(&self, event: &str) -> &[String] {
        self.order.prerequisites(event)
    }

    /// A fact's declared type.
    pub fn fact_type(&self, name: &str) -> Option<Type> {
        Some(type_of(&self.fact_decl(name)?.ty))
    }

    /// Declared events, in source order.
    pub fn events(&self) -> impl Iterator<Item = &ast::Decl> {
        self.file.items.iter().filter_map(|item| match &item.kind {
            ItemKind::Decl(decl) if decl.kind == ast::DeclKind::Event => Some(decl),
            _ => None,
        })
    }
}

/// A name that stands for a value: a `let` or a fact.
#[derive(Clone, Copy, Debug)]
pub enum ValueDecl<'c> {
    Let(&'c ast::Let),
    Fact(&'c ast::Fact),
}

/// The type a `fact NAME: TYPE` declaration names.
pub fn type_of(ty: &ast::TypeRef) -> Type {
    match &ty.kind {
        ast::TypeName::Money => Type::Money,
        ast::TypeName::Percent => Type::Percent,
        ast::TypeName::Number => Type::Number,
        ast::TypeName::Bool => Type::Bool,
        ast::TypeName::Date => Type::Date,
        ast::TypeName::Duration => Type::Duration,
        ast::TypeName::Unit(unit) => Type::Unit(unit.text.clone()),
    }
}

/// Builders for hand-made contracts in unit tests.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ast::*;
    use crate::decimal::Decimal;

    pub fn sp() -> Span {
        Span::default()
    }

    pub fn n(text: &str) -> Name {
        Name::new(text, sp())
    }

    fn names(list: &[&str]) -> Vec<Name> {
        list.iter().map(|s| n(s)).collect()
    }

    pub fn decl(kind: DeclKind, name: &str) -> Decl {
        Decl {
            kind,
            name: n(name),
            label: None,
            by: None,
            after: Vec::new(),
            span: sp(),
        }
    }

    pub fn event(name: &str, after: &[&str]) -> ItemKind {
        ItemKind::Decl(Decl {
            after: names(after),
            ..decl(DeclKind::Event, name)
        })
    }

    pub fn fact(name: &str, ty: TypeName, default: Option<Expr>) -> ItemKind {
        ItemKind::Fact(Fact {
            name: n(name),
            label: None,
            ty: TypeRef {
                kind: ty,
                span: sp(),
            },
            default,
            span: sp(),
        })
    }

    pub fn let_(name: &str, value: Expr) -> ItemKind {
        ItemKind::Let(Let {
            name: n(name),
            value,
            span: sp(),
        })
    }

    pub fn group(name: &str, members: &[&str]) -> ItemKind {
        ItemKind::Group(Group {
            name: n(name),
            label: None,
            members: names(members),
            span: sp(),
        })
    }

    /// Declarations for each word: `party:openai`, `asset:api`, ...
    pub fn decls(list: &[&str]) -> Vec<ItemKind> {
        list.iter()
            .map(|entry| {
                let (kind, name) = entry.split_once(':').unwrap();
                let kind = match kind {
                    "party" => DeclKind::Party,
                    "event" => DeclKind::Event,
                    "asset" => DeclKind::Asset,
                    "venue" => DeclKind::Venue,
                    "action" => DeclKind::Action,
                    "unit" => DeclKind::Unit,
                    other => panic!("{other}"),
                };
                ItemKind::Decl(decl(kind, name))
            })
            .collect()
    }

    pub fn expr(kind: ExprKind) -> Expr {
        Expr { kind, span: sp() }
    }

    pub fn name_e(text: &str) -> Expr {
        expr(ExprKind::Name(n(text)))
    }

    pub fn money(text: &str) -> Expr {
        expr(ExprKind::Literal(Literal::Money {
            value: Decimal::parse(text).unwrap(),
            text: text.into(),
        }))
    }

    pub fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
        expr(ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        })
    }

    pub fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    pub fn t_date(text: &str) -> TimeExpr {
        TimeExpr {
            kind: TimeKind::Date(date(text)),
            span: sp(),
        }
    }

    pub fn t_name(text: &str) -> TimeExpr {
        TimeExpr {
            kind: TimeKind::Name(n(text)),
            span: sp(),
        }
    }

    pub fn t_or(a: TimeExpr, b: TimeExpr) -> TimeExpr {
        TimeExpr {
            kind: TimeKind::Or(Box::new(a), Box::new(b)),
            span: sp(),
        }
    }

    fn object(quantity: Option<Expr>, name: &str) -> Object {
        Object {
            quantity,
            name: n(name),
            span: sp(),
        }
    }

    pub fn act(modality: Modality, party: &str, action: &str, asset: &str) -> ClauseBody {
        ClauseBody::Act {
            modality,
            party: n(party),
            action: n(action),
            object: object(None, asset),
        }
    }

    pub fn must_q(party: &str, action: &str, quantity: Expr, asset: &str) -> ClauseBody {
        ClauseBody::Act {
            modality: Modality::Must,
            party: n(party),
            action: n(action),
            object: object(Some(quantity), asset),
        }
    }

    pub fn holds(party: &str, asset: &str, negated: bool) -> ClauseBody {
        ClauseBody::Holds {
            negated,
            party: n(party),
            object: object(None, asset),
        }
    }

    pub fn exclusive(asset: &str) -> ClauseBody {
        ClauseBody::Exclusive {
            object: object(None, asset),
        }
    }

    pub fn on(list: &[&str]) -> QualifierKind {
        QualifierKind::On(names(list))
    }
    pub fn to(list: &[&str]) -> QualifierKind {
        QualifierKind::To(names(list))
    }
    pub fn with(list: &[&str]) -> QualifierKind {
        QualifierKind::With(names(list))
    }
    pub fn notwithstanding(list: &[&str]) -> QualifierKind {
        QualifierKind::Notwithstanding(names(list))
    }

    pub fn clause(label: &str, body: ClauseBody, qualifiers: Vec<QualifierKind>) -> ItemKind {
        ItemKind::Clause(Clause {
            label: (!label.is_empty()).then(|| n(label)),
            body,
            qualifiers: qualifiers
                .into_iter()
                .map(|kind| Qualifier { kind, span: sp() })
                .collect(),
            span: sp(),
        })
    }

    /// A contract of these items; item `i` starts on line `i + 1`.
    pub fn contract_of(kinds: Vec<ItemKind>) -> Contract {
        let items = kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| {
                let span = Span::new(i * 10, i * 10 + 5);
                let kind = match kind {
                    ItemKind::Clause(mut clause) => {
                        clause.span = span;
                        ItemKind::Clause(clause)
                    }
                    other => other,
                };
                Item {
                    doc: None,
                    kind,
                    span,
                }
            })
            .collect();
        let file = File {
            items,
            comments: Vec::new(),
        };
        let symbols = Symbols::build(&file, |offset| offset / 10 + 1);
        Contract::new(SourceFile::new("test.deal", ""), file, symbols)
    }

    pub fn slots(on: Option<&str>, to: Option<&str>, with: Option<&str>) -> Slots {
        Slots {
            on: on.map(n),
            to: to.map(n),
            with: with.map(n),
        }
    }

    pub fn may_q(party: &str, action: &str, asset: &str, slots: Slots) -> Query {
        Query::May(ActQuery {
            party: n(party),
            action: n(action),
            object: n(asset),
            slots,
            span: sp(),
        })
    }

    pub fn must_query(party: &str, action: &str, asset: &str, slots: Slots) -> Query {
        match may_q(party, action, asset, slots) {
            Query::May(q) => Query::Must(q),
            other => other,
        }
    }

    pub fn holds_q(party: &str, asset: &str, slots: Slots) -> Query {
        Query::Holds(HoldsQuery {
            party: n(party),
            object: n(asset),
            slots,
            span: sp(),
        })
    }

    pub fn none() -> Slots {
        Slots::default()
    }
}

#[cfg(test)]
mod text_tests;
#[cfg(test)]
mod v2_tests;
