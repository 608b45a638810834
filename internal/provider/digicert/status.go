package digicert

import (
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// statusClass sorts DigiCert's order, certificate and request statuses.
type statusClass int

const (
	// classPending: pending, processing, needs_approval, reissue_pending,
	// waiting_pickup, submitted, approved (not yet issued), and any status
	// DigiCert may add: waiting is the safe reading of an unknown word.
	classPending statusClass = iota
	// classIssued: issued, reissue.
	classIssued
	// classFinal: rejected, denied, canceled, revoked, expired.
	classFinal
)

func classOf(status string) statusClass {
	switch status {
	case "issued", "reissue":
		return classIssued
	case "rejected", "denied", "canceled", "revoked", "expired":
		return classFinal
	default:
		return classPending
	}
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
