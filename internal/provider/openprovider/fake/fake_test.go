package fake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// call makes one raw call and decodes the envelope.
func call(t *testing.T, method, url, token, body string) (int, envelopeOf) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env envelopeOf
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, env
}

type envelopeOf struct {
	Code        int             `json:"code"`
	Desc        string          `json:"desc"`
	Data        json.RawMessage `json:"data"`
	Maintenance bool            `json:"maintenance"`
}

func TestWire(t *testing.T) {
	srv, err := New(Options{Users: map[string]string{"u": "p"}})
	if err != nil {
		t.Fatal(err)
	}
	base := srv.Start()
	defer srv.Close()
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/v1beta") {
		t.Fatalf("base URL %s", base)
	}
	status, env := call(t, "POST", base+"/auth/login", "", `{"username":"u","password":"bad","ip":"0.0.0.0"}`)
	if status != 500 || env.Code != codeBadCredentials {
		t.Fatalf("bad login: HTTP %d code %d, want HTTP 500 code 196", status, env.Code)
	}
	_, env = call(t, "POST", base+"/auth/login", "", `{"username":"u","password":"p","ip":"0.0.0.0"}`)
	var login struct{ Token string }
	if err := json.Unmarshal(env.Data, &login); err != nil || login.Token == "" {
		t.Fatalf("login: %s", env.Data)
	}
	if status, env := call(t, "GET", base+"/ssl/orders", "", ""); status != 401 || env.Code != codeBadCredentials {
		t.Fatalf("without a token: HTTP %d code %d", status, env.Code)
	}
	_, env = call(t, "GET", base+"/ssl/orders?common_name_pattern=*.example.com&limit=1&offset=0", login.Token, "")
	if env.Code != 0 || !bytes.Contains(env.Data, []byte(`"total":0`)) {
		t.Fatalf("list: code %d data %s", env.Code, env.Data)
	}
	if _, env := call(t, "POST", base+"/ssl/orders", login.Token, `{"product_id":1,"period":1,"csr":"x"}`); env.Code != codeCAPassthrough {
		t.Fatalf("order with a bad CSR: code %d, want 399", env.Code)
	}
	if status, env := call(t, "POST", base+"/ssl/orders", login.Token, `{"product_id":1,"period":9}`); status != 500 || env.Code != codeInvalid {
		t.Fatalf("order with a bad period: HTTP %d code %d, want HTTP 500 with a code, as Openprovider answers validation errors", status, env.Code)
	}
	srv.SetMaintenance(true)
	if status, env := call(t, "GET", base+"/ssl/orders", login.Token, ""); status != 200 || !env.Maintenance {
		t.Fatalf("maintenance: HTTP %d %+v", status, env)
	}
	srv.SetMaintenance(false)
	srv.ExpireTokens()
	if _, env := call(t, "GET", base+"/ssl/orders", login.Token, ""); env.Code != codeBadCredentials {
		t.Fatalf("expired token: code %d", env.Code)
	}
	if got := srv.Calls(); got["POST /auth/login"] != 2 || got["GET /ssl/orders"] != 3 || got["POST /ssl/orders"] != 2 {
		t.Fatalf("calls %v", got)
	}
}

func TestMatchName(t *testing.T) {
	for _, tt := range []struct {
		pattern, name string
		want          bool
	}{
		{"", "a.example", true},
		{"a.example", "A.Example", true},
		{"*.example", "www.example", true},
		{"*.example", "*.example", true},
		{"a.example", "b.example", false},
		{"[", "a", false},
	} {
		if got := matchName(tt.pattern, tt.name); got != tt.want {
			t.Errorf("matchName(%q, %q) = %v", tt.pattern, tt.name, got)
		}
	}
}
