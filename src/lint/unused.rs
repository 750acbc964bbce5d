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

use crate::ast::{
    Clause, ClauseBody, Decl, Expr, ExprKind, ItemKind, Literal, Name, QualifierKind, Query,
    ScenarioLine, Slots, TimeExpr, TimeKind, TypeName,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{LintContext, Rule};
use std::collections::HashSet;

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
    let mut used: HashSet<&str> = HashSet::new();
    for item in &file.items {
        let own = declared_name(&item.kind).map(|n| n.text.as_str());
        let mut uses = Uses::default();
        uses.item(&item.kind);
        used.extend(uses.names.into_iter().filter(|&n| Some(n) != own));
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

/// The names mentioned in one item (its own declared name excluded by the caller).
#[derive(Default)]
struct Uses<'f> {
    names: Vec<&'f str>,
}

impl<'f> Uses<'f> {
    fn name(&mut self, name: &'f Name) {
        self.names.push(&name.text);
    }

    fn names(&mut self, names: &'f [Name]) {
        self.names.extend(names.iter().map(|n| n.text.as_str()));
    }

    fn item(&mut self, item: &'f ItemKind) {
        match item {
            ItemKind::Deal(_) => {}
            ItemKind::Effective(effective) => {
                if let Some(end) = &effective.end {
                    self.qualifier(&end.kind);
                }
            }
            ItemKind::Decl(decl) => self.decl(decl),
            ItemKind::Group(group) => self.names(&group.members),
            ItemKind::Let(l) => self.expr(&l.value),
            ItemKind::Fact(fact) => {
                if let TypeName::Unit(unit) = &fact.ty.kind {
                    self.name(unit);
                }
                if let Some(default) = &fact.default {
                    self.expr(default);
                }
            }
            ItemKind::Clause(clause) => self.clause(clause),
            ItemKind::Scenario(scenario) => {
                for line in &scenario.lines {
                    self.scenario_line(line);
                }
            }
            ItemKind::Assert(assertion) => {
                self.query(&assertion.query);
                for qualifier in &assertion.window {
                    self.qualifier(&qualifier.kind);
                }
            }
        }
    }

    fn decl(&mut self, decl: &'f Decl) {
        if let Some(by) = &decl.by {
            self.name(by);
        }
        self.names(&decl.after);
    }

    fn clause(&mut self, clause: &'f Clause) {
        let object = match &clause.body {
            ClauseBody::Act {
                party,
                action,
                object,
                ..
            } => {
                self.name(party);
                self.name(action);
                object
            }
            ClauseBody::Holds { party, object, .. } => {
                self.name(party);
                object
            }
            ClauseBody::Exclusive { object } => object,
            ClauseBody::Only {
                party,
                action,
                object,
            } => {
                self.name(party);
                self.name(action);
                object
            }
        };
        self.name(&object.name);
        if let Some(quantity) = &object.quantity {
            self.expr(quantity);
        }
        for qualifier in &clause.qualifiers {
            self.qualifier(&qualifier.kind);
        }
    }

    fn qualifier(&mut self, qualifier: &'f QualifierKind) {
        match qualifier {
            QualifierKind::On(names) | QualifierKind::To(names) | QualifierKind::With(names) => {
                self.names(names)
            }
            QualifierKind::From(time)
            | QualifierKind::Until(time)
            | QualifierKind::Through(time)
            | QualifierKind::By(time)
            | QualifierKind::Within {
                after: Some(time), ..
            } => self.time(time),
            QualifierKind::Within { after: None, .. }
            | QualifierKind::Every(_)
            | QualifierKind::Survives(_) => {}
            QualifierKind::When(condition) | QualifierKind::Unless(condition) => {
                self.expr(condition)
            }
            // Labels: their own namespace.
            QualifierKind::Notwithstanding(_) => {}
        }
    }

    fn scenario_line(&mut self, line: &'f ScenarioLine) {
        match line {
            ScenarioLine::Event { name, .. } => self.name(name),
            ScenarioLine::Fact { name, value } => {
                self.name(name);
                self.expr(value);
            }
            ScenarioLine::Record(record) => {
                self.name(&record.party);
                self.name(&record.action);
                self.name(&record.asset);
                if let Some(quantity) = &record.quantity {
                    self.expr(quantity);
                }
                for qualifier in &record.qualifiers {
                    self.qualifier(&qualifier.kind);
                }
            }
            ScenarioLine::Expect(block) => {
                for expectation in &block.lines {
                    match &expectation.kind {
                        crate::ast::ExpectKind::Yes(query)
                        | crate::ast::ExpectKind::No(query)
                        | crate::ast::ExpectKind::Unspecified(query) => self.query(query),
                        // A label: its own namespace.
                        crate::ast::ExpectKind::Status { .. } => {}
                        crate::ast::ExpectKind::Expr(expr) => self.expr(expr),
                    }
                }
            }
        }
    }

    fn query(&mut self, query: &'f Query) {
        match query {
            Query::May(q) | Query::Must(q) => {
                self.name(&q.party);
                self.name(&q.action);
                self.name(&q.object);
                self.slots(&q.slots);
            }
            Query::Holds(q) => {
                self.name(&q.party);
                self.name(&q.object);
                self.slots(&q.slots);
            }
            Query::Status(_) => {}
            Query::Expr(expr) => self.expr(expr),
        }
    }

    fn slots(&mut self, slots: &'f Slots) {
        for name in [&slots.on, &slots.to, &slots.with].into_iter().flatten() {
            self.name(name);
        }
    }

    /// Expressions and times nest; the parser bounds their depth, and an
    /// explicit stack keeps this walk off the call stack anyway.
    fn expr(&mut self, expr: &'f Expr) {
        let mut stack = vec![expr];
        while let Some(expr) = stack.pop() {
            match &expr.kind {
                ExprKind::Literal(Literal::Quantity { unit, .. }) => self.name(unit),
                ExprKind::Literal(_) => {}
                ExprKind::Name(name) => self.name(name),
                ExprKind::Unary { operand, .. } => stack.push(operand),
                ExprKind::Binary { lhs, rhs, .. } => {
                    stack.push(lhs);
                    stack.push(rhs);
                }
                ExprKind::Paren(inner) => stack.push(inner),
                ExprKind::Extremum { args, .. } => stack.extend(args),
                ExprKind::EventBy { event, deadline } => {
                    self.name(event);
                    self.time(deadline);
                }
                // Labels: their own namespace.
                ExprKind::StatusIs { .. } => {}
            }
        }
    }

    fn time(&mut self, time: &'f TimeExpr) {
        let mut stack = vec![time];
        while let Some(time) = stack.pop() {
            match &time.kind {
                TimeKind::Date(_) => {}
                TimeKind::Name(name) => self.name(name),
                TimeKind::Shift { base, .. } => stack.push(base),
                TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                TimeKind::Paren(inner) => stack.push(inner),
            }
        }
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
