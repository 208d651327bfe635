//! How a [`Diagnostic`] is shown: as text for people (the headline editors parse, the source
//! line with carets under the span, the help), with ANSI colours for terminals, and as JSON
//! for machines. Deciding whether a terminal gets colours is the caller's (`cli` writes
//! through `anstream`, which strips them from pipes and honours `NO_COLOR`).

use std::fmt;

use super::{Diagnostic, Severity};

impl Diagnostic {
    /// The report with ANSI colours, for a terminal (`anstream` strips them elsewhere).
    pub fn coloured(&self) -> impl fmt::Display + '_ {
        Report {
            diagnostic: self,
            palette: Palette::coloured(self.severity),
        }
    }

    /// The machine-readable form printed by `check --format json`.
    pub fn to_json(&self) -> JsonDiagnostic {
        JsonDiagnostic {
            file: self.location.path.to_string_lossy().replace('\\', "/"),
            line: self.location.line,
            column: self.location.column,
            severity: self.severity,
            code: self.problem.code(),
            message: self.problem.to_string(),
            suggestion: self.problem.help(),
        }
    }
}

/// A diagnostic as editors and CI read it; fields in the order people read them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JsonDiagnostic {
    /// The file, relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The stable code of the problem (`unknown-key`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when apogee knows.
    pub suggestion: Option<String>,
}

impl fmt::Display for Diagnostic {
    /// The headline, the source line with a caret under the span, and the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Report {
            diagnostic: self,
            palette: Palette::default(),
        }
        .fmt(f)
    }
}

/// The styles of a report; all empty (printing nothing) for plain text.
#[derive(Default)]
struct Palette {
    severity: anstyle::Style,
    emphasis: anstyle::Style,
    gutter: anstyle::Style,
    help: anstyle::Style,
}

impl Palette {
    fn coloured(severity: Severity) -> Self {
        use anstyle::AnsiColor;
        let colour = match severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
        };
        Palette {
            severity: colour.on_default().bold(),
            emphasis: anstyle::Style::new().bold(),
            gutter: AnsiColor::Blue.on_default().bold(),
            help: AnsiColor::Cyan.on_default().bold(),
        }
    }
}

struct Report<'a> {
    diagnostic: &'a Diagnostic,
    palette: Palette,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Palette {
            severity,
            emphasis,
            gutter,
            help,
        } = &self.palette;
        let Diagnostic {
            location, problem, ..
        } = self.diagnostic;
        let word = self.diagnostic.severity.word();
        let place = format!(
            "{}:{}:{}:",
            location.path.display(),
            location.line,
            location.column
        );
        writeln!(
            f,
            "{emphasis}{place}{emphasis:#} {severity}{word}:{severity:#} {emphasis}{problem}{emphasis:#}"
        )?;
        if let Some(text) = &location.source_line {
            let number = location.line.to_string();
            let pad = " ".repeat(number.len());
            let before: String = text
                .chars()
                .take(location.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(span_width(text, location.column));
            writeln!(f, "{gutter}{pad} |{gutter:#}")?;
            writeln!(f, "{gutter}{number} |{gutter:#} {text}")?;
            writeln!(
                f,
                "{gutter}{pad} |{gutter:#} {before}{severity}{carets}{severity:#}"
            )?;
        }
        if let Some(hint) = problem.help() {
            writeln!(f, "  {help}help:{help:#} {hint}")?;
        }
        Ok(())
    }
}

/// How many characters to underline from `column` (1-based) of `line`: a bracketed or quoted
/// value up to its closing mark, one item of a YAML list, the rest of a `key: value` line
/// (minus any `# comment`), else the word at the column.
fn span_width(line: &str, column: usize) -> usize {
    let rest: String = line.chars().skip(column.saturating_sub(1)).collect();
    let Some(first) = rest.chars().next() else {
        return 1;
    };
    let closer = match first {
        '[' => Some(']'),
        '{' => Some('}'),
        '(' => Some(')'),
        '"' | '\'' | '`' => Some(first),
        _ => None,
    };
    if let Some(closer) = closer {
        return rest
            .chars()
            .skip(1)
            .position(|c| c == closer)
            .map_or(1, |end| end + 2);
    }
    let before: String = line.chars().take(column.saturating_sub(1)).collect();
    let before = before.trim_end();
    let value = rest.split(" #").next().unwrap_or_default();
    let end = if before.ends_with(['[', ',']) {
        value
            .split([',', ']'])
            .next()
            .unwrap_or_default()
            .trim_end()
            .chars()
            .count()
    } else if before.ends_with(':') || before.trim_start() == "-" {
        value.trim_end().chars().count()
    } else {
        rest.chars()
            .position(|c| c.is_whitespace() || c == ':')
            .unwrap_or(rest.chars().count())
    };
    end.max(1)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::{Location, Problem};

    #[test]
    fn spans_cover_the_value() {
        assert_eq!(span_width("rockets: [H3, Nuri]  # two", 10), 10);
        assert_eq!(span_width("outcome: sucess  # oops", 10), 6);
        assert_eq!(span_width("  - title: KCNA", 12), 4);
        assert_eq!(span_width("See [the page](x.md) for more.", 5), 10);
        assert_eq!(span_width("plain words here", 7), 5);
        assert_eq!(span_width("countries: [Noth Korea, Japan]", 13), 10);
        assert_eq!(span_width("countries: [Japan, Noth Korea]", 20), 10);
        assert_eq!(span_width("  - Noth Korea  # typo", 5), 10);
        assert_eq!(span_width("short", 40), 1);
    }

    #[test]
    fn json_has_every_field() {
        let text = "---\noutcome: sucess\n---\n";
        let diagnostic = Diagnostic::warning(
            Location::in_text(Path::new("a.md"), text, 2, 10),
            Problem::BadOutcome {
                value: "sucess".into(),
            },
        );
        let json = serde_json::to_value(diagnostic.to_json()).unwrap();
        assert_eq!(json["file"], "a.md");
        assert_eq!(
            (json["line"].as_u64(), json["column"].as_u64()),
            (Some(2), Some(10))
        );
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["code"], "bad-outcome");
        assert_eq!(json["suggestion"], "did you mean `success`?");
    }

    #[test]
    fn colours_only_when_asked() {
        let diagnostic = Diagnostic::error(Location::file(Path::new("a.md")), Problem::EmptyFile);
        assert!(!diagnostic.to_string().contains('\u{1b}'));
        assert!(
            diagnostic
                .coloured()
                .to_string()
                .contains("\u{1b}[1m\u{1b}[31merror:"),
            "{}",
            diagnostic.coloured()
        );
    }

    #[test]
    fn renders_headline_snippet_and_help() {
        let text = "---\nrocket: [H3]\n---\n";
        let diagnostic = Diagnostic::error(
            Location::in_text(Path::new("content/briefings/a.md"), text, 2, 1),
            Problem::UnknownKey {
                key: "rocket".into(),
                known: vec!["rockets", "countries"],
            },
        );
        let shown = diagnostic.to_string();
        assert!(
            shown.starts_with("content/briefings/a.md:2:1: error: unknown key `rocket`\n"),
            "{shown}"
        );
        assert!(shown.contains("2 | rocket: [H3]\n  | ^^^^^^\n"), "{shown}");
        assert!(shown.contains("help: did you mean `rockets`?"), "{shown}");
    }
}
