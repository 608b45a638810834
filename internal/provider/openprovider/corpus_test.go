package openprovider

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// docExample is one file of testdata/docs: an example Openprovider
// publishes, the page it is from, and the fields the docs list for it.
type docExample struct {
	Source   string          `json:"source"`
	Endpoint string          `json:"endpoint"`
	Kind     string          `json:"kind"`
	Fields   []string        `json:"fields"`
	Example  json.RawMessage `json:"example"`
}

// loadCorpus returns every example, keyed by file name.
func loadCorpus(t *testing.T) map[string]docExample {
	t.Helper()
	files, err := filepath.Glob("testdata/docs/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	out := map[string]docExample{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d docExample
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !strings.HasPrefix(d.Source, "https://") || len(d.Fields) == 0 {
			t.Fatalf("%s names no source or fields", f)
		}
		out[filepath.Base(f)] = d
	}
	return out
}

// documented is, per endpoint and kind ("POST /ssl/orders request"), every
// field any of the docs lists for it.
func documented(corpus map[string]docExample) map[string][]string {
	out := map[string][]string{}
	for _, d := range corpus {
		key := d.Endpoint + " " + d.Kind
		for _, f := range d.Fields {
			if !slices.Contains(out[key], f) {
				out[key] = append(out[key], f)
			}
		}
	}
	return out
}

// decoders decode the data of each endpoint's answer as the client does.
var decoders = map[string]func(json.RawMessage) error{
	"POST /auth/login":              func(d json.RawMessage) error { return json.Unmarshal(d, &loginData{}) },
	"POST /ssl/orders":              func(d json.RawMessage) error { return json.Unmarshal(d, &idData{}) },
	"GET /ssl/orders/{id}":          decodeOrder,
	"GET /ssl/orders":               func(d json.RawMessage) error { return json.Unmarshal(d, &orderList{}) },
	"POST /ssl/orders/{id}/reissue": func(d json.RawMessage) error { return json.Unmarshal(d, &idData{}) },
	"POST /ssl/orders/{id}/renew":   func(d json.RawMessage) error { return json.Unmarshal(d, &idData{}) },
	"PUT /ssl/orders/{id}":          func(d json.RawMessage) error { return json.Unmarshal(d, &idData{}) },
	"GET /ssl/products/{id}":        func(d json.RawMessage) error { return json.Unmarshal(d, &product{}) },
}

// decodeOrder decodes an order and maps it as Poll would.
func decodeOrder(d json.RawMessage) error {
	var o order
	if err := json.Unmarshal(d, &o); err != nil {
		return err
	}
	_, _, err := statusOf(&o, submission{action: provider.ActionOrder})
	return err
}

// TestDocumentedResponsesDecode: every documented answer passes the
// envelope parser and decodes with the client's decoder of its endpoint.
func TestDocumentedResponsesDecode(t *testing.T) {
	for file, d := range loadCorpus(t) {
		if d.Kind != "response" {
			continue
		}
		t.Run(file, func(t *testing.T) {
			data, _, err := parseResponse(d.Endpoint, &provider.Response{StatusCode: 200, Body: d.Example}, time.Now())
			if err != nil {
				t.Fatalf("%s: %v", d.Source, err)
			}
			decode, ok := decoders[d.Endpoint]
			if !ok {
				t.Fatalf("no decoder for %s", d.Endpoint)
			}
			if err := decode(data); err != nil {
				t.Fatalf("%s: %v", d.Source, err)
			}
		})
	}
	errExample := loadCorpus(t)["error.response.json"]
	_, _, err := parseResponse("GET /ssl/orders", &provider.Response{StatusCode: 500, Body: []byte(`{"code":10001,"desc":"d","data":"x"}`)}, time.Now())
	wantClass(t, err, "permanent")
	if fieldsOf(t, errExample.Example)["code"] == false {
		t.Fatal("the documented error example has no code")
	}
}

// TestWireMatchesTheDocs drives every endpoint certorder calls against
// the fake and checks both sides against the corpus: every request body
// certorder builds uses only the fields the docs list for it, at their
// levels, and so does every answer of the fake.
func TestWireMatchesTheDocs(t *testing.T) {
	fields := documented(loadCorpus(t))
	srv := newFake(t, fake.Options{})
	tap := &tap{}
	clock := newClock()
	c := newClient(t, srv, clock, WithHTTPClient(&http.Client{Transport: tap}))
	ctx := context.Background()

	// Order with SANs (product, create, get), renew and reissue (renew,
	// list, reissue), a PAI order moved on (update), and a refused order.
	req := newRequest(t, "example.com", "example.com", "www.example.com")
	first := placeIssued(t, c, req)
	if err := srv.SetOrderEndsAt(first.Handle.OrderID, clock.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	renewal := newRequest(t, "example.com", "example.com", "www.example.com")
	renewal.RenewalOfOrderID = first.Handle.OrderID
	st, err := c.Submit(ctx, renewal)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Find(ctx, renewal, clock.Now()); err != nil {
		t.Fatal(err)
	}
	mustPoll(t, c, renewal, st.Handle, provider.StatePending)
	paid := createPaid(t, c, newRequest(t, "paid.example.com", "paid.example.com"))
	mustPoll(t, c, provider.Request{Action: provider.ActionOrder}, paid, provider.StatePending)
	bad := newClient(t, srv, clock, WithHTTPClient(&http.Client{Transport: tap}), WithOrderSettings(OrderSettings{ProductID: testProduct, Period: 3}))
	if _, err := bad.Submit(ctx, newRequest(t, "bad.example.com")); err == nil {
		t.Fatal("a period of 3 was accepted")
	}

	for _, route := range slices.Sorted(func(yield func(string) bool) {
		for r := range decoders {
			if !yield(r) {
				return
			}
		}
	}) {
		calls := tap.calls(route)
		if len(calls) == 0 {
			t.Errorf("%s was not exercised", route)
			continue
		}
		for _, call := range calls {
			if len(call.request) > 0 {
				checkFields(t, route+" request", call.request, fields[route+" request"])
			}
			if call.status != http.StatusOK {
				checkFields(t, route+" error", call.response, fields["any error"])
				continue
			}
			checkFields(t, route+" response", call.response, fields[route+" response"])
		}
	}
}

// createPaid places an order without start_provision: it stays PAI.
func createPaid(t *testing.T, c *Client, req provider.Request) provider.Handle {
	t.Helper()
	body := createOrderRequest{
		ProductID: testProduct, Period: 1, CSR: string(req.CSR), SoftwareID: "linux",
		DomainValidationMethods: namesOf(req).validationMethods("dns"), SignatureHashAlgorithm: "sha2", Autorenew: "off",
	}
	var out idData
	if err := c.call(context.Background(), "POST /ssl/orders", "/ssl/orders", nil, body, &out); err != nil {
		t.Fatal(err)
	}
	return provider.Handle{OrderID: strconv.Itoa(out.ID)}
}

// checkFields fails for every field of body the docs do not list.
func checkFields(t *testing.T, what string, body []byte, documented []string) {
	t.Helper()
	for f := range fieldsOf(t, body) {
		if !slices.Contains(documented, f) {
			t.Errorf("%s: field %q is not documented", what, f)
		}
	}
}

// fieldsOf lists the field paths of a JSON document as the corpus writes
// them: "data.additional_data[].domain".
func fieldsOf(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, body)
	}
	out := map[string]bool{}
	var walk func(v any, prefix string)
	walk = func(v any, prefix string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				out[prefix+k] = true
				walk(e, prefix+k+".")
			}
		case []any:
			for _, e := range x {
				walk(e, strings.TrimSuffix(prefix, ".")+"[].")
			}
		}
	}
	walk(v, "")
	return out
}

// tap records each call's request and answer by route template.
type tap struct {
	mu   sync.Mutex
	seen map[string][]tapped
}

type tapped struct {
	request, response []byte
	status            int
}

var numericSegment = regexp.MustCompile(`/[0-9]+(/|$)`)

func (tp *tap) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	route := req.Method + " " + numericSegment.ReplaceAllString(strings.TrimPrefix(req.URL.Path, "/v1beta"), "/{id}$1")
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if tp.seen == nil {
		tp.seen = map[string][]tapped{}
	}
	tp.seen[route] = append(tp.seen[route], tapped{request: reqBody, response: respBody, status: resp.StatusCode})
	return resp, nil
}

func (tp *tap) calls(route string) []tapped {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	out := slices.Clone(tp.seen[route])
	sort.SliceStable(out, func(i, j int) bool { return out[i].status < out[j].status })
	return out
}
