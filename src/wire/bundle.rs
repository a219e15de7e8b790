//! The day bundle for headquarters: one file per closed day with every row
//! created or changed that day, the ends of the hash chains, and the day's
//! figures — so that headquarters can recompute the figures from the rows,
//! exactly, and check the chains.
//!
//! Format: JSON lines, UTF-8, version 1. The first line is the header
//! (`{"format":"shiguang-day-bundle","version":1,…}`); each following line is
//! `{"t":<kind>,"r":<row>}` with kinds `member`, `request`, `record`,
//! `transfer`, `dispute`, `audit`, `link`, then one `summary` line; the last line is
//! `{"t":"end","r":{"lines":N,"hash":H,"key":K,"sig":S}}` where H is the
//! blake3 of every earlier line (each followed by `\n`), K the station's
//! public key and S its Ed25519 signature of H (see
//! [`crate::domain::signing`]): H alone shows a cut file, S shows who wrote
//! it. Whether K is the right station's key is for the reader to decide
//! (the station knows its own; headquarters registered it). Members carry
//! opaque ids only: no names, phones or identity numbers.
//!
//! The two hash chains (ledger, audit) are checked as one unbroken run from
//! the day's first row to the head at the close. Rows of the run that are
//! not the day's own (written out of time order, or another day's) appear
//! as `link` lines: their sequence number and hashes, no content. So a row
//! taken out anywhere in the run breaks it, and headquarters can join one
//! day's run to the next.

use crate::domain::audit::AuditRow;
use crate::domain::day::{DayFigures, DayRows, figures};
use crate::domain::ledger::TransferRow;
use crate::domain::signing::{self, StationSigner};
use crate::domain::time::Stamp;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "shiguang-day-bundle";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub station_uid: String,
    pub station_code: String,
    pub station_kind: String,
    pub tz: String,
    pub day: String,
    pub start: Stamp,
    pub end: Stamp,
    pub respond_minutes: u32,
    pub urgent_respond_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub uid: String,
    pub number: Option<String>,
    pub status: String,
    pub level: String,
    pub community: String,
    pub submitted_at: Stamp,
    pub decided_at: Option<Stamp>,
    pub blacklisted_at: Option<Stamp>,
    pub updated_at: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub uid: String,
    pub requester: String,
    pub type_code: String,
    pub urgent: bool,
    pub state: String,
    pub helper: Option<String>,
    pub created_at: Stamp,
    pub responded_at: Option<Stamp>,
    pub matched_at: Option<Stamp>,
    pub closed_at: Option<Stamp>,
    pub updated_at: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRow {
    pub uid: String,
    pub provider: String,
    pub recipient: String,
    pub type_code: String,
    pub started_at: Stamp,
    pub ended_at: Stamp,
    pub minutes: u32,
    pub points: i64,
    pub payer: String,
    pub confirm_method: String,
    pub rating: Option<u8>,
    pub entered_at: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainedTransfer {
    pub seq: i64,
    #[serde(flatten)]
    pub row: TransferRow,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeRow {
    pub uid: String,
    pub kind: String,
    pub category: Option<String>,
    pub party_a: Option<String>,
    pub party_b: Option<String>,
    /// A merchant case's other party: the merchant's code. Absent from
    /// bundles written before it was carried (read as none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_ref: Option<String>,
    pub opened_at: Stamp,
    pub decided_at: Option<Stamp>,
    pub outcome: Option<String>,
    pub told_at: Option<Stamp>,
    pub updated_at: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainedAudit {
    pub seq: i64,
    #[serde(flatten)]
    pub row: AuditRow,
    pub prev_hash: String,
    pub hash: String,
}

/// A chain position inside the day's run that is not one of the day's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// `ledger` or `audit`
    pub chain: String,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub version: u32,
    pub figures: DayFigures,
    /// Figures of the moment of closing that no row can give back (e.g.
    /// items overdue at the close): kept, not rechecked.
    pub snapshot: serde_json::Value,
    /// The heads of the two chains when the day was closed.
    pub ledger_seq: i64,
    pub ledger_head: String,
    pub audit_seq: i64,
    pub audit_head: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    pub header: Option<Header>,
    pub members: Vec<MemberRow>,
    pub requests: Vec<RequestRow>,
    pub records: Vec<RecordRow>,
    pub transfers: Vec<ChainedTransfer>,
    pub disputes: Vec<DisputeRow>,
    pub audit: Vec<ChainedAudit>,
    pub links: Vec<Link>,
    pub summary: Option<Summary>,
    /// The signer's public key, when the file was read and its signature
    /// holds; `None` for an unsigned file (and for a bundle being built).
    pub signed_by: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Line<T> {
    t: String,
    r: T,
}

fn line<T: Serialize>(t: &str, r: &T) -> String {
    serde_json::to_string(&Line {
        t: t.to_string(),
        r,
    })
    .unwrap_or_default()
}

/// The day's rows as the figures see them: the same function at the close
/// and at headquarters.
pub fn day_rows(b: &Bundle) -> DayRows {
    let (start, end) = b
        .header
        .as_ref()
        .map(|h| (h.start, h.end))
        .unwrap_or_default();
    let inside = |t: Stamp| t >= start && t < end;
    DayRows {
        start,
        end,
        records: b
            .records
            .iter()
            .filter(|r| inside(r.entered_at))
            .map(|r| (r.minutes, r.points))
            .collect(),
        transfers: b
            .transfers
            .iter()
            .filter(|t| inside(t.row.at))
            .map(|t| {
                (
                    t.row.kind.clone(),
                    t.row.amount,
                    t.row.debit == "pool",
                    t.row.debit.starts_with("m:"),
                )
            })
            .collect(),
        requests: b
            .requests
            .iter()
            .filter(|r| inside(r.created_at))
            .map(|r| {
                let answered = match (r.responded_at, r.matched_at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                (r.created_at, answered, r.urgent)
            })
            .collect(),
        disputes_opened: b
            .disputes
            .iter()
            .filter(|d| d.kind == "dispute" && inside(d.opened_at))
            .count() as u32,
        disputes_decided: b
            .disputes
            .iter()
            .filter(|d| d.decided_at.is_some_and(inside))
            .count() as u32,
        members_applied: b.members.iter().filter(|m| inside(m.submitted_at)).count() as u32,
        members_approved: b
            .members
            .iter()
            .filter(|m| m.number.is_some() && m.decided_at.is_some_and(inside))
            .count() as u32,
    }
}

/// The figures recomputed from the rows.
pub fn recompute(b: &Bundle) -> DayFigures {
    let (r, u) = b
        .header
        .as_ref()
        .map(|h| (h.respond_minutes, h.urgent_respond_minutes))
        .unwrap_or((60, 5));
    figures(&day_rows(b), r, u)
}

impl Bundle {
    /// The file's text, signed by the station: the form written to disk.
    pub fn to_signed_text(&self, signer: &StationSigner) -> String {
        self.text_with_end(Some(signer))
    }

    /// The file's text with an unsigned `end` line (tests, fuzzing): a
    /// reader accepts it as well-formed, but headquarters refuses it.
    pub fn to_text(&self) -> String {
        self.text_with_end(None)
    }

    fn text_with_end(&self, signer: Option<&StationSigner>) -> String {
        let mut lines = Vec::new();
        if let Some(h) = &self.header {
            lines.push(serde_json::to_string(h).unwrap_or_default());
        }
        lines.extend(self.members.iter().map(|r| line("member", r)));
        lines.extend(self.requests.iter().map(|r| line("request", r)));
        lines.extend(self.records.iter().map(|r| line("record", r)));
        lines.extend(self.transfers.iter().map(|r| line("transfer", r)));
        lines.extend(self.disputes.iter().map(|r| line("dispute", r)));
        lines.extend(self.audit.iter().map(|r| line("audit", r)));
        lines.extend(self.links.iter().map(|r| line("link", r)));
        if let Some(s) = &self.summary {
            lines.push(line("summary", s));
        }
        let mut text = String::new();
        for l in &lines {
            text.push_str(l);
            text.push('\n');
        }
        let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
        let end = match signer {
            Some(s) => serde_json::json!({
                "lines": lines.len(),
                "hash": hash,
                "key": s.public_hex(),
                "sig": s.sign_hex(&signing::bundle_message(&hash)),
            }),
            None => serde_json::json!({"lines": lines.len(), "hash": hash}),
        };
        text.push_str(&line("end", &end));
        text.push('\n');
        text
    }

    /// Read a bundle; the `end` line must match what precedes it.
    pub fn parse(text: &str) -> Result<Bundle, String> {
        let body_end = text
            .trim_end_matches('\n')
            .rfind('\n')
            .map(|i| i + 1)
            .ok_or("empty bundle")?;
        let (body, last) = text.split_at(body_end);
        let end: Line<serde_json::Value> =
            serde_json::from_str(last.trim()).map_err(|e| format!("last line: {e}"))?;
        if end.t != "end" {
            return Err("the bundle has no end line (cut short?)".into());
        }
        let hash = blake3::hash(body.as_bytes()).to_hex().to_string();
        if end.r["hash"].as_str() != Some(hash.as_str()) {
            return Err("the end line's hash does not match the bundle (changed or cut)".into());
        }
        let signed_by = match (end.r["key"].as_str(), end.r["sig"].as_str()) {
            (None, None) => None,
            (Some(key), Some(sig)) => {
                signing::verify(key, &signing::bundle_message(&hash), sig)
                    .map_err(|p| format!("the end line's signature: {p}"))?;
                Some(key.to_string())
            }
            _ => return Err("the end line is half signed (a key or a signature alone)".into()),
        };
        let mut lines = body.lines();
        let header: Header = serde_json::from_str(lines.next().ok_or("no header")?)
            .map_err(|e| format!("header: {e}"))?;
        if header.format != FORMAT {
            return Err(format!("not a day bundle: {}", header.format));
        }
        if header.version != VERSION {
            return Err(format!(
                "bundle version {} (this program reads {VERSION})",
                header.version
            ));
        }
        let mut b = Bundle {
            header: Some(header),
            signed_by,
            ..Bundle::default()
        };
        for (n, l) in lines.enumerate() {
            let v: Line<serde_json::Value> =
                serde_json::from_str(l).map_err(|e| format!("line {}: {e}", n + 2))?;
            let bad = |e: serde_json::Error| format!("line {}: {e}", n + 2);
            match v.t.as_str() {
                "member" => b.members.push(serde_json::from_value(v.r).map_err(bad)?),
                "request" => b.requests.push(serde_json::from_value(v.r).map_err(bad)?),
                "record" => b.records.push(serde_json::from_value(v.r).map_err(bad)?),
                "transfer" => b.transfers.push(serde_json::from_value(v.r).map_err(bad)?),
                "dispute" => b.disputes.push(serde_json::from_value(v.r).map_err(bad)?),
                "audit" => b.audit.push(serde_json::from_value(v.r).map_err(bad)?),
                "link" => b.links.push(serde_json::from_value(v.r).map_err(bad)?),
                "summary" => b.summary = Some(serde_json::from_value(v.r).map_err(bad)?),
                other => return Err(format!("line {}: unknown kind {other}", n + 2)),
            }
        }
        Ok(b)
    }

    /// Everything headquarters checks: the figures equal the rows', each
    /// chain link and hash holds, the chain ends where the summary says.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(s) = &self.summary else {
            return vec!["no summary line".into()];
        };
        let again = recompute(self);
        if again != s.figures {
            problems.push(format!(
                "figures differ: the summary says {:?}, the rows give {:?}",
                s.figures, again
            ));
        }
        for t in &self.transfers {
            if t.row.hash(&t.prev_hash) != t.hash {
                problems.push(format!(
                    "transfer seq {} ({}): hash does not match its contents",
                    t.seq, t.row.id
                ));
            }
        }
        for a in &self.audit {
            if a.row.hash(&a.prev_hash) != a.hash {
                problems.push(format!(
                    "audit seq {}: hash does not match its contents",
                    a.seq
                ));
            }
        }
        let ledger = self
            .transfers
            .iter()
            .map(|t| (t.seq, t.prev_hash.as_str(), t.hash.as_str()));
        run_problems(
            "ledger",
            ledger,
            &self.links,
            s.ledger_seq,
            &s.ledger_head,
            &mut problems,
        );
        let audit = self
            .audit
            .iter()
            .map(|a| (a.seq, a.prev_hash.as_str(), a.hash.as_str()));
        run_problems(
            "audit",
            audit,
            &self.links,
            s.audit_seq,
            &s.audit_head,
            &mut problems,
        );
        problems
    }
}

/// The run of one chain, from its first row in the bundle to the head at the
/// close: every position present once, each linked to the one before.
fn run_problems<'a>(
    chain: &str,
    rows: impl Iterator<Item = (i64, &'a str, &'a str)>,
    links: &'a [Link],
    head_seq: i64,
    head_hash: &str,
    problems: &mut Vec<String>,
) {
    let mut run: std::collections::BTreeMap<i64, (&str, &str)> = Default::default();
    let extra = links
        .iter()
        .filter(|l| l.chain == chain)
        .map(|l| (l.seq, l.prev_hash.as_str(), l.hash.as_str()));
    for (seq, prev, hash) in rows.chain(extra) {
        if run.insert(seq, (prev, hash)).is_some() {
            problems.push(format!("{chain} seq {seq}: appears twice"));
        }
    }
    if head_seq == 0 && run.is_empty() {
        return;
    }
    let Some(first) = run.keys().next().copied() else {
        problems.push(format!("{chain}: no rows up to the head seq {head_seq}"));
        return;
    };
    // walk the rows present, not every number up to the head: a bundle's
    // numbers are untrusted, and a gap can be as wide as an i64
    let missing = |from: i64, to: i64, problems: &mut Vec<String>| {
        problems.push(if from == to {
            format!("{chain} seq {from}: missing from the run")
        } else {
            format!("{chain} seq {from} to {to}: missing from the run")
        });
    };
    let mut before: Option<(i64, &str)> = None;
    for (&seq, &(prev, hash)) in run.range(first..=head_seq.max(first)) {
        if let Some((b, b_hash)) = before {
            if b + 1 < seq {
                missing(b + 1, seq - 1, problems);
            } else if b_hash != prev {
                problems.push(format!("{chain} seq {seq}: not linked to seq {b}"));
            }
        }
        before = Some((seq, hash));
    }
    if let Some((b, _)) = before.filter(|(b, _)| *b < head_seq) {
        missing(b + 1, head_seq, problems);
    }
    if let Some((last, _)) = run.iter().next_back().filter(|(s, _)| **s > head_seq) {
        problems.push(format!(
            "{chain} seq {last}: after the close (head {head_seq})"
        ));
    }
    if run.get(&head_seq).is_some_and(|(_, h)| *h != head_hash) {
        problems.push(format!(
            "{chain}: the head at seq {head_seq} is not the one the summary names"
        ));
    }
}

#[cfg(test)]
mod tests;
