//! apogee: a static site generator for archives of rocket and satellite launch briefings.
//!
//! A build is a pipeline of plain data, one module per stage (see [`build`]):
//! sources on disk ([`content`]) → validated documents ([`content::front_matter`]) → pages
//! planned ([`routes`]) and bodies rendered ([`markdown`]) → the indexed site ([`site`],
//! [`taxonomy`]) → rendered pages ([`render`], with templates from [`theme`]) → output
//! written atomically ([`output`]). Problems anywhere are [`diagnostic::Diagnostic`]s.
//! The command line lives in [`cli`].

#![warn(missing_docs)]
// Diagnostics are large (a location with its source line, a problem with its data) but only
// travel on the error path, where their size costs nothing worth boxing them for.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod chart;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod jsr;
pub mod markdown;
pub mod new;
pub mod output;
pub mod record;
pub mod render;
pub mod routes;
pub mod serve;
pub mod site;
pub mod taxonomy;
pub mod theme;
pub mod yaml;
