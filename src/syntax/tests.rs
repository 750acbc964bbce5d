//! Tests of the syntax module: the spec's examples, literals, newline rules,
//! limits and the wording of syntax errors.

use super::*;
use crate::ast::*;
use crate::decimal::Decimal;
use crate::diagnostic::Code;
use crate::source::Span;
use chrono::NaiveDate;

fn src(text: &str) -> SourceFile {
    SourceFile::new("t.deal", text)
}

fn file(text: &str) -> File {
    match parse_file(&src(text)) {
        Ok(f) => f,
        Err(e) => panic!("{text}\n{e:#?}"),
    }
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match parse_file(&src(text)) {
        Ok(f) => panic!("expected an error for {text:?}, got {f:#?}"),
        Err(e) => e,
    }
}

/// The only error of `text`.
fn error(text: &str) -> Diagnostic {
    let mut all = errors(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

fn query(text: &str) -> Query {
    match parse_query(&src(text)) {
        Ok(q) => q,
        Err(e) => panic!("{text}\n{e:#?}"),
    }
}

fn query_error(text: &str) -> Diagnostic {
    match parse_query(&src(text)) {
        Ok(q) => panic!("expected an error for {text:?}, got {q:#?}"),
        Err(mut e) => e.remove(0),
    }
}

fn one_item(text: &str) -> ItemKind {
    let f = file(text);
    assert_eq!(f.items.len(), 1, "{f:#?}");
    f.items.into_iter().next().map(|i| i.kind).unwrap()
}

fn clause(text: &str) -> Clause {
    match one_item(text) {
        ItemKind::Clause(c) => c,
        other => panic!("not a clause: {other:#?}"),
    }
}

fn expr(text: &str) -> Expr {
    match one_item(&format!("let x = {text}")) {
        ItemKind::Let(l) => l.value,
        other => panic!("{other:#?}"),
    }
}

fn lit(text: &str) -> Literal {
    match expr(text).kind {
        ExprKind::Literal(l) => l,
        other => panic!("not a literal: {other:#?}"),
    }
}

fn dec(text: &str) -> Decimal {
    Decimal::parse(text).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn names(list: &[Name]) -> Vec<&str> {
    list.iter().map(|n| n.text.as_str()).collect()
}

/// The text a span covers.
fn at(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

// ---------------------------------------------------------------- spec examples

const DECLARATIONS: &str = r#"deal "Microsoft–OpenAI definitive agreement"   // optional title, at most once
effective 2025-10-28                           // optional; clauses start here

party microsoft "Microsoft Corporation"        // label string optional everywhere
event agi_declared "OpenAI declares AGI" by openai
event agi_verified "Panel verifies the declaration" by panel after agi_declared
asset api "API products"                       // things: products, rights, services, IP
venue azure "Microsoft Azure"                  // places: clouds, regions, markets
action host "host or serve"                    // verbs
unit flop "floating-point operations"
group clouds = azure, aws, gcp                 // all members of one kind; the group has that kind
let stake = 27%                                // a named value (expression, see 5)
let stake_value = $135B
fact training_compute: flop                    // a value that scenarios supply
fact profits_reached: bool = false             // with a default
"#;

#[test]
fn spec_section_2_declarations() {
    let f = file(DECLARATIONS);
    assert_eq!(f.items.len(), 14);
    assert_eq!(f.comments.len(), 10);
    assert_eq!(f.comments[0].text, "// optional title, at most once");
    let kinds: Vec<&ItemKind> = f.items.iter().map(|i| &i.kind).collect();
    match kinds[0] {
        ItemKind::Deal(title) => assert_eq!(title.value, "Microsoft–OpenAI definitive agreement"),
        other => panic!("{other:?}"),
    }
    match kinds[1] {
        ItemKind::Effective(e) => {
            assert_eq!(e.date.date, date(2025, 10, 28));
            assert_eq!(at(DECLARATIONS, e.date.span), "2025-10-28");
        }
        other => panic!("{other:?}"),
    }
    match kinds[2] {
        ItemKind::Decl(d) => {
            assert_eq!(d.kind, DeclKind::Party);
            assert_eq!(d.name.text, "microsoft");
            assert_eq!(d.label.as_ref().unwrap().value, "Microsoft Corporation");
            assert_eq!(
                at(DECLARATIONS, d.span),
                "party microsoft \"Microsoft Corporation\""
            );
        }
        other => panic!("{other:?}"),
    }
    match kinds[4] {
        ItemKind::Decl(d) => {
            assert_eq!(d.kind, DeclKind::Event);
            assert_eq!(d.by.as_ref().unwrap().text, "panel");
            assert_eq!(names(&d.after), ["agi_declared"]);
        }
        other => panic!("{other:?}"),
    }
    match kinds[8] {
        ItemKind::Decl(d) => assert_eq!(d.kind, DeclKind::Unit),
        other => panic!("{other:?}"),
    }
    match kinds[9] {
        ItemKind::Group(g) => {
            assert_eq!(g.name.text, "clouds");
            assert_eq!(names(&g.members), ["azure", "aws", "gcp"]);
        }
        other => panic!("{other:?}"),
    }
    match kinds[10] {
        ItemKind::Let(l) => assert_eq!(
            l.value.kind,
            ExprKind::Literal(Literal::Percent {
                value: dec("0.27"),
                text: "27%".into()
            })
        ),
        other => panic!("{other:?}"),
    }
    match kinds[12] {
        ItemKind::Fact(fact) => {
            assert_eq!(fact.name.text, "training_compute");
            assert!(matches!(&fact.ty.kind, TypeName::Unit(u) if u.text == "flop"));
            assert!(fact.default.is_none());
        }
        other => panic!("{other:?}"),
    }
    match kinds[13] {
        ItemKind::Fact(fact) => {
            assert_eq!(fact.ty.kind, TypeName::Bool);
            assert_eq!(
                fact.default.as_ref().unwrap().kind,
                ExprKind::Literal(Literal::Bool(false))
            );
        }
        other => panic!("{other:?}"),
    }
    // Item spans never include the trailing comment or white space.
    for item in &f.items {
        let text = at(DECLARATIONS, item.span);
        assert_eq!(text, text.trim(), "{text:?}");
        assert!(!text.contains("//"), "{text:?}");
    }
}

const CLAUSES: &str = "api_exclusive: exclusive api on azure until agi_verified
non_api_anywhere: openai may host non_api on anywhere
natsec: openai may host api on anywhere to us_natsec notwithstanding api_exclusive
model_ip: microsoft holds model_ip through 2032-12-31
research_ip: microsoft holds research_ip until 2031-01-01 or agi_verified
no_hw_ip: microsoft holds no consumer_hardware_ip
ms_stake: microsoft holds 27% of openai
azure_commitment: openai must purchase $250B of azure_services with microsoft
";

#[test]
fn spec_section_3_clauses() {
    let f = file(CLAUSES);
    let clauses: Vec<Clause> = f
        .items
        .into_iter()
        .map(|i| match i.kind {
            ItemKind::Clause(c) => c,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(clauses.len(), 8);
    let labels: Vec<&str> = clauses
        .iter()
        .map(|c| c.label.as_ref().unwrap().text.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "api_exclusive",
            "non_api_anywhere",
            "natsec",
            "model_ip",
            "research_ip",
            "no_hw_ip",
            "ms_stake",
            "azure_commitment"
        ]
    );

    let c = &clauses[0];
    assert!(
        matches!(&c.body, ClauseBody::Exclusive { object } if object.name.text == "api" && object.quantity.is_none())
    );
    assert!(matches!(&c.qualifiers[0].kind, QualifierKind::On(v) if names(v) == ["azure"]));
    assert!(
        matches!(&c.qualifiers[1].kind, QualifierKind::Until(t) if matches!(&t.kind, TimeKind::Name(n) if n.text == "agi_verified"))
    );
    assert_eq!(
        at(CLAUSES, c.span),
        "api_exclusive: exclusive api on azure until agi_verified"
    );
    assert_eq!(at(CLAUSES, c.qualifiers[1].span), "until agi_verified");

    let c = &clauses[2];
    match &c.body {
        ClauseBody::Act {
            modality,
            party,
            action,
            object,
        } => {
            assert_eq!(*modality, Modality::May);
            assert_eq!(party.text, "openai");
            assert_eq!(action.text, "host");
            assert_eq!(object.name.text, "api");
        }
        other => panic!("{other:?}"),
    }
    let kinds: Vec<&str> = c.qualifiers.iter().map(|q| q.kind.keyword()).collect();
    assert_eq!(kinds, ["on", "to", "notwithstanding"]);
    assert!(
        matches!(&c.qualifiers[2].kind, QualifierKind::Notwithstanding(v) if names(v) == ["api_exclusive"])
    );

    assert!(
        matches!(&clauses[3].qualifiers[0].kind, QualifierKind::Through(t) if t.kind == TimeKind::Date(date(2032, 12, 31)))
    );
    match &clauses[4].qualifiers[0].kind {
        QualifierKind::Until(t) => match &t.kind {
            TimeKind::Or(a, b) => {
                assert_eq!(a.kind, TimeKind::Date(date(2031, 1, 1)));
                assert!(matches!(&b.kind, TimeKind::Name(n) if n.text == "agi_verified"));
                assert_eq!(at(CLAUSES, t.span), "2031-01-01 or agi_verified");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&clauses[5].body, ClauseBody::Holds { negated: true, object, .. } if object.name.text == "consumer_hardware_ip")
    );
    match &clauses[6].body {
        ClauseBody::Holds {
            negated: false,
            party,
            object,
        } => {
            assert_eq!(party.text, "microsoft");
            assert_eq!(object.name.text, "openai");
            let q = object.quantity.as_ref().unwrap();
            assert_eq!(
                q.kind,
                ExprKind::Literal(Literal::Percent {
                    value: dec("0.27"),
                    text: "27%".into()
                })
            );
            assert_eq!(at(CLAUSES, object.span), "27% of openai");
        }
        other => panic!("{other:?}"),
    }
    match &clauses[7].body {
        ClauseBody::Act {
            modality, object, ..
        } => {
            assert_eq!(*modality, Modality::Must);
            assert_eq!(
                object.quantity.as_ref().unwrap().kind,
                ExprKind::Literal(Literal::Money {
                    value: dec("250000000000"),
                    text: "$250B".into()
                })
            );
        }
        other => panic!("{other:?}"),
    }
}

const SCENARIO: &str = r#"scenario early_agi "AGI verified in 2028" {
  agi_declared on 2028-03-01
  agi_verified on 2028-09-01
  training_compute = 5e26 flop
  openai purchase $40B of azure_services with microsoft on 2026-06-30   // a performance record

  expect at 2028-06-01 {
    not may openai host api on gcp            // exclusivity still holds: the answer must be no
    status azure_commitment is pending
  }
  expect at 2029-01-01 {
    may openai host non_api on gcp            // the answer must be yes
    unspecified may openai host api on gcp    // exclusivity ended with agi_verified
    holds microsoft model_ip
    unspecified holds microsoft research_ip   // ended with agi_verified: no clause speaks
    stake_value / stake == $500B              // a boolean expression must be true
  }
}
"#;

#[test]
fn spec_section_6_scenario() {
    let s = match one_item(SCENARIO) {
        ItemKind::Scenario(s) => s,
        other => panic!("{other:?}"),
    };
    assert_eq!(s.name.text, "early_agi");
    assert_eq!(s.label.as_ref().unwrap().value, "AGI verified in 2028");
    assert_eq!(s.lines.len(), 6);
    assert!(
        matches!(&s.lines[0], ScenarioLine::Event { name, date: d } if name.text == "agi_declared" && d.date == date(2028, 3, 1))
    );
    match &s.lines[2] {
        ScenarioLine::Fact { name, value } => {
            assert_eq!(name.text, "training_compute");
            match &value.kind {
                ExprKind::Literal(Literal::Quantity { value, text, unit }) => {
                    assert_eq!(*value, dec("5e26"));
                    assert_eq!(text, "5e26");
                    assert_eq!(unit.text, "flop");
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    match &s.lines[3] {
        ScenarioLine::Record(r) => {
            assert_eq!(r.party.text, "openai");
            assert_eq!(r.action.text, "purchase");
            assert_eq!(r.asset.text, "azure_services");
            assert!(r.quantity.is_some());
            assert_eq!(r.qualifiers.len(), 1);
            assert!(
                matches!(&r.qualifiers[0].kind, QualifierKind::With(v) if names(v) == ["microsoft"])
            );
            assert_eq!(r.date.date, date(2026, 6, 30));
            assert_eq!(
                at(SCENARIO, r.span),
                "openai purchase $40B of azure_services with microsoft on 2026-06-30"
            );
        }
        other => panic!("{other:?}"),
    }
    let ScenarioLine::Expect(first) = &s.lines[4] else {
        panic!()
    };
    assert_eq!(first.at.date, date(2028, 6, 1));
    assert_eq!(first.lines.len(), 2);
    match &first.lines[0].kind {
        ExpectKind::No(Query::May(q)) => {
            assert_eq!(q.party.text, "openai");
            assert_eq!(q.slots.on.as_ref().unwrap().text, "gcp");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        at(SCENARIO, first.lines[0].span),
        "not may openai host api on gcp"
    );
    assert!(
        matches!(&first.lines[1].kind, ExpectKind::Status { label, status } if label.text == "azure_commitment" && status.status == ObligationStatus::Pending)
    );
    let ScenarioLine::Expect(second) = &s.lines[5] else {
        panic!()
    };
    assert_eq!(second.lines.len(), 5);
    assert!(matches!(
        &second.lines[0].kind,
        ExpectKind::Yes(Query::May(_))
    ));
    assert!(matches!(
        &second.lines[1].kind,
        ExpectKind::Unspecified(Query::May(_))
    ));
    assert!(
        matches!(&second.lines[2].kind, ExpectKind::Yes(Query::Holds(q)) if q.object.text == "model_ip")
    );
    assert!(matches!(
        &second.lines[3].kind,
        ExpectKind::Unspecified(Query::Holds(_))
    ));
    match &second.lines[4].kind {
        ExpectKind::Expr(e) => {
            assert!(
                matches!(&e.kind, ExprKind::Binary { op: BinaryOp::Eq, lhs, .. } if matches!(lhs.kind, ExprKind::Binary { op: BinaryOp::Div, .. }))
            );
            assert_eq!(at(SCENARIO, e.span), "stake_value / stake == $500B");
        }
        other => panic!("{other:?}"),
    }
}

const ASSERTIONS: &str =
    "/// Enterprise customers keep model access through 2032, whatever happens to AGI.
assert models_survive_agi: always holds microsoft model_ip through 2032-12-31
assert api_stays_on_azure: never may openai host api on gcp until agi_verified
assert exclusive_until_2029: always not may openai host api on gcp until 2029-01-01
";

#[test]
fn spec_section_10_assertions() {
    let f = file(ASSERTIONS);
    assert_eq!(f.items.len(), 3);
    assert_eq!(
        f.items[0].doc.as_ref().unwrap().text,
        "Enterprise customers keep model access through 2032, whatever happens to AGI."
    );
    assert!(f.comments.is_empty());
    let asserts: Vec<&Assertion> = f
        .items
        .iter()
        .map(|i| match &i.kind {
            ItemKind::Assert(a) => a,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(asserts[0].label.text, "models_survive_agi");
    assert_eq!(asserts[0].quantifier, Quantifier::Always);
    assert!(matches!(&asserts[0].query, Query::Holds(q) if q.party.text == "microsoft"));
    assert!(matches!(
        &asserts[0].window[0].kind,
        QualifierKind::Through(_)
    ));
    assert_eq!(asserts[1].quantifier, Quantifier::Never);
    assert!(
        matches!(&asserts[1].query, Query::May(q) if q.slots.on.as_ref().unwrap().text == "gcp")
    );
    assert!(matches!(
        &asserts[1].window[0].kind,
        QualifierKind::Until(_)
    ));
    assert_eq!(asserts[2].quantifier, Quantifier::AlwaysNot);
    // The item span starts at `assert`, not at the doc comment.
    assert!(at(ASSERTIONS, f.items[0].span).starts_with("assert models_survive_agi"));
}

#[test]
fn assertion_with_condition_window() {
    let a = match one_item(
        "assert keep: always holds microsoft model_ip through 2032-12-31 when safety_guardrails",
    ) {
        ItemKind::Assert(a) => a,
        other => panic!("{other:?}"),
    };
    let kinds: Vec<&str> = a.window.iter().map(|q| q.kind.keyword()).collect();
    assert_eq!(kinds, ["through", "when"]);
}

// ---------------------------------------------------------------- clauses

#[test]
fn clause_without_label_and_over_several_lines() {
    let text = "openai must not\n  host api\n  on gcp\n  from 2026-01-01\nparty x";
    let f = file(text);
    assert_eq!(f.items.len(), 2);
    match &f.items[0].kind {
        ItemKind::Clause(c) => {
            assert!(c.label.is_none());
            assert!(matches!(
                c.body,
                ClauseBody::Act {
                    modality: Modality::MustNot,
                    ..
                }
            ));
            assert_eq!(c.qualifiers.len(), 2);
            assert_eq!(
                at(text, c.span),
                "openai must not\n  host api\n  on gcp\n  from 2026-01-01"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_qualifier_kind() {
    let c = clause(
        "c: openai must pay (stake * 2) of fees on azure, aws to a with b, d from 2026-01-01 + 1 year \
         until x and y through 2030-12-31 - 2 weeks by deadline when revenue >= $100B unless halted \
         notwithstanding c1, c2",
    );
    let kinds: Vec<&str> = c.qualifiers.iter().map(|q| q.kind.keyword()).collect();
    assert_eq!(
        kinds,
        [
            "on",
            "to",
            "with",
            "from",
            "until",
            "through",
            "by",
            "when",
            "unless",
            "notwithstanding"
        ]
    );
    let ClauseBody::Act { object, .. } = &c.body else {
        panic!()
    };
    assert!(matches!(
        object.quantity.as_ref().unwrap().kind,
        ExprKind::Paren(_)
    ));
    assert!(matches!(&c.qualifiers[0].kind, QualifierKind::On(v) if names(v) == ["azure", "aws"]));
    assert!(matches!(&c.qualifiers[2].kind, QualifierKind::With(v) if names(v) == ["b", "d"]));
    match &c.qualifiers[3].kind {
        QualifierKind::From(t) => match &t.kind {
            TimeKind::Shift {
                base,
                sign,
                duration,
            } => {
                assert_eq!(base.kind, TimeKind::Date(date(2026, 1, 1)));
                assert_eq!(*sign, Sign::Plus);
                assert_eq!((duration.amount, duration.unit), (1, DurationUnit::Year));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&c.qualifiers[4].kind, QualifierKind::Until(t) if matches!(t.kind, TimeKind::And(..)))
    );
    assert!(
        matches!(&c.qualifiers[5].kind, QualifierKind::Through(t) if matches!(&t.kind, TimeKind::Shift { sign: Sign::Minus, .. }))
    );
    assert!(
        matches!(&c.qualifiers[7].kind, QualifierKind::When(e) if matches!(e.kind, ExprKind::Binary { op: BinaryOp::Ge, .. }))
    );
    assert!(
        matches!(&c.qualifiers[9].kind, QualifierKind::Notwithstanding(v) if names(v) == ["c1", "c2"])
    );
}

#[test]
fn quantity_objects_literal_name_and_parenthesised() {
    let c = clause("openai must pay commitment of fees");
    let ClauseBody::Act { object, .. } = &c.body else {
        panic!()
    };
    assert!(
        matches!(&object.quantity.as_ref().unwrap().kind, ExprKind::Name(n) if n.text == "commitment")
    );
    let c = clause("openai must train 5e26 flop of compute");
    let ClauseBody::Act { object, .. } = &c.body else {
        panic!()
    };
    assert!(matches!(
        &object.quantity.as_ref().unwrap().kind,
        ExprKind::Literal(Literal::Quantity { .. })
    ));
    assert_eq!(object.name.text, "compute");
}

#[test]
fn time_primary_parenthesised_and_precedence() {
    let c = clause("microsoft holds x until (a or b) and c + 3 months");
    let QualifierKind::Until(t) = &c.qualifiers[0].kind else {
        panic!()
    };
    match &t.kind {
        TimeKind::And(lhs, rhs) => {
            assert!(
                matches!(&lhs.kind, TimeKind::Paren(inner) if matches!(inner.kind, TimeKind::Or(..)))
            );
            assert!(matches!(&rhs.kind, TimeKind::Shift { .. }));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn structural_rules_of_clauses() {
    let e = error("openai may host api on azure on aws");
    assert_eq!(e.message, "`on` appears more than once in this clause");
    assert_eq!(e.labels.len(), 2);
    assert!(e.help.unwrap().contains("on azure, aws"));

    let e = error("openai must pay x by 2030-01-01 by 2031-01-01");
    assert_eq!(e.message, "`by` appears more than once in this clause");

    let e = error("openai may host api by 2030-01-01");
    assert_eq!(e.message, "`by` is allowed only on an obligation (`must`)");
    assert!(e.help.is_some());
    let e = error("openai must not host api by 2030-01-01");
    assert_eq!(e.message, "`by` is allowed only on an obligation (`must`)");

    let text = "openai may host $5B of api";
    let e = error(text);
    assert_eq!(
        e.message,
        "a quantity is allowed only on `must` and `holds` clauses"
    );
    assert_eq!(at(text, e.labels[0].span), "$5B");

    let text = "x: exclusive api until 2030-01-01";
    let e = error(text);
    assert_eq!(
        e.message,
        "`exclusive` needs at least one of `on`, `to` or `with`"
    );
    assert_eq!(at(text, e.labels[0].span), "exclusive api");
    assert!(e.help.unwrap().contains("exclusive api on azure"));
    // Fine with any one set.
    clause("exclusive api with microsoft");
    clause("exclusive api to consumers");
}

#[test]
fn all_lowering_errors_are_reported() {
    let all = errors("let a = 2031-02-30\nlet b = 2030-13-01\nopenai may host $1 of x");
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all.iter().all(|d| d.code == Code::Syntax));
    assert!(all[0].message.contains("February 2031 has 28 days"));
    assert!(all[1].message.contains("there is no month 13"));
}

// ---------------------------------------------------------------- keywords

#[test]
fn keywords_are_guarded() {
    // Keyword prefixes are names.
    let c = clause("exclusively: deal_b may notice exclusively on excl");
    assert_eq!(c.label.unwrap().text, "exclusively");
    let ClauseBody::Act {
        party,
        action,
        object,
        ..
    } = &c.body
    else {
        panic!()
    };
    assert_eq!(party.text, "deal_b");
    assert_eq!(action.text, "notice");
    assert_eq!(object.name.text, "exclusively");
    for word in [
        "days_left",
        "mayor",
        "onward",
        "tomorrow",
        "order",
        "android",
        "status_quo",
        "isolated",
    ] {
        let item = one_item(&format!("party {word}"));
        assert!(matches!(item, ItemKind::Decl(d) if d.name.text == word));
    }
    assert!(is_keyword("notwithstanding"));
    assert!(is_keyword("years"));
    assert!(!is_keyword("anyone"));
    assert!(!is_keyword("exclusively"));
    for word in ["only", "within", "every", "survives", "max", "min"] {
        assert!(is_keyword(word), "{word} is a v2 keyword");
    }
    assert_eq!(KEYWORDS.len(), 62);
}

#[test]
fn the_keyword_families_are_reserved_words() {
    for word in ITEM_KEYWORDS
        .iter()
        .chain(QUALIFIER_KEYWORDS)
        .chain(TYPE_NAMES)
    {
        assert!(is_keyword(word), "{word}");
    }
}

#[test]
fn every_listed_keyword_is_reserved_by_the_grammar() {
    for word in KEYWORDS {
        let e = error(&format!("party {word}"));
        assert_eq!(
            e.message,
            format!("`{word}` is a reserved word and cannot be a name"),
            "{word}"
        );
    }
}

#[test]
fn reserved_word_as_name() {
    for (text, word) in [
        ("party deal", "deal"),
        ("asset exclusive", "exclusive"),
        ("let until = 3", "until"),
        ("venue days", "days"),
        ("fact money: bool", "money"),
        ("group g = a, on", "on"),
    ] {
        let e = error(text);
        assert_eq!(e.code, Code::Syntax);
        assert_eq!(
            e.message,
            format!("`{word}` is a reserved word and cannot be a name"),
            "{text}"
        );
        assert_eq!(at(text, e.labels[0].span), word);
        assert_eq!(
            e.help.unwrap(),
            format!("choose another name, e.g. `{word}_`")
        );
    }
}

// ---------------------------------------------------------------- literals

#[test]
fn numbers_are_exact() {
    assert_eq!(
        lit("42"),
        Literal::Number {
            value: dec("42"),
            text: "42".into()
        }
    );
    assert_eq!(
        lit("0.5"),
        Literal::Number {
            value: dec("0.5"),
            text: "0.5".into()
        }
    );
    assert_eq!(
        lit("1e27"),
        Literal::Number {
            value: dec("1e27"),
            text: "1e27".into()
        }
    );
    assert_eq!(
        lit("1_000"),
        Literal::Number {
            value: dec("1000"),
            text: "1_000".into()
        }
    );
    assert_eq!(
        lit("1e40"),
        Literal::Number {
            value: dec("1e40"),
            text: "1e40".into()
        }
    );
    assert_eq!(
        lit("2.5E-3"),
        Literal::Number {
            value: dec("0.0025"),
            text: "2.5E-3".into()
        }
    );
    assert_eq!(
        lit("0"),
        Literal::Number {
            value: dec("0"),
            text: "0".into()
        }
    );
}

#[test]
fn number_limits() {
    let e = error("let x = 1e101");
    assert_eq!(e.message, "the number `1e101` is out of range");
    error("let x = 1e-101");
    error("let x = 1e99999999999999999999999");
    lit("1e100");
    let long = "1".repeat(101);
    let e = error(&format!("let x = {long}"));
    assert!(e.message.contains("too many digits"), "{}", e.message);
    lit(&"1".repeat(100));
}

#[test]
fn money() {
    assert_eq!(
        lit("$135B"),
        Literal::Money {
            value: dec("135000000000"),
            text: "$135B".into()
        }
    );
    assert_eq!(
        lit("$1.5M"),
        Literal::Money {
            value: dec("1500000"),
            text: "$1.5M".into()
        }
    );
    assert_eq!(
        lit("$250_000"),
        Literal::Money {
            value: dec("250000"),
            text: "$250_000".into()
        }
    );
    assert_eq!(
        lit("$2K"),
        Literal::Money {
            value: dec("2000"),
            text: "$2K".into()
        }
    );
    assert_eq!(
        lit("$3T"),
        Literal::Money {
            value: dec("3e12"),
            text: "$3T".into()
        }
    );
    assert_eq!(
        lit("$7"),
        Literal::Money {
            value: dec("7"),
            text: "$7".into()
        }
    );
}

#[test]
fn malformed_money() {
    for (text, help) in [
        ("$1.5 M", "write `$1.5M`"),
        ("$5m", "write `$5M`"),
        ("$1,000", "write `$1_000`"),
        ("$ 5", "write `$5`"),
    ] {
        let source = format!("let x = {text}");
        let e = error(&source);
        assert_eq!(e.code, Code::Syntax);
        assert!(
            e.message
                .starts_with(&format!("`{text}` is not an amount of money")),
            "{}",
            e.message
        );
        assert_eq!(at(&source, e.labels[0].span), text);
        assert_eq!(e.help.as_deref(), Some(help));
    }
}

#[test]
fn percent() {
    assert_eq!(
        lit("27%"),
        Literal::Percent {
            value: dec("0.27"),
            text: "27%".into()
        }
    );
    assert_eq!(
        lit("32.5%"),
        Literal::Percent {
            value: dec("0.325"),
            text: "32.5%".into()
        }
    );
    let e = error("let x = 27 %");
    assert_eq!(e.help.as_deref(), Some("write `27%`"));
}

#[test]
fn exact_division_example_parses() {
    let e = expr("$135B / 27%");
    assert!(matches!(
        e.kind,
        ExprKind::Binary {
            op: BinaryOp::Div,
            ..
        }
    ));
}

#[test]
fn dates() {
    assert_eq!(lit("2030-12-31"), Literal::Date(date(2030, 12, 31)));
    assert_eq!(lit("2028-02-29"), Literal::Date(date(2028, 2, 29)));
    let text = "let x = 2031-02-30";
    let e = error(text);
    assert_eq!(e.code, Code::Syntax);
    assert_eq!(
        e.message,
        "2031-02-30 is not a date: February 2031 has 28 days"
    );
    assert_eq!(at(text, e.labels[0].span), "2031-02-30");
    assert_eq!(
        error("let x = 2030-04-31").message,
        "2030-04-31 is not a date: April 2030 has 30 days"
    );
    assert_eq!(
        error("let x = 2030-00-10").message,
        "2030-00-10 is not a date: there is no month 00"
    );
    assert_eq!(
        error("let x = 2030-01-00").message,
        "2030-01-00 is not a date: January 2030 has 31 days"
    );

    let text = "effective 2030-1-1";
    let e = error(text);
    assert_eq!(at(text, e.labels[0].span), "2030-1-1");
    assert_eq!(
        e.help.as_deref(),
        Some("dates are written YYYY-MM-DD: `2030-01-01`")
    );
    let e = error("let x = 30-1-1");
    assert_eq!(
        e.help.as_deref(),
        Some("dates are written YYYY-MM-DD, e.g. 2030-01-01")
    );
}

#[test]
fn a_date_is_never_subtraction() {
    assert!(matches!(lit("2030-01-01"), Literal::Date(_)));
    // With spaces it is subtraction.
    assert!(matches!(
        expr("2030 - 1").kind,
        ExprKind::Binary {
            op: BinaryOp::Sub,
            ..
        }
    ));
    // A date minus a duration.
    assert!(matches!(
        expr("2030-01-01 - 30 days").kind,
        ExprKind::Binary {
            op: BinaryOp::Sub,
            ..
        }
    ));
}

#[test]
fn durations() {
    for (text, amount, unit) in [
        ("1 day", 1, DurationUnit::Day),
        ("30 days", 30, DurationUnit::Day),
        ("2 weeks", 2, DurationUnit::Week),
        ("1 week", 1, DurationUnit::Week),
        ("18 months", 18, DurationUnit::Month),
        ("1 month", 1, DurationUnit::Month),
        ("5 years", 5, DurationUnit::Year),
        ("1 year", 1, DurationUnit::Year),
        ("1_000 days", 1000, DurationUnit::Day),
    ] {
        match lit(text) {
            Literal::Duration(d) => assert_eq!((d.amount, d.unit), (amount, unit), "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    assert!(error("let x = 1.5 years").message.contains("whole number"));
    assert!(
        error("let x = 99999999999 days")
            .message
            .contains("too long")
    );
}

#[test]
fn quantities_and_booleans_and_strings() {
    assert_eq!(
        lit("5e26 flop"),
        Literal::Quantity {
            value: dec("5e26"),
            text: "5e26".into(),
            unit: Name::new("flop", Span::default())
        }
    );
    assert_eq!(lit("true"), Literal::Bool(true));
    assert_eq!(lit("false"), Literal::Bool(false));
    assert_eq!(
        lit(r#""a\"b\\c\nd\te""#),
        Literal::String("a\"b\\c\nd\te".into())
    );

    let text = r#"deal "bad \q escape""#;
    let e = error(text);
    assert_eq!(e.message, "unknown escape `\\q` in a string");
    assert_eq!(at(text, e.labels[0].span), "\\q");

    let text = "deal \"unterminated\nparty x";
    let e = error(text);
    assert_eq!(e.message, "unterminated string");
    assert_eq!(e.labels[0].span.start, 5);
}

// ---------------------------------------------------------------- newlines

#[test]
fn a_unit_word_on_the_next_line_is_not_part_of_the_number() {
    // `flop` on the next line starts a clause (`flop may ...`).
    let f = file("let x = 5\nflop may host api");
    assert_eq!(f.items.len(), 2);
    match &f.items[0].kind {
        ItemKind::Let(l) => assert!(matches!(
            l.value.kind,
            ExprKind::Literal(Literal::Number { .. })
        )),
        other => panic!("{other:?}"),
    }
    // A duration word on the next line is not a duration either: `5` then
    // `days` is an error, not `5 days`.
    assert!(parse_file(&src("let x = 5\ndays")).is_err());
    match one_item("let x = 5 days") {
        ItemKind::Let(l) => assert!(matches!(
            l.value.kind,
            ExprKind::Literal(Literal::Duration(_))
        )),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_minus_line_in_an_expect_block_is_a_new_expectation() {
    let text =
        "scenario s {\n  expect at 2030-01-01 {\n    a\n    - b > c\n    d -\n      e == f\n  }\n}";
    let ItemKind::Scenario(s) = one_item(text) else {
        panic!()
    };
    let ScenarioLine::Expect(block) = &s.lines[0] else {
        panic!()
    };
    assert_eq!(block.lines.len(), 3, "{block:#?}");
    assert!(
        matches!(&block.lines[0].kind, ExpectKind::Expr(e) if matches!(e.kind, ExprKind::Name(_)))
    );
    match &block.lines[1].kind {
        ExpectKind::Expr(e) => match &e.kind {
            ExprKind::Binary {
                op: BinaryOp::Gt,
                lhs,
                ..
            } => {
                assert!(matches!(
                    lhs.kind,
                    ExprKind::Unary {
                        op: UnaryOp::Neg,
                        ..
                    }
                ))
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // A `-` at the end of a line continues onto the next.
    assert!(
        matches!(&block.lines[2].kind, ExpectKind::Expr(e) if at(text, e.span) == "d -\n      e == f")
    );
    // Outside expect blocks a newline is just white space.
    match one_item("let x = a\n  - b") {
        ItemKind::Let(l) => assert!(matches!(
            l.value.kind,
            ExprKind::Binary {
                op: BinaryOp::Sub,
                ..
            }
        )),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_record_ends_at_on_followed_by_a_date() {
    let ItemKind::Scenario(s) =
        one_item("scenario s {\n  openai host api on azure, aws to b on 2030-01-01\n}")
    else {
        panic!()
    };
    let ScenarioLine::Record(r) = &s.lines[0] else {
        panic!()
    };
    assert_eq!(r.qualifiers.len(), 2);
    assert!(matches!(&r.qualifiers[0].kind, QualifierKind::On(v) if names(v) == ["azure", "aws"]));
    assert_eq!(r.date.date, date(2030, 1, 1));
    assert!(r.quantity.is_none());
}

// ---------------------------------------------------------------- expressions

#[test]
fn precedence_of_section_5() {
    // a or b and not c == d + e * -f
    let e = expr("a or b and not c == d + e * -f");
    let ExprKind::Binary {
        op: BinaryOp::Or,
        rhs,
        ..
    } = e.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::And,
        rhs,
        ..
    } = rhs.kind
    else {
        panic!()
    };
    let ExprKind::Unary {
        op: UnaryOp::Not,
        operand,
    } = rhs.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Eq,
        rhs,
        ..
    } = operand.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Add,
        rhs,
        ..
    } = rhs.kind
    else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Mul,
        rhs,
        ..
    } = rhs.kind
    else {
        panic!()
    };
    assert!(matches!(
        rhs.kind,
        ExprKind::Unary {
            op: UnaryOp::Neg,
            ..
        }
    ));
    // Left associativity.
    let e = expr("a - b - c");
    let ExprKind::Binary {
        op: BinaryOp::Sub,
        lhs,
        ..
    } = e.kind
    else {
        panic!()
    };
    assert!(matches!(
        lhs.kind,
        ExprKind::Binary {
            op: BinaryOp::Sub,
            ..
        }
    ));
    let e = expr("a / b * c");
    let ExprKind::Binary {
        op: BinaryOp::Mul,
        lhs,
        ..
    } = e.kind
    else {
        panic!()
    };
    assert!(matches!(
        lhs.kind,
        ExprKind::Binary {
            op: BinaryOp::Div,
            ..
        }
    ));
}

#[test]
fn spans_of_expressions() {
    let text = "let x = (a + b) * -c";
    let ItemKind::Let(l) = one_item(text) else {
        panic!()
    };
    assert_eq!(at(text, l.value.span), "(a + b) * -c");
    let ExprKind::Binary { lhs, rhs, .. } = &l.value.kind else {
        panic!()
    };
    assert_eq!(at(text, lhs.span), "(a + b)");
    assert_eq!(at(text, rhs.span), "-c");
}

#[test]
fn comparisons_do_not_chain() {
    let text = "let x = a < b < c";
    let e = error(text);
    assert_eq!(e.message, "comparisons cannot be chained");
    assert_eq!(at(text, e.labels[0].span), "<");
    assert!(e.help.unwrap().contains("a < b and b < c"));
    // Parentheses make it explicit.
    expr("(a < b) == c");
}

// ---------------------------------------------------------------- queries

#[test]
fn query_forms() {
    match query("may openai host api on gcp to us with microsoft") {
        Query::May(q) => {
            assert_eq!(
                (
                    q.party.text.as_str(),
                    q.action.text.as_str(),
                    q.object.text.as_str()
                ),
                ("openai", "host", "api")
            );
            assert_eq!(q.slots.on.unwrap().text, "gcp");
            assert_eq!(q.slots.to.unwrap().text, "us");
            assert_eq!(q.slots.with.unwrap().text, "microsoft");
        }
        other => panic!("{other:?}"),
    }
    // Any order.
    match query("must openai purchase azure_services with microsoft on azure") {
        Query::Must(q) => {
            assert_eq!(q.slots.with.unwrap().text, "microsoft");
            assert_eq!(q.slots.on.unwrap().text, "azure");
            assert!(q.slots.to.is_none());
        }
        other => panic!("{other:?}"),
    }
    match query("holds microsoft model_ip") {
        Query::Holds(q) => {
            assert_eq!(q.party.text, "microsoft");
            assert_eq!(q.object.text, "model_ip");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(query("status azure_commitment"), Query::Status(n) if n.text == "azure_commitment")
    );
    assert!(
        matches!(query("stake_value / stake"), Query::Expr(e) if matches!(e.kind, ExprKind::Binary { op: BinaryOp::Div, .. }))
    );
    assert!(
        matches!(query("5e26 flop"), Query::Expr(e) if matches!(e.kind, ExprKind::Literal(Literal::Quantity { .. })))
    );
    assert!(matches!(query("  $100B  "), Query::Expr(_)));
    let text = "may openai host api on gcp";
    assert_eq!(at(text, query(text).span()), text);
}

#[test]
fn query_slot_rules() {
    let e = query_error("may openai host api on gcp on aws");
    assert_eq!(e.message, "`on` appears more than once in this query");
    let text = "may openai host api on gcp, aws";
    let e = query_error(text);
    assert_eq!(e.message, "a query names one venue after `on`");
    assert_eq!(at(text, e.labels[0].span), "aws");
    let e = query_error("may openai host");
    assert_eq!(e.message, "expected an asset name, found end of file");
    let e = query_error("may openai host api until 2030-01-01");
    assert!(e.message.contains("found `until`"), "{}", e.message);
}

#[test]
fn unspecified_must_is_an_error() {
    let e = error("scenario s { expect at 2030-01-01 { unspecified must openai pay x } }");
    assert_eq!(e.message, "a `must` query is never unspecified");
    assert!(e.help.unwrap().contains("not must openai pay x"));
}

#[test]
fn assertion_windows() {
    let e = error("assert a: always may openai host api until 2030-01-01 on gcp");
    assert_eq!(e.message, "`on` is not allowed in an assertion window");
    let e = error("assert a: always may openai host api by 2030-01-01");
    assert_eq!(e.message, "`by` is not allowed in an assertion window");
    let e = error("assert a: never holds x y notwithstanding c");
    assert_eq!(
        e.message,
        "`notwithstanding` is not allowed in an assertion window"
    );
    match one_item("assert a: always revenue > $5B from 2030-01-01") {
        ItemKind::Assert(a) => {
            assert!(matches!(a.query, Query::Expr(_)));
            assert_eq!(a.window.len(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn repl_input_tells_queries_from_items() {
    let input = |t: &str| parse_repl_input(&src(t));
    assert!(matches!(
        input("may openai host api on gcp"),
        Ok(ReplInput::Query(Query::May(_)))
    ));
    assert!(matches!(
        input("status c"),
        Ok(ReplInput::Query(Query::Status(_)))
    ));
    assert!(matches!(
        input("stake * 2"),
        Ok(ReplInput::Query(Query::Expr(_)))
    ));
    assert!(
        matches!(input("openai may host api on gcp"), Ok(ReplInput::Items(f)) if f.items.len() == 1)
    );
    assert!(matches!(input("party a\nparty b"), Ok(ReplInput::Items(f)) if f.items.len() == 2));
    assert!(matches!(input("scenario s { }"), Ok(ReplInput::Items(_))));
    // The error that got further is the one shown.
    let e = input("may openai host").unwrap_err();
    assert_eq!(e[0].message, "expected an asset name, found end of file");
    let e = input("openai may host api on").unwrap_err();
    assert_eq!(e[0].message, "expected a venue name, found end of file");
}

// ---------------------------------------------------------------- comments

#[test]
fn doc_comments_attach_to_the_next_item() {
    let text = "// plain\n/// First line.\n///   indented\n///\nparty a\n\n/// lone doc\n// plain two\nparty b\nscenario s {\n  /// inside\n  e on 2030-01-01\n}\n/// at end\n";
    let f = file(text);
    assert_eq!(
        f.items[0].doc.as_ref().unwrap().text,
        "First line.\n  indented\n"
    );
    assert!(f.items[1].doc.is_none());
    assert!(f.items[2].doc.is_none());
    let plain: Vec<&str> = f.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        plain,
        [
            "// plain",
            "/// lone doc",
            "// plain two",
            "/// inside",
            "/// at end"
        ]
    );
    // Comments never hide in strings.
    let f = file("deal \"a // b\" // c");
    assert_eq!(f.comments.len(), 1);
    assert_eq!(f.comments[0].text, "// c");
}

// ---------------------------------------------------------------- errors

#[test]
fn friendly_expected_lists() {
    let text = "exclusive api on";
    let e = error(text);
    assert_eq!(e.message, "expected a venue name, found end of file");
    assert_eq!(at(text, e.labels[0].span), "on");
    assert_eq!(
        e.help.as_deref(),
        Some("`on` needs one or more venue names, e.g. `on azure`")
    );

    let e = error("openai may host api to\nparty x");
    assert!(
        e.message
            .starts_with("expected a recipient (party) name, found `party`"),
        "{}",
        e.message
    );
    assert!(e.help.unwrap().starts_with("`to` needs"));

    let e = error("openai may host api until");
    assert!(e.help.unwrap().starts_with("`until` needs a time"));
    let e = error("openai may host api when");
    assert!(e.help.unwrap().starts_with("`when` needs a condition"));
    let e = error("openai may host api notwithstanding");
    assert!(e.help.unwrap().starts_with("`notwithstanding` needs"));

    let e = error("scenario s\n  agi on 2030-01-01\n}");
    assert!(e.message.contains("`{`"), "{}", e.message);
    assert!(e.message.ends_with("found `agi`"), "{}", e.message);

    let e = error("}");
    assert_eq!(e.message, "expected a clause or a declaration, found `}`");

    let e = error("let x = (1 + 2");
    assert_eq!(e.message, "expected `)` or an operator, found end of file");

    let e = error("effective 2030");
    assert!(
        e.message.starts_with("expected a date like 2030-12-31"),
        "{}",
        e.message
    );

    let e = error("openai may host Api");
    assert!(e.help.unwrap().contains("`api`"));
}

#[test]
fn assignment_instead_of_comparison() {
    let text = "openai may host api when x = 5";
    let e = error(text);
    assert_eq!(at(text, e.labels[0].span), "=");
    assert_eq!(e.help.as_deref(), Some("use `==` to compare"));
}

#[test]
fn messages_never_show_rule_names() {
    let samples = [
        "party",
        "openai",
        "openai may",
        "openai holds",
        "x:",
        "event e by",
        "event e after",
        "group g =",
        "fact f",
        "fact f:",
        "scenario",
        "scenario s {",
        "scenario s { expect",
        "scenario s { expect at 2030-01-01 {",
        "scenario s { expect at 2030-01-01 { status x is",
        "scenario s { openai pay x",
        "assert",
        "assert a:",
        "assert a: always",
        "let x = ",
        "let x = 1 +",
        "openai may host api from 2030-01-01 +",
        "deal",
        "@",
        "party a \"x\" \"y\"",
    ];
    for text in samples {
        let e = error(text);
        assert_eq!(e.code, Code::Syntax);
        for raw in ["EOI", "_ref", "kw_", "q_", "expect_", "paren", "Rule"] {
            assert!(!e.message.contains(raw), "{text:?}: {}", e.message);
            assert!(
                !e.labels[0].message.contains(raw),
                "{text:?}: {}",
                e.labels[0].message
            );
        }
        assert!(
            e.message.starts_with("expected") || e.message.contains("reserved word"),
            "{text:?}: {}",
            e.message
        );
    }
}

// ---------------------------------------------------------------- limits

#[test]
fn nul_byte_is_a_syntax_error() {
    let e = error("party a\0");
    assert_eq!(e.code, Code::Syntax);
    assert_eq!(e.labels[0].span, Span::new(7, 8));
    let e = query_error("1 + \0");
    assert_eq!(e.code, Code::Syntax);
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let deep = format!("let x = {}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let e = error(&deep);
    assert_eq!(e.code, Code::Limit);
    assert_eq!(e.message, "nesting deeper than 64 levels");
    assert_eq!(e.labels[0].span.start, 8 + 64);
    assert_eq!(
        e.help.as_deref(),
        Some("split the expression into `let` values")
    );
    // Exactly at the limit is fine.
    expr(&format!("{}1{}", "(".repeat(64), ")".repeat(64)));
    // Unbalanced and in braces too.
    assert_eq!(error(&"{".repeat(1000)).code, Code::Limit);
    // Brackets in strings and comments do not count.
    file(&format!(
        "deal \"{}\" // {}",
        "(".repeat(1000),
        "{".repeat(1000)
    ));
}

#[test]
fn long_prefix_runs_and_chains_are_refused() {
    let e = error(&format!("let x = {}a", "not ".repeat(100_000)));
    assert_eq!(e.code, Code::Limit);
    let e = error(&format!("let x = {}a", "-".repeat(100_000)));
    assert_eq!(e.code, Code::Limit);
    let e = error(&format!("let x = a{}", " + a".repeat(100_000)));
    assert_eq!(e.code, Code::Limit);
    assert!(e.message.contains("deeper than"));
    let e = error(&format!(
        "openai may host api until a{}",
        " + 1 day".repeat(100_000)
    ));
    assert_eq!(e.code, Code::Limit);
    let e = error(&format!(
        "openai may host api until a{}",
        " or b".repeat(100_000)
    ));
    assert_eq!(e.code, Code::Limit);
    // Long but sensible chains are fine.
    expr(&format!("a{}", " + a".repeat(200)));
}

#[test]
fn a_large_file_parses_completely() {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 1_000_000 {
        text.push_str(&format!(
            "/// Clause {i}.\nc{i}: p{i} must pay $5B of a{i} on v{i}, w to r with s from 2026-01-01 until e{i} or 2030-12-31 when f > 27% // note\n"
        ));
        i += 1;
    }
    let f = file(&text);
    assert_eq!(f.items.len(), i);
    assert_eq!(f.comments.len(), i);
    assert!(f.items.iter().all(|item| item.doc.is_some()));
}

#[test]
fn arbitrary_text_never_panics() {
    let samples = [
        "",
        " ",
        "\n\n",
        "//",
        "///",
        "\u{FEFF}party a",
        "$",
        "%",
        "\"",
        "\\",
        "(",
        ")",
        "{}",
        "}{",
        "1e",
        "$1e",
        "2030-",
        "–",
        "é",
        "party a\r\nparty b\r\n",
        "let x = 1 ++ 2",
        "scenario s { - }",
        "let x = --1",
    ];
    for text in samples {
        let _ = parse_file(&src(text));
        let _ = parse_query(&src(text));
        let _ = parse_repl_input(&src(text));
    }
    assert!(file("\u{FEFF}party a").items.len() == 1);
    assert!(file("party a\r\nparty b\r\n").items.len() == 2);
    assert!(file("").items.is_empty());
}

#[test]
fn help_for_common_slips() {
    let e = error("openai MAY host api");
    assert_eq!(
        e.help.as_deref(),
        Some("keywords are written in lowercase: `may`")
    );
    let e = error("Party a");
    assert_eq!(
        e.help.as_deref(),
        Some("keywords are written in lowercase: `party`")
    );
    let e = error("let x = 5days");
    assert_eq!(
        e.help.as_deref(),
        Some("put a space between a number and its unit: `5 days`")
    );
    let e = error("party a; party b");
    assert!(e.help.unwrap().contains("no `;`"));
    let e = error("openai may not host api");
    assert!(e.help.unwrap().contains("must not"));
    let e = error("openai may host api from 2030-01-01 +");
    assert_eq!(
        e.message,
        "expected a duration like `30 days`, found end of file"
    );
    let e = error("openai");
    assert_eq!(
        e.message,
        "expected `holds`, `may`, `must` or `:`, found end of file"
    );
    let e = error("let x = 1 +");
    assert_eq!(e.message, "expected a value, found end of file");
    let e = error("scenario s { expect at 2030-01-01 { status x is done } }");
    assert!(e.message.starts_with(
        "expected a status (`inactive`, `pending`, `fulfilled` or `violated`), found `done`"
    ));
}

#[test]
fn query_errors_name_the_end_of_the_query() {
    let e = query_error("may a b c d");
    assert_eq!(
        e.message,
        "expected `on`, `to`, `with` or the end of the query, found `d`"
    );
    let e = query_error("");
    assert_eq!(e.message, "expected a query, found end of file");
    let e = query_error("stake_value / stake ==");
    assert_eq!(e.message, "expected a value, found end of file");
}

#[test]
fn nesting_at_the_limit_parses_everywhere() {
    let open = "(".repeat(64);
    let close = ")".repeat(64);
    clause(&format!(
        "microsoft holds x until {open}a or 2030-01-01{close}"
    ));
    clause(&format!("microsoft holds x when {open}a > 5{close}"));
    // Two braces (scenario, expect) leave 62 parentheses.
    let open = "(".repeat(62);
    let close = ")".repeat(62);
    one_item(&format!(
        "scenario s {{ expect at 2030-01-01 {{ {open}a - b{close} > 0 }} }}"
    ));
}

#[test]
fn not_in_an_expect_block_negates_a_query_or_an_expression() {
    let ItemKind::Scenario(s) =
        one_item("scenario s { expect at 2030-01-01 {\n not may a b c\n not profits_reached\n } }")
    else {
        panic!()
    };
    let ScenarioLine::Expect(block) = &s.lines[0] else {
        panic!()
    };
    assert!(matches!(
        &block.lines[0].kind,
        ExpectKind::No(Query::May(_))
    ));
    assert!(
        matches!(&block.lines[1].kind, ExpectKind::Expr(e) if matches!(e.kind, ExprKind::Unary { op: UnaryOp::Not, .. }))
    );
}

/// The project's examples and corpus: everything parses, except the files
/// named after `syntax` and `limit`, which fail with exactly that code.
#[test]
fn examples_and_corpus_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for dir in ["examples", "tests/corpus/ok", "tests/corpus/err"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "deal") {
                continue;
            }
            seen += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let code = stem.split('.').next().unwrap_or("");
            let result = parse_file(&SourceFile::new(path.display().to_string(), text));
            match (code, result) {
                ("syntax", Err(ds)) => assert!(
                    ds.iter().all(|d| d.code == Code::Syntax),
                    "{path:?}: {ds:#?}"
                ),
                ("limit", Err(ds)) => assert!(
                    ds.iter().all(|d| d.code == Code::Limit),
                    "{path:?}: {ds:#?}"
                ),
                ("syntax" | "limit", Ok(_)) => panic!("{path:?} should not parse"),
                (_, Err(ds)) => panic!("{path:?} should parse: {ds:#?}"),
                (_, Ok(_)) => {}
            }
        }
    }
    assert!(seen > 0);
}

#[test]
fn number_value_reads_numbers_as_the_grammar_does() {
    assert_eq!(number_value("1_000", 0), Decimal::parse("1000"));
    assert_eq!(number_value("27", -2), Decimal::parse("0.27"));
    assert_eq!(number_value("1.5e3", 6), Decimal::parse("1500000000"));
    for not_a_number in ["1.", "1e", "-1", ".5", "1.2.3", "", "1 000"] {
        assert_eq!(number_value(not_a_number, 0), None, "{not_a_number}");
    }
}

// ---------------------------------------------------------------- the fast path

/// Every `.deal` file under `dir`, recursively, in a stable order.
fn deal_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            deal_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "deal") {
            out.push(path);
        }
    }
}

/// The fast path (`file_fast`) either gives exactly the items `file` gives
/// or gives none and leaves the text to `file`: over every contract of the
/// test corpora and the examples, valid or not.
#[test]
fn the_fast_path_reads_every_corpus_file_as_file_does() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    deal_files(&root.join("tests"), &mut files);
    deal_files(&root.join("examples"), &mut files);
    assert!(files.len() > 50, "{}", files.len());
    let mut taken = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(scanned) = prescan::prescan(&text) else {
            continue;
        };
        if let Some(fast) = fast_items(&text, &scanned.comments) {
            taken += 1;
            let slow = items(&text, &scanned.comments).unwrap_or_else(|_| {
                panic!("{}: the fast path read text `file` refuses", path.display())
            });
            assert_eq!(fast, slow, "{}", path.display());
        }
    }
    assert!(taken * 2 > files.len(), "{taken} of {}", files.len());
}

/// A reserved word where the fast path reads a name without the keyword
/// check: the fast path gives up, and the error is the one `file` gives.
#[test]
fn a_reserved_word_as_a_name_leaves_the_fast_path() {
    let decls = "party p\nparty q\nasset x\naction act\nevent e\nlet v = 1\n";
    for clause in [
        "may: p may act x",
        "on may act x",
        "p may until x",
        "p may act when",
        "p may act x on until",
        "p may act x to with",
        "p may act x with to",
        "p may act x notwithstanding on",
        "p may act x when never",
        "p may act x until and",
        "p may act x from e or until",
        "p holds no of",
        "p may act x when v > by",
    ] {
        let text = format!("{decls}{clause}\n");
        assert!(fast_items(&text, &[]).is_none(), "{clause}");
        let error = error(&text);
        let Err(slow) = items(&text, &[]) else {
            panic!("{clause}: `file` reads it")
        };
        assert_eq!(Some(&error), slow.diagnostics.first(), "{clause}");
    }
}

/// Names that merely start or end like a keyword stay on the fast path.
#[test]
fn names_like_keywords_stay_on_the_fast_path() {
    let text = "party mayor\nparty onward\nasset tox\naction order\nevent until_e\n\
                fact isa: bool = true\n\
                onward_deal: mayor may order tox on onward with onward to mayor \
                until until_e when isa and not isa_not notwithstanding onward_deal\n";
    let fast = fast_items(text, &[]).expect("the fast path reads it");
    assert_eq!(Ok(fast), items(text, &[]).map_err(|f| f.diagnostics));
}
