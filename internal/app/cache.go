package app

import (
	"unique"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
)

// TrimRequest is the cache transform of CertificateRequests: every one in
// the cluster is watched, so each is trimmed to what certorder reads. It replaces
// the default transform for them, so it drops managedFields too.
//
//   - A request of another issuer (issuerRef.group is not certorder's) keeps
//     only its identity and issuerRef: the reconciler, the issuer index and
//     the pending gauge look no further before they skip it.
//   - No request keeps status.certificate: certorder writes it once, as the
//     request becomes terminal, and never reads it back.
//   - A terminal request (Ready True, or Ready False with reason Failed or
//     Denied) keeps only its identity, issuerRef and the type, status and
//     reason of its conditions: certorder does nothing more with it, and
//     the reconciler, the issuer index, the pending gauge and the approval
//     predicate read no more than that. Its CSR, status.ca, labels,
//     annotations and owner references go; the rare reader of those fields
//     (a replaced submission's request) reads uncached. Issued requests
//     pile up in a cluster, one per renewal until cert-manager's
//     revisionHistoryLimit prunes them, so this is most of the cache.
//
// The informer may pass an object it already trimmed, or a tombstone; the
// transform is idempotent and leaves what is not a request unchanged.
func TrimRequest(in any) (any, error) {
	cr, ok := in.(*cmapi.CertificateRequest)
	if !ok {
		return in, nil
	}
	if cr.Spec.IssuerRef.Group != v1alpha1.GroupVersion.Group {
		return identityAndIssuer(cr), nil
	}
	if controllers.Terminal(cr) {
		return terminalRequest(cr), nil
	}
	cr.ManagedFields = nil
	cr.Status.Certificate = nil
	return cr, nil
}

// identityAndIssuer is what the cache keeps of another issuer's request.
func identityAndIssuer(cr *cmapi.CertificateRequest) *cmapi.CertificateRequest {
	ref := cr.Spec.IssuerRef
	return &cmapi.CertificateRequest{
		TypeMeta: internedType(cr.TypeMeta),
		ObjectMeta: metav1.ObjectMeta{
			Name: cr.Name, Namespace: interned(cr.Namespace), UID: cr.UID, ResourceVersion: cr.ResourceVersion,
			Generation: cr.Generation, CreationTimestamp: cr.CreationTimestamp, DeletionTimestamp: cr.DeletionTimestamp,
		},
		Spec: cmapi.CertificateRequestSpec{IssuerRef: cmmeta.IssuerReference{Name: interned(ref.Name), Kind: interned(ref.Kind), Group: interned(ref.Group)}},
	}
}

// terminalRequest is what the cache keeps of certorder's finished request:
// what tells that it is finished, and whether it was approved or denied.
func terminalRequest(cr *cmapi.CertificateRequest) *cmapi.CertificateRequest {
	out := identityAndIssuer(cr)
	out.Status.Conditions = make([]cmapi.CertificateRequestCondition, len(cr.Status.Conditions))
	for i, c := range cr.Status.Conditions {
		out.Status.Conditions[i] = cmapi.CertificateRequestCondition{
			Type: cmapi.CertificateRequestConditionType(interned(string(c.Type))), Status: cmmeta.ConditionStatus(interned(string(c.Status))), Reason: interned(c.Reason),
		}
	}
	return out
}

// interned is the one shared copy of s. The decoder allocates every string
// of every object anew; the cache holds the values that repeat across
// thousands of objects (kinds, namespaces, issuer references, condition
// types, statuses and reasons) once each instead.
func interned(s string) string { return unique.Make(s).Value() }

// internedType is t with its strings interned.
func internedType(t metav1.TypeMeta) metav1.TypeMeta {
	return metav1.TypeMeta{Kind: interned(t.Kind), APIVersion: interned(t.APIVersion)}
}

// TrimLedger is the cache transform of CertificateOrders. It replaces the
// default transform for them, so it drops managedFields too.
//
// A ledger whose submission is settled (Issued or Failed), which is what
// a ledger is between its Certificate's renewals, is cached as
// controllers.SummarizeLedger's summary: what the lists of ledgers read
// (the new-order budget, the plan-end metrics, the adoption check). A
// request that reconciles against such a ledger reads it whole, uncached
// (controllers' loadLedger): once per renewal, the rare time the rest is
// needed. A ledger outlives its requests, one per Certificate and issuer,
// so at scale they are a large share of the cache.
func TrimLedger(in any) (any, error) {
	co, ok := in.(*v1alpha1.CertificateOrder)
	if !ok {
		return in, nil
	}
	co.ManagedFields = nil
	co.TypeMeta, co.Namespace = internedType(co.TypeMeta), interned(co.Namespace)
	ref := &co.Spec.IssuerRef
	ref.Name, ref.Kind, ref.Group = interned(ref.Name), interned(ref.Kind), interned(ref.Group)
	co.Spec.Provider, co.Status.State = v1alpha1.Provider(interned(string(co.Spec.Provider))), v1alpha1.OrderState(interned(string(co.Status.State)))
	if sum := controllers.SummarizeLedger(co); sum != co {
		return sum, nil
	}
	if sub := co.Status.Submission; sub != nil {
		sub.Phase, sub.Action = v1alpha1.SubmissionPhase(interned(string(sub.Phase))), interned(sub.Action)
	}
	return co, nil
}
