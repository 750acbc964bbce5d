//! The layering of src/ (docs/architecture.md): no import cycle between the
//! top-level modules, and none between the modules of `eval` but the known
//! exceptions listed below. A module's imports are read from the `crate::`
//! and `super::` paths in its files, so a cycle fails `cargo test` the day it
//! is written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Cycles inside `eval` that are known and due to be removed. None is
/// left: delete an entry when its cycle goes, so that it cannot come back.
const KNOWN_EVAL_CYCLES: &[&[&str]] = &[];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The code of a file without its comments (a doc comment that names a
/// module is not an import).
fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first identifier of each path that follows `prefix` in `code`,
/// including every member of a `prefix{a, b::c}` group.
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let preceded_by_ident = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        rest = &rest[at + prefix.len()..];
        if preceded_by_ident {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut end = group.len();
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let mut depth = 0;
            let mut at_item_start = true;
            let mut current = String::new();
            for c in group[..end].chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => at_item_start = true,
                    c if at_item_start && (c.is_alphanumeric() || c == '_') => current.push(c),
                    _ if at_item_start && !current.is_empty() => {
                        names.insert(std::mem::take(&mut current));
                        at_item_start = false;
                    }
                    _ => {}
                }
            }
            if !current.is_empty() {
                names.insert(current);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// The top-level modules of src/ and what each imports from the others.
fn top_level_graph() -> Graph {
    let src = src_dir();
    let mut graph = Graph::new();
    for path in rust_files(&src) {
        let Ok(relative) = path.strip_prefix(&src) else {
            continue;
        };
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let module = match parts.as_slice() {
            [file] if file == "lib.rs" || file == "main.rs" => continue,
            [file] => file.trim_end_matches(".rs").to_string(),
            [dir, ..] => dir.clone(),
            [] => continue,
        };
        let imports = names_after(&code_of(&path), "crate::");
        graph.entry(module.clone()).or_default().extend(imports);
    }
    restrict_to_nodes(graph)
}

/// The modules of `eval` and what each imports from the others, through
/// `super::`, `crate::eval::` or a name `eval/mod.rs` re-exports.
fn eval_graph() -> Graph {
    let eval = src_dir().join("eval");
    let root = code_of(&eval.join("mod.rs"));
    let mut reexported: BTreeMap<String, String> = BTreeMap::new();
    for line in root.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !name.is_empty() {
                reexported.insert(name.to_string(), module.to_string());
            }
        }
    }
    let mut graph = Graph::new();
    for path in rust_files(&eval) {
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        if stem == "mod" {
            continue;
        }
        let code = code_of(&path);
        let names = names_after(&code, "super::")
            .into_iter()
            .chain(names_after(&code, "crate::eval::"));
        let imports = names
            .map(|name| reexported.get(&name).cloned().unwrap_or(name))
            .collect::<BTreeSet<_>>();
        graph.entry(stem).or_default().extend(imports);
    }
    restrict_to_nodes(graph)
}

/// Keep only edges between nodes of the graph, and no self-edges.
fn restrict_to_nodes(graph: Graph) -> Graph {
    let nodes: BTreeSet<String> = graph.keys().cloned().collect();
    graph
        .into_iter()
        .map(|(module, imports)| {
            let imports = imports
                .into_iter()
                .filter(|i| nodes.contains(i) && *i != module)
                .collect();
            (module, imports)
        })
        .collect()
}

/// The strongly connected components of more than one module: each is a cycle.
fn cycles(graph: &Graph) -> Vec<BTreeSet<String>> {
    let reaches = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from.to_string()];
        while let Some(module) = pending.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    pending.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reaches(m))).collect();
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for module in graph.keys() {
        let component: BTreeSet<String> = graph
            .keys()
            .filter(|other| {
                *other == module
                    || (reach[module].contains(*other) && reach[other].contains(module))
            })
            .cloned()
            .collect();
        if component.len() > 1 && !found.contains(&component) {
            found.push(component);
        }
    }
    found
}

fn describe(graph: &Graph, cycle: &BTreeSet<String>) -> String {
    let edges: Vec<String> = cycle
        .iter()
        .flat_map(|from| {
            graph[from]
                .iter()
                .filter(|to| cycle.contains(*to))
                .map(move |to| format!("{from} -> {to}"))
        })
        .collect();
    edges.join(", ")
}

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let graph = top_level_graph();
    assert!(graph.contains_key("eval") && graph.contains_key("render"));
    let found: Vec<String> = cycles(&graph)
        .iter()
        .map(|cycle| describe(&graph, cycle))
        .collect();
    assert!(
        found.is_empty(),
        "import cycles between top-level modules of src/ (see docs/architecture.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn eval_modules_import_each_other_without_a_cycle_but_the_known_ones() {
    let graph = eval_graph();
    assert!(graph.contains_key("query") && graph.contains_key("scenario"));
    let known: Vec<BTreeSet<String>> = KNOWN_EVAL_CYCLES
        .iter()
        .map(|cycle| cycle.iter().map(|m| m.to_string()).collect())
        .collect();
    let found = cycles(&graph);
    let unexpected: Vec<String> = found
        .iter()
        .filter(|cycle| !known.contains(cycle))
        .map(|cycle| describe(&graph, cycle))
        .collect();
    assert!(
        unexpected.is_empty(),
        "import cycles between modules of src/eval:\n{}",
        unexpected.join("\n")
    );
    for cycle in known.iter().filter(|cycle| !found.contains(cycle)) {
        eprintln!("note: the known eval cycle {cycle:?} is gone: remove it from KNOWN_EVAL_CYCLES");
    }
}

#[test]
fn the_reader_finds_grouped_and_nested_imports() {
    let code =
        "use crate::{ast::Item, eval::{self, Contract}, source};\nlet x = crate::lint::run(y);";
    let names: Vec<String> = names_after(code, "crate::").into_iter().collect();
    assert_eq!(names, ["ast", "eval", "lint", "source"]);
}

#[test]
fn a_cycle_is_found_through_an_intermediate_module() {
    let graph: Graph = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .into_iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    let found = cycles(&graph);
    assert_eq!(found.len(), 1);
    assert_eq!(describe(&graph, &found[0]), "a -> b, b -> c, c -> a");
}
