//! `kensa export hashcat`: the hashes kensa could not verify, one file per hashcat mode (hashes
//! only: no account names, no systems, no plaintexts), and a job sheet (`JOBS.md`, `jobs.json`)
//! saying how to run hashcat on them and how the pot file comes back to `kensa audit --potfile`.

use crate::hash::hashcat::{self as hc, Mode, NoMode};
use crate::model::{HashValue, Scheme, Secret};
use crate::report::write::write_atomic_with;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The job sheet for people.
pub const JOBS_MD: &str = "JOBS.md";
/// The job sheet for scripts (also how a later export finds the files of this one).
pub const JOBS_JSON: &str = "jobs.json";
/// The pot file the suggested commands write, in the export directory.
pub const POT_FILE: &str = "kensa.potfile";
/// Where hashcat 6.2.6 as packaged by Debian writes its pot file without `--potfile-path` (the
/// home directory of the user from the password database, not `$HOME`).
pub const DEFAULT_POT: &str = "~/.local/share/hashcat/hashcat.potfile";
/// Where Debian installs hashcat's rules.
const RULES: &str = "/usr/share/hashcat/rules";

/// What an export holds.
#[derive(Debug, Default)]
pub struct Export {
    /// One file per hashcat mode (per mode and settings for scrypt), fast modes first.
    pub files: Vec<HashFile>,
    /// Hashes no file holds, counted by scheme and reason.
    pub left_out: Vec<LeftOut>,
}

/// The hashes of one hashcat run.
#[derive(Debug)]
pub struct HashFile {
    /// The file name in the export directory (`1000-nt.txt`).
    pub name: String,
    pub mode: Mode,
    pub scheme: Scheme,
    /// Settings every hash of the file shares (scrypt only).
    pub settings: Option<String>,
    /// The hashes, distinct and sorted, in the line format hashcat parses.
    pub hashes: Vec<Secret>,
}

/// Hashes of one scheme that no file holds, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub scheme: Scheme,
    pub reason: NoMode,
    pub count: usize,
}

/// Group hashes into hashcat's files. Pure: nothing is written.
pub fn plan(hashes: &[HashValue]) -> Export {
    type Group = (Mode, Scheme, BTreeSet<Secret>);
    let mut groups: BTreeMap<(bool, u32, Option<String>), Group> = BTreeMap::new();
    let mut left: BTreeMap<(Scheme, NoMode), usize> = BTreeMap::new();
    for h in hashes {
        match hc::line(h.scheme, h.text.expose()) {
            Ok(l) => {
                groups
                    .entry((!l.mode.fast, l.mode.number, l.settings))
                    .or_insert_with(|| (l.mode, h.scheme, BTreeSet::new()))
                    .2
                    .insert(l.text);
            }
            Err(reason) => *left.entry((h.scheme, reason)).or_default() += 1,
        }
    }
    Export {
        files: groups
            .into_iter()
            .map(|((_, _, settings), (mode, scheme, set))| HashFile {
                name: file_name(mode, settings.as_deref()),
                mode,
                scheme,
                settings,
                hashes: set.into_iter().collect(),
            })
            .collect(),
        left_out: left
            .into_iter()
            .map(|((scheme, reason), count)| LeftOut {
                scheme,
                reason,
                count,
            })
            .collect(),
    }
}

/// What the job sheet says beyond the export itself.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub version: String,
    /// The command that reads the results back (`kensa audit … --potfile DIR/kensa.potfile`).
    pub way_back: String,
}

/// Write the export into `dir` (created 0700 if missing): the hash files and the job sheet, each
/// atomically with mode 0600. Hash files an earlier export listed in its `jobs.json` and this one
/// does not hold are removed; any other file is left alone. Returns the paths written.
pub fn write(export: &Export, dir: &Path, sheet: &Sheet) -> io::Result<Vec<PathBuf>> {
    crate::report::ensure_dir(dir)?;
    let mut written = Vec::new();
    for f in &export.files {
        let path = dir.join(&f.name);
        write_atomic_with(&path, |file| write_lines(file, &f.hashes))?;
        written.push(path);
    }
    let now: BTreeSet<&str> = export.files.iter().map(|f| f.name.as_str()).collect();
    for old in earlier_files(dir) {
        if !now.contains(old.as_str()) {
            match std::fs::remove_file(dir.join(&old)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    let jobs = jobs(export, sheet);
    let md = dir.join(JOBS_MD);
    crate::report::write::write_atomic(&md, markdown(&jobs).as_bytes())?;
    written.push(md);
    let json = dir.join(JOBS_JSON);
    let mut text = serde_json::to_string_pretty(&jobs).map_err(io::Error::other)?;
    text.push('\n');
    crate::report::write::write_atomic(&json, text.as_bytes())?;
    written.push(json);
    Ok(written)
}

/// The machine-readable job sheet (`jobs.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Jobs {
    pub schema: String,
    pub tool: String,
    /// The hashcat version the line formats and modes were checked against.
    pub hashcat: String,
    /// The pot file the commands write, relative to the export directory.
    pub pot_file: String,
    pub files: Vec<Job>,
    #[serde(default)]
    pub not_exported: Vec<NotExported>,
    /// The command that reads the results back.
    pub way_back: String,
}

/// One hash file and the commands suggested for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub file: String,
    pub mode: u32,
    pub scheme: String,
    #[serde(default)]
    pub settings: Option<String>,
    pub hashes: usize,
    /// A fast hash: rules and masks are worth running.
    #[serde(default)]
    pub fast: bool,
    /// Run from the export directory; `WORDLIST` stands for the user's wordlist.
    pub commands: Vec<String>,
}

/// Hashes left out of every file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotExported {
    pub scheme: String,
    /// `no_hashcat_mode` | `parameters` | `malformed`.
    pub reason: String,
    pub hashes: usize,
    pub hint: String,
}

/// The job sheet of an export.
pub fn jobs(export: &Export, sheet: &Sheet) -> Jobs {
    Jobs {
        schema: "kensa/hashcat-jobs/1".into(),
        tool: format!("kensa {}", sheet.version),
        hashcat: "6.2.6".into(),
        pot_file: POT_FILE.into(),
        files: export
            .files
            .iter()
            .map(|f| Job {
                file: f.name.clone(),
                mode: f.mode.number,
                scheme: f.scheme.as_str().into(),
                settings: f.settings.clone(),
                hashes: f.hashes.len(),
                fast: f.mode.fast,
                commands: commands(f),
            })
            .collect(),
        not_exported: export
            .left_out
            .iter()
            .map(|l| NotExported {
                scheme: l.scheme.as_str().into(),
                reason: reason_code(l.reason).into(),
                hashes: l.count,
                hint: hint(l),
            })
            .collect(),
        way_back: sheet.way_back.clone(),
    }
}

/// One line of text per left-out group: `no hashcat mode: 2 hashes of yescrypt; try john --format=crypt`.
pub fn left_out_line(l: &LeftOut) -> String {
    let what = match l.reason {
        NoMode::Scheme => "no hashcat mode",
        NoMode::Parameters => "parameters hashcat 6.2.6 refuses",
        NoMode::Malformed => "malformed",
    };
    format!(
        "{what}: {} of {}; {}",
        plural(l.count, "hash", "hashes"),
        l.scheme.as_str(),
        hint(l)
    )
}

/// The suggested hashcat commands for one file (run from the export directory).
pub fn commands(f: &HashFile) -> Vec<String> {
    let m = f.mode.number;
    let pot = format!("--potfile-path {POT_FILE}");
    if f.mode == hc::LM {
        // LM upper-cases the password and hashes two halves of at most 7 characters each: every
        // half is in reach of a mask over upper case, digits and symbols.
        return vec![format!(
            "hashcat -m {m} -a 3 -O -w 3 {pot} --increment -1 '?u?d?s' {} '?1?1?1?1?1?1?1'",
            f.name
        )];
    }
    if f.mode.fast {
        return vec![format!(
            "hashcat -m {m} -a 0 -O -w 3 -r {RULES}/best64.rule {pot} {} WORDLIST",
            f.name
        )];
    }
    vec![format!(
        "hashcat -m {m} -a 0 -w 3 {pot} {} WORDLIST",
        f.name
    )]
}

/// The human job sheet.
pub fn markdown(j: &Jobs) -> String {
    let mut s = String::new();
    s.push_str("# hashcat jobs (kensa export hashcat)\n\n");
    s.push_str(&format!(
        "Written by {}. These are the hashes kensa could not verify with its own candidates. Each \
         file holds the hashes of one hashcat mode, one per line: **hashes only** (no account \
         names, no systems, no plaintexts); a hash several accounts share appears once. Treat the \
         files as secrets (they are written with mode 0600) and delete them when the job is done.\n\n",
        j.tool
    ));
    if j.files.is_empty() {
        s.push_str("Nothing to crack: every hash kensa read is verified or left out below.\n\n");
    } else {
        s.push_str("| file | mode | scheme | hashes |\n|---|---:|---|---:|\n");
        for f in &j.files {
            s.push_str(&format!(
                "| `{}` | {} | {}{} | {} |\n",
                f.file,
                f.mode,
                f.scheme,
                f.settings
                    .as_deref()
                    .map(|x| format!(" ({x})"))
                    .unwrap_or_default(),
                f.hashes
            ));
        }
        s.push_str(&format!(
            "\n## Commands\n\nRun them from this directory, fast modes first (the order above). \
             `WORDLIST` is a wordlist of your choice; the rules are hashcat's own (Debian: \
             `{RULES}/`). Add `--force` if hashcat refuses to run on the CPU (PoCL). \
             `--potfile-path {}` keeps every result of this job in one file here; without it \
             hashcat 6.2.6 (Debian) writes to `{DEFAULT_POT}`.\n\n```sh\n",
            j.pot_file
        ));
        for f in &j.files {
            for c in &f.commands {
                s.push_str(c);
                s.push('\n');
            }
        }
        s.push_str("```\n\n");
        if j.files.iter().any(|f| f.mode == hc::LM.number) {
            s.push_str(
                "LM hashes are cracked in halves of at most 7 upper-case characters; kensa joins \
                 the halves and finds the case of the NT password itself.\n\n",
            );
        }
        if j.files.iter().any(|f| !f.fast) {
            s.push_str(
                "For the slow modes (md5crypt and apr1 less so; sha-crypt, bcrypt, PBKDF2, scrypt) \
                 a short wordlist of likely passwords is worth more than rules.\n\n",
            );
        }
    }
    if !j.not_exported.is_empty() {
        s.push_str("## Not exported\n\n");
        for n in &j.not_exported {
            s.push_str(&format!(
                "- {}: {} of {}; {}\n",
                match n.reason.as_str() {
                    "no_hashcat_mode" => "no hashcat mode",
                    "parameters" => "parameters hashcat 6.2.6 refuses",
                    _ => "malformed",
                },
                plural(n.hashes, "hash", "hashes"),
                n.scheme,
                n.hint
            ));
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "## Bringing the results back\n\nRun the audit again with the pot file:\n\n```sh\n{}\n```\n\n\
         kensa reads hashcat's pot lines (`hash:plain`, `$HEX[…]` plaintexts, LM halves, and the \
         `sha256:…`/`SCRYPT:…` forms of PBKDF2 and scrypt) and verifies every plaintext against \
         the account's own hash before it trusts it: a wrong or foreign pot line changes nothing. \
         The pot file holds plaintexts: keep it as carefully as the evidence, and delete it when \
         the audit is done.\n",
        j.way_back
    ));
    s
}

fn file_name(mode: Mode, settings: Option<&str>) -> String {
    match settings {
        Some(s) => format!("{}-{}-{s}.txt", mode.number, mode.name),
        None => format!("{}-{}.txt", mode.number, mode.name),
    }
}

/// A name an export writes (`1000-nt.txt`, `8900-scrypt-N16384-r8-p1.txt`): digits, '-', then
/// lower-case letters, digits and '-', ending in `.txt`. Nothing else is ever removed.
fn is_export_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else {
        return false;
    };
    let Some((num, rest)) = stem.split_once('-') else {
        return false;
    };
    !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit())
        && !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'N')
}

/// The hash files the `jobs.json` of an earlier export in `dir` lists (none if there is none).
fn earlier_files(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(JOBS_JSON)) else {
        return Vec::new();
    };
    let Ok(j) = serde_json::from_str::<Jobs>(&text) else {
        return Vec::new();
    };
    j.files
        .into_iter()
        .map(|f| f.file)
        .filter(|n| is_export_name(n))
        .collect()
}

/// Hashes one per line, through a buffer that is wiped afterwards.
fn write_lines(file: &mut std::fs::File, hashes: &[Secret]) -> io::Result<()> {
    let mut buf = zeroize::Zeroizing::new(Vec::with_capacity(1 << 16));
    for h in hashes {
        buf.extend_from_slice(h.expose().as_bytes());
        buf.push(b'\n');
        if buf.len() >= 1 << 16 {
            file.write_all(&buf)?;
            buf.clear();
        }
    }
    file.write_all(&buf)
}

fn reason_code(r: NoMode) -> &'static str {
    match r {
        NoMode::Scheme => "no_hashcat_mode",
        NoMode::Parameters => "parameters",
        NoMode::Malformed => "malformed",
    }
}

fn hint(l: &LeftOut) -> String {
    match (l.scheme, l.reason) {
        (Scheme::Yescrypt, _) => {
            "try john --format=crypt (it uses the system's crypt(3), which knows yescrypt on \
             current Linux)"
                .into()
        }
        (Scheme::Argon2, _) => "try john --format=argon2 (john jumbo)".into(),
        (Scheme::Scrypt, NoMode::Parameters) => {
            "hashcat 6.2.6 takes scrypt with N of 1024 or more, a 32-byte output and a salt of at \
             most 33 bytes; try john --format=scrypt (john jumbo)"
                .into()
        }
        (Scheme::Pbkdf2, NoMode::Parameters) => {
            "hashcat 6.2.6 takes PBKDF2 with an output of 16 bytes or more and a salt of at most \
             256 bytes; try john --format=PBKDF2-HMAC-SHA256 (or -SHA1, -SHA512; john jumbo)"
                .into()
        }
        (_, NoMode::Malformed) => {
            "the stored hash does not parse (kensa audit names the file and line)".into()
        }
        _ => "no cracker suggested".into(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hv(scheme: Scheme, text: &str) -> HashValue {
        HashValue {
            scheme,
            text: Secret::new(text),
        }
    }

    #[test]
    fn plan_groups_by_mode_fast_first_and_counts_the_rest() {
        let scrypt = |ln: u8| {
            format!(
                "$scrypt$ln={ln},r=8,p=1$OTEyNzU0ODg$Cc8SPjRH1hFQhuIPCdF51uNGtJ2aOY/isuoMlMUsJ8c"
            )
        };
        let e = plan(&[
            hv(Scheme::Md5crypt, "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"),
            hv(Scheme::Nt, "8846f7eaee8fb117ad06bdd830b7586c"),
            // The same hash twice after conversion: once in the file.
            hv(Scheme::Nt, "8846F7EAEE8FB117AD06BDD830B7586C"),
            hv(Scheme::Yescrypt, "$y$j9T$abc$def"),
            hv(Scheme::Yescrypt, "$y$j9T$abd$def"),
            hv(Scheme::Scrypt, &scrypt(14)),
            hv(Scheme::Scrypt, &scrypt(15)),
            hv(Scheme::Scrypt, &scrypt(4)),
            hv(Scheme::Pbkdf2, "garbage"),
        ]);
        let names: Vec<(&str, usize)> = e
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.hashes.len()))
            .collect();
        assert_eq!(
            names,
            [
                ("1000-nt.txt", 1),
                ("500-md5crypt.txt", 1),
                ("8900-scrypt-N16384-r8-p1.txt", 1),
                ("8900-scrypt-N32768-r8-p1.txt", 1),
            ]
        );
        assert!(e.files.iter().all(|f| is_export_name(&f.name)));
        let left: Vec<String> = e.left_out.iter().map(left_out_line).collect();
        assert_eq!(left.len(), 3);
        assert!(
            left[0].starts_with("no hashcat mode: 2 hashes of yescrypt; try john --format=crypt")
        );
        assert!(left[1].starts_with("malformed: 1 hash of pbkdf2"));
        assert!(left[2].starts_with("parameters hashcat 6.2.6 refuses: 1 hash of scrypt"));
    }

    #[test]
    fn commands_per_kind_of_mode() {
        let e = plan(&[
            hv(Scheme::Lm, "e52cac67419a9a224a3b108f3fa6cb6d"),
            hv(Scheme::Nt, "8846f7eaee8fb117ad06bdd830b7586c"),
            hv(Scheme::Md5crypt, "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"),
        ]);
        let c: Vec<String> = e.files.iter().flat_map(commands).collect();
        assert_eq!(
            c,
            [
                "hashcat -m 1000 -a 0 -O -w 3 -r /usr/share/hashcat/rules/best64.rule --potfile-path kensa.potfile 1000-nt.txt WORDLIST",
                "hashcat -m 3000 -a 3 -O -w 3 --potfile-path kensa.potfile --increment -1 '?u?d?s' 3000-lm.txt '?1?1?1?1?1?1?1'",
                "hashcat -m 500 -a 0 -w 3 --potfile-path kensa.potfile 500-md5crypt.txt WORDLIST",
            ]
        );
        let j = jobs(
            &e,
            &Sheet {
                version: "0.1.0".into(),
                way_back: "kensa audit x.txt --potfile out/kensa.potfile".into(),
            },
        );
        let md = markdown(&j);
        for f in &j.files {
            assert!(md.contains(&format!("`{}`", f.file)));
        }
        assert!(md.contains("kensa audit x.txt --potfile out/kensa.potfile"));
        assert!(!md.contains("8846f7ea"));
    }

    #[test]
    fn export_names() {
        assert!(is_export_name("1000-nt.txt"));
        assert!(is_export_name("8900-scrypt-N16384-r8-p1.txt"));
        assert!(!is_export_name("JOBS.md"));
        assert!(!is_export_name("../1000-nt.txt"));
        assert!(!is_export_name("1000-nt.txt.bak"));
        assert!(!is_export_name("notes.txt"));
        assert!(!is_export_name("1000-.txt"));
        assert!(!is_export_name("hc.pot"));
    }
}
