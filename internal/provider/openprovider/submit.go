package openprovider

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

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
		o, err := c.getOrder(ctx, id)
		if err != nil {
			return provider.Status{}, err
		}
		return c.reissue(ctx, o, req.CSR, namesOf(req))
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
	names := namesOf(req)
	if err := c.checkNames(ctx, c.settings.ProductID, names); err != nil {
		return provider.Status{}, err
	}
	body := createOrderRequest{
		ProductID:               c.settings.ProductID,
		Period:                  c.settings.Period,
		CSR:                     string(req.CSR),
		SoftwareID:              c.settings.SoftwareID,
		HostNames:               names.extra,
		OrganizationHandle:      c.settings.OrganizationHandle,
		TechnicalHandle:         c.settings.TechnicalHandle,
		ApproverEmail:           c.settings.ApproverEmail,
		DomainValidationMethods: names.validationMethods(c.settings.DomainValidationMethod),
		SignatureHashAlgorithm:  c.settings.SignatureHashAlgorithm,
		Autorenew:               "off",
		EnableDNSAutomation:     c.settings.EnableDNSAutomation,
		StartProvision:          true,
	}
	var out idData
	if err := c.call(ctx, "POST /ssl/orders", "/ssl/orders", nil, body, &out); err != nil {
		return provider.Status{}, fmt.Errorf("placing an Openprovider order for %q: %w", names.common, err)
	}
	if out.ID <= 0 {
		return provider.Status{}, &provider.TransientError{Err: errors.New("openprovider POST /ssl/orders: the answer holds no order id")}
	}
	log.FromContext(ctx).Info("Placed an Openprovider order", "order", out.ID, "commonName", names.common)
	return pending(out.ID, "Openprovider order %d placed; waiting for the CA", out.ID), nil
}

// reissue sends csr to order o. Reissues are free, but names beyond the
// product's are not, so they are checked against the order's product.
func (c *Client) reissue(ctx context.Context, o *order, csr []byte, names certNames) (provider.Status, error) {
	if o.ProductID > 0 {
		if err := c.checkNames(ctx, o.ProductID, names); err != nil {
			return provider.Status{}, err
		}
	}
	body := reissueRequest{
		ID:                      o.ID,
		CSR:                     string(csr),
		ApproverEmail:           c.settings.ApproverEmail,
		DomainValidationMethods: names.validationMethods(c.settings.DomainValidationMethod),
		HostNames:               names.extra,
		OrganizationHandle:      c.settings.OrganizationHandle,
		SignatureHashAlgorithm:  c.settings.SignatureHashAlgorithm,
		SoftwareID:              c.settings.SoftwareID,
		EnableDNSAutomation:     c.settings.EnableDNSAutomation,
	}
	path := fmt.Sprintf("/ssl/orders/%d/reissue", o.ID)
	if err := c.call(ctx, "POST /ssl/orders/{id}/reissue", path, nil, body, nil); err != nil {
		return provider.Status{}, fmt.Errorf("reissuing Openprovider order %d: %w", o.ID, err)
	}
	log.FromContext(ctx).Info("Reissued an Openprovider order", "order", o.ID, "commonName", names.common)
	return pending(o.ID, "reissue of Openprovider order %d requested; waiting for the CA", o.ID), nil
}

func pending(id int, format string, args ...any) provider.Status {
	return provider.Status{
		Handle:  provider.Handle{OrderID: strconv.Itoa(id)},
		State:   provider.StatePending,
		Message: fmt.Sprintf(format, args...),
	}
}
