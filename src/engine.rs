//! The audit pipeline: inputs → recovery → breach check → 2-⑦/2-⑧ rules → [`Evidence`], in a
//! deterministic order so two runs on the same input give byte-identical JSON.

use crate::breach::{BreachSource, Lookup, Query};
use crate::hash;
use crate::input::{self, Format};
use crate::manifest::{self, Manifest, SystemDef};
use crate::model::evidence::*;
use crate::model::{
    Code, Finding, InputError, ManagedBy, PolicyFragment, PotFile, RawAccount, Scheme, Secret,
    Severity, SystemKind,
};
use crate::recover::{self, wordlists::Wordlists, Method};
use crate::rules::answer::{self, AnswerContext, RemarkLang};
use crate::rules::guess::GuessContext;
use crate::rules::{policy, reuse, rotation, seven};
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
    pub lang: RemarkLang,
    /// Today's date (`YYYY-MM-DD`), the default 確認日.
    pub today: String,
}

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

/// An account ready for analysis.
struct Acc {
    system: String,
    raw: RawAccount,
    /// The user part of `DOMAIN\user`, used as the account name in guessability and candidates.
    user: String,
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
        mut errors,
        inputs,
        accounts,
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
        recover_stage(&accounts, &pots, &lists, &context_words, opts, progress);

    // Breach lookups: SHA-1 of every known plaintext, and the NT hash itself (mode=ntlm) for every
    // NT account, so an account is found when either form is in the corpus. Both ask the same
    // question of one password, so when the source (an offline corpus of one kind) cannot answer
    // one form, the other is enough: a known plaintext is then looked up by its NT hash, and an
    // NT account's hash by the SHA-1 of its known plaintext. A question no form can answer is
    // still asked, and its failure is an error.
    let (sha1_ok, ntlm_ok) = breach
        .as_ref()
        .map_or((true, true), |s| (s.answers_sha1(), s.answers_ntlm()));
    let mut queries: BTreeMap<Query, Vec<usize>> = BTreeMap::new();
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
        let mut ask = |q: Query| queries.entry(q).or_default().push(i);
        match (plain, nt) {
            (Some(p), Some(_)) if sha1_ok && !ntlm_ok => ask(Query::Sha1(hash::sha1(p.expose()))),
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
    let mut breach_of: Vec<Breach> = vec![
        Breach {
            status: BreachStatus::Unchecked,
            count: None,
            via: None
        };
        accounts.len()
    ];
    let mut breach_check = BreachCheck {
        mode: "off".into(),
        status: "skipped".into(),
        lookups: 0,
        found: 0,
        errors: 0,
        dataset: String::new(),
        date: None,
        attribution: HIBP_ATTRIBUTION.into(),
    };
    if let Some(src) = breach {
        let qs: Vec<Query> = queries.keys().copied().collect();
        let answers = src.lookup(&qs, &|n| progress("breach", n, qs.len()));
        breach_check.mode = src.mode().into();
        breach_check.dataset = src.dataset();
        breach_check.date = src.date();
        breach_check.lookups = qs.len();
        for (q, ans) in qs.iter().zip(answers) {
            let via = match q {
                Query::Sha1(_) => "sha1",
                Query::Ntlm(_) => "ntlm",
            };
            let b = match ans {
                Lookup::Found(n) => {
                    breach_check.found += 1;
                    Breach {
                        status: BreachStatus::Found,
                        count: Some(n),
                        via: Some(via.into()),
                    }
                }
                Lookup::NotFound => Breach {
                    status: BreachStatus::NotFound,
                    count: None,
                    via: Some(via.into()),
                },
                Lookup::Error(e) => {
                    breach_check.errors += 1;
                    errors.push(InputError {
                        source: format!("breach lookup ({via})"),
                        message: e,
                    });
                    Breach {
                        status: BreachStatus::Error,
                        count: None,
                        via: Some(via.into()),
                    }
                }
            };
            for &i in &queries[q] {
                breach_of[i] = merge_breach(&breach_of[i], b.clone());
            }
        }
        breach_check.status = if breach_check.errors == 0 {
            "complete"
        } else {
            "incomplete"
        }
        .into();
    }

    progress("judge", 0, 0);
    // 2-⑦ per account. Assessing a plaintext (wordlists, zxcvbn) is the costly part: done in
    // parallel first, in account order.
    let assessed: Vec<Option<seven::Assessment>> = {
        use rayon::prelude::*;
        accounts
            .par_iter()
            .zip(known.par_iter())
            .map(|(a, k)| {
                if a.raw.skip.is_some() {
                    return None;
                }
                k.as_ref().map(|(p, _)| {
                    let g = GuessContext {
                        account: &a.user,
                        context_words: &context_words,
                        lists: &lists,
                    };
                    seven::assess(p.expose(), &g)
                })
            })
            .collect()
    };
    let history = recover::history::History::new(accounts.iter().enumerate().map(|(i, a)| {
        (
            i,
            a.system.as_str(),
            a.user.as_str(),
            a.raw.skip == Some(crate::model::SkipReason::History),
        )
    }));
    let entry = |j: usize| recover::history::Entry {
        plain: known[j].as_ref().map(|(p, _)| p.expose()),
    };
    let mut evid: Vec<AccountEvidence> = Vec::with_capacity(accounts.len());
    let mut advisories: Vec<Advisory> = Vec::new();
    for (i, a) in accounts.iter().enumerate() {
        let sys = &systems[&a.system];
        let eff = &effective[&a.system];
        let mut e = AccountEvidence {
            system: a.system.clone(),
            account: a.raw.name.clone(),
            source: a.raw.source.clone(),
            scheme: a
                .raw
                .hash
                .as_ref()
                .map_or(Scheme::Plaintext, |h| h.scheme)
                .as_str()
                .into(),
            hash_prefix: a.raw.hash.as_ref().map(|h| h.text.hash_prefix()),
            plaintext_known: known[i].is_some(),
            recovered_by: known[i].as_ref().map(|(_, m)| m.as_str().to_string()),
            length: None,
            status: AccountStatus::Skipped,
            path: None,
            skip_reason: a.raw.skip.map(|s| s.as_str().to_string()),
            findings: Vec::new(),
            breach: breach_of[i].clone(),
            reuse_group: None,
            salted: salted_work[i],
        };
        if a.raw.skip.is_some() {
            evid.push(e);
            continue;
        }
        let ctx = seven::AccountContext {
            mfa: a.raw.mfa.unwrap_or(eff.mfa),
            max_age_days: a.raw.max_age_days.or(eff.max_age_days),
            pin_exempt: sys.def.pin_exempt,
            default_applies: !matches!(sys.def.kind, SystemKind::Server | SystemKind::TerminalPc)
                || crate::rules::guess::is_default_account(&a.user),
        };
        if a.raw.lm.is_some() {
            e.findings.push(Finding::fail(
                Code::LmHashStored,
                "an LM hash is stored: it is crackable whatever the password",
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
                    e.breach.via.as_deref().unwrap_or("sha1")
                ),
            ));
        }
        match &assessed[i] {
            Some(assessed) => {
                e.length = Some(assessed.length);
                let v = seven::decide(assessed, &ctx);
                e.findings.extend(v.findings);
                if let Some((change, n)) = history.change(&a.system, &a.user, entry(i), entry) {
                    e.findings.push(rotation::finding(
                        change,
                        n as usize,
                        v.path == Some("8+rotation"),
                    ));
                }
                if !ctx.mfa && assessed.length < 15 && assessed.length > 0 {
                    advisories.push(Advisory {
                        system: a.system.clone(),
                        account: Some(a.raw.name.clone()),
                        finding: Finding::info(
                            Code::NistSingleFactorLt15,
                            format!("{} < 15 characters for a single-factor password (NIST SP 800-63B rev. 4)", assessed.length),
                        ),
                    });
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
                    v.path.map(String::from)
                };
            }
            None => {
                let fails = e.findings.iter().any(|f| f.severity == Severity::Fail);
                if fails {
                    e.status = AccountStatus::Fail;
                } else if let Some(_path) = eff.guarantees() {
                    e.status = AccountStatus::Pass;
                    e.path = Some("policy".into());
                } else {
                    e.status = AccountStatus::Unverified;
                }
            }
        }
        evid.push(e);
    }

    // 2-⑧ reuse groups (skipped accounts are not credentials in use).
    let creds: Vec<reuse::Cred<'_>> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let active = a.raw.skip.is_none();
            reuse::Cred {
                system: &a.system,
                account: &a.raw.name,
                digest: if active {
                    a.raw.hash.as_ref().and_then(|h| {
                        hash::stored_digest(h.scheme, h.text.expose()).map(|d| (h.scheme, d))
                    })
                } else {
                    None
                },
                plaintext: if active {
                    known[i].as_ref().map(|(p, _)| p)
                } else {
                    None
                },
                verified: known[i].as_ref().is_some_and(|(_, m)| *m != Method::Given),
            }
        })
        .collect();
    let mut reuse_groups = Vec::new();
    for (n, g) in reuse::groups(&creds).into_iter().enumerate() {
        let id = format!("R{}", n + 1);
        let fail = g.cross_system || opts.strict_reuse;
        let default_password = g
            .plaintext
            .as_ref()
            .is_some_and(|p| crate::rules::guess::is_default(p.expose(), &lists));
        let member = |i: usize| Member {
            system: accounts[i].system.clone(),
            account: accounts[i].raw.name.clone(),
        };
        let systems_in: BTreeSet<String> = g
            .members
            .iter()
            .map(|&i| accounts[i].system.clone())
            .collect();
        let mut proofs: Vec<String> = g.links.iter().map(|l| l.2.as_str().to_string()).collect();
        proofs.sort();
        proofs.dedup();
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
        reuse_groups.push(ReuseGroup {
            id,
            scope: if g.cross_system {
                "cross_system"
            } else {
                "same_system"
            }
            .into(),
            severity: if fail { "fail" } else { "warn" }.into(),
            evidence: g.evidence().as_str().into(),
            proofs,
            systems: systems_in.into_iter().collect(),
            members: g.members.iter().map(|&i| member(i)).collect(),
            links: g
                .links
                .iter()
                .map(|&(a, b, p)| Link {
                    from: member(a),
                    to: member(b),
                    evidence: p.as_str().into(),
                })
                .collect(),
            default_password,
        });
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
                status: "none".into(),
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
            status: v.status.into(),
            path: v.path.map(String::from),
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
    let items = answer::answer_items(&all, &evid, &policies, &reuse_groups, &cx);
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
            items: answer::answer_items(&scope, &evid, &policies, &reuse_groups, &cx),
        });
    }

    let system_summaries = systems
        .iter()
        .map(|(id, s)| {
            let mine: Vec<&AccountEvidence> = evid.iter().filter(|a| &a.system == id).collect();
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
                    .map_or("none".to_string(), |p| p.status.clone()),
            }
        })
        .collect();

    let mut recovered: BTreeMap<String, usize> = BTreeMap::new();
    for (_, m) in known.iter().flatten() {
        *recovered.entry(m.as_str().into()).or_default() += 1;
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
    errors: Vec<InputError>,
    inputs: Vec<InputSummary>,
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
    let checked = manifest::parse_date(&checked_on).map_err(AuditError::Usage)?;
    let target_date = match opts.target_date.clone().or(m.target_date.clone()) {
        Some(t) => {
            manifest::parse_date(&t).map_err(AuditError::Usage)?;
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
        lists.add_file(w).map_err(AuditError::Usage)?;
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
    for spec in &specs {
        let (summary, parsed, pot) = read_input(spec, &mut errors);
        pots.extend(pot);
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
            let mut seen_systems = BTreeSet::new();
            for raw in p.accounts {
                let system = match raw
                    .system
                    .clone()
                    .filter(|s| !s.is_empty())
                    .or(spec.system.clone())
                {
                    Some(s) => s,
                    None => {
                        errors.push(InputError {
                            source: raw.source.clone(),
                            message: "the record names no system and the file belongs to no system"
                                .into(),
                        });
                        continue;
                    }
                };
                ensure_system(&mut systems, &system);
                seen_systems.insert(system.clone());
                let user = raw
                    .name
                    .rsplit('\\')
                    .next()
                    .unwrap_or(&raw.name)
                    .to_string();
                accounts.push(Acc { system, raw, user });
            }
            let mut s = summary;
            if let Some(sys) = &spec.system {
                seen_systems.insert(sys.clone());
            }
            s.systems = seen_systems.into_iter().collect();
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
        let (summary, _, pot) = read_input(&spec, &mut errors);
        pots.extend(pot);
        inputs.push(summary);
    }
    accounts.sort_by(|a, b| {
        (&a.system, &a.raw.name, source_key(&a.raw.source)).cmp(&(
            &b.system,
            &b.raw.name,
            source_key(&b.raw.source),
        ))
    });

    Ok(Read {
        m,
        checked_on,
        target_date,
        context_words,
        lists,
        systems,
        errors,
        inputs,
        accounts,
        pots,
    })
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

/// Combine two answers for one account: found wins (largest count), then error, then not found.
fn merge_breach(old: &Breach, new: Breach) -> Breach {
    let rank = |b: &Breach| match b.status {
        BreachStatus::Found => 3,
        BreachStatus::Error => 2,
        BreachStatus::NotFound => 1,
        BreachStatus::Unchecked => 0,
    };
    match rank(&new).cmp(&rank(old)) {
        std::cmp::Ordering::Greater => new,
        std::cmp::Ordering::Equal if new.status == BreachStatus::Found && new.count > old.count => {
            new
        }
        _ => old.clone(),
    }
}

/// Build the manifest (given or implied by bare files) and the list of inputs.
fn plan(opts: &AuditOptions) -> Result<(Manifest, Vec<InputSpec>), AuditError> {
    let mut m = match &opts.manifest {
        Some(p) => Manifest::load(p).map_err(AuditError::Usage)?,
        None => Manifest::default(),
    };
    let mut specs = Vec::new();
    if let Some(mp) = &opts.manifest {
        for s in &m.systems {
            for i in &s.inputs {
                specs.push(spec_for(i, Some(mp), Some(s.id.clone()))?);
            }
        }
        for i in &m.inputs {
            specs.push(spec_for(i, Some(mp), None)?);
        }
    }
    for f in &opts.files {
        let mut spec = spec_for(f, None, None)?;
        // A bare file is one system named after its stem (pot files and inventories name their own).
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
        specs.push(spec);
    }
    if specs.is_empty() && opts.potfiles.is_empty() {
        return Err(AuditError::Usage(
            "nothing to audit: give --manifest FILE or one or more input files".into(),
        ));
    }
    Ok((m, specs))
}

/// The format of a file from its first 64 KiB (detection looks at no more).
fn sniff_file(path: &Path) -> Option<Format> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(input::SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    let text = match input::decode(&head) {
        Ok(t) => t,
        // Cut inside a character: the whole characters before it.
        Err(_) => match std::str::from_utf8(&head) {
            Ok(t) => t.to_string(),
            Err(e) => String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned(),
        },
    };
    input::detect(&text, &path.file_name()?.to_string_lossy())
}

/// `FORMAT:PATH` or `PATH`, relative to the manifest when one is given.
fn spec_for(
    arg: &str,
    manifest: Option<&PathBuf>,
    system: Option<String>,
) -> Result<InputSpec, AuditError> {
    let (forced, rest) = input::split_format(arg).map_err(AuditError::Usage)?;
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
    errors: &mut Vec<InputError>,
) -> (
    InputSummary,
    Option<crate::model::ParsedInput>,
    Option<PotFile>,
) {
    let mut summary = InputSummary {
        path: spec.display.clone(),
        format: spec.forced.map_or("unknown", |f| f.as_str()).into(),
        sha256: String::new(),
        size: 0,
        systems: spec.system.iter().cloned().collect(),
        records: 0,
        errors: 0,
    };
    let bytes = match std::fs::read(&spec.path) {
        Ok(b) => b,
        Err(e) => {
            errors.push(InputError {
                source: spec.display.clone(),
                message: format!("cannot read: {}", io_reason(&e)),
            });
            summary.errors = 1;
            return (summary, None, None);
        }
    };
    summary.size = bytes.len() as u64;
    summary.sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    let text = match input::decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            errors.push(InputError {
                source: spec.display.clone(),
                message: e,
            });
            summary.errors = 1;
            return (summary, None, None);
        }
    };
    let name = spec
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let Some(format) = spec.forced.or_else(|| input::detect(&text, &name)) else {
        errors.push(InputError {
            source: spec.display.clone(),
            message: format!(
                "cannot tell the format from the content; name it as FORMAT:PATH (one of {})",
                Format::ALL.map(|f| f.as_str()).join(", ")
            ),
        });
        summary.errors = 1;
        return (summary, None, None);
    };
    summary.format = format.as_str().into();
    let parsed = input::parse(format, &text, &spec.display);
    summary.records = parsed.records;
    summary.errors = parsed.errors.len();
    errors.extend(parsed.errors.iter().cloned());
    // A pot file is kept whole and walked by recovery (no value per line).
    let pot = (format == Format::Potfile).then(|| PotFile {
        label: spec.display.clone(),
        text: Secret::new(text),
    });
    (summary, Some(parsed), pot)
}

/// What recovery established per account: the plaintext and how, and the salted work spent.
type Known = Vec<Option<(Secret, Method)>>;

/// The recovery stage: one target per credential (history entries and disabled accounts take
/// part in the joins; machine accounts and service secrets do not), one outcome per target.
fn recover_stage(
    accounts: &[Acc],
    pots: &[PotFile],
    lists: &Wordlists,
    context_words: &[String],
    opts: &AuditOptions,
    progress: Progress<'_>,
) -> (Known, Vec<Option<recover::SaltedWork>>, recover::Stats) {
    use crate::model::SkipReason;
    let targets: Vec<recover::Target> = accounts
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            matches!(
                a.raw.skip,
                None | Some(SkipReason::History) | Some(SkipReason::Disabled)
            )
        })
        .filter(|(_, a)| a.raw.hash.is_some() || a.raw.plaintext.is_some())
        .map(|(i, a)| recover::Target {
            id: i,
            account: a.raw.name.clone(),
            hash: a.raw.hash.clone(),
            lm: a.raw.lm.clone(),
            given: a.raw.plaintext.clone(),
            salted_work: a.raw.skip.is_none(),
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
    let r = read_all(opts)?;
    let (known, _, _) = recover_stage(
        &r.accounts,
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
        for h in a.raw.hash.iter().chain(&a.raw.lm) {
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
