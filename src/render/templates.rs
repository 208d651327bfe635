//! Compiling a theme's templates with Tera, with the functions and filters apogee adds
//! (`t` for the theme's strings, `date` for dates in the site's language, `json` for data
//! handed to scripts), and locating
//! Tera's errors in the template files that caused them. What the templates are given is
//! `render`'s business.

use std::sync::Arc;

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

impl Templates {
    pub(super) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|error| template_error(&self.sources, name, &error))
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
