//! Every schema change, for SQLite and PostgreSQL alike. Migrations are append-only: a released one is
//! never edited, a change is a new file.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_initial;
mod m20261129_000100_line_links;
mod m20261129_000200_feedback_details;
mod m20261129_000300_print_shares;
mod m20261203_000100_rollups;
mod m20261203_000200_accounts;
mod m20261203_000300_members;
mod m20261203_000400_replies;
mod m20261203_000500_line_link_media_context;
mod m20261203_000600_broadcasts;
mod m20261203_000700_inbox;
mod m20261203_000800_lot_volumes;
mod m20261204_000900_line_days;
mod m20261204_001000_subscriptions;
mod m20261204_001100_alerts;
mod m20261207_000300_customer_data;
mod m20261207_000400_classifier;
mod m20261207_000500_zones;
mod m20261207_000600_triage_indexes;
mod m20261208_000100_line_day_blocks;
mod m20261208_000200_reports_email_index;
mod m20261208_000300_reports_manufacturer_line_index;

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
            Box::new(m20261203_000200_accounts::Migration),
            Box::new(m20261203_000300_members::Migration),
            Box::new(m20261203_000400_replies::Migration),
            Box::new(m20261203_000500_line_link_media_context::Migration),
            Box::new(m20261203_000600_broadcasts::Migration),
            Box::new(m20261203_000700_inbox::Migration),
            Box::new(m20261203_000800_lot_volumes::Migration),
            Box::new(m20261204_000900_line_days::Migration),
            Box::new(m20261204_001000_subscriptions::Migration),
            Box::new(m20261204_001100_alerts::Migration),
            Box::new(m20261207_000300_customer_data::Migration),
            Box::new(m20261207_000400_classifier::Migration),
            Box::new(m20261207_000500_zones::Migration),
            Box::new(m20261207_000600_triage_indexes::Migration),
            Box::new(m20261208_000100_line_day_blocks::Migration),
            Box::new(m20261208_000200_reports_email_index::Migration),
            Box::new(m20261208_000300_reports_manufacturer_line_index::Migration),
        ]
    }
}
