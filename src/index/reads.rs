//! Which briefings a computation read: how the preview learns, without a list written by
//! hand, which pages an edit can change.
//!
//! Every read of a briefing goes through [`Site::entry`](super::Site::entry) or
//! [`Site::entries`](super::Site::entries) (the site's list is not public), and each read is
//! noted here while a computation runs inside [`noting`]. A page made from the same site
//! frame (everything but the briefings: configuration, taxonomies, records, ...) and the
//! same briefings at the indices it read comes out the same; the preview uses the notes of
//! its last run to skip the pages whose briefings did not change.
//!
//! Notes are kept per thread: what runs inside [`noting`] must not hand work to other
//! threads (a page is made on one thread; rendering parallelises across pages).
//! This module owns the notes only; what they are compared with is the preview's business.

use std::cell::RefCell;

thread_local! {
    static NOTES: RefCell<Option<Notes>> = const { RefCell::new(None) };
}

/// The reads noted so far by the computation running on this thread.
#[derive(Default)]
struct Notes {
    all: bool,
    indices: Vec<u32>,
}

/// The briefings one computation read, by index into the site's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// It read the whole list (a sitemap, a feed of everything).
    All,
    /// It read these, sorted and without repeats.
    Only(Box<[u32]>),
}

impl Reads {
    /// Whether any of the briefings read is marked in `changed` (by index); an index past
    /// its end counts as changed.
    pub fn touches(&self, changed: &[bool]) -> bool {
        match self {
            Reads::All => changed.iter().any(|&c| c),
            Reads::Only(indices) => indices
                .iter()
                .any(|&i| changed.get(i as usize).copied().unwrap_or(true)),
        }
    }
}

/// Notes a read of briefing `index` by the computation in progress, if one is noting.
pub(crate) fn note(index: usize) {
    NOTES.with(|notes| {
        if let Some(notes) = notes.borrow_mut().as_mut() {
            // More briefings than u32 counts would be ~4 billion files: such an index
            // cannot be noted exactly, so it stands for every briefing.
            match u32::try_from(index) {
                Ok(index) => notes.indices.push(index),
                Err(_) => notes.all = true,
            }
        }
    });
}

/// Notes a read of every briefing.
pub(crate) fn note_all() {
    NOTES.with(|notes| {
        if let Some(notes) = notes.borrow_mut().as_mut() {
            notes.all = true;
        }
    });
}

/// Notes again reads that an earlier computation made (a part kept from another page).
pub fn replay(reads: &Reads) {
    NOTES.with(|notes| {
        if let Some(notes) = notes.borrow_mut().as_mut() {
            match reads {
                Reads::All => notes.all = true,
                Reads::Only(indices) => notes.indices.extend_from_slice(indices),
            }
        }
    });
}

/// Runs `compute`, noting the briefings it reads. Computations nest: the reads of an inner
/// one count for the outer one too.
pub fn noting<T>(compute: impl FnOnce() -> T) -> (T, Reads) {
    let outer = NOTES.with(|notes| notes.replace(Some(Notes::default())));
    let value = compute();
    let inner = NOTES.with(|notes| notes.replace(outer)).unwrap_or_default();
    let reads = if inner.all {
        Reads::All
    } else {
        let mut indices = inner.indices;
        indices.sort_unstable();
        indices.dedup();
        Reads::Only(indices.into_boxed_slice())
    };
    replay(&reads);
    (value, reads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_noted_sorted_once_each() {
        let ((), reads) = noting(|| {
            note(4);
            note(1);
            note(4);
        });
        assert_eq!(reads, Reads::Only(vec![1, 4].into_boxed_slice()));
    }

    #[test]
    fn nothing_is_noted_outside_a_computation() {
        note(3);
        let ((), reads) = noting(|| {});
        assert_eq!(reads, Reads::Only(Box::new([])));
    }

    #[test]
    fn inner_reads_count_for_the_outer_computation() {
        let (inner, outer) = noting(|| {
            note(2);
            let ((), inner) = noting(|| note(7));
            replay(&Reads::Only(vec![9].into_boxed_slice()));
            inner
        });
        assert_eq!(inner, Reads::Only(vec![7].into_boxed_slice()));
        assert_eq!(outer, Reads::Only(vec![2, 7, 9].into_boxed_slice()));
        let ((), all) = noting(|| {
            let _ = noting(note_all);
        });
        assert_eq!(all, Reads::All);
    }

    #[test]
    fn reads_touch_what_changed() {
        let changed = [false, true, false];
        assert!(Reads::Only(vec![0, 1].into_boxed_slice()).touches(&changed));
        assert!(!Reads::Only(vec![0, 2].into_boxed_slice()).touches(&changed));
        assert!(Reads::Only(vec![5].into_boxed_slice()).touches(&changed));
        assert!(Reads::All.touches(&changed));
        assert!(!Reads::All.touches(&[false, false]));
    }
}
