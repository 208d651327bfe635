//! Publishing: what a build adds from the rendered pages before they are written, and that
//! the preview leaves out. Today that is the search index ([`search`]), the slowest stage
//! of a build. It reads rendered pages, never the disk, and writes nothing itself.

#[cfg(feature = "search")]
pub mod search;
