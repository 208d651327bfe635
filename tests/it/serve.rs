//! `apogee serve` end to end: the binary runs on a free loopback port over a site in a temp
//! folder; requests are raw HTTP/1.1 over TcpStream, so that traversal paths reach the
//! server exactly as written. Every wait is a bounded poll, and the server is killed when
//! the test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::TestSite;

const WAIT: Duration = Duration::from_secs(20);

fn briefing(title: &str, date: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nrockets: [H3]\ncountries: [Japan]\noutcome: success\n---\n{body}\n"
    )
}

/// A small site: two briefings and a rocket page.
fn site() -> TestSite {
    TestSite::new()
        .file(
            "site.yaml",
            "title: Test archive\nbase_url: https://example.org/archive/\n",
        )
        .file(
            "content/briefings/2024/first-flight.md",
            &briefing("First flight", "2024-02-17", "The first flight went well."),
        )
        .file(
            "content/briefings/2024/second-flight.md",
            &briefing(
                "Second flight",
                "2024-07-01",
                "See [the first](first-flight.md).",
            ),
        )
        .file(
            "content/rockets/h3.md",
            "---\nname: H3\ncountry: Japan\n---\nJapan's launcher.\n",
        )
        .file("secret.txt", "TOP-SECRET-CONTENTS\n")
}

/// A running `apogee serve`; killed on drop.
struct Server {
    child: Child,
    host: String,
    /// The server's stdout, line by line (kept open so that it stays writable).
    output: mpsc::Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_apogee"));
        command
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(args);
        Server::start_command(command)
    }

    /// `apogee serve` started with a soft limit of `limit` open files (the hard limit stays).
    fn start_with_file_limit(root: &Path, limit: u32) -> Server {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "ulimit -Sn {limit} && exec \"$0\" serve --port 0 --root \"$1\""
            ))
            .arg(env!("CARGO_BIN_EXE_apogee"))
            .arg(root);
        Server::start_command(command)
    }

    fn start_command(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("apogee starts");
        let stdout = child.stdout.take().unwrap();
        let (lines, output) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    return;
                }
            }
        });
        let deadline = Instant::now() + WAIT;
        let url = loop {
            let line = output
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve prints its URL");
            if let Some(rest) = line.strip_prefix("Serving the site at ") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        let host = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        assert!(
            host.starts_with("127.0.0.1:"),
            "loopback by default: {host}"
        );
        Server {
            child,
            host,
            output,
        }
    }

    /// How many lines printed since the server started listening (or since the last call)
    /// start with `prefix`.
    fn lines_starting_with(&mut self, prefix: &str) -> usize {
        std::thread::sleep(Duration::from_millis(300));
        self.output
            .try_iter()
            .filter(|line| line.starts_with(prefix))
            .count()
    }

    /// Sends `method path` as a raw request line and reads the whole response.
    fn request(&self, method: &str, path: &str) -> Response {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// Polls `path` until `done` holds for the response, or fails after a while.
    fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let response = self.get(path);
            if done(&response) {
                return response;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never showed {what}; last: {} {}",
                response.status,
                response.body
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_owned(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from));
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn serves_pages_folders_assets_and_the_404_page() {
    let site = site();
    let server = Server::start(site.root());

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Second flight"));
    assert!(
        home.body.contains("/__apogee/live-reload.js"),
        "served HTML gets the live-reload script"
    );
    // base_url becomes the local address: links start at the root, not at /archive/.
    assert!(
        home.body.contains("href=\"/briefings/second-flight/\""),
        "links follow the local address"
    );

    let page = server.get("/briefings/first-flight/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The first flight went well."));

    let redirect = server.get("/briefings/first-flight?x=1");
    assert_eq!(redirect.status, 302);
    assert_eq!(
        redirect.header("location"),
        Some("/briefings/first-flight/?x=1")
    );

    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("__apogee"), "only HTML gets the script");

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the theme's 404 page");

    let script = server.get("/__apogee/live-reload.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));

    assert_eq!(server.request("POST", "/").status, 405);
}

#[test]
fn head_answers_headers_without_a_body() {
    let site = site();
    let server = Server::start(site.root());
    let get = server.get("/briefings/first-flight/");
    let head = server.request("HEAD", "/briefings/first-flight/");
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "");
    assert_eq!(
        head.header("content-length").map(str::to_owned),
        Some(get.body.len().to_string())
    );
    assert_eq!(server.request("HEAD", "/missing/").status, 404);
}

#[test]
fn traversal_paths_are_refused_and_sources_are_not_served() {
    let site = site();
    let server = Server::start(site.root());
    for path in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/..././secret.txt",
        "//secret.txt",
        "/secret.txt",
        "/content/briefings/2024/first-flight.md",
        "/site.yaml",
    ] {
        let response = server.get(path);
        assert!(
            [400, 404].contains(&response.status),
            "{path} -> {}",
            response.status
        );
        assert!(
            !response.body.contains("TOP-SECRET"),
            "{path} leaked a file"
        );
        assert!(
            !response.body.contains("root:"),
            "{path} leaked /etc/passwd"
        );
    }
}

#[test]
fn an_edit_shows_up_and_atomic_saves_deletes_and_renames_are_followed() {
    let site = site();
    let server = Server::start(site.root());
    let first = site.root().join("content/briefings/2024/first-flight.md");

    replace_in(&first, "went well", "went splendidly");
    server.wait_for("/briefings/first-flight/", "the edit", |r| {
        r.body.contains("went splendidly")
    });

    // An editor's atomic save: write a temporary file, rename it over the original.
    let temporary = first.with_file_name(".first-flight.md.tmp");
    std::fs::write(
        &temporary,
        briefing("First flight", "2024-02-17", "Saved atomically."),
    )
    .unwrap();
    std::fs::rename(&temporary, &first).unwrap();
    server.wait_for("/briefings/first-flight/", "the atomic save", |r| {
        r.body.contains("Saved atomically.")
    });

    let renamed = first.with_file_name("maiden-flight.md");
    std::fs::rename(&first, &renamed).unwrap();
    // The second briefing links to the old name: fix the link, as a writer would.
    replace_in(
        &site.root().join("content/briefings/2024/second-flight.md"),
        "first-flight.md",
        "maiden-flight.md",
    );
    server.wait_for("/briefings/maiden-flight/", "the renamed page", |r| {
        r.status == 200
    });
    server.wait_for("/briefings/first-flight/", "the old name gone", |r| {
        r.status == 404
    });
    let second = server.get("/briefings/second-flight/");
    assert!(
        second.body.contains("href=\"/briefings/maiden-flight/\""),
        "links follow the rename"
    );

    std::fs::remove_file(&renamed).unwrap();
    replace_in(
        &site.root().join("content/briefings/2024/second-flight.md"),
        "[the first](maiden-flight.md)",
        "the first",
    );
    server.wait_for("/briefings/maiden-flight/", "the deleted page gone", |r| {
        r.status == 404
    });
    let home = server.get("/");
    assert!(
        !home.body.contains("First flight"),
        "the home page forgets a deleted briefing"
    );
}

#[test]
fn a_broken_file_shows_an_overlay_until_it_is_fixed() {
    let site = site();
    let server = Server::start(site.root());
    let first = site.root().join("content/briefings/2024/first-flight.md");

    replace_in(&first, "date: 2024-02-17", "date: 2024-02-31 <b>");
    let broken = server.wait_for("/", "the overlay", |r| {
        r.body.contains("apogee-build-error")
    });
    assert_eq!(broken.status, 200, "the last good site is still served");
    assert!(
        broken.body.contains("Second flight"),
        "under the overlay, the last good page"
    );
    assert!(
        broken
            .body
            .contains("content/briefings/2024/first-flight.md:3:"),
        "located diagnostics"
    );
    assert!(
        broken.body.contains("&lt;b&gt;") && !broken.body.contains("31 <b>"),
        "diagnostics are escaped"
    );
    let other = server.get("/rockets/h3/");
    assert!(
        other.body.contains("apogee-build-error"),
        "the overlay is on every page"
    );

    replace_in(&first, "date: 2024-02-31 <b>", "date: 2024-02-18");
    let fixed = server.wait_for("/", "the overlay gone", |r| {
        !r.body.contains("apogee-build-error")
    });
    assert_eq!(fixed.status, 200);
    assert!(fixed.body.contains("First flight"));
}

#[test]
fn the_event_stream_announces_each_build() {
    let site = site();
    let server = Server::start(site.root());
    let mut stream = TcpStream::connect(&server.host).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET /__apogee/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.host
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut next_id = || {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                reader.read_line(&mut line).unwrap() > 0,
                "the stream stays open"
            );
            if let Some(id) = line.trim_end().strip_prefix("data: ") {
                return id.to_owned();
            }
        }
    };
    let first = next_id();
    replace_in(
        &site.root().join("content/briefings/2024/first-flight.md"),
        "went well",
        "went fine",
    );
    let second = next_id();
    assert_ne!(first, second, "a rebuild announces a new build id");
}

#[test]
fn a_taken_port_is_named_with_the_way_out() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = site();
    let output = Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port}")) && stderr.contains("--port"),
        "{stderr}"
    );
}

#[test]
fn build_output_never_gets_the_reload_script() {
    let site = site();
    let status = Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(["build", "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let home = std::fs::read_to_string(site.root().join("public/index.html")).unwrap();
    assert!(!home.contains("__apogee"));
}

#[test]
fn a_site_broken_from_the_start_shows_the_overlay_then_the_site_once_fixed() {
    let site = site();
    let first = site.root().join("content/briefings/2024/first-flight.md");
    replace_in(&first, "title: First flight\n", "");
    let server = Server::start(site.root());

    let broken = server.get("/briefings/second-flight/");
    assert_eq!(broken.status, 503, "no good build to serve yet");
    assert!(broken.body.contains("apogee-build-error"));
    assert!(broken.body.contains("missing `title`"), "{}", broken.body);
    assert!(
        broken.body.contains("/__apogee/live-reload.js"),
        "the page reloads once fixed"
    );

    replace_in(&first, "date:", "title: First flight\ndate:");
    let fixed = server.wait_for("/briefings/second-flight/", "the site", |r| r.status == 200);
    assert!(!fixed.body.contains("apogee-build-error"));
}

#[test]
fn editor_droppings_do_not_rebuild() {
    let site = site();
    let mut server = Server::start(site.root());
    let folder = site.root().join("content/briefings/2024");
    for name in [
        ".first-flight.md.swp",
        "first-flight.md~",
        ".#first-flight.md",
        "4913",
    ] {
        std::fs::write(folder.join(name), "not a briefing").unwrap();
    }
    // Well past the debouncer's quiet time: a rebuild would have been printed by now.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        server.lines_starting_with("Built "),
        0,
        "no rebuild for editor files"
    );
    // The watcher is alive all the same.
    replace_in(&folder.join("first-flight.md"), "went well", "went fine");
    server.wait_for("/briefings/first-flight/", "the edit", |r| {
        r.body.contains("went fine")
    });
    assert_eq!(
        server.lines_starting_with("Built "),
        1,
        "one rebuild, for the real edit"
    );
}

#[test]
fn feeds_and_the_sitemap_follow_edits_at_the_local_address() {
    let site = site();
    let server = Server::start(site.root());
    let sitemap = server.get("/sitemap.xml");
    assert_eq!(sitemap.status, 200);
    let local = format!("http://{}/briefings/first-flight/", server.host);
    assert!(
        sitemap.body.contains(&local),
        "absolute URLs at the local address: {}",
        sitemap.body
    );
    assert!(server.get("/robots.txt").body.contains("sitemap.xml"));

    let first = site.root().join("content/briefings/2024/first-flight.md");
    replace_in(&first, "went well", "went splendidly");
    server.wait_for("/feed.xml", "the edited text in the feed", |r| {
        r.status == 200 && r.body.contains("went splendidly")
    });
}

#[test]
fn a_base_url_with_a_path_is_used_by_links_and_served() {
    let site = site();
    let server = Server::start_with(site.root(), &["-u", "https://example.org/preview/"]);
    let page = server.get("/preview/briefings/second-flight/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("href=\"/preview/briefings/first-flight/\""),
        "links carry the path of --base-url: {}",
        page.body
    );
    // A proxy that strips the path reaches the same page.
    assert_eq!(server.get("/briefings/second-flight/").status, 200);
}

#[test]
fn verbose_prints_the_stages_of_each_rebuild() {
    let site = site();
    let mut server = Server::start_with(site.root(), &["--verbose"]);
    replace_in(
        &site.root().join("content/briefings/2024/first-flight.md"),
        "went well",
        "went very well",
    );
    server.wait_for("/briefings/first-flight/", "the edit", |r| {
        r.body.contains("went very well")
    });
    assert!(
        server.lines_starting_with("  ") > 0,
        "stage lines such as `     12 ms  render`"
    );
}

#[test]
fn a_change_of_language_reaches_every_page_of_the_preview() {
    let site = site();
    let server = Server::start(site.root());
    assert!(server.get("/").body.contains("Latest briefings"));
    replace_in(
        &site.root().join("site.yaml"),
        "title: Test archive\n",
        "title: Test archive\nlanguage: fr\n",
    );
    server.wait_for("/", "French strings", |r| {
        r.body.contains("Dernières notes")
    });
    let page = server.get("/briefings/first-flight/");
    assert!(page.body.contains("17 février 2024"), "{}", page.body);
}

#[cfg(unix)]
#[test]
fn idle_connections_do_not_lock_other_clients_out() {
    let dir = site();
    // 100 descriptors, as a small default would give: before, 100 idle sockets took them all.
    let server = Server::start_with_file_limit(dir.root(), 100);
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(&server.host).expect("loopback connect"))
        .collect();
    let response = server.get("/");
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(response.body.contains("First flight"));
    drop(idle);
}
