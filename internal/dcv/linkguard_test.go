package dcv_test

import (
	"os/exec"
	"strings"
	"testing"
)

// cloudSDKs are the import path prefixes of the cloud DNS01 providers'
// SDKs, which only certorder-dns01 may link.
var cloudSDKs = []string{
	"github.com/aws/", "github.com/Azure/", "google.golang.org/api", "cloud.google.com/",
	"github.com/digitalocean/", "github.com/akamai/",
}

// TestControllerLinksNoCloudSDK keeps the cloud SDKs out of the controller:
// its resident memory follows its binary's size, and they would add a large
// share to it (README, hands-free DNS validation). A provider that needs one
// belongs in cmd/certorder-dns01.
func TestControllerLinksNoCloudSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/certorder/certorder").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for pkg := range strings.FieldsSeq(string(out)) {
		for _, sdk := range cloudSDKs {
			if strings.HasPrefix(pkg, sdk) {
				t.Errorf("the certorder controller links %s; cloud DNS SDKs belong in certorder-dns01 (memory: README, hands-free DNS validation)", pkg)
			}
		}
	}
}

// TestHelperLinksTheCloudSDKs proves the guard looks at the right paths:
// the helper links every one of them.
func TestHelperLinksTheCloudSDKs(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/certorder/certorder/cmd/certorder-dns01").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, sdk := range cloudSDKs {
		if !strings.Contains(string(out), "\n"+sdk) {
			t.Errorf("certorder-dns01 links nothing under %s", sdk)
		}
	}
}
