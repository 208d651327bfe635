//! A fixture site in a temporary folder, built with the real `apogee` binary, so that tests
//! read like the contract: write briefings, build, assert on pages.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site being written in a temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site.
    pub fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `path` under the root, creating folders.
    pub fn file(self, path: &str, text: &str) -> Self {
        self.bytes(path, text.as_bytes())
    }

    /// Writes raw bytes to `path` under the root.
    pub fn bytes(self, path: &str, bytes: &[u8]) -> Self {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("folders");
        std::fs::write(full, bytes).expect("a written file");
        self
    }

    /// A briefing `content/briefings/<name>.md` with `front` (YAML lines) and `body`.
    pub fn briefing(self, name: &str, front: &str, body: &str) -> Self {
        self.file(
            &format!("content/briefings/{name}.md"),
            &format!("---\n{front}\n---\n{body}\n"),
        )
    }

    /// Runs `apogee build` with extra arguments; the output goes to `public/`.
    pub fn build_with(&self, args: &[&str]) -> Built {
        let output = Command::new(env!("CARGO_BIN_EXE_apogee"))
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(args)
            .output()
            .expect("apogee runs");
        Built {
            output,
            public: self.root().join("public"),
        }
    }

    /// Runs `apogee build`.
    pub fn build(&self) -> Built {
        self.build_with(&[])
    }

    /// Runs `apogee <args> --root <site>` without colour, as in a pipe.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_apogee"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .expect("apogee runs")
    }

    /// The text of the file at `path` under the root.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path)).expect("a readable file")
    }

    /// Every file under the root with its bytes, to prove a build changed nothing.
    pub fn snapshot(&self, under: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.root().join(under))
    }
}

/// All files under `dir` with their contents.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The result of a build.
pub struct Built {
    /// What the process returned.
    pub output: Output,
    /// The output folder.
    pub public: PathBuf,
}

impl Built {
    /// Asserts success and returns self.
    pub fn ok(self) -> Self {
        assert!(
            self.output.status.success(),
            "build failed:\n{}",
            self.stderr()
        );
        self
    }

    /// Asserts failure with exit code 1 and returns self.
    pub fn fails(self) -> Self {
        assert_eq!(
            self.output.status.code(),
            Some(1),
            "expected exit 1; stderr:\n{}",
            self.stderr()
        );
        self
    }

    /// What the build printed on stderr.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The HTML of the page at `url` (`/rockets/h3/`), relative to the output root.
    pub fn page(&self, url: &str) -> String {
        let relative = url.trim_start_matches('/');
        let path = if relative.is_empty() || relative.ends_with('/') {
            self.public.join(relative).join("index.html")
        } else {
            self.public.join(relative)
        };
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("no page {}: {e}", path.display()))
    }

    /// Whether the page at `url` exists.
    pub fn has_page(&self, url: &str) -> bool {
        self.public
            .join(url.trim_start_matches('/'))
            .join("index.html")
            .is_file()
    }
}

/// The `href`s of `html`, in order.
pub fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

// ---- Whole archives built in-process (the sample, converted data) ------------------------

/// The repository's own sample archive.
pub fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An archive built into a temporary folder, which lives as long as this value.
pub struct BuiltArchive {
    _dir: tempfile::TempDir,
    pub output: PathBuf,
}

impl BuiltArchive {
    /// The text of an output file, by its path in the site (`rockets/h3/record.json`).
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// An output file parsed as JSON.
    pub fn json(&self, path: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Builds the site at `root` (which is left untouched) as on 1 January 2025, so that what is
/// upcoming does not depend on the day the tests run.
pub fn build_archive(root: &Path, drafts: bool) -> BuiltArchive {
    build_archive_with(root, |options| options.drafts = drafts)
}

/// Like [`build_archive`], with options changed by `configure`.
pub fn build_archive_with(
    root: &Path,
    configure: impl FnOnce(&mut apogee::build::BuildOptions),
) -> BuiltArchive {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("public");
    let mut options = apogee::build::BuildOptions::new(root);
    options.today = jiff::civil::date(2025, 1, 1);
    configure(&mut options);
    apogee::build::build(&options, &output)
        .unwrap_or_else(|e| panic!("build of {}: {e:?}", root.display()));
    BuiltArchive { _dir: dir, output }
}
