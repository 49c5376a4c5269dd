//! One row per product line and month-aligned week (days 1–7, 8–14, 15–21, 22–28, 29–end of a
//! month; see `domain::line_weeks`): the sums of the line's `line_days` rows of that week. Every
//! line's comparison of two periods reads whole weeks here and only the days at a period's edges
//! from `line_days`, about a third of the rows.
//!
//! Filled here from `line_days`; from then on the report writer and the scan counter keep it in the
//! same statements' transaction as `line_days`, and `scanback rollups rebuild` / `check` recompute
//! and compare it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const MEASURES: &str = "reports, defects, usability, praise, other, rating_1, rating_2, rating_3, rating_4, \
                        rating_5, nps_promoters, nps_passives, nps_detractors, human, bot";

fn columns(id: &str, day: &str) -> String {
    let measures: String = MEASURES.split(", ").map(|m| format!("{m} bigint NOT NULL DEFAULT 0,\n")).collect();
    format!(
        "product_line_id {id} NOT NULL,
         week {day} NOT NULL,
         {measures}"
    )
}

fn fill(week_of_day: &str) -> String {
    let sums: String = MEASURES.split(", ").map(|m| format!("SUM({m})")).collect::<Vec<_>>().join(", ");
    format!(
        "INSERT INTO line_weeks (product_line_id, week, {MEASURES})
         SELECT product_line_id, {week_of_day} AS week, {sums} FROM line_days
         GROUP BY product_line_id, {week_of_day}"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE TABLE line_weeks (
                        {}
                        CONSTRAINT pk_line_weeks PRIMARY KEY (product_line_id, week) INCLUDE ({MEASURES}),
                        CONSTRAINT fk_line_weeks_line FOREIGN KEY (product_line_id)
                            REFERENCES product_lines (id) ON DELETE RESTRICT
                    )",
                    columns("uuid", "date")
                ))
                .await?;
                // The 1st, 8th, 15th, 22nd or 29th of the day's month.
                db.execute_unprepared(&fill(
                    "(date_trunc('month', day)::date + LEAST((EXTRACT(DAY FROM day)::int - 1) / 7 * 7, 28))",
                ))
                .await?;
                db.execute_unprepared("ANALYZE line_weeks").await?;
            }
            _ => {
                // As `line_days`: WITHOUT ROWID keeps a line's weeks adjacent; `week` is
                // 'YYYY-MM-DD' text, as sqlx writes a date.
                db.execute_unprepared(&format!(
                    "CREATE TABLE line_weeks (
                        {}
                        PRIMARY KEY (product_line_id, week),
                        CONSTRAINT fk_line_weeks_line FOREIGN KEY (product_line_id)
                            REFERENCES product_lines (id) ON DELETE RESTRICT
                    ) WITHOUT ROWID",
                    columns("uuid_text", "date")
                ))
                .await?;
                db.execute_unprepared(&fill(
                    "date(day, 'start of month', '+' || MIN((CAST(strftime('%d', day) AS INTEGER) - 1) / 7 * 7, 28) || ' days')",
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP TABLE line_weeks").await?;
        Ok(())
    }
}
