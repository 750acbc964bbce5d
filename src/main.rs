use clap::Parser;
use deal::cli::{Cli, run};

fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    run(Cli::parse()).into()
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`deal test … | head`)
/// would panic in `println!`. A command-line tool should end quietly
/// instead, as every other Unix filter does.
#[cfg(unix)]
fn restore_default_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists;
    // setting a signal's disposition to its default has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}

/// glibc's allocator spends about a tenth of `deal check`'s instructions on
/// a large contract (many small names and maps); mimalloc does the same work
/// in about half (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
