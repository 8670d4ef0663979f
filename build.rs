//! Embeds every file under `assets/` into the binary, so the site's built-in stylesheet, script
//! and fonts ship with the executable. A build script (rather than a hand-kept `include_bytes!`
//! list) because the fonts are added by another stage and may not exist yet.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, root, out);
        } else {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, path.canonicalize().unwrap()));
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    println!("cargo:rerun-if-changed=assets");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    for (_, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let mut code = String::from("pub const BUILTIN_ASSETS: &[(&str, &[u8])] = &[\n");
    for (rel, path) in &files {
        code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_assets.rs");
    fs::write(out, code).unwrap();
    source_hash();
}

/// `CITYREPORT_SOURCE_HASH`: a hash of the code (`src/`, `Cargo.lock`) and of the built-in assets
/// it embeds (`assets/`), so that what a build keeps on disk from the output of code (drawn SVGs,
/// the record of the last build) is never read by another version of it. A
/// 64-bit FNV-1a: no dependency for the build script, and collisions between versions of one
/// tool are not a concern.
fn source_hash() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    collect(&manifest.join("src"), manifest, &mut files);
    collect(&manifest.join("assets"), manifest, &mut files);
    files.sort();
    files.push(("Cargo.lock".into(), manifest.join("Cargo.lock")));
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, path) in &files {
        for b in rel.bytes().chain([0]).chain(fs::read(path).unwrap_or_default()).chain([0]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=CITYREPORT_SOURCE_HASH={h:016x}");
}
