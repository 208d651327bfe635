//! apogee: a static site generator for archives of rocket and satellite launch briefings.
//!
//! A build is a pipeline of plain data, one module per stage (see [`build`]):
//! sources on disk ([`content`]) → validated documents ([`content::front_matter`]) → pages
//! planned ([`routes`]) and bodies rendered ([`markdown`]) → the indexed site ([`site`],
//! [`taxonomy`]) → rendered pages ([`render`], with templates from [`theme`]) → output
//! written atomically ([`output`]). From the rendered pages, publishing adds the Atom feeds
//! ([`feed`]), the sitemap ([`sitemap`]) and the search index ([`search`]); [`archive`] and
//! [`metadata`] add the year pages and what each page tells machines about itself.
//! Problems anywhere are [`diagnostic::Diagnostic`]s.
//! The command line lives in [`cli`].

#![warn(missing_docs)]
// Diagnostics are large (a location with its source line, a problem with its data) but only
// travel on the error path, where their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]

pub mod archive;
pub mod build;
pub mod chart;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod feed;
pub mod jsr;
pub mod markdown;
pub mod metadata;
pub mod new;
pub mod output;
pub mod record;
pub mod render;
pub mod routes;
pub mod search;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod taxonomy;
pub mod theme;
pub mod xml;
pub mod yaml;
