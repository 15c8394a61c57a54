# Who may do what with orders: the same rows as the in-code rules (src/permissions.ts) and
# orders.cedar. The orders service asks `POST /v1/data/order/allow` with
# { "input": { "user": { "id", "roles" }, "action", "resource", "context": { "nowMs" } } }
# and, on a denial, `/v1/data/order/reason` for the words the caller reads.
package order

default allow := false

cancel_window_ms := 30 * 60 * 1000

is_owner if input.user.id == input.resource.userId

has_role(role) if role in input.user.roles

is_pending if input.resource.status == "PENDING"

within_cancel_window if input.context.nowMs - input.resource.createdAtMs < cancel_window_ms

allow if {
	input.action == "read"
	input.resource.type == "Order"
	is_owner
}

allow if {
	input.action == "read"
	input.resource.type == "Order"
	some role in ["admin", "warehouse_staff"]
	has_role(role)
}

allow if {
	input.action == "list"
	input.resource.type == "OrderCollection"
	has_role("admin")
}

# The owner only (an admin may not cancel another's order), PENDING, within 30 minutes.
allow if {
	input.action == "cancel"
	input.resource.type == "Order"
	is_owner
	is_pending
	within_cancel_window
}

allow if {
	input.action == "process"
	input.resource.type == "Order"
	has_role("warehouse_staff")
	is_pending
}

# The first condition that refuses, in the order the in-code rules check them.
reason := "Only the order's owner can cancel it" if {
	input.action == "cancel"
	not is_owner
} else := "Only a pending order can be cancelled" if {
	input.action == "cancel"
	not is_pending
} else := "An order can only be cancelled within 30 minutes of being placed" if {
	input.action == "cancel"
	not within_cancel_window
} else := "Only warehouse staff can process orders" if {
	input.action == "process"
	not has_role("warehouse_staff")
} else := "Only a pending order can be processed" if {
	input.action == "process"
	not is_pending
}
