//! A drop-in directory given as one input (`/etc/security/pwquality.conf.d`): its `*.conf` files
//! in the order libpwquality reads them, and one digest that stands for the directory in the
//! evidence and that `kensa verify` recomputes.
//!
//! The digest is the SHA-256 of the listing `sha256sum` prints for the files in that order
//! (`HASH  NAME` lines), so an inspector can recompute it with
//! `cd pwquality.conf.d && sha256sum $(LC_ALL=C ls *.conf) | sha256sum`;
//! the size is the files' sizes added up.

use crate::model::ParsedInput;
use sha2::Digest;
use std::path::Path;

/// The drop-in files of a directory, read.
pub struct DropIns {
    /// `(file name, bytes)` in name order.
    pub files: Vec<(String, Vec<u8>)>,
    /// Hex SHA-256 of the `sha256sum` listing of the files.
    pub sha256: String,
    /// The files' sizes added up.
    pub size: u64,
}

/// Read the files libpwquality would read from `dir`: names ending in `.conf` (the first `.conf`
/// ends the name), sorted byte by byte; directories, named pipes, devices and unreadable names
/// left out.
pub fn read(dir: &Path) -> std::io::Result<DropIns> {
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.find(".conf") == name.len().checked_sub(5) && entry.path().is_file() {
            names.push(name);
        }
    }
    names.sort_unstable();
    let mut files = Vec::with_capacity(names.len());
    let mut listing = String::new();
    let mut size = 0;
    for name in names {
        let bytes = std::fs::read(dir.join(&name))?;
        listing.push_str(&format!(
            "{}  {name}\n",
            hex::encode(sha2::Sha256::digest(&bytes))
        ));
        size += bytes.len() as u64;
        files.push((name, bytes));
    }
    Ok(DropIns {
        files,
        sha256: hex::encode(sha2::Sha256::digest(listing.as_bytes())),
        size,
    })
}

/// Parse drop-ins read from a directory as one pwquality.conf.d source named `label`. A file that
/// is not text is an input error and is left out.
pub fn parse(d: &DropIns, label: &str) -> ParsedInput {
    let mut texts = Vec::with_capacity(d.files.len());
    let mut errors = Vec::new();
    for (name, bytes) in &d.files {
        match super::decode(bytes) {
            Ok(t) => texts.push((name.clone(), t)),
            Err(e) => errors.push(crate::model::InputError {
                source: format!("{label}/{name}"),
                message: e.to_string(),
            }),
        }
    }
    let mut parsed = super::pwquality::parse_dir(&texts, label);
    errors.append(&mut parsed.errors);
    parsed.errors = errors;
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_conf_files_in_name_order_with_a_sha256sum_digest() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::write(p.join("50-cis.conf"), "minclass = 4\n").unwrap();
        std::fs::write(p.join("10-len.conf"), "minlen = 14\n").unwrap();
        std::fs::write(p.join("90-old.conf.bak"), "minlen = 6\n").unwrap();
        std::fs::write(p.join("x.conf.conf"), "minlen = 6\n").unwrap();
        std::fs::write(p.join("README"), "not read\n").unwrap();
        std::fs::create_dir(p.join("sub.conf")).unwrap();
        let r = read(p).unwrap();
        let names: Vec<&str> = r.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["10-len.conf", "50-cis.conf"]);
        assert_eq!(r.size, 25);
        let listing = format!(
            "{}  10-len.conf\n{}  50-cis.conf\n",
            hex::encode(sha2::Sha256::digest(b"minlen = 14\n")),
            hex::encode(sha2::Sha256::digest(b"minclass = 4\n"))
        );
        assert_eq!(
            r.sha256,
            hex::encode(sha2::Sha256::digest(listing.as_bytes()))
        );
        let parsed = parse(&r, "pwquality.conf.d");
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let s = parsed.policy.unwrap().linux.unwrap().pwquality;
        assert_eq!((s.minlen, s.minclass), (Some(14), Some(4)));
        std::fs::write(p.join("20-bin.conf"), [0xffu8, 0xfe, 0x41]).unwrap();
        let parsed = parse(&read(p).unwrap(), "d");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].source, "d/20-bin.conf");
    }
}
