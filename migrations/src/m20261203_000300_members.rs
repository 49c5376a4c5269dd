//! Members and their tokens: invitations by mail, and API tokens that belong to a user and carry
//! scopes. Existing tokens become their manufacturer's first owner's, read and write.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invitations {
    Table,
    TokenHash,
    ManufacturerId,
    Email,
    Role,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    UserId,
    Scopes,
}

#[derive(DeriveIden)]
enum Manufacturers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(string_len(Invitations::TokenHash, 64).primary_key())
                    .col(uuid(Invitations::ManufacturerId))
                    .col(string_len(Invitations::Email, 320))
                    .col(string_len(Invitations::Role, 16))
                    .col(uuid(Invitations::InvitedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_manufacturer")
                            .from(Invitations::Table, Invitations::ManufacturerId)
                            .to(Manufacturers::Table, Manufacturers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let mut user_id = uuid_null(ApiTokens::UserId);
        manager.alter_table(Table::alter().table(ApiTokens::Table).add_column(&mut user_id).to_owned()).await?;
        let mut scopes = string_len(ApiTokens::Scopes, 32);
        scopes.default("read,write");
        manager.alter_table(Table::alter().table(ApiTokens::Table).add_column(&mut scopes).to_owned()).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE api_tokens SET user_id = (SELECT u.id FROM users u WHERE u.manufacturer_id = \
                 api_tokens.manufacturer_id AND u.role = 'owner' ORDER BY u.created_at LIMIT 1)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Invitations::Table).to_owned()).await?;
        Ok(())
    }
}
