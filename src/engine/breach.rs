//! The breach stage: each account's known plaintext (as SHA-1) and NT hash looked up in the
//! breach source, one answer per account ([`Hit`]) and the [`BreachCheck`] of the evidence.

use super::{Acc, Progress};
use crate::breach::{BreachSource, Lookup, Query};
use crate::hash;
use crate::model::evidence::{
    Breach, BreachCheck, BreachGaveUp, BreachStatus, GiveUpReason, HIBP_ATTRIBUTION,
};
use crate::model::tags::{BreachCheckStatus, BreachMode, Via};
use crate::model::{InputError, Scheme};

/// The breach stage's result.
pub(super) struct Breached {
    /// One per account, in account order (empty when there is no breach source: every account
    /// is then unchecked, see [`Breached::hit`]).
    pub hits: Vec<Hit>,
    pub check: BreachCheck,
    /// One per failed query (see [`is_breach_error`]).
    pub errors: Vec<InputError>,
}

impl Breached {
    /// The answer for the account at `i`.
    pub fn hit(&self, i: usize) -> Hit {
        self.hits.get(i).copied().unwrap_or(Hit::UNCHECKED)
    }
}

/// Look up every account's password in `breach` (when there is one).
pub(super) fn check(
    accounts: &[Acc],
    breach: Option<&dyn BreachSource>,
    progress: Progress<'_>,
) -> Breached {
    let mut errors = Vec::new();
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
    let Some(src) = breach else {
        return Breached {
            hits: Vec::new(),
            check: breach_check,
            errors,
        };
    };
    {
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
            let plain = a.found.as_ref().map(|f| &f.plain);
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
        let mut hits = vec![Hit::UNCHECKED; accounts.len()];
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
                hits[i] = hits[i].merge(b);
            }
        }
        breach_check.gave_up =
            gave_up_evidence(gave_up, src.unreachable(), given_up, breach_check.errors);
        breach_check.status = if breach_check.errors == 0 {
            BreachCheckStatus::Complete
        } else {
            BreachCheckStatus::Incomplete
        };
        Breached {
            hits,
            check: breach_check,
            errors,
        }
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

/// A breach answer for one account, as [`Breach`] without a string.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub status: BreachStatus,
    pub count: Option<u64>,
    pub via: Option<Via>,
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

    pub fn to_breach(self) -> Breach {
        Breach {
            status: self.status,
            count: self.count,
            via: self.via,
        }
    }
}
