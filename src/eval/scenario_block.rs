//! A `scenario` block turned into a `Scenario`: its events, its fact values
//! evaluated with the contract's `let`s and its records. Kept apart from
//! `scenario` because evaluating needs `expr`, which reads scenarios.

use crate::ast::{self, ScenarioLine};
use crate::diagnostic::Diagnostic;
use crate::eval::Contract;
use crate::eval::expr::Env;
use crate::eval::index::Slot;
use crate::eval::scenario::{PerformanceRecord, Scenario, bad_scenario, expect_kind};
use crate::source::Span;
use crate::symbols::SymbolKind;
use chrono::NaiveDate;

impl Scenario {
    /// The scenario a `scenario` block describes, its fact values evaluated
    /// with the contract's `let`s (a fact value may use facts given earlier
    /// in the block; an event name in it reads "happens in this scenario").
    /// Reports names or facts given twice, undeclared record names and
    /// evaluation errors; call `validate` for the rest (after any overrides).
    pub fn from_ast(
        contract: &Contract,
        block: &ast::Scenario,
    ) -> Result<Scenario, Vec<Diagnostic>> {
        let mut scenario = Scenario {
            name: Some(block.name.text.clone()),
            span: Some(block.span),
            ..Scenario::default()
        };
        let mut diagnostics = Vec::new();
        let twice = |what: &str, name: &ast::Name, first: Span| {
            bad_scenario(
                format!("{what} `{}` is given twice in this scenario", name.text),
                name.span,
                "given again here",
            )
            .with_label(first, "first given here")
        };
        for line in &block.lines {
            if let ScenarioLine::Event { name, date } = line {
                if let Some(&first) = scenario.event_spans.get(&name.text) {
                    diagnostics.push(twice("event", name, first));
                } else {
                    scenario.events.insert(name.text.clone(), date.date);
                    scenario.event_spans.insert(name.text.clone(), name.span);
                }
            }
        }
        for line in &block.lines {
            match line {
                ScenarioLine::Fact { name, value } => {
                    if let Some(&first) = scenario.fact_spans.get(&name.text) {
                        diagnostics.push(twice("fact", name, first));
                        continue;
                    }
                    let result = Env::new(contract, &scenario, NaiveDate::MAX).eval(value);
                    match result {
                        Ok(value) => {
                            scenario.facts.insert(name.text.clone(), value);
                            scenario.fact_spans.insert(name.text.clone(), name.span);
                        }
                        Err(error) => diagnostics.push(error.into()),
                    }
                }
                ScenarioLine::Record(record) => match record_of(contract, &scenario, record) {
                    Ok(record) => scenario.records.push(record),
                    Err(mut errors) => diagnostics.append(&mut errors),
                },
                ScenarioLine::Event { .. } | ScenarioLine::Expect(_) => {}
            }
        }
        if diagnostics.is_empty() {
            Ok(scenario)
        } else {
            Diagnostic::sort(&mut diagnostics);
            Err(diagnostics)
        }
    }
}

fn record_of(
    contract: &Contract,
    scenario: &Scenario,
    record: &ast::Record,
) -> Result<PerformanceRecord, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for (name, kind) in [
        (&record.party, SymbolKind::Party),
        (&record.action, SymbolKind::Action),
        (&record.asset, SymbolKind::Asset),
    ] {
        if let Err(error) = expect_kind(contract, &name.text, kind, name.span) {
            errors.push(error);
        }
    }
    let quantity = match &record.quantity {
        Some(expr) => match Env::new(contract, scenario, record.date.date).eval(expr) {
            Ok(value) => Some(value),
            Err(error) => {
                errors.push(error.into());
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PerformanceRecord {
        party: record.party.text.clone(),
        action: record.action.text.clone(),
        asset: record.asset.text.clone(),
        quantity,
        slots: record
            .qualifiers
            .iter()
            .filter_map(|q| {
                let (slot, names) = match &q.kind {
                    ast::QualifierKind::On(names) => (Slot::On, names),
                    ast::QualifierKind::To(names) => (Slot::To, names),
                    ast::QualifierKind::With(names) => (Slot::With, names),
                    _ => return None,
                };
                Some((slot, names.iter().map(|n| n.text.clone()).collect()))
            })
            .collect(),
        date: record.date.date,
        span: record.span,
    })
}
