package metricsauth_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The certorder binary must not link k8s.io/apiserver: with it (through
// controller-runtime's pkg/metrics/filters) the stripped binary was 8 MB
// larger and the idle process about 10 MiB larger in RSS, a sixth of the
// 60 MiB memory target in the README's Performance section.
func TestBinaryDoesNotLinkAPIServer(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "github.com/certorder/certorder")
	cmd.Dir = "../.."
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, stderr.String())
	}
	var linked []string
	for pkg := range strings.FieldsSeq(string(out)) {
		if pkg == "k8s.io/apiserver" || strings.HasPrefix(pkg, "k8s.io/apiserver/") {
			linked = append(linked, pkg)
		}
	}
	if len(linked) > 0 {
		t.Errorf("the certorder binary links k8s.io/apiserver again, which costs about 10 MiB of RSS against the 60 MiB memory target (README, Performance); "+
			"use internal/metricsauth, not controller-runtime's pkg/metrics/filters. Packages: %v", linked)
	}
}
