//! The one fixture builder: a site in a temporary folder, so that tests read like the
//! contract (write briefings, build, assert on pages). A [`TestSite`] starts empty or as a
//! copy of an archive (the repository's sample), is written with builder calls before a
//! build and edited in place between rebuilds, and is built either by the real `apogee`
//! binary ([`TestSite::build`], [`TestSite::run`]) or in-process ([`TestSite::options`],
//! [`TestSite::built`]) on the fixed day [`TODAY`].

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

    /// A copy of the site at `root`: its `site.yaml`, `content/`, `static/`, `templates/`
    /// and `themes/`, so that a test can build or change it without touching the original.
    pub fn copy_of(root: &Path) -> Self {
        let site = TestSite::new();
        for part in ["site.yaml", "content", "static", "templates", "themes"] {
            let from = root.join(part);
            for entry in walkdir::WalkDir::new(&from).into_iter().flatten() {
                if entry.file_type().is_file() {
                    let relative = entry.path().strip_prefix(root).expect("under the root");
                    let to = site.root().join(relative);
                    std::fs::create_dir_all(to.parent().expect("a parent")).expect("folders");
                    std::fs::copy(entry.path(), to).expect("a copied file");
                }
            }
        }
        site
    }

    /// A copy of the repository's own sample archive.
    pub fn sample_archive() -> Self {
        TestSite::copy_of(&sample_root())
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `path` under the root in place, between builds.
    pub fn write(&self, path: &str, text: &str) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("folders");
        std::fs::write(full, text).expect("a written file");
    }

    /// Replaces the first `from` in the file at `path` with `to`, in place.
    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} has {from}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Deletes the file at `path`.
    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.root().join(path)).expect("a removed file");
    }

    /// Options to build this site in-process, on [`TODAY`].
    pub fn options(&self) -> apogee::build::BuildOptions {
        let mut options = apogee::build::BuildOptions::new(self.root());
        options.today = TODAY;
        options
    }

    /// Builds the site in-process into `public/` with its [`options`](Self::options) changed
    /// by `configure`; the site lives as long as the result.
    pub fn built(self, configure: impl FnOnce(&mut apogee::build::BuildOptions)) -> BuiltArchive {
        let mut options = self.options();
        configure(&mut options);
        let output = self.root().join("public");
        apogee::build::build(&options, &output)
            .unwrap_or_else(|e| panic!("build of {}: {e:?}", self.root().display()));
        BuiltArchive {
            _site: self,
            output,
        }
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

// ---- Sites built in-process -------------------------------------------------------------

/// The day of every in-process build, so that what is upcoming does not depend on the day
/// the tests run.
pub const TODAY: jiff::civil::Date = jiff::civil::date(2025, 1, 1);

/// The repository's own sample archive (read only: tests build a [`TestSite::copy_of`] it).
pub fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site built in-process, which lives as long as this value.
pub struct BuiltArchive {
    _site: TestSite,
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
