//! Resource limits. Each is enforced with a clear diagnostic (`deal::limit`)
//! rather than a crash, a stack overflow or a hang.

/// Largest source file read, in bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Deepest nesting of parentheses and braces the parser accepts. The grammar
/// is recursive, so deeper input is refused before parsing starts.
pub const MAX_NESTING: usize = 64;

/// Largest decimal exponent of a number's magnitude: 9.99e100 is fine, 1e101
/// is out of range (for literals and for results alike).
pub const MAX_DECIMAL_EXPONENT: i64 = 100;

/// Most significant digits a numeric literal may carry.
pub const MAX_DECIMAL_DIGITS: u64 = 100;

/// Deepest expression or time tree the parser builds (operators, prefixes
/// and parentheses together). Passes that recurse over expressions rely on
/// it; deeper input is refused with a diagnostic.
pub const MAX_EXPRESSION_DEPTH: usize = 256;

/// Most representative states (worlds) one analysis may enumerate: an
/// assertion, `deal explore`, or a lint question. Past it the analysis stops
/// with `deal::limit`, naming the events involved, rather than run for hours.
pub const MAX_FUTURES: usize = 2_000_000;

/// Work `deal explore` may do before it stops with `deal::limit`: each
/// answer it asks counts (matching clauses + 1) x (events and facts in
/// scope + 1). The number of answers alone (`MAX_FUTURES`) let 300 clauses
/// over 8 events run for 40 s before the refusal.
pub const MAX_EXPLORE_WORK: u64 = 2_000_000;

/// Representative states the lints of one contract may enumerate in all
/// (each question's bound counted before it is asked), plus
/// `MAX_LINT_FUTURES_PER_CLAUSE` for each clause. Each question alone stays
/// under `MAX_FUTURES`, but a contract of many clauses over many events
/// asked thousands of them (20 events, 10 clauses: 50 s). Past the budget
/// the remaining questions are not asked and one `deal::limit` says so.
pub const MAX_LINT_FUTURES: u64 = 1_000_000;

/// What each clause adds to `MAX_LINT_FUTURES`, so that large contracts of
/// ordinary clauses (a dozen states per question) are always linted.
pub const MAX_LINT_FUTURES_PER_CLAUSE: u64 = 100;

/// Bytes of contract text the REPL may re-check for typed items between two
/// loads of the contract. Each typed item is checked and linted with the
/// whole contract, so a long paste of items cost items x contract size
/// (3,000 `party` lines: 22 s; 3,000 clauses: minutes). Past it, typed
/// items are refused with `deal::limit`; `:load` starts a new budget.
pub const MAX_TYPED_RECHECK_BYTES: usize = 4 * 1024 * 1024;

/// Most diagnostics drawn for one file in human output (the first ones, in
/// source order); a line then says how many more there are. Counts and
/// exit status cover them all, and `--format json` lists them all.
pub const MAX_RENDERED_DIAGNOSTICS: usize = 200;

/// Periods of one recurring obligation enumerated up to a day: `every 1 day`
/// over three centuries stays under it. Past it: `deal::limit`.
pub const MAX_INSTANCES: usize = 100_000;

/// Clauses whose answer timeline `deal lsp` explores for its code lenses
/// in one request (the first ones in the file): each answer costs more in
/// a contract of many clauses, so the answers alone do not bound the work.
pub const MAX_LENS_EXPLORATIONS: usize = 64;

/// Answers the code lenses of one `deal lsp` request may ask in all, to
/// draw the answer timelines of clauses (`analysis::explore_within`); an
/// editor asks for lenses after every pause in typing. Past it, the
/// remaining clauses' lenses point to `deal explore`, which may ask
/// `MAX_FUTURES` for one question.
pub const MAX_LENS_FUTURES: u64 = 5_000;

/// What one clause's lens may take of `MAX_LENS_FUTURES`, so that one
/// clause over many events does not use up the lenses of the others. The
/// examples' clauses need a few hundred.
pub const MAX_LENS_FUTURES_PER_CLAUSE: u64 = 1_000;
