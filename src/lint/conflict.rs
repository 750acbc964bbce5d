//! `deal::conflict` (error): two clauses that, on some day of some
//! scenario, are both in force and match the same act, one permitting it
//! and the other forbidding it, with neither naming the other in
//! `notwithstanding` (spec section 8).
//!
//! Why it matters: the evaluator still answers (a forbid wins, section 7),
//! so the contract "works", but one of the two clauses is silently dead on
//! that act. Either the permit was meant as an exception (say so with
//! `notwithstanding`), or the clauses overlap by accident (narrow one).
//! An exclusivity grants nothing (v2): it conflicts only through what it
//! forbids; `only P` permits P and forbids every other party.
//!
//! Method, built to stay fast on 10,000 clauses:
//! 1. Candidates by name, never all pairs: each forbidding clause looks up,
//!    in an index built once (`acts::PermitIndex`), the permits on one of
//!    its (action, asset) pairs; an exclusivity looks up the permits on its
//!    assets (it binds every action); a `holds no` the `holds` on its
//!    assets.
//! 2. A static test on each candidate pair (`acts::common_act`): a common
//!    party, action, asset and, slot by slot, a member both accept (for an
//!    exclusivity, a value outside one of its sets that the permit
//!    accepts). This needs no scenario, since matching never depends on
//!    time. Pairs where one names the other in `notwithstanding` are
//!    skipped.
//! 3. Only then the analysis: is there a world where both are in force on
//!    one day? It enumerates the representative futures of those two
//!    clauses alone (their events and facts), and returns the earliest
//!    witness, which the message shows.
//!
//! Reported once per pair, at the later clause, with a secondary label on
//! the earlier one.

use crate::analysis::act::Act;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{ClauseId, ClauseInfo};
use crate::lint::acts::{self, PermitIndex, Universe};
use crate::lint::worlds::Witness;
use crate::lint::{LintContext, Rule};

pub const CODE: Code = Code::Conflict;

/// What the rule catches, why it matters, an example and how to resolve
/// it: the rule's section of docs/lints.md, its `deal check --explain`
/// text and its SARIF help.
const DOC: &str = r#"**What.** Two clauses that, on some day of some scenario, are both in force
and match the same act (one party, one action, one asset, at most one member
per `on`/`to`/`with`), one permitting it (`may`, `must`, `holds`, `only P`
for P) and the other forbidding it (`must not`, `holds no`, an exclusivity
outside its sets, `only P` for a party other than P), where neither names
the other in `notwithstanding`. An exclusivity grants nothing inside its
sets (v2), so it never permits.

**Why.** The evaluator still answers (a forbid wins), so nothing looks
broken, but the permit is silently void on that act. Either it was meant as
an exception, and the contract should say so, or the clauses overlap by
accident.

Bad:
```
party openai
asset api
venue azure
venue gcp
action host
event agi_verified

api_exclusive: exclusive api on azure until agi_verified
gcp_deal: openai may host api on gcp from 2027-01-01
```
`deal check` says:
```
deal::conflict

  × on 2027-01-01, with agi_verified never, `gcp_deal` permits and `api_exclusive` forbids `openai
  │ host api on gcp`
   ╭─[contract.deal:9:1]
 7 │ 
 8 │ api_exclusive: exclusive api on azure until agi_verified
   · ──────┬──────
   ·       ╰── forbids `openai host api on gcp`
 9 │ gcp_deal: openai may host api on gcp from 2027-01-01
   · ────┬───
   ·     ╰── permits `openai host api on gcp`
   ╰────
  help: add `notwithstanding api_exclusive` to `gcp_deal` if it is meant as an exception, or
        narrow one of the clauses
```

Good (the permit is an exception):
```
gcp_deal: openai may host api on gcp from 2027-01-01 notwithstanding api_exclusive
```
or (the permit starts when the exclusivity ends):
```
gcp_deal: openai may host api on gcp from agi_verified
```

**Resolve.** Add `notwithstanding OTHER` to the clause that is the
exception, or narrow one clause (its party, action, asset, sets, window or
conditions) so the two never meet. The conflict is reported once, at the
later clause, with a secondary label on the earlier one.
"#;

pub const RULE: Rule = Rule {
    code: CODE,
    summary: "Two clauses permit and forbid the same act on the same day",
    doc: DOC,
    run,
};

pub fn run(ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let contract = ctx.contract;
    let universe = Universe::of(&contract.symbols);
    let index = PermitIndex::build(contract);
    let mut found = Vec::new();
    for (id, _) in ctx.clauses() {
        let Some(forbid) = contract.clause_info(id) else {
            continue;
        };
        if !acts::can_forbid(forbid.kind) {
            continue;
        }
        for permit_id in index.candidates(forbid) {
            let Some(permit) = contract.clause_info(permit_id) else {
                continue;
            };
            if names_either(permit, forbid) {
                continue;
            }
            let Some(act) = acts::common_act(permit, forbid, &universe) else {
                continue;
            };
            match ctx.worlds.together(permit_id, id) {
                Ok(Some(witness)) => found.push(report(ctx, permit_id, id, &act, &witness)),
                Ok(None) => {}
                Err(error) => found.push(error),
            }
            if ctx.worlds.exhausted() {
                return found;
            }
        }
    }
    found
}

/// Whether either clause is declared an exception to the other.
pub fn names_either(a: &ClauseInfo, b: &ClauseInfo) -> bool {
    a.exceptions.contains(&b.id) || b.exceptions.contains(&a.id)
}

fn report(
    ctx: &LintContext<'_>,
    permit: ClauseId,
    forbid: ClauseId,
    act: &Act,
    witness: &Witness,
) -> Diagnostic {
    let (p, f) = (ctx.label(permit), ctx.label(forbid));
    let message = format!(
        "{}, `{p}` permits and `{f}` forbids `{act}`",
        witness.describe()
    );
    let (later, earlier) = if permit > forbid {
        (permit, forbid)
    } else {
        (forbid, permit)
    };
    let says = |id: ClauseId| {
        if id == permit {
            format!("permits `{act}`")
        } else {
            format!("forbids `{act}`")
        }
    };
    let later_label = ctx.label(later);
    let earlier_label = ctx.label(earlier);
    let help = if ctx.has_explicit_label(earlier) {
        format!(
            "add `notwithstanding {earlier_label}` to `{later_label}` if it is meant as an \
             exception, or narrow one of the clauses"
        )
    } else {
        format!(
            "label the clause `{earlier_label}` and name it in a `notwithstanding` on \
             `{later_label}` if that is meant as an exception, or narrow one of the clauses"
        )
    };
    Diagnostic::new(CODE, message, ctx.anchor(later), says(later))
        .with_label(ctx.anchor(earlier), says(earlier))
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{labels, run_rule};

    const DECLS: &str = "party openai\nasset api\nvenue azure\nvenue gcp\naction host\n\
                         event agi_verified\n";

    #[test]
    fn a_permit_outside_an_exclusivity_conflicts() {
        let text = format!(
            "{DECLS}api_exclusive: exclusive api on azure until agi_verified\n\
             gcp_deal: openai may host api on gcp from 2027-01-01\n"
        );
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(d.code, Code::Conflict);
        assert_eq!(
            d.message,
            "on 2027-01-01, with agi_verified never, `gcp_deal` permits and `api_exclusive` \
             forbids `openai host api on gcp`"
        );
        assert_eq!(
            labels(&text, d),
            vec![
                (
                    "gcp_deal".to_string(),
                    "permits `openai host api on gcp`".to_string()
                ),
                (
                    "api_exclusive".to_string(),
                    "forbids `openai host api on gcp`".to_string()
                ),
            ]
        );
        assert_eq!(
            d.help.as_deref(),
            Some(
                "add `notwithstanding api_exclusive` to `gcp_deal` if it is meant as an \
                 exception, or narrow one of the clauses"
            )
        );
    }

    #[test]
    fn an_exception_is_no_conflict() {
        let text = format!(
            "{DECLS}api_exclusive: exclusive api on azure until agi_verified\n\
             gcp_deal: openai may host api on gcp notwithstanding api_exclusive\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn clauses_never_in_force_together_do_not_conflict() {
        let text = format!(
            "{DECLS}api_exclusive: exclusive api on azure until agi_verified\n\
             gcp_deal: openai may host api on gcp from agi_verified\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn conditions_count() {
        let text = "party microsoft\nasset agi\naction develop\nunit flop\n\
                    fact compute: flop\nfact threshold: flop\n\
                    ms_agi: microsoft may develop agi\n\
                    cap: microsoft must not develop agi when compute > threshold\n";
        let found = run_rule(text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .contains("`ms_agi` permits and `cap` forbids `microsoft develop agi`"),
            "{}",
            found[0].message
        );
        assert_eq!(labels(text, &found[0])[0].0, "cap");
    }

    #[test]
    fn a_condition_that_excludes_the_other_clause_is_no_conflict() {
        let text = "party microsoft\nasset agi\naction develop\nfact ok: bool\n\
                    a: microsoft may develop agi when ok\n\
                    b: microsoft must not develop agi unless ok\n";
        assert!(run_rule(text, run).is_empty());
    }

    #[test]
    fn holds_and_holds_no_conflict() {
        let text = "party microsoft\nasset hw\n\
                    rights: microsoft holds hw\nno_rights: microsoft holds no hw\n";
        let found = run_rule(text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .ends_with("`rights` permits and `no_rights` forbids `microsoft holds hw`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn unlabelled_clauses_are_named_by_line() {
        let text = "party a\nasset x\naction act\na may act x\na must not act x\n";
        let found = run_rule(text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .ends_with("`clause_4` permits and `clause_5` forbids `a act x`"),
            "{}",
            found[0].message
        );
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("label the clause `clause_4`"),
            "{:?}",
            found[0].help
        );
    }

    #[test]
    fn no_conflict_between_unrelated_clauses() {
        let text = format!(
            "{DECLS}asset weights\na: openai may host api\nb: openai must not host weights\n\
             c: exclusive weights on gcp\nd: openai may host api on azure\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }
}
