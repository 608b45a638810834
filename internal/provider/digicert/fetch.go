package digicert

import (
	"context"
	"strings"

	"github.com/certorder/certorder/internal/provider"
)

// fetchJSON sends a call without a body and decodes its JSON answer.
func fetchJSON[T any](ctx context.Context, c *Client, endpoint, path string, logKV ...any) (T, error) {
	var out T
	err := c.doJSON(ctx, call{endpoint: endpoint, path: path, logKV: logKV}, &out)
	return out, err
}

func (c *Client) orderInfo(ctx context.Context, orderID ID) (orderInfo, error) {
	info, err := fetchJSON[orderInfo](ctx, c, epOrderInfo, "/order/certificate/"+orderID.String(), "orderID", orderID.String())
	if err == nil && info.ID <= 0 {
		info.ID = orderID
	}
	return info, err
}

// requestInfo reads the request of a handle.
func (c *Client) requestInfo(ctx context.Context, requestID string) (requestInfo, error) {
	id, err := parseID("request id", requestID)
	if err != nil {
		return requestInfo{}, err
	}
	return fetchJSON[requestInfo](ctx, c, epRequestInfo, "/request/"+id.String(), "requestID", requestID)
}

// dcvRandomValue asks for the order's DCV random value. CertCentral returns
// the current one while it is valid, and only makes a new one once it has
// expired, so asking on every poll changes nothing.
func (c *Client) dcvRandomValue(ctx context.Context, orderID ID) (dcvRandomValue, error) {
	path := "/order/certificate/" + orderID.String() + "/dcv-random-value"
	return fetchJSON[dcvRandomValue](ctx, c, epDCVRandomValue, path, "orderID", orderID.String())
}

// pemMediaType is the Content-Type of the pem_all format, in DigiCert's
// glossary of certificate formats (https://dev.digicert.com/glossary/), and
// so the Accept header of the download.
const pemMediaType = "application/x-pem-file"

// download fetches a certificate with its chain (pem_all: leaf,
// intermediates, root, CRLF line ends). A bundle that is not one chain is
// reported as transient: nothing is gained by failing the request, and a
// later download may be whole.
func (c *Client) download(ctx context.Context, certID ID) (*provider.Chain, error) {
	resp, err := c.do(ctx, call{
		endpoint: epDownload,
		path:     "/certificate/" + certID.String() + "/download/format/pem_all",
		accept:   pemMediaType,
		logKV:    []any{"certificateID", certID.String()},
	})
	if err != nil {
		return nil, err
	}
	chain, err := provider.ParseChain(resp.Body)
	if err != nil {
		return nil, transientf("%s: certificate %s: %w", epDownload, certID, err)
	}
	return chain, nil
}

// chainFromEntries reads the certificate_chain of an immediate issuance.
func chainFromEntries(entries []chainEntry) (*provider.Chain, error) {
	var pems []string
	for _, e := range entries {
		pems = append(pems, e.PEM)
	}
	return provider.ParseChain([]byte(strings.Join(pems, "\n")))
}
