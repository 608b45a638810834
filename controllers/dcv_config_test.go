package controllers

import (
	"testing"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"

	"github.com/certorder/certorder/api/v1alpha1"
)

// TestDCVConfig: hands-free validation runs for every issuer kind with a
// dcv.dns01 block, and never for Openprovider's own DNS automation alone.
func TestDCVConfig(t *testing.T) {
	dns01 := &cmacme.ACMEChallengeSolverDNS01{RFC2136: &cmacme.ACMEIssuerDNS01ProviderRFC2136{Nameserver: "192.0.2.53:53"}}
	block := v1alpha1.DCV{DNS01: dns01}
	for _, tc := range []struct {
		name   string
		issuer Issuer
		want   bool
	}{
		{"DigiCertIssuer without dcv", &v1alpha1.DigiCertIssuer{}, false},
		{"DigiCertIssuer with dns01", &v1alpha1.DigiCertIssuer{Spec: v1alpha1.DigiCertIssuerSpec{DCV: &block}}, true},
		{"DigiCertClusterIssuer with dns01", &v1alpha1.DigiCertClusterIssuer{Spec: v1alpha1.DigiCertIssuerSpec{DCV: &block}}, true},
		{"DigiCertIssuer with a selector only", &v1alpha1.DigiCertIssuer{Spec: v1alpha1.DigiCertIssuerSpec{DCV: &v1alpha1.DCV{Selector: &v1alpha1.DCVSelector{}}}}, false},
		{"OpenproviderIssuer with dns01", &v1alpha1.OpenproviderIssuer{Spec: v1alpha1.OpenproviderIssuerSpec{DCV: &v1alpha1.OpenproviderDCV{DCV: block}}}, true},
		{"OpenproviderClusterIssuer with dns01", &v1alpha1.OpenproviderClusterIssuer{Spec: v1alpha1.OpenproviderIssuerSpec{DCV: &v1alpha1.OpenproviderDCV{DCV: block}}}, true},
		{"OpenproviderIssuer with enableDNSAutomation alone", &v1alpha1.OpenproviderIssuer{Spec: v1alpha1.OpenproviderIssuerSpec{DCV: &v1alpha1.OpenproviderDCV{EnableDNSAutomation: true}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := dcvConfig(tc.issuer)
			if (got != nil) != tc.want || (got != nil && got.DNS01 != dns01) {
				t.Errorf("dcvConfig = %+v, want the dns01 block: %v", got, tc.want)
			}
		})
	}
}
