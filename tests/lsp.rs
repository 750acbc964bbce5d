//! `deal lsp` driven over stdio as an editor drives it: initialize, open,
//! change, the requests, shutdown and exit, on the examples and on broken
//! files. Every wait has a generous limit, so a hung server fails the test
//! instead of hanging it (the limits are not timing assertions: nothing
//! here asserts how fast an answer comes).

#[path = "../benches/common/mod.rs"]
mod generated;

use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long any one answer may take before the server counts as hung.
const PATIENCE: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Json>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    notifications: Vec<Json>,
    /// What the server said it can do.
    capabilities: Json,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deal"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("deal lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 0,
            notifications: Vec::new(),
            capabilities: Json::Null,
        };
        let result = client.request("initialize", json!({"capabilities": {}}));
        assert_eq!(result["serverInfo"]["name"], "deal");
        client.notify("initialized", json!({}));
        client.capabilities = result["capabilities"].clone();
        client
    }

    fn write(&mut self, message: Json) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Json) {
        self.write(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Json {
        match self.messages.recv_timeout(PATIENCE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("deal lsp did not answer: hung"),
            Err(RecvTimeoutError::Disconnected) => panic!("deal lsp closed its output: crashed"),
        }
    }

    /// The whole response (result or error).
    fn response(&mut self, method: &str, params: Json) -> Json {
        self.next_id += 1;
        let id = self.next_id;
        self.write(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Json) -> Json {
        let response = self.response(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "deal", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Json> {
        let matches = |m: &Json| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        };
        if let Some(i) = self.notifications.iter().position(matches) {
            let found = self.notifications.remove(i);
            return found["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            let message = self.next();
            if matches(&message) {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.notifications.push(message);
        }
    }

    fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Json {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    fn whole(&mut self, method: &str, uri: &str) -> Json {
        self.request(method, json!({"textDocument": {"uri": uri}}))
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Json::Null), Json::Null);
        self.notify("exit", Json::Null);
        let status = self.child.wait().expect("deal lsp exits");
        assert!(status.success(), "deal lsp exited with {status}");
    }
}

/// A test that fails part-way leaves no server behind.
impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Json> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("readable")
}

fn uri_of(name: &str) -> String {
    format!("file:///contracts/{name}")
}

/// The (0-based) line and UTF-16 column where `needle` first starts.
fn find(text: &str, needle: &str) -> (u32, u32) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in text"));
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .encode_utf16()
        .count();
    (line as u32, column as u32)
}

fn example() -> String {
    read(&root().join("examples/msft_openai_2025.deal"))
}

#[test]
fn initialize_advertises_every_feature() {
    let mut client = Client::start();
    let capabilities = client.capabilities.clone();
    for feature in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentFormattingProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
    ] {
        assert_eq!(capabilities[feature], true, "{feature}");
    }
    assert_eq!(
        capabilities["textDocumentSync"], 1,
        "full text on every change"
    );
    assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
    assert!(capabilities["completionProvider"].is_object());
    assert!(capabilities["codeLensProvider"].is_object());
    let legend = &capabilities["semanticTokensProvider"]["legend"];
    assert_eq!(legend["tokenTypes"][0], "class");
    // A second initialize is refused, and the server carries on.
    let again = client.response("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600);
    client.shutdown();
}

/// Diagnostics carry what `deal check --format json` reports: the same
/// codes, severities and places, with help text in the message.
#[test]
fn diagnostics_are_what_deal_check_reports() {
    let mut client = Client::start();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/corpus/err"))
        .expect("corpus")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "deal"))
        .collect();
    files.push(root().join("examples/msft_openai_2025.deal"));
    files.sort();
    for (n, path) in files.iter().enumerate() {
        let uri = uri_of(&format!("{n}.deal"));
        client.open(&uri, &read(path));
        let published = client.diagnostics(&uri, 1);
        let output = Command::new(env!("CARGO_BIN_EXE_deal"))
            .args(["check", "--format", "json"])
            .arg(path)
            .output()
            .expect("deal check runs");
        let report: Json = serde_json::from_slice(&output.stdout).expect("json");
        let expected: Vec<(String, String, u64, u64)> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["severity"].as_str().unwrap_or("").to_string(),
                    d["line"].as_u64().unwrap_or(0) - 1,
                    d["column"].as_u64().unwrap_or(0) - 1,
                )
            })
            .collect();
        let got: Vec<(String, String, u64, u64)> = published
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    match d["severity"].as_u64() {
                        Some(1) => "error",
                        Some(2) => "warning",
                        _ => "other",
                    }
                    .to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap_or(0),
                    d["range"]["start"]["character"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(got, expected, "{}", path.display());
        for (diagnostic, reported) in published
            .iter()
            .zip(report["diagnostics"].as_array().into_iter().flatten())
        {
            assert_eq!(diagnostic["source"], "deal");
            if let Some(help) = reported["help"].as_str() {
                let message = diagnostic["message"].as_str().unwrap_or("");
                assert!(message.contains(&format!("help: {help}")), "{message}");
            }
        }
    }
    client.shutdown();
}

#[test]
fn related_locations_point_at_the_other_labels() {
    let mut client = Client::start();
    let text = read(&root().join("tests/corpus/err/expect-failed.deal"));
    // Expectations fail only under `deal test`; a conflict has two clauses.
    let text = format!("{text}\ngcp_deal: openai may host api on gcp\n");
    let uri = uri_of("related.deal");
    client.open(&uri, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    let conflict = diagnostics
        .iter()
        .find(|d| d["code"] == "deal::conflict")
        .expect("a conflict");
    let related = conflict["relatedInformation"].as_array().expect("related");
    assert!(!related.is_empty());
    assert_eq!(related[0]["location"]["uri"], uri);
    assert_eq!(
        related[0]["location"]["range"]["start"]["line"],
        find(&text, "api_exclusive:").0
    );
    client.shutdown();
}

#[test]
fn changes_are_checked_after_a_pause() {
    let mut client = Client::start();
    let uri = uri_of("changing.deal");
    let text = example();
    client.open(&uri, &text);
    assert_eq!(client.diagnostics(&uri, 1), Vec::<Json>::new());
    // Typing: several versions in a row; diagnostics come for the last.
    let broken = text.replace(
        "api_exclusive: exclusive api on azure",
        "api_exclusive: exclusive apx on azure",
    );
    client.change(
        &uri,
        2,
        &text.replace("api_exclusive:", "api_exclusive: exclusive"),
    );
    client.change(&uri, 3, &broken);
    let diagnostics = client.diagnostics(&uri, 3);
    assert!(
        client
            .notifications
            .iter()
            .all(|m| m["params"]["version"] != json!(2)),
        "version 2 was replaced before the pause ended"
    );
    let unknown: Vec<&Json> = diagnostics
        .iter()
        .filter(|d| d["code"] == "deal::unknown-name")
        .collect();
    assert_eq!(unknown.len(), 1, "{diagnostics:#?}");
    assert_eq!(
        unknown[0]["range"]["start"]["line"],
        find(&text, "api_exclusive:").0
    );
    assert!(unknown[0]["message"].as_str().unwrap_or("").contains("apx"));
    client.change(&uri, 4, &text);
    assert_eq!(client.diagnostics(&uri, 4), Vec::<Json>::new());
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.shutdown();
}

#[test]
fn hover_explains_names_labels_values_and_dates() {
    let mut client = Client::start();
    let uri = uri_of("hover.deal");
    let text = example();
    client.open(&uri, &text);
    let value = |hover: &Json| {
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };

    let (line, column) = find(&text, "stake_value = $135B");
    let let_hover = value(&client.at("textDocument/hover", &uri, line, column + 2));
    assert!(let_hover.contains("= `$135B`"), "{let_hover}");

    let (line, column) = find(&text, "api_exclusive: exclusive");
    let label_hover = value(&client.at("textDocument/hover", &uri, line, column + 1));
    assert!(
        label_hover.contains("OpenAI API products are exclusive to Microsoft Azure until"),
        "{label_hover}"
    );
    assert!(
        label_hover.contains("When no event happens: in force from 2025-10-28"),
        "{label_hover}"
    );

    let (line, column) = find(&text, "event agi_verified");
    let event_hover = value(&client.at("textDocument/hover", &uri, line, column + 8));
    assert!(event_hover.contains("*event*"), "{event_hover}");
    assert!(event_hover.contains("The expert panel verifies the AGI declaration"));

    let (line, column) = find(&text, "agi_verified on 2028-09-01");
    let date_hover = value(&client.at("textDocument/hover", &uri, line, column + 18));
    assert_eq!(date_hover, "2028-09-01: Friday, 1 September 2028");
    client.shutdown();
}

#[test]
fn hover_resolves_time_expressions_and_durations() {
    let mut client = Client::start();
    let uri = uri_of("times.deal");
    let text = "effective 2025-01-31\nparty a\naction pay\nasset fee\nevent done\n\
                owed: a must pay fee by 2025-01-31 + 1 month or done\n";
    client.open(&uri, text);
    let (line, column) = find(text, "1 month");
    let duration = client.at("textDocument/hover", &uri, line, column + 2);
    assert_eq!(duration["contents"]["value"], "1 month");
    let (line, column) = find(text, "+ 1 month");
    let shifted = client.at("textDocument/hover", &uri, line, column);
    assert_eq!(
        shifted["contents"]["value"],
        "When no event happens: 2025-02-28: Friday, 28 February 2025"
    );
    client.shutdown();
}

#[test]
fn definition_references_and_rename_keep_labels_apart_from_names() {
    let mut client = Client::start();
    let uri = uri_of("names.deal");
    // The label `api` and the asset `api` share their text.
    let text = "party openai\nasset api\nvenue azure\nvenue gcp\naction host\n\
                api: exclusive api on azure\n\
                natsec: openai may host api on gcp notwithstanding api\n\
                assert stays: never may openai host api on gcp\n";
    client.open(&uri, text);
    let (asset_line, asset_column) = find(text, "api\n");
    let (label_use_line, label_use_column) = find(text, "notwithstanding api");
    let label_use_column = label_use_column + "notwithstanding ".len() as u32;

    let definition = client.at(
        "textDocument/definition",
        &uri,
        label_use_line,
        label_use_column,
    );
    assert_eq!(definition["uri"], uri);
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 5, "character": 0})
    );

    let (use_line, use_column) = find(text, "host api on gcp");
    let definition = client.at("textDocument/definition", &uri, use_line, use_column + 6);
    assert_eq!(
        definition["range"]["start"],
        json!({"line": asset_line, "character": asset_column})
    );

    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": asset_line, "character": asset_column},
               "context": {"includeDeclaration": true}}),
    );
    // The declaration, the exclusivity's object, and two `host api`.
    assert_eq!(references.as_array().map(Vec::len), Some(4), "{references}");
    let without = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": asset_line, "character": asset_column},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(without.as_array().map(Vec::len), Some(3));

    let prepared = client.at(
        "textDocument/prepareRename",
        &uri,
        label_use_line,
        label_use_column,
    );
    assert_eq!(prepared["start"]["line"], label_use_line);
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": label_use_line, "character": label_use_column},
               "newName": "azure_only"}),
    );
    let edits = edit["changes"][&uri].as_array().expect("edits");
    let mut starts: Vec<(u64, u64)> = edits
        .iter()
        .map(|e| {
            (
                e["range"]["start"]["line"].as_u64().unwrap_or(0),
                e["range"]["start"]["character"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    starts.sort();
    assert_eq!(
        starts,
        vec![(5, 0), (label_use_line as u64, label_use_column as u64)]
    );

    // Not a name, a keyword, or a name already declared: refused.
    for bad in ["Azure", "until", "natsec", "9lives"] {
        let response = client.response(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri}, "position": {"line": label_use_line, "character": label_use_column},
                   "newName": bad}),
        );
        assert!(response.get("error").is_some(), "{bad}: {response}");
    }
    // A keyword is not renamed.
    let response = client.response(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 6}}),
    );
    assert!(response.get("error").is_some(), "{response}");
    client.shutdown();
}

#[test]
fn completion_offers_names_of_the_expected_kind() {
    let mut client = Client::start();
    let uri = uri_of("complete.deal");
    let text = example();
    client.open(&uri, &text);
    client.diagnostics(&uri, 1);
    let labels = |items: &Json| -> Vec<String> {
        items
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["label"].as_str().map(str::to_string))
            .collect()
    };
    // Typing a new clause at the end: the file no longer parses, and the
    // names of the last version that did are offered.
    let typed = format!("{text}\nnew_clause: openai may host api on ");
    client.change(&uri, 2, &typed);
    let last = typed.lines().count() as u32 - 1;
    let column = typed.lines().last().map_or(0, |l| l.len()) as u32;
    let venues = labels(&client.at("textDocument/completion", &uri, last, column));
    assert!(venues.contains(&"azure".to_string()), "{venues:?}");
    assert!(venues.contains(&"gcp".to_string()));
    assert!(
        !venues.contains(&"openai".to_string()),
        "a party is not a venue"
    );

    let typed = format!("{text}\nnew_clause: openai may host api to mi");
    client.change(&uri, 3, &typed);
    let column = typed.lines().last().map_or(0, |l| l.len()) as u32;
    let items = client.at("textDocument/completion", &uri, last, column);
    assert_eq!(labels(&items), vec!["microsoft"]);
    assert_eq!(
        items[0]["textEdit"]["range"]["start"]["character"],
        column - 2
    );
    client.shutdown();
}

#[test]
fn formatting_is_deal_fmt() {
    let mut client = Client::start();
    let uri = uri_of("fmt.deal");
    let messy = "party   openai\nasset api\n\n\n\nvenue azure   // where\napi_exclusive:   exclusive api   on azure\n";
    client.open(&uri, messy);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted =
        deal::fmt::format_source(&deal::source::SourceFile::new("x", messy)).expect("formats");
    assert_eq!(edits.as_array().map(Vec::len), Some(1));
    assert_eq!(edits[0]["newText"], formatted.as_str());
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // Formatted text: no edits. Text that does not parse: none either.
    client.change(&uri, 2, &formatted);
    let none = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
    client.change(&uri, 3, "party openai may {");
    let none = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
    client.shutdown();
}

#[test]
fn symbols_and_folding_outline_the_contract() {
    let mut client = Client::start();
    let uri = uri_of("outline.deal");
    let text = example();
    client.open(&uri, &text);
    let symbols = client.whole("textDocument/documentSymbol", &uri);
    let symbols = symbols.as_array().expect("symbols");
    let named = |name: &str| {
        symbols
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} in outline"))
    };
    assert_eq!(named("microsoft")["detail"], "party");
    assert_eq!(named("agi_verified")["detail"], "event");
    assert_eq!(
        named("api_exclusive")["detail"],
        "api_exclusive: exclusive api on azure until agi_verified"
    );
    let scenario = named("early_agi");
    let children = scenario["children"].as_array().expect("expect blocks");
    assert!(
        children
            .iter()
            .all(|c| c["name"].as_str().unwrap_or("").starts_with("expect at "))
    );
    assert!(symbols.iter().any(|s| s["detail"] == "assert"));

    let folds = client.whole("textDocument/foldingRange", &uri);
    let (line, _) = find(&text, "scenario early_agi");
    assert!(
        folds
            .as_array()
            .expect("folds")
            .iter()
            .any(|f| f["startLine"] == line)
    );
    client.shutdown();
}

#[test]
fn code_lenses_run_scenarios_and_assertions_and_explore_clauses() {
    let mut client = Client::start();
    let uri = uri_of("lenses.deal");
    let text = example();
    client.open(&uri, &text);
    let lenses = client.whole("textDocument/codeLens", &uri);
    let title_at = |needle: &str| -> String {
        let (line, _) = find(&text, needle);
        lenses
            .as_array()
            .into_iter()
            .flatten()
            .find(|l| l["range"]["start"]["line"] == line)
            .and_then(|l| l["command"]["title"].as_str())
            .unwrap_or_else(|| panic!("a lens at {needle}"))
            .to_string()
    };
    assert_eq!(title_at("scenario agi_never"), "✓ run: 29 passed");
    assert_eq!(title_at("scenario early_agi"), "✓ run: 14 passed");
    assert_eq!(title_at("assert "), "✓ holds in every future");
    assert_eq!(
        title_at("research_ip: microsoft holds"),
        "holds microsoft research_ip: 3 timelines: yes until 2031-01-01, then unspecified | unspecified throughout | yes until agi_verified, then unspecified"
    );

    let failing = read(&root().join("tests/corpus/err/expect-failed.deal"));
    let uri = uri_of("failing.deal");
    client.open(&uri, &failing);
    let lenses = client.whole("textDocument/codeLens", &uri);
    let titles: Vec<&str> = lenses
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["command"]["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        vec!["✗ run: 1 of 1 failed; line 14: expected yes, got no at 2028-06-01"]
    );
    client.shutdown();
}

#[test]
fn semantic_tokens_colour_names_by_kind() {
    let mut client = Client::start();
    let uri = uri_of("tokens.deal");
    let text = "party openai\nasset api\nopen: openai may host api\naction host\n";
    client.open(&uri, text);
    let tokens = client.whole("textDocument/semanticTokens/full", &uri);
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(Json::as_u64)
        .collect();
    // (line, start, length, type, modifiers), decoded from deltas.
    let mut decoded = Vec::new();
    let (mut line, mut start) = (0, 0);
    for token in data.chunks(5) {
        line += token[0];
        start = if token[0] == 0 {
            start + token[1]
        } else {
            token[1]
        };
        decoded.push((line, start, token[2], token[3], token[4]));
    }
    assert_eq!(
        decoded,
        vec![
            (0, 6, 6, 0, 1),  // party openai (declared)
            (1, 6, 3, 2, 1),  // asset api
            (2, 0, 4, 9, 1),  // label open
            (2, 6, 6, 0, 0),  // openai
            (2, 17, 4, 4, 0), // host: action
            (2, 22, 3, 2, 0), // api
            (3, 7, 4, 4, 1),  // action host
        ]
    );
    client.shutdown();
}

#[test]
fn requests_about_unknown_documents_or_with_bad_parameters_are_errors() {
    let mut client = Client::start();
    let response = client.response(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.deal"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(response.get("error").is_some());
    let response = client.response("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(response["error"]["code"], -32602);
    let response = client.response("workspace/unheardOf", json!({}));
    assert_eq!(response["error"]["code"], -32601);
    client.shutdown();
}

/// A generated contract of 10,000 clauses: every request is answered, the
/// lenses stop exploring past their budget, and diagnostics come for the
/// version the edits paused at.
#[test]
fn a_ten_thousand_clause_contract_is_served() {
    let mut client = Client::start();
    let uri = uri_of("large.deal");
    let text = generated::contract(10_000);
    client.open(&uri, &text);
    // Its names are known once it has been checked.
    assert_eq!(client.diagnostics(&uri, 1), Vec::<Json>::new());
    let typed = format!("{text}\nextra: p1 may act1 ");
    client.change(&uri, 2, &typed);
    let last = typed.lines().count() as u32 - 1;
    let items = client.at("textDocument/completion", &uri, last, 19);
    assert!(items.as_array().is_some_and(|a| !a.is_empty()));
    client.change(&uri, 3, &text);
    let tokens = client.whole("textDocument/semanticTokens/full", &uri);
    assert!(tokens["data"].as_array().is_some_and(|d| d.len() > 50_000));
    let lenses = client.whole("textDocument/codeLens", &uri);
    let over_budget = lenses
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| {
            l["command"]["title"].as_str().is_some_and(|t| {
                t.starts_with("timeline: not explored here (the lenses' budget is spent)")
            })
        })
        .count();
    assert!(over_budget > 8_000, "{over_budget}");
    assert_eq!(client.diagnostics(&uri, 3), Vec::<Json>::new());
    client.shutdown();
}

/// Every contract of the repository (examples, test corpus, regressions,
/// and the fuzz corpora when they have been seeded), typed in as an editor
/// sends it: growing prefixes, then edits that cut and duplicate pieces,
/// with requests at several places after each. The server must answer
/// everything without an internal error and exit cleanly.
#[test]
fn the_corpora_fed_as_edits_never_crash_or_hang_the_server() {
    let mut inputs: Vec<PathBuf> = Vec::new();
    for dir in [
        "examples",
        "tests/corpus/ok",
        "tests/corpus/err",
        "tests/regressions",
    ] {
        collect(&root().join(dir), &mut inputs);
    }
    for target in ["parse", "check", "fmt_roundtrip", "query_eval"] {
        collect(&root().join("fuzz/corpus").join(target), &mut inputs);
    }
    inputs.sort();
    let mut client = Client::start();
    for (n, path) in inputs.iter().enumerate() {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let uri = uri_of(&format!("fuzz{n}.deal"));
        client.open(&uri, &text);
        client.diagnostics(&uri, 1);
        let edits = edits(&text);
        for (version, edit) in edits.iter().enumerate() {
            client.change(&uri, version as i64 + 2, edit);
            // Lenses run the scenarios and explore clauses: on every edit of
            // a small file, on the last two of a large one.
            let lenses = text.len() < 4096 || version + 2 >= edits.len();
            probe(&mut client, &uri, edit, lenses);
        }
        // Only the replies matter here; the diagnostics are tested above.
        client.notifications.clear();
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    client.shutdown();
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() && path.extension().is_none_or(|e| e != "out") {
            out.push(path);
        }
    }
}

/// The texts an editor would send while the file is typed and edited.
fn edits(text: &str) -> Vec<String> {
    let boundaries: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let at = |fraction: usize| boundaries[boundaries.len() * fraction / 8 % boundaries.len()];
    let mut out = Vec::new();
    // Growing prefixes, as if typed (eight steps, to keep the test quick).
    for step in 1..8 {
        out.push(text[..at(step)].to_string());
    }
    // A piece cut from the middle, a piece duplicated, a line joined.
    let (a, b) = (at(3), at(5));
    out.push(format!("{}{}", &text[..a], &text[b..]));
    out.push(format!("{}{}{}", &text[..b], &text[a..b], &text[b..]));
    out.push(text.replacen('\n', " ", 3));
    out.push(text.to_string());
    out
}

/// Requests at the start, middle and end of the text, each answered
/// (errors allowed only for a position that names nothing to rename).
fn probe(client: &mut Client, uri: &str, text: &str, lenses: bool) {
    let lines = text.lines().count().max(1) as u32;
    for line in [0, lines / 2, lines - 1] {
        for character in [0, 3, 12] {
            for method in [
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/completion",
            ] {
                client.at(method, uri, line, character);
            }
            let response = client.response(
                "textDocument/rename",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character},
                       "newName": "renamed"}),
            );
            assert_ne!(response["error"]["code"], -32603, "{response}");
        }
    }
    for method in [
        "textDocument/documentSymbol",
        "textDocument/semanticTokens/full",
        "textDocument/foldingRange",
    ] {
        client.whole(method, uri);
    }
    if lenses {
        client.whole("textDocument/codeLens", uri);
    }
    let response = client.response(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_ne!(response["error"]["code"], -32603, "{response}");
}
