//! The preview server seen from outside: real HTTP over TCP against a server on 127.0.0.1:0,
//! driven by a fake builder that publishes the files of a temporary folder as the site.
//!
//! Requests are written by hand on a raw socket so that odd targets (`..`, backslashes,
//! percent-encoded separators) reach the server exactly as written; an HTTP client library would
//! normalise them first. Every wait is bounded, so a broken server fails a test instead of
//! hanging it.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cityreport::output::SiteFiles;
use cityreport::serve::{self, BuildFailure, Rebuild, ServeConfig, ServerHandle};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// The fake builder

/// Publishes every regular file under `root` as a site file with the same relative path. A file
/// with a line starting `ERROR:` fails the build at that line. Symlinks are not followed, like a
/// real builder that reads only its own sources.
struct FolderBuilder {
    root: PathBuf,
    calls: Arc<Mutex<Vec<Vec<PathBuf>>>>,
}

impl Rebuild for FolderBuilder {
    fn rebuild(&mut self, changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
        self.calls.lock().unwrap().push(changed.to_vec());
        let mut site = SiteFiles::new();
        for entry in walkdir::WalkDir::new(&self.root).follow_links(false) {
            let entry = entry.map_err(|e| BuildFailure::new(e.to_string()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&self.root).unwrap().to_string_lossy().replace('\\', "/");
            // A file can vanish between listing and reading while an editor saves; the next
            // build (its event is already queued) sees the settled state.
            let Ok(bytes) = fs::read(entry.path()) else { continue };
            let text = String::from_utf8_lossy(&bytes);
            if let Some((n, line)) = text.lines().enumerate().find(|(_, l)| l.starts_with("ERROR:")) {
                return Err(BuildFailure {
                    file: Some(rel),
                    line: Some(n + 1),
                    message: line["ERROR:".len()..].trim().to_owned(),
                });
            }
            site.insert(rel, bytes);
        }
        Ok(site)
    }
}

struct Preview {
    dir: tempfile::TempDir,
    server: ServerHandle,
    calls: Arc<Mutex<Vec<Vec<PathBuf>>>>,
}

impl Preview {
    /// Writes `files` into a fresh source folder and starts a server watching it.
    fn start(files: &[(&str, &[u8])]) -> Preview {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir(&src).unwrap();
        for (path, bytes) in files {
            write(&src.join(path), bytes);
        }
        let calls = Arc::new(Mutex::new(Vec::new()));
        let builder = FolderBuilder { root: src.clone(), calls: Arc::clone(&calls) };
        let config = ServeConfig {
            port: 0,
            watch: vec![src, dir.path().join("missing-folder")],
            debounce: Duration::from_millis(100),
            ..ServeConfig::default()
        };
        let server = serve::start(config, builder).unwrap();
        Preview { dir, server, calls }
    }

    fn src(&self, rel: &str) -> PathBuf {
        self.dir.path().join("src").join(rel)
    }

    fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    fn get(&self, target: &str) -> Resp {
        request(self.addr(), "GET", target, &[])
    }

    fn status(&self) -> Value {
        let resp = self.get("/__cityreport/status");
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("content-type"), Some("application/json"));
        serde_json::from_slice(&resp.body).unwrap()
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, bytes).unwrap();
}

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request with the target exactly as given and reads the whole response.
fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Resp {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_response(&raw, method == "HEAD")
}

fn parse_response(raw: &[u8], head_only: bool) -> Resp {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("response has a head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut resp = Resp { status, headers, body: raw[split + 4..].to_vec() };
    if head_only {
        return resp;
    }
    if resp.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        resp.body = dechunk(&resp.body);
    }
    resp
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal Server-Sent Events client

#[derive(Debug)]
struct Event {
    name: String,
    data: String,
    id: Option<String>,
}

/// The body of an event-stream response: HTTP/1.1 chunks (hyper sends each event as one) or,
/// without `Transfer-Encoding: chunked`, the raw bytes until the connection closes.
struct StreamBody {
    socket: BufReader<TcpStream>,
    chunked: bool,
    /// Bytes left in the current chunk.
    left: usize,
}

impl Read for StreamBody {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.chunked {
            return self.socket.read(buf);
        }
        if self.left == 0 {
            let mut size = String::new();
            if self.socket.read_line(&mut size)? == 0 {
                return Ok(0);
            }
            // The CRLF that ends the previous chunk comes first.
            if size.trim().is_empty() && self.socket.read_line(&mut size)? == 0 {
                return Ok(0);
            }
            let size = size.trim().split(';').next().unwrap_or_default();
            self.left = usize::from_str_radix(size, 16).map_err(std::io::Error::other)?;
            if self.left == 0 {
                return Ok(0);
            }
        }
        let n = self.socket.by_ref().take(self.left as u64).read(buf)?;
        self.left -= n;
        Ok(n)
    }
}

struct Sse {
    reader: BufReader<StreamBody>,
    seen: Vec<String>,
}

impl Sse {
    fn connect(addr: SocketAddr, last_event_id: Option<&str>) -> Sse {
        let mut stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut head = format!("GET /__cityreport/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n");
        if let Some(id) = last_event_id {
            head.push_str(&format!("Last-Event-ID: {id}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let (mut content_type, mut chunked) = (None, false);
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            let Some((n, v)) = line.split_once(':') else { continue };
            if n.eq_ignore_ascii_case("content-type") {
                content_type = Some(v.trim().to_owned());
            }
            if n.eq_ignore_ascii_case("transfer-encoding") {
                chunked = v.trim().eq_ignore_ascii_case("chunked");
            }
        }
        assert_eq!(content_type.as_deref(), Some("text/event-stream; charset=utf-8"));
        let body = StreamBody { socket: reader, chunked, left: 0 };
        Sse { reader: BufReader::new(body), seen: Vec::new() }
    }

    /// Connects and waits for the greeting, so that the stream is known to be registered
    /// before the test changes anything.
    fn ready(addr: SocketAddr) -> Sse {
        let mut sse = Sse::connect(addr, None);
        sse.wait_for("hello");
        sse
    }

    /// The next event, or `None` once the deadline has passed or the stream ended.
    fn next(&mut self, deadline: Instant) -> Option<Event> {
        let (mut name, mut data, mut id) = (String::from("message"), Vec::new(), None);
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.reader.get_ref().socket.get_ref().set_read_timeout(Some(left.max(Duration::from_millis(1)))).ok()?;
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if data.is_empty() && name == "message" {
                    continue;
                }
                return Some(Event { name, data: data.join("\n"), id });
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').map_or((line, ""), |(f, v)| (f, v.trim_start()));
            match field {
                "event" => name = value.to_owned(),
                "data" => data.push(value.to_owned()),
                "id" => id = Some(value.to_owned()),
                _ => {}
            }
        }
    }

    /// Skips other events until one named `name` arrives; panics after [`WAIT`].
    fn wait_for(&mut self, name: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        while let Some(event) = self.next(deadline) {
            if event.name == name {
                return event;
            }
            self.seen.push(event.name);
        }
        panic!("no `{name}` event within {WAIT:?}; saw {:?}", self.seen);
    }
}

// ---------------------------------------------------------------------------------------------
// Serving files

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn report_site() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("index.html", "<h1>首页 Home</h1>".as_bytes()),
        ("2020/zh/index.html", "<h1>2020 年报告</h1>".as_bytes()),
        ("assets/site.css", b"body { color: #111 }"),
        ("charts/rank.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("charts/map.png", PNG),
        ("data/2020.csv", "区,得分\n东城,81.2\n".as_bytes()),
        ("data/2020.json", b"{\"year\":2020}"),
        ("assets/app.js", b"console.log(1)"),
        ("assets/NotoSansSC.otf", b"OTTO"),
        ("assets/NotoSansSC.ttf", b"\0\x01\0\0"),
        ("assets/NotoSansSC.woff2", b"wOF2"),
        ("sitemap.xml", b"<urlset/>"),
    ]
}

#[test]
fn get_serves_each_file_with_its_content_type_and_no_caching() {
    let site = report_site();
    let p = Preview::start(&site);
    let expected = [
        ("/index.html", "text/html; charset=utf-8"),
        ("/2020/zh/index.html", "text/html; charset=utf-8"),
        ("/assets/site.css", "text/css; charset=utf-8"),
        ("/charts/rank.svg", "image/svg+xml"),
        ("/charts/map.png", "image/png"),
        ("/data/2020.csv", "text/csv; charset=utf-8"),
        ("/data/2020.json", "application/json"),
        ("/assets/app.js", "application/javascript; charset=utf-8"),
        ("/assets/NotoSansSC.otf", "font/otf"),
        ("/assets/NotoSansSC.ttf", "font/ttf"),
        ("/assets/NotoSansSC.woff2", "font/woff2"),
        ("/sitemap.xml", "application/xml"),
    ];
    for (target, content_type) in expected {
        let resp = p.get(target);
        assert_eq!(resp.status, 200, "{target}");
        assert_eq!(resp.header("content-type"), Some(content_type), "{target}");
        // Kept but revalidated on every use: never a stale page after a rebuild.
        assert_eq!(resp.header("cache-control"), Some("no-cache"), "{target}");
        let etag = resp.header("etag").expect("site files carry an ETag").to_string();
        let again = request(p.addr(), "GET", target, &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304, "{target}: unchanged file revalidates without a body");
        assert!(again.body.is_empty());
        let key = &target[1..];
        let bytes = site.iter().find(|(k, _)| *k == key).unwrap().1;
        assert_eq!(resp.body, bytes, "{target}");
    }
}

#[test]
fn percent_encoded_chinese_names_are_served() {
    let p = Preview::start(&[("数据/东城.csv", "区,得分\n".as_bytes())]);
    let resp = p.get("/%E6%95%B0%E6%8D%AE/%E4%B8%9C%E5%9F%8E.csv");
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), "区,得分\n");
}

#[test]
fn head_sends_the_headers_of_get_without_a_body() {
    let p = Preview::start(&report_site());
    let resp = request(p.addr(), "HEAD", "/assets/site.css", &[]);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(resp.header("content-length"), Some("20"));
    assert!(resp.body.is_empty(), "HEAD got a body: {:?}", resp.text());
}

#[test]
fn folders_serve_their_index_and_bare_folder_urls_redirect() {
    let p = Preview::start(&report_site());
    let root = p.get("/");
    assert_eq!(root.status, 200);
    assert_eq!(root.text(), "<h1>首页 Home</h1>");

    let folder = p.get("/2020/zh/");
    assert_eq!(folder.status, 200);
    assert_eq!(folder.text(), "<h1>2020 年报告</h1>");

    let bare = p.get("/2020/zh?from=nav");
    assert_eq!(bare.status, 301);
    assert_eq!(bare.header("location"), Some("/2020/zh/?from=nav"));

    // No 2020/index.html: not a page, so no redirect either.
    assert_eq!(p.get("/2020").status, 404);
    assert_eq!(p.get("/2020/").status, 404);
}

#[test]
fn missing_pages_get_a_small_html_404_that_loads_the_live_script() {
    let p = Preview::start(&report_site());
    let resp = p.get("/2021/zh/");
    assert_eq!(resp.status, 404);
    assert_eq!(resp.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(resp.header("cache-control"), Some("no-store"));
    assert!(resp.text().contains("404"));
    assert!(resp.text().contains(r#"<script src="/__cityreport/live.js" defer></script>"#));
}

#[test]
fn the_sites_own_404_page_is_used_when_it_has_one() {
    let p = Preview::start(&[("index.html", b"home"), ("404.html", "<h1>没有这一页</h1>".as_bytes())]);
    let resp = p.get("/nope.html");
    assert_eq!(resp.status, 404);
    assert_eq!(resp.text(), "<h1>没有这一页</h1>");
    // The reserved prefix answers with the same page for unknown routes.
    assert_eq!(p.get("/__cityreport/nope").text(), "<h1>没有这一页</h1>");
}

#[test]
fn methods_other_than_get_and_head_are_refused() {
    let p = Preview::start(&report_site());
    for method in ["POST", "PUT", "DELETE"] {
        let resp = request(p.addr(), method, "/index.html", &[("Content-Length", "0")]);
        assert_eq!(resp.status, 405, "{method}");
        assert_eq!(resp.header("allow"), Some("GET, HEAD"));
    }
}

/// DNS rebinding (issue #26): a request naming another host, as a page of another site whose
/// domain now resolves to 127.0.0.1 sends, is refused with 421 and a message saying which
/// address to open; localhost names and the bound address are answered.
#[test]
fn requests_for_another_host_are_refused() {
    let p = Preview::start(&report_site());
    let port = p.addr().port();
    let ask = |host: &str| {
        let mut stream = send_raw(p.addr(), format!("GET /index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        parse_response(&raw, false)
    };
    for foreign in [format!("rebind.example:{port}"), "rebind.example".to_string(), format!("localhost:{}", port.wrapping_add(1))] {
        let resp = ask(&foreign);
        assert_eq!(resp.status, 421, "{foreign}");
        assert!(resp.text().contains("answers only requests for localhost") && resp.text().contains(&format!("http://localhost:{port}/")), "{}", resp.text());
    }
    for own in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), "localhost".to_string()] {
        assert_eq!(ask(&own).status, 200, "{own}");
    }
}

// ---------------------------------------------------------------------------------------------
// Path safety

#[test]
fn traversal_attempts_get_404_and_never_a_file_from_disk() {
    let p = Preview::start(&report_site());
    // Tests run in the crate folder, so these name real files next to the server's working
    // directory; none of them is a key of the site.
    for target in [
        "/Cargo.toml",
        "/src/lib.rs",
        "/../Cargo.toml",
        "/%2e%2e/x",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E%2Fx",
        "/%2E%2E%2FCargo.toml",
        "/..%5cx",
        "/..%5CCargo.toml",
        "/a/../../x",
        "/2020/zh/../../index.html",
        "//etc/passwd",
        "/\\..\\x",
        "/\\etc\\passwd",
        "/index.html%00",
        "/index.html%00.css",
        "/%00",
        "/.",
        "/./index.html",
    ] {
        let resp = p.get(target);
        assert_eq!(resp.status, 404, "{target} -> {} {}", resp.status, resp.text());
        assert!(!resp.text().contains("[package]"), "{target} leaked Cargo.toml");
        assert!(!resp.text().contains("root:"), "{target} leaked /etc/passwd");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_sources_does_not_lead_out_of_the_site() {
    let p = Preview::start(&[("index.html", b"home")]);
    let mut sse = Sse::ready(p.addr());
    // A secret outside the watched folder, and links to it inside.
    let secret = p.dir.path().join("secret");
    write(&secret.join("key.txt"), b"TOP SECRET");
    std::os::unix::fs::symlink(&secret, p.src("outside")).unwrap();
    std::os::unix::fs::symlink(secret.join("key.txt"), p.src("key.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", p.src("etc")).unwrap();
    // Let the server rebuild with the links in place, so the requests below meet them.
    sse.wait_for("reload");

    for target in ["/outside/key.txt", "/key.txt", "/etc/passwd", "/etc/hostname"] {
        let resp = p.get(target);
        assert_eq!(resp.status, 404, "{target}");
        assert!(!resp.text().contains("TOP SECRET"), "{target}");
    }
}

// ---------------------------------------------------------------------------------------------
// Live reload

#[test]
fn the_live_script_is_served_and_builds_its_overlay_from_text() {
    let p = Preview::start(&report_site());
    let resp = p.get("/__cityreport/live.js");
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("application/javascript; charset=utf-8"));
    let js = resp.text();
    for needle in ["/__cityreport/", "events", "status", "location.reload()", "Build error / 构建错误", "textContent"] {
        assert!(js.contains(needle), "live.js lacks {needle:?}");
    }
    assert!(!js.contains("innerHTML"), "the overlay must not parse the message as HTML");
}

#[test]
fn editing_a_watched_file_sends_reload_and_serves_the_new_page() {
    let p = Preview::start(&[("index.html", b"version 1")]);
    assert_eq!(p.status()["generation"], 1);
    let mut sse = Sse::ready(p.addr());

    // Each page is stamped with the build it came from, so live.js can spot a page served just
    // before a rebuild whose event stream connected just after.
    let first = p.get("/");
    assert_eq!(first.header("server-timing"), Some("cityreport-build;desc=\"1\""));
    let old_etag = first.header("etag").unwrap().to_string();
    write(&p.src("index.html"), b"version 2");
    let reload = sse.wait_for("reload");
    assert_eq!(reload.id.as_deref(), Some("2"));
    let page = p.get("/");
    assert_eq!(page.text(), "version 2");
    assert_eq!(page.header("server-timing"), Some("cityreport-build;desc=\"2\""));
    // The browser's copy of version 1 no longer validates: it gets the new page.
    let revalidated = request(p.addr(), "GET", "/", &[("If-None-Match", &old_etag)]);
    assert_eq!((revalidated.status, revalidated.text()), (200, "version 2".to_string()));
    // Every build that ran was published (a busy machine may still split one save in two).
    let builds = settled_builds(&p);
    assert_eq!(p.status()["generation"], builds);

    // The builder was told which file changed, as an absolute path.
    let edited = p.src("index.html").canonicalize().unwrap();
    let calls = p.calls.lock().unwrap();
    assert_eq!(calls[0], Vec::<PathBuf>::new(), "first build has no changed paths");
    assert!(calls[1..].iter().any(|c| c.contains(&edited)), "{calls:?}");
}

/// The number of builds once none has started for five debounce periods; fails if builds never
/// stop starting within [`WAIT`].
fn settled_builds(p: &Preview) -> usize {
    let deadline = Instant::now() + WAIT;
    let mut seen = p.calls.lock().unwrap().len();
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = p.calls.lock().unwrap().len();
        if now == seen {
            return now;
        }
        assert!(Instant::now() < deadline, "builds kept starting without edits: {now} so far");
        seen = now;
    }
}

#[test]
fn reading_the_sources_does_not_trigger_more_builds() {
    // The builder opens every source; if those reads counted as changes, each build would
    // trigger the next and the page would reload forever.
    let p = Preview::start(&[("index.html", b"version 1"), ("content/a.md", b"# A")]);
    let mut sse = Sse::ready(p.addr());
    write(&p.src("index.html"), b"version 2");
    sse.wait_for("reload");
    // A busy machine may still deliver the end of that save as a second build; a feedback loop
    // never settles, which `settled_builds` reports.
    let builds = settled_builds(&p);
    // Ten debounce periods of quiet: enough for a feedback loop to show several times over.
    std::thread::sleep(Duration::from_secs(1));
    let calls = p.calls.lock().unwrap();
    assert_eq!(calls.len(), builds, "builds went on without edits: {calls:?}");
}

#[test]
fn a_save_by_write_then_rename_sends_reload() {
    // How VS Code and many editors save: write a temporary file, rename it over the original.
    let p = Preview::start(&[("index.html", b"version 1")]);
    let mut sse = Sse::ready(p.addr());

    let temp = p.src(".index.html.tmp-4242");
    fs::write(&temp, b"renamed in").unwrap();
    fs::rename(&temp, p.src("index.html")).unwrap();
    sse.wait_for("reload");
    // The rename may arrive in a later batch than the temp file's write; wait until the build
    // that saw it has been published.
    let deadline = Instant::now() + WAIT;
    while p.get("/").text() != "renamed in" {
        assert!(Instant::now() < deadline, "the renamed file was never served");
        sse.wait_for("reload");
    }
}

#[test]
fn a_vim_style_save_rebuilds_without_reporting_its_scratch_files() {
    let p = Preview::start(&[("index.html", b"version 1")]);
    let mut sse = Sse::ready(p.addr());

    // vim's `:w`: probe file 4913, swap file, backup by rename, new file, backup removed.
    let src = |rel: &str| p.src(rel);
    fs::write(src(".index.html.swp"), b"swap").unwrap();
    fs::write(src("4913"), b"").unwrap();
    fs::remove_file(src("4913")).unwrap();
    fs::rename(src("index.html"), src("index.html~")).unwrap();
    fs::write(src("index.html"), b"from vim").unwrap();
    fs::remove_file(src("index.html~")).unwrap();
    fs::remove_file(src(".index.html.swp")).unwrap();

    sse.wait_for("reload");
    let deadline = Instant::now() + WAIT;
    while p.get("/").text() != "from vim" {
        assert!(Instant::now() < deadline, "the saved file was never served");
        sse.wait_for("reload");
    }
    let calls = p.calls.lock().unwrap();
    for changed in &calls[1..] {
        assert!(!changed.is_empty(), "a rebuild was started for scratch files only: {calls:?}");
        for path in changed {
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(!["4913", ".index.html.swp", "index.html~"].contains(&&*name), "{calls:?}");
        }
    }
}

#[test]
fn a_failed_build_reports_the_error_and_keeps_serving_the_last_good_site() {
    let p = Preview::start(&[("index.html", b"good page"), ("content/a.md", b"# A\n")]);
    let mut sse = Sse::ready(p.addr());

    write(&p.src("content/a.md"), b"# A\n\nERROR: unclosed <b>tag</b>\n");
    let event = sse.wait_for("error");
    let failure: Value = serde_json::from_str(&event.data).unwrap();
    assert_eq!(failure["file"], "content/a.md");
    assert_eq!(failure["line"], 3);
    assert_eq!(failure["message"], "unclosed <b>tag</b>");

    let status = p.status();
    assert_eq!(status["error"], failure);
    assert_eq!(status["generation"], 1, "a failed build is not a new site");
    assert_eq!(p.get("/").text(), "good page");
    // The broken source is not half-published either.
    assert_eq!(p.get("/content/a.md").text(), "# A\n");

    // A page opened now learns of the error on connecting.
    let mut late = Sse::connect(p.addr(), None);
    assert_eq!(late.wait_for("error").data, event.data);

    write(&p.src("content/a.md"), b"# A fixed\n");
    let reload = sse.wait_for("reload");
    assert_eq!(reload.id.as_deref(), Some("2"));
    let status = p.status();
    assert_eq!(status["error"], Value::Null);
    assert_eq!(status["generation"], 2);
    assert_eq!(p.get("/content/a.md").text(), "# A fixed\n");
}

#[test]
fn a_failing_first_build_still_starts_the_server_and_recovers() {
    let p = Preview::start(&[("index.html", b"ERROR: broken from the start")]);
    let status = p.status();
    assert_eq!(status["generation"], 0);
    assert_eq!(status["error"]["file"], "index.html");
    assert_eq!(status["error"]["line"], 1);
    // Nothing to serve yet; the 404 page carries the overlay script.
    let resp = p.get("/");
    assert_eq!(resp.status, 404);
    assert!(resp.text().contains("/__cityreport/live.js"));

    let mut sse = Sse::ready(p.addr());
    write(&p.src("index.html"), b"fixed");
    sse.wait_for("reload");
    assert_eq!(p.get("/").text(), "fixed");
    assert_eq!(p.status()["error"], Value::Null);
}

#[test]
fn a_page_reconnecting_from_an_older_site_is_told_to_reload_at_once() {
    let p = Preview::start(&[("index.html", b"v1")]);
    // The browser saw generation 0 before (say, before a server restart); the site is now at 1.
    let mut sse = Sse::connect(p.addr(), Some("0"));
    let reload = sse.wait_for("reload");
    assert_eq!(reload.id.as_deref(), Some("1"));
}

// ---------------------------------------------------------------------------------------------
// Careless and hostile clients

// A page is asked for while misbehaving clients hold their connections open: a server that
// waited on them would leave the request unanswered until the read gives up ([`WAIT`]), and the
// test fails. How long the answer took is printed, never asserted (it depends on the machine).

/// Opens a connection and sends `bytes` as they are, leaving it open.
fn send_raw(addr: SocketAddr, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(bytes).unwrap();
    stream
}

/// Reads until the server closes the connection (or [`WAIT`] passes) and returns the status.
fn status_of(mut stream: TcpStream) -> u16 {
    let mut raw = Vec::new();
    // A reset after the answer (the server closed with request bytes unread) is fine: the
    // answer is already in `raw`.
    let _ = stream.read_to_end(&mut raw);
    parse_response(&raw, true).status
}

/// A normal page request, timed.
fn timed_get(p: &Preview, target: &str) -> (Resp, Duration) {
    let started = Instant::now();
    let resp = p.get(target);
    (resp, started.elapsed())
}

#[test]
fn a_huge_or_any_request_body_is_refused_unread_and_the_server_keeps_answering() {
    let p = Preview::start(&report_site());
    let addr = p.addr();
    for head in [
        // tiny_http allocated the announced length and aborted the process on this one.
        "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999999\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 18446744073709551615\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nabcde",
        "GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nffffffffff\r\n",
        "POST /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999999\r\n\r\n",
        "HEAD / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999999\r\n\r\n",
    ] {
        let status = status_of(send_raw(addr, head.as_bytes()));
        assert!((400..500).contains(&status), "{head:?} got {status}");
        let (resp, took) = timed_get(&p, "/");
        assert_eq!(resp.status, 200, "after {head:?}");
        assert_eq!(resp.text(), "<h1>首页 Home</h1>");
        eprintln!("{head:?} refused; the next page answered in {took:?}");
    }
    // The plain case says what is wrong.
    let get = "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999999\r\n\r\n";
    assert_eq!(status_of(send_raw(addr, get.as_bytes())), 413);
}

#[test]
fn oversized_request_heads_are_refused_and_the_server_keeps_answering() {
    let p = Preview::start(&report_site());
    let huge_header = format!("GET / HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\n\r\n", "a".repeat(1 << 20));
    let long_target = format!("GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n", "a".repeat(1 << 20));
    for request in [huge_header, long_target] {
        let mut stream = TcpStream::connect_timeout(&p.addr(), WAIT).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        // The server may answer and close before taking all of it.
        let _ = stream.write_all(request.as_bytes());
        let status = status_of(stream);
        assert!((400..500).contains(&status), "{status}");
        let (resp, took) = timed_get(&p, "/");
        assert_eq!(resp.status, 200);
        eprintln!("after an oversized head, the next page answered in {took:?}");
    }
}

#[test]
fn clients_stalled_mid_body_or_mid_headers_do_not_hold_up_a_page() {
    let p = Preview::start(&report_site());
    let addr = p.addr();
    // Eight connections that stop sending: four after part of an announced body, four in the
    // middle of their headers. They stay open for the whole test.
    let mid_body: Vec<TcpStream> = (0..4)
        .map(|_| send_raw(addr, b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nabc"))
        .collect();
    let mid_headers: Vec<TcpStream> =
        (0..4).map(|_| send_raw(addr, b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")).collect();

    for target in ["/", "/assets/site.css", "/__cityreport/status"] {
        let (resp, took) = timed_get(&p, target);
        assert_eq!(resp.status, 200, "{target}");
        eprintln!("{target}: answered in {took:?} with 8 stalled clients");
    }
    // A live-reload stream opens too, and hears about a rebuild.
    let mut sse = Sse::ready(addr);
    write(&p.src("index.html"), b"edited");
    sse.wait_for("reload");
    assert_eq!(p.get("/").text(), "edited");

    // The stalled bodies were refused without waiting for the rest of them.
    for stream in mid_body {
        assert_eq!(status_of(stream), 413);
    }
    drop(mid_headers);
}

#[test]
fn live_streams_of_closed_pages_are_freed() {
    let p = Preview::start(&[("index.html", b"version 1")]);
    let addr = p.addr();
    // Far more pages than the server keeps streams for at once, each opened (and greeted) and
    // closed: a stream whose page went away must give its place back.
    for n in 0..200 {
        let mut sse = Sse::connect(addr, None);
        assert_eq!(sse.wait_for("hello").id.as_deref(), Some("1"), "stream {n}");
    }
    let started = Instant::now();
    let mut sse = Sse::ready(addr);
    let (resp, _) = timed_get(&p, "/");
    let took = started.elapsed();
    assert_eq!(resp.text(), "version 1");
    eprintln!("after 200 streams opened and closed: a new stream and a page in {took:?}");

    // The new stream is live: it hears the next build.
    write(&p.src("index.html"), b"version 2");
    assert_eq!(sse.wait_for("reload").id.as_deref(), Some("2"));
    assert_eq!(p.get("/").text(), "version 2");
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

#[test]
fn shutdown_returns_with_a_stream_open_and_stops_listening() {
    let p = Preview::start(&[("index.html", b"v1")]);
    let addr = p.addr();
    let _sse = Sse::ready(addr);
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let Preview { dir, server, .. } = p;
    std::thread::spawn(move || {
        server.shutdown();
        done_tx.send(()).unwrap();
    });
    done_rx.recv_timeout(WAIT).expect("shutdown did not return");
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok() {
        assert!(Instant::now() < deadline, "still accepting connections after shutdown");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(dir);
}

#[test]
fn a_busy_port_is_an_error_from_start() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let config = ServeConfig { port: taken.local_addr().unwrap().port(), ..ServeConfig::default() };
    let calls = Arc::new(Mutex::new(Vec::new()));
    let builder = FolderBuilder { root: PathBuf::from("/nonexistent"), calls: Arc::clone(&calls) };
    assert!(serve::start(config, builder).is_err());
    assert!(calls.lock().unwrap().is_empty(), "no build before the port is secured");
}
