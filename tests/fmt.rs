//! The laws of `deal fmt`, over generated contracts and over every contract
//! in the repository, and the command line's behaviour:
//! - `parse(fmt(x)) == parse(x)`, spans aside (items, doc comments and the
//!   text of every plain comment);
//! - `fmt(fmt(x)) == fmt(x)`;
//! - `--check` prints a unified diff and exits 1 when a file would change;
//! - a file that does not parse is refused and left byte for byte as it was;
//! - formatting in place writes the formatted text.

mod common;

use common::{TempDir, deal, root};
use deal::ast::File;
use deal::source::SourceFile;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- the laws

fn parse(name: &str, text: &str) -> File {
    let source = SourceFile::new(name, text);
    match deal::syntax::parse_file(&source) {
        Ok(file) => file,
        Err(diagnostics) => panic!("{name} does not parse: {diagnostics:#?}\n----\n{text}\n----"),
    }
}

fn format(name: &str, text: &str) -> String {
    let source = SourceFile::new(name, text);
    let file = parse(name, text);
    deal::fmt::format_file(&source, &file)
}

fn check_laws(name: &str, text: &str) {
    let once = format(name, text);
    let difference = deal::fmt::first_difference(&parse(name, text), &parse(name, &once));
    assert!(
        difference.is_none(),
        "{name}: parse(fmt(x)) differs from parse(x) at {difference:?}\n---- input\n{text}\n---- formatted\n{once}"
    );
    let twice = format(name, &once);
    assert!(
        once == twice,
        "{name}: formatting is not idempotent\n---- input\n{text}\n---- once\n{once}\n---- twice\n{twice}"
    );
    assert!(
        once.is_empty() || once.ends_with('\n') && !once.ends_with("\n\n"),
        "{name}: one final newline"
    );
    assert!(
        !once.starts_with('\n'),
        "{name}: no blank line at the start"
    );
    assert!(
        !once.contains("\n\n\n"),
        "{name}: at most one blank line in a row"
    );
    for line in once.lines() {
        assert_eq!(
            line,
            line.trim_end(),
            "{name}: trailing white space in {line:?}"
        );
    }
}

// ---------------------------------------------------------------- the corpus

fn deal_files_below(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            deal_files_below(&path, found);
        } else if path.extension().is_some_and(|e| e == "deal") {
            found.push(path);
        }
    }
}

#[test]
fn laws_hold_for_every_contract_in_the_repository() {
    let mut files = Vec::new();
    for dir in ["examples", "tests/corpus/ok"] {
        deal_files_below(&root().join(dir), &mut files);
    }
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        check_laws(&path.display().to_string(), &text);
    }
}

#[test]
fn laws_hold_for_every_language_version_2_contract() {
    let mut files = Vec::new();
    deal_files_below(&root().join("tests/v2"), &mut files);
    files.sort();
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        // Reproducers of syntax errors (`in eu`) have nothing to format.
        if deal::syntax::parse_file(&SourceFile::new(&name, text.as_str())).is_ok() {
            check_laws(&name, &text);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} v2 contracts parsed");
}

// ---------------------------------------------------------------- generated contracts

/// One token of generated text. A `glued` token stays on the line of the one
/// before it (a unit or duration word after its number).
#[derive(Clone, Debug)]
struct Tok {
    text: String,
    glued: bool,
}

fn tok(text: impl Into<String>) -> Tok {
    Tok {
        text: text.into(),
        glued: false,
    }
}

fn glued(text: impl Into<String>) -> Tok {
    Tok {
        text: text.into(),
        glued: true,
    }
}

/// Tokens with how tightly they bind (spec section 5 levels; 8 is an atom).
#[derive(Clone, Debug)]
struct Frag {
    toks: Vec<Tok>,
    level: u8,
}

const ATOM: u8 = 8;

fn atom(toks: Vec<Tok>) -> Frag {
    Frag { toks, level: ATOM }
}

fn parenthesised(frag: Frag) -> Frag {
    let mut toks = vec![tok("(")];
    toks.extend(frag.toks);
    toks.push(tok(")"));
    atom(toks)
}

fn at_least(frag: Frag, level: u8) -> Frag {
    if frag.level >= level {
        frag
    } else {
        parenthesised(frag)
    }
}

const NAMES: &[&str] = &[
    "openai",
    "microsoft",
    "azure",
    "api",
    "x1",
    "deal_b",
    "excl",
    "notice",
    "until_x",
    "_tmp",
    "stake",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

fn names() -> impl Strategy<Value = Vec<Tok>> {
    prop::collection::vec(name(), 1..4).prop_map(|list| {
        let mut toks = Vec::new();
        for (i, n) in list.into_iter().enumerate() {
            if i > 0 {
                toks.push(tok(","));
            }
            toks.push(tok(n));
        }
        toks
    })
}

fn date() -> impl Strategy<Value = String> {
    (2020i32..2040, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn duration() -> impl Strategy<Value = Vec<Tok>> {
    duration_from(0)
}

/// A duration of at least `least` (a recurring obligation's period is
/// longer than zero).
fn duration_from(least: u32) -> impl Strategy<Value = Vec<Tok>> {
    let words = vec![
        "day", "days", "week", "weeks", "month", "months", "year", "years",
    ];
    (least..40, prop::sample::select(words)).prop_map(|(n, w)| vec![tok(n.to_string()), glued(w)])
}

fn string_literal() -> impl Strategy<Value = String> {
    let pieces = vec![
        "a",
        "Microsoft–OpenAI",
        " ",
        "\\\"",
        "\\\\",
        "\\n",
        "\\t",
        "x y",
        "é",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..5)
        .prop_map(|p| format!("\"{}\"", p.concat()))
}

fn literal() -> impl Strategy<Value = Vec<Tok>> {
    const NUMBERS: &[&str] = &["42", "0.5", "1e27", "1_000", "3", "2.50", "1E3"];
    const MONEY: &[&str] = &["$135B", "$1.5M", "$250_000", "$1K", "$3T", "$0.5"];
    const PERCENTS: &[&str] = &["27%", "32.5%", "100%", "0%"];
    prop_oneof![
        prop::sample::select(NUMBERS).prop_map(|n| vec![tok(n)]),
        prop::sample::select(MONEY).prop_map(|m| vec![tok(m)]),
        prop::sample::select(PERCENTS).prop_map(|p| vec![tok(p)]),
        (prop::sample::select(NUMBERS), name()).prop_map(|(n, u)| vec![tok(n), glued(u)]),
        prop::bool::ANY.prop_map(|b| vec![tok(b.to_string())]),
        date().prop_map(|d| vec![tok(d)]),
        duration(),
        string_literal().prop_map(|s| vec![tok(s)]),
    ]
}

/// `E by T` (T a shifted time: `or`/`and` in parentheses) and `L is STATUS`.
fn condition_atom() -> impl Strategy<Value = Frag> {
    const STATUSES: &[&str] = &["inactive", "pending", "fulfilled", "violated"];
    prop_oneof![
        (name(), time()).prop_map(|(event, t)| {
            let mut toks = vec![tok(event), tok("by")];
            toks.extend(at_least(t, 3).toks);
            atom(toks)
        }),
        (name(), prop::sample::select(STATUSES)).prop_map(|(label, status)| atom(vec![
            tok(label),
            tok("is"),
            tok(status)
        ])),
    ]
}

fn expr() -> impl Strategy<Value = Frag> {
    let leaf = prop_oneof![
        4 => literal().prop_map(atom),
        4 => name().prop_map(|n| atom(vec![tok(n)])),
        1 => condition_atom(),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        let ops: &[(&str, u8)] = &[
            ("or", 1),
            ("and", 2),
            ("==", 4),
            ("!=", 4),
            ("<", 4),
            ("<=", 4),
            (">", 4),
            (">=", 4),
            ("+", 5),
            ("-", 5),
            ("*", 6),
            ("/", 6),
        ];
        prop_oneof![
            4 => (inner.clone(), prop::sample::select(ops), inner.clone()).prop_map(|(lhs, (op, level), rhs)| {
                let comparison = level == 4;
                let lhs = at_least(lhs, if comparison { level + 1 } else { level });
                let rhs = at_least(rhs, level + 1);
                let mut toks = lhs.toks;
                toks.push(tok(op));
                toks.extend(rhs.toks);
                Frag { toks, level }
            }),
            1 => inner.clone().prop_map(|e| {
                let mut toks = vec![tok("not")];
                toks.extend(at_least(e, 3).toks);
                Frag { toks, level: 3 }
            }),
            1 => inner.clone().prop_map(|e| {
                let mut toks = vec![tok("-")];
                toks.extend(at_least(e, 7).toks);
                Frag { toks, level: 7 }
            }),
            1 => (prop::bool::ANY, prop::collection::vec(inner.clone(), 1..4)).prop_map(|(max, args)| {
                let mut toks = vec![tok(if max { "max" } else { "min" }), glued("(")];
                for (i, arg) in args.into_iter().enumerate() {
                    if i > 0 {
                        toks.push(glued(","));
                    }
                    toks.extend(arg.toks);
                }
                toks.push(glued(")"));
                atom(toks)
            }),
            1 => inner.prop_map(parenthesised),
        ]
    })
}

fn time() -> impl Strategy<Value = Frag> {
    let leaf = prop_oneof![
        date().prop_map(|d| atom(vec![tok(d)])),
        name().prop_map(|n| atom(vec![tok(n)]))
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), prop::bool::ANY, inner.clone()).prop_map(|(lhs, or, rhs)| {
                let level = if or { 1 } else { 2 };
                let mut toks = at_least(lhs, level).toks;
                toks.push(tok(if or { "or" } else { "and" }));
                toks.extend(at_least(rhs, level + 1).toks);
                Frag { toks, level }
            }),
            (inner.clone(), prop::bool::ANY, duration()).prop_map(|(base, plus, d)| {
                let mut toks = at_least(base, 3).toks;
                toks.push(tok(if plus { "+" } else { "-" }));
                toks.extend(d);
                Frag { toks, level: 3 }
            }),
            inner.prop_map(|t| parenthesised(at_least(t, 1))),
        ]
    })
}

/// One qualifier of a clause; `on`/`to`/`with`/`by` are given at most once by the caller.
fn qualifier(keyword: &'static str) -> BoxedStrategy<Vec<Tok>> {
    let head = tok(keyword);
    match keyword {
        "on" | "to" | "with" | "notwithstanding" => names()
            .prop_map(move |n| std::iter::once(head.clone()).chain(n).collect())
            .boxed(),
        "from" | "until" | "through" | "by" => time()
            .prop_map(move |t| std::iter::once(head.clone()).chain(t.toks).collect())
            .boxed(),
        "within_after" => (duration(), time())
            .prop_map(|(d, after)| {
                let mut toks = vec![tok("within")];
                toks.extend(d);
                toks.push(tok("after"));
                toks.extend(after.toks);
                toks
            })
            .boxed(),
        "within" => duration()
            .prop_map(move |d| std::iter::once(head.clone()).chain(d).collect())
            .boxed(),
        "every" => duration_from(1)
            .prop_map(move |d| std::iter::once(head.clone()).chain(d).collect())
            .boxed(),
        "survives" => prop::option::of(duration())
            .prop_map(move |d| {
                std::iter::once(head.clone())
                    .chain(d.into_iter().flatten())
                    .collect()
            })
            .boxed(),
        _ => expr()
            .prop_map(move |e| std::iter::once(head.clone()).chain(e.toks).collect())
            .boxed(),
    }
}

/// A clause's qualifiers in a random order. `on`, `to`, `with` and `by`
/// appear at most once; `by` only on an obligation; an exclusivity needs at
/// least one of `on`, `to`, `with`.
fn qualifiers(obligation: bool, exclusive: bool) -> impl Strategy<Value = Vec<Tok>> {
    const SETS: &[&str] = &["on", "to", "with"];
    const REPEATABLE: &[&str] = &[
        "from",
        "until",
        "through",
        "when",
        "unless",
        "notwithstanding",
    ];
    // An obligation's deadline: none, `by`, `within D after T`, `every D`
    // or `every D within D'` (the combinations the parser accepts).
    const DEADLINES: &[&[&str]] = &[
        &[],
        &["by"],
        &["within_after"],
        &["every"],
        &["every", "within"],
    ];
    (
        prop::sample::subsequence(SETS, if exclusive { 1..=3 } else { 0..=3 }),
        prop::sample::select(DEADLINES).prop_map(move |d| if obligation { d } else { &[][..] }),
        prop::bool::weighted(0.2),
        prop::collection::vec(prop::sample::select(REPEATABLE), 0..4),
    )
        .prop_flat_map(|(sets, deadline, survives, repeated)| {
            sets.into_iter()
                .chain(deadline.iter().copied())
                .chain(survives.then_some("survives"))
                .chain(repeated)
                .map(qualifier)
                .collect::<Vec<BoxedStrategy<Vec<Tok>>>>()
        })
        .prop_shuffle()
        .prop_map(|parts| parts.into_iter().flatten().collect())
}

/// `[quantity of] name`; a quantity only where `quantity` allows one.
fn object_with(quantity: bool) -> impl Strategy<Value = Vec<Tok>> {
    let amount = prop_oneof![
        literal(),
        name().prop_map(|n| vec![tok(n)]),
        expr().prop_map(|e| parenthesised(e).toks),
    ];
    let amount = prop::option::weighted(0.4, amount);
    (amount, name()).prop_map(move |(q, n)| {
        let mut toks = Vec::new();
        if let Some(q) = q.filter(|_| quantity) {
            toks.extend(q);
            toks.push(tok("of"));
        }
        toks.push(tok(n));
        toks
    })
}

fn object() -> impl Strategy<Value = Vec<Tok>> {
    object_with(true)
}

fn clause() -> impl Strategy<Value = Vec<Tok>> {
    const MODALITIES: &[&str] = &[
        "may",
        "must",
        "must not",
        "holds",
        "holds no",
        "exclusive",
        "only",
    ];
    (prop::option::of(name()), prop::sample::select(MODALITIES))
        .prop_flat_map(|(label, modality)| {
            let quantity = matches!(modality, "must" | "holds");
            (
                Just(label),
                Just(modality),
                name(),
                name(),
                object_with(quantity),
                qualifiers(modality == "must", modality == "exclusive"),
            )
        })
        .prop_map(|(label, modality, party, action, object, qualifiers)| {
            let mut toks = Vec::new();
            if let Some(label) = label {
                toks.push(tok(label));
                toks.push(tok(":"));
            }
            match modality {
                "exclusive" => toks.push(tok("exclusive")),
                "only" => {
                    toks.extend([tok("only"), tok(party), tok("may"), tok(action)]);
                }
                "holds" | "holds no" => {
                    toks.push(tok(party));
                    toks.extend(modality.split(' ').map(tok));
                }
                _ => {
                    toks.push(tok(party));
                    toks.extend(modality.split(' ').map(tok));
                    toks.push(tok(action));
                }
            }
            toks.extend(object);
            toks.extend(qualifiers);
            toks
        })
}

fn label() -> impl Strategy<Value = Option<String>> {
    prop::option::of(string_literal())
}

fn declaration() -> impl Strategy<Value = Vec<Tok>> {
    const KINDS: &[&str] = &["party", "asset", "venue", "action", "unit"];
    const TYPES: &[&str] = &[
        "money", "percent", "number", "bool", "date", "duration", "flop",
    ];
    prop_oneof![
        (prop::sample::select(KINDS), name(), label()).prop_map(|(kind, n, l)| {
            let mut toks = vec![tok(kind), tok(n)];
            toks.extend(l.map(tok));
            toks
        }),
        (
            name(),
            label(),
            prop::option::of(name()),
            prop::option::of(names())
        )
            .prop_map(|(n, l, by, after)| {
                let mut toks = vec![tok("event"), tok(n)];
                toks.extend(l.map(tok));
                if let Some(by) = by {
                    toks.extend([tok("by"), tok(by)]);
                }
                if let Some(after) = after {
                    toks.push(tok("after"));
                    toks.extend(after);
                }
                toks
            }),
        (name(), label(), names()).prop_map(|(n, l, members)| {
            let mut toks = vec![tok("group"), tok(n)];
            toks.extend(l.map(tok));
            toks.push(tok("="));
            toks.extend(members);
            toks
        }),
        (name(), expr()).prop_map(|(n, e)| {
            let mut toks = vec![tok("let"), tok(n), tok("=")];
            toks.extend(e.toks);
            toks
        }),
        (
            name(),
            label(),
            prop::sample::select(TYPES),
            prop::option::of(expr())
        )
            .prop_map(|(n, l, ty, default)| {
                let mut toks = vec![tok("fact"), tok(n)];
                toks.extend(l.map(tok));
                toks.extend([tok(":"), tok(ty)]);
                if let Some(default) = default {
                    toks.push(tok("="));
                    toks.extend(default.toks);
                }
                toks
            }),
    ]
}

fn act_query() -> impl Strategy<Value = Vec<Tok>> {
    let slots = prop::sample::subsequence(vec!["on", "to", "with"], 0..=3).prop_shuffle();
    (
        prop::sample::select(&["may", "must", "holds"][..]),
        name(),
        name(),
        name(),
        slots,
        prop::collection::vec(name(), 3),
    )
        .prop_map(|(verb, party, action, object, slots, members)| {
            let mut toks = vec![tok(verb), tok(party)];
            if verb != "holds" {
                toks.push(tok(action));
            }
            toks.push(tok(object));
            for (slot, member) in slots.into_iter().zip(members) {
                toks.extend([tok(slot), tok(member)]);
            }
            toks
        })
}

fn assertion() -> impl Strategy<Value = Vec<Tok>> {
    let quantifier = prop::sample::select(&["always", "always not", "never"][..]);
    const WINDOW: &[&str] = &["from", "until", "through", "when", "unless"];
    let windows = prop::collection::vec(prop::sample::select(WINDOW), 0..3)
        .prop_flat_map(|kw| kw.into_iter().map(qualifier).collect::<Vec<_>>());
    let query = prop_oneof![4 => act_query(), 1 => expr().prop_map(|e| e.toks)];
    (name(), quantifier, query, windows).prop_map(|(label, quantifier, query, windows)| {
        let mut toks = vec![tok("assert"), tok(label), tok(":")];
        toks.extend(quantifier.split(' ').map(tok));
        toks.extend(query);
        toks.extend(windows.into_iter().flatten());
        toks
    })
}

/// An expectation, sometimes over several lines; never with a line that
/// starts with `-` (in an `expect` block that begins a new expectation).
fn expectation() -> impl Strategy<Value = String> {
    const STATUSES: &[&str] = &["inactive", "pending", "fulfilled", "violated"];
    let prefixed = |word: &'static str| {
        move |query: Vec<Tok>| std::iter::once(tok(word)).chain(query).collect()
    };
    let toks = prop_oneof![
        act_query(),
        act_query().prop_map(prefixed("not")),
        act_query()
            .prop_filter("`unspecified must` is not allowed", |q| q[0].text != "must")
            .prop_map(prefixed("unspecified")),
        (name(), prop::sample::select(STATUSES)).prop_map(|(l, s)| vec![
            tok("status"),
            tok(l),
            tok("is"),
            tok(s)
        ]),
        expr().prop_map(|e| e.toks),
    ];
    (toks, gaps()).prop_map(|(toks, gaps)| {
        let toks: Vec<Tok> = toks
            .into_iter()
            .map(|t| if t.text == "-" { glued(t.text) } else { t })
            .collect();
        join(&toks, &gaps)
    })
}

/// Comments put in random places.
fn comment() -> impl Strategy<Value = String> {
    const TEXTS: &[&str] = &[
        "// a note",
        "//tight",
        "// Microsoft–OpenAI: «quoted»",
        "//// four slashes",
        "// trailing spaces   ",
        "//",
        "// } { ( )",
        "// \"not a string",
    ];
    prop::sample::select(TEXTS).prop_map(str::to_string)
}

/// What goes between two tokens of an item: mostly a space, sometimes a line
/// break, a trailing comment or a comment on its own line.
fn gaps() -> impl Strategy<Value = Vec<(u8, String)>> {
    prop::collection::vec((0u8..40, comment()), 64)
}

fn join(toks: &[Tok], gaps: &[(u8, String)]) -> String {
    let mut out = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            let (choice, comment) = &gaps[i % gaps.len()];
            let gap = if t.glued {
                " ".to_string()
            } else {
                match choice {
                    0..=31 => " ".to_string(),
                    32..=34 => "\n    ".to_string(),
                    35 => "\n\t".to_string(),
                    36..=37 => format!(" {comment}\n  "),
                    _ => format!("\n  {comment}\n  "),
                }
            };
            out.push_str(&gap);
        }
        out.push_str(&t.text);
    }
    out
}

#[derive(Clone, Debug)]
enum ScenarioPart {
    Line(String),
    Expect(String, Vec<Decorated>),
}

/// A line with an optional comment before it, an optional trailing comment
/// and an optional blank line before it.
#[derive(Clone, Debug)]
struct Decorated {
    before: Option<String>,
    blank: bool,
    text: String,
    after: Option<String>,
}

fn decorate<S: Strategy<Value = String>>(line: S) -> impl Strategy<Value = Decorated> {
    (
        prop::option::weighted(0.2, comment()),
        prop::bool::weighted(0.2),
        line,
        prop::option::weighted(0.2, comment()),
    )
        .prop_map(|(before, blank, text, after)| Decorated {
            before,
            blank,
            text,
            after,
        })
}

fn write_decorated(out: &mut String, line: &Decorated, indent: &str) {
    if line.blank {
        out.push('\n');
    }
    if let Some(before) = &line.before {
        out.push_str(&format!("{indent}{before}\n"));
    }
    out.push_str(indent);
    out.push_str(&line.text);
    if let Some(after) = &line.after {
        out.push(' ');
        out.push_str(after);
    }
    out.push('\n');
}

fn scenario() -> impl Strategy<Value = String> {
    let event = (name(), date()).prop_map(|(n, d)| format!("{n} on {d}"));
    let fact =
        (name(), expr(), gaps()).prop_map(|(n, e, g)| format!("{n} = {}", join(&e.toks, &g)));
    let record = (
        name(),
        name(),
        object(),
        prop::sample::subsequence(vec!["on", "to", "with"], 0..=3),
        date(),
    )
        .prop_flat_map(|(party, action, object, slots, d)| {
            let quals: Vec<_> = slots.into_iter().map(qualifier).collect();
            (
                Just(party),
                Just(action),
                Just(object),
                quals,
                Just(d),
                gaps(),
            )
        })
        .prop_map(|(party, action, object, quals, d, g)| {
            let mut toks = vec![tok(party), tok(action)];
            toks.extend(object);
            toks.extend(quals.into_iter().flatten());
            toks.extend([tok("on"), tok(d)]);
            join(&toks, &g)
        });
    let line = prop_oneof![event, fact, record].prop_map(ScenarioPart::Line);
    let expect = (date(), prop::collection::vec(decorate(expectation()), 0..5))
        .prop_map(|(d, lines)| ScenarioPart::Expect(format!("expect at {d} {{"), lines));
    let part = prop_oneof![3 => line, 1 => expect];
    (
        name(),
        label(),
        prop::collection::vec((decorate(Just(String::new())), part), 0..6),
        prop::option::weighted(0.2, comment()),
        prop::option::weighted(0.2, comment()),
    )
        .prop_map(|(n, l, parts, after_open, before_close)| {
            let mut out = format!("scenario {n}");
            if let Some(l) = l {
                out.push(' ');
                out.push_str(&l);
            }
            out.push_str(" {");
            match after_open {
                Some(c) => out.push_str(&format!(" {c}\n")),
                None => out.push('\n'),
            }
            for (decoration, part) in parts {
                match part {
                    ScenarioPart::Line(text) => {
                        write_decorated(&mut out, &Decorated { text, ..decoration }, "  ");
                    }
                    ScenarioPart::Expect(head, lines) => {
                        write_decorated(
                            &mut out,
                            &Decorated {
                                text: head,
                                ..decoration
                            },
                            "  ",
                        );
                        for line in &lines {
                            write_decorated(&mut out, line, "    ");
                        }
                        out.push_str("  }\n");
                    }
                }
            }
            if let Some(c) = before_close {
                out.push_str(&format!("  {c}\n"));
            }
            out.push('}');
            out
        })
}

fn doc() -> impl Strategy<Value = Option<String>> {
    const LINES: &[&str] = &[
        "/// A doc comment.",
        "///",
        "///  indented",
        "///no space",
        "/// ends with spaces  ",
    ];
    prop::option::weighted(
        0.3,
        prop::collection::vec(prop::sample::select(LINES), 1..3),
    )
    .prop_map(|d| d.map(|lines| lines.join("\n")))
}

fn item() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        string_literal().prop_map(|s| format!("deal {s}")),
        date().prop_map(|d| format!("effective {d}")),
        (date(), prop::bool::ANY, time()).prop_map(|(d, until, t)| {
            let keyword = if until { "until" } else { "through" };
            let end: Vec<String> = t.toks.into_iter().map(|t| t.text).collect();
            format!("effective {d} {keyword} {}", end.join(" "))
        }),
    ];
    let tokens = prop_oneof![3 => declaration(), 4 => clause(), 1 => assertion()];
    let joined = (tokens, gaps()).prop_map(|(t, g)| join(&t, &g));
    prop_oneof![1 => header, 8 => joined, 2 => scenario()]
}

fn contract() -> impl Strategy<Value = String> {
    let entry = (
        prop::option::weighted(0.25, comment()),
        0usize..3,
        doc(),
        item(),
        prop::option::weighted(0.2, comment()),
        prop::bool::weighted(0.15),
    );
    (
        prop::collection::vec(entry, 0..8),
        prop::option::weighted(0.3, comment()),
    )
        .prop_map(|(entries, last)| {
            let mut out = String::new();
            for (before, blanks, doc, item, after, same_line) in entries {
                // Sometimes an item follows the previous one on its line
                // (when nothing could read the two as one).
                let starts_with_keyword = item
                    .split(' ')
                    .next()
                    .is_some_and(|w| deal::syntax::is_keyword(w) || w == "group");
                let previous_line_open =
                    out.ends_with('\n') && !out.lines().last().is_some_and(|l| l.contains("//"));
                if same_line
                    && starts_with_keyword
                    && before.is_none()
                    && doc.is_none()
                    && previous_line_open
                {
                    out.pop();
                    out.push(' ');
                }
                out.push_str(&"\n".repeat(blanks));
                if let Some(before) = before {
                    out.push_str(&before);
                    out.push('\n');
                }
                if let Some(doc) = doc {
                    out.push_str(&doc);
                    out.push('\n');
                }
                out.push_str(&item);
                if let Some(after) = after {
                    out.push(' ');
                    out.push_str(&after);
                }
                out.push('\n');
            }
            if let Some(last) = last {
                out.push_str(&last);
                out.push('\n');
            }
            out
        })
}

proptest! {
    // 256 cases by default; `PROPTEST_CASES=N` runs more.
    #[test]
    fn laws_hold_for_generated_contracts(text in contract()) {
        check_laws("generated.deal", &text);
    }
}

// ---------------------------------------------------------------- layout

#[test]
fn canonical_layout() {
    let input = "\n\n// The deal.\ndeal   \"Demo\"\neffective 2025-10-28\n\n\n\nparty a \"A\"   // the first party\n/// Doc.\n///\n///  More.\nasset x\nc: a may host x on azure,aws until e or 2030-01-01 + 1 months when f>3\n   notwithstanding d\n\nscenario s \"S\" {\n\n  e on 2028-01-01\n      f = 5 flop\n  a pay $1B of x with b on 2028-02-01\n  expect at 2029-01-01 {\n  may a host x on azure\n  not holds a x\n\n  unspecified may a host x\n  status c is pending\n  f == 5 flop\n  }\n  // closing note\n}\n// the end\n\n";
    let expected = "// The deal.\ndeal \"Demo\"\neffective 2025-10-28\n\nparty a \"A\" // the first party\n/// Doc.\n///\n///  More.\nasset x\nc: a may host x on azure, aws until e or 2030-01-01 + 1 month when f > 3 notwithstanding d\n\nscenario s \"S\" {\n  e on 2028-01-01\n  f = 5 flop\n  a pay $1B of x with b on 2028-02-01\n  expect at 2029-01-01 {\n    may a host x on azure\n    not holds a x\n\n    unspecified may a host x\n    status c is pending\n    f == 5 flop\n  }\n  // closing note\n}\n// the end\n";
    assert_eq!(format("layout.deal", input), expected);
    check_laws("layout.deal", input);
}

#[test]
fn long_clauses_break_before_each_qualifier() {
    let input = "natsec: openai may host api on anywhere to us_natsec with microsoft until agi_verified notwithstanding api_exclusive\n";
    let expected = "natsec: openai may host api\n  on anywhere\n  to us_natsec\n  with microsoft\n  until agi_verified\n  notwithstanding api_exclusive\n";
    assert_eq!(format("long.deal", input), expected);
    check_laws("long.deal", input);
}

#[test]
fn comments_inside_a_clause_keep_it_broken() {
    let input = "c: a may host x // why\n  on azure\n  // before until\n  until e\nd: a may host x\n  on azure\n";
    let expected = "c: a may host x // why\n  on azure\n  // before until\n  until e\nd: a may host x on azure\n";
    assert_eq!(format("inner.deal", input), expected);
    check_laws("inner.deal", input);
}

#[test]
fn several_comments_on_one_segment_keep_their_order() {
    let input = "let x = a + // one\n  b // two\n  + c // three\nparty p\n";
    let formatted = format("multi.deal", input);
    assert_eq!(
        formatted,
        "let x = a + b + c // one\n// two\n// three\nparty p\n"
    );
    check_laws("multi.deal", input);
}

#[test]
fn empty_input_formats_to_nothing() {
    assert_eq!(format("empty.deal", ""), "");
    assert_eq!(format("blank.deal", "\n\n  \n"), "");
    assert_eq!(format("comment.deal", "\n\n// only\n\n"), "// only\n");
}

/// The before/after example of docs/format.md is what the formatter does.
#[test]
fn the_documented_example_holds() {
    let doc = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let code_blocks: Vec<&str> = doc.split("```\n").skip(1).step_by(2).collect();
    let example = |heading: &str| {
        let at = doc.find(heading).unwrap();
        let block = code_blocks
            .iter()
            .find(|b| doc.find(*b).unwrap() > at)
            .unwrap();
        block.to_string()
    };
    let before = example("Before:");
    let after = example("After `deal fmt`:");
    assert_eq!(format("before.deal", &before), after);
    check_laws("before.deal", &before);
}

// ---------------------------------------------------------------- command line

const UGLY: &str = "party   a\nasset x\nc:a may host x\n  on   v\n";
const PRETTY: &str = "party a\nasset x\nc: a may host x on v\n";

#[test]
fn check_passes_on_formatted_files() {
    let dir = TempDir::new("fmt-check-ok");
    let path = dir.write("ok.deal", PRETTY);
    let output = deal().args(["fmt", "--check"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("0 files would be reformatted"));
}

#[test]
fn check_prints_a_diff_and_fails_without_writing() {
    let dir = TempDir::new("fmt-check-diff");
    let path = dir.write("ugly.deal", UGLY);
    let output = deal()
        .current_dir(dir.path())
        .args(["fmt", "--check", "ugly.deal"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("--- a/ugly.deal\n+++ b/ugly.deal\n@@ "),
        "{stdout}"
    );
    assert!(stdout.contains("\n-party   a\n"), "{stdout}");
    assert!(stdout.contains("\n+party a\n"), "{stdout}");
    assert!(stdout.contains("\n+c: a may host x on v\n"), "{stdout}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 file would be reformatted"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        UGLY,
        "--check writes nothing"
    );
}

#[test]
fn formatting_in_place_writes_the_formatted_text() {
    let dir = TempDir::new("fmt-write");
    let a = dir.write("a.deal", UGLY);
    let b = dir.write("nested/b.deal", PRETTY);
    let notes = dir.write("nested/notes.txt", UGLY);
    let output = deal().arg("fmt").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("formatted 1 file"));
    assert_eq!(std::fs::read_to_string(&a).unwrap(), PRETTY);
    assert_eq!(std::fs::read_to_string(&b).unwrap(), PRETTY);
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        UGLY,
        "only *.deal files"
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // A second run changes nothing.
    let again = deal().arg("fmt").arg(dir.path()).output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("formatted 0 files"));
    let check = deal()
        .args(["fmt", "--check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn a_file_that_does_not_parse_is_refused_and_left_untouched() {
    let dir = TempDir::new("fmt-refuse");
    let bad = dir.path().join("bad.deal");
    let broken = b"party a\nc: a may host x on\n  // half a clause\r\n";
    std::fs::write(&bad, broken).unwrap();
    let good = dir.write("good.deal", UGLY);
    for args in [&["fmt"][..], &["fmt", "--check"][..]] {
        let output = deal().args(args).arg(&bad).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("deal::syntax"), "{stderr}");
        assert!(stderr.contains("left unchanged"), "{stderr}");
        assert_eq!(
            std::fs::read(&bad).unwrap(),
            broken,
            "{args:?}: bytes unchanged"
        );
    }
    // The other files named are still formatted; the status reports the failure.
    let output = deal().arg("fmt").arg(&bad).arg(&good).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read(&bad).unwrap(), broken);
    assert_eq!(std::fs::read_to_string(&good).unwrap(), PRETTY);
}

#[test]
fn output_that_would_change_the_contract_is_not_written() {
    let dir = TempDir::new("fmt-unfaithful");
    // The `///` line is a plain comment (code follows it); written above
    // `party p` it would become a doc comment, so the file is refused.
    let text = "let x = 1\n/// stray\n  + 2\nparty p\n";
    let path = dir.write("stray.deal", text);
    let output = deal().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("would change the contract near line 4"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn missing_files_are_io_errors() {
    let dir = TempDir::new("fmt-missing");
    let output = deal()
        .arg("fmt")
        .arg(dir.path().join("nope.deal"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
    let usage = deal().arg("fmt").output().unwrap();
    assert_eq!(usage.status.code(), Some(2), "a path is required");
}
