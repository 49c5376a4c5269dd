//! An index on each manufacturer's reports by address, folded to lower case: a retention run finds
//! the reports of the addresses that may be due, and an erasure or export on request finds one
//! customer's reports, without reading every report the manufacturer has. The expression is the one
//! the queries use (`lower(email)`; `store::customers`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Raw SQL: an index on an expression, which both backends spell the same.
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX ix_reports_manufacturer_email ON reports (manufacturer_id, lower(email))")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX ix_reports_manufacturer_email").await?;
        Ok(())
    }
}
