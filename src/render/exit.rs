//! How a front end's run ends: the process status CI relies on.

use super::files::IoProblem;

/// Process exit status, as CI relies on it (spec section 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Clean.
    Success = 0,
    /// An error was reported (or a warning under `--deny warnings`, a failed
    /// expectation or assertion, `fmt --check` finding a change).
    Failure = 1,
    /// Usage or I/O error.
    Usage = 2,
}

impl Exit {
    /// The worse of two outcomes.
    pub fn max(self, other: Exit) -> Exit {
        if (other as u8) > (self as u8) {
            other
        } else {
            self
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

/// Report an I/O or usage problem on one line, the way `cargo` does.
pub fn report_problem(problem: &IoProblem) -> Exit {
    eprintln!("error: {problem}");
    Exit::Usage
}
