//! Helpers shared by the integration tests: build a site into a temp dir and read its output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use apogee::build::{self, BuildOptions};
use jiff::civil::date;

/// The repository's own sample archive.
pub fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A built site: its output folder lives as long as this value.
pub struct Built {
    _dir: tempfile::TempDir,
    pub output: PathBuf,
}

impl Built {
    /// The text of an output file, by its path in the site.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// An output file parsed as JSON.
    pub fn json(&self, path: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.output.join(path).exists()
    }
}

/// Builds the site at `root` as on 1 January 2025, with or without drafts.
pub fn build_site(root: &Path, drafts: bool) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("public");
    let mut options = BuildOptions::new(root);
    options.today = date(2025, 1, 1);
    options.drafts = drafts;
    build::build(&options, &output)
        .unwrap_or_else(|e| panic!("build of {}: {e:?}", root.display()));
    Built { _dir: dir, output }
}
