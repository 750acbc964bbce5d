//! `deal::unused` (warning): a declaration nothing uses.
//!
//! A party, event, asset, venue, action, unit, group or fact that no clause,
//! `after`/`by`, group, fact type, scenario, assertion or `let` mentions is
//! either left over from an earlier draft or a sign that a clause meant to
//! name it names something else (a typo that happens to be another declared
//! name). Either way the reader of the contract is misled: a declared asset
//! reads as something the deal is about.
//!
//! `let` values are exempt (they are the contract's named results, read by
//! people and queries), and so are the predeclared `anyone` and `anywhere`.
//! A name used only inside its own declaration does not count (the checker
//! already refuses the ways that could happen). Clause labels are a separate namespace
//! and are not declarations.

use crate::ast::{ItemKind, Name};
use crate::check::occurrences::{Namespace, Role, each_name};
use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{LintContext, Rule};
use rustc_hash::FxHashSet;

pub const CODE: Code = Code::Unused;

/// What the rule catches, why it matters, an example and how to resolve
/// it: the rule's section of docs/lints.md, its `deal check --explain`
/// text and its SARIF help.
const DOC: &str = r#"**What.** A party, event, asset, venue, action, unit, group or fact that
nothing mentions: no clause, `after`/`by`, group, fact type, scenario,
assertion or `let`. `let` values are exempt (they are the contract's named
results); `anyone` and `anywhere` are predeclared.

**Why.** A leftover declaration misleads the reader (a declared asset reads
as something the deal is about), and an unused name is often the sign of a
clause that names the wrong thing.

Bad:
```
party openai
asset api
asset weights
action host

hosting: openai may host api
```
`deal check` says:
```
deal::unused

  ⚠ asset `weights` is declared but never used
   ╭─[contract.deal:3:7]
 2 │ asset api
 3 │ asset weights
   ·       ───┬───
   ·          ╰── never used
 4 │ action host
   ╰────
  help: remove the declaration, or name `weights` where it is meant
```

Good: remove `asset weights`, or write the clause that was meant to use it.
"#;

pub const RULE: Rule = Rule {
    code: CODE,
    summary: "A declaration nothing uses",
    doc: DOC,
    run,
};

pub fn run(ctx: &LintContext<'_>) -> Vec<Diagnostic> {
    let file = &ctx.contract.file;
    let mut used: FxHashSet<&str> = FxHashSet::default();
    for item in &file.items {
        let own = declared_name(&item.kind).map(|n| n.text.as_str());
        each_name(&item.kind, |name, namespace, role| {
            if namespace == Namespace::Name
                && role == Role::Reference
                && Some(name.text.as_str()) != own
            {
                used.insert(&name.text);
            }
        });
    }
    let mut found = Vec::new();
    for item in &file.items {
        let Some((kind, name)) = reportable(&item.kind) else {
            continue;
        };
        if used.contains(name.text.as_str()) {
            continue;
        }
        found.push(
            Diagnostic::new(
                CODE,
                format!("{kind} `{}` is declared but never used", name.text),
                name.span,
                "never used",
            )
            .with_help(format!(
                "remove the declaration, or name `{}` where it is meant",
                name.text
            )),
        );
    }
    found
}

/// The name an item declares.
fn declared_name(item: &ItemKind) -> Option<&Name> {
    match item {
        ItemKind::Decl(decl) => Some(&decl.name),
        ItemKind::Group(group) => Some(&group.name),
        ItemKind::Let(l) => Some(&l.name),
        ItemKind::Fact(fact) => Some(&fact.name),
        _ => None,
    }
}

/// Declarations this rule reports when unused: everything but `let`s.
fn reportable(item: &ItemKind) -> Option<(&'static str, &Name)> {
    match item {
        ItemKind::Decl(decl) => Some((decl.kind.keyword(), &decl.name)),
        ItemKind::Group(group) => Some(("group", &group.name)),
        ItemKind::Fact(fact) => Some(("fact", &fact.name)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{labels, run_rule};

    #[test]
    fn an_asset_no_clause_names_is_reported() {
        let text = "party openai\nasset api\nasset weights\naction host\n\
                    hosting: openai may host api\n";
        let found = run_rule(text, run);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, Code::Unused);
        assert_eq!(
            found[0].message,
            "asset `weights` is declared but never used"
        );
        assert_eq!(
            labels(text, &found[0]),
            vec![("weights".to_string(), "never used".to_string())]
        );
        assert!(found[0].help.as_deref().unwrap().contains("remove"));
    }

    #[test]
    fn every_kind_of_use_counts() {
        let text = "\
party openai
party panel
party auditor
event declared by panel
event verified after declared
asset api
asset codev
group things = codev
venue azure
venue gcp
action host
action audit
unit flop
unit token
fact compute: flop
fact tokens: number = 0
fact ready: bool
let limit = 5 token
hosting: openai may host api on azure until verified when ready
assert on_gcp: never may openai host api on gcp
scenario s {
  tokens = 3
  auditor audit codev on 2026-01-01
}
codev_rule: openai may host things
";
        let found = run_rule(text, run);
        let names: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        // `compute` is declared and never read; `flop` is used by its type.
        assert_eq!(names, vec!["fact `compute` is declared but never used"]);
    }

    #[test]
    fn lets_and_wildcards_are_exempt() {
        let text = "party openai\nasset api\naction host\nlet price = $5B\n\
                    hosting: anyone may host api on anywhere\nuse: openai may host api\n";
        assert!(run_rule(text, run).is_empty());
    }
}
