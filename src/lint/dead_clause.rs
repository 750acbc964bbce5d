//! `deal::dead-clause` (warning): a clause that is in force on no day of
//! any scenario, conditions included.
//!
//! Why it matters: a dead clause reads like a term of the deal but never
//! decides anything. Usually its dates are swapped (`from 2030 until
//! 2029`), it ends before the contract's `effective` date, it waits for an
//! event that its own `until` has already ended, or its `when` and
//! `unless` contradict each other. The analysis ranges over every
//! placement of the clause's events and every relevant value of its facts;
//! no world where the clause is in force means it never will be.
//!
//! When the clause's window uses no event and it has no condition, the
//! label says what the window is ("it would start on …, but its last day
//! is …").

use crate::ast::{Clause, QualifierKind, TimeExpr, TimeKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::time::Time;
use crate::eval::{ClauseId, Scenario, window};
use crate::lint::{LintContext, Rule};
use crate::symbols::{SymbolKind, Symbols};

pub const CODE: Code = Code::DeadClause;

/// What the rule catches, why it matters, an example and how to resolve
/// it: the rule's section of docs/lints.md, its `deal check --explain`
/// text and its SARIF help.
const DOC: &str = r#"**What.** A clause in force on no day of any scenario, conditions included.

**Why.** It reads like a term of the deal but never decides anything:
swapped dates, an end before the `effective` date, a start waiting for an
event that its own `until` has already passed, contradictory `when` and
`unless`.

Bad:
```
party openai
asset api
action host

late: openai may host api from 2030-01-01 until 2029-01-01
```
`deal check` says:
```
deal::dead-clause

  ⚠ `late` is in force on no day of any scenario
   ╭─[contract.deal:5:1]
 4 │ 
 5 │ late: openai may host api from 2030-01-01 until 2029-01-01
   · ──┬─
   ·   ╰── it would start on 2030-01-01, but its last day is 2028-12-31
   ╰────
  help: check its `from`, `until` and `through` times and its `when`/`unless` conditions; remove
        the clause if it is obsolete
```

Good:
```
late: openai may host api from 2029-01-01 until 2030-01-01
```

**Resolve.** Fix the dates or conditions, or remove the clause. When the
window uses no event and the clause has no condition, the finding shows the
window.
"#;

pub const RULE: Rule = Rule {
    code: CODE,
    summary: "A clause that is in force on no day of any scenario",
    doc: DOC,
    run,
};

pub fn run(ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (id, clause) in ctx.clauses() {
        match ctx.worlds.live(id) {
            Ok(true) => {}
            Ok(false) => found.push(report(ctx, id, clause)),
            Err(error) => found.push(error),
        }
    }
    found
}

fn report(ctx: &LintContext<'_>, id: ClauseId, clause: &Clause) -> Diagnostic {
    let label = ctx.label(id);
    let why = fixed_window(ctx, id, clause).unwrap_or_else(|| "never in force".to_string());
    Diagnostic::new(
        CODE,
        format!("`{label}` is in force on no day of any scenario"),
        ctx.anchor(id),
        why,
    )
    .with_help(
        "check its `from`, `until` and `through` times and its `when`/`unless` conditions; \
         remove the clause if it is obsolete",
    )
}

/// For a clause whose window names no event and which has no condition:
/// what the (empty) window is, in words.
fn fixed_window(ctx: &LintContext<'_>, id: ClauseId, clause: &Clause) -> Option<String> {
    let symbols = &ctx.contract.symbols;
    for qualifier in &clause.qualifiers {
        match &qualifier.kind {
            QualifierKind::When(_) | QualifierKind::Unless(_) => return None,
            QualifierKind::From(time)
            | QualifierKind::Until(time)
            | QualifierKind::Through(time)
                if names_an_event(symbols, time) =>
            {
                return None;
            }
            _ => {}
        }
    }
    let (start, end) = window(ctx.contract, &Scenario::default(), id).ok()?;
    let start = start.day()?;
    let last = match end {
        Time::Day(end) => end.pred_opt()?,
        Time::Never => return None,
    };
    let effective = ctx.contract.effective();
    let start_words = if effective == Some(start)
        && !clause
            .qualifiers
            .iter()
            .any(|q| matches!(q.kind, QualifierKind::From(_)))
    {
        format!("it would start on {start} (the `effective` date)")
    } else {
        format!("it would start on {start}")
    };
    Some(format!("{start_words}, but its last day is {last}"))
}

fn names_an_event(symbols: &Symbols, time: &TimeExpr) -> bool {
    let mut stack = vec![time];
    while let Some(time) = stack.pop() {
        match &time.kind {
            TimeKind::Date(_) => {}
            TimeKind::Name(name) => {
                if symbols.kind(&name.text) != Some(SymbolKind::Let) {
                    return true;
                }
            }
            TimeKind::Shift { base, .. } | TimeKind::Paren(base) => stack.push(base),
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                stack.push(a);
                stack.push(b);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{labels, run_rule};

    const DECLS: &str = "party openai\nasset api\naction host\nevent start\nevent stop\n\
                         fact ok: bool\n";

    fn dead(clauses: &str) -> Vec<Diagnostic> {
        run_rule(&format!("{DECLS}{clauses}"), run)
    }

    #[test]
    fn swapped_dates() {
        let text = format!("{DECLS}late: openai may host api from 2030-01-01 until 2029-01-01\n");
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(d.code, Code::DeadClause);
        assert_eq!(d.message, "`late` is in force on no day of any scenario");
        assert_eq!(
            labels(&text, d),
            vec![(
                "late".to_string(),
                "it would start on 2030-01-01, but its last day is 2028-12-31".to_string()
            )]
        );
        assert!(d.help.is_some());
    }

    #[test]
    fn ending_before_the_effective_date() {
        let found = dead("effective 2025-10-28\nold: openai may host api through 2020-12-31\n");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].labels[0].message,
            "it would start on 2025-10-28 (the `effective` date), but its last day is 2020-12-31"
        );
    }

    #[test]
    fn an_event_window_that_can_never_open() {
        // Starts when `stop` happens and ends at the same moment.
        let found = dead("closed: openai may host api from stop until stop\n");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].labels[0].message, "never in force");
    }

    #[test]
    fn contradictory_conditions() {
        let found = dead("odd: openai may host api when ok unless ok\n");
        assert_eq!(found.len(), 1, "{found:#?}");
    }

    #[test]
    fn live_clauses_are_silent() {
        assert!(
            dead(
                "a: openai may host api from start until stop\n\
                 b: openai may host api when ok\n\
                 c: openai may host api from 2030-01-01 until 2031-01-01\n\
                 d: openai may host api until start\n\
                 e: openai may host api when start unless stop\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn an_event_that_must_come_after_the_end() {
        // `late_event` can only happen on or after `early`, so a clause
        // from `late_event` until `early` is never in force.
        let text = "party a\nasset x\naction act\nevent early\nevent late_event after early\n\
                    c: a may act x from late_event until early\n";
        assert_eq!(run_rule(text, run).len(), 1);
    }
}
