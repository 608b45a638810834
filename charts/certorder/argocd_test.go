package chart_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"sigs.k8s.io/yaml"
)

// health runs an Argo CD health script on obj, given as YAML, as Argo CD
// does: obj is a global table, the script returns {status, message}.
func health(t *testing.T, script, obj string) (status, message string) {
	t.Helper()
	var o any
	if err := yaml.Unmarshal([]byte(obj), &o); err != nil {
		t.Fatal(err)
	}
	l := lua.NewState()
	defer l.Close()
	l.SetGlobal("obj", toLua(l, o))
	if err := l.DoFile(script); err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	hs, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		t.Fatalf("%s returned %v, want a table", script, l.Get(-1))
	}
	return hs.RawGetString("status").String(), hs.RawGetString("message").String()
}

func toLua(l *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case map[string]any:
		t := l.NewTable()
		for k, e := range v {
			t.RawSetString(k, toLua(l, e))
		}
		return t
	case []any:
		t := l.NewTable()
		for _, e := range v {
			t.Append(toLua(l, e))
		}
		return t
	case string:
		return lua.LString(v)
	case float64:
		return lua.LNumber(v)
	case bool:
		return lua.LBool(v)
	default:
		return lua.LNil
	}
}

func TestArgoCDHealth(t *testing.T) {
	for _, tc := range []struct {
		name, script, obj, status, message string
	}{
		{"issuer new", "files/argocd/issuer.lua", `{metadata: {generation: 1}}`, "Progressing", "Waiting for the controller to check the issuer"},
		{"issuer ready", "files/argocd/issuer.lua",
			`{metadata: {generation: 2}, status: {conditions: [{type: Ready, status: "True", reason: Checked, message: ok, observedGeneration: 2}]}}`, "Healthy", "Checked: ok"},
		{"issuer auth failed", "files/argocd/issuer.lua",
			`{metadata: {generation: 1}, status: {conditions: [{type: Ready, status: "False", reason: AuthFailed, message: key revoked}]}}`, "Degraded", "AuthFailed: key revoked"},
		{"issuer spec not yet seen", "files/argocd/issuer.lua",
			`{metadata: {generation: 3}, status: {conditions: [{type: Ready, status: "True", reason: Checked, observedGeneration: 2}]}}`, "Progressing", "Waiting for the controller to check the issuer"},
		{"order not placed", "files/argocd/certificateorder.lua", `{metadata: {name: a}}`, "Progressing", "No order placed yet"},
		{"order pending", "files/argocd/certificateorder.lua", `{status: {orderID: "7", state: Pending}}`, "Progressing", "Order 7 is Pending"},
		{"order active", "files/argocd/certificateorder.lua", `{status: {orderID: "7", state: Active}}`, "Healthy", "Order 7 is Active"},
		{"order expired", "files/argocd/certificateorder.lua", `{status: {orderID: "7", state: Expired}}`, "Healthy", "Order 7 is Expired"},
		{"order failed", "files/argocd/certificateorder.lua", `{status: {orderID: "7", state: Failed}}`, "Degraded", "Order 7 is Failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, message := health(t, tc.script, tc.obj)
			if status != tc.status || message != tc.message {
				t.Errorf("health %q %q, want %q %q", status, message, tc.status, tc.message)
			}
		})
	}
}

// TestArgoCDHealthInREADME proves the README shows the scripts as they are
// tested here.
func TestArgoCDHealthInREADME(t *testing.T) {
	readme := string(read(t, "../../README.md"))
	for _, script := range []string{"files/argocd/issuer.lua", "files/argocd/certificateorder.lua"} {
		for line := range strings.Lines(string(read(t, script))) {
			if line = strings.TrimRight(line, "\n"); line != "" && !strings.HasPrefix(line, "--") && !strings.Contains(readme, "  "+line+"\n") {
				t.Errorf("the README's health checks lack %s's line %q", script, line)
			}
		}
	}
}
