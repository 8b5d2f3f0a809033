//! Item 2-⑧: link accounts that share a password and say how each link was proved.

use crate::model::{Code, Facts, Finding, Scheme, Secret, Severity};
use std::collections::BTreeMap;

/// How an account's password is known to the reuse check.
#[derive(Debug, Clone)]
pub struct Cred<'a> {
    pub system: &'a str,
    pub account: &'a str,
    /// Unsalted digest (scheme + raw bytes): equal digests prove equal passwords.
    pub digest: Option<(Scheme, Digest)>,
    pub plaintext: Option<&'a Secret>,
    /// The plaintext was verified against this account's own stored hash (not just given).
    pub verified: bool,
}

/// An unsalted digest held inline (NT and LM 16 bytes, SHA-1 20), zero-padded: a domain's
/// worth of credentials makes no allocation per digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest {
    bytes: [u8; 20],
    len: u8,
}

impl Digest {
    /// The first 20 bytes of `d` (every unsalted scheme kensa reads fits).
    pub fn new(d: &[u8]) -> Self {
        let n = d.len().min(20);
        let mut bytes = [0u8; 20];
        bytes[..n].copy_from_slice(&d[..n]);
        Digest {
            bytes,
            len: n as u8,
        }
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

/// The proof behind one link, strongest first (a closed set of the evidence).
pub use crate::model::tags::Proof;

/// A set of accounts sharing one password. Members are indices into the input, sorted by (system, account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub members: Vec<usize>,
    /// Links (a, b, proof) that join the members into one group (a spanning tree).
    pub links: Vec<(usize, usize, Proof)>,
    pub cross_system: bool,
    /// The shared plaintext, when known (used only to test for factory defaults; never printed).
    pub plaintext: Option<Secret>,
}

impl Group {
    /// The group's evidence: identical hashes if every link is one; verified plaintext if any hash
    /// was verified; same plaintext when only given plaintexts were compared.
    pub fn evidence(&self) -> Proof {
        if self
            .links
            .iter()
            .all(|l| l.2 == Proof::IdenticalUnsaltedHash)
        {
            Proof::IdenticalUnsaltedHash
        } else if self.links.iter().any(|l| l.2 == Proof::VerifiedPlaintext) {
            Proof::VerifiedPlaintext
        } else {
            Proof::SamePlaintext
        }
    }
}

/// Find every group of two or more accounts sharing a password.
pub fn groups(creds: &[Cred<'_>]) -> Vec<Group> {
    let mut uf = UnionFind::new(creds.len());
    let mut links = Vec::new();
    // 1. Equal unsalted digests of the same scheme: sorted, equal ones side by side (each run in
    // input order), runs taken in order of their members.
    let mut by_digest: Vec<(Scheme, &[u8], usize)> = creds
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.digest.as_ref().map(|(s, d)| (*s, d.as_slice(), i)))
        .collect();
    {
        use rayon::prelude::*;
        by_digest.par_sort_unstable();
    }
    let mut digest_sets: Vec<&[(Scheme, &[u8], usize)]> = by_digest
        .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
        .filter(|run| run.len() > 1)
        .collect();
    digest_sets.sort_by(|a, b| a.iter().map(|x| x.2).cmp(b.iter().map(|x| x.2)));
    for set in digest_sets {
        for w in set.windows(2) {
            if uf.union(w[0].2, w[1].2) {
                links.push((w[0].2, w[1].2, Proof::IdenticalUnsaltedHash));
            }
        }
    }
    // 2. Equal plaintexts (recovered and verified, or given).
    let mut by_plain: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in creds.iter().enumerate() {
        if let Some(p) = c.plaintext {
            by_plain.entry(p.expose()).or_default().push(i);
        }
    }
    for set in by_plain.values().filter(|v| v.len() > 1) {
        // Prefer a hash-verified member as the hub so links carry the stronger proof.
        let hub = *set.iter().find(|&&i| creds[i].verified).unwrap_or(&set[0]);
        for &i in set {
            if i != hub && uf.union(hub, i) {
                let proof = if creds[hub].verified || creds[i].verified {
                    Proof::VerifiedPlaintext
                } else {
                    Proof::SamePlaintext
                };
                links.push((hub.min(i), hub.max(i), proof));
            }
        }
    }
    // Collect: only sets of two or more (most credentials are alone), with their links.
    let roots: Vec<usize> = (0..creds.len()).map(|i| uf.find(i)).collect();
    let mut size = vec![0u32; creds.len()];
    for &r in &roots {
        size[r] += 1;
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &r) in roots.iter().enumerate() {
        if size[r] > 1 {
            sets.entry(r).or_default().push(i);
        }
    }
    let mut links_of: BTreeMap<usize, Vec<(usize, usize, Proof)>> = BTreeMap::new();
    for l in links {
        links_of.entry(roots[l.0]).or_default().push(l);
    }
    let key = |i: &usize| (creds[*i].system, creds[*i].account, *i);
    let mut out: Vec<Group> = sets
        .into_iter()
        .map(|(root, mut members)| {
            members.sort_by_key(key);
            let mut l = links_of.remove(&root).unwrap_or_default();
            l.sort_by_key(|(a, b, p)| (key(a), key(b), *p));
            let cross_system = members
                .iter()
                .any(|&i| creds[i].system != creds[members[0]].system);
            let plaintext = members.iter().find_map(|&i| creds[i].plaintext.cloned());
            Group {
                members,
                links: l,
                cross_system,
                plaintext,
            }
        })
        .collect();
    out.sort_by(|a, b| key(&a.members[0]).cmp(&key(&b.members[0])));
    out
}

/// Whether a group fails 2-⑧: a password shared across systems always does; one shared within a
/// system only under `--strict-reuse` (else it is a warning).
pub fn fails(cross_system: bool, strict: bool) -> bool {
    cross_system || strict
}

/// The finding of each member of the group `id` (`R1`, `R2`, …) of `members` accounts on
/// `systems` systems.
pub fn finding(
    id: &str,
    members: usize,
    systems: usize,
    cross_system: bool,
    strict: bool,
) -> Finding {
    let others = members - 1;
    let (code, severity) = if cross_system {
        (Code::ReusedAcrossSystems, Severity::Fail)
    } else if fails(cross_system, strict) {
        (Code::ReusedWithinSystem, Severity::Fail)
    } else {
        (Code::ReusedWithinSystem, Severity::Warn)
    };
    match id.strip_prefix('R').and_then(|n| n.parse::<u32>().ok()) {
        Some(group) if id == format!("R{group}") => super::found(
            code,
            severity,
            Facts::Reused {
                group,
                others: super::seven::n32(others),
                systems: cross_system.then(|| super::seven::n32(systems)),
            },
        ),
        // A group id of another form: English words only.
        _ => Finding::new(
            code,
            severity,
            if cross_system {
                format!("{id}: the same password as {others} other accounts on {systems} systems")
            } else {
                format!("{id}: the same password as {others} other accounts on this system")
            },
        ),
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    /// Join the sets of a and b; false if they were already one.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        self.parent[hi] = lo;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_by_hash_verified_and_given_plaintexts() {
        let p1 = Secret::new("Koro2025!");
        let p2 = Secret::new("other-Pass1");
        let creds = vec![
            Cred {
                system: "pc-01",
                account: "Administrator",
                digest: Some((Scheme::Nt, Digest::new(&[1; 16]))),
                plaintext: None,
                verified: false,
            },
            Cred {
                system: "pc-02",
                account: "Administrator",
                digest: Some((Scheme::Nt, Digest::new(&[1; 16]))),
                plaintext: None,
                verified: false,
            },
            Cred {
                system: "linux01",
                account: "root",
                digest: None,
                plaintext: Some(&p1),
                verified: true,
            },
            Cred {
                system: "net",
                account: "rtx",
                digest: None,
                plaintext: Some(&p1),
                verified: false,
            },
            Cred {
                system: "net",
                account: "ap01",
                digest: None,
                plaintext: Some(&p2),
                verified: false,
            },
            Cred {
                system: "net",
                account: "fw01",
                digest: None,
                plaintext: Some(&p2),
                verified: false,
            },
            Cred {
                system: "pc-01",
                account: "nurse",
                digest: Some((Scheme::Nt, Digest::new(&[2; 16]))),
                plaintext: None,
                verified: false,
            },
        ];
        let g = groups(&creds);
        assert_eq!(g.len(), 3);
        // Sorted by first member: linux01/root group, net/ap01 group, pc-01/Administrator group.
        assert_eq!(g[0].members, vec![2, 3]);
        assert_eq!(g[0].evidence(), Proof::VerifiedPlaintext);
        assert!(g[0].cross_system);
        assert_eq!(g[1].members, vec![4, 5]);
        assert_eq!(g[1].evidence(), Proof::SamePlaintext);
        assert!(!g[1].cross_system);
        assert_eq!(g[2].members, vec![0, 1]);
        assert_eq!(g[2].evidence(), Proof::IdenticalUnsaltedHash);
        assert_eq!(g[2].links, vec![(0, 1, Proof::IdenticalUnsaltedHash)]);
    }

    #[test]
    fn hash_and_plaintext_links_merge_into_one_group() {
        let p = Secret::new("Koro2025!");
        let creds = vec![
            Cred {
                system: "a",
                account: "x",
                digest: Some((Scheme::Nt, Digest::new(&[1; 16]))),
                plaintext: Some(&p),
                verified: true,
            },
            Cred {
                system: "b",
                account: "x",
                digest: Some((Scheme::Nt, Digest::new(&[1; 16]))),
                plaintext: Some(&p),
                verified: true,
            },
            Cred {
                system: "c",
                account: "y",
                digest: None,
                plaintext: Some(&p),
                verified: true,
            },
        ];
        let g = groups(&creds);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].members, vec![0, 1, 2]);
        assert_eq!(g[0].links.len(), 2);
        assert_eq!(g[0].evidence(), Proof::VerifiedPlaintext);
    }
}
