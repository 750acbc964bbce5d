//! Why an evaluation has no answer, as data: a fact the scenario does not
//! give, a division by zero, a date or number out of range, a `let` that
//! refers back to itself, nesting past the evaluator's depth, or another
//! error already written as a diagnostic.
//!
//! The evaluator returns an `EvalError` so that its callers can tell "a
//! fact was not given" (the scenario is incomplete: a timeline draws the
//! clause as undecided, a lint leaves the value out) from a real error. At
//! the edge, `Diagnostic::from` turns each into the one diagnostic users
//! see; `?` converts either way, so a function returning a `Diagnostic`
//! can call the evaluator and the evaluator can call lower layers that
//! build diagnostics.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// A fact the scenario does not give a value and that has no default,
    /// labelled where it is read.
    MissingFact { name: String, span: Span },
    /// A division whose divisor is zero.
    DivisionByZero { divisor: Span, dividend: Span },
    /// A date that leaves the calendar, or a number or duration too large
    /// to represent: `message` says which, `label` what the span shows.
    OutOfRange {
        message: String,
        span: Span,
        label: &'static str,
    },
    /// A `let` (or fact default) whose value refers back to itself.
    Cycle { name: String, span: Span },
    /// Expressions and `let` references nested deeper than `limit`
    /// (`eval::expr::MAX_DEPTH`).
    TooDeep { span: Span, limit: usize },
    /// Any other error, as the diagnostic that reports it.
    Other(Box<Diagnostic>),
}

impl EvalError {
    /// The fact whose value the scenario does not give, when that is all
    /// that went wrong.
    pub fn missing_fact(&self) -> Option<&str> {
        match self {
            EvalError::MissingFact { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Whether the evaluation only lacked a fact's value (the scenario is
    /// incomplete, the contract is not at fault).
    pub fn is_missing_fact(&self) -> bool {
        self.missing_fact().is_some()
    }

    /// The message of the diagnostic this error becomes.
    pub fn message(&self) -> String {
        Diagnostic::from(self.clone()).message
    }
}

impl From<EvalError> for Diagnostic {
    fn from(error: EvalError) -> Diagnostic {
        match error {
            EvalError::MissingFact { name, span } => Diagnostic::new(
                Code::Eval,
                format!("fact `{name}` has no value in this scenario"),
                span,
                "this fact has no value",
            )
            .with_help(format!(
                "give it a value in the scenario or with `--fact {name}=...`"
            )),
            // The divisor is the primary label: it is what has to change.
            EvalError::DivisionByZero { divisor, dividend } => {
                Diagnostic::new(Code::Eval, "division by zero", divisor, "this is zero")
                    .with_label(dividend, "dividing this")
                    .with_help("guard the division, or give the divisor a value that is not zero")
            }
            EvalError::OutOfRange {
                message,
                span,
                label,
            } => Diagnostic::new(Code::Eval, message, span, label),
            EvalError::Cycle { name, span } => Diagnostic::new(
                Code::Eval,
                format!("`{name}` is defined in terms of itself"),
                span,
                "this refers back to the value being computed",
            ),
            EvalError::TooDeep { span, limit } => Diagnostic::new(
                Code::Limit,
                format!("evaluation nests deeper than {limit} levels"),
                span,
                "too deep",
            ),
            EvalError::Other(diagnostic) => *diagnostic,
        }
    }
}

impl From<Diagnostic> for EvalError {
    fn from(diagnostic: Diagnostic) -> EvalError {
        EvalError::Other(Box::new(diagnostic))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize) -> Span {
        Span::new(start, start + 3)
    }

    /// The diagnostic each variant gives is the one the evaluator built
    /// before errors were typed, field for field.
    #[test]
    fn a_missing_fact_reads_as_before() {
        let error = EvalError::MissingFact {
            name: "revenue".into(),
            span: span(4),
        };
        assert!(error.is_missing_fact());
        assert_eq!(error.missing_fact(), Some("revenue"));
        let expected = Diagnostic::new(
            Code::Eval,
            "fact `revenue` has no value in this scenario",
            span(4),
            "this fact has no value",
        )
        .with_help("give it a value in the scenario or with `--fact revenue=...`");
        assert_eq!(Diagnostic::from(error), expected);
    }

    #[test]
    fn a_division_by_zero_labels_the_divisor_first() {
        let error = EvalError::DivisionByZero {
            divisor: span(10),
            dividend: span(0),
        };
        assert!(!error.is_missing_fact());
        let expected = Diagnostic::new(Code::Eval, "division by zero", span(10), "this is zero")
            .with_label(span(0), "dividing this")
            .with_help("guard the division, or give the divisor a value that is not zero");
        assert_eq!(Diagnostic::from(error), expected);
    }

    #[test]
    fn out_of_range_keeps_its_message_and_label() {
        let error = EvalError::OutOfRange {
            message: "the date falls outside the supported calendar".into(),
            span: span(2),
            label: "this date is out of range",
        };
        let expected = Diagnostic::new(
            Code::Eval,
            "the date falls outside the supported calendar",
            span(2),
            "this date is out of range",
        );
        assert_eq!(Diagnostic::from(error), expected);
    }

    #[test]
    fn a_cycle_and_too_deep_read_as_before() {
        let cycle = EvalError::Cycle {
            name: "loop_a".into(),
            span: span(1),
        };
        assert_eq!(
            Diagnostic::from(cycle),
            Diagnostic::new(
                Code::Eval,
                "`loop_a` is defined in terms of itself",
                span(1),
                "this refers back to the value being computed",
            )
        );
        let deep = Diagnostic::from(EvalError::TooDeep {
            span: span(7),
            limit: 512,
        });
        assert_eq!(deep.code, Code::Limit);
        assert_eq!(deep.message, "evaluation nests deeper than 512 levels");
        assert_eq!(deep.labels.len(), 1);
        assert_eq!(deep.primary_span(), span(7));
        assert_eq!(deep.help, None);
    }

    #[test]
    fn other_diagnostics_pass_through_unchanged() {
        let diagnostic = Diagnostic::new(Code::TypeMismatch, "no", span(3), "here")
            .with_help("help")
            .with_note("note");
        let error = EvalError::from(diagnostic.clone());
        assert!(!error.is_missing_fact());
        assert_eq!(error.message(), "no");
        assert_eq!(Diagnostic::from(error), diagnostic);
    }
}
