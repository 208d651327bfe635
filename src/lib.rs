//! apogee: a static site generator for archives of rocket and satellite launch briefings.
//!
//! A build is a pipeline of plain data; `ls src` reads as its stages, and imports only point
//! down it (from a later stage to an earlier one, or to the shared words):
//!
//! ```text
//! vocabulary    the words every stage shares: TaxonomyKind, Outcome, slugify
//! diagnostic    every problem and its message, in one catalogue
//! load/         config, discovery, front matter, YAML, dates, theme, i18n → documents
//! index/        routes (every output path), Markdown, taxonomies, records, lint → Site
//! render/       views and templates, one function per page kind; feeds, sitemap,
//!               open data and charts are outputs like pages           → OutputFiles
//! publish/      what only a written build adds: the search index
//! output        the output folder, staged and swapped in atomically
//! build         the one orchestrator: build, check and serve run its stages in its order
//! serve/        the preview: watch, rebuild through `build`, serve from memory
//! scaffold      `apogee new`: a briefing file to start from; `apogee init`: a whole site
//! cli           flags into options, reports into text: the only printer
//! ```
//!
//! Problems anywhere are [`diagnostic::Diagnostic`]s.

#![warn(missing_docs)]
// Diagnostics are large (a location with its source line, a problem with its data) but only
// travel on the error path, where their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod cli;
pub mod diagnostic;
pub mod index;
pub mod load;
pub mod output;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod vocabulary;
