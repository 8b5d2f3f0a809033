//! Atomic, private file writes: reports land whole (temp file + fsync + rename) with mode 0600,
//! and an evidence set is replaced as a whole ([`replace_set`]): never a mix of two runs. The
//! set's SHA-256 list (`evidence.sha256`) is written and read here too.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// File mode of every report file.
pub const FILE_MODE: u32 = 0o600;

/// Writes `contents` to `path` atomically: a temp file in the same directory (created 0600), fsync,
/// then rename over `path`. The final file is 0600 even if an older file had another mode. On any
/// error the temp file is removed and an existing `path` is left untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |file| file.write_all(contents))
}

/// Like [`write_atomic`], but the content is produced by `fill` writing into the temp file.
pub fn write_atomic_with<F>(path: &Path, fill: F) -> io::Result<()>
where
    F: FnOnce(&mut File) -> io::Result<()>,
{
    let dir = parent_dir(path);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "report path has no file name")
    })?;
    let (tmp_path, mut file) = create_temp(&dir, &name.to_string_lossy())?;
    // Removes the temp file on every way out but the rename, a panic in `fill` included.
    let mut temp = TempGuard {
        path: tmp_path,
        renamed: false,
    };
    // fchmod is not subject to the umask: the temp file is exactly 0600.
    file.set_permissions(fs::Permissions::from_mode(FILE_MODE))?;
    fill(&mut file)?;
    file.flush()?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp.path, path)?;
    temp.renamed = true;
    // Make the rename durable; a directory that cannot be opened or synced is not an error.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A writer that passes bytes on to `inner` and keeps their SHA-256 and count: a report is hashed
/// as it is written, never read back.
pub struct Digesting<W> {
    inner: W,
    hasher: sha2::Sha256,
    size: u64,
}

impl<W: Write> Digesting<W> {
    pub fn new(inner: W) -> Self {
        use sha2::Digest;
        Digesting {
            inner,
            hasher: sha2::Sha256::new(),
            size: 0,
        }
    }

    /// The lowercase hex SHA-256 and the size of what was written.
    pub fn finish(self) -> (String, u64) {
        use sha2::Digest;
        (hex::encode(self.hasher.finalize()), self.size)
    }
}

impl<W: Write> Write for Digesting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A writer that passes bytes on to `inner` but always holds back the last `keep` of them, so that
/// the end of what was written can be checked and replaced ([`HoldBack::into_parts`]).
pub struct HoldBack<W> {
    inner: W,
    held: Vec<u8>,
    keep: usize,
}

impl<W: Write> HoldBack<W> {
    pub fn new(inner: W, keep: usize) -> Self {
        HoldBack {
            inner,
            held: Vec::with_capacity(keep),
            keep,
        }
    }

    /// The inner writer and the bytes held back (the last `keep` written, or all if fewer).
    pub fn into_parts(self) -> (W, Vec<u8>) {
        (self.inner, self.held)
    }
}

impl<W: Write> Write for HoldBack<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let total = self.held.len() + buf.len();
        if total <= self.keep {
            self.held.extend_from_slice(buf);
            return Ok(buf.len());
        }
        // Pass on all but the last `keep` bytes of held + buf.
        let out = total - self.keep;
        if out >= self.held.len() {
            let from_buf = out - self.held.len();
            self.inner.write_all(&self.held)?;
            self.inner.write_all(&buf[..from_buf])?;
            self.held.clear();
            self.held.extend_from_slice(&buf[from_buf..]);
        } else {
            self.inner.write_all(&self.held[..out])?;
            self.held.drain(..out);
            self.held.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The text of the SHA-256 list (`evidence.sha256`): one `<64 hex>  <name>` line per file, in the
/// order given, in the format `sha256sum` writes and `sha256sum -c` reads.
pub fn sums_text(files: &[crate::model::evidence::ReportDigest]) -> String {
    files
        .iter()
        .map(|f| format!("{}  {}\n", f.sha256, f.path))
        .collect()
}

/// One line of a SHA-256 list as read back: the name and the digest, or what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SumLine {
    File {
        name: String,
        sha256: String,
    },
    /// The 1-based line number and why it is not a line [`sums_text`] writes (a name must be a
    /// plain file name of the directory: no path is ever opened from the list).
    Malformed {
        line: usize,
        why: &'static str,
    },
}

/// Reads a SHA-256 list (`sha256sum` format, text or binary mode marker); blank lines are skipped.
pub fn parse_sums(text: &str) -> Vec<SumLine> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let malformed = |why| SumLine::Malformed { line: i + 1, why };
        let Some((sha, rest)) = line.split_once(' ') else {
            out.push(malformed("not `<sha256>  <file>`"));
            continue;
        };
        let name = rest.strip_prefix([' ', '*']).unwrap_or(rest);
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            out.push(malformed("not a SHA-256 in hex"));
        } else if name.is_empty() || name.contains('/') || name == "." || name == ".." {
            out.push(malformed("not a file name of this directory"));
        } else {
            out.push(SumLine::File {
                name: name.to_string(),
                sha256: sha.to_ascii_lowercase(),
            });
        }
    }
    out
}

/// A private directory (mode 0700) `.kensa-WHAT-PID-N` inside `dir`, removed with what it holds
/// when dropped unless [`PrivateDir::keep`] was called.
pub struct PrivateDir {
    path: PathBuf,
    keep: bool,
}

impl PrivateDir {
    /// Creates a fresh one (never reusing an existing directory).
    pub fn new(dir: &Path, what: &str) -> io::Result<PrivateDir> {
        use std::os::unix::fs::DirBuilderExt;
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let pid = std::process::id();
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".kensa-{what}-{pid}-{n}"));
            match fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => {
                    fs::set_permissions(&path, fs::Permissions::from_mode(0o700))?;
                    return Ok(PrivateDir { path, keep: false });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leave the directory in place when dropped.
    pub fn keep(&mut self) {
        self.keep = true;
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// The names of a set that are in `dir` but are not regular files (or symbolic links): a
/// directory named `evidence.html` cannot be replaced, so the set is not written at all.
pub fn in_the_way(dir: &Path, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter(|n| {
            fs::symlink_metadata(dir.join(n))
                .is_ok_and(|m| !m.file_type().is_file() && !m.file_type().is_symlink())
        })
        .map(|n| n.to_string())
        .collect()
}

/// Replaces the evidence set in `dir` by the files `new` staged (complete, fsynced) in `staging`:
/// every file of `owned` present in `dir` (the previous run's set, including formats this run does
/// not write) is moved aside, the new files are moved in, and only then is the previous set
/// deleted. If any step fails, what was moved is moved back: `dir` holds the previous set
/// untouched, never a mix of two runs. The moves are renames within one directory tree, so the
/// window between the first and the last is a few system calls.
pub fn replace_set(dir: &Path, staging: &Path, new: &[&str], owned: &[&str]) -> io::Result<()> {
    let in_way = in_the_way(dir, owned);
    if !in_way.is_empty() {
        return Err(io::Error::other(format!(
            "{} is in the way (not a regular file); nothing was replaced",
            in_way.join(", ")
        )));
    }
    let mut previous = PrivateDir::new(dir, "previous")?;
    let mut moved_old: Vec<&str> = Vec::new();
    let mut moved_new: Vec<&str> = Vec::new();
    let mut step = || -> io::Result<()> {
        for &name in owned {
            let p = dir.join(name);
            if fs::symlink_metadata(&p).is_ok() {
                fs::rename(&p, previous.path().join(name))?;
                moved_old.push(name);
            }
        }
        for &name in new {
            fs::rename(staging.join(name), dir.join(name))?;
            moved_new.push(name);
        }
        Ok(())
    };
    let result = step();
    if let Err(e) = result {
        for name in moved_new.iter().rev() {
            let _ = fs::rename(dir.join(name), staging.join(name));
        }
        let mut restored = true;
        for name in moved_old.iter().rev() {
            restored &= fs::rename(previous.path().join(name), dir.join(name)).is_ok();
        }
        if !restored {
            // Never delete the only copy of the previous set.
            previous.keep();
            return Err(io::Error::other(format!(
                "{e}; the previous evidence could not all be moved back and is kept in {}",
                previous.path().display()
            )));
        }
        return Err(e);
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The temp file of a write in progress: removed when dropped, unless it was renamed into place.
struct TempGuard {
    path: PathBuf,
    renamed: bool,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates a fresh temp file `.NAME.tmp-PID-N` in `dir` with mode 0600 (never reusing an existing file).
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let pid = std::process::id();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{pid}-{n}"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn new_file_is_0600_with_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("evidence.json");
        write_atomic(&p, b"{}\n").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"{}\n");
        assert_eq!(mode(&p), 0o600);
        assert_eq!(entries(dir.path()), vec!["evidence.json"]);
    }

    #[test]
    fn replaces_older_file_with_wider_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("evidence.md");
        fs::write(&p, b"old content that is longer").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o666)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(mode(&p), 0o600);
    }

    #[test]
    fn failed_fill_leaves_no_partial_file_and_keeps_old() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("evidence.csv");
        let err = write_atomic_with(&p, |f| {
            f.write_all(b"half of a rep")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));

        fs::write(&p, b"previous").unwrap();
        write_atomic_with(&p, |f| {
            f.write_all(b"partial")?;
            Err(io::Error::other("boom"))
        })
        .unwrap_err();
        assert_eq!(fs::read(&p).unwrap(), b"previous");
        assert_eq!(entries(dir.path()), vec!["evidence.csv"]);
    }

    #[test]
    fn panicking_fill_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("evidence.md");
        let r = std::panic::catch_unwind(|| {
            write_atomic_with(&p, |f| {
                f.write_all(b"# half")?;
                panic!("renderer bug");
            })
        });
        assert!(r.is_err());
        assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
    }

    #[test]
    fn failed_rename_removes_temp() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory in the way: rename(2) fails.
        let p = dir.path().join("evidence.html");
        fs::create_dir(&p).unwrap();
        fs::write(p.join("x"), b"x").unwrap();
        assert!(write_atomic(&p, b"<html>").is_err());
        assert_eq!(entries(dir.path()), vec!["evidence.html"]);
        assert!(p.is_dir());
    }

    fn set(dir: &Path, files: &[(&str, &str)]) {
        for (n, c) in files {
            fs::write(dir.join(n), c).unwrap();
        }
    }

    const OWNED: [&str; 4] = [
        "evidence.json",
        "evidence.md",
        "evidence.csv",
        "evidence.xlsx",
    ];

    #[test]
    fn a_set_is_replaced_whole_and_stale_formats_go() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        set(
            d,
            &[
                ("evidence.json", "old"),
                ("evidence.csv", "old"),
                ("notes.txt", "mine"),
            ],
        );
        let staging = PrivateDir::new(d, "staging").unwrap();
        set(
            staging.path(),
            &[("evidence.json", "new"), ("evidence.md", "new")],
        );
        replace_set(d, staging.path(), &["evidence.json", "evidence.md"], &OWNED).unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(d.join("evidence.json")).unwrap(), "new");
        assert_eq!(fs::read_to_string(d.join("evidence.md")).unwrap(), "new");
        assert_eq!(fs::read_to_string(d.join("notes.txt")).unwrap(), "mine");
        // The previous run's csv is not left beside this run's files.
        assert_eq!(
            entries(d),
            vec!["evidence.json", "evidence.md", "notes.txt"]
        );
    }

    #[test]
    fn a_failed_replacement_leaves_the_previous_set_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let old = [
            ("evidence.json", "old json"),
            ("evidence.md", "old md"),
            ("evidence.csv", "old csv"),
            ("evidence.xlsx", "old xlsx"),
        ];
        set(d, &old);
        let staging = PrivateDir::new(d, "staging").unwrap();
        // The md is missing from the staging directory: the second move in fails.
        set(staging.path(), &[("evidence.json", "new json")]);
        let err = replace_set(d, staging.path(), &["evidence.json", "evidence.md"], &OWNED);
        assert!(err.is_err());
        drop(staging);
        for (n, c) in old {
            assert_eq!(fs::read_to_string(d.join(n)).unwrap(), c, "{n}");
        }
        let mut want: Vec<&str> = old.iter().map(|(n, _)| *n).collect();
        want.sort();
        assert_eq!(entries(d), want, "no staging or backup directory is left");
    }

    #[test]
    fn a_directory_in_the_way_stops_the_replacement_before_any_move() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        set(d, &[("evidence.json", "old")]);
        fs::create_dir(d.join("evidence.md")).unwrap();
        let staging = PrivateDir::new(d, "staging").unwrap();
        set(
            staging.path(),
            &[("evidence.json", "new"), ("evidence.md", "new")],
        );
        let e =
            replace_set(d, staging.path(), &["evidence.json", "evidence.md"], &OWNED).unwrap_err();
        assert!(e.to_string().contains("evidence.md is in the way"), "{e}");
        drop(staging);
        assert_eq!(fs::read_to_string(d.join("evidence.json")).unwrap(), "old");
        assert_eq!(entries(d), vec!["evidence.json", "evidence.md"]);
    }

    #[test]
    fn hold_back_passes_on_all_but_the_last_bytes() {
        let text: Vec<u8> = (0..200u8).collect();
        for keep in [0usize, 1, 7, 64, 199, 200, 300] {
            for chunk in [1usize, 3, 50, 256] {
                let mut h = HoldBack::new(Vec::new(), keep);
                for c in text.chunks(chunk) {
                    h.write_all(c).unwrap();
                }
                let (passed, held) = h.into_parts();
                let cut = text.len().saturating_sub(keep);
                assert_eq!(passed, &text[..cut], "keep {keep} chunk {chunk}");
                assert_eq!(held, &text[cut..], "keep {keep} chunk {chunk}");
            }
        }
    }

    #[test]
    fn digesting_hashes_what_passes_through() {
        use sha2::Digest;
        let mut out = Vec::new();
        let mut w = Digesting::new(&mut out);
        w.write_all(b"abc").unwrap();
        w.write_all(b"").unwrap();
        w.write_all("いいえ".as_bytes()).unwrap();
        let (sha, size) = w.finish();
        let want = "abcいいえ".as_bytes();
        assert_eq!(out, want);
        assert_eq!(size, want.len() as u64);
        assert_eq!(sha, hex::encode(sha2::Sha256::digest(want)));
    }

    #[test]
    fn sums_lines_are_sha256sums_and_read_back() {
        use crate::model::evidence::ReportDigest;
        let files = [
            ReportDigest {
                path: "evidence.json".into(),
                sha256: "ab".repeat(32),
                size: 1,
            },
            ReportDigest {
                path: "evidence.md".into(),
                sha256: "0f".repeat(32),
                size: 2,
            },
        ];
        let text = sums_text(&files);
        assert_eq!(
            text,
            format!(
                "{}  evidence.json\n{}  evidence.md\n",
                "ab".repeat(32),
                "0f".repeat(32)
            )
        );
        let back: Vec<SumLine> = parse_sums(&text);
        assert_eq!(
            back,
            files
                .iter()
                .map(|f| SumLine::File {
                    name: f.path.clone(),
                    sha256: f.sha256.clone()
                })
                .collect::<Vec<_>>()
        );
        // Binary-mode marker and upper case as other tools write them; what is not a line.
        let upper = "AB".repeat(32);
        assert_eq!(
            parse_sums(&format!("{upper} *evidence.csv\n\n")),
            [SumLine::File {
                name: "evidence.csv".into(),
                sha256: "ab".repeat(32)
            }]
        );
        assert_eq!(
            parse_sums(&format!(
                "xyz  a\n{}  sub/evidence.md\nnospace\n",
                "ab".repeat(32)
            )),
            [
                SumLine::Malformed {
                    line: 1,
                    why: "not a SHA-256 in hex"
                },
                SumLine::Malformed {
                    line: 2,
                    why: "not a file name of this directory"
                },
                SumLine::Malformed {
                    line: 3,
                    why: "not `<sha256>  <file>`"
                },
            ]
        );
    }

    #[test]
    fn missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("evidence.json");
        assert!(write_atomic(&p, b"{}").is_err());
        assert!(!p.exists());
    }
}
