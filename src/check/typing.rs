//! Types (spec section 5): expressions, `let` values (inferred, in dependency
//! order, cycles refused), facts and their defaults. The rules themselves are
//! `crate::types::binary_result`; this module applies them and explains a
//! mismatch on both operands.

use super::resolve::{One, Place, Role};
use super::{Checker, LetInfo, MAX_DEPTH, graph};
use crate::ast::{
    BinaryOp, Expr, ExprKind, Fact, File, ItemKind, Let, Literal, Name, TypeName, TypeRef, UnaryOp,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::symbols::{SymbolKind, Symbols};
use crate::types::{Type, binary_result};
use rustc_hash::FxHashMap;

/// How a type reads in a message: "money", "a number", "flop".
pub(crate) fn phrase(ty: &Type) -> String {
    match ty {
        Type::Money | Type::Percent | Type::Unit(_) => ty.to_string(),
        Type::Number | Type::Bool | Type::Date | Type::Duration => format!("a {ty}"),
        Type::Text => "a string".to_string(),
    }
}

/// The type a fact declares, when its unit (if any) is a declared unit.
pub(crate) fn type_of_ref(symbols: &Symbols, ty: &TypeRef) -> Option<Type> {
    Some(match &ty.kind {
        TypeName::Money => Type::Money,
        TypeName::Percent => Type::Percent,
        TypeName::Number => Type::Number,
        TypeName::Bool => Type::Bool,
        TypeName::Date => Type::Date,
        TypeName::Duration => Type::Duration,
        TypeName::Unit(unit) => {
            if symbols.kind(&unit.text) != Some(SymbolKind::Unit) {
                return None;
            }
            Type::Unit(unit.text.clone())
        }
    })
}

/// The declaration of a fact, by name (its first declaration).
pub(crate) fn fact_decl<'f>(symbols: &Symbols, file: &'f File, fact: &str) -> Option<&'f Fact> {
    let symbol = symbols.get(fact)?;
    if symbol.kind != SymbolKind::Fact {
        return None;
    }
    match &file.items.get(symbol.item?)?.kind {
        ItemKind::Fact(decl) => Some(decl),
        _ => None,
    }
}

pub(crate) fn declared_fact_type(symbols: &Symbols, file: &File, fact: &str) -> Option<Type> {
    type_of_ref(symbols, &fact_decl(symbols, file, fact)?.ty)
}

/// Every name an expression mentions, in source order (units of quantity
/// literals aside). Iterative: depth is no concern here.
pub fn names_in(expr: &Expr) -> Vec<&Name> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::Name(name) => out.push(name),
            ExprKind::Literal(_) => {}
            ExprKind::Unary { operand, .. } => stack.push(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                stack.push(rhs);
                stack.push(lhs);
            }
            ExprKind::Paren(inner) => stack.push(inner),
            ExprKind::Extremum { args, .. } => stack.extend(args.iter().rev()),
            ExprKind::EventBy { event, deadline } => {
                out.push(event);
                out.extend(crate::ast::time_names(deadline));
            }
            // A label lives in its own namespace: not a value name.
            ExprKind::StatusIs { .. } => {}
        }
    }
    out
}

impl Checker<'_> {
    /// The static type of an expression, reporting what is wrong inside it.
    pub(crate) fn type_expr(&mut self, expr: &Expr) -> Option<Type> {
        self.type_at(expr, 0)
    }

    /// Type an expression that must have one particular type; reports a
    /// mismatch with `context` ("a condition", "the default of `x`").
    pub(crate) fn expect_type(
        &mut self,
        expr: &Expr,
        expected: &Type,
        context: &str,
    ) -> Option<Type> {
        let ty = self.type_expr(expr)?;
        if &ty != expected {
            self.report(Diagnostic::new(
                Code::TypeMismatch,
                format!(
                    "{context} must be {}, but this is {}",
                    phrase(expected),
                    phrase(&ty)
                ),
                expr.span,
                format!("this is {}", phrase(&ty)),
            ));
            return None;
        }
        Some(ty)
    }

    /// A `when`/`unless` condition or an expectation: a bool.
    pub(crate) fn expect_bool(&mut self, expr: &Expr, context: &str) -> bool {
        self.expect_type(expr, &Type::Bool, context).is_some()
    }

    /// A `let` value or a fact's default: a value, where the condition
    /// atoms `E by T` and `L is STATUS` (which depend on the day) cannot
    /// stand.
    pub(crate) fn type_value(&mut self, expr: &Expr) -> Option<Type> {
        let mut stack = vec![expr];
        let mut atoms = Vec::new();
        while let Some(expr) = stack.pop() {
            match &expr.kind {
                ExprKind::EventBy { .. } | ExprKind::StatusIs { .. } => atoms.push(expr.span),
                ExprKind::Unary { operand, .. } | ExprKind::Paren(operand) => stack.push(operand),
                ExprKind::Binary { lhs, rhs, .. } => {
                    stack.push(lhs);
                    stack.push(rhs);
                }
                ExprKind::Extremum { args, .. } => stack.extend(args),
                ExprKind::Literal(_) | ExprKind::Name(_) => {}
            }
        }
        for span in &atoms {
            self.report(
                Diagnostic::new(
                    Code::WrongKind,
                    "a condition on an event's date or an obligation's status cannot be a named value",
                    *span,
                    "a condition, not a value",
                )
                .with_help("write it in the `when` or `unless` of the clause that needs it"),
            );
        }
        if atoms.is_empty() {
            self.type_expr(expr)
        } else {
            None
        }
    }

    fn type_at(&mut self, expr: &Expr, depth: usize) -> Option<Type> {
        if depth > MAX_DEPTH {
            self.nested_too_deeply(expr.span);
            return None;
        }
        match &expr.kind {
            ExprKind::Literal(literal) => self.literal_type(literal),
            ExprKind::Name(name) => self.name_type(name),
            ExprKind::Paren(inner) => self.type_at(inner, depth + 1),
            ExprKind::Unary { op, operand } => {
                let ty = self.type_at(operand, depth + 1)?;
                let fits = match op {
                    UnaryOp::Neg => ty.is_quantity() || ty == Type::Duration,
                    UnaryOp::Not => ty == Type::Bool,
                };
                if fits {
                    return Some(ty);
                }
                let message = match op {
                    UnaryOp::Neg => format!("cannot negate {}", phrase(&ty)),
                    UnaryOp::Not => format!("`not` needs a bool, but this is {}", phrase(&ty)),
                };
                self.report(Diagnostic::new(
                    Code::TypeMismatch,
                    message,
                    operand.span,
                    format!("this is {}", phrase(&ty)),
                ));
                None
            }
            ExprKind::Extremum { which, args } => {
                let mut first: Option<(Type, &Expr)> = None;
                let mut fits = true;
                for arg in args {
                    let Some(ty) = self.type_at(arg, depth + 1) else {
                        fits = false;
                        continue;
                    };
                    match &first {
                        None => first = Some((ty, arg)),
                        Some((want, at)) if *want != ty => {
                            fits = false;
                            self.report(
                                Diagnostic::new(
                                    Code::TypeMismatch,
                                    format!(
                                        "`{}` compares values of one type, but this is {} and the first is {}",
                                        which.keyword(),
                                        phrase(&ty),
                                        phrase(want)
                                    ),
                                    arg.span,
                                    format!("this is {}", phrase(&ty)),
                                )
                                .with_label(at.span, format!("this is {}", phrase(want))),
                            );
                        }
                        Some(_) => {}
                    }
                }
                let (ty, _) = first?;
                if !ty.is_comparable() {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            format!("`{}` needs values that can be ordered, but these are {}", which.keyword(), phrase(&ty)),
                            expr.span,
                            format!("{} cannot be ordered", phrase(&ty)),
                        )
                        .with_help("`max` and `min` take money, percents, numbers, unit quantities, dates or durations"),
                    );
                    return None;
                }
                fits.then_some(ty)
            }
            ExprKind::EventBy { event, deadline } => {
                self.resolve(event, Place::one(Role::Event, One::Condition));
                self.check_time(deadline);
                Some(Type::Bool)
            }
            ExprKind::StatusIs { label, .. } => {
                self.check_status_label(label);
                Some(Type::Bool)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let left = self.type_at(lhs, depth + 1);
                let right = self.type_at(rhs, depth + 1);
                let (left, right) = (left?, right?);
                let result = binary_result(*op, &left, &right);
                if result.is_none() {
                    self.binary_mismatch(*op, (lhs.span, &left), (rhs.span, &right));
                }
                result
            }
        }
    }

    fn literal_type(&mut self, literal: &Literal) -> Option<Type> {
        Some(match literal {
            Literal::Number { .. } => Type::Number,
            Literal::Money { .. } => Type::Money,
            Literal::Percent { .. } => Type::Percent,
            Literal::Quantity { unit, .. } => {
                self.resolve(unit, Place::of(Role::Unit))?;
                Type::Unit(unit.text.clone())
            }
            Literal::Bool(_) => Type::Bool,
            Literal::Date(_) => Type::Date,
            Literal::Duration(_) => Type::Duration,
            Literal::String(_) => Type::Text,
        })
    }

    fn name_type(&mut self, name: &Name) -> Option<Type> {
        match self.resolve(name, Place::of(Role::Value))? {
            SymbolKind::Let => self.lets.get(&name.text).and_then(|info| info.ty.clone()),
            SymbolKind::Fact => declared_fact_type(self.symbols, self.file, &name.text),
            // An event in an expression: has it happened yet?
            SymbolKind::Event => Some(Type::Bool),
            _ => None,
        }
    }

    fn binary_mismatch(
        &mut self,
        op: BinaryOp,
        (lspan, left): (Span, &Type),
        (rspan, right): (Span, &Type),
    ) {
        let (l, r) = (phrase(left), phrase(right));
        let message = match op {
            BinaryOp::Add => format!("cannot add {l} and {r}"),
            BinaryOp::Sub => format!("cannot subtract {r} from {l}"),
            BinaryOp::Mul => format!("cannot multiply {l} by {r}"),
            BinaryOp::Div => format!("cannot divide {l} by {r}"),
            BinaryOp::And | BinaryOp::Or => {
                format!("`{}` needs two bools, but got {l} and {r}", op.symbol())
            }
            _ if left == right => format!("cannot order {l} values with `{}`", op.symbol()),
            _ => format!("cannot compare {l} with {r}"),
        };
        let mut diagnostic =
            Diagnostic::new(Code::TypeMismatch, message, lspan, format!("this is {l}"))
                .with_label(rspan, format!("this is {r}"));
        if let Some(help) = mismatch_help(op, left, right) {
            diagnostic = diagnostic.with_help(help);
        }
        self.report(diagnostic);
    }

    /// Whether an expression depends on the scenario: it uses a fact or an
    /// event, directly or through `let` values.
    pub(crate) fn uses_fact_or_event(&self, expr: &Expr) -> bool {
        names_in(expr)
            .iter()
            .any(|name| match self.symbols.kind(&name.text) {
                Some(SymbolKind::Fact | SymbolKind::Event) => true,
                Some(SymbolKind::Let) => {
                    self.lets.get(&name.text).is_some_and(|info| !info.constant)
                }
                _ => false,
            })
    }

    /// Type every `let` in dependency order, so each is typed once and a use
    /// finds its type ready; a cycle is reported and its members stay untyped.
    pub(crate) fn infer_lets(&mut self) {
        let file = self.file;
        let mut lets: Vec<&Let> = Vec::new();
        let mut later: Vec<&Let> = Vec::new();
        let mut node_of: FxHashMap<&str, usize> = FxHashMap::default();
        for (index, item) in file.items.iter().enumerate() {
            if let ItemKind::Let(value) = &item.kind {
                if self.symbols.get(&value.name.text).and_then(|s| s.item) == Some(index) {
                    node_of.insert(value.name.text.as_str(), lets.len());
                    lets.push(value);
                } else {
                    later.push(value);
                }
            }
        }
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); lets.len()];
        let mut uses: FxHashMap<(usize, usize), Span> = FxHashMap::default();
        for (from, value) in lets.iter().enumerate() {
            for name in names_in(&value.value) {
                if let Some(&to) = node_of.get(name.text.as_str()) {
                    if let Some(out) = edges.get_mut(from) {
                        out.push(to);
                    }
                    uses.entry((from, to)).or_insert(name.span);
                }
            }
        }
        for cycle in graph::cycles(&edges) {
            self.report_let_cycle(&cycle, &lets, &uses);
        }
        for component in graph::components(&edges) {
            let cyclic = graph::is_cyclic(&component, &edges);
            for node in component {
                let Some(value) = lets.get(node) else {
                    continue;
                };
                let ty = self.type_value(&value.value);
                let constant = !self.uses_fact_or_event(&value.value);
                let info = if cyclic {
                    // Reported above; `constant` so no condition repeats it.
                    LetInfo {
                        ty: None,
                        constant: true,
                    }
                } else {
                    LetInfo { ty, constant }
                };
                self.lets.insert(value.name.text.clone(), info);
            }
        }
        // A duplicate `let` is reported as such; its value is still checked.
        for value in later {
            self.type_value(&value.value);
        }
    }

    fn report_let_cycle(
        &mut self,
        cycle: &[usize],
        lets: &[&Let],
        uses: &FxHashMap<(usize, usize), Span>,
    ) {
        // Spelled from the use that closes the cycle, the last in the file.
        let cycle = &graph::start_at_last_link(cycle, |from, to| {
            uses.get(&(from, to)).map_or(0, |span| span.start)
        });
        let names: Vec<&str> = cycle
            .iter()
            .filter_map(|&node| lets.get(node).map(|l| l.name.text.as_str()))
            .collect();
        let message = match names.as_slice() {
            [single, _] if cycle.len() == 2 && cycle.first() == cycle.get(1) => {
                format!("`{single}` is defined in terms of itself")
            }
            _ => format!("`let` values form a cycle: {}", names.join(" → ")),
        };
        let mut labels = cycle.windows(2).filter_map(|pair| match pair {
            [from, to] => {
                let span = uses.get(&(*from, *to))?;
                let name = lets.get(*to)?.name.text.as_str();
                Some((*span, format!("uses `{name}`")))
            }
            _ => None,
        });
        let Some((span, label)) = labels.next() else {
            return;
        };
        let mut diagnostic = Diagnostic::new(Code::LetCycle, message, span, label).with_help(
            "a `let` value cannot depend on itself; compute one of them without the others",
        );
        for (span, label) in labels {
            diagnostic = diagnostic.with_label(span, label);
        }
        self.report(diagnostic);
    }

    /// A fact's unit is declared; its default has the declared type and is a
    /// constant (a default cannot depend on the scenario it stands in for).
    pub(crate) fn check_fact(&mut self, fact: &Fact) {
        if let TypeName::Unit(unit) = &fact.ty.kind {
            self.resolve(unit, Place::of(Role::Unit));
        }
        let Some(default) = &fact.default else { return };
        let declared = type_of_ref(self.symbols, &fact.ty);
        let Some(ty) = self.type_value(default) else {
            return;
        };
        if let Some(declared) = declared
            && ty != declared
        {
            self.report(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!(
                        "`{}` is {}, but its default is {}",
                        fact.name,
                        phrase(&declared),
                        phrase(&ty)
                    ),
                    default.span,
                    format!("this is {}", phrase(&ty)),
                )
                .with_label(fact.ty.span, format!("declared {} here", phrase(&declared))),
            );
            return;
        }
        if self.uses_fact_or_event(default) {
            self.report(
                Diagnostic::new(
                    Code::Undecidable,
                    format!("the default of `{}` depends on the scenario", fact.name),
                    default.span,
                    "uses a fact or an event",
                )
                .with_help("a default is what a scenario that says nothing gets: write a constant"),
            );
        }
    }
}

/// A fix for the usual slips: a bare number where money or a percent is meant.
fn mismatch_help(op: BinaryOp, left: &Type, right: &Type) -> Option<String> {
    let additive = matches!(op, BinaryOp::Add | BinaryOp::Sub) || op.is_comparison();
    match (left, right) {
        (Type::Money, Type::Number) | (Type::Number, Type::Money) if additive => {
            Some("write amounts of money with `$`, e.g. `$100B`".to_string())
        }
        (Type::Percent, Type::Number) | (Type::Number, Type::Percent) if additive => {
            Some("write percentages with `%`, e.g. `27%`".to_string())
        }
        (Type::Unit(unit), Type::Number) | (Type::Number, Type::Unit(unit)) if additive => Some(
            format!("write the quantity with its unit, e.g. `5e26 {unit}`"),
        ),
        (Type::Unit(a), Type::Unit(b)) if a != b => {
            Some(format!("`{a}` and `{b}` are different units"))
        }
        (Type::Date, Type::Number) if additive => {
            Some("add a duration to a date, e.g. `30 days`".to_string())
        }
        (Type::Money, Type::Money) if op == BinaryOp::Mul => {
            Some("money is scaled by a number or a percent".to_string())
        }
        (Type::Bool, Type::Bool) if op.is_comparison() => {
            Some("bools are compared with `==` or `!=`".to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Run;
    use super::MAX_DEPTH;
    use crate::ast::{Expr, ExprKind, File, Literal};
    use crate::diagnostic::Code;
    use crate::source::Span;
    use crate::symbols::Symbols;

    #[test]
    fn type_mismatches_everywhere() {
        let cases = [
            (
                "let a = revenue > 5\n",
                "cannot compare money with a number",
            ),
            ("let a = 2030-01-01 + 5\n", "cannot add a date and a number"),
            (
                "let a = training_compute + 5e26\n",
                "cannot add flop and a number",
            ),
            ("let a = -safe\n", "cannot negate a bool"),
            (
                "let a = not revenue\n",
                "`not` needs a bool, but this is money",
            ),
            (
                "let a = safe and revenue\n",
                "`and` needs two bools, but got a bool and money",
            ),
            (
                "let a = stake / revenue\n",
                "cannot divide percent by money",
            ),
            (
                "openai may host api when revenue\n",
                "a condition must be a bool, but this is money",
            ),
            (
                "fact f: money = 27%\n",
                "`f` is money, but its default is percent",
            ),
            (
                "openai must purchase 27% of api\n",
                "an obligation's quantity is money, a number or a unit, but this is percent",
            ),
            (
                "microsoft holds $5B of openai\n",
                "a stake in `openai` is a percent, but this is money",
            ),
            (
                "openai may host api until stake\n",
                "`stake` is percent, but a date is expected here",
            ),
            (
                "scenario s {\n  expect at 2030-01-01 {\n    stake_value\n  }\n}\n",
                "an expectation must be a bool, but this is money",
            ),
        ];
        for (line, message) in cases {
            let run = Run::with(line);
            assert_eq!(run.only(Code::TypeMismatch).message, message, "{line}");
        }
    }

    #[test]
    fn well_typed_expressions() {
        let run = Run::with(
            "let a = stake_value / stake\n\
             let b = stake_value * stake + $1\n\
             let c = 2030-01-01 + 3 months - 2030-01-01\n\
             let d = c * 2 + 1 week\n\
             let e = training_compute / compute_threshold * 2\n\
             let f = (a == $500B) and not safe or agi_verified\n\
             let g = -stake_value\n\
             fact h: percent = 5%\n\
             openai must purchase $250B of api by agi_verified + 30 days\n\
             openai must purchase 5e26 flop of api\n\
             microsoft holds 27% of openai\n\
             microsoft holds stake of openai\n",
        );
        assert_eq!(run.diagnostics, vec![]);
    }

    #[test]
    fn let_values_may_come_in_any_order() {
        let run = Run::with("let z = y * 2\nlet y = x + $1\nlet x = $5\nlet w = z > $1\n");
        assert_eq!(run.diagnostics, vec![]);
    }

    #[test]
    fn fact_defaults_are_constants() {
        let run = Run::with("fact later: money = revenue\n");
        assert_eq!(
            run.only(Code::Undecidable).message,
            "the default of `later` depends on the scenario"
        );
    }

    #[test]
    fn let_types_feed_their_uses() {
        let run = Run::with("let half = stake / 2\nlet wrong = half + $1\n");
        assert_eq!(
            run.only(Code::TypeMismatch).message,
            "cannot add percent and money"
        );
    }

    #[test]
    fn mismatch_helps() {
        let run = Run::with("openai may host api when revenue > 100\n");
        assert_eq!(
            run.only(Code::TypeMismatch).help.as_deref(),
            Some("write amounts of money with `$`, e.g. `$100B`")
        );
        let run = Run::with("unit token\nlet l = 5 token + 5 flop\n");
        assert_eq!(
            run.only(Code::TypeMismatch).help.as_deref(),
            Some("`token` and `flop` are different units")
        );
    }

    /// The parser refuses trees this deep; one built another way is refused
    /// with a diagnostic, not a stack overflow.
    #[test]
    fn deep_trees_are_refused_not_overflowed() {
        let span = Span::new(0, 1);
        let mut expr = Expr {
            kind: ExprKind::Literal(Literal::Bool(true)),
            span,
        };
        for _ in 0..MAX_DEPTH + 10 {
            expr = Expr {
                kind: ExprKind::Paren(Box::new(expr)),
                span,
            };
        }
        let file = File::default();
        let symbols = Symbols::build(&file, |_| 1);
        assert_eq!(crate::check::type_of(&symbols, &file, &expr), None);
        let diagnostics =
            crate::check::check_query(&symbols, &file, &crate::ast::Query::Expr(expr));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::Limit);
    }
}
