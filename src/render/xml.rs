//! The little XML that apogee writes itself (Atom feeds, sitemaps): escaping text and
//! attribute values. Each format module builds its own elements; this module knows no format.

/// `text` safe inside XML character data and double-quoted attribute values: `&`, `<`, `>`
/// and `"` become entities, and characters XML 1.0 forbids (most C0 controls) are dropped
/// rather than making the whole document ill-formed.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => escaped.push(c),
        }
    }
    escaped
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
    }
}
