using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class OperatingModes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Wallets and orders written before operating modes existed were paid through the
            // embedded QIWI emulator (the only default rail): they are sandbox data (ADR 0006).
            migrationBuilder.AddColumn<bool>(
                name: "Sandbox",
                table: "wallets",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "Sandbox",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "database_mode",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Mode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_database_mode", x => x.Id);
                    table.CheckConstraint("ck_database_mode_single_row", "\"Id\" = 1");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "database_mode");

            migrationBuilder.DropColumn(
                name: "Sandbox",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "Sandbox",
                table: "orders");
        }
    }
}
