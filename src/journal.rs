//! The ledger as a plain-text accounting journal (hledger/ledger or
//! Beancount), one transaction per transfer, points as the commodity `PT`,
//! and at the end a balance assertion for every account carrying the app's
//! own maintained balance — so the accounting tool itself confirms them.

use crate::domain::time::{self, Stamp};
use crate::store::{Store, StoreResult};
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// hledger and ledger-cli
    Ledger,
    Beancount,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "ledger" | "hledger" => Some(Format::Ledger),
            "beancount" => Some(Format::Beancount),
            _ => None,
        }
    }
}

/// The journal's name for an account code (`pool`, `m:JS01-0001`, `x:…`).
pub fn account_name(code: &str, f: Format) -> String {
    let (root, rest) = match code.split_once(':') {
        Some(("m", n)) => ("members", n.to_string()),
        Some(("x", n)) => ("merchants", n.to_string()),
        _ => ("station", "pool".to_string()),
    };
    match f {
        Format::Ledger => format!("{root}:{rest}"),
        Format::Beancount => {
            let top = match root {
                "members" => "Liabilities:Members",
                "merchants" => "Liabilities:Merchants",
                _ => "Equity:Station",
            };
            // Beancount components start with a capital letter or a digit
            if root == "station" {
                return "Equity:Station:Pool".to_string();
            }
            let mut comp: String = rest
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            if !comp.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                comp = format!("X{}", comp.to_ascii_uppercase());
            }
            format!("{top}:{comp}")
        }
    }
}

fn escape(s: &str) -> String {
    s.replace(['"', '\n', '\r', ';'], " ")
}

const WRITE_SELECT_TRANSFERS: &str = "SELECT t.id, t.kind, t.amount, d.code, c.code, t.at, coalesce(t.memo, ''), coalesce(t.reverses, ''), t.seq
         FROM transfers t JOIN accounts d ON d.id = t.debit_account JOIN accounts c ON c.id = t.credit_account
         ORDER BY t.seq";

/// Write the whole ledger to `out`; returns the number of transactions.
pub fn write(store: &Store, f: Format, out: &mut impl Write) -> StoreResult<u64> {
    // Long because: header, transactions and balances written in the one pass over the ledger that both formats share.
    let tz = store.tz();
    let io = |e: std::io::Error| crate::store::StoreError::Other(e.to_string());
    let station = store
        .station()
        .map(|s| format!("{} {}", s.code(), s.name))
        .unwrap_or_default();
    writeln!(out, "; shiguang points ledger — {station}").map_err(io)?;
    writeln!(
        out,
        "; one transaction per transfer; the last lines assert every account's balance"
    )
    .map_err(io)?;
    let mut opened: BTreeMap<String, Stamp> = BTreeMap::new();
    let mut stmt = store.conn().prepare(WRITE_SELECT_TRANSFERS)?;
    let mut rows = stmt.query([])?;
    let mut body: Vec<u8> = Vec::new();
    let mut n = 0u64;
    let mut last = 0;
    while let Some(r) = rows.next()? {
        let (id, kind, amount, debit, credit, at): (String, String, i64, String, String, Stamp) = (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        );
        let memo: String = r.get(6)?;
        let reverses: String = r.get(7)?;
        let date = time::fmt_local(at, tz, "%Y-%m-%d");
        let (d, c) = (account_name(&debit, f), account_name(&credit, f));
        for a in [&d, &c] {
            opened.entry(a.clone()).or_insert(at);
        }
        let note = if reverses.is_empty() {
            escape(&memo)
        } else {
            format!("reverses {reverses} {}", escape(&memo))
        };
        match f {
            Format::Ledger => {
                writeln!(body, "{date} * {kind} ({id}) ; {note}").map_err(io)?;
                writeln!(body, "    {c}    {amount} PT").map_err(io)?;
                writeln!(body, "    {d}    -{amount} PT\n").map_err(io)?;
            }
            Format::Beancount => {
                writeln!(body, "{date} * \"{kind}\" \"{id} {note}\"").map_err(io)?;
                writeln!(body, "  {c}  {amount} PT").map_err(io)?;
                writeln!(body, "  {d}  -{amount} PT\n").map_err(io)?;
            }
        }
        last = last.max(at);
        n += 1;
    }
    let mut balances: Vec<(String, i64)> = Vec::new();
    {
        let mut stmt = store
            .conn()
            .prepare("SELECT code, balance FROM accounts ORDER BY id")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (code, balance) = row?;
            let name = account_name(&code, f);
            if opened.contains_key(&name) {
                balances.push((name, balance));
            }
        }
    }
    if f == Format::Beancount {
        writeln!(out, "option \"operating_currency\" \"PT\"\n").map_err(io)?;
        writeln!(out, "1970-01-01 commodity PT").map_err(io)?;
        for (a, at) in &opened {
            writeln!(out, "{} open {a} PT", time::fmt_local(*at, tz, "%Y-%m-%d")).map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    out.write_all(&body).map_err(io)?;
    // after the last transaction: every account's balance as the app keeps it
    let after = time::fmt_local(last + time::DAY_MS, tz, "%Y-%m-%d");
    match f {
        Format::Ledger => {
            writeln!(
                out,
                "{after} * balance assertions (the app's maintained balances)"
            )
            .map_err(io)?;
            for (a, b) in &balances {
                writeln!(out, "    {a}    0 PT = {b} PT").map_err(io)?;
            }
        }
        Format::Beancount => {
            for (a, b) in &balances {
                writeln!(out, "{after} balance {a}  {b} PT").map_err(io)?;
            }
        }
    }
    Ok(n)
}

/// Sum a journal written by [`write`] per account (for checking without
/// an accounting tool): account → balance, and the asserted balances.
pub fn reparse(text: &str) -> (BTreeMap<String, i64>, BTreeMap<String, i64>) {
    let mut sums = BTreeMap::new();
    let mut asserted = BTreeMap::new();
    for line in text.lines() {
        let t = line.trim();
        let parts: Vec<&str> = t.split_whitespace().collect();
        // "account  amount PT" or "account  0 PT = balance PT" or "date balance account amount PT"
        if line.starts_with(' ') && parts.len() >= 3 && parts[2] == "PT" {
            let amount: i64 = parts[1].parse().unwrap_or(0);
            *sums.entry(parts[0].to_string()).or_insert(0) += amount;
            if parts.len() >= 6 && parts[3] == "=" {
                asserted.insert(parts[0].to_string(), parts[4].parse().unwrap_or(0));
            }
        } else if parts.len() == 5 && parts[1] == "balance" {
            asserted.insert(parts[2].to_string(), parts[3].parse().unwrap_or(0));
        }
    }
    (sums, asserted)
}
