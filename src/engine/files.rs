//! Opening the files an audit reads without ever blocking on them: a named pipe, a device or an
//! oversized file is refused with a reason, before any work ([`cannot_open`], called by
//! [`super::plan::unreadable_inputs`]) and again on the open file ([`read_regular`]).

use std::path::Path;

/// Why `path` cannot be read (`None` when it can): a regular file (of at most `max_size` bytes,
/// when given), or with `dir_ok` a directory whose entries can be listed. A named pipe, a device
/// or a socket is refused without being opened: reading one could block for ever or never end.
pub fn cannot_open(path: &Path, dir_ok: bool, max_size: Option<u64>) -> Option<String> {
    match std::fs::metadata(path) {
        Err(e) => Some(io_reason(&e)),
        Ok(m) if m.is_dir() && !dir_ok => Some("is a directory, not a file".into()),
        Ok(m) if m.is_dir() => std::fs::read_dir(path).err().map(|e| io_reason(&e)),
        Ok(m) if !m.is_file() => Some(not_regular(&m)),
        Ok(m) if max_size.is_some_and(|max| m.len() > max) => {
            Some(too_large(m.len(), max_size.unwrap_or(0)))
        }
        Ok(_) => open_nonblocking(path).err().map(|e| io_reason(&e)),
    }
}

/// The bytes of the regular file at `path`, at most `max_size` of them. Opened without blocking
/// and checked on the open file, so a path that became a named pipe or a device after
/// [`cannot_open`] is refused, not waited on.
pub fn read_regular(path: &Path, max_size: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = open_nonblocking(path).map_err(|e| io_reason(&e))?;
    let m = file.metadata().map_err(|e| io_reason(&e))?;
    if !m.is_file() {
        return Err(not_regular(&m));
    }
    if m.len() > max_size {
        return Err(too_large(m.len(), max_size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(m.len()).unwrap_or(0));
    // A file that grows while it is read stops at the limit.
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > max_size {
        zeroize::Zeroize::zeroize(&mut bytes);
        return Err(too_large(max_size.saturating_add(1), max_size));
    }
    Ok(bytes)
}

/// `p` made absolute (as it is when it cannot be): recorded so that `kensa verify` finds the file
/// from anywhere.
pub fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// Open for reading with `O_NONBLOCK`: opening a named pipe with no writer returns at once.
pub(super) fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Why a path that is neither a file nor a directory is not read.
fn not_regular(m: &std::fs::Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    let what = if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file or a directory"
    };
    format!("not a regular file ({what}); give a copy of its content as a file")
}

/// Why a file larger than the input size limit is not read.
fn too_large(size: u64, max: u64) -> String {
    format!("{size} bytes, more than the input size limit of {max} bytes (raise it with --max-input-size)")
}

pub(super) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::plan::{sniff_file, unreadable_inputs};
    use crate::engine::test_options as options;
    use crate::engine::AuditOptions;

    #[test]
    fn unreadable_inputs_are_named_once_each_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let here = dir.path().join("dump.txt");
        std::fs::write(
            &here,
            "a:500:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n",
        )
        .unwrap();
        let gone = dir.path().join("gone.txt");
        let opts = AuditOptions {
            wordlists: vec![dir.path().to_path_buf()],
            potfiles: vec![gone.clone(), here.clone()],
            ..options(&[
                &here.display().to_string(),
                &format!("pwdump:{}", gone.display()),
            ])
        };
        let problems = unreadable_inputs(&opts).unwrap();
        assert_eq!(
            problems,
            [
                format!("{}: cannot read: no such file", gone.display()),
                format!(
                    "{}: cannot read: is a directory, not a file",
                    dir.path().display()
                ),
            ]
        );
        assert_eq!(cannot_open(dir.path(), true, None), None);
        assert_eq!(cannot_open(&here, false, Some(1000)), None);
    }

    #[test]
    fn pipes_devices_and_oversized_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("dump.fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let why = cannot_open(&fifo, true, None).unwrap();
        assert!(
            why.starts_with("not a regular file (a named pipe)"),
            "{why}"
        );
        // Reading it directly does not wait for a writer either.
        assert!(read_regular(&fifo, 100)
            .unwrap_err()
            .contains("a named pipe"));
        assert!(sniff_file(&fifo).is_none());
        let why = cannot_open(Path::new("/dev/zero"), false, None).unwrap();
        assert!(why.contains("a character device"), "{why}");
        // Size: checked before opening and on the open file.
        let file = dir.path().join("big.txt");
        std::fs::write(&file, [b'a'; 101]).unwrap();
        let why = cannot_open(&file, false, Some(100)).unwrap();
        assert!(
            why.starts_with("101 bytes, more than the input size limit of 100 bytes"),
            "{why}"
        );
        assert_eq!(cannot_open(&file, false, Some(101)), None);
        assert!(read_regular(&file, 100).is_err());
        assert_eq!(read_regular(&file, 101).unwrap().len(), 101);
        // The up-front check names them all.
        let mut opts = options(&[fifo.to_str().unwrap(), file.to_str().unwrap(), "/dev/null"]);
        opts.max_input_size = 100;
        let problems = unreadable_inputs(&opts).unwrap();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("dump.fifo: cannot read: not a regular file (a named pipe)"));
        assert!(problems[1].contains("big.txt: cannot read: 101 bytes"));
        assert!(
            problems[2].contains("/dev/null: cannot read: not a regular file (a character device)")
        );
    }
}
