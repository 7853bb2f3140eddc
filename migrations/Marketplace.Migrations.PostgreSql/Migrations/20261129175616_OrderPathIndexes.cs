using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class OrderPathIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The new index first: reservations never run without one.
            migrationBuilder.CreateIndex(
                name: "IX_listing_items_ListingId_Status_CreatedAt_Id",
                table: "listing_items",
                columns: new[] { "ListingId", "Status", "CreatedAt", "Id" });

            migrationBuilder.DropIndex(
                name: "IX_listing_items_ListingId_Status",
                table: "listing_items");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_listing_items_ListingId_Status_CreatedAt_Id",
                table: "listing_items");

            migrationBuilder.CreateIndex(
                name: "IX_listing_items_ListingId_Status",
                table: "listing_items",
                columns: new[] { "ListingId", "Status" });
        }
    }
}
