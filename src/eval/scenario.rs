//! Scenarios (spec section 6): dates for events (others never happen),
//! values for facts (others take their default or are unknown) and
//! performance records. Built from a `scenario` block (`scenario_block`),
//! changed by the command line's `--event` and `--fact`, then checked with
//! `validate`. This module holds data and its checks only: building from a
//! block evaluates expressions, and `expr` reads scenarios.

use crate::decimal::Decimal;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::index::Slot;
use crate::eval::value::{Value, parse_iso_duration};
use crate::eval::{ClauseId, Contract};
use crate::source::Span;
use crate::symbols::SymbolKind;
use crate::types::Type;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// `PARTY ACTION [quantity of] ASSET ... on DATE`: something a party did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerformanceRecord {
    pub party: String,
    pub action: String,
    pub asset: String,
    pub quantity: Option<Value>,
    /// The venues (`on`), recipients (`to`) and counterparties (`with`) the
    /// record names: they decide which obligations it can discharge.
    pub slots: Vec<(Slot, Vec<String>)>,
    pub date: NaiveDate,
    pub span: Span,
}

impl PerformanceRecord {
    /// The names the record gives for one slot (empty when it leaves it out).
    pub fn names(&self, slot: Slot) -> &[String] {
        self.slots
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or(&[][..], |(_, names)| names.as_slice())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    pub name: Option<String>,
    /// Events that happen, with their dates; every other event never happens.
    pub events: BTreeMap<String, NaiveDate>,
    pub facts: BTreeMap<String, Value>,
    pub records: Vec<PerformanceRecord>,
    /// Where the scenario block gives each event (absent for overrides).
    pub event_spans: BTreeMap<String, Span>,
    /// Where the scenario block gives each fact (absent for overrides).
    pub fact_spans: BTreeMap<String, Span>,
    /// The scenario block, if it came from one.
    pub span: Option<Span>,
    /// Performance the analyses assume (section 8, v2): a debt fulfilled
    /// on a day, whatever it owes. Scenarios written by hand have none;
    /// a counterexample prints each as the record it stands for.
    pub fulfilments: BTreeMap<ClauseId, Fulfilment>,
    /// The same for the instances of recurring obligations, by obligation
    /// and instance number (`Instance::index`).
    pub instance_fulfilments: BTreeMap<(ClauseId, usize), Fulfilment>,
}

/// A debt, or an instance of a recurring obligation, fulfilled on `date`
/// in an analysed future.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fulfilment {
    pub date: NaiveDate,
    /// The record line that performs it, as a scenario would write it
    /// (`marlow pay $10M of fees to helvion on 2026-06-01`).
    pub record: String,
}

pub(crate) fn bad_scenario(
    message: impl Into<String>,
    span: Span,
    label: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(Code::BadScenario, message, span, label)
}

impl Scenario {
    /// `--event NAME=DATE`, or with None `--event NAME=never`.
    pub fn set_event(&mut self, name: &str, date: Option<NaiveDate>) {
        self.event_spans.remove(name);
        match date {
            Some(date) => {
                self.events.insert(name.to_string(), date);
            }
            None => {
                self.events.remove(name);
            }
        }
    }

    /// `--fact NAME=VALUE`.
    pub fn set_fact(&mut self, name: &str, value: Value) {
        self.fact_spans.remove(name);
        self.facts.insert(name.to_string(), value);
    }

    /// `deal::unknown-name` for undeclared events and facts, and
    /// `deal::bad-scenario` for a name of the wrong kind, a fact value of the
    /// wrong type, or an event that happens before (or without) an event it
    /// must come `after` (the same day is allowed). Entries given on the
    /// command line are labelled on the scenario block, or at offset 0.
    pub fn validate(&self, contract: &Contract) -> Vec<Diagnostic> {
        let fallback = self.span.unwrap_or_default();
        let mut diagnostics = Vec::new();
        for (name, &date) in &self.events {
            let span = self.event_spans.get(name).copied().unwrap_or(fallback);
            if let Err(error) = expect_kind(contract, name, SymbolKind::Event, span) {
                diagnostics.push(error);
                continue;
            }
            for before in contract.prerequisites(name) {
                let diagnostic = match self.events.get(before.as_str()) {
                    Some(&other) if other <= date => continue,
                    Some(&other) => bad_scenario(
                        format!(
                            "`{name}` on {date} is before `{before}` on {other}, but it can only happen after it"
                        ),
                        span,
                        "placed too early",
                    )
                    .with_help(format!("place `{name}` on or after {other}, or `{before}` earlier")),
                    None => bad_scenario(
                        format!(
                            "`{name}` happens on {date}, but `{before}`, which it must come after, never happens in this scenario"
                        ),
                        span,
                        format!("needs `{before}` first"),
                    )
                    .with_help(format!("place `{before}` on or before {date}")),
                };
                diagnostics.push(diagnostic);
            }
        }
        for (name, value) in &self.facts {
            let span = self.fact_spans.get(name).copied().unwrap_or(fallback);
            if let Err(error) = expect_kind(contract, name, SymbolKind::Fact, span) {
                diagnostics.push(error);
                continue;
            }
            let Some(expected) = contract.fact_type(name) else {
                continue;
            };
            if value.ty() != expected {
                let mut error = bad_scenario(
                    format!(
                        "`{name}` is {}, but this value is {} ({})",
                        type_phrase(&expected),
                        type_phrase(&value.ty()),
                        value.display()
                    ),
                    span,
                    format!("expected {expected}"),
                );
                if let Some(decl) = contract.fact_decl(name) {
                    error = error.with_label(decl.ty.span, "declared here");
                }
                diagnostics.push(error);
            }
        }
        Diagnostic::sort(&mut diagnostics);
        diagnostics
    }
}

/// A type as the checker words it: "money", "a date".
fn type_phrase(ty: &Type) -> String {
    match ty {
        Type::Money | Type::Percent | Type::Unit(_) => ty.to_string(),
        Type::Number | Type::Bool | Type::Date | Type::Duration => format!("a {ty}"),
        Type::Text => "a string".to_string(),
    }
}

/// `name` must be declared as `kind` (a group of that kind counts for records).
pub(crate) fn expect_kind(
    contract: &Contract,
    name: &str,
    kind: SymbolKind,
    span: Span,
) -> Result<(), Diagnostic> {
    match contract.symbols.kind(name) {
        None => {
            let mut error = Diagnostic::new(
                Code::UnknownName,
                format!("`{name}` is not declared"),
                span,
                format!("no {} is called this", kind.noun()),
            );
            if let Some(near) = crate::suggest::nearest(
                name,
                contract.symbols.names_of_kind(&[kind]).iter().copied(),
            ) {
                error = error.with_help(format!("did you mean `{near}`?"));
            }
            Err(error)
        }
        Some(found) if found == kind || contract.symbols.effective_kind(name) == Some(kind) => {
            Ok(())
        }
        Some(found) => Err(bad_scenario(
            format!(
                "`{name}` is {}, not {}",
                found.article_noun(),
                kind.article_noun()
            ),
            span,
            format!("expected {}", kind.article_noun()),
        )),
    }
}

/// A `--fact` VALUE for `fact`: a deal literal of the fact's type (`$100B`,
/// `27%`, `5e26 flop`, `true`, `2028-01-01`, `3 months`) or the exact string
/// JSON output uses for such a value (`100000000000`, `0.27`, `P3M`), so a
/// counterexample replays. A leading `-` negates a number, money or percent.
pub fn parse_fact_value(contract: &Contract, fact: &str, text: &str) -> Result<Value, String> {
    let ty = contract
        .fact_type(fact)
        .ok_or_else(|| format!("`{fact}` is not a declared fact"))?;
    let text = text.trim();
    let wrong = |example: &str| {
        format!("`{text}` is not {ty} (the type of fact `{fact}`); write e.g. {example}")
    };
    match &ty {
        Type::Money => parse_money(text)
            .map(Value::Money)
            .ok_or_else(|| wrong("`$100B` or `100000000000`")),
        Type::Percent => parse_percent(text)
            .map(Value::Percent)
            .ok_or_else(|| wrong("`27%` or `0.27`")),
        Type::Number => parse_number(text)
            .map(Value::Number)
            .ok_or_else(|| wrong("`42`, `0.5` or `1e27`")),
        Type::Unit(unit) => {
            let amount = match text.split_whitespace().collect::<Vec<_>>().as_slice() {
                [number] => parse_number(number),
                [number, word] if word == unit => parse_number(number),
                _ => None,
            };
            amount
                .map(|value| Value::Quantity {
                    value,
                    unit: unit.clone(),
                })
                .ok_or_else(|| wrong(&format!("`5e26 {unit}` or `500000000000000000000000000`")))
        }
        Type::Bool => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("`true` or `false`")),
        },
        Type::Date => crate::syntax::iso_date(text)
            .map(Value::Date)
            .ok_or_else(|| wrong("`2028-01-01`")),
        Type::Duration => parse_duration(text)
            .map(|(months, days)| Value::Duration { months, days })
            .ok_or_else(|| wrong("`3 months`, `45 days` or `P3M`")),
        Type::Text => Ok(Value::Text(text.to_string())),
    }
}

/// A number as a contract writes it, with an optional leading `-`.
fn parse_number(text: &str) -> Option<Decimal> {
    scaled_number(text, 0)
}

/// `parse_number` scaled by `10^shift` (money scales, percent). The digits
/// are read by the parser's own number reading, so a fact value and a
/// literal in a contract can never be read differently.
fn scaled_number(text: &str, shift: i64) -> Option<Decimal> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = crate::syntax::number_value(digits, shift)?;
    Some(if negative { value.neg() } else { value })
}

fn parse_money(text: &str) -> Option<Decimal> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let amount = match rest.strip_prefix('$') {
        Some(literal) => {
            let scale_at = literal.len().saturating_sub(1);
            let (number, shift) = match literal.get(scale_at..).and_then(crate::syntax::money_scale)
            {
                Some(shift) => (literal.get(..scale_at)?, shift),
                None => (literal, 0),
            };
            if number.starts_with('-') {
                return None;
            }
            scaled_number(number, shift)?
        }
        None if !rest.starts_with('-') => parse_number(rest)?,
        None => return None,
    };
    Some(if negative { amount.neg() } else { amount })
}

fn parse_percent(text: &str) -> Option<Decimal> {
    match text.strip_suffix('%') {
        Some(number) => scaled_number(number, -2),
        None => parse_number(text),
    }
}

/// `3 months`, `1 year + 2 days`, `-45 days`, or ISO 8601 (`P1M10D`).
fn parse_duration(text: &str) -> Option<(i64, i64)> {
    if let Some(iso) = parse_iso_duration(text) {
        return Some(iso);
    }
    let (mut months, mut days) = (0i64, 0i64);
    for part in text.split('+') {
        let words: Vec<&str> = part.split_whitespace().collect();
        let [amount, word] = words.as_slice() else {
            return None;
        };
        if !amount
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let amount: i64 = amount.parse().ok()?;
        let (m, d) = match *word {
            "day" | "days" => (0, amount),
            "week" | "weeks" => (0, amount.checked_mul(7)?),
            "month" | "months" => (amount, 0),
            "year" | "years" => (amount.checked_mul(12)?, 0),
            _ => return None,
        };
        months = months.checked_add(m)?;
        days = days.checked_add(d)?;
    }
    Some((months, days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{self, ItemKind, TypeName};
    use crate::eval::tests::{contract_of, event, fact};

    fn contract() -> Contract {
        contract_of(vec![
            event("declared", &[]),
            event("verified", &["declared"]),
            ItemKind::Decl(crate::eval::tests::decl(ast::DeclKind::Unit, "flop")),
            ItemKind::Decl(crate::eval::tests::decl(
                crate::ast::DeclKind::Party,
                "openai",
            )),
            fact("revenue", TypeName::Money, None),
            fact("stake", TypeName::Percent, None),
            fact("count", TypeName::Number, None),
            fact(
                "compute",
                TypeName::Unit(ast::Name::new("flop", crate::eval::tests::sp())),
                None,
            ),
            fact("safe", TypeName::Bool, None),
            fact("deadline", TypeName::Date, None),
            fact("notice", TypeName::Duration, None),
        ])
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }
    fn d(text: &str) -> Decimal {
        Decimal::parse(text).unwrap()
    }

    #[test]
    fn fact_values_from_literals_and_json_strings() {
        let c = contract();
        let parse = |fact: &str, text: &str| parse_fact_value(&c, fact, text);
        assert_eq!(parse("revenue", "$100B"), Ok(Value::Money(d("1e11"))));
        assert_eq!(parse("revenue", "$1.5M"), Ok(Value::Money(d("1500000"))));
        assert_eq!(parse("revenue", "$250_000"), Ok(Value::Money(d("250000"))));
        assert_eq!(
            parse("revenue", "100000000000"),
            Ok(Value::Money(d("1e11")))
        );
        assert_eq!(parse("revenue", "-5000"), Ok(Value::Money(d("-5000"))));
        assert_eq!(parse("revenue", "-$5K"), Ok(Value::Money(d("-5000"))));
        assert_eq!(parse("stake", "27%"), Ok(Value::Percent(d("0.27"))));
        assert_eq!(parse("stake", "32.5%"), Ok(Value::Percent(d("0.325"))));
        assert_eq!(parse("stake", "0.27"), Ok(Value::Percent(d("0.27"))));
        assert_eq!(parse("count", "1e27"), Ok(Value::Number(d("1e27"))));
        let flop = |v: &str| Value::Quantity {
            value: d(v),
            unit: "flop".into(),
        };
        assert_eq!(parse("compute", "5e26 flop"), Ok(flop("5e26")));
        assert_eq!(
            parse("compute", "500000000000000000000000000"),
            Ok(flop("5e26"))
        );
        assert_eq!(parse("safe", "true"), Ok(Value::Bool(true)));
        assert_eq!(
            parse("deadline", "2028-01-01"),
            Ok(Value::Date(day("2028-01-01")))
        );
        assert_eq!(
            parse("notice", "3 months"),
            Ok(Value::Duration { months: 3, days: 0 })
        );
        assert_eq!(
            parse("notice", "1 year + 2 days"),
            Ok(Value::Duration {
                months: 12,
                days: 2
            })
        );
        assert_eq!(
            parse("notice", "P3M"),
            Ok(Value::Duration { months: 3, days: 0 })
        );
        assert_eq!(
            parse("notice", "P1M10D"),
            Ok(Value::Duration {
                months: 1,
                days: 10
            })
        );
    }

    #[test]
    fn every_json_value_string_replays() {
        let c = contract();
        let values = [
            ("revenue", Value::Money(d("-1234.5"))),
            ("stake", Value::Percent(d("0.333"))),
            ("count", Value::Number(d("1e40"))),
            (
                "compute",
                Value::Quantity {
                    value: d("5e26"),
                    unit: "flop".into(),
                },
            ),
            ("safe", Value::Bool(false)),
            ("deadline", Value::Date(day("2031-02-28"))),
            (
                "notice",
                Value::Duration {
                    months: 14,
                    days: 3,
                },
            ),
            (
                "notice",
                Value::Duration {
                    months: 0,
                    days: -3,
                },
            ),
        ];
        for (fact, value) in values {
            assert_eq!(
                parse_fact_value(&c, fact, &value.json_value()),
                Ok(value.clone()),
                "{fact}"
            );
            assert_eq!(
                parse_fact_value(&c, fact, &value.display()),
                Ok(value.clone()),
                "{fact}"
            );
        }
    }

    #[test]
    fn bad_fact_values_are_refused() {
        let c = contract();
        for (fact, text) in [
            ("revenue", "27%"),
            ("revenue", "$5m"),
            ("revenue", "$$5"),
            ("stake", "abc"),
            ("compute", "5e26 token"),
            ("safe", "yes"),
            ("deadline", "2031-02-30"),
            ("deadline", "2030-1-1"),
            ("notice", "3 fortnights"),
            ("count", "1e1000"),
            ("count", "NaN"),
            ("nothing", "1"),
        ] {
            assert!(parse_fact_value(&c, fact, text).is_err(), "{fact}={text}");
        }
    }

    #[test]
    fn validate_checks_order_kinds_and_types() {
        let c = contract();
        let mut s = Scenario::default();
        s.set_event("declared", Some(day("2028-03-01")));
        s.set_event("verified", Some(day("2028-03-01")));
        assert_eq!(s.validate(&c), vec![], "the same day is allowed");
        s.set_event("verified", Some(day("2028-02-01")));
        let errors = s.validate(&c);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, Code::BadScenario);
        assert!(errors[0].message.contains("before `declared`"));
        s.set_event("declared", None);
        let errors = s.validate(&c);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("never happens in this scenario"));

        let mut s = Scenario::default();
        s.set_event("verifed", Some(day("2028-03-01")));
        s.set_event("openai", Some(day("2028-03-01")));
        s.set_fact("revenue", Value::Percent(d("0.5")));
        s.set_fact("safe", Value::Bool(true));
        let mut codes: Vec<Code> = s.validate(&c).iter().map(|e| e.code).collect();
        codes.sort();
        assert_eq!(
            codes,
            vec![Code::UnknownName, Code::BadScenario, Code::BadScenario]
        );
        let unknown = s
            .validate(&c)
            .into_iter()
            .find(|e| e.code == Code::UnknownName)
            .unwrap();
        assert_eq!(unknown.help.as_deref(), Some("did you mean `verified`?"));
    }
}
