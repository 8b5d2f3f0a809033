//! The audit pipeline: inputs → recovery → breach check → 2-⑦/2-⑧ rules → [`Evidence`], in a
//! deterministic order so two runs on the same input give byte-identical JSON.

use crate::breach::{BreachSource, Lookup, Query};
use crate::hash;
use crate::input::{self, Format};
use crate::manifest::{self, Manifest, SystemDef};
use crate::model::evidence::*;
use crate::model::{
    Code, Finding, HashValue, InputError, ManagedBy, PasswordSet, PolicyFragment, PotFile,
    RawAccount, Scheme, Secret, Severity, SkipReason, SystemKind,
};
use crate::recover::{self, wordlists::Wordlists};
use crate::rules::answer::{self, AnswerContext};
use crate::rules::guess::GuessContext;
use crate::rules::{policy, reuse, rotation, seven};
use crate::words::Lang;
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
}

/// The default of `--max-input-size`: 8 GiB, far beyond a domain's NTDS dump (about 150 bytes an
/// account) or a cracking session's pot file, but not the size of a disk or of `/dev/zero`.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 8 << 30;

/// An error that stops the audit before any evidence exists (usage errors: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{0}")]
    Usage(String),
}

/// Progress of long phases: `(phase, done, total)`.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// One input file to read.
#[derive(Debug, Clone)]
struct InputSpec {
    path: PathBuf,
    /// As written by the user (used in `file:line` sources).
    display: String,
    forced: Option<Format>,
    /// The system the file belongs to; `None` for top-level inputs.
    system: Option<String>,
}

/// A system with its manifest settings.
#[derive(Debug, Clone)]
struct System {
    def: SystemDef,
    policies: Vec<PolicyFragment>,
}

/// An account ready for analysis, small enough for a million of them: the system and the input
/// file are indices (into [`Read::system_ids`] and [`Read::labels`]), the source is a line number.
struct Acc {
    /// The system's position among the audit's systems in id order.
    system: u32,
    /// The input the account was read from.
    input: u32,
    raw: Record,
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
    /// The user part of `DOMAIN\user`, used as the account name in guessability and candidates.
    fn user(&self) -> &str {
        self.raw.name.rsplit('\\').next().unwrap_or(&self.raw.name)
    }
}

/// The input errors that record failed breach lookups have the source `breach lookup (sha1)` or
/// `breach lookup (ntlm)`, one per failed query.
pub fn is_breach_error(e: &InputError) -> bool {
    e.source.starts_with(BREACH_ERROR) && e.source[BREACH_ERROR.len()..].starts_with(" (")
}

const BREACH_ERROR: &str = "breach lookup";

/// `breach_check.gave_up`: the source gave up on the batch (`gave_up`, ending `given_up` lookups),
/// or never got an answer at all (`unreachable`: then every one of the `errors` is for that).
fn gave_up_evidence(
    gave_up: Option<crate::breach::GaveUp>,
    unreachable: Option<String>,
    given_up: usize,
    errors: usize,
) -> Option<BreachGaveUp> {
    use crate::breach::GiveUpReason as Why;
    let lookups = if unreachable.is_some() {
        errors
    } else {
        given_up
    };
    match (gave_up, unreachable) {
        (Some(g), _) => Some(BreachGaveUp {
            reason: match g.reason {
                Why::Deadline => GiveUpReason::Deadline,
                Why::Unreachable => GiveUpReason::Unreachable,
            },
            detail: g.message,
            lookups,
        }),
        (None, Some(why)) if errors > 0 => Some(BreachGaveUp {
            reason: GiveUpReason::Unreachable,
            detail: format!("no answer from the Pwned Passwords API: {why}"),
            lookups,
        }),
        _ => None,
    }
}

/// Run the audit.
pub fn audit(
    opts: &AuditOptions,
    breach: Option<&dyn BreachSource>,
    progress: Progress<'_>,
) -> Result<Evidence, AuditError> {
    let Read {
        m,
        checked_on,
        target_date,
        context_words,
        lists,
        systems,
        system_ids,
        labels,
        mut errors,
        inputs,
        unread,
        mut accounts,
        pots,
    } = {
        progress("read", 0, 0);
        read_all(opts)?
    };

    // Effective policies.
    let effective: BTreeMap<String, policy::Effective> = systems
        .iter()
        .map(|(id, s)| {
            (
                id.clone(),
                policy::merge(&s.policies, s.def.mfa, s.def.rotation_days),
            )
        })
        .collect();

    // Recovery.
    let (known, salted_work, stats) =
        recover_stage(&mut accounts, &pots, &lists, &context_words, opts, progress);
    drop(pots);

    // Each account's answer (none when there is no breach source).
    let mut breach_of: Vec<Hit> = Vec::new();
    let mut breach_check = BreachCheck {
        mode: BreachMode::Off,
        status: BreachCheckStatus::Skipped,
        lookups: 0,
        found: 0,
        errors: 0,
        dataset: String::new(),
        date: None,
        attribution: HIBP_ATTRIBUTION.into(),
        gave_up: None,
    };
    if let Some(src) = breach {
        // SHA-1 of every known plaintext, and the NT hash itself (mode=ntlm) for every NT
        // account, so an account is found when either form is in the corpus. Sorted, each query
        // with its accounts in order.
        // Both forms ask the same question of one password, so when the source (an offline
        // corpus of one kind) cannot answer one form, the other is enough: a known plaintext is
        // then looked up by its NT hash, and an NT account's hash by the SHA-1 of its known
        // plaintext. A question no form can answer is still asked, and its failure is an error.
        let (sha1_ok, ntlm_ok) = (src.answers_sha1(), src.answers_ntlm());
        let mut pairs: Vec<(Query, u32)> = Vec::new();
        for (i, a) in accounts.iter().enumerate() {
            if a.raw.skip.is_some() {
                continue;
            }
            let nt = a
                .raw
                .hash
                .as_ref()
                .filter(|h| h.scheme == Scheme::Nt)
                .and_then(|h| hash::stored_digest(Scheme::Nt, h.text.expose()))
                .and_then(|d| <[u8; 16]>::try_from(d.as_slice()).ok());
            let plain = known[i].as_ref().map(|(p, _)| p);
            let mut ask = |q: Query| pairs.push((q, i as u32));
            match (plain, nt) {
                (Some(p), Some(_)) if sha1_ok && !ntlm_ok => {
                    ask(Query::Sha1(hash::sha1(p.expose())))
                }
                (Some(_), Some(d)) if ntlm_ok && !sha1_ok => ask(Query::Ntlm(d)),
                (Some(p), Some(d)) => {
                    ask(Query::Sha1(hash::sha1(p.expose())));
                    ask(Query::Ntlm(d));
                }
                (Some(p), None) if ntlm_ok && !sha1_ok => {
                    ask(Query::Ntlm(crate::hash::md4x::nt(p.expose())))
                }
                (Some(p), None) => ask(Query::Sha1(hash::sha1(p.expose()))),
                (None, Some(d)) => ask(Query::Ntlm(d)),
                (None, None) => {}
            }
        }
        {
            use rayon::prelude::*;
            pairs.par_sort_unstable();
        }
        let mut qs: Vec<Query> = pairs.iter().map(|p| p.0).collect();
        qs.dedup();
        let answers = src.lookup(&qs, &|n| progress("breach", n, qs.len()));
        // Lookups the source gave up (deadline, no answer) all carry its one message.
        let gave_up = src.gave_up();
        let mut given_up = 0usize;
        breach_check.mode = src.mode();
        breach_check.dataset = src.dataset();
        breach_check.date = src.date();
        breach_check.lookups = qs.len();
        breach_of = vec![Hit::UNCHECKED; accounts.len()];
        let mut rest: &[(Query, u32)] = &pairs;
        for (q, ans) in qs.iter().zip(answers) {
            let via = match q {
                Query::Sha1(_) => Via::Sha1,
                Query::Ntlm(_) => Via::Ntlm,
            };
            let b = match ans {
                Lookup::Found(n) => {
                    breach_check.found += 1;
                    Hit {
                        status: BreachStatus::Found,
                        count: Some(n),
                        via: Some(via),
                    }
                }
                Lookup::NotFound => Hit {
                    status: BreachStatus::NotFound,
                    count: None,
                    via: Some(via),
                },
                Lookup::Error(e) => {
                    breach_check.errors += 1;
                    if gave_up.as_ref().is_some_and(|g| g.message == e) {
                        given_up += 1;
                    }
                    errors.push(InputError {
                        source: format!("{BREACH_ERROR} ({})", via.as_str()),
                        message: e,
                    });
                    Hit {
                        status: BreachStatus::Error,
                        count: None,
                        via: Some(via),
                    }
                }
            };
            let n = rest.partition_point(|p| p.0 == *q);
            let (these, more) = rest.split_at(n);
            rest = more;
            for &(_, i) in these {
                let i = i as usize;
                breach_of[i] = breach_of[i].merge(b);
            }
        }
        breach_check.gave_up =
            gave_up_evidence(gave_up, src.unreachable(), given_up, breach_check.errors);
        breach_check.status = if breach_check.errors == 0 {
            BreachCheckStatus::Complete
        } else {
            BreachCheckStatus::Incomplete
        };
    }

    progress("judge", 0, 0);
    // The check date, for password ages (validated when read).
    let checked_day = manifest::parse_date(&checked_on).map_err(|e| AuditError::Usage(e.into()))?;
    // The systems and their effective policies by [`Acc::system`].
    let system_list: Vec<(&System, &policy::Effective)> = system_ids
        .iter()
        .map(|id| (&systems[id], &effective[id]))
        .collect();
    // 2-⑧ reuse groups (skipped accounts are not credentials in use): the accounts with an
    // unsalted digest or a known plaintext, numbered among themselves. Found before the account
    // rows are made, so the working set of the grouping is gone when the rows take their room.
    let groups: Vec<reuse::Group> = {
        let (ids, creds): (Vec<usize>, Vec<reuse::Cred<'_>>) = accounts
            .par_iter()
            .enumerate()
            .filter_map(|(i, a)| {
                if a.raw.skip.is_some() {
                    return None;
                }
                let digest = a.raw.hash.as_ref().and_then(|h| {
                    hash::stored_digest(h.scheme, h.text.expose())
                        .map(|d| (h.scheme, reuse::Digest::new(&d)))
                });
                let plaintext = known[i].as_ref().map(|(p, _)| p);
                if digest.is_none() && plaintext.is_none() {
                    return None;
                }
                Some((
                    i,
                    reuse::Cred {
                        system: &system_ids[a.system as usize],
                        account: &a.raw.name,
                        digest,
                        plaintext,
                        verified: known[i].as_ref().is_some_and(|(_, m)| *m != Method::Given),
                    },
                ))
            })
            .unzip();
        let mut groups = reuse::groups(&creds);
        for g in &mut groups {
            for m in &mut g.members {
                *m = ids[*m];
            }
            for l in &mut g.links {
                l.0 = ids[l.0];
                l.1 = ids[l.1];
            }
        }
        groups
    };
    // 2-⑦ per account, in parallel and in account order. Assessing a plaintext (wordlists,
    // zxcvbn) is the costly part; the history entries are linked to their owners meanwhile.
    use rayon::prelude::*;
    let (history, assessed) = rayon::join(
        || {
            recover::history::History::new(
                accounts
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.raw.skip == Some(crate::model::SkipReason::History))
                    .map(|(i, a)| (i, system_ids[a.system as usize].as_str(), a.user(), true)),
            )
        },
        // Boxed: a slot per account, and most accounts have no known plaintext.
        || -> Vec<Option<Box<seven::Assessment>>> {
            accounts
                .par_iter()
                .zip(known.par_iter())
                .map(|(a, k)| {
                    if a.raw.skip.is_some() {
                        return None;
                    }
                    k.as_ref().map(|(p, _)| {
                        let g = GuessContext {
                            account: a.user(),
                            context_words: &context_words,
                            lists: &lists,
                        };
                        Box::new(seven::assess(p.expose(), &g))
                    })
                })
                .collect()
        },
    );
    let entry = |j: usize| recover::history::Entry {
        plain: known[j].as_ref().map(|(p, _)| p.expose()),
    };
    // One shared name per system for the account rows.
    let system_names: Vec<std::sync::Arc<str>> =
        system_ids.iter().map(|id| id.as_str().into()).collect();
    let mut evid: Vec<AccountEvidence> = Vec::with_capacity(accounts.len());
    // Boxed: one in ten accounts has one, and a slot per account must stay small.
    let mut advisories: Vec<Option<Box<Advisory>>> = Vec::with_capacity(accounts.len());
    accounts
        .par_iter_mut()
        .zip(assessed)
        .enumerate()
        .map(|(i, (a, assessed))| {
            let system = &system_ids[a.system as usize];
            let (sys, eff) = system_list[a.system as usize];
            let mut e = AccountEvidence {
                system: system_names[a.system as usize].clone(),
                // The name moves into the evidence below, once nothing else needs it.
                account: String::new(),
                source: a.raw.source(&labels[a.input as usize]),
                scheme: a
                    .raw
                    .hash
                    .as_ref()
                    .map_or(Scheme::Plaintext, |h| h.scheme),
                hash_prefix: a.raw.hash.as_ref().map(|h| h.text.hash_prefix()),
                plaintext_known: known[i].is_some(),
                recovered_by: known[i].as_ref().map(|(_, m)| *m),
                length: None,
                status: AccountStatus::Skipped,
                path: None,
                skip_reason: a.raw.skip,
                findings: Vec::new(),
                breach: breach_of.get(i).unwrap_or(&Hit::UNCHECKED).to_breach(),
                reuse_group: None,
                salted: salted_work[i].clone().map(Box::new),
                password_last_set: a.raw.password_set,
                password_never_expires: a.raw.max_age_days() == Some(-1),
            };
            let mut advisory = None;
            if a.raw.skip.is_some() {
                e.account = std::mem::take(&mut a.raw.name);
                return (e, advisory);
            }
            let max_age_days = a.raw.max_age_days().or(eff.max_age_days);
            let ctx = seven::AccountContext {
                mfa: a.raw.mfa().unwrap_or(eff.mfa),
                max_age_days,
                age_exceeded: crate::rules::age::exceeded(
                    a.raw.password_set,
                    max_age_days,
                    checked_day,
                ),
                pin_exempt: sys.def.pin_exempt,
                default_applies: !matches!(
                    sys.def.kind,
                    SystemKind::Server | SystemKind::TerminalPc
                ) || crate::rules::guess::is_default_account(a.user()),
            };
            if a.raw.lm().is_some() {
                e.findings.push(Finding::fail(
                    Code::LmHashStored,
                    "an LM hash is stored: it is crackable whatever the password",
                ));
            }
            if a.raw.plaintext_stored() {
                e.findings.push(Finding::warn(
                    Code::PlaintextStored,
                    "stored as cleartext (no hash scheme): whoever can read the store reads the password",
                ));
            }
            if let Some(h) = &a.raw.hash {
                if h.scheme.is_weak() {
                    e.findings.push(Finding::warn(
                        Code::WeakHashScheme,
                        format!("{} is a weak password hash scheme", h.scheme.as_str()),
                    ));
                }
            }
            if e.breach.status == BreachStatus::Found {
                e.findings.push(Finding::fail(
                    Code::Breached,
                    format!(
                        "in the Pwned Passwords corpus ({} times, {} lookup)",
                        e.breach.count.unwrap_or(0),
                        e.breach.via.unwrap_or(Via::Sha1).as_str()
                    ),
                ));
            }
            match &assessed {
                Some(assessed) => {
                    e.length = Some(assessed.length);
                    let v = seven::decide(assessed, &ctx);
                    e.findings.extend(v.findings);
                    if let Some((change, n)) = history.change(system, a.user(), entry(i), entry) {
                        e.findings.push(rotation::finding(
                            change,
                            n as usize,
                            v.path == Some(PassPath::Len8Rotation),
                        ));
                    }
                    if !ctx.mfa && assessed.length < 15 && assessed.length > 0 {
                        advisory = Some(Box::new(Advisory {
                            system: system.clone(),
                            account: Some(a.raw.name.clone()),
                            finding: Finding::info(
                                Code::NistSingleFactorLt15,
                                format!("{} < 15 characters for a single-factor password (NIST SP 800-63B rev. 4)", assessed.length),
                            ),
                        }));
                    }
                    let fails = e.findings.iter().any(|f| f.severity == Severity::Fail);
                    e.status = if fails {
                        AccountStatus::Fail
                    } else {
                        AccountStatus::Pass
                    };
                    e.path = if fails {
                        None
                    } else {
                        v.path
                    };
                }
                None => {
                    let v = seven::by_policy(eff.guarantees(), &ctx);
                    e.findings.extend(v.findings);
                    let fails = e.findings.iter().any(|f| f.severity == Severity::Fail);
                    if fails {
                        e.status = AccountStatus::Fail;
                    } else if v.path.is_some() {
                        e.status = AccountStatus::Pass;
                        e.path = Some(PassPath::Policy);
                    } else {
                        e.status = AccountStatus::Unverified;
                    }
                }
            }
            e.account = std::mem::take(&mut a.raw.name);
            (e, advisory)
        })
        .unzip_into_vecs(&mut evid, &mut advisories);
    drop(history);
    drop(breach_of);
    let mut advisories: Vec<Advisory> = advisories.into_iter().flatten().map(|a| *a).collect();

    let mut reuse_groups = Vec::new();
    for (n, g) in groups.into_iter().enumerate() {
        let id = format!("R{}", n + 1);
        let fail = g.cross_system || opts.strict_reuse;
        let default_password = g
            .plaintext
            .as_ref()
            .is_some_and(|p| crate::rules::guess::is_default(p.expose(), &lists));
        let member = |i: usize| Member {
            system: evid[i].system.to_string(),
            account: evid[i].account.clone(),
        };
        let systems_in: BTreeSet<String> = g
            .members
            .iter()
            .map(|&i| evid[i].system.to_string())
            .collect();
        let mut proofs: Vec<Proof> = g.links.iter().map(|l| l.2).collect();
        proofs.sort_by_key(|p| p.as_str());
        proofs.dedup();
        let group = ReuseGroup {
            id: id.clone(),
            scope: if g.cross_system {
                ReuseScope::CrossSystem
            } else {
                ReuseScope::SameSystem
            },
            severity: if fail { Severity::Fail } else { Severity::Warn },
            evidence: g.evidence(),
            proofs,
            systems: systems_in.iter().cloned().collect(),
            members: g.members.iter().map(|&i| member(i)).collect(),
            links: g
                .links
                .iter()
                .map(|&(a, b, p)| Link {
                    from: member(a),
                    to: member(b),
                    evidence: p,
                })
                .collect(),
            default_password,
        };
        for &i in &g.members {
            let others = g.members.len() - 1;
            evid[i].reuse_group = Some(id.clone());
            evid[i].findings.push(if g.cross_system {
                Finding::fail(
                    Code::ReusedAcrossSystems,
                    format!(
                        "{id}: the same password as {others} other accounts on {} systems",
                        systems_in.len()
                    ),
                )
            } else {
                Finding::new(
                    Code::ReusedWithinSystem,
                    if fail { Severity::Fail } else { Severity::Warn },
                    format!("{id}: the same password as {others} other accounts on this system"),
                )
            });
            evid[i].findings.sort();
        }
        reuse_groups.push(group);
    }
    for e in &mut evid {
        e.findings.sort();
    }

    // Policies.
    let mut policies = Vec::new();
    for (id, s) in &systems {
        let eff = &effective[id];
        if s.policies.is_empty() && s.def.rotation_days.is_none() && !s.def.mfa {
            // One entry per system, even with nothing to judge.
            policies.push(PolicyEvidence {
                system: id.clone(),
                sources: Vec::new(),
                status: PolicyStatus::None,
                path: None,
                effective: eff.to_evidence(),
                findings: Vec::new(),
            });
            continue;
        }
        let v = policy::judge(eff);
        for f in v.advisories {
            advisories.push(Advisory {
                system: id.clone(),
                account: None,
                finding: f,
            });
        }
        policies.push(PolicyEvidence {
            system: id.clone(),
            sources: eff.sources.clone(),
            status: v.status,
            path: v.path,
            effective: eff.to_evidence(),
            findings: v.findings,
        });
    }

    // Answers, overall and split by who answers.
    let edition = m.edition.clone().unwrap_or_else(|| "R7".into());
    let cx = AnswerContext {
        edition: &edition,
        checked_on: &checked_on,
        target_date: &target_date,
        lang: opts.lang,
    };
    let all: BTreeSet<&str> = systems.keys().map(|s| s.as_str()).collect();
    let items = answer::answer_items(&all, &evid, &policies, &reuse_groups, &unread, &cx);
    let mut checklists = Vec::new();
    for (mb, title) in [
        (ManagedBy::Institution, "医療機関確認用"),
        (ManagedBy::Vendor, "事業者確認用"),
    ] {
        let scope: BTreeSet<&str> = systems
            .iter()
            .filter(|(_, s)| s.def.managed_by == mb)
            .map(|(id, _)| id.as_str())
            .collect();
        if scope.is_empty() {
            continue;
        }
        checklists.push(Checklist {
            managed_by: mb,
            title: title.into(),
            systems: scope.iter().map(|s| s.to_string()).collect(),
            items: answer::answer_items(&scope, &evid, &policies, &reuse_groups, &unread, &cx),
        });
    }

    let system_summaries = systems
        .iter()
        .map(|(id, s)| {
            let mine: Vec<&AccountEvidence> = evid.iter().filter(|a| *a.system == **id).collect();
            let count = |st| mine.iter().filter(|a| a.status == st).count();
            SystemSummary {
                id: id.clone(),
                name: s.def.name.clone(),
                kind: s.def.kind,
                managed_by: s.def.managed_by,
                vendor: s.def.vendor.clone(),
                mfa: effective[id].mfa,
                accounts: mine.len(),
                failing: count(AccountStatus::Fail),
                unverified: count(AccountStatus::Unverified),
                passing: count(AccountStatus::Pass),
                skipped: count(AccountStatus::Skipped),
                policy: policies
                    .iter()
                    .find(|p| &p.system == id)
                    .map_or(PolicyStatus::None, |p| p.status),
            }
        })
        .collect();

    let mut recovered: BTreeMap<Method, usize> = BTreeMap::new();
    for (_, m) in known.iter().flatten() {
        *recovered.entry(*m).or_default() += 1;
    }
    errors.sort_by(|a, b| {
        source_key(&a.source)
            .cmp(&source_key(&b.source))
            .then(a.message.cmp(&b.message))
    });
    advisories.sort_by(|a, b| {
        (&a.system, &a.account, &a.finding).cmp(&(&b.system, &b.account, &b.finding))
    });
    Ok(Evidence {
        schema: SCHEMA.into(),
        tool: Tool {
            name: "kensa".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        edition,
        facility: m.facility.clone(),
        checked_on,
        complete: errors.is_empty(),
        items,
        checklists,
        systems: system_summaries,
        accounts: evid,
        reuse_groups,
        policies,
        advisories,
        input_errors: errors,
        inputs,
        recovery: Recovery {
            recovered,
            candidates_unsalted: stats.candidates_unsalted,
            salted_hashes: stats.salted_hashes,
            salted_budget: opts.salted_budget,
            salted_verifications: stats.salted_verifications,
            salted_total: opts.salted_total,
            salted_units: stats.salted_units,
            cross_verifications: stats.cross_verifications,
            potfile_lines_matched: stats.potfile_lines_matched,
            potfile_lines_rejected: stats.potfile_lines_rejected,
            potfile_lines_skipped: stats.potfile_lines_skipped,
        },
        breach_check,
        run: None,
    })
}

/// The read stage's result: the manifest, the dates, every input read.
struct Read {
    m: Manifest,
    checked_on: String,
    target_date: String,
    context_words: Vec<String>,
    lists: Wordlists,
    systems: BTreeMap<String, System>,
    /// The ids of `systems` in order: [`Acc::system`] indexes it.
    system_ids: Vec<String>,
    /// The inputs as named in `file:line` sources: [`Acc::input`] indexes it.
    labels: Vec<String>,
    errors: Vec<InputError>,
    inputs: Vec<InputSummary>,
    /// The systems whose account inputs had errors (accounts may be missing).
    unread: answer::Unread,
    accounts: Vec<Acc>,
    pots: Vec<PotFile>,
}

/// Plan the inputs and read every one (each file once).
fn read_all(opts: &AuditOptions) -> Result<Read, AuditError> {
    let (m, specs) = plan(opts)?;
    let checked_on = opts
        .check_date
        .clone()
        .or(m.checked_on.clone())
        .unwrap_or_else(|| opts.today.clone());
    let checked = manifest::parse_date(&checked_on).map_err(|e| AuditError::Usage(e.into()))?;
    let target_date = match opts.target_date.clone().or(m.target_date.clone()) {
        Some(t) => {
            manifest::parse_date(&t).map_err(|e| AuditError::Usage(e.into()))?;
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
        lists.add_file(w).map_err(|e| AuditError::Usage(e.into()))?;
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
        let (summary, parsed, pot) = read_input(spec, opts.max_input_size, &mut errors);
        pots.extend(pot);
        // An account input (or one whose format is unknown) with errors may have lost accounts.
        let format = Format::from_name(&summary.format);
        if summary.errors > 0 && !format.is_some_and(|f| f.is_policy() || f == Format::Potfile) {
            match &spec.system {
                Some(s) => {
                    unread.systems.insert(s.clone());
                }
                None => unread.any_system = true,
            }
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
                    unread.any_system = true;
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
                accounts.push(Acc {
                    system: id,
                    input,
                    raw: raw.into(),
                });
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
        m,
        checked_on,
        target_date,
        context_words,
        lists,
        systems,
        system_ids,
        labels,
        errors,
        inputs,
        unread,
        accounts,
        pots,
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

/// The files [`audit`] reads, in the order of `Evidence::inputs`: (the path as recorded there, the
/// path opened). Lets the command line record where each input was, for `kensa verify`.
pub fn input_files(opts: &AuditOptions) -> Result<Vec<(String, PathBuf)>, AuditError> {
    let (_, specs) = plan(opts)?;
    Ok(specs
        .into_iter()
        .map(|s| (s.display, s.path))
        .chain(
            opts.potfiles
                .iter()
                .map(|p| (p.display().to_string(), p.clone())),
        )
        .collect())
}

/// The files an audit would read that cannot be opened, each as `PATH: cannot read: REASON`:
/// the inputs (of the manifest and `FILE` arguments; a `pwquality.conf.d` directory is one input
/// of drop-ins), pot files and wordlists, each once. For a check before any work, so that a mistyped path is an
/// error at once, not after the audit; so is a named pipe or a device (which would block or
/// never end) and a file larger than `max_input_size`.
pub fn unreadable_inputs(opts: &AuditOptions) -> Result<Vec<String>, AuditError> {
    let (_, specs) = plan(opts)?;
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

/// Open for reading with `O_NONBLOCK`: opening a named pipe with no writer returns at once.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
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

/// A breach answer for one account, as [`Breach`] without a string.
#[derive(Debug, Clone, Copy)]
struct Hit {
    status: BreachStatus,
    count: Option<u64>,
    via: Option<Via>,
}

impl Hit {
    const UNCHECKED: Hit = Hit {
        status: BreachStatus::Unchecked,
        count: None,
        via: None,
    };

    /// Combine two answers for one account: found wins (largest count), then error, then not found.
    fn merge(self, new: Hit) -> Hit {
        let rank = |b: &Hit| match b.status {
            BreachStatus::Found => 3,
            BreachStatus::Error => 2,
            BreachStatus::NotFound => 1,
            BreachStatus::Unchecked => 0,
        };
        match rank(&new).cmp(&rank(&self)) {
            std::cmp::Ordering::Greater => new,
            std::cmp::Ordering::Equal
                if new.status == BreachStatus::Found && new.count > self.count =>
            {
                new
            }
            _ => self,
        }
    }

    fn to_breach(self) -> Breach {
        Breach {
            status: self.status,
            count: self.count,
            via: self.via,
        }
    }
}

/// Build the manifest (given or implied by bare files) and the list of inputs.
fn plan(opts: &AuditOptions) -> Result<(Manifest, Vec<InputSpec>), AuditError> {
    let mut m = match &opts.manifest {
        Some(p) => Manifest::load(p).map_err(|e| AuditError::Usage(e.into()))?,
        None => Manifest::default(),
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
    Ok((m, specs))
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
fn sniff_file(path: &Path) -> Option<Format> {
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
    let (forced, rest) = input::split_format(arg).map_err(|e| AuditError::Usage(e.into()))?;
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

fn ensure_system<'a>(systems: &'a mut BTreeMap<String, System>, id: &str) -> &'a mut System {
    systems.entry(id.to_string()).or_insert_with(|| System {
        def: SystemDef {
            id: id.to_string(),
            ..Default::default()
        },
        policies: Vec::new(),
    })
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
        Err(message) => {
            errors.push(InputError {
                source: spec.display.clone(),
                message,
            });
            summary.errors = 1;
            return (summary, None, None);
        }
    };
    summary.format = format.as_str().into();
    summary.records = parsed.records;
    if text.line_errors.is_empty() && parsed.errors.is_empty() {
        if let Some(why) = input::nothing_read(format, &parsed) {
            parsed.errors.push(InputError {
                source: spec.display.clone(),
                message: why.into(),
            });
        }
    }
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
    read: Result<(Format, crate::model::ParsedInput), String>,
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
            read: Err(text.binary_message()),
            pot_copy: None,
        };
    }
    let read = match format {
        Some(f) => Ok((f, input::parse(f, text.text(), &spec.display))),
        None => Err(format!(
            "cannot tell the format from the content; name it as FORMAT:PATH (one of {})",
            Format::ALL.map(|f| f.as_str()).join(", ")
        )),
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

/// What recovery established per account: the plaintext and how, and the salted work spent.
type Known = Vec<Option<(Secret, Method)>>;

/// The recovery stage: one target per credential (history entries and disabled accounts take
/// part in the joins; machine accounts and service secrets do not), one outcome per target.
/// The targets borrow the accounts' names, hashes and given plaintexts (moved, not copied) and
/// give them back.
fn recover_stage(
    accounts: &mut [Acc],
    pots: &[PotFile],
    lists: &Wordlists,
    context_words: &[String],
    opts: &AuditOptions,
    progress: Progress<'_>,
) -> (Known, Vec<Option<recover::SaltedWork>>, recover::Stats) {
    use crate::model::SkipReason;
    let targets: Vec<recover::Target> = accounts
        .iter_mut()
        .enumerate()
        .filter(|(_, a)| {
            matches!(
                a.raw.skip,
                None | Some(SkipReason::History) | Some(SkipReason::Disabled)
            )
        })
        .filter(|(_, a)| a.raw.hash.is_some() || a.raw.plaintext().is_some())
        .map(|(i, a)| {
            let rare = a.raw.rare.as_deref_mut();
            let (lm, given) = rare.map_or((None, None), |r| (r.lm.take(), r.plaintext.take()));
            recover::Target {
                id: i,
                account: std::mem::take(&mut a.raw.name),
                hash: a.raw.hash.take(),
                lm,
                given,
                salted_work: a.raw.skip.is_none(),
            }
        })
        .collect();
    let (outcomes, stats) = recover::recover(
        &targets,
        pots,
        lists,
        &recover::Options {
            context_words: context_words.to_vec(),
            salted_budget: opts.salted_budget,
            salted_total: opts.salted_total,
        },
        progress,
    );
    for t in targets {
        let a = &mut accounts[t.id].raw;
        a.name = t.account;
        a.hash = t.hash;
        if t.lm.is_some() || t.given.is_some() {
            let r = a.rare.get_or_insert_with(Box::default);
            r.lm = t.lm;
            r.plaintext = t.given;
        }
    }
    let mut known: Known = vec![None; accounts.len()];
    let mut salted = vec![None; accounts.len()];
    for o in outcomes {
        known[o.id] = o.found.map(|f| (f.plain, f.method));
        salted[o.id] = o.salted;
    }
    (known, salted, stats)
}

/// The hashes of an audit that nothing recovered (for `kensa export hashcat`): current accounts'
/// and history entries' hashes, and the LM hashes of accounts whose NT plaintext is unknown.
/// Each distinct hash once, in a fixed order.
/// Also returns the input problems met on the way (unreadable files, malformed lines), as the
/// audit would record them.
pub fn unverified_hashes(
    opts: &AuditOptions,
    progress: Progress<'_>,
) -> Result<(Vec<crate::model::HashValue>, Vec<InputError>), AuditError> {
    let mut r = read_all(opts)?;
    let (known, _, _) = recover_stage(
        &mut r.accounts,
        &r.pots,
        &r.lists,
        &r.context_words,
        opts,
        progress,
    );
    let mut out: BTreeMap<(Scheme, Secret), crate::model::HashValue> = BTreeMap::new();
    for (a, k) in r.accounts.iter().zip(&known) {
        use crate::model::SkipReason;
        if k.is_some() || !matches!(a.raw.skip, None | Some(SkipReason::History)) {
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

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
                    accounts.push(Acc {
                        system,
                        input,
                        raw: RawAccount {
                            name: name.to_string(),
                            line: line + k,
                            // Marks the reading order, to check that equal ones keep it.
                            max_age_days: Some(accounts.len() as i64),
                            ..RawAccount::default()
                        }
                        .into(),
                    });
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

    fn options(files: &[&str]) -> AuditOptions {
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
        }
    }

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
        let (m, specs) = plan(&options(&[&arg])).unwrap();
        let got: Vec<(String, Option<String>)> = specs
            .iter()
            .map(|s| (s.display.clone(), s.system.clone()))
            .collect();
        let want = |n: &str| (format!("{}/{n}.txt", pcs.display()), Some(n.to_string()));
        assert_eq!(got, [want("pc-01"), want("pc-02")]);
        let ids: Vec<&str> = m.systems.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["pc-01", "pc-02"]);
        // A forced format applies to every file.
        let (_, specs) = plan(&options(&[&format!("pwdump:{}", pcs.display())])).unwrap();
        assert!(specs.iter().all(|s| s.forced == Some(Format::Pwdump)));
        // An empty directory is a usage error.
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let e = plan(&options(&[&empty.display().to_string()])).unwrap_err();
        assert!(e.to_string().contains("holds no files"), "{e}");
    }

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
