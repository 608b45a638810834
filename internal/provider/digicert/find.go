package digicert

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

const (
	// findSlack widens "created since" for the clock skew between the
	// controller, which wrote the intent, and CertCentral, which dated the
	// order. A wider window only costs calls; a narrower one could miss the
	// order and buy it twice.
	findSlack = time.Hour
	// listPageSize is the page size of the order list (CertCentral allows
	// up to 1000).
	listPageSize = 100
	// maxListPages bounds the pages read for one common name.
	maxListPages = 50
)

// Find looks for a submission of req made at or after since, by its CSR:
// the recovery path when a crash lost the handle.
//   - Order: the orders for the common name created since then; the order
//     info of each holds the CSR.
//   - Reissue, Duplicate: the order's reissues or duplicates.
func (c *Client) Find(ctx context.Context, req provider.Request, since time.Time) (provider.Status, bool, error) {
	if len(req.CSR) == 0 {
		return provider.Status{}, false, permanentf("finding a DigiCert submission needs its CSR")
	}
	switch req.Action {
	case provider.ActionOrder:
		return c.findOrder(ctx, req, since)
	case provider.ActionReissue, provider.ActionDuplicate:
		return c.findVariant(ctx, variantOf(req.Action), req, since)
	default:
		return provider.Status{}, false, permanentf("unknown action %q", req.Action)
	}
}

func (c *Client) findVariant(ctx context.Context, v variant, req provider.Request, since time.Time) (provider.Status, bool, error) {
	orderID, err := parseID("order id", req.OrderID)
	if err != nil {
		return provider.Status{}, false, err
	}
	a := answerOf(req, since)
	entries, err := c.candidates(ctx, v, orderID, a, since)
	if err != nil {
		return provider.Status{}, false, err
	}
	st := provider.Status{Handle: provider.Handle{OrderID: orderID.String()}, State: provider.StatePending}
	return c.firstAnswer(ctx, v, st, entries, a)
}

func (c *Client) findOrder(ctx context.Context, req provider.Request, since time.Time) (provider.Status, bool, error) {
	if req.CommonName == "" {
		return provider.Status{}, false, permanentf("finding a DigiCert order needs its common name")
	}
	ids, err := c.ordersFor(ctx, req.CommonName, since)
	if err != nil {
		return provider.Status{}, false, err
	}
	a := answerOf(req, since)
	for _, id := range ids {
		info, err := c.orderInfo(ctx, id)
		if err != nil {
			return provider.Status{}, false, err
		}
		if !provider.SameCSR([]byte(info.Certificate.CSR), req.CSR) || a.listedAsKnown(info.Certificate) {
			continue
		}
		st, err := c.orderStatus(ctx, info, provider.Handle{}, a)
		if errors.Is(err, errNotThisSubmission) {
			continue
		}
		return st, err == nil, err
	}
	return provider.Status{}, false, nil
}

// ordersFor lists the ids of the orders for commonName created since
// (less findSlack), newest first. Only the documented exact filter
// filters[common_name] is sent; the date is checked here, since a
// misread date filter would hide the very order recovery looks for.
func (c *Client) ordersFor(ctx context.Context, commonName string, since time.Time) ([]ID, error) {
	var ids []ID
	for p := 0; p < maxListPages; p++ {
		q := url.Values{
			"filters[common_name]": {commonName},
			"limit":                {strconv.Itoa(listPageSize)},
			"offset":               {strconv.Itoa(p * listPageSize)},
		}
		var list orderList
		if err := c.doJSON(ctx, call{endpoint: epOrderList, path: "/order/certificate", query: q}, &list); err != nil {
			return nil, err
		}
		for _, o := range list.Orders {
			if createdSince(o.DateCreated, since) {
				ids = append(ids, o.ID)
			}
		}
		read := p*listPageSize + len(list.Orders)
		if len(list.Orders) < listPageSize || (list.Page.Total > 0 && read >= list.Page.Total) {
			slices.SortFunc(ids, func(a, b ID) int { return cmp.Compare(b, a) })
			return ids, nil
		}
	}
	return nil, permanentf("%s: more than %d orders for %q; recovery cannot tell whether one was placed", epOrderList, maxListPages*listPageSize, commonName)
}

// createdSince is true when the date is at or after since (less
// findSlack), or cannot be read: an unreadable date keeps a candidate.
func createdSince(dateCreated string, since time.Time) bool {
	if since.IsZero() {
		return true
	}
	t, ok := parseTime(dateCreated)
	return !ok || !t.Before(since.Add(-findSlack))
}

// Order returns CertCentral's view of an order.
func (c *Client) Order(ctx context.Context, orderID string) (provider.Order, error) {
	id, err := parseID("order id", orderID)
	if err != nil {
		return provider.Order{}, err
	}
	info, err := c.orderInfo(ctx, id)
	if err != nil {
		return provider.Order{}, err
	}
	validUntil, _ := parseTime(info.OrderValidTill)
	return provider.Order{
		ID:         info.ID.String(),
		State:      orderState(info, c.now()),
		CommonName: info.Certificate.CommonName,
		DNSNames:   info.Certificate.DNSNames,
		ValidUntil: validUntil,
	}, nil
}
