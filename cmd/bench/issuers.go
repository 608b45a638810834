package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"

	apiutil "github.com/cert-manager/cert-manager/pkg/api/util"
	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/certorder/certorder/api/v1alpha1"
	"github.com/certorder/certorder/controllers"
	"github.com/certorder/certorder/internal/localcluster"
	dcfake "github.com/certorder/certorder/internal/provider/digicert/fake"
	opfake "github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// issuerTimeout bounds the wait for an issuer to be Ready.
const issuerTimeout = 2 * time.Minute

// newNamespace creates a namespace for one phase, so that phases do not
// see each other's requests.
func newNamespace(ctx context.Context, c client.Client, phase string) (string, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "bench-" + phase + "-"}}
	if err := c.Create(ctx, ns); err != nil {
		return "", fmt.Errorf("creating a namespace for %s: %w", phase, err)
	}
	return ns.Name, nil
}

// digiCertIssuer creates in ns a Secret holding apiKey and a DigiCertIssuer
// on the fake, and waits until certorder has found it Ready.
func digiCertIssuer(ctx context.Context, c client.Client, ns, name string, fake *dcfake.Server, apiKey string, pollInterval time.Duration) (cmmeta.IssuerReference, error) {
	secret, iss := localcluster.NewDigiCertIssuer(ns, name, fake.Start(), apiKey, pollInterval)
	return readyIssuer(ctx, c, secret, iss, &iss.Spec.Guardrails, v1alpha1.DigiCertIssuerKind)
}

// openproviderIssuer creates in ns the local cluster's Openprovider
// credentials and an OpenproviderIssuer on the fake, and waits until
// certorder has found it Ready.
func openproviderIssuer(ctx context.Context, c client.Client, ns, name string, fake *opfake.Server, pollInterval time.Duration) (cmmeta.IssuerReference, error) {
	secret, iss := localcluster.NewOpenproviderIssuer(ns, name, fake.Start(), pollInterval)
	return readyIssuer(ctx, c, secret, iss, &iss.Spec.Guardrails, v1alpha1.OpenproviderIssuerKind)
}

// readyIssuer creates the issuer's Secret and the issuer, with a budget
// for the bench's orders, and waits until certorder has found it Ready.
func readyIssuer(ctx context.Context, c client.Client, secret *corev1.Secret, iss controllers.Issuer, g *v1alpha1.Guardrails, kind string) (cmmeta.IssuerReference, error) {
	// The bench places thousands of new orders through one issuer; the
	// default budget of 50 a day would stop it.
	g.NewOrderBudget = ptr.To[int32](100_000)
	if err := createObjects(ctx, c, secret, iss); err != nil {
		return cmmeta.IssuerReference{}, err
	}
	err := waitFor(ctx, kind+" "+iss.GetNamespace()+"/"+iss.GetName()+" Ready", func(ctx context.Context) (bool, error) {
		if err := c.Get(ctx, client.ObjectKeyFromObject(iss), iss); err != nil {
			return false, err
		}
		ready, _ := controllers.IsReady(iss)
		return ready, nil
	})
	return cmmeta.IssuerReference{Group: v1alpha1.GroupVersion.Group, Kind: kind, Name: iss.GetName()}, err
}

// caIssuer creates in ns a CA key pair Secret and a cert-manager CA Issuer
// that signs with it, and waits until cert-manager has found it Ready.
func caIssuer(ctx context.Context, c client.Client, ns string) (cmmeta.IssuerReference, error) {
	certPEM, keyPEM, err := newCA()
	if err != nil {
		return cmmeta.IssuerReference{}, err
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "bench-ca"},
		Type:       corev1.SecretTypeTLS,
		Data:       map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM},
	}
	iss := &cmapi.Issuer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ca"},
		Spec:       cmapi.IssuerSpec{IssuerConfig: cmapi.IssuerConfig{CA: &cmapi.CAIssuer{SecretName: secret.Name}}},
	}
	if err := createObjects(ctx, c, secret, iss); err != nil {
		return cmmeta.IssuerReference{}, err
	}
	err = waitFor(ctx, "Issuer "+ns+"/ca Ready", func(ctx context.Context) (bool, error) {
		if err := c.Get(ctx, client.ObjectKeyFromObject(iss), iss); err != nil {
			return false, err
		}
		return apiutil.IssuerHasCondition(iss, cmapi.IssuerCondition{Type: cmapi.IssuerConditionReady, Status: cmmeta.ConditionTrue}), nil
	})
	return cmmeta.IssuerReference{Group: cmapi.SchemeGroupVersion.Group, Kind: cmapi.IssuerKind, Name: iss.Name}, err
}

// newCA returns a self-signed P-256 CA certificate and its key, in PEM.
func newCA() (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generating the CA key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "certorder bench CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, fmt.Errorf("signing the CA certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the CA key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// createObjects creates objs in order.
func createObjects(ctx context.Context, c client.Client, objs ...client.Object) error {
	for _, obj := range objs {
		if err := c.Create(ctx, obj); err != nil {
			return fmt.Errorf("creating %T %s/%s: %w", obj, obj.GetNamespace(), obj.GetName(), err)
		}
	}
	return nil
}

// waitFor polls done every 100ms until it reports true, for at most
// issuerTimeout.
func waitFor(ctx context.Context, what string, done wait.ConditionWithContextFunc) error {
	if err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, issuerTimeout, true, done); err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

// digiCertTarget is a DigiCertIssuer "digicert" on fake, with the API key
// of the local cluster's fakes.
func (b *bench) digiCertTarget(ctx context.Context, c *localcluster.Cluster, fake *dcfake.Server, what, phase string) target {
	return target{what: what, phase: phase, fake: fake, controller: "certorder", newIssuer: func(ns string) (cmmeta.IssuerReference, error) {
		return digiCertIssuer(ctx, c.Client, ns, "digicert", fake, localcluster.DigiCertAPIKey, b.cfg.pollInterval)
	}}
}

// openproviderTarget is an OpenproviderIssuer "openprovider" on fake, with
// the credentials of the local cluster's fakes.
func (b *bench) openproviderTarget(ctx context.Context, c *localcluster.Cluster, fake *opfake.Server, what, phase string) target {
	return target{what: what, phase: phase, fake: fake, controller: "certorder", newIssuer: func(ns string) (cmmeta.IssuerReference, error) {
		return openproviderIssuer(ctx, c.Client, ns, "openprovider", fake, b.cfg.pollInterval)
	}}
}
