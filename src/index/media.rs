//! Local files that Markdown points at: the images and files of a bundle (published beside
//! its page), and the site's `static/` files. A link or image to a file beside the page is
//! resolved to its URL (under `base_url`'s path) or is a located problem; images become `<img>` with
//! their `width`, `height` and `loading="lazy"`, and an image alone in its paragraph with a
//! title becomes a `<figure>` with that title as its `<figcaption>`.
//!
//! Links between Markdown sources and paths from the site's root are `routes`' and the link
//! pass's business; this module only measures the `static/` images they show. It never reads
//! the disk (`load::bundle` did).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::diagnostic::Problem;
use crate::index::routes::normalize;
use crate::load::bundle::{LocalFile, is_bundle};

/// The local files a site's Markdown may point at, with their dimensions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Media {
    /// Bundle files by path relative to the site root.
    files: BTreeMap<PathBuf, Option<(u32, u32)>>,
    /// `static/` files by path from the output root.
    statics: BTreeMap<String, Option<(u32, u32)>>,
}

impl Media {
    /// The files of bundles and of `static/`, as `load` found them.
    pub fn new(files: &[LocalFile], statics: BTreeMap<String, Option<(u32, u32)>>) -> Self {
        Media {
            files: files
                .iter()
                .map(|file| (file.path.clone(), file.dimensions))
                .collect(),
            statics,
        }
    }
}

/// What a body's local links are resolved against.
pub struct Place<'a> {
    /// The known files.
    pub media: &'a Media,
    /// The document's file, relative to the site root.
    pub source: &'a Path,
    /// The document's site path (`briefings/x/`), when it has a page.
    pub site_path: Option<&'a str>,
}

/// A local file that a link or image points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// Its path from the output root, with the written `#fragment` or `?query`.
    pub site_path: String,
    /// Width and height, for an image.
    pub dimensions: Option<(u32, u32)>,
}

impl Media {
    /// The file of `static/` at `path` (from the output root), with its dimensions if it
    /// is an image apogee measured. Whether it exists is the link pass's business.
    pub fn static_file(&self, path: &str) -> Local {
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        Local {
            site_path: path.to_owned(),
            dimensions: self.statics.get(decoded.as_ref()).copied().flatten(),
        }
    }
}

/// Resolves `dest`, written in a body at `place`, when it names a file beside the page
/// (`pad.png`, `data/track.csv`): `Ok(None)` for anything else (a web address, an anchor, a
/// Markdown source, a path from the site's root), else the file or the problem with it.
pub fn resolve(place: &Place, dest: &str) -> Result<Option<Local>, Problem> {
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    let scheme = path
        .find(':')
        .is_some_and(|colon| !path[..colon].contains('/'));
    if path.is_empty()
        || scheme
        || path.starts_with('/')
        || path.starts_with("@/")
        || path.ends_with(".md")
    {
        return Ok(None);
    }
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let folder = place.source.parent().unwrap_or(Path::new(""));
    let joined = folder.join(decoded.as_ref());
    let found = normalize(&joined)
        .filter(|target| target.starts_with(folder))
        .and_then(|target| Some((place.media.files.get(&target)?, target)));
    let (Some((dimensions, target)), true, Some(site_path)) =
        (found, is_bundle(place.source), place.site_path)
    else {
        return Err(Problem::MissingFile {
            target: dest.to_owned(),
            resolved: normalize(&joined).unwrap_or(joined),
            bundle: is_bundle(place.source),
        });
    };
    let inside: Vec<String> = target
        .strip_prefix(folder)
        .unwrap_or(&target)
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(Some(Local {
        site_path: format!("{site_path}{}{suffix}", inside.join("/")),
        dimensions: *dimensions,
    }))
}

/// An image of a body as the render loop met it: where it starts (a byte offset of the
/// body) and the local file it shows, if it is one of the site's.
pub struct Found {
    /// Byte offset of the image in the body.
    pub offset: usize,
    /// Its address as written.
    pub written: String,
    /// The site's own file it shows.
    pub local: Option<Local>,
}

/// A problem found in a body, at a byte offset of it.
pub type Located = (usize, Problem);

/// Images of a rendered body: what the page's `og:image` and the feed need.
pub struct Images<'a> {
    /// The events, images replaced by their HTML.
    pub events: Vec<Event<'a>>,
    /// Each image's URL: a path from the output root for the site's own files, else as
    /// written.
    pub urls: Vec<String>,
    /// Images without alt text.
    pub warnings: Vec<Located>,
}

/// Replaces every image of `events` (their addresses already rewritten) by its HTML;
/// `found` are the images in order, as the render loop met them.
pub fn images<'a>(events: Vec<Event<'a>>, found: &[Found]) -> Images<'a> {
    let mut done = Images {
        events: Vec::with_capacity(events.len()),
        urls: Vec::new(),
        warnings: Vec::new(),
    };
    let mut seen = 0;
    let mut index = 0;
    while index < events.len() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &events[index]
        else {
            done.events.push(events[index].clone());
            index += 1;
            continue;
        };
        let end = image_end(&events, index);
        let this = found.get(seen);
        // Images inside alt text were met too.
        seen += 1 + count_images(&events[index + 1..end]);
        let offset = this.map_or(0, |found| found.offset);
        let local = this.and_then(|found| found.local.as_ref());
        let alt = plain_text(&events[index + 1..end]);
        if alt.is_empty() {
            let problem = Problem::MissingAlt {
                target: this.map_or_else(|| dest_url.to_string(), |found| found.written.clone()),
            };
            done.warnings.push((offset, problem));
        }
        done.urls
            .push(local.map_or_else(|| dest_url.to_string(), |l| l.site_path.clone()));
        let image = Image {
            src: dest_url,
            alt: &alt,
            title,
            dimensions: local.and_then(|l| l.dimensions),
        };
        let alone = matches!(done.events.last(), Some(Event::Start(Tag::Paragraph)))
            && matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)));
        if alone && !title.trim().is_empty() {
            done.events.pop();
            done.events.push(Event::Html(CowStr::from(image.figure())));
            index = end + 2;
        } else {
            done.events
                .push(Event::InlineHtml(CowStr::from(image.img(true))));
            index = end + 1;
        }
    }
    done
}

/// The index of the `End(Image)` that closes the image starting at `start`.
fn image_end(events: &[Event], start: usize) -> usize {
    let mut depth = 0;
    for (index, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return index;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn count_images(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|event| matches!(event, Event::Start(Tag::Image { .. })))
        .count()
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Image<'a> {
    src: &'a str,
    alt: &'a str,
    title: &'a str,
    dimensions: Option<(u32, u32)>,
}

impl Image<'_> {
    fn img(&self, with_title: bool) -> String {
        let mut html = format!(
            r#"<img src="{}" alt="{}""#,
            escape(self.src),
            escape(self.alt)
        );
        if with_title && !self.title.is_empty() {
            html.push_str(&format!(r#" title="{}""#, escape(self.title)));
        }
        if let Some((width, height)) = self.dimensions {
            html.push_str(&format!(r#" width="{width}" height="{height}""#));
        }
        html.push_str(r#" loading="lazy" decoding="async">"#);
        html
    }

    fn figure(&self) -> String {
        format!(
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            self.img(false),
            escape(self.title.trim())
        )
    }
}

/// Text safe in HTML text and double-quoted attributes, escaped as pulldown-cmark escapes the
/// rest of the body.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media() -> Media {
        let file = |path: &str, dimensions| LocalFile {
            path: PathBuf::from(path),
            bytes: Vec::new(),
            dimensions,
        };
        let mut statics = BTreeMap::new();
        statics.insert("img/logo.png".to_owned(), Some((64, 64)));
        Media::new(
            &[
                file("content/briefings/h3/pad.png", Some((800, 450))),
                file("content/briefings/h3/data/log.csv", None),
            ],
            statics,
        )
    }

    fn at<'a>(media: &'a Media, source: &'a str) -> Place<'a> {
        Place {
            media,
            source: Path::new(source),
            site_path: Some("briefings/h3/"),
        }
    }

    #[test]
    fn bundle_files_resolve_beside_the_page() {
        let media = media();
        let place = at(&media, "content/briefings/h3/index.md");
        let pad = resolve(&place, "pad.png").unwrap().unwrap();
        assert_eq!(pad.site_path, "briefings/h3/pad.png");
        assert_eq!(pad.dimensions, Some((800, 450)));
        let log = resolve(&place, "./data/log.csv#top").unwrap().unwrap();
        assert_eq!(log.site_path, "briefings/h3/data/log.csv#top");
        assert_eq!(media.static_file("img/logo.png").dimensions, Some((64, 64)));
        for other in [
            "https://x.org/a.png",
            "#top",
            "other.md",
            "/about/",
            "mailto:a@b",
        ] {
            assert_eq!(resolve(&place, other), Ok(None), "{other}");
        }
    }

    #[test]
    fn missing_files_and_files_outside_a_bundle_are_problems() {
        let media = media();
        let place = at(&media, "content/briefings/h3/index.md");
        assert!(matches!(
            resolve(&place, "gone.png"),
            Err(Problem::MissingFile { bundle: true, .. })
        ));
        assert!(resolve(&place, "../h3/pad.png").is_ok());
        let flat = at(&media, "content/briefings/h3.md");
        assert!(matches!(
            resolve(&flat, "h3/pad.png"),
            Err(Problem::MissingFile { bundle: false, .. })
        ));
    }
}
