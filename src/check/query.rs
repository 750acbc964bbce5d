//! Queries (spec section 7), wherever they are written: at the REPL or on
//! the command line, in `expect` blocks and in assertions. A query names one
//! party, one action, one asset and at most one member per qualifier.

use super::Checker;
use super::clause::{LabelTarget, clause_form};
use super::resolve::{One, Place, Role};
use crate::ast::{ActQuery, HoldsQuery, Name, Query, Slots};
use crate::diagnostic::{Code, Diagnostic};

/// Where a query stands, which decides what its answer may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    /// `deal query` or the REPL: an expression may have any type.
    Standalone,
    /// An `expect` line or an assertion: an expression must be true.
    MustHold,
}

impl Checker<'_> {
    pub(crate) fn check_query(&mut self, query: &Query, usage: Use) {
        match query {
            Query::May(act) | Query::Must(act) => self.check_act_query(act),
            Query::Holds(holds) => self.check_holds_query(holds),
            Query::Status(label) => self.check_status_label(label),
            Query::Expr(expr) => match usage {
                Use::Standalone => {
                    self.type_expr(expr);
                }
                Use::MustHold => {
                    self.expect_bool(expr, "an expectation");
                }
            },
        }
    }

    fn check_act_query(&mut self, query: &ActQuery) {
        self.resolve(&query.party, Place::one(Role::Party, One::Query));
        self.resolve(&query.action, Place::one(Role::Action, One::Query));
        self.resolve(&query.object, Place::one(Role::Asset, One::Query));
        self.check_slots(&query.slots);
    }

    fn check_holds_query(&mut self, query: &HoldsQuery) {
        self.resolve(&query.party, Place::one(Role::Party, One::Query));
        self.resolve(&query.object, Place::one(Role::Holding, One::Query));
        self.check_slots(&query.slots);
    }

    fn check_slots(&mut self, slots: &Slots) {
        let slots: [(&Option<Name>, Role); 3] = [
            (&slots.on, Role::Venue),
            (&slots.to, Role::Counterparty),
            (&slots.with, Role::Counterparty),
        ];
        for (name, role) in slots {
            if let Some(name) = name {
                self.resolve(name, Place::one(role, One::Query));
            }
        }
    }

    /// `status LABEL` names a `must` clause. Labels only: nothing points into
    /// the contract, so the check serves queries from other sources too.
    pub(crate) fn check_status_label(&mut self, label: &Name) {
        match self.label_target(&label.text) {
            LabelTarget::Clause(_, clause) if super::clause::is_obligation(clause) => {}
            LabelTarget::Clause(_, clause) => {
                let form = clause_form(clause);
                self.report(
                    Diagnostic::new(
                        Code::WrongKind,
                        format!("`{label}` is {form}, but `status` needs a `must` clause"),
                        label.span,
                        "not an obligation",
                    )
                    .with_help("only obligations are pending, fulfilled or violated; ask `may` or `holds` instead"),
                );
            }
            LabelTarget::Assertion | LabelTarget::Missing => self.unknown_clause(label, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use crate::diagnostic::Code;

    #[test]
    fn status_needs_an_obligation() {
        let run = Run::with(
            "x: openai may host api\n\
             scenario s {\n  expect at 2030-01-01 {\n    status x is pending\n  }\n}\n",
        );
        let d = run.only(Code::WrongKind);
        assert_eq!(
            d.message,
            "`x` is a `may` clause, but `status` needs a `must` clause"
        );
        assert_eq!(run.labelled(d)[0].0, "x");
    }

    #[test]
    fn queries_name_one_member() {
        let run = Run::with(
            "scenario s {\n  expect at 2030-01-01 {\n    may openai host products on clouds\n  }\n}\n",
        );
        assert_eq!(run.codes(), vec![Code::WrongKind, Code::WrongKind]);
        let d = &run.diagnostics[0];
        assert_eq!(
            d.message,
            "`products` is a group, but a query names one member"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("name one of its members, e.g. `api`")
        );
        assert_eq!(
            run.diagnostics[1].message,
            "`clouds` is a group, but a query names one member"
        );
    }

    #[test]
    fn status_suggests_obligations_only() {
        let run = Run::with(
            "azure_commitment: openai must purchase $250B of api\n\
             azure_comitment_note: openai may host api\n\
             scenario s {\n  expect at 2030-01-01 {\n    status azure_comitment is pending\n  }\n}\n",
        );
        let d = run.only(Code::UnknownClause);
        assert_eq!(d.help.as_deref(), Some("did you mean `azure_commitment`?"));
    }

    #[test]
    fn expectations_may_ask_every_kind_of_query() {
        let run = Run::with(
            "c: openai must purchase $1B of api by 2030-01-01\n\
             scenario s {\n  expect at 2030-01-01 {\n    may openai host api on azure to microsoft with panel\n    not must openai purchase api\n    unspecified holds microsoft openai\n    status c is violated\n    stake_value / stake == $500B\n  }\n}\n",
        );
        assert_eq!(run.diagnostics, vec![]);
    }
}
