//! The plan stage: the manifest (given, or implied by bare `FILE` arguments) and the list of
//! inputs to read, with directories expanded. Nothing is read here but directory listings and the
//! first bytes of a bare file (to tell a pot file, which names no system of its own).

use super::files::{absolute, cannot_open, io_reason, open_nonblocking};
use super::{AuditError, AuditOptions};
use crate::input::{self, Format};
use crate::manifest::{Manifest, SystemDef};
use crate::model::evidence::FileRef;
use sha2::Digest;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What the audit will read: the manifest and the inputs, in the order of `Evidence::inputs`
/// (pot files given with `--potfile` follow them).
#[derive(Debug)]
pub(super) struct Plan {
    pub manifest: Manifest,
    /// Where the manifest was, with the digest of the text parsed (`None` without a manifest).
    pub manifest_file: Option<FileRef>,
    pub specs: Vec<InputSpec>,
}

/// One input file to read.
#[derive(Debug, Clone)]
pub(super) struct InputSpec {
    pub path: PathBuf,
    /// As written by the user (used in `file:line` sources).
    pub display: String,
    pub forced: Option<Format>,
    /// The system the file belongs to; `None` for top-level inputs.
    pub system: Option<String>,
}

/// The files an audit would read that cannot be opened, each as `PATH: cannot read: REASON`:
/// the inputs (of the manifest and `FILE` arguments; a `pwquality.conf.d` directory is one input
/// of drop-ins), pot files and wordlists, each once. For a check before any work, so that a mistyped path is an
/// error at once, not after the audit; so is a named pipe or a device (which would block or
/// never end) and a file larger than `max_input_size`.
pub fn unreadable_inputs(opts: &AuditOptions) -> Result<Vec<String>, AuditError> {
    let Plan { specs, .. } = plan(opts)?;
    let mut seen = BTreeSet::new();
    Ok(specs
        .iter()
        .map(|s| (s.path.as_path(), true))
        .chain(opts.potfiles.iter().map(|p| (p.as_path(), false)))
        .chain(opts.wordlists.iter().map(|p| (p.as_path(), false)))
        .filter(|(p, _)| seen.insert(*p))
        .filter_map(|(p, dir_ok)| {
            cannot_open(p, dir_ok, Some(opts.max_input_size))
                .map(|why| format!("{}: cannot read: {why}", p.display()))
        })
        .collect())
}

/// Build the manifest (given or implied by bare files) and the list of inputs.
pub(super) fn plan(opts: &AuditOptions) -> Result<Plan, AuditError> {
    let (mut m, manifest_file) = match &opts.manifest {
        Some(p) => {
            let (m, text) = Manifest::load_text(p)?;
            let file = FileRef {
                path: p.display().to_string(),
                absolute: absolute(p),
                sha256: Some(hex::encode(sha2::Sha256::digest(text.as_bytes()))),
                size: Some(text.len() as u64),
            };
            (m, Some(file))
        }
        None => (Manifest::default(), None),
    };
    let mut specs = Vec::new();
    if let Some(mp) = &opts.manifest {
        for s in &m.systems {
            for i in &s.inputs {
                specs.extend(expand_dir(spec_for(i, Some(mp), Some(s.id.clone()))?)?);
            }
        }
        for i in m.inputs.clone() {
            let spec = spec_for(&i, Some(mp), None)?;
            if spec.path.is_dir() {
                for spec in expand_dir(spec)? {
                    specs.push(own_system(spec, &mut m));
                }
            } else {
                specs.push(spec);
            }
        }
    }
    for f in &opts.files {
        for spec in expand_dir(spec_for(f, None, None)?)? {
            specs.push(own_system(spec, &mut m));
        }
    }
    if specs.is_empty() && opts.potfiles.is_empty() {
        return Err(AuditError::Usage(
            "nothing to audit: give --manifest FILE or one or more input files".into(),
        ));
    }
    Ok(Plan {
        manifest: m,
        manifest_file,
        specs,
    })
}

/// A bare file is one system named after its stem (pot files and inventories name their own);
/// the system is added to the manifest unless it is there already.
fn own_system(mut spec: InputSpec, m: &mut Manifest) -> InputSpec {
    let stem = spec
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| spec.display.clone());
    let is_pot = spec.forced == Some(Format::Potfile)
        || (spec.forced.is_none() && sniff_file(&spec.path) == Some(Format::Potfile));
    if !is_pot {
        if !m.systems.iter().any(|s| s.id == stem) {
            m.systems.push(SystemDef {
                id: stem.clone(),
                ..Default::default()
            });
        }
        spec.system = Some(stem);
    }
    spec
}

/// A directory given as one input (per-host SAM dumps, say): its files, sorted by name, each an
/// input of its own named `DIR/FILE` (a forced format applies to each). Hidden files and
/// subdirectories are left out. Anything else, and a `pwquality.conf.d` directory (one input of
/// drop-ins, see [`is_drop_in_dir`]), is returned as it is.
fn expand_dir(spec: InputSpec) -> Result<Vec<InputSpec>, AuditError> {
    if !spec.path.is_dir() || is_drop_in_dir(&spec) {
        return Ok(vec![spec]);
    }
    let listing = std::fs::read_dir(&spec.path).map_err(|e| {
        AuditError::Usage(format!(
            "{}: cannot list the directory: {}",
            spec.display,
            io_reason(&e)
        ))
    })?;
    let mut names: Vec<std::ffi::OsString> = listing
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name())
        .filter(|n| !n.to_string_lossy().starts_with('.'))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(AuditError::Usage(format!(
            "{}: the directory holds no files to audit",
            spec.display
        )));
    }
    let dir = spec.display.trim_end_matches(['/', '\\']);
    Ok(names
        .into_iter()
        .map(|n| InputSpec {
            path: spec.path.join(&n),
            display: format!("{dir}/{}", n.to_string_lossy()),
            forced: spec.forced,
            system: spec.system.clone(),
        })
        .collect())
}

/// A `pwquality.conf.d` directory, by its name or forced as `pwquality:DIR`: read whole as the
/// drop-ins of one policy source ([`read_dir_input`]), not as one input per file.
fn is_drop_in_dir(spec: &InputSpec) -> bool {
    spec.path.is_dir()
        && (spec.forced == Some(Format::Pwquality)
            || spec.path.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .to_ascii_lowercase()
                    .ends_with("pwquality.conf.d")
            }))
}

/// The format of a file from its first 64 KiB (detection looks at no more). Anything but a
/// regular file is not opened (planning runs before the paths are checked).
pub(super) fn sniff_file(path: &Path) -> Option<Format> {
    use std::io::Read;
    let mut head = zeroize::Zeroizing::new(Vec::new());
    let file = open_nonblocking(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    file.take(input::SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    // A character cut at the end makes the last line undecodable, which detection skips.
    let (_, format) = input::decode_input(&head, None, &path.file_name()?.to_string_lossy());
    format
}

/// `FORMAT:PATH` or `PATH`, relative to the manifest when one is given.
fn spec_for(
    arg: &str,
    manifest: Option<&PathBuf>,
    system: Option<String>,
) -> Result<InputSpec, AuditError> {
    let (forced, rest) = input::split_format(arg)?;
    let path = match manifest {
        Some(mp) => Manifest::resolve(mp, rest),
        None => PathBuf::from(rest),
    };
    Ok(InputSpec {
        path,
        display: rest.to_string(),
        forced,
        system,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_options as options;

    #[test]
    fn a_directory_is_one_system_per_file() {
        let dir = tempfile::tempdir().unwrap();
        let pcs = dir.path().join("pcs");
        std::fs::create_dir_all(pcs.join("old")).unwrap();
        let line = "Administrator:500:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::\n";
        for name in ["pc-02.txt", "pc-01.txt", ".hidden.txt", "old/pc-09.txt"] {
            std::fs::write(pcs.join(name), line).unwrap();
        }
        let arg = format!("{}/", pcs.display());
        let Plan {
            manifest: m, specs, ..
        } = plan(&options(&[&arg])).unwrap();
        let got: Vec<(String, Option<String>)> = specs
            .iter()
            .map(|s| (s.display.clone(), s.system.clone()))
            .collect();
        let want = |n: &str| (format!("{}/{n}.txt", pcs.display()), Some(n.to_string()));
        assert_eq!(got, [want("pc-01"), want("pc-02")]);
        let ids: Vec<&str> = m.systems.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["pc-01", "pc-02"]);
        // A forced format applies to every file.
        let Plan { specs, .. } = plan(&options(&[&format!("pwdump:{}", pcs.display())])).unwrap();
        assert!(specs.iter().all(|s| s.forced == Some(Format::Pwdump)));
        // An empty directory is a usage error.
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let e = plan(&options(&[&empty.display().to_string()])).unwrap_err();
        assert!(e.to_string().contains("holds no files"), "{e}");
    }
}
