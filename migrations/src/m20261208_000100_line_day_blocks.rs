//! `line_days` also keeps one row per line and block of days (the stretches of a month from its
//! 1st, 8th, 15th, 22nd and 29th day; `domain::day_blocks`), told apart by a `span` column (1 for
//! a day, 7 for a block) in the primary key. Every line's comparison of two 28-day periods then
//! reads about ten rows per line and period instead of 28.
//!
//! The block rows are summed here from the day rows already stored; from then on the report
//! writer and the scan counter add to both in their transactions, and `rollups rebuild` / `check`
//! recompute and compare both.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COUNTS: &str = "reports, defects, usability, praise, other, rating_1, rating_2, rating_3, rating_4, \
                      rating_5, nps_promoters, nps_passives, nps_detractors, human, bot";

fn sums() -> String {
    COUNTS.split(", ").map(|c| format!("SUM({c})")).collect::<Vec<_>>().join(", ")
}

/// The block rows, from the day rows; `block` is the backend's expression for a day's block start.
fn fill_blocks(block: &str) -> String {
    format!(
        "INSERT INTO line_days (product_line_id, span, day, {COUNTS})
         SELECT product_line_id, 7, {block}, {} FROM line_days WHERE span = 1
         GROUP BY product_line_id, {block}",
        sums()
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("ALTER TABLE line_days ADD COLUMN span smallint NOT NULL DEFAULT 1").await?;
                db.execute_unprepared("ALTER TABLE line_days ALTER COLUMN span DROP DEFAULT").await?;
                db.execute_unprepared("ALTER TABLE line_days DROP CONSTRAINT pk_line_days").await?;
                db.execute_unprepared(&format!(
                    "ALTER TABLE line_days ADD CONSTRAINT pk_line_days PRIMARY KEY (product_line_id, span, day) \
                     INCLUDE ({COUNTS})"
                ))
                .await?;
                db.execute_unprepared(&fill_blocks(
                    "(date_trunc('month', day::timestamp)::date + (extract(day FROM day)::int - 1) / 7 * 7)",
                ))
                .await?;
                db.execute_unprepared("ANALYZE line_days").await?;
            }
            _ => {
                // SQLite cannot change a primary key in place: a new table in the new key order
                // (WITHOUT ROWID, as before), the day rows copied over, then the blocks. One call,
                // so every statement runs on the same pooled connection (another connection's
                // cached schema would still see the old table when the new one is renamed).
                let columns: String = COUNTS.split(", ").map(|c| format!("{c} bigint NOT NULL DEFAULT 0,\n")).collect();
                db.execute_unprepared(&format!(
                    "CREATE TABLE line_days_by_span (
                        product_line_id uuid_text NOT NULL,
                        span smallint NOT NULL,
                        day date NOT NULL,
                        {columns}
                        PRIMARY KEY (product_line_id, span, day),
                        CONSTRAINT fk_line_days_line FOREIGN KEY (product_line_id)
                            REFERENCES product_lines (id) ON DELETE RESTRICT
                    ) WITHOUT ROWID;
                    INSERT INTO line_days_by_span (product_line_id, span, day, {COUNTS})
                        SELECT product_line_id, 1, day, {COUNTS} FROM line_days;
                    DROP TABLE line_days;
                    ALTER TABLE line_days_by_span RENAME TO line_days;
                    {};",
                    fill_blocks(
                        "date(day, 'start of month', '+' || ((CAST(strftime('%d', day) AS INTEGER) - 1) / 7 * 7) || ' days')"
                    )
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DELETE FROM line_days WHERE span <> 1").await?;
                db.execute_unprepared("ALTER TABLE line_days DROP CONSTRAINT pk_line_days").await?;
                db.execute_unprepared(&format!(
                    "ALTER TABLE line_days ADD CONSTRAINT pk_line_days PRIMARY KEY (product_line_id, day) \
                     INCLUDE ({COUNTS})"
                ))
                .await?;
                db.execute_unprepared("ALTER TABLE line_days DROP COLUMN span").await?;
            }
            _ => {
                let columns: String = COUNTS.split(", ").map(|c| format!("{c} bigint NOT NULL DEFAULT 0,\n")).collect();
                db.execute_unprepared(&format!(
                    "CREATE TABLE line_days_by_day (
                        product_line_id uuid_text NOT NULL,
                        day date NOT NULL,
                        {columns}
                        PRIMARY KEY (product_line_id, day),
                        CONSTRAINT fk_line_days_line FOREIGN KEY (product_line_id)
                            REFERENCES product_lines (id) ON DELETE RESTRICT
                    ) WITHOUT ROWID;
                    INSERT INTO line_days_by_day (product_line_id, day, {COUNTS})
                        SELECT product_line_id, day, {COUNTS} FROM line_days WHERE span = 1;
                    DROP TABLE line_days;
                    ALTER TABLE line_days_by_day RENAME TO line_days;"
                ))
                .await?;
            }
        }
        Ok(())
    }
}
