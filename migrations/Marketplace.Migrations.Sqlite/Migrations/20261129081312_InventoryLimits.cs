using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InventoryLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CancelledAt",
                table: "orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxQuantityPerOrder",
                table: "listings",
                type: "INTEGER",
                nullable: false,
                // Existing listings get the default cap (Listing.DefaultMaxQuantityPerOrder), not 0.
                defaultValue: 10);

            migrationBuilder.AddColumn<long>(
                name: "LastOrderPlacedAt",
                table: "accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_listings_max_quantity_per_order",
                table: "listings",
                sql: "\"MaxQuantityPerOrder\" BETWEEN 1 AND 100");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_listings_max_quantity_per_order",
                table: "listings");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "MaxQuantityPerOrder",
                table: "listings");

            migrationBuilder.DropColumn(
                name: "LastOrderPlacedAt",
                table: "accounts");
        }
    }
}
