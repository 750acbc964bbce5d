//! "What would change this answer": the nearest later day on which the
//! answer differs under the same scenario, and the events that, if they
//! happened, would change it now. Explanations and the REPL use these to say
//! "yes from 2028-09-01, when `agi_verified` happens".
//!
//! Answers change only on a few days: where a relevant clause's window
//! starts or ends, where an event happens (conditions and windows read
//! events; facts are fixed), and for obligations on a record's date or the
//! day after the deadline. Only those days are evaluated, at most
//! `MAX_CANDIDATE_DAYS` of them.

use crate::ast::{QualifierKind, Query};
use crate::diagnostic::Diagnostic;
use crate::eval::query::{Answer, Outcome, answer, window};
use crate::eval::scenario::Scenario;
use crate::eval::time::Time;
use crate::eval::{ClauseId, Contract};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Most days `next_change` evaluates.
pub const MAX_CANDIDATE_DAYS: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The first day of the new answer.
    pub day: NaiveDate,
    pub answer: Answer,
    /// Why, in words: "`agi_verified` happens", "`api_exclusive` ends".
    pub because: String,
    /// Events the change assumes that the scenario does not have (empty
    /// when the change is already scheduled in the scenario).
    pub assumed_events: Vec<String>,
}

/// Why an answer may change on a day.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    Event(String),
    Starts(ClauseId),
    Ends(ClauseId),
    DeadlinePassed(ClauseId),
    Record,
}

/// The nearest change after `day`: one already scheduled in the scenario
/// if there is any, else the first event (in declaration order) whose
/// happening would change the answer (see `what_if`).
pub fn next_change(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> Result<Option<Change>, Diagnostic> {
    if let Some(change) = scheduled_change(contract, scenario, query, day)? {
        return Ok(Some(change));
    }
    Ok(what_if(contract, scenario, query, day)?.into_iter().next())
}

/// For each event the scenario does not have, in declaration order: the
/// answer if it happened on `day` (with any events it must come `after`
/// that have not happened, on the same day), when that differs. An event
/// that must follow one dated after `day` is placed on that later date.
/// Hypotheses that cannot be evaluated (an unknown fact) are skipped.
pub fn what_if(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> Result<Vec<Change>, Diagnostic> {
    let mut changes = Vec::new();
    // The answer without the event, per day: almost every hypothesis is on
    // `day` itself, and asking again for each of 38,000 events was half of
    // the time `query` took on a long `after` chain.
    let mut answers_before: HashMap<NaiveDate, Option<Answer>> = HashMap::new();
    let chains = unhappened_chains(contract, scenario);
    for event in contract.events() {
        if crate::interrupt::requested() {
            break;
        }
        if scenario.events.contains_key(&event.name.text) {
            continue;
        }
        // Its prerequisites would not all be placed: a future that cannot
        // happen. Skipped before walking them (a chain of 38,000 events
        // walked 512 links for each).
        if chains.get(event.name.text.as_str()).copied().unwrap_or(0) > PREREQUISITE_WALK {
            continue;
        }
        let mut assumed = Assumed::default();
        let mut when = day;
        collect_prerequisites(
            contract,
            scenario,
            &event.name.text,
            &mut assumed,
            &mut when,
            0,
        );
        let assumed = assumed.names;
        let mut hypothetical = scenario.clone();
        for name in &assumed {
            hypothetical.set_event(name, Some(when));
        }
        let before = answers_before
            .entry(when)
            .or_insert_with(|| answer(contract, scenario, query, when).ok());
        let (Some(before), Ok(after)) = (
            before.as_ref(),
            answer(contract, &hypothetical, query, when),
        ) else {
            continue;
        };
        if !same_answer(&before.outcome, &after.outcome) {
            let because = match assumed.as_slice() {
                [only] => format!("`{only}` happens"),
                [first, rest @ ..] => format!(
                    "`{first}` happens (with {})",
                    rest.iter()
                        .map(|e| format!("`{e}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                [] => continue,
            };
            changes.push(Change {
                day: when,
                answer: after,
                because,
                assumed_events: assumed,
            });
        }
    }
    Ok(changes)
}

/// How many events `collect_prerequisites` places at most: the event and its
/// not-yet-happening prerequisites down to this many levels.
const PREREQUISITE_WALK: usize = crate::eval::expr::MAX_DEPTH + 1;

/// For each event, how many not-yet-happening events its longest `after`
/// chain holds (itself included; capped just past `PREREQUISITE_WALK`).
/// Iterative, as a chain can be far deeper than the stack; a cycle (which
/// stops evaluation before this) is cut where it closes.
fn unhappened_chains<'c>(contract: &'c Contract, scenario: &Scenario) -> HashMap<&'c str, usize> {
    let mut lengths: HashMap<&'c str, usize> = HashMap::new();
    let mut visiting: HashSet<&'c str> = HashSet::new();
    for root in contract.events() {
        let mut stack: Vec<(&'c str, bool)> = vec![(root.name.text.as_str(), false)];
        while let Some((name, expanded)) = stack.pop() {
            if lengths.contains_key(name) {
                continue;
            }
            let decl = match contract.event_decl(name) {
                Some(decl) if !scenario.events.contains_key(name) => decl,
                _ => {
                    lengths.insert(name, 0);
                    continue;
                }
            };
            if expanded {
                visiting.remove(name);
                let longest = decl
                    .after
                    .iter()
                    .filter_map(|before| lengths.get(before.text.as_str()))
                    .max()
                    .copied()
                    .unwrap_or(0);
                lengths.insert(name, (longest + 1).min(PREREQUISITE_WALK + 1));
            } else if visiting.insert(name) {
                stack.push((name, true));
                for before in &decl.after {
                    if !lengths.contains_key(before.text.as_str())
                        && !visiting.contains(before.text.as_str())
                    {
                        stack.push((before.text.as_str(), false));
                    }
                }
            }
        }
    }
    lengths
}

/// Events assumed to happen, in the order met, with a set to ask whether
/// one is already there (a list alone made each chain quadratic).
#[derive(Default)]
struct Assumed {
    names: Vec<String>,
    seen: HashSet<String>,
}

/// `event` and the not-yet-happening events it must come after, moving
/// `when` to the latest date among prerequisites that do happen.
fn collect_prerequisites(
    contract: &Contract,
    scenario: &Scenario,
    event: &str,
    assumed: &mut Assumed,
    when: &mut NaiveDate,
    depth: usize,
) {
    if depth > crate::eval::expr::MAX_DEPTH || assumed.seen.contains(event) {
        return;
    }
    if let Some(&date) = scenario.events.get(event) {
        *when = (*when).max(date);
        return;
    }
    assumed.seen.insert(event.to_string());
    assumed.names.push(event.to_string());
    for before in contract.prerequisites(event) {
        collect_prerequisites(contract, scenario, before, assumed, when, depth + 1);
    }
}

fn scheduled_change(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> Result<Option<Change>, Diagnostic> {
    let now = answer(contract, scenario, query, day)?;
    let days = candidate_days(contract, scenario, query, day)?;
    for (candidate, reasons) in days.into_iter().take(MAX_CANDIDATE_DAYS) {
        if crate::interrupt::requested() {
            break;
        }
        let then = answer(contract, scenario, query, candidate)?;
        if !same_answer(&now.outcome, &then.outcome) {
            let because = describe(contract, &reasons, &now, &then, candidate);
            return Ok(Some(Change {
                day: candidate,
                answer: then,
                because,
                assumed_events: Vec::new(),
            }));
        }
    }
    Ok(None)
}

/// Statuses compare by their word: more performed is not a new answer.
pub fn same_answer(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Outcome::Status(x), Outcome::Status(y)) => x.status == y.status,
        _ => a == b,
    }
}

fn candidate_days(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> Result<BTreeMap<NaiveDate, BTreeSet<Reason>>, Diagnostic> {
    let mut days: BTreeMap<NaiveDate, BTreeSet<Reason>> = BTreeMap::new();
    let mut add = |time: Time, reason: Reason| {
        if let Time::Day(d) = time
            && d > day
        {
            days.entry(d).or_default().insert(reason);
        }
    };
    for (name, &date) in &scenario.events {
        add(Time::Day(date), Reason::Event(name.clone()));
    }
    let clauses: Vec<ClauseId> = match query {
        Query::May(q) | Query::Must(q) => contract
            .act_candidates(&q.action.text, &q.object.text)
            .iter()
            .map(|i| i.id)
            .collect(),
        Query::Holds(q) => contract
            .holds_candidates(&q.object.text)
            .iter()
            .map(|i| i.id)
            .collect(),
        Query::Status(label) => contract.clause_by_label(&label.text).into_iter().collect(),
        Query::Expr(_) => Vec::new(),
    };
    for &id in &clauses {
        let (start, end) = window(contract, scenario, id)?;
        add(start, Reason::Starts(id));
        add(end, Reason::Ends(id));
    }
    if let Query::Status(_) = query {
        for &id in &clauses {
            let ctx = crate::eval::Ctx::new(contract, scenario, None);
            let env = ctx.env(day);
            for qualifier in contract
                .clause(id)
                .map(|c| c.qualifiers.as_slice())
                .unwrap_or_default()
            {
                if let QualifierKind::By(time) = &qualifier.kind
                    && let Ok(after) = env.time(time)?.next_day()
                {
                    add(after, Reason::DeadlinePassed(id));
                }
            }
        }
        for record in &scenario.records {
            add(Time::Day(record.date), Reason::Record);
        }
    }
    Ok(days)
}

/// Words for a change: the events of that day if any; else the clauses
/// that start or end (those deciding before or after preferred); else
/// the deadline or a record; else the date itself.
fn describe(
    contract: &Contract,
    reasons: &BTreeSet<Reason>,
    before: &Answer,
    after: &Answer,
    day: NaiveDate,
) -> String {
    let events: Vec<String> = reasons
        .iter()
        .filter_map(|r| match r {
            Reason::Event(e) => Some(format!("`{e}` happens")),
            _ => None,
        })
        .collect();
    if !events.is_empty() {
        return events.join(" and ");
    }
    let deciding = |id: &ClauseId| before.deciding.contains(id) || after.deciding.contains(id);
    let clause_words = |only_deciding: bool| -> Vec<String> {
        reasons
            .iter()
            .filter_map(|r| match r {
                Reason::Starts(id) if !only_deciding || deciding(id) => {
                    Some(format!("`{}` takes effect", contract.clause_label(*id)))
                }
                Reason::Ends(id) if !only_deciding || deciding(id) => {
                    Some(format!("`{}` ends", contract.clause_label(*id)))
                }
                Reason::DeadlinePassed(id) => Some(format!(
                    "the deadline of `{}` passes",
                    contract.clause_label(*id)
                )),
                Reason::Record => Some("a performance record counts".to_string()),
                _ => None,
            })
            .collect()
    };
    let mut words = clause_words(true);
    if words.is_empty() {
        words = clause_words(false);
    }
    if words.is_empty() {
        format!("{day} is reached")
    } else {
        words.join(" and ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::QualifierKind as Q;
    use crate::eval::query::Outcome;
    use crate::eval::tests::*;

    fn contract() -> Contract {
        let mut items = decls(&[
            "party:openai",
            "party:microsoft",
            "asset:api",
            "asset:research_ip",
            "venue:azure",
            "venue:gcp",
            "action:host",
        ]);
        items.extend([
            event("declared", &[]),
            event("verified", &["declared"]),
            clause(
                "api_exclusive",
                exclusive("api"),
                vec![on(&["azure"]), Q::Until(t_name("verified"))],
            ),
            clause(
                "research_ip",
                holds("microsoft", "research_ip", false),
                vec![Q::Until(t_or(t_date("2031-01-01"), t_name("verified")))],
            ),
        ]);
        contract_of(items)
    }

    #[test]
    fn a_scheduled_event_ends_a_clause() {
        let c = contract();
        let mut s = Scenario::default();
        s.set_event("declared", Some(date("2028-03-01")));
        s.set_event("verified", Some(date("2028-09-01")));
        let research = holds_q("microsoft", "research_ip", none());
        let change = next_change(&c, &s, &research, date("2027-01-01"))
            .unwrap()
            .unwrap();
        assert_eq!(change.day, date("2028-09-01"));
        assert_eq!(change.answer.outcome, Outcome::Unspecified);
        assert_eq!(change.because, "`verified` happens");
        assert!(change.assumed_events.is_empty());
    }

    #[test]
    fn a_date_ends_a_clause() {
        let c = contract();
        let research = holds_q("microsoft", "research_ip", none());
        let change = next_change(&c, &Scenario::default(), &research, date("2027-01-01"))
            .unwrap()
            .unwrap();
        assert_eq!(change.day, date("2031-01-01"));
        assert_eq!(change.because, "`research_ip` ends");
    }

    #[test]
    fn an_event_that_would_change_the_answer() {
        let c = contract();
        let gcp = may_q("openai", "host", "api", slots(Some("gcp"), None, None));
        let change = next_change(&c, &Scenario::default(), &gcp, date("2027-01-01"))
            .unwrap()
            .unwrap();
        assert_eq!(change.day, date("2027-01-01"));
        assert_eq!(change.answer.outcome, Outcome::Unspecified);
        assert_eq!(change.because, "`verified` happens (with `declared`)");
        assert_eq!(
            change.assumed_events,
            vec!["verified".to_string(), "declared".to_string()]
        );
        // A prerequisite that happens later moves the hypothetical date.
        let mut later = Scenario::default();
        later.set_event("declared", Some(date("2029-01-01")));
        let changes = what_if(&c, &later, &gcp, date("2027-01-01")).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].day, date("2029-01-01"));
        assert_eq!(changes[0].because, "`verified` happens");
    }

    #[test]
    fn nothing_changes() {
        let c = contract();
        let azure = may_q("microsoft", "host", "research_ip", none());
        assert_eq!(
            next_change(&c, &Scenario::default(), &azure, date("2027-01-01")).unwrap(),
            None
        );
    }
}
