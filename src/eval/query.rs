//! The one implementation of spec section 7: every front end (`deal query`,
//! `expect`, the REPL, assertions, explore, diff) asks `answer`.

use crate::ast::{ActQuery, HoldsQuery, ObligationStatus, Query, Slots};
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::error::EvalError;
use crate::eval::expr::FactReads;
use crate::eval::force::Ctx;
use crate::eval::index::{ClauseInfo, ClauseKind};
use crate::eval::obligation::{self, ObligationKind};
use crate::eval::scenario::Scenario;
use crate::eval::time::Time;
use crate::eval::value::Value;
use crate::eval::{ClauseId, Contract};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashSet};

pub use crate::eval::force::qualifier_window;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub outcome: Outcome,
    /// The clauses that decide the answer, in source order (section 7).
    pub deciding: Vec<ClauseId>,
    /// On a `no` to a `must`: the obligations that would have answered yes
    /// but are discharged, in source order.
    pub discharged: Vec<ClauseId>,
}

impl Answer {
    fn new(outcome: Outcome, deciding: Vec<ClauseId>) -> Answer {
        Answer {
            outcome,
            deciding,
            discharged: Vec::new(),
        }
    }
}

/// A `status` answer (section 7): the status and, for the instance that
/// decides it, what was performed, what is owed and by when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusAnswer {
    pub status: ObligationStatus,
    /// The summed quantity allocated (a percent as its fraction), or the
    /// number of records.
    pub performed: Decimal,
    /// The quantity owed (`1`: one record); none for a continuing duty.
    pub owed: Option<Decimal>,
    pub due: Option<NaiveDate>,
    /// A recurring obligation's deciding period `[from, until)`.
    pub period: Option<(NaiveDate, NaiveDate)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Yes,
    No,
    Unspecified,
    /// A `status LABEL` query.
    Status(StatusAnswer),
    /// An expression query.
    Value(Value),
}

impl Outcome {
    /// The `answer` word of JSON output: `yes`, `no`, `unspecified`, a
    /// status word, or `value`.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Yes => "yes",
            Outcome::No => "no",
            Outcome::Unspecified => "unspecified",
            Outcome::Status(status) => status.status.as_str(),
            Outcome::Value(_) => "value",
        }
    }

    /// What an `expect` line compares: the word, or a value written as a literal.
    pub fn display(&self) -> String {
        match self {
            Outcome::Value(value) => value.display(),
            other => other.word().to_string(),
        }
    }
}

/// What a clause does to the act a query names (step 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Effect {
    Permit,
    Forbid,
    /// An exclusivity inside its sets: it restricts and never grants (v2).
    Silent,
}

/// Answer `query` on `day` under `scenario`.
pub fn answer(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> Result<Answer, EvalError> {
    Ctx::new(contract, scenario, None).answer(query, day)
}

/// `answer`, and the names of the facts it read (also when it failed):
/// the facts a counterexample has to show.
pub fn answer_reading(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> (Result<Answer, EvalError>, BTreeSet<String>) {
    let reads = FactReads::default();
    let result = Ctx::new(contract, scenario, Some(&reads)).answer(query, day);
    (result, reads.into_inner())
}

/// A clause's window under a scenario, ignoring `when`/`unless` (see
/// `Ctx::window`).
pub fn window(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
) -> Result<(Time, Time), EvalError> {
    Ctx::new(contract, scenario, None).window(id)
}

/// Whether a clause is in force on `day` (see `Ctx::in_force`).
pub fn in_force(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    day: NaiveDate,
) -> Result<bool, EvalError> {
    Ctx::new(contract, scenario, None).in_force(id, day)
}

/// The contract's end under a scenario: never without a term.
pub fn contract_end(contract: &Contract, scenario: &Scenario) -> Result<Time, EvalError> {
    Ctx::new(contract, scenario, None).contract_end()
}

impl Ctx<'_> {
    fn answer(&self, query: &Query, day: NaiveDate) -> Result<Answer, EvalError> {
        match query {
            Query::May(q) => self.act_answer(q, false, day),
            Query::Must(q) => self.act_answer(q, true, day),
            Query::Holds(q) => self.holds_answer(q, day),
            Query::Status(label) => {
                let contract = self.contract;
                let id = contract.clause_by_label(&label.text).ok_or_else(|| {
                    Diagnostic::new(
                        Code::UnknownClause,
                        format!("no clause is labelled `{}`", label.text),
                        label.span,
                        "not a clause label",
                    )
                })?;
                if contract.clause_info(id).map(|info| info.kind) != Some(ClauseKind::Must) {
                    return Err(Diagnostic::new(
                        Code::Eval,
                        format!(
                            "`{}` is not an obligation: only `must` clauses have a status",
                            label.text
                        ),
                        label.span,
                        "not a `must` clause",
                    )
                    .with_label(contract.clause_span(id), "this clause")
                    .into());
                }
                let state = obligation::status_in(*self, id, day)?;
                Ok(Answer::new(
                    Outcome::Status(StatusAnswer {
                        status: state.status,
                        performed: state.performed,
                        owed: state.owed,
                        due: state.due,
                        period: state.period,
                    }),
                    vec![id],
                ))
            }
            Query::Expr(expr) => Ok(Answer::new(
                Outcome::Value(self.env(day).eval(expr)?),
                Vec::new(),
            )),
        }
    }

    fn act_answer(&self, q: &ActQuery, must: bool, day: NaiveDate) -> Result<Answer, EvalError> {
        let candidates = self.contract.act_candidates(&q.action.text, &q.object.text);
        let matching: Vec<&ClauseInfo> = candidates
            .into_iter()
            .filter(|info| act_matches(info, q))
            .collect();
        if !must {
            let kept = self.keep_in_force(matching.into_iter(), day)?;
            let survivors = drop_exceptions(&kept);
            return Ok(decide(&survivors, q));
        }
        // A recurring obligation past its window still binds while an
        // instance is open (section 7, "Discharge").
        let mut kept = Vec::new();
        for info in matching {
            let owed_after_window = info.kind == ClauseKind::Must
                && matches!(
                    obligation::kind_of(self.contract, info.id),
                    ObligationKind::Recurring { .. }
                )
                && obligation::has_open_instance(*self, info.id, day)?;
            if owed_after_window || self.in_force(info.id, day)? {
                kept.push(info);
            }
        }
        let survivors = drop_exceptions(&kept);
        let mut musts = Vec::new();
        let mut discharged = Vec::new();
        for info in survivors.iter().filter(|i| i.kind == ClauseKind::Must) {
            if obligation::discharged(*self, info.id, day)? {
                discharged.push(info.id);
            } else {
                musts.push(info.id);
            }
        }
        let outcome = if musts.is_empty() {
            Outcome::No
        } else {
            discharged.clear();
            Outcome::Yes
        };
        Ok(Answer {
            outcome,
            deciding: musts,
            discharged,
        })
    }

    fn holds_answer(&self, q: &HoldsQuery, day: NaiveDate) -> Result<Answer, EvalError> {
        let candidates = self.contract.holds_candidates(&q.object.text);
        let matching = candidates.into_iter().filter(|info| holds_matches(info, q));
        let kept = self.keep_in_force(matching, day)?;
        let survivors = drop_exceptions(&kept);
        Ok(decide_for(&survivors, &q.slots, &q.party.text))
    }

    /// Step 1's in-force filter, in source order.
    fn keep_in_force<'c>(
        &self,
        matching: impl Iterator<Item = &'c ClauseInfo>,
        day: NaiveDate,
    ) -> Result<Vec<&'c ClauseInfo>, EvalError> {
        let mut kept = Vec::new();
        for info in matching {
            if self.in_force(info.id, day)? {
                kept.push(info);
            }
        }
        Ok(kept)
    }
}

/// The clauses a query matches (step 1 before the in-force test), in source
/// order: the only clauses its answer can depend on. A `status` query
/// matches its obligation; an expression matches none. The analyses use it
/// to enumerate only what can bear on a question.
pub fn matching(contract: &Contract, query: &Query) -> Vec<ClauseId> {
    match query {
        Query::May(q) | Query::Must(q) => contract
            .act_candidates(&q.action.text, &q.object.text)
            .into_iter()
            .filter(|info| act_matches(info, q))
            .map(|info| info.id)
            .collect(),
        Query::Holds(q) => contract
            .holds_candidates(&q.object.text)
            .into_iter()
            .filter(|info| holds_matches(info, q))
            .map(|info| info.id)
            .collect(),
        Query::Status(label) => contract.clause_by_label(&label.text).into_iter().collect(),
        Query::Expr(_) => Vec::new(),
    }
}

/// Step 1's match for `may`/`must` queries.
fn act_matches(info: &ClauseInfo, q: &ActQuery) -> bool {
    match info.kind {
        ClauseKind::Exclusive => exclusive_matches(info, &q.slots),
        // An exclusive right speaks of every party (v2).
        ClauseKind::Only => info.actions.contains(&q.action.text) && sets_match(info, &q.slots),
        _ => {
            info.parties.contains(&q.party.text)
                && info.actions.contains(&q.action.text)
                && sets_match(info, &q.slots)
        }
    }
}

/// Step 1's match for `holds` queries.
fn holds_matches(info: &ClauseInfo, q: &HoldsQuery) -> bool {
    info.parties.contains(&q.party.text) && sets_match(info, &q.slots)
}

/// Each qualifier set of the clause must be named by the query with a
/// member; a wildcard set matches a named value or an omitted one.
fn sets_match(info: &ClauseInfo, slots: &Slots) -> bool {
    info.sets
        .iter()
        .all(|(slot, members)| match slot.of_query(slots) {
            Some(value) => members.contains(value),
            None => members.is_any(),
        })
}

/// An exclusivity matches any party and action on its object when the
/// query names a value for at least one of its sets.
fn exclusive_matches(info: &ClauseInfo, slots: &Slots) -> bool {
    info.sets
        .iter()
        .any(|(slot, _)| slot.of_query(slots).is_some())
}

/// Step 3: drop every clause that a kept clause names in `notwithstanding`,
/// computed once from the kept set.
fn drop_exceptions<'c>(kept: &[&'c ClauseInfo]) -> Vec<&'c ClauseInfo> {
    let dropped: HashSet<ClauseId> = kept
        .iter()
        .flat_map(|info| info.exceptions.iter().copied())
        .collect();
    kept.iter()
        .copied()
        .filter(|info| !dropped.contains(&info.id))
        .collect()
}

/// Step 2 for one clause, for a query by `party`.
fn effect(info: &ClauseInfo, slots: &Slots, party: &str) -> Effect {
    match info.kind {
        ClauseKind::May | ClauseKind::Must | ClauseKind::Holds => Effect::Permit,
        ClauseKind::MustNot | ClauseKind::HoldsNo => Effect::Forbid,
        ClauseKind::Only if info.parties.contains(party) => Effect::Permit,
        ClauseKind::Only => Effect::Forbid,
        ClauseKind::Exclusive => {
            let excluded = info.sets.iter().any(|(slot, members)| {
                slot.of_query(slots)
                    .is_some_and(|value| !members.contains(value))
            });
            if excluded {
                Effect::Forbid
            } else {
                Effect::Silent
            }
        }
    }
}

fn decide(survivors: &[&ClauseInfo], q: &ActQuery) -> Answer {
    decide_for(survivors, &q.slots, &q.party.text)
}

/// Step 4: a forbid wins, then a permit, else unspecified.
fn decide_for(survivors: &[&ClauseInfo], slots: &Slots, party: &str) -> Answer {
    let (mut permits, mut forbids) = (Vec::new(), Vec::new());
    for info in survivors {
        match effect(info, slots, party) {
            Effect::Permit => permits.push(info.id),
            Effect::Forbid => forbids.push(info.id),
            Effect::Silent => {}
        }
    }
    let (outcome, deciding) = if !forbids.is_empty() {
        (Outcome::No, forbids)
    } else if !permits.is_empty() {
        (Outcome::Yes, permits)
    } else {
        (Outcome::Unspecified, Vec::new())
    };
    Answer::new(outcome, deciding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{BinaryOp, ItemKind, Modality::*, QualifierKind as Q, TypeName};
    use crate::eval::tests::*;

    fn contract() -> Contract {
        let mut items = decls(&[
            "party:microsoft",
            "party:openai",
            "party:panel",
            "party:us_natsec",
            "party:third_party",
            "asset:api",
            "asset:non_api",
            "asset:codev_api",
            "asset:model_ip",
            "asset:research_ip",
            "asset:hw_ip",
            "asset:post_ip",
            "asset:agi_ip",
            "asset:azure_services",
            "asset:widget",
            "asset:gadget",
            "asset:doc",
            "asset:model_x",
            "asset:data",
            "asset:service",
            "asset:chip",
            "venue:azure",
            "venue:gcp",
            "venue:aws",
            "action:host",
            "action:develop",
            "action:purchase",
            "action:sell",
            "action:ship",
            "action:view",
            "action:edit",
            "unit:flop",
        ]);
        items.extend([
            event("declared", &[]),
            event("verified", &["declared"]),
            group("codev_products", &["non_api", "codev_api"]),
            group("clouds", &["azure", "gcp"]),
            group("insiders", &["microsoft", "openai"]),
            fact("safe", TypeName::Bool, None),
            fact("compute", TypeName::Unit(n("flop")), None),
            fact("threshold", TypeName::Unit(n("flop")), None),
            ItemKind::Effective(crate::ast::Effective {
                date: crate::ast::DateLit {
                    date: date("2025-10-28"),
                    span: sp(),
                },
                end: None,
                span: sp(),
            }),
            clause(
                "api_exclusive",
                exclusive("api"),
                vec![on(&["azure"]), Q::Until(t_name("verified"))],
            ),
            clause(
                "natsec",
                act(May, "openai", "host", "api"),
                vec![
                    on(&["anywhere"]),
                    to(&["us_natsec"]),
                    notwithstanding(&["api_exclusive"]),
                ],
            ),
            clause(
                "non_api_anywhere",
                act(May, "openai", "host", "non_api"),
                vec![on(&["anywhere"])],
            ),
            clause(
                "model_ip",
                holds("microsoft", "model_ip", false),
                vec![Q::Through(t_date("2032-12-31"))],
            ),
            clause(
                "research_ip",
                holds("microsoft", "research_ip", false),
                vec![Q::Until(t_or(t_date("2031-01-01"), t_name("verified")))],
            ),
            clause("no_hw", holds("microsoft", "hw_ip", true), vec![]),
            clause(
                "codev",
                act(May, "openai", "develop", "codev_products"),
                vec![with(&["third_party"])],
            ),
            clause(
                "codev_excl",
                exclusive("codev_api"),
                vec![on(&["azure"]), notwithstanding(&["codev"])],
            ),
            clause("ms_dev", act(May, "microsoft", "develop", "agi_ip"), vec![]),
            clause(
                "cap",
                act(MustNot, "microsoft", "develop", "agi_ip"),
                vec![
                    Q::When(bin(BinaryOp::Gt, name_e("compute"), name_e("threshold"))),
                    notwithstanding(&["ms_dev"]),
                ],
            ),
            clause(
                "post",
                holds("microsoft", "post_ip", false),
                vec![
                    Q::From(t_name("verified")),
                    Q::Through(t_date("2032-12-31")),
                    Q::When(name_e("safe")),
                ],
            ),
            clause(
                "commitment",
                must_q("openai", "purchase", money("250e9"), "azure_services"),
                vec![with(&["microsoft"])],
            ),
            clause(
                "waiver",
                act(May, "openai", "purchase", "azure_services"),
                vec![
                    with(&["microsoft"]),
                    Q::From(t_name("verified")),
                    notwithstanding(&["commitment"]),
                ],
            ),
            clause(
                "a_allow",
                act(May, "openai", "sell", "widget"),
                vec![notwithstanding(&["b_ban"])],
            ),
            clause(
                "b_ban",
                act(MustNot, "openai", "sell", "widget"),
                vec![notwithstanding(&["c_ban"])],
            ),
            clause("c_ban", act(MustNot, "openai", "sell", "widget"), vec![]),
            clause("d_allow", act(May, "openai", "ship", "gadget"), vec![]),
            clause("e_ban", act(MustNot, "openai", "ship", "gadget"), vec![]),
            clause("f_view", act(May, "anyone", "view", "doc"), vec![]),
            clause("g_edit", act(May, "insiders", "edit", "doc"), vec![]),
            clause(
                "h_clouds",
                act(May, "openai", "host", "model_x"),
                vec![on(&["clouds"])],
            ),
            clause("", exclusive("data"), vec![to(&["us_natsec"])]),
            clause(
                "excl_service",
                exclusive("service"),
                vec![with(&["microsoft"])],
            ),
            clause(
                "excl_chip",
                exclusive("chip"),
                vec![on(&["azure"]), with(&["microsoft"])],
            ),
            clause(
                "ban_chip",
                act(MustNot, "anyone", "host", "chip"),
                vec![on(&["azure"]), Q::From(t_date("2030-01-01"))],
            ),
        ]);
        contract_of(items)
    }

    fn s(events: &[(&str, &str)]) -> Scenario {
        let mut scenario = Scenario::default();
        for (name, day) in events {
            scenario.set_event(name, Some(date(day)));
        }
        scenario
    }

    /// The answer word and the deciding clauses' labels.
    fn ask(
        contract: &Contract,
        scenario: &Scenario,
        query: &Query,
        day: &str,
    ) -> (String, Vec<String>) {
        let answer = answer(contract, scenario, query, date(day)).unwrap();
        let labels = answer
            .deciding
            .iter()
            .map(|&id| contract.clause_label(id).to_string())
            .collect();
        (answer.outcome.display(), labels)
    }

    fn yes(labels: &[&str]) -> (String, Vec<String>) {
        ("yes".into(), labels.iter().map(|s| s.to_string()).collect())
    }
    fn no(labels: &[&str]) -> (String, Vec<String>) {
        ("no".into(), labels.iter().map(|s| s.to_string()).collect())
    }
    fn unspecified() -> (String, Vec<String>) {
        ("unspecified".into(), vec![])
    }

    #[test]
    fn exclusivity_on_a_venue() {
        let c = contract();
        let none_happen = s(&[]);
        let day = "2027-01-01";
        let host_api = |on: Option<&str>, to: Option<&str>| {
            may_q("openai", "host", "api", slots(on, to, None))
        };
        assert_eq!(
            ask(&c, &none_happen, &host_api(Some("gcp"), None), day),
            no(&["api_exclusive"])
        );
        // Inside its set an exclusivity says nothing (v2).
        assert_eq!(
            ask(&c, &none_happen, &host_api(Some("azure"), None), day),
            unspecified()
        );
        // No venue named: the exclusivity does not match, and natsec needs `to`.
        assert_eq!(
            ask(&c, &none_happen, &host_api(None, None), day),
            unspecified()
        );
        // The exception drops the exclusivity.
        assert_eq!(
            ask(
                &c,
                &none_happen,
                &host_api(Some("gcp"), Some("us_natsec")),
                day
            ),
            yes(&["natsec"])
        );
        // A qualifier the query names and the clause lacks is ignored: `with` here.
        let with_extra = may_q(
            "openai",
            "host",
            "api",
            slots(Some("azure"), None, Some("microsoft")),
        );
        assert_eq!(ask(&c, &none_happen, &with_extra, day), unspecified());
        // Any party and action: microsoft hosting api on gcp is forbidden as well.
        let other_party = may_q("microsoft", "host", "api", slots(Some("gcp"), None, None));
        assert_eq!(
            ask(&c, &none_happen, &other_party, day),
            no(&["api_exclusive"])
        );
        // Until verified: the exclusivity ends on that very day.
        let verified = s(&[("declared", "2028-03-01"), ("verified", "2028-09-01")]);
        assert_eq!(
            ask(&c, &verified, &host_api(Some("gcp"), None), "2028-08-31"),
            no(&["api_exclusive"])
        );
        assert_eq!(
            ask(&c, &verified, &host_api(Some("gcp"), None), "2028-09-01"),
            unspecified()
        );
    }

    #[test]
    fn exclusivity_to_and_with() {
        let c = contract();
        let sc = s(&[]);
        let day = "2027-01-01";
        let data = |to: Option<&str>| may_q("openai", "host", "data", slots(None, to, None));
        assert_eq!(
            ask(&c, &sc, &data(Some("third_party")), day),
            no(&["clause_63"])
        );
        assert_eq!(ask(&c, &sc, &data(Some("us_natsec")), day), unspecified());
        assert_eq!(ask(&c, &sc, &data(None), day), unspecified());
        let service =
            |with: Option<&str>| may_q("panel", "view", "service", slots(None, None, with));
        assert_eq!(
            ask(&c, &sc, &service(Some("microsoft")), day),
            unspecified()
        );
        assert_eq!(
            ask(&c, &sc, &service(Some("openai")), day),
            no(&["excl_service"])
        );
        // Two sets: only the sets the query names are tested.
        let chip = |on, with| may_q("openai", "host", "chip", slots(on, None, with));
        assert_eq!(ask(&c, &sc, &chip(Some("azure"), None), day), unspecified());
        assert_eq!(
            ask(&c, &sc, &chip(None, Some("microsoft")), day),
            unspecified()
        );
        assert_eq!(
            ask(&c, &sc, &chip(Some("azure"), Some("openai")), day),
            no(&["excl_chip"])
        );
        assert_eq!(
            ask(&c, &sc, &chip(Some("gcp"), Some("openai")), day),
            no(&["excl_chip"])
        );
        // A forbid that also applies beats the implicit permit.
        assert_eq!(
            ask(&c, &sc, &chip(Some("azure"), None), "2030-01-01"),
            no(&["ban_chip"])
        );
    }

    #[test]
    fn wildcard_sets_groups_and_qualifier_omission() {
        let c = contract();
        let sc = s(&[]);
        let day = "2027-01-01";
        let non_api = |on| may_q("openai", "host", "non_api", slots(on, None, None));
        assert_eq!(
            ask(&c, &sc, &non_api(Some("gcp")), day),
            yes(&["non_api_anywhere"])
        );
        // A wildcard set also matches when the query omits it.
        assert_eq!(
            ask(&c, &sc, &non_api(None), day),
            yes(&["non_api_anywhere"])
        );
        // A member of the clause's group of assets.
        let develop = |asset, with| may_q("openai", "develop", asset, slots(None, None, with));
        assert_eq!(
            ask(&c, &sc, &develop("non_api", Some("third_party")), day),
            yes(&["codev"])
        );
        // The clause has `with`; a query that leaves it out does not match.
        assert_eq!(ask(&c, &sc, &develop("non_api", None), day), unspecified());
        assert_eq!(
            ask(&c, &sc, &develop("non_api", Some("microsoft")), day),
            unspecified()
        );
        // A group of venues.
        let model = |on| may_q("openai", "host", "model_x", slots(on, None, None));
        assert_eq!(ask(&c, &sc, &model(Some("gcp")), day), yes(&["h_clouds"]));
        assert_eq!(ask(&c, &sc, &model(Some("aws")), day), unspecified());
        assert_eq!(ask(&c, &sc, &model(None), day), unspecified());
        // `anyone` and a group of parties.
        assert_eq!(
            ask(&c, &sc, &may_q("panel", "view", "doc", none()), day),
            yes(&["f_view"])
        );
        assert_eq!(
            ask(&c, &sc, &may_q("openai", "edit", "doc", none()), day),
            yes(&["g_edit"])
        );
        assert_eq!(
            ask(&c, &sc, &may_q("panel", "edit", "doc", none()), day),
            unspecified()
        );
        // The wrong action or party matches nothing.
        assert_eq!(
            ask(&c, &sc, &may_q("microsoft", "host", "non_api", none()), day),
            unspecified()
        );
    }

    #[test]
    fn exceptions_and_forbid_wins() {
        let c = contract();
        let sc = s(&[]);
        let day = "2027-01-01";
        let codev = |on| {
            may_q(
                "openai",
                "develop",
                "codev_api",
                slots(on, None, Some("third_party")),
            )
        };
        // codev_excl drops codev; its own implicit permit decides.
        assert_eq!(ask(&c, &sc, &codev(Some("azure")), day), unspecified());
        assert_eq!(ask(&c, &sc, &codev(Some("gcp")), day), no(&["codev_excl"]));
        // Without a venue the exclusivity does not match and codev stands.
        assert_eq!(ask(&c, &sc, &codev(None), day), yes(&["codev"]));
        // Computed once from the step-1 set: b_ban is dropped by a_allow, yet
        // its exception still drops c_ban.
        assert_eq!(
            ask(&c, &sc, &may_q("openai", "sell", "widget", none()), day),
            yes(&["a_allow"])
        );
        // With no exception between them, the forbid wins.
        assert_eq!(
            ask(&c, &sc, &may_q("openai", "ship", "gadget", none()), day),
            no(&["e_ban"])
        );
    }

    #[test]
    fn conditions_decide_which_clauses_count() {
        let c = contract();
        let flop = |v: &str| Value::Quantity {
            value: Decimal::parse(v).unwrap(),
            unit: "flop".into(),
        };
        let develop = may_q("microsoft", "develop", "agi_ip", none());
        let mut sc = s(&[]);
        sc.set_fact("compute", flop("2e28"));
        sc.set_fact("threshold", flop("1e28"));
        assert_eq!(ask(&c, &sc, &develop, "2027-01-01"), no(&["cap"]));
        sc.set_fact("compute", flop("5e26"));
        // cap is not in force, so it drops nothing: ms_dev decides.
        assert_eq!(ask(&c, &sc, &develop, "2027-01-01"), yes(&["ms_dev"]));
        // An unknown fact reached by the in-force test is an evaluation error.
        let unknown = s(&[]);
        let error = answer(&c, &unknown, &develop, date("2027-01-01")).unwrap_err();
        assert_eq!(error.missing_fact(), Some("compute"));
        let error = Diagnostic::from(error);
        assert_eq!(error.code, Code::Eval);
        assert!(error.message.contains("`compute`"), "{}", error.message);
        // The facts read are reported, also for a failed answer.
        let (result, reads) = answer_reading(&c, &unknown, &develop, date("2027-01-01"));
        assert!(result.is_err());
        assert_eq!(
            reads.into_iter().collect::<Vec<_>>(),
            vec!["compute".to_string()]
        );
        let (result, reads) = answer_reading(&c, &sc, &develop, date("2027-01-01"));
        assert_eq!(result.unwrap().outcome, Outcome::Yes);
        assert_eq!(
            reads.into_iter().collect::<Vec<_>>(),
            vec!["compute".to_string(), "threshold".to_string()]
        );
        // Facts of clauses that do not match are not read.
        let (_, reads) = answer_reading(
            &c,
            &unknown,
            &may_q("openai", "ship", "gadget", none()),
            date("2027-01-01"),
        );
        assert!(reads.is_empty());
    }

    #[test]
    fn holds_windows() {
        let c = contract();
        let none_happen = s(&[]);
        let model = holds_q("microsoft", "model_ip", none());
        // `through` includes its last day.
        assert_eq!(
            ask(&c, &none_happen, &model, "2032-12-31"),
            yes(&["model_ip"])
        );
        assert_eq!(ask(&c, &none_happen, &model, "2033-01-01"), unspecified());
        // Nothing is in force before `effective`.
        assert_eq!(ask(&c, &none_happen, &model, "2025-10-27"), unspecified());
        assert_eq!(
            ask(&c, &none_happen, &model, "2025-10-28"),
            yes(&["model_ip"])
        );
        // `until` excludes its day; `A or B` is the earlier.
        let research = holds_q("microsoft", "research_ip", none());
        assert_eq!(
            ask(&c, &none_happen, &research, "2030-12-31"),
            yes(&["research_ip"])
        );
        assert_eq!(
            ask(&c, &none_happen, &research, "2031-01-01"),
            unspecified()
        );
        let verified = s(&[("declared", "2028-03-01"), ("verified", "2028-09-01")]);
        assert_eq!(
            ask(&c, &verified, &research, "2028-08-31"),
            yes(&["research_ip"])
        );
        assert_eq!(ask(&c, &verified, &research, "2028-09-01"), unspecified());
        // `holds no` forbids.
        assert_eq!(
            ask(
                &c,
                &none_happen,
                &holds_q("microsoft", "hw_ip", none()),
                "2027-01-01"
            ),
            no(&["no_hw"])
        );
        // `from` an event that never happens: never in force (so `safe` is not even needed).
        let post = holds_q("microsoft", "post_ip", none());
        assert_eq!(ask(&c, &none_happen, &post, "2030-01-01"), unspecified());
        let mut safe = verified.clone();
        safe.set_fact("safe", Value::Bool(true));
        assert_eq!(ask(&c, &safe, &post, "2028-08-31"), unspecified());
        assert_eq!(ask(&c, &safe, &post, "2028-09-01"), yes(&["post"]));
        safe.set_fact("safe", Value::Bool(false));
        assert_eq!(ask(&c, &safe, &post, "2028-09-01"), unspecified());
        assert_eq!(
            Diagnostic::from(answer(&c, &verified, &post, date("2028-09-01")).unwrap_err()).code,
            Code::Eval
        );
        assert_eq!(
            window(&c, &verified, c.clause_by_label("post").unwrap()),
            Ok((Time::Day(date("2028-09-01")), Time::Day(date("2033-01-01"))))
        );
    }

    #[test]
    fn must_queries() {
        let c = contract();
        let purchase = |with| {
            must_query(
                "openai",
                "purchase",
                "azure_services",
                slots(None, None, with),
            )
        };
        let none_happen = s(&[]);
        assert_eq!(
            ask(&c, &none_happen, &purchase(Some("microsoft")), "2027-01-01"),
            yes(&["commitment"])
        );
        assert_eq!(
            ask(&c, &none_happen, &purchase(None), "2027-01-01"),
            ("no".into(), vec![])
        );
        // An obligation implies a permission.
        let may = may_q(
            "openai",
            "purchase",
            "azure_services",
            slots(None, None, Some("microsoft")),
        );
        assert_eq!(
            ask(&c, &none_happen, &may, "2027-01-01"),
            yes(&["commitment"])
        );
        // A must that an in-force exception drops no longer binds.
        let verified = s(&[("declared", "2028-03-01"), ("verified", "2028-09-01")]);
        assert_eq!(
            ask(&c, &verified, &purchase(Some("microsoft")), "2028-09-01"),
            ("no".into(), vec![])
        );
        assert_eq!(ask(&c, &verified, &may, "2028-09-01"), yes(&["waiver"]));
        // A permission is not an obligation.
        let host = must_query("openai", "host", "non_api", slots(Some("gcp"), None, None));
        assert_eq!(
            ask(&c, &none_happen, &host, "2027-01-01"),
            ("no".into(), vec![])
        );
        // A forbid left over does not make a `must` query `no` for a reason: it only looks for musts.
        let dev = must_query("microsoft", "develop", "agi_ip", none());
        let mut facts = none_happen.clone();
        let flop = |v: &str| Value::Quantity {
            value: Decimal::parse(v).unwrap(),
            unit: "flop".into(),
        };
        facts.set_fact("compute", flop("1"));
        facts.set_fact("threshold", flop("2"));
        assert_eq!(ask(&c, &facts, &dev, "2027-01-01"), ("no".into(), vec![]));
    }

    #[test]
    fn labels_and_expressions() {
        let c = contract();
        let unlabeled = c
            .clauses()
            .find(|(_, clause, _)| clause.label.is_none())
            .unwrap()
            .0;
        assert_eq!(c.clause_label(unlabeled), "clause_63");
        assert_eq!(c.clause_by_label("clause_63"), Some(unlabeled));
        let sum = Query::Expr(bin(BinaryOp::Add, money("1"), money("2")));
        assert_eq!(
            answer(&c, &s(&[]), &sum, date("2027-01-01")),
            Ok(Answer {
                outcome: Outcome::Value(Value::Money(Decimal::from(3))),
                deciding: vec![],
                discharged: vec![],
            })
        );
        let status_of_permission = Query::Status(n("natsec"));
        assert_eq!(
            Diagnostic::from(
                answer(&c, &s(&[]), &status_of_permission, date("2027-01-01")).unwrap_err()
            )
            .code,
            Code::Eval
        );
        let no_such = Query::Status(n("nothing"));
        assert_eq!(
            Diagnostic::from(answer(&c, &s(&[]), &no_such, date("2027-01-01")).unwrap_err()).code,
            Code::UnknownClause
        );
    }

    #[test]
    fn many_clauses_stay_fast() {
        let mut items = decls(&["party:p", "action:use", "venue:v"]);
        for i in 0..10_000 {
            items.push(ItemKind::Decl(crate::eval::tests::decl(
                crate::ast::DeclKind::Asset,
                &format!("a{i}"),
            )));
            items.push(clause(
                &format!("c{i}"),
                act(May, "p", "use", &format!("a{i}")),
                vec![on(&["v"])],
            ));
        }
        let c = contract_of(items);
        let sc = s(&[]);
        let query = may_q("p", "use", "a5000", slots(Some("v"), None, None));
        assert_eq!(
            answer(&c, &sc, &query, date("2027-01-01")).unwrap().outcome,
            Outcome::Yes
        );
        // The index hands a query only its candidates, never all 10,000
        // clauses (speed itself is measured in benches/, not asserted here).
        assert_eq!(c.act_candidates("use", "a5000").len(), 1);
    }
}
