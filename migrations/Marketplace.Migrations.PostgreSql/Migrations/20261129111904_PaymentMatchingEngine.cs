using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PaymentMatchingEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_incoming_payments_WalletId",
                table: "incoming_payments");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AttentionSince",
                table: "wallets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EncryptedPushKey",
                table: "wallets",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HistoryCursor",
                table: "wallets",
                type: "text",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeaseExpiresAt",
                table: "wallets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseHolder",
                table: "wallets",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PushError",
                table: "wallets",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PushSubscriptionId",
                table: "wallets",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "PaidAmount",
                table: "orders",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<bool>(
                name: "PaidLate",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PendingTransactionId",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "SurplusAmount",
                table: "orders",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AlterColumn<Guid>(
                name: "OrderId",
                table: "incoming_payments",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<decimal>(
                name: "PayerAmount",
                table: "incoming_payments",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Raw",
                table: "incoming_payments",
                type: "character varying(8192)",
                maxLength: 8192,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolutionNote",
                table: "incoming_payments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ResolvedAt",
                table: "incoming_payments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "incoming_payments",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Comment");

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "incoming_payments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "order_history",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    From = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    To = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Rule = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TransactionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_history", x => x.Id);
                    table.ForeignKey(
                        name: "FK_order_history_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_incoming_payments_WalletId_OccurredAt",
                table: "incoming_payments",
                columns: new[] { "WalletId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_order_history_OrderId_At",
                table: "order_history",
                columns: new[] { "OrderId", "At" });

            // Data moves: nothing recorded before this release is lost or left without a state.
            migrationBuilder.Sql(CopyHistory("order_status_changes", "order_history"));
            migrationBuilder.DropTable(name: "order_status_changes");
            foreach (var statement in MoveToPaymentRules) migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_incoming_payments_WalletId_OccurredAt",
                table: "incoming_payments");

            migrationBuilder.DropColumn(
                name: "AttentionSince",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "EncryptedPushKey",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "HistoryCursor",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "LeaseHolder",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "PushError",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "PushSubscriptionId",
                table: "wallets");

            migrationBuilder.DropColumn(
                name: "PaidAmount",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "PaidLate",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "PendingTransactionId",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "SurplusAmount",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "PayerAmount",
                table: "incoming_payments");

            migrationBuilder.DropColumn(
                name: "Raw",
                table: "incoming_payments");

            migrationBuilder.DropColumn(
                name: "ResolutionNote",
                table: "incoming_payments");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "incoming_payments");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "incoming_payments");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "incoming_payments");

            migrationBuilder.AlterColumn<Guid>(
                name: "OrderId",
                table: "incoming_payments",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.CreateTable(
                name: "order_status_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    From = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    To = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_status_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_order_status_changes_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_incoming_payments_WalletId",
                table: "incoming_payments",
                column: "WalletId");

            migrationBuilder.CreateIndex(
                name: "IX_order_status_changes_OrderId_At",
                table: "order_status_changes",
                columns: new[] { "OrderId", "At" });

            migrationBuilder.Sql(CopyHistory("order_history", "order_status_changes"));
            migrationBuilder.DropTable(name: "order_history");
        }

        private static string CopyHistory(string from, string to) =>
            $"INSERT INTO {to} (\"Id\", \"OrderId\", \"From\", \"To\", \"At\", \"Reason\") " +
            $"SELECT \"Id\", \"OrderId\", \"From\", \"To\", \"At\", \"Reason\" FROM {from}";

        /// <summary>
        /// Payments recorded under the old rules, re-read under the new ones (docs/payment-matching.md):
        /// underpayments now count (Partial), a transfer after full payment is a Duplicate, money that
        /// counted for an order that can no longer be fulfilled makes it RefundDue. Each order moved gets
        /// a history line saying why. Wallets whose token was refused need attention since their last read.
        /// </summary>
        private static readonly string[] MoveToPaymentRules =
        [
            "UPDATE incoming_payments SET \"Outcome\" = 'Partial' WHERE \"Outcome\" = 'Underpaid'",
            // The old rules said OrderNotPayable for a transfer after delivery (a duplicate) and for one after
            // expiry (late money, owed back): the order tells which.
            "UPDATE incoming_payments SET \"Outcome\" = 'Duplicate' WHERE \"Outcome\" = 'OrderNotPayable' " +
            "AND \"OrderId\" IN (SELECT \"Id\" FROM orders WHERE \"Status\" = 'Delivered')",
            "UPDATE incoming_payments SET \"Outcome\" = 'Late' WHERE \"Outcome\" = 'OrderNotPayable'",
            "UPDATE orders SET \"PaidAmount\" = COALESCE((SELECT ROUND(SUM(p.\"Amount\"), 2) FROM incoming_payments p " +
            "WHERE p.\"OrderId\" = orders.\"Id\" AND p.\"Currency\" = orders.\"Currency\" " +
            "AND p.\"Outcome\" IN ('Accepted', 'Partial', 'Late', 'OrderCancelled')), 0)",
            "UPDATE orders SET \"SurplusAmount\" = COALESCE((SELECT ROUND(SUM(p.\"Amount\"), 2) FROM incoming_payments p " +
            "WHERE p.\"OrderId\" = orders.\"Id\" AND p.\"Outcome\" = 'Duplicate'), 0) " +
            "+ CASE WHEN \"Status\" = 'Delivered' AND \"PaidAmount\" > \"TotalAmount\" THEN \"PaidAmount\" - \"TotalAmount\" ELSE 0 END",
            MigrationNote("AwaitingPayment", "PartiallyPaid", "\"PaidAmount\" > 0 AND \"PaidAmount\" < \"TotalAmount\"",
                "Transfers recorded earlier count toward the total under the split-payment rule"),
            "UPDATE orders SET \"Status\" = 'PartiallyPaid' WHERE \"Status\" = 'AwaitingPayment' AND \"PaidAmount\" > 0 AND \"PaidAmount\" < \"TotalAmount\"",
            MigrationNote("Expired", "RefundDue", "\"PaidAmount\" > 0", "Money recorded for this order before it expired is owed back to the buyer"),
            "UPDATE orders SET \"Status\" = 'RefundDue' WHERE \"Status\" = 'Expired' AND \"PaidAmount\" > 0",
            MigrationNote("Cancelled", "RefundDue", "\"PaidAmount\" > 0", "Money recorded for this order after it was cancelled is owed back to the buyer"),
            "UPDATE orders SET \"Status\" = 'RefundDue' WHERE \"Status\" = 'Cancelled' AND \"PaidAmount\" > 0",
            "UPDATE wallets SET \"Status\" = 'NeedsAttention', \"AttentionSince\" = \"LastSyncAttemptAt\" WHERE \"Status\" = 'CredentialsRejected'",
        ];

        /// <summary>A history line for every order the data move changes, dated at its last known change.</summary>
        private static string MigrationNote(string from, string to, string condition, string reason) =>
            "INSERT INTO order_history (\"Id\", \"OrderId\", \"From\", \"To\", \"At\", \"Reason\", \"Rule\") " +
            $"SELECT gen_random_uuid(), \"Id\", '{from}', '{to}', " +
            "(SELECT MAX(h.\"At\") FROM order_history h WHERE h.\"OrderId\" = orders.\"Id\"), " +
            $"'{reason}', 'migration.payment_rules' FROM orders WHERE \"Status\" = '{from}' AND {condition}";
    }
}
