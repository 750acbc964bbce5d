//! Any text: everything `deal check` does (parse, check, lints) and the
//! rendering of its findings, human and JSON, never panics.
#![no_main]

use deal::diagnostic::{JsonDiagnostic, Located, RenderStyle, render};
use deal::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("fuzz.deal", text);
    for diagnostic in &deal::check_and_lint(&source) {
        let _ = render(
            Located {
                file: &source,
                diagnostic,
            },
            RenderStyle::PLAIN,
        );
        let _ = JsonDiagnostic::new(&source, diagnostic);
    }
});
