package openprovider

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/certorder/certorder/internal/provider/openprovider/fake"
)

// TestHostNames: host_names excludes the common name and is sent only for
// multi-domain products; a request that would be billed for a name beyond
// the product's is refused before any paid call.
func TestHostNames(t *testing.T) {
	for _, tt := range []struct {
		name    string
		domains int
		sans    []string
		want    []any // host_names sent; nil: the field is absent
		refused string
	}{
		{name: "common name only, single-domain", domains: 1, sans: []string{"example.com"}},
		{name: "common name only, multi-domain", domains: 3, sans: []string{"example.com"}},
		{name: "SANs on a multi-domain product", domains: 3, sans: []string{"example.com", "www.example.com", "api.example.com"},
			want: []any{"www.example.com", "api.example.com"}},
		{name: "SAN on a single-domain product", domains: 1, sans: []string{"example.com", "www.example.com"},
			refused: "certifies one name, but the request also names www.example.com"},
		{name: "more names than the product includes", domains: 2, sans: []string{"example.com", "a.example.com", "b.example.com"},
			refused: "includes 2 names, the request names 3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, fake.Options{ProductDomains: map[int64]int{testProduct: tt.domains}})
			rec := &recorder{}
			c := newClient(t, srv, newClock(), WithHTTPClient(&http.Client{Transport: rec}))
			_, err := c.Submit(context.Background(), newRequest(t, "example.com", tt.sans...))
			if tt.refused != "" {
				wantClass(t, err, "permanent")
				if !strings.Contains(err.Error(), tt.refused) {
					t.Fatalf("error %q does not say %q", err, tt.refused)
				}
				if calls := srv.Calls()["POST /ssl/orders"]; calls != 0 {
					t.Fatalf("%d paid calls went out", calls)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.body("POST /v1beta/ssl/orders"), &body); err != nil {
				t.Fatal(err)
			}
			got, present := body["host_names"]
			if (tt.want == nil && present) || (tt.want != nil && !reflect.DeepEqual(got, tt.want)) {
				t.Fatalf("host_names %v (present %v), want %v", got, present, tt.want)
			}
			if n := srv.Counts().ExtraNames; n != 0 {
				t.Fatalf("%d names billed on top of the product", n)
			}
		})
	}
}
