package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/gspark/gspark/exec/spill"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/sqlfn"
)

// session builds a Session from the global flags, with the ML table
// functions (ml_transform, DESCRIBE MODEL) registered.
func (g *globalFlags) session(extra ...frame.Option) (*frame.Session, error) {
	opts := append([]frame.Option(nil), extra...)
	if g.partitions > 0 {
		opts = append(opts, frame.WithPartitions(g.partitions))
	}
	if g.memoryLimit != "" {
		n, err := parseBytes(g.memoryLimit)
		if err != nil {
			return nil, fmt.Errorf("--memory-limit: %w", err)
		}
		opts = append(opts, frame.WithMemoryLimit(n))
		setRuntimeLimit(n)
	}
	// Spill files of gspark processes that were killed go first.
	spill.RemoveStale(os.TempDir())
	s := frame.NewSession(opts...)
	for _, kv := range g.conf {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--conf %q: want key=value", kv)
		}
		if err := s.SetConf(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return nil, fmt.Errorf("--conf %s: %w", kv, err)
		}
	}
	sqlfn.Register(s)
	return s, nil
}

// runtimeOverhead is what a gspark process holds beyond its queries' budget:
// the Go runtime and binary, goroutine stacks, file and network buffers,
// the catalog and models. Peak memory stays under --memory-limit plus this.
const runtimeOverhead = 128 << 20

// nonHeapMargin is what the resident set holds beyond the binary's mapped
// pages and the Go runtime's own memory: the C and kernel side of the
// process (about 11 MiB measured with a query holding the runtime at its soft
// limit), with room to spare.
const nonHeapMargin = 16 << 20

// fallbackFileRSS stands for the binary's resident pages where the system
// does not report them.
const fallbackFileRSS = 64 << 20

// fileRSS is the process's resident file-backed memory (RssFile in
// /proc/self/status): the binary's code and data pages. It is read once a
// session starts, when the runtime and package initialisation have already
// brought in nearly all of them (53 MiB of a 114 MB binary measured; the
// peak during a query was 57 MiB).
func fileRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return fallbackFileRSS
	}
	for _, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, "RssFile:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		if err != nil {
			return fallbackFileRSS
		}
		return kb << 10
	}
	return fallbackFileRSS
}

// runtimeLimit is the Go runtime's soft memory limit for a query budget: the
// budget plus runtimeOverhead less what the resident set holds outside the
// runtime's view (the binary's resident pages, binaryRSS as fileRSS reads
// them, and nonHeapMargin), so that garbage is collected before the resident
// set grows past budget plus runtimeOverhead. It never goes below the budget
// itself.
func runtimeLimit(budget, binaryRSS int64) int64 {
	limit := budget + runtimeOverhead - binaryRSS - nonHeapMargin
	if limit < budget {
		limit = budget
	}
	return limit
}

// setRuntimeLimit gives the Go runtime the soft memory limit runtimeLimit
// works out for budget; a GOMEMLIMIT in the environment wins.
func setRuntimeLimit(budget int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(runtimeLimit(budget, fileRSS()))
}

// parseBytes reads sizes like 512MB, 2GiB, 1g or 1048576.
func parseBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   int64
	}{{"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3},
		{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return int64(f * float64(mult)), nil
}

// sqlParams reads the --param name=value flags.
func sqlParams(flags []string) (map[string]string, error) {
	params := map[string]string{}
	for _, f := range flags {
		name, value, ok := strings.Cut(f, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("--param %q: want name=value", f)
		}
		params[strings.TrimSpace(name)] = value
	}
	return params, nil
}

// sqlSession is the session of the sql command and the shell: SQL text
// substitutes ${name} with the --param values.
func (g *globalFlags) sqlSession() (*frame.Session, error) {
	params, err := sqlParams(g.params)
	if err != nil {
		return nil, err
	}
	return g.session(frame.WithSQLParams(params))
}
