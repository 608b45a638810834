package controllers_test

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"testing"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	tu "github.com/certorder/certorder/internal/testutil"
)

var fastPoll = &metav1.Duration{Duration: 200 * time.Millisecond}

func dcSpec(mut ...func(*v1alpha1.DigiCertIssuerSpec)) v1alpha1.DigiCertIssuerSpec {
	s := v1alpha1.DigiCertIssuerSpec{
		URL:             dcURL,
		APIKeySecretRef: v1alpha1.SecretKeySelector{Name: "digicert", Key: "api-key"},
		ProductNameID:   "ssl_basic",
		CAConnection:    v1alpha1.CAConnection{PollInterval: fastPoll},
	}
	for _, m := range mut {
		m(&s)
	}
	return s
}

func opSpec() v1alpha1.OpenproviderIssuerSpec {
	return v1alpha1.OpenproviderIssuerSpec{
		URL:                  opURL,
		CredentialsSecretRef: v1alpha1.CredentialsSecretRef{Name: "openprovider", UsernameKey: "username", PasswordKey: "password"},
		ProductID:            1,
		CAConnection:         v1alpha1.CAConnection{PollInterval: fastPoll},
	}
}

// readyDigiCertIssuer creates the API key Secret and a DigiCertIssuer in ns,
// and waits until it is Ready.
func readyDigiCertIssuer(t *testing.T, ns string, mut ...func(*v1alpha1.DigiCertIssuerSpec)) *v1alpha1.DigiCertIssuer {
	t.Helper()
	createSecret(t, ns, "digicert", map[string]string{"api-key": dcKey})
	iss := &v1alpha1.DigiCertIssuer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "digicert"}, Spec: dcSpec(mut...)}
	create(t, iss)
	waitIssuer(t, iss, controllers.ReasonChecked)
	return iss
}

// readyOpenproviderIssuer creates an OpenproviderClusterIssuer for ns that
// calls the CA at url, with its Secret, and waits until it is Ready.
func readyOpenproviderIssuer(t *testing.T, ns, url string) *v1alpha1.OpenproviderClusterIssuer {
	t.Helper()
	createSecret(t, clusterResourceNamespace, "op-"+ns, map[string]string{"username": opUser, "password": opPassword})
	spec := opSpec()
	spec.URL = url
	spec.CredentialsSecretRef.Name = "op-" + ns
	iss := &v1alpha1.OpenproviderClusterIssuer{ObjectMeta: metav1.ObjectMeta{Name: "op-" + ns}, Spec: spec}
	create(t, iss)
	waitIssuer(t, iss, controllers.ReasonChecked)
	return iss
}

// waitIssuer waits for the issuer's Ready reason.
func waitIssuer(t *testing.T, iss controllers.Issuer, reason string) *metav1.Condition {
	t.Helper()
	var cond *metav1.Condition
	eventually(t, fmt.Sprintf("%s Ready reason %s", iss.GetName(), reason), func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(iss), iss); err != nil {
			return err
		}
		cond = meta.FindStatusCondition(iss.GetStatus().Conditions, v1alpha1.ConditionReady)
		if cond == nil || cond.Reason != reason {
			return fmt.Errorf("condition is %+v", cond)
		}
		return nil
	})
	return cond
}

// waitRequest waits for the request's Ready reason and returns the request.
func waitRequest(t *testing.T, cr *cmapi.CertificateRequest, reason string) *cmapi.CertificateRequest {
	t.Helper()
	cur := &cmapi.CertificateRequest{}
	eventually(t, fmt.Sprintf("request %s Ready reason %s", cr.Name, reason), func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(cr), cur); err != nil {
			return err
		}
		c := apiutil.GetCertificateRequestCondition(cur, cmapi.CertificateRequestConditionReady)
		if c == nil || c.Reason != reason {
			return fmt.Errorf("condition is %+v", c)
		}
		return nil
	})
	return cur
}

// waitIssued runs one request to Issued and returns it.
func waitIssued(t *testing.T, cr *cmapi.CertificateRequest) *cmapi.CertificateRequest {
	t.Helper()
	createApproved(t, cr)
	return waitRequest(t, cr, cmapi.CertificateRequestReasonIssued)
}

// request builds a DigiCertIssuer request for names, made for Certificate crt.
func request(ns, name, crt string, names ...string) *cmapi.CertificateRequest {
	return tu.CertificateRequest(ns, name,
		tu.WithIssuer(v1alpha1.DigiCertIssuerKind, "digicert"),
		tu.WithCSR(tu.CSRPEM(tu.WithCommonName(names[0]), tu.WithDNSNames(names...))),
		tu.WithCertificate(crt),
		tu.WithDuration(90*24*time.Hour))
}

// leafOf parses status.certificate, checks that it chains to roots and
// certifies the request's key, and returns the leaf.
func leafOf(t *testing.T, cr *cmapi.CertificateRequest, roots *x509.CertPool) *x509.Certificate {
	t.Helper()
	var certs []*x509.Certificate
	for rest := cr.Status.Certificate; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	if len(certs) < 2 {
		t.Fatalf("status.certificate holds %d certificates, want the leaf and its intermediate", len(certs))
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	if _, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: certs[0].DNSNames[0]}); err != nil {
		t.Fatalf("the issued chain does not verify: %v", err)
	}
	b, _ := pem.Decode(cr.Spec.Request)
	csr, err := x509.ParseCertificateRequest(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !certs[0].PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(csr.PublicKey) {
		t.Fatal("the leaf does not certify the CSR's key")
	}
	return certs[0]
}

// order reads a Certificate's CertificateOrder for the DigiCertIssuer
// "digicert".
func order(t *testing.T, ns, crt string) *v1alpha1.CertificateOrder {
	t.Helper()
	return ledgerOf(t, ns, crt, v1alpha1.DigiCertIssuerKind, "digicert")
}

// ledgerOf reads a Certificate's CertificateOrder for an issuer.
func ledgerOf(t *testing.T, ns, crt, kind, issuer string) *v1alpha1.CertificateOrder {
	t.Helper()
	o := &v1alpha1.CertificateOrder{}
	name := controllers.LedgerName(crt, v1alpha1.IssuerReference{Kind: kind, Name: issuer})
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, o); err != nil {
		t.Fatal(err)
	}
	return o
}

// servedBy is the order the ledger records for cr's own submission. Call it
// while cr's is the latest submission of its Certificate.
func servedBy(t *testing.T, cr *cmapi.CertificateRequest) string {
	t.Helper()
	rec := ledgerOf(t, cr.Namespace, cr.Annotations[cmapi.CertificateNameKey], cr.Spec.IssuerRef.Kind, cr.Spec.IssuerRef.Name)
	sub := rec.Status.Submission
	if sub == nil || sub.RequestUID != cr.UID || sub.Handle == nil || sub.Handle.OrderID == "" {
		t.Fatalf("CertificateOrder %s does not record an order for request %s: %+v", rec.Name, cr.Name, sub)
	}
	return sub.Handle.OrderID
}
