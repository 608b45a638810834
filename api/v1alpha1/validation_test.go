package v1alpha1_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/certorder/certorder/internal/testenv"
)

// TestCRDValidation runs the CRDs in a real API server: every sample is
// accepted, and each class of invalid spec is refused with a message a
// person understands.
func TestCRDValidation(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()

	t.Run("samples are accepted", func(t *testing.T) {
		files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "config", "samples", "certorder_*.yaml"))
		if err != nil || len(files) < 5 {
			t.Fatalf("want a sample of each of the 5 kinds, found %v (%v)", files, err)
		}
		kinds := map[string]bool{}
		for _, f := range files {
			obj := load(t, f)
			if err := env.Client.Create(ctx, obj, client.DryRunAll); err != nil {
				t.Errorf("%s: %v", filepath.Base(f), err)
			}
			kinds[obj.GetKind()] = true
		}
		if len(kinds) != 5 {
			t.Errorf("samples cover kinds %v, want all 5", kinds)
		}
	})

	t.Run("defaults are applied", func(t *testing.T) {
		obj := parse(t, digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic`))
		if err := env.Client.Create(ctx, obj, client.DryRunAll); err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]any{
			"url": "https://www.digicert.com/services/v2", "signatureHash": "sha256",
			"serverPlatformID": int64(-1), "renewal": "Duplicate", "pollInterval": "1m", "newOrderBudget": int64(50),
		} {
			got, _, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", path)
			if got != want {
				t.Errorf("spec.%s defaulted to %v, want %v", path, got, want)
			}
		}
	})

	for _, tc := range []struct {
		name, manifest, want string
	}{
		{"digicert without api key", digicert(`productNameID: ssl_basic`), "spec.apiKeySecretRef: Required value"},
		{"digicert without product", digicert(`apiKeySecretRef: {name: s, key: k}`), "spec.productNameID: Required value"},
		{"digicert plain http to a remote host", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
url: http://www.digicert.com/services/v2`), "url must be an https:// URL"},
		{"digicert unknown renewal policy", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
renewal: Sometimes`), `spec.renewal: Unsupported value: "Sometimes"`},
		{"digicert unknown signature hash", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
signatureHash: md5`), `spec.signatureHash: Unsupported value: "md5"`},
		{"digicert validity years and days", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
validity: {years: 1, days: 30}`), "set exactly one of validity.years or validity.days"},
		{"digicert empty validity", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
validity: {}`), "set exactly one of validity.years or validity.days"},
		{"digicert product with upper case", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: SSL Basic`), "spec.productNameID in body should match"},
		{"digicert bad dcv method", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
dcvMethod: carrier-pigeon`), `spec.dcvMethod: Unsupported value`},
		{"digicert bad proxy", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
proxyURL: socks5://proxy:1080`), "proxyURL must be an http:// or https:// URL"},
		{"digicert webhook dcv solver", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
dcv: {dns01: {webhook: {groupName: a, solverName: b}}}`), "webhook DNS01 solvers are not supported"},
		{"digicert dcv without dns01", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
dcv: {selector: {dnsZones: [example.com]}}`), "dcv.dns01 is required"},
		{"openprovider dcv doing nothing", openprovider(`credentialsSecretRef: {name: s}
productID: 1
dcv: {enableDNSAutomation: false}`), "dcv needs dns01, enableDNSAutomation, or both"},
		{"digicert plain http to a loopback-looking name", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
url: http://127.attacker.example/services/v2`), "plain http is allowed only to the IP literals"},
		{"digicert plain http to localhost by name", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
url: http://localhost:8080/services/v2`), "plain http is allowed only to the IP literals"},
		{"digicert plain http to cloud metadata", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
url: http://169.254.169.254/latest/meta-data`), "plain http is allowed only to the IP literals"},
		{"digicert url with a query", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
url: https://www.digicert.com/services/v2/user/me?x=`), "url may carry no query"},
		{"digicert url with a fragment", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
url: "https://www.digicert.com/services/v2#"`), "url may carry no query"},
		{"digicert url with user info", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
url: https://www.digicert.com@collector.example/services/v2`), "url may carry no query"},
		{"digicert proxy with user info", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
proxyURL: http://user:pw@proxy:3128`), "proxyURL may carry no query"},
		{"digicert poll interval of 1ns", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
pollInterval: 1ns`), "pollInterval must be at least 10s"},
		{"digicert poll interval of 9s", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
pollInterval: 9s`), "pollInterval must be at least 10s"},
		{"openprovider poll interval of 1ns", openprovider(`credentialsSecretRef: {name: s}
productID: 1
pollInterval: 1ns`), "pollInterval must be at least 10s"},
		{"openprovider url with a query", openprovider(`credentialsSecretRef: {name: s}
productID: 1
url: https://api.openprovider.eu/v1beta?x=`), "url may carry no query"},
		{"openprovider plain http to an IPv4-mapped loopback", openprovider(`credentialsSecretRef: {name: s}
productID: 1
url: "http://[::ffff:127.0.0.1]/v1beta"`), "plain http is allowed only to the IP literals"},
		{"allowedNamespaces on a namespaced issuer", digicert(`apiKeySecretRef: {name: s, key: k}
productNameID: ssl_basic
allowedNamespaces: {matchLabels: {tier: prod}}`), "allowedNamespaces is for cluster issuers only"},
		{"allowedDNSNames with a wildcard inside a label", openprovider(`credentialsSecretRef: {name: s}
productID: 1
allowedDNSNames: ["w*.example.com"]`), "spec.allowedDNSNames[0] in body should match"},
		{"allowedDNSNames with a bare wildcard", openprovider(`credentialsSecretRef: {name: s}
productID: 1
allowedDNSNames: ["*"]`), "spec.allowedDNSNames[0] in body should match"},
		{"a negative new-order budget", openprovider(`credentialsSecretRef: {name: s}
productID: 1
newOrderBudget: -1`), "spec.newOrderBudget in body should be greater than or equal to 0"},
		{"openprovider without credentials", openprovider(`productID: 1`), "spec.credentialsSecretRef: Required value"},
		{"openprovider email validation without approver", openprovider(`credentialsSecretRef: {name: s}
productID: 1
domainValidationMethod: email`), "approverEmail is required when domainValidationMethod is email"},
		{"openprovider three year period", openprovider(`credentialsSecretRef: {name: s}
productID: 1
period: 3`), "spec.period: Unsupported value: 3"},
		{"openprovider unknown validation method", openprovider(`credentialsSecretRef: {name: s}
productID: 1
domainValidationMethod: fax`), `spec.domainValidationMethod: Unsupported value: "fax"`},
		{"openprovider plain http", openprovider(`credentialsSecretRef: {name: s}
productID: 1
url: http://api.openprovider.eu/v1beta`), "url must be an https:// URL"},
		{"certificate order with unknown provider", `apiVersion: certorder.dev/v1alpha1
kind: CertificateOrder
metadata: {name: x, namespace: default}
spec: {certificateName: x, provider: Sectigo, issuerRef: {name: i, kind: DigiCertIssuer}}`, `spec.provider: Unsupported value: "Sectigo"`},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			err := env.Client.Create(ctx, parse(t, tc.manifest), client.DryRunAll)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}

	for _, url := range []string{"http://127.0.0.1:8443/services/v2", "http://127.3.2.1:1/x", "http://[::1]:9/v"} {
		t.Run("accepts loopback http "+url, func(t *testing.T) {
			obj := parse(t, digicert("apiKeySecretRef: {name: s, key: k}\nproductNameID: ssl_basic\nurl: "+url))
			if err := env.Client.Create(ctx, obj, client.DryRunAll); err != nil {
				t.Error(err)
			}
		})
	}

	for name, spec := range map[string]string{
		"a 10s poll interval":         "pollInterval: 10s",
		"a fast poll of a local fake": "pollInterval: 10ms\nurl: http://127.0.0.1:8443/services/v2",
		"names and a budget":          "allowedDNSNames: [\"*.shop.example.com\", shop.example.com]\nnewOrderBudget: 0",
	} {
		t.Run("accepts "+name, func(t *testing.T) {
			obj := parse(t, digicert("apiKeySecretRef: {name: s, key: k}\nproductNameID: ssl_basic\n"+spec))
			if err := env.Client.Create(ctx, obj, client.DryRunAll); err != nil {
				t.Error(err)
			}
		})
	}
}

func digicert(spec string) string {
	return "apiVersion: certorder.dev/v1alpha1\nkind: DigiCertIssuer\nmetadata: {name: x, namespace: default}\nspec:\n" + indent(spec)
}

func openprovider(spec string) string {
	return "apiVersion: certorder.dev/v1alpha1\nkind: OpenproviderClusterIssuer\nmetadata: {name: x}\nspec:\n" + indent(spec)
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func load(t *testing.T, path string) *unstructured.Unstructured {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, string(b))
}

func parse(t *testing.T, manifest string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(manifest), &obj.Object); err != nil {
		t.Fatalf("bad test manifest: %v\n%s", err, manifest)
	}
	return obj
}
