using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ListingSellerTools : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_listings_SellerId",
                table: "listings");

            migrationBuilder.AddColumn<long>(
                name: "PriceMinor",
                table: "listings",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                table: "listings",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "listings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "KeyHash",
                table: "listing_items",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SellerId",
                table: "listing_items",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Existing rows: the minor-unit price and the edit fields follow from what is there; items learn their seller.
            // Items stored before key hashes keep a null KeyHash, which the new unique index does not compare, so rows that
            // would collide (the same key in two listings of one seller, allowed until now) stay as they are and nothing fails.
            migrationBuilder.Sql("UPDATE listings SET \"PriceMinor\" = CAST(ROUND(\"Price\" * 100) AS bigint), \"UpdatedAt\" = \"CreatedAt\", \"Version\" = 1;");
            migrationBuilder.Sql("UPDATE listing_items AS i SET \"SellerId\" = l.\"SellerId\" FROM listings AS l WHERE l.\"Id\" = i.\"ListingId\";");

            migrationBuilder.CreateIndex(
                name: "IX_listings_SellerId_Status",
                table: "listings",
                columns: new[] { "SellerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_listings_Status_Currency_PriceMinor",
                table: "listings",
                columns: new[] { "Status", "Currency", "PriceMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_listing_items_ListingId_CreatedAt",
                table: "listing_items",
                columns: new[] { "ListingId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "ux_listing_items_key_hash_seller",
                table: "listing_items",
                columns: new[] { "KeyHash", "SellerId" },
                unique: true,
                filter: "\"KeyHash\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_listings_SellerId_Status",
                table: "listings");

            migrationBuilder.DropIndex(
                name: "IX_listings_Status_Currency_PriceMinor",
                table: "listings");

            migrationBuilder.DropIndex(
                name: "IX_listing_items_ListingId_CreatedAt",
                table: "listing_items");

            migrationBuilder.DropIndex(
                name: "ux_listing_items_key_hash_seller",
                table: "listing_items");

            migrationBuilder.DropColumn(
                name: "PriceMinor",
                table: "listings");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "listings");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "listings");

            migrationBuilder.DropColumn(
                name: "KeyHash",
                table: "listing_items");

            migrationBuilder.DropColumn(
                name: "SellerId",
                table: "listing_items");

            migrationBuilder.CreateIndex(
                name: "IX_listings_SellerId",
                table: "listings",
                column: "SellerId");
        }
    }
}
