//! Scenarios, statically (spec section 6): events and facts given once each,
//! fact values of the declared type, `after` respected by the literal dates,
//! performance records naming one party, action and asset, and `expect`
//! lines checked as queries. Dates are literals, so all of it is static.

use super::Checker;
use super::query::Use;
use super::resolve::{One, Place, Role};
use super::typing::{declared_fact_type, phrase};
use crate::ast::{
    DateLit, ExpectBlock, ExpectKind, ItemKind, Name, QualifierKind, Record, Scenario, ScenarioLine,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::types::Type;
use rustc_hash::FxHashMap;

impl Checker<'_> {
    pub(crate) fn check_scenario(&mut self, scenario: &Scenario) {
        // First placement of each event, in source order, and by name.
        let mut placed: Vec<(&Name, &DateLit)> = Vec::new();
        let mut placed_at: FxHashMap<&str, usize> = FxHashMap::default();
        let mut given: FxHashMap<&str, Span> = FxHashMap::default();
        for line in &scenario.lines {
            match line {
                ScenarioLine::Event { name, date } => {
                    if self
                        .resolve(name, Place::one(Role::Event, One::Scenario))
                        .is_none()
                    {
                        continue;
                    }
                    match placed_at
                        .get(name.text.as_str())
                        .and_then(|&i| placed.get(i))
                    {
                        Some((first, _)) => {
                            let first = first.span;
                            self.report(
                                Diagnostic::new(
                                    Code::BadScenario,
                                    format!(
                                        "`{name}` is placed twice in scenario `{}`",
                                        scenario.name
                                    ),
                                    name.span,
                                    "placed again here",
                                )
                                .with_label(first, "first placed here")
                                .with_help("an event happens at most once; keep one date"),
                            );
                        }
                        None => {
                            placed_at.insert(name.text.as_str(), placed.len());
                            placed.push((name, date));
                        }
                    }
                }
                ScenarioLine::Fact { name, value } => {
                    let known = self.resolve(name, Place::of(Role::Fact)).is_some();
                    let ty = self.type_expr(value);
                    if !known {
                        continue;
                    }
                    if let Some(&first) = given.get(name.text.as_str()) {
                        self.report(
                            Diagnostic::new(
                                Code::BadScenario,
                                format!("`{name}` is given twice in scenario `{}`", scenario.name),
                                name.span,
                                "given again here",
                            )
                            .with_label(first, "first given here")
                            .with_help("a fact has one value per scenario; keep one"),
                        );
                        continue;
                    }
                    given.insert(name.text.as_str(), name.span);
                    self.check_fact_value(name, value, ty);
                }
                ScenarioLine::Record(record) => self.check_record(record),
                ScenarioLine::Expect(block) => self.check_expect_block(block),
            }
        }
        self.check_event_order(&placed, &placed_at);
    }

    fn check_fact_value(&mut self, name: &Name, value: &crate::ast::Expr, ty: Option<Type>) {
        let Some(ty) = ty else { return };
        let Some(declared) = declared_fact_type(self.symbols, self.file, &name.text) else {
            return;
        };
        if ty != declared {
            let mut diagnostic = Diagnostic::new(
                Code::BadScenario,
                format!(
                    "`{name}` is {}, but this value is {}",
                    phrase(&declared),
                    phrase(&ty)
                ),
                value.span,
                format!("this is {}", phrase(&ty)),
            );
            if let Some(help) = value_help(&declared) {
                diagnostic = diagnostic.with_help(help);
            }
            self.report(diagnostic);
        }
        // A value may use `let`s, events and facts given earlier in the block:
        // the evaluator reads them in order, and reports an unknown fact then.
    }

    /// A performance record names one party, action and asset; its quantity
    /// is an amount an obligation can count.
    fn check_record(&mut self, record: &Record) {
        self.resolve(&record.party, Place::one(Role::Party, One::Record));
        self.resolve(&record.action, Place::one(Role::Action, One::Record));
        self.resolve(&record.asset, Place::one(Role::Asset, One::Record));
        if let Some(quantity) = &record.quantity
            && let Some(ty) = self.type_expr(quantity)
            && !matches!(ty, Type::Money | Type::Number | Type::Unit(_))
        {
            self.report(Diagnostic::new(
                Code::TypeMismatch,
                format!(
                    "a record's quantity is money, a number or a unit, but this is {}",
                    phrase(&ty)
                ),
                quantity.span,
                format!("this is {}", phrase(&ty)),
            ));
        }
        for qualifier in &record.qualifiers {
            let (names, role) = match &qualifier.kind {
                QualifierKind::On(names) => (names, Role::Venue),
                QualifierKind::To(names) | QualifierKind::With(names) => {
                    (names, Role::Counterparty)
                }
                other => {
                    self.report(
                        Diagnostic::new(
                            Code::WrongKind,
                            format!("a performance record takes no `{}`", other.keyword()),
                            qualifier.span,
                            "not a record's qualifier",
                        )
                        .with_help("a record says who did what, to or with whom and on which venue: `on`, `to`, `with`"),
                    );
                    continue;
                }
            };
            for name in names {
                self.resolve(name, Place::one(role, One::Record));
            }
        }
    }

    fn check_expect_block(&mut self, block: &ExpectBlock) {
        for line in &block.lines {
            match &line.kind {
                ExpectKind::Yes(query) | ExpectKind::No(query) | ExpectKind::Unspecified(query) => {
                    self.check_query(query, Use::MustHold)
                }
                ExpectKind::Status { label, .. } => self.check_status_label(label),
                ExpectKind::Expr(expr) => {
                    self.expect_bool(expr, "an expectation");
                }
            }
        }
    }

    /// Every placed event comes on or after each event it must come `after`;
    /// a prerequisite that is not placed never happens, so it breaks the order too.
    fn check_event_order(
        &mut self,
        placed: &[(&Name, &DateLit)],
        placed_at: &FxHashMap<&str, usize>,
    ) {
        for &(event, date) in placed {
            for after in self.prerequisites(&event.text) {
                match placed_at.get(after.as_str()).and_then(|&i| placed.get(i)) {
                    Some(&(before, before_date)) if before_date.date > date.date => self.report(
                        Diagnostic::new(
                            Code::BadScenario,
                            format!(
                                "`{event}` on {} is before `{before}` on {}, but it can only happen after it",
                                date.date, before_date.date
                            ),
                            event.span,
                            "placed too early",
                        )
                        .with_label(before.span, format!("`{before}` happens here"))
                        .with_help(format!(
                            "place `{event}` on or after {}, or `{before}` earlier",
                            before_date.date
                        )),
                    ),
                    Some(_) => {}
                    None => self.report(
                        Diagnostic::new(
                            Code::BadScenario,
                            format!(
                                "`{event}` happens on {}, but `{after}`, which it must come after, never happens in this scenario",
                                date.date
                            ),
                            event.span,
                            format!("needs `{after}` first"),
                        )
                        .with_help(format!("place `{after}` on or before {}", date.date)),
                    ),
                }
            }
        }
    }

    /// The events an event must come after (groups expanded).
    fn prerequisites(&self, event: &str) -> Vec<String> {
        let Some(item) = self.symbols.get(event).and_then(|s| s.item) else {
            return Vec::new();
        };
        match self.file.items.get(item).map(|i| &i.kind) {
            Some(ItemKind::Decl(decl)) => crate::eval::order::expanded(decl, self.symbols),
            _ => Vec::new(),
        }
    }
}

/// How to write a value of a fact's type.
fn value_help(declared: &Type) -> Option<String> {
    Some(match declared {
        Type::Money => "write money with `$`, e.g. `$40B`".to_string(),
        Type::Percent => "write a percent with `%`, e.g. `27%`".to_string(),
        Type::Unit(unit) => format!("write it in `{unit}`, e.g. `5e26 {unit}`"),
        Type::Bool => "write `true` or `false`".to_string(),
        Type::Date => "write a date, e.g. `2028-03-01`".to_string(),
        Type::Duration => "write a duration, e.g. `30 days`".to_string(),
        Type::Number | Type::Text => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use crate::diagnostic::Code;

    #[test]
    fn bad_scenario_missing_prerequisite() {
        let run = Run::with("scenario s {\n  agi_verified on 2028-01-01\n}\n");
        let d = run.only(Code::BadScenario);
        assert_eq!(
            d.message,
            "`agi_verified` happens on 2028-01-01, but `agi_declared`, which it must come after, never happens in this scenario"
        );
    }

    #[test]
    fn bad_scenario_twice_and_wrong_type() {
        let run = Run::with(
            "scenario s {\n  agi_declared on 2028-03-01\n  agi_declared on 2028-04-01\n  revenue = $1B\n  revenue = $2B\n  costs = 5%\n  training_compute = revenue\n}\n",
        );
        let messages: Vec<(Code, &str)> = run
            .diagnostics
            .iter()
            .map(|d| (d.code, d.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    Code::BadScenario,
                    "`agi_declared` is placed twice in scenario `s`"
                ),
                (
                    Code::BadScenario,
                    "`revenue` is given twice in scenario `s`"
                ),
                (
                    Code::BadScenario,
                    "`costs` is money, but this value is percent"
                ),
                (
                    Code::BadScenario,
                    "`training_compute` is flop, but this value is money"
                ),
            ]
        );
        assert_eq!(run.labelled(&run.diagnostics[0])[1].1, "first placed here");
    }

    #[test]
    fn bad_scenario_records() {
        let run = Run::with(
            "scenario s {\n  openai purchase $40B of clouds with microsoft on 2026-06-30\n  openai purchase 5% of api on 2026-06-30\n}\n",
        );
        assert_eq!(run.codes(), vec![Code::WrongKind, Code::TypeMismatch]);
        assert_eq!(
            run.diagnostics[0].message,
            "`clouds` is a group of venues, but an asset is expected here"
        );
    }

    #[test]
    fn fact_values_may_use_lets_and_earlier_facts() {
        let run = Run::with(
            "scenario s {\n  revenue = stake_value * 2\n  costs = revenue / 2\n  safe = agi_verified\n}\n",
        );
        assert_eq!(run.diagnostics, vec![]);
    }
}
