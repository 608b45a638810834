package openprovider

import (
	"context"
	"errors"
	"fmt"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// provision moves a paid order that was never sent to the CA (PAI) on with
// PUT /ssl/orders/{id} and start_provision (the update-order docs: "If
// false, UpdateOrder method should be used later to change the setting and
// begin validation"), at most once an hour per order. The request stays
// Pending, and its message says what certorder did.
func (c *Client) provision(ctx context.Context, o *order, st provider.Status) (provider.Status, error) {
	key := fmt.Sprintf("provision %d", o.ID)
	if !c.session.nudges.due(key, c.now()) {
		st.Message += "; certorder asked Openprovider within the last hour to send it to the CA, and asks again hourly; check the order (funds, contacts) in Openprovider's panel"
		return st, nil
	}
	path := fmt.Sprintf("/ssl/orders/%d", o.ID)
	err := c.call(ctx, "PUT /ssl/orders/{id}", path, nil, provisionRequest{ID: o.ID, StartProvision: true}, nil)
	if err != nil {
		return c.nudgeFailed(key, st, fmt.Errorf("asking Openprovider to send order %d to the CA: %w", o.ID, err))
	}
	log.FromContext(ctx).Info("Asked Openprovider to send a paid order to the CA", "order", o.ID)
	st.Message += "; certorder asked Openprovider to send it to the CA (start_provision)"
	return st, nil
}

// completeRenewal sends the reissue with the submission's CSR to a renewed
// order that still shows the old certificate, at most once an hour per
// order and CSR (a reissue takes a while to show).
func (c *Client) completeRenewal(ctx context.Context, o *order, sub submission, st provider.Status) (provider.Status, error) {
	key := fmt.Sprintf("reissue %d %s", o.ID, provider.Fingerprint(sub.csr))
	if !c.session.nudges.due(key, c.now()) {
		st.Message = fmt.Sprintf("the reissue of Openprovider order %d with this request's CSR was requested; waiting for Openprovider to show it", o.ID)
		return st, nil
	}
	names, err := namesOfCSR(sub.csr)
	if err != nil {
		return provider.Status{}, &provider.PermanentError{Err: err}
	}
	sent, err := c.reissue(ctx, o, sub.csr, names)
	if err != nil {
		return c.nudgeFailed(key, st, err)
	}
	return sent, nil
}

// nudgeFailed reports a failed nudge: a fault is retried at the next poll,
// credentials stop the issuer, and the CA's refusal is shown while the
// request keeps waiting (the order exists; it may be fixed in the panel).
func (c *Client) nudgeFailed(key string, st provider.Status, err error) (provider.Status, error) {
	var transient *provider.TransientError
	var auth *provider.AuthError
	if errors.As(err, &transient) || errors.As(err, &auth) {
		c.session.nudges.forget(key)
		return provider.Status{}, err
	}
	st.State = provider.StatePending
	st.Message += "; " + err.Error() + "; certorder tries again within an hour"
	return st, nil
}
