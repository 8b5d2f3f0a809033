//! The read stage: every planned input read once, hashed, decoded, detected and parsed into
//! compact account records, policy fragments and pot files; each problem an input error.

use super::files::{absolute, io_reason, read_regular};
use super::plan::{InputSpec, Plan};
use super::{Acc, AuditError, AuditOptions};
use crate::input::{self, Format, ReadError};
use crate::manifest::{self, Manifest, SystemDef};
use crate::model::evidence::{Encoding, FileRef, InputSummary};
use crate::model::{InputError, PolicyFragment, PotFile, Secret};
use crate::recover::wordlists::Wordlists;
use crate::rules::answer;
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet};

/// What every later stage reads of the audit's setting: the manifest, the dates, the wordlists,
/// the systems and the names the compact account records index.
pub(super) struct Context {
    pub m: Manifest,
    pub checked_on: String,
    pub target_date: String,
    pub context_words: Vec<String>,
    pub lists: Wordlists,
    pub systems: BTreeMap<String, System>,
    /// The ids of `systems` in order: [`Acc::system`] indexes it.
    pub system_ids: Vec<String>,
    /// The inputs as named in `file:line` sources: [`Acc::input`] indexes it.
    pub labels: Vec<String>,
    /// The systems whose account inputs had errors (accounts may be missing).
    pub unread: answer::Unread,
}

/// The read stage's result: the setting and every input read, each file once.
pub(super) struct Read {
    pub ctx: Context,
    /// Where the manifest was, with the digest of the text parsed.
    pub manifest_file: Option<FileRef>,
    /// Where each of `inputs` was read from, in the same order.
    pub input_paths: Vec<FileRef>,
    pub errors: Vec<InputError>,
    pub inputs: Vec<InputSummary>,
    /// In (system, name, file, line) order.
    pub accounts: Vec<Acc>,
    pub pots: Vec<PotFile>,
}

/// Read every planned input (each file once), then the pot files given with `--potfile`.
pub(super) fn read(plan: Plan, opts: &AuditOptions) -> Result<Read, AuditError> {
    let Plan {
        manifest: m,
        manifest_file,
        specs,
    } = plan;
    // Where each input is, in the order of `inputs`, recorded as it is read.
    let mut input_paths = Vec::with_capacity(specs.len() + opts.potfiles.len());
    let checked_on = opts
        .check_date
        .clone()
        .or(m.checked_on.clone())
        .unwrap_or_else(|| opts.today.clone());
    let checked = manifest::parse_date(&checked_on)?;
    let target_date = match opts.target_date.clone().or(m.target_date.clone()) {
        Some(t) => {
            manifest::parse_date(&t)?;
            t
        }
        None => manifest::fiscal_year_end(checked).to_string(),
    };
    let context_words: Vec<String> = m
        .context_words
        .iter()
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();

    let mut lists = if opts.default_wordlists {
        Wordlists::builtin()
    } else {
        Wordlists::empty()
    };
    for w in &opts.wordlists {
        lists.add_file(w)?;
    }

    // Systems, in manifest order then by id.
    let mut systems: BTreeMap<String, System> = BTreeMap::new();
    for d in &m.systems {
        systems.insert(
            d.id.clone(),
            System {
                def: d.clone(),
                policies: Vec::new(),
            },
        );
    }

    // Read every input.
    let mut errors: Vec<InputError> = Vec::new();
    let mut inputs: Vec<InputSummary> = Vec::new();
    let mut accounts: Vec<Acc> = Vec::new();
    let mut pots: Vec<PotFile> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    // The systems accounts name, in order of appearance ([`Acc::system`] until the end).
    let mut named: Vec<String> = Vec::new();
    let mut named_ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut unread = answer::Unread::default();
    for spec in &specs {
        input_paths.push(file_ref(spec));
        let (summary, parsed, pot) = read_input(spec, opts.max_input_size, &mut errors);
        pots.extend(pot);
        // An account input (or one whose format is unknown) with errors may have lost accounts.
        let format = Format::from_name(&summary.format);
        if summary.errors > 0 && !format.is_some_and(|f| f.is_policy() || f == Format::Potfile) {
            unread.add(spec.system.as_deref(), &spec.display);
        }
        let input = labels.len() as u32;
        labels.push(spec.display.clone());
        if let Some(p) = parsed {
            if let Some(mut frag) = p.policy {
                match &spec.system {
                    Some(s) => {
                        frag.source = spec.display.clone();
                        ensure_system(&mut systems, s).policies.push(frag)
                    }
                    None => errors.push(InputError {
                        source: spec.display.clone(),
                        message: "a policy file must belong to a system (list it under [[system]] inputs)".into(),
                    }),
                }
            }
            let mut seen_systems: BTreeSet<u32> = BTreeSet::new();
            // The last system looked up (every record of most files has the same).
            let mut last: Option<u32> = None;
            accounts.reserve(p.accounts.len());
            for raw in p.accounts {
                let Some(system) = raw
                    .system
                    .as_deref()
                    .filter(|s| !s.is_empty())
                    .or(spec.system.as_deref())
                else {
                    errors.push(InputError {
                        source: raw.source(&spec.display),
                        message: "the record names no system and the file belongs to no system"
                            .into(),
                    });
                    unread.add(None, &spec.display);
                    continue;
                };
                let id = match last.filter(|&i| named[i as usize] == system) {
                    Some(i) => i,
                    None => match named_ids.get(system) {
                        Some(&i) => i,
                        None => {
                            ensure_system(&mut systems, system);
                            let i = named.len() as u32;
                            named.push(system.to_string());
                            named_ids.insert(system.to_string(), i);
                            i
                        }
                    },
                };
                last = Some(id);
                seen_systems.insert(id);
                accounts.push(Acc::new(id, input, raw));
            }
            let mut s = summary;
            let mut seen: BTreeSet<String> = seen_systems
                .into_iter()
                .map(|i| named[i as usize].clone())
                .collect();
            if let Some(sys) = &spec.system {
                seen.insert(sys.clone());
            }
            s.systems = seen.into_iter().collect();
            inputs.push(s);
        } else {
            inputs.push(summary);
        }
    }
    for p in &opts.potfiles {
        let spec = InputSpec {
            path: p.clone(),
            display: p.display().to_string(),
            forced: Some(Format::Potfile),
            system: None,
        };
        input_paths.push(file_ref(&spec));
        let (summary, _, pot) = read_input(&spec, opts.max_input_size, &mut errors);
        pots.extend(pot);
        inputs.push(summary);
    }

    // Accounts in (system, name, file, line) order.
    let system_ids: Vec<String> = systems.keys().cloned().collect();
    let rank: Vec<u32> = named
        .iter()
        .map(|n| {
            system_ids
                .binary_search(n)
                .expect("every named system is in the map") as u32
        })
        .collect();
    for a in &mut accounts {
        a.system = rank[a.system as usize];
    }
    sort_accounts(&mut accounts, &labels);

    Ok(Read {
        ctx: Context {
            m,
            checked_on,
            target_date,
            context_words,
            lists,
            systems,
            system_ids,
            labels,
            unread,
        },
        manifest_file,
        input_paths,
        errors,
        inputs,
        accounts,
        pots,
    })
}

/// One policy file, or `pwquality.conf.d` directory, read as the audit reads its inputs, for
/// `kensa policy`: its fragment (its source the path as given) and the problems of its lines.
/// A file that cannot be read, is not text or is not a policy file is an error.
pub fn read_policy(arg: &str, max_size: u64) -> Result<PolicyRead, ReadError> {
    let (forced, path) = input::split_format(arg)?;
    let spec = InputSpec {
        path: path.into(),
        display: path.to_string(),
        forced,
        system: None,
    };
    if spec.path.is_dir() {
        if forced.is_some_and(|f| f != Format::Pwquality) {
            return Err(ReadError::DirectoryNotDropIns { path: path.into() });
        }
        let d = input::dropin::read(&spec.path).map_err(|e| ReadError::Unreadable {
            path: path.into(),
            why: e.to_string(),
        })?;
        let parsed = input::dropin::parse(&d, path);
        return Ok(PolicyRead {
            fragment: parsed.policy,
            errors: parsed.errors,
        });
    }
    let bytes = zeroize::Zeroizing::new(read_regular(&spec.path, max_size).map_err(|why| {
        ReadError::Unreadable {
            path: path.into(),
            why,
        }
    })?);
    let name = spec
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let text = decode_and_parse(&spec, &bytes, &name);
    let (format, mut parsed) = match text.read {
        Err(cause) if text.encoding.is_none() => {
            return Err(ReadError::At {
                path: path.into(),
                cause: Box::new(cause),
            })
        }
        Ok((f, parsed)) if f.is_policy() => (f, parsed),
        _ => return Err(ReadError::NotPolicy { path: path.into() }),
    };
    let mut errors = text.line_errors;
    nothing_read_error(format, &mut parsed, errors.is_empty(), &spec.display);
    errors.append(&mut parsed.errors);
    Ok(PolicyRead {
        fragment: parsed.policy.map(|mut f| {
            f.source = path.to_string();
            f
        }),
        errors,
    })
}

/// What [`read_policy`] read of one policy input.
#[derive(Debug)]
pub struct PolicyRead {
    pub fragment: Option<PolicyFragment>,
    pub errors: Vec<InputError>,
}

/// An input that parsed without a single problem yet holds nothing the audit can use says so.
fn nothing_read_error(
    format: Format,
    parsed: &mut crate::model::ParsedInput,
    lines_ok: bool,
    source: &str,
) {
    if lines_ok && parsed.errors.is_empty() {
        if let Some(why) = input::nothing_read(format, parsed) {
            parsed.errors.push(InputError {
                source: source.to_string(),
                message: why.into(),
            });
        }
    }
}

/// Where an input is: as named, and absolute (its digest is in its [`InputSummary`]).
fn file_ref(spec: &InputSpec) -> FileRef {
    FileRef {
        path: spec.display.clone(),
        absolute: absolute(&spec.path),
        sha256: None,
        size: None,
    }
}

/// A system with its manifest settings.
#[derive(Debug, Clone)]
pub(super) struct System {
    pub def: SystemDef,
    pub policies: Vec<PolicyFragment>,
}

fn ensure_system<'a>(systems: &'a mut BTreeMap<String, System>, id: &str) -> &'a mut System {
    systems.entry(id.to_string()).or_insert_with(|| System {
        def: SystemDef {
            id: id.to_string(),
            ..Default::default()
        },
        policies: Vec::new(),
    })
}

/// Sort accounts by (system, name, source), the source compared as (file, line number), keeping
/// the reading order of equal ones. Sorts indices (in parallel) and moves each account once.
fn sort_accounts(accounts: &mut [Acc], labels: &[String]) {
    use rayon::prelude::*;
    // Files by name: equal names rank equal.
    let mut by_name: Vec<&str> = labels.iter().map(String::as_str).collect();
    by_name.sort_unstable();
    by_name.dedup();
    let label_rank: Vec<u32> = labels
        .iter()
        .map(|l| by_name.binary_search(&l.as_str()).unwrap_or(0) as u32)
        .collect();
    // Sort compact keys: (system, the name's first 16 bytes, index). Zero-padded prefixes that
    // differ order as the whole names do; equal ones fall back to comparing the accounts.
    let prefix = |name: &str| {
        let mut p = [0u8; 16];
        let n = name.len().min(16);
        p[..n].copy_from_slice(&name.as_bytes()[..n]);
        u128::from_be_bytes(p)
    };
    let mut keys: Vec<(u32, u128, u32)> = accounts
        .par_iter()
        .enumerate()
        .map(|(i, a)| (a.system, prefix(&a.raw.name), i as u32))
        .collect();
    keys.par_sort_by(|x, y| {
        (x.0, x.1).cmp(&(y.0, y.1)).then_with(|| {
            let (a, b) = (&accounts[x.2 as usize], &accounts[y.2 as usize]);
            a.raw
                .name
                .cmp(&b.raw.name)
                .then_with(|| label_rank[a.input as usize].cmp(&label_rank[b.input as usize]))
                .then(a.raw.line.cmp(&b.raw.line))
        })
    });
    let order: Vec<u32> = keys.into_iter().map(|k| k.2).collect();
    permute(accounts, order);
}

/// Reorder `v` so that position `k` holds what was at `order[k]` (`order` a permutation), by
/// swaps along its cycles.
fn permute<T>(v: &mut [T], mut order: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for i in 0..v.len() {
        if order[i] == DONE {
            continue;
        }
        let mut j = i;
        loop {
            let k = order[j] as usize;
            order[j] = DONE;
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

/// Read, hash, decode, detect and parse one input. Problems become input errors.
fn read_input(
    spec: &InputSpec,
    max_size: u64,
    errors: &mut Vec<InputError>,
) -> (
    InputSummary,
    Option<crate::model::ParsedInput>,
    Option<PotFile>,
) {
    if spec.path.is_dir() {
        let (summary, parsed) = read_dir_input(spec, errors);
        return (summary, parsed, None);
    }
    let mut summary = InputSummary {
        path: spec.display.clone(),
        format: spec.forced.map_or("unknown", |f| f.as_str()).into(),
        sha256: String::new(),
        size: 0,
        systems: spec.system.iter().cloned().collect(),
        records: 0,
        errors: 0,
        encoding: None,
    };
    let bytes = match read_regular(&spec.path, max_size) {
        Ok(b) => b,
        Err(why) => {
            errors.push(InputError {
                source: spec.display.clone(),
                message: format!("cannot read: {why}"),
            });
            summary.errors = 1;
            return (summary, None, None);
        }
    };
    summary.size = bytes.len() as u64;
    // The file's bytes are zeroized when dropped (a dump holds hashes); a pot file's become the
    // text that recovery walks.
    let mut bytes = zeroize::Zeroizing::new(bytes);
    let name = spec
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // Hash the file while its text (borrowed from the bytes when it is UTF-8) is parsed.
    let (digest, text) = rayon::join(
        || sha2::Sha256::digest(&*bytes),
        || decode_and_parse(spec, &bytes, &name),
    );
    summary.sha256 = hex::encode(digest);
    summary.encoding = text.encoding;
    let (format, mut parsed) = match text.read {
        Ok(r) => r,
        Err(e) => {
            errors.push(InputError {
                source: spec.display.clone(),
                message: e.to_string(),
            });
            summary.errors = 1;
            return (summary, None, None);
        }
    };
    summary.format = format.as_str().into();
    summary.records = parsed.records;
    nothing_read_error(
        format,
        &mut parsed,
        text.line_errors.is_empty(),
        &spec.display,
    );
    summary.errors = text.line_errors.len() + parsed.errors.len();
    errors.extend(text.line_errors);
    errors.append(&mut parsed.errors);
    // A pot file is kept whole and walked by recovery (no value per line): its UTF-8 bytes become
    // the text without a copy (a decoded copy is moved).
    let pot = (format == Format::Potfile).then(|| PotFile {
        label: spec.display.clone(),
        text: Secret::new(
            text.pot_copy
                .unwrap_or_else(|| utf8_bytes_into_text(std::mem::take(&mut *bytes))),
        ),
    });
    (summary, Some(parsed), pot)
}

/// Read a directory input, which planning left whole only when it is a `pwquality.conf.d`
/// ([`is_drop_in_dir`]): its drop-in files are one policy source (its digest is that of the
/// `sha256sum` listing of its files, see [`input::dropin`]).
fn read_dir_input(
    spec: &InputSpec,
    errors: &mut Vec<InputError>,
) -> (InputSummary, Option<crate::model::ParsedInput>) {
    let mut summary = InputSummary {
        path: spec.display.clone(),
        format: Format::Pwquality.as_str().into(),
        sha256: String::new(),
        size: 0,
        systems: spec.system.iter().cloned().collect(),
        records: 0,
        errors: 1,
        encoding: None,
    };
    let fail = |message: String| InputError {
        source: spec.display.clone(),
        message,
    };
    if let Some(f) = spec.forced.filter(|f| *f != Format::Pwquality) {
        errors.push(fail(format!(
            "a directory is read as pwquality.conf drop-ins only, not as {}",
            f.as_str()
        )));
        return (summary, None);
    }
    let dropins = match input::dropin::read(&spec.path) {
        Ok(d) => d,
        Err(e) => {
            errors.push(fail(format!("cannot read: {}", io_reason(&e))));
            return (summary, None);
        }
    };
    let mut parsed = input::dropin::parse(&dropins, &spec.display);
    summary.sha256 = dropins.sha256;
    summary.size = dropins.size;
    summary.records = parsed.records;
    summary.errors = parsed.errors.len();
    errors.append(&mut parsed.errors);
    (summary, Some(parsed))
}

/// An input's text decoded and parsed.
struct ParsedText {
    /// `None` when the file is not text.
    encoding: Option<Encoding>,
    /// One per undecodable line.
    line_errors: Vec<InputError>,
    /// The format and what the file holds, or why it holds nothing.
    read: Result<(Format, crate::model::ParsedInput), ReadError>,
    /// A pot file's text when decoding made a copy of it (else it is the bytes themselves).
    pot_copy: Option<String>,
}

/// Decode `bytes` line by line, tell the format and parse the text. A copy of the text made
/// by decoding is zeroized when dropped (a pot file's is moved out).
fn decode_and_parse(spec: &InputSpec, bytes: &[u8], name: &str) -> ParsedText {
    let (mut text, format) = input::decode_input(bytes, spec.forced, name);
    if !text.is_text() {
        return ParsedText {
            encoding: None,
            line_errors: Vec::new(),
            read: Err(ReadError::NotText(text.binary_message())),
            pot_copy: None,
        };
    }
    let read = match format {
        Some(f) => Ok((f, input::parse(f, text.text(), &spec.display))),
        None => Err(ReadError::UnknownContent {
            known: Format::ALL.map(|f| f.as_str()).join(", "),
        }),
    };
    let pot_copy = match read {
        Ok((Format::Potfile, _)) => text.take_copy(),
        _ => None,
    };
    ParsedText {
        encoding: Some(text.encoding),
        line_errors: text.errors(&spec.display),
        read,
        pot_copy,
    }
}

/// The bytes of a file that decoded as UTF-8 without a copy, as its text (a BOM dropped).
fn utf8_bytes_into_text(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).unwrap_or_else(|e| {
        zeroize::Zeroize::zeroize(&mut e.into_bytes());
        String::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::source_key;
    use crate::model::RawAccount;

    #[test]
    fn accounts_sort_by_system_name_file_and_line_number() {
        let labels: Vec<String> = ["b.txt", "a.txt", "b.txt", "a:1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let names = [
            "sato",
            "sato_history1",
            "sato_history10",
            "sato_history2",
            "Sato",
            "abcdefghijklmnopq",
            "abcdefghijklmnop",
            "abcdefghijklmnop\0",
            "abcdefghijklmnopr",
            "ab\0",
            "ab",
            "",
            "ゆき",
            "abcdefghijklmnop",
        ];
        let mut accounts = Vec::new();
        for (k, name) in names.iter().enumerate() {
            for system in [1u32, 0] {
                for (input, line) in [(0u32, 10usize), (1, 9), (2, 9), (3, 2), (0, 9)] {
                    accounts.push(Acc::new(
                        system,
                        input,
                        RawAccount {
                            name: name.to_string(),
                            line: line + k,
                            // Marks the reading order, to check that equal ones keep it.
                            max_age_days: Some(accounts.len() as i64),
                            ..RawAccount::default()
                        },
                    ));
                }
            }
        }
        let seen = |v: &[Acc]| -> Vec<(u32, String, String, Option<i64>)> {
            v.iter()
                .map(|a| {
                    (
                        a.system,
                        a.raw.name.clone(),
                        a.raw.source(&labels[a.input as usize]),
                        a.raw.max_age_days(),
                    )
                })
                .collect()
        };
        let mut want = seen(&accounts);
        // The order `source_key` gives: (system, name, file, line), stable.
        want.sort_by(|a, b| (a.0, &a.1, source_key(&a.2)).cmp(&(b.0, &b.1, source_key(&b.2))));
        sort_accounts(&mut accounts, &labels);
        assert_eq!(seen(&accounts), want);
    }

    #[test]
    fn permute_moves_each_to_its_place() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut v, vec![3, 0, 4, 1, 2]);
        assert_eq!(v, ['d', 'a', 'e', 'b', 'c']);
        let mut w: Vec<u32> = (0..1000).collect();
        let order: Vec<u32> = (0..1000).map(|i| (i * 7 + 3) % 1000).collect();
        permute(&mut w, order.clone());
        assert_eq!(w, order);
    }
}
