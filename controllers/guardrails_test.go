package controllers_test

import (
	"context"
	"strings"
	"testing"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
)

// The issuers' guardrails run in the request path before anything is
// recorded or sent to the CA.
func TestGuardrails(t *testing.T) {
	startManager(t)
	ns := newNamespace(t)
	readyDigiCertIssuer(t, ns, func(s *v1alpha1.DigiCertIssuerSpec) {
		s.AllowedDNSNames = []string{"*.allowed.example"}
		s.NewOrderBudget = ptr.To[int32](1)
	})
	dc.SetBehavior(dcfake.Behavior{Shape: dcfake.Immediate})

	t.Run("a name outside allowedDNSNames: Failed naming the rule, no CA call", func(t *testing.T) {
		before := dc.Counts()
		cr := request(ns, "outside", "outside", "www.allowed.example", "shop.elsewhere.example")
		createApproved(t, cr)
		msg := readyMessage(waitRequest(t, cr, cmapi.CertificateRequestReasonFailed))
		if !strings.Contains(msg, "allowedDNSNames") || !strings.Contains(msg, "shop.elsewhere.example") {
			t.Errorf("message %q does not name the rule and the name", msg)
		}
		if dc.Counts() != before {
			t.Errorf("the CA was called: %+v", dc.Counts())
		}
	})

	t.Run("the budget reached: Pending naming it, exactly one order", func(t *testing.T) {
		before := dc.Counts()
		first := request(ns, "first", "first", "first.allowed.example")
		waitIssued(t, first)
		second := request(ns, "second", "second", "second.allowed.example")
		createApproved(t, second)
		waitMessage(t, second, "newOrderBudget is 1")
		if got := dc.Counts().Orders - before.Orders; got != 1 {
			t.Errorf("%d orders placed, want 1", got)
		}
	})
}

// allowedNamespaces of a cluster issuer is checked against the request's
// namespace labels, read from the API server.
func TestAllowedNamespaces(t *testing.T) {
	startManager(t)
	ns := newNamespace(t)
	iss := readyOpenproviderIssuer(t, ns, opURL)
	patched := iss.DeepCopy()
	patched.Spec.AllowedNamespaces = &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "prod"}}
	if err := k8s.Patch(context.Background(), patched, client.MergeFrom(iss)); err != nil {
		t.Fatal(err)
	}
	before := op.Counts()
	cr := request(ns, "unlabelled", "unlabelled", "unlabelled.example.com")
	cr.Spec.IssuerRef = cmmeta.IssuerReference{Group: v1alpha1.GroupVersion.Group, Kind: "OpenproviderClusterIssuer", Name: iss.Name}
	createApproved(t, cr)
	msg := readyMessage(waitRequest(t, cr, cmapi.CertificateRequestReasonFailed))
	if !strings.Contains(msg, "allowedNamespaces") || !strings.Contains(msg, ns) {
		t.Errorf("message %q does not name the rule and the namespace", msg)
	}
	if op.Counts() != before {
		t.Errorf("the CA was called: %+v", op.Counts())
	}
}

func readyMessage(cr *cmapi.CertificateRequest) string {
	if c := apiutil.GetCertificateRequestCondition(cr, cmapi.CertificateRequestConditionReady); c != nil {
		return c.Message
	}
	return ""
}
