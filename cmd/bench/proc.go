package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// cpuInfo is the CPU model and the number of logical CPUs in /proc/cpuinfo
// text. The model is empty when no "model name" line is present (as on
// some ARM kernels).
func cpuInfo(text string) (model string, count int) {
	for line := range strings.Lines(text) {
		key, value, ok := procLine(line)
		switch {
		case !ok:
		case key == "processor":
			count++
		case key == "model name" && model == "":
			model = value
		}
	}
	return model, count
}

// kibField returns the bytes of a "Key: N kB" line, as /proc/meminfo
// (MemTotal) and /proc/<pid>/status (VmRSS) write them.
func kibField(text, key string) (uint64, error) {
	for line := range strings.Lines(text) {
		k, value, ok := procLine(line)
		if !ok || k != key {
			continue
		}
		num, unit, _ := strings.Cut(value, " ")
		if unit != "kB" {
			return 0, fmt.Errorf("%s: unit %q, want kB", key, unit)
		}
		kib, err := strconv.ParseUint(num, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", key, err)
		}
		return kib * 1024, nil
	}
	return 0, fmt.Errorf("no %s line", key)
}

// procLine splits a "key : value" line of /proc, trimming both.
func procLine(line string) (key, value string, ok bool) {
	key, value, ok = strings.Cut(line, ":")
	return strings.TrimSpace(key), strings.TrimSpace(value), ok
}

// readKiBField reads a file of /proc and returns kibField of it.
func readKiBField(path, key string) (uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", path, err)
	}
	n, err := kibField(string(b), key)
	if err != nil {
		return 0, fmt.Errorf("parsing %s: %w", path, err)
	}
	return n, nil
}
