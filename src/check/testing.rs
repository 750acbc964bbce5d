//! Test support: real `.deal` text through the parser and the checker.

use super::check;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::syntax::parse_file;

/// Declarations most tests build on.
pub(crate) const PRELUDE: &str = "\
party microsoft
party openai
party panel
event agi_declared by openai
event agi_verified by panel after agi_declared
asset api
asset non_api
group products = api, non_api
venue azure
venue aws
venue gcp
group clouds = azure, aws, gcp
action host
action purchase
unit flop
let stake = 27%
let stake_value = $135B
fact revenue: money
fact costs: money
fact training_compute: flop
fact compute_threshold: flop
fact safe: bool = false
";

/// A checked text and its diagnostics.
pub(crate) struct Run {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl Run {
    pub fn new(text: &str) -> Run {
        let source = SourceFile::new("test.deal", text);
        let file = match parse_file(&source) {
            Ok(file) => file,
            Err(errors) => panic!("test input does not parse: {errors:#?}\n{text}"),
        };
        let diagnostics = check(&source, &file).diagnostics;
        Run {
            source,
            diagnostics,
        }
    }

    /// The prelude plus some lines.
    pub fn with(lines: &str) -> Run {
        Run::new(&format!("{PRELUDE}{lines}"))
    }

    pub fn codes(&self) -> Vec<Code> {
        self.diagnostics.iter().map(|d| d.code).collect()
    }

    /// The only diagnostic, which must have this code.
    pub fn only(&self, code: Code) -> &Diagnostic {
        assert_eq!(self.codes(), vec![code], "{:#?}", self.diagnostics);
        &self.diagnostics[0]
    }

    /// The text under each label of a diagnostic, primary first.
    pub fn labelled<'a>(&'a self, d: &Diagnostic) -> Vec<(&'a str, String)> {
        d.labels
            .iter()
            .map(|l| (self.source.slice(l.span), l.message.clone()))
            .collect()
    }

    /// The text under the primary label.
    pub fn primary<'a>(&'a self, d: &Diagnostic) -> &'a str {
        self.source.slice(d.primary_span())
    }

    pub fn line_of(&self, d: &Diagnostic) -> usize {
        self.source.line_col(d.primary_span().start).0
    }

    pub fn messages(&self) -> Vec<&str> {
        self.diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect()
    }
}

pub(crate) fn prelude_lines() -> usize {
    PRELUDE.lines().count()
}
