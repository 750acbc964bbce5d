//! Any text: parsing returns a tree or diagnostics, never panics, every
//! diagnostic renders (miette must accept its spans), and the grammar's fast
//! path reads the text as `file` does or leaves it to `file`.
#![no_main]

use deal::diagnostic::{Located, RenderStyle, render};
use deal::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert!(
        deal::syntax::fast_path_agrees(text),
        "the fast path reads another tree"
    );
    let source = SourceFile::new("fuzz.deal", text);
    if let Err(diagnostics) = deal::syntax::parse_file(&source) {
        for diagnostic in &diagnostics {
            let _ = render(
                Located {
                    file: &source,
                    diagnostic,
                },
                RenderStyle::PLAIN,
            );
        }
    }
    // The REPL's entry point tries a query first, then items.
    let _ = deal::syntax::parse_repl_input(&source);
});
