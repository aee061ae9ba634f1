package frame

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/planner"
	"github.com/gspark/gspark/samples"
)

// Session is the entry point: it holds the options every query runs with and
// the catalog of tables (the built-in samples and registered temp views).
// A Session is safe for concurrent use.
type Session struct {
	partitions int
	memLimit   int64
	optimize   bool
	mem        memory.Allocator
	ids        planner.IDs

	mu     sync.Mutex
	tables map[string]tableEntry
}

type tableEntry struct {
	name string
	plan planner.Plan                   // a temp view
	open func() (planner.Source, error) // a lazily opened source
	src  planner.Source
}

// Option configures a Session.
type Option func(*Session)

// WithPartitions sets how many partitions queries run with (default GOMAXPROCS).
func WithPartitions(n int) Option { return func(s *Session) { s.partitions = max(n, 1) } }

// WithMemoryLimit caps the Arrow memory one query may hold, in bytes (0: no limit).
// A query over the limit fails with an error saying so.
func WithMemoryLimit(bytes int64) Option { return func(s *Session) { s.memLimit = bytes } }

// WithOptimizer turns the logical optimizer on (the default) or off.
func WithOptimizer(on bool) Option { return func(s *Session) { s.optimize = on } }

// WithAllocator sets the allocator queries take their memory from. With the
// default allocator each query recycles its buffers through an exec.Pool.
func WithAllocator(mem memory.Allocator) Option { return func(s *Session) { s.mem = mem } }

// NewSession returns a session with the sample tables registered as
// samples.<name> (the TPC-H tables at scale factor 0.01 and iris).
func NewSession(opts ...Option) *Session {
	s := &Session{partitions: runtime.GOMAXPROCS(0), optimize: true, mem: memory.DefaultAllocator, tables: map[string]tableEntry{}}
	for _, o := range opts {
		o(s)
	}
	for _, t := range samples.Tables() {
		t := t
		name := "samples." + t.Name
		s.tables[strings.ToLower(name)] = tableEntry{name: name, open: func() (planner.Source, error) {
			return planner.NewParquetBytes(name, t.Data)
		}}
	}
	return s
}

// Partitions is the number of partitions queries run with.
func (s *Session) Partitions() int { return s.partitions }

// Tables lists the names of the tables and views in the catalog, sorted.
func (s *Session) Tables() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.tables))
	for _, t := range s.tables {
		names = append(names, t.name)
	}
	sort.Strings(names)
	return names
}

// Table returns a DataFrame over a catalog table or temp view.
func (s *Session) Table(name string) *DataFrame {
	return s.newFrame(&planner.UnresolvedRelation{Name: name})
}

// catalog adapts the session's tables to the planner.
type catalog struct{ s *Session }

func (c catalog) LookupTable(name string) (planner.Source, planner.Plan, bool) {
	src, view, err := c.s.lookup(name)
	return src, view, err == nil
}

func (c catalog) TableNames() []string { return c.s.Tables() }

// lookup finds a table: a source, or the plan of a temp view.
func (s *Session) lookup(name string) (planner.Source, planner.Plan, error) {
	key := strings.ToLower(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[key]
	if !ok && !strings.Contains(key, ".") {
		t, ok = s.tables["samples."+key]
	}
	if !ok {
		return nil, nil, fmt.Errorf("unknown table %s", name)
	}
	if t.plan != nil {
		return nil, t.plan, nil
	}
	if t.src == nil {
		src, err := t.open()
		if err != nil {
			return nil, nil, fmt.Errorf("table %s: %w", name, err)
		}
		t.src = src
		s.tables[strings.ToLower(t.name)] = t // under its full name, not the short one it was found by
	}
	return t.src, nil, nil
}

// registerView stores a temp view's analyzed plan under name.
func (s *Session) registerView(name string, p planner.Plan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[strings.ToLower(name)] = tableEntry{name: name, plan: p}
}

// dropView removes a temporary view; it reports whether one was there
// (tables backed by files or samples are not views and stay).
func (s *Session) dropView(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[strings.ToLower(name)]
	if !ok || t.plan == nil {
		return false
	}
	delete(s.tables, strings.ToLower(name))
	return true
}

// RegisterSource adds a table backed by a source to the catalog.
func (s *Session) RegisterSource(name string, src planner.Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[strings.ToLower(name)] = tableEntry{name: name, src: src}
}

func (s *Session) analyzer() *planner.Analyzer {
	return &planner.Analyzer{Catalog: catalog{s}, IDs: &s.ids}
}
