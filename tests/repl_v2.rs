//! The REPL on language version 2: `:status LABEL` answers with the amount
//! owed, the deadline and, for a recurring obligation, the deciding period
//! (as the query `status LABEL` does, so `:why` follows it); `:status`
//! alone lists every obligation; completion offers and highlighting colours
//! the new words (`only`, `within`, `every`, `survives`, `max`, `min`).

mod common;

use common::{TempDir, deal};
use deal::repl::helper::{complete_words, highlight};
use deal::repl::{Session, Vocabulary};
use std::path::PathBuf;

const LICENCE: &str = "\
effective 2025-01-01
party marlow
party helvion
asset fees
asset report
venue eu
action pay
action deliver
action commercialise
eu_licence: only marlow may commercialise fees on eu
upfront: marlow must pay $25M of fees to helvion within 30 days after 2025-01-01
reports: marlow must deliver report to helvion every 3 months within 30 days
scenario paid {
  marlow pay $10M of fees to helvion on 2025-01-20
}
";

/// The licence in a file of its own for each test (tests run in parallel),
/// and its directory, which lasts as long as the value is kept.
fn licence_file(test: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new(&format!("repl-v2-{test}"));
    let path = dir.write("licence.deal", LICENCE);
    (dir, path)
}

fn batch(test: &str, script: &str) -> (String, String, i32) {
    let (_dir, licence) = licence_file(test);
    let output = deal()
        .arg("repl")
        .arg(&licence)
        .write_stdin(script)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr, output.status.code().unwrap_or(-1))
}

#[test]
fn status_of_a_debt_shows_what_is_owed_and_when() {
    let (stdout, stderr, code) = batch("debt", ":scenario paid\n:at 2025-02-15\n:status upfront\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("violated (performed $10M of $25M, due 2025-01-31)"),
        "{stdout}"
    );
}

#[test]
fn status_of_a_recurring_obligation_shows_its_period() {
    let (stdout, stderr, code) = batch("recurring", ":at 2025-02-15\n:status reports\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "pending (performed 0 of 1, due 2025-04-30, period 2025-01-01 to 2025-03-31)"
        ),
        "{stdout}"
    );
}

#[test]
fn status_without_a_label_lists_every_obligation() {
    let (stdout, stderr, code) = batch("all", ":scenario paid\n:at 2025-02-15\n:status\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("obligations on 2025-02-15:"), "{stdout}");
    assert!(
        stdout.contains("upfront  violated (performed $10M of $25M, due 2025-01-31)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("reports  pending (performed 0 records of 1 record, due 2025-04-30, period 2025-01-01 to 2025-03-31)"),
        "{stdout}"
    );
    assert!(!stdout.contains("eu_licence"), "{stdout}");
}

#[test]
fn status_of_something_that_is_not_an_obligation_fails_with_a_diagnostic() {
    let (_, stderr, code) = batch("not_an_obligation", ":status eu_licence\n:status a b\n");
    assert_eq!(code, 1);
    assert!(stderr.contains("eu_licence"), "{stderr}");
    assert!(
        stderr.contains("`:status` takes one obligation's label"),
        "{stderr}"
    );
}

fn vocabulary(test: &str) -> Vocabulary {
    let mut session = Session::new("2025-02-15".parse().unwrap());
    let (_dir, licence) = licence_file(test);
    let reply = session.load_file(&licence);
    assert!(!reply.failed(), "{reply:?}");
    Vocabulary::of(session.loaded())
}

#[test]
fn completion_offers_the_new_words_and_status_labels() {
    let vocabulary = vocabulary("completion");
    let words = |line: &str| complete_words(&vocabulary, line, line.len()).1;
    assert_eq!(words(":status "), vec!["reports", "upfront"]);
    assert_eq!(words(":status u"), vec!["upfront"]);
    assert_eq!(words("only "), vec!["helvion", "marlow"]);
    assert!(words("marlow must pay fees ").contains(&"every".to_string()));
    assert!(words("marlow must pay fees w").contains(&"within".to_string()));
    assert!(words("marlow must not pay fees s").contains(&"survives".to_string()));
    assert!(words("").contains(&"only".to_string()));
}

#[test]
fn the_new_keywords_are_highlighted() {
    let vocabulary = vocabulary("highlighting");
    let line = "only marlow may pay fees every 3 months within 30 days survives";
    let painted = highlight(&vocabulary, line);
    for word in ["only", "every", "within", "survives"] {
        assert!(
            painted.contains(&format!("\x1b[1;34m{word}\x1b[0m")),
            "{word} in {painted:?}"
        );
    }
    let painted = highlight(&vocabulary, "max($1M, $2M) > min($1M, $2M)");
    assert!(painted.contains("\x1b[1;34mmax\x1b[0m"), "{painted:?}");
    assert!(painted.contains("\x1b[1;34mmin\x1b[0m"), "{painted:?}");
}

/// `:why` tries a missing event on every date, not only on the day asked:
/// a right that starts 60 days after the event is there if the event
/// happened 60 days earlier or before (repro cure_60.deal, where it once
/// said no event would change the answer).
#[test]
fn why_names_the_dates_on_which_an_event_changes_the_answer() {
    let dir = TempDir::new("repl-v2-why");
    let path = dir.write(
        "cure.deal",
        "effective 2025-01-01\nparty helvion\nasset agreement\naction terminate\n\
         event breach_notice by helvion\n\
         termination_right: helvion may terminate agreement from breach_notice + 60 days\n",
    );
    let output = deal()
        .arg("repl")
        .arg(&path)
        .write_stdin(":at 2028-03-01\nmay helvion terminate agreement\n:why\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("yes if `breach_notice` happens on or before 2028-01-01"),
        "{stdout}"
    );
    // The claim replays: the event on the last date of the run changes it.
    let query = deal()
        .args(["query"])
        .arg(&path)
        .args(["may helvion terminate agreement", "--at", "2028-03-01"])
        .args(["--event", "breach_notice=2028-01-01", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&query.stdout).unwrap();
    assert_eq!(json["answer"], "yes", "{json}");
}

/// `:help` shows example questions in the loaded contract's own names.
#[test]
fn help_examples_use_the_loaded_contracts_names() {
    let (stdout, stderr, code) = batch("help", ":help\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("\n  must marlow pay fees to helvion\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\n  status upfront\n"), "{stdout}");
    assert!(!stdout.contains("openai"), "{stdout}");
}
