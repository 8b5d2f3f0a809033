//! The words of a report that scales and prints: the table of contents, the signature block,
//! the counts that stand in for long account tables and the lines that say what was left out.

use super::Lang;

/// Fixed labels of the printable report.
pub struct PrintLabels {
    /// The heading of the table of contents.
    pub toc: &'static str,
    /// The heading of the signature block.
    pub sign_title: &'static str,
    /// What the signature block is for.
    pub sign_note: &'static str,
    /// The blank lines to fill in by hand: reviewer, date, department.
    pub sign_reviewer: &'static str,
    pub sign_date: &'static str,
    pub sign_department: &'static str,
    /// The first column of the per-system counts.
    pub col_system: &'static str,
    /// The column of all accounts of a system in the counts.
    pub col_total: &'static str,
    /// The summary line of a collapsed table on screen.
    pub show_rows: &'static str,
}

const JA: PrintLabels = PrintLabels {
    toc: "目次",
    sign_title: "確認欄",
    sign_note: "この結果を確認した担当者が記入してください。",
    sign_reviewer: "確認者",
    sign_date: "確認日",
    sign_department: "所属",
    col_system: "システム",
    col_total: "計",
    show_rows: "一覧を表示",
};

const EN: PrintLabels = PrintLabels {
    toc: "Contents",
    sign_title: "Review",
    sign_note: "To be filled in by the person who reviewed these results.",
    sign_reviewer: "Reviewed by",
    sign_date: "Date",
    sign_department: "Department",
    col_system: "System",
    col_total: "Total",
    show_rows: "Show the list",
};

/// The print labels of `lang`.
pub fn print_labels(lang: Lang) -> &'static PrintLabels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// Above the counts that replace a long table of `n` accounts.
pub fn accounts_counted(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("該当 {n} 件。システム別の件数："),
        Lang::En => format!("{n} accounts. Counts per system:"),
    }
}

/// Above the counts of failing accounts per system and finding (an account with several
/// findings is counted under each).
pub fn failing_counted(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!(
            "不合格 {n} 件。システム別・指摘別の件数（複数の指摘があるアカウントはそれぞれに数える）："
        ),
        Lang::En => format!(
            "{n} failing accounts. Counts per system and finding (an account with several findings counts under each):"
        ),
    }
}

/// Above the first `shown` rows of a long table, ordered by system and account.
pub fn first_rows(lang: Lang, shown: usize) -> String {
    match lang {
        Lang::Ja => format!("先頭 {shown} 件（システム・アカウント順）"),
        Lang::En => format!("The first {shown} (by system and account)"),
    }
}

/// After a table cut short: how many rows were left out and where every row is.
pub fn rows_left_out(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!(
            "ほか {n} 件は evidence.xlsx / evidence.csv を参照（全件は evidence.json にも記録）"
        ),
        Lang::En => format!(
            "{n} more: see evidence.xlsx / evidence.csv (every one is also in evidence.json)"
        ),
    }
}

/// After the counts that replace a table of `n` accounts: where they are listed.
pub fn accounts_listed_elsewhere(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!(
            "{n} 件の一覧は evidence.xlsx / evidence.csv を参照（全件は evidence.json にも記録）"
        ),
        Lang::En => format!(
            "The {n} accounts are listed in evidence.xlsx / evidence.csv (and in evidence.json)"
        ),
    }
}

/// After the per-account advisories counted per system and code: where each one is.
pub fn advisories_listed_elsewhere(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("アカウントごとの参考指摘 {n} 件の一覧は evidence.json を参照"),
        Lang::En => format!("The {n} per-account advisories are listed in evidence.json"),
    }
}

/// The last line of a cell cut short: how many lines were left out.
pub fn lines_left_out(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("…ほか {n} 件"),
        Lang::En => format!("… {n} more"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_in_the_words() {
        assert_eq!(
            rows_left_out(Lang::Ja, 1950),
            "ほか 1950 件は evidence.xlsx / evidence.csv を参照（全件は evidence.json にも記録）"
        );
        assert!(rows_left_out(Lang::En, 7).starts_with("7 more: see evidence.xlsx"));
        assert_eq!(lines_left_out(Lang::Ja, 3), "…ほか 3 件");
        for lang in [Lang::Ja, Lang::En] {
            let t = print_labels(lang);
            assert!(!t.toc.is_empty() && !t.sign_reviewer.is_empty());
        }
    }
}
