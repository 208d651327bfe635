//! Loading a theme: its Tera templates and static assets, with the site's own `templates/`
//! and `static/` layered on top.
//!
//! The default theme is compiled into the binary, so that a site needs no `themes/` folder;
//! a folder `themes/default` in the site replaces the built-in copy (that is how the
//! repository's own theme is edited and previewed). This module reads files; it never
//! renders (`render` does).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::load::config::Config;

/// One template, by the name templates use for it (`base.html`, `partials/card.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The name in `{% extends %}` and `{% include %}`.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Where it came from, for diagnostics.
    pub origin: PathBuf,
}

/// A file copied as is to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The path in the output, with `/` separators.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What rendering and output need from the theme and the site's overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name; a site's own template replaces the theme's of the same name.
    pub templates: Vec<Template>,
    /// Theme assets, then the site's `static/` (the site wins on the same path).
    pub assets: Vec<Asset>,
}

/// The built-in default theme: (path under `themes/default/`, contents), made by `build.rs`.
const BUILT_IN: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Reads the configured theme and the site's overrides under `root`.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(&config.theme);
    let mut templates = BTreeMap::new();
    let mut assets = BTreeMap::new();
    let mut diagnostics = Vec::new();

    if theme_dir.is_dir() {
        read_templates(
            root,
            &theme_dir.join("templates"),
            &mut templates,
            &mut diagnostics,
        );
        read_assets(
            root,
            &theme_dir.join("static"),
            &mut assets,
            &mut diagnostics,
        );
    } else if config.theme == "default" {
        for (path, bytes) in BUILT_IN {
            let origin = Path::new("themes/default").join(path);
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(
                    name.to_owned(),
                    Template {
                        name: name.to_owned(),
                        text,
                        origin,
                    },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                assets.insert(
                    name.to_owned(),
                    Asset {
                        path: name.to_owned(),
                        bytes: bytes.to_vec(),
                    },
                );
            }
        }
    } else {
        let known = installed_themes(root);
        let location = Location::file(Path::new(crate::load::config::FILE_NAME));
        return Err(vec![Diagnostic::error(
            location,
            Problem::UnknownTheme {
                name: config.theme.clone(),
                known,
            },
        )]);
    }
    read_templates(
        root,
        &root.join("templates"),
        &mut templates,
        &mut diagnostics,
    );
    read_assets(root, &root.join("static"), &mut assets, &mut diagnostics);

    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(Theme {
        templates: templates.into_values().collect(),
        assets: assets.into_values().collect(),
    })
}

/// The output path of every file the theme and the site's `static/` add to a build, found
/// without reading them (an unreadable folder is reported by [`load`]).
pub fn asset_paths(root: &Path, config: &Config) -> Vec<String> {
    let theme_dir = root.join("themes").join(&config.theme);
    let mut ignored = Vec::new();
    let mut paths: Vec<String> = if theme_dir.is_dir() {
        files_under(root, &theme_dir.join("static"), &mut ignored)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    } else if config.theme == "default" {
        BUILT_IN
            .iter()
            .filter_map(|(path, _)| path.strip_prefix("static/"))
            .map(str::to_owned)
            .collect()
    } else {
        Vec::new()
    };
    let site_static = files_under(root, &root.join("static"), &mut ignored);
    paths.extend(site_static.into_iter().map(|(name, _)| name));
    paths
}

fn installed_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.push("default".to_owned());
    names.sort();
    names.dedup();
    names
}

/// Every file under `folder`, as (path relative to `folder` with `/`, full path).
fn files_under(
    root: &Path,
    folder: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if !folder.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut outside = Vec::new();
    // Symlinks are followed while they stay inside the site, as in content/.
    let walker = WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    for entry in walker.filter_entry(|e| {
        (e.depth() == 0 || !crate::load::is_ignored(e.file_name()))
            && !crate::load::leads_outside(e, &canonical_root, &mut outside)
    }) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((name, entry.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(error) => {
                let path = error.path().unwrap_or(folder);
                let shown = path.strip_prefix(root).unwrap_or(path);
                let problem = Problem::Unreadable {
                    message: error.to_string(),
                };
                diagnostics.push(Diagnostic::error(Location::file(shown), problem));
            }
        }
    }
    diagnostics.extend(crate::load::outside_links(root, outside));
    files
}

fn read_templates(
    root: &Path,
    folder: &Path,
    templates: &mut BTreeMap<String, Template>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (name, path) in files_under(root, folder, diagnostics) {
        let origin = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let text = std::fs::read(&path)
            .map_err(|error| {
                Diagnostic::error(
                    Location::file(&origin),
                    Problem::Unreadable {
                        message: error.to_string(),
                    },
                )
            })
            .and_then(|bytes| crate::load::decode(&origin, bytes));
        match text {
            Ok(text) => {
                templates.insert(name.clone(), Template { name, text, origin });
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
}

fn read_assets(
    root: &Path,
    folder: &Path,
    assets: &mut BTreeMap<String, Asset>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (name, path) in files_under(root, folder, diagnostics) {
        match std::fs::read(&path) {
            Ok(bytes) => {
                assets.insert(name.clone(), Asset { path: name, bytes });
            }
            Err(error) => {
                let origin = path.strip_prefix(root).unwrap_or(&path);
                diagnostics.push(Diagnostic::error(
                    Location::file(origin),
                    Problem::Unreadable {
                        message: error.to_string(),
                    },
                ));
            }
        }
    }
}
