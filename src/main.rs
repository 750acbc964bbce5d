use clap::Parser;
use deal::cli::{Cli, run};

fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    ignore_file_size_signal();
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

/// Past a file size limit (`ulimit -f`) the kernel kills the writer with
/// SIGXFSZ, leaving its temporary file behind and no message. Ignored, the
/// write fails with EFBIG instead: the temporary file is removed and the
/// error reported, exit 2, like any other failed write.
#[cfg(unix)]
fn ignore_file_size_signal() {
    // SAFETY: called first thing in `main`, before any other thread exists;
    // ignoring a signal has no other effect.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_file_size_signal() {}
