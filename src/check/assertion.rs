//! Assertions (spec section 10), statically: the names and kinds in the
//! query, and a window whose times are times and whose conditions are bool
//! and decidable.

use super::Checker;
use super::query::Use;
use crate::ast::{Assertion, Query};
use crate::diagnostic::{Code, Diagnostic};

impl Checker<'_> {
    pub(crate) fn check_assertion(&mut self, assertion: &Assertion) {
        match &assertion.query {
            // `always` and `never` speak of yes and no; a status is neither.
            Query::Status(label) => self.report(
                Diagnostic::new(
                    Code::WrongKind,
                    "an assertion asks a `may`, `must` or `holds` query, not a `status`",
                    label.span,
                    "a status has no yes or no",
                )
                .with_help("check an obligation's status in a scenario's `expect` block"),
            ),
            // Ranges over every future like a window condition, so it must be
            // decidable like one.
            Query::Expr(condition) => self.check_condition(condition),
            query => self.check_query(query, Use::MustHold),
        }
        for qualifier in &assertion.window {
            self.check_window(qualifier);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use crate::diagnostic::Code;

    #[test]
    fn assertions_are_checked_like_queries() {
        let run =
            Run::with("assert a: always may openai host products on gcp through agi_verified\n");
        assert_eq!(run.codes(), vec![Code::WrongKind, Code::WrongKind]);
        assert_eq!(
            run.diagnostics[0].message,
            "`products` is a group, but a query names one member"
        );
        assert_eq!(
            run.diagnostics[1].help.as_deref(),
            Some("use `until` for an event")
        );
    }
}
