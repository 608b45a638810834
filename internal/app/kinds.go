package app

import (
	"context"
	"fmt"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/digicert"
	"github.com/certorder/certorder/internal/provider/openprovider"
)

// kinds is the provider registry: each issuer kind and how to build its
// provider. allowedHosts are the hosts namespaced issuers may call besides
// their CA's official ones.
func kinds(dc *digicert.Factory, op *openprovider.Factory, allowedHosts []string) controllers.Kinds {
	dcProvider := guardEndpoints(allowedHosts, func(ctx context.Context, issuer controllers.Issuer, secrets provider.SecretReader) (provider.Provider, error) {
		switch o := issuer.(type) {
		case *v1alpha1.DigiCertIssuer:
			return dc.New(ctx, &o.Spec, secrets)
		case *v1alpha1.DigiCertClusterIssuer:
			return dc.New(ctx, &o.Spec, secrets)
		}
		return nil, fmt.Errorf("%T is not a DigiCert issuer", issuer)
	})
	opProvider := guardEndpoints(allowedHosts, func(ctx context.Context, issuer controllers.Issuer, secrets provider.SecretReader) (provider.Provider, error) {
		switch o := issuer.(type) {
		case *v1alpha1.OpenproviderIssuer:
			return op.New(ctx, &o.Spec, secrets)
		case *v1alpha1.OpenproviderClusterIssuer:
			return op.New(ctx, &o.Spec, secrets)
		}
		return nil, fmt.Errorf("%T is not an Openprovider issuer", issuer)
	})
	return controllers.Kinds{
		v1alpha1.DigiCertIssuerKind: {
			Name: v1alpha1.DigiCertIssuerKind, Provider: dcProvider,
			New:     func() controllers.Issuer { return &v1alpha1.DigiCertIssuer{} },
			NewList: func() client.ObjectList { return &v1alpha1.DigiCertIssuerList{} },
		},
		v1alpha1.DigiCertClusterIssuerKind: {
			Name: v1alpha1.DigiCertClusterIssuerKind, Cluster: true, Provider: dcProvider,
			New:     func() controllers.Issuer { return &v1alpha1.DigiCertClusterIssuer{} },
			NewList: func() client.ObjectList { return &v1alpha1.DigiCertClusterIssuerList{} },
		},
		v1alpha1.OpenproviderIssuerKind: {
			Name: v1alpha1.OpenproviderIssuerKind, Provider: opProvider,
			New:     func() controllers.Issuer { return &v1alpha1.OpenproviderIssuer{} },
			NewList: func() client.ObjectList { return &v1alpha1.OpenproviderIssuerList{} },
		},
		v1alpha1.OpenproviderClusterIssuerKind: {
			Name: v1alpha1.OpenproviderClusterIssuerKind, Cluster: true, Provider: opProvider,
			New:     func() controllers.Issuer { return &v1alpha1.OpenproviderClusterIssuer{} },
			NewList: func() client.ObjectList { return &v1alpha1.OpenproviderClusterIssuerList{} },
		},
	}
}
