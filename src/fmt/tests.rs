//! Printer tests on trees built by hand (no parser involved): every form of
//! expression, time, query and clause. Whole-file layout is tested from text
//! in `layout_tests` and `tests/fmt.rs`.

use super::*;
use crate::ast::*;
use crate::decimal::Decimal;
use crate::source::Span;
use chrono::NaiveDate;

fn name(text: &str) -> Name {
    Name::new(text, Span::default())
}

fn e(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn var(text: &str) -> Expr {
    e(ExprKind::Name(name(text)))
}

fn number(text: &str) -> Expr {
    let value = Decimal::parse(&text.replace('_', "")).unwrap();
    e(ExprKind::Literal(Literal::Number {
        value,
        text: text.to_string(),
    }))
}

fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    e(ExprKind::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    })
}

fn un(op: UnaryOp, operand: Expr) -> Expr {
    e(ExprKind::Unary {
        op,
        operand: Box::new(operand),
    })
}

fn paren(inner: Expr) -> Expr {
    e(ExprKind::Paren(Box::new(inner)))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn t(kind: TimeKind) -> TimeExpr {
    TimeExpr {
        kind,
        span: Span::default(),
    }
}

fn dur(amount: u32, unit: DurationUnit) -> DurationLit {
    DurationLit {
        amount,
        unit,
        span: Span::default(),
    }
}

#[test]
fn literals_print_as_written() {
    let money = e(ExprKind::Literal(Literal::Money {
        value: Decimal::parse("135000000000").unwrap(),
        text: "$135B".into(),
    }));
    let percent = e(ExprKind::Literal(Literal::Percent {
        value: Decimal::parse("0.275").unwrap(),
        text: "27.5%".into(),
    }));
    let quantity = e(ExprKind::Literal(Literal::Quantity {
        value: Decimal::parse("5e26").unwrap(),
        text: "5e26".into(),
        unit: name("flop"),
    }));
    assert_eq!(format_expr(&money), "$135B");
    assert_eq!(format_expr(&percent), "27.5%");
    assert_eq!(format_expr(&quantity), "5e26 flop");
    assert_eq!(format_expr(&number("1_000")), "1_000");
    assert_eq!(
        format_expr(&e(ExprKind::Literal(Literal::Bool(true)))),
        "true"
    );
    assert_eq!(
        format_expr(&e(ExprKind::Literal(Literal::Bool(false)))),
        "false"
    );
    assert_eq!(
        format_expr(&e(ExprKind::Literal(Literal::Date(date(2030, 1, 5))))),
        "2030-01-05"
    );
}

#[test]
fn durations_use_the_singular_word_for_one() {
    let cases = [
        (1, DurationUnit::Day, "1 day"),
        (2, DurationUnit::Day, "2 days"),
        (1, DurationUnit::Week, "1 week"),
        (0, DurationUnit::Week, "0 weeks"),
        (1, DurationUnit::Month, "1 month"),
        (18, DurationUnit::Month, "18 months"),
        (1, DurationUnit::Year, "1 year"),
        (5, DurationUnit::Year, "5 years"),
    ];
    for (amount, unit, text) in cases {
        let literal = e(ExprKind::Literal(Literal::Duration(dur(amount, unit))));
        assert_eq!(format_expr(&literal), text);
    }
}

#[test]
fn strings_are_re_escaped() {
    let s = e(ExprKind::Literal(Literal::String(
        "a \"b\" \\ c\nd\te–f".into(),
    )));
    assert_eq!(format_expr(&s), r#""a \"b\" \\ c\nd\te–f""#);
}

#[test]
fn operators_and_written_parentheses() {
    let sum = bin(
        BinaryOp::Add,
        bin(BinaryOp::Add, var("a"), var("b")),
        var("c"),
    );
    assert_eq!(format_expr(&sum), "a + b + c");
    let grouped = bin(
        BinaryOp::Mul,
        paren(bin(BinaryOp::Sub, var("a"), var("b"))),
        var("c"),
    );
    assert_eq!(format_expr(&grouped), "(a - b) * c");
    // Parentheses the user wrote stay, even where they are not needed.
    let needless = bin(
        BinaryOp::Add,
        var("a"),
        paren(bin(BinaryOp::Mul, var("b"), var("c"))),
    );
    assert_eq!(format_expr(&needless), "a + (b * c)");
    let compare = bin(BinaryOp::Ge, var("revenue"), number("100"));
    assert_eq!(format_expr(&compare), "revenue >= 100");
    let logic = bin(
        BinaryOp::Or,
        bin(BinaryOp::And, var("a"), un(UnaryOp::Not, var("b"))),
        bin(BinaryOp::Lt, var("x"), un(UnaryOp::Neg, number("1"))),
    );
    assert_eq!(format_expr(&logic), "a and not b or x < -1");
    let not_compare = un(UnaryOp::Not, bin(BinaryOp::Eq, var("a"), var("b")));
    assert_eq!(format_expr(&not_compare), "not a == b");
    for op in [BinaryOp::Ne, BinaryOp::Le, BinaryOp::Gt, BinaryOp::Div] {
        let text = format_expr(&bin(op, var("x"), var("y")));
        assert_eq!(text, format!("x {} y", op.symbol()));
    }
}

#[test]
fn hand_built_trees_get_the_parentheses_precedence_needs() {
    let product = bin(
        BinaryOp::Mul,
        bin(BinaryOp::Add, var("a"), var("b")),
        var("c"),
    );
    assert_eq!(format_expr(&product), "(a + b) * c");
    let right_nested = bin(
        BinaryOp::Sub,
        var("a"),
        bin(BinaryOp::Sub, var("b"), var("c")),
    );
    assert_eq!(format_expr(&right_nested), "a - (b - c)");
    let chained = bin(
        BinaryOp::Lt,
        bin(BinaryOp::Lt, var("a"), var("b")),
        var("c"),
    );
    assert_eq!(format_expr(&chained), "(a < b) < c");
    let neg_sum = un(UnaryOp::Neg, bin(BinaryOp::Add, var("a"), var("b")));
    assert_eq!(format_expr(&neg_sum), "-(a + b)");
    let not_lhs = bin(BinaryOp::Eq, un(UnaryOp::Not, var("a")), var("b"));
    assert_eq!(format_expr(&not_lhs), "(not a) == b");
    let double = un(UnaryOp::Not, un(UnaryOp::Not, var("a")));
    assert_eq!(format_expr(&double), "not not a");
}

#[test]
fn long_chains_do_not_recurse() {
    let mut sum = var("x0");
    for i in 1..100_000 {
        sum = bin(BinaryOp::Add, sum, var(&format!("x{i}")));
    }
    let text = format_expr(&sum);
    assert!(text.starts_with("x0 + x1 + x2"));
    assert!(text.ends_with("+ x99999"));
    // Dropping a tree this deep recurses in the standard library; leak it in the test.
    std::mem::forget(sum);

    let mut time = t(TimeKind::Name(name("e0")));
    for i in 1..100_000 {
        time = t(TimeKind::Or(
            Box::new(time),
            Box::new(t(TimeKind::Name(name(&format!("e{i}"))))),
        ));
    }
    assert!(format_time(&time).ends_with("or e99999"));
    std::mem::forget(time);
}

#[test]
fn times() {
    let shifted = t(TimeKind::Shift {
        base: Box::new(t(TimeKind::Shift {
            base: Box::new(t(TimeKind::Date(date(2030, 1, 31)))),
            sign: Sign::Plus,
            duration: dur(1, DurationUnit::Month),
        })),
        sign: Sign::Minus,
        duration: dur(3, DurationUnit::Day),
    });
    assert_eq!(format_time(&shifted), "2030-01-31 + 1 month - 3 days");
    let either = t(TimeKind::Or(
        Box::new(t(TimeKind::Date(date(2031, 1, 1)))),
        Box::new(t(TimeKind::And(
            Box::new(t(TimeKind::Name(name("a")))),
            Box::new(t(TimeKind::Name(name("b")))),
        ))),
    ));
    assert_eq!(format_time(&either), "2031-01-01 or a and b");
    let grouped = t(TimeKind::Shift {
        base: Box::new(t(TimeKind::Paren(Box::new(t(TimeKind::Or(
            Box::new(t(TimeKind::Name(name("a")))),
            Box::new(t(TimeKind::Name(name("b")))),
        )))))),
        sign: Sign::Plus,
        duration: dur(2, DurationUnit::Week),
    });
    assert_eq!(format_time(&grouped), "(a or b) + 2 weeks");
    // A hand-built tree without the parentheses gets them.
    let bare = t(TimeKind::And(
        Box::new(t(TimeKind::Or(
            Box::new(t(TimeKind::Name(name("a")))),
            Box::new(t(TimeKind::Name(name("b")))),
        ))),
        Box::new(t(TimeKind::Name(name("c")))),
    ));
    assert_eq!(format_time(&bare), "(a or b) and c");
}

fn slots(on: Option<&str>, to: Option<&str>, with: Option<&str>) -> Slots {
    Slots {
        on: on.map(name),
        to: to.map(name),
        with: with.map(name),
    }
}

#[test]
fn queries() {
    let act = ActQuery {
        party: name("openai"),
        action: name("host"),
        object: name("api"),
        slots: slots(Some("gcp"), Some("us"), Some("microsoft")),
        span: Span::default(),
    };
    assert_eq!(
        format_query(&Query::May(act.clone())),
        "may openai host api on gcp to us with microsoft"
    );
    let bare = ActQuery {
        slots: Slots::default(),
        ..act
    };
    assert_eq!(format_query(&Query::Must(bare)), "must openai host api");
    let holds = HoldsQuery {
        party: name("microsoft"),
        object: name("model_ip"),
        slots: slots(None, None, Some("openai")),
        span: Span::default(),
    };
    assert_eq!(
        format_query(&Query::Holds(holds)),
        "holds microsoft model_ip with openai"
    );
    assert_eq!(
        format_query(&Query::Status(name("azure_commitment"))),
        "status azure_commitment"
    );
    let value = bin(BinaryOp::Div, var("stake_value"), var("stake"));
    assert_eq!(format_query(&Query::Expr(value)), "stake_value / stake");
}

fn object(quantity: Option<Expr>, asset: &str) -> Object {
    Object {
        quantity,
        name: name(asset),
        span: Span::default(),
    }
}

fn qualifier(kind: QualifierKind) -> Qualifier {
    Qualifier {
        kind,
        span: Span::default(),
    }
}

fn clause(label: Option<&str>, body: ClauseBody, qualifiers: Vec<QualifierKind>) -> Clause {
    Clause {
        label: label.map(name),
        body,
        qualifiers: qualifiers.into_iter().map(qualifier).collect(),
        span: Span::default(),
    }
}

#[test]
fn clause_bodies() {
    let act = |modality| ClauseBody::Act {
        modality,
        party: name("openai"),
        action: name("host"),
        object: object(None, "api"),
    };
    assert_eq!(
        format_clause(&clause(Some("a"), act(Modality::May), vec![])),
        "a: openai may host api"
    );
    assert_eq!(
        format_clause(&clause(None, act(Modality::Must), vec![])),
        "openai must host api"
    );
    assert_eq!(
        format_clause(&clause(None, act(Modality::MustNot), vec![])),
        "openai must not host api"
    );
    let holds = |negated, quantity| ClauseBody::Holds {
        negated,
        party: name("microsoft"),
        object: object(quantity, "openai"),
    };
    let stake = e(ExprKind::Literal(Literal::Percent {
        value: Decimal::parse("0.27").unwrap(),
        text: "27%".into(),
    }));
    assert_eq!(
        format_clause(&clause(Some("ms_stake"), holds(false, Some(stake)), vec![])),
        "ms_stake: microsoft holds 27% of openai"
    );
    let sum = bin(BinaryOp::Add, var("a"), var("b"));
    assert_eq!(
        format_clause(&clause(None, holds(false, Some(sum)), vec![])),
        "microsoft holds (a + b) of openai",
        "a quantity that is not an atom needs parentheses before `of`"
    );
    assert_eq!(
        format_clause(&clause(None, holds(true, None), vec![])),
        "microsoft holds no openai"
    );
    let exclusive = ClauseBody::Exclusive {
        object: object(None, "api"),
    };
    assert_eq!(
        format_clause(&clause(
            Some("api_exclusive"),
            exclusive,
            vec![
                QualifierKind::On(vec![name("azure")]),
                QualifierKind::Until(t(TimeKind::Name(name("agi_verified")))),
            ]
        )),
        "api_exclusive: exclusive api on azure until agi_verified"
    );
}

#[test]
fn every_qualifier() {
    let body = ClauseBody::Act {
        modality: Modality::Must,
        party: name("openai"),
        action: name("purchase"),
        object: object(
            Some(paren(bin(BinaryOp::Mul, var("base"), number("2")))),
            "azure_services",
        ),
    };
    let qualifiers = vec![
        QualifierKind::On(vec![name("azure"), name("aws")]),
        QualifierKind::To(vec![name("us_natsec")]),
        QualifierKind::With(vec![name("microsoft")]),
        QualifierKind::From(t(TimeKind::Date(date(2026, 1, 1)))),
        QualifierKind::Until(t(TimeKind::Name(name("agi")))),
        QualifierKind::Through(t(TimeKind::Date(date(2032, 12, 31)))),
        QualifierKind::By(t(TimeKind::Date(date(2030, 6, 30)))),
        QualifierKind::When(var("profits_reached")),
        QualifierKind::Unless(bin(BinaryOp::Gt, var("compute"), var("threshold"))),
        QualifierKind::Notwithstanding(vec![name("a"), name("b")]),
    ];
    assert_eq!(
        format_clause(&clause(Some("buy"), body, qualifiers)),
        "buy: openai must purchase (base * 2) of azure_services on azure, aws to us_natsec \
         with microsoft from 2026-01-01 until agi through 2032-12-31 by 2030-06-30 \
         when profits_reached unless compute > threshold notwithstanding a, b"
    );
}

// ---------------------------------------------------------------- whole files, from text

fn fmt_text(text: &str) -> String {
    let source = SourceFile::new("t.deal", text);
    format_source(&source).unwrap_or_else(|e| panic!("{e:?}\n{text}"))
}

#[test]
fn declarations() {
    let input = "deal \"T\"\neffective   2025-10-28\nparty  p \"P\"\nasset a\nvenue v\naction act\nunit flop \"FLOP\"\n\
                 event e \"E\"  by p after d ,f\ngroup g \"G\" = v,w\nlet x = ( 1 + 2 )*3\n\
                 fact f \"F\" : flop = 5e26   flop\nfact b: bool\n";
    let expected = "deal \"T\"\neffective 2025-10-28\nparty p \"P\"\nasset a\nvenue v\naction act\nunit flop \"FLOP\"\n\
                    event e \"E\" by p after d, f\ngroup g \"G\" = v, w\nlet x = (1 + 2) * 3\n\
                    fact f \"F\": flop = 5e26 flop\nfact b: bool\n";
    assert_eq!(fmt_text(input), expected);
}

#[test]
fn long_events_records_and_assertions_break_too() {
    let long = "a_rather_long_name_for_an_event_that_the_panel_verifies";
    let input = format!(
        "event {long} \"The expert panel verifies it\" by independent_panel after {long}_first\n\
         assert {long}: always may openai host api on azure from {long} until 2030-01-01\n\
         scenario s {{\n  openai purchase $40B of azure_services_for_a_long_time on azure to us_natsec with microsoft on 2026-06-30\n}}\n"
    );
    let expected = format!(
        "event {long} \"The expert panel verifies it\"\n  by independent_panel\n  after {long}_first\n\
         assert {long}: always may openai host api on azure\n  from {long}\n  until 2030-01-01\n\
         scenario s {{\n  openai purchase $40B of azure_services_for_a_long_time\n    on azure\n    to us_natsec\n    with microsoft\n    on 2026-06-30\n}}\n"
    );
    assert_eq!(fmt_text(&input), expected);
}

#[test]
fn a_piece_longer_than_a_line_stays_whole() {
    let condition = (0..30)
        .map(|i| format!("f{i}"))
        .collect::<Vec<_>>()
        .join(" and ");
    let input = format!("c: a may host x when {condition}\n");
    assert_eq!(
        fmt_text(&input),
        format!("c: a may host x\n  when {condition}\n")
    );
}

#[test]
fn comments_around_blocks() {
    let input = "scenario s { // opens\n\n  // first\n  e on 2028-01-01 // the event\n  expect at 2029-01-01 { // checks\n\n    may a host x\n    // last check\n\n  } // closes expect\n  // before the end\n} // closes scenario\n";
    let expected = "scenario s { // opens\n  // first\n  e on 2028-01-01 // the event\n  expect at 2029-01-01 { // checks\n    may a host x\n    // last check\n  } // closes expect\n  // before the end\n} // closes scenario\n";
    assert_eq!(fmt_text(input), expected);
    assert_eq!(fmt_text(expected), expected);
}

#[test]
fn blank_lines_between_comments_and_items_stay_single() {
    let input =
        "// header\n\n\n// section\n\nparty a\n\n\n\n/// Doc.\n\nparty b\nparty c\n\n// end\n";
    let expected = "// header\n\n// section\n\nparty a\n\n/// Doc.\nparty b\nparty c\n\n// end\n";
    assert_eq!(fmt_text(input), expected);
}

#[test]
fn comments_before_a_doc_comment_stay_before_it() {
    let input = "// plain\n/// Doc line one.\n///\n/// Line three.   \nparty a\n";
    let expected = "// plain\n/// Doc line one.\n///\n/// Line three.\nparty a\n";
    assert_eq!(fmt_text(input), expected);
}

#[test]
fn windows_line_endings_and_a_byte_order_mark() {
    let input = "\u{feff}party a // x\r\n\r\n\r\nasset b\r\n// y\r\n";
    assert_eq!(fmt_text(input), "party a // x\n\nasset b\n// y\n");
}

#[test]
fn durations_are_normalised_to_the_right_number() {
    let input = "let a = 2025-01-31 + 1 months\nc: p may host x until e + 1 days - 2 week\n";
    let expected = "let a = 2025-01-31 + 1 month\nc: p may host x until e + 1 day - 2 weeks\n";
    assert_eq!(fmt_text(input), expected);
}

#[test]
fn a_syntax_error_is_reported_not_formatted() {
    let source = SourceFile::new("t.deal", "party a\nc: a may host x on\n");
    match format_source(&source) {
        Err(FormatError::Syntax(diagnostics)) => {
            assert!(
                diagnostics
                    .iter()
                    .all(|d| d.code == crate::diagnostic::Code::Syntax)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn output_that_would_read_differently_is_refused() {
    // A `///` line inside an expression is a plain comment (code follows it).
    // Written above the next item it would become that item's doc comment;
    // the check catches it instead of changing the contract.
    let source = SourceFile::new("t.deal", "let x = 1\n/// stray\n  + 2\nparty p\n");
    assert_eq!(
        format_source(&source),
        Err(FormatError::Unfaithful {
            span: Span::new(26, 33)
        })
    );
}

#[test]
fn hand_built_files_print_without_source_text() {
    let clause = clause(
        Some("c"),
        ClauseBody::Exclusive {
            object: object(None, "api"),
        },
        vec![QualifierKind::On(vec![name("azure")])],
    );
    let file = File {
        items: vec![
            Item {
                doc: Some(Doc {
                    text: "Why.".into(),
                    span: Span::default(),
                }),
                kind: ItemKind::Clause(clause),
                span: Span::default(),
            },
            Item {
                doc: None,
                kind: ItemKind::Effective(Effective {
                    date: DateLit {
                        date: date(2025, 10, 28),
                        span: Span::default(),
                    },
                    end: None,
                    span: Span::default(),
                }),
                span: Span::default(),
            },
        ],
        comments: vec![],
    };
    let text = format_file(&SourceFile::new("x", ""), &file);
    assert_eq!(
        text,
        "/// Why.\nc: exclusive api on azure\neffective 2025-10-28\n"
    );
}
