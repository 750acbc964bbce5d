//! Name resolution: every use of a name is checked against the kinds its
//! place expects (`unknown-name`, `wrong-kind`), with a suggestion of the
//! nearest declared name of the expected kind.

use super::Checker;
use crate::ast::{File, ItemKind, Name};
use crate::diagnostic::{Code, Diagnostic};
use crate::symbols::{SymbolKind, Symbols};
use rustc_hash::{FxHashMap, FxHashSet};

/// What a place in the language expects a name to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A clause's party, an event's `by`, a query's or record's party.
    Party,
    Action,
    /// The object of `may`, `must`, `must not`, `exclusive`; a query's asset.
    Asset,
    /// The object of `holds` without a quantity: an asset only.
    HeldAsset,
    /// The object of `holds` with a quantity, or of a `holds` query: an asset,
    /// or a party (a stake).
    Holding,
    /// `on`
    Venue,
    /// `to` and `with`
    Counterparty,
    /// `after`, and an event placed in a scenario.
    Event,
    /// A member of a group.
    Member,
    /// A fact's type or a quantity's unit.
    Unit,
    /// A name in a `from`, `until` or `by` time: an event or a `let` date.
    Time,
    /// A name in a `through` date: a `let` date only.
    Through,
    /// A name in an expression.
    Value,
    /// A fact given a value in a scenario.
    Fact,
}

/// Where a group would be ambiguous, so one member must be named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum One {
    Query,
    Record,
    Cause,
    Scenario,
    Condition,
}

impl One {
    fn reason(self) -> &'static str {
        match self {
            One::Query => "a query names one member",
            One::Record => "a performance record names one member",
            One::Cause => "an event is caused by one party",
            One::Scenario => "a scenario places one event at a time",
            One::Condition => "`E by T` asks about one event",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub role: Role,
    /// Set where a group is not allowed although its members would be.
    pub one: Option<One>,
}

impl Place {
    /// A place in a declaration or a clause: groups stand for their members.
    pub fn of(role: Role) -> Place {
        Place { role, one: None }
    }

    /// A place that names one thing.
    pub fn one(role: Role, one: One) -> Place {
        Place {
            role,
            one: Some(one),
        }
    }

    fn groups_allowed(self) -> bool {
        self.one.is_none() && self.role.groups_allowed()
    }
}

impl Role {
    pub fn kinds(self) -> &'static [SymbolKind] {
        use SymbolKind::*;
        match self {
            Role::Party | Role::Counterparty => &[Party],
            Role::Action => &[Action],
            Role::Asset | Role::HeldAsset => &[Asset],
            Role::Holding => &[Asset, Party],
            Role::Venue => &[Venue],
            Role::Event => &[Event],
            Role::Member => &[Party, Event, Asset, Venue, Action],
            Role::Unit => &[Unit],
            Role::Time => &[Event, Let],
            Role::Through => &[Let],
            Role::Value => &[Let, Fact, Event],
            Role::Fact => &[Fact],
        }
    }

    fn groups_allowed(self) -> bool {
        !matches!(
            self,
            Role::Unit | Role::Time | Role::Through | Role::Value | Role::Fact
        )
    }

    /// "an asset", as in "… but an asset is expected here".
    pub fn expected(self) -> &'static str {
        match self {
            Role::Party | Role::Counterparty => "a party",
            Role::Action => "an action",
            Role::Asset | Role::HeldAsset => "an asset",
            Role::Holding => "an asset or a party",
            Role::Venue => "a venue",
            Role::Event => "an event",
            Role::Member => "a party, event, asset, venue or action",
            Role::Unit => "a unit",
            Role::Time => "an event or a date",
            Role::Through => "a date",
            Role::Value => "a value (a `let`, a fact or an event)",
            Role::Fact => "a fact",
        }
    }

    /// The keyword that declares a name of this role, for "declare it" help.
    fn declaring_keyword(self) -> Option<&'static str> {
        match self {
            Role::Party | Role::Counterparty => Some("party"),
            Role::Action => Some("action"),
            Role::Asset | Role::HeldAsset => Some("asset"),
            Role::Venue => Some("venue"),
            Role::Event | Role::Time => Some("event"),
            Role::Unit => Some("unit"),
            _ => None,
        }
    }

    /// A fix for the likely mix-ups between roles.
    fn wrong_kind_help(self, name: &str, found: SymbolKind) -> Option<String> {
        match (self, found) {
            (Role::Time, SymbolKind::Party) | (Role::Venue, SymbolKind::Party) => {
                Some(format!("did you mean `with {name}`?"))
            }
            (Role::Time, SymbolKind::Venue) | (Role::Counterparty, SymbolKind::Venue) => {
                Some(format!("did you mean `on {name}`?"))
            }
            (Role::Time, SymbolKind::Fact) => {
                Some("a time is a date, an event, or a `let` whose value is a date".to_string())
            }
            (Role::Through, SymbolKind::Event) => Some("use `until` for an event".to_string()),
            (Role::HeldAsset, SymbolKind::Party) => Some(format!(
                "a party is held as a stake: give a percent, e.g. `27% of {name}`"
            )),
            _ => None,
        }
    }
}

/// "parties", for "a group of parties".
pub(crate) fn plural(kind: SymbolKind) -> &'static str {
    match kind {
        SymbolKind::Party => "parties",
        SymbolKind::Event => "events",
        SymbolKind::Asset => "assets",
        SymbolKind::Venue => "venues",
        SymbolKind::Action => "actions",
        SymbolKind::Unit => "units",
        SymbolKind::Group => "groups",
        SymbolKind::Let => "`let` values",
        SymbolKind::Fact => "facts",
    }
}

/// The member kind of every group, computed once: the kind of its first leaf
/// member, as `Symbols::group_kind` defines it (None for an undeclared first
/// leaf, or a group with no leaves). Asking `Symbols` per use would expand
/// the group every time, which is quadratic for long chains of nested groups.
/// A member that closes a cycle counts as empty here (the cycle is reported).
pub(crate) fn group_kinds(symbols: &Symbols, file: &File) -> FxHashMap<String, Option<SymbolKind>> {
    let mut members: FxHashMap<&str, &[Name]> = FxHashMap::default();
    // Roots in file order, so that even cyclic groups come out the same every run.
    let mut groups: Vec<&str> = Vec::new();
    for (index, item) in file.items.iter().enumerate() {
        if let ItemKind::Group(group) = &item.kind
            && symbols.get(&group.name.text).and_then(|s| s.item) == Some(index)
        {
            members.insert(group.name.text.as_str(), group.members.as_slice());
            groups.push(group.name.text.as_str());
        }
    }
    // Some(kind) once a group's first leaf is known; None for no leaf at all.
    let mut first_leaf: FxHashMap<&str, Option<Option<SymbolKind>>> = FxHashMap::default();
    for root in groups {
        if first_leaf.contains_key(root) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        let mut on_stack: FxHashSet<&str> = FxHashSet::from_iter([root]);
        while let Some(&(group, position)) = stack.last() {
            let member = members.get(group).and_then(|m| m.get(position));
            let outcome = match member {
                None => Some(None),
                Some(member) if !members.contains_key(member.text.as_str()) => {
                    Some(Some(symbols.kind(&member.text)))
                }
                Some(member) => match first_leaf.get(member.text.as_str()) {
                    Some(Some(kind)) => Some(Some(*kind)),
                    Some(None) => None,
                    None if on_stack.contains(member.text.as_str()) => None,
                    None => {
                        stack.push((member.text.as_str(), 0));
                        on_stack.insert(member.text.as_str());
                        continue;
                    }
                },
            };
            match outcome {
                // Decided: the first leaf, or no leaf at all.
                Some(leaf) => {
                    first_leaf.insert(group, leaf);
                    stack.pop();
                    on_stack.remove(group);
                }
                // This member adds no leaf: try the next one.
                None => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                }
            }
        }
    }
    first_leaf
        .into_iter()
        .map(|(group, leaf)| (group.to_string(), leaf.flatten()))
        .collect()
}

impl Checker<'_> {
    /// Resolve a use of a name. Returns the kind it stands for (a group's
    /// member kind) when it fits the place; otherwise reports why and returns
    /// None. A group whose kind is unknown (empty, cyclic or with an
    /// undeclared first member) was reported at its declaration and passes
    /// silently as None.
    pub(crate) fn resolve(&mut self, name: &Name, place: Place) -> Option<SymbolKind> {
        let Some(kind) = self.symbols.kind(&name.text) else {
            self.unknown_name(name, place);
            return None;
        };
        let role = place.role;
        if kind == SymbolKind::Group {
            let member_kind = self.group_kind(&name.text);
            if let Some(one) = place.one
                && member_kind.is_none_or(|k| role.kinds().contains(&k))
            {
                let mut diagnostic = Diagnostic::new(
                    Code::WrongKind,
                    format!("`{name}` is a group, but {}", one.reason()),
                    name.span,
                    "a group",
                );
                if let Some(member) = self.symbols.expand(&name.text).first() {
                    diagnostic =
                        diagnostic.with_help(format!("name one of its members, e.g. `{member}`"));
                }
                self.report(diagnostic);
                return None;
            }
            let member_kind = member_kind?;
            if role.kinds().contains(&member_kind) && place.groups_allowed() {
                return Some(member_kind);
            }
            self.wrong_kind(name, place, kind);
            return None;
        }
        if role.kinds().contains(&kind) {
            return Some(kind);
        }
        self.wrong_kind(name, place, kind);
        None
    }

    fn unknown_name(&mut self, name: &Name, place: Place) {
        let groups = place.groups_allowed();
        let kinds = place.role.kinds();
        let mut candidates: Vec<&str> = self
            .symbols
            .names()
            .filter(|(n, symbol)| match symbol.kind {
                SymbolKind::Group => {
                    groups && self.group_kind(n).is_some_and(|k| kinds.contains(&k))
                }
                kind => kinds.contains(&kind),
            })
            .map(|(n, _)| n)
            .collect();
        candidates.sort_unstable();
        let help = crate::suggest::did_you_mean(&name.text, candidates).or_else(|| {
            place
                .role
                .declaring_keyword()
                .map(|keyword| format!("declare it: `{keyword} {name}`"))
        });
        let mut diagnostic = Diagnostic::new(
            Code::UnknownName,
            format!("`{name}` is not declared"),
            name.span,
            "not declared",
        );
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.report(diagnostic);
    }

    fn wrong_kind(&mut self, name: &Name, place: Place, kind: SymbolKind) {
        let is = self.describe(&name.text);
        let mut diagnostic = Diagnostic::new(
            Code::WrongKind,
            format!(
                "`{name}` is {is}, but {} is expected here",
                place.role.expected()
            ),
            name.span,
            is,
        );
        let found = match kind {
            SymbolKind::Group => self
                .symbols
                .group_kind(&name.text)
                .unwrap_or(SymbolKind::Group),
            other => other,
        };
        if let Some(help) = place.role.wrong_kind_help(&name.text, found) {
            diagnostic = diagnostic.with_help(help);
        }
        self.report(diagnostic);
    }

    /// The member kind of a group (see `group_kinds`).
    pub(crate) fn group_kind(&self, group: &str) -> Option<SymbolKind> {
        self.group_kinds.get(group).copied().flatten()
    }

    /// "a venue", "a group of venues".
    pub(crate) fn describe(&self, name: &str) -> String {
        match self.symbols.kind(name) {
            Some(SymbolKind::Group) => match self.group_kind(name) {
                Some(kind) => format!("a group of {}", plural(kind)),
                None => "a group".to_string(),
            },
            Some(kind) => kind.article_noun().to_string(),
            None => "undeclared".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use crate::diagnostic::Code;

    #[test]
    fn unknown_name_suggests_the_nearest_of_the_expected_kind() {
        let run = Run::with("openai may host api on azur\n");
        let d = run.only(Code::UnknownName);
        assert_eq!(d.message, "`azur` is not declared");
        assert_eq!(d.help.as_deref(), Some("did you mean `azure`?"));
        assert_eq!(run.primary(d), "azur");
        // `awi` is as close to the venue `aws`, but an asset is expected.
        let run = Run::with("openai may host awi\n");
        assert_eq!(
            run.only(Code::UnknownName).help.as_deref(),
            Some("did you mean `api`?")
        );
    }

    #[test]
    fn groups_are_suggested_only_where_a_group_may_stand() {
        let run = Run::with("openai may host produtcs\n");
        assert_eq!(
            run.only(Code::UnknownName).help.as_deref(),
            Some("did you mean `products`?")
        );
        let run = Run::with(
            "scenario s {\n  expect at 2030-01-01 {\n    may openai host produtcs\n  }\n}\n",
        );
        assert_eq!(
            run.only(Code::UnknownName).help.as_deref(),
            Some("declare it: `asset produtcs`")
        );
    }

    #[test]
    fn a_venue_where_an_asset_is_expected() {
        let run = Run::with("openai may host azure\n");
        let d = run.only(Code::WrongKind);
        assert_eq!(
            d.message,
            "`azure` is a venue, but an asset is expected here"
        );
        assert_eq!(run.labelled(d), vec![("azure", "a venue".to_string())]);
    }

    #[test]
    fn wildcards_fit_their_kind_only() {
        let run = Run::with("anyone may host api on anywhere to anyone\n");
        assert_eq!(run.diagnostics, vec![]);
        let run = Run::with("openai may host api on anyone\n");
        assert_eq!(
            run.only(Code::WrongKind).message,
            "`anyone` is a party, but a venue is expected here"
        );
    }

    #[test]
    fn an_event_is_caused_by_one_party() {
        let run = Run::with("group owners = microsoft, openai\nevent e by owners\n");
        assert_eq!(
            run.only(Code::WrongKind).message,
            "`owners` is a group, but an event is caused by one party"
        );
    }

    #[test]
    fn unknown_names_suggest_only_the_expected_kind() {
        // `aws` is a venue; the object is an asset, so `api` is suggested.
        let run = Run::with("openai may host apj on aws\n");
        assert_eq!(
            run.only(Code::UnknownName).help.as_deref(),
            Some("did you mean `api`?")
        );
        // Nothing close: the help says how to declare it.
        let run = Run::with("openai may host api on oracle_cloud\n");
        assert_eq!(
            run.only(Code::UnknownName).help.as_deref(),
            Some("declare it: `venue oracle_cloud`")
        );
    }

    #[test]
    fn every_unknown_name_is_reported() {
        let run = Run::new(
            "event e by nobody after nothing\n\
             group g = missing\n\
             fact f: furlongs\n\
             let l = ghost + 1\n\
             c: someone may act thing on place to who when phantom\n\
             scenario s {\n  unknown_event on 2030-01-01\n  unknown_fact = 3\n  expect at 2030-01-01 {\n    may x y z\n  }\n}\n\
             assert a: always holds p q until r\n",
        );
        let unknown: Vec<&str> = run
            .diagnostics
            .iter()
            .map(|d| {
                assert_eq!(d.code, Code::UnknownName, "{d:#?}");
                run.source.slice(d.primary_span())
            })
            .collect();
        assert_eq!(
            unknown,
            vec![
                "nobody",
                "nothing",
                "missing",
                "furlongs",
                "ghost",
                "someone",
                "act",
                "thing",
                "place",
                "who",
                "phantom",
                "unknown_event",
                "unknown_fact",
                "x",
                "y",
                "z",
                "p",
                "q",
                "r"
            ]
        );
    }

    #[test]
    fn wrong_kind_in_every_position() {
        let cases = [
            (
                "azure may host api\n",
                "`azure` is a venue, but a party is expected here",
            ),
            (
                "openai may api api\n",
                "`api` is an asset, but an action is expected here",
            ),
            (
                "openai may host api on openai\n",
                "`openai` is a party, but a venue is expected here",
            ),
            (
                "openai may host api to azure\n",
                "`azure` is a venue, but a party is expected here",
            ),
            (
                "openai may host api with clouds\n",
                "`clouds` is a group of venues, but a party is expected here",
            ),
            (
                "openai may host clouds\n",
                "`clouds` is a group of venues, but an asset is expected here",
            ),
            (
                "microsoft holds openai\n",
                "`openai` is a party, but an asset is expected here",
            ),
            (
                "microsoft holds 27% of azure\n",
                "`azure` is a venue, but an asset or a party is expected here",
            ),
            (
                "openai may host api until api\n",
                "`api` is an asset, but an event or a date is expected here",
            ),
            (
                "openai may host api until revenue\n",
                "`revenue` is a fact, but an event or a date is expected here",
            ),
            (
                "openai may host api when api\n",
                "`api` is an asset, but a value (a `let`, a fact or an event) is expected here",
            ),
            (
                "event e after panel\n",
                "`panel` is a party, but an event is expected here",
            ),
            (
                "event e by azure\n",
                "`azure` is a venue, but a party is expected here",
            ),
            (
                "fact f: azure\n",
                "`azure` is a venue, but a unit is expected here",
            ),
            (
                "let l = 5 azure\n",
                "`azure` is a venue, but a unit is expected here",
            ),
        ];
        for (line, message) in cases {
            let run = Run::with(line);
            assert_eq!(run.only(Code::WrongKind).message, message, "{line}");
        }
    }

    #[test]
    fn wrong_kind_helps() {
        let run = Run::with("openai may host api from microsoft\n");
        assert_eq!(
            run.only(Code::WrongKind).help.as_deref(),
            Some("did you mean `with microsoft`?")
        );
        let run = Run::with("microsoft holds api through agi_verified\n");
        let d = run.only(Code::WrongKind);
        assert_eq!(
            d.message,
            "`agi_verified` is an event, but a date is expected here"
        );
        assert_eq!(d.help.as_deref(), Some("use `until` for an event"));
        let run = Run::with("microsoft holds openai\n");
        assert_eq!(
            run.only(Code::WrongKind).help.as_deref(),
            Some("a party is held as a stake: give a percent, e.g. `27% of openai`")
        );
    }

    #[test]
    fn groups_and_wildcards_in_clauses() {
        let run = Run::with(
            "anyone may host products on clouds to anyone\n\
             openai may host api on anywhere with microsoft\n\
             group owners = microsoft, openai\n\
             owners holds api\n\
             group acts = host, purchase\n\
             openai must acts api\n",
        );
        assert_eq!(run.diagnostics, vec![]);
    }
}
