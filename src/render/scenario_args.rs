//! `--scenario`, `--event NAME=DATE` and `--fact NAME=VALUE` (spec section 9):
//! the scenario a command evaluates under.

use crate::eval::{Contract, Scenario, parse_fact_value};
use crate::symbols::SymbolKind;
use chrono::NaiveDate;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct ScenarioArgs {
    /// Evaluate under a scenario declared in the file.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Give an event a date (adds to or overrides the scenario); `NAME=never` cancels it.
    #[arg(long = "event", value_name = "NAME=DATE")]
    pub events: Vec<String>,
    /// Give a fact a value: a deal literal of its type, or the decimal string JSON output uses.
    #[arg(long = "fact", value_name = "NAME=VALUE")]
    pub facts: Vec<String>,
}

/// A scenario argument that cannot be used: reported on one line, exit 2.
#[derive(Debug)]
pub struct ArgProblem(pub String);

impl ScenarioArgs {
    /// The scenario these arguments describe. Its validity (`after` order,
    /// types) is left to `Scenario::validate`, which reports diagnostics.
    pub fn build(
        &self,
        contract: &Contract,
    ) -> Result<Scenario, Result<ArgProblem, Vec<crate::diagnostic::Diagnostic>>> {
        let mut scenario = match &self.scenario {
            None => Scenario::default(),
            Some(name) => {
                let block = scenario_block(contract, name).ok_or_else(|| {
                    let names: Vec<&str> = scenario_blocks(contract)
                        .map(|s| s.name.text.as_str())
                        .collect();
                    Ok(ArgProblem(format!(
                        "no scenario named `{name}`{}",
                        suggestion(name, &names)
                    )))
                })?;
                Scenario::from_ast(contract, block).map_err(Err)?
            }
        };
        for pair in &self.events {
            let (name, date) = split_pair(pair, "--event", "NAME=DATE")?;
            if contract.symbols.kind(name) != Some(SymbolKind::Event) {
                let events: Vec<&str> = contract.events().map(|e| e.name.text.as_str()).collect();
                return Err(Ok(ArgProblem(format!(
                    "`--event {pair}`: `{name}` is not a declared event{}",
                    suggestion(name, &events)
                ))));
            }
            let date = if date == "never" {
                None
            } else {
                Some(
                    parse_date(date)
                        .map_err(|e| Ok(ArgProblem(format!("`--event {pair}`: {e}"))))?,
                )
            };
            scenario.set_event(name, date);
        }
        for pair in &self.facts {
            let (name, text) = split_pair(pair, "--fact", "NAME=VALUE")?;
            if contract.symbols.kind(name) != Some(SymbolKind::Fact) {
                let facts: Vec<&str> = contract.symbols.names_of_kind(&[SymbolKind::Fact]);
                return Err(Ok(ArgProblem(format!(
                    "`--fact {pair}`: `{name}` is not a declared fact{}",
                    suggestion(name, &facts)
                ))));
            }
            let value = parse_fact_value(contract, name, text)
                .map_err(|e| Ok(ArgProblem(format!("`--fact {pair}`: {e}"))))?;
            scenario.set_fact(name, value);
        }
        Ok(scenario)
    }
}

fn split_pair<'a>(
    pair: &'a str,
    flag: &str,
    shape: &str,
) -> Result<(&'a str, &'a str), Result<ArgProblem, Vec<crate::diagnostic::Diagnostic>>> {
    pair.split_once('=')
        .map(|(n, v)| (n.trim(), v.trim()))
        .ok_or_else(|| Ok(ArgProblem(format!("`{flag} {pair}`: expected {shape}"))))
}

/// A `YYYY-MM-DD` date from the command line.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::syntax::iso_date(text).ok_or_else(|| format!("`{text}` is not a date like 2030-12-31"))
}

/// ", did you mean `x`?" for the closest candidate, or "".
pub fn suggestion(name: &str, candidates: &[&str]) -> String {
    match crate::suggest::nearest(name, candidates.iter().copied()) {
        Some(best) => format!(" (did you mean `{best}`?)"),
        None => String::new(),
    }
}

/// The `scenario` blocks of a contract, in source order.
pub fn scenario_blocks(contract: &Contract) -> impl Iterator<Item = &crate::ast::Scenario> {
    contract
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            crate::ast::ItemKind::Scenario(s) => Some(s),
            _ => None,
        })
}

/// The scenario block with this name.
pub fn scenario_block<'c>(contract: &'c Contract, name: &str) -> Option<&'c crate::ast::Scenario> {
    scenario_blocks(contract).find(|s| s.name.text == name)
}
