// Package workflows_test lints the GitHub Actions workflows with
// actionlint, which `make test` installs at a pinned version.
package workflows_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestActionlint(t *testing.T) {
	bin := os.Getenv("ACTIONLINT")
	if bin == "" {
		t.Fatal("ACTIONLINT is unset: run `make test`, which installs actionlint and sets it")
	}
	files, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in .github/workflows: %v", err)
	}
	// -shellcheck= and -pyflakes= keep the check to actionlint itself, so
	// it does not depend on what else the machine has installed.
	cmd := exec.Command(bin, append([]string{"-shellcheck=", "-pyflakes="}, files...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
}
