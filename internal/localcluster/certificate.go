package localcluster

import (
	"time"

	cmapi "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/certorder/certorder/api/v1alpha1"
)

// NewCertificate builds a cert-manager Certificate from a certorder issuer
// for dnsNames, the first of which is also the common name. It is stored in
// the Secret name-tls, with an ECDSA P-256 key, which is quick to generate.
func NewCertificate(ns, name, issuerKind, issuerName string, dnsNames ...string) *cmapi.Certificate {
	crt := &cmapi.Certificate{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: cmapi.CertificateSpec{
			SecretName: name + "-tls",
			DNSNames:   dnsNames,
			IssuerRef:  cmmeta.IssuerReference{Group: v1alpha1.GroupVersion.Group, Kind: issuerKind, Name: issuerName},
			PrivateKey: &cmapi.CertificatePrivateKey{Algorithm: cmapi.ECDSAKeyAlgorithm, Size: 256},
		},
	}
	if len(dnsNames) > 0 {
		crt.Spec.CommonName = dnsNames[0]
	}
	return crt
}

// NewDigiCertIssuer builds a DigiCertIssuer on the CA at url, polling
// every pollInterval, and the Secret holding its apiKey; create the Secret
// first.
func NewDigiCertIssuer(ns, name, url, apiKey string, pollInterval time.Duration) (*corev1.Secret, *v1alpha1.DigiCertIssuer) {
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name + "-api-key"},
		StringData: map[string]string{"api-key": apiKey},
	}
	iss := &v1alpha1.DigiCertIssuer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.DigiCertIssuerSpec{
			URL:             url,
			APIKeySecretRef: v1alpha1.SecretKeySelector{Name: secret.Name, Key: "api-key"},
			ProductNameID:   "ssl_basic",
			CAConnection:    v1alpha1.CAConnection{PollInterval: &metav1.Duration{Duration: pollInterval}},
		},
	}
	return secret, iss
}

// NewOpenproviderIssuer is an OpenproviderIssuer in ns on the Openprovider
// at url, product 1, and the Secret holding OpenproviderUsername and
// OpenproviderPassword.
func NewOpenproviderIssuer(ns, name, url string, pollInterval time.Duration) (*corev1.Secret, *v1alpha1.OpenproviderIssuer) {
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name + "-credentials"},
		StringData: map[string]string{"username": OpenproviderUsername, "password": OpenproviderPassword},
	}
	iss := &v1alpha1.OpenproviderIssuer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.OpenproviderIssuerSpec{
			URL:                  url,
			CredentialsSecretRef: v1alpha1.CredentialsSecretRef{Name: secret.Name, UsernameKey: "username", PasswordKey: "password"},
			ProductID:            1,
			CAConnection:         v1alpha1.CAConnection{PollInterval: &metav1.Duration{Duration: pollInterval}},
		},
	}
	return secret, iss
}
