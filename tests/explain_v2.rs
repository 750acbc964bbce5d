//! `deal explain` on the forms of language version 2 (`only`, `within`,
//! `every`, `survives`, the contract's term, `E by T`, `L is STATUS`,
//! `max`/`min`) and the reading rules: proper nouns and labels keep their
//! capitals, venues that are territories read "in the ...", a comma before
//! `unless`, money rounded for reading (JSON keeps the exact value), verbs
//! that agree with groups. A snapshot holds the sentence of every clause of
//! every bundled example and test contract.
//!
//! After a deliberate change: `cargo insta review` (or `INSTA_UPDATE=always`).

mod common;

use common::{TempDir, deal, deal_files, root};
use deal::eval::{ClauseId, Contract};
use deal::explain::{Layout, clause_sentence, explain_contract};
use deal::source::SourceFile;

fn contract_from(name: &str, text: &str) -> Contract {
    deal::load(SourceFile::new(name, text.to_string()))
        .contract()
        .unwrap_or_else(|d| panic!("{name} should evaluate: {d:#?}"))
}

fn licence() -> Contract {
    let path = "tests/v2/spec_section_11.deal";
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    contract_from(path, &text)
}

fn sentence_of(contract: &Contract, label: &str) -> String {
    let id: ClauseId = contract
        .clause_by_label(label)
        .unwrap_or_else(|| panic!("no clause {label}"));
    clause_sentence(contract, id)
}

#[test]
fn an_exclusive_right_reads_only_and_a_territory_reads_in() {
    assert_eq!(
        sentence_of(&licence(), "eu_licence"),
        "Only Marlow Pharma (licensee) may commercialise HLV-204 in the European Union."
    );
    assert_eq!(
        sentence_of(&licence(), "us_reserved"),
        "Helvion Therapeutics (licensor) may commercialise HLV-204 in the United States."
    );
}

#[test]
fn within_after_reads_as_a_deadline_after_its_trigger() {
    assert_eq!(
        sentence_of(&licence(), "approval_milestone"),
        "Marlow Pharma (licensee) must pay $10M of licence fees to Helvion Therapeutics \
         (licensor) within 45 days after EMA approves HLV-204."
    );
    assert_eq!(
        sentence_of(&licence(), "upfront"),
        "Marlow Pharma (licensee) must pay $25M of licence fees to Helvion Therapeutics \
         (licensor) within 30 days after 1 March 2025."
    );
}

#[test]
fn recurrences_read_as_periods_with_their_own_deadline() {
    assert_eq!(
        sentence_of(&licence(), "reports"),
        "Marlow Pharma (licensee) must deliver royalty report to Helvion Therapeutics \
         (licensor) every quarter from when first commercial sale in the EU, each within \
         45 days after the end of its quarter."
    );
    let royalties = sentence_of(&licence(), "royalties");
    assert!(
        royalties.contains("the greater of 12% of net sales and $2M of licence fees"),
        "{royalties}"
    );
    assert!(royalties.contains(" every year "), "{royalties}");
    let monthly = contract_from(
        "monthly.deal",
        "party a\nasset fee\naction pay\nm: a must pay $1K of fee every 1 month\n\
         w: a must pay $1K of fee every 2 weeks\n",
    );
    assert_eq!(
        sentence_of(&monthly, "m"),
        "A must pay $1K of fee every month."
    );
    assert_eq!(
        sentence_of(&monthly, "w"),
        "A must pay $1K of fee every 14 days."
    );
}

#[test]
fn survival_reads_after_the_end_of_the_contract() {
    assert_eq!(
        sentence_of(&licence(), "confidential"),
        "Marlow Pharma (licensee) must not disclose Helvion's know-how; this survives 5 \
         years after the end of the contract."
    );
    let plain = contract_from(
        "survives.deal",
        "effective 2025-01-01 until 2030-01-01\nparty a\nasset x\naction keep\n\
         k: a must not keep x survives\n",
    );
    assert_eq!(
        sentence_of(&plain, "k"),
        "A must not keep x; this survives the end of the contract."
    );
}

#[test]
fn conditions_on_events_by_a_time_and_on_statuses() {
    assert_eq!(
        sentence_of(&licence(), "terminate_for_breach"),
        "Helvion Therapeutics (licensor) may terminate the licence from 60 days after \
         Helvion notifies a material breach, unless Marlow cures the breach by 60 days \
         after Helvion notifies a material breach."
    );
    assert_eq!(
        sentence_of(&licence(), "terminate_for_nonpayment"),
        "Helvion Therapeutics (licensor) may terminate the licence when approval_milestone \
         is violated."
    );
    let unlabelled = contract_from(
        "cure.deal",
        "party h\nasset agreement\naction terminate\nevent breach_notice\nevent breach_cured\n\
         t: h may terminate agreement unless breach_cured by breach_notice + 60 days\n",
    );
    assert_eq!(
        sentence_of(&unlabelled, "t"),
        "H may terminate agreement, unless breach cured happens by 60 days after \
         breach notice happens."
    );
}

#[test]
fn the_header_states_the_contract_term() {
    let text = explain_contract(&licence(), Layout::default());
    let header: Vec<&str> = text.lines().take(3).collect();
    assert_eq!(header[0], "Licence of HLV-204 (sketch)");
    assert_eq!(
        header[1..].join(" "),
        "The contract runs from 1 March 2025 until the licence term ends or until the \
         licence is terminated, whichever comes first."
    );
}

#[test]
fn proper_nouns_and_labels_keep_their_capitals() {
    let contract = contract_from(
        "nouns.deal",
        "party marlow \"Marlow Pharma\"\nparty helvion\nasset books \"Marlow's books\"\n\
         action audit\nevent approval \"The EMA approves the drug\"\n\
         a: helvion may audit books from approval\n",
    );
    assert_eq!(
        sentence_of(&contract, "a"),
        "Helvion may audit Marlow's books from when the EMA approves the drug."
    );
}

#[test]
fn platforms_keep_on_and_groups_agree_with_their_verb() {
    let contract = contract_from(
        "venues.deal",
        "party openai\nparty microsoft\ngroup partners = openai, microsoft\n\
         asset api\nasset ip\naction host\nvenue azure \"Microsoft Azure\"\nvenue jp \"Japan\"\n\
         h: openai may host api on azure\nj: openai may host api on jp\n\
         both: partners holds ip\n",
    );
    assert_eq!(
        sentence_of(&contract, "h"),
        "Openai may host api on Microsoft Azure."
    );
    assert_eq!(sentence_of(&contract, "j"), "Openai may host api in Japan.");
    assert_eq!(
        sentence_of(&contract, "both"),
        "Openai and microsoft hold ip."
    );
}

#[test]
fn money_reads_rounded_and_json_keeps_it_exact() {
    let text = "party a\nparty b\nasset fees\naction pay\nlet third = $50M / 3\n\
                p: a must pay third of fees to b\n";
    let contract = contract_from("money.deal", text);
    assert_eq!(
        sentence_of(&contract, "p"),
        "A must pay $16,666,666.67 (third) of fees to b."
    );
    let explained = explain_contract(&contract, Layout::default());
    assert!(
        explained.contains("third = $50M / 3 = $16,666,666.67"),
        "{explained}"
    );
    let dir = TempDir::new("explain-v2-money");
    let file = dir.write("money.deal", text);
    let output = deal()
        .args(["query", "--format", "json", "--at", "2030-01-01"])
        .arg(&file)
        .arg("third")
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let exact = json["value"]["value"].as_str().unwrap();
    assert!(exact.starts_with("16666666.6666666"), "{exact}");
}

/// Every `.deal` file under `dir` (relative to the crate), sorted.
#[test]
fn every_clause_of_every_example_and_corpus_file() {
    let mut out = String::new();
    for dir in [
        "examples",
        "tests/corpus/ok",
        "tests/corpus/err",
        "tests/v2",
    ] {
        for path in deal_files(dir) {
            let relative = path.strip_prefix(root()).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            out.push_str(&format!("== {relative}\n"));
            match deal::load(SourceFile::new(&relative, text)).contract() {
                Ok(contract) => {
                    for (id, _, _) in contract.clauses() {
                        out.push_str(&format!(
                            "{}: {}\n",
                            contract.clause_label(id),
                            clause_sentence(&contract, id)
                        ));
                    }
                }
                Err(_) => out.push_str("(does not evaluate)\n"),
            }
        }
    }
    insta::assert_snapshot!("every_clause", out);
}
