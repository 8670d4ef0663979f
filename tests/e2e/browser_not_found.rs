//! `404.html` at any depth (issue 12): a host serves it for every missing path, so a reader who
//! mistypes `…/2020/zh/regional/no-such/page.html` gets it five folders below the site root. Built
//! without `--base-url`, its script must find the root (here a sub-path, `/report/`) and point its
//! links there. Served by the preview server's HTTP layer, opened in headless Chromium.

use crate::common;
use crate::common::site as site_common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cityreport::output::SiteFiles;
use cityreport::serve::{self, BuildFailure, Rebuild, ServeConfig, ServerHandle};
use cityreport::site::RenderOptions;
use common::browser::Browser;
use serde_json::{Value, json};

/// Hands back the same files on every build: the preview server as a plain static server.
struct Fixed(SiteFiles);

impl Rebuild for Fixed {
    fn rebuild(&mut self, _changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
        Ok(self.0.clone())
    }
}

/// The demo site under `/report/`, the host answering every missing path with the site's 404 page.
fn serve_under_sub_path() -> ServerHandle {
    let (ed, res) = site_common::demo();
    let site = site_common::render(&ed, &res, &RenderOptions::default());
    let mut files = SiteFiles::new();
    for (path, bytes) in &site.files {
        files.insert_shared(format!("report/{path}"), bytes.clone());
    }
    files.insert_shared("404.html", site.files["404.html"].clone());
    let config = ServeConfig { port: 0, watch: Vec::new(), debounce: Duration::from_millis(50), ..ServeConfig::default() };
    serve::start(config, Fixed(files)).unwrap()
}

/// Status line and body of `GET path`, over a raw socket.
fn get(server: &ServerHandle, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.lines().next().unwrap_or("").to_string(), body.to_string())
}

#[test]
fn not_found_page_finds_the_site_root_from_a_deep_missing_path() {
    let server = serve_under_sub_path();
    let deep = "/report/2020/zh/regional/no-such/folder/page.html";
    let (status, body) = get(&server, deep);
    assert!(status.contains(" 404 "), "{status}");
    assert!(body.contains("data-site-path=\"2020/zh/index.html\""), "the site's own 404 page is served");

    let root = format!("http://{}/report/", server.addr());
    let expected = json!([format!("{root}2020/zh/index.html"), format!("{root}2020/en/index.html")]);
    let mut browser = Browser::launch();
    browser.navigate(&format!("http://{}{deep}", server.addr()));
    // The script probes the folders above the page one request at a time; wait for it.
    let deadline = Instant::now() + common::browser::WAIT;
    let mut hrefs: Value;
    loop {
        hrefs = browser.eval("[...document.querySelectorAll('main a.button')].map((a) => a.href)").unwrap();
        if hrefs == expected || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(hrefs, expected, "the 404 page's links do not lead to the site root");
    // And what they lead to is there.
    for href in expected.as_array().unwrap() {
        let path = href.as_str().unwrap().split_once(&server.addr().to_string()).unwrap().1.to_string();
        let (status, _) = get(&server, &path);
        assert!(status.contains(" 200 "), "{path}: {status}");
    }
}

/// Opened at the site root (or from disk) the relative links are already right and stay as they are.
#[test]
fn not_found_page_at_the_root_keeps_its_links() {
    let server = serve_under_sub_path();
    let mut browser = Browser::launch();
    browser.navigate(&format!("http://{}/report/404.html", server.addr()));
    std::thread::sleep(Duration::from_millis(500));
    let hrefs = browser.eval("[...document.querySelectorAll('main a.button')].map((a) => a.href)").unwrap();
    let root = format!("http://{}/report/", server.addr());
    assert_eq!(hrefs, json!([format!("{root}2020/zh/index.html"), format!("{root}2020/en/index.html")]));
}
