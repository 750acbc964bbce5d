//! Language version 2 as a user meets it through the binary: the answers
//! that spec v2 settles for the reproducers in `tests/v2/` (copies of the
//! contracts a new user tried), the expectations of spec section 11, the
//! status JSON of section 9, and the bundled HLV-204 licence.

mod common;

use common::{TempDir, deal, root};
use serde_json::Value;

const SECTION_11: &str = "tests/v2/spec_section_11.deal";
const LICENCE: &str = "examples/hlv204_licence.deal";

fn json_of(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// `deal query FILE QUERY --at AT [extra...] --format json`, which exits 0
/// whatever the answer.
fn query(file: &str, query: &str, at: &str, extra: &[&str]) -> Value {
    let output = deal()
        .args(["query", file, query, "--at", at, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "`{query}` on {file}");
    json_of(&output)
}

fn answer(file: &str, text: &str, at: &str, extra: &[&str]) -> String {
    query(file, text, at, extra)["answer"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// `deal test FILE --format json`, asserting that it passes.
fn test_passes(file: &str) -> Value {
    let output = deal()
        .args(["test", file, "--format", "json"])
        .output()
        .unwrap();
    let json = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{file}: {json:#}");
    assert_eq!(json["failed"], 0, "{file}: {json:#}");
    assert_eq!(json["assertions_failed"], 0, "{file}: {json:#}");
    assert_eq!(json["passed"], json["expectations"], "{file}: {json:#}");
    json
}

// ---------------------------------------------------------------- reproducers

#[test]
fn an_exclusivity_never_grants_the_licensor_a_right() {
    let json = query(
        "tests/v2/exclusive_permits.deal",
        "may helvion commercialise hlv204 on eu",
        "2026-01-01",
        &[],
    );
    assert_eq!(json["answer"], "unspecified", "{json:#}");
    assert_eq!(json["clauses"], serde_json::json!([]), "{json:#}");
}

#[test]
fn an_only_clause_excludes_the_licensor_inside_its_scope() {
    let file = "tests/v2/exclusive_only.deal";
    let json = query(
        file,
        "may helvion commercialise hlv204 on eu",
        "2026-01-01",
        &[],
    );
    assert_eq!(json["answer"], "no", "{json:#}");
    assert_eq!(json["clauses"], serde_json::json!(["eu_exclusive"]));
    assert_eq!(
        answer(
            file,
            "may marlow commercialise hlv204 on eu",
            "2026-01-01",
            &[]
        ),
        "yes"
    );
    assert_eq!(
        answer(
            file,
            "may helvion commercialise hlv204 on us",
            "2026-01-01",
            &[]
        ),
        "yes",
        "outside its scope the `only` clause says nothing"
    );
    assert_eq!(
        answer(
            file,
            "may marlow commercialise hlv204 on us",
            "2026-01-01",
            &[]
        ),
        "unspecified"
    );
}

#[test]
fn a_paid_debt_is_discharged() {
    let json = test_passes("tests/v2/must_after_paid.deal");
    assert_eq!(json["expectations"], 2);
    assert_eq!(
        answer(
            "tests/v2/must_after_paid.deal",
            "must marlow pay upfront_fee to helvion",
            "2025-03-21",
            &["--scenario", "paid"],
        ),
        "no"
    );
}

#[test]
fn one_payment_settles_one_debt_at_a_time() {
    let file = "tests/v2/double_counting.deal";
    let extra = ["--scenario", "one_payment"];
    let minimum = query(file, "status annual_minimum", "2029-01-01", &extra);
    assert_eq!(minimum["answer"], "violated", "{minimum:#}");
    assert_eq!(minimum["performed"], "1000000");
    assert_eq!(minimum["owed"], "2000000");
    assert_eq!(minimum["due"], "2028-12-31");

    let first = query(file, "status q1_royalty", "2029-01-01", &extra);
    assert_eq!(first["answer"], "fulfilled", "{first:#}");
    assert_eq!(first["performed"], "1000000");
    assert_eq!(first["owed"], "1000000");
    assert_eq!(first["due"], "2028-03-31");
}

const DEADLINE_BEFORE_START: [&str; 2] = [
    "tests/v2/deadline_before_start.deal",
    "tests/v2/deadline_before_start_event.deal",
];

#[test]
fn a_deadline_before_the_start_is_a_warning() {
    for file in DEADLINE_BEFORE_START {
        let output = deal()
            .args(["check", file, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{file}: only a warning");
        let json = json_of(&output);
        assert_eq!(json["errors"], 0, "{file}: {json:#}");
        assert_eq!(json["warnings"], 1, "{file}: {json:#}");
        let finding = &json["diagnostics"][0];
        assert_eq!(finding["code"], "deal::deadline-before-start");
        assert_eq!(finding["severity"], "warning");
        assert!(
            finding["help"].as_str().is_some_and(|h| !h.is_empty()),
            "{file}: {finding:#}"
        );

        deal()
            .args(["check", file, "--deny", "warnings"])
            .assert()
            .code(1);
    }
}

#[test]
fn the_deadline_warning_names_both_times_and_a_witness() {
    let output = deal()
        .args(["check", DEADLINE_BEFORE_START[1], "--format", "json"])
        .output()
        .unwrap();
    let json = json_of(&output);
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("approval on"), "a witness: {message}");
    assert!(message.contains("sale on"), "a witness: {message}");

    let output = deal()
        .args(["check", DEADLINE_BEFORE_START[0], "--format", "json"])
        .output()
        .unwrap();
    let json = json_of(&output);
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("2027-06-30"), "the deadline: {message}");
    assert!(message.contains("2028-01-01"), "the start: {message}");
}

#[test]
fn a_debt_due_before_it_is_owed_stays_pending() {
    let fixed = query(DEADLINE_BEFORE_START[0], "status ms", "2035-01-01", &[]);
    assert_eq!(fixed["answer"], "pending", "{fixed:#}");
    assert_eq!(fixed["due"], "2027-06-30");

    // The witness the warning gives: approval, then the sale a month later.
    let witness = [
        "--event",
        "approval=2025-03-01",
        "--event",
        "sale=2025-04-01",
    ];
    let by_event = query(
        DEADLINE_BEFORE_START[1],
        "status ms",
        "2035-01-01",
        &witness,
    );
    assert_eq!(by_event["answer"], "pending", "{by_event:#}");
    assert_eq!(by_event["due"], "2025-03-31");
}

// ---------------------------------------------------------------- spec section 11

#[test]
fn spec_section_11_passes_deal_test() {
    let json = test_passes(SECTION_11);
    assert_eq!(json["scenarios"], 1);
    assert_eq!(json["expectations"], 6);
}

const PAID_LATE: [&str; 2] = ["--scenario", "paid_late"];

/// A query on spec section 11 in its scenario `paid_late`.
fn in_paid_late(text: &str, at: &str) -> Value {
    query(SECTION_11, text, at, &PAID_LATE)
}

#[test]
fn spec_section_11_excludes_the_licensor_from_the_territory_only() {
    let eu = in_paid_late("may helvion commercialise hlv204 on eu", "2025-04-01");
    assert_eq!(eu["answer"], "no", "{eu:#}");
    assert_eq!(eu["clauses"], serde_json::json!(["eu_licence"]));

    let us = in_paid_late("may helvion commercialise hlv204 on us", "2025-04-01");
    assert_eq!(us["answer"], "yes", "{us:#}");
    assert_eq!(us["clauses"], serde_json::json!(["us_reserved"]));

    assert_eq!(
        in_paid_late("may marlow commercialise hlv204 on eu", "2025-04-01")["answer"],
        "yes"
    );
}

#[test]
fn spec_section_11_discharges_the_paid_upfront_fee() {
    let status = in_paid_late("status upfront", "2025-04-01");
    assert_eq!(status["answer"], "fulfilled", "{status:#}");
    assert_eq!(status["owed"], "25000000");
    assert_eq!(status["performed"], "25000000");
    assert_eq!(
        status["due"], "2025-03-31",
        "within 30 days after 2025-03-01"
    );
    assert_eq!(
        in_paid_late("must marlow pay fees to helvion", "2025-04-01")["answer"],
        "no"
    );
    assert_eq!(
        answer(
            SECTION_11,
            "must marlow pay fees to helvion",
            "2025-03-15",
            &["--scenario", "paid_late", "--event", "ema_approval=never"],
        ),
        "yes",
        "owed before the payment"
    );
}

#[test]
fn spec_section_11_a_late_milestone_is_violated_and_gives_a_termination_right() {
    let on_the_day = in_paid_late("status approval_milestone", "2026-06-18");
    assert_eq!(on_the_day["answer"], "pending", "the due day is included");
    assert_eq!(on_the_day["due"], "2026-06-18");

    let late = in_paid_late("status approval_milestone", "2026-06-19");
    assert_eq!(late["answer"], "violated", "{late:#}");
    assert_eq!(late["owed"], "10000000");

    let after_payment = in_paid_late("status approval_milestone", "2026-07-02");
    assert_eq!(after_payment["answer"], "violated", "a violation is final");

    let right = in_paid_late("may helvion terminate licence", "2026-06-19");
    assert_eq!(right["answer"], "yes", "{right:#}");
    assert_eq!(
        right["clauses"],
        serde_json::json!(["terminate_for_nonpayment"])
    );
    assert_eq!(
        in_paid_late("may helvion terminate licence", "2026-06-18")["answer"],
        "unspecified"
    );
}

#[test]
fn spec_section_11_a_cure_must_come_within_the_cure_period() {
    let notice = ["--event", "breach_notice=2026-03-01"];
    // breach_notice + 60 days is 2026-04-30: a cure that day is in time.
    for (cure, expected) in [
        ("breach_cured=2026-04-30", "unspecified"),
        ("breach_cured=2026-05-01", "yes"),
        ("breach_cured=never", "yes"),
    ] {
        let extra = [notice[0], notice[1], "--event", cure];
        assert_eq!(
            answer(
                SECTION_11,
                "may helvion terminate licence",
                "2026-06-01",
                &extra
            ),
            expected,
            "{cure}"
        );
    }
    assert_eq!(
        answer(
            SECTION_11,
            "may helvion terminate licence",
            "2026-04-29",
            &notice
        ),
        "unspecified",
        "no right during the cure period"
    );
}

#[test]
fn spec_section_11_termination_ends_every_clause_but_the_surviving_ones() {
    let extra = [
        "--scenario",
        "paid_late",
        "--event",
        "breach_notice=2026-09-01",
        "--event",
        "terminated=2026-12-01",
    ];
    assert_eq!(
        answer(
            SECTION_11,
            "may marlow commercialise hlv204 on eu",
            "2026-12-01",
            &extra
        ),
        "unspecified"
    );
    assert_eq!(
        answer(
            SECTION_11,
            "may marlow disclose know_how",
            "2031-11-30",
            &extra
        ),
        "no",
        "confidentiality survives 5 years"
    );
    assert_eq!(
        answer(
            SECTION_11,
            "may marlow disclose know_how",
            "2031-12-01",
            &extra
        ),
        "unspecified"
    );
}

// ---------------------------------------------------------------- status JSON (section 9)

#[test]
fn status_json_of_a_recurring_obligation_names_its_period() {
    let extra = [
        "--scenario",
        "paid_late",
        "--event",
        "first_sale=2026-08-01",
    ];
    let reports = query(SECTION_11, "status reports", "2026-10-01", &extra);
    assert_eq!(reports["answer"], "pending", "{reports:#}");
    assert_eq!(reports["owed"], "1", "one record per quarter");
    assert_eq!(reports["performed"], "0");
    // `until` is exclusive: the quarter's last day is 2026-10-31, and the
    // report is due 45 days after it.
    assert_eq!(
        reports["period"],
        serde_json::json!({"from": "2026-08-01", "until": "2026-11-01"})
    );
    assert_eq!(reports["due"], "2026-12-15");

    let mut with_sales = extra.to_vec();
    with_sales.extend(["--fact", "net_sales=$50M"]);
    let royalties = query(SECTION_11, "status royalties", "2027-10-01", &with_sales);
    assert_eq!(royalties["answer"], "violated", "{royalties:#}");
    assert_eq!(royalties["owed"], "6000000", "max(12% of $50M, $2M)");
    assert_eq!(
        royalties["period"],
        serde_json::json!({"from": "2026-08-01", "until": "2027-08-01"})
    );
    assert_eq!(royalties["due"], "2027-09-29");
}

#[test]
fn status_json_of_a_debt_has_no_period() {
    let status = query(SECTION_11, "status upfront", "2025-03-15", &[]);
    assert_eq!(status["answer"], "pending", "{status:#}");
    assert_eq!(status["owed"], "25000000");
    assert_eq!(status["due"], "2025-03-31");
    assert!(
        status.get("period").is_none_or(Value::is_null),
        "{status:#}"
    );
}

// ---------------------------------------------------------------- the bundled licence

#[test]
fn the_licence_example_passes_its_tests() {
    let json = test_passes(LICENCE);
    assert!(json["scenarios"].as_u64().unwrap() >= 10, "{json:#}");
    assert!(json["expectations"].as_u64().unwrap() >= 100, "{json:#}");
    assert!(json["assertions"].as_u64().unwrap() >= 8, "{json:#}");
}

#[test]
fn the_licence_example_checks_without_errors() {
    let output = deal()
        .args(["check", LICENCE, "--format", "json"])
        .output()
        .unwrap();
    let json = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{json:#}");
    assert_eq!(json["errors"], 0, "{json:#}");
}

#[test]
fn the_licence_keeps_a_recurring_obligation_owed_while_its_last_instance_is_open() {
    // Development reports stop at the first sale (2026-08-03), but the last
    // one is due 30 days after its period and is delivered on 2026-08-20.
    let extra = ["--scenario", "on_time"];
    let must = "must marlow deliver development_report to helvion";
    assert_eq!(answer(LICENCE, must, "2026-08-10", &extra), "yes");
    assert_eq!(answer(LICENCE, must, "2026-08-21", &extra), "no");
    let status = query(LICENCE, "status development_reports", "2026-08-10", &extra);
    assert_eq!(
        status["period"],
        serde_json::json!({"from": "2026-03-01", "until": "2026-08-03"}),
        "{status:#}"
    );
    assert_eq!(status["due"], "2026-09-01");
}

// ---------------------------------------------------------------- interpretations (docs/language.md)

#[test]
fn a_record_with_a_quantity_fulfils_one_record_and_is_used_up() {
    let file = "tests/v2/record_quantity.deal";
    test_passes(file);
    let extra = ["--scenario", "two_copies"];
    let second = query(file, "status reports", "2025-04-11", &extra);
    assert_eq!(second["answer"], "pending", "{second:#}");
    assert_eq!(second["performed"], "0", "nothing passed on: {second:#}");
    assert_eq!(second["owed"], "1");
}

#[test]
fn event_deadlines_and_statuses_stand_alone_as_expectations() {
    let json = test_passes("tests/v2/conditions_in_expect.deal");
    assert_eq!(json["expectations"], 5);
}

#[test]
fn only_anyone_is_a_wrong_kind() {
    let dir = TempDir::new("v2-only-anyone");
    let path = dir.write(
        "only_anyone.deal",
        "party a\nasset x\nvenue eu\naction sell\nopen: only anyone may sell x on eu\n",
    );
    let output = deal()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json = json_of(&output);
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["code"], "deal::wrong-kind", "{json:#}");
    assert!(
        finding["help"].as_str().is_some_and(|h| !h.is_empty()),
        "{finding:#}"
    );
}

// ---------------------------------------------------------------- docs/first-contract.md

/// The guide builds its contract in fenced blocks: the declarations, the
/// clauses, the scenario and the assertion. Put together, they must check
/// clean and pass `deal test`, so the guide never shows a contract that
/// does not work.
#[test]
fn the_first_contract_guide_builds_a_contract_that_passes() {
    let guide = std::fs::read_to_string(root().join("docs/first-contract.md")).unwrap();
    let blocks: Vec<&str> = guide.split("```").skip(1).step_by(2).collect();
    let pick = |start: &str| -> &str {
        blocks
            .iter()
            .map(|block| block.trim_start_matches('\n'))
            .find(|block| block.starts_with(start))
            .unwrap_or_else(|| panic!("the guide has a block starting `{start}`"))
    };
    let contract = [
        pick("deal \"HLV-204 licence (first draft)\""),
        pick("/// 2.1"),
        pick("scenario paid_late"),
        pick("/// While the agreement lasts"),
    ]
    .join("\n");
    let dir = TempDir::new("v2-first-contract");
    let path = dir.write("first_contract.deal", &contract);
    let path = path.to_str().unwrap();

    let output = deal()
        .args(["check", path, "--deny", "warnings", "--format", "json"])
        .output()
        .unwrap();
    let json = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{json:#}");

    let json = test_passes(path);
    assert_eq!(json["expectations"], 6);
    assert_eq!(json["assertions"], 1);
}

// ---------------------------------------------------------------- the analyses on v2 forms

/// A remedy on a recurring obligation's violation is live: the first year's
/// payment can be missed (its first deadline is an atom of the analysis).
#[test]
fn a_remedy_on_a_missed_recurring_payment_is_not_dead() {
    let dir = TempDir::new("v2-recurring-remedy");
    let path = dir.write(
        "recurring_remedy.deal",
        "effective 2025-01-01\nparty a\nparty b\nasset fee\nasset licence\naction pay\n\
         action terminate\nyearly: a must pay $1M of fee to b every 1 year\n\
         remedy: b may terminate licence when yearly is violated\n",
    );
    let output = deal()
        .args(["check", "--deny", "warnings", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let json = json_of(&output);
    assert_eq!(output.status.code(), Some(0), "{json:#}");
}

/// A fact read only by a debt's quantity decides how much is owed, never
/// whether the debt is fulfilled in a future; the lints should not need its
/// value.
#[test]
fn a_fact_read_only_by_a_quantity_needs_no_default_for_the_lints() {
    let dir = TempDir::new("v2-quantity-fact");
    let path = dir.write(
        "quantity_fact.deal",
        "effective 2025-01-01\nparty a\nparty b\nasset fee\nasset licence\naction pay\n\
         action terminate\nfact sales: money\n\
         debt: a must pay sales of fee to b by 2025-06-30\n\
         remedy: b may terminate licence when debt is violated\n",
    );
    let output = deal()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let json = json_of(&output);
    assert_eq!(json["errors"], 0, "{json:#}");
}

/// A query that leaves out a qualifier every clause on its act names is
/// answered as section 7 says (`unspecified`), then one hint line names the
/// qualifier and a value that matches (repro: `may marlow commercialise
/// hlv204` against `... on eu`).
#[test]
fn a_query_without_the_qualifier_every_clause_names_gets_a_hint() {
    let dir = TempDir::new("qualifier-hint");
    let file = dir.write(
        "licence.deal",
        "effective 2025-01-01\nparty marlow\nasset hlv204\nvenue eu\nvenue us\naction commercialise\n\
         lic: marlow may commercialise hlv204 on eu\n",
    );
    let file = file.to_str().unwrap();
    let json = query(file, "may marlow commercialise hlv204", "2025-06-01", &[]);
    assert_eq!(json["answer"], "unspecified");
    assert_eq!(
        json["hint"],
        "every clause on this act names `on`; ask `may marlow commercialise hlv204 on eu`"
    );
    let human = deal()
        .args([
            "query",
            file,
            "may marlow commercialise hlv204",
            "--at",
            "2025-06-01",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(human.stdout).unwrap();
    assert!(
        stdout.contains(
            "no clause in force speaks to this act\nhint: every clause on this act names `on`"
        ),
        "{stdout}"
    );
    // The qualifier given, or a value no clause names: no hint.
    let json = query(
        file,
        "may marlow commercialise hlv204 on eu",
        "2025-06-01",
        &[],
    );
    assert_eq!(json["answer"], "yes");
    assert!(json.get("hint").is_none());
    let json = query(
        file,
        "may marlow commercialise hlv204 on us",
        "2025-06-01",
        &[],
    );
    assert_eq!(json["answer"], "unspecified");
    assert!(json.get("hint").is_none());
}
