//! The judge stage: each system's effective policy, the 2-⑧ reuse groups, and each account's
//! row with every finding it will carry (storage, breach, 2-⑦, history, reuse), decided by the
//! functions of [`crate::rules`]. Each row is made whole once; nothing edits it afterwards.

use super::breach::Breached;
use super::read::{Context, System};
use super::{Acc, AuditError, AuditOptions};
use crate::hash;
use crate::manifest;
use crate::model::evidence::{
    AccountEvidence, AccountStatus, Advisory, Link, Member, PolicyEvidence, ReuseGroup,
};
use crate::model::tags::{PassPath, PolicyStatus, Proof, ReuseScope};
use crate::model::{Scheme, Severity, SkipReason, SystemKind};
use crate::recover::{self, Method};
use crate::rules::edition::{self, Edition};
use crate::rules::guess::GuessContext;
use crate::rules::{age, guess, policy, reuse, rotation, seven, stored};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The judge stage's result.
pub(super) struct Judged {
    /// Each system's effective policy, by id.
    pub effective: BTreeMap<String, policy::Effective>,
    /// In account order.
    pub accounts: Vec<AccountEvidence>,
    pub reuse_groups: Vec<ReuseGroup>,
    /// One per system, in id order.
    pub policies: Vec<PolicyEvidence>,
    /// Sorted by (system, account, finding).
    pub advisories: Vec<Advisory>,
}

/// The edition whose rules the audit applies: `--rules FILE` or `--edition E` when given, else
/// the manifest's `edition` (checked to be a known one when the manifest was read), else R7.
pub(super) fn edition_in_force<'a>(opts: &'a AuditOptions, m: &manifest::Manifest) -> &'a Edition {
    opts.edition.as_ref().unwrap_or_else(|| {
        let id = m.edition.as_deref().unwrap_or(edition::DEFAULT);
        Edition::builtin(id).unwrap_or_else(|| Edition::builtin(edition::DEFAULT).expect("R7"))
    })
}

/// Judge every account and every system's policy.
pub(super) fn judge(
    ctx: &Context,
    mut accounts: Vec<Acc>,
    breached: &Breached,
    opts: &AuditOptions,
) -> Result<Judged, AuditError> {
    // The check date, for password ages (validated when read).
    let checked_day = manifest::parse_date(&ctx.checked_on)?;
    let ed = edition_in_force(opts, &ctx.m);
    let effective: BTreeMap<String, policy::Effective> = ctx
        .systems
        .iter()
        .map(|(id, s)| {
            (
                id.clone(),
                policy::merge(&s.policies, s.def.mfa, s.def.rotation_days),
            )
        })
        .collect();
    // The systems and their effective policies by [`Acc::system`].
    let system_list: Vec<(&System, &policy::Effective)> = ctx
        .system_ids
        .iter()
        .map(|id| (&ctx.systems[id], &effective[id]))
        .collect();
    // 2-⑧ first, so that each account's row is made whole with its reuse finding; the working
    // set of the grouping is gone when the rows take their room.
    let Reuse {
        groups: reuse_groups,
        findings: reuse_findings,
        member_of,
    } = reuse_stage(ctx, &accounts, opts.strict_reuse);

    // 2-⑦ per account, in parallel and in account order. Assessing a plaintext (wordlists,
    // zxcvbn) is the costly part; the history entries are linked to their owners meanwhile.
    let (history, assessed) = rayon::join(
        || {
            recover::history::History::new(
                accounts
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.raw.skip == Some(SkipReason::History))
                    .map(|(i, a)| {
                        (
                            i,
                            ctx.system_ids[a.system as usize].as_str(),
                            a.user(),
                            true,
                        )
                    }),
            )
        },
        // Boxed: a slot per account, and most accounts have no known plaintext.
        || -> Vec<Option<Box<seven::Assessment>>> {
            accounts
                .par_iter()
                .map(|a| {
                    if a.raw.skip.is_some() {
                        return None;
                    }
                    a.found.as_ref().map(|f| {
                        let g = GuessContext {
                            account: a.user(),
                            context_words: &ctx.context_words,
                            lists: &ctx.lists,
                        };
                        Box::new(seven::assess(f.plain.expose(), &g))
                    })
                })
                .collect()
        },
    );
    let entry = |j: usize| recover::history::Entry {
        plain: accounts[j].found.as_ref().map(|f| f.plain.expose()),
    };
    // One shared name per system for the account rows.
    let system_names: Vec<std::sync::Arc<str>> =
        ctx.system_ids.iter().map(|id| id.as_str().into()).collect();
    let mut rows: Vec<AccountEvidence> = Vec::with_capacity(accounts.len());
    // Boxed: one in ten accounts has one, and a slot per account must stay small.
    let mut advisories: Vec<Option<Box<Advisory>>> = Vec::with_capacity(accounts.len());
    accounts
        .par_iter()
        .zip(assessed)
        .enumerate()
        .map(|(i, (a, assessed))| {
            let system = &ctx.system_ids[a.system as usize];
            let (sys, eff) = system_list[a.system as usize];
            let hit = breached.hit(i);
            let mut e = AccountEvidence {
                system: system_names[a.system as usize].clone(),
                // The name moves into the row below, once nothing else needs it.
                account: String::new(),
                source: a.raw.source(&ctx.labels[a.input as usize]),
                scheme: a.raw.hash.as_ref().map_or(Scheme::Plaintext, |h| h.scheme),
                hash_prefix: a.raw.hash.as_ref().map(|h| h.text.hash_prefix()),
                plaintext_known: a.found.is_some(),
                recovered_by: a.found.as_ref().map(|f| f.method),
                length: None,
                status: AccountStatus::Skipped,
                path: None,
                skip_reason: a.raw.skip,
                findings: Vec::new(),
                breach: hit.to_breach(),
                reuse_group: None,
                salted: a.salted.clone(),
                password_last_set: a.raw.password_set,
                password_never_expires: a.raw.max_age_days() == Some(-1),
                privileged: crate::rules::privileged::is_privileged(
                    a.raw
                        .rid_admin
                        .then_some(crate::rules::privileged::ADMINISTRATOR_RID),
                    a.user(),
                    &sys.def.privileged_accounts,
                ),
            };
            let mut advisory = None;
            if a.raw.skip.is_some() {
                return (e, advisory);
            }
            let max_age_days = a.raw.max_age_days().or(eff.max_age_days);
            let ctx7 = seven::AccountContext {
                mfa: a.raw.mfa().unwrap_or(eff.mfa),
                max_age_days,
                age_exceeded: age::exceeded(a.raw.password_set, max_age_days, checked_day),
                pin_exempt: sys.def.pin_exempt,
                default_applies: !matches!(
                    sys.def.kind,
                    SystemKind::Server | SystemKind::TerminalPc
                ) || guess::is_default_account(a.user()),
            };
            e.findings = stored::findings(
                a.raw.lm().is_some(),
                a.raw.plaintext_stored(),
                a.raw.hash.as_ref().map(|h| h.scheme),
            );
            if hit.status == crate::model::evidence::BreachStatus::Found {
                e.findings.push(stored::breached(
                    hit.count.unwrap_or(0),
                    hit.via.unwrap_or(crate::model::tags::Via::Sha1),
                ));
            }
            match &assessed {
                Some(assessed) => {
                    e.length = Some(assessed.length);
                    let v = seven::decide(assessed, &ctx7, ed);
                    e.findings.extend(v.findings);
                    if let Some((change, n)) = history.change(system, a.user(), entry(i), entry) {
                        e.findings.push(rotation::finding(
                            change,
                            n as usize,
                            v.path == Some(PassPath::Len8Rotation),
                        ));
                    }
                    advisory = stored::nist_single_factor(assessed.length, ctx7.mfa).map(|f| {
                        Box::new(Advisory {
                            system: system.clone(),
                            account: Some(a.raw.name.clone()),
                            finding: f,
                        })
                    });
                    let fails = e.findings.iter().any(|f| f.severity == Severity::Fail);
                    e.status = if fails {
                        AccountStatus::Fail
                    } else {
                        AccountStatus::Pass
                    };
                    e.path = if fails { None } else { v.path };
                }
                None => {
                    let v = seven::by_policy(eff.guarantees(ed), &ctx7, ed);
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
            // 2-⑧ is its own item: a shared password does not change the 2-⑦ status above.
            if let Ok(k) = member_of.binary_search_by_key(&(i as u32), |m| m.0) {
                let g = member_of[k].1 as usize;
                e.reuse_group = Some(reuse_groups[g].id.clone());
                e.findings.push(reuse_findings[g].clone());
            }
            e.findings.sort();
            (e, advisory)
        })
        .unzip_into_vecs(&mut rows, &mut advisories);
    drop(history);
    // The names move into the rows: no copy of a million names.
    rows.par_iter_mut()
        .zip(accounts.par_iter_mut())
        .for_each(|(e, a)| e.account = std::mem::take(&mut a.raw.name));
    drop(accounts);
    let mut advisories: Vec<Advisory> = advisories.into_iter().flatten().map(|a| *a).collect();
    let policies = policies(ctx, &effective, ed, &mut advisories);
    advisories.sort_by(|a, b| {
        (&a.system, &a.account, &a.finding).cmp(&(&b.system, &b.account, &b.finding))
    });
    Ok(Judged {
        effective,
        accounts: rows,
        reuse_groups,
        policies,
        advisories,
    })
}

/// The 2-⑧ groups and what each member's row carries of them.
struct Reuse {
    groups: Vec<ReuseGroup>,
    /// The finding of every member of the group at the same position.
    findings: Vec<crate::model::Finding>,
    /// `(account, group)` for every member, sorted by account.
    member_of: Vec<(u32, u32)>,
}

/// The 2-⑧ groups of the accounts (skipped accounts are not credentials in use): those with an
/// unsalted digest or a known plaintext, numbered among themselves.
fn reuse_stage(ctx: &Context, accounts: &[Acc], strict: bool) -> Reuse {
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
                let plaintext = a.found.as_ref().map(|f| &f.plain);
                if digest.is_none() && plaintext.is_none() {
                    return None;
                }
                Some((
                    i,
                    reuse::Cred {
                        system: &ctx.system_ids[a.system as usize],
                        account: &a.raw.name,
                        digest,
                        plaintext,
                        verified: a.found.as_ref().is_some_and(|f| f.method != Method::Given),
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
    let mut member_of = Vec::new();
    let mut findings = Vec::with_capacity(groups.len());
    let mut out = Vec::with_capacity(groups.len());
    for (n, g) in groups.into_iter().enumerate() {
        let id = format!("R{}", n + 1);
        let default_password = g
            .plaintext
            .as_ref()
            .is_some_and(|p| guess::is_default(p.expose(), &ctx.lists));
        let member = |i: usize| Member {
            system: ctx.system_ids[accounts[i].system as usize].clone(),
            account: accounts[i].raw.name.clone(),
        };
        let systems_in: BTreeSet<&str> = g
            .members
            .iter()
            .map(|&i| ctx.system_ids[accounts[i].system as usize].as_str())
            .collect();
        let mut proofs: Vec<Proof> = g.links.iter().map(|l| l.2).collect();
        proofs.sort_by_key(|p| p.as_str());
        proofs.dedup();
        member_of.extend(g.members.iter().map(|&i| (i as u32, n as u32)));
        findings.push(reuse::finding(
            &id,
            g.members.len(),
            systems_in.len(),
            g.cross_system,
            strict,
        ));
        out.push(ReuseGroup {
            id,
            scope: if g.cross_system {
                ReuseScope::CrossSystem
            } else {
                ReuseScope::SameSystem
            },
            severity: if reuse::fails(g.cross_system, strict) {
                Severity::Fail
            } else {
                Severity::Warn
            },
            evidence: g.evidence(),
            proofs,
            systems: systems_in.iter().map(|s| s.to_string()).collect(),
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
            outside_members: 0,
        });
    }
    member_of.sort_unstable();
    Reuse {
        groups: out,
        findings,
        member_of,
    }
}

/// One policy entry per system (`none` when it has nothing to judge); the policies' advisories
/// are added to `advisories`.
fn policies(
    ctx: &Context,
    effective: &BTreeMap<String, policy::Effective>,
    ed: &Edition,
    advisories: &mut Vec<Advisory>,
) -> Vec<PolicyEvidence> {
    let mut policies = Vec::new();
    for (id, s) in &ctx.systems {
        let eff = &effective[id];
        if s.policies.is_empty() && s.def.rotation_days.is_none() && !s.def.mfa {
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
        let v = policy::judge(eff, ed);
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
    policies
}
