//! Snapshots (insta) of `deal query`'s human explanations: the answer, each
//! deciding clause with its doc comment and window, and what would change
//! the answer. After a deliberate change: `cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test explanations` and review the diff.

mod common;

use common::deal;

const EXAMPLE: &str = "examples/msft_openai_2025.deal";

/// (golden file name, arguments after `deal query EXAMPLE`)
const CASES: &[(&str, &[&str])] = &[
    (
        "query_no_exclusive",
        &[
            "may openai host api on gcp",
            "--at",
            "2027-01-01",
            "--scenario",
            "early_agi",
        ],
    ),
    (
        "query_yes_exception",
        &[
            "may openai host api on gcp to us_natsec",
            "--at",
            "2027-01-01",
        ],
    ),
    (
        "query_unspecified_after_agi",
        &[
            "may openai host api on gcp",
            "--at",
            "2029-01-01",
            "--scenario",
            "early_agi",
        ],
    ),
    (
        "query_holds_readers_question",
        &[
            "holds microsoft model_ip",
            "--at",
            "2031-06-01",
            "--scenario",
            "agi_2027",
        ],
    ),
    (
        "query_status",
        &[
            "status azure_commitment",
            "--at",
            "2027-01-01",
            "--scenario",
            "early_agi",
        ],
    ),
    (
        "query_value",
        &["stake_value / stake", "--at", "2027-01-01"],
    ),
    (
        "query_forbidden_by_condition",
        &[
            "may microsoft develop agi_with_openai_ip",
            "--at",
            "2030-06-01",
            "--scenario",
            "late_agi",
        ],
    ),
];

#[test]
fn human_explanations_match_their_snapshots() {
    for (name, args) in CASES {
        let output = deal()
            .args(["query", EXAMPLE])
            .args(*args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let got = String::from_utf8(output.stdout).unwrap();
        insta::assert_snapshot!(*name, got);
    }
}
