//! `deal::deadline-before-start` (warning): an obligation whose deadline
//! can fall before it is owed (spec section 8, v2).
//!
//! Why it matters: a debt is owed from its start and due by its deadline.
//! When the deadline comes first, no performance counts (nothing is open
//! yet, then the deadline has passed) and no violation is possible (the
//! debt had not begun by its deadline): the term can never be met or
//! broken, and its status stays pending for ever. The usual slip is a
//! deadline measured from the wrong event (`from first_sale by approval +
//! 30 days`) or swapped dates (`from 2028-01-01 by 2027-06-30`).
//!
//! Method: the start (the later of `effective`, every `from` and a `within
//! ... after` trigger) and the deadline (the earliest `by`, or the trigger
//! plus the `within` duration) are monotone in the dates of the events they
//! name. Each event is tried on the contract's first day, on a day later
//! than every duration the two times add up to, and never, respecting
//! `after`; a future in which the deadline is a day before the start is the
//! witness. Shifts being monotone, an early-or-late placement is enough to
//! find a witness whenever one exists for the orders the `after` graph
//! allows.

use crate::ast::{QualifierKind, Sign, TimeExpr, TimeKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::time::Time;
use crate::eval::{ClauseId, Contract, ObligationKind, Scenario};
use crate::lint::{LintContext, Rule};
use crate::symbols::SymbolKind;
use chrono::NaiveDate;
use std::collections::BTreeSet;

pub const CODE: Code = Code::DeadlineBeforeStart;

/// What the rule catches, why it matters, an example and how to resolve
/// it: the rule's section of docs/lints.md, its `deal check --explain`
/// text and its SARIF help.
const DOC: &str = r#"**What.** An obligation whose deadline (`by T`, or `within D after T`)
falls before it is owed (`effective`, `from`) in some future in which the
events it names happen on or after `effective`.

**Why.** No performance can count (nothing is open yet, then the deadline
has passed) and no violation can happen (the debt had not begun by its
deadline): the term can never be met or broken, and its status stays
pending for ever. The usual slip is a deadline measured from the wrong event.

Bad:
```
effective 2025-03-01
party marlow
party helvion
party ema
asset fee
action pay
event approval by ema
event sale by marlow after approval

ms: marlow must pay $1M of fee to helvion from sale by approval + 30 days
```

Good:
```
ms: marlow must pay $1M of fee to helvion within 30 days after sale
```

**Resolve.** Measure the deadline from the event that starts the
obligation, or fix the dates. The finding names both times and a future
(the events' dates) in which the deadline comes first.
"#;

pub const RULE: Rule = Rule {
    code: CODE,
    summary: "An obligation's deadline can fall before it is owed",
    doc: DOC,
    run,
};

/// Events tried per obligation at most: three placements each.
const MAX_EVENTS: usize = 10;

pub fn run(ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let contract = ctx.contract;
    let mut found = Vec::new();
    for (id, clause) in ctx.clauses() {
        if !clause.body.is_must()
            || crate::eval::obligation::kind_of(contract, id) != ObligationKind::Debt
        {
            continue;
        }
        let Some(times) = Times::of(contract, id) else {
            continue;
        };
        if let Some(witness) = times.witness(contract) {
            found.push(report(ctx, id, &times, &witness));
        }
    }
    found
}

/// The times that start an obligation and the one that ends it, as written.
struct Times {
    starts: Vec<TimeExpr>,
    deadline: Vec<TimeExpr>,
}

impl Times {
    fn of(contract: &Contract, id: ClauseId) -> Option<Times> {
        let clause = contract.clause(id)?;
        let mut starts = Vec::new();
        let mut deadline = Vec::new();
        for qualifier in &clause.qualifiers {
            match &qualifier.kind {
                QualifierKind::From(time) => starts.push(time.clone()),
                QualifierKind::By(time) => deadline.push(time.clone()),
                QualifierKind::Within {
                    duration,
                    after: Some(time),
                } => {
                    starts.push(time.clone());
                    deadline.push(TimeExpr {
                        span: qualifier.span,
                        kind: TimeKind::Shift {
                            base: Box::new(time.clone()),
                            sign: Sign::Plus,
                            duration: duration.clone(),
                        },
                    });
                }
                _ => {}
            }
        }
        (!deadline.is_empty()).then_some(Times { starts, deadline })
    }

    /// The events the two times name, with their prerequisites, in an
    /// order where every event comes after its prerequisites.
    fn events(&self, contract: &Contract) -> Vec<String> {
        let mut named = BTreeSet::new();
        for time in self.starts.iter().chain(&self.deadline) {
            for name in crate::ast::time_names(time) {
                if contract.symbols.kind(&name.text) == Some(SymbolKind::Event) {
                    named.insert(name.text.clone());
                }
            }
        }
        let mut ordered: Vec<String> = Vec::new();
        let mut stack: Vec<(String, bool)> = named.into_iter().rev().map(|e| (e, false)).collect();
        while let Some((event, expanded)) = stack.pop() {
            if ordered.contains(&event) {
                continue;
            }
            if expanded {
                ordered.push(event);
                continue;
            }
            stack.push((event.clone(), true));
            for prerequisite in prerequisites(contract, &event) {
                if !ordered.contains(&prerequisite) && stack.len() < 4 * MAX_EVENTS {
                    stack.push((prerequisite, false));
                }
            }
        }
        ordered
    }

    /// The first future (events early, late or never, `after` respected)
    /// in which the deadline is a day before the start.
    fn witness(&self, contract: &Contract) -> Option<Witness> {
        let events = self.events(contract);
        if events.len() > MAX_EVENTS {
            return None;
        }
        let first = contract.effective().unwrap_or(NaiveDate::MIN);
        let late = crate::eval::time::shift_date(first, 0, self.reach_days() + 1).ok()?;
        let choices = [Some(first), Some(late), None];
        let combinations = 3usize.checked_pow(u32::try_from(events.len()).ok()?)?;
        'next: for mut code in 0..combinations {
            let mut scenario = Scenario::default();
            for event in &events {
                let date = choices.get(code % 3).copied().flatten();
                code /= 3;
                let Some(date) = date else { continue };
                for prerequisite in prerequisites(contract, event) {
                    match scenario.events.get(&prerequisite) {
                        Some(&before) if before <= date => {}
                        _ => continue 'next,
                    }
                }
                scenario.set_event(event, Some(date));
            }
            let env = crate::eval::Env::new(contract, &scenario, first);
            let mut start = Time::Day(first);
            for time in &self.starts {
                start = start.and(env.time(time).ok()?);
            }
            let mut due = Time::Never;
            for time in &self.deadline {
                due = due.or(env.time(time).ok()?);
            }
            if let (Time::Day(due), Time::Day(start)) = (due, start)
                && due < start
            {
                return Some(Witness {
                    scenario,
                    due,
                    start,
                });
            }
        }
        None
    }

    /// Days that every duration in the two times adds up to, at most (a
    /// month as 31 days): an event that late comes after anything the
    /// other times can reach.
    fn reach_days(&self) -> i64 {
        let mut total: i64 = 0;
        for time in self.starts.iter().chain(&self.deadline) {
            let mut stack = vec![time];
            while let Some(time) = stack.pop() {
                match &time.kind {
                    TimeKind::Shift { base, duration, .. } => {
                        let (months, days) = duration.months_days();
                        total = total.saturating_add(months.saturating_mul(31) + days);
                        stack.push(base);
                    }
                    TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                        stack.push(a);
                        stack.push(b);
                    }
                    TimeKind::Paren(inner) => stack.push(inner),
                    TimeKind::Date(_) | TimeKind::Name(_) => {}
                }
            }
        }
        total.min(366 * 100)
    }
}

/// The events `event` must follow, groups expanded.
fn prerequisites(contract: &Contract, event: &str) -> Vec<String> {
    contract
        .event_decl(event)
        .map(|decl| {
            decl.after
                .iter()
                .flat_map(|name| contract.symbols.expand(&name.text))
                .collect()
        })
        .unwrap_or_default()
}

struct Witness {
    scenario: Scenario,
    due: NaiveDate,
    start: NaiveDate,
}

fn report(ctx: &LintContext<'_>, id: ClauseId, times: &Times, witness: &Witness) -> Diagnostic {
    let label = ctx.label(id);
    let written = |list: &[TimeExpr], join: &str| {
        list.iter()
            .map(crate::fmt::format_time)
            .collect::<Vec<_>>()
            .join(join)
    };
    let owed_from = if times.starts.is_empty() {
        "the `effective` date".to_string()
    } else {
        format!("`{}`", written(&times.starts, "` and `"))
    };
    let events: Vec<String> = witness
        .scenario
        .events
        .iter()
        .map(|(name, date)| format!("{name} on {date}"))
        .collect();
    let future = if events.is_empty() {
        String::new()
    } else {
        format!("with {}, ", events.join(", "))
    };
    let mut diagnostic = Diagnostic::new(
        CODE,
        format!(
            "`{label}` can be due before it is owed: {future}it is due by {} but owed only from {}",
            witness.due, witness.start
        ),
        ctx.anchor(id),
        format!(
            "due by `{}`, owed from {owed_from}",
            written(&times.deadline, "` or `")
        ),
    )
    .with_help(
        "measure the deadline from the event that starts the obligation (e.g. `within 30 days after first_sale`), or fix the dates",
    );
    if let Some(clause) = ctx.contract.clause(id) {
        for qualifier in &clause.qualifiers {
            if matches!(
                qualifier.kind,
                QualifierKind::By(_) | QualifierKind::Within { .. }
            ) {
                diagnostic = diagnostic.with_label(qualifier.span, "the deadline");
            }
        }
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::run_rule;

    const DECLS: &str = "effective 2025-03-01\nparty marlow\nparty helvion\nparty ema\n\
                         asset fee\naction pay\nevent approval by ema\n\
                         event sale by marlow after approval\n";

    #[test]
    fn a_deadline_before_a_fixed_start() {
        let text = format!(
            "{DECLS}ms: marlow must pay $1M of fee to helvion from 2028-01-01 by 2027-06-30\n"
        );
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`ms` can be due before it is owed: it is due by 2027-06-30 but owed only from 2028-01-01"
        );
    }

    #[test]
    fn a_deadline_measured_from_the_wrong_event() {
        let text = format!(
            "{DECLS}ms: marlow must pay $1M of fee to helvion from sale by approval + 30 days\n"
        );
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`ms` can be due before it is owed: with approval on 2025-03-01, sale on 2025-04-01, \
             it is due by 2025-03-31 but owed only from 2025-04-01"
        );
    }

    #[test]
    fn deadlines_after_their_start_are_fine() {
        for clause in [
            "ms: marlow must pay $1M of fee to helvion within 30 days after sale",
            "ms: marlow must pay $1M of fee to helvion from approval by sale + 30 days",
            "ms: marlow must pay $1M of fee to helvion by 2025-03-31",
            "ms: marlow must pay fee to helvion every 3 months within 45 days",
        ] {
            let text = format!("{DECLS}{clause}\n");
            assert!(run_rule(&text, run).is_empty(), "{clause}");
        }
    }
}
