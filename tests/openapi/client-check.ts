// Type-checked against the client generated from docs/openapi.json: if the contract loses a required
// field, a name or the error shape a storefront relies on, this file stops compiling.
import type { components, operations, paths } from "./generated/marketplace-api";

type Schemas = components["schemas"];
type Json<T> = T extends { content: { "application/json": infer Body } } ? Body : never;

// Placing an order: the request a storefront sends and the order it gets back.
type PlaceOrderBody = Json<NonNullable<operations["PlaceOrder"]["requestBody"]>>;
type PlacedOrder = Json<operations["PlaceOrder"]["responses"][201]>;

const placeOrder: PlaceOrderBody = { listingId: "8d1e4a27-2c9b-4f63-a0d5-1b7e3c9f6a42", quantity: 1 };

export function paymentInstructions(order: PlacedOrder): string {
  // Required and non-nullable in the contract: no undefined or null checks needed.
  const amount: number = order.total.amount;
  const currency: string = order.total.currency;
  const status: Schemas["OrderStatus"] = order.status;
  return `${status}: pay ${amount} ${currency} to ${order.payment.account} with comment ${order.payment.comment}`;
}

// Nullable where null means something: an order not yet delivered has no delivery time.
export function deliveredAt(order: Schemas["OrderDto"]): string | null {
  return order.deliveredAt;
}

// Every error is one Problem shape with a code to branch on and the invalid fields.
type Problem = Schemas["Problem"];
export function describeProblem(problem: Problem): string {
  const fields = Object.entries(problem.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join("; ")}`);
  return [`${problem.status} ${problem.code}: ${problem.title}`, ...fields].join("\n");
}
type PlaceOrderConflict = operations["PlaceOrder"]["responses"][409]["content"]["application/problem+json"];
const outOfStock: PlaceOrderConflict = { status: 409, title: "Conflict", code: "order.out_of_stock", traceId: "0HN:1" };

// The catalog is public and paged.
type Catalog = Json<paths["/api/v1/listings"]["get"]["responses"][200]>;
export function titles(page: Catalog): string[] {
  return page.items.map((listing: Schemas["ListingDto"]) => `${listing.title}: ${listing.price.amount} ${listing.price.currency}`);
}

export const examples = { placeOrder, outOfStock };
