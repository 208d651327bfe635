//! Local files that Markdown points at: the images and files of a bundle (published beside
//! its page), and the site's `static/` files. Each link or image to one is resolved to its
//! URL (honouring `base_url`'s path) or is a located problem; images become `<img>` with
//! their `width`, `height` and `loading="lazy"`, and an image alone in its paragraph with a
//! title becomes a `<figure>` with that title as its `<figcaption>`.
//!
//! Links between Markdown sources are `routes`' business; this module leaves them alone,
//! and it never reads the disk (`load::bundle` did).

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
    /// The path every link inside the site starts with.
    pub prefix: &'a str,
}

/// A local file that a link or image points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// Its path from the output root, with the written `#fragment` or `?query`.
    pub site_path: String,
    /// Width and height, for an image.
    pub dimensions: Option<(u32, u32)>,
}

/// Resolves `dest` written in a body at `place`: `Ok(None)` when it is not a local file
/// (a web address, an anchor, a Markdown source, a path to a page), else the file or the
/// problem with it. An image must exist; a link starting with `/` that is not a `static/`
/// file is left to the routes.
pub fn resolve(place: &Place, dest: &str, image: bool) -> Result<Option<Local>, Problem> {
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    let scheme = path
        .find(':')
        .is_some_and(|colon| !path[..colon].contains('/'));
    if path.is_empty()
        || scheme
        || path.starts_with("//")
        || path.starts_with("@/")
        || path.ends_with(".md")
    {
        return Ok(None);
    }
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    if let Some(rooted) = decoded.strip_prefix('/') {
        return match place.media.statics.get(rooted) {
            Some(dimensions) => Ok(Some(Local {
                site_path: format!("{}{suffix}", path.trim_start_matches('/')),
                dimensions: *dimensions,
            })),
            None if image => Err(Problem::MissingFile {
                target: dest.to_owned(),
                resolved: Path::new("static").join(rooted),
                bundle: true,
            }),
            None => Ok(None),
        };
    }
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

/// A problem found in a body, at a byte offset of it.
pub type Found = (usize, Problem);

/// Images of a rendered body: what the page's `og:image` and the feed need.
pub struct Images<'a> {
    /// The events, images replaced by their HTML.
    pub events: Vec<Event<'a>>,
    /// Each image's URL: a path from the output root for local files, else as written.
    pub urls: Vec<String>,
    /// Images that point nowhere.
    pub errors: Vec<Found>,
    /// Images without alt text.
    pub warnings: Vec<Found>,
}

/// Replaces every image of `events` by its HTML; `offsets` are the byte offsets of the
/// images in the body, in order.
pub fn images<'a>(events: Vec<Event<'a>>, offsets: &[usize], place: &Place) -> Images<'a> {
    let mut done = Images {
        events: Vec::with_capacity(events.len()),
        urls: Vec::new(),
        errors: Vec::new(),
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
        let offset = offsets.get(seen).copied().unwrap_or_default();
        // Images inside alt text have offsets of their own.
        seen += 1 + count_images(&events[index + 1..end]);
        let alt = plain_text(&events[index + 1..end]);
        if alt.is_empty() {
            let problem = Problem::MissingAlt {
                target: dest_url.to_string(),
            };
            done.warnings.push((offset, problem));
        }
        let (src, dimensions) = match resolve(place, dest_url, true) {
            Ok(Some(local)) => {
                done.urls.push(local.site_path.clone());
                (
                    format!("{}{}", place.prefix, local.site_path),
                    local.dimensions,
                )
            }
            Ok(None) => {
                done.urls.push(dest_url.to_string());
                (dest_url.to_string(), None)
            }
            Err(problem) => {
                done.errors.push((offset, problem));
                (dest_url.to_string(), None)
            }
        };
        let image = Image {
            src: &src,
            alt: &alt,
            title,
            dimensions,
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

/// Text safe in HTML text and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            c => escaped.push(c),
        }
    }
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
            prefix: "/desk/",
        }
    }

    #[test]
    fn bundle_files_resolve_beside_the_page() {
        let media = media();
        let place = at(&media, "content/briefings/h3/index.md");
        let pad = resolve(&place, "pad.png", true).unwrap().unwrap();
        assert_eq!(pad.site_path, "briefings/h3/pad.png");
        assert_eq!(pad.dimensions, Some((800, 450)));
        let log = resolve(&place, "./data/log.csv#top", false)
            .unwrap()
            .unwrap();
        assert_eq!(log.site_path, "briefings/h3/data/log.csv#top");
        let logo = resolve(&place, "/img/logo.png", true).unwrap().unwrap();
        assert_eq!(logo.site_path, "img/logo.png");
        for other in [
            "https://x.org/a.png",
            "#top",
            "other.md",
            "/about/",
            "mailto:a@b",
        ] {
            assert_eq!(resolve(&place, other, false), Ok(None), "{other}");
        }
    }

    #[test]
    fn missing_files_and_files_outside_a_bundle_are_problems() {
        let media = media();
        let place = at(&media, "content/briefings/h3/index.md");
        assert!(matches!(
            resolve(&place, "gone.png", true),
            Err(Problem::MissingFile { bundle: true, .. })
        ));
        assert!(resolve(&place, "/img/gone.png", true).is_err());
        assert!(resolve(&place, "../h3/pad.png", true).is_ok());
        let flat = at(&media, "content/briefings/h3.md");
        assert!(matches!(
            resolve(&flat, "h3/pad.png", true),
            Err(Problem::MissingFile { bundle: false, .. })
        ));
    }
}
