//! Properties over generated inputs, through the public API:
//! - `fmt` on generated contracts that check (declared names, well-typed
//!   conditions, real qualifiers) laid out in random ways, with comments:
//!   the formatted text parses to the same tree, formatting is a fixpoint,
//!   and the contract still means the same (the same diagnostics, the same
//!   answers to the same queries);
//! - the time algebra as the language evaluates it: `or` and `and` in a
//!   clause's `until` are min and max over event dates (commutative,
//!   associative, absorbing), and shifting by a duration is monotone;
//! - decimal arithmetic is exact for money and percent.
//!
//! The unit laws of `Time` and `Decimal` are tested in their modules; these
//! go through parsing, checking and evaluation as a user's contract does.

#[path = "../benches/common/mod.rs"]
mod generated;

use chrono::NaiveDate;
use deal::decimal::Decimal;
use deal::eval::{Contract, Outcome, Scenario, Time, Value, answer, window};
use deal::source::SourceFile;
use proptest::prelude::*;

fn load(text: &str) -> Contract {
    match deal::load(SourceFile::new("generated.deal", text)).contract() {
        Ok(contract) => contract,
        Err(diagnostics) => panic!("does not load: {diagnostics:#?}\n----\n{text}"),
    }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The answer to a query (or the error code it fails with), as text.
fn ask(contract: &Contract, scenario: &Scenario, query: &str, on: NaiveDate) -> String {
    let query = match deal::render::ask::parse_checked_query(contract, query) {
        Ok(query) => query,
        Err(report) => return format!("query error: {:?}", report.diagnostics),
    };
    match answer(contract, scenario, &query, on) {
        Ok(answer) => {
            let labels: Vec<&str> = answer
                .deciding
                .iter()
                .map(|&id| contract.clause_label(id))
                .collect();
            format!("{} {labels:?}", answer.outcome.display())
        }
        Err(error) => format!("error: {}", deal::diagnostic::Diagnostic::from(error).code),
    }
}

fn value_of(contract: &Contract, expression: &str) -> Value {
    let query = match deal::render::ask::parse_checked_query(contract, expression) {
        Ok(query) => query,
        Err(report) => panic!("`{expression}`: {:#?}", report.diagnostics),
    };
    match answer(contract, &Scenario::default(), &query, day("2030-01-01")) {
        Ok(answer) => match answer.outcome {
            Outcome::Value(value) => value,
            other => panic!("`{expression}` answered {other:?}"),
        },
        Err(diagnostic) => panic!("`{expression}`: {diagnostic:#?}"),
    }
}

#[test]
fn the_benchmark_contract_checks_clean() {
    let text = generated::contract(1_000);
    let diagnostics = deal::check_and_lint(&SourceFile::new("generated.deal", text.as_str()));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let contract = load(&text);
    let answered = ask(
        &contract,
        &Scenario::default(),
        &generated::may_query(62),
        day("2027-06-01"),
    );
    assert_eq!(answered, "unspecified []");
}

// ---------------------------------------------------------------- generated contracts

/// What every generated contract declares; clauses use only these names.
const HEADER: &str = "\
deal \"Generated\"
effective 2025-01-01
party a \"Party A\"
party b
party c
event e1 by a
event e2 by b after e1
asset x
asset y
group things = x, y
venue v1
venue v2
group clouds = v1, v2
action host
action sell
let review = 2027-06-30
let limit = $10M
fact revenue: money = $5M
fact flag: bool = false
";

/// A token, and whether it must stay on the line of the token before it (a
/// duration word after its number).
#[derive(Clone, Debug)]
struct Tok(String, bool);

fn toks(words: &str) -> Vec<Tok> {
    words
        .split(' ')
        .map(|w| Tok(w.to_string(), false))
        .collect()
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(options).prop_map(str::to_string)
}

fn date() -> impl Strategy<Value = String> {
    (2024i32..2034, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn time() -> impl Strategy<Value = Vec<Tok>> {
    let leaf = prop_oneof![
        date().prop_map(|d| vec![Tok(d, false)]),
        pick(&["e1", "e2", "review"]).prop_map(|n| vec![Tok(n, false)]),
    ];
    leaf.prop_recursive(3, 10, 2, |inner| {
        prop_oneof![
            (inner.clone(), pick(&["or", "and"]), inner.clone()).prop_map(|(l, op, r)| {
                let mut out = vec![Tok("(".into(), false)];
                out.extend(l);
                out.push(Tok(op, false));
                out.extend(r);
                out.push(Tok(")".into(), false));
                out
            }),
            (
                inner,
                pick(&["+", "-"]),
                1u32..30,
                pick(&["days", "weeks", "months", "years"])
            )
                .prop_map(|(t, op, n, unit)| {
                    let mut out = t;
                    out.push(Tok(op, false));
                    out.push(Tok(n.to_string(), false));
                    out.push(Tok(unit, true));
                    out
                }),
        ]
    })
}

fn condition() -> impl Strategy<Value = Vec<Tok>> {
    let leaf = prop_oneof![
        pick(&["flag", "e1", "e2"]).prop_map(|n| toks(&n)),
        (
            pick(&[">", ">=", "<", "==", "!="]),
            pick(&["limit", "$1M", "$7.5M"])
        )
            .prop_map(|(op, rhs)| toks(&format!("revenue {op} {rhs}"))),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| {
                let mut out = toks("not (");
                out.extend(c);
                out.push(Tok(")".into(), false));
                out
            }),
            (inner.clone(), pick(&["and", "or"]), inner).prop_map(|(l, op, r)| {
                let mut out = toks("(");
                out.extend(l);
                out.push(Tok(op, false));
                out.extend(r);
                out.push(Tok(")".into(), false));
                out
            }),
        ]
    })
}

/// A clause body and whether it is an obligation (the only kind with `by`).
fn body() -> impl Strategy<Value = (Vec<Tok>, bool, bool)> {
    let party = || pick(&["a", "b", "c", "anyone"]);
    let action = || pick(&["host", "sell"]);
    let asset = || pick(&["x", "y", "things"]);
    prop_oneof![
        (party(), action(), asset()).prop_map(|(p, a, x)| (
            toks(&format!("{p} may {a} {x}")),
            false,
            false
        )),
        (
            party(),
            action(),
            prop::option::of(pick(&["$5M", "$250_000", "$1.5B"])),
            asset()
        )
            .prop_map(|(p, a, q, x)| {
                let object = q.map_or(x.clone(), |q| format!("{q} of {x}"));
                (toks(&format!("{p} must {a} {object}")), true, false)
            }),
        (party(), action(), asset()).prop_map(|(p, a, x)| (
            toks(&format!("{p} must not {a} {x}")),
            false,
            false
        )),
        (party(), asset()).prop_map(|(p, x)| (toks(&format!("{p} holds {x}")), false, false)),
        (party(), asset()).prop_map(|(p, x)| (toks(&format!("{p} holds no {x}")), false, false)),
        (
            pick(&["a", "b"]),
            pick(&["10%", "27%", "32.5%"]),
            pick(&["c"])
        )
            .prop_map(|(p, q, o)| (toks(&format!("{p} holds {q} of {o}")), false, false)),
        asset().prop_map(|x| (toks(&format!("exclusive {x}")), false, true)),
    ]
}

fn set(keyword: &'static str) -> BoxedStrategy<Vec<Tok>> {
    let members: &'static [&'static str] = match keyword {
        "on" => &["v1", "v2", "clouds", "anywhere"],
        _ => &["a", "b", "c", "anyone"],
    };
    prop::sample::subsequence(members, 1..=2)
        .prop_map(move |names| {
            let mut out = vec![Tok(keyword.to_string(), false)];
            for (i, name) in names.into_iter().enumerate() {
                if i > 0 {
                    out.push(Tok(",".into(), false));
                }
                out.push(Tok(name.to_string(), false));
            }
            out
        })
        .boxed()
}

fn qualifier(keyword: &'static str) -> BoxedStrategy<Vec<Tok>> {
    let head = Tok(keyword.to_string(), false);
    match keyword {
        "on" | "to" | "with" => set(keyword),
        "through" => date()
            .prop_map(move |d| vec![head.clone(), Tok(d, false)])
            .boxed(),
        "from" | "until" | "by" => time()
            .prop_map(move |t| std::iter::once(head.clone()).chain(t).collect())
            .boxed(),
        _ => condition()
            .prop_map(move |c| std::iter::once(head.clone()).chain(c).collect())
            .boxed(),
    }
}

/// `(label, tokens)` of a clause. Sets, `by` and `through` at most once;
/// an exclusivity gets at least one set.
fn clause() -> impl Strategy<Value = Vec<Tok>> {
    body()
        .prop_flat_map(|(body, obligation, exclusive)| {
            let sets = prop::sample::subsequence(
                &["on", "to", "with"][..],
                if exclusive { 1..=3 } else { 0..=2 },
            );
            let others = prop::sample::subsequence(
                &["from", "until", "through", "by", "when", "unless"][..],
                0..=3,
            );
            (Just(body), sets, others).prop_flat_map(move |(body, sets, others)| {
                let parts: Vec<BoxedStrategy<Vec<Tok>>> = sets
                    .into_iter()
                    .chain(others.into_iter().filter(|k| *k != "by" || obligation))
                    .map(qualifier)
                    .collect();
                (Just(body), parts.prop_shuffle())
            })
        })
        .prop_map(|(body, qualifiers)| {
            body.into_iter()
                .chain(qualifiers.into_iter().flatten())
                .collect()
        })
}

/// A contract: the header, then clauses labelled `k0`, `k1`, ... (some with
/// a `notwithstanding` of an earlier one), each maybe with a doc comment or
/// a comment after it, laid out with the given gaps between tokens.
fn contract() -> impl Strategy<Value = String> {
    let item = (
        clause(),
        prop::option::weighted(0.3, 0usize..8),
        prop::option::weighted(
            0.2,
            pick(&[
                "/// Why this clause exists.",
                "/// A doc\n/// on two lines.",
            ]),
        ),
        prop::option::weighted(0.2, pick(&["// a note", "//x", "// trailing  "])),
    );
    (
        prop::collection::vec(item, 1..10),
        prop::collection::vec(pick(&[" ", "  ", "\n  ", "\n", "\n\n    "]), 64),
        prop::bool::ANY,
    )
        .prop_map(|(items, gaps, unlabelled_first)| {
            let mut out = String::from(HEADER);
            let mut gap = gaps.iter().cycle();
            for (i, (tokens, exception, doc, comment)) in items.into_iter().enumerate() {
                out.push('\n');
                if let Some(doc) = doc {
                    out.push_str(&doc);
                    out.push('\n');
                }
                if i > 0 || !unlabelled_first {
                    out.push_str(&format!("k{i}: "));
                }
                let mut tokens = tokens;
                if let Some(target) = exception.filter(|&t| t < i && (t > 0 || !unlabelled_first)) {
                    tokens.extend(toks(&format!("notwithstanding k{target}")));
                }
                for (j, Tok(text, glued)) in tokens.iter().enumerate() {
                    if j > 0 {
                        let g = gap.next().map_or(" ", String::as_str);
                        out.push_str(if *glued || text == "," { " " } else { g });
                    }
                    out.push_str(text);
                }
                if let Some(comment) = comment {
                    out.push(' ');
                    out.push_str(&comment);
                }
                out.push('\n');
            }
            out
        })
}

fn diagnostics_of(text: &str) -> Vec<String> {
    deal::check_and_lint(&SourceFile::new("generated.deal", text))
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

const QUERIES: &[&str] = &[
    "may a host x on v1",
    "may b sell y on v2 to c with a",
    "must a host x with b",
    "must c sell y",
    "holds a x",
    "holds b y on v1",
    "status k0",
];

fn answers(contract: &Contract) -> Vec<String> {
    let mut scenario = Scenario::default();
    scenario.events.insert("e1".into(), day("2026-03-01"));
    scenario.events.insert("e2".into(), day("2028-09-15"));
    let mut out = Vec::new();
    for scenario in [Scenario::default(), scenario] {
        for on in ["2025-06-01", "2027-01-01", "2029-12-31", "2033-01-01"] {
            for query in QUERIES {
                out.push(ask(contract, &scenario, query, day(on)));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn fmt_keeps_the_contract_and_is_a_fixpoint(text in contract()) {
        let source = SourceFile::new("generated.deal", text.as_str());
        let file = deal::syntax::parse_file(&source)
            .unwrap_or_else(|d| panic!("the generator wrote text that does not parse: {d:#?}\n{text}"));
        let once = deal::fmt::format_file(&source, &file);
        let reread = SourceFile::new("generated.deal", once.as_str());
        let again = deal::syntax::parse_file(&reread)
            .unwrap_or_else(|d| panic!("fmt output does not parse: {d:#?}\n---- input\n{text}\n---- formatted\n{once}"));
        let twice = deal::fmt::format_file(&reread, &again);
        prop_assert!(deal::syntax::fast_path_agrees(&text), "the fast path reads another tree\n{}", text);
        prop_assert!(deal::syntax::fast_path_agrees(&once), "the fast path reads another tree\n{}", once);
        prop_assert!(deal::fmt::first_difference(&file, &again).is_none(), "parse(fmt(x)) != parse(x)\n---- input\n{}\n---- formatted\n{}", text, once);
        prop_assert_eq!(&once, &twice, "fmt is not a fixpoint\n---- input\n{}", text);
        // The same meaning: the same findings, and the same answers.
        prop_assert_eq!(diagnostics_of(&text), diagnostics_of(&once));
        let before = deal::load(SourceFile::new("generated.deal", text.as_str()));
        let after = deal::load(SourceFile::new("generated.deal", once.as_str()));
        if let (Ok(before), Ok(after)) = (before.contract(), after.contract()) {
            prop_assert_eq!(answers(&before), answers(&after));
        }
    }
}

// ---------------------------------------------------------------- time algebra

/// An event date, or None for an event the scenario leaves out (never).
fn event_date() -> impl Strategy<Value = Option<NaiveDate>> {
    prop::option::weighted(
        0.8,
        (0i64..4000).prop_map(|offset| day("2025-01-01") + chrono::Days::new(offset as u64)),
    )
}

fn time_of(date: Option<NaiveDate>) -> Time {
    date.map_or(Time::Never, Time::Day)
}

/// The end of clause `t` in a contract whose clause `t` ends `until TIME`,
/// under a scenario with these dates for events `p`, `q` and `r`.
fn end_of(until: &str, dates: [Option<NaiveDate>; 3]) -> Time {
    let text = format!(
        "party a\nasset x\naction act\nevent p\nevent q\nevent r\n\
         t: a may act x until {until}\n"
    );
    let contract = load(&text);
    let mut scenario = Scenario::default();
    for (name, date) in ["p", "q", "r"].iter().zip(dates) {
        if let Some(date) = date {
            scenario.events.insert(name.to_string(), date);
        }
    }
    let id = contract.clause_by_label("t").unwrap();
    window(&contract, &scenario, id).unwrap().1
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn or_is_min_and_and_is_max(p in event_date(), q in event_date(), r in event_date()) {
        let dates = [p, q, r];
        let (tp, tq, tr) = (time_of(p), time_of(q), time_of(r));
        prop_assert_eq!(end_of("p or q", dates), tp.min(tq));
        prop_assert_eq!(end_of("p and q", dates), tp.max(tq));
        // commutative
        prop_assert_eq!(end_of("p or q", dates), end_of("q or p", dates));
        prop_assert_eq!(end_of("p and q", dates), end_of("q and p", dates));
        // associative
        prop_assert_eq!(end_of("(p or q) or r", dates), end_of("p or (q or r)", dates));
        prop_assert_eq!(end_of("(p and q) and r", dates), end_of("p and (q and r)", dates));
        // absorption
        prop_assert_eq!(end_of("p or (p and q)", dates), tp);
        prop_assert_eq!(end_of("p and (p or q)", dates), tp);
        // the grammar's precedence: `and` binds tighter than `or`
        prop_assert_eq!(end_of("p or q and r", dates), tp.min(tq.max(tr)));
        let _ = tr;
    }

    #[test]
    fn shifting_by_a_duration_is_monotone(
        p in event_date(),
        q in event_date(),
        n in 0u32..40,
        unit in prop::sample::select(&["days", "weeks", "months", "years"][..]),
        sign in prop::sample::select(&["+", "-"][..]),
    ) {
        let dates = [p, q, None];
        let shifted_p = end_of(&format!("p {sign} {n} {unit}"), dates);
        let shifted_q = end_of(&format!("q {sign} {n} {unit}"), dates);
        let (tp, tq) = (time_of(p), time_of(q));
        if tp <= tq {
            prop_assert!(shifted_p <= shifted_q, "{tp} <= {tq} but {shifted_p} > {shifted_q}");
        }
        // never moves nowhere; a day moves the way the sign says.
        if tp == Time::Never {
            prop_assert_eq!(shifted_p, Time::Never);
        } else if sign == "+" {
            prop_assert!(shifted_p >= tp);
        } else {
            prop_assert!(shifted_p <= tp);
        }
    }
}

// ---------------------------------------------------------------- exact decimals

/// A finite decimal: a mantissa and a number of digits after the point.
fn decimal_text() -> impl Strategy<Value = String> {
    (-10_000_000_000i64..10_000_000_000, 0u32..8).prop_map(|(mantissa, scale)| {
        let digits = mantissa.unsigned_abs().to_string();
        let sign = if mantissa < 0 { "-" } else { "" };
        let scale = scale as usize;
        if scale == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        format!("{sign}{whole}.{fraction}")
    })
}

/// A whole number of cents, as a money literal (`$1234.05`).
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}${}.{:02}", cents / 100, cents % 100)
}

/// A percentage whose value is 2^i * 5^j / 10^k: dividing by it is exact.
fn terminating_percent() -> impl Strategy<Value = String> {
    (0u32..6, 0u32..5, 0usize..3).prop_map(|(i, j, k)| {
        let n = 2u64.pow(i) * 5u64.pow(j);
        let text = n.to_string();
        if k == 0 {
            format!("{text}%")
        } else {
            let padded = format!("{text:0>width$}", width = k + 1);
            let (whole, fraction) = padded.split_at(padded.len() - k);
            format!("{whole}.{fraction}%")
        }
    })
}

fn dec(text: &str) -> Decimal {
    Decimal::parse(text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn product_divided_by_its_factor_is_exact(a in decimal_text(), b in decimal_text()) {
        let (a, b) = (dec(&a), dec(&b));
        prop_assume!(!b.is_zero());
        let product = a.mul(&b).unwrap();
        prop_assert_eq!(product.div(&b).unwrap(), a.clone());
        prop_assert_eq!(a.add(&b).unwrap().sub(&b).unwrap(), a);
    }

    #[test]
    fn sums_of_money_are_exact(cents in prop::collection::vec(-1_000_000_000_000i64..1_000_000_000_000, 1..40)) {
        let contract = load("party a\n");
        let expression = cents.iter().map(|&c| money(c)).collect::<Vec<_>>().join(" + ");
        let total: i128 = cents.iter().map(|&c| i128::from(c)).sum();
        let expected = dec(&format!("{total}e-2"));
        prop_assert_eq!(value_of(&contract, &expression), Value::Money(expected));
    }

    #[test]
    fn money_divided_by_a_percent_and_multiplied_back_is_exact(
        cents in -1_000_000_000_000i64..1_000_000_000_000,
        percent in terminating_percent(),
    ) {
        let contract = load("party a\n");
        let amount = money(cents);
        let expression = format!("{amount} / {percent} * {percent}");
        prop_assert_eq!(value_of(&contract, &expression), Value::Money(dec(&format!("{cents}e-2"))));
        let check = format!("{amount} / {percent} * {percent} == {amount}");
        prop_assert_eq!(value_of(&contract, &check), Value::Bool(true));
    }

    #[test]
    fn a_percent_of_money_is_exact(cents in 0i64..1_000_000_000_000, tenths in 0u32..1000) {
        let contract = load("party a\n");
        let percent = format!("{}.{}%", tenths / 10, tenths % 10);
        let value = value_of(&contract, &format!("{} * {percent}", money(cents)));
        // cents/100 * tenths/1000 = cents * tenths / 100_000, exactly.
        let expected = dec(&format!("{}e-5", i128::from(cents) * i128::from(tenths)));
        prop_assert_eq!(value, Value::Money(expected));
    }
}

#[test]
fn the_spec_example_is_exact() {
    let contract = load("party a\n");
    assert_eq!(
        value_of(&contract, "$135B / 27%"),
        Value::Money(dec("500000000000"))
    );
}
