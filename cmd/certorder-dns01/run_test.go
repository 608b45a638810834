package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/certorder/certorder/internal/dcv/helperapi"
)

func TestRunAnswersOneResult(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", "route53", "reading the request on stdin"},
		{"unknown provider", `{"action":"present","provider":"webhook","dns01":{}}`, `"webhook" is not a provider of certorder-dns01`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), strings.NewReader(tt.in), &out)
			var res helperapi.Result
			if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil {
				t.Fatalf("stdout %q is not one Result: %v", out.String(), jerr)
			}
			if err == nil || res.OK || !strings.Contains(res.Error, tt.want) || res.Error != err.Error() {
				t.Fatalf("run: %v, result %+v; want an error containing %q in both", err, res, tt.want)
			}
		})
	}
}
