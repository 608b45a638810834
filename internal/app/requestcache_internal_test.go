package app

import (
	"context"
	"errors"
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

func TestProbeRequestCache(t *testing.T) {
	crs := schema.GroupResource{Group: "cert-manager.io", Resource: "certificaterequests"}
	for _, tc := range []struct {
		name    string
		listErr error
		want    RequestCache
		wantErr bool
	}{
		{"the server selects by issuerRef.group", nil, OwnRequests, false},
		{"an unknown field selector is a Bad Request: cache all, trimmed",
			apierrors.NewBadRequest(`Unable to find "cert-manager.io/v1, Resource=certificaterequests" that match label selector "", field selector "spec.issuerRef.group=certorder.dev": field label not supported: spec.issuerRef.group`),
			AllRequests, false},
		{"forbidden fails startup", apierrors.NewForbidden(crs, "", errors.New("no list")), AllRequests, true},
		{"a server timeout fails startup", apierrors.NewServerTimeout(crs, "list", 1), AllRequests, true},
		{"an unreachable server fails startup", errors.New("connection refused"), AllRequests, true},
		{"no CertificateRequest CRD fails startup", &meta.NoKindMatchError{GroupKind: schema.GroupKind{Group: "cert-manager.io", Kind: "CertificateRequest"}}, AllRequests, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked client.ListOptions
			r := fake.NewClientBuilder().WithScheme(NewScheme()).WithInterceptorFuncs(interceptor.Funcs{
				List: func(_ context.Context, _ client.WithWatch, list client.ObjectList, opts ...client.ListOption) error {
					if _, ok := list.(*cmapi.CertificateRequestList); !ok {
						t.Errorf("the probe lists %T", list)
					}
					asked.ApplyOptions(opts)
					return tc.listErr
				},
			}).Build()
			got, err := ProbeRequestCache(context.Background(), r)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("got %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
			if asked.FieldSelector == nil || asked.FieldSelector.String() != "spec.issuerRef.group=certorder.dev" || asked.Limit != 1 {
				t.Errorf("the probe listed with field selector %v and limit %d", asked.FieldSelector, asked.Limit)
			}
		})
	}
}

func TestCacheRequests(t *testing.T) {
	for _, tc := range []struct {
		cache RequestCache
		want  string
	}{{AllRequests, ""}, {OwnRequests, "spec.issuerRef.group=certorder.dev"}} {
		opts := ManagerOptions()
		CacheRequests(&opts, tc.cache)
		found := false
		for obj, by := range opts.Cache.ByObject {
			_, isRequest := obj.(*cmapi.CertificateRequest)
			found = found || isRequest
			got := ""
			if by.Field != nil {
				got = by.Field.String()
			}
			if isRequest && (got != tc.want || by.Transform == nil) {
				t.Errorf("%v: requests cached with field selector %q and transform %v, want %q and TrimRequest", tc.cache, got, by.Transform != nil, tc.want)
			}
			if !isRequest && got != "" {
				t.Errorf("%v: %T cached with field selector %q", tc.cache, obj, got)
			}
		}
		if !found {
			t.Errorf("%v: no cache options for CertificateRequests", tc.cache)
		}
	}
}
