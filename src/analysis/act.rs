//! One concrete act: what a single `may`, `must` or `holds` query names
//! (spec section 7's matching, section 8's "act"): one party, one action
//! (none for `holds`), one asset, and at most one name for each of `on`,
//! `to` and `with`. The pairwise lints build acts as witnesses of two
//! clauses meeting; `deal diff` asks them of both versions.

use crate::ast;
use crate::eval::Slot;
use crate::source::Span;

/// One act: what a query would name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Act {
    pub party: String,
    /// None for a `holds`-family act.
    pub action: Option<String>,
    pub asset: String,
    pub on: Option<String>,
    pub to: Option<String>,
    pub with: Option<String>,
}

fn name(text: &str) -> ast::Name {
    ast::Name::new(text, Span::default())
}

impl Act {
    /// The value of one slot.
    pub fn slot_mut(&mut self, slot: Slot) -> &mut Option<String> {
        match slot {
            Slot::On => &mut self.on,
            Slot::To => &mut self.to,
            Slot::With => &mut self.with,
        }
    }

    /// The slot values, in the order `on`, `to`, `with`.
    pub fn slot_values(&self) -> [Option<String>; 3] {
        [self.on.clone(), self.to.clone(), self.with.clone()]
    }

    fn slots(&self) -> ast::Slots {
        ast::Slots {
            on: self.on.as_deref().map(name),
            to: self.to.as_deref().map(name),
            with: self.with.as_deref().map(name),
        }
    }

    /// The query that asks it: `may` (or, with `must`, `must`) for an act
    /// with an action, `holds` for one without.
    pub fn query(&self, must: bool) -> ast::Query {
        match &self.action {
            None => ast::Query::Holds(ast::HoldsQuery {
                party: name(&self.party),
                object: name(&self.asset),
                slots: self.slots(),
                span: Span::default(),
            }),
            Some(action) => {
                let query = ast::ActQuery {
                    party: name(&self.party),
                    action: name(action),
                    object: name(&self.asset),
                    slots: self.slots(),
                    span: Span::default(),
                };
                if must {
                    ast::Query::Must(query)
                } else {
                    ast::Query::May(query)
                }
            }
        }
    }

    /// What is done, without the party and the slots: `host api`, or for
    /// holds `research_ip`.
    pub fn base(&self) -> String {
        match &self.action {
            Some(action) => format!("{action} {}", self.asset),
            None => self.asset.clone(),
        }
    }
}

/// Written as the query would be, without its `may`/`holds` word for acts:
/// `openai host api on gcp`, `microsoft holds model_ip`.
impl std::fmt::Display for Act {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.action {
            Some(action) => write!(f, "{} {action} {}", self.party, self.asset)?,
            None => write!(f, "{} holds {}", self.party, self.asset)?,
        }
        for (keyword, value) in [("on", &self.on), ("to", &self.to), ("with", &self.with)] {
            if let Some(value) = value {
                write!(f, " {keyword} {value}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(action: Option<&str>) -> Act {
        Act {
            party: "openai".into(),
            action: action.map(str::to_string),
            asset: "api".into(),
            on: Some("aws".into()),
            to: None,
            with: None,
        }
    }

    #[test]
    fn written_as_the_query() {
        assert_eq!(act(Some("host")).to_string(), "openai host api on aws");
        assert_eq!(act(None).to_string(), "openai holds api on aws");
        assert_eq!(act(Some("host")).base(), "host api");
        assert_eq!(act(None).base(), "api");
        assert_eq!(
            crate::fmt::format_query(&act(Some("host")).query(true)),
            "must openai host api on aws"
        );
        assert_eq!(
            crate::fmt::format_query(&act(None).query(true)),
            "holds openai api on aws"
        );
    }
}
