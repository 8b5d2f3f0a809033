//! The checklist answers (はい / いいえ / 判定不能) for items 2-⑦ and 2-⑧, over any subset of systems.

use super::edition::Edition;
use crate::model::evidence::{
    AccountEvidence, AccountStatus, Answer, Item, PolicyEvidence, ReuseGroup,
};
use crate::model::tags::PolicyStatus;
use crate::model::{Code, Severity};
use crate::words::{self, Lang};
use std::collections::BTreeSet;

/// Dates and language for the answers.
#[derive(Debug, Clone)]
pub struct AnswerContext<'a> {
    /// The edition in force: the items' labels.
    pub edition: &'a Edition,
    pub checked_on: &'a str,
    pub target_date: &'a str,
    pub lang: Lang,
}

/// Which systems have account inputs that could not be read in full (input errors): their
/// accounts may be more than those audited.
#[derive(Debug, Clone, Default)]
pub struct Unread {
    /// An input with errors that belongs to no one system (an inventory naming its own, a file
    /// whose format could not be told): every system may have lost accounts.
    pub any_system: bool,
    pub systems: BTreeSet<String>,
}

impl Unread {
    /// Could accounts of a system in `scope` be missing?
    fn touches(&self, scope: &BTreeSet<&str>) -> bool {
        self.any_system || self.systems.iter().any(|s| scope.contains(s.as_str()))
    }
}

/// Answer both items over the systems in `scope`.
///
/// With no in-scope account at all, rules.md says いいえ with 備考 「対象外」: so it is when every
/// input was read. When account inputs of the scope had errors (an empty export, a file of
/// malformed lines), nothing can be said: both items are 判定不能 (undetermined), unless a
/// policy fails 2-⑦, which is いいえ on its own.
pub fn answer_items(
    scope: &BTreeSet<&str>,
    accounts: &[AccountEvidence],
    policies: &[PolicyEvidence],
    groups: &[ReuseGroup],
    unread: &Unread,
    cx: &AnswerContext<'_>,
) -> Vec<Item> {
    let accounts: Vec<&AccountEvidence> = accounts
        .iter()
        .filter(|a| scope.contains(&*a.system))
        .collect();
    let policies: Vec<&PolicyEvidence> = policies
        .iter()
        .filter(|p| scope.contains(&*p.system))
        .collect();
    let groups: Vec<&ReuseGroup> = groups
        .iter()
        .filter(|g| g.members.iter().any(|m| scope.contains(&*m.system)))
        .collect();
    let unread = unread.touches(scope);
    vec![
        item7(&accounts, &policies, unread, cx),
        item8(&accounts, &groups, unread, cx),
    ]
}

/// The answer and remark for an item with no in-scope account (see [`answer_items`]).
fn nothing_in_scope(unread: bool, lang: Lang) -> (Answer, String) {
    let answer = if unread {
        Answer::Undetermined
    } else {
        Answer::No
    };
    (answer, words::remark_nothing_in_scope(lang, unread).into())
}

/// The set of `names`, which come in runs of equal ones (accounts are in system order).
fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut set = BTreeSet::new();
    let mut last = None;
    for n in names {
        if last != Some(n) {
            set.insert(n);
            last = Some(n);
        }
    }
    set
}

fn names(set: &BTreeSet<&str>) -> String {
    set.iter().copied().collect::<Vec<_>>().join(", ")
}

fn item7(
    accounts: &[&AccountEvidence],
    policies: &[&PolicyEvidence],
    unread: bool,
    cx: &AnswerContext<'_>,
) -> Item {
    let in_scope: Vec<_> = accounts
        .iter()
        .filter(|a| a.status != AccountStatus::Skipped)
        .collect();
    let count = |s| in_scope.iter().filter(|a| a.status == s).count();
    let (failing, unverified, passing) = (
        count(AccountStatus::Fail),
        count(AccountStatus::Unverified),
        count(AccountStatus::Pass),
    );
    let failing_policies: BTreeSet<&str> = policies
        .iter()
        .filter(|p| p.status == PolicyStatus::Fail)
        .map(|p| &*p.system)
        .collect();
    let failing_systems = distinct(
        in_scope
            .iter()
            .filter(|a| a.status == AccountStatus::Fail)
            .map(|a| &*a.system),
    );
    let unverified_systems = distinct(
        in_scope
            .iter()
            .filter(|a| a.status == AccountStatus::Unverified)
            .map(|a| &*a.system),
    );
    let lang = cx.lang;
    let (answer, remarks) = if in_scope.is_empty() && failing_policies.is_empty() {
        nothing_in_scope(unread, lang)
    } else if failing > 0 || !failing_policies.is_empty() {
        let mut parts = Vec::new();
        if failing > 0 {
            parts.push(words::remark_failing_accounts(
                lang,
                failing,
                &names(&failing_systems),
            ));
        }
        if !failing_policies.is_empty() {
            parts.push(words::remark_failing_policies(
                lang,
                &names(&failing_policies),
            ));
        }
        if unverified > 0 {
            parts.push(words::remark_unverified(
                lang,
                unverified,
                &names(&unverified_systems),
            ));
        }
        (Answer::No, parts.join(words::remark_sep(lang)))
    } else if unverified > 0 || passing == 0 {
        (
            Answer::Undetermined,
            words::remark_undetermined(lang, unverified, &names(&unverified_systems)),
        )
    } else {
        (Answer::Yes, words::remark_all_pass(lang, passing))
    };
    Item {
        item: "2-7".into(),
        label: cx.edition.items.seven.label.ja.clone(),
        answer,
        checked_on: cx.checked_on.into(),
        target_date: (answer != Answer::Yes).then(|| cx.target_date.to_string()),
        remarks,
        failing: Some(failing),
        unverified: Some(unverified),
        passing: Some(passing),
        groups: None,
    }
}

fn item8(
    accounts: &[&AccountEvidence],
    groups: &[&ReuseGroup],
    unread: bool,
    cx: &AnswerContext<'_>,
) -> Item {
    let in_scope: Vec<_> = accounts
        .iter()
        .filter(|a| a.status != AccountStatus::Skipped)
        .collect();
    let failing_groups: Vec<&&ReuseGroup> = groups
        .iter()
        .filter(|g| g.severity == Severity::Fail)
        .collect();
    let defaults: Vec<_> = in_scope
        .iter()
        .filter(|a| {
            a.findings
                .iter()
                .any(|f| f.code == Code::DefaultPassword && f.severity == Severity::Fail)
        })
        .collect();
    let unknown = in_scope.iter().filter(|a| !a.plaintext_known).count();
    let lang = cx.lang;
    let (answer, remarks) = if in_scope.is_empty() {
        nothing_in_scope(unread, lang)
    } else if !failing_groups.is_empty() || !defaults.is_empty() {
        let mut parts = Vec::new();
        if !failing_groups.is_empty() {
            let ids: Vec<&str> = failing_groups.iter().map(|g| g.id.as_str()).collect();
            let systems: BTreeSet<&str> = failing_groups
                .iter()
                .flat_map(|g| g.members.iter().map(|m| &*m.system))
                .collect();
            parts.push(words::remark_reuse_groups(
                lang,
                ids.len(),
                &ids.join(", "),
                &names(&systems),
            ));
        }
        if !defaults.is_empty() {
            let systems = distinct(defaults.iter().map(|a| &*a.system));
            parts.push(words::remark_defaults(
                lang,
                defaults.len(),
                &names(&systems),
            ));
        }
        (Answer::No, parts.join(words::remark_sep(lang)))
    } else {
        let mut r = words::remark_no_reuse(lang, in_scope.len());
        if unknown > 0 {
            r.push_str(&words::remark_compared_by_hash(lang, unknown));
        }
        if groups.iter().any(|g| g.severity != Severity::Fail) {
            r.push_str(words::remark_within_system_warned(lang));
        }
        (Answer::Yes, r)
    };
    Item {
        item: "2-8".into(),
        label: cx.edition.items.eight.label.ja.clone(),
        answer,
        checked_on: cx.checked_on.into(),
        target_date: (answer != Answer::Yes).then(|| cx.target_date.to_string()),
        remarks,
        failing: None,
        unverified: None,
        passing: None,
        groups: Some(failing_groups.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> AnswerContext<'static> {
        AnswerContext {
            edition: Edition::builtin("R7").unwrap(),
            checked_on: "2026-11-30",
            target_date: "2027-03-31",
            lang: Lang::Ja,
        }
    }

    #[test]
    fn no_account_is_not_applicable_when_read_and_undetermined_when_not() {
        let scope: BTreeSet<&str> = ["web"].into();
        let read = Unread::default();
        let items = answer_items(&scope, &[], &[], &[], &read, &cx());
        for i in &items {
            assert_eq!(
                (i.answer, i.remarks.as_str()),
                (Answer::No, "対象外（監査対象のアカウントなし）")
            );
        }
        for unread in [
            Unread {
                any_system: true,
                ..Unread::default()
            },
            Unread {
                any_system: false,
                systems: ["web".to_string()].into(),
            },
        ] {
            let items = answer_items(&scope, &[], &[], &[], &unread, &cx());
            for i in &items {
                assert_eq!(i.answer, Answer::Undetermined, "{}", i.item);
                assert!(i.remarks.starts_with("判定不能"), "{}", i.remarks);
                assert_eq!(i.target_date.as_deref(), Some("2027-03-31"));
            }
        }
        // Another system's unread input says nothing of this scope.
        let other = Unread {
            any_system: false,
            systems: ["ad01".to_string()].into(),
        };
        let items = answer_items(&scope, &[], &[], &[], &other, &cx());
        assert!(items.iter().all(|i| i.answer == Answer::No));
    }
}
