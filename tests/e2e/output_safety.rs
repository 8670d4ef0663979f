//! `build --out` never loses a user's file: folders cityreport did not write, the project, its
//! inputs and their parents are refused before anything is written; its own site is replaced
//! whole; leftovers of killed builds are cleaned up only when they carry the marker; two builds
//! of one output take turns. Each case runs the CLI on the small `init` starter project.

use crate::common;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cityreport::output::{MARKER, MARKER_TEXT};

/// A scratch folder holding the user's own things beside a fresh starter project `proj/`.
struct Scene {
    tmp: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let out = common::cityreport(&["init", tmp.path().join("proj").to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        fs::write(tmp.path().join("notes.txt"), "my notes\n").unwrap();
        fs::create_dir(tmp.path().join("photos")).unwrap();
        fs::write(tmp.path().join("photos/a.jpg"), [0xff, 0xd8, 0xff, 0xe0]).unwrap();
        fs::create_dir(tmp.path().join("elsewhere")).unwrap();
        fs::write(tmp.path().join("elsewhere/todo.md"), "- tea\n").unwrap();
        Scene { tmp }
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn root(&self) -> PathBuf {
        self.dir().join("proj")
    }

    /// `cityreport build --root <proj> --out <out>` run from `cwd`.
    fn build(&self, cwd: &Path, out: &str) -> Output {
        run(cwd, &["build", "--root", self.root().to_str().unwrap(), "--out", out], &[])
    }
}

fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cityreport"));
    cmd.current_dir(cwd).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Every file and folder under `dir` (symlinks not followed), with the bytes of each file.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_refused(scene: &Scene, cwd: &Path, out: &str, reason: &str) {
    let before = tree(scene.dir());
    let o = scene.build(cwd, out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "--out {out} from {}: {err}", cwd.display());
    assert!(err.contains(&format!("error: will not write the site to {out}: {reason}")), "--out {out}: {err}");
    assert!(err.contains("help: ") && err.contains("nothing was written"), "--out {out}: {err}");
    assert!(before == tree(scene.dir()), "--out {out} changed something under {}", scene.dir().display());
}

#[test]
fn dot_from_inside_another_folder_is_refused() {
    let s = Scene::new();
    assert_refused(&s, &s.dir().join("elsewhere"), ".", "it already holds files cityreport did not write (todo.md)");
}

#[test]
fn the_project_its_inputs_and_its_parent_are_refused() {
    let s = Scene::new();
    let root = s.root();
    assert_refused(&s, &root, "data", "it is the project's folder data/");
    assert_refused(&s, &root, "content/site", "it is inside the project's folder content/");
    assert_refused(&s, &root, ".", "it is the project folder itself");
    assert_refused(&s, &root, "..", "it contains the project");
    assert_refused(&s, s.dir(), s.dir().to_str().unwrap(), "it contains the project");
    // The same folders reached through a symbolic link.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("data"), s.dir().join("data-link")).unwrap();
        assert_refused(&s, s.dir(), "data-link", "it is the project's folder data/");
        assert_refused(&s, s.dir(), "data-link/../..", "it contains the project");
    }
}

#[test]
fn a_user_folder_a_file_and_the_file_system_root_are_refused() {
    let s = Scene::new();
    assert_refused(&s, s.dir(), "photos", "it already holds files cityreport did not write (a.jpg)");
    assert_refused(&s, s.dir(), "notes.txt", "it is an existing file, not a folder");
    let root_entries = || fs::read_dir("/").unwrap().map(|e| e.unwrap().file_name()).collect::<Vec<_>>();
    let before = root_entries();
    assert_refused(&s, s.dir(), "/", "it is the root of the file system");
    assert_eq!(before, root_entries(), "nothing was left in /");
}

/// Names beside `out` that a build could leave: staging, set-aside and lock files.
fn leftovers(parent: &Path, name: &str) -> Vec<String> {
    let prefix = format!(".{name}.");
    let mut found: Vec<String> =
        fs::read_dir(parent).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(&prefix)).collect();
    found.sort();
    found
}

#[test]
fn an_empty_folder_is_accepted_and_marked() {
    let s = Scene::new();
    fs::create_dir(s.dir().join("empty")).unwrap();
    let o = s.build(s.dir(), "empty");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(s.dir().join("empty").join(MARKER).is_file());
    assert!(s.dir().join("empty/index.html").is_file());
    assert_eq!(leftovers(s.dir(), "empty"), Vec::<String>::new());
}

#[test]
fn a_rebuild_replaces_its_own_site_whole_and_cleans_only_marked_leftovers() {
    let s = Scene::new();
    let o = s.build(s.dir(), "site-a");
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = tree(&s.dir().join("site-a"));
    assert!(fresh.contains_key(Path::new(MARKER)));

    // A file added to the built site, and what killed builds left beside it.
    fs::write(s.dir().join("site-a/stray.html"), "old").unwrap();
    let marked = |name: &str| {
        let d = s.dir().join(name);
        fs::create_dir_all(d.join("2024")).unwrap();
        fs::write(d.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(d.join("2024/index.html"), "half").unwrap();
    };
    marked(".site-a.staging-999999999");
    marked(".site-a.previous-999999998");
    fs::create_dir(s.dir().join(".site-a.staging-999999997")).unwrap();
    fs::write(s.dir().join(".site-a.staging-999999997/mine.txt"), "no marker: not ours").unwrap();
    let unmarked_before = tree(&s.dir().join(".site-a.staging-999999997"));

    let o = s.build(s.dir(), "site-a");
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains(".site-a.staging-999999999, left behind by an interrupted build"), "{err}");
    assert!(fresh == tree(&s.dir().join("site-a")), "the rebuilt site is the fresh one, without stray.html");
    assert_eq!(leftovers(s.dir(), "site-a"), [".site-a.staging-999999997"]);
    assert!(unmarked_before == tree(&s.dir().join(".site-a.staging-999999997")));
}

/// Takes the output's lock as another process would, saying it is process 4242.
fn hold_lock(path: &Path) -> File {
    let mut f = File::create(path).unwrap();
    f.lock().unwrap();
    f.write_all(b"pid: 4242\nsince: Tue, 01 Jan 2030 00:00:00 GMT\ncommand: cityreport build --out site\n").unwrap();
    f
}

#[test]
fn a_held_lock_makes_a_build_fail_naming_the_holder() {
    let s = Scene::new();
    let _held = hold_lock(&s.dir().join(".site-b.lock"));
    let root = s.root();
    let o = run(s.dir(), &["build", "--root", root.to_str().unwrap(), "--out", "site-b"], &[("CITYREPORT_LOCK_WAIT", "0.5")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("is locked by process 4242 (`cityreport build --out site`, since Tue, 01 Jan 2030"), "{err}");
    assert!(!s.dir().join("site-b").exists());
    assert_eq!(leftovers(s.dir(), "site-b"), [".site-b.lock"], "only the holder's lock file");
}

#[test]
fn a_second_build_waits_for_the_holder_then_writes() {
    let s = Scene::new();
    let held = hold_lock(&s.dir().join(".site-c.lock"));
    let root = s.root();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cityreport"))
        .current_dir(s.dir())
        .args(["build", "--root", root.to_str().unwrap(), "--out", "site-c"])
        .env("CITYREPORT_LOCK_WAIT", "300")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let waiting = line.contains("waiting for process 4242");
        seen.push(line);
        if waiting {
            break;
        }
    }
    assert!(seen.last().is_some_and(|l| l.contains("to finish writing site-c")), "{seen:?}");
    assert!(!s.dir().join("site-c").exists(), "nothing is written while the lock is held");
    drop(held);
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert!(child.wait().unwrap().success(), "{rest:?}");
    assert!(s.dir().join("site-c").join(MARKER).is_file());
    assert_eq!(leftovers(s.dir(), "site-c"), Vec::<String>::new(), "the lock file goes with its last holder");
}

#[test]
fn serve_never_touches_the_built_site() {
    let s = Scene::new();
    let o = s.build(s.dir(), "proj/site");
    assert!(o.status.success(), "{}", stderr(&o));
    let before = tree(s.dir());
    let root = s.root();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cityreport"))
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // "Serving at" comes after the first build.
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let serving = stdout.lines().map_while(Result::ok).any(|l| l.starts_with("Serving at"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(serving, "serve did not start");
    let after = tree(s.dir());
    let changed: Vec<&PathBuf> = after.keys().chain(before.keys()).filter(|k| !k.starts_with("proj/.cityreport-cache") && before.get(*k) != after.get(*k)).collect();
    assert!(changed.is_empty(), "serve changed {changed:?}");
}

#[test]
fn publish_removes_only_its_own_staging_leftovers() {
    let s = Scene::new();
    let root = s.root();
    let r = root.to_str().unwrap();
    let publish = || run(s.dir(), &["publish", "2024", "--root", r, "--force"], &[]);
    let o = publish();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!root.join("archive/2024").join(MARKER).exists(), "the kept edition carries no marker");
    let staging = root.join("archive/.2024.staging");

    // A folder of that name that cityreport did not make is refused and kept.
    fs::create_dir(&staging).unwrap();
    fs::write(staging.join("mine.txt"), "keep").unwrap();
    let before = tree(&root.join("archive"));
    let o = publish();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(".2024.staging: exists and was not made by cityreport"), "{err}");
    assert!(before == tree(&root.join("archive")), "archive/ unchanged");

    // One an interrupted publish left (marked) is replaced.
    fs::remove_file(staging.join("mine.txt")).unwrap();
    fs::write(staging.join(MARKER), MARKER_TEXT).unwrap();
    fs::write(staging.join("half-written.html"), "x").unwrap();
    let o = publish();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!staging.exists());
    let archive: Vec<String> = fs::read_dir(root.join("archive")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!archive.iter().any(|n| n.starts_with('.')), "no staging or lock left: {archive:?}");
}

/// A build fails only after its figures were streamed into the staging folder (a template that
/// fails while pages render): the previous site stays byte for byte, and no staging folder or
/// lock is left behind.
#[test]
fn a_build_failing_after_figures_were_written_leaves_the_previous_site_whole() {
    let s = Scene::new();
    let o = s.build(s.dir(), "site-d");
    assert!(o.status.success(), "{}", stderr(&o));
    let before = tree(&s.dir().join("site-d"));
    assert!(before.keys().any(|p| p.extension().is_some_and(|e| e == "png")), "the site has PNG figures");

    fs::create_dir_all(s.root().join("templates")).unwrap();
    fs::write(s.root().join("templates/home.html"), "{{ no_such_value.field }}\n").unwrap();
    let o = s.build(s.dir(), "site-d");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("home.html") && err.contains("nothing was written"), "{err}");
    assert!(before == tree(&s.dir().join("site-d")), "the previous site is untouched");
    assert_eq!(leftovers(s.dir(), "site-d"), Vec::<String>::new(), "no staging folder, no lock");
}

/// An empty `.cityreport-site` put into a user's folder (issue #26) does not make it the tool's:
/// `--out` refuses it and deletes nothing.
#[test]
fn a_forged_marker_does_not_make_a_folder_replaceable() {
    let s = Scene::new();
    fs::write(s.dir().join("photos").join(MARKER), "").unwrap();
    assert_refused(&s, s.dir(), "photos", &format!("its {MARKER} is not the one cityreport writes"));
    assert!(s.dir().join("photos/a.jpg").is_file());
}

/// `ln -s ~/notes.txt .site.lock` (or `archive/.2024.lock`): build and publish refuse to lock
/// through the link and leave the linked file as it was (they used to overwrite it with the
/// lock's text).
#[cfg(unix)]
#[test]
fn a_symlink_at_the_lock_path_is_refused_not_written_through() {
    let s = Scene::new();
    let notes = s.dir().join("notes.txt");
    std::os::unix::fs::symlink(&notes, s.dir().join(".site-l.lock")).unwrap();
    let o = s.build(s.dir(), "site-l");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(".site-l.lock: it is a symbolic link, not a lock file cityreport wrote") && err.contains("help: "), "{err}");
    assert_eq!(fs::read_to_string(&notes).unwrap(), "my notes\n");
    assert!(!s.dir().join("site-l").exists(), "nothing was written");

    let root = s.root();
    fs::create_dir_all(root.join("archive")).unwrap();
    std::os::unix::fs::symlink(&notes, root.join("archive/.2024.lock")).unwrap();
    let o = run(s.dir(), &["publish", "2024", "--root", root.to_str().unwrap(), "--force"], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(".2024.lock: it is a symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(&notes).unwrap(), "my notes\n");
    assert!(!root.join("archive/2024").exists(), "nothing was published");
}
