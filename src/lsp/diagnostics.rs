//! Diagnostics: what `deal check` reports for the document (syntax, check
//! and lints, with the same budget), in the protocol's shape. The first
//! label is the range; the others become related locations; help and
//! notes follow the message, as `deal check` prints them.
//!
//! Checking runs on its own thread (`Checker`), so that a large contract
//! being checked never keeps the server from answering hover or
//! completion; only the newest version of a document is checked, and a
//! result is published only while its version is still the newest.

use super::document::Document;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::limits::MAX_FILE_BYTES;
use crate::repl::helper::Vocabulary;
use crate::source::Span;
use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, PublishDiagnosticsParams, Uri,
};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::str::FromStr;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

/// Where published diagnostics go (the connection to the client).
pub type Outbox = Box<dyn Fn(Message) + Send>;

/// The background checker: documents in, `publishDiagnostics` out.
pub struct Checker {
    jobs: Sender<Document>,
    /// The newest version of each open document.
    newest: Arc<Mutex<HashMap<String, i32>>>,
    /// The names of the last version of each document that parsed:
    /// completion needs them while the line being typed leaves the file
    /// unparsable.
    vocabularies: Arc<Mutex<HashMap<String, Vocabulary>>>,
}

impl Checker {
    pub fn start(outbox: Outbox) -> Checker {
        let (jobs, queue) = channel::<Document>();
        let newest: Arc<Mutex<HashMap<String, i32>>> = Arc::default();
        let vocabularies: Arc<Mutex<HashMap<String, Vocabulary>>> = Arc::default();
        let current = Arc::clone(&newest);
        let learned = Arc::clone(&vocabularies);
        std::thread::spawn(move || {
            while let Ok(first) = queue.recv() {
                // Only the last queued version of each document counts.
                let mut batch = vec![first];
                batch.extend(queue.try_iter());
                let mut latest: Vec<Document> = Vec::new();
                for document in batch {
                    latest.retain(|d| d.uri != document.uri);
                    latest.push(document);
                }
                for document in latest {
                    let is_newest = |version| {
                        current
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .get(&document.uri)
                            == Some(&version)
                    };
                    if !is_newest(document.version) {
                        continue;
                    }
                    if let Ok(Some(vocabulary)) = catch_unwind(AssertUnwindSafe(|| {
                        let loaded = &document.analysis().loaded;
                        loaded.file.as_ref().map(|_| Vocabulary::of(loaded))
                    })) {
                        learned
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .insert(document.uri.clone(), vocabulary);
                    }
                    let Ok(Some(params)) = catch_unwind(AssertUnwindSafe(|| publish(&document)))
                    else {
                        continue;
                    };
                    if is_newest(document.version) {
                        outbox(Message::Notification(Notification::new(
                            PublishDiagnostics::METHOD.to_string(),
                            params,
                        )));
                    }
                }
            }
        });
        Checker {
            jobs,
            newest,
            vocabularies,
        }
    }

    /// Check this version of a document, replacing any older one queued.
    pub fn check(&self, document: Document) {
        self.newest
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(document.uri.clone(), document.version);
        let _ = self.jobs.send(document);
    }

    /// A closed document: nothing more is published for it.
    pub fn forget(&self, uri: &str) {
        self.newest
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(uri);
        self.vocabularies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(uri);
    }

    /// The names of the last checked version of a document that parsed.
    pub fn vocabulary(&self, uri: &str) -> Option<Vocabulary> {
        self.vocabularies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(uri)
            .cloned()
    }
}

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
    document.analysis().loaded.checked_and_linted()
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
    // The primary label adds to the message unless the message says it already.
    if let Some(primary) = diagnostic
        .labels
        .first()
        .filter(|l| !l.message.is_empty() && !diagnostic.message.contains(&l.message))
    {
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
