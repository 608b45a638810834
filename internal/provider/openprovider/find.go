package openprovider

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

const (
	// findSkew widens "ordered since" for clock differences between us and
	// Openprovider, whose dates carry no time zone. The CSR is what
	// identifies a submission; the date only narrows the search.
	findSkew = 15 * time.Minute
	// pageSize and maxPages bound the order list walked by Find.
	pageSize = 100
	maxPages = 50
)

// Find looks for the submission of req made at or after since, by its CSR:
// new orders in the order list filtered by common name, reissues and
// renewals on their order. A renewal whose renew went through but whose
// answer was lost is found by the trace the renew left (renewedOrder), so
// that no second renew is sent.
func (c *Client) Find(ctx context.Context, req provider.Request, since time.Time) (provider.Status, bool, error) {
	sub := submission{action: req.Action, csr: req.CSR, known: req.Known, since: since}
	switch req.Action {
	case provider.ActionReissue:
		id, err := parseOrderID(req.OrderID)
		if err != nil {
			return provider.Status{}, false, err
		}
		_, st, found, err := c.findOn(ctx, id, sub)
		return st, found, err
	case provider.ActionOrder:
		if req.RenewalOfOrderID != "" {
			return c.findRenewal(ctx, req, sub)
		}
		return c.findListed(ctx, namesOf(req).common, sub)
	default:
		return provider.Status{}, false, unsupported(req.Action)
	}
}

func (c *Client) findRenewal(ctx context.Context, req provider.Request, sub submission) (provider.Status, bool, error) {
	id, err := parseOrderID(req.RenewalOfOrderID)
	if err != nil {
		return provider.Status{}, false, err
	}
	old, st, found, err := c.findOn(ctx, id, sub)
	if found || err != nil {
		return st, found, err
	}
	if st, found, err := c.findListed(ctx, namesOf(req).common, sub); found || err != nil {
		return st, found, err
	}
	if ended(old.Status) {
		return provider.Status{}, false, nil
	}
	done, err := c.renewedOrder(ctx, old, sub.since)
	if err != nil || done == nil {
		return provider.Status{}, false, err
	}
	return renewalPending(old, done), true, nil
}

// findOn tells whether order id carries the submission.
func (c *Client) findOn(ctx context.Context, id int, sub submission) (*order, provider.Status, bool, error) {
	o, err := c.getOrder(ctx, id)
	if err != nil {
		return nil, provider.Status{}, false, err
	}
	st, found, err := matched(o, sub)
	return o, st, found, err
}

func (c *Client) findListed(ctx context.Context, cn string, sub submission) (provider.Status, bool, error) {
	from := sub.since.Add(-findSkew)
	var st provider.Status
	var found bool
	var matchErr error
	err := c.walkOrders(ctx, cn, func(o *order) bool {
		// An order without a readable date is kept: the CSR decides.
		if d := parseDate(o.OrderDate); !d.IsZero() && d.Before(from) {
			return false
		}
		st, found, matchErr = matched(o, sub)
		return found || matchErr != nil
	})
	if err != nil {
		return provider.Status{}, false, fmt.Errorf("looking for an Openprovider order of %q: %w", cn, err)
	}
	return st, found, matchErr
}

// matched tells whether order o carries the submission: its CSR, and not
// a certificate that cannot answer it (already recorded, or older).
func matched(o *order, sub submission) (provider.Status, bool, error) {
	if !provider.SameCSR([]byte(o.CSR), sub.csr) {
		return provider.Status{}, false, nil
	}
	st, stale, err := statusOf(o, sub)
	if err != nil || stale {
		return provider.Status{}, false, err
	}
	return st, true, nil
}

func (c *Client) listOrders(ctx context.Context, q url.Values) (*orderList, error) {
	var list orderList
	if err := c.call(ctx, "GET /ssl/orders", "/ssl/orders", q, nil, &list); err != nil {
		return nil, err
	}
	return &list, nil
}
