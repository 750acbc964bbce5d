//! Rendering shared by every front end (`cli`, `repl`, the language server):
//! answers, diagnostics in each output format, scenario arguments, files
//! (and checking many at once), terminal width and colour.

pub mod answer;
pub mod artifact_path;
pub mod ask;
pub mod batch;
pub mod exit;
pub mod files;
pub mod gitlab;
pub mod junit;
pub mod output;
pub mod report;
pub mod scenario_args;
