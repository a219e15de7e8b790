//! The service catalog: basic and special service types (data, not code).

use super::{Store, StoreResult, audit};
use crate::domain::level::Tier;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::params;
use serde_json::json;

mod sql;
use sql::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceType {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub tier: Tier,
    pub active: bool,
}

impl Store {
    pub fn service_types(&self) -> StoreResult<Vec<ServiceType>> {
        let mut stmt = self.conn.prepare(SERVICE_TYPES_SELECT_SERVICE_TYPES)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ServiceType {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    name_zh: r.get(2)?,
                    name_en: r.get(3)?,
                    tier: Tier::parse(&r.get::<_, String>(4)?).unwrap_or(Tier::Basic),
                    active: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A new service type (station master only). Names in both languages.
    pub fn add_service_type(
        &mut self,
        by: &Session,
        name_zh: &str,
        name_en: &str,
        tier: Tier,
        at: Stamp,
    ) -> StoreResult<ServiceType> {
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        let zh = name_zh.trim();
        let en = name_en.trim();
        if zh.is_empty() || zh.chars().count() > 12 || crate::text::has_unprintable(zh) {
            return Err(Refusal::at("name_zh", msg!("catalog.name.invalid")).into());
        }
        if en.is_empty() || en.chars().count() > 30 || crate::text::has_unprintable(en) {
            return Err(Refusal::at("name_en", msg!("catalog.name.invalid")).into());
        }
        self.write(|tx| {
            let dup: i64 = tx.query_row(
                ADD_SERVICE_TYPE_SELECT_SERVICE_TYPES,
                params![zh, en],
                |r| r.get(0),
            )?;
            if dup > 0 {
                return Err(Refusal::at("name_zh", msg!("catalog.name.duplicate")).into());
            }
            let next: i64 =
                tx.query_row(ADD_SERVICE_TYPE_SELECT_SERVICE_TYPES_2, [], |r| r.get(0))?;
            let code = format!("custom_{next}");
            tx.execute(
                ADD_SERVICE_TYPE_INSERT_SERVICE_TYPES,
                params![code, zh, en, tier.as_str(), at],
            )?;
            let id = tx.last_insert_rowid();
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "catalog.add",
                "service_type",
                &code,
                json!({"name_zh": zh, "name_en": en, "tier": tier.as_str()}),
            )?;
            Ok(ServiceType {
                id,
                code,
                name_zh: zh.to_string(),
                name_en: en.to_string(),
                tier,
                active: true,
            })
        })
    }
}
