//! Any text: parsing returns a tree or diagnostics, never panics, and every
//! diagnostic renders (miette must accept its spans).
#![no_main]

use deal::diagnostic::{Located, RenderStyle, render};
use deal::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
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
