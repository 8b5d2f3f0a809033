//! Evidence for sharing outside the facility, made from the judged evidence after the audit:
//! the bundle of one vendor's systems (`--vendor NAME`) and masked account names
//! (`--mask-accounts`). Nothing is judged again: answers, findings and groups are those of the
//! whole audit, kept or cut to the bundle.

use crate::model::evidence::{BaselineEntry, Evidence, MemberKey, ReuseGroup, Scope};
use std::collections::BTreeSet;

/// Why a bundle cannot be made: no per-vendor checklist has that name. Carries the names there
/// are (empty when no system is managed by a named vendor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVendor {
    pub known: Vec<String>,
}

/// The vendors a bundle can be made for, in the evidence's order.
pub fn vendors(ev: &Evidence) -> Vec<String> {
    ev.vendor_checklists
        .iter()
        .filter_map(|c| c.vendor.clone())
        .collect()
}

/// The evidence cut to the systems of `vendor`: systems, accounts, policies, advisories, inputs
/// touching those systems, that vendor's answers as the items, reuse groups with only its members
/// (and how many accounts outside share the password), and the baseline entries of its systems.
pub fn for_vendor(ev: &Evidence, vendor: &str) -> Result<Evidence, UnknownVendor> {
    let Some(ck) = ev
        .vendor_checklists
        .iter()
        .find(|c| c.vendor.as_deref() == Some(vendor))
    else {
        return Err(UnknownVendor { known: vendors(ev) });
    };
    let keep: BTreeSet<&str> = ck.systems.iter().map(String::as_str).collect();
    let mut out = ev.clone();
    out.scope = Some(Scope {
        vendor: vendor.to_string(),
    });
    out.items = ck.items.clone();
    out.checklists = vec![ck.clone()];
    out.vendor_checklists = vec![ck.clone()];
    out.systems.retain(|s| keep.contains(s.id.as_str()));
    out.accounts.retain(|a| keep.contains(&*a.system));
    out.policies.retain(|p| keep.contains(p.system.as_str()));
    out.advisories.retain(|a| keep.contains(a.system.as_str()));
    out.reuse_groups = ev
        .reuse_groups
        .iter()
        .filter_map(|g| cut_group(g, &keep))
        .collect();
    // A group with none of the bundle's members left is gone: its id on an account would dangle.
    let groups: BTreeSet<&str> = out.reuse_groups.iter().map(|g| g.id.as_str()).collect();
    for a in &mut out.accounts {
        if a.reuse_group
            .as_deref()
            .is_some_and(|g| !groups.contains(g))
        {
            a.reuse_group = None;
        }
    }
    // Inputs and where they were read from are index-aligned; `kensa verify` re-reads those kept.
    let kept: Vec<bool> = ev
        .inputs
        .iter()
        .map(|i| i.systems.iter().any(|s| keep.contains(s.as_str())))
        .collect();
    let all_inputs: BTreeSet<&str> = ev.inputs.iter().map(|i| i.path.as_str()).collect();
    out.inputs = zip_keep(&ev.inputs, &kept);
    if ev.input_paths.len() == ev.inputs.len() {
        out.input_paths = zip_keep(&ev.input_paths, &kept);
    }
    let kept_inputs: BTreeSet<&str> = out.inputs.iter().map(|i| i.path.as_str()).collect();
    // Errors of inputs cut away go with them; errors of no input (breach lookups, the manifest)
    // stay: they say how far the audit itself got.
    out.input_errors.retain(|e| {
        let file = super::source_key(&e.source).0;
        kept_inputs.contains(file) || !all_inputs.contains(file)
    });
    if let Some(c) = out.completeness.as_mut() {
        c.inputs
            .files
            .retain(|f| kept_inputs.contains(f.as_str()) || !all_inputs.contains(f.as_str()));
    }
    out.recovery.recovered = super::assemble::recovered_counts(&out.accounts);
    if let Some(b) = out.baseline.as_mut() {
        for list in [&mut b.new, &mut b.unchanged, &mut b.resolved] {
            *list = list.iter().filter_map(|e| cut_entry(e, &keep)).collect();
        }
        b.recount();
    }
    Ok(out)
}

/// Masks every account name in the evidence (accounts, reuse members and links, advisories,
/// baseline entries) and records it, so every report written from it shows only masked names.
pub fn mask_accounts(ev: &mut Evidence) {
    for a in &mut ev.accounts {
        a.account = mask(&a.account);
    }
    for g in &mut ev.reuse_groups {
        for m in &mut g.members {
            m.account = mask(&m.account);
        }
        for l in &mut g.links {
            l.from.account = mask(&l.from.account);
            l.to.account = mask(&l.to.account);
        }
    }
    for a in &mut ev.advisories {
        if let Some(n) = a.account.as_mut() {
            *n = mask(n);
        }
    }
    if let Some(b) = ev.baseline.as_mut() {
        for e in b
            .new
            .iter_mut()
            .chain(&mut b.unchanged)
            .chain(&mut b.resolved)
        {
            if let Some(n) = e.account.as_mut() {
                *n = mask(n);
            }
            for m in &mut e.members {
                m.account = mask(&m.account);
            }
        }
    }
    ev.masked_accounts = true;
}

/// An account name masked: the first two characters, `***`, the last (`yamada` → `ya***a`);
/// a name of three characters or fewer keeps only its first (`sa` → `s***`). A `DOMAIN\user` or
/// `user@realm` name is masked as a whole: the domain may name the person too.
pub fn mask(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1..=3 => format!("{}***", chars[0]),
        n => format!("{}{}***{}", chars[0], chars[1], chars[n - 1]),
    }
}

fn zip_keep<T: Clone>(items: &[T], keep: &[bool]) -> Vec<T> {
    items
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(i, _)| i.clone())
        .collect()
}

/// A reuse group cut to the bundle's members, or `None` when none is left.
fn cut_group(g: &ReuseGroup, keep: &BTreeSet<&str>) -> Option<ReuseGroup> {
    let mut g = g.clone();
    let before = g.members.len();
    g.members.retain(|m| keep.contains(m.system.as_str()));
    if g.members.is_empty() {
        return None;
    }
    g.outside_members += before - g.members.len();
    g.links
        .retain(|l| keep.contains(l.from.system.as_str()) && keep.contains(l.to.system.as_str()));
    g.systems.retain(|s| keep.contains(s.as_str()));
    Some(g)
}

/// A baseline entry of the bundle's systems (a reuse entry with only its members), or `None`.
fn cut_entry(e: &BaselineEntry, keep: &BTreeSet<&str>) -> Option<BaselineEntry> {
    if e.kind == "reuse" {
        let members: Vec<MemberKey> = e
            .members
            .iter()
            .filter(|m| keep.contains(m.system.as_str()))
            .cloned()
            .collect();
        return (!members.is_empty()).then(|| BaselineEntry {
            members,
            ..e.clone()
        });
    }
    e.system
        .as_deref()
        .is_some_and(|s| keep.contains(s))
        .then(|| e.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn mask_keeps_two_and_one_characters_and_counts_characters_not_bytes() {
        assert_eq!(mask("yamada"), "ya***a");
        assert_eq!(mask("root"), "ro***t");
        assert_eq!(mask("sa"), "s***");
        assert_eq!(mask("abc"), "a***");
        assert_eq!(mask("x"), "x***");
        assert_eq!(mask(""), "");
        assert_eq!(mask("山田太郎"), "山田***郎");
        assert_eq!(mask("佐藤"), "佐***");
        assert_eq!(mask("😀ab"), "😀***");
        assert_eq!(mask(r"KORO\yamada"), "KO***a");
        // A short name never shows more than its first character.
        for n in ["ab", "abc", "あいう"] {
            let m = mask(n);
            assert!(!m.contains(&n[n.char_indices().nth(1).unwrap().0..]), "{m}");
        }
    }

    #[test]
    fn masking_reaches_every_account_name_and_is_recorded() {
        let mut ev = fixture::sample(true);
        let names: BTreeSet<String> = ev.accounts.iter().map(|a| a.account.clone()).collect();
        mask_accounts(&mut ev);
        assert!(ev.masked_accounts);
        let json = serde_json::to_string(&ev).unwrap();
        for n in names.iter().filter(|n| n.chars().count() > 1) {
            assert!(!json.contains(&format!("\"{n}\"")), "{n} left in {json}");
        }
        assert_eq!(ev.reuse_groups[0].members[0].account, "yo***a");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["masked_accounts"], true);
    }

    #[test]
    fn a_bundle_keeps_only_the_vendors_systems_and_counts_the_others_in_a_group() {
        let ev = fixture::sample(true);
        assert_eq!(vendors(&ev), ["MedNet Systems"]);
        let err = for_vendor(&ev, "NetCare").unwrap_err();
        assert_eq!(err.known, ["MedNet Systems"]);
        let b = for_vendor(&ev, "MedNet Systems").unwrap();
        assert_eq!(b.scope.as_ref().unwrap().vendor, "MedNet Systems");
        assert!(b.accounts.iter().all(|a| &*a.system == "rt01"));
        assert!(!b.accounts.is_empty());
        assert!(b.systems.iter().all(|s| s.id == "rt01"));
        assert!(b.policies.iter().all(|p| p.system == "rt01"));
        assert_eq!(b.items[0].remarks, ev.vendor_checklists[0].items[0].remarks);
        let g = &b.reuse_groups[0];
        assert_eq!(g.members.len(), 1);
        assert_eq!(g.outside_members, 1);
        assert!(g.links.is_empty());
        assert_eq!(g.systems, ["rt01"]);
        let json = serde_json::to_string(&b).unwrap();
        assert!(!json.contains("\"system\":\"ad01\""), "{json}");
        assert!(json.contains("\"scope\":{\"vendor\":\"MedNet Systems\"}"));
        assert!(json.contains("\"outside_members\":1"));
    }
}
