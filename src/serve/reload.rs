//! Live reload and the error overlay: the small script injected into served HTML, the
//! server-sent events it listens to, and the overlay that shows a failed build's diagnostics
//! on top of the last good page.
//!
//! The protocol is one event: `build`, whose data is the id of the current build. A page
//! remembers the first id it hears and reloads when it hears another, so a rebuild, a failed
//! build, its fix and a restarted server all come down to the same rule. This module only
//! changes HTML that is being served; `apogee build` output never passes through it.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::watch;

use super::snapshot::Preview;
use crate::diagnostic::Diagnostic;

/// Every URL the preview server reserves for itself starts with this.
pub const RESERVED_PREFIX: &str = "/__apogee/";
/// The event stream.
pub const EVENTS_PATH: &str = "/__apogee/events";
/// The live-reload script.
pub const SCRIPT_PATH: &str = "/__apogee/live-reload.js";

/// Listens for builds and reloads the page when the build id changes; reconnects by itself,
/// with a growing pause, when the server goes away. A hidden tab lets go of its connection
/// (browsers allow a handful per host) and asks again when it is shown.
pub const SCRIPT: &str = r#"(() => {
  "use strict";
  let seen = null;
  let pause = 250;
  let events = null;
  let retry = null;
  const connect = () => {
    retry = null;
    events = new EventSource("/__apogee/events");
    events.addEventListener("build", (event) => {
      pause = 250;
      if (seen !== null && seen !== event.data) {
        window.location.reload();
      }
      seen = event.data;
    });
    events.onerror = () => {
      events.close();
      events = null;
      if (!document.hidden) {
        retry = setTimeout(connect, pause);
        pause = Math.min(pause * 2, 4000);
      }
    };
  };
  // Escape dismisses the overlay of a failed build, as its button does.
  document.addEventListener("keydown", (event) => {
    const overlay = document.getElementById("apogee-build-error");
    if (event.key === "Escape" && overlay) { overlay.remove(); }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      if (events) { events.close(); events = null; }
    } else if (!events && !retry) {
      connect();
    }
  });
  connect();
})();
"#;

/// The stream of `build` events for one page: the current id at once, then each new one.
pub async fn events(
    State(preview): State<watch::Receiver<Preview>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut receiver = preview.clone();
    receiver.mark_changed();
    let stream = stream::unfold(receiver, |mut receiver| async move {
        receiver.changed().await.ok()?;
        let id = receiver.borrow_and_update().build_id.clone();
        Some((Ok(Event::default().event("build").data(id)), receiver))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `html` with the live-reload script, and the overlay of `failure` if there is one, added
/// just before `</body>` (or at the end when there is no such tag).
pub fn inject(html: &[u8], failure: Option<&[Diagnostic]>) -> Vec<u8> {
    let mut addition = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    if let Some(diagnostics) = failure {
        addition.push_str(&overlay(diagnostics));
    }
    let at = find_body_end(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_body_end(html: &[u8]) -> Option<usize> {
    const TAG: &[u8] = b"</body";
    html.windows(TAG.len())
        .rposition(|window| window.eq_ignore_ascii_case(TAG))
}

/// The overlay's styles: its own, by id and `!important`, so that no theme can hide or
/// restyle it; light or dark with the reader's colour scheme.
const OVERLAY_STYLE: &str = "<style>\
#apogee-build-error{position:fixed!important;inset:0!important;z-index:2147483647!important;\
display:block!important;overflow:auto!important;margin:0!important;padding:2rem!important;\
box-sizing:border-box!important;background:#fffbeb!important;color:#1f1300!important;\
border:.4rem solid #b91c1c!important;font:1rem/1.5 system-ui,sans-serif!important;text-align:left!important}\
#apogee-build-error h2{margin:0 3rem 0 0!important;color:#991b1b!important;font-size:1.5rem!important}\
#apogee-build-error ul{padding-left:1.2rem!important}\
#apogee-build-error pre{margin:0!important;white-space:pre-wrap!important;\
font:.95rem/1.4 ui-monospace,monospace!important;color:inherit!important;background:none!important}\
#apogee-build-error-close{position:absolute!important;top:1rem!important;right:1rem!important;\
padding:.3rem .7rem!important;font:inherit!important;cursor:pointer!important;\
background:#fff!important;color:#991b1b!important;border:2px solid #991b1b!important;border-radius:.4rem!important}\
#apogee-build-error-close:focus-visible{outline:3px solid #1d4ed8!important;outline-offset:2px!important}\
@media (prefers-color-scheme:dark){\
#apogee-build-error{background:#1c1008!important;color:#fde8d7!important;border-color:#f87171!important}\
#apogee-build-error h2{color:#fca5a5!important}\
#apogee-build-error-close{background:#2a1710!important;color:#fca5a5!important;border-color:#fca5a5!important}\
#apogee-build-error-close:focus-visible{outline-color:#93c5fd!important}}\
</style>";

/// The overlay listing a failed build's diagnostics, escaped, above everything else on the
/// page. The writer can dismiss it (its button, or Escape) to look at the last good page;
/// the next build brings it back if the site is still broken.
pub fn overlay(diagnostics: &[Diagnostic]) -> String {
    let mut items = String::new();
    for diagnostic in diagnostics {
        items.push_str("<li><pre>");
        items.push_str(&escape(&diagnostic.to_string()));
        items.push_str("</pre></li>");
    }
    let count = diagnostics.len();
    let heading = if count == 1 {
        "1 problem".to_owned()
    } else {
        format!("{count} problems")
    };
    format!(
        "<section id=\"apogee-build-error\" role=\"alert\" aria-labelledby=\"apogee-build-error-title\">\
         {OVERLAY_STYLE}\
         <button type=\"button\" id=\"apogee-build-error-close\" \
         onclick=\"this.parentNode.remove()\">Dismiss</button>\
         <h2 id=\"apogee-build-error-title\">Build failed: {heading}</h2>\
         <p>The preview still holds the last good build. Fix the file and save: this page reloads by itself.</p>\
         <ul>{items}</ul></section>"
    )
}

/// The page served for every path when no build has succeeded yet.
pub fn failure_page(diagnostics: &[Diagnostic]) -> Vec<u8> {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                <title>Build failed</title></head><body><main></main></body></html>";
    inject(page.as_bytes(), Some(diagnostics))
}

/// Minimal HTML escaping for text and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::{Location, Problem};

    #[test]
    fn script_goes_before_the_last_body_tag() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, None)).unwrap();
        assert!(out.starts_with(
            "<html><body><p>x</p><script src=\"/__apogee/live-reload.js\" defer></script></BODY>"
        ));
    }

    #[test]
    fn html_without_body_gets_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"<p>x</p>", None)).unwrap();
        assert!(out.ends_with("defer></script>"));
    }

    #[test]
    fn overlay_escapes_diagnostics() {
        let location = Location::file(Path::new("content/briefings/<x>.md"));
        let diagnostic = Diagnostic::error(
            location,
            Problem::Yaml {
                message: "bad <script>alert(1)</script>".into(),
            },
        );
        let out = overlay(&[diagnostic]);
        assert!(out.contains("content/briefings/&lt;x&gt;.md"));
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!out.contains("<script>"));
        assert!(out.contains("Build failed: 1 problem"));
    }

    #[test]
    fn overlay_can_be_dismissed_and_follows_the_dark_scheme() {
        let diagnostic = Diagnostic::error(
            Location::file(Path::new("site.yaml")),
            Problem::Yaml {
                message: "bad".into(),
            },
        );
        let out = overlay(&[diagnostic]);
        assert!(out.contains("<button type=\"button\" id=\"apogee-build-error-close\""));
        assert!(out.contains("onclick=\"this.parentNode.remove()\">Dismiss</button>"));
        assert!(out.contains("@media (prefers-color-scheme:dark)"));
        assert!(SCRIPT.contains("\"Escape\""), "Escape dismisses it too");
    }
}
