//! `deal explore FILE "QUERY" [--from DATE] [--until DATE]`: how the answer
//! depends on the future. Every distinct answer timeline over the range,
//! each with an example scenario (see `analysis::timeline`).

use super::Exit;
use super::query::{AnswerFormat, fail_with, load_contract};
use crate::analysis::{Exploration, ExploreError, TimelineGroup, example_json, explore};
use crate::eval::time::shift_date;
use crate::eval::{Contract, Outcome};
use crate::render::ask::parse_checked_query;
use crate::render::report::FileReport;
use crate::render::scenario_args::parse_date;
use crate::source::SourceFile;
use chrono::NaiveDate;
use serde_json::{Value as Json, json};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExploreArgs {
    /// The contract.
    pub file: PathBuf,
    /// A `may`, `must` or `holds` query, or a condition.
    pub query: String,
    /// The first day of the range (default: the contract's `effective` date, or today).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The last day of the range, inclusive (default: ten years after `--from`).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,
}

pub fn run(args: &ExploreArgs) -> Exit {
    match run_inner(args) {
        Ok(exit) | Err(exit) => exit,
    }
}

fn date_arg(flag: &str, text: &Option<String>) -> Result<Option<NaiveDate>, Exit> {
    text.as_deref()
        .map(|text| {
            parse_date(text).map_err(|e| {
                eprintln!("error: {flag}: {e}");
                Exit::Usage
            })
        })
        .transpose()
}

fn run_inner(args: &ExploreArgs) -> Result<Exit, Exit> {
    let from = date_arg("--from", &args.from)?;
    let until = date_arg("--until", &args.until)?;
    let contract = load_contract(&args.file, args.format)?;
    let query =
        parse_checked_query(&contract, &args.query).map_err(|r| fail_with(vec![r], args.format))?;
    let from = from
        .or(contract.effective())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let until = match until {
        Some(until) => until,
        None => shift_date(from, 12 * crate::analysis::EXPLORE_YEARS, 0).map_err(|e| {
            eprintln!("error: --from: {e}");
            Exit::Usage
        })?,
    };
    if until < from {
        eprintln!("error: --until ({until}) comes before --from ({from})");
        return Err(Exit::Usage);
    }
    let exploration = explore(&contract, &query, from, until).map_err(|error| {
        let report = match error {
            ExploreError::Query(diagnostic) => FileReport {
                source: SourceFile::new("<query>", args.query.clone()),
                diagnostics: vec![diagnostic],
            },
            ExploreError::Contract(diagnostic) => FileReport {
                source: contract.source.clone(),
                diagnostics: vec![diagnostic],
            },
        };
        fail_with(vec![report], args.format)
    })?;
    match args.format {
        AnswerFormat::Human => print!("{}", human(&contract, args.query.trim(), &exploration)),
        AnswerFormat::Json => {
            let object = json_object(&contract, args.query.trim(), &exploration);
            println!(
                "{}",
                serde_json::to_string_pretty(&object).unwrap_or_else(|_| "{}".to_string())
            );
        }
    }
    Ok(Exit::Success)
}

fn answer_text(outcome: &Outcome) -> String {
    outcome.display()
}

fn labels(contract: &Contract, group: &TimelineGroup, index: usize) -> Vec<String> {
    group
        .segments
        .get(index)
        .map(|s| {
            s.deciding
                .iter()
                .map(|&id| contract.clause_label(id).to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The human report: one numbered timeline per group.
pub fn human(contract: &Contract, query: &str, exploration: &Exploration) -> String {
    let count = exploration.groups.len();
    let mut out = format!(
        "{query}\nfrom {} through {}: {} across {} representative {}\n",
        exploration.from,
        exploration.until,
        crate::render::report::plural(count, "timeline"),
        exploration.scenarios,
        if exploration.scenarios == 1 {
            "future"
        } else {
            "futures"
        },
    );
    for (n, group) in exploration.groups.iter().enumerate() {
        out.push_str(&format!("\n{}. {}\n", n + 1, group.description));
        for (i, segment) in group.segments.iter().enumerate() {
            let deciding = labels(contract, group, i);
            let by = if deciding.is_empty() {
                String::new()
            } else {
                format!(" ({})", deciding.join(", "))
            };
            out.push_str(&format!(
                "   {}  {}{by}\n",
                segment.from,
                answer_text(&segment.outcome)
            ));
        }
        match &group.when {
            Some(when) if !when.is_empty() => {
                out.push_str(&format!("   when {}\n", when.join("; and ")));
            }
            Some(_) => {}
            None => out.push_str(
                "   when the events fall in an order like the example's (their order against each other decides it, not their dates alone)\n",
            ),
        }
        out.push_str(&format!(
            "   example: {}\n",
            crate::analysis::scenario_line(&group.example, Some(&group.facts_read))
        ));
    }
    out
}

/// `{"query", "from", "until", "timelines": [{"segments", "description", "example"}]}`.
pub fn json_object(contract: &Contract, query: &str, exploration: &Exploration) -> Json {
    let timelines: Vec<Json> = exploration
        .groups
        .iter()
        .map(|group| {
            let segments: Vec<Json> = group
                .segments
                .iter()
                .enumerate()
                .map(|(i, segment)| {
                    let mut object = json!({
                        "from": segment.from.to_string(),
                        "answer": segment.outcome.word(),
                        "clauses": labels(contract, group, i),
                        "change": segment.change,
                    });
                    if let (Outcome::Value(value), Some(fields)) =
                        (&segment.outcome, object.as_object_mut())
                    {
                        fields.insert("value".into(), json!(value.json_value()));
                    }
                    object
                })
                .collect();
            json!({
                "segments": segments,
                "description": group.description,
                "when": group.when,
                "example": example_json(group),
                "futures": group.futures,
            })
        })
        .collect();
    json!({
        "query": query,
        "from": exploration.from.to_string(),
        "until": exploration.until.to_string(),
        "futures": exploration.scenarios,
        "timelines": timelines,
    })
}
