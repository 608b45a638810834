package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// sample is one sample of a metric: its labels, as written between the
// braces (empty when it has none), and its value.
type sample struct {
	labels string
	value  float64
}

// metricValue returns the value of the first sample of an unlabelled or
// labelled metric in Prometheus text exposition format.
func metricValue(text, name string) (float64, error) {
	samples, err := metricSamples(text, name)
	if err != nil {
		return 0, err
	}
	if len(samples) == 0 {
		return 0, fmt.Errorf("no sample of %s", name)
	}
	return samples[0].value, nil
}

// metricSamples returns every sample of a metric in Prometheus text
// exposition format, in the order they appear; none when it has none.
func metricSamples(text, name string) ([]sample, error) {
	var out []sample
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(line, name)
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		var s sample
		switch {
		case strings.HasPrefix(rest, "{"):
			// Label values may hold spaces; the value follows the last '}'.
			end := strings.LastIndexByte(rest, '}')
			if end < 0 {
				return nil, fmt.Errorf("%s: unterminated labels in %q", name, line)
			}
			s.labels, rest = rest[1:end], rest[end+1:]
		case !strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "\t"):
			// Another metric whose name starts with name.
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return nil, fmt.Errorf("%s: no value in %q", name, line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.value = v
		out = append(out, s)
	}
	return out, nil
}

// scrape fetches a metrics endpoint's text.
func scrape(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("building the request for %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("scraping %s: %w", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("scraping %s: %s", url, resp.Status)
	}
	return string(b), nil
}
