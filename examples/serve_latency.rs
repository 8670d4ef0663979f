//! How long from saving a file to the `reload` event reaching an open page, with a fake builder
//! (copying a folder) so that the figure is the server's own overhead plus the debounce wait.
//!
//!     cargo run --release --example serve_latency [ROUNDS]
//!
//! Real pipeline numbers add the build time on top.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cityreport::output::SiteFiles;
use cityreport::serve::{self, BuildFailure, Rebuild, ServeConfig};

/// Publishes the files directly inside `root`.
struct CopyFolder {
    root: PathBuf,
}

impl Rebuild for CopyFolder {
    fn rebuild(&mut self, _changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
        let mut site = SiteFiles::new();
        let entries = fs::read_dir(&self.root).map_err(|e| BuildFailure::new(e.to_string()))?;
        for entry in entries.flatten() {
            if let (Ok(bytes), Some(name)) = (fs::read(entry.path()), entry.file_name().to_str()) {
                site.insert(name, bytes);
            }
        }
        Ok(site)
    }
}

/// Reads the event stream until an event named `name` arrives (or 10 s pass).
fn wait_for(reader: &mut BufReader<TcpStream>, name: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let wanted = format!("event: {name}");
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => return Err("stream closed".into()),
            Ok(_) if line.trim_end() == wanted => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!("no {name} event within 10 s"))
}

fn connect(addr: SocketAddr) -> Result<BufReader<TcpStream>, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    write!(stream, "GET /__cityreport/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    wait_for(&mut reader, "hello")?;
    Ok(reader)
}

fn measure(debounce: Duration, rounds: usize) -> Result<Vec<Duration>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let page = dir.path().join("index.html");
    fs::write(&page, "v0").map_err(|e| e.to_string())?;
    let config = ServeConfig { port: 0, watch: vec![dir.path().to_path_buf()], debounce, ..ServeConfig::default() };
    let server = serve::start(config, CopyFolder { root: dir.path().to_path_buf() }).map_err(|e| e.to_string())?;
    let mut events = connect(server.addr())?;

    let mut times = Vec::with_capacity(rounds);
    for round in 1..=rounds {
        let started = Instant::now();
        fs::write(&page, format!("v{round}")).map_err(|e| e.to_string())?;
        wait_for(&mut events, "reload")?;
        times.push(started.elapsed());
        // Let the watcher go quiet so rounds do not merge into one burst.
        std::thread::sleep(debounce * 2);
    }
    server.shutdown();
    Ok(times)
}

fn main() {
    let rounds = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let default_debounce = ServeConfig::default().debounce;
    for debounce in [Duration::from_millis(50), default_debounce] {
        match measure(debounce, rounds) {
            Ok(mut times) => {
                times.sort();
                let ms = |d: Duration| d.as_secs_f64() * 1000.0;
                println!(
                    "debounce {:>3} ms: write → reload event  min {:.1} ms  median {:.1} ms  max {:.1} ms  ({} rounds)",
                    debounce.as_millis(),
                    ms(times[0]),
                    ms(times[times.len() / 2]),
                    ms(times[times.len() - 1]),
                    times.len()
                );
            }
            Err(e) => {
                eprintln!("serve_latency: {e}");
                std::process::exit(1);
            }
        }
    }
}
