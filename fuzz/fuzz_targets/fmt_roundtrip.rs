//! The laws of `deal fmt` on any text that parses: the formatted text parses
//! to the same tree and comments (spans and trailing white space in comments
//! aside), and formatting it again changes nothing.
#![no_main]

use deal::source::SourceFile;
use libfuzzer_sys::fuzz_target;


fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("fuzz.deal", text);
    let Ok(file) = deal::syntax::parse_file(&source) else {
        return;
    };
    let once = deal::fmt::format_file(&source, &file);
    let reread = SourceFile::new("fuzz.deal", once.as_str());
    let again = match deal::syntax::parse_file(&reread) {
        Ok(again) => again,
        Err(diagnostics) => panic!(
            "the formatted text does not parse: {diagnostics:#?}\n---- input\n{text}\n---- formatted\n{once}"
        ),
    };
    let twice = deal::fmt::format_file(&reread, &again);
    assert!(
        deal::fmt::first_difference(&file, &again).is_none(),
        "parse(fmt(x)) != parse(x)\n---- input\n{text}\n---- formatted\n{once}"
    );
    assert!(
        once == twice,
        "fmt is not idempotent\n---- input\n{text}\n---- once\n{once}\n---- twice\n{twice}"
    );
});
