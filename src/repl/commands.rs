//! The `:` commands: what each does to the session and how its result reads.

use super::session::{Problem, Reply, Session};
use crate::analysis::hypotheses::{Tried, what_if_any_date};
use crate::ast::Query;
use crate::ast::{ClauseBody, ItemKind};
use crate::eval::{
    ClauseId, ClauseKind, Contract, Outcome, Scenario, Time, in_force, status, window,
};
use crate::render::answer::{
    clause_source, clause_window, performed_amount, render_human, source_snippet,
};
use crate::render::report::plural;
use crate::render::scenario_args::{parse_date, scenario_block, suggestion};
use crate::symbols::SymbolKind;
use chrono::NaiveDate;

/// A command: its name, the arguments it takes and what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandInfo {
    pub name: &'static str,
    pub args: &'static str,
    pub about: &'static str,
}

const fn command(name: &'static str, args: &'static str, about: &'static str) -> CommandInfo {
    CommandInfo { name, args, about }
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    command("help", "[COMMAND]", "list the commands, or describe one"),
    command(
        "load",
        "FILE",
        "load a contract (typed items, :event, :fact and :scenario are dropped)",
    ),
    command("reload", "", "read the file again (typed items stay)"),
    command("at", "[DATE|today]", "answer for this day (default: today)"),
    command(
        "event",
        "NAME DATE|never",
        "give an event a date in the session's scenario",
    ),
    command(
        "unevent",
        "NAME",
        "the event does not happen in the session's scenario",
    ),
    command(
        "fact",
        "NAME VALUE",
        "give a fact a value (a deal literal of its type)",
    ),
    command(
        "scenario",
        "[NAME|none]",
        "start from a scenario of the contract (clears :event and :fact); without NAME, show it",
    ),
    command(
        "clauses",
        "",
        "the clauses in force on the day, obligations with their status",
    ),
    command(
        "status",
        "[LABEL]",
        "an obligation's status with the amount owed, the deadline and its period (without LABEL, every obligation's)",
    ),
    command("why", "", "the full explanation of the last answer"),
    command(
        "timeline",
        "",
        "each clause's window under the scenario, by start",
    ),
    command(
        "explain",
        "LABEL|NAME",
        "a clause's doc comment, source, window and exceptions (or a declaration's)",
    ),
    command("undo", "", "remove the last item(s) typed"),
    command(
        "check",
        "",
        "every diagnostic of the session's contract (the file plus typed items)",
    ),
    command("quit", "", "leave the REPL (Ctrl-D does too)"),
];

/// The command with this exact name.
pub fn find(name: &str) -> Option<&'static CommandInfo> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Run `:NAME ARGS` (the text after the colon).
pub(super) fn run(session: &mut Session, text: &str) -> Reply {
    let text = text.trim();
    let line = format!(":{text}");
    let (name, args) = match text.split_once(char::is_whitespace) {
        Some((name, args)) => (name, args.trim()),
        None => (text, ""),
    };
    match name {
        "" => Reply::error("type a command after `:` (`:help` lists them)"),
        "help" => help(session, args),
        "load" => load(session, args),
        "reload" => no_args(name, args).unwrap_or_else(|| session.reload()),
        "at" => at(session, args),
        "event" => event(session, &line, args),
        "unevent" => unevent(session, &line, args),
        "fact" => fact(session, &line, args),
        "scenario" => scenario(session, &line, args),
        "clauses" => no_args(name, args).unwrap_or_else(|| clauses(session)),
        "status" => status_command(session, args),
        "why" => no_args(name, args).unwrap_or_else(|| why(session)),
        "timeline" => no_args(name, args).unwrap_or_else(|| timeline(session)),
        "explain" => explain(session, args),
        "undo" => no_args(name, args).unwrap_or_else(|| session.undo()),
        "check" => no_args(name, args).unwrap_or_else(|| check(session)),
        "quit" => no_args(name, args).unwrap_or_else(|| Reply {
            quit: true,
            ..Reply::default()
        }),
        unknown => {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
            let hint = match crate::suggest::nearest(unknown, names.iter().copied()) {
                Some(best) => format!(" (did you mean `:{best}`?)"),
                None => String::new(),
            };
            Reply::error(format!(
                "unknown command `:{unknown}`{hint}; `:help` lists the commands"
            ))
        }
    }
}

/// An error for arguments given to a command that takes none.
fn no_args(name: &str, args: &str) -> Option<Reply> {
    (!args.is_empty()).then(|| Reply::error(format!("`:{name}` takes no arguments")))
}

fn usage(info: &CommandInfo) -> String {
    if info.args.is_empty() {
        format!(":{}", info.name)
    } else {
        format!(":{} {}", info.name, info.args)
    }
}

/// Example questions in the loaded contract's own names: a `may` or
/// `must` on its first act clause, a `holds` on its first holding, a
/// `status` on its first obligation, its first `let`. Placeholders when it
/// has none of these.
fn examples(session: &Session) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(contract) = session.contract() {
        let mut act = None;
        let mut holds = None;
        let mut status = None;
        for (id, clause, _) in contract.clauses() {
            let one = |name: &crate::ast::Name| {
                contract
                    .symbols
                    .expand(&name.text)
                    .into_iter()
                    .next()
                    .filter(|n| !crate::symbols::Symbols::is_wildcard(n))
            };
            // The first member of each set, so the example matches the clause.
            let on: String = clause
                .qualifiers
                .iter()
                .filter_map(|q| match &q.kind {
                    crate::ast::QualifierKind::On(names)
                    | crate::ast::QualifierKind::To(names)
                    | crate::ast::QualifierKind::With(names) => names
                        .first()
                        .and_then(one)
                        .map(|member| format!(" {} {member}", q.kind.keyword())),
                    _ => None,
                })
                .collect();
            match &clause.body {
                crate::ast::ClauseBody::Act {
                    modality,
                    party,
                    action,
                    object,
                } if act.is_none() => {
                    if let (Some(p), Some(a), Some(x)) =
                        (one(party), one(action), one(&object.name))
                    {
                        let verb = if *modality == crate::ast::Modality::Must {
                            "must"
                        } else {
                            "may"
                        };
                        act = Some(format!("{verb} {p} {a} {x}{on}"));
                    }
                }
                crate::ast::ClauseBody::Holds { party, object, .. } if holds.is_none() => {
                    if let (Some(p), Some(x)) = (one(party), one(&object.name)) {
                        holds = Some(format!("holds {p} {x}"));
                    }
                }
                _ => {}
            }
            if status.is_none() && clause.body.is_must() && clause.label.is_some() {
                status = Some(format!("status {}", contract.clause_label(id)));
            }
        }
        let value = contract
            .file
            .items
            .iter()
            .find_map(|item| match &item.kind {
                crate::ast::ItemKind::Let(binding) => Some(binding.name.text.clone()),
                _ => None,
            });
        out.extend([act, holds, status, value].into_iter().flatten());
    }
    if out.is_empty() {
        out = vec![
            "may PARTY ACTION ASSET on VENUE".to_string(),
            "holds PARTY ASSET".to_string(),
            "status LABEL".to_string(),
        ];
    }
    out
}

fn help(session: &Session, args: &str) -> Reply {
    if !args.is_empty() {
        let name = args.trim_start_matches(':');
        return match find(name) {
            Some(info) => Reply::output(format!("{}\n  {}\n", usage(info), info.about)),
            None => {
                let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
                Reply::error(format!("no command `:{name}`{}", suggestion(name, &names)))
            }
        };
    }
    let mut out = String::from(
        "Type a query or an expression to answer it under the day and scenario in the prompt, e.g.\n",
    );
    for example in examples(session) {
        out.push_str(&format!("  {example}\n"));
    }
    out.push_str(
        "Type declarations, clauses, scenarios or assertions to add them to the session's contract\n\
         (`:undo` removes them again). An unclosed `{`, `(` or string continues on the next line.\n\n\
         Commands:\n",
    );
    let width = COMMANDS.iter().map(|c| usage(c).len()).max().unwrap_or(0);
    for info in COMMANDS {
        out.push_str(&format!("  {:<width$}  {}\n", usage(info), info.about));
    }
    Reply::output(out)
}

fn load(session: &mut Session, args: &str) -> Reply {
    let path = args.trim_matches(|c| c == '"' || c == '\'');
    if path.is_empty() {
        return Reply::error("`:load` needs a file: `:load contract.deal`");
    }
    let mut reply = session.load_file(std::path::Path::new(path));
    if !reply
        .problems
        .iter()
        .any(|p| matches!(p, Problem::Error(_)))
    {
        reply.say(format!("loaded {}", session.summary()));
    }
    reply
}

fn at(session: &mut Session, args: &str) -> Reply {
    let day = match args {
        "" | "today" => chrono::Local::now().date_naive(),
        text => match parse_date(text) {
            Ok(day) => day,
            Err(e) => return Reply::error(e),
        },
    };
    session.day = day;
    Reply::output(format!("answers are now for {day}\n"))
}

/// The evaluable contract, or the reply saying why there is none.
fn contract_of(session: &Session) -> Result<Contract, Reply> {
    session
        .contract()
        .cloned()
        .ok_or_else(|| session.cannot_evaluate())
}

/// The session's scenario, or the reply with its problems.
fn scenario_of(session: &Session, contract: &Contract) -> Result<Scenario, Reply> {
    session.scenario(contract).map_err(|problems| Reply {
        problems,
        ..Reply::default()
    })
}

/// The session's contract and scenario, or the reply that says why not.
fn contract_and_scenario(session: &Session) -> Result<(Contract, Scenario), Reply> {
    let contract = contract_of(session)?;
    let scenario = scenario_of(session, &contract)?;
    Ok((contract, scenario))
}

/// Check a name is declared with this kind, suggesting the nearest one that is.
fn expect_declared(session: &Session, name: &str, kind: SymbolKind) -> Result<(), Reply> {
    let symbols = &session.loaded().symbols;
    if symbols.kind(name) == Some(kind) {
        return Ok(());
    }
    let candidates: Vec<&str> = symbols
        .names_of_kind(&[kind])
        .into_iter()
        .filter(|n| symbols.kind(n) == Some(kind))
        .collect();
    Err(Reply::error(format!(
        "`{name}` is not a declared {}{}",
        kind.noun(),
        suggestion(name, &candidates)
    )))
}

/// Apply a change to the scenario settings, keeping it only if the
/// scenario it gives is still valid.
fn try_scenario_change(
    session: &mut Session,
    line: &str,
    change: impl FnOnce(&mut Session),
    done: String,
) -> Reply {
    let saved = (
        session.scenario_name.clone(),
        session.events.clone(),
        session.facts.clone(),
    );
    change(session);
    if let Some(contract) = session.contract().cloned()
        && let Err(problems) = session.scenario_for(&contract, Some(line))
    {
        (session.scenario_name, session.events, session.facts) = saved;
        let mut reply = Reply {
            problems,
            ..Reply::default()
        };
        reply.say("not changed: the scenario would not be valid");
        return reply;
    }
    Reply::output(format!("{done}\n"))
}

fn event(session: &mut Session, line: &str, args: &str) -> Reply {
    let words: Vec<&str> = args.split_whitespace().collect();
    let [name, date] = words.as_slice() else {
        return Reply::error("`:event` needs a name and a date: `:event agi_verified 2028-09-01`");
    };
    if let Err(reply) = expect_declared(session, name, SymbolKind::Event) {
        return reply;
    }
    let date = if *date == "never" {
        None
    } else {
        match parse_date(date) {
            Ok(date) => Some(date),
            Err(e) => return Reply::error(e),
        }
    };
    let done = match date {
        Some(date) => format!("{name} on {date}"),
        None => format!("{name} never happens"),
    };
    let name = name.to_string();
    try_scenario_change(
        session,
        line,
        |s| {
            s.events.insert(name, date);
        },
        done,
    )
}

fn unevent(session: &mut Session, line: &str, args: &str) -> Reply {
    let words: Vec<&str> = args.split_whitespace().collect();
    let [name] = words.as_slice() else {
        return Reply::error("`:unevent` needs an event name: `:unevent agi_verified`");
    };
    if let Err(reply) = expect_declared(session, name, SymbolKind::Event) {
        return reply;
    }
    let done = format!("{name} never happens");
    let name = name.to_string();
    try_scenario_change(
        session,
        line,
        |s| {
            s.events.insert(name, None);
        },
        done,
    )
}

fn fact(session: &mut Session, line: &str, args: &str) -> Reply {
    let Some((name, value)) = args.split_once(char::is_whitespace) else {
        return Reply::error(
            "`:fact` needs a name and a value: `:fact training_compute 5e26 flop`",
        );
    };
    let (name, value) = (name.trim(), value.trim().trim_start_matches('=').trim());
    if let Err(reply) = expect_declared(session, name, SymbolKind::Fact) {
        return reply;
    }
    let contract = match contract_of(session) {
        Ok(contract) => contract,
        Err(reply) => return reply,
    };
    let parsed = match crate::eval::parse_fact_value(&contract, name, value) {
        Ok(parsed) => parsed,
        Err(e) => return Reply::error(e),
    };
    let (name, value) = (name.to_string(), value.to_string());
    let done = format!("{name} = {}", parsed.display());
    try_scenario_change(
        session,
        line,
        |s| {
            s.facts.insert(name, value);
        },
        done,
    )
}

fn scenario(session: &mut Session, line: &str, args: &str) -> Reply {
    if args.is_empty() {
        return show_scenario(session);
    }
    let words: Vec<&str> = args.split_whitespace().collect();
    let [name] = words.as_slice() else {
        return Reply::error("`:scenario` takes one name: `:scenario early_agi` (or `none`)");
    };
    let name = name.to_string();
    if name == "none" && session.check_scenario_name("none").is_err() {
        return try_scenario_change(
            session,
            line,
            |s| {
                s.scenario_name = None;
                s.events.clear();
                s.facts.clear();
            },
            "no scenario: no event happens, facts take their defaults".to_string(),
        );
    }
    if let Err(e) = session.check_scenario_name(&name) {
        return Reply::error(e);
    }
    let done = format!("scenario {name}");
    let mut reply = try_scenario_change(
        session,
        line,
        |s| {
            s.scenario_name = Some(name);
            s.events.clear();
            s.facts.clear();
        },
        done,
    );
    if !reply.failed() {
        reply.output = show_scenario(session).output;
    }
    reply
}

/// The session's scenario in words: its name and label, event dates and fact values.
fn show_scenario(session: &Session) -> Reply {
    let (contract, scenario) = match contract_and_scenario(session) {
        Ok(both) => both,
        Err(reply) => return reply,
    };
    let mut out = match &scenario.name {
        Some(name) => {
            let label = scenario_block(&contract, name)
                .and_then(|b| b.label.as_ref())
                .map(|l| format!(" \"{}\"", l.value))
                .unwrap_or_default();
            format!("scenario {name}{label}")
        }
        None => "no scenario".to_string(),
    };
    if session.scenario_changed() {
        out.push_str(" (changed by :event/:fact)");
    }
    out.push('\n');
    out.push_str(&format!(
        "  events: {}\n",
        events_line(&contract, &scenario)
    ));
    out.push_str(&format!("  facts: {}\n", facts_line(&contract, &scenario)));
    if !scenario.records.is_empty() {
        out.push_str(&format!(
            "  records: {}\n",
            plural(scenario.records.len(), "performance record")
        ));
    }
    Reply::output(out)
}

/// "agi_declared on 2028-03-01, agi_verified on 2028-09-01", in declaration order.
fn events_line(contract: &Contract, scenario: &Scenario) -> String {
    let dated: Vec<String> = contract
        .events()
        .filter_map(|e| {
            scenario
                .events
                .get(&e.name.text)
                .map(|d| format!("{} on {d}", e.name.text))
        })
        .collect();
    if dated.is_empty() {
        "none happens".to_string()
    } else {
        dated.join(", ")
    }
}

/// "training_compute = 5e26 flop, safety_guardrails = true (default)", every declared fact.
fn facts_line(contract: &Contract, scenario: &Scenario) -> String {
    let mut facts: Vec<String> = Vec::new();
    for item in &contract.file.items {
        let ItemKind::Fact(decl) = &item.kind else {
            continue;
        };
        let name = &decl.name.text;
        let shown = match scenario.facts.get(name) {
            Some(value) => format!("{name} = {}", value.display()),
            None => match &decl.default {
                Some(default) => format!(
                    "{name} = {} (default)",
                    contract.source.slice(default.span).trim()
                ),
                None => format!("{name} unknown"),
            },
        };
        facts.push(shown);
    }
    if facts.is_empty() {
        "none declared".to_string()
    } else {
        facts.join(", ")
    }
}

/// A clause's text without its label, on one line.
fn clause_text(contract: &Contract, id: ClauseId) -> String {
    let Some(clause) = contract.clause(id) else {
        return String::new();
    };
    let start = clause
        .label
        .as_ref()
        .map_or(clause.span.start, |l| l.span.end);
    let text = contract
        .source
        .slice(crate::source::Span::new(start, clause.span.end));
    text.trim_start_matches([':', ' '])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "pending (performed so far: $40B)" for an obligation on a day.
fn obligation_status(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    day: NaiveDate,
) -> Option<String> {
    if contract.clause_info(id)?.kind != ClauseKind::Must {
        return None;
    }
    let counted = matches!(
        contract.clause(id).map(|c| &c.body),
        Some(ClauseBody::Act { object, .. }) if object.quantity.is_none()
    );
    Some(match status(contract, scenario, id, day) {
        Ok(state) => {
            let amount = |value: &crate::decimal::Decimal| {
                if counted {
                    plural(value.to_i64().unwrap_or_default().max(0) as usize, "record")
                } else {
                    performed_amount(contract, id, value)
                }
            };
            let mut parts = vec![match &state.owed {
                Some(owed) => format!("performed {} of {}", amount(&state.performed), amount(owed)),
                None if counted => format!("{} so far", amount(&state.performed)),
                None => format!("performed so far: {}", amount(&state.performed)),
            }];
            if let Some(due) = state.due {
                parts.push(format!("due {due}"));
            }
            if let Some((from, until)) = state.period {
                let last = until.pred_opt().unwrap_or(until);
                parts.push(format!("period {from} to {last}"));
            }
            format!("{} ({})", state.status.as_str(), parts.join(", "))
        }
        Err(error) => format!("status unknown: {}", error.message()),
    })
}

fn clauses(session: &Session) -> Reply {
    let (contract, scenario) = match contract_and_scenario(session) {
        Ok(both) => both,
        Err(reply) => return reply,
    };
    let day = session.day;
    let mut in_force_now = Vec::new();
    let mut not_in_force = Vec::new();
    let mut total = 0;
    for (id, _, _) in contract.clauses() {
        total += 1;
        let label = contract.clause_label(id).to_string();
        match in_force(&contract, &scenario, id, day) {
            Ok(true) => {
                let mut line = clause_text(&contract, id);
                if let Some(state) = obligation_status(&contract, &scenario, id, day) {
                    line.push_str(&format!("  [{state}]"));
                }
                in_force_now.push((label, line));
            }
            Ok(false) => not_in_force.push(label),
            Err(error) => {
                in_force_now.push((label, format!("in force unknown: {}", error.message())))
            }
        }
    }
    let under = match &scenario.name {
        Some(name) => format!("scenario {name}"),
        None => "no scenario".to_string(),
    };
    let mut out = format!(
        "in force on {day} under {under}: {} of {}\n",
        in_force_now.len(),
        plural(total, "clause")
    );
    let width = in_force_now.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, line) in &in_force_now {
        out.push_str(&format!("  {label:<width$}  {line}\n"));
    }
    if !not_in_force.is_empty() {
        out.push_str(&format!("not in force: {}\n", not_in_force.join(", ")));
    }
    Reply::output(out)
}

/// `:status LABEL` is the query `status LABEL`, answered and explained as
/// typed (so `:why` follows it); `:status` alone lists every obligation.
fn status_command(session: &mut Session, args: &str) -> Reply {
    if !args.is_empty() {
        if args.split_whitespace().count() > 1 {
            return Reply::error("`:status` takes one obligation's label, e.g. `:status upfront`");
        }
        return session.typed_input(&format!("status {args}"));
    }
    let (contract, scenario) = match contract_and_scenario(session) {
        Ok(both) => both,
        Err(reply) => return reply,
    };
    let lines: Vec<(String, String)> = contract
        .clauses()
        .filter_map(|(id, _, _)| {
            obligation_status(&contract, &scenario, id, session.day)
                .map(|state| (contract.clause_label(id).to_string(), state))
        })
        .collect();
    if lines.is_empty() {
        return Reply::output("the contract has no obligations (`must` clauses)\n");
    }
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut out = format!("obligations on {}:\n", session.day);
    for (label, state) in &lines {
        out.push_str(&format!("  {label:<width$}  {state}\n"));
    }
    Reply::output(out)
}

fn why(session: &Session) -> Reply {
    let Some(last) = &session.last else {
        return Reply::error("no answer yet: type a query first, then `:why`");
    };
    let explained = last.explained();
    let mut out = render_human(&explained);
    let contract = &last.contract;
    let scenario = &last.scenario;
    out.push_str(&format!(
        "\nunder {}\n  events: {}\n",
        match &scenario.name {
            Some(name) => format!("scenario {name}"),
            None => "no scenario".to_string(),
        },
        events_line(contract, scenario)
    ));
    if !last.reads.is_empty() {
        let reads: Vec<String> = last
            .reads
            .iter()
            .map(|name| match scenario.facts.get(name) {
                Some(value) => format!("{name} = {}", value.display()),
                None => format!("{name} (its default)"),
            })
            .collect();
        out.push_str(&format!("  facts read: {}\n", reads.join(", ")));
    }
    out.push_str(&what_other_events_would_do(
        contract,
        scenario,
        &last.query,
        last.day,
    ));
    if let Outcome::Unspecified = last.answer.outcome {
        out.push_str("(`unspecified`: no clause in force permits or forbids this act)\n");
    }
    Reply::output(out)
}

/// `:why`'s last part: every run of dates on which a missing event would
/// change the answer, and no claim beyond the dates tried.
fn what_other_events_would_do(
    contract: &Contract,
    scenario: &Scenario,
    query: &Query,
    day: NaiveDate,
) -> String {
    let what_if = match what_if_any_date(contract, scenario, query, day) {
        Ok(what_if) => what_if,
        Err(error) => {
            return format!(
                "\nwhat other events would do is unknown: {}\n",
                error.message
            );
        }
    };
    let dates = match what_if.tried {
        Tried::EveryDate => "every date was tried".to_string(),
        Tried::Range(first, last) => format!(
            "every date from {first} to {last} was tried: the contract has a recurring \
             obligation, so other dates were not; `deal explore` ranges over every date"
        ),
    };
    let prerequisites = if what_if.with_prerequisites {
        ", each event with the missing events it must come after on the same date"
    } else {
        ""
    };
    let mut out = String::new();
    if what_if.changes.is_empty() {
        out.push_str(&format!(
            "\nno event that does not happen in this scenario would change the answer on {day}, \
             whatever its date ({dates}{prerequisites})\n"
        ));
    } else {
        out.push_str(&format!(
            "\nif an event that does not happen in this scenario happened, the answer on {day} \
             would change ({dates}{prerequisites}):\n"
        ));
        for change in &what_if.changes {
            let with = match change.with.as_slice() {
                [] => String::new(),
                rest => format!(
                    " (with {})",
                    rest.iter()
                        .map(|e| format!("`{e}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            out.push_str(&format!(
                "  {} if `{}` happens {}{with}\n",
                change.answer.outcome.display(),
                change.event,
                change.dates
            ));
        }
    }
    if !what_if.untried.is_empty() {
        out.push_str(&format!(
            "not tried on every date (too many to try, or not evaluable): {}\n",
            what_if
                .untried
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

fn timeline(session: &Session) -> Reply {
    let (contract, scenario) = match contract_and_scenario(session) {
        Ok(both) => both,
        Err(reply) => return reply,
    };
    let under = match &scenario.name {
        Some(name) => format!("scenario {name}"),
        None => "no scenario".to_string(),
    };
    let mut out = format!(
        "timeline under {under}\n  events: {}\n",
        events_line(&contract, &scenario)
    );
    let mut rows: Vec<(Option<Time>, ClauseId)> = contract
        .clauses()
        .map(|(id, _, _)| (window(&contract, &scenario, id).ok().map(|w| w.0), id))
        .collect();
    // By start (never last, unknown after that), then in source order.
    rows.sort_by_key(|(start, id)| {
        let rank = match start {
            Some(Time::Day(day)) => (0, Some(*day)),
            Some(Time::Never) => (1, None),
            None => (2, None),
        };
        (rank, *id)
    });
    let width = rows
        .iter()
        .map(|(_, id)| contract.clause_label(*id).len())
        .max()
        .unwrap_or(0);
    let mut marked = false;
    for (start, id) in &rows {
        let starts_later = match start {
            Some(Time::Day(day)) => *day > session.day,
            _ => true,
        };
        if starts_later && !marked {
            out.push_str(&format!("  ── {} (the session's day) ──\n", session.day));
            marked = true;
        }
        out.push_str(&format!(
            "  {:<width$}  {}\n",
            contract.clause_label(*id),
            clause_window(&contract, &scenario, *id)
        ));
    }
    if !marked {
        out.push_str(&format!("  ── {} (the session's day) ──\n", session.day));
    }
    Reply::output(out)
}

fn explain(session: &Session, args: &str) -> Reply {
    let words: Vec<&str> = args.split_whitespace().collect();
    let [name] = words.as_slice() else {
        return Reply::error("`:explain` takes one clause label or name: `:explain api_exclusive`");
    };
    let contract = match contract_of(session) {
        Ok(contract) => contract,
        Err(reply) => return reply,
    };
    if let Some(id) = contract.clause_by_label(name) {
        let scenario = match scenario_of(session, &contract) {
            Ok(scenario) => scenario,
            Err(reply) => return reply,
        };
        return Reply::output(explain_clause(&contract, &scenario, id, session.day));
    }
    let symbols = &contract.symbols;
    let item = symbols
        .label(name)
        .map(|l| l.item)
        .or_else(|| symbols.get(name).and_then(|s| s.item));
    if let Some(item) = item.and_then(|i| contract.file.items.get(i)) {
        let (line, _) = contract.source.line_col(item.span.start);
        let what = match &item.kind {
            ItemKind::Assert(_) => "assertion".to_string(),
            _ => symbols
                .kind(name)
                .map_or("declaration", |k| k.noun())
                .to_string(),
        };
        let mut out = format!("{name} ({what}) — {}:{line}\n", contract.source.name);
        out.push_str(&source_snippet(
            &contract.source,
            item.doc.as_ref().map(|d| d.text.as_str()),
            item.span,
        ));
        return Reply::output(out);
    }
    if Some(true) == symbols.get(name).map(|s| s.item.is_none()) {
        return Reply::output(format!(
            "{name}: predeclared wildcard ({})\n",
            if *name == crate::symbols::ANYONE {
                "any party"
            } else {
                "any venue"
            }
        ));
    }
    let mut candidates: Vec<String> = contract
        .clauses()
        .map(|(id, _, _)| contract.clause_label(id).to_string())
        .collect();
    candidates.extend(symbols.labels().map(|(l, _)| l.to_string()));
    candidates.extend(symbols.names().map(|(n, _)| n.to_string()));
    let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
    Reply::error(format!(
        "no clause, assertion or declaration named `{name}`{}",
        suggestion(name, &refs)
    ))
}

/// A clause: where it is, its doc comment and source, its window under the
/// scenario, whether it is in force on the day (and its status), and its
/// exceptions both ways.
fn explain_clause(
    contract: &Contract,
    scenario: &Scenario,
    id: ClauseId,
    day: NaiveDate,
) -> String {
    let (line, _) = contract.source.line_col(contract.clause_span(id).start);
    let label = contract.clause_label(id);
    let kind = match contract.clause(id).map(|c| &c.body) {
        Some(ClauseBody::Act { modality, .. }) => match modality {
            crate::ast::Modality::May => "permission",
            crate::ast::Modality::Must => "obligation",
            crate::ast::Modality::MustNot => "prohibition",
        },
        Some(ClauseBody::Holds { negated: false, .. }) => "right or stake",
        Some(ClauseBody::Holds { negated: true, .. }) => "denial of a right",
        Some(ClauseBody::Exclusive { .. }) => "exclusivity",
        Some(ClauseBody::Only { .. }) => "exclusive right",
        None => "clause",
    };
    let mut out = format!("{label} ({kind}) — {}:{line}\n", contract.source.name);
    out.push_str(&format!(
        "{}\n",
        crate::explain::clause_sentence(contract, id)
    ));
    out.push_str(&clause_source(contract, scenario, id));
    let now = match in_force(contract, scenario, id, day) {
        Ok(true) => "in force".to_string(),
        Ok(false) => "not in force".to_string(),
        Err(error) => format!("in force unknown: {}", error.message()),
    };
    out.push_str(&format!("on {day}: {now}"));
    if let Some(state) = obligation_status(contract, scenario, id, day) {
        out.push_str(&format!(", {state}"));
    }
    out.push('\n');
    if let Some(info) = contract.clause_info(id)
        && !info.exceptions.is_empty()
    {
        let labels: Vec<&str> = info
            .exceptions
            .iter()
            .map(|&e| contract.clause_label(e))
            .collect();
        out.push_str(&format!(
            "an exception to: {} (where both apply, this one wins)\n",
            labels.join(", ")
        ));
    }
    let excepted_by: Vec<&str> = contract
        .clauses()
        .filter(|(other, _, _)| {
            contract
                .clause_info(*other)
                .is_some_and(|info| info.exceptions.contains(&id))
        })
        .map(|(other, _, _)| contract.clause_label(other))
        .collect();
    if !excepted_by.is_empty() {
        out.push_str(&format!(
            "overridden where they apply by: {}\n",
            excepted_by.join(", ")
        ));
    }
    out
}

fn check(session: &Session) -> Reply {
    let mut reply = Reply::default();
    session.show_all_diagnostics(&mut reply);
    let (errors, warnings) = session.build.diagnostics.iter().fold((0, 0), |(e, w), d| {
        if d.is_error() { (e + 1, w) } else { (e, w + 1) }
    });
    reply.say(format!(
        "{}: {}, {}",
        session.name,
        plural(errors, "error"),
        plural(warnings, "warning")
    ));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_listed_once_and_dispatched() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
        let mut session = Session::new(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        for info in COMMANDS {
            let reply = run(&mut session, info.name);
            let rendered = reply.render_problems(crate::diagnostic::RenderStyle::PLAIN);
            assert!(
                !rendered.contains("unknown command"),
                ":{} is not dispatched",
                info.name
            );
        }
    }

    #[test]
    fn unknown_commands_suggest_the_nearest() {
        let mut session = Session::new(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let reply = run(&mut session, "timelin");
        let text = reply.render_problems(crate::diagnostic::RenderStyle::PLAIN);
        assert!(text.contains("did you mean `:timeline`?"), "{text}");
        assert!(reply.failed());
    }
}
