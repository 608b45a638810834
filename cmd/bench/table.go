package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// table is plain text with aligned columns, for the report.
type table struct {
	title string
	notes []string
	rows  [][]string
}

// newTable starts a table with a title and its column headers, if any.
func newTable(title string, header ...string) *table {
	t := &table{title: title}
	if len(header) > 0 {
		t.add(header...)
	}
	return t
}

// add appends a row.
func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// note appends a line printed under the table.
func (t *table) note(format string, args ...any) {
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

// print writes the title, the rows aligned, the notes and a blank line.
func (t *table) print(out io.Writer) error {
	var b strings.Builder
	b.WriteString(t.title + "\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	for _, r := range t.rows {
		fmt.Fprintln(tw, "  "+strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("aligning %q: %w", t.title, err)
	}
	for _, n := range t.notes {
		b.WriteString("  " + n + "\n")
	}
	b.WriteString("\n")
	if _, err := io.WriteString(out, b.String()); err != nil {
		return fmt.Errorf("printing %q: %w", t.title, err)
	}
	return nil
}

// seconds formats a duration in seconds, to the millisecond below 10 s.
func seconds(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.3fs", d.Seconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// mib formats bytes in MiB.
func mib(bytes float64) string { return fmt.Sprintf("%.1f MiB", bytes/(1<<20)) }

// ratio formats a/b as a factor.
func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}
