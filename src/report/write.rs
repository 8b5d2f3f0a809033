//! Atomic, private file writes: reports land whole (temp file + fsync + rename) with mode 0600.

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

    #[test]
    fn missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("evidence.json");
        assert!(write_atomic(&p, b"{}").is_err());
        assert!(!p.exists());
    }
}
