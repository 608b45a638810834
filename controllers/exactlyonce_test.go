package controllers_test

import (
	"context"
	"fmt"
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/controllers"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

func TestExactlyOnce(t *testing.T) {
	t.Run("answer lost after the CA placed the order: recovered by CSR, not ordered again", func(t *testing.T) {
		startManager(t)
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns)
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
		dc.Faults().Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: dcfake.Prefix + "/order/certificate/", Times: 1})
		before := dc.Counts()
		cr := waitIssued(t, request(ns, "lost", "lost", "lost.example.com"))
		if got := dc.Counts(); got.Orders != before.Orders+1 {
			t.Errorf("orders %d -> %d, want exactly one more", before.Orders, got.Orders)
		}
		if cr.Annotations[controllers.AnnotationSubmittedAt] == "" || cr.Annotations[controllers.AnnotationAcceptedAt] == "" {
			t.Errorf("annotations %v lack the intent or the handle", cr.Annotations)
		}
	})

	t.Run("controller restarted between submission and issuance: issued once", func(t *testing.T) {
		stop := startManager(t)
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns)
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.NeedsApproval, PendingPolls: 2})
		before := dc.Counts()
		cr := request(ns, "restart", "restart", "restart.example.com")
		createApproved(t, cr)
		eventually(t, "the handle is recorded", func() error {
			cur := &cmapi.CertificateRequest{}
			if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
				return err
			}
			if cur.Annotations[controllers.AnnotationAcceptedAt] == "" {
				return fmt.Errorf("annotations %v", cur.Annotations)
			}
			return nil
		})
		stop()
		startManager(t)
		waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
		if got := dc.Counts(); got.Orders != before.Orders+1 {
			t.Errorf("orders %d -> %d, want exactly one more", before.Orders, got.Orders)
		}
	})

	t.Run("crash after the CA call, before the handle: the next controller recovers it", func(t *testing.T) {
		stop := startManager(t)
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns)
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
		// Every POST commits and loses its answer until the controller is gone.
		dc.Faults().Add(fakeca.Fault{Kind: fakeca.DropAfterCommit, Method: "POST", PathPrefix: dcfake.Prefix + "/order/certificate/"})
		before := dc.Counts()
		cr := request(ns, "crash", "crash", "crash.example.com")
		createApproved(t, cr)
		eventually(t, "the CA placed the order", func() error {
			if dc.Counts().Orders == before.Orders {
				return fmt.Errorf("no order yet")
			}
			return nil
		})
		stop()
		dc.Faults().Clear()
		startManager(t)
		cur := waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
		if got := dc.Counts(); got.Orders != before.Orders+1 {
			t.Errorf("orders %d -> %d, want exactly one more", before.Orders, got.Orders)
		}
		if cur.Annotations[controllers.AnnotationOrderID] == "" {
			t.Errorf("annotations %v lack the recovered order", cur.Annotations)
		}
	})

	t.Run("two controllers at once (stale caches): one order per request", func(t *testing.T) {
		startManager(t)
		startManager(t)
		ns := newNamespace(t)
		readyDigiCertIssuer(t, ns)
		dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})
		before := dc.Counts()
		const n = 8
		var crs []*cmapi.CertificateRequest
		for i := range n {
			cr := request(ns, fmt.Sprintf("race-%d", i), fmt.Sprintf("race-%d", i), fmt.Sprintf("race-%d.example.com", i))
			createApproved(t, cr)
			crs = append(crs, cr)
		}
		for _, cr := range crs {
			waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
		}
		if got := dc.Counts(); got.Orders != before.Orders+n {
			t.Errorf("orders %d -> %d, want exactly %d more", before.Orders, got.Orders, n)
		}
	})
}
