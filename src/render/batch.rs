//! Many files on all cores: `deal check` and `deal test` hand each file to
//! a pool of threads and get one result per file back, in the order the
//! files were given (the sorted walk order), so that what they print does
//! not depend on which thread finished first.

use rayon::prelude::*;
use std::num::NonZeroUsize;

/// `--jobs N`: how many files are checked at once.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct JobsArgs {
    /// Files checked at once, each on its own thread (default: the number
    /// of cores). `--jobs 1` checks one file after another; the output is
    /// the same whatever the number.
    #[arg(long, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<NonZeroUsize>,
}

impl JobsArgs {
    /// The number of threads to use: as given, or one per core.
    pub fn threads(&self) -> NonZeroUsize {
        self.jobs
            .unwrap_or_else(|| std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN))
    }
}

fn parse_jobs(text: &str) -> Result<NonZeroUsize, String> {
    text.parse::<usize>()
        .ok()
        .and_then(NonZeroUsize::new)
        .ok_or_else(|| "give the number of files to check at once: 1 or more".to_string())
}

/// Stack of each worker thread: the main thread's usual 8 MiB, so that a
/// contract that checks on one thread (nesting up to the limits of
/// `crate::limits`, in an unoptimised build too) checks on any of them.
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

/// `per_file` applied to every file (a `DealFile` of the walk), on up to
/// `threads` threads, the results in the order of `files`. One thread runs on the calling thread,
/// with no pool. Each result is kept until all are done, as the callers
/// render them together: one result per file, as before files were checked
/// at once.
///
/// Ctrl-C keeps its default and ends the whole process, workers included.
/// A panic in `per_file` reaches the caller, as it would on one thread.
pub fn map_files<I, T, F>(files: &[I], threads: NonZeroUsize, per_file: F) -> Vec<T>
where
    I: Sync,
    T: Send,
    F: Fn(&I) -> T + Sync,
{
    let threads = threads.get().min(files.len());
    if threads <= 1 {
        return files.iter().map(per_file).collect();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK_BYTES)
        .thread_name(|i| format!("deal-check-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(|| files.par_iter().map(&per_file).collect()),
        // No threads to be had (a process limit): one file after another.
        Err(_) => files.iter().map(per_file).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_of_the_files() {
        let files: Vec<usize> = (0..200).collect();
        let results = |threads| {
            map_files(&files, NonZeroUsize::new(threads).unwrap(), |&i| {
                // Uneven work, so that threads finish out of order.
                std::hint::black_box((0..(i % 7) * 10_000).sum::<usize>());
                i * 2
            })
        };
        let expected: Vec<usize> = files.iter().map(|i| i * 2).collect();
        assert_eq!(results(1), expected);
        assert_eq!(results(4), expected);
    }

    #[test]
    fn zero_jobs_is_refused() {
        assert!(parse_jobs("0").is_err());
        assert!(parse_jobs("-1").is_err());
        assert!(parse_jobs("x").is_err());
        assert_eq!(parse_jobs("3").map(NonZeroUsize::get), Ok(3));
    }
}
