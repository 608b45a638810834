package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
)

// TestDCVHandsFreeIssueAndCleanup: a DV order is validated through the
// zone with no person involved (the fake DigiCert issues only once
// check-dcv finds the random value at _dnsauth.<name>), and the records
// are removed once it is issued.
func TestDCVHandsFreeIssueAndCleanup(t *testing.T) {
	w := newDCVWorld(t, dcvTSIGSecret, nil, true)
	published, validated := dcvCounter(t, "certorder_dcv_records_published_total", ""), dcvCounter(t, "certorder_dcv_checks_total", "validated")
	cr := request(w.ns, "dv", "dv", "example.com", "www.example.com")
	waitIssued(t, cr)
	if got := dcvCounter(t, "certorder_dcv_records_published_total", "") - published; got < 2 {
		t.Errorf("certorder_dcv_records_published_total grew by %v, want at least 2", got)
	}
	if got := dcvCounter(t, "certorder_dcv_checks_total", "validated") - validated; got < 1 {
		t.Errorf("certorder_dcv_checks_total{outcome=validated} grew by %v, want at least 1", got)
	}

	st := w.dcvState(t, "dv")
	if len(st.Records) != 2 || st.ValidatedAt == nil {
		t.Fatalf("status.dcv %+v: want two records and validatedAt", st)
	}
	for _, r := range st.Records {
		if r.PublishedAt == nil || r.PropagatedAt == nil || !r.Validated || r.RemovedAt == nil || r.Manual {
			t.Errorf("record %+v: want published, propagated, validated and removed", r)
		}
	}
	for _, name := range []string{"_dnsauth.example.com", "_dnsauth.www.example.com"} {
		if got := w.primary.TXT(name); len(got) != 0 {
			t.Errorf("%s still holds %v after issuance", name, got)
		}
	}
	if applied, refused := w.primary.Updates(); applied != 4 || refused != 0 {
		t.Errorf("%d updates applied, %d refused; want 2 adds and 2 removals", applied, refused)
	}
	if got := w.ca.Calls()[callCheckDCV]; got < 1 {
		t.Errorf("check-dcv called %d times; the order cannot have been validated", got)
	}
}

// TestDCVRestartMidValidation: certorder stops while it waits for the
// secondary nameserver; a new process carries on from the ledger, without
// publishing the records again, and removes them after issuance.
func TestDCVRestartMidValidation(t *testing.T) {
	w := newDCVWorld(t, dcvTSIGSecret, nil, false)
	cr := request(w.ns, "restart", "restart", "example.com")
	createApproved(t, cr)
	waitMessage(t, cr, "waiting for propagation of _dnsauth.example.com (1 of 2 nameservers)")
	w.stop()
	published, _ := w.primary.Updates()
	st := w.dcvState(t, "restart")
	if published != 1 || len(st.Records) != 1 || st.Records[0].PublishedAt == nil {
		t.Fatalf("%d updates, status.dcv %+v: want one record published and recorded", published, st)
	}
	if got := w.ca.Calls()[callCheckDCV]; got != 0 {
		t.Fatalf("check-dcv called %d times before the record was on every nameserver", got)
	}

	w.inSync.Store(true)
	startManager(t, w.options)
	waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
	if applied, _ := w.primary.Updates(); applied != published+1 {
		t.Errorf("%d updates after the restart, want only the removal", applied-published)
	}
	if got := w.primary.TXT("_dnsauth.example.com"); len(got) != 0 {
		t.Errorf("_dnsauth.example.com leaked: %v", got)
	}
	if st := w.dcvState(t, "restart"); st.Records[0].RemovedAt == nil {
		t.Errorf("the record is not marked removed: %+v", st.Records[0])
	}
}

// TestDCVWrongTSIG: a wrong TSIG secret shows in the Pending message, and
// DigiCert is never asked to check a record that was not published.
func TestDCVWrongTSIG(t *testing.T) {
	w := newDCVWorld(t, "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==", nil, true)
	cr := request(w.ns, "tsig", "tsig", "example.com")
	createApproved(t, cr)
	msg := waitMessage(t, cr, "publishing _dnsauth.example.com")
	if !strings.Contains(msg, "TSIG") {
		t.Errorf("message %q does not point at the TSIG key", msg)
	}
	// Failing steps go by: each retries the update, none asks DigiCert to
	// check, and the record stays unpublished in the ledger.
	eventually(t, "three refused updates", func() error {
		if _, refused := w.primary.Updates(); refused < 3 {
			return fmt.Errorf("%d refused updates", refused)
		}
		return nil
	})
	if got := w.ca.Calls()[callCheckDCV]; got != 0 {
		t.Errorf("check-dcv called %d times for a record that was never published", got)
	}
	if st := w.dcvState(t, "tsig"); len(st.Records) != 1 || st.Records[0].PublishedAt != nil || st.LastCheckAt != nil {
		t.Errorf("status.dcv %+v: want the record, unpublished and never checked", st)
	}
	waitRequest(t, cr, cmapi.CertificateRequestReasonPending)
}

// TestDCVNameOutsideSelector: a name outside the dcv selector is left to a
// person, with its token in the message, and the order stays pending.
func TestDCVNameOutsideSelector(t *testing.T) {
	w := newDCVWorld(t, dcvTSIGSecret, &v1alpha1.DCVSelector{DNSZones: []string{"example.com"}}, true)
	cr := request(w.ns, "manual", "manual", "example.com", "shop.example.net")
	createApproved(t, cr)
	msg := waitMessage(t, cr, "DigiCert: example.com validated, shop.example.net pending")
	st := w.dcvState(t, "manual")
	value := st.Records[0].Value
	if want := `outside the dcv selector, publish by hand: TXT _dnsauth.shop.example.net "` + value + `"`; !strings.Contains(msg, want) {
		t.Errorf("message %q does not show the token: want %q", msg, want)
	}
	if got := w.primary.TXT("_dnsauth.example.com"); len(got) != 1 || got[0] != value {
		t.Errorf("_dnsauth.example.com holds %v, want %q", got, value)
	}
	waitRequest(t, cr, cmapi.CertificateRequestReasonPending)
}

// TestDCVMissingSecret: when the dns01 provider cannot be built, the
// message says why and still shows the CA's own message with its token,
// and DigiCert is not asked to check.
func TestDCVMissingSecret(t *testing.T) {
	w := newDCVWorld(t, dcvTSIGSecret, nil, true)
	if err := k8s.Delete(context.Background(), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: w.ns, Name: "tsig"}}); err != nil {
		t.Fatal(err)
	}
	cr := request(w.ns, "nosecret", "nosecret", "example.com")
	createApproved(t, cr)
	msg := waitMessage(t, cr, "hands-free DNS validation cannot start")
	for _, want := range []string{"tsig", "not found", "DCV random value"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not contain %q", msg, want)
		}
	}
	if got := w.ca.Calls()[callCheckDCV]; got != 0 {
		t.Errorf("check-dcv called %d times", got)
	}
}
