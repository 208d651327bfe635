//! Compiling a theme's templates with Tera, with the functions and filters apogee adds
//! (`t` for the theme's strings, `date` for dates in the site's language, `json` for data
//! handed to scripts), and locating Tera's errors in the template files that caused them. What the templates are given is `render`'s business.
//!
//! Tera has no step limit, so a template loop (`{% for i in range(end=100000) %}` nested in
//! another) could run for hours and fill memory. Every page is rendered into a [`Budget`]:
//! a writer that refuses output beyond [`MAX_PAGE_BYTES`] or after [`MAX_PAGE_TIME`], which
//! stops Tera at its next write with an error naming the template. A loop that writes nothing
//! cannot be stopped this way (Tera offers no hook between iterations); it can only iterate
//! over the site's data or over `range()`, which Tera caps at 100,000 items per call.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::load::date::LaunchDate;
use crate::load::i18n::Strings;
use crate::load::theme::Template;

/// Compiled templates, with their sources kept for locating errors.
pub struct Templates {
    tera: Tera,
    sources: Vec<Template>,
}

/// Compiles the templates; a template that does not compile is a located diagnostic.
/// `strings` are the site's, for the `t` function and the `date` filter.
pub fn compile(templates: &[Template], strings: &Strings) -> Result<Templates, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    let strings = Arc::new(strings.clone());
    let for_t = Arc::clone(&strings);
    tera.register_function("t", move |kwargs: Kwargs, _: &State| {
        translate(&for_t, &kwargs)
    });
    tera.register_filter("json", |value: Value, _: Kwargs, _: &State| {
        serde_json::to_string(&value).map_err(tera::Error::message)
    });
    tera.register_filter("date", move |value: Value, kwargs: Kwargs, _: &State| {
        format_date(&strings, &value, &kwargs)
    });
    let sources = templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
    tera.add_raw_templates(sources)
        .map_err(|error| vec![template_error(templates, "", &error)])?;
    Ok(Templates {
        tera,
        sources: templates.to_vec(),
    })
}

/// The most one page may hold: far beyond any real page (a term page listing ten thousand
/// briefings is a few megabytes), well short of exhausting memory.
pub const MAX_PAGE_BYTES: usize = 64 << 20;

/// The longest one page may take to render: real pages take milliseconds.
pub const MAX_PAGE_TIME: Duration = Duration::from_secs(30);

impl Templates {
    pub(super) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        let mut budget = Budget::new(MAX_PAGE_BYTES, Instant::now() + MAX_PAGE_TIME);
        let rendered = self.tera.render_to(name, context, &mut budget);
        if let Some(reason) = budget.exceeded {
            return Err(self.limit_error(name, reason));
        }
        rendered.map_err(|error| template_error(&self.sources, name, &error))?;
        String::from_utf8(budget.bytes).map_err(|error| {
            let problem = Problem::Template {
                message: error.to_string(),
            };
            Diagnostic::error(self.location_of(name), problem)
        })
    }

    fn limit_error(&self, name: &str, reason: String) -> Diagnostic {
        let problem = Problem::TemplateLimit {
            name: name.to_owned(),
            reason,
        };
        Diagnostic::error(self.location_of(name), problem)
    }

    fn location_of(&self, name: &str) -> Location {
        match self.sources.iter().find(|t| t.name == name) {
            Some(template) => Location::file(&template.origin),
            None => Location::file(std::path::Path::new("templates")),
        }
    }
}

/// Output that refuses to grow past a size or a moment: Tera stops at the refused write.
struct Budget {
    bytes: Vec<u8>,
    max_bytes: usize,
    deadline: Instant,
    /// Why the budget refused a write, once it has.
    exceeded: Option<String>,
}

impl Budget {
    fn new(max_bytes: usize, deadline: Instant) -> Self {
        Budget {
            bytes: Vec::with_capacity(16 << 10),
            max_bytes,
            deadline,
            exceeded: None,
        }
    }
}

impl Write for Budget {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + data.len() > self.max_bytes {
            self.exceeded = Some(format!(
                "wrote more than {} MB for one page: is a loop running away?",
                self.max_bytes >> 20
            ));
        } else if Instant::now() > self.deadline {
            self.exceeded = Some(format!(
                "took more than {} seconds for one page: is a loop running away?",
                MAX_PAGE_TIME.as_secs()
            ));
        }
        if self.exceeded.is_some() {
            return Err(io::Error::other("the page's budget is spent"));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `t(key="briefings_count", n=3, name="H3")`: the string `key` in the site's language, its
/// `_one` form when `n` is one, with `{n}` and every other argument's `{name}` put in.
fn translate(strings: &Strings, kwargs: &Kwargs) -> tera::TeraResult<String> {
    let key: String = kwargs.must_get("key")?;
    let mut fill: Vec<(String, String)> = Vec::new();
    let mut n = None;
    for (name, value) in kwargs.iter() {
        let Some(name) = name.as_str() else { continue };
        match name {
            "key" => {}
            "n" => n = value.as_i128(),
            _ => fill.push((name.to_owned(), value.to_string())),
        }
    }
    let fill: Vec<(&str, &str)> = fill.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Ok(match n {
        Some(n) => strings.counted(&key, i64::try_from(n).unwrap_or(i64::MAX), &fill),
        None => strings.fill(&key, &fill),
    })
}

/// `{{ briefing.date.machine | date(format="%-d %B %Y") }}`: a date (`YYYY-MM-DD` or RFC
/// 3339) formatted with jiff's strftime, month names (`%B`, `%b`) in the site's language.
/// Without `format`, the site's own date format. A date-time keeps the wall-clock time it
/// was written with; add `utc=true` to format it in UTC.
fn format_date(strings: &Strings, value: &Value, kwargs: &Kwargs) -> tera::TeraResult<String> {
    let text = value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string());
    let date = LaunchDate::parse(&text).ok_or_else(|| {
        tera::Error::message(format!(
            "the `date` filter needs a date such as 2023-08-24 or 2023-08-24T06:50:00Z, got `{text}`"
        ))
    })?;
    let utc: bool = kwargs.get("utc")?.unwrap_or(false);
    let when = if utc {
        date.utc().unwrap_or_else(|| date.local())
    } else {
        date.local()
    };
    Ok(match kwargs.get::<String>("format")? {
        Some(format) => strings.strftime(&when, &format),
        None => strings.day(when.date()),
    })
}

/// Locates a Tera error in the template it names (`--> name:line:column` in Tera's report),
/// else in `fallback`, the template being rendered.
fn template_error(templates: &[Template], fallback: &str, error: &tera::Error) -> Diagnostic {
    let mut report = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        report.push('\n');
        report.push_str(&cause.to_string());
        source = cause.source();
    }
    let pointer = report.find("--> ").map(|at| {
        let rest = &report[at + 4..];
        let spot = rest.split_whitespace().next().unwrap_or_default();
        let mut parts = spot.rsplitn(3, ':');
        let column = parts.next().and_then(|c| c.parse::<usize>().ok());
        let line = parts.next().and_then(|l| l.parse::<usize>().ok());
        (parts.next().unwrap_or_default().to_owned(), line, column)
    });
    let (name, line, column) = pointer.unwrap_or((fallback.to_owned(), None, None));
    let template = templates
        .iter()
        .find(|t| t.name == name)
        .or_else(|| templates.iter().find(|t| t.name == fallback));
    let location = match (template, line, column) {
        (Some(t), Some(line), Some(column)) => Location::in_text(&t.origin, &t.text, line, column),
        (Some(t), _, _) => Location::file(&t.origin),
        (None, _, _) => Location::file(std::path::Path::new("templates")),
    };
    // The first line says what is wrong; the rest of Tera's report repeats the snippet we show.
    let message: Vec<&str> = report
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with("-->")
                && !l.trim_start().starts_with('|')
                && !l.trim().is_empty()
        })
        .filter(|l| {
            !l.trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .map(|l| l.trim().trim_start_matches("error: "))
        .collect();
    Diagnostic::error(
        location,
        Problem::Template {
            message: message.join(": "),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, text: &str) -> Template {
        Template {
            name: name.to_owned(),
            text: text.to_owned(),
            origin: std::path::PathBuf::from(format!("templates/{name}")),
        }
    }

    #[test]
    fn a_runaway_loop_stops_at_the_budget_with_the_template_named() {
        let chunk = "x".repeat(1024);
        let text = format!(
            "{{% for i in range(end=100000) %}}{{% for j in range(end=100000) %}}{chunk}{{% endfor %}}{{% endfor %}}"
        );
        let templates = compile(&[template("loop.html", &text)], &Strings::english()).unwrap();
        let error = templates.render("loop.html", &Context::new()).unwrap_err();
        assert_eq!(
            error.location.path,
            std::path::Path::new("templates/loop.html")
        );
        assert!(
            matches!(&error.problem, Problem::TemplateLimit { name, reason } if name == "loop.html" && reason.contains("64 MB")),
            "{error:?}"
        );
    }

    #[test]
    fn the_deadline_stops_output_too() {
        let mut budget = Budget::new(1 << 20, Instant::now() - Duration::from_secs(1));
        assert!(budget.write_all(b"late").is_err());
        assert!(budget.exceeded.unwrap().contains("seconds"));
    }
}
