package openprovider

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
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
// renewals on their order.
func (c *Client) Find(ctx context.Context, req provider.Request, since time.Time) (provider.Status, bool, error) {
	switch req.Action {
	case provider.ActionReissue:
		id, err := parseOrderID(req.OrderID)
		if err != nil {
			return provider.Status{}, false, err
		}
		return c.findOn(ctx, id, req.CSR)
	case provider.ActionOrder:
		if req.RenewalOfOrderID != "" {
			id, err := parseOrderID(req.RenewalOfOrderID)
			if err != nil {
				return provider.Status{}, false, err
			}
			if st, found, err := c.findOn(ctx, id, req.CSR); found || err != nil {
				return st, found, err
			}
		}
		return c.findListed(ctx, req, since)
	default:
		return provider.Status{}, false, unsupported(req.Action)
	}
}

// findOn tells whether order id carries csr.
func (c *Client) findOn(ctx context.Context, id int, csr []byte) (provider.Status, bool, error) {
	o, err := c.getOrder(ctx, id)
	if err != nil {
		return provider.Status{}, false, err
	}
	return matched(o, csr)
}

func (c *Client) findListed(ctx context.Context, req provider.Request, since time.Time) (provider.Status, bool, error) {
	from := since.Add(-findSkew)
	cn := req.CommonName
	if cn == "" && len(req.DNSNames) > 0 {
		cn = req.DNSNames[0]
	}
	q := url.Values{"common_name_pattern": {cn}, "limit": {strconv.Itoa(pageSize)}}
	for page := range maxPages {
		q.Set("offset", strconv.Itoa(page*pageSize))
		list, err := c.listOrders(ctx, q)
		if err != nil {
			return provider.Status{}, false, fmt.Errorf("looking for an Openprovider order of %q: %w", cn, err)
		}
		for i := range list.Results {
			o := &list.Results[i]
			// An order without a readable date is kept: the CSR decides.
			if d := parseDate(o.OrderDate); !d.IsZero() && d.Before(from) {
				continue
			}
			if st, found, err := matched(o, req.CSR); found || err != nil {
				return st, found, err
			}
		}
		if len(list.Results) < pageSize || (page+1)*pageSize >= list.Total {
			break
		}
	}
	return provider.Status{}, false, nil
}

func matched(o *order, csr []byte) (provider.Status, bool, error) {
	if !provider.SameCSR([]byte(o.CSR), csr) {
		return provider.Status{}, false, nil
	}
	st, err := statusOf(o, csr)
	return st, err == nil, err
}

func (c *Client) listOrders(ctx context.Context, q url.Values) (*orderList, error) {
	var list orderList
	if err := c.call(ctx, "GET /ssl/orders", "/ssl/orders", q, nil, &list); err != nil {
		return nil, err
	}
	return &list, nil
}
