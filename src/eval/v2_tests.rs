//! Language version 2 on real text (spec sections 2-7, every (v2) mark):
//! exclusive rights, obligations with instances, allocation and discharge,
//! deadlines after events, recurring obligations, the contract's term,
//! survival, and the new condition atoms. Each contract states what must
//! come out in `expect` blocks; a few statuses are checked field by field.

use super::text_tests::contract;
use crate::eval::{Contract, Outcome, StatusAnswer, answer, run_expectations};
use crate::source::SourceFile;
use chrono::NaiveDate;

fn assert_all_pass(text: &str) {
    let contract = contract(text);
    let mut failed = Vec::new();
    for item in &contract.file.items {
        if let crate::ast::ItemKind::Scenario(scenario) = &item.kind {
            let outcomes = run_expectations(&contract, scenario)
                .unwrap_or_else(|e| panic!("scenario {}: {e:#?}", scenario.name.text));
            for o in outcomes.iter().filter(|o| !o.passed) {
                let line = contract.source.line_col(o.span.start).0;
                failed.push(format!(
                    "line {line}: `{}` expected {} got {}",
                    contract.source.slice(o.span),
                    o.expected,
                    o.got
                ));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn status_of(contract: &Contract, scenario: &str, label: &str, on: &str) -> StatusAnswer {
    let scenario = contract
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            crate::ast::ItemKind::Scenario(s) if s.name.text == scenario => Some(s),
            _ => None,
        })
        .unwrap();
    let scenario = crate::eval::Scenario::from_ast(contract, scenario).unwrap();
    let query =
        crate::syntax::parse_query(&SourceFile::new("q", format!("status {label}"))).unwrap();
    match answer(contract, &scenario, &query, day(on))
        .unwrap()
        .outcome
    {
        Outcome::Status(state) => state,
        other => panic!("{other:?}"),
    }
}

const LICENCE: &str = "effective 2025-03-01
party helvion
party marlow
party stranger
asset hlv204
venue eu
venue us
action commercialise
";

#[test]
fn an_exclusivity_restricts_and_never_grants() {
    assert_all_pass(&format!(
        "{LICENCE}
eu_exclusive: exclusive hlv204 on eu to marlow
scenario s {{
  expect at 2026-01-01 {{
    unspecified may helvion commercialise hlv204 on eu
    unspecified may marlow commercialise hlv204 on eu to marlow
    not may stranger commercialise hlv204 on us
  }}
}}
"
    ));
}

#[test]
fn only_permits_its_party_and_forbids_every_other() {
    assert_all_pass(&format!(
        "{LICENCE}
eu_licence: only marlow may commercialise hlv204 on eu
us_reserved: helvion may commercialise hlv204 on us
eu_reserved: helvion may commercialise hlv204 on eu to helvion notwithstanding eu_licence
scenario s {{
  expect at 2026-01-01 {{
    may marlow commercialise hlv204 on eu
    not may helvion commercialise hlv204 on eu
    not may stranger commercialise hlv204 on eu
    may helvion commercialise hlv204 on us
    unspecified may marlow commercialise hlv204 on us
    may helvion commercialise hlv204 on eu to helvion
  }}
}}
"
    ));
}

const MONEY: &str = "effective 2028-01-01
party marlow
party helvion
event approval by helvion
asset royalties
asset fees
asset report
action pay
action deliver
";

#[test]
fn one_payment_settles_one_debt_at_a_time() {
    let text = format!(
        "{MONEY}
q1_royalty: marlow must pay $1M of royalties to helvion by 2028-03-31
annual_minimum: marlow must pay $2M of royalties to helvion by 2028-12-31
scenario one_payment {{
  marlow pay $2M of royalties to helvion on 2028-02-01
  expect at 2029-01-01 {{
    status q1_royalty is fulfilled
    status annual_minimum is violated
  }}
}}
scenario enough {{
  marlow pay $3M of royalties to helvion on 2028-02-01
  expect at 2029-01-01 {{
    status q1_royalty is fulfilled
    status annual_minimum is fulfilled
    not must marlow pay royalties to helvion
  }}
}}
scenario early {{
  marlow pay $5M of royalties to helvion on 2027-12-31
  expect at 2028-06-01 {{
    status q1_royalty is violated
    status annual_minimum is pending
  }}
}}
"
    );
    assert_all_pass(&text);
    let c = contract(&text);
    let minimum = status_of(&c, "one_payment", "annual_minimum", "2029-01-01");
    assert_eq!(minimum.performed.to_plain_string(), "1000000");
    assert_eq!(minimum.owed.unwrap().to_plain_string(), "2000000");
    assert_eq!(minimum.due, Some(day("2028-12-31")));
    assert_eq!(minimum.period, None);
}

#[test]
fn a_fulfilled_debt_is_discharged() {
    let text = format!(
        "{MONEY}
fee: marlow must pay $25M of fees to helvion by 2028-03-31
scenario paid {{
  marlow pay $25M of fees to helvion on 2028-03-20
  expect at 2028-03-19 {{
    must marlow pay fees to helvion
    status fee is pending
  }}
  expect at 2028-03-20 {{
    not must marlow pay fees to helvion
    status fee is fulfilled
    may marlow pay fees to helvion
  }}
}}
"
    );
    assert_all_pass(&text);
    let c = contract(&text);
    let scenario = crate::eval::Scenario::from_ast(
        &c,
        match &c.file.items.last().unwrap().kind {
            crate::ast::ItemKind::Scenario(s) => s,
            _ => unreachable!(),
        },
    )
    .unwrap();
    let query =
        crate::syntax::parse_query(&SourceFile::new("q", "must marlow pay fees to helvion"))
            .unwrap();
    let got = answer(&c, &scenario, &query, day("2028-04-01")).unwrap();
    assert_eq!(got.outcome, Outcome::No);
    assert_eq!(
        got.discharged
            .iter()
            .map(|&id| c.clause_label(id))
            .collect::<Vec<_>>(),
        ["fee"]
    );
}

#[test]
fn records_match_on_their_qualifiers() {
    assert_all_pass(&format!(
        "{MONEY}
fee: marlow must pay $1M of fees to helvion by 2028-03-31
scenario to_nobody {{
  marlow pay $1M of fees on 2028-02-01
  expect at 2028-04-01 {{
    status fee is violated
  }}
}}
scenario to_helvion {{
  marlow pay $1M of fees to helvion on 2028-02-01
  expect at 2028-04-01 {{
    status fee is fulfilled
  }}
}}
"
    ));
}

#[test]
fn within_after_an_event_starts_and_ends_a_debt() {
    let text = format!(
        "{MONEY}
milestone: marlow must pay $10M of fees to helvion within 45 days after approval
scenario late {{
  approval on 2028-05-04
  marlow pay $10M of fees to helvion on 2028-07-01
  expect at 2028-05-03 {{
    status milestone is inactive
    not must marlow pay fees to helvion
  }}
  expect at 2028-06-18 {{
    status milestone is pending
  }}
  expect at 2028-06-19 {{
    status milestone is violated
    must marlow pay fees to helvion
  }}
  expect at 2028-08-01 {{
    status milestone is violated
  }}
}}
scenario never_approved {{
  expect at 2040-01-01 {{
    status milestone is inactive
  }}
}}
"
    );
    assert_all_pass(&text);
    let c = contract(&text);
    assert_eq!(
        status_of(&c, "late", "milestone", "2028-06-01").due,
        Some(day("2028-06-18"))
    );
}

#[test]
fn recurring_obligations_have_one_instance_per_period() {
    let text = "effective 2025-01-31
party marlow
party helvion
asset report
asset fees
action deliver
action pay
reports: marlow must deliver report to helvion every 1 month
minimum: marlow must pay $1M of fees to helvion every 1 year within 60 days
scenario monthly {
  marlow deliver report to helvion on 2025-02-10
  marlow deliver report to helvion on 2025-02-27
  expect at 2025-02-27 {
    status reports is fulfilled
  }
  expect at 2025-03-01 {
    status reports is pending
  }
  expect at 2025-03-31 {
    status reports is violated
  }
}
scenario yearly_paid {
  marlow pay $1M of fees to helvion on 2026-03-01
  expect at 2026-04-01 {
    status minimum is pending
  }
}
scenario yearly_unpaid {
  expect at 2026-03-31 {
    status minimum is pending
  }
  expect at 2026-04-01 {
    status minimum is violated
  }
}
";
    assert_all_pass(text);
    let c = contract(text);
    // Periods from the start, so month ends do not drift: Jan 31, Feb 28, Mar 31.
    // The second record of February finds no open instance: the March one
    // has not begun.
    let first = status_of(&c, "monthly", "reports", "2025-02-27");
    assert_eq!(first.period, Some((day("2025-01-31"), day("2025-02-28"))));
    assert_eq!(first.due, Some(day("2025-02-27")));
    assert_eq!(first.performed.to_plain_string(), "1");
    let violated = status_of(&c, "monthly", "reports", "2025-03-31");
    assert_eq!(
        violated.period,
        Some((day("2025-02-28"), day("2025-03-31")))
    );
    assert_eq!(violated.due, Some(day("2025-03-30")));
    // The payment went to the first year (earliest deadline); the second
    // year, still open, decides.
    let minimum = status_of(&c, "yearly_paid", "minimum", "2026-04-01");
    assert_eq!(minimum.due, Some(day("2027-03-31")));
    let unpaid = status_of(&c, "yearly_unpaid", "minimum", "2026-04-01");
    // 2025-01-31 .. 2026-01-30, due 60 days after its last day.
    assert_eq!(unpaid.period, Some((day("2025-01-31"), day("2026-01-31"))));
    assert_eq!(unpaid.due, Some(day("2026-03-31")));
    assert_eq!(minimum.period, Some((day("2026-01-31"), day("2027-01-31"))));
}

#[test]
fn the_contract_term_ends_every_clause_that_does_not_survive() {
    assert_all_pass(
        "effective 2025-03-01 until terminated
party helvion
party marlow
event terminated by helvion
asset know_how
asset hlv204
action disclose
action sell
confidential: marlow must not disclose know_how survives 5 years
selling: marlow may sell hlv204
forever: marlow must not sell know_how survives
scenario ended {
  terminated on 2027-01-01
  expect at 2026-12-31 {
    may marlow sell hlv204
    not may marlow disclose know_how
  }
  expect at 2027-01-01 {
    unspecified may marlow sell hlv204
    not may marlow disclose know_how
  }
  expect at 2031-12-31 {
    not may marlow disclose know_how
  }
  expect at 2032-01-01 {
    unspecified may marlow disclose know_how
    not may marlow sell know_how
  }
}
",
    );
}

#[test]
fn conditions_on_event_deadlines_and_statuses() {
    assert_all_pass(
        "effective 2025-01-01
party helvion
party marlow
event breach_notice by helvion
event breach_cured by marlow after breach_notice
event approval by helvion
asset agreement
asset fees
action terminate
action pay
terminate_for_breach: helvion may terminate agreement
  from breach_notice + 60 days
  unless breach_cured by breach_notice + 60 days
milestone: marlow must pay $10M of fees to helvion within 45 days after approval
remedy: helvion may terminate agreement when milestone is violated
scenario cured_in_time {
  breach_notice on 2026-01-01
  breach_cured on 2026-03-02
  expect at 2026-06-01 {
    unspecified may helvion terminate agreement
  }
}
scenario cured_too_late {
  breach_notice on 2026-01-01
  breach_cured on 2026-03-03
  expect at 2026-03-01 {
    unspecified may helvion terminate agreement
  }
  expect at 2026-03-02 {
    may helvion terminate agreement
  }
  expect at 2026-06-01 {
    may helvion terminate agreement
  }
}
scenario unpaid {
  approval on 2026-01-01
  expect at 2026-02-15 {
    unspecified may helvion terminate agreement
  }
  expect at 2026-02-16 {
    may helvion terminate agreement
  }
}
",
    );
}

#[test]
fn max_and_min_pick_among_values_of_one_type() {
    assert_all_pass(
        "effective 2025-01-01
fact net_sales: money
let floor = $2M
scenario small {
  net_sales = $10M
  expect at 2026-01-01 {
    max(12% * net_sales, floor) == $2M
    min(12% * net_sales, floor) == $1.2M
    max(2025-01-01, 2026-01-01) == 2026-01-01
  }
}
scenario large {
  net_sales = $100M
  expect at 2026-01-01 {
    max(12% * net_sales, floor) == $12M
  }
}
",
    );
}

#[test]
fn a_recurring_obligation_past_its_window_is_owed_while_an_instance_is_open() {
    assert_all_pass(
        "effective 2025-01-01 through 2025-12-31
party marlow
party helvion
asset report
action deliver
reports: marlow must deliver report to helvion every 3 months within 45 days
scenario none_delivered {
  expect at 2026-01-15 {
    must marlow deliver report to helvion
    status reports is violated
  }
  expect at 2026-02-15 {
    not must marlow deliver report to helvion
  }
}
",
    );
}

#[test]
fn a_recurring_obligation_needs_a_period() {
    let loaded = crate::load(SourceFile::new(
        "zero.deal",
        "party a\nparty b\nasset fee\naction pay\nm: a must pay fee to b every 0 days\n",
    ));
    let syntax: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == crate::diagnostic::Code::Syntax)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        syntax,
        ["a recurring obligation's period must be longer than zero"]
    );
}
