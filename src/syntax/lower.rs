//! Lowering: pest pairs to AST nodes with exact spans.
//!
//! The grammar has already fixed the shape of every pair, so lowering reads
//! children by rule. What the grammar cannot say is checked here and
//! reported as `deal::syntax` with a help line: literal values (dates,
//! number ranges, escapes), the structural rules of spec section 3 (each of
//! `on`/`to`/`with`/`by` once per clause, ...), query slots, assertion
//! windows. Every problem in the file is collected, not just the first; a
//! node with an error gets a placeholder so lowering can go on (the AST is
//! then thrown away).
//!
//! Recursion is bounded: parentheses by the prescan (`MAX_NESTING`), runs of
//! prefix operators and the depth of operator chains by
//! `MAX_EXPRESSION_DEPTH`.

use super::grammar::Rule;
use super::literals;
use super::prescan::RawComment;
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{MAX_EXPRESSION_DEPTH, MAX_NESTING};
use crate::source::Span;
use chrono::NaiveDate;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

type P<'i> = Pair<'i, Rule>;

/// Spec section 5: the levels of `ast::Precedence`, loosest first.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    let mut pratt = PrattParser::new();
    for level in Precedence::ALL {
        let unary = UnaryOp::ALL
            .into_iter()
            .filter(|op| op.precedence() == level)
            .map(|op| Op::prefix(unary_rule(op)));
        let binary = BinaryOp::ALL
            .into_iter()
            .filter(|op| op.precedence() == level)
            .map(|op| Op::infix(binary_rule(op), Assoc::Left));
        if let Some(ops) = unary.chain(binary).reduce(|all, op| all | op) {
            pratt = pratt.op(ops);
        }
    }
    pratt
});

/// The grammar rule of each binary operator.
fn binary_rule(op: BinaryOp) -> Rule {
    match op {
        BinaryOp::Or => Rule::op_or,
        BinaryOp::And => Rule::op_and,
        BinaryOp::Eq => Rule::op_eq,
        BinaryOp::Ne => Rule::op_ne,
        BinaryOp::Lt => Rule::op_lt,
        BinaryOp::Le => Rule::op_le,
        BinaryOp::Gt => Rule::op_gt,
        BinaryOp::Ge => Rule::op_ge,
        BinaryOp::Add => Rule::op_add,
        BinaryOp::Sub => Rule::op_sub,
        BinaryOp::Mul => Rule::op_mul,
        BinaryOp::Div => Rule::op_div,
    }
}

fn unary_rule(op: UnaryOp) -> Rule {
    match op {
        UnaryOp::Not => Rule::op_not,
        UnaryOp::Neg => Rule::op_neg,
    }
}

/// A lowered node and the depth of its tree. A depth above
/// `MAX_EXPRESSION_DEPTH` marks a placeholder whose error is already reported.
type Deep<T> = (T, usize);

/// The end of `text[start..end]` without the white space and comments at its
/// end: what pest includes after a rule that ends in an optional or repeated
/// part that is absent (the skip before it). `comments` are the text's
/// comments in order (`prescan`).
fn without_trailing_skip(text: &str, comments: &[RawComment], start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = end;
    loop {
        while end > start
            && bytes
                .get(end - 1)
                .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            end -= 1;
        }
        match comments.binary_search_by_key(&end, |comment| comment.span.end) {
            Ok(i) => match comments.get(i) {
                Some(comment) if comment.span.start >= start && comment.span.start < end => {
                    end = comment.span.start;
                }
                _ => return end,
            },
            Err(_) => return end,
        }
    }
}

/// Tokens whose own span is exact: compound-atomic ones (their last child
/// may end before them, e.g. the `%` of a percent), and atomic ones, which
/// have no children. Names are most of the spans asked for, and stopping at
/// them spares a walk into pairs that are not there.
fn is_exact_token(rule: Rule) -> bool {
    super::grammar::is_name_rule(rule)
        || matches!(
            rule,
            Rule::duration
                | Rule::money
                | Rule::percent
                | Rule::quantity
                | Rule::number
                | Rule::string
                | Rule::date
                | Rule::bool
        )
}

pub(super) struct Lowerer<'i> {
    text: &'i str,
    /// The text's comments, in order (`prescan`): spans end before them.
    comments: &'i [RawComment],
    errors: RefCell<Vec<Diagnostic>>,
    /// A name of the fast path (read without the keyword check) turned out
    /// to be a reserved word: the tree is not the one `file` gives.
    read_reserved_name: Cell<bool>,
}

impl<'i> Lowerer<'i> {
    pub(super) fn new(text: &'i str, comments: &'i [RawComment]) -> Self {
        Lowerer {
            text,
            comments,
            errors: RefCell::new(Vec::new()),
            read_reserved_name: Cell::new(false),
        }
    }

    /// The span of a pair, without the white space and comments pest
    /// includes after a rule that ends in an absent optional or repeated
    /// part. Every consumed character that is not skipped belongs to a
    /// token, so the pair ends where its last token does.
    fn span(&self, pair: &P<'_>) -> Span {
        let whole = pair.as_span();
        if is_exact_token(pair.as_rule().canonical()) {
            return Span::new(whole.start(), whole.end());
        }
        let end = without_trailing_skip(self.text, self.comments, whole.start(), whole.end());
        Span::new(whole.start(), end)
    }

    /// Whether a name of the fast path was a reserved word (see the
    /// grammar's `file_fast`).
    pub(super) fn read_reserved_name(&self) -> bool {
        self.read_reserved_name.get()
    }

    pub(super) fn finish(self) -> Vec<Diagnostic> {
        self.errors.into_inner()
    }

    fn report(&self, diagnostic: Diagnostic) {
        self.errors.borrow_mut().push(diagnostic);
    }

    /// A shape the grammar should have ruled out. Reported rather than
    /// panicking, so a grammar bug can never crash a front end.
    fn unexpected(&self, span: Span) {
        self.report(Diagnostic::new(
            Code::Syntax,
            "this text could not be read (an internal error of the parser)",
            span,
            "here",
        ));
    }

    fn slice(&self, span: Span) -> &'i str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    // ------------------------------------------------------------ entry points

    pub(super) fn file(&self, pairs: Pairs<'i, Rule>) -> Vec<Item> {
        let mut items = Vec::new();
        for file in pairs {
            for pair in file.into_inner() {
                if pair.as_rule().canonical() == Rule::EOI {
                    continue;
                }
                let span = self.span(&pair);
                match self.item(pair) {
                    Some(kind) => items.push(Item {
                        doc: None,
                        kind,
                        span,
                    }),
                    None => self.unexpected(span),
                }
            }
        }
        items
    }

    pub(super) fn query_only(&self, pairs: Pairs<'i, Rule>) -> Option<Query> {
        let top = pairs.into_iter().next()?;
        let pair = top
            .into_inner()
            .find(|p| p.as_rule().canonical() != Rule::EOI)?;
        let span = self.span(&pair);
        let query = self.query(pair);
        if query.is_none() {
            self.unexpected(span);
        }
        query
    }

    fn item(&self, pair: P<'i>) -> Option<ItemKind> {
        Some(match pair.as_rule().canonical() {
            Rule::deal_title => {
                let string = pair
                    .into_inner()
                    .find(|p| p.as_rule().canonical() == Rule::string)?;
                ItemKind::Deal(self.string(&string))
            }
            Rule::effective => {
                let span = self.span(&pair);
                let mut date = None;
                let mut end = None;
                for child in pair.into_inner() {
                    match child.as_rule().canonical() {
                        Rule::date | Rule::bad_date => date = Some(self.date_lit(&child)),
                        Rule::q_until | Rule::q_through => end = Some(self.qualifier(child)?),
                        _ => {}
                    }
                }
                ItemKind::Effective(Effective {
                    date: date?,
                    end,
                    span,
                })
            }
            Rule::simple_decl | Rule::event_decl => ItemKind::Decl(self.decl(pair)?),
            Rule::group => ItemKind::Group(self.group(pair)?),
            Rule::let_item => ItemKind::Let(self.let_item(pair)?),
            Rule::fact => ItemKind::Fact(self.fact(pair)?),
            Rule::clause => ItemKind::Clause(self.clause(pair)?),
            Rule::scenario => ItemKind::Scenario(self.scenario(pair)?),
            Rule::assertion => ItemKind::Assert(self.assertion(pair)?),
            _ => return None,
        })
    }

    // ------------------------------------------------------------ small pieces

    fn name(&self, pair: &P<'i>) -> Name {
        if pair.as_rule().is_unchecked_name() && super::is_keyword(pair.as_str()) {
            self.read_reserved_name.set(true);
        }
        Name::new(pair.as_str(), self.span(pair))
    }

    fn string(&self, pair: &P<'i>) -> Str {
        let span = self.span(pair);
        let value = match literals::string(pair.as_str(), span) {
            Ok(value) => value,
            Err(errors) => {
                self.errors.borrow_mut().extend(errors);
                String::new()
            }
        };
        Str { value, span }
    }

    /// A `date` or `bad_date` token.
    fn date_lit(&self, pair: &P<'i>) -> DateLit {
        let span = self.span(pair);
        let date = if pair.as_rule().canonical() == Rule::date {
            literals::date(pair.as_str(), span)
        } else {
            Err(literals::malformed_date(pair.as_str(), span))
        };
        let date = date.unwrap_or_else(|d| {
            self.report(d);
            NaiveDate::default()
        });
        DateLit { date, span }
    }

    fn duration(&self, pair: &P<'i>) -> DurationLit {
        let span = self.span(pair);
        let mut amount = "";
        let mut word = "day";
        for child in pair.clone().into_inner() {
            match child.as_rule().canonical() {
                Rule::duration_amount => amount = child.as_str(),
                Rule::duration_word => word = child.as_str(),
                _ => {}
            }
        }
        let (amount, unit) = literals::duration(amount, word, span).unwrap_or_else(|d| {
            self.report(d);
            (0, DurationUnit::Day)
        });
        DurationLit { amount, unit, span }
    }

    // ------------------------------------------------------------ declarations

    fn decl(&self, pair: P<'i>) -> Option<Decl> {
        let span = self.span(&pair);
        let mut kind = None;
        let mut name = None;
        let mut label = None;
        let mut by = None;
        let mut after = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::kw_party => kind = Some(DeclKind::Party),
                Rule::kw_event => kind = Some(DeclKind::Event),
                Rule::kw_asset => kind = Some(DeclKind::Asset),
                Rule::kw_venue => kind = Some(DeclKind::Venue),
                Rule::kw_action => kind = Some(DeclKind::Action),
                Rule::kw_unit => kind = Some(DeclKind::Unit),
                Rule::decl_name => name = Some(self.name(&child)),
                Rule::string => label = Some(self.string(&child)),
                Rule::party_ref => by = Some(self.name(&child)),
                Rule::event_ref => after.push(self.name(&child)),
                _ => {}
            }
        }
        Some(Decl {
            kind: kind?,
            name: name?,
            label,
            by,
            after,
            span,
        })
    }

    fn group(&self, pair: P<'i>) -> Option<Group> {
        let span = self.span(&pair);
        let mut name = None;
        let mut label = None;
        let mut members = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::decl_name => name = Some(self.name(&child)),
                Rule::string => label = Some(self.string(&child)),
                Rule::member_ref => members.push(self.name(&child)),
                _ => {}
            }
        }
        Some(Group {
            name: name?,
            label,
            members,
            span,
        })
    }

    fn let_item(&self, pair: P<'i>) -> Option<Let> {
        let span = self.span(&pair);
        let mut name = None;
        let mut value = None;
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::decl_name => name = Some(self.name(&child)),
                Rule::expr => value = Some(self.expr(child)),
                _ => {}
            }
        }
        Some(Let {
            name: name?,
            value: value?,
            span,
        })
    }

    fn fact(&self, pair: P<'i>) -> Option<Fact> {
        let span = self.span(&pair);
        let mut name = None;
        let mut label = None;
        let mut ty = None;
        let mut default = None;
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::decl_name => name = Some(self.name(&child)),
                Rule::string => label = Some(self.string(&child)),
                Rule::type_name => ty = Some(self.type_ref(&child)),
                Rule::expr => default = Some(self.expr(child)),
                _ => {}
            }
        }
        Some(Fact {
            name: name?,
            label,
            ty: ty?,
            default,
            span,
        })
    }

    fn type_ref(&self, pair: &P<'i>) -> TypeRef {
        let span = self.span(pair);
        let kind = match pair.as_str() {
            "money" => TypeName::Money,
            "percent" => TypeName::Percent,
            "number" => TypeName::Number,
            "bool" => TypeName::Bool,
            "date" => TypeName::Date,
            "duration" => TypeName::Duration,
            unit => TypeName::Unit(Name::new(unit, span)),
        };
        TypeRef { kind, span }
    }

    // ------------------------------------------------------------ clauses

    fn clause(&self, pair: P<'i>) -> Option<Clause> {
        let span = self.span(&pair);
        let mut label = None;
        let mut body = None;
        let mut body_span = span;
        let mut qualifiers = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::clause_label => label = Some(self.name(&child)),
                Rule::colon => {}
                Rule::exclusive_body | Rule::only_body | Rule::holds_body | Rule::act_body => {
                    body_span = self.span(&child);
                    body = Some(self.body(child)?);
                }
                _ => qualifiers.push(self.qualifier(child)?),
            }
        }
        let body = body?;
        self.check_clause(&body, body_span, &qualifiers);
        Some(Clause {
            label,
            body,
            qualifiers,
            span,
        })
    }

    fn body(&self, pair: P<'i>) -> Option<ClauseBody> {
        let rule = pair.as_rule().canonical();
        let mut party = None;
        let mut action = None;
        let mut object = None;
        let mut modality = Modality::May;
        let mut negated = false;
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::party_ref => party = Some(self.name(&child)),
                Rule::action_ref => action = Some(self.name(&child)),
                Rule::object => object = Some(self.object(child)?),
                Rule::kw_no => negated = true,
                Rule::modality => {
                    let words: Vec<Rule> = child
                        .into_inner()
                        .map(|w| w.as_rule().canonical())
                        .collect();
                    modality = match words.as_slice() {
                        [Rule::kw_may] => Modality::May,
                        [Rule::kw_must] => Modality::Must,
                        [Rule::kw_must, Rule::kw_not] => Modality::MustNot,
                        _ => return None,
                    };
                }
                _ => {}
            }
        }
        Some(match rule {
            Rule::exclusive_body => ClauseBody::Exclusive { object: object? },
            Rule::only_body => ClauseBody::Only {
                party: party?,
                action: action?,
                object: object?,
            },
            Rule::holds_body => ClauseBody::Holds {
                negated,
                party: party?,
                object: object?,
            },
            _ => ClauseBody::Act {
                modality,
                party: party?,
                action: action?,
                object: object?,
            },
        })
    }

    fn object(&self, pair: P<'i>) -> Option<Object> {
        let span = self.span(&pair);
        let mut quantity = None;
        let mut name = None;
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::object_quantity => quantity = Some(self.quantity(child)?),
                Rule::object_ref => name = Some(self.name(&child)),
                _ => {}
            }
        }
        Some(Object {
            quantity,
            name: name?,
            span,
        })
    }

    /// `object_quantity`: a literal, a name or a parenthesised expression.
    fn quantity(&self, pair: P<'i>) -> Option<Expr> {
        let inner = pair.into_inner().next()?;
        Some(self.operand_inner(inner).0)
    }

    /// The structural rules of spec section 3 that the grammar leaves open.
    fn check_clause(&self, body: &ClauseBody, body_span: Span, qualifiers: &[Qualifier]) {
        let mut first_seen: Vec<(&'static str, Span)> = Vec::new();
        for qualifier in qualifiers {
            let keyword = qualifier.kind.keyword();
            if !matches!(
                keyword,
                "on" | "to" | "with" | "by" | "within" | "every" | "survives"
            ) {
                continue;
            }
            match first_seen.iter().find(|(k, _)| *k == keyword) {
                Some((_, first)) => {
                    let help = match keyword {
                        "on" => "list every venue after one `on`, e.g. `on azure, aws`",
                        "to" => "list every recipient after one `to`, e.g. `to us_natsec, uk_gov`",
                        "with" => {
                            "list every counterparty after one `with`, e.g. `with microsoft, nvidia`"
                        }
                        "within" => {
                            "an obligation has one deadline; give one `within`, e.g. `within 30 days after approval`"
                        }
                        "every" => {
                            "a recurring obligation has one period, e.g. `every 3 months`; write a second clause for another"
                        }
                        "survives" => "write `survives` once, with the longest survival period",
                        _ => {
                            "an obligation has one deadline; combine times with `or` or `and`, e.g. `by 2030-01-01 or agi_verified`"
                        }
                    };
                    self.report(
                        Diagnostic::new(
                            Code::Syntax,
                            format!("`{keyword}` appears more than once in this clause"),
                            qualifier.span,
                            format!("second `{keyword}`"),
                        )
                        .with_label(*first, format!("first `{keyword}`"))
                        .with_help(help),
                    );
                }
                None => first_seen.push((keyword, qualifier.span)),
            }
        }

        let (is_must, quantity_allowed) = match body {
            ClauseBody::Act { modality, .. } => {
                (*modality == Modality::Must, *modality == Modality::Must)
            }
            ClauseBody::Holds { .. } => (false, true),
            ClauseBody::Exclusive { .. } | ClauseBody::Only { .. } => (false, false),
        };
        if is_must {
            self.check_deadlines(qualifiers);
        } else {
            for qualifier in qualifiers {
                let (what, help) = match &qualifier.kind {
                    QualifierKind::By(_) => (
                        "a deadline",
                        "`by` sets the deadline of a `must` clause; to end this clause use `until` or `through`",
                    ),
                    QualifierKind::Within { .. } => (
                        "a deadline",
                        "`within D after T` sets the deadline of a `must` clause; to start this clause at T use `from T`, to end it use `until T + D`",
                    ),
                    QualifierKind::Every(_) => (
                        "a recurrence",
                        "`every` makes a `must` clause recur; a permission or prohibition holds throughout its window already",
                    ),
                    _ => continue,
                };
                self.report(
                    Diagnostic::new(
                        Code::Syntax,
                        format!(
                            "`{}` is allowed only on an obligation (`must`)",
                            qualifier.kind.keyword()
                        ),
                        qualifier.span,
                        format!("{what} on a clause that is not an obligation"),
                    )
                    .with_help(help),
                );
            }
        }
        let object = body.object();
        if let (Some(quantity), false) = (&object.quantity, quantity_allowed) {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "a quantity is allowed only on `must` and `holds` clauses",
                    quantity.span,
                    "quantity",
                )
                .with_help(format!(
                    "an amount makes sense for an obligation (`must`) or a stake (`holds`); write just `{}` here",
                    object.name
                )),
            );
        }
        if matches!(body, ClauseBody::Exclusive { .. })
            && !qualifiers.iter().any(|q| {
                matches!(
                    q.kind,
                    QualifierKind::On(_) | QualifierKind::To(_) | QualifierKind::With(_)
                )
            })
        {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "`exclusive` needs at least one of `on`, `to` or `with`",
                    body_span,
                    "exclusive where, to whom or with whom?",
                )
                .with_help(format!(
                    "name the venues, recipients or counterparties, e.g. `exclusive {} on azure`",
                    object.name
                )),
            );
        }
    }

    /// How an obligation's deadline is given (spec section 3): `by T`,
    /// `within D after T`, or on a recurring obligation `within D` after
    /// each period; never two of these at once.
    fn check_deadlines(&self, qualifiers: &[Qualifier]) {
        let find = |pick: fn(&QualifierKind) -> bool| qualifiers.iter().find(|q| pick(&q.kind));
        let by = find(|k| matches!(k, QualifierKind::By(_)));
        let every = find(|k| matches!(k, QualifierKind::Every(_)));
        let within = find(|k| matches!(k, QualifierKind::Within { .. }));
        let within_after =
            within.filter(|q| matches!(q.kind, QualifierKind::Within { after: Some(_), .. }));
        if let Some(every) = every
            && let QualifierKind::Every(period) = &every.kind
            && period.amount == 0
        {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "a recurring obligation's period must be longer than zero",
                    period.span,
                    "a period of no time",
                )
                .with_help(
                    "give the length of each period, e.g. `every 1 month` or `every 3 months`",
                ),
            );
        }
        if let (Some(by), Some(every)) = (by, every) {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "`by` cannot be combined with `every`",
                    by.span,
                    "one deadline for every period?",
                )
                .with_label(every.span, "a recurring obligation")
                .with_help("each period of a recurring obligation is due on its last day; to give more time write `within D`, e.g. `every 3 months within 45 days`"),
            );
        }
        if let (Some(by), Some(within)) = (by, within) {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "`within` cannot be combined with `by`",
                    within.span,
                    "a second deadline",
                )
                .with_label(by.span, "the first deadline")
                .with_help(
                    "an obligation has one deadline: keep `within D after T` or `by T`, not both",
                ),
            );
        }
        if let (Some(within), Some(every)) = (within_after, every) {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "`within D after T` cannot be combined with `every`",
                    within.span,
                    "a deadline after a trigger",
                )
                .with_label(every.span, "a recurring obligation")
                .with_help("on a recurring obligation `within D` (without `after`) moves each period's deadline D after the period; start the recurrence with `from T`"),
            );
        }
        if let (Some(within), None, None) = (within, within_after, every) {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "`within` needs `after` here",
                    within.span,
                    "within how long after what?",
                )
                .with_help("write the trigger, e.g. `within 30 days after approval`; `within D` alone is only for a recurring obligation (`every D`)"),
            );
        }
    }

    fn names(&self, pair: P<'i>) -> Vec<Name> {
        pair.into_inner()
            .filter(|p| {
                !matches!(p.as_rule().canonical(), Rule::comma)
                    && !super::errors::is_qualifier_keyword(p.as_rule().canonical())
            })
            .map(|p| self.name(&p))
            .collect()
    }

    fn qualifier(&self, pair: P<'i>) -> Option<Qualifier> {
        let span = self.span(&pair);
        let rule = pair.as_rule().canonical();
        let kind = match rule {
            Rule::q_on | Rule::record_on => QualifierKind::On(self.names(pair)),
            Rule::q_to => QualifierKind::To(self.names(pair)),
            Rule::q_with => QualifierKind::With(self.names(pair)),
            Rule::q_notwithstanding => QualifierKind::Notwithstanding(self.names(pair)),
            Rule::q_from | Rule::q_until | Rule::q_through | Rule::q_by => {
                let time = self
                    .time(
                        pair.into_inner()
                            .find(|p| p.as_rule().canonical() == Rule::time)?,
                    )
                    .0;
                match rule {
                    Rule::q_from => QualifierKind::From(time),
                    Rule::q_until => QualifierKind::Until(time),
                    Rule::q_through => QualifierKind::Through(time),
                    _ => QualifierKind::By(time),
                }
            }
            Rule::q_within => {
                let mut duration = None;
                let mut after = None;
                for child in pair.into_inner() {
                    match child.as_rule().canonical() {
                        Rule::duration => duration = Some(self.duration(&child)),
                        Rule::time => after = Some(self.time(child).0),
                        _ => {}
                    }
                }
                QualifierKind::Within {
                    duration: duration?,
                    after,
                }
            }
            Rule::q_every => {
                let duration = pair
                    .into_inner()
                    .find(|p| p.as_rule().canonical() == Rule::duration)?;
                QualifierKind::Every(self.duration(&duration))
            }
            Rule::q_survives => QualifierKind::Survives(
                pair.into_inner()
                    .find(|p| p.as_rule().canonical() == Rule::duration)
                    .map(|d| self.duration(&d)),
            ),
            Rule::q_when | Rule::q_unless => {
                let condition = self.expr(
                    pair.into_inner()
                        .find(|p| p.as_rule().canonical() == Rule::expr)?,
                );
                if rule == Rule::q_when {
                    QualifierKind::When(condition)
                } else {
                    QualifierKind::Unless(condition)
                }
            }
            _ => return None,
        };
        Some(Qualifier { kind, span })
    }

    // ------------------------------------------------------------ time

    fn deep_time(&self, kind: TimeKind, span: Span, children: usize, at: Span) -> Deep<TimeExpr> {
        match self.depth_check(children, at) {
            Some(depth) => (TimeExpr { kind, span }, depth),
            None => (placeholder_time(span), MAX_EXPRESSION_DEPTH + 1),
        }
    }

    /// The depth of a new node over children of depth `children`; `None`
    /// when it is too deep (reported once, at `at`).
    fn depth_check(&self, children: usize, at: Span) -> Option<usize> {
        if children > MAX_EXPRESSION_DEPTH {
            return None;
        }
        if children + 1 > MAX_EXPRESSION_DEPTH {
            self.report(
                Diagnostic::new(
                    Code::Limit,
                    format!("expression nested deeper than {MAX_EXPRESSION_DEPTH} levels"),
                    at,
                    "too deep from here on",
                )
                .with_help("split the expression into `let` values"),
            );
            return None;
        }
        Some(children + 1)
    }

    /// `time := conj ("or" conj)*`
    fn time(&self, pair: P<'i>) -> Deep<TimeExpr> {
        let mut parts = pair
            .into_inner()
            .filter(|p| p.as_rule().canonical() == Rule::time_conj);
        let Some(first) = parts.next() else {
            return (placeholder_time(Span::default()), 0);
        };
        let mut acc = self.time_conj(first);
        for next in parts {
            let rhs = self.time_conj(next);
            let span = acc.0.span.to(rhs.0.span);
            let depth = acc.1.max(rhs.1);
            acc = self.deep_time(
                TimeKind::Or(Box::new(acc.0), Box::new(rhs.0)),
                span,
                depth,
                rhs_span(span),
            );
        }
        acc
    }

    /// `conj := shifted ("and" shifted)*`
    fn time_conj(&self, pair: P<'i>) -> Deep<TimeExpr> {
        let mut parts = pair
            .into_inner()
            .filter(|p| p.as_rule().canonical() == Rule::time_shifted);
        let Some(first) = parts.next() else {
            return (placeholder_time(Span::default()), 0);
        };
        let mut acc = self.time_shifted(first);
        for next in parts {
            let rhs = self.time_shifted(next);
            let span = acc.0.span.to(rhs.0.span);
            let depth = acc.1.max(rhs.1);
            acc = self.deep_time(
                TimeKind::And(Box::new(acc.0), Box::new(rhs.0)),
                span,
                depth,
                rhs_span(span),
            );
        }
        acc
    }

    /// `shifted := primary (("+" | "-") duration)*`
    fn time_shifted(&self, pair: P<'i>) -> Deep<TimeExpr> {
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else {
            return (placeholder_time(Span::default()), 0);
        };
        let mut acc = self.time_primary(first);
        let mut sign = Sign::Plus;
        for child in inner {
            match child.as_rule().canonical() {
                Rule::shift_op => {
                    sign = if child.as_str() == "-" {
                        Sign::Minus
                    } else {
                        Sign::Plus
                    };
                }
                Rule::duration => {
                    let duration = self.duration(&child);
                    let span = acc.0.span.to(duration.span);
                    let depth = acc.1;
                    let at = duration.span;
                    acc = self.deep_time(
                        TimeKind::Shift {
                            base: Box::new(acc.0),
                            sign,
                            duration,
                        },
                        span,
                        depth,
                        at,
                    );
                }
                _ => {}
            }
        }
        acc
    }

    fn time_primary(&self, pair: P<'i>) -> Deep<TimeExpr> {
        let span = self.span(&pair);
        match pair.as_rule().canonical() {
            Rule::date | Rule::bad_date => (
                TimeExpr {
                    kind: TimeKind::Date(self.date_lit(&pair).date),
                    span,
                },
                1,
            ),
            Rule::time_paren => match pair
                .into_inner()
                .find(|p| p.as_rule().canonical() == Rule::time)
            {
                Some(inner) => {
                    let (inner, depth) = self.time(inner);
                    self.deep_time(TimeKind::Paren(Box::new(inner)), span, depth, span)
                }
                None => {
                    self.unexpected(span);
                    (placeholder_time(span), 1)
                }
            },
            _ => (
                TimeExpr {
                    kind: TimeKind::Name(self.name(&pair)),
                    span,
                },
                1,
            ),
        }
    }

    // ------------------------------------------------------------ expressions

    /// An `expr` or `expect_expr` pair.
    fn expr(&self, pair: P<'i>) -> Expr {
        self.expr_deep(pair).0
    }

    fn expr_deep(&self, pair: P<'i>) -> Deep<Expr> {
        let whole = self.span(&pair);
        // An `expect_expr` wraps each operand (with its prefixes) in an
        // `expect_term`; the Pratt parser wants one flat sequence.
        let mut flat = Vec::new();
        for child in pair.into_inner() {
            if child.as_rule().canonical() == Rule::expect_term {
                flat.extend(child.into_inner());
            } else {
                flat.push(child);
            }
        }
        // The Pratt parser recurses once per prefix operator.
        let mut run = 0usize;
        for part in &flat {
            if matches!(part.as_rule().canonical(), Rule::op_not | Rule::op_neg) {
                run += 1;
                if run > MAX_NESTING {
                    self.report(
                        Diagnostic::new(
                            Code::Limit,
                            format!("more than {MAX_NESTING} prefix operators in a row"),
                            self.span(part),
                            "too many from here on",
                        )
                        .with_help("split the expression into `let` values"),
                    );
                    return (placeholder_expr(whole), MAX_EXPRESSION_DEPTH + 1);
                }
            } else {
                run = 0;
            }
        }
        if flat.is_empty() {
            self.unexpected(whole);
            return (placeholder_expr(whole), 1);
        }
        PRATT
            .map_primary(|operand| self.operand(operand))
            .map_prefix(|op, rhs| self.prefix(op, rhs))
            .map_infix(|lhs, op, rhs| self.infix(lhs, op, rhs))
            .parse(flat.into_iter())
    }

    fn deep_expr(&self, kind: ExprKind, span: Span, children: usize, at: Span) -> Deep<Expr> {
        match self.depth_check(children, at) {
            Some(depth) => (Expr { kind, span }, depth),
            None => (placeholder_expr(span), MAX_EXPRESSION_DEPTH + 1),
        }
    }

    fn prefix(&self, op: P<'i>, rhs: Deep<Expr>) -> Deep<Expr> {
        let op_span = self.span(&op);
        let operator = if op.as_rule().canonical() == Rule::op_not {
            UnaryOp::Not
        } else {
            UnaryOp::Neg
        };
        let span = op_span.to(rhs.0.span);
        self.deep_expr(
            ExprKind::Unary {
                op: operator,
                operand: Box::new(rhs.0),
            },
            span,
            rhs.1,
            op_span,
        )
    }

    fn infix(&self, lhs: Deep<Expr>, op: P<'i>, rhs: Deep<Expr>) -> Deep<Expr> {
        let op_span = self.span(&op);
        let operator = BinaryOp::ALL
            .into_iter()
            .find(|candidate| binary_rule(*candidate) == op.as_rule().canonical())
            .unwrap_or(BinaryOp::Div);
        if operator.is_comparison()
            && let ExprKind::Binary { op: first, .. } = &lhs.0.kind
            && first.is_comparison()
        {
            self.report(
                Diagnostic::new(
                    Code::Syntax,
                    "comparisons cannot be chained",
                    op_span,
                    format!("second comparison `{}`", operator.symbol()),
                )
                .with_label(lhs.0.span, "first comparison")
                .with_help(format!(
                    "compare two values at a time and join the comparisons with `and`, e.g. `a {} b and b {} c`",
                    first.symbol(),
                    operator.symbol()
                )),
            );
        }
        let span = lhs.0.span.to(rhs.0.span);
        let depth = lhs.1.max(rhs.1);
        self.deep_expr(
            ExprKind::Binary {
                op: operator,
                lhs: Box::new(lhs.0),
                rhs: Box::new(rhs.0),
            },
            span,
            depth,
            op_span,
        )
    }

    /// An `operand` pair: a literal, a parenthesised expression or a name.
    fn operand(&self, pair: P<'i>) -> Deep<Expr> {
        let whole = self.span(&pair);
        match pair.into_inner().next() {
            Some(inner) => self.operand_inner(inner),
            None => {
                self.unexpected(whole);
                (placeholder_expr(whole), 1)
            }
        }
    }

    fn operand_inner(&self, pair: P<'i>) -> Deep<Expr> {
        let span = self.span(&pair);
        match pair.as_rule().canonical() {
            Rule::value_ref => (
                Expr {
                    kind: ExprKind::Name(self.name(&pair)),
                    span,
                },
                1,
            ),
            Rule::extremum => {
                let mut which = Extremum::Max;
                let mut args = Vec::new();
                let mut depth = 0;
                for child in pair.into_inner() {
                    match child.as_rule().canonical() {
                        Rule::kw_min => which = Extremum::Min,
                        Rule::expr => {
                            let (arg, d) = self.expr_deep(child);
                            depth = depth.max(d);
                            args.push(arg);
                        }
                        _ => {}
                    }
                }
                self.deep_expr(ExprKind::Extremum { which, args }, span, depth, span)
            }
            Rule::status_atom => {
                let (label, status) = self.label_and_status(pair);
                match (label, status) {
                    (Some(label), Some(status)) => (
                        Expr {
                            kind: ExprKind::StatusIs { label, status },
                            span,
                        },
                        1,
                    ),
                    _ => {
                        self.unexpected(span);
                        (placeholder_expr(span), 1)
                    }
                }
            }
            Rule::by_atom => {
                let mut event = None;
                let mut deadline = None;
                for child in pair.into_inner() {
                    match child.as_rule().canonical() {
                        Rule::event_ref => event = Some(self.name(&child)),
                        Rule::time_shifted => deadline = Some(self.time_shifted(child)),
                        _ => {}
                    }
                }
                match (event, deadline) {
                    (Some(event), Some((deadline, depth))) => {
                        self.deep_expr(ExprKind::EventBy { event, deadline }, span, depth, span)
                    }
                    _ => {
                        self.unexpected(span);
                        (placeholder_expr(span), 1)
                    }
                }
            }
            Rule::paren_expr => match pair
                .into_inner()
                .find(|p| p.as_rule().canonical() == Rule::expr)
            {
                Some(inner) => {
                    let (inner, depth) = self.expr_deep(inner);
                    self.deep_expr(ExprKind::Paren(Box::new(inner)), span, depth, span)
                }
                None => {
                    self.unexpected(span);
                    (placeholder_expr(span), 1)
                }
            },
            _ => (
                Expr {
                    kind: ExprKind::Literal(self.literal(&pair)),
                    span,
                },
                1,
            ),
        }
    }

    fn literal(&self, pair: &P<'i>) -> Literal {
        let span = self.span(pair);
        let text = pair.as_str();
        let num_child = || {
            pair.clone()
                .into_inner()
                .find(|p| p.as_rule().canonical() == Rule::num)
        };
        let number = |shift: i64| -> Option<crate::decimal::Decimal> {
            let num = num_child()?;
            match literals::number(num.as_str(), shift, span) {
                Ok(value) => Some(value),
                Err(d) => {
                    self.report(d);
                    None
                }
            }
        };
        let placeholder = Literal::Bool(false);
        match pair.as_rule().canonical() {
            Rule::date | Rule::bad_date => Literal::Date(self.date_lit(pair).date),
            Rule::duration => Literal::Duration(self.duration(pair)),
            Rule::bool => Literal::Bool(text == "true"),
            Rule::string => Literal::String(self.string(pair).value),
            Rule::number => match number(0) {
                Some(value) => Literal::Number {
                    value,
                    text: num_child().map_or(text, |n| n.as_str()).to_string(),
                },
                None => placeholder,
            },
            Rule::percent => match number(-2) {
                Some(value) => Literal::Percent {
                    value,
                    text: text.to_string(),
                },
                None => placeholder,
            },
            Rule::money => {
                let scale = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule().canonical() == Rule::money_scale)
                    .and_then(|s| literals::money_scale(s.as_str()))
                    .unwrap_or(0);
                match number(scale) {
                    Some(value) => Literal::Money {
                        value,
                        text: text.to_string(),
                    },
                    None => placeholder,
                }
            }
            Rule::quantity => {
                let unit = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule().canonical() == Rule::unit_word);
                match (number(0), unit) {
                    (Some(value), Some(unit)) => Literal::Quantity {
                        value,
                        text: num_child().map_or(text, |n| n.as_str()).to_string(),
                        unit: self.name(&unit),
                    },
                    _ => placeholder,
                }
            }
            Rule::bad_money => {
                self.report(bad_money(text, span));
                placeholder
            }
            Rule::bad_percent => {
                let number = text.trim_end_matches('%').trim_end();
                self.report(
                    Diagnostic::new(
                        Code::Syntax,
                        format!("`{text}`: no space is allowed before `%`"),
                        span,
                        "space before `%`",
                    )
                    .with_help(format!("write `{number}%`")),
                );
                placeholder
            }
            _ => {
                self.unexpected(span);
                placeholder
            }
        }
    }

    // ------------------------------------------------------------ queries

    fn query(&self, pair: P<'i>) -> Option<Query> {
        Some(match pair.as_rule().canonical() {
            Rule::may_query => Query::May(self.act_query(pair)?),
            Rule::must_query => Query::Must(self.act_query(pair)?),
            Rule::holds_query => {
                let span = self.span(&pair);
                let mut names = Vec::new();
                let mut slot_pairs = Vec::new();
                for child in pair.into_inner() {
                    match child.as_rule().canonical() {
                        Rule::party_ref | Rule::object_ref => names.push(self.name(&child)),
                        Rule::q_on | Rule::q_to | Rule::q_with => slot_pairs.push(child),
                        _ => {}
                    }
                }
                let slots = self.slots(slot_pairs);
                let mut names = names.into_iter();
                Query::Holds(HoldsQuery {
                    party: names.next()?,
                    object: names.next()?,
                    slots,
                    span,
                })
            }
            Rule::status_query => {
                let label = pair
                    .into_inner()
                    .find(|p| p.as_rule().canonical() == Rule::label_ref)?;
                Query::Status(self.name(&label))
            }
            Rule::expr | Rule::expect_expr => Query::Expr(self.expr(pair)),
            _ => return None,
        })
    }

    fn act_query(&self, pair: P<'i>) -> Option<ActQuery> {
        let span = self.span(&pair);
        let mut party = None;
        let mut action = None;
        let mut object = None;
        let mut slot_pairs = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::party_ref => party = Some(self.name(&child)),
                Rule::action_ref => action = Some(self.name(&child)),
                Rule::object_ref => object = Some(self.name(&child)),
                Rule::q_on | Rule::q_to | Rule::q_with => slot_pairs.push(child),
                _ => {}
            }
        }
        Some(ActQuery {
            party: party?,
            action: action?,
            object: object?,
            slots: self.slots(slot_pairs),
            span,
        })
    }

    /// A query's `on`/`to`/`with`: each at most once, each one name.
    fn slots(&self, pairs: Vec<P<'i>>) -> Slots {
        let mut slots = Slots::default();
        let mut first_spans: Vec<(Rule, Span)> = Vec::new();
        for pair in pairs {
            let rule = pair.as_rule().canonical();
            let qualifier_span = self.span(&pair);
            let (keyword, what) = match rule {
                Rule::q_on => ("on", "venue"),
                Rule::q_to => ("to", "recipient"),
                _ => ("with", "counterparty"),
            };
            if let Some((_, first)) = first_spans.iter().find(|(r, _)| *r == rule) {
                self.report(
                    Diagnostic::new(
                        Code::Syntax,
                        format!("`{keyword}` appears more than once in this query"),
                        qualifier_span,
                        format!("second `{keyword}`"),
                    )
                    .with_label(*first, format!("first `{keyword}`"))
                    .with_help(format!(
                        "a query asks about one {what}: ask one query per {what}"
                    )),
                );
                continue;
            }
            first_spans.push((rule, qualifier_span));
            let mut names = self.names(pair).into_iter();
            let Some(first) = names.next() else {
                continue;
            };
            if let Some(second) = names.next() {
                self.report(
                    Diagnostic::new(
                        Code::Syntax,
                        format!("a query names one {what} after `{keyword}`"),
                        second.span,
                        format!("a second {what}"),
                    )
                    .with_help(format!(
                        "ask one query per {what}, e.g. `{keyword} {first}`"
                    )),
                );
            }
            let slot = match rule {
                Rule::q_on => &mut slots.on,
                Rule::q_to => &mut slots.to,
                _ => &mut slots.with,
            };
            *slot = Some(first);
        }
        slots
    }

    // ------------------------------------------------------------ scenarios

    fn scenario(&self, pair: P<'i>) -> Option<Scenario> {
        let span = self.span(&pair);
        let mut name = None;
        let mut label = None;
        let mut lines = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::scenario_name => name = Some(self.name(&child)),
                Rule::string => label = Some(self.string(&child)),
                Rule::event_line => {
                    let mut inner = child.into_inner();
                    let event = self.name(&inner.next()?);
                    let date = self.date_lit(&inner.last()?);
                    lines.push(ScenarioLine::Event { name: event, date });
                }
                Rule::fact_line => {
                    let mut fact = None;
                    let mut value = None;
                    for part in child.into_inner() {
                        match part.as_rule().canonical() {
                            Rule::fact_ref => fact = Some(self.name(&part)),
                            Rule::expr => value = Some(self.expr(part)),
                            _ => {}
                        }
                    }
                    lines.push(ScenarioLine::Fact {
                        name: fact?,
                        value: value?,
                    });
                }
                Rule::record => lines.push(ScenarioLine::Record(self.record(child)?)),
                Rule::expect_block => lines.push(ScenarioLine::Expect(self.expect_block(child)?)),
                _ => {}
            }
        }
        Some(Scenario {
            name: name?,
            label,
            lines,
            span,
        })
    }

    fn record(&self, pair: P<'i>) -> Option<Record> {
        let span = self.span(&pair);
        let mut party = None;
        let mut action = None;
        let mut quantity = None;
        let mut asset = None;
        let mut qualifiers = Vec::new();
        let mut date = None;
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::party_ref => party = Some(self.name(&child)),
                Rule::action_ref => action = Some(self.name(&child)),
                Rule::object_quantity => quantity = Some(self.quantity(child)?),
                Rule::object_ref => asset = Some(self.name(&child)),
                Rule::record_on | Rule::q_to | Rule::q_with => {
                    qualifiers.push(self.qualifier(child)?)
                }
                Rule::date | Rule::bad_date => date = Some(self.date_lit(&child)),
                _ => {}
            }
        }
        Some(Record {
            party: party?,
            action: action?,
            quantity,
            asset: asset?,
            qualifiers,
            date: date?,
            span,
        })
    }

    fn expect_block(&self, pair: P<'i>) -> Option<ExpectBlock> {
        let span = self.span(&pair);
        let mut at = None;
        let mut lines = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::date | Rule::bad_date => at = Some(self.date_lit(&child)),
                Rule::expect_status
                | Rule::expect_no
                | Rule::expect_unspecified
                | Rule::expect_yes
                | Rule::expect_expr => lines.push(self.expectation(child)?),
                _ => {}
            }
        }
        Some(ExpectBlock {
            at: at?,
            lines,
            span,
        })
    }

    /// `LABEL is STATUS`, in a condition or an expectation.
    fn label_and_status(&self, pair: P<'i>) -> (Option<Name>, Option<StatusWord>) {
        let mut label = None;
        let mut status = None;
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::label_ref => label = Some(self.name(&child)),
                Rule::status_word => status = Some(self.status_word(&child)),
                _ => {}
            }
        }
        (label, status)
    }

    fn status_word(&self, pair: &P<'i>) -> StatusWord {
        let status = match pair.as_str() {
            "inactive" => ObligationStatus::Inactive,
            "pending" => ObligationStatus::Pending,
            "fulfilled" => ObligationStatus::Fulfilled,
            _ => ObligationStatus::Violated,
        };
        StatusWord {
            status,
            span: self.span(pair),
        }
    }

    fn expectation(&self, pair: P<'i>) -> Option<Expectation> {
        let span = self.span(&pair);
        let rule = pair.as_rule().canonical();
        let kind = match rule {
            Rule::expect_expr => ExpectKind::Expr(self.expr(pair)),
            Rule::expect_status => {
                let (label, status) = self.label_and_status(pair);
                ExpectKind::Status {
                    label: label?,
                    status: status?,
                }
            }
            _ => {
                let query_pair = pair.into_inner().find(|p| {
                    matches!(
                        p.as_rule().canonical(),
                        Rule::may_query | Rule::must_query | Rule::holds_query
                    )
                })?;
                let query = self.query(query_pair)?;
                match rule {
                    Rule::expect_no => ExpectKind::No(query),
                    Rule::expect_unspecified => {
                        if let Query::Must(q) = &query {
                            self.report(
                                Diagnostic::new(
                                    Code::Syntax,
                                    "a `must` query is never unspecified",
                                    q.span,
                                    "answers only yes or no",
                                )
                                .with_help(format!(
                                    "to expect no obligation, write `not {}`",
                                    self.slice(q.span)
                                )),
                            );
                        }
                        ExpectKind::Unspecified(query)
                    }
                    _ => ExpectKind::Yes(query),
                }
            }
        };
        Some(Expectation { kind, span })
    }

    // ------------------------------------------------------------ assertions

    fn assertion(&self, pair: P<'i>) -> Option<Assertion> {
        let span = self.span(&pair);
        let mut label = None;
        let mut quantifier = None;
        let mut query = None;
        let mut window = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule().canonical() {
                Rule::clause_label => label = Some(self.name(&child)),
                Rule::colon | Rule::kw_assert => {}
                Rule::quantifier => {
                    let words: Vec<Rule> = child
                        .into_inner()
                        .map(|w| w.as_rule().canonical())
                        .collect();
                    quantifier = Some(match words.as_slice() {
                        [Rule::kw_always] => Quantifier::Always,
                        [Rule::kw_always, Rule::kw_not] => Quantifier::AlwaysNot,
                        _ => Quantifier::Never,
                    });
                }
                Rule::may_query | Rule::must_query | Rule::holds_query | Rule::expr => {
                    query = Some(self.query(child)?);
                }
                _ => {
                    let qualifier = self.qualifier(child)?;
                    if !matches!(
                        qualifier.kind,
                        QualifierKind::From(_)
                            | QualifierKind::Until(_)
                            | QualifierKind::Through(_)
                            | QualifierKind::When(_)
                            | QualifierKind::Unless(_)
                    ) {
                        let keyword = qualifier.kind.keyword();
                        let help = if matches!(keyword, "on" | "to" | "with") {
                            format!(
                                "an assertion window allows only `from`, `until`, `through`, `when` and `unless`; put `{keyword}` right after the query, before the window"
                            )
                        } else {
                            "an assertion window allows only `from`, `until`, `through`, `when` and `unless`".to_string()
                        };
                        self.report(
                            Diagnostic::new(
                                Code::Syntax,
                                format!("`{keyword}` is not allowed in an assertion window"),
                                qualifier.span,
                                "not a window",
                            )
                            .with_help(help),
                        );
                    }
                    window.push(qualifier);
                }
            }
        }
        Some(Assertion {
            label: label?,
            quantifier: quantifier?,
            query: query?,
            window,
            span,
        })
    }
}

/// The span of the right part of a binary node, for depth errors.
fn rhs_span(span: Span) -> Span {
    Span::new(span.end, span.end)
}

fn placeholder_expr(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Literal(Literal::Bool(false)),
        span,
    }
}

fn placeholder_time(span: Span) -> TimeExpr {
    TimeExpr {
        kind: TimeKind::Date(NaiveDate::default()),
        span,
    }
}

/// `$1.5 M`, `$5m`, `$1,000`, `$ 5`: what went wrong and how to write it.
fn bad_money(text: &str, span: Span) -> Diagnostic {
    let after_dollar = text.strip_prefix('$').unwrap_or(text);
    let (problem, fixed) = if after_dollar.starts_with([' ', '\t']) {
        (
            "no space is allowed after `$`",
            format!("${}", after_dollar.trim_start()),
        )
    } else if after_dollar.contains(',') {
        (
            "commas are not part of numbers",
            format!("${}", after_dollar.replace(',', "_")),
        )
    } else if after_dollar.contains([' ', '\t']) {
        let compact: String = after_dollar
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        (
            "the scale letter goes right after the number",
            format!("${}", compact.to_uppercase()),
        )
    } else {
        (
            "scale letters are capitals: K, M, B and T",
            format!("${}", after_dollar.to_uppercase()),
        )
    };
    Diagnostic::new(
        Code::Syntax,
        format!("`{text}` is not an amount of money: {problem}"),
        span,
        "malformed amount",
    )
    .with_help(format!("write `{fixed}`"))
}
