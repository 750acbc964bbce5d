//! The abstract syntax tree. Every node carries its byte span; equality
//! ignores spans, so `parse(fmt(x)) == parse(x)` compares structure only.
//!
//! The tree is what the user wrote (names unresolved, literals as written);
//! `check` resolves names and types, `eval` gives it meaning.

use crate::decimal::Decimal;
use crate::source::Span;
use chrono::NaiveDate;

/// Structural equality that ignores spans.
macro_rules! eq_ignoring_span {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$field == other.$field)*
            }
        }
        impl Eq for $ty {}
    };
}

/// An identifier as written, with its span.
#[derive(Clone, Debug)]
pub struct Name {
    pub text: String,
    pub span: Span,
}
eq_ignoring_span!(Name { text });

impl Name {
    pub fn new(text: impl Into<String>, span: Span) -> Self {
        Name {
            text: text.into(),
            span,
        }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A string literal, unescaped.
#[derive(Clone, Debug)]
pub struct Str {
    pub value: String,
    pub span: Span,
}
eq_ignoring_span!(Str { value });

/// A `///` doc comment: consecutive lines joined with `\n`, markers stripped.
#[derive(Clone, Debug)]
pub struct Doc {
    pub text: String,
    pub span: Span,
}
eq_ignoring_span!(Doc { text });

/// A plain `//` comment, kept only so that `fmt` can put it back.
#[derive(Clone, Debug)]
pub struct Comment {
    /// The whole comment including `//`, without the line break.
    pub text: String,
    pub span: Span,
}
eq_ignoring_span!(Comment { text });

/// A whole `.deal` file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct File {
    pub items: Vec<Item>,
    /// Plain comments in source order (doc comments live on their items).
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub doc: Option<Doc>,
    pub kind: ItemKind,
    /// The item without its doc comment.
    pub span: Span,
}
eq_ignoring_span!(Item { doc, kind });

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// `deal "title"`
    Deal(Str),
    /// `effective 2025-10-28`, with the contract's term (v2) when it has one.
    Effective(Effective),
    /// `party`, `event`, `asset`, `venue`, `action`, `unit`.
    Decl(Decl),
    /// `group clouds = azure, aws`
    Group(Group),
    /// `let stake = 27%`
    Let(Let),
    /// `fact training_compute: flop = 1e26 flop`
    Fact(Fact),
    Clause(Clause),
    Scenario(Scenario),
    Assert(Assertion),
}

/// `effective DATE [until TIME | through DATE_EXPR]`: when clauses start
/// and, with a term, when the whole contract ends (spec section 2).
#[derive(Clone, Debug)]
pub struct Effective {
    pub date: DateLit,
    /// An `until` or `through` qualifier: the contract's end.
    pub end: Option<Qualifier>,
    pub span: Span,
}
eq_ignoring_span!(Effective { date, end });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeclKind {
    Party,
    Event,
    Asset,
    Venue,
    Action,
    Unit,
}

impl DeclKind {
    pub fn keyword(self) -> &'static str {
        match self {
            DeclKind::Party => "party",
            DeclKind::Event => "event",
            DeclKind::Asset => "asset",
            DeclKind::Venue => "venue",
            DeclKind::Action => "action",
            DeclKind::Unit => "unit",
        }
    }
}

/// A simple declaration: `KIND name ["label"]`, and for events `by P after E...`.
#[derive(Clone, Debug)]
pub struct Decl {
    pub kind: DeclKind,
    pub name: Name,
    pub label: Option<Str>,
    /// Only events have these; the parser never fills them for other kinds.
    pub by: Option<Name>,
    pub after: Vec<Name>,
    pub span: Span,
}
eq_ignoring_span!(Decl {
    kind,
    name,
    label,
    by,
    after
});

#[derive(Clone, Debug)]
pub struct Group {
    pub name: Name,
    pub label: Option<Str>,
    pub members: Vec<Name>,
    pub span: Span,
}
eq_ignoring_span!(Group {
    name,
    label,
    members
});

#[derive(Clone, Debug)]
pub struct Let {
    pub name: Name,
    pub value: Expr,
    pub span: Span,
}
eq_ignoring_span!(Let { name, value });

#[derive(Clone, Debug)]
pub struct Fact {
    pub name: Name,
    pub label: Option<Str>,
    pub ty: TypeRef,
    pub default: Option<Expr>,
    pub span: Span,
}
eq_ignoring_span!(Fact {
    name,
    label,
    ty,
    default
});

/// A type as written after `fact NAME:`.
#[derive(Clone, Debug)]
pub struct TypeRef {
    pub kind: TypeName,
    pub span: Span,
}
eq_ignoring_span!(TypeRef { kind });

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeName {
    Money,
    Percent,
    Number,
    Bool,
    Date,
    Duration,
    /// A declared `unit`.
    Unit(Name),
}

// ---------------------------------------------------------------- clauses

#[derive(Clone, Debug)]
pub struct Clause {
    pub label: Option<Name>,
    pub body: ClauseBody,
    pub qualifiers: Vec<Qualifier>,
    pub span: Span,
}
eq_ignoring_span!(Clause {
    label,
    body,
    qualifiers
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modality {
    May,
    Must,
    MustNot,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClauseBody {
    /// `P may|must|must not A X`
    Act {
        modality: Modality,
        party: Name,
        action: Name,
        object: Object,
    },
    /// `P holds X` or, with `negated`, `P holds no X`.
    Holds {
        negated: bool,
        party: Name,
        object: Object,
    },
    /// `exclusive X`
    Exclusive { object: Object },
    /// `only P may A X`: an exclusive right of P (v2).
    Only {
        party: Name,
        action: Name,
        object: Object,
    },
}

impl ClauseBody {
    pub fn object(&self) -> &Object {
        match self {
            ClauseBody::Act { object, .. }
            | ClauseBody::Holds { object, .. }
            | ClauseBody::Exclusive { object }
            | ClauseBody::Only { object, .. } => object,
        }
    }

    /// The party the clause speaks of (none for an exclusivity).
    pub fn party(&self) -> Option<&Name> {
        match self {
            ClauseBody::Act { party, .. }
            | ClauseBody::Holds { party, .. }
            | ClauseBody::Only { party, .. } => Some(party),
            ClauseBody::Exclusive { .. } => None,
        }
    }

    /// The action (none for `holds` and `exclusive`).
    pub fn action(&self) -> Option<&Name> {
        match self {
            ClauseBody::Act { action, .. } | ClauseBody::Only { action, .. } => Some(action),
            ClauseBody::Holds { .. } | ClauseBody::Exclusive { .. } => None,
        }
    }

    /// Whether this is an obligation (`must`, not `must not`).
    pub fn is_must(&self) -> bool {
        matches!(
            self,
            ClauseBody::Act {
                modality: Modality::Must,
                ..
            }
        )
    }
}

/// `[quantity "of"] name`
#[derive(Clone, Debug)]
pub struct Object {
    /// A literal, a `let`/`fact` name, or a parenthesised expression.
    pub quantity: Option<Expr>,
    pub name: Name,
    pub span: Span,
}
eq_ignoring_span!(Object { quantity, name });

#[derive(Clone, Debug)]
pub struct Qualifier {
    pub kind: QualifierKind,
    pub span: Span,
}
eq_ignoring_span!(Qualifier { kind });

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QualifierKind {
    On(Vec<Name>),
    To(Vec<Name>),
    With(Vec<Name>),
    From(TimeExpr),
    Until(TimeExpr),
    /// A date expression (the checker rejects events here).
    Through(TimeExpr),
    /// An obligation's deadline.
    By(TimeExpr),
    /// `within D [after T]` (v2): a deadline D after a trigger, or on a
    /// recurring obligation D after each period.
    Within {
        duration: DurationLit,
        after: Option<TimeExpr>,
    },
    /// `every D` (v2): a recurring obligation.
    Every(DurationLit),
    /// `survives [D]` (v2): outlives the contract's end (by D).
    Survives(Option<DurationLit>),
    When(Expr),
    Unless(Expr),
    /// Labels of the clauses this one is an exception to.
    Notwithstanding(Vec<Name>),
}

impl QualifierKind {
    /// The time a `from`, `until`, `through`, `by` or `within … after`
    /// qualifier names.
    pub fn time(&self) -> Option<&TimeExpr> {
        match self {
            QualifierKind::From(time)
            | QualifierKind::Until(time)
            | QualifierKind::Through(time)
            | QualifierKind::By(time)
            | QualifierKind::Within {
                after: Some(time), ..
            } => Some(time),
            _ => None,
        }
    }

    pub fn keyword(&self) -> &'static str {
        match self {
            QualifierKind::On(_) => "on",
            QualifierKind::To(_) => "to",
            QualifierKind::With(_) => "with",
            QualifierKind::From(_) => "from",
            QualifierKind::Until(_) => "until",
            QualifierKind::Through(_) => "through",
            QualifierKind::By(_) => "by",
            QualifierKind::Within { .. } => "within",
            QualifierKind::Every(_) => "every",
            QualifierKind::Survives(_) => "survives",
            QualifierKind::When(_) => "when",
            QualifierKind::Unless(_) => "unless",
            QualifierKind::Notwithstanding(_) => "notwithstanding",
        }
    }
}

// ---------------------------------------------------------------- time

#[derive(Clone, Debug)]
pub struct TimeExpr {
    pub kind: TimeKind,
    pub span: Span,
}
eq_ignoring_span!(TimeExpr { kind });

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeKind {
    Date(NaiveDate),
    /// An event, or a `let` whose value is a date.
    Name(Name),
    /// `base + duration` / `base - duration`
    Shift {
        base: Box<TimeExpr>,
        sign: Sign,
        duration: DurationLit,
    },
    /// Whichever comes first.
    Or(Box<TimeExpr>, Box<TimeExpr>),
    /// Whichever comes last.
    And(Box<TimeExpr>, Box<TimeExpr>),
    Paren(Box<TimeExpr>),
}

/// The names a time mentions (events and `let` dates), in source order.
/// Iterative: times can nest deeply.
pub fn time_names(time: &TimeExpr) -> Vec<&Name> {
    let mut out = Vec::new();
    let mut stack = vec![time];
    while let Some(time) = stack.pop() {
        match &time.kind {
            TimeKind::Date(_) => {}
            TimeKind::Name(name) => out.push(name),
            TimeKind::Shift { base, .. } | TimeKind::Paren(base) => stack.push(base),
            TimeKind::Or(a, b) | TimeKind::And(a, b) => {
                stack.push(b);
                stack.push(a);
            }
        }
    }
    out
}

/// The labels a condition reads with `L is STATUS`, in source order.
/// Iterative: conditions can nest deeply.
pub fn status_labels(expr: &Expr) -> Vec<&Name> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::StatusIs { label, .. } => out.push(label),
            ExprKind::Literal(_) | ExprKind::Name(_) | ExprKind::EventBy { .. } => {}
            ExprKind::Unary { operand, .. } | ExprKind::Paren(operand) => stack.push(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            ExprKind::Extremum { args, .. } => stack.extend(args.iter().rev()),
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sign {
    Plus,
    Minus,
}

/// A date literal with its span.
#[derive(Clone, Debug)]
pub struct DateLit {
    pub date: NaiveDate,
    pub span: Span,
}
eq_ignoring_span!(DateLit { date });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Day,
    Week,
    Month,
    Year,
}

/// `N days`, as written (the unit word's plural is normalised away).
#[derive(Clone, Debug)]
pub struct DurationLit {
    pub amount: u32,
    pub unit: DurationUnit,
    pub span: Span,
}
eq_ignoring_span!(DurationLit { amount, unit });

impl DurationLit {
    /// The (months, days) pair with a shift's sign applied.
    pub fn signed_months_days(&self, sign: Sign) -> (i64, i64) {
        let (months, days) = self.months_days();
        match sign {
            Sign::Plus => (months, days),
            Sign::Minus => (-months, -days),
        }
    }

    /// The (months, days) pair of spec section 1.
    pub fn months_days(&self) -> (i64, i64) {
        let n = i64::from(self.amount);
        match self.unit {
            DurationUnit::Day => (0, n),
            DurationUnit::Week => (0, 7 * n),
            DurationUnit::Month => (n, 0),
            DurationUnit::Year => (12 * n, 0),
        }
    }
}

// ---------------------------------------------------------------- expressions

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}
eq_ignoring_span!(Expr { kind });

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Literal(Literal),
    /// A `let`, `fact` or event name.
    Name(Name),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Paren(Box<Expr>),
    /// `max(a, b, ...)` / `min(a, b, ...)` (v2).
    Extremum {
        which: Extremum,
        args: Vec<Expr>,
    },
    /// `E by T` in a condition (v2): E happened on or before both the day and T.
    EventBy {
        event: Name,
        deadline: TimeExpr,
    },
    /// `L is STATUS` in a condition (v2).
    StatusIs {
        label: Name,
        status: StatusWord,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extremum {
    Max,
    Min,
}

impl Extremum {
    pub fn keyword(self) -> &'static str {
        match self {
            Extremum::Max => "max",
            Extremum::Min => "min",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

/// How tightly an operator binds (spec section 5), loosest first. The one
/// definition behind the parser's operator table and the parentheses the
/// formatter writes, so the two can never disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precedence {
    Or,
    And,
    Not,
    Compare,
    Sum,
    Product,
    Neg,
    /// Literals, names and parenthesised expressions.
    Atom,
}

impl Precedence {
    /// Every level, loosest first.
    pub const ALL: [Precedence; 8] = [
        Precedence::Or,
        Precedence::And,
        Precedence::Not,
        Precedence::Compare,
        Precedence::Sum,
        Precedence::Product,
        Precedence::Neg,
        Precedence::Atom,
    ];
}

impl UnaryOp {
    pub const ALL: [UnaryOp; 2] = [UnaryOp::Neg, UnaryOp::Not];

    pub fn precedence(self) -> Precedence {
        match self {
            UnaryOp::Not => Precedence::Not,
            UnaryOp::Neg => Precedence::Neg,
        }
    }
}

impl BinaryOp {
    pub const ALL: [BinaryOp; 12] = [
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
    ];

    /// Every binary operator associates to the left; comparisons do not
    /// chain at all (the parser reports a second one).
    pub fn precedence(self) -> Precedence {
        match self {
            BinaryOp::Or => Precedence::Or,
            BinaryOp::And => Precedence::And,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => Precedence::Compare,
            BinaryOp::Add | BinaryOp::Sub => Precedence::Sum,
            BinaryOp::Mul | BinaryOp::Div => Precedence::Product,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}

/// A literal. Numeric literals keep their text so `fmt` writes them back as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    Number {
        value: Decimal,
        text: String,
    },
    /// `$135B`: the value in dollars, the text as written (with `$`).
    Money {
        value: Decimal,
        text: String,
    },
    /// `27%`: the value as a fraction (0.27), the text as written (with `%`).
    Percent {
        value: Decimal,
        text: String,
    },
    /// `5e26 flop`
    Quantity {
        value: Decimal,
        text: String,
        unit: Name,
    },
    Bool(bool),
    Date(NaiveDate),
    Duration(DurationLit),
    String(String),
}

// ---------------------------------------------------------------- queries

/// Qualifier slots of a query: each at most one member.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Slots {
    pub on: Option<Name>,
    pub to: Option<Name>,
    pub with: Option<Name>,
}

/// `may|must P A X [on V] [to R] [with W]`
#[derive(Clone, Debug)]
pub struct ActQuery {
    pub party: Name,
    pub action: Name,
    pub object: Name,
    pub slots: Slots,
    pub span: Span,
}
eq_ignoring_span!(ActQuery {
    party,
    action,
    object,
    slots
});

/// `holds P X [on V] [to R] [with W]`
#[derive(Clone, Debug)]
pub struct HoldsQuery {
    pub party: Name,
    pub object: Name,
    pub slots: Slots,
    pub span: Span,
}
eq_ignoring_span!(HoldsQuery {
    party,
    object,
    slots
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    May(ActQuery),
    Must(ActQuery),
    Holds(HoldsQuery),
    /// `status LABEL`
    Status(Name),
    Expr(Expr),
}

impl Query {
    pub fn span(&self) -> Span {
        match self {
            Query::May(q) | Query::Must(q) => q.span,
            Query::Holds(q) => q.span,
            Query::Status(n) => n.span,
            Query::Expr(e) => e.span,
        }
    }
}

// ---------------------------------------------------------------- scenarios

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: Name,
    pub label: Option<Str>,
    pub lines: Vec<ScenarioLine>,
    pub span: Span,
}
eq_ignoring_span!(Scenario { name, label, lines });

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioLine {
    /// `agi_verified on 2028-09-01`
    Event {
        name: Name,
        date: DateLit,
    },
    /// `training_compute = 5e26 flop`
    Fact {
        name: Name,
        value: Expr,
    },
    Record(Record),
    Expect(ExpectBlock),
}

/// A performance record: `PARTY ACTION [Q of] ASSET qualifier* on DATE`.
#[derive(Clone, Debug)]
pub struct Record {
    pub party: Name,
    pub action: Name,
    pub quantity: Option<Expr>,
    pub asset: Name,
    /// Informational (`on`, `to`, `with` only).
    pub qualifiers: Vec<Qualifier>,
    pub date: DateLit,
    pub span: Span,
}
eq_ignoring_span!(Record {
    party,
    action,
    quantity,
    asset,
    qualifiers,
    date
});

#[derive(Clone, Debug)]
pub struct ExpectBlock {
    pub at: DateLit,
    pub lines: Vec<Expectation>,
    pub span: Span,
}
eq_ignoring_span!(ExpectBlock { at, lines });

#[derive(Clone, Debug)]
pub struct Expectation {
    pub kind: ExpectKind,
    pub span: Span,
}
eq_ignoring_span!(Expectation { kind });

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectKind {
    /// A bare `may`/`must`/`holds` query: the answer must be yes.
    Yes(Query),
    /// `not QUERY`: the answer must be no.
    No(Query),
    /// `unspecified QUERY` (`may`/`holds` only).
    Unspecified(Query),
    /// `status LABEL is STATUS`
    Status { label: Name, status: StatusWord },
    /// A boolean expression that must be true.
    Expr(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObligationStatus {
    Inactive,
    Pending,
    Fulfilled,
    Violated,
}

impl ObligationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationStatus::Inactive => "inactive",
            ObligationStatus::Pending => "pending",
            ObligationStatus::Fulfilled => "fulfilled",
            ObligationStatus::Violated => "violated",
        }
    }
}

#[derive(Clone, Debug)]
pub struct StatusWord {
    pub status: ObligationStatus,
    pub span: Span,
}
eq_ignoring_span!(StatusWord { status });

// ---------------------------------------------------------------- assertions

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantifier {
    /// `always Q`: yes on every day of the window.
    Always,
    /// `always not Q`: no on every day of the window.
    AlwaysNot,
    /// `never Q`: never yes.
    Never,
}

/// `assert LABEL: (always [not] | never) QUERY window*`
#[derive(Clone, Debug)]
pub struct Assertion {
    pub label: Name,
    pub quantifier: Quantifier,
    pub query: Query,
    /// `from`, `until`, `through`, `when`, `unless` only.
    pub window: Vec<Qualifier>,
    pub span: Span,
}
eq_ignoring_span!(Assertion {
    label,
    quantifier,
    query,
    window
});
