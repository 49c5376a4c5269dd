//! Every schema change, for SQLite and PostgreSQL alike. Migrations are append-only: a released one is
//! never edited, a change is a new file.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_initial;
mod m20261129_000100_line_links;
mod m20261129_000200_feedback_details;
mod m20261129_000300_print_shares;
mod m20261203_000100_rollups;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_initial::Migration),
            Box::new(m20261129_000100_line_links::Migration),
            Box::new(m20261129_000200_feedback_details::Migration),
            Box::new(m20261129_000300_print_shares::Migration),
            Box::new(m20261203_000100_rollups::Migration),
        ]
    }
}
