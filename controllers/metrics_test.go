package controllers_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// TestMetricsEndpoint scrapes the manager's metrics endpoint after an
// issuance, as Prometheus would.
func TestMetricsEndpoint(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	startManagerWithMetrics(t, addr)
	ns := newNamespace(t)
	readyDigiCertIssuer(t, ns)
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
	waitIssued(t, request(ns, "metrics", "metrics", "metrics.example.com"))

	var body string
	eventually(t, "scraping /metrics", func() error {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		body = string(b)
		return err
	})
	for _, want := range []string{
		`certorder_submissions_total{action="Order",provider="digicert"}`,
		`certorder_ca_requests_total{endpoint="POST /order/certificate/{product_name_id}",outcome="success",provider="digicert"}`,
		`certorder_ca_request_duration_seconds_bucket{endpoint="GET /user/me",provider="digicert"`,
		`certorder_certificaterequest_issue_duration_seconds_count{provider="digicert"}`,
		`certorder_ratelimiter_wait_seconds_count{provider="digicert"}`,
		`certorder_certificaterequests_pending{age="1d+",provider="openprovider"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
