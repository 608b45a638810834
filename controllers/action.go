package controllers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/provider"
)

// actionInput is everything the choice between a new order, a reissue and
// a duplicate depends on.
type actionInput struct {
	Provider v1alpha1.Provider
	Policy   v1alpha1.RenewalPolicy
	// Override is the request's certorder.dev/action annotation, if any.
	Override string
	// Live is the CA's view of the order the Certificate holds (from its
	// CertificateOrder or the certorder.dev/order-id annotation); nil when
	// it holds none.
	Live *provider.Order
	// Names of the request, the common name first.
	Names []string
	// Validity is the requested certificate validity, already capped by the
	// CA/Browser Forum limit.
	Validity time.Duration
	Now      time.Time
}

// decision is the chosen action and why, for the request's message.
type decision struct {
	Action           provider.Action
	OrderID          string
	RenewalOfOrderID string
	// Validity to request, possibly capped at the order's end.
	Validity time.Duration
	Reason   string
}

// errPendingOrder: the Certificate's order has not been issued yet, and a
// second paid order is not placed on a guess.
var errPendingOrder = errors.New("pending order")

// chooseAction picks the CA call for a request. An error other than
// errPendingOrder is a request the CA can never satisfy.
func chooseAction(in actionInput) (decision, error) {
	override := provider.Action(in.Override)
	switch override {
	case "", provider.ActionOrder, provider.ActionReissue, provider.ActionDuplicate:
	default:
		return decision{}, fmt.Errorf("annotation certorder.dev/action is %q; it must be Order, Reissue or Duplicate", in.Override)
	}
	if override == provider.ActionDuplicate && in.Provider == v1alpha1.ProviderOpenprovider {
		return decision{}, errors.New("Openprovider has no duplicates: use certorder.dev/action: Reissue or Order")
	}
	live := in.Live
	if override == provider.ActionOrder {
		return newOrder(in, live, "certorder.dev/action asks for a new order"), nil
	}
	if live == nil || live.State == provider.OrderFailed {
		if override != "" {
			return decision{}, fmt.Errorf("certorder.dev/action: %s needs an existing order; name it with certorder.dev/order-id", override)
		}
		return newOrder(in, nil, "the Certificate has no live order"), nil
	}
	switch live.State {
	case provider.OrderPending:
		return decision{}, fmt.Errorf("%w: order %s is still pending at the CA; certorder does not buy a second order for the same Certificate while one is pending. Complete or cancel it at the CA, or set certorder.dev/action: Order", errPendingOrder, live.ID)
	case provider.OrderExpired:
		if override != "" {
			return decision{}, fmt.Errorf("certorder.dev/action: %s cannot be applied: order %s has expired", override, live.ID)
		}
		return newOrder(in, live, fmt.Sprintf("order %s has expired", live.ID)), nil
	}
	return onLiveOrder(in, override, live)
}

func onLiveOrder(in actionInput, override provider.Action, live *provider.Order) (decision, error) {
	changed := !sameNames(live.CommonName, live.DNSNames, in.Names)
	if override == provider.ActionDuplicate && changed {
		return decision{}, fmt.Errorf("a duplicate carries the names of order %s (%v); the request has %v", live.ID, orderNames(live.CommonName, live.DNSNames), in.Names)
	}
	validity, capped := in.Validity, false
	if !live.ValidUntil.IsZero() && in.Now.Add(in.Validity).After(live.ValidUntil) {
		if override == "" {
			return newOrder(in, live, fmt.Sprintf("order %s ends %s, before the new certificate would", live.ID, live.ValidUntil.UTC().Format(time.DateOnly))), nil
		}
		validity, capped = live.ValidUntil.Sub(in.Now), true
	}
	d := decision{OrderID: live.ID, Validity: validity}
	switch {
	case override != "":
		d.Action, d.Reason = override, "certorder.dev/action asks for it"
	case in.Provider == v1alpha1.ProviderOpenprovider:
		d.Action, d.Reason = provider.ActionReissue, "Openprovider renews a live order by reissuing it"
	case changed:
		d.Action, d.Reason = provider.ActionReissue, "the names changed"
	case in.Policy == v1alpha1.RenewalOrder:
		return newOrder(in, live, "the issuer's renewal policy is Order"), nil
	case in.Policy == v1alpha1.RenewalReissue:
		d.Action, d.Reason = provider.ActionReissue, "the issuer's renewal policy is Reissue"
	default:
		d.Action, d.Reason = provider.ActionDuplicate, "the issuer's renewal policy is Duplicate"
	}
	if capped {
		d.Reason += fmt.Sprintf("; validity capped at the order's end, %s", live.ValidUntil.UTC().Format(time.DateOnly))
	}
	return d, nil
}

func newOrder(in actionInput, previous *provider.Order, why string) decision {
	d := decision{Action: provider.ActionOrder, Validity: in.Validity, Reason: why}
	if previous != nil && previous.State != provider.OrderFailed {
		d.RenewalOfOrderID = previous.ID
	}
	return d
}

// sameNames compares an order's names with a request's, ignoring order.
func sameNames(commonName string, dnsNames, requested []string) bool {
	have := orderNames(commonName, dnsNames)
	want := slices.Clone(requested)
	slices.Sort(want)
	return slices.Equal(have, slices.Compact(want))
}

func orderNames(commonName string, dnsNames []string) []string {
	names := []string{strings.ToLower(commonName)}
	for _, n := range dnsNames {
		names = append(names, strings.ToLower(n))
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// capValidity caps a requested validity at the CA/Browser Forum limit in
// force; zero asks for cert-manager's default duration, as its own issuers
// do. note says what was capped, if anything.
func capValidity(requested time.Duration, now time.Time) (validity time.Duration, note string) {
	limit := provider.MaxPublicValidity(now)
	if requested == 0 {
		requested = cmapi.DefaultCertificateDuration
	}
	if requested > limit {
		return limit, fmt.Sprintf("requested duration %s capped at %d days, the CA/Browser Forum limit in force", requested, int(limit.Hours()/24))
	}
	return requested, ""
}

// pollDelay is the wait before the next poll: at least interval, then as
// long as the submission has already waited (so the wait doubles), capped.
func pollDelay(interval, elapsed time.Duration) time.Duration {
	return min(max(interval, elapsed), maxPollInterval)
}

// maxPollInterval caps the backoff of polls and transient retries.
const maxPollInterval = 15 * time.Minute
