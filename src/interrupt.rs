//! Ctrl-C during a long evaluation in the interactive REPL. The REPL asks
//! for a flag to be set on SIGINT instead of dying; the long loops of the
//! library (representative futures, "what would change this", lints) stop
//! early once it is set, and the REPL throws away what the line computed,
//! keeping the session as it was before the line.
//!
//! Everywhere else SIGINT keeps its default and ends the process, so the
//! flag is never set and these checks cost one relaxed load.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether an interrupt arrived since the last `take`.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Whether an interrupt arrived since the last `take`, clearing it.
pub fn take() -> bool {
    REQUESTED.swap(false, Ordering::Relaxed)
}

/// From now on SIGINT sets the flag instead of ending the process.
#[cfg(unix)]
pub fn catch_sigint() {
    extern "C" fn on_sigint(_signal: libc::c_int) {
        // A lock-free atomic store is async-signal-safe.
        REQUESTED.store(true, Ordering::Relaxed);
    }
    let handler: extern "C" fn(libc::c_int) = on_sigint;
    // SAFETY: the handler only stores to an atomic; installing it has no
    // other effect on the process.
    unsafe {
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
    }
}

#[cfg(not(unix))]
pub fn catch_sigint() {}
