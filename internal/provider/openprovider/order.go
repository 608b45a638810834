package openprovider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/certorder/certorder/internal/provider"
)

// Order statuses (the swagger's SslOrder.status; its values are listed in
// the SSL quickstart, https://support.openprovider.eu/hc/en-us/articles/360015356839).
// REQ (requested at the CA), and any status not known here, is pending,
// and reported verbatim.
const (
	statusPaid      = "PAI" // paid, not sent to the CA
	statusRequested = "REQ" // requested at the CA, pending validation
	statusActive    = "ACT"
	statusRejected  = "REJ"
	statusFailed    = "FAI" // failed or cancelled
	statusExpired   = "EXP"
)

// Order returns Openprovider's view of an order.
func (c *Client) Order(ctx context.Context, orderID string) (provider.Order, error) {
	id, err := parseOrderID(orderID)
	if err != nil {
		return provider.Order{}, err
	}
	o, err := c.getOrder(ctx, id)
	if err != nil {
		return provider.Order{}, err
	}
	return provider.Order{
		ID:         strconv.Itoa(o.ID),
		State:      orderState(o.Status),
		CommonName: o.CommonName,
		DNSNames:   o.names(),
		ValidUntil: o.validUntil(),
	}, nil
}

func orderState(status string) provider.OrderState {
	switch status {
	case statusActive:
		return provider.OrderActive
	case statusExpired:
		return provider.OrderExpired
	case statusRejected, statusFailed:
		return provider.OrderFailed
	default:
		return provider.OrderPending
	}
}

func (c *Client) getOrder(ctx context.Context, id int) (*order, error) {
	var o order
	if err := c.call(ctx, "GET /ssl/orders/{id}", fmt.Sprintf("/ssl/orders/%d", id), nil, nil, &o); err != nil {
		return nil, fmt.Errorf("reading Openprovider order %d: %w", id, err)
	}
	return &o, nil
}

func parseOrderID(s string) (int, error) {
	id, err := strconv.Atoi(s)
	if err != nil || id <= 0 {
		return 0, &provider.PermanentError{Err: fmt.Errorf("openprovider: order id %q is not a positive number", s)}
	}
	return id, nil
}

// names are the order's common name and host_names (which exclude it).
func (o *order) names() []string {
	return append([]string{o.CommonName}, namesOf(provider.Request{CommonName: o.CommonName, DNSNames: o.HostNames}).extra...)
}
