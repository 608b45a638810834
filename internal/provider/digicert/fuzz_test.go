package digicert

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/certorder/certorder/internal/provider"
)

// seedCorpus adds the documented examples of testdata/docs to a fuzz
// target, with some shapes the docs do not show.
func seedCorpus(f *testing.F, extra ...string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "docs", "*.response.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range append(extra, `{}`, `[]`, `null`, `{"id":"x"}`, `{"status":7}`, `nonsense`, ``) {
		f.Add([]byte(s))
	}
}

// FuzzOrderInfo decodes GET /order/certificate/{order_id} answers and maps
// them the way Poll and Order do, without a network.
func FuzzOrderInfo(f *testing.F) {
	seedCorpus(f,
		`{"id":1,"status":"renewed","order_valid_till":"2030-01-01","is_multi_year_plan":1,"certificate":{"id":"2","serial_number":"0A"}}`,
		`{"id":1,"status":"something_new","is_multi_year_plan":"yes","dcv_method":"dns-txt-token","requests":[{"id":3,"type":"new_request","status":"pending"}]}`,
	)
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		var info orderInfo
		if decodeJSON(epOrderInfo, body, &info) != nil {
			return
		}
		_ = orderState(info, now)
		_ = newRequestID(info.Requests)
		_ = unknownNote(info.Status)
		_ = serialHex(info.Certificate.SerialNumber)
		_, _ = parseTime(info.OrderValidTill)
	})
}

// FuzzLists decodes the order list and the reissue and duplicate lists,
// and sorts their entries the way Find and Poll do.
func FuzzLists(f *testing.F) {
	seedCorpus(f,
		`{"certificates":[{"id":1,"status":"approved"},{"id":2,"status":"approved","valid_till":"2030-01-01"},{"id":"3","status":"??"}]}`,
		`{"orders":[{"id":1,"date_created":"not a date"}],"page":{"total":-1,"limit":0,"offset":9}}`,
	)
	a := answer{known: []string{"1", "a"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		var certs certificateList
		if decodeJSON(epDuplicateList, body, &certs) == nil {
			for _, e := range certs.Certificates {
				class, maybe := entryClass(e)
				if maybe && class != classPending {
					t.Fatalf("an entry both maybe issued and %v", class)
				}
				_ = a.listedAsKnown(e.orderCertificate)
				_ = createdSince(e.DateCreated, time.Now())
			}
		}
		var orders orderList
		if decodeJSON(epOrderList, body, &orders) == nil {
			for _, o := range orders.Orders {
				_ = createdSince(o.DateCreated, time.Now())
			}
		}
	})
}

// FuzzRequestInfo decodes GET /request/{request_id} answers and builds
// the Failed status a rejected request gives.
func FuzzRequestInfo(f *testing.F) {
	seedCorpus(f, `{"id":1,"status":"rejected","processor_comment":"%s%d no"}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		var r requestInfo
		if decodeJSON(epRequestInfo, body, &r) != nil {
			return
		}
		st := final(provider.Status{}, "request", r.Status, r.ProcessorComment)
		if len(st.Message) > 2*maxMessageBytes+len(r.Status)*2+64 {
			t.Fatalf("a message of %d bytes", len(st.Message))
		}
	})
}
