// Package image_test checks the Dockerfile without a Docker engine: its
// stages and flags, its build context, and a binary built the same way.
package image_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/certorder/certorder/internal/dcv"
	"github.com/certorder/certorder/internal/testenv"
)

const root = "../.."

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct{ cmd, args string }

func parseDockerfile(t *testing.T) []instruction {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	joined := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(b), "")
	for line := range strings.Lines(joined) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cmd, args, _ := strings.Cut(line, " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
	}
	return out
}

// digest is an image pinned by its sha256 digest.
var digest = regexp.MustCompile(`@sha256:[a-f0-9]{64}( |$)`)

func TestDockerfile(t *testing.T) {
	ins := parseDockerfile(t)
	var froms []int
	for i, in := range ins {
		if in.cmd == "FROM" {
			froms = append(froms, i)
		}
	}
	if len(froms) != 2 {
		t.Fatalf("%d stages, want a build and a runtime stage", len(froms))
	}
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	if build := ins[froms[0]].args; goVersion == nil || !strings.HasPrefix(build, "--platform=$BUILDPLATFORM golang:"+string(goVersion[1])+".") || !digest.MatchString(build) {
		t.Errorf("build stage FROM %s, want --platform=$BUILDPLATFORM golang at go.mod's Go %s, pinned by digest", build, goVersion[1])
	}
	runtime := ins[froms[1]:]
	if base := runtime[0].args; !strings.HasPrefix(base, "gcr.io/distroless/static:nonroot@") || !digest.MatchString(base) {
		t.Errorf("runtime base %q, want gcr.io/distroless/static:nonroot pinned by digest", base)
	}
	if !slices.Contains(runtime, instruction{"USER", "65532:65532"}) {
		t.Error("the runtime stage does not run as USER 65532:65532")
	}
	if !slices.Contains(runtime, instruction{"ENTRYPOINT", `["/certorder"]`}) {
		t.Error(`the runtime stage lacks ENTRYPOINT ["/certorder"]`)
	}
	// The controller looks for its DNS01 helper in its own directory
	// (dcv.DefaultHelper): both are built and shipped side by side.
	helper := "/out/" + dcv.HelperName
	if !slices.ContainsFunc(ins[:froms[1]], func(in instruction) bool {
		return in.cmd == "RUN" && strings.Contains(in.args, "./cmd/"+dcv.HelperName)
	}) {
		t.Errorf("no RUN builds ./cmd/%s", dcv.HelperName)
	}
	if !slices.ContainsFunc(runtime, func(in instruction) bool {
		return in.cmd == "COPY" && strings.Contains(in.args, "/out/certorder ") && strings.Contains(in.args, helper+" ") && strings.HasSuffix(in.args, " /")
	}) {
		t.Errorf("the runtime stage does not COPY /out/certorder and %s into /", helper)
	}
	goBuild := `go build -trimpath -ldflags "` + testenv.ReleaseLDFlags + `"`
	if !slices.ContainsFunc(ins[:froms[1]], func(in instruction) bool {
		return in.cmd == "RUN" && strings.Contains(in.args, "CGO_ENABLED=0") && strings.Contains(in.args, goBuild)
	}) {
		t.Errorf("no RUN with CGO_ENABLED=0 and %s", goBuild)
	}
}

// TestBuildContext proves .dockerignore keeps every package of the binary.
func TestBuildContext(t *testing.T) {
	ignore, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "list", "-C", root, "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	for dir := range strings.FieldsSeq(string(out)) {
		rel, _ := filepath.Rel(abs, dir)
		top, _, _ := strings.Cut(rel, string(filepath.Separator))
		if slices.Contains(strings.Fields(string(ignore)), top) {
			t.Errorf(".dockerignore drops %s, which the binary needs", rel)
		}
	}
}

// TestBinary builds the binary as the Dockerfile does and runs it.
func TestBinary(t *testing.T) {
	bin := binary(t)
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), testVersion) {
		t.Errorf("certorder --version: %v, printed %q; want %s", err, out, testVersion)
	}
	out, err = exec.Command(bin, "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-cluster-resource-namespace") || !strings.Contains(string(out), "-digicert-rate-limit") {
		t.Errorf("certorder --help: %v, printed:\n%s", err, out)
	}
	out, err = exec.Command(bin, "--digicert-rate-limit", "0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "rate limits must be above 0") {
		t.Errorf("certorder --digicert-rate-limit 0: %v, printed %q; want a refusal", err, out)
	}
}

// testVersion is the version the test binary is built with.
const testVersion = "v0.0.0-image-test"

// built is the binary that binary builds once for every test.
var built struct {
	once      sync.Once
	dir, path string
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// binary builds the controller as the Dockerfile does, once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the controller binary")
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "certorder-image-test-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "certorder")
		built.err = testenv.BuildController(context.Background(), built.path, testVersion)
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}
