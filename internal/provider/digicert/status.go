package digicert

import (
	"fmt"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// statusClass sorts DigiCert's order, certificate and request statuses.
type statusClass int

const (
	// classPending: pending, processing, needs_approval, reissue_pending,
	// waiting_pickup (orders), submitted and approved (requests: approved
	// is not yet issued).
	classPending statusClass = iota
	// classIssued: issued; renewed and not_renewed, the marks of an issued
	// order that was (or was not) renewed; reissue, seen in older answers.
	classIssued
	// classFinal: rejected, denied, canceled, revoked, expired.
	classFinal
	// classUnknown: a word DigiCert did not document. It is waited on, and
	// every message quotes it, so that it never stalls a request silently.
	classUnknown
)

// classOf sorts a status. The values are those of the order info, list
// orders and update order status docs, and of the request statuses:
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/order-info.html
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/list-orders.html
// https://dev.digicert.com/en/certcentral-apis/services-api/orders/update-order-status.html
func classOf(status string) statusClass {
	switch status {
	case "issued", "renewed", "not_renewed", "reissue":
		return classIssued
	case "rejected", "denied", "canceled", "revoked", "expired":
		return classFinal
	case "pending", "processing", "needs_approval", "reissue_pending", "waiting_pickup", "submitted", "approved":
		return classPending
	default:
		return classUnknown
	}
}

// unknownNote is appended to a message that quotes an undocumented status.
func unknownNote(status string) string {
	if classOf(status) != classUnknown {
		return ""
	}
	return fmt.Sprintf(" (certorder does not know the status %q and keeps polling)", status)
}

// orderState is the lifecycle of an order as a whole. A pending reissue
// leaves the order live; an issued order past its plan's end is expired.
func orderState(info orderInfo, now time.Time) provider.OrderState {
	switch classOf(info.Status) {
	case classIssued:
		if end, ok := parseTime(info.OrderValidTill); ok && !now.Before(end) {
			return provider.OrderExpired
		}
		return provider.OrderActive
	case classFinal:
		if info.Status == "expired" {
			return provider.OrderExpired
		}
		return provider.OrderFailed
	default:
		if info.Status == "reissue_pending" {
			return provider.OrderActive
		}
		return provider.OrderPending
	}
}

// isTokenDCV tells whether the DCV method has a random value to publish.
func isTokenDCV(method string) bool {
	return method == "dns-txt-token" || method == "dns-cname-token" || method == "http-token"
}
