//! `deal repl` in batch mode: stdin is not a terminal, so every line is run,
//! results go to stdout and diagnostics to stderr, plainly, with no prompts;
//! the exit status is 1 if any line failed.

mod common;

use common::{TempDir, deal, deal_path};

const EXAMPLE: &str = "examples/msft_openai_2025.deal";

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn repl(file: Option<&str>, script: &str) -> Run {
    let mut cmd = deal();
    cmd.arg("repl");
    if let Some(file) = file {
        cmd.arg(file);
    }
    let output = cmd.write_stdin(script).output().unwrap();
    let run = Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        code: output.status.code().unwrap_or(-1),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "the REPL crashed:\n{}",
        run.stderr
    );
    run
}

const SMALL: &str = "\
party openai
asset api
venue azure
venue gcp
action host
event agi_verified
let stake = 27%
/// API products stay on Azure until AGI is verified.
api_exclusive: exclusive api on azure until agi_verified
scenario early {
  agi_verified on 2028-09-01
}
";

#[test]
fn a_query_is_answered_with_its_deciding_clauses_exactly_as_deal_query_does() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n:scenario early_agi\nmay openai host api on gcp\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let query = deal()
        .args([
            "query",
            EXAMPLE,
            "may openai host api on gcp",
            "--at",
            "2027-01-01",
            "--scenario",
            "early_agi",
        ])
        .output()
        .unwrap();
    let expected = String::from_utf8(query.stdout).unwrap();
    assert!(expected.starts_with("no: may openai host api on gcp"));
    assert!(expected.contains("api_exclusive forbids"));
    assert!(
        run.stdout.ends_with(&expected),
        "REPL:\n{}\nquery:\n{expected}",
        run.stdout
    );
    // No prompts in batch mode.
    assert!(!run.stdout.contains("deal 2027-01-01"), "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn every_kind_of_query_is_answered() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n:scenario early_agi\n\
         holds microsoft model_ip\n\
         must openai pay revenue_share to microsoft\n\
         status azure_commitment\n\
         stake_value / stake\n\
         may openai host api on gcp to us_natsec\n\
         holds microsoft post_agi_model_ip\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "yes: holds microsoft model_ip (on 2027-01-01, scenario early_agi)",
        "model_ip permits",
        "yes: must openai pay revenue_share to microsoft",
        "revenue_share_payments requires",
        "pending (performed $40B of $250B, no deadline): status azure_commitment",
        "$500B: stake_value / stake",
        "yes: may openai host api on gcp to us_natsec",
        "natsec permits",
        "unspecified: holds microsoft post_agi_model_ip",
        "no clause in force speaks to this act",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
}

#[test]
fn a_typed_clause_changes_an_answer_and_undo_restores_it() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n\
         may openai host api on gcp\n\
         gcp_deal: openai may host api on gcp notwithstanding api_exclusive\n\
         may openai host api on gcp\n\
         :undo\n\
         may openai host api on gcp\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let answers: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.ends_with("may openai host api on gcp (on 2027-01-01)"))
        .collect();
    assert_eq!(
        answers,
        vec![
            "no: may openai host api on gcp (on 2027-01-01)",
            "yes: may openai host api on gcp (on 2027-01-01)",
            "no: may openai host api on gcp (on 2027-01-01)",
        ],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("added clause `gcp_deal`: in force from 2025-10-28, with no end"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("gcp_deal permits"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "removed: gcp_deal: openai may host api on gcp notwithstanding api_exclusive"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the last answer changes: no (was yes): may openai host api on gcp"),
        "{}",
        run.stdout
    );
}

#[test]
fn typed_declarations_extend_the_contract_and_errors_are_refused() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n\
         x: openai may host api on gcpp\n\
         party newco \"New Co\"\n\
         newco_api: newco may host api on azure\n\
         may newco host api on azure\n\
         may openai host api on gcpp\n",
    );
    assert_eq!(run.code, 1);
    // The misspelt venue: refused, with its diagnostic on the typed line.
    assert!(
        run.stderr.contains("`gcpp` is not declared"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("<input>:1:27"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `gcp`?"), "{}", run.stderr);
    assert!(run.stdout.contains("not added"), "{}", run.stdout);
    assert!(run.stdout.contains("added party `newco`"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("yes: may newco host api on azure (on 2027-01-01)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("newco_api permits"), "{}", run.stdout);
}

#[test]
fn a_label_typed_twice_points_at_both_places() {
    let run = repl(Some(EXAMPLE), "api_exclusive: openai may host api on gcp\n");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("deal::duplicate-name"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("first declared here: examples/msft_openai_2025.deal:125:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn error_lines_fail_the_run_but_later_lines_still_run() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n\
         may openai host api on gpc\n\
         :nosuch\n\
         holds microsoft model_ip\n",
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("deal::unknown-name"), "{}", run.stderr);
    assert!(run.stderr.contains("<input>:1:24"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown command `:nosuch`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("yes: holds microsoft model_ip (on 2027-01-01)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_clean_script_exits_zero_and_warnings_do_not_fail_it() {
    let run = repl(
        None,
        "party a\nasset x\naction use\na may use x\nmay a use x\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("added clause `clause_4`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("clause_4 permits — <repl>:4"),
        "{}",
        run.stdout
    );
}

#[test]
fn evaluation_errors_point_into_the_typed_line_or_the_contract() {
    let run = repl(
        Some(EXAMPLE),
        "$1B / 0\nmay microsoft develop agi_with_openai_ip\n",
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("division by zero"), "{}", run.stderr);
    // Labelled on the divisor, in the typed line.
    assert!(run.stderr.contains("<input>:1:7"), "{}", run.stderr);
    assert!(run.stderr.contains(" 1 │ $1B / 0\n"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("fact `training_compute` has no value in this scenario"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("examples/msft_openai_2025.deal:167:8"),
        "{}",
        run.stderr
    );
}

#[test]
fn at_changes_the_day_and_defaults_to_today() {
    let run = repl(
        None,
        ":at 2030-02-03\n2030-02-03 + 1 month\n:at\n:at 2030-02-30\n",
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("answers are now for 2030-02-03"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("2030-03-03: 2030-02-03 + 1 month (on 2030-02-03)")
    );
    let today = chrono::Local::now().date_naive();
    assert!(
        run.stdout.contains(&format!("answers are now for {today}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("`2030-02-30` is not a date"),
        "{}",
        run.stderr
    );
}

#[test]
fn event_unevent_and_fact_change_the_session_scenario() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2029-01-01\n\
         may openai host api on gcp\n\
         :event agi_declared 2028-01-01\n\
         :event agi_verified 2028-06-01\n\
         may openai host api on gcp\n\
         :unevent agi_verified\n\
         may openai host api on gcp\n\
         :fact training_compute 2e28 flop\n\
         :fact compute_threshold 1e28 flop\n\
         may microsoft develop agi_with_openai_ip\n\
         :scenario\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "no: may openai host api on gcp (on 2029-01-01)",
        "agi_declared on 2028-01-01",
        "agi_verified on 2028-06-01",
        "unspecified: may openai host api on gcp (on 2029-01-01)",
        "agi_verified never happens",
        "training_compute = 2e28 flop",
        "no: may microsoft develop agi_with_openai_ip (on 2029-01-01)",
        "compute_cap forbids",
        "no scenario (changed by :event/:fact)",
        "  events: agi_declared on 2028-01-01\n",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
    let answers: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.ends_with("may openai host api on gcp (on 2029-01-01)"))
        .collect();
    assert_eq!(answers.len(), 3);
    assert!(answers[2].starts_with("no:"), "{answers:?}");
}

#[test]
fn a_scenario_change_that_breaks_after_order_is_refused_at_the_command() {
    let run = repl(
        Some(EXAMPLE),
        ":scenario early_agi\n:event agi_verified 2027-01-01\n:scenario\n",
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("deal::bad-scenario"), "{}", run.stderr);
    assert!(run.stderr.contains("<input>:1:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains(":event agi_verified 2027-01-01"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("not changed"), "{}", run.stdout);
    // The scenario is as it was.
    assert!(
        run.stdout
            .contains("events: agi_declared on 2028-03-01, agi_verified on 2028-09-01"),
        "{}",
        run.stdout
    );
}

#[test]
fn command_arguments_are_checked_with_suggestions() {
    let run = repl(
        Some(EXAMPLE),
        ":event agi_verifed 2028-01-01\n\
         :fact training_compute lots\n\
         :scenario eraly_agi\n\
         :explain api_exclusiv\n\
         :timelin\n\
         :help nosuch\n\
         :event\n\
         :why\n",
    );
    assert_eq!(run.code, 1);
    for expected in [
        "`agi_verifed` is not a declared event (did you mean `agi_verified`?)",
        "`lots` is not flop",
        "no scenario named `eraly_agi` (did you mean `early_agi`?)",
        "(did you mean `api_exclusive`?)",
        "unknown command `:timelin` (did you mean `:timeline`?)",
        "`:event` needs a name and a date",
        "no answer yet",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}

#[test]
fn scenario_switches_and_shows_the_scenario() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2028-10-01\n:scenario early_agi\nmay openai host api on gcp\n:scenario none\nmay openai host api on gcp\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("scenario early_agi \"AGI verified in 2028\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("training_compute = 5e26 flop"));
    assert!(
        run.stdout.contains(
            "unspecified: may openai host api on gcp (on 2028-10-01, scenario early_agi)"
        )
    );
    assert!(
        run.stdout
            .contains("no: may openai host api on gcp (on 2028-10-01)\n")
    );
}

#[test]
fn clauses_lists_what_is_in_force_with_obligation_status() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n:scenario early_agi\n:clauses\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("in force on 2027-01-01 under scenario early_agi: 22 of 24 clauses"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "azure_commitment        openai must purchase $250B of azure_services with microsoft  [pending (performed $40B of $250B)]"
    ), "{}", run.stdout);
    assert!(run.stdout.contains("[pending (0 records so far)]"));
    assert!(
        run.stdout
            .contains("not in force: post_agi_models, compute_cap"),
        "{}",
        run.stdout
    );
}

#[test]
fn why_gives_the_full_explanation_of_the_last_answer() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n\
         :scenario agi_never\n\
         may openai host api on gcp\n\
         :at 2030-01-01\n\
         :why\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let why = run
        .stdout
        .split("answers are now for 2030-01-01\n")
        .nth(1)
        .unwrap();
    assert!(
        why.starts_with("no: may openai host api on gcp (on 2027-01-01, scenario agi_never)"),
        "{why}"
    );
    assert!(why.contains("api_exclusive forbids"), "{why}");
    assert!(
        why.contains("under scenario agi_never\n  events: none happens"),
        "{why}"
    );
    assert!(
        why.contains("unspecified from 2027-01-01, when `agi_verified` happens"),
        "{why}"
    );
}

#[test]
fn timeline_lists_each_clause_window_by_start() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n:scenario early_agi\n:timeline\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.contains("timeline under scenario early_agi\n  events: agi_declared on 2028-03-01, agi_verified on 2028-09-01\n"), "{out}");
    assert!(out.contains("api_exclusive           in force from 2025-10-28 until 2028-09-01 (last day 2028-08-31) in this scenario (agi_verified on 2028-09-01)"), "{out}");
    let marker = out.find("── 2027-01-01 (the session's day) ──").unwrap();
    let post_agi = out.find("post_agi_models").unwrap();
    let api = out.find("api_exclusive").unwrap();
    assert!(api < marker && marker < post_agi, "{out}");
}

#[test]
fn explain_shows_doc_source_window_and_exceptions() {
    let run = repl(
        Some(EXAMPLE),
        ":at 2027-01-01\n:explain api_exclusive\n:explain natsec\n:explain stake\n:explain anyone\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "api_exclusive (exclusivity) — examples/msft_openai_2025.deal:125",
        "/// 2. \"OpenAI's API products are exclusive to Azure until AGI is verified.\"",
        "125 │ api_exclusive: exclusive api on azure until agi_verified",
        "in force from 2025-10-28, with no end in this scenario (agi_verified never happens)",
        "on 2027-01-01: in force",
        "overridden where they apply by: natsec",
        "an exception to: api_exclusive",
        "stake (let) — examples/msft_openai_2025.deal:70",
        "70 │ let stake = 27%",
        "anyone: predeclared wildcard (any party)",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
}

#[test]
fn load_reload_undo_check_help_and_quit() {
    let dir = TempDir::new("repl-load");
    let path = dir.write("small.deal", SMALL).display().to_string();
    let script = format!(
        ":help\n:help at\n:load {path}\n:at 2027-01-01\n\
         may openai host api on gcp\n\
         gcp_ok: openai may host api on gcp notwithstanding api_exclusive\n\
         :check\n:undo\n:undo\n:reload\n:quit\nmay openai host api on gcp\n"
    );
    let run = repl(Some(EXAMPLE), &script);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.contains("Commands:\n  :help [COMMAND]"), "{out}");
    for info in deal::repl::COMMANDS {
        assert!(out.contains(&format!("  :{}", info.name)), "{}", info.name);
    }
    assert!(
        out.contains(":at [DATE|today]\n  answer for this day"),
        "{out}"
    );
    assert!(
        out.contains(&format!("loaded {path}: 1 clause, 1 scenario")),
        "{out}"
    );
    assert!(
        out.contains("no: may openai host api on gcp (on 2027-01-01)"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{path}: 0 errors, 0 warnings")),
        "{out}"
    );
    assert!(out.contains("removed: gcp_ok"), "{out}");
    assert!(run.stderr.contains("nothing to undo"), "{}", run.stderr);
    assert!(
        out.contains(&format!("reloaded {path}: 1 clause, 1 scenario")),
        "{out}"
    );
    // Nothing after :quit runs.
    assert_eq!(
        out.matches("may openai host api on gcp (on").count(),
        1,
        "{out}"
    );
}

#[test]
fn reload_keeps_typed_items_and_picks_up_file_changes() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let dir = TempDir::new("repl-reload");
    let path = dir.write("c.deal", SMALL).display().to_string();
    // A std Command: the test writes to stdin while the session runs.
    let mut child = std::process::Command::new(deal_path())
        .args(["repl", &path, "--at", "2027-01-01"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdin
        .write_all(b"party newco\nmay openai host api on gcp\n")
        .unwrap();
    stdin.flush().unwrap();
    // Batch output is flushed after each line: wait for the first answer.
    let mut seen = String::new();
    while !seen.contains("no: may openai host api on gcp") {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "{seen}");
        seen.push_str(&line);
    }
    // Edit the file while the session runs, then reload it.
    std::fs::write(
        &path,
        format!("{SMALL}gcp_ok: openai may host api on gcp notwithstanding api_exclusive\n"),
    )
    .unwrap();
    stdin
        .write_all(b":reload\nmay openai host api on gcp\nholds newco api\n")
        .unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{seen}{rest}");
    assert!(seen.contains("added party `newco`"), "{seen}");
    assert!(
        rest.contains(&format!(
            "reloaded {path}: 2 clauses, 1 scenario (1 typed chunk)"
        )),
        "{rest}"
    );
    assert!(
        rest.contains("the last answer changes: yes (was no): may openai host api on gcp"),
        "{rest}"
    );
    assert!(
        rest.contains("yes: may openai host api on gcp (on 2027-01-01)"),
        "{rest}"
    );
    assert!(
        rest.contains("in force from the start, with no end"),
        "{rest}"
    );
    // The typed party survived the reload.
    assert!(rest.contains("unspecified: holds newco api"), "{rest}");
}

#[test]
fn a_contract_with_errors_is_shown_and_the_session_still_starts() {
    let dir = TempDir::new("repl-errors");
    let path = dir
        .write(
            "broken.deal",
            "party a\nasset x\naction use\nok: a may use x on cloud\n",
        )
        .display()
        .to_string();
    let run = repl(
        Some(&path),
        "$1B + $2B\nmay a use x\nvenue cloud\nmay a use x on cloud\n",
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("`cloud` is not declared"),
        "{}",
        run.stderr
    );
    // Expressions need no contract... but evaluation needs one that resolves.
    assert!(
        run.stderr
            .contains("the contract has 1 error that stop evaluation"),
        "{}",
        run.stderr
    );
    // Declaring the missing name makes it evaluable.
    assert!(run.stdout.contains("added venue `cloud`"), "{}", run.stdout);
    assert!(
        run.stdout.contains("yes: may a use x on cloud"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_contract_that_does_not_parse_still_starts() {
    let dir = TempDir::new("repl-syntax");
    let path = dir
        .write("bad.deal", "party a\nthis is not deal\n")
        .display()
        .to_string();
    let run = repl(Some(&path), ":help\n1 + 1\nparty b\n:check\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("deal::syntax"), "{}", run.stderr);
    assert!(run.stdout.contains("Commands:"), "{}", run.stdout);
    assert!(run.stderr.contains("does not parse"), "{}", run.stderr);
}

#[test]
fn an_unreadable_file_is_a_usage_error() {
    let run = repl(Some("/nonexistent/contract.deal"), "");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}

#[test]
fn input_over_several_lines_is_one_item() {
    let run = repl(
        Some(EXAMPLE),
        "scenario typed \"typed in\" {\n\
         \x20 agi_declared on 2027-01-01\n\
         \x20 agi_verified on 2027-06-01\n\
         }\n\
         :scenario typed\n\
         :at 2027-07-01\n\
         may openai host api on gcp\n\
         let total = (stake_value\n\
         \x20 + $1B)\n\
         total\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("added scenario `typed`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("unspecified: may openai host api on gcp (on 2027-07-01, scenario typed)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("$136B: total"), "{}", run.stdout);
}

#[test]
fn an_item_left_open_does_not_swallow_the_commands_after_it() {
    let run = repl(None, "scenario s {\n:at 2030-01-01\n1 + 1\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("deal::syntax"), "{}", run.stderr);
    assert!(run.stdout.contains("answers are now for 2030-01-01"));
    assert!(
        run.stdout.contains("2: 1 + 1 (on 2030-01-01)"),
        "{}",
        run.stdout
    );
}

#[test]
fn comments_and_blank_lines_do_nothing() {
    let run = repl(Some(EXAMPLE), "// a note\n\n   \n/// doc\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn start_options_set_the_day_and_scenario() {
    let output = deal()
        .args([
            "repl",
            EXAMPLE,
            "--at",
            "2027-01-01",
            "--scenario",
            "early_agi",
        ])
        .write_stdin("may openai host api on gcp\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout.starts_with("no: may openai host api on gcp (on 2027-01-01, scenario early_agi)"),
        "{stdout}"
    );
    let bad = deal()
        .args(["repl", EXAMPLE, "--scenario", "nope"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// Garbage of every shape: each line fails or succeeds, none crashes the REPL.
#[test]
fn garbage_never_crashes_it() {
    let mut lines: Vec<String> = [
        "", ":", "::", ": :", ":at ::", ":event", ":event a b c", ":fact", ":fact x",
        ":fact training_compute", ":scenario a b", ":explain", ":explain 1", ":load",
        ":load /", ":load \"\"", ":undo x", "{", "}", "(", ")", "\"", "\\", "$", "%",
        "$$$", "1e999999", "1e40 * 1e40 * 1e40", "-", "--", "may", "must not",
        "holds holds holds", "status", "status status", "not may a b c",
        "may openai host api on gcp on gcp", "may anyone host api", "2031-02-30",
        "2030-1-1", "$1.5 M", "27 %", "x:", ":::::", "\u{0}", "é", "∞ → ⊥",
        "party", "party party", "let x =", "let x = x", "let y = y + 1",
        "group g = g", "event e after e", "a: anyone may host api notwithstanding a",
        "deal \"t\"", "effective 2020-01-01", "effective 2020-01-01",
        "assert a: always may openai host api on gcp",
        "scenario s { expect at 2027-01-01 { may openai host api on gcp } }",
        "stake_value / (stake - stake)", "true and 1", "not not not true",
        "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
        ":at 9999-12-31", "may openai host api on gcp", "2028-01-01 + 99999 years",
        ":at 0001-01-01", "may openai host api on gcp", ":timeline", ":clauses",
        ":why", ":undo", ":undo", ":undo", ":check",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // A deterministic spray of short random lines over the language's characters.
    let alphabet: Vec<char> = "abcmayonsthld_:{}()\"$%.,-+*/<>=!0123456789 \u{e9}\\\t"
        .chars()
        .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..300 {
        let mut line = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 40) as usize;
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            line.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        lines.push(line);
    }
    let mut script = lines.join("\n");
    script.push_str("\n}}}}}}}}}}))))))))\"\n:at 2027-01-01\nholds microsoft model_ip\n");
    let run = repl(Some(EXAMPLE), &script);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("yes: holds microsoft model_ip (on 2027-01-01)"),
        "the last line did not run:\n{}",
        run.stdout
    );
}

#[test]
fn input_that_is_not_utf8_is_an_error_line() {
    let output = deal()
        .args(["repl", EXAMPLE])
        .write_stdin(b"\xff\xfe may\n1 + 1\n".to_vec())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("input line 1 is not UTF-8 text"),
        "{stderr}"
    );
    assert!(stdout.contains("2: 1 + 1"), "{stdout}");
}

/// The same lines as `an_unterminated_string_ends_at_its_line` in
/// tests/repl_pty.rs, in batch mode.
#[test]
fn an_unterminated_string_ends_at_its_line_in_batch_mode() {
    let run = repl(Some(EXAMPLE), "party p \"Open\nparty q\n");
    assert!(run.stderr.contains("unterminated string"), "{}", run.stderr);
    assert!(run.stdout.contains("added party `q`"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}
