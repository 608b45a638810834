package dnstest

import "slices"

// zoneData is the zone's TXT records and the update counters. Callers hold
// Server.mu.
type zoneData struct {
	txt     map[string][]string
	applied int
	refused int
}

func newZoneData() zoneData { return zoneData{txt: map[string][]string{}} }

func (z *zoneData) values(name string) []string { return slices.Clone(z.txt[name]) }

// add appends value at name unless it is there already: an RRset holds no
// duplicates (RFC 2136 section 3.4.2.2).
func (z *zoneData) add(name, value string) {
	if !slices.Contains(z.txt[name], value) {
		z.txt[name] = append(z.txt[name], value)
	}
}

func (z *zoneData) remove(name, value string) {
	z.txt[name] = slices.DeleteFunc(z.txt[name], func(v string) bool { return v == value })
	if len(z.txt[name]) == 0 {
		delete(z.txt, name)
	}
}

func (z *zoneData) deleteName(name string) { delete(z.txt, name) }

func (z *zoneData) exists(name string) bool { return len(z.txt[name]) > 0 }
