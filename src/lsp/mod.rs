//! `deal lsp`: a Language Server Protocol server over stdio, for editors.
//!
//! A front end like the others: every answer comes from the library
//! (`load`, `check_and_lint`, `fmt`, `explain`, `eval`, `analysis`, the
//! REPL's completer); this module only translates positions and shapes.
//! One module per feature. The server is synchronous: one message at a
//! time, on one thread (`lsp-server`).
//!
//! Work per keystroke stays bounded: a change only stores the text; the
//! document is analysed when a request needs it (once per version), and
//! diagnostics are published once the edits pause for `DEBOUNCE`.

mod completion;
mod diagnostics;
mod document;
mod formatting;
mod hover;
mod lenses;
mod navigation;
mod outline;
mod tokens;

use document::Document;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Exit,
    Notification as NotificationTrait, PublishDiagnostics,
};
use lsp_types::request::{
    CodeLensRequest, Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, Initialize, PrepareRenameRequest, References, Rename,
    Request as RequestTrait, SemanticTokensFullRequest, Shutdown,
};
use lsp_types::{
    CodeLensOptions, CompletionOptions, FoldingRangeProviderCapability, HoverProviderCapability,
    InitializeResult, OneOf, PublishDiagnosticsParams, RenameOptions, SemanticTokensFullOptions,
    SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// How long edits must pause before a document's diagnostics are published.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_string(), ",".to_string()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// Serve over stdin and stdout until the client says `exit` or hangs up.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())
}

pub fn serve(connection: &Connection) -> Result<(), String> {
    let initialize = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "deal".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    let initialize = serde_json::to_value(initialize).map_err(|e| e.to_string())?;
    let (id, _params) = connection.initialize_start().map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, initialize)
        .map_err(|e| e.to_string())?;
    let outbox = connection.sender.clone();
    let mut server = Server::new(Box::new(move |message| {
        let _ = outbox.send(message);
    }));
    loop {
        let message = match server.next_due() {
            Some(due) => {
                match connection
                    .receiver
                    .recv_timeout(due.saturating_duration_since(Instant::now()))
                {
                    Ok(message) => message,
                    Err(error) if error.is_timeout() => {
                        server.check_due(Instant::now());
                        continue;
                    }
                    Err(_) => return Ok(()),
                }
            }
            None => match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => return Ok(()),
            },
        };
        if matches!(&message, Message::Notification(n) if n.method == Exit::METHOD) {
            return Ok(());
        }
        for reply in server.handle(message) {
            send(connection, reply)?;
        }
    }
}

fn send(connection: &Connection, message: Message) -> Result<(), String> {
    connection.sender.send(message).map_err(|e| e.to_string())
}

/// The open documents and what is owed to the client.
pub struct Server {
    documents: HashMap<String, Document>,
    /// Documents changed since they were last sent to the checker, each
    /// with the moment their edits count as paused.
    due: HashMap<String, Instant>,
    checker: diagnostics::Checker,
    shut_down: bool,
}

impl Server {
    /// A server whose diagnostics go to `outbox`.
    pub fn new(outbox: diagnostics::Outbox) -> Server {
        Server {
            documents: HashMap::new(),
            due: HashMap::new(),
            checker: diagnostics::Checker::start(outbox),
            shut_down: false,
        }
    }

    /// The earliest moment some document's edits count as paused.
    pub fn next_due(&self) -> Option<Instant> {
        self.due.values().min().copied()
    }

    /// Send every document whose edits have paused to the checker.
    pub fn check_due(&mut self, now: Instant) {
        let ready: Vec<String> = self
            .due
            .iter()
            .filter(|(_, due)| **due <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            self.check(&uri);
        }
    }

    fn check(&mut self, uri: &str) {
        if let Some(document) = self.documents.get(uri) {
            self.checker.check(document.snapshot());
        }
    }

    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(request) => vec![Message::Response(self.respond(request))],
            Message::Notification(note) => self.notice(note),
            Message::Response(_) => Vec::new(),
        }
    }

    fn notice(&mut self, note: Notification) -> Vec<Message> {
        match note.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) = note
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let uri = params.text_document.uri.as_str().to_string();
                let document = Document::new(
                    uri.clone(),
                    params.text_document.version,
                    params.text_document.text,
                );
                self.documents.insert(uri.clone(), document);
                self.due.remove(&uri);
                self.check(&uri);
                Vec::new()
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = note.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri.as_str().to_string();
                // Full synchronisation: the last change is the whole text.
                let Some(change) = params.content_changes.into_iter().last() else {
                    return Vec::new();
                };
                let document =
                    Document::new(uri.clone(), params.text_document.version, change.text);
                self.documents.insert(uri.clone(), document);
                self.due.insert(uri, Instant::now() + DEBOUNCE);
                Vec::new()
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = note
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                self.documents.remove(uri.as_str());
                self.due.remove(uri.as_str());
                self.checker.forget(uri.as_str());
                // Clear what the editor shows for the closed file.
                vec![notification::<PublishDiagnostics>(
                    PublishDiagnosticsParams::new(uri, Vec::new(), None),
                )]
            }
            _ => Vec::new(),
        }
    }

    fn respond(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        if self.shut_down {
            return error(id, ErrorCode::InvalidRequest, "the server is shut down");
        }
        let method = request.method.clone();
        match guarded(&method, || self.answer(request)) {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err((code, message))) => error(id, code, &message),
            Err(message) => error(id, ErrorCode::InternalError, &message),
        }
    }

    fn document(&self, uri: &Uri) -> Result<&Document, Failure> {
        self.documents.get(uri.as_str()).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("{} is not open", uri.as_str()),
            )
        })
    }

    fn answer(&mut self, request: Request) -> Result<Json, Failure> {
        let params = request.params;
        match request.method.as_str() {
            Initialize::METHOD => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_string(),
            )),
            Shutdown::METHOD => {
                self.shut_down = true;
                Ok(Json::Null)
            }
            HoverRequest::METHOD => on::<HoverRequest>(params, |p| {
                let at = p.text_document_position_params;
                Ok(hover::hover(
                    self.document(&at.text_document.uri)?,
                    at.position,
                ))
            }),
            GotoDefinition::METHOD => on::<GotoDefinition>(params, |p| {
                let at = p.text_document_position_params;
                let document = self.document(&at.text_document.uri)?;
                Ok(
                    navigation::definition(document, &at.text_document.uri, at.position)
                        .map(lsp_types::GotoDefinitionResponse::Scalar),
                )
            }),
            References::METHOD => on::<References>(params, |p| {
                let at = p.text_document_position;
                let document = self.document(&at.text_document.uri)?;
                Ok(Some(navigation::references(
                    document,
                    &at.text_document.uri,
                    at.position,
                    p.context.include_declaration,
                )))
            }),
            PrepareRenameRequest::METHOD => on::<PrepareRenameRequest>(params, |p| {
                let document = self.document(&p.text_document.uri)?;
                navigation::prepare_rename(document, p.position)
                    .map(|range| Some(lsp_types::PrepareRenameResponse::Range(range)))
                    .map_err(|message| (ErrorCode::RequestFailed, message))
            }),
            Rename::METHOD => on::<Rename>(params, |p| {
                let at = p.text_document_position;
                let document = self.document(&at.text_document.uri)?;
                navigation::rename(document, &at.text_document.uri, at.position, &p.new_name)
                    .map(Some)
                    .map_err(|message| (ErrorCode::RequestFailed, message))
            }),
            Completion::METHOD => on::<Completion>(params, |p| {
                let at = p.text_document_position;
                let document = self.document(&at.text_document.uri)?;
                let vocabulary =
                    document.vocabulary(self.checker.vocabulary(document.uri.as_str()));
                Ok(Some(lsp_types::CompletionResponse::Array(
                    completion::complete(document, &vocabulary, at.position),
                )))
            }),
            Formatting::METHOD => on::<Formatting>(params, |p| {
                let document = self.document(&p.text_document.uri)?;
                formatting::format(document)
                    .map(Some)
                    .map_err(|message| (ErrorCode::RequestFailed, message))
            }),
            DocumentSymbolRequest::METHOD => on::<DocumentSymbolRequest>(params, |p| {
                let document = self.document(&p.text_document.uri)?;
                Ok(Some(lsp_types::DocumentSymbolResponse::Nested(
                    outline::symbols(document),
                )))
            }),
            FoldingRangeRequest::METHOD => on::<FoldingRangeRequest>(params, |p| {
                Ok(Some(outline::folding(self.document(&p.text_document.uri)?)))
            }),
            CodeLensRequest::METHOD => on::<CodeLensRequest>(params, |p| {
                Ok(Some(lenses::lenses(self.document(&p.text_document.uri)?)))
            }),
            SemanticTokensFullRequest::METHOD => on::<SemanticTokensFullRequest>(params, |p| {
                let document = self.document(&p.text_document.uri)?;
                Ok(Some(lsp_types::SemanticTokensResult::Tokens(
                    tokens::tokens(document),
                )))
            }),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("`deal lsp` does not answer {method}"),
            )),
        }
    }
}

/// An error response's code and message.
type Failure = (ErrorCode, String);

/// Decode a request's parameters, answer, and encode the result.
fn on<R: RequestTrait>(
    params: Json,
    answer: impl FnOnce(R::Params) -> Result<R::Result, Failure>,
) -> Result<Json, Failure>
where
    R::Params: DeserializeOwned,
    R::Result: Serialize,
{
    let params: R::Params = serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("{}: {e}", R::METHOD)))?;
    let result = answer(params)?;
    serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// Run one piece of work; should the library panic after all, the editor
/// gets an error for that request and the server keeps serving. The panic
/// message still goes to stderr (the client's log), so it is not hidden.
fn guarded<T>(what: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|_| format!("internal error while {what}"))
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

fn notification<N: NotificationTrait>(params: N::Params) -> Message
where
    N::Params: Serialize,
{
    Message::Notification(Notification::new(N::METHOD.to_string(), params))
}
