//! The textual half of `deal diff`: which clauses, `let` values and
//! declarations were added, removed or changed, field by field.
//!
//! Clauses are matched in three passes: by explicit label; then clauses
//! that are the same apart from their label (a rename); then unlabelled
//! clauses with the same body (kind, party, action and object), in source
//! order. What no pass matches is added or removed. Doc comments are not
//! compared: they do not change what a contract says.

use crate::ast::{self, Clause, ClauseBody, ItemKind, Modality, QualifierKind};
use crate::eval::{ClauseId, Contract, Env, Scenario};
use crate::fmt::{format_clause, format_expr, format_time};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// One field that differs; `None` is "not there".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A clause present in only one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClauseEntry {
    pub id: ClauseId,
    pub label: String,
    /// The clause as deal text, on one line.
    pub text: String,
}

/// A clause present in both versions whose fields differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClauseChange {
    pub old: ClauseEntry,
    pub new: ClauseEntry,
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClauseDiff {
    pub added: Vec<ClauseEntry>,
    pub removed: Vec<ClauseEntry>,
    pub changed: Vec<ClauseChange>,
}

/// A `let` as written, and its value when it needs no fact or event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetValue {
    pub expr: String,
    pub value: Option<String>,
}

impl LetValue {
    /// The value if known, else the expression.
    pub fn shown(&self) -> &str {
        self.value.as_deref().unwrap_or(&self.expr)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetChange {
    pub name: String,
    pub old: Option<LetValue>,
    pub new: Option<LetValue>,
}

impl LetChange {
    pub fn change_word(&self) -> &'static str {
        match (&self.old, &self.new) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        }
    }
}

/// A declaration (`party`, `event`, `asset`, `venue`, `action`, `unit`,
/// `group`, `fact`) as deal text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclEntry {
    pub kind: &'static str,
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclChange {
    pub kind: &'static str,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclDiff {
    pub added: Vec<DeclEntry>,
    pub removed: Vec<DeclEntry>,
    pub changed: Vec<DeclChange>,
}

// ---------------------------------------------------------------- clauses

/// Match the clauses of two versions and list what differs.
pub fn diff_clauses(old: &Contract, new: &Contract) -> ClauseDiff {
    let old_clauses: Vec<(ClauseId, &Clause)> = old.clauses().map(|(id, c, _)| (id, c)).collect();
    let new_clauses: Vec<(ClauseId, &Clause)> = new.clauses().map(|(id, c, _)| (id, c)).collect();
    let mut old_taken = vec![false; old_clauses.len()];
    let mut new_taken = vec![false; new_clauses.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();

    // Pass 1: the same explicit label.
    for (j, (_, n)) in new_clauses.iter().enumerate() {
        let Some(label) = &n.label else { continue };
        if let Some(i) = old_clauses
            .iter()
            .position(|(_, o)| o.label.as_ref().is_some_and(|l| l.text == label.text))
            && !old_taken[i]
        {
            old_taken[i] = true;
            new_taken[j] = true;
            pairs.push((i, j));
        }
    }
    // Pass 2: the same clause under another label (or none).
    for (j, (_, n)) in new_clauses.iter().enumerate() {
        if new_taken[j] {
            continue;
        }
        if let Some(i) = (0..old_clauses.len()).find(|&i| {
            !old_taken[i]
                && old_clauses[i].1.body == n.body
                && old_clauses[i].1.qualifiers == n.qualifiers
        }) {
            old_taken[i] = true;
            new_taken[j] = true;
            pairs.push((i, j));
        }
    }
    // Pass 3: unlabelled clauses with the same body head.
    for (j, (_, n)) in new_clauses.iter().enumerate() {
        if new_taken[j] || n.label.is_some() {
            continue;
        }
        if let Some(i) = (0..old_clauses.len()).find(|&i| {
            !old_taken[i]
                && old_clauses[i].1.label.is_none()
                && body_key(&old_clauses[i].1.body) == body_key(&n.body)
        }) {
            old_taken[i] = true;
            new_taken[j] = true;
            pairs.push((i, j));
        }
    }

    let entry = |contract: &Contract, (id, clause): (ClauseId, &Clause)| ClauseEntry {
        id,
        label: contract.clause_label(id).to_string(),
        text: format_clause(clause),
    };
    let mut result = ClauseDiff::default();
    pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in pairs {
        let (old_pair, new_pair) = (old_clauses[i], new_clauses[j]);
        let changes = field_changes(old_pair.1, new_pair.1);
        if !changes.is_empty() {
            result.changed.push(ClauseChange {
                old: entry(old, old_pair),
                new: entry(new, new_pair),
                changes,
            });
        }
    }
    for (j, taken) in new_taken.iter().enumerate() {
        if !taken {
            result.added.push(entry(new, new_clauses[j]));
        }
    }
    for (i, taken) in old_taken.iter().enumerate() {
        if !taken {
            result.removed.push(entry(old, old_clauses[i]));
        }
    }
    result
}

/// The kind, party, action and object name of a clause body.
fn body_key(body: &ClauseBody) -> (&'static str, String, String, String) {
    match body {
        ClauseBody::Act {
            modality,
            party,
            action,
            object,
        } => (
            modality_word(*modality),
            party.text.clone(),
            action.text.clone(),
            object.name.text.clone(),
        ),
        ClauseBody::Holds {
            negated,
            party,
            object,
        } => (
            if *negated { "holds no" } else { "holds" },
            party.text.clone(),
            String::new(),
            object.name.text.clone(),
        ),
        ClauseBody::Exclusive { object } => (
            "exclusive",
            String::new(),
            String::new(),
            object.name.text.clone(),
        ),
        ClauseBody::Only {
            party,
            action,
            object,
        } => (
            "only",
            party.text.clone(),
            action.text.clone(),
            object.name.text.clone(),
        ),
    }
}

fn modality_word(modality: Modality) -> &'static str {
    match modality {
        Modality::May => "may",
        Modality::Must => "must",
        Modality::MustNot => "must not",
    }
}

fn quantity_of(body: &ClauseBody) -> Option<String> {
    body.object().quantity.as_ref().map(format_expr)
}

/// The fields of a clause, each as text, in a fixed order: what field
/// changes compare. Sets compare as sets (order and repeats aside).
fn fields(clause: &Clause) -> Vec<(&'static str, Option<String>)> {
    let (kind, party, action, object) = body_key(&clause.body);
    let nonempty = |s: String| (!s.is_empty()).then_some(s);
    let mut out = vec![
        ("label", clause.label.as_ref().map(|l| l.text.clone())),
        ("kind", Some(kind.to_string())),
        ("party", nonempty(party)),
        ("action", nonempty(action)),
        ("object", Some(object)),
        ("quantity", quantity_of(&clause.body)),
    ];
    let set = |pick: fn(&QualifierKind) -> Option<&Vec<ast::Name>>| -> Option<String> {
        let names: BTreeSet<&str> = clause
            .qualifiers
            .iter()
            .filter_map(|q| pick(&q.kind))
            .flatten()
            .map(|n| n.text.as_str())
            .collect();
        (!names.is_empty()).then(|| names.into_iter().collect::<Vec<_>>().join(", "))
    };
    out.push((
        "on",
        set(|k| match k {
            QualifierKind::On(l) => Some(l),
            _ => None,
        }),
    ));
    out.push((
        "to",
        set(|k| match k {
            QualifierKind::To(l) => Some(l),
            _ => None,
        }),
    ));
    out.push((
        "with",
        set(|k| match k {
            QualifierKind::With(l) => Some(l),
            _ => None,
        }),
    ));
    let joined = |keep: &dyn Fn(&QualifierKind) -> Option<String>, separator: &str| {
        let parts: Vec<String> = clause
            .qualifiers
            .iter()
            .filter_map(|q| keep(&q.kind))
            .collect();
        (!parts.is_empty()).then(|| parts.join(separator))
    };
    out.push((
        "start",
        joined(
            &|k| match k {
                QualifierKind::From(t) => Some(format!("from {}", format_time(t))),
                _ => None,
            },
            ", ",
        ),
    ));
    out.push((
        "end",
        joined(
            &|k| match k {
                QualifierKind::Until(t) => Some(format!("until {}", format_time(t))),
                QualifierKind::Through(t) => Some(format!("through {}", format_time(t))),
                _ => None,
            },
            ", ",
        ),
    ));
    out.push((
        "deadline",
        joined(
            &|k| match k {
                QualifierKind::By(t) => Some(format!("by {}", format_time(t))),
                QualifierKind::Within {
                    duration,
                    after: Some(t),
                } => Some(format!(
                    "within {} after {}",
                    crate::fmt::format_duration(duration),
                    format_time(t)
                )),
                QualifierKind::Within {
                    duration,
                    after: None,
                } => Some(format!(
                    "within {} after each period",
                    crate::fmt::format_duration(duration)
                )),
                _ => None,
            },
            ", ",
        ),
    ));
    out.push((
        "recurrence",
        joined(
            &|k| match k {
                QualifierKind::Every(d) => {
                    Some(format!("every {}", crate::fmt::format_duration(d)))
                }
                _ => None,
            },
            ", ",
        ),
    ));
    out.push((
        "survival",
        joined(
            &|k| match k {
                QualifierKind::Survives(None) => Some("survives the contract's end".to_string()),
                QualifierKind::Survives(Some(d)) => Some(format!(
                    "survives {} after the contract's end",
                    crate::fmt::format_duration(d)
                )),
                _ => None,
            },
            ", ",
        ),
    ));
    out.push((
        "when",
        joined(
            &|k| match k {
                QualifierKind::When(e) => Some(format_expr(e)),
                _ => None,
            },
            " and ",
        ),
    ));
    out.push((
        "unless",
        joined(
            &|k| match k {
                QualifierKind::Unless(e) => Some(format_expr(e)),
                _ => None,
            },
            " and ",
        ),
    ));
    out.push((
        "notwithstanding",
        set(|k| match k {
            QualifierKind::Notwithstanding(l) => Some(l),
            _ => None,
        }),
    ));
    out
}

fn field_changes(old: &Clause, new: &Clause) -> Vec<FieldChange> {
    fields(old)
        .into_iter()
        .zip(fields(new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldChange {
            field: field.to_string(),
            old: a,
            new: b,
        })
        .collect()
}

// ---------------------------------------------------------------- lets

fn let_values(contract: &Contract) -> BTreeMap<String, LetValue> {
    let empty = Scenario::default();
    let day = contract.effective().unwrap_or(NaiveDate::MIN);
    contract
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Let(decl) => Some(decl),
            _ => None,
        })
        .map(|decl| {
            let value = Env::new(contract, &empty, day)
                .eval(&decl.value)
                .ok()
                .map(|v| v.display());
            (
                decl.name.text.clone(),
                LetValue {
                    expr: format_expr(&decl.value),
                    value,
                },
            )
        })
        .collect()
}

/// `let` values added, removed, or changed in their expression or value
/// (a `let` written the same way changes when a value it uses does).
/// Sorted: changed first, then added, then removed, each by name.
pub fn diff_lets(old: &Contract, new: &Contract) -> Vec<LetChange> {
    let (before, after) = (let_values(old), let_values(new));
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes: Vec<LetChange> = names
        .into_iter()
        .filter_map(|name| {
            let (a, b) = (before.get(name), after.get(name));
            (a != b).then(|| LetChange {
                name: name.clone(),
                old: a.cloned(),
                new: b.cloned(),
            })
        })
        .collect();
    let rank = |c: &LetChange| match c.change_word() {
        "changed" => 0,
        "added" => 1,
        _ => 2,
    };
    changes.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
    changes
}

// ---------------------------------------------------------------- declarations

/// A declaration's fields as text, by field name.
type Fields = Vec<(&'static str, Option<String>)>;

/// Each declaration's kind word and its fields as text.
fn declarations(contract: &Contract) -> BTreeMap<String, (&'static str, Fields)> {
    let quoted = |s: &Option<ast::Str>| s.as_ref().map(|s| format!("{:?}", s.value));
    let mut out = BTreeMap::new();
    for item in &contract.file.items {
        let (name, kind, fields) = match &item.kind {
            ItemKind::Decl(decl) => {
                let mut fields = vec![("label", quoted(&decl.label))];
                if decl.kind == ast::DeclKind::Event {
                    fields.push(("by", decl.by.as_ref().map(|b| b.text.clone())));
                    let after: Vec<&str> = decl.after.iter().map(|a| a.text.as_str()).collect();
                    fields.push(("after", (!after.is_empty()).then(|| after.join(", "))));
                }
                (&decl.name, decl.kind.keyword(), fields)
            }
            ItemKind::Group(group) => {
                let members: Vec<&str> = group.members.iter().map(|m| m.text.as_str()).collect();
                (
                    &group.name,
                    "group",
                    vec![
                        ("label", quoted(&group.label)),
                        ("members", Some(members.join(", "))),
                    ],
                )
            }
            ItemKind::Fact(fact) => (
                &fact.name,
                "fact",
                vec![
                    ("label", quoted(&fact.label)),
                    ("type", Some(crate::eval::type_of(&fact.ty).to_string())),
                    ("default", fact.default.as_ref().map(format_expr)),
                ],
            ),
            _ => continue,
        };
        out.entry(name.text.clone()).or_insert((kind, fields));
    }
    out
}

fn decl_text(kind: &str, name: &str, fields: &[(&'static str, Option<String>)]) -> String {
    let mut text = match kind {
        "fact" => format!("fact {name}"),
        _ => format!("{kind} {name}"),
    };
    for (field, value) in fields {
        let Some(value) = value else { continue };
        match *field {
            "label" if kind != "fact" && kind != "group" => text.push_str(&format!(" {value}")),
            "label" => {}
            "by" => text.push_str(&format!(" by {value}")),
            "after" => text.push_str(&format!(" after {value}")),
            "members" => text.push_str(&format!(" = {value}")),
            "type" => text.push_str(&format!(": {value}")),
            "default" => text.push_str(&format!(" = {value}")),
            _ => {}
        }
    }
    if (kind == "fact" || kind == "group")
        && let Some((_, Some(label))) = fields.iter().find(|(f, _)| *f == "label")
    {
        text.push_str(&format!(" {label}"));
    }
    text
}

/// Declarations added, removed or changed (label, `by`, `after`, members,
/// type, default). A name whose kind changed is removed and added.
pub fn diff_declarations(old: &Contract, new: &Contract) -> DeclDiff {
    let (before, after) = (declarations(old), declarations(new));
    let mut result = DeclDiff::default();
    for (name, (kind, fields)) in &after {
        match before.get(name) {
            Some((old_kind, old_fields)) if old_kind == kind => {
                let changes: Vec<FieldChange> = old_fields
                    .iter()
                    .zip(fields)
                    .filter(|((_, a), (_, b))| a != b)
                    .map(|((field, a), (_, b))| FieldChange {
                        field: field.to_string(),
                        old: a.clone(),
                        new: b.clone(),
                    })
                    .collect();
                if !changes.is_empty() {
                    result.changed.push(DeclChange {
                        kind,
                        name: name.clone(),
                        changes,
                    });
                }
            }
            Some((old_kind, old_fields)) => {
                result.removed.push(DeclEntry {
                    kind: old_kind,
                    name: name.clone(),
                    text: decl_text(old_kind, name, old_fields),
                });
                result.added.push(DeclEntry {
                    kind,
                    name: name.clone(),
                    text: decl_text(kind, name, fields),
                });
            }
            None => result.added.push(DeclEntry {
                kind,
                name: name.clone(),
                text: decl_text(kind, name, fields),
            }),
        }
    }
    for (name, (kind, fields)) in &before {
        if !after.contains_key(name) {
            result.removed.push(DeclEntry {
                kind,
                name: name.clone(),
                text: decl_text(kind, name, fields),
            });
        }
    }
    let order = |e: &DeclEntry| (kind_rank(e.kind), e.name.clone());
    result.added.sort_by_key(order);
    result.removed.sort_by_key(order);
    result
        .changed
        .sort_by_key(|c| (kind_rank(c.kind), c.name.clone()));
    result
}

fn kind_rank(kind: &str) -> usize {
    [
        "party", "event", "asset", "venue", "action", "unit", "group", "fact",
    ]
    .iter()
    .position(|k| *k == kind)
    .unwrap_or(usize::MAX)
}

/// The title and effective date, when they differ.
pub fn diff_header(old: &Contract, new: &Contract) -> Vec<FieldChange> {
    let title = |c: &Contract| {
        c.file.items.iter().find_map(|item| match &item.kind {
            ItemKind::Deal(t) => Some(format!("{:?}", t.value)),
            _ => None,
        })
    };
    let effective = |c: &Contract| c.effective().map(|d| d.to_string());
    let mut out = Vec::new();
    for (field, a, b) in [
        ("title", title(old), title(new)),
        ("effective", effective(old), effective(new)),
    ] {
        if a != b {
            out.push(FieldChange {
                field: field.to_string(),
                old: a,
                new: b,
            });
        }
    }
    out
}
