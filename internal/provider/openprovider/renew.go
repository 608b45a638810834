package openprovider

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// renewWindow is how close to its end Openprovider renews an ACT order
// (the renew docs: only an active order near its expiry date).
const renewWindow = 30 * 24 * time.Hour

// renewal continues the order req.RenewalOfOrderID.
//
// POST /ssl/orders/{id}/renew carries no CSR: the renewed order certifies
// the old key. So a renewal is a renew (paid), then a reissue with the
// request's CSR (free). The docs do not say whether renew keeps the order
// id, answers with a new order, or takes the order back to REQ; Submit
// sends only the renew and answers with the order the renew left, and Poll
// sends the reissue once that order is active and still shows the old
// certificate. That holds in all three cases, and a renew is never sent
// twice: renewal first looks for the trace of an earlier one (renewedOrder).
// An order that ended (expired, failed, rejected) gets a new order.
func (c *Client) renewal(ctx context.Context, req provider.Request) (provider.Status, error) {
	oldID, err := parseOrderID(req.RenewalOfOrderID)
	if err != nil {
		return provider.Status{}, err
	}
	old, err := c.getOrder(ctx, oldID)
	if err != nil {
		return provider.Status{}, err
	}
	if ended(old.Status) {
		log.FromContext(ctx).Info("The order to renew has ended; placing a new order", "order", oldID, "status", old.Status)
		return c.placeOrder(ctx, req)
	}
	done, err := c.renewedOrder(ctx, old, time.Time{})
	if err != nil || done != nil {
		return renewalPending(old, done), err
	}
	if err := c.checkNames(ctx, old.ProductID, namesOf(req)); err != nil {
		return provider.Status{}, err
	}
	var out idData
	path := fmt.Sprintf("/ssl/orders/%d/renew", oldID)
	if err := c.call(ctx, "POST /ssl/orders/{id}/renew", path, nil, renewRequest{ID: oldID, EnableDNSAutomation: c.settings.EnableDNSAutomation}, &out); err != nil {
		return provider.Status{}, fmt.Errorf("renewing Openprovider order %d: %w", oldID, err)
	}
	renewed := oldID
	if out.ID > 0 {
		renewed = out.ID
	}
	log.FromContext(ctx).Info("Renewed an Openprovider order", "order", oldID, "renewedOrder", renewed)
	return pending(renewed, "Openprovider order %d renewed (order %d); certorder reissues it with this request's CSR once it is active", oldID, renewed), nil
}

func renewalPending(old, done *order) provider.Status {
	if done == nil {
		return provider.Status{}
	}
	if done.ID == old.ID {
		return pending(old.ID, "Openprovider order %d needs no renew now (status %s, ends %q); certorder reissues it with this request's CSR once it is active",
			old.ID, old.Status, old.OrderEndsAt)
	}
	return pending(done.ID, "Openprovider order %d was renewed as order %d; certorder reissues it with this request's CSR once it is active", old.ID, done.ID)
}

// ended tells whether an order can no longer be renewed or reissued.
func ended(status string) bool {
	switch status {
	case statusExpired, statusFailed, statusRejected:
		return true
	}
	return false
}

// renewedOrder finds what an earlier renew of old left, so that it is
// never sent twice: old itself when it is in progress (REQ, PAI) or active
// but no longer within the renew window (its end moved, so the renew kept
// its id; or it is not due); or a newer order for the same common name that
// carries old's CSR and was placed since old (and since since, when set).
// It returns nil when old is still to be renewed.
func (c *Client) renewedOrder(ctx context.Context, old *order, since time.Time) (*order, error) {
	if old.Status != statusActive {
		return old, nil
	}
	if ends := old.validUntil(); ends.IsZero() || ends.Sub(c.now()) > renewWindow {
		return old, nil
	}
	from := parseDate(old.OrderDate)
	if !since.IsZero() && since.Add(-findSkew).After(from) {
		from = since.Add(-findSkew)
	}
	var found *order
	err := c.walkOrders(ctx, old.CommonName, func(o *order) bool {
		if o.ID != old.ID && !ended(o.Status) && !parseDate(o.OrderDate).Before(from) && provider.SameCSR([]byte(o.CSR), []byte(old.CSR)) {
			found = o
			return true
		}
		return false
	})
	if err != nil {
		return nil, fmt.Errorf("looking for a renewal of Openprovider order %d: %w", old.ID, err)
	}
	return found, nil
}

// walkOrders calls visit on every order listed for the common name cn,
// page by page, until visit returns true.
func (c *Client) walkOrders(ctx context.Context, cn string, visit func(*order) bool) error {
	return c.walk(ctx, url.Values{"common_name_pattern": {cn}}, maxPages, visit)
}

// walk calls visit on every order the filter q lists, at most pages pages,
// until visit returns true.
func (c *Client) walk(ctx context.Context, q url.Values, pages int, visit func(*order) bool) error {
	q.Set("limit", strconv.Itoa(pageSize))
	for page := range pages {
		q.Set("offset", strconv.Itoa(page*pageSize))
		list, err := c.listOrders(ctx, q)
		if err != nil {
			return err
		}
		for i := range list.Results {
			if visit(&list.Results[i]) {
				return nil
			}
		}
		if len(list.Results) < pageSize || (page+1)*pageSize >= list.Total {
			return nil
		}
	}
	return nil
}
