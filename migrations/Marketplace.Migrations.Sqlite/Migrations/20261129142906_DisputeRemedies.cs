using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DisputeRemedies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RemedyDoneAt",
                table: "disputes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RemedyDueBy",
                table: "disputes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RemedyOverdueAt",
                table: "disputes",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RemedyDoneAt",
                table: "disputes");

            migrationBuilder.DropColumn(
                name: "RemedyDueBy",
                table: "disputes");

            migrationBuilder.DropColumn(
                name: "RemedyOverdueAt",
                table: "disputes");
        }
    }
}
