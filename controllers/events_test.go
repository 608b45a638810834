package controllers_test

import (
	"context"
	"fmt"
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/controllers"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	"github.com/certorder/certorder/internal/provider/fakeca"
)

// TestRequestEvents: an Event per Pending cause, on transitions only; a
// retry whose message differs only by its delay records none; an order the
// CA issues at once records one Event, Issued, not Submitted as well.
func TestRequestEvents(t *testing.T) {
	startManager(t)
	for _, tc := range []struct {
		name     string
		behavior dcfake.Behavior
		faults   []fakeca.Fault
		want     map[string]int
	}{{
		name:     "pending, a CA outage, then issued",
		behavior: dcfake.Behavior{Shape: dcfake.NeedsApproval, PendingPolls: 2},
		faults:   []fakeca.Fault{{Kind: fakeca.ServerError, Method: "GET", PathPrefix: dcfake.Prefix + "/", Times: 3, Status: 503}},
		want:     map[string]int{controllers.EventSubmitted: 1, controllers.CauseCAUnavailable: 1, cmapi.CertificateRequestReasonIssued: 1},
	}, {
		name:     "issued at once",
		behavior: dcfake.Behavior{Shape: dcfake.Immediate},
		want:     map[string]int{controllers.EventSubmitted: 0, cmapi.CertificateRequestReasonIssued: 1},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ns := newNamespace(t)
			readyDigiCertIssuer(t, ns)
			dc.SetBehavior(tc.behavior)
			for _, f := range tc.faults {
				dc.Faults().Add(f)
			}
			defer dc.Faults().Clear()
			cr := request(ns, "events", "events", "events.example.com")
			createApproved(t, cr)
			waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
			reasons := eventReasons(t, ns, cr.Name)
			for reason, want := range tc.want {
				if reasons[reason] != want {
					t.Errorf("%d %s Events, want %d (all: %v)", reasons[reason], reason, want, reasons)
				}
			}
			if reasons[cmapi.CertificateRequestReasonPending] != 0 {
				t.Errorf("Pending recorded as an Event reason; want the cause (all: %v)", reasons)
			}
		})
	}
}

// eventReasons counts the Events of a request by reason, once its Issued
// Event is there.
func eventReasons(t *testing.T, ns, name string) map[string]int {
	t.Helper()
	var reasons map[string]int
	eventually(t, "the Issued Event", func() error {
		var list eventsv1.EventList
		if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
			return err
		}
		reasons = map[string]int{}
		for _, e := range list.Items {
			if e.Regarding.Name == name {
				n := 1
				if e.Series != nil {
					n = int(e.Series.Count)
				}
				reasons[e.Reason] += n
			}
		}
		if reasons[cmapi.CertificateRequestReasonIssued] == 0 {
			return fmt.Errorf("events %v", reasons)
		}
		return nil
	})
	return reasons
}
