//! One small golden test per diagnostic code (and then some): real `.deal`
//! text through the parser and the checker, asserting the code, the message,
//! the text under the primary label and the help.

use super::testing::{PRELUDE, Run, prelude_lines};
use super::{check, check_query, fact_type, type_of};
use crate::diagnostic::Code;
use crate::source::SourceFile;
use crate::syntax::{parse_file, parse_query};
use crate::types::Type;

#[test]
fn the_prelude_is_clean() {
    assert_eq!(Run::new(PRELUDE).diagnostics, vec![]);
}

#[test]
fn the_examples_and_the_spec_reference_are_clean() {
    for path in [
        "examples/msft_openai_2025.deal",
        "examples/msft_openai_2019.deal",
        "tests/corpus/ok/spec_reference.deal",
    ] {
        let text = std::fs::read_to_string(path).unwrap();
        let run = Run::new(&text);
        assert_eq!(run.diagnostics, vec![], "{path}");
    }
}

/// The corpus contracts that fail for other reasons (lints, evaluation)
/// have nothing statically wrong.
#[test]
fn the_corpus_of_other_codes_is_statically_clean() {
    for name in [
        "conflict",
        "dead-clause",
        "unused",
        "over-allocated",
        "needless-exception",
        "exclusive-clash",
        "expect-failed",
        "eval",
        "assertion-failed",
    ] {
        let path = format!("tests/corpus/err/{name}.deal");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(Run::new(&text).diagnostics, vec![], "{path}");
    }
}

/// The shared corpus has one failing contract per code; the static ones are
/// this module's, and each must fail with exactly its own code.
#[test]
fn the_corpus_fails_with_its_code() {
    for code in [
        Code::UnknownName,
        Code::DuplicateName,
        Code::WrongKind,
        Code::TypeMismatch,
        Code::Undecidable,
        Code::EventCycle,
        Code::UnknownClause,
        Code::ExceptionCycle,
        Code::BadScenario,
    ] {
        let path = format!("tests/corpus/err/{}.deal", code.name());
        let text = std::fs::read_to_string(&path).unwrap();
        let codes = Run::new(&text).codes();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| *c == code),
            "{path}: {codes:?}"
        );
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

// ---------------------------------------------------------------- duplicate-name

#[test]
fn duplicate_name() {
    let run = Run::with("asset azure\n");
    let d = run.only(Code::DuplicateName);
    assert_eq!(
        d.message,
        "`azure` is declared twice (as a venue and as an asset)"
    );
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

// ---------------------------------------------------------------- wrong-kind

#[test]
fn wrong_kind() {
    let run = Run::with("openai may host azure\n");
    let d = run.only(Code::WrongKind);
    assert_eq!(
        d.message,
        "`azure` is a venue, but an asset is expected here"
    );
    assert_eq!(run.labelled(d), vec![("azure", "a venue".to_string())]);
}

// ---------------------------------------------------------------- the public API for queries and types

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
    assert_eq!(
        check_query(&checked.symbols, &file, &query),
        vec![],
        "a stake query"
    );

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
    assert_eq!(
        type_of(&symbols, &file, &expr("stake_value / stake")),
        Some(Type::Money)
    );
    assert_eq!(
        type_of(&symbols, &file, &expr("5e26 flop")),
        Some(Type::Unit("flop".into()))
    );
    assert_eq!(
        type_of(&symbols, &file, &expr("agi_verified")),
        Some(Type::Bool)
    );
    assert_eq!(type_of(&symbols, &file, &expr("stake + $1")), None);
    assert_eq!(
        fact_type(&symbols, &file, "training_compute"),
        Some(Type::Unit("flop".into()))
    );
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

// ---------------------------------------------------------------- undecidable

#[test]
fn undecidable() {
    let run = Run::with("openai may host api when revenue * 2 > costs\n");
    let d = run.only(Code::Undecidable);
    assert_eq!(
        d.message,
        "a condition compares a value computed from a fact"
    );
    assert_eq!(
        run.labelled(d),
        vec![("revenue * 2", "arithmetic on a fact".to_string())]
    );
    assert!(d.help.as_deref().unwrap().contains("introduce a fact"));
}

// ---------------------------------------------------------------- event-cycle

#[test]
fn event_cycle() {
    let run = Run::new(
        "party openai\nparty panel\n\
         event agi_declared by openai after agi_verified\n\
         event agi_verified by panel after agi_declared\n",
    );
    let d = run.only(Code::EventCycle);
    // Spelled from the `after` that closes the cycle, reading from the top.
    assert_eq!(
        d.message,
        "`after` forms a cycle: agi_verified → agi_declared → agi_verified"
    );
    assert_eq!(
        run.labelled(d),
        vec![
            (
                "agi_declared",
                "`agi_verified` is after `agi_declared`".to_string()
            ),
            (
                "agi_verified",
                "`agi_declared` is after `agi_verified`".to_string()
            )
        ]
    );
    assert_eq!(run.line_of(d), 4);
}

// ---------------------------------------------------------------- unknown-clause

#[test]
fn unknown_clause() {
    let run = Run::with(
        "api_exclusive: exclusive api on azure\nx: openai may host api notwithstanding api_exclusiv\n",
    );
    let d = run.only(Code::UnknownClause);
    assert_eq!(d.message, "no clause is labelled `api_exclusiv`");
    assert_eq!(
        run.labelled(d),
        vec![("api_exclusiv", "no such clause".to_string())]
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `api_exclusive`?"));
}

#[test]
fn an_assertion_is_not_a_clause() {
    let run =
        Run::with("assert a: always may openai host api\nopenai may host api notwithstanding a\n");
    assert_eq!(
        run.only(Code::UnknownClause).message,
        "`a` is an assertion, not a clause"
    );
    let run = Run::with(
        "scenario s {\n  expect at 2030-01-01 {\n    status nothing is pending\n  }\n}\n",
    );
    assert_eq!(
        run.only(Code::UnknownClause).message,
        "no clause is labelled `nothing`"
    );
}

// ---------------------------------------------------------------- exception-cycle

#[test]
fn exception_cycle() {
    let run = Run::with(
        "a: openai may host api notwithstanding b\nb: openai must not host api notwithstanding a\n",
    );
    let d = run.only(Code::ExceptionCycle);
    assert_eq!(d.message, "`notwithstanding` forms a cycle: b → a → b");
    assert_eq!(
        run.labelled(d)[0],
        ("a", "`b` is an exception to `a`".to_string())
    );

    let run = Run::with("a: openai may host api notwithstanding a\n");
    let d = run.only(Code::ExceptionCycle);
    assert_eq!(d.message, "clause `a` is an exception to itself");
}

// ---------------------------------------------------------------- bad-scenario

#[test]
fn bad_scenario_order() {
    let run =
        Run::with("scenario s {\n  agi_declared on 2028-03-01\n  agi_verified on 2028-01-01\n}\n");
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
    let run =
        Run::with("scenario s {\n  agi_declared on 2028-03-01\n  agi_verified on 2028-03-01\n}\n");
    assert_eq!(run.diagnostics, vec![]);
}

// ---------------------------------------------------------------- let-cycle

#[test]
fn let_cycle() {
    let run = Run::new("let a = b + 1\nlet b = a * 2\nlet c = a\n");
    let d = run.only(Code::LetCycle);
    assert_eq!(d.message, "`let` values form a cycle: b → a → b");
    assert_eq!(
        run.labelled(d),
        vec![("a", "uses `a`".to_string()), ("b", "uses `b`".to_string())]
    );
    let run = Run::new("let a = a\n");
    assert_eq!(
        run.only(Code::LetCycle).message,
        "`a` is defined in terms of itself"
    );
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
