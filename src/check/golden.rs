//! One small golden test per diagnostic code (and then some): real `.deal`
//! text through the parser and the checker, asserting the code, the message,
//! the text under the primary label and the help.

use super::{check, check_query, fact_type, type_of};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::syntax::{parse_file, parse_query};
use crate::types::Type;

/// Declarations most tests build on.
const PRELUDE: &str = "\
party microsoft
party openai
party panel
event agi_declared by openai
event agi_verified by panel after agi_declared
asset api
asset non_api
group products = api, non_api
venue azure
venue aws
venue gcp
group clouds = azure, aws, gcp
action host
action purchase
unit flop
let stake = 27%
let stake_value = $135B
fact revenue: money
fact costs: money
fact training_compute: flop
fact compute_threshold: flop
fact safe: bool = false
";

struct Run {
    source: SourceFile,
    diagnostics: Vec<Diagnostic>,
}

impl Run {
    fn new(text: &str) -> Run {
        let source = SourceFile::new("test.deal", text);
        let file = match parse_file(&source) {
            Ok(file) => file,
            Err(errors) => panic!("test input does not parse: {errors:#?}\n{text}"),
        };
        let diagnostics = check(&source, &file).diagnostics;
        Run { source, diagnostics }
    }

    /// The prelude plus some lines.
    fn with(lines: &str) -> Run {
        Run::new(&format!("{PRELUDE}{lines}"))
    }

    fn codes(&self) -> Vec<Code> {
        self.diagnostics.iter().map(|d| d.code).collect()
    }

    /// The only diagnostic, which must have this code.
    fn only(&self, code: Code) -> &Diagnostic {
        assert_eq!(self.codes(), vec![code], "{:#?}", self.diagnostics);
        &self.diagnostics[0]
    }

    /// The text under each label of a diagnostic, primary first.
    fn labelled<'a>(&'a self, d: &Diagnostic) -> Vec<(&'a str, String)> {
        d.labels
            .iter()
            .map(|l| (self.source.slice(l.span), l.message.clone()))
            .collect()
    }

    fn line_of(&self, d: &Diagnostic) -> usize {
        self.source.line_col(d.primary_span().start).0
    }
}

fn prelude_lines() -> usize {
    PRELUDE.lines().count()
}

#[test]
fn the_prelude_is_clean() {
    assert_eq!(Run::new(PRELUDE).diagnostics, vec![]);
}

#[test]
fn the_examples_are_clean() {
    for path in ["examples/msft_openai_2025.deal", "examples/msft_openai_2019.deal"] {
        let text = std::fs::read_to_string(path).unwrap();
        let run = Run::new(&text);
        assert_eq!(run.diagnostics, vec![], "{path}");
    }
}

// ---------------------------------------------------------------- unknown-name

#[test]
fn unknown_name() {
    let run = Run::with("openai may host api on azur\n");
    let d = run.only(Code::UnknownName);
    assert_eq!(d.message, "`azur` is not declared");
    assert_eq!(run.labelled(d), vec![("azur", "not declared".to_string())]);
    assert_eq!(d.help.as_deref(), Some("did you mean `azure`?"));
    assert_eq!(run.line_of(d), prelude_lines() + 1);
}

#[test]
fn unknown_names_suggest_only_the_expected_kind() {
    // `aws` is a venue; the object is an asset, so `api` is suggested.
    let run = Run::with("openai may host apj on aws\n");
    assert_eq!(run.only(Code::UnknownName).help.as_deref(), Some("did you mean `api`?"));
    // Nothing close: the help says how to declare it.
    let run = Run::with("openai may host api on oracle_cloud\n");
    assert_eq!(
        run.only(Code::UnknownName).help.as_deref(),
        Some("declare it: `venue oracle_cloud`")
    );
}

#[test]
fn every_unknown_name_is_reported() {
    let run = Run::new(
        "event e by nobody after nothing\n\
         group g = missing\n\
         fact f: furlongs\n\
         let l = ghost + 1\n\
         c: someone may act thing on place to who when phantom\n\
         scenario s {\n  unknown_event on 2030-01-01\n  unknown_fact = 3\n  expect at 2030-01-01 {\n    may x y z\n  }\n}\n\
         assert a: always holds p q until r\n",
    );
    let unknown: Vec<&str> = run
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.code, Code::UnknownName, "{d:#?}");
            run.source.slice(d.primary_span())
        })
        .collect();
    assert_eq!(
        unknown,
        vec![
            "nobody",
            "nothing",
            "missing",
            "furlongs",
            "ghost",
            "someone",
            "act",
            "thing",
            "place",
            "who",
            "phantom",
            "unknown_event",
            "unknown_fact",
            "x",
            "y",
            "z",
            "p",
            "q",
            "r"
        ]
    );
}

// ---------------------------------------------------------------- duplicate-name

#[test]
fn duplicate_name() {
    let run = Run::with("asset azure\n");
    let d = run.only(Code::DuplicateName);
    assert_eq!(d.message, "`azure` is declared twice (as a venue and as an asset)");
    assert_eq!(
        run.labelled(d),
        vec![
            ("azure", "declared again here".to_string()),
            ("azure", "first declared here".to_string())
        ]
    );
    assert_eq!(run.line_of(d), prelude_lines() + 1);
    assert!(d.labels[1].span.start < d.labels[0].span.start);
}

#[test]
fn duplicate_labels_share_one_namespace_with_assertions() {
    let run = Run::with("x: openai may host api\nassert x: always may openai host api\n");
    let d = run.only(Code::DuplicateName);
    assert_eq!(d.message, "label `x` is used twice (by a clause and by an assertion)");
    // Labels and names are separate namespaces.
    assert_eq!(Run::with("api: openai may host api\n").diagnostics, vec![]);
}

#[test]
fn reserved_labels_and_predeclared_names() {
    let run = Run::with("clause_7: openai may host api\n");
    let d = run.only(Code::DuplicateName);
    assert_eq!(d.message, "`clause_7` is a reserved label");
    assert!(d.help.as_deref().unwrap().contains("clause_<line>"));

    let run = Run::with("party anyone\n");
    let d = run.only(Code::DuplicateName);
    assert_eq!(d.message, "`anyone` is predeclared");
    assert_eq!(run.labelled(d)[0].0, "anyone");
}

#[test]
fn effective_and_title_at_most_once() {
    let run = Run::new("deal \"a\"\neffective 2025-01-01\ndeal \"b\"\neffective 2026-01-01\n");
    assert_eq!(run.codes(), vec![Code::DuplicateName, Code::DuplicateName]);
    assert_eq!(run.diagnostics[0].message, "the `deal` title is given twice");
    assert_eq!(run.labelled(&run.diagnostics[0])[0].0, "\"b\"");
    assert_eq!(run.diagnostics[1].message, "`effective` is given twice");
    assert_eq!(
        run.labelled(&run.diagnostics[1]),
        vec![
            ("2026-01-01", "given again here".to_string()),
            ("2025-01-01", "first given here".to_string())
        ]
    );
}

#[test]
fn duplicate_scenarios() {
    let run = Run::with("scenario s {\n}\nscenario s {\n}\n");
    assert_eq!(run.only(Code::DuplicateName).message, "scenario `s` is declared twice");
}

// ---------------------------------------------------------------- wrong-kind

#[test]
fn wrong_kind() {
    let run = Run::with("openai may host azure\n");
    let d = run.only(Code::WrongKind);
    assert_eq!(d.message, "`azure` is a venue, but an asset is expected here");
    assert_eq!(run.labelled(d), vec![("azure", "a venue".to_string())]);
}

#[test]
fn wrong_kind_in_every_position() {
    let cases = [
        ("azure may host api\n", "`azure` is a venue, but a party is expected here"),
        ("openai may api api\n", "`api` is an asset, but an action is expected here"),
        ("openai may host api on openai\n", "`openai` is a party, but a venue is expected here"),
        ("openai may host api to azure\n", "`azure` is a venue, but a party is expected here"),
        ("openai may host api with clouds\n", "`clouds` is a group of venues, but a party is expected here"),
        ("openai may host clouds\n", "`clouds` is a group of venues, but an asset is expected here"),
        ("microsoft holds openai\n", "`openai` is a party, but an asset is expected here"),
        ("microsoft holds 27% of azure\n", "`azure` is a venue, but an asset or a party is expected here"),
        ("openai may host api until api\n", "`api` is an asset, but an event or a date is expected here"),
        ("openai may host api until revenue\n", "`revenue` is a fact, but an event or a date is expected here"),
        ("openai may host api when api\n", "`api` is an asset, but a value (a `let`, a fact or an event) is expected here"),
        ("event e after panel\n", "`panel` is a party, but an event is expected here"),
        ("event e by azure\n", "`azure` is a venue, but a party is expected here"),
        ("fact f: azure\n", "`azure` is a venue, but a unit is expected here"),
        ("let l = 5 azure\n", "`azure` is a venue, but a unit is expected here"),
    ];
    for (line, message) in cases {
        let run = Run::with(line);
        assert_eq!(run.only(Code::WrongKind).message, message, "{line}");
    }
}

#[test]
fn wrong_kind_helps() {
    let run = Run::with("openai may host api from microsoft\n");
    assert_eq!(run.only(Code::WrongKind).help.as_deref(), Some("did you mean `with microsoft`?"));
    let run = Run::with("microsoft holds api through agi_verified\n");
    let d = run.only(Code::WrongKind);
    assert_eq!(d.message, "`agi_verified` is an event, but a date is expected here");
    assert_eq!(d.help.as_deref(), Some("use `until` for an event"));
    let run = Run::with("microsoft holds openai\n");
    assert_eq!(
        run.only(Code::WrongKind).help.as_deref(),
        Some("a party is held as a stake: give a percent, e.g. `27% of openai`")
    );
}

#[test]
fn groups_and_wildcards_in_clauses() {
    let run = Run::with(
        "anyone may host products on clouds to anyone\n\
         openai may host api on anywhere with microsoft\n\
         group owners = microsoft, openai\n\
         owners holds api\n\
         group acts = host, purchase\n\
         openai must acts api\n",
    );
    assert_eq!(run.diagnostics, vec![]);
}

#[test]
fn group_members_are_of_one_kind() {
    let run = Run::with("group mixed = api, azure, openai\n");
    let d = run.only(Code::WrongKind);
    assert_eq!(d.message, "`azure` is a venue, but `mixed` is a group of assets");
    assert_eq!(
        run.labelled(d),
        vec![
            ("azure", "a venue".to_string()),
            ("api", "`api` makes it a group of assets".to_string())
        ]
    );
    let run = Run::with("group values = stake\n");
    assert_eq!(
        run.only(Code::WrongKind).message,
        "`stake` is a `let` value, but a party, event, asset, venue or action is expected here"
    );
}

#[test]
fn status_needs_an_obligation() {
    let run = Run::with(
        "x: openai may host api\n\
         scenario s {\n  expect at 2030-01-01 {\n    status x is pending\n  }\n}\n",
    );
    let d = run.only(Code::WrongKind);
    assert_eq!(d.message, "`x` is a `may` clause, but `status` needs a `must` clause");
    assert_eq!(run.labelled(d)[0].0, "x");
}

// ---------------------------------------------------------------- queries

#[test]
fn queries_name_one_member() {
    let run = Run::with(
        "scenario s {\n  expect at 2030-01-01 {\n    may openai host products on clouds\n  }\n}\n",
    );
    assert_eq!(run.codes(), vec![Code::WrongKind, Code::WrongKind]);
    let d = &run.diagnostics[0];
    assert_eq!(d.message, "`products` is a group, but a query names one member");
    assert_eq!(d.help.as_deref(), Some("name one of its members, e.g. `api`"));
    assert_eq!(run.diagnostics[1].message, "`clouds` is a group, but a query names one member");
}

#[test]
fn a_standalone_query_is_checked_against_the_contract() {
    let contract = SourceFile::new("c.deal", PRELUDE);
    let file = parse_file(&contract).unwrap();
    let checked = check(&contract, &file);
    let query_source = SourceFile::new("query", "may openai host api on clouds");
    let query = parse_query(&query_source).unwrap();
    let diagnostics = check_query(&checked.symbols, &file, &query);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::WrongKind);
    // The span points into the query's own text.
    assert_eq!(query_source.slice(diagnostics[0].primary_span()), "clouds");

    let query_source = SourceFile::new("query", "stake_value / stake");
    let query = parse_query(&query_source).unwrap();
    assert_eq!(check_query(&checked.symbols, &file, &query), vec![]);

    let query_source = SourceFile::new("query", "holds microsoft openai");
    let query = parse_query(&query_source).unwrap();
    assert_eq!(check_query(&checked.symbols, &file, &query), vec![], "a stake query");

    let query_source = SourceFile::new("query", "stake + revenue");
    let query = parse_query(&query_source).unwrap();
    let diagnostics = check_query(&checked.symbols, &file, &query);
    assert_eq!(diagnostics[0].code, Code::TypeMismatch);
    assert_eq!(query_source.slice(diagnostics[0].primary_span()), "stake");
}

#[test]
fn types_of_expressions_and_facts() {
    let contract = SourceFile::new("c.deal", PRELUDE);
    let file = parse_file(&contract).unwrap();
    let symbols = check(&contract, &file).symbols;
    let expr = |text: &str| match parse_query(&SourceFile::new("q", text)).unwrap() {
        crate::ast::Query::Expr(e) => e,
        other => panic!("not an expression: {other:?}"),
    };
    assert_eq!(type_of(&symbols, &file, &expr("stake_value / stake")), Some(Type::Money));
    assert_eq!(type_of(&symbols, &file, &expr("5e26 flop")), Some(Type::Unit("flop".into())));
    assert_eq!(type_of(&symbols, &file, &expr("agi_verified")), Some(Type::Bool));
    assert_eq!(type_of(&symbols, &file, &expr("stake + $1")), None);
    assert_eq!(fact_type(&symbols, &file, "training_compute"), Some(Type::Unit("flop".into())));
    assert_eq!(fact_type(&symbols, &file, "safe"), Some(Type::Bool));
    assert_eq!(fact_type(&symbols, &file, "stake"), None);
}

// ---------------------------------------------------------------- type-mismatch

#[test]
fn type_mismatch() {
    let run = Run::with("let bad = stake_value + stake\n");
    let d = run.only(Code::TypeMismatch);
    assert_eq!(d.message, "cannot add money and percent");
    assert_eq!(
        run.labelled(d),
        vec![
            ("stake_value", "this is money".to_string()),
            ("stake", "this is percent".to_string())
        ]
    );
}

#[test]
fn type_mismatches_everywhere() {
    let cases = [
        ("let a = revenue > 5\n", "cannot compare money with a number"),
        ("let a = 2030-01-01 + 5\n", "cannot add a date and a number"),
        ("let a = training_compute + 5e26\n", "cannot add flop and a number"),
        ("let a = -safe\n", "cannot negate a bool"),
        ("let a = not revenue\n", "`not` needs a bool, but this is money"),
        ("let a = safe and revenue\n", "`and` needs two bools, but got a bool and money"),
        ("let a = stake / revenue\n", "cannot divide percent by money"),
        ("openai may host api when revenue\n", "a condition must be a bool, but this is money"),
        ("fact f: money = 27%\n", "`f` is money, but its default is percent"),
        ("openai must purchase 27% of api\n", "an obligation's quantity is money, a number or a unit, but this is percent"),
        ("microsoft holds $5B of openai\n", "a stake in `openai` is a percent, but this is money"),
        ("openai may host api until stake\n", "`stake` is percent, but a date is expected here"),
        ("scenario s {\n  expect at 2030-01-01 {\n    stake_value\n  }\n}\n", "an expectation must be a bool, but this is money"),
    ];
    for (line, message) in cases {
        let run = Run::with(line);
        assert_eq!(run.only(Code::TypeMismatch).message, message, "{line}");
    }
}

#[test]
fn well_typed_expressions() {
    let run = Run::with(
        "let a = stake_value / stake\n\
         let b = stake_value * stake + $1\n\
         let c = 2030-01-01 + 3 months - 2030-01-01\n\
         let d = c * 2 + 1 week\n\
         let e = training_compute / compute_threshold * 2\n\
         let f = (a == $500B) and not safe or agi_verified\n\
         let g = -stake_value\n\
         fact h: percent = 5%\n\
         openai must purchase $250B of api by agi_verified + 30 days\n\
         openai must purchase 5e26 flop of api\n\
         microsoft holds 27% of openai\n\
         microsoft holds stake of openai\n",
    );
    assert_eq!(run.diagnostics, vec![]);
}

#[test]
fn let_values_may_come_in_any_order() {
    let run = Run::with("let z = y * 2\nlet y = x + $1\nlet x = $5\nlet w = z > $1\n");
    assert_eq!(run.diagnostics, vec![]);
}

// ---------------------------------------------------------------- undecidable

#[test]
fn undecidable() {
    let run = Run::with("openai may host api when revenue * 2 > costs\n");
    let d = run.only(Code::Undecidable);
    assert_eq!(d.message, "a condition compares a value computed from a fact");
    assert_eq!(run.labelled(d), vec![("revenue * 2", "arithmetic on a fact".to_string())]);
    assert!(d.help.as_deref().unwrap().contains("introduce a fact"));
}

#[test]
fn decidable_conditions() {
    let run = Run::with(
        "let threshold = $100B * 2\n\
         let flag = true\n\
         openai may host api when training_compute > compute_threshold\n\
         openai may host api when revenue >= $100B and not safe\n\
         openai may host api when (revenue > threshold or agi_verified) and flag\n\
         openai may host api unless revenue < $1B * 3\n\
         assert a: always may openai host api when safe unless revenue > costs\n",
    );
    assert_eq!(run.diagnostics, vec![]);
}

#[test]
fn undecidable_conditions() {
    let cases = [
        ("let r = revenue * 2\nopenai may host api when r > costs\n", "r"),
        ("let big = revenue > $1B\nopenai may host api when big\n", "big"),
        ("openai may host api when agi_verified == true\n", "agi_verified"),
        ("openai may host api unless -revenue < costs\n", "-revenue"),
        ("assert a: always may openai host api when revenue + costs > $1B\n", "revenue + costs"),
    ];
    for (lines, under) in cases {
        let run = Run::with(lines);
        let d = run.only(Code::Undecidable);
        assert_eq!(run.labelled(d)[0].0, under, "{lines}");
    }
}

#[test]
fn fact_defaults_are_constants() {
    let run = Run::with("fact later: money = revenue\n");
    assert_eq!(run.only(Code::Undecidable).message, "the default of `later` depends on the scenario");
}

// ---------------------------------------------------------------- event-cycle

#[test]
fn event_cycle() {
    let run = Run::new("party p\nevent a by p after b\nevent b by p after a\n");
    let d = run.only(Code::EventCycle);
    assert_eq!(d.message, "`after` forms a cycle: a → b → a");
    assert_eq!(
        run.labelled(d),
        vec![
            ("b", "`a` is after `b`".to_string()),
            ("a", "`b` is after `a`".to_string())
        ]
    );
}

#[test]
fn each_event_cycle_is_reported_once() {
    let run = Run::new("event a after a\nevent b after c\nevent c after d\nevent d after b\nevent e after d\n");
    let messages: Vec<&str> = run.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        vec!["`after` forms a cycle: a → a", "`after` forms a cycle: b → c → d → b"]
    );
}

// ---------------------------------------------------------------- unknown-clause

#[test]
fn unknown_clause() {
    let run = Run::with("api_exclusive: exclusive api on azure\nx: openai may host api notwithstanding api_exclusiv\n");
    let d = run.only(Code::UnknownClause);
    assert_eq!(d.message, "no clause is labelled `api_exclusiv`");
    assert_eq!(run.labelled(d), vec![("api_exclusiv", "no such clause".to_string())]);
    assert_eq!(d.help.as_deref(), Some("did you mean `api_exclusive`?"));
}

#[test]
fn an_assertion_is_not_a_clause() {
    let run = Run::with("assert a: always may openai host api\nopenai may host api notwithstanding a\n");
    assert_eq!(run.only(Code::UnknownClause).message, "`a` is an assertion, not a clause");
    let run = Run::with("scenario s {\n  expect at 2030-01-01 {\n    status nothing is pending\n  }\n}\n");
    assert_eq!(run.only(Code::UnknownClause).message, "no clause is labelled `nothing`");
}

// ---------------------------------------------------------------- exception-cycle

#[test]
fn exception_cycle() {
    let run = Run::with("a: openai may host api notwithstanding b\nb: openai must not host api notwithstanding a\n");
    let d = run.only(Code::ExceptionCycle);
    assert_eq!(d.message, "`notwithstanding` forms a cycle: a → b → a");
    assert_eq!(run.labelled(d)[0], ("b", "`a` is an exception to `b`".to_string()));

    let run = Run::with("a: openai may host api notwithstanding a\n");
    let d = run.only(Code::ExceptionCycle);
    assert_eq!(d.message, "clause `a` is an exception to itself");
}

// ---------------------------------------------------------------- bad-scenario

#[test]
fn bad_scenario_order() {
    let run = Run::with("scenario s {\n  agi_declared on 2028-03-01\n  agi_verified on 2028-01-01\n}\n");
    let d = run.only(Code::BadScenario);
    assert_eq!(
        d.message,
        "`agi_verified` on 2028-01-01 is before `agi_declared` on 2028-03-01, but it can only happen after it"
    );
    assert_eq!(
        run.labelled(d),
        vec![
            ("agi_verified", "placed too early".to_string()),
            ("agi_declared", "`agi_declared` happens here".to_string())
        ]
    );
    // The same day is fine.
    let run = Run::with("scenario s {\n  agi_declared on 2028-03-01\n  agi_verified on 2028-03-01\n}\n");
    assert_eq!(run.diagnostics, vec![]);
}

#[test]
fn bad_scenario_missing_prerequisite() {
    let run = Run::with("scenario s {\n  agi_verified on 2028-01-01\n}\n");
    let d = run.only(Code::BadScenario);
    assert_eq!(
        d.message,
        "`agi_verified` happens on 2028-01-01, but `agi_declared`, which it must come after, never happens in this scenario"
    );
}

#[test]
fn bad_scenario_twice_and_wrong_type() {
    let run = Run::with(
        "scenario s {\n  agi_declared on 2028-03-01\n  agi_declared on 2028-04-01\n  revenue = $1B\n  revenue = $2B\n  costs = 5%\n  training_compute = revenue\n}\n",
    );
    let messages: Vec<(Code, &str)> = run.diagnostics.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(
        messages,
        vec![
            (Code::BadScenario, "`agi_declared` is placed twice in scenario `s`"),
            (Code::BadScenario, "`revenue` is given twice in scenario `s`"),
            (Code::BadScenario, "`costs` is money, but this value is percent"),
            (Code::BadScenario, "`training_compute` is flop, but this value is money"),
        ]
    );
    assert_eq!(run.labelled(&run.diagnostics[0])[1].1, "first placed here");
}

#[test]
fn bad_scenario_records() {
    let run = Run::with(
        "scenario s {\n  openai purchase $40B of clouds with microsoft on 2026-06-30\n  openai purchase 5% of api on 2026-06-30\n}\n",
    );
    assert_eq!(run.codes(), vec![Code::WrongKind, Code::TypeMismatch]);
    assert_eq!(run.diagnostics[0].message, "`clouds` is a group of venues, but an asset is expected here");
}

// ---------------------------------------------------------------- assertions

#[test]
fn assertions_are_checked_like_queries() {
    let run = Run::with("assert a: always may openai host products on gcp through agi_verified\n");
    assert_eq!(run.codes(), vec![Code::WrongKind, Code::WrongKind]);
    assert_eq!(run.diagnostics[0].message, "`products` is a group, but a query names one member");
    assert_eq!(run.diagnostics[1].help.as_deref(), Some("use `until` for an event"));
}

// ---------------------------------------------------------------- let-cycle, group-cycle

#[test]
fn let_cycle() {
    let run = Run::new("let a = b + 1\nlet b = a * 2\nlet c = a\n");
    let d = run.only(Code::LetCycle);
    assert_eq!(d.message, "`let` values form a cycle: a → b → a");
    assert_eq!(
        run.labelled(d),
        vec![("b", "uses `b`".to_string()), ("a", "uses `a`".to_string())]
    );
    let run = Run::new("let a = a\n");
    assert_eq!(run.only(Code::LetCycle).message, "`a` is defined in terms of itself");
}

#[test]
fn group_cycle() {
    let run = Run::new("asset x\ngroup a = x, b\ngroup b = a\n");
    let d = run.only(Code::GroupCycle);
    assert_eq!(d.message, "a group contains itself: a → b → a");
}

// ---------------------------------------------------------------- all at once

#[test]
fn every_problem_in_one_run_sorted() {
    let run = Run::with(
        "asset api\n\
         openai may host azure\n\
         let bad = stake + $1\n\
         openai may host api when revenue * 2 > costs\n\
         x: openai may host api notwithstanding nope\n",
    );
    assert_eq!(
        run.codes(),
        vec![
            Code::DuplicateName,
            Code::WrongKind,
            Code::TypeMismatch,
            Code::Undecidable,
            Code::UnknownClause
        ]
    );
}
