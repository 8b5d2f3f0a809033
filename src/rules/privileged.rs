//! Which accounts are privileged: the built-in Windows administrator (RID 500, whatever it was
//! renamed to), the administrator names devices, servers and applications ship with, and the
//! accounts a manifest names for its system (`privileged_accounts`). The remediation worklist
//! lists them first: one weak administrator password opens every other account.

/// The relative identifier of the built-in Windows Administrator account.
pub const ADMINISTRATOR_RID: u32 = 500;

/// Administrator names as they ship (Windows, Unix, network devices, databases, applications),
/// compared case-insensitively. Names that are only default (guest, user, support) are not here:
/// default is not privileged.
pub const BUILTIN_NAMES: &[&str] = &[
    "administrator",
    "admin",
    "root",
    "toor",
    "enable",
    "manager",
    "supervisor",
    "superuser",
    "sysadmin",
    "sysadm",
    "sa",
    "system",
    "postgres",
    "admin1",
    "webadmin",
    "netadmin",
];

/// Is the account privileged? `rid` is the Windows RID when the input carries one, `account`
/// the name as read (a `DOMAIN\` prefix is ignored), `listed` the system's `privileged_accounts`.
pub fn is_privileged(rid: Option<u32>, account: &str, listed: &[String]) -> bool {
    if rid == Some(ADMINISTRATOR_RID) {
        return true;
    }
    let name = bare(account);
    BUILTIN_NAMES.iter().any(|n| name.eq_ignore_ascii_case(n))
        || listed.iter().any(|l| bare(l).eq_ignore_ascii_case(name))
}

/// The user part of `DOMAIN\user`, trimmed.
fn bare(account: &str) -> &str {
    account.rsplit('\\').next().unwrap_or(account).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rid_500_is_privileged_whatever_its_name() {
        assert!(is_privileged(Some(500), "renamed-admin", &[]));
        assert!(is_privileged(Some(500), "KORO\\kanri", &[]));
        assert!(!is_privileged(Some(1104), "sato", &[]));
        // RID 501 is Guest: not privileged.
        assert!(!is_privileged(Some(501), "Guest", &[]));
    }

    #[test]
    fn builtin_names_match_ignoring_case_and_domain() {
        for name in [
            "Administrator",
            "ADMINISTRATOR",
            "root",
            "admin",
            "Admin",
            "enable",
            "manager",
            "supervisor",
            "KORO\\Administrator",
            "WORKGROUP\\root",
        ] {
            assert!(is_privileged(None, name, &[]), "{name}");
        }
        for name in [
            "sato",
            "guest",
            "user",
            "administrators2",
            "xadmin",
            "root2",
            "",
        ] {
            assert!(!is_privileged(None, name, &[]), "{name}");
        }
    }

    #[test]
    fn the_manifest_list_adds_names_of_its_own() {
        let listed = vec!["svc-backup".to_string(), "KORO\\dbowner".to_string()];
        assert!(is_privileged(None, "svc-backup", &listed));
        assert!(is_privileged(None, "SVC-BACKUP", &listed));
        assert!(is_privileged(None, "KORO\\svc-backup", &listed));
        assert!(is_privileged(None, "dbowner", &listed));
        assert!(!is_privileged(None, "svc-print", &listed));
        assert!(!is_privileged(None, "svc-backup", &[]));
    }
}
