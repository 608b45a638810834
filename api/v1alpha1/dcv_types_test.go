package v1alpha1_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	v1alpha1 "github.com/certorder/certorder/api/v1alpha1"
)

// TestReadmeDCVExamplesDecode keeps the README's hands-free validation
// examples in step with the types: every field they set must exist.
func TestReadmeDCVExamplesDecode(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	var seen []string
	for _, b := range blocks {
		if !strings.Contains(b[1], "kind: DigiCertIssuer") || !strings.Contains(b[1], "dcv:") {
			continue
		}
		var iss v1alpha1.DigiCertIssuer
		if err := yaml.UnmarshalStrict([]byte(b[1]), &iss); err != nil {
			t.Errorf("README example %q does not decode: %v", iss.Name, err)
			continue
		}
		if iss.Spec.DCV == nil || iss.Spec.DCV.DNS01 == nil {
			t.Errorf("README example %q has no dcv.dns01", iss.Name)
			continue
		}
		switch {
		case iss.Spec.DCV.DNS01.RFC2136 != nil:
			seen = append(seen, "rfc2136")
		case iss.Spec.DCV.DNS01.Route53 != nil:
			seen = append(seen, "route53")
		}
	}
	if strings.Join(seen, ",") != "rfc2136,route53" {
		t.Errorf("README DigiCertIssuer dcv examples: %v, want an rfc2136 and a route53 one", seen)
	}
}

func TestOpenproviderDCVInlinesTheCommonBlock(t *testing.T) {
	var spec v1alpha1.OpenproviderIssuerSpec
	doc := `{"dcv": {"enableDNSAutomation": true, "dns01": {"cloudflare": {"apiTokenSecretRef": {"name": "cf", "key": "token"}}}, "selector": {"dnsZones": ["example.com"]}}}`
	if err := yaml.UnmarshalStrict([]byte(doc), &spec); err != nil {
		t.Fatal(err)
	}
	if !spec.DCV.EnableDNSAutomation || spec.DCV.DNS01.Cloudflare == nil || spec.DCV.Selector.DNSZones[0] != "example.com" {
		t.Fatalf("decoded %+v", spec.DCV)
	}
}

func TestDCVStateDeepCopyIsIndependent(t *testing.T) {
	now := metav1.Now()
	st := v1alpha1.DCVState{Records: []v1alpha1.DCVRecord{{Domain: "example.com", PublishedAt: &now}}}
	cp := st.DeepCopy()
	cp.Records[0].Validated = true
	cp.Records[0].PublishedAt.Time = now.Add(1)
	if st.Records[0].Validated || !st.Records[0].PublishedAt.Equal(&now) {
		t.Fatal("the copy shares memory with the original")
	}
}
