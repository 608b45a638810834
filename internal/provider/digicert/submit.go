package digicert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// Submit places a new order, a reissue or a duplicate, exactly once. Once
// CertCentral has answered 201 with an order id, Submit returns a Status
// with the handle and no error, even when the rest of the answer is
// unusable: Poll then takes over.
func (c *Client) Submit(ctx context.Context, req provider.Request) (provider.Status, error) {
	if req.CommonName == "" || len(req.CSR) == 0 {
		return provider.Status{}, permanentf("a CertCentral request needs a common name and a CSR")
	}
	switch req.Action {
	case provider.ActionOrder:
		return c.submitOrder(ctx, req)
	case provider.ActionReissue, provider.ActionDuplicate:
		return c.submitOnOrder(ctx, req)
	default:
		return provider.Status{}, permanentf("unknown action %q", req.Action)
	}
}

func (c *Client) submitOrder(ctx context.Context, req provider.Request) (provider.Status, error) {
	if c.spec.ProductNameID == "" {
		return provider.Status{}, permanentf("the issuer names no productNameID")
	}
	body, err := c.orderBody(req)
	if err != nil {
		return provider.Status{}, err
	}
	resp, err := c.do(ctx, call{
		endpoint: epOrderCreate,
		path:     "/order/certificate/" + url.PathEscape(c.spec.ProductNameID),
		body:     body,
		logKV:    []any{"product", c.spec.ProductNameID, "csr", provider.Fingerprint(req.CSR)},
	})
	if err != nil {
		return provider.Status{}, err
	}
	return c.submitted(ctx, epOrderCreate, resp.Body, 0)
}

func (c *Client) submitOnOrder(ctx context.Context, req provider.Request) (provider.Status, error) {
	orderID, err := parseID("order id", req.OrderID)
	if err != nil {
		return provider.Status{}, err
	}
	v := variantOf(req.Action)
	body := reissueRequest{
		Certificate:  c.certificateBody(req),
		CertValidity: certValidity(req.Validity),
		Comments:     req.Comment,
		SkipApproval: c.spec.SkipApproval,
	}
	resp, err := c.do(ctx, call{
		endpoint: v.submit,
		path:     v.path(orderID),
		body:     body,
		logKV:    []any{"orderID", orderID.String(), "csr", provider.Fingerprint(req.CSR)},
	})
	if err != nil {
		return provider.Status{}, err
	}
	return c.submitted(ctx, v.submit, resp.Body, orderID)
}

// parseSubmitResponse reads a 201 answer. orderID stands in when a reissue
// or duplicate answer omits the order's id; a new order's answer must name
// it.
func parseSubmitResponse(body []byte, orderID ID) (submitResponse, error) {
	var r submitResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return submitResponse{}, fmt.Errorf("the answer is not the expected JSON (%d bytes): %w", len(body), err)
	}
	if r.ID <= 0 {
		r.ID = orderID
	}
	if r.ID <= 0 {
		return submitResponse{}, errors.New("the answer names no order id")
	}
	return r, nil
}

// submitted turns a 201 answer into a Status. An answer that cannot be read
// is a transient error: the submission may exist, and recovery by CSR
// finds it.
func (c *Client) submitted(ctx context.Context, endpoint string, body []byte, orderID ID) (provider.Status, error) {
	r, err := parseSubmitResponse(body, orderID)
	if err != nil {
		return provider.Status{}, transientf("%s: %w", endpoint, err)
	}
	st := provider.Status{
		Handle: provider.Handle{OrderID: r.ID.String(), CertificateID: idString(r.CertificateID)},
		State:  provider.StatePending,
	}
	if len(r.Requests) > 0 {
		st.Handle.RequestID = idString(r.Requests[0].ID)
	}
	if len(r.CertificateChain) > 0 {
		chain, err := chainFromEntries(r.CertificateChain)
		if err == nil {
			st.State, st.Chain = provider.StateIssued, chain
			st.Message = fmt.Sprintf("DigiCert issued certificate %s on order %s", st.Handle.CertificateID, st.Handle.OrderID)
			return st, nil
		}
		log.FromContext(ctx).Info("DigiCert returned an unusable chain; it will be downloaded", "orderID", st.Handle.OrderID, "error", err.Error())
	}
	st.Message = submittedMessage(r)
	return st, nil
}

func submittedMessage(r submitResponse) string {
	var b strings.Builder
	fmt.Fprintf(&b, "DigiCert accepted order %s", r.ID)
	for _, rq := range r.Requests {
		if rq.Status == "" || rq.Status == "pending" || rq.Status == "submitted" {
			fmt.Fprintf(&b, "; waiting for approval of request %s", rq.ID)
		}
	}
	if r.CertificateID > 0 {
		fmt.Fprintf(&b, "; certificate %s is pending validation", r.CertificateID)
	}
	if r.DCVRandomValue != "" {
		fmt.Fprintf(&b, "; DCV random value %q", r.DCVRandomValue)
	}
	for _, d := range r.Domains {
		if d.DCVToken != nil && d.DCVToken.Token != "" {
			fmt.Fprintf(&b, "; DCV token for %s: %q (%s, expires %s)", d.DNSName, d.DCVToken.Token, d.DCVToken.Status, d.DCVToken.ExpirationDate)
		}
	}
	return b.String()
}
