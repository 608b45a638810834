package app_test

import (
	"testing"
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	toolscache "k8s.io/client-go/tools/cache"

	"github.com/certorder/certorder/internal/app"
)

// request is a full CertificateRequest as the API server sends it.
func request(group string, ready *cmapi.CertificateRequestCondition) *cmapi.CertificateRequest {
	cr := &cmapi.CertificateRequest{
		TypeMeta: metav1.TypeMeta{Kind: "CertificateRequest", APIVersion: "cert-manager.io/v1"},
		ObjectMeta: metav1.ObjectMeta{
			Namespace: "ns", Name: "r", UID: "u1", ResourceVersion: "7", Generation: 1,
			Labels:          map[string]string{"app": "web"},
			Annotations:     map[string]string{cmapi.CertificateNameKey: "web", "certorder.dev/order-id": "42"},
			OwnerReferences: []metav1.OwnerReference{{Kind: "Certificate", Name: "web"}},
			ManagedFields:   []metav1.ManagedFieldsEntry{{Manager: "cert-manager"}},
		},
		Spec: cmapi.CertificateRequestSpec{
			IssuerRef: cmmeta.IssuerReference{Group: group, Kind: "DigiCertIssuer", Name: "dc"},
			Request:   []byte("csr"), Usages: []cmapi.KeyUsage{cmapi.UsageDigitalSignature},
		},
		Status: cmapi.CertificateRequestStatus{
			Conditions:  []cmapi.CertificateRequestCondition{{Type: cmapi.CertificateRequestConditionApproved, Status: cmmeta.ConditionTrue}},
			Certificate: []byte("chain"), CA: []byte("ca"),
		},
	}
	if ready != nil {
		cr.Status.Conditions = append(cr.Status.Conditions, *ready)
	}
	return cr
}

func ready(status cmmeta.ConditionStatus, reason string) *cmapi.CertificateRequestCondition {
	return &cmapi.CertificateRequestCondition{
		Type: cmapi.CertificateRequestConditionReady, Status: status, Reason: reason,
		Message: "the CA's words", LastTransitionTime: &metav1.Time{Time: time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)},
	}
}

func TestTrimRequest(t *testing.T) {
	trimmed := func(group string, c *cmapi.CertificateRequestCondition, edit func(*cmapi.CertificateRequest)) *cmapi.CertificateRequest {
		cr := request(group, c)
		cr.ManagedFields = nil
		edit(cr)
		return cr
	}
	dropChain := func(cr *cmapi.CertificateRequest) { cr.Status.Certificate = nil }
	foreign := func(group string) *cmapi.CertificateRequest {
		full := request(group, ready(cmmeta.ConditionTrue, cmapi.CertificateRequestReasonIssued))
		return &cmapi.CertificateRequest{
			TypeMeta:   full.TypeMeta,
			ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "r", UID: "u1", ResourceVersion: "7", Generation: 1},
			Spec:       cmapi.CertificateRequestSpec{IssuerRef: full.Spec.IssuerRef},
		}
	}
	// terminal keeps identity, issuerRef and the conditions' type, status
	// and reason.
	terminal := func(status cmmeta.ConditionStatus, reason string) *cmapi.CertificateRequest {
		cr := foreign("certorder.dev")
		cr.Status.Conditions = []cmapi.CertificateRequestCondition{
			{Type: cmapi.CertificateRequestConditionApproved, Status: cmmeta.ConditionTrue},
			{Type: cmapi.CertificateRequestConditionReady, Status: status, Reason: reason},
		}
		return cr
	}
	for _, tc := range []struct {
		name string
		in   *cmapi.CertificateRequest
		want *cmapi.CertificateRequest
	}{
		{"another issuer's request keeps identity and issuerRef",
			request("cert-manager.io", ready(cmmeta.ConditionTrue, cmapi.CertificateRequestReasonIssued)), foreign("cert-manager.io")},
		{"an empty group is cert-manager's, not certorder's",
			request("", ready(cmmeta.ConditionTrue, cmapi.CertificateRequestReasonIssued)), foreign("")},
		{"a new certorder request keeps its CSR",
			request("certorder.dev", nil), trimmed("certorder.dev", nil, dropChain)},
		{"a pending certorder request keeps its CSR and CA",
			request("certorder.dev", ready(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonPending)),
			trimmed("certorder.dev", ready(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonPending), dropChain)},
		{"an issued request keeps identity, issuerRef and conditions",
			request("certorder.dev", ready(cmmeta.ConditionTrue, cmapi.CertificateRequestReasonIssued)),
			terminal(cmmeta.ConditionTrue, cmapi.CertificateRequestReasonIssued)},
		{"a failed request keeps identity, issuerRef and conditions",
			request("certorder.dev", ready(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonFailed)),
			terminal(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonFailed)},
		{"a denied request keeps identity, issuerRef and conditions",
			request("certorder.dev", ready(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonDenied)),
			terminal(cmmeta.ConditionFalse, cmapi.CertificateRequestReasonDenied)},
	} {
		t.Run(tc.name, func(t *testing.T) { checkTrim(t, app.TrimRequest, tc.in, tc.want) })
	}
}

func TestTrimRequestLeavesOtherObjects(t *testing.T) {
	tomb := toolscache.DeletedFinalStateUnknown{Key: "ns/r", Obj: request("cert-manager.io", nil)}
	out, err := app.TrimRequest(tomb)
	if err != nil {
		t.Fatal(err)
	}
	if !equality.Semantic.DeepEqual(out, tomb) {
		t.Errorf("a tombstone became %+v", out)
	}
}

func TestManagerOptionsTrimRequests(t *testing.T) {
	opts := app.ManagerOptions()
	for obj, by := range opts.Cache.ByObject {
		if _, ok := obj.(*cmapi.CertificateRequest); !ok || by.Transform == nil {
			continue
		}
		out, err := by.Transform(request("cert-manager.io", nil))
		if err != nil {
			t.Fatal(err)
		}
		if cr := out.(*cmapi.CertificateRequest); cr.Spec.Request != nil || cr.ManagedFields != nil {
			t.Errorf("the manager caches %+v", cr)
		}
		return
	}
	t.Error("the manager's cache has no transform for CertificateRequests")
}

// checkTrim trims in to want, and trims the result again to the same: the
// informer may pass a transform an object it already trimmed.
func checkTrim(t *testing.T, trim func(any) (any, error), in, want runtime.Object) {
	t.Helper()
	once, err := trim(in)
	if err != nil {
		t.Fatal(err)
	}
	if !equality.Semantic.DeepEqual(once, want) {
		t.Errorf("trimmed to\n%+v\nwant\n%+v", once, want)
	}
	twice, err := trim(once.(runtime.Object).DeepCopyObject())
	if err != nil {
		t.Fatal(err)
	}
	if !equality.Semantic.DeepEqual(twice, once) {
		t.Errorf("trimming again changed\n%+v\nto\n%+v", once, twice)
	}
}
