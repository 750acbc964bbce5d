//! `deal explain` and `explain::clause_sentence`: the golden output on the
//! 2025 example, one sentence per clause form and qualifier, wrapping and
//! determinism.
//!
//! The golden output is the insta snapshot
//! `tests/snapshots/explain_msft_openai_2025.snap`; to accept a deliberate
//! change, run `INSTA_UPDATE=always cargo test --test explain` and review
//! the diff.

mod common;

use common::{TempDir, assert_golden, deal, root};
use deal::eval::{ClauseId, Contract};
use deal::explain::{Layout, clause_sentence, explain_contract};
use deal::source::SourceFile;

const EXAMPLE: &str = "examples/msft_openai_2025.deal";
const GOLDEN: &str = "explain_msft_openai_2025";

fn contract_from(name: &str, text: &str) -> Contract {
    let loaded = deal::load(SourceFile::new(name, text.to_string()));
    loaded
        .contract()
        .unwrap_or_else(|d| panic!("{name} should evaluate: {d:#?}"))
}

fn example() -> Contract {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    contract_from(EXAMPLE, &text)
}

fn sentence_of(contract: &Contract, label: &str) -> String {
    let id: ClauseId = contract
        .clause_by_label(label)
        .unwrap_or_else(|| panic!("no clause {label}"));
    clause_sentence(contract, id)
}

fn check_golden(actual: &str) {
    assert_golden("tests/snapshots", GOLDEN, actual);
}

#[test]
fn golden_output_on_the_2025_example() {
    let text = explain_contract(&example(), Layout::default());
    check_golden(&text);
}

#[test]
fn the_command_prints_the_golden_output_at_80_columns() {
    let output = deal()
        .env("COLUMNS", "80")
        .args(["explain", EXAMPLE])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    check_golden(&stdout);
}

#[test]
fn the_sentences_the_task_names() {
    let c = example();
    assert_eq!(
        sentence_of(&c, "model_ip"),
        "Microsoft Corporation holds IP rights to models and products through 31 December 2032."
    );
    assert_eq!(
        sentence_of(&c, "api_exclusive"),
        "OpenAI API products are exclusive to Microsoft Azure until the expert panel verifies the AGI declaration."
    );
    assert!(
        sentence_of(&c, "compute_cap")
            .contains("when training compute exceeds the compute threshold"),
        "{}",
        sentence_of(&c, "compute_cap")
    );
    assert!(sentence_of(&c, "natsec").ends_with(", notwithstanding api_exclusive."));
    assert_eq!(
        sentence_of(&c, "azure_commitment"),
        "OpenAI Group PBC must purchase $250B of Azure services with Microsoft Corporation."
    );
    assert_eq!(
        sentence_of(&c, "ms_stake"),
        "Microsoft Corporation holds 27% of OpenAI Group PBC."
    );
    assert_eq!(
        sentence_of(&c, "research_ip"),
        "Microsoft Corporation holds IP rights to research until 1 January 2031 or until the expert panel verifies the AGI declaration, whichever comes first."
    );
    assert_eq!(
        sentence_of(&c, "no_rofr"),
        "Microsoft Corporation holds no right of first refusal to be OpenAI's compute provider."
    );
    assert!(
        sentence_of(&c, "foundation_warrant").contains(
            "until warrant deadline (28 October 2040) when share price multiple exceeds 10"
        ),
        "{}",
        sentence_of(&c, "foundation_warrant")
    );
}

const FORMS: &str = r#"
deal "Forms"
effective 2026-01-01
party seller "Seller Ltd"
party buyer "The buyer"
party broker
group sides = seller, buyer
asset goods "Spare parts"
asset fees
asset licence "Licence to the design"
venue eu "the EU market"
venue us
action deliver "deliver"
action pay
event shipped "Seller ships the goods" by seller
event accepted by buyer after shipped
fact defects: number
fact approved: bool
let fee = $2M
let cutoff = 2027-03-31
delivery: seller must deliver goods to buyer by 2026-06-30
payment: buyer must pay fee of fees to seller from shipped + 10 days until accepted by shipped + 30 days
ban: broker must not deliver goods on eu, us
resale: anyone may deliver goods on anywhere unless defects > 3
licensed: sides holds licence when approved and not accepted
no_licence: broker holds no licence through cutoff
lock: exclusive goods with seller to buyer
either: seller may deliver goods from shipped or 2026-09-01 notwithstanding ban
both: buyer may pay fees until (shipped and accepted) - 1 week
"#;

#[test]
fn every_clause_form_and_qualifier_reads_as_a_sentence() {
    let c = contract_from("forms.deal", FORMS);
    assert_eq!(
        sentence_of(&c, "delivery"),
        "Seller Ltd must deliver spare parts to the buyer by 30 June 2026."
    );
    assert_eq!(
        sentence_of(&c, "payment"),
        "The buyer must pay $2M (fee) of fees to Seller Ltd from 10 days after Seller ships the goods until accepted happens by 30 days after Seller ships the goods."
    );
    assert_eq!(
        sentence_of(&c, "ban"),
        "Broker must not deliver spare parts on the EU market or us."
    );
    assert_eq!(
        sentence_of(&c, "resale"),
        "Anyone may deliver spare parts on any venue, unless defects exceeds 3."
    );
    assert_eq!(
        sentence_of(&c, "licensed"),
        "Seller Ltd and the buyer hold licence to the design when approved is true and accepted has not happened."
    );
    assert_eq!(
        sentence_of(&c, "no_licence"),
        "Broker holds no licence to the design through cutoff (31 March 2027)."
    );
    assert_eq!(
        sentence_of(&c, "lock"),
        "Spare parts are exclusive to dealings with Seller Ltd and recipients the buyer."
    );
    assert_eq!(
        sentence_of(&c, "either"),
        "Seller Ltd may deliver spare parts from when Seller ships the goods or from 1 September 2026, whichever comes first, notwithstanding ban."
    );
    assert_eq!(
        sentence_of(&c, "both"),
        "The buyer may pay fees until 7 days before the later of Seller ships the goods and accepted happens."
    );
}

#[test]
fn a_non_clause_id_has_no_sentence() {
    let c = example();
    assert_eq!(clause_sentence(&c, ClauseId(0)), "");
    assert_eq!(clause_sentence(&c, ClauseId(usize::MAX)), "");
}

#[test]
fn output_wraps_at_columns_and_is_deterministic() {
    let run = |columns: &str| {
        let output = deal()
            .env("COLUMNS", columns)
            .args(["explain", EXAMPLE])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let narrow = run("50");
    for line in narrow.lines() {
        // A single word longer than the width may stand alone.
        assert!(
            line.chars().count() <= 50 || !line.trim().contains(' '),
            "{line:?}"
        );
    }
    assert_eq!(narrow, run("50"));
    assert!(!narrow.contains('\u{1b}'), "no escapes when not a terminal");
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(words(&narrow), words(&run("120")));
}

#[test]
fn every_clause_appears_once_under_its_party() {
    let c = example();
    let text = explain_contract(&c, Layout::default());
    for (id, _, _) in c.clauses() {
        let label = c.clause_label(id);
        let needle = format!("- {label}: ");
        assert_eq!(text.matches(&needle).count(), 1, "{label}");
    }
    let microsoft = text.find("Microsoft Corporation (microsoft)").unwrap();
    let openai = text.find("OpenAI Group PBC (openai)").unwrap();
    let exclusivities = text.find("Exclusivities").unwrap();
    let model_ip = text.find("- model_ip:").unwrap();
    let codev = text.find("- codev:").unwrap();
    let api_exclusive = text.find("- api_exclusive:").unwrap();
    assert!(microsoft < model_ip && model_ip < openai);
    assert!(openai < codev && codev < exclusivities);
    assert!(exclusivities < api_exclusive);
}

#[test]
fn a_file_that_does_not_resolve_fails_with_diagnostics() {
    let dir = TempDir::new("explain-unresolved");
    let path = dir.write("bad.deal", "party a\nasset x\naction use\na may use y\n");
    deal().arg("explain").arg(&path).assert().code(1);
    deal()
        .args(["explain", "no/such/file.deal"])
        .assert()
        .code(2);
}
