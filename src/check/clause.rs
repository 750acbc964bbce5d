//! Declarations and clauses: the kinds of every name in them, quantities,
//! times, conditions and `notwithstanding` labels.

use super::resolve::{Place, Role, plural};
use super::typing::phrase;
use super::{Checker, MAX_DEPTH};
use crate::ast::{
    Clause, ClauseBody, Decl, DeclKind, Expr, Group, ItemKind, Modality, Name, Object, Qualifier,
    QualifierKind, TimeExpr, TimeKind,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::symbols::{SymbolKind, Symbols};
use crate::types::Type;

/// What a label names, for `notwithstanding` and `status`.
pub(crate) enum LabelTarget<'f> {
    Clause(usize, &'f Clause),
    Assertion,
    Missing,
}

/// "a `may` clause", for messages about what a label names.
pub(crate) fn clause_form(clause: &Clause) -> &'static str {
    match &clause.body {
        ClauseBody::Act {
            modality: Modality::May,
            ..
        } => "a `may` clause",
        ClauseBody::Act {
            modality: Modality::Must,
            ..
        } => "a `must` clause",
        ClauseBody::Act {
            modality: Modality::MustNot,
            ..
        } => "a `must not` clause",
        ClauseBody::Holds { negated: false, .. } => "a `holds` clause",
        ClauseBody::Holds { negated: true, .. } => "a `holds no` clause",
        ClauseBody::Exclusive { .. } => "an `exclusive` clause",
        ClauseBody::Only { .. } => "an `only` clause",
    }
}

pub(crate) fn is_obligation(clause: &Clause) -> bool {
    matches!(
        clause.body,
        ClauseBody::Act {
            modality: Modality::Must,
            ..
        }
    )
}

impl Checker<'_> {
    /// An event's `by` party and `after` events; other declarations have no
    /// names in them.
    pub(crate) fn check_decl(&mut self, decl: &Decl) {
        if decl.kind != DeclKind::Event {
            return;
        }
        if let Some(by) = &decl.by {
            self.resolve(by, Place::one(Role::Party, super::resolve::One::Cause));
        }
        for after in &decl.after {
            self.resolve(after, Place::of(Role::Event));
        }
    }

    /// Members are declared, of a kind a group can hold, and all of one kind
    /// (the first odd one out is labelled).
    pub(crate) fn check_group(&mut self, group: &Group) {
        let mut first: Option<(&Name, SymbolKind)> = None;
        let mut odd_reported = false;
        for member in &group.members {
            let Some(kind) = self.resolve(member, Place::of(Role::Member)) else {
                continue;
            };
            match first {
                None => first = Some((member, kind)),
                Some((first_member, group_kind)) if kind != group_kind && !odd_reported => {
                    odd_reported = true;
                    let is = self.describe(&member.text);
                    self.report(
                        Diagnostic::new(
                            Code::WrongKind,
                            format!(
                                "`{member}` is {is}, but `{}` is a group of {}",
                                group.name,
                                plural(group_kind)
                            ),
                            member.span,
                            is,
                        )
                        .with_label(
                            first_member.span,
                            format!(
                                "`{first_member}` makes it a group of {}",
                                plural(group_kind)
                            ),
                        )
                        .with_help("all members of a group are of one kind; make a separate group"),
                    );
                }
                Some(_) => {}
            }
        }
    }

    pub(crate) fn check_clause(&mut self, index: usize, clause: &Clause) {
        match &clause.body {
            ClauseBody::Act {
                modality,
                party,
                action,
                object,
            } => {
                self.resolve(party, Place::of(Role::Party));
                self.resolve(action, Place::of(Role::Action));
                self.resolve(&object.name, Place::of(Role::Asset));
                if let Some(quantity) = &object.quantity {
                    self.check_quantity(quantity, *modality == Modality::Must);
                }
            }
            ClauseBody::Holds { party, object, .. } => {
                self.resolve(party, Place::of(Role::Party));
                self.check_holding(object);
            }
            ClauseBody::Exclusive { object } => {
                self.resolve(&object.name, Place::of(Role::Asset));
                if let Some(quantity) = &object.quantity {
                    self.check_quantity(quantity, false);
                }
            }
            ClauseBody::Only {
                party,
                action,
                object,
            } => {
                if Symbols::is_wildcard(&party.text) {
                    self.report(
                        Diagnostic::new(
                            Code::WrongKind,
                            format!("`only {party}` names no one in particular"),
                            party.span,
                            "a wildcard",
                        )
                        .with_help(format!(
                            "an exclusive right belongs to one party (or a group): write e.g. `only marlow may {action} {}`, or drop `only` for a right open to anyone",
                            object.name
                        )),
                    );
                } else {
                    self.resolve(party, Place::of(Role::Party));
                }
                self.resolve(action, Place::of(Role::Action));
                self.resolve(&object.name, Place::of(Role::Asset));
                if let Some(quantity) = &object.quantity {
                    self.check_quantity(quantity, false);
                }
            }
        }
        for qualifier in &clause.qualifiers {
            self.check_qualifier(index, qualifier);
        }
    }

    /// The quantity of an obligation: money, a number, or a unit. (A quantity
    /// elsewhere in an act is refused by the parser; should one reach here it
    /// is refused as well.)
    fn check_quantity(&mut self, quantity: &Expr, obligation: bool) {
        let Some(ty) = self.type_expr(quantity) else {
            return;
        };
        if !obligation {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    "only `must` and `holds` clauses take a quantity",
                    quantity.span,
                    format!("this is {}", phrase(&ty)),
                )
                .with_help("remove the quantity and its `of`"),
            );
            return;
        }
        if !matches!(ty, Type::Money | Type::Number | Type::Unit(_)) {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "an obligation's quantity is money, a number or a unit, but this is {}",
                        phrase(&ty)
                    ),
                    quantity.span,
                    format!("this is {}", phrase(&ty)),
                )
                .with_help("a percent is a share of something: `holds 27% of openai` is a stake"),
            );
        }
    }

    /// `holds X` needs an asset; `holds Q of X` an asset or, for a stake, a
    /// party with a percent.
    fn check_holding(&mut self, object: &Object) {
        let Some(quantity) = &object.quantity else {
            self.resolve(&object.name, Place::of(Role::HeldAsset));
            return;
        };
        let kind = self.resolve(&object.name, Place::of(Role::Holding));
        let Some(ty) = self.type_expr(quantity) else {
            return;
        };
        match kind {
            Some(SymbolKind::Party) if ty != Type::Percent => self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "a stake in `{}` is a percent, but this is {}",
                        object.name,
                        phrase(&ty)
                    ),
                    quantity.span,
                    format!("this is {}", phrase(&ty)),
                )
                .with_label(object.name.span, "a party")
                .with_help(format!(
                    "write the stake as a percent, e.g. `27% of {}`",
                    object.name
                )),
            ),
            Some(SymbolKind::Asset) if !ty.is_quantity() => self.report(Diagnostic::new(
                Code::TypeMismatch,
                format!(
                    "a holding's quantity is an amount, but this is {}",
                    phrase(&ty)
                ),
                quantity.span,
                format!("this is {}", phrase(&ty)),
            )),
            _ => {}
        }
    }

    fn check_qualifier(&mut self, clause: usize, qualifier: &Qualifier) {
        match &qualifier.kind {
            QualifierKind::On(names) => self.resolve_all(names, Role::Venue),
            QualifierKind::To(names) | QualifierKind::With(names) => {
                self.resolve_all(names, Role::Counterparty)
            }
            QualifierKind::From(time) => self.check_time(time),
            QualifierKind::Until(time) => self.check_time(time),
            QualifierKind::By(time) => self.check_time(time),
            QualifierKind::Within { after, .. } => {
                if let Some(time) = after {
                    self.check_time(time);
                }
            }
            QualifierKind::Every(_) | QualifierKind::Survives(_) => {}
            QualifierKind::Through(date) => self.check_through(date),
            QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                self.check_condition(condition)
            }
            QualifierKind::Notwithstanding(labels) => {
                for label in labels {
                    self.check_exception_label(clause, label);
                }
            }
        }
    }

    fn resolve_all(&mut self, names: &[Name], role: Role) {
        for name in names {
            self.resolve(name, Place::of(role));
        }
    }

    /// A window qualifier of an assertion (`from`, `until`, `through`, `when`,
    /// `unless`), checked like the clause qualifier it looks like.
    pub(crate) fn check_window(&mut self, qualifier: &Qualifier) {
        match &qualifier.kind {
            QualifierKind::From(time) => self.check_time(time),
            QualifierKind::Until(time) => self.check_time(time),
            QualifierKind::Through(date) => self.check_through(date),
            QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                self.check_condition(condition)
            }
            other => self.report(
                Diagnostic::new(
                    Code::WrongKind,
                    format!("`{}` is not part of an assertion's window", other.keyword()),
                    qualifier.span,
                    "not a window",
                )
                .with_help("a window is made of `from`, `until`, `through`, `when` and `unless`"),
            ),
        }
    }

    /// A `from`, `until` or `by` time: dates, events and `let` dates.
    pub(crate) fn check_time(&mut self, time: &TimeExpr) {
        self.time_names(time, Role::Time, 0);
    }

    /// A `through` date: dates and `let` dates; an event is refused.
    pub(crate) fn check_through(&mut self, date: &TimeExpr) {
        self.time_names(date, Role::Through, 0);
    }

    fn time_names(&mut self, time: &TimeExpr, role: Role, depth: usize) {
        if depth > MAX_DEPTH {
            self.nested_too_deeply(time.span);
            return;
        }
        match &time.kind {
            TimeKind::Date(_) => {}
            TimeKind::Name(name) => {
                if self.resolve(name, Place::of(role)) == Some(SymbolKind::Let) {
                    self.let_is_date(name);
                }
            }
            TimeKind::Shift { base, .. } => self.time_names(base, role, depth + 1),
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                self.time_names(a, role, depth + 1);
                self.time_names(b, role, depth + 1);
            }
            TimeKind::Paren(inner) => self.time_names(inner, role, depth + 1),
        }
    }

    fn let_is_date(&mut self, name: &Name) {
        let Some(ty) = self.lets.get(&name.text).and_then(|info| info.ty.clone()) else {
            return;
        };
        if ty != Type::Date {
            self.report(Diagnostic::new(
                Code::TypeMismatch,
                format!("`{name}` is {}, but a date is expected here", phrase(&ty)),
                name.span,
                format!("this is {}", phrase(&ty)),
            ));
        }
    }

    /// What a label names.
    pub(crate) fn label_target(&self, label: &str) -> LabelTarget<'_> {
        let Some(target) = self.symbols.label(label) else {
            return LabelTarget::Missing;
        };
        match self.file.items.get(target.item).map(|item| &item.kind) {
            Some(ItemKind::Clause(clause)) => LabelTarget::Clause(target.item, clause),
            Some(ItemKind::Assert(_)) => LabelTarget::Assertion,
            _ => LabelTarget::Missing,
        }
    }

    /// `unknown-clause` for a label that names no clause, with the nearest
    /// clause label of the wanted sort (`must` only for `status`).
    pub(crate) fn unknown_clause(&mut self, label: &Name, obligations_only: bool) {
        let diagnostic = match self.label_target(&label.text) {
            LabelTarget::Assertion => Diagnostic::new(
                Code::UnknownClause,
                format!("`{label}` is an assertion, not a clause"),
                label.span,
                "an assertion's label",
            ),
            _ => {
                let mut candidates: Vec<&str> = self
                    .file
                    .items
                    .iter()
                    .filter_map(|item| match &item.kind {
                        ItemKind::Clause(clause) if !obligations_only || is_obligation(clause) => {
                            clause.label.as_ref().map(|l| l.text.as_str())
                        }
                        _ => None,
                    })
                    .collect();
                candidates.sort_unstable();
                let help = crate::suggest::did_you_mean(&label.text, candidates).or_else(|| {
                    super::duplicates::is_reserved_label(&label.text).then(|| {
                        "an unlabelled clause cannot be named; give it a label".to_string()
                    })
                });
                let mut diagnostic = Diagnostic::new(
                    Code::UnknownClause,
                    format!("no clause is labelled `{label}`"),
                    label.span,
                    "no such clause",
                );
                if let Some(help) = help {
                    diagnostic = diagnostic.with_help(help);
                }
                diagnostic
            }
        };
        self.report(diagnostic);
    }

    fn check_exception_label(&mut self, clause: usize, label: &Name) {
        match self.label_target(&label.text) {
            LabelTarget::Clause(target, _) if target == clause => self.report(
                Diagnostic::new(
                    Code::ExceptionCycle,
                    format!("clause `{label}` is an exception to itself"),
                    label.span,
                    "names its own clause",
                )
                .with_help("remove it from `notwithstanding`"),
            ),
            LabelTarget::Clause(..) => {}
            LabelTarget::Assertion | LabelTarget::Missing => self.unknown_clause(label, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use crate::diagnostic::Code;

    #[test]
    fn group_members_are_of_one_kind() {
        let run = Run::with("group mixed = api, azure, openai\n");
        let d = run.only(Code::WrongKind);
        assert_eq!(
            d.message,
            "`azure` is a venue, but `mixed` is a group of assets"
        );
        assert_eq!(
            run.labelled(d),
            vec![
                ("azure", "a venue".to_string()),
                ("api", "`api` makes it a group of assets".to_string())
            ]
        );
        let run = Run::with("group values = stake\n");
        assert_eq!(
            run.only(Code::WrongKind).message,
            "`stake` is a `let` value, but a party, event, asset, venue or action is expected here"
        );
    }

    #[test]
    fn through_takes_dates_and_let_dates() {
        let run = Run::with(
            "let end = 2030-01-01 + 1 year\n\
             microsoft holds api through end\n\
             microsoft holds api through 2030-01-01 + 6 months\n\
             microsoft holds api from agi_declared + 30 days until agi_verified or 2031-01-01\n",
        );
        assert_eq!(run.diagnostics, vec![]);
        let run = Run::with("microsoft holds api through stake\n");
        assert_eq!(
            run.only(Code::TypeMismatch).message,
            "`stake` is percent, but a date is expected here"
        );
    }

    #[test]
    fn holdings_and_their_quantities() {
        let run = Run::with(
            "microsoft holds $5B of api\nmicrosoft holds 10% of api\nmicrosoft holds no api\n",
        );
        assert_eq!(run.diagnostics, vec![]);
        let run = Run::with("microsoft holds safe of api\n");
        assert_eq!(
            run.only(Code::TypeMismatch).message,
            "a holding's quantity is an amount, but this is a bool"
        );
    }
}
