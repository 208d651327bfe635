//! Rebuilding the preview after a batch of changes.
//!
//! (First layer: a full build in memory every time.)

use std::time::{Duration, Instant};

use super::snapshot::Snapshot;
use super::watch::Changes;
use crate::build::{self, BuildOptions};
use crate::diagnostic::Diagnostic;

/// The result of one rebuild.
pub enum Outcome {
    /// The new site.
    Built {
        /// Every file, in memory.
        snapshot: Snapshot,
        /// How many pages were rendered anew.
        rendered: usize,
        /// Wall time.
        elapsed: Duration,
    },
    /// What is wrong.
    Failed(Vec<Diagnostic>),
}

/// Rebuilds a site, keeping what it can between builds.
pub struct Rebuilder {
    options: BuildOptions,
}

impl Rebuilder {
    /// A rebuilder for the site of `options`, with nothing kept yet.
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder { options }
    }

    /// Builds the site again; `changes` is `None` for the first build.
    pub fn rebuild(&mut self, _changes: Option<&Changes>) -> Outcome {
        let started = Instant::now();
        match build::prepare(&self.options) {
            Ok(rendered) => {
                let snapshot = Snapshot::from_rendered(&rendered);
                Outcome::Built { snapshot, rendered: rendered.pages.len(), elapsed: started.elapsed() }
            }
            Err(diagnostics) => Outcome::Failed(diagnostics),
        }
    }
}
