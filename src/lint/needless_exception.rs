//! `deal::needless-exception` (warning): `notwithstanding L` where this
//! clause and `L` would never conflict without it.
//!
//! Why it matters: `notwithstanding` tells the reader "this overrides `L`".
//! When the two clauses never match the same act with opposite effects on
//! a day both are in force, the exception overrides nothing: it is left
//! over from an earlier draft, names the wrong clause, or hides the fact
//! that the clause it was meant for is a different one.
//!
//! The test is the conflict rule's own (`acts::opposed_act`, then the
//! analysis for a day both are in force), with the exception ignored.
//!
//! Interpretation: an exception is needed wherever it changes an answer or
//! a finding, which covers two pairs that never "conflict" in the sense
//! of section 8 but where `notwithstanding` is the way to say "replaces":
//! - two stakes in the same party: the exception keeps the replaced stake
//!   out of the total (`over-allocated`);
//! - two exclusivities whose sets clash (`exclusive-clash`): the exception
//!   lets the new one's sets apply.
//!
//! An exclusivity grants nothing inside its sets (v2), so an exclusivity
//! over a `must not` there is needless.
//!
//! Each still needs a day on which both clauses are in force.

use crate::ast::QualifierKind;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{ClauseId, ClauseKind};
use crate::lint::acts::{self, Universe};
use crate::lint::exclusive_clash::disjoint_slot;
use crate::lint::over_allocated::stake_parties;
use crate::lint::{LintContext, Rule};

pub const CODE: Code = Code::NeedlessException;

/// What the rule catches, why it matters, an example and how to resolve
/// it: the rule's section of docs/lints.md, its `deal check --explain`
/// text and its SARIF help.
const DOC: &str = r#"**What.** `notwithstanding L` where this clause and `L` would never
conflict without it: they never match a common act with opposite effects,
or they are never in force on the same day.

**Why.** `notwithstanding` tells the reader "this overrides `L`". When it
overrides nothing, it is left over from an earlier draft or names the wrong
clause, and the clause it was meant for is not covered.

Bad:
```
party openai
asset api
asset weights
action host
action release

hosting: openai may host api
no_release: openai must not release weights notwithstanding hosting
```
`deal check` says:
```
deal::needless-exception

  ⚠ `no_release` is declared an exception to `hosting`, but the two never conflict: they never
  │ match the same act with opposite effects
   ╭─[contract.deal:8:61]
 6 │ 
 7 │ hosting: openai may host api
   · ───┬───
   ·    ╰── never conflicts with it
 8 │ no_release: openai must not release weights notwithstanding hosting
   ·                                                             ───┬───
   ·                                                                ╰── needless exception
   ╰────
  help: remove `hosting` from the `notwithstanding` list of `no_release`
```

Good:
```
no_release: openai must not release weights
```

**Resolve.** Remove the label from the list, or name the clause the
exception was meant for. The finding is labelled on the name in the list.

Interpretation: an exception is also *needed* (so not reported) in two
cases where `notwithstanding` is how a contract says "replaces", although
the spec's "conflict" does not cover them, provided the two clauses can be
in force on one day:
- between two stakes in the same party (it keeps the replaced stake out of
  the total, see `over-allocated`);
- between two exclusivities whose sets clash (see `exclusive-clash`).

An exclusivity grants nothing inside its sets (v2), so an exclusivity over
a `must not` there changes no answer: that exception is needless.
"#;

pub const RULE: Rule = Rule {
    code: CODE,
    summary: "A `notwithstanding` naming a clause this one never conflicts with",
    doc: DOC,
    run,
};

/// Why an exception is needless.
enum Reason {
    NoCommonAct,
    NeverTogether,
}

pub fn run(ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let universe = Universe::of(&ctx.contract.symbols);
    let mut found = Vec::new();
    for (id, clause) in ctx.clauses() {
        for qualifier in &clause.qualifiers {
            let QualifierKind::Notwithstanding(labels) = &qualifier.kind else {
                continue;
            };
            for name in labels {
                let Some(other) = ctx.contract.clause_by_label(&name.text) else {
                    continue; // `unknown-clause`, reported by the checker
                };
                match needless(ctx, &universe, id, other) {
                    Ok(Some(reason)) => found.push(report(ctx, id, name, other, reason)),
                    Ok(None) => {}
                    Err(error) => found.push(error),
                }
            }
        }
    }
    found
}

fn needless(
    ctx: &LintContext<'_>,
    universe: &Universe,
    id: ClauseId,
    other: ClauseId,
) -> Result<Option<Reason>, Diagnostic> {
    let (Some(a), Some(b)) = (
        ctx.contract.clause_info(id),
        ctx.contract.clause_info(other),
    ) else {
        return Ok(None);
    };
    let shared_stake = || {
        let (pa, pb) = (stake_parties(ctx, id), stake_parties(ctx, other));
        pa.iter().any(|p| pb.contains(p))
    };
    let overrides = acts::opposed_act(a, b, universe).is_some()
        || (a.kind == ClauseKind::Exclusive
            && b.kind == ClauseKind::Exclusive
            && disjoint_slot(a, b).is_some())
        || shared_stake();
    if !overrides {
        return Ok(Some(Reason::NoCommonAct));
    }
    Ok((!ctx.worlds.ever_together(id, other)?).then_some(Reason::NeverTogether))
}

fn report(
    ctx: &LintContext<'_>,
    id: ClauseId,
    name: &crate::ast::Name,
    other: ClauseId,
    reason: Reason,
) -> Diagnostic {
    let this = ctx.label(id);
    let why = match reason {
        Reason::NoCommonAct => "they never match the same act with opposite effects",
        Reason::NeverTogether => "they are never in force on the same day",
    };
    Diagnostic::new(
        CODE,
        format!(
            "`{this}` is declared an exception to `{}`, but the two never conflict: {why}",
            name.text
        ),
        name.span,
        "needless exception",
    )
    .with_label(ctx.anchor(other), "never conflicts with it")
    .with_help(format!(
        "remove `{}` from the `notwithstanding` list of `{this}`",
        name.text
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{labels, run_rule};

    #[test]
    fn an_exception_to_an_unrelated_clause() {
        let text = "party openai\nasset api\nasset weights\naction host\naction release\n\
                    hosting: openai may host api\n\
                    no_release: openai must not release weights notwithstanding hosting\n";
        let found = run_rule(text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(d.code, Code::NeedlessException);
        assert_eq!(
            d.message,
            "`no_release` is declared an exception to `hosting`, but the two never conflict: \
             they never match the same act with opposite effects"
        );
        assert_eq!(
            labels(text, d),
            vec![
                ("hosting".to_string(), "needless exception".to_string()),
                ("hosting".to_string(), "never conflicts with it".to_string()),
            ]
        );
        assert_eq!(d.labels[0].span.start, text.rfind("hosting").unwrap());
        assert_eq!(
            d.help.as_deref(),
            Some("remove `hosting` from the `notwithstanding` list of `no_release`")
        );
    }

    #[test]
    fn an_exception_to_a_clause_never_in_force_at_the_same_time() {
        let text = "party openai\nasset api\nvenue azure\nvenue gcp\naction host\nevent agi\n\
                    ex: exclusive api on azure until agi\n\
                    later: openai may host api on gcp from agi notwithstanding ex\n";
        let found = run_rule(text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .ends_with("they are never in force on the same day"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_needed_exception_is_silent() {
        let text = "party openai\nparty us_natsec\nasset api\nvenue azure\nvenue gcp\n\
                    action host\nevent agi\n\
                    ex: exclusive api on azure until agi\n\
                    natsec: openai may host api on anywhere to us_natsec notwithstanding ex\n";
        assert!(run_rule(text, run).is_empty());
    }

    #[test]
    fn a_forbid_may_be_the_exception() {
        let text = "party microsoft\nasset agi\naction develop\nfact big: bool\n\
                    may_agi: microsoft may develop agi\n\
                    cap: microsoft must not develop agi when big notwithstanding may_agi\n";
        assert!(run_rule(text, run).is_empty());
    }

    #[test]
    fn a_stake_replacing_another_is_needed() {
        let text = "party microsoft\nparty openai\n\
                    old: microsoft holds 32% of openai\n\
                    new: microsoft holds 27% of openai from 2026-01-01 notwithstanding old\n";
        assert!(run_rule(text, run).is_empty());
        let apart = "party microsoft\nparty openai\n\
                     old: microsoft holds 32% of openai until 2026-01-01\n\
                     new: microsoft holds 27% of openai from 2026-01-01 notwithstanding old\n";
        assert_eq!(run_rule(apart, run).len(), 1);
    }

    #[test]
    fn an_exclusivity_replacing_another_is_needed() {
        let text = "asset api\nvenue azure\nvenue gcp\nevent agi\n\
                    a: exclusive api on azure\n\
                    b: exclusive api on gcp from agi notwithstanding a\n";
        assert!(run_rule(text, run).is_empty());
        let overlapping = "asset api\nvenue azure\nvenue gcp\nevent agi\n\
                           a: exclusive api on azure, gcp\n\
                           b: exclusive api on gcp from agi notwithstanding a\n";
        assert_eq!(run_rule(overlapping, run).len(), 1);
    }

    #[test]
    fn an_exclusivity_over_a_ban_inside_its_sets_is_needless() {
        // Inside its sets an exclusivity grants nothing (v2), so it never
        // opposes the ban there.
        let text = "party openai\nasset api\nvenue azure\naction host\n\
                    ban: openai must not host api on azure\n\
                    ex: exclusive api on azure notwithstanding ban\n";
        assert_eq!(run_rule(text, run).len(), 1);
    }
}
