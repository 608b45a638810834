package controllers

import (
	"context"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/certorder/certorder/api/v1alpha1"
)

const (
	// issuerIndex indexes CertificateRequests by the certorder issuer they name.
	issuerIndex = "certorder.dev/issuer"
	// newOrdersIndex indexes CertificateOrders that recorded a new order by
	// the issuer that placed it, so the new-order budget reads only those.
	newOrdersIndex = "certorder.dev/new-orders-of"
	// unfinishedIndex files every unfinished request of a certorder issuer
	// under "true", so the pending gauge lists only those, not the
	// finished requests that pile up in a cluster.
	unfinishedIndex = "certorder.dev/unfinished"
)

// SetupWithManager registers the reconciler. A request is reconciled when it
// is created, approved or denied, when its issuer becomes Ready or changes,
// and whenever a poll is due; certorder's own writes to it do not trigger
// a reconcile, so polls keep their backoff.
func (r *RequestReconciler) SetupWithManager(mgr ctrl.Manager, maxConcurrent int) error {
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &cmapi.CertificateRequest{}, issuerIndex, r.issuerOf); err != nil {
		return err
	}
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &cmapi.CertificateRequest{}, unfinishedIndex, r.unfinished); err != nil {
		return err
	}
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.CertificateOrder{}, newOrdersIndex, newOrdersOf); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		Named("certificaterequests").
		For(&cmapi.CertificateRequest{}, builder.WithPredicates(predicate.Funcs{UpdateFunc: approvalChanged})).
		WithOptions(controllerOptions(maxConcurrent))
	for _, k := range r.Kinds {
		b = b.Watches(k.New(), handler.EnqueueRequestsFromMapFunc(r.requestsOf(k)),
			builder.WithPredicates(predicate.Funcs{UpdateFunc: issuerChanged}))
	}
	return b.Complete(r)
}

// issuerOf is the index value of the certorder issuer an unfinished
// request names. Finished requests, most of those in a cluster, are left
// out: an issuer's change never requeues them.
func (r *RequestReconciler) issuerOf(o client.Object) []string {
	cr := o.(*cmapi.CertificateRequest)
	k, ok := r.Kinds.Lookup(cr.Spec.IssuerRef.Group, cr.Spec.IssuerRef.Kind)
	if !ok || Terminal(cr) {
		return nil
	}
	return []string{k.Name + "/" + k.issuerKey(cr.Namespace, cr.Spec.IssuerRef.Name).String()}
}

// unfinished is the unfinishedIndex value of a request: "true" for an
// unfinished request of a certorder issuer, none otherwise.
func (r *RequestReconciler) unfinished(o client.Object) []string {
	if len(r.issuerOf(o)) == 0 {
		return nil
	}
	return []string{"true"}
}

// newOrdersOf is the index value of the issuer whose new orders a
// CertificateOrder recorded; none when it recorded none.
func newOrdersOf(o client.Object) []string {
	co := o.(*v1alpha1.CertificateOrder)
	if len(co.Status.NewOrdersPlaced) == 0 {
		return nil
	}
	return []string{co.Spec.IssuerRef.Kind + "/" + co.Spec.IssuerRef.Name}
}

// requestsOf maps an issuer to the unfinished requests that name it.
func (r *RequestReconciler) requestsOf(k Kind) handler.MapFunc {
	return func(ctx context.Context, issuer client.Object) []reconcile.Request {
		var list cmapi.CertificateRequestList
		opts := []client.ListOption{client.MatchingFields{issuerIndex: k.Name + "/" + client.ObjectKeyFromObject(issuer).String()}}
		if !k.Cluster {
			opts = append(opts, client.InNamespace(issuer.GetNamespace()))
		}
		if err := r.Client.List(ctx, &list, opts...); err != nil {
			log.FromContext(ctx).Error(err, "listing the requests of an issuer", "issuer", client.ObjectKeyFromObject(issuer))
			return nil
		}
		var reqs []reconcile.Request
		for i := range list.Items {
			if !Terminal(&list.Items[i]) {
				reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&list.Items[i])})
			}
		}
		return reqs
	}
}

// approvalChanged passes updates that approve or deny a request.
func approvalChanged(e event.UpdateEvent) bool {
	o, n := e.ObjectOld.(*cmapi.CertificateRequest), e.ObjectNew.(*cmapi.CertificateRequest)
	return apiutil.CertificateRequestIsApproved(o) != apiutil.CertificateRequestIsApproved(n) ||
		apiutil.CertificateRequestIsDenied(o) != apiutil.CertificateRequestIsDenied(n) ||
		o.Generation != n.Generation
}

// issuerChanged passes updates of an issuer's spec or readiness.
func issuerChanged(e event.UpdateEvent) bool {
	o, n := e.ObjectOld.(Issuer), e.ObjectNew.(Issuer)
	return o.GetGeneration() != n.GetGeneration() ||
		meta.IsStatusConditionTrue(o.GetStatus().Conditions, v1alpha1.ConditionReady) != meta.IsStatusConditionTrue(n.GetStatus().Conditions, v1alpha1.ConditionReady)
}
