package digicert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

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
	return c.submitted(ctx, epOrderCreate, resp.Body, 0, answerOf(req, time.Time{}))
}

func (c *Client) submitOnOrder(ctx context.Context, req provider.Request) (provider.Status, error) {
	orderID, err := parseID("order id", req.OrderID)
	if err != nil {
		return provider.Status{}, err
	}
	v := variantOf(req.Action)
	body, note, err := c.onOrderBody(ctx, v, orderID, req)
	if err != nil {
		return provider.Status{}, err
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
	st, err := c.submitted(ctx, v.submit, resp.Body, orderID, answerOf(req, time.Time{}))
	if err == nil && note != "" {
		st.Message += "; " + note
	}
	return st, err
}

// duplicateValidityNote says who picks a duplicate's validity: the
// duplicate docs take none, and cap the original's remaining validity at
// 397 days
// (https://dev.digicert.com/en/certcentral-apis/services-api/orders/duplicate-certificate.html).
const duplicateValidityNote = "a duplicate's validity is DigiCert's choice: the original certificate's remaining validity, at most 397 days"

// onOrderBody is the body of a reissue or a duplicate, with a note for the
// status message when the requested validity cannot be sent.
//   - A duplicate sends the certificate object alone, the only one its
//     docs list.
//   - A reissue sends cert_validity inside certificate, and only for an
//     order on a Multi-year Plan, as the reissue docs say
//     (https://dev.digicert.com/en/certcentral-apis/services-api/orders/reissue-certificate.html);
//     the order info tells (is_multi_year_plan), and is read only when a
//     validity is asked for.
func (c *Client) onOrderBody(ctx context.Context, v variant, orderID ID, req provider.Request) (any, string, error) {
	cert := c.certificateBody(req)
	if v == duplicate {
		return duplicateRequest{Certificate: cert}, duplicateValidityNote, nil
	}
	body := reissueRequest{Certificate: cert, Comments: req.Comment, SkipApproval: c.spec.SkipApproval}
	validity := certValidity(req.Validity)
	if validity == nil {
		return body, "", nil
	}
	info, err := c.orderInfo(ctx, orderID)
	if err != nil {
		return nil, "", err
	}
	if !info.IsMultiYearPlan {
		return body, fmt.Sprintf("order %s is not on a Multi-year Plan, so DigiCert chooses the reissue's validity", orderID), nil
	}
	body.Certificate.CertValidity = validity
	return body, "", nil
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
// finds it. An immediate chain is checked as Poll checks a download: a
// chain that does not answer the request fails it, since asking again
// cannot change a certificate DigiCert issued.
func (c *Client) submitted(ctx context.Context, endpoint string, body []byte, orderID ID, a answer) (provider.Status, error) {
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
			return immediate(st, chain, a), nil
		}
		log.FromContext(ctx).Info("DigiCert returned an unusable chain; it will be downloaded", "orderID", st.Handle.OrderID, "error", err.Error())
	}
	st.Message = submittedMessage(r)
	return st, nil
}

// immediate completes st with the chain of the 201 answer, or fails it
// when the chain does not certify the request.
func immediate(st provider.Status, chain *provider.Chain, a answer) provider.Status {
	if err := a.verify(chain); err != nil {
		st.State = provider.StateFailed
		st.Message = fmt.Sprintf("DigiCert issued certificate %s on order %s, but it does not answer the request: %v", st.Handle.CertificateID, st.Handle.OrderID, err)
		return st
	}
	st.State, st.Chain = provider.StateIssued, chain
	st.Message = fmt.Sprintf("DigiCert issued certificate %s on order %s", st.Handle.CertificateID, st.Handle.OrderID)
	return st
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
