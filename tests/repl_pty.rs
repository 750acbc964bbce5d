//! `deal repl` on a terminal: a pseudo-terminal drives the interactive
//! session the way a person would (tab completion, multi-line input,
//! Ctrl-C, Ctrl-D, history, highlighting).
#![cfg(unix)]

mod common;

use common::{TempDir, deal_path, root};
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};
use std::path::PathBuf;
use std::process::Command;

/// Generous: debug builds on a busy machine.
const TIMEOUT_MS: u64 = 30_000;
const EXAMPLE: &str = "examples/msft_openai_2025.deal";
const PROMPT: &str = "deal 2027-01-01> ";

/// The session's history file, in the scratch directory that is its home.
fn history_file(scratch: &TempDir) -> PathBuf {
    scratch.path().join("history")
}

fn spawn(scratch: &TempDir, color: bool) -> PtySession {
    // A std Command, which rexpect runs in a pseudo-terminal.
    let mut cmd = Command::new(deal_path());
    cmd.args(["repl", EXAMPLE, "--at", "2027-01-01"])
        .current_dir(root())
        .env("TERM", "xterm")
        .env("HOME", scratch.path())
        .env("DEAL_HISTORY", history_file(scratch))
        .env_remove("XDG_STATE_HOME")
        .env("COLUMNS", "200");
    if color {
        cmd.env_remove("NO_COLOR");
    } else {
        cmd.env("NO_COLOR", "1");
    }
    let mut session = spawn_command(cmd, Some(TIMEOUT_MS)).unwrap();
    session.exp_string(PROMPT).unwrap();
    session
}

/// Type keys (rexpect buffers what is sent until it is flushed).
fn keys(session: &mut PtySession, text: &str) {
    session.send(text).unwrap();
    session.flush().unwrap();
}

/// Ctrl-C, then wait for the fresh, empty prompt (keys sent before it
/// would be read ahead and dropped with the interrupted line).
fn interrupt(session: &mut PtySession) {
    session.send_control('c').unwrap();
    session.exp_string(&format!("{PROMPT}\r")).unwrap();
}

/// Ctrl-D at an empty prompt: the session ends with status 0.
fn leave(mut session: PtySession) {
    session.send_control('d').unwrap();
    session.exp_eof().unwrap();
    match session.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => assert_eq!(code, 0),
        other => panic!("the REPL did not exit normally: {other:?}"),
    }
}

#[test]
fn tab_completes_commands_and_declared_names() {
    let scratch = TempDir::new("pty-complete");
    let mut session = spawn(&scratch, false);
    // `:he<TAB>` becomes `:help`.
    keys(&mut session, ":he\t");
    session.exp_string(":help").unwrap();
    keys(&mut session, "\r");
    session.exp_string("Commands:").unwrap();
    session.exp_string(PROMPT).unwrap();
    // A partial declared name completes to the one of the kind expected.
    keys(&mut session, "holds microsoft model_i\t");
    session.exp_string("model_ip").unwrap();
    keys(&mut session, "\r");
    session
        .exp_string("yes: holds microsoft model_ip (on 2027-01-01)")
        .unwrap();
    session.exp_string(PROMPT).unwrap();
    // A scenario name after `:scenario`.
    keys(&mut session, ":scenario early_a\t\r");
    session
        .exp_string("scenario early_agi \"AGI verified in 2028\"")
        .unwrap();
    session.exp_string("deal 2027-01-01 early_agi> ").unwrap();
    leave(session);
}

#[test]
fn an_unclosed_bracket_continues_on_the_next_line() {
    let scratch = TempDir::new("pty-multiline");
    let mut session = spawn(&scratch, false);
    // Each continuation line is read with the continuation prompt,
    // right-aligned under the prompt (keys typed before a prompt shows are
    // dropped by the line editor, so each line waits for its prompt).
    const CONTINUATION: &str = "            ...> ";
    keys(&mut session, "scenario typed {\r");
    session.exp_string(CONTINUATION).unwrap();
    keys(&mut session, "  agi_declared on 2026-01-01\r");
    session.exp_string("2026-01-01\u{1b}[?2004l\r\n").unwrap();
    session.exp_string(CONTINUATION).unwrap();
    keys(&mut session, "}\r");
    session.exp_string("added scenario `typed`").unwrap();
    session.exp_string(PROMPT).unwrap();
    keys(&mut session, "let total = (stake_value\r");
    session.exp_string(CONTINUATION).unwrap();
    keys(&mut session, "  + $1B)\r");
    session.exp_string("added let `total`").unwrap();
    session.exp_string(PROMPT).unwrap();
    keys(&mut session, "total\r");
    session.exp_string("$136B: total (on 2027-01-01)").unwrap();
    session.exp_string(PROMPT).unwrap();
    leave(session);
}

/// The same lines as `an_unterminated_string_ends_at_its_line_in_batch_mode`
/// in tests/repl.rs: the string ends at its line with its diagnostic, and
/// the next line is read afresh.
#[test]
fn an_unterminated_string_ends_at_its_line() {
    let scratch = TempDir::new("pty-string");
    let mut session = spawn(&scratch, false);
    keys(&mut session, "party p \"Open\r");
    session.exp_string("unterminated string").unwrap();
    session.exp_string(PROMPT).unwrap();
    keys(&mut session, "party q\r");
    session.exp_string("added party `q`").unwrap();
    session.exp_string(PROMPT).unwrap();
    leave(session);
}

#[test]
fn ctrl_c_clears_the_line_and_ctrl_d_exits_zero() {
    let scratch = TempDir::new("pty-keys");
    let mut session = spawn(&scratch, false);
    keys(&mut session, "may openai host");
    session.exp_string("may openai host").unwrap();
    interrupt(&mut session);
    keys(&mut session, "1 + 1\r");
    let before = session.exp_string("2: 1 + 1 (on 2027-01-01)").unwrap();
    // The cleared text was not run with the next line.
    assert!(!before.contains("deal::syntax"), "{before}");
    assert!(!before.contains("host1"), "{before}");
    session.exp_string(PROMPT).unwrap();
    leave(session);
}

#[test]
fn lines_are_kept_in_the_history_file() {
    let scratch = TempDir::new("pty-history");
    let mut session = spawn(&scratch, false);
    keys(&mut session, "1 + 1\r");
    session.exp_string("2: 1 + 1").unwrap();
    session.exp_string(PROMPT).unwrap();
    keys(&mut session, ":at 2027-01-01\r");
    session
        .exp_string("answers are now for 2027-01-01")
        .unwrap();
    session.exp_string(PROMPT).unwrap();
    leave(session);
    let history = std::fs::read_to_string(history_file(&scratch)).unwrap();
    assert_eq!(history, "1 + 1\n:at 2027-01-01\n");

    // A new session recalls them with the Up arrow.
    let mut session = spawn(&scratch, false);
    keys(&mut session, "\x1b[A\x1b[A\r");
    session.exp_string("2: 1 + 1 (on 2027-01-01)").unwrap();
    session.exp_string(PROMPT).unwrap();
    leave(session);
}

#[test]
fn lines_are_highlighted_unless_no_color() {
    let scratch = TempDir::new("pty-color");
    let mut session = spawn(&scratch, true);
    keys(&mut session, "may openai");
    // The keyword in bold blue, the declared party in cyan.
    session.exp_string("\x1b[1;34mmay\x1b[0m").unwrap();
    session.exp_string("\x1b[36mopenai\x1b[0m").unwrap();
    interrupt(&mut session);
    leave(session);

    let mut session = spawn(&scratch, false);
    keys(&mut session, "may openai host api on gcp\r");
    let before = session
        .exp_string("no: may openai host api on gcp")
        .unwrap();
    assert!(!before.contains("\x1b[1;34m"), "{before:?}");
    session.exp_string(PROMPT).unwrap();
    leave(session);
}

#[test]
fn quit_ends_the_session_with_status_zero() {
    let scratch = TempDir::new("pty-quit");
    let mut session = spawn(&scratch, false);
    keys(&mut session, "may openai host api on gpc\r");
    session.exp_string("did you mean `gcp`?").unwrap();
    session.exp_string(PROMPT).unwrap();
    keys(&mut session, ":quit\r");
    session.exp_eof().unwrap();
    match session.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => assert_eq!(code, 0),
        other => panic!("the REPL did not exit normally: {other:?}"),
    }
    assert!(history_file(&scratch).exists());
}
