//! A portfolio as CI lints it on every push: `deal check DIR` of 2,000
//! contracts, through the release binary, with `--jobs 1` and `--jobs 2`.
//! Throughput is in files per second.
//!
//! The contracts are generated (`common::contract`, 8 to 64 clauses) with
//! a copy of a bundled example every 25th file and an undeclared name
//! every 10th, so some files are reported and the rest check clean. They
//! are written to a temporary directory, or to `DEAL_PORTFOLIO_DIR` when
//! set, which is then kept (to time the same files with hyperfine).
//!
//! cargo bench --bench portfolio -- --warm-up-time 1 --measurement-time 3

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const FILES: usize = 2_000;

/// Write the portfolio under `dir`, in 20 subdirectories of 100 files.
fn write_portfolio(dir: &Path) -> std::io::Result<()> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut bundled: Vec<PathBuf> = std::fs::read_dir(&examples)?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "deal"))
        .collect();
    bundled.sort();
    for i in 0..FILES {
        let folder = dir.join(format!("team{:02}", i / 100));
        std::fs::create_dir_all(&folder)?;
        let text = match bundled.get(i / 25 % bundled.len().max(1)) {
            Some(example) if i % 25 == 0 => std::fs::read_to_string(example)?,
            _ => {
                let mut text = common::contract(8 * (1 + i % 8));
                if i % 10 == 3 {
                    text.push_str("late: p1 may act1 a0 on nowhere\n");
                }
                text
            }
        };
        std::fs::write(folder.join(format!("contract{i:04}.deal")), text)?;
    }
    Ok(())
}

fn portfolio(c: &mut Criterion) {
    let kept = std::env::var_os("DEAL_PORTFOLIO_DIR").map(PathBuf::from);
    let temporary = tempfile::tempdir().expect("a temporary directory");
    let dir = kept.as_deref().unwrap_or(temporary.path());
    write_portfolio(dir).expect("the portfolio is written");

    let binary = env!("CARGO_BIN_EXE_deal");
    let mut group = c.benchmark_group("check_portfolio");
    group.sample_size(10);
    group.throughput(Throughput::Elements(FILES as u64));
    for jobs in ["1", "2"] {
        group.bench_function(format!("jobs_{jobs}"), |b| {
            b.iter(|| {
                let status = Command::new(binary)
                    .args(["check", "--jobs", jobs])
                    .arg(dir)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .expect("deal runs");
                // Exit 1: the files with an undeclared name are reported.
                assert_eq!(status.code(), Some(1));
            })
        });
    }
    group.finish();
}

criterion_group!(benches, portfolio);
criterion_main!(benches);
