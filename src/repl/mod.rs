//! `deal repl [FILE]`: where analysts live. A session holds a contract (the
//! file plus items typed since), a day and a scenario; each line is a query
//! or expression (answered and explained as `deal query` does), items to
//! add, or a `:command`. On a terminal, rustyline edits the lines; otherwise
//! every line of stdin is run in batch mode.
//!
//! - `session`: the state and what a line does to it (no I/O but reading
//!   contract files).
//! - `commands`: the `:` commands.
//! - `helper`: completion, hints, highlighting and the multi-line validator.
//! - `loop`: the interactive and batch loops, and the history file.

pub mod commands;
pub mod helper;
#[path = "loop.rs"]
pub mod repl_loop;
pub mod session;

pub use commands::{COMMANDS, CommandInfo};
pub use helper::{DealHelper, Vocabulary};
pub use repl_loop::{HistoryFile, batch, history_path, interactive, run};
pub use session::{Problem, Reply, Session};
