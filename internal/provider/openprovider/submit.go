package openprovider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// renewWindow is how close to its end Openprovider renews an ACT order.
const renewWindow = 30 * 24 * time.Hour

// Submit places an order, a renewal or a reissue, exactly once: nothing here
// repeats a POST, except after Openprovider refused the token (see call).
// req.Validity and req.Comment have no Openprovider field: the certificate's
// validity is the CA's, within the order's period.
func (c *Client) Submit(ctx context.Context, req provider.Request) (provider.Status, error) {
	switch req.Action {
	case provider.ActionOrder:
		if req.RenewalOfOrderID != "" {
			return c.renewal(ctx, req)
		}
		return c.placeOrder(ctx, req)
	case provider.ActionReissue:
		id, err := parseOrderID(req.OrderID)
		if err != nil {
			return provider.Status{}, err
		}
		return c.reissue(ctx, id, req)
	default:
		return provider.Status{}, unsupported(req.Action)
	}
}

func unsupported(a provider.Action) error {
	if a == provider.ActionDuplicate {
		return &provider.PermanentError{Err: errors.New("Openprovider offers no duplicate certificates; renew with a reissue (renewal policy Reissue) instead")}
	}
	return &provider.PermanentError{Err: fmt.Errorf("openprovider: unknown action %q", a)}
}

func (c *Client) placeOrder(ctx context.Context, req provider.Request) (provider.Status, error) {
	if c.settings.ProductID <= 0 {
		return provider.Status{}, &provider.PermanentError{Err: errors.New("openprovider: a productID is required to place an order")}
	}
	body := createOrderRequest{
		ProductID:               c.settings.ProductID,
		Period:                  c.settings.Period,
		CSR:                     string(req.CSR),
		SoftwareID:              c.settings.SoftwareID,
		HostNames:               hostNames(req),
		OrganizationHandle:      c.settings.OrganizationHandle,
		TechnicalHandle:         c.settings.TechnicalHandle,
		ApproverEmail:           c.settings.ApproverEmail,
		DomainValidationMethods: c.validationMethods(req),
		SignatureHashAlgorithm:  c.settings.SignatureHashAlgorithm,
		Autorenew:               "off",
		EnableDNSAutomation:     false,
		StartProvision:          true,
	}
	var out idData
	if err := c.call(ctx, "POST /ssl/orders", "/ssl/orders", nil, body, &out); err != nil {
		return provider.Status{}, fmt.Errorf("placing an Openprovider order for %q: %w", req.CommonName, err)
	}
	if out.ID <= 0 {
		return provider.Status{}, &provider.TransientError{Err: errors.New("openprovider POST /ssl/orders: the answer holds no order id")}
	}
	log.FromContext(ctx).Info("Placed an Openprovider order", "order", out.ID, "commonName", req.CommonName)
	return pending(out.ID, "Openprovider order %d placed; waiting for the CA", out.ID), nil
}

func (c *Client) reissue(ctx context.Context, id int, req provider.Request) (provider.Status, error) {
	body := reissueRequest{
		ID:                      id,
		CSR:                     string(req.CSR),
		ApproverEmail:           c.settings.ApproverEmail,
		DomainValidationMethods: c.validationMethods(req),
		HostNames:               hostNames(req),
		OrganizationHandle:      c.settings.OrganizationHandle,
		SignatureHashAlgorithm:  c.settings.SignatureHashAlgorithm,
		SoftwareID:              c.settings.SoftwareID,
		EnableDNSAutomation:     false,
	}
	path := fmt.Sprintf("/ssl/orders/%d/reissue", id)
	if err := c.call(ctx, "POST /ssl/orders/{id}/reissue", path, nil, body, nil); err != nil {
		return provider.Status{}, fmt.Errorf("reissuing Openprovider order %d: %w", id, err)
	}
	log.FromContext(ctx).Info("Reissued an Openprovider order", "order", id, "commonName", req.CommonName)
	return pending(id, "reissue of Openprovider order %d requested; waiting for the CA", id), nil
}

// renewal continues the order req.RenewalOfOrderID.
//
// Openprovider renews only an ACT order within 30 days of its end, with
// POST /ssl/orders/{id}/renew {id}, which carries no CSR: the renewed order
// would certify the old key. So a renewal is a renew (paid) followed by a
// reissue with the request's CSR (free). We model renew as answering with the
// order's own id and moving its end by the period (unconfirmed); should it
// answer with another id, the reissue goes to that order.
//
// An order that is ACT but no longer within 30 days of its end is not
// renewed again, only reissued: this is how a renewal whose reissue was lost
// (crash, fault) is completed without paying twice. An order that is not
// ACT (expired, failed) gets a new order.
func (c *Client) renewal(ctx context.Context, req provider.Request) (provider.Status, error) {
	oldID, err := parseOrderID(req.RenewalOfOrderID)
	if err != nil {
		return provider.Status{}, err
	}
	old, err := c.getOrder(ctx, oldID)
	if err != nil {
		return provider.Status{}, err
	}
	if old.Status != statusActive {
		log.FromContext(ctx).Info("The order to renew is not active; placing a new order", "order", oldID, "status", old.Status)
		return c.placeOrder(ctx, req)
	}
	ends := old.validUntil()
	if ends.IsZero() || ends.Sub(c.now()) > renewWindow {
		return c.reissue(ctx, oldID, req)
	}
	var out idData
	path := fmt.Sprintf("/ssl/orders/%d/renew", oldID)
	if err := c.call(ctx, "POST /ssl/orders/{id}/renew", path, nil, idData{ID: oldID}, &out); err != nil {
		return provider.Status{}, fmt.Errorf("renewing Openprovider order %d: %w", oldID, err)
	}
	renewed := oldID
	if out.ID > 0 {
		renewed = out.ID
	}
	log.FromContext(ctx).Info("Renewed an Openprovider order", "order", oldID, "renewedOrder", renewed)
	return c.reissue(ctx, renewed, req)
}

func pending(id int, format string, args ...any) provider.Status {
	return provider.Status{
		Handle:  provider.Handle{OrderID: strconv.Itoa(id)},
		State:   provider.StatePending,
		Message: fmt.Sprintf(format, args...),
	}
}

// hostNames are the SANs, as the CSR has them; never null on the wire.
func hostNames(req provider.Request) []string {
	if req.DNSNames == nil {
		return []string{}
	}
	return req.DNSNames
}

// validationMethods names every name of the certificate once: Openprovider
// wants exactly the CSR's common name and SANs.
func (c *Client) validationMethods(req provider.Request) []validationMethod {
	names := append([]string{req.CommonName}, req.DNSNames...)
	seen := map[string]bool{"": true}
	out := make([]validationMethod, 0, len(names))
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, validationMethod{HostName: n, Method: c.settings.DomainValidationMethod})
		}
	}
	return out
}
