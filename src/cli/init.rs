//! `kensa init DIR`: scans a folder of exports, detects each file's format from its content and
//! writes a commented audit manifest that `kensa audit --manifest` accepts as is.

use super::args::InitArgs;
use super::{out, Outcome};
use crate::error::{Error, ExitClass};
use crate::input::{self, Format};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Run `kensa init`: writes the manifest (mode 0600), refusing to overwrite one without `--force`.
pub fn run(a: InitArgs) -> Result<Outcome, Error> {
    if !a.dir.is_dir() {
        return Err(Error::usage(format!(
            "{}: not a directory",
            a.dir.display()
        )));
    }
    let target = a.out.clone().unwrap_or_else(|| a.dir.join("audit.toml"));
    if target.exists() && !a.force {
        return Err(Error::usage(format!(
            "{}: exists; use --force to overwrite it",
            target.display()
        )));
    }
    let scan = scan(&a.dir, &target)?;
    let base = manifest_base(&a.dir, &target);
    let text = render(&scan, &base);
    // The manifest must load as written.
    toml::from_str::<crate::manifest::Manifest>(&text).map_err(|e| {
        Error::new(
            ExitClass::Output,
            format!("internal error: the generated manifest does not parse: {e}"),
        )
    })?;
    crate::report::write::write_atomic(&target, text.as_bytes()).map_err(|e| {
        Error::new(
            ExitClass::Output,
            format!("{}: cannot write: {e}", target.display()),
        )
    })?;
    out(&format!(
        "wrote {} ({} systems, {} shared inputs, {} files not recognised)\n",
        target.display(),
        scan.systems.len(),
        scan.shared.len(),
        scan.unknown.len()
    ));
    Ok(Outcome::Clean)
}

/// What a folder holds.
#[derive(Debug, Default)]
struct Scan {
    /// System id → its files (name, format).
    systems: BTreeMap<String, Vec<(String, Format)>>,
    /// Inventories and pot files (they name their own systems, or span several).
    shared: Vec<(String, Format)>,
    /// Systems named inside inventories (they get a [[system]] with no inputs of their own).
    named_in_inventories: BTreeMap<String, String>,
    unknown: Vec<String>,
}

fn scan(dir: &Path, target: &Path) -> Result<Scan, Error> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            Error::new(
                ExitClass::Input,
                format!("{}: cannot list: {e}", dir.display()),
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() || is_drop_in_dir(p))
        .collect();
    names.sort();
    let target_abs = std::path::absolute(target).ok();
    let mut s = Scan::default();
    for p in names {
        let Some(name) = p.file_name().map(|n| n.to_string_lossy().to_string()) else {
            continue;
        };
        if name.starts_with('.') || std::path::absolute(&p).ok() == target_abs {
            continue;
        }
        if p.is_dir() {
            s.systems
                .entry(system_id(&name))
                .or_default()
                .push((name, Format::Pwquality));
            continue;
        }
        let Ok(bytes) = crate::engine::read_regular(&p, crate::engine::DEFAULT_MAX_INPUT_SIZE)
        else {
            s.unknown.push(name);
            continue;
        };
        // Read as the audit reads it (line by line; Shift_JIS inventories too).
        let (text, format) = input::decode_input(&bytes, None, &name);
        if !text.is_text() {
            s.unknown.push(name);
            continue;
        }
        if name.ends_with(".toml") && is_manifest(text.text()) {
            continue;
        }
        match format {
            Some(f @ (Format::Inventory | Format::Potfile)) => {
                if f == Format::Inventory {
                    for acc in input::parse(f, text.text(), &name).accounts {
                        if let Some(sys) = acc.system.filter(|x| !x.is_empty()) {
                            s.named_in_inventories
                                .entry(sys)
                                .or_insert_with(|| name.clone());
                        }
                    }
                }
                s.shared.push((name, f));
            }
            Some(f) => s
                .systems
                .entry(system_id(&name))
                .or_default()
                .push((name, f)),
            None => s.unknown.push(name),
        }
    }
    Ok(s)
}

/// A `pwquality.conf.d` directory (`linux01-pwquality.conf.d` too): one input of drop-ins.
fn is_drop_in_dir(p: &Path) -> bool {
    p.is_dir()
        && p.file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with("pwquality.conf.d"))
}

/// A TOML file that is an audit manifest rather than a kensa policy file.
fn is_manifest(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l == "[[system]]" || l.starts_with("facility") || l.starts_with("inputs")
    })
}

/// Words that name the kind of export rather than the system (`ad01-ntds.txt` → `ad01`).
const EXPORT_WORDS: &[&str] = &[
    "ntds",
    "sam",
    "pwdump",
    "hashes",
    "hash",
    "dump",
    "secedit",
    "policy",
    "shadow",
    "passwd",
    "login",
    "logindefs",
    "defs",
    "pwquality",
    "faillock",
    "pam",
    "common",
    "auth",
    "password",
    "htpasswd",
    "ldif",
    "ldap",
    "users",
    "export",
    "accounts",
    "netaccounts",
    "secretsdump",
    "inf",
    "conf",
];

/// The system a file belongs to, from its name: the stem without a trailing export word.
fn system_id(name: &str) -> String {
    let stem = name.split('.').next().unwrap_or(name);
    let mut id = stem.to_string();
    // `net accounts` saved as `pc01-net-accounts.txt`.
    for two_words in ["-net-accounts", "_net_accounts"] {
        if id.len() > two_words.len() && id.to_ascii_lowercase().ends_with(two_words) {
            id.truncate(id.len() - two_words.len());
        }
    }
    while let Some(pos) = id.rfind(['-', '_']) {
        let last = id[pos + 1..].to_ascii_lowercase();
        if EXPORT_WORDS.contains(&last.as_str()) && pos > 0 {
            id.truncate(pos);
        } else {
            break;
        }
    }
    if id.is_empty() {
        stem.to_string()
    } else {
        id
    }
}

/// A kind to suggest for a system from its files.
fn suggest_kind(files: &[(String, Format)]) -> &'static str {
    let names = files
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    if names.contains("sam") {
        "terminal_pc"
    } else if files
        .iter()
        .any(|(_, f)| matches!(f, Format::Htpasswd | Format::Ldif))
    {
        "application"
    } else {
        "server"
    }
}

/// The directory the manifest's relative paths start from, and how to write a file's path.
struct Base {
    /// Prefix to put before a file name (empty when the manifest sits in the scanned folder).
    prefix: String,
}

fn manifest_base(dir: &Path, target: &Path) -> Base {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let target_dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if canon(dir).is_some() && canon(dir) == canon(&target_dir) {
        Base {
            prefix: String::new(),
        }
    } else {
        let abs = canon(dir).unwrap_or_else(|| dir.to_path_buf());
        Base {
            prefix: format!("{}/", abs.display()),
        }
    }
}

fn quote(s: &str) -> String {
    // A TOML basic string.
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c if c.is_control() => q.push_str(&format!("\\u{:04X}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|s| quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn render(s: &Scan, base: &Base) -> String {
    let path = |n: &str| format!("{}{n}", base.prefix);
    let mut t = String::new();
    t.push_str("# kensa audit manifest, written by `kensa init` — review every line, then run:\n");
    t.push_str("#   kensa audit --manifest THIS_FILE --out kensa-report\n");
    t.push_str(
        "# Paths are relative to this file. Lines starting with # are placeholders to fill in.\n\n",
    );
    t.push_str(
        "facility = \"\"                     # the facility's name, printed on the evidence\n",
    );
    t.push_str(
        "# edition = \"R7\"                  # checklist edition: R7, or R8 (provisional)\n",
    );
    t.push_str("# checked_on = \"YYYY-MM-DD\"       # 確認日; default: today\n");
    t.push_str("# target_date = \"YYYY-MM-DD\"      # 目標日 for いいえ; default: 31 March ending the fiscal year\n");
    t.push_str("# context_words = [\"facility\", \"town\", \"product\"]   # names that make a password guessable\n");
    let shared: Vec<String> = s.shared.iter().map(|(n, _)| path(n)).collect();
    t.push_str("# Files spanning several systems (");
    t.push_str(
        &s.shared
            .iter()
            .map(|(n, f)| format!("{n}: {}", f.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    t.push_str(")\n");
    t.push_str(&format!("inputs = {}\n", list(&shared)));
    for (id, files) in &s.systems {
        t.push_str("\n[[system]]\n");
        t.push_str(&format!("id = {}\n", quote(id)));
        t.push_str(&format!(
            "# name = {}           # display name\n",
            quote(id)
        ));
        t.push_str(&format!(
            "# kind = \"{}\"      # server | terminal_pc | network_device | application | external_service\n",
            suggest_kind(files)
        ));
        t.push_str("# managed_by = \"institution\"  # institution | vendor (医療機関確認用 / 事業者確認用)\n");
        t.push_str("# vendor = \"\"\n");
        t.push_str("# mfa = false                  # two-factor authentication in force for this system's logins\n");
        t.push_str("# rotation_days = 60           # enforced maximum password age, if no policy file says it\n");
        t.push_str(&format!(
            "# detected: {}\n",
            files
                .iter()
                .map(|(n, f)| format!("{n} ({})", f.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let inputs: Vec<String> = files.iter().map(|(n, _)| path(n)).collect();
        t.push_str(&format!("inputs = {}\n", list(&inputs)));
    }
    let extra: BTreeSet<&String> = s
        .named_in_inventories
        .keys()
        .filter(|k| !s.systems.contains_key(*k))
        .collect();
    for id in extra {
        t.push_str("\n[[system]]\n");
        t.push_str(&format!("id = {}\n", quote(id)));
        t.push_str(&format!(
            "# accounts come from {} (a shared input)\n",
            s.named_in_inventories[id]
        ));
        t.push_str("# kind = \"network_device\"  # server | terminal_pc | network_device | application | external_service\n");
        t.push_str("# managed_by = \"vendor\"    # institution | vendor\n");
        t.push_str("# vendor = \"\"\n");
        t.push_str("# mfa = false\n");
        t.push_str("# rotation_days = 60\n");
    }
    if !s.unknown.is_empty() {
        t.push_str(
            "\n# Not recognised (name them as FORMAT:PATH in inputs if they are exports):\n",
        );
        for n in &s.unknown {
            t.push_str(&format!("#   {n}\n"));
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_ids_from_file_names() {
        assert_eq!(system_id("ad01-ntds.txt"), "ad01");
        assert_eq!(system_id("ad01-secedit.inf"), "ad01");
        assert_eq!(system_id("pc-01-sam.txt"), "pc-01");
        assert_eq!(system_id("linux01-login.defs"), "linux01");
        assert_eq!(system_id("linux01-pwquality.conf"), "linux01");
        assert_eq!(system_id("linux01-shadow"), "linux01");
        assert_eq!(system_id("web01.htpasswd"), "web01");
        assert_eq!(system_id("shadow"), "shadow");
        assert_eq!(system_id("linux01-faillock.conf"), "linux01");
        assert_eq!(system_id("linux01-common-password"), "linux01");
        assert_eq!(system_id("linux01-common-auth"), "linux01");
        assert_eq!(system_id("linux01-pwquality.conf.d"), "linux01");
        assert_eq!(system_id("pc01-net-accounts.txt"), "pc01");
        assert_eq!(system_id("pc01_netaccounts.txt"), "pc01");
    }

    #[test]
    fn a_shift_jis_inventory_names_its_systems() {
        let dir = tempfile::tempdir().unwrap();
        let (csv, _, _) = encoding_rs::SHIFT_JIS
            .encode("システム,アカウント,パスワード\r\n電子カルテ,山田,x\r\n");
        std::fs::write(dir.path().join("devices.csv"), csv).unwrap();
        let s = scan(dir.path(), &dir.path().join("audit.toml")).unwrap();
        assert_eq!(s.shared, [("devices.csv".to_string(), Format::Inventory)]);
        assert!(s.named_in_inventories.contains_key("電子カルテ"));
    }

    #[test]
    fn quoting_is_toml() {
        let v: toml::Value = toml::from_str(&format!("a = {}", quote("x\"y\\z\u{1}"))).unwrap();
        assert_eq!(v["a"].as_str(), Some("x\"y\\z\u{1}"));
    }
}
