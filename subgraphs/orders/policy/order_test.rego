# `opa test subgraphs/orders/policy`: the contract's rows for orders, in Rego.
package order_test

import data.order

placed := 1767268800000

order_of(owner, status) := {"type": "Order", "id": "order-1", "userId": owner, "status": status, "createdAtMs": placed}

ask(user, roles, action, resource, minutes_later) := {
	"user": {"id": user, "roles": roles},
	"action": action,
	"resource": resource,
	"context": {"nowMs": placed + (minutes_later * 60000)},
}

test_owner_reads if order.allow with input as ask("alice", [], "read", order_of("alice", "PENDING"), 0)

test_staff_and_admin_read if {
	order.allow with input as ask("wendy", ["warehouse_staff"], "read", order_of("alice", "PENDING"), 0)
	order.allow with input as ask("ada", ["admin"], "read", order_of("alice", "PENDING"), 0)
}

test_others_do_not_read if {
	not order.allow with input as ask("bob", [], "read", order_of("alice", "PENDING"), 0)
	not order.allow with input as ask("paula", ["payment_processor"], "read", order_of("alice", "PENDING"), 0)
}

test_only_admins_list if {
	order.allow with input as ask("ada", ["admin"], "list", {"type": "OrderCollection", "id": "all"}, 0)
	not order.allow with input as ask("wendy", ["warehouse_staff"], "list", {"type": "OrderCollection", "id": "all"}, 0)
}

test_owner_cancels_within_the_window if {
	order.allow with input as ask("alice", [], "cancel", order_of("alice", "PENDING"), 29)
	not order.allow with input as ask("alice", [], "cancel", order_of("alice", "PENDING"), 30)
	order.reason == "An order can only be cancelled within 30 minutes of being placed" with input as ask("alice", [], "cancel", order_of("alice", "PENDING"), 30)
}

test_admin_may_not_cancel_anothers_order if {
	not order.allow with input as ask("ada", ["admin"], "cancel", order_of("alice", "PENDING"), 0)
	order.reason == "Only the order's owner can cancel it" with input as ask("ada", ["admin"], "cancel", order_of("alice", "PENDING"), 0)
}

test_only_pending_orders_are_cancelled if {
	not order.allow with input as ask("alice", [], "cancel", order_of("alice", "PROCESSED"), 0)
	order.reason == "Only a pending order can be cancelled" with input as ask("alice", [], "cancel", order_of("alice", "PROCESSED"), 0)
}

test_staff_process_pending_orders if {
	order.allow with input as ask("wendy", ["warehouse_staff"], "process", order_of("bob", "PENDING"), 0)
	not order.allow with input as ask("wendy", ["warehouse_staff"], "process", order_of("bob", "PROCESSED"), 0)
	not order.allow with input as ask("ada", ["admin"], "process", order_of("bob", "PENDING"), 0)
	order.reason == "Only warehouse staff can process orders" with input as ask("ada", ["admin"], "process", order_of("bob", "PENDING"), 0)
}
