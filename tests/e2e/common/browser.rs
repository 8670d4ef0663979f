//! Headless Chromium driven over the Chrome DevTools Protocol (CDP), for end-to-end tests.
//!
//! [`Browser::launch`] starts `/usr/bin/chromium` (or `$CITYREPORT_CHROMIUM`) with a fresh
//! profile in a temp folder and no network features, finds the page target through the
//! DevTools HTTP endpoint and talks CDP JSON to it over one WebSocket. Every event the page
//! sends is kept in [`Browser::log`], so a test can check what happened during a navigation
//! (console messages, exceptions, requests and their outcomes) with [`problems`].
//!
//! Every wait is bounded by [`WAIT`]: a broken page or browser fails the test instead of
//! hanging it. Dropping the [`Browser`] (also while a failing test unwinds) closes Chromium,
//! kills whatever of its process group is left and removes the profile folder.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// The longest any single wait may take.
pub const WAIT: Duration = Duration::from_secs(20);

/// Flags every launch uses: headless, no sandbox (containers), and nothing that reaches out to
/// the network on its own (the test machine has none, and a test must not depend on it).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--remote-debugging-port=0",
];

/// One CDP event: its method (`Network.responseReceived`) and parameters.
#[derive(Debug, Clone)]
pub struct Event {
    pub method: String,
    pub params: Value,
}

pub struct Browser {
    child: Option<Child>,
    /// Holds `profile/` (the user data dir) and `chromium.log`.
    dir: Option<tempfile::TempDir>,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Every event received so far, in order.
    pub log: Vec<Event>,
}

fn chromium_path() -> PathBuf {
    std::env::var_os("CITYREPORT_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

impl Browser {
    /// Starts Chromium on `about:blank` and connects to its page, with the Page, Runtime,
    /// Network and Log domains enabled.
    pub fn launch() -> Browser {
        let exe = chromium_path();
        assert!(
            exe.exists(),
            "{} not found: the browser tests need Chromium (scripts/test installs the Debian package `chromium`)",
            exe.display()
        );
        let dir = tempfile::Builder::new().prefix("cityreport-chromium-").tempdir().unwrap();
        let profile = dir.path().join("profile");
        fs::create_dir(&profile).unwrap();
        let log_path = dir.path().join("chromium.log");
        let log = fs::File::create(&log_path).unwrap();

        let mut cmd = Command::new(&exe);
        cmd.args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log));
        // Its own process group, so that the renderer and helper processes can be ended with
        // the browser even if it dies without taking them down.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));

        // From here on, a failure drops the half-made browser, which cleans up like a whole one.
        let mut starting = Starting { child: Some(child), dir: Some(dir) };
        let port = starting.devtools_port(&profile, &log_path);
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let ws_url = page_websocket_url(addr, &log_path);
        let ws = connect_websocket(addr, &ws_url);

        let (child, dir) = (starting.child.take(), starting.dir.take());
        let mut browser = Browser { child, dir, ws, next_id: 1, log: Vec::new() };
        for domain in ["Page", "Runtime", "Network", "Log"] {
            browser.call(&format!("{domain}.enable"), json!({}));
        }
        // A reader who asked for reduced motion: site.css then scrolls at once instead of
        // smoothly, so a scroll position read right after a scroll is the final one whatever the
        // browser's version or speed (Chromium 148 was still animating when read).
        browser.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
        );
        browser
    }

    /// Sends a CDP command and returns its result, or the protocol's error object.
    pub fn try_call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({ "id": id, "method": method, "params": params }).to_string();
        self.ws.send(Message::Text(message)).unwrap_or_else(|e| panic!("CDP {method}: cannot send: {e}"));
        let deadline = Instant::now() + WAIT;
        loop {
            let Some(msg) = self.read_message(deadline) else {
                panic!("CDP {method}: no answer within {WAIT:?}");
            };
            if msg.get("id").and_then(Value::as_u64) == Some(id) {
                return match msg.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
                };
            }
        }
    }

    /// Like [`try_call`](Self::try_call), panicking on a protocol error.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params).unwrap_or_else(|e| panic!("CDP {method} failed: {e}"))
    }

    /// Reads one message, logging it if it is an event; `None` once `deadline` has passed.
    fn read_message(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
            self.ws.get_mut().set_read_timeout(Some(left)).unwrap();
            let text = match self.ws.read() {
                Ok(Message::Text(text)) => text,
                Ok(Message::Close(frame)) => panic!("Chromium closed the DevTools connection: {frame:?}"),
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e)) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    continue;
                }
                Err(e) => panic!("DevTools connection failed: {e}"),
            };
            let msg: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad CDP message {text:?}: {e}"));
            if let Some(method) = msg.get("method").and_then(Value::as_str) {
                let params = msg.get("params").cloned().unwrap_or(Value::Null);
                self.log.push(Event { method: method.to_owned(), params });
            }
            return Some(msg);
        }
    }

    /// Waits until an event named `method` is in the log at an index ≥ `since`, and returns it.
    pub fn wait_event(&mut self, since: usize, method: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(e) = self.log[since.min(self.log.len())..].iter().find(|e| e.method == method) {
                return e.clone();
            }
            if self.read_message(deadline).is_none() {
                panic!("no {method} event within {WAIT:?}");
            }
        }
    }

    /// Opens `url` in the page and waits for its `load` event, then until every image has
    /// loaded (lazy ones are made eager) and the fonts the page uses are ready, so that all of
    /// the page's requests have shown up in the log. Returns the log index the navigation
    /// started at, for [`problems`].
    pub fn navigate(&mut self, url: &str) -> usize {
        let since = self.log.len();
        let result = self.call("Page.navigate", json!({ "url": url }));
        if let Some(error) = result.get("errorText").and_then(Value::as_str) {
            panic!("navigating to {url} failed: {error}");
        }
        self.wait_event(since, "Page.loadEventFired");
        let broken = self
            .eval(
                r#"(async () => {
                    const images = [...document.images];
                    for (const img of images) if (img.loading === "lazy") img.loading = "eager";
                    const results = await Promise.allSettled(images.map((img) => img.decode()));
                    await document.fonts.ready;
                    return images.filter((_, i) => results[i].status === "rejected").map((img) => img.currentSrc || img.src || img.outerHTML);
                })()"#,
            )
            .unwrap_or_else(|e| panic!("{url}: cannot check the images: {e}"));
        assert_eq!(broken, json!([]), "{url}: images that do not decode");
        since
    }

    /// Evaluates a JavaScript expression in the page (awaiting a promise result) and returns
    /// its value as JSON; `Err` describes an exception or a protocol error (for example while the
    /// page is between two documents).
    pub fn eval(&mut self, expression: &str) -> Result<Value, String> {
        let params = json!({ "expression": expression, "returnByValue": true, "awaitPromise": true });
        let result = self.try_call("Runtime.evaluate", params).map_err(|e| e.to_string())?;
        if let Some(details) = result.get("exceptionDetails") {
            let description = details.pointer("/exception/description").and_then(Value::as_str);
            return Err(description.map(str::to_owned).unwrap_or_else(|| details.to_string()));
        }
        Ok(result.pointer("/result/value").cloned().unwrap_or(Value::Null))
    }

    /// Evaluates `expression` every few milliseconds until it returns something truthy (true, a
    /// non-empty string, a non-zero number, an object or array), and returns that value.
    /// Errors while the page reloads count as "not yet". Panics after `WAIT`, naming `what`.
    pub fn wait_for(&mut self, what: &str, expression: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        let mut last = Err("never evaluated".to_owned());
        while Instant::now() < deadline {
            last = self.eval(expression);
            if let Ok(value) = &last
                && truthy(value)
            {
                return value.clone();
            }
            sleep(Duration::from_millis(5));
        }
        panic!("timed out after {WAIT:?} waiting for {what}; last result of `{expression}`: {last:?}");
    }

    /// Waits until the page's live-reload stream (opened by /__cityreport/live.js) is connected,
    /// so that an edit made from now on reaches it. `since` = a log index from before the page
    /// loaded.
    pub fn wait_live(&mut self, since: usize) {
        let deadline = Instant::now() + WAIT;
        loop {
            let connected = self.log[since..].iter().any(|e| {
                e.method == "Network.responseReceived"
                    && e.params.pointer("/response/url").and_then(|u| u.as_str()).is_some_and(|u| u.ends_with("/__cityreport/events"))
                    && e.params.pointer("/response/status").and_then(|s| s.as_u64()) == Some(200)
            });
            if connected {
                return;
            }
            assert!(Instant::now() < deadline, "the page did not open its live-reload stream");
            self.sync();
            sleep(Duration::from_millis(10));
        }
    }

    /// Reads whatever events are already waiting, without blocking for long, so that the log is
    /// up to date (CDP delivers in order: once a command's answer is in, earlier events are too).
    pub fn sync(&mut self) {
        self.call("Runtime.evaluate", json!({ "expression": "0" }));
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// What is wrong according to the events `log[since..]`: console errors and warnings, uncaught
/// exceptions, browser log errors and warnings, failed requests, HTTP error statuses, and
/// requests to anything but `127.0.0.1` (or `file:`, `data:`, `about:`, `blob:`).
///
/// `live_page` = the page is a preview page: its live-reload event stream
/// (`/__cityreport/events`) may be cancelled by the browser when the page reloads, which is not
/// an error. Every other cancelled request still counts.
pub fn problems(log: &[Event], since: usize, live_page: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut urls = std::collections::HashMap::new();
    for e in &log[since.min(log.len())..] {
        let p = &e.params;
        let s = |ptr: &str| p.pointer(ptr).and_then(Value::as_str).unwrap_or("").to_owned();
        match e.method.as_str() {
            "Runtime.consoleAPICalled" => {
                let kind = s("/type");
                if kind == "error" || kind == "warning" || kind == "assert" {
                    let args: Vec<String> = p["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|a| a.get("value").map(|v| v.to_string()).unwrap_or_else(|| a["description"].to_string()))
                        .collect();
                    out.push(format!("console.{kind}: {}", args.join(" ")));
                }
            }
            "Runtime.exceptionThrown" => {
                let d = &p["exceptionDetails"];
                let text = d.pointer("/exception/description").and_then(Value::as_str).unwrap_or_else(|| d["text"].as_str().unwrap_or(""));
                out.push(format!("uncaught exception: {text} ({}:{})", d["url"].as_str().unwrap_or(""), d["lineNumber"]));
            }
            "Log.entryAdded" => {
                let level = s("/entry/level");
                if level == "error" || level == "warning" {
                    out.push(format!("browser log {level} ({}): {} {}", s("/entry/source"), s("/entry/text"), s("/entry/url")));
                }
            }
            "Network.requestWillBeSent" => {
                let url = s("/request/url");
                if !is_local(&url) {
                    out.push(format!("request to a non-local address: {url}"));
                }
                urls.insert(s("/requestId"), url);
            }
            "Network.responseReceived" => {
                let status = p.pointer("/response/status").and_then(Value::as_f64).unwrap_or(0.0);
                if status >= 400.0 {
                    out.push(format!("HTTP {status} for {}", s("/response/url")));
                }
            }
            "Network.loadingFailed" => {
                let canceled = p["canceled"].as_bool().unwrap_or(false);
                let url = urls.get(&s("/requestId")).cloned().unwrap_or_else(|| format!("request {}", s("/requestId")));
                if !(live_page && canceled && url.ends_with("/__cityreport/events")) {
                    let blocked = s("/blockedReason");
                    out.push(format!("request failed: {url}: {}{}", s("/errorText"), if blocked.is_empty() { String::new() } else { format!(" (blocked: {blocked})") }));
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether a request stays on this machine: `127.0.0.1` over HTTP(S)/WS, or a URL scheme that
/// involves no network at all.
fn is_local(url: &str) -> bool {
    for scheme in ["file:", "data:", "about:", "blob:"] {
        if url.starts_with(scheme) {
            return true;
        }
    }
    let Some((_, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    host == "127.0.0.1"
}

// ---------------------------------------------------------------------------------------------
// Start-up

/// A browser process that is not connected yet; cleans up like [`Browser`] if start-up fails.
struct Starting {
    child: Option<Child>,
    dir: Option<tempfile::TempDir>,
}

impl Starting {
    /// Chromium writes the port it picked to `<profile>/DevToolsActivePort` once it listens.
    fn devtools_port(&mut self, profile: &Path, log: &Path) -> u16 {
        let file = profile.join("DevToolsActivePort");
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            // Complete once the second line (the browser's WebSocket path) is there too, so a
            // half-written port number is never taken.
            if let Ok(text) = fs::read_to_string(&file)
                && let Some((port, path)) = text.split_once('\n')
                && path.starts_with("/devtools/")
                && let Ok(port) = port.trim().parse()
            {
                return port;
            }
            if let Ok(Some(status)) = self.child.as_mut().unwrap().try_wait() {
                panic!("Chromium exited at start-up ({status}); its log:\n{}", log_tail(log));
            }
            sleep(Duration::from_millis(20));
        }
        panic!("Chromium did not open its DevTools port within {WAIT:?}; its log:\n{}", log_tail(log));
    }
}

impl Drop for Starting {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            stop_process(child, None);
        }
        remove_dir(self.dir.take());
    }
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// Asks `/json/list` for the page target (Chromium opens `about:blank` in one) until it shows up.
fn page_websocket_url(addr: SocketAddr, log: &Path) -> String {
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    while Instant::now() < deadline {
        match http_get(addr, "/json/list") {
            Ok(body) => {
                if let Ok(Value::Array(targets)) = serde_json::from_str::<Value>(&body) {
                    let page = targets.iter().find(|t| t["type"] == "page");
                    if let Some(url) = page.and_then(|t| t["webSocketDebuggerUrl"].as_str()) {
                        return url.to_owned();
                    }
                }
                last = body;
            }
            Err(e) => last = e.to_string(),
        }
        sleep(Duration::from_millis(20));
    }
    panic!("no page target in Chromium's /json/list within {WAIT:?}; last answer: {last}\nChromium log:\n{}", log_tail(log));
}

/// A minimal HTTP/1.1 GET returning the body. The DevTools endpoint keeps the connection open
/// whatever the request says, so the body is read by its `Content-Length`.
fn http_get(addr: SocketAddr, path: &str) -> io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT)?;
    stream.set_read_timeout(Some(WAIT))?;
    stream.set_write_timeout(Some(WAIT))?;
    // DevTools only answers requests whose Host is an IP address or localhost.
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            if !head.starts_with("HTTP/1.1 200") {
                return Err(io::Error::other(format!("answer: {head}")));
            }
            let length = head
                .lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok());
            match length {
                Some(length) if body.len() >= length => return Ok(body[..length].to_owned()),
                None if n == 0 => return Ok(body.to_owned()),
                _ => {}
            }
        }
        if n == 0 {
            return Err(io::Error::other(format!("connection closed mid-answer: {text}")));
        }
    }
}

fn connect_websocket(addr: SocketAddr, url: &str) -> WebSocket<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, WAIT).unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    stream.set_nodelay(true).unwrap();
    match tungstenite::client(url, stream) {
        Ok((ws, _)) => ws,
        Err(e) => panic!("WebSocket handshake with {url} failed: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Shut-down

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask Chromium to quit (it then ends its helper processes itself); whatever is left
        // after a few seconds is killed. Nothing here may panic: this also runs while a failed
        // test unwinds.
        let close = json!({ "id": 0, "method": "Browser.close" }).to_string();
        let _ = self.ws.send(Message::Text(close));
        let _ = self.ws.flush();
        if let Some(child) = self.child.take() {
            stop_process(child, Some(Duration::from_secs(5)));
        }
        remove_dir(self.dir.take());
    }
}

/// Waits up to `grace` for the browser to exit by itself, then kills its whole process group
/// (the browser's pid is the group id, since it was started with `process_group(0)`) and reaps
/// it. The group is killed before the leader is reaped, so its id cannot have been reused.
fn stop_process(mut child: Child, grace: Option<Duration>) {
    let pid = child.id();
    if let Some(grace) = grace {
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline && !has_exited(pid) {
            sleep(Duration::from_millis(20));
        }
    }
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Whether the process has ended (is a zombie or gone), without reaping it.
fn has_exited(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses, which may itself contain spaces.
        Ok(stat) => stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next()).is_none_or(|state| state == "Z" || state == "X"),
        Err(_) => true,
    }
}

/// Removes the profile folder; helper processes may still be letting go of files for a moment.
fn remove_dir(dir: Option<tempfile::TempDir>) {
    let Some(dir) = dir else { return };
    let path = dir.keep();
    for _ in 0..50 {
        if fs::remove_dir_all(&path).is_ok() || !path.exists() {
            return;
        }
        sleep(Duration::from_millis(100));
    }
    eprintln!("warning: could not remove Chromium's profile folder {}", path.display());
}
