//! `deal::exclusive-clash` (warning): two exclusivities on one asset whose
//! sets of the same kind (both `on`, both `to` or both `with`) share no
//! member, and which can be in force on the same day.
//!
//! Why it matters: `exclusive api on azure` forbids every other venue;
//! `exclusive api on gcp` forbids every venue but gcp. Together they forbid
//! every venue, so on those days the asset can be used nowhere, which is
//! rarely what either party agreed. Usually one exclusivity was meant to
//! replace the other: end the first when the second starts, or make the
//! second `notwithstanding` the first (a pair where one names the other is
//! not reported).
//!
//! Exclusivities are few, so all pairs on one asset are compared; the
//! analysis then looks for a day both are in force.

use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{ClauseId, ClauseInfo, ClauseKind, Members, Slot};
use crate::lint::conflict::names_either;
use crate::lint::worlds::Witness;
use crate::lint::{LintContext, Rule};
use std::collections::{BTreeMap, BTreeSet};

pub const CODE: Code = Code::ExclusiveClash;

/// What the rule catches, why it matters, an example and how to resolve
/// it: the rule's section of docs/lints.md, its `deal check --explain`
/// text and its SARIF help.
const DOC: &str = r#"**What.** Two exclusivities on one asset whose sets of the same kind (both
`on`, both `to`, or both `with`) share no member, in force on the same day
of some scenario.

**Why.** `exclusive api on azure` forbids every venue but azure;
`exclusive api on gcp` every venue but gcp. Together they forbid every
venue: the asset can be used nowhere, which is rarely what either party
agreed. Usually one exclusivity was meant to replace the other.

Bad:
```
asset api
venue azure
venue gcp

azure_only: exclusive api on azure
gcp_only: exclusive api on gcp from 2030-01-01
```
`deal check` says:
```
deal::exclusive-clash

  ⚠ on 2030-01-01, `azure_only` and `gcp_only` leave `api` usable on no venue: their `on` sets
  │ share no member
   ╭─[contract.deal:6:1]
 4 │ 
 5 │ azure_only: exclusive api on azure
   · ─────┬────
   ·      ╰── exclusive on `azure`
 6 │ gcp_only: exclusive api on gcp from 2030-01-01
   · ────┬───
   ·     ╰── exclusive on `gcp`
   ╰────
  help: end `azure_only` when `gcp_only` starts, or add `notwithstanding azure_only` to `gcp_only`
        if it replaces it
```

Good:
```
azure_only: exclusive api on azure until 2030-01-01
gcp_only: exclusive api on gcp from 2030-01-01
```
or `gcp_only: exclusive api on gcp from 2030-01-01 notwithstanding azure_only`.

**Resolve.** End one exclusivity when the other starts, or make the later
one `notwithstanding` the earlier (a pair where one names the other is not
reported).
"#;

pub const RULE: Rule = Rule {
    code: CODE,
    summary: "Two exclusivities on one asset that leave it usable nowhere",
    doc: DOC,
    run,
};

pub fn run(ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let contract = ctx.contract;
    let mut by_asset: BTreeMap<&str, Vec<&ClauseInfo>> = BTreeMap::new();
    for (id, _) in ctx.clauses() {
        let Some(info) = contract.clause_info(id) else {
            continue;
        };
        if info.kind == ClauseKind::Exclusive {
            for asset in &info.objects {
                by_asset.entry(asset).or_default().push(info);
            }
        }
    }
    let mut reported: BTreeSet<(ClauseId, ClauseId)> = BTreeSet::new();
    let mut found = Vec::new();
    for (asset, exclusives) in &by_asset {
        for (i, first) in exclusives.iter().enumerate() {
            for second in exclusives.iter().skip(i + 1) {
                if reported.contains(&(first.id, second.id)) || names_either(first, second) {
                    continue;
                }
                let Some(slot) = disjoint_slot(first, second) else {
                    continue;
                };
                match ctx.worlds.together(first.id, second.id) {
                    Ok(Some(witness)) => {
                        reported.insert((first.id, second.id));
                        found.push(report(ctx, asset, slot, first, second, &witness));
                    }
                    Ok(None) => {}
                    Err(error) => found.push(error),
                }
                if ctx.worlds.exhausted() {
                    return found;
                }
            }
        }
    }
    found
}

/// The first kind of set both clauses have, as lists of named members,
/// with no member in common.
pub fn disjoint_slot(a: &ClauseInfo, b: &ClauseInfo) -> Option<Slot> {
    a.sets.iter().find_map(|(slot, members_a)| {
        let (_, members_b) = b.sets.iter().find(|(s, _)| s == slot)?;
        match (members_a, members_b) {
            (Members::Only(x), Members::Only(y)) if x.is_disjoint(y) => Some(*slot),
            _ => None,
        }
    })
}

fn members(info: &ClauseInfo, slot: Slot) -> String {
    let names: BTreeSet<&str> = info
        .sets
        .iter()
        .filter(|(s, _)| *s == slot)
        .flat_map(|(_, members)| match members {
            Members::Only(set) => set.iter().map(String::as_str).collect::<Vec<_>>(),
            Members::Any => Vec::new(),
        })
        .collect();
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

fn report(
    ctx: &LintContext<'_>,
    asset: &str,
    slot: Slot,
    a: &ClauseInfo,
    b: &ClauseInfo,
    witness: &Witness,
) -> Diagnostic {
    let (earlier, later) = if a.id < b.id { (a, b) } else { (b, a) };
    let nowhere = match slot {
        Slot::On => "on no venue",
        Slot::To => "to no recipient",
        Slot::With => "with no counterparty",
    };
    let keyword = slot.keyword();
    let message = format!(
        "{}, `{}` and `{}` leave `{asset}` usable {nowhere}: their `{keyword}` sets share no \
         member",
        witness.describe(),
        ctx.label(earlier.id),
        ctx.label(later.id),
    );
    Diagnostic::new(
        CODE,
        message,
        ctx.anchor(later.id),
        format!("exclusive {keyword} {}", members(later, slot)),
    )
    .with_label(
        ctx.anchor(earlier.id),
        format!("exclusive {keyword} {}", members(earlier, slot)),
    )
    .with_help(format!(
        "end `{}` when `{}` starts, or add `notwithstanding {}` to `{}` if it replaces it",
        ctx.label(earlier.id),
        ctx.label(later.id),
        ctx.label(earlier.id),
        ctx.label(later.id)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{labels, run_rule};

    const DECLS: &str = "asset api\nvenue azure\nvenue gcp\nparty microsoft\nevent agi\n";

    #[test]
    fn two_exclusivities_on_disjoint_venues() {
        let text = format!(
            "{DECLS}azure_only: exclusive api on azure\n\
             gcp_only: exclusive api on gcp from 2030-01-01\n"
        );
        let found = run_rule(&text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(d.code, Code::ExclusiveClash);
        assert_eq!(
            d.message,
            "on 2030-01-01, `azure_only` and `gcp_only` leave `api` usable on no venue: their \
             `on` sets share no member"
        );
        assert_eq!(
            labels(&text, d),
            vec![
                ("gcp_only".to_string(), "exclusive on `gcp`".to_string()),
                ("azure_only".to_string(), "exclusive on `azure`".to_string()),
            ]
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("notwithstanding azure_only")
        );
    }

    #[test]
    fn overlapping_sets_are_fine() {
        let text = format!("{DECLS}a: exclusive api on azure, gcp\nb: exclusive api on gcp\n");
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn sets_of_different_kinds_are_fine() {
        let text = format!("{DECLS}a: exclusive api on azure\nb: exclusive api with microsoft\n");
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn one_after_the_other_is_fine() {
        let text = format!(
            "{DECLS}a: exclusive api on azure until agi\nb: exclusive api on gcp from agi\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }

    #[test]
    fn a_replacement_is_fine() {
        let text = format!(
            "{DECLS}a: exclusive api on azure\nb: exclusive api on gcp from agi notwithstanding a\n"
        );
        assert!(run_rule(&text, run).is_empty());
    }
}
