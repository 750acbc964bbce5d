//! `deal::over-allocated` (error): stakes in one party (`X holds Q% of P`)
//! that are in force on the same day of some scenario, none of them dropped
//! by another in-force stake's `notwithstanding`, and total more than 100%
//! (one stake alone counts).
//!
//! Why it matters: shares of a company cannot add up to more than the
//! whole. A total above 100% means a stake was meant to replace another
//! (end the old one, or mark the new one `notwithstanding` the old), a
//! percentage is mistyped, or a stake's window is wrong.
//!
//! The analysis ranges over the events and facts of the party's stakes; on
//! each world the in-force stakes are summed after dropping those that an
//! in-force stake names in `notwithstanding`. The earliest world over 100%
//! is the witness. Interpretations: a stake held by a group counts once
//! (the clause states one stake); a stake in a group of parties counts in
//! each member; a share read from a fact takes the fact's value in the
//! world (its default), and a share read from a fact with no value (the
//! analysis values only facts that conditions compare) is left out: its
//! size is unknown.

use crate::ast::{ClauseBody, Expr};
use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{ClauseId, Scenario, Value, in_force};
use crate::lint::worlds::Witness;
use crate::lint::{LintContext, Rule, and_list};
use crate::symbols::SymbolKind;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

pub const CODE: Code = Code::OverAllocated;

/// What the rule catches, why it matters, an example and how to resolve
/// it: the rule's section of docs/lints.md, its `deal check --explain`
/// text and its SARIF help.
const DOC: &str = r#"**What.** Stakes in one party (`X holds Q% of P`) in force on the same day
of some scenario, none dropped by another in-force stake's
`notwithstanding`, totalling more than 100%. One stake over 100% alone
counts.

**Why.** Shares of a company cannot add up to more than the whole. A total
above 100% usually means a new stake was meant to replace an old one.

Bad:
```
party microsoft
party openai
party foundation
event recap

ms_stake: microsoft holds 60% of openai until recap
foundation_stake: foundation holds 50% of openai from 2027-01-01
```
`deal check` says:
```
deal::over-allocated

  × stakes in `openai` add up to 110% on 2027-01-01, with recap never: `ms_stake` 60% and
  │ `foundation_stake` 50%
   ╭─[contract.deal:7:1]
 5 │ 
 6 │ ms_stake: microsoft holds 60% of openai until recap
   · ────┬───
   ·     ╰── 60% of `openai`
 7 │ foundation_stake: foundation holds 50% of openai from 2027-01-01
   · ────────┬───────
   ·         ╰── 50% of `openai`: the total reaches 110%
   ╰────
  help: end a stake when the one replacing it starts (`until`/`from`), mark the replacing stake
        `notwithstanding` the old one, or correct the percentages
```

Good (the foundation's stake starts when Microsoft's ends):
```
ms_stake: microsoft holds 60% of openai until recap
foundation_stake: foundation holds 50% of openai from recap
```
and a replacing stake in the same party:
```
old_stake: microsoft holds 32.5% of openai
new_stake: microsoft holds 27% of openai from 2025-10-28 notwithstanding old_stake
```

**Resolve.** End the stake a new one replaces (`until`/`from`), mark the
replacing stake `notwithstanding` the old one, or correct the percentages.
A stake held by a group counts once; a stake in a group of parties counts
in each member. A stake whose percentage is a fact counts with the fact's
default; a fact with no default has no known size and is left out.
"#;

pub const RULE: Rule = Rule {
    code: CODE,
    summary: "Stakes in one party that add up to more than 100% on one day",
    doc: DOC,
    run,
};

/// The parties a clause is a stake in: a `holds Q of P` with a quantity
/// whose object is a party (or a group of parties). Empty for other clauses.
pub fn stake_parties(ctx: &LintContext<'_>, id: ClauseId) -> Vec<String> {
    let symbols = &ctx.contract.symbols;
    match (ctx.contract.clause(id), ctx.contract.clause_info(id)) {
        (
            Some(crate::ast::Clause {
                body:
                    ClauseBody::Holds {
                        negated: false,
                        object,
                        ..
                    },
                ..
            }),
            Some(info),
        ) if object.quantity.is_some() => info
            .objects
            .iter()
            .filter(|o| symbols.kind(o) == Some(SymbolKind::Party))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

fn quantity<'a>(ctx: &LintContext<'a>, id: ClauseId) -> Option<&'a Expr> {
    match &ctx.contract.clause(id)?.body {
        ClauseBody::Holds { object, .. } => object.quantity.as_ref(),
        _ => None,
    }
}

/// The stakes counted on one day, with the total.
struct Allocation {
    counted: Vec<(ClauseId, Decimal)>,
    total: Decimal,
}

fn allocation(
    ctx: &LintContext<'_>,
    stakes: &[ClauseId],
    scenario: &Scenario,
    day: NaiveDate,
) -> Result<Allocation, Diagnostic> {
    let mut live = Vec::new();
    for &id in stakes {
        if in_force(ctx.contract, scenario, id, day)? {
            live.push(id);
        }
    }
    let dropped: HashSet<ClauseId> = live
        .iter()
        .filter_map(|&id| ctx.contract.clause_info(id))
        .flat_map(|info| info.exceptions.iter().copied())
        .collect();
    let eval_ctx = crate::eval::Ctx::new(ctx.contract, scenario, None);
    let env = eval_ctx.env(day);
    let mut counted = Vec::new();
    let mut total = Decimal::zero();
    for id in live.into_iter().filter(|id| !dropped.contains(id)) {
        let Some(expr) = quantity(ctx, id) else {
            continue;
        };
        let share = match env.eval(expr) {
            Ok(share) => share,
            // A share read from a fact that has no value here (the
            // analysis values only the facts that conditions compare):
            // its size is unknown, so it is left out of the total.
            Err(error) if error.is_missing_fact() => continue,
            Err(error) => return Err(error.into()),
        };
        if let Value::Percent(share) = share {
            total = total.add(&share).map_err(|error| {
                Diagnostic::new(
                    Code::Eval,
                    format!("adding up the stakes: {error}"),
                    expr.span,
                    "this stake",
                )
            })?;
            counted.push((id, share));
        }
    }
    Ok(Allocation { counted, total })
}

pub fn run(ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    // Stakes by the party they are in, parties in name order.
    let mut by_party: BTreeMap<String, Vec<ClauseId>> = BTreeMap::new();
    for (id, _) in ctx.clauses() {
        for party in stake_parties(ctx, id) {
            by_party.entry(party).or_default().push(id);
        }
    }
    let mut found = Vec::new();
    for (party, stakes) in &by_party {
        let over = ctx.worlds.find(stakes, |scenario, day| {
            Ok(allocation(ctx, stakes, scenario, day)?.total > Decimal::one())
        });
        match over {
            Ok(Some(witness)) => match allocation(ctx, stakes, &witness.scenario, witness.day) {
                Ok(allocated) => found.push(report(ctx, party, &allocated, &witness)),
                Err(error) => found.push(error),
            },
            Ok(None) => {}
            Err(error) => found.push(error),
        }
    }
    found
}

fn report(
    ctx: &LintContext<'_>,
    party: &str,
    allocated: &Allocation,
    witness: &Witness,
) -> Diagnostic {
    let parts: Vec<String> = allocated
        .counted
        .iter()
        .map(|(id, share)| format!("`{}` {}", ctx.label(*id), share.percent_display()))
        .collect();
    let total = allocated.total.percent_display();
    let message = format!(
        "stakes in `{party}` add up to {total} {}: {}",
        witness.describe(),
        and_list(&parts)
    );
    // The last stake in source order brings the total over; the others
    // are secondary labels. `counted` is never empty over 100%.
    let mut ordered = allocated.counted.clone();
    ordered.sort_by_key(|(id, _)| *id);
    let mut labels = ordered.iter().rev();
    let Some((last, last_share)) = labels.next() else {
        return Diagnostic::new(CODE, message, Default::default(), "");
    };
    let mut diagnostic = Diagnostic::new(
        CODE,
        message,
        ctx.anchor(*last),
        format!(
            "{} of `{party}`: the total reaches {total}",
            last_share.percent_display()
        ),
    );
    for (id, share) in labels.rev() {
        diagnostic = diagnostic.with_label(
            ctx.anchor(*id),
            format!("{} of `{party}`", share.percent_display()),
        );
    }
    diagnostic.with_help(
        "end a stake when the one replacing it starts (`until`/`from`), mark the replacing \
         stake `notwithstanding` the old one, or correct the percentages",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{labels, run_rule};

    const DECLS: &str = "party microsoft\nparty openai\nparty foundation\nevent recap\n";

    #[test]
    fn two_stakes_over_the_whole() {
        let text = format!(
            "{DECLS}ms_stake: microsoft holds 60% of openai until recap\n\
             foundation_stake: foundation holds 50% of openai from 2027-01-01\n"
        );
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(d.code, Code::OverAllocated);
        assert_eq!(
            d.message,
            "stakes in `openai` add up to 110% on 2027-01-01, with recap never: \
             `ms_stake` 60% and `foundation_stake` 50%"
        );
        assert_eq!(
            labels(&text, d),
            vec![
                (
                    "foundation_stake".to_string(),
                    "50% of `openai`: the total reaches 110%".to_string()
                ),
                ("ms_stake".to_string(), "60% of `openai`".to_string()),
            ]
        );
        assert!(d.help.is_some());
    }

    #[test]
    fn one_stake_alone_counts() {
        let found = run_rule(
            &format!("{DECLS}big: microsoft holds 120% of openai\n"),
            run,
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("add up to 120%"));
    }

    #[test]
    fn exactly_the_whole_is_fine() {
        let text =
            format!("{DECLS}a: microsoft holds 60% of openai\nb: foundation holds 40% of openai\n");
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn stakes_never_in_force_together_are_fine() {
        let text = format!(
            "{DECLS}a: microsoft holds 60% of openai until recap\n\
             b: foundation holds 50% of openai from recap\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn a_replacing_stake_drops_the_old_one() {
        let text = format!(
            "{DECLS}old: microsoft holds 80% of openai\n\
             new: microsoft holds 30% of openai from recap notwithstanding old\n\
             f: foundation holds 20% of openai\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn stakes_in_different_parties_are_separate() {
        let text = format!(
            "{DECLS}a: microsoft holds 60% of openai\nb: microsoft holds 60% of foundation\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn a_share_given_by_an_unvalued_fact_is_left_out() {
        let text = format!(
            "{DECLS}fact share: percent\nfact known: percent = 70%\n\
             a: microsoft holds share of openai\nb: foundation holds 50% of openai\n\
             c: microsoft holds known of foundation\nd: openai holds 40% of foundation\n"
        );
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .starts_with("stakes in `foundation` add up to 110%"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn an_error_after_an_unvalued_share_is_reported() {
        // The unvalued share is left out; the division by zero in the next
        // stake is an error of the contract and is reported, not left out.
        let text = format!(
            "{DECLS}fact share: percent\nlet zero = 0\n\
             a: microsoft holds share of openai\nb: foundation holds (10% / zero) of openai\n"
        );
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, Code::Eval);
        assert_eq!(found[0].message, "division by zero");
    }
}
