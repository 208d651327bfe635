//! Compiling a theme's templates with Tera, and locating Tera's errors in the template
//! files that caused them. What the templates are given is `render`'s business.

use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::load::theme::Template;

/// Compiled templates, with their sources kept for locating errors.
pub struct Templates {
    tera: Tera,
    sources: Vec<Template>,
}

/// Compiles the templates; a template that does not compile is a located diagnostic.
pub fn compile(templates: &[Template]) -> Result<Templates, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
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
