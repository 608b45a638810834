package app_test

import (
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/internal/app"
)

func TestManagerOptions(t *testing.T) {
	opts := app.ManagerOptions()
	for _, obj := range []runtime.Object{&cmapi.CertificateRequest{}, &v1alpha1.DigiCertIssuer{}, &v1alpha1.CertificateOrder{}} {
		if kinds, _, err := opts.Scheme.ObjectKinds(obj); err != nil || len(kinds) == 0 {
			t.Errorf("the scheme does not know %T: %v", obj, err)
		}
	}
	cr := &cmapi.CertificateRequest{ObjectMeta: metav1.ObjectMeta{
		Name:          "r",
		Annotations:   map[string]string{"kept": "yes"},
		ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "cert-manager-certificates-request-manager"}},
	}}
	out, err := opts.Cache.DefaultTransform(cr)
	if err != nil {
		t.Fatal(err)
	}
	cached := out.(*cmapi.CertificateRequest)
	if cached.ManagedFields != nil || cached.Annotations["kept"] != "yes" {
		t.Errorf("cached %+v, want managedFields dropped and the rest kept", cached.ObjectMeta)
	}
}
