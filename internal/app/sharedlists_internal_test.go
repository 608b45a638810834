package app

import (
	"context"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/certorder/certorder/api/v1alpha1"
)

// TestSharedListsSkipTheDeepCopy: the read-only listers get the cache's
// objects, not a copy of each, and keep their own options.
func TestSharedListsSkipTheDeepCopy(t *testing.T) {
	var asked client.ListOptions
	r := sharedLists{fake.NewClientBuilder().WithScheme(NewScheme()).WithInterceptorFuncs(interceptor.Funcs{
		List: func(_ context.Context, _ client.WithWatch, _ client.ObjectList, opts ...client.ListOption) error {
			asked.ApplyOptions(opts)
			return nil
		},
	}).Build()}
	if err := r.List(context.Background(), &v1alpha1.CertificateOrderList{}, client.InNamespace("team")); err != nil {
		t.Fatal(err)
	}
	if asked.UnsafeDisableDeepCopy == nil || !*asked.UnsafeDisableDeepCopy || asked.Namespace != "team" {
		t.Errorf("listed with %+v, want the namespace and no deep copy", asked)
	}
}
