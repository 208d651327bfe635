//! What a template sees, and its print.
//!
//! Every value a page function hands its template goes through [`PageContext::insert`]. When
//! the preview asks for prints, the same call also feeds the value, serialised exactly as the
//! template will get it, to a hash. A page's print therefore covers everything its template
//! can read, whatever a site's own templates choose to print, and nothing has to list by hand
//! what each page depends on. This module renders nothing: `Templates` does.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use crate::index::reads::{self, Reads};

/// A template's context, with the print of everything inserted when one is asked for.
pub struct PageContext {
    context: Context,
    hasher: Option<DefaultHasher>,
}

impl PageContext {
    /// An empty context; with `print`, every insert is also hashed.
    pub(super) fn new(print: bool) -> Self {
        PageContext {
            context: Context::new(),
            hasher: print.then(DefaultHasher::new),
        }
    }

    /// Sets `key` to `value` for the template (a later insert of the same key replaces it,
    /// and its print covers both: the order of inserts is the same in every build).
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        let Some(hasher) = &mut self.hasher else {
            self.context.insert(key, value);
            return;
        };
        // Only the print is wanted: the template will not run, so the value is not copied
        // into Tera's form at all, and serialisation goes through a buffer, since hashing
        // each of serde's small writes on its own costs more than the bytes are worth.
        key.hash(hasher);
        let mut writer = HashWriter {
            hasher,
            buffer: Vec::with_capacity(BUFFER),
        };
        // Serialising into a hash cannot fail for lack of room; a value that cannot be
        // serialised fails the same way when the page is rendered, so its print may differ.
        let _ = serde_json::to_writer(&mut writer, value);
        writer.flush_buffer();
    }

    /// What Tera renders with.
    pub(super) fn tera(&self) -> &Context {
        &self.context
    }

    /// The print of the page that `template` makes from this context, if prints were asked for.
    pub(super) fn print(&self, template: &str) -> Option<u64> {
        let mut hasher = self.hasher.clone()?;
        template.hash(&mut hasher);
        Some(hasher.finish())
    }
}

/// The print of one value, serialised as a template would get it.
pub(super) fn print_of<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    let mut writer = HashWriter {
        hasher: &mut hasher,
        buffer: Vec::with_capacity(BUFFER),
    };
    // As in `insert`: serialising into a hash cannot fail for lack of room.
    let _ = serde_json::to_writer(&mut writer, value);
    writer.flush_buffer();
    hasher.finish()
}

/// A part of a page that depends on one briefing alone (its card, its link, its row in a
/// launch history), as the template gets it; or, when only prints are taken, the print of
/// that part. A briefing appears on many pages (home, terms, years, related lists): its parts
/// are built and hashed once per run rather than on every page, and a page's print still
/// changes exactly when one of them does.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum PerBriefing<T> {
    /// The part itself: what a rendered page gets (serialised as `T` alone).
    View(T),
    /// Its print: what a page's print hashes in its place.
    Print(u64),
}

/// The prints of each briefing's parts, filled as pages first ask for them (from any thread),
/// each with the briefings it was made from: every page that takes a kept part notes them
/// as its own reads (see [`reads`]).
pub(super) struct PartPrints {
    parts: Vec<[OnceLock<(u64, Reads)>; PARTS]>,
}

/// The kinds of [`PerBriefing`] parts a briefing has.
#[derive(Clone, Copy)]
pub(super) enum Part {
    Card = 0,
    Link = 1,
    HistoryRow = 2,
    Neighbour = 3,
}

const PARTS: usize = 4;

impl PartPrints {
    /// Room for the parts of `briefings` briefings.
    pub(super) fn new(briefings: usize) -> Self {
        PartPrints {
            parts: (0..briefings).map(|_| Default::default()).collect(),
        }
    }

    /// The print of `part` of briefing `index`, made by `make` the first time it is asked for.
    /// A part is of briefing `index`: every page that takes it reads that briefing, whether
    /// `make` reads it through the site or was handed it (`make` reads no other briefing
    /// but through the site, so that the part's own reads are noted).
    pub(super) fn get<T: Serialize>(
        &self,
        index: usize,
        part: Part,
        make: impl FnOnce() -> T,
    ) -> u64 {
        let (print, made_from) =
            self.parts[index][part as usize].get_or_init(|| reads::noting(|| print_of(&make())));
        // The page that made the part noted its reads already; noting them twice is harmless.
        reads::note(index);
        reads::replay(made_from);
        *print
    }
}

/// The print of a file made without a template (record.json, records.csv).
pub fn print_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// How many serialised bytes are hashed at once.
const BUFFER: usize = 16 * 1024;

/// Feeds serialised bytes to a hasher, in chunks of [`BUFFER`] bytes.
struct HashWriter<'a> {
    hasher: &'a mut DefaultHasher,
    buffer: Vec<u8>,
}

impl HashWriter<'_> {
    fn flush_buffer(&mut self) {
        self.hasher.write(&self.buffer);
        self.buffer.clear();
    }
}

impl io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.buffer.len() + bytes.len() > BUFFER {
            self.flush_buffer();
        }
        if bytes.len() >= BUFFER {
            self.hasher.write(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print_of(values: &[(&'static str, &str)], template: &str) -> Option<u64> {
        let mut context = PageContext::new(true);
        for (key, value) in values {
            context.insert(key, value);
        }
        context.print(template)
    }

    #[test]
    fn a_print_changes_with_any_value_key_or_template() {
        let base = print_of(&[("title", "H3 flies")], "page.html");
        assert_eq!(base, print_of(&[("title", "H3 flies")], "page.html"));
        assert_ne!(base, print_of(&[("title", "H3 fails")], "page.html"));
        assert_ne!(base, print_of(&[("name", "H3 flies")], "page.html"));
        assert_ne!(base, print_of(&[("title", "H3 flies")], "other.html"));
    }

    #[test]
    fn a_print_does_not_depend_on_how_values_are_cut_into_writes() {
        let long = "x".repeat(3 * BUFFER + 7);
        let once = print_of(&[("a", long.as_str())], "p.html");
        let mut context = PageContext::new(true);
        context.insert("a", long.as_str());
        assert_eq!(context.print("p.html"), once);
        assert_ne!(once, print_of(&[("a", &long[1..])], "p.html"));
    }

    #[test]
    fn rendering_contexts_take_no_print() {
        let mut context = PageContext::new(false);
        context.insert("title", "x");
        assert_eq!(context.print("page.html"), None);
        assert!(context.tera().contains_key("title"));
    }

    #[test]
    fn every_page_taking_a_kept_part_reads_its_briefing() {
        let parts = PartPrints::new(4);
        let first = reads::noting(|| parts.get(2, Part::Card, || 1)).1;
        let again = reads::noting(|| parts.get(2, Part::Card, || 1)).1;
        let only_two = reads::Reads::Only(vec![2].into_boxed_slice());
        assert_eq!(first, only_two);
        assert_eq!(again, only_two);
    }

    #[test]
    fn a_kept_part_brings_the_reads_it_was_made_from() {
        let parts = PartPrints::new(4);
        let made_from = || {
            crate::index::reads::note(3);
            1
        };
        let _ = reads::noting(|| parts.get(1, Part::Link, made_from));
        let again = reads::noting(|| parts.get(1, Part::Link, || 1)).1;
        assert_eq!(again, reads::Reads::Only(vec![1, 3].into_boxed_slice()));
    }
}
