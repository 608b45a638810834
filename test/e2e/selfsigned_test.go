package e2e

import (
	"testing"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/internal/localcluster"
)

// TestSelfSignedBaseline issues from cert-manager's built-in SelfSigned
// issuer: the stack itself works, whatever certorder does.
func TestSelfSignedBaseline(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t, stack.Client)
	create(t, stack.Client, &cmapi.Issuer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "selfsigned"},
		Spec:       cmapi.IssuerSpec{IssuerConfig: cmapi.IssuerConfig{SelfSigned: &cmapi.SelfSignedIssuer{}}},
	})
	crt := localcluster.NewCertificate(ns, "self", cmapi.IssuerKind, "selfsigned", "self.example.com")
	crt.Spec.IssuerRef.Group = "cert-manager.io"
	create(t, stack.Client, crt)
	if s := waitIssued(t, stack.Client, crt, 1); len(s.Data["tls.crt"]) == 0 {
		t.Error("the Secret has no tls.crt")
	}
}
