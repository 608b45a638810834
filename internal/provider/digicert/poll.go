package digicert

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/certorder/certorder/internal/provider"
)

// Poll reports the state of an earlier submission. An order is read from
// its order info; a reissue or a duplicate is the entry of the order's list
// whose CSR matches, since DigiCert does not tie its request to the new
// certificate.
func (c *Client) Poll(ctx context.Context, req provider.PollRequest) (provider.Status, error) {
	orderID, err := parseID("order id", req.Handle.OrderID)
	if err != nil {
		return provider.Status{}, err
	}
	switch req.Action {
	case provider.ActionOrder:
		info, err := c.orderInfo(ctx, orderID)
		if err != nil {
			return provider.Status{}, err
		}
		st, err := c.orderStatus(ctx, info, req.Handle, pollAnswer(req))
		if errors.Is(err, errNotThisSubmission) {
			st = provider.Status{Handle: req.Handle, State: provider.StatePending}
			st.Message = fmt.Sprintf("DigiCert order %s holds no new certificate for this submission: %v", orderID, err)
			return st, nil
		}
		return st, err
	case provider.ActionReissue, provider.ActionDuplicate:
		return c.pollOnOrder(ctx, variantOf(req.Action), orderID, req)
	default:
		return provider.Status{}, permanentf("unknown action %q", req.Action)
	}
}

// orderStatus maps an order info onto a Status, downloading the chain once
// the order is issued. Its error wraps errNotThisSubmission when the
// order's certificate cannot answer a.
func (c *Client) orderStatus(ctx context.Context, info orderInfo, h provider.Handle, a answer) (provider.Status, error) {
	h.OrderID = info.ID.String()
	if h.RequestID == "" {
		h.RequestID = newRequestID(info.Requests)
	}
	st := provider.Status{Handle: h, State: provider.StatePending}
	st.OrderValidUntil, _ = parseTime(info.OrderValidTill)
	subject := "order " + h.OrderID
	switch classOf(info.Status) {
	case classIssued:
		if info.Certificate.ID <= 0 {
			return provider.Status{}, transientf("DigiCert %s is %q but names no certificate id", subject, info.Status)
		}
		return c.issued(ctx, st, info.Certificate.ID, a)
	case classFinal:
		return c.failed(ctx, st, subject, info.Status)
	default:
		st.Message = c.pendingOrderMessage(ctx, info, h.RequestID)
		return st, nil
	}
}

// newRequestID is the id of the order's own request, which a handle
// recovered by Find lacks.
func newRequestID(requests []requestRef) string {
	for _, r := range requests {
		if r.Type == "new_request" {
			return idString(r.ID)
		}
	}
	return ""
}

// issued downloads the certificate, checks that it answers a and
// completes st.
func (c *Client) issued(ctx context.Context, st provider.Status, certID ID, a answer) (provider.Status, error) {
	chain, err := c.download(ctx, certID)
	if err != nil {
		return provider.Status{}, err
	}
	if err := a.check(certID, chain); err != nil {
		return provider.Status{}, err
	}
	st.Handle.CertificateID = certID.String()
	st.State, st.Chain = provider.StateIssued, chain
	st.Message = fmt.Sprintf("DigiCert issued certificate %s on order %s", certID, st.Handle.OrderID)
	return st, nil
}

// failed completes st as final, with the approver's comment when the
// request was rejected and its id is known.
func (c *Client) failed(ctx context.Context, st provider.Status, subject, status string) (provider.Status, error) {
	if st.Handle.RequestID == "" {
		return final(st, subject, status, ""), nil
	}
	r, err := c.requestInfo(ctx, st.Handle.RequestID)
	if err != nil {
		return provider.Status{}, err
	}
	return final(st, subject, status, r.ProcessorComment), nil
}

func final(st provider.Status, subject, status, comment string) provider.Status {
	st.State = provider.StateFailed
	st.Message = fmt.Sprintf("DigiCert %s is %q", subject, status)
	if comment != "" {
		st.Message += ": " + capText(comment)
	}
	return st
}

// pendingOrderMessage says, in DigiCert's words, what the order waits for:
// its status, the DCV method and random value, the approval of a request.
func (c *Client) pendingOrderMessage(ctx context.Context, info orderInfo, requestID string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "DigiCert order %s is %q%s", info.ID, info.Status, unknownNote(info.Status))
	if info.DCVMethod != "" {
		fmt.Fprintf(&b, " (dcv_method %s)", info.DCVMethod)
	}
	waiting := false
	for _, r := range info.Requests {
		if r.Status == "pending" || r.Status == "submitted" {
			fmt.Fprintf(&b, "; waiting for approval of request %s", r.ID)
			waiting = true
		}
	}
	if !waiting && info.Status == "needs_approval" && requestID != "" {
		fmt.Fprintf(&b, "; waiting for approval of request %s", requestID)
	}
	if info.Status == "pending" && isTokenDCV(info.DCVMethod) {
		rv, err := c.dcvRandomValue(ctx, info.ID)
		switch {
		case err != nil:
			log.FromContext(ctx).V(1).Info("no DCV random value for the message", "orderID", info.ID.String(), "error", err.Error())
		case rv.DCVRandomValue != "":
			fmt.Fprintf(&b, "; DCV random value %q (expires %s)", rv.DCVRandomValue, rv.ExpirationDate)
		}
	}
	return b.String()
}
