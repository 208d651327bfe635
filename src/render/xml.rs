//! The little XML that apogee writes itself (Atom feeds, sitemaps): escaping text and
//! attribute values. Each format module builds its own elements; this module knows no format.

/// `text` safe inside XML character data and double-quoted attribute values: `&`, `<`, `>`
/// and `"` become entities, and characters XML 1.0 forbids (most C0 controls) are dropped
/// rather than making the whole document ill-formed.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    escape_into(&mut escaped, text);
    escaped
}

/// [`escape`], appended to `out`. Runs of text that need nothing are copied whole: feeds and
/// sitemaps are mostly such text, and copying them a character at a time was the largest
/// cost of making them.
pub fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Every byte matched here starts a character (ASCII, or 0xEF, a lead byte), so the
        // text is only ever cut at character boundaries.
        let (replacement, width) = match bytes[at] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\t' | b'\n' | b'\r' => {
                at += 1;
                continue;
            }
            0..=0x1f => ("", 1),
            // U+FFFE and U+FFFF, which XML forbids too.
            0xEF if bytes.get(at + 1) == Some(&0xBF)
                && matches!(bytes.get(at + 2), Some(0xBE | 0xBF)) =>
            {
                ("", 3)
            }
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&text[copied..at]);
        out.push_str(replacement);
        at += width;
        copied = at;
    }
    out.push_str(&text[copied..]);
}

/// The declaration every document starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape(r#"<a href="x">R&D</a>"#),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt;"
        );
        assert_eq!(escape("bell\u{7} tab\t"), "bell tab\t");
        assert_eq!(escape("Côte d'Ivoire"), "Côte d'Ivoire");
        assert_eq!(escape("a\u{fffe}b\u{ffff}c\u{fffd}"), "abc\u{fffd}");
        assert_eq!(escape("軌道 & 衛星"), "軌道 &amp; 衛星");
        assert_eq!(escape("\u{1}"), "");
    }
}
