//! Value types and the typing rules of spec section 5, in one place: the
//! checker uses them statically and the evaluator dynamically, so the two can
//! never disagree.

use crate::ast::BinaryOp;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Money,
    Percent,
    Number,
    Bool,
    Date,
    Duration,
    /// A quantity of a declared unit, by the unit's name.
    Unit(String),
    /// A string literal (only ever compared for equality).
    Text,
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Type::Money => f.write_str("money"),
            Type::Percent => f.write_str("percent"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Date => f.write_str("date"),
            Type::Duration => f.write_str("duration"),
            Type::Unit(unit) => f.write_str(unit),
            Type::Text => f.write_str("string"),
        }
    }
}

impl Type {
    /// Quantities are what a number scales and what `+`/`-` combine.
    pub fn is_quantity(&self) -> bool {
        matches!(
            self,
            Type::Money | Type::Percent | Type::Number | Type::Unit(_)
        )
    }

    /// Values that `<` orders (and so `max`/`min` can pick from).
    pub fn is_comparable(&self) -> bool {
        !matches!(self, Type::Bool | Type::Text)
    }
}

/// The type of `lhs OP rhs`, or None when section 5 forbids the combination
/// (a `deal::type-mismatch`). `Duration * Number` is allowed here; that the
/// number is whole is an evaluation-time check.
pub fn binary_result(op: BinaryOp, lhs: &Type, rhs: &Type) -> Option<Type> {
    use Type::*;
    match op {
        BinaryOp::Or | BinaryOp::And => (lhs == &Bool && rhs == &Bool).then_some(Bool),
        BinaryOp::Eq | BinaryOp::Ne => (lhs == rhs).then_some(Bool),
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            (lhs == rhs && lhs.is_comparable()).then_some(Bool)
        }
        BinaryOp::Add | BinaryOp::Sub => match (lhs, rhs) {
            (Date, Duration) => Some(Date),
            (Duration, Date) if op == BinaryOp::Add => Some(Date),
            (Date, Date) if op == BinaryOp::Sub => Some(Duration),
            (Duration, Duration) => Some(Duration),
            (a, b) if a == b && a.is_quantity() => Some(a.clone()),
            _ => None,
        },
        BinaryOp::Mul => match (lhs, rhs) {
            (Number, other) | (other, Number) if other.is_quantity() || other == &Duration => {
                Some(other.clone())
            }
            (Money, Percent) | (Percent, Money) => Some(Money),
            (Percent, Percent) => Some(Percent),
            _ => None,
        },
        BinaryOp::Div => match (lhs, rhs) {
            (Money, Percent) => Some(Money),
            (a, Number) if a.is_quantity() => Some(a.clone()),
            (a, b) if a == b && a.is_quantity() => Some(Number),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;
    use Type::*;

    #[test]
    fn section_five_table() {
        assert_eq!(binary_result(Div, &Money, &Percent), Some(Money));
        assert_eq!(binary_result(Mul, &Money, &Percent), Some(Money));
        assert_eq!(binary_result(Mul, &Percent, &Money), Some(Money));
        assert_eq!(binary_result(Mul, &Percent, &Percent), Some(Percent));
        assert_eq!(
            binary_result(Mul, &Number, &Unit("flop".into())),
            Some(Unit("flop".into()))
        );
        assert_eq!(binary_result(Div, &Money, &Money), Some(Number));
        assert_eq!(
            binary_result(Div, &Unit("flop".into()), &Number),
            Some(Unit("flop".into()))
        );
        assert_eq!(binary_result(Sub, &Date, &Date), Some(Duration));
        assert_eq!(binary_result(Add, &Date, &Duration), Some(Date));
        assert_eq!(binary_result(Mul, &Duration, &Number), Some(Duration));
        assert_eq!(binary_result(Add, &Money, &Percent), None);
        assert_eq!(binary_result(Mul, &Money, &Money), None);
        assert_eq!(binary_result(Div, &Percent, &Money), None);
        assert_eq!(binary_result(Lt, &Money, &Money), Some(Bool));
        assert_eq!(binary_result(Lt, &Money, &Number), None);
        assert_eq!(
            binary_result(Add, &Unit("flop".into()), &Unit("token".into())),
            None
        );
    }
}
