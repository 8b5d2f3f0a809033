//! The audit pipeline, one stage a file: [`plan`] the inputs, [`read`] each once, [`recover`]
//! plaintexts, look them up in the [`breach`] source, [`judge`] each account and policy, and
//! [`assemble`] the [`Evidence`] — in a deterministic order, so two runs on the same input give
//! byte-identical JSON. Data flows one way: no stage edits what an earlier one made.

pub mod assemble;
pub mod breach;
mod files;
pub mod judge;
pub mod plan;
pub mod read;
pub mod recover;
pub mod share;

pub use breach::is_breach_error;
pub use files::{absolute, cannot_open, read_regular};
pub use plan::unreadable_inputs;
pub use read::{read_policy, PolicyRead};

use crate::breach::BreachSource;
use crate::model::evidence::{Evidence, SaltedWork};
use crate::model::{HashValue, InputError, PasswordSet, RawAccount, Scheme, Secret, SkipReason};
use crate::words::Lang;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything the audit needs besides the breach source.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub manifest: Option<PathBuf>,
    /// Bare `FILE` / `FORMAT:PATH` arguments.
    pub files: Vec<String>,
    pub wordlists: Vec<PathBuf>,
    pub default_wordlists: bool,
    pub potfiles: Vec<PathBuf>,
    pub check_date: Option<String>,
    pub target_date: Option<String>,
    pub strict_reuse: bool,
    pub salted_budget: u64,
    /// Salted work for the whole audit, in NT-hash units.
    pub salted_total: u64,
    pub lang: Lang,
    /// Today's date (`YYYY-MM-DD`), the default 確認日.
    pub today: String,
    /// The largest input, pot file or wordlist read (bytes; each is read into memory whole):
    /// [`DEFAULT_MAX_INPUT_SIZE`] unless `--max-input-size` says otherwise.
    pub max_input_size: u64,
    /// The edition in force when the command line chose one (`--edition`, `--rules`); `None`:
    /// the manifest's, else R7.
    pub edition: Option<crate::rules::edition::Edition>,
}

/// The default of `--max-input-size`: 8 GiB, far beyond a domain's NTDS dump (about 150 bytes an
/// account) or a cracking session's pot file, but not the size of a disk or of `/dev/zero`.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 8 << 30;

/// An error that stops the audit before any evidence exists, with the class of its cause (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Manifest(#[from] crate::manifest::ManifestError),
    #[error(transparent)]
    Read(#[from] crate::input::ReadError),
    #[error(transparent)]
    Wordlist(#[from] crate::recover::wordlists::WordlistError),
}

crate::error::classify!(AuditError, |e| match e {
    AuditError::Usage(_) => crate::error::ExitClass::Usage,
    AuditError::Manifest(e) => crate::error::Classify::class(e),
    AuditError::Read(e) => crate::error::Classify::class(e),
    AuditError::Wordlist(e) => crate::error::Classify::class(e),
});

/// Progress of long phases: `(phase, done, total)`.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// Run the audit.
pub fn audit(
    opts: &AuditOptions,
    breach: Option<&dyn BreachSource>,
    progress: Progress<'_>,
) -> Result<Evidence, AuditError> {
    progress("read", 0, 0);
    let read::Read {
        ctx,
        manifest_file,
        input_paths,
        mut errors,
        inputs,
        accounts,
        pots,
    } = read::read(plan::plan(opts)?, opts)?;
    let recovered = recover::recover(
        accounts,
        &pots,
        &ctx.lists,
        &ctx.context_words,
        opts,
        progress,
    );
    drop(pots);
    let mut breached = breach::check(&recovered.accounts, breach, progress);
    errors.append(&mut breached.errors);
    progress("judge", 0, 0);
    let judged = judge::judge(&ctx, recovered.accounts, &breached, opts)?;
    Ok(assemble::assemble(
        assemble::Parts {
            ctx,
            manifest_file,
            input_paths,
            judged,
            errors,
            inputs,
            breach_check: breached.check,
            stats: recovered.stats,
        },
        opts,
    ))
}

/// The hashes of an audit that nothing recovered (for `kensa export hashcat`): current accounts'
/// and history entries' hashes, and the LM hashes of accounts whose NT plaintext is unknown.
/// Each distinct hash once, in a fixed order.
/// Also returns the input problems met on the way (unreadable files, malformed lines), as the
/// audit would record them.
pub fn unverified_hashes(
    opts: &AuditOptions,
    progress: Progress<'_>,
) -> Result<(Vec<HashValue>, Vec<InputError>), AuditError> {
    let r = read::read(plan::plan(opts)?, opts)?;
    let recovered = recover::recover(
        r.accounts,
        &r.pots,
        &r.ctx.lists,
        &r.ctx.context_words,
        opts,
        progress,
    );
    let mut out: BTreeMap<(Scheme, Secret), HashValue> = BTreeMap::new();
    for a in &recovered.accounts {
        if a.found.is_some() || !matches!(a.raw.skip, None | Some(SkipReason::History)) {
            continue;
        }
        for h in a.raw.hash.iter().chain(a.raw.lm()) {
            if h.scheme == Scheme::Plaintext {
                continue;
            }
            out.entry((h.scheme, h.text.clone()))
                .or_insert_with(|| h.clone());
        }
    }
    Ok((out.into_values().collect(), r.errors))
}

/// One account as it goes through the stages, small enough for a million of them: the system and
/// the input file are indices (into [`read::Context::system_ids`] and [`read::Context::labels`]),
/// the source is a line number. The read stage makes it; the recover stage adds what it found.
struct Acc {
    /// The system's position among the audit's systems in id order.
    system: u32,
    /// The input the account was read from.
    input: u32,
    raw: Record,
    /// The plaintext recovery established, and how (set by the recover stage).
    found: Option<crate::recover::Found>,
    /// The salted work recovery spent on it (boxed: most accounts have an unsalted hash).
    salted: Option<Box<SaltedWork>>,
}

/// What the audit keeps of a [`RawAccount`]: the fields every account has, the others boxed (an
/// NTDS account has a name, a line and an NT hash, and often nothing else).
struct Record {
    name: String,
    /// The line it was read from.
    line: usize,
    hash: Option<HashValue>,
    skip: Option<SkipReason>,
    /// When the password was last set (inline: an NTDS dump with `pwdLastSet` has it everywhere).
    password_set: Option<PasswordSet>,
    /// The Windows RID is 500, the built-in Administrator (a flag, not the RID: it fits in the
    /// padding, and only this RID is looked at).
    rid_admin: bool,
    rare: Option<Box<Rare>>,
}

/// The fields of a [`RawAccount`] most accounts lack.
#[derive(Default)]
struct Rare {
    lm: Option<HashValue>,
    plaintext: Option<Secret>,
    /// See [`RawAccount::plaintext_stored`].
    plaintext_stored: bool,
    mfa: Option<bool>,
    max_age_days: Option<i64>,
}

impl From<RawAccount> for Record {
    fn from(r: RawAccount) -> Self {
        let rare = (r.lm.is_some()
            || r.plaintext.is_some()
            || r.mfa.is_some()
            || r.max_age_days.is_some())
        .then(|| {
            Box::new(Rare {
                lm: r.lm,
                plaintext: r.plaintext,
                plaintext_stored: r.plaintext_stored,
                mfa: r.mfa,
                max_age_days: r.max_age_days,
            })
        });
        Record {
            name: r.name,
            line: r.line,
            hash: r.hash,
            skip: r.skip,
            password_set: r.password_set,
            rid_admin: r.rid == Some(crate::rules::privileged::ADMINISTRATOR_RID),
            rare,
        }
    }
}

impl Record {
    fn lm(&self) -> Option<&HashValue> {
        self.rare.as_ref().and_then(|r| r.lm.as_ref())
    }
    fn plaintext(&self) -> Option<&Secret> {
        self.rare.as_ref().and_then(|r| r.plaintext.as_ref())
    }
    fn plaintext_stored(&self) -> bool {
        self.rare.as_ref().is_some_and(|r| r.plaintext_stored)
    }
    fn mfa(&self) -> Option<bool> {
        self.rare.as_ref().and_then(|r| r.mfa)
    }
    fn max_age_days(&self) -> Option<i64> {
        self.rare.as_ref().and_then(|r| r.max_age_days)
    }
    /// `label:line`, where the account was read from the file named `label`.
    fn source(&self, label: &str) -> String {
        format!("{label}:{}", self.line)
    }
}

impl Acc {
    /// An account as read, before recovery.
    fn new(system: u32, input: u32, raw: RawAccount) -> Self {
        Acc {
            system,
            input,
            raw: raw.into(),
            found: None,
            salted: None,
        }
    }
    /// The user part of `DOMAIN\user`, used as the account name in guessability and candidates.
    fn user(&self) -> &str {
        self.raw.name.rsplit('\\').next().unwrap_or(&self.raw.name)
    }
}

/// Sort key for `file:line` so that line 10 comes after line 9.
fn source_key(s: &str) -> (&str, u64) {
    match s.rsplit_once(':') {
        Some((f, l)) if l.chars().all(|c| c.is_ascii_digit()) && !l.is_empty() => {
            (f, l.parse().unwrap_or(0))
        }
        _ => (s, 0),
    }
}

/// The options of an audit of `files` with nothing else (for the stages' tests).
#[cfg(test)]
fn test_options(files: &[&str]) -> AuditOptions {
    AuditOptions {
        manifest: None,
        files: files.iter().map(|f| f.to_string()).collect(),
        wordlists: Vec::new(),
        default_wordlists: false,
        potfiles: Vec::new(),
        check_date: None,
        target_date: None,
        strict_reuse: false,
        salted_budget: 0,
        salted_total: 0,
        lang: Lang::En,
        today: "2026-11-24".into(),
        max_input_size: DEFAULT_MAX_INPUT_SIZE,
        edition: None,
    }
}
