//! The evaluator on real `.deal` text: the shipped examples, time-algebra
//! edges, the decision procedure, obligations and `--fact` values, each
//! written as a contract with `expect` blocks where that reads best.

use crate::ast::{ExprKind, ItemKind, Query};
use crate::eval::{
    Contract, ExpectOutcome, Outcome, Scenario, Value, answer, parse_fact_value, run_expectations,
};
use crate::source::SourceFile;
use chrono::NaiveDate;
use std::path::Path;

pub(super) fn contract(text: &str) -> Contract {
    let loaded = crate::load(SourceFile::new("test.deal", text));
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code.blocks_evaluation())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.contract().unwrap()
}

/// Every expectation of every scenario, with its line and source text.
fn outcomes(contract: &Contract) -> Vec<(usize, String, ExpectOutcome)> {
    let mut all = Vec::new();
    for item in &contract.file.items {
        if let ItemKind::Scenario(scenario) = &item.kind {
            let results = run_expectations(contract, scenario)
                .unwrap_or_else(|e| panic!("scenario {}: {e:#?}", scenario.name.text));
            for outcome in results {
                let line = contract.source.line_col(outcome.span.start).0;
                all.push((
                    line,
                    contract.source.slice(outcome.span).to_string(),
                    outcome,
                ));
            }
        }
    }
    all
}

fn assert_all_pass(contract: &Contract) -> usize {
    let all = outcomes(contract);
    let failed: Vec<String> = all
        .iter()
        .filter(|(_, _, o)| !o.passed)
        .map(|(line, text, o)| {
            format!(
                "line {line}: `{text}` expected {} got {}",
                o.expected, o.got
            )
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    all.len()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn query(text: &str) -> Query {
    crate::syntax::parse_query(&SourceFile::new("query", text)).unwrap()
}

fn scenario_named(contract: &Contract, name: &str) -> Scenario {
    contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            ItemKind::Scenario(s) if s.name.text == name => {
                Some(Scenario::from_ast(contract, s).unwrap())
            }
            _ => None,
        })
        .unwrap()
}

#[test]
fn the_shipped_examples_meet_their_expectations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "tests/corpus/ok"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "deal") {
                files.push(path);
            }
        }
    }
    assert!(files.len() >= 3);
    let mut total = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        total += assert_all_pass(&contract(&text));
    }
    assert!(total >= 70, "only {total} expectations ran");
}

#[test]
fn time_algebra_edges() {
    let c = contract(
        r#"
effective 2025-01-01
party p
asset a1
asset a2
asset a3
asset a4
asset a5
asset a6
asset a7
asset a8
event e
event f after e
let leap_day = 2028-01-31 + 1 month

same_day: p holds a1 from 2028-03-01 until 2028-03-01
clamped: p holds a2 from leap_day
through_last: p holds a3 through 2028-02-29
plain_year: p holds a4 from 2027-01-31 + 1 month
from_never: p holds a5 from e
both_and_either: p holds a6 from e and 2028-01-01 until f or 2030-01-01
never_shifted: p holds a7 until e + 1 month
before_effective: p holds a8 through 2024-12-31

scenario nothing_happens {
  expect at 2028-03-01 {
    unspecified holds p a1
  }
  expect at 2028-02-28 {
    unspecified holds p a2
    holds p a3
  }
  expect at 2028-02-29 {
    holds p a2
    holds p a3
  }
  expect at 2028-03-01 {
    unspecified holds p a3
  }
  expect at 2027-02-27 {
    unspecified holds p a4
  }
  expect at 2027-02-28 {
    holds p a4
  }
  expect at 2099-01-01 {
    unspecified holds p a5
    unspecified holds p a6
    holds p a7
  }
  expect at 2025-01-01 {
    unspecified holds p a8
    holds p a7
  }
}

scenario e_early {
  e on 2027-06-15
  expect at 2027-12-31 {
    holds p a5
    unspecified holds p a6
  }
  expect at 2027-07-14 {
    holds p a7
  }
  expect at 2027-07-15 {
    unspecified holds p a7
  }
  expect at 2028-01-01 {
    holds p a6
  }
  expect at 2029-12-31 {
    holds p a6
  }
  expect at 2030-01-01 {
    unspecified holds p a6
  }
}

scenario e_late_f_early {
  e on 2028-05-31
  f on 2028-07-01
  expect at 2028-05-30 {
    unspecified holds p a6
  }
  expect at 2028-05-31 {
    holds p a6
  }
  expect at 2028-06-29 {
    holds p a7
  }
  expect at 2028-06-30 {
    holds p a6
    unspecified holds p a7
  }
  expect at 2028-07-01 {
    unspecified holds p a6
  }
}
"#,
    );
    assert!(assert_all_pass(&c) > 20);
}

#[test]
fn the_decision_procedure() {
    let c = contract(
        r#"
party microsoft
party openai
party us_natsec
party third_party
party panel
group insiders = microsoft, openai
asset api
asset non_api
asset codev_api
group codev_products = non_api, codev_api
asset widget
asset gadget
asset chip
asset doc
venue azure
venue gcp
venue aws
group clouds = azure, gcp
action host
action develop
action sell
action ship
action edit

api_exclusive: exclusive api on azure
natsec: openai may host api on anywhere to us_natsec notwithstanding api_exclusive
clouds_only: openai may host non_api on clouds
codev: openai may develop codev_products with third_party
codev_excl: exclusive codev_api on azure notwithstanding codev
a_allow: openai may sell widget notwithstanding b_ban
b_ban: openai must not sell widget notwithstanding c_ban
c_ban: openai must not sell widget
d_allow: openai may ship gadget
e_ban: openai must not ship gadget
f_excl: exclusive chip on azure with microsoft
g_edit: insiders may edit doc
h_edit: anyone must edit doc to panel

scenario table {
  expect at 2027-01-01 {
    not may openai host api on gcp
    not may microsoft host api on aws
    unspecified may openai host api on azure      // an exclusivity never grants (v2)
    unspecified may openai host api
    may openai host api on gcp to us_natsec
    may openai host api to us_natsec
    may openai host non_api on gcp
    unspecified may openai host non_api on aws
    unspecified may openai host non_api
    may openai develop non_api with third_party
    unspecified may openai develop non_api
    unspecified may openai develop codev_api with third_party on azure
    not may openai develop codev_api with third_party on gcp
    may openai develop codev_api with third_party
    may openai sell widget
    not may openai ship gadget
    unspecified may openai host chip on azure
    unspecified may openai host chip with microsoft
    not may openai host chip on azure with openai
    unspecified may openai host chip
    may openai edit doc
    unspecified may panel edit doc
    may panel edit doc to panel
    must panel edit doc to panel
    not must panel edit doc
    not must openai host api on azure
  }
}
"#,
    );
    assert_all_pass(&c);
    let table = scenario_named(&c, "table");
    let deciding = |q: &str| -> Vec<String> {
        let a = answer(&c, &table, &query(q), day("2027-01-01")).unwrap();
        a.deciding
            .iter()
            .map(|&id| c.clause_label(id).to_string())
            .collect()
    };
    assert_eq!(
        deciding("may openai host api on azure"),
        Vec::<String>::new()
    );
    assert_eq!(
        deciding("may openai host api on gcp to us_natsec"),
        ["natsec"]
    );
    // Inside its set the exclusivity is silent, yet it still drops `codev`.
    assert_eq!(
        deciding("may openai develop codev_api with third_party on azure"),
        Vec::<String>::new()
    );
    assert_eq!(
        deciding("may openai develop codev_api with third_party"),
        ["codev"]
    );
    assert_eq!(deciding("may openai sell widget"), ["a_allow"]);
    assert_eq!(deciding("may openai ship gadget"), ["e_ban"]);
    assert_eq!(deciding("must panel edit doc to panel"), ["h_edit"]);
    assert_eq!(deciding("must panel edit doc"), Vec::<String>::new());
    assert_eq!(deciding("may panel edit doc"), Vec::<String>::new());
}

#[test]
fn obligations_over_time() {
    let c = contract(
        r#"
effective 2026-01-01
party openai
party microsoft
asset azure_services
asset report
action purchase
action file
event declared

commitment: openai must purchase $250B of azure_services with microsoft by 2030-01-01
report_duty: openai must file report from declared by declared + 30 days

scenario short {
  openai purchase $40B of azure_services with microsoft on 2026-06-30
  openai purchase $10B of azure_services with microsoft on 2025-06-30
  openai purchase azure_services with microsoft on 2027-01-01
  expect at 2026-06-29 {
    status commitment is pending
  }
  expect at 2030-01-01 {
    status commitment is pending
    status report_duty is inactive
  }
  expect at 2030-01-02 {
    status commitment is violated
  }
}

scenario enough {
  declared on 2028-01-31
  openai purchase $200B of azure_services with microsoft on 2027-01-01
  openai purchase $50B of azure_services with microsoft on 2029-12-31
  openai file report on 2028-02-10
  expect at 2029-12-30 {
    status commitment is pending
    status report_duty is fulfilled
  }
  expect at 2029-12-31 {
    status commitment is fulfilled
  }
  expect at 2031-01-01 {
    status commitment is fulfilled
  }
  expect at 2028-01-30 {
    status report_duty is inactive
  }
}

scenario late_report {
  declared on 2028-01-31
  openai file report on 2028-03-15
  expect at 2028-03-01 {
    status report_duty is pending
  }
  expect at 2028-03-02 {
    status report_duty is violated
  }
  expect at 2029-01-01 {
    status report_duty is violated
  }
}
"#,
    );
    assert_all_pass(&c);
    let short = scenario_named(&c, "short");
    let status = |s: &Scenario, label: &str, on: &str| match answer(
        &c,
        s,
        &query(&format!("status {label}")),
        day(on),
    )
    .unwrap()
    .outcome
    {
        Outcome::Status(state) => (state.status.as_str(), state.performed.to_plain_string()),
        other => panic!("{other:?}"),
    };
    // The record before `effective` and the one without a quantity count nothing.
    assert_eq!(
        status(&short, "commitment", "2029-01-01"),
        ("pending", "40000000000".into())
    );
    let late = scenario_named(&c, "late_report");
    // 2028-01-31 + 30 days = 2028-03-01; a violation is final: the late
    // record goes to no instance.
    assert_eq!(
        status(&late, "report_duty", "2029-01-01"),
        ("violated", "0".into())
    );
}

#[test]
fn expressions_and_failures() {
    let c = contract(
        r#"
party p
unit flop
let zero = $0
let value = $135B
let stake = 27%
let grace = 3 months
let huge = 1e40 flop
fact compute: flop
fact notice: duration = 30 days

scenario s {
  expect at 2027-01-01 {
    value / stake == $500B
    value / zero == 1
    huge * 1e40 > 1e79 flop
    compute > huge
    2028-01-31 + grace == 2028-04-30
    grace > notice
  }
}
"#,
    );
    let results: Vec<(String, String, bool)> = outcomes(&c)
        .into_iter()
        .map(|(_, _, o)| (o.expected, o.got, o.passed))
        .collect();
    let got: Vec<&str> = results.iter().map(|(_, got, _)| got.as_str()).collect();
    assert_eq!(
        got,
        [
            "true",
            "error: deal::eval",
            "true",
            "error: deal::eval",
            "true",
            "error: deal::eval",
        ]
    );
}

/// A `--fact` value reads exactly like the same literal in the language.
#[test]
fn fact_values_read_like_literals() {
    let c = contract(
        r#"
unit flop
fact revenue: money
fact stake: percent
fact count: number
fact compute: flop
fact safe: bool
fact deadline: date
fact notice: duration
"#,
    );
    for (fact, literal) in [
        ("revenue", "$135B"),
        ("revenue", "$1.5M"),
        ("revenue", "$250_000"),
        ("revenue", "$0.5"),
        ("stake", "27%"),
        ("stake", "32.5%"),
        ("count", "1_000"),
        ("count", "1e27"),
        ("count", "0.5"),
        ("compute", "5e26 flop"),
        ("safe", "true"),
        ("deadline", "2028-02-29"),
        ("notice", "3 months"),
        ("notice", "2 years"),
        ("notice", "1 week"),
        ("notice", "45 days"),
    ] {
        let Query::Expr(expr) = query(literal) else {
            panic!("{literal} is not an expression")
        };
        let ExprKind::Literal(lit) = &expr.kind else {
            panic!("{literal} is not a literal")
        };
        let from_language = Value::from_literal(lit);
        assert_eq!(
            parse_fact_value(&c, fact, literal),
            Ok(from_language.clone()),
            "{literal}"
        );
        let json = from_language.json_value();
        assert_eq!(
            parse_fact_value(&c, fact, &json),
            Ok(from_language.clone()),
            "{json}"
        );
        // The display form is a literal the parser reads back to the same value.
        let display = from_language.display();
        let Query::Expr(again) = query(&display) else {
            panic!("{display}")
        };
        let ExprKind::Literal(again) = &again.kind else {
            panic!("{display}")
        };
        assert_eq!(Value::from_literal(again), from_language, "{display}");
    }
}
