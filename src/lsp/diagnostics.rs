//! Diagnostics: what `deal check` reports for the document (syntax, check
//! and lints, with the same budget), in the protocol's shape. The first
//! label is the range; the others become related locations; help and
//! notes follow the message, as `deal check` prints them.

use super::document::Document;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limits::MAX_FILE_BYTES;
use crate::source::Span;
use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, PublishDiagnosticsParams, Uri,
};
use std::str::FromStr;

/// What `deal check` would report for the document's current text.
pub fn check(document: &Document) -> Vec<Diagnostic> {
    if document.text().len() > MAX_FILE_BYTES {
        return vec![
            Diagnostic::new(
                Code::Limit,
                format!("the file is larger than {MAX_FILE_BYTES} bytes"),
                Span::new(0, 0),
                "not checked",
            )
            .with_help("split the contract into smaller files"),
        ];
    }
    crate::check_and_lint(&document.source)
}

pub fn publish(document: &Document) -> Option<PublishDiagnosticsParams> {
    let uri = Uri::from_str(&document.uri).ok()?;
    let diagnostics = check(document)
        .iter()
        .map(|d| to_lsp(document, &uri, d))
        .collect();
    Some(PublishDiagnosticsParams::new(
        uri,
        diagnostics,
        Some(document.version),
    ))
}

pub fn to_lsp(document: &Document, uri: &Uri, diagnostic: &Diagnostic) -> LspDiagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(primary) = diagnostic.labels.first().filter(|l| !l.message.is_empty()) {
        message.push_str(&format!(": {}", primary.message));
    }
    for note in &diagnostic.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .skip(1)
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), document.range(label.span)),
            message: label.message.clone(),
        })
        .collect();
    LspDiagnostic {
        range: document.range(diagnostic.primary_span()),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str())),
        code_description: None,
        source: Some("deal".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
