package frame

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/physical"
	"github.com/gspark/gspark/samples"
)

// Session is the entry point: it holds the options every query runs with and
// the catalog of tables (the built-in samples and registered temp views).
// A Session is safe for concurrent use; SQL's SET changes its options for
// the queries planned afterwards.
type Session struct {
	// settings guards partitions, memLimit, optimize, broadcast, spill and
	// tempDir, which SET may change while queries run; read them through the
	// accessors.
	settings    sync.RWMutex
	partitions  int
	memLimit    int64
	optimize    bool
	broadcast   int64
	spill       int64 // bytes; autoSpill: a fraction of memLimit; -1: never
	tempDir     string
	zone        string         // spark.sql.session.timeZone as set ("" is UTC)
	binStyle    string         // spark.sql.binaryOutputStyle, upper case ("" unset)
	mergeSchema bool           // spark.sql.parquet.mergeSchema
	loc         *time.Location // the zone
	limits      logical.Limits // gspark.sql.planner.*: planning limits (0: the default)
	mem         memory.Allocator
	ids         logical.IDs
	// s3conf holds the fs.s3a.* settings; fsMux, made from them on first
	// use, is the file system of the paths read and written.
	s3conf map[string]string
	fsMux  *fsys.Mux

	mu     sync.Mutex
	tables map[string]tableEntry
	// tableFuncs holds the table-valued functions SQL may call, by lower-case name.
	tableFuncs map[string]TableFunction
	// sqlParams, when not nil, are the ${name} values SQL text substitutes.
	sqlParams map[string]string
	// vars are the session variables (DECLARE VARIABLE), cached the tables
	// CACHE TABLE replaced, by lower-case name; both under mu.
	vars   map[string]*logical.Literal
	cached map[string]cachedEntry
	// remote, when set (WithRemote), runs the session's queries on a Spark
	// Connect server.
	remote *remoteConn
}

type tableEntry struct {
	name string
	plan logical.Plan                   // a temp view
	open func() (logical.Source, error) // a lazily opened source
	src  logical.Source
}

// Option configures a Session.
type Option func(*Session)

// autoSpill is the default spill threshold: exec.DefaultSpillFraction of
// the memory limit (no spilling without a limit).
const autoSpill = -2

// WithSpillThreshold sets how many bytes a query may hold before its sorts
// and hash joins spill to disk: 0 spills always (same answers, slower),
// -1 never; the default is 60% of the memory limit.
func WithSpillThreshold(bytes int64) Option {
	return func(s *Session) { s.spill = max(bytes, -1) }
}

// WithTempDir sets the directory spill files go to (default: the system's
// temporary directory); they are removed when the operator finishes.
func WithTempDir(dir string) Option { return func(s *Session) { s.tempDir = dir } }

// WithPartitions sets how many partitions queries run with (default GOMAXPROCS).
func WithPartitions(n int) Option { return func(s *Session) { s.partitions = max(n, 1) } }

// WithMemoryLimit caps the Arrow memory one query may hold, in bytes (0: no limit).
// A query over the limit fails with an error saying so.
func WithMemoryLimit(bytes int64) Option { return func(s *Session) { s.memLimit = bytes } }

// DefaultBroadcastThreshold is the default size in bytes under which a join
// side is broadcast, Spark's 10 MiB.
const DefaultBroadcastThreshold = 10 << 20

// WithBroadcastThreshold sets the size in bytes under which the build side of
// a join is broadcast to every partition instead of shuffled; -1 disables
// broadcasting (default DefaultBroadcastThreshold).
func WithBroadcastThreshold(bytes int64) Option {
	return func(s *Session) { s.broadcast = max(bytes, -1) }
}

// WithOptimizer turns the logical optimizer on (the default) or off.
func WithOptimizer(on bool) Option { return func(s *Session) { s.optimize = on } }

// WithAllocator sets the allocator queries take their memory from. With the
// default allocator each query recycles its buffers through an exec.Pool.
func WithAllocator(mem memory.Allocator) Option { return func(s *Session) { s.mem = mem } }

// NewSession returns a session with the sample tables registered as
// samples.<name> (the TPC-H tables at scale factor 0.01 and iris).
func NewSession(opts ...Option) *Session {
	s := &Session{partitions: runtime.GOMAXPROCS(0), optimize: true, broadcast: DefaultBroadcastThreshold, spill: autoSpill,
		mem: memory.DefaultAllocator, tables: map[string]tableEntry{}}
	for _, o := range opts {
		o(s)
	}
	if s.remote != nil {
		// Every table is the server's.
		s.remote.dial()
		return s
	}
	// A sample's bytes are copied out of the binary when a query first
	// opens it, not for every session (a one-shot process would copy them all).
	for _, table := range samples.Names() {
		name := "samples." + table
		data := sync.OnceValues(func() ([]byte, error) {
			t, ok := samples.Lookup(table)
			if !ok {
				return nil, fmt.Errorf("sample table %s is missing", name)
			}
			return t.Data, nil
		})
		s.tables[strings.ToLower(name)] = tableEntry{name: name, open: func() (logical.Source, error) {
			b, err := data()
			if err != nil {
				return nil, err
			}
			return physical.NewParquetBytes(name, b)
		}}
	}
	return s
}

// Partitions is the number of partitions queries run with.
func (s *Session) Partitions() int { return s.partitionCount() }

// BroadcastThreshold is the size in bytes under which a join side is
// broadcast; -1 when broadcasting is disabled.
func (s *Session) BroadcastThreshold() int64 {
	s.settings.RLock()
	defer s.settings.RUnlock()
	return s.broadcast
}

// partitionCount reads the partition count under the settings lock.
func (s *Session) partitionCount() int {
	s.settings.RLock()
	defer s.settings.RUnlock()
	return s.partitions
}

// memoryLimit reads the per-query memory limit under the settings lock.
func (s *Session) memoryLimit() int64 {
	s.settings.RLock()
	defer s.settings.RUnlock()
	return s.memLimit
}

// newEnv makes the environment of one query over budget, with the
// session's spill settings.
func (s *Session) newEnv(budget *exec.Budget) *exec.Env {
	s.settings.RLock()
	defer s.settings.RUnlock()
	if s.spill != autoSpill {
		budget.SetSpillThreshold(s.spill)
	}
	env := exec.NewEnv(budget)
	env.TempDir = s.tempDir
	return env
}

// optimizerOn reads whether the optimizer runs, under the settings lock.
func (s *Session) optimizerOn() bool {
	s.settings.RLock()
	defer s.settings.RUnlock()
	return s.optimize
}

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
	return s.newFrame(&logical.UnresolvedRelation{Name: name})
}

// catalog adapts the session's tables to the planner.
type catalog struct{ s *Session }

func (c catalog) LookupTable(name string) (logical.Source, logical.Plan, bool) {
	src, view, err := c.s.lookup(name)
	return src, view, err == nil
}

func (c catalog) TableNames() []string { return c.s.Tables() }

// lookup finds a table: a source, or the plan of a temp view. A name
// format.path that is not in the catalog, with format parquet, csv or json,
// reads the files at path (a direct file query such as parquet.`/data/x`).
func (s *Session) lookup(name string) (logical.Source, logical.Plan, error) {
	if s.remote != nil {
		return s.remoteLookup(name)
	}
	key := strings.ToLower(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tables[key]
	if !ok && !strings.Contains(key, ".") {
		t, ok = s.tables["samples."+key]
	}
	if !ok {
		if format, path, isFile := fileRelation(name); isFile {
			s.mu.Unlock()
			defer s.mu.Lock()
			src, err := s.Read().source(format, []string{path})
			if err != nil {
				return nil, nil, fmt.Errorf("read %s: %w", format, err)
			}
			return src, nil, nil
		}
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

// fileFormats are the formats a direct file query (format.`path`) reads.
var fileFormats = map[string]bool{"parquet": true, "csv": true, "json": true, "arrow": true, "feather": true, "ipc": true, "avro": true, "delta": true}

// fileRelation splits a direct file query's table name format.path; ok is
// false unless format is one of fileFormats and path is not empty.
func fileRelation(name string) (format, path string, ok bool) {
	format, path, ok = strings.Cut(name, ".")
	format = strings.ToLower(format)
	if !ok || path == "" || !fileFormats[format] {
		return "", "", false
	}
	return format, path, true
}

// registerView stores a temp view's analyzed plan under name.
func (s *Session) registerView(name string, p logical.Plan) {
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
func (s *Session) RegisterSource(name string, src logical.Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables[strings.ToLower(name)] = tableEntry{name: name, src: src}
}

func (s *Session) analyzer() *analyzer.Analyzer {
	zone, loc := s.TimeZone()
	return &analyzer.Analyzer{Catalog: catalog{s}, IDs: &s.ids, TimeZone: zone, Location: loc}
}

// The keys SET accepts; Spark's names and gspark's aliases.
const (
	confShufflePartitions = "spark.sql.shuffle.partitions"
	confPartitions        = "gspark.partitions"
	confMemoryLimit       = "gspark.memory.limit"
	confSparkBroadcast    = "spark.sql.autoBroadcastJoinThreshold"
	confBroadcast         = "gspark.broadcast.threshold"
	confSpill             = "gspark.spill.threshold"
	confLocalDir          = "spark.local.dir"
	confTimeZone          = "spark.sql.session.timeZone"
	confBinaryStyle       = "spark.sql.binaryOutputStyle"
	confMergeSchema       = "spark.sql.parquet.mergeSchema"
	confMaxExprNodes      = "gspark.sql.planner.maxExpressionNodes"
	confMaxExprDepth      = "gspark.sql.planner.maxExpressionDepth"
)

// confKeys lists the settings in the order SET shows them.
func confKeys() []string {
	return []string{confShufflePartitions, confPartitions, confMemoryLimit, confSparkBroadcast, confBroadcast, confSpill, confLocalDir, confTimeZone, confBinaryStyle, confMaxExprNodes, confMaxExprDepth, confMergeSchema}
}

// canonicalKey returns the known key that key names, case-insensitively.
func canonicalKey(key string) (string, error) {
	for _, k := range confKeys() {
		if strings.EqualFold(k, key) {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown setting %q; known settings: %s", key, strings.Join(confKeys(), ", "))
}

// SetConf changes a session setting, as SQL's SET key=value does:
// spark.sql.shuffle.partitions or gspark.partitions (an integer ≥ 1),
// gspark.memory.limit (bytes such as 536870912, 512MB or 2GiB; 0 for none),
// spark.sql.autoBroadcastJoinThreshold or gspark.broadcast.threshold (bytes;
// -1 disables broadcast joins), gspark.spill.threshold (bytes a query may
// hold before sorts and joins spill; auto: 60% of the memory limit; -1
// never), spark.local.dir (where spill files go),
// spark.sql.binaryOutputStyle (how gspark sql shows BINARY values: UTF-8,
// BASIC, BASE64, HEX or HEX_DISCRETE), gspark.sql.planner.maxExpressionNodes
// and gspark.sql.planner.maxExpressionDepth (integers ≥ 1: the number of
// expression nodes of a SQL query and the nesting of one of its expressions
// past which planning fails at once; defaults 1,000,000 and 200,000),
// spark.sql.parquet.mergeSchema (true: Parquet reads take the union of the
// files' schemas unless the reader's mergeSchema option says otherwise), and
// the settings of s3:// paths, as Hadoop's S3A names them (also with the
// prefix spark.hadoop.): fs.s3a.endpoint (an S3-compatible store's URL;
// AWS_ENDPOINT_URL otherwise), fs.s3a.path.style.access (true or false),
// fs.s3a.endpoint.region, fs.s3a.access.key and fs.s3a.secret.key (otherwise
// the standard AWS environment variables and ~/.aws files). Queries planned
// afterwards use the new value.
func (s *Session) SetConf(key, value string) error {
	if s.remote != nil {
		return s.remoteSetConf(key, value)
	}
	return s.setConf(key, value)
}

// setConf is SetConf in this process.
func (s *Session) setConf(key, value string) error {
	if k, ok := s3Key(key); ok {
		if k == confS3PathStyle {
			if _, err := strconv.ParseBool(strings.TrimSpace(value)); err != nil {
				return fmt.Errorf("%s: %q is not true or false", k, value)
			}
		}
		s.setS3Conf(k, strings.TrimSpace(value))
		return nil
	}
	k, err := canonicalKey(key)
	if err != nil {
		return err
	}
	value = strings.TrimSpace(value)
	switch k {
	case confShufflePartitions, confPartitions:
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return fmt.Errorf("%s: %q is not an integer ≥ 1", k, value)
		}
		s.settings.Lock()
		s.partitions = n
		s.settings.Unlock()
	case confMemoryLimit:
		n, err := ParseBytes(value)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		s.settings.Lock()
		s.memLimit = n
		s.settings.Unlock()
	case confSparkBroadcast, confBroadcast:
		var n int64
		if i, err := strconv.ParseInt(value, 10, 64); err == nil && i < 0 {
			n = -1
		} else if n, err = ParseBytes(value); err != nil {
			return fmt.Errorf("%s: %w (or -1 to disable)", k, err)
		}
		s.settings.Lock()
		s.broadcast = n
		s.settings.Unlock()
	case confSpill:
		n := int64(autoSpill)
		if !strings.EqualFold(value, "auto") {
			if i, err := strconv.ParseInt(value, 10, 64); err == nil && i < 0 {
				n = -1
			} else if n, err = ParseBytes(value); err != nil {
				return fmt.Errorf("%s: %w (or auto, or -1 never to spill)", k, err)
			}
		}
		s.settings.Lock()
		s.spill = n
		s.settings.Unlock()
	case confLocalDir:
		s.settings.Lock()
		s.tempDir = value
		s.settings.Unlock()
	case confTimeZone:
		return s.SetTimeZone(value)
	case confMergeSchema:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("%s: %q is not true or false", k, value)
		}
		s.settings.Lock()
		s.mergeSchema = b
		s.settings.Unlock()
	case confMaxExprNodes, confMaxExprDepth:
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return fmt.Errorf("%s: %q is not an integer ≥ 1", k, value)
		}
		s.settings.Lock()
		if k == confMaxExprNodes {
			s.limits.MaxExpressionNodes = n
		} else {
			s.limits.MaxExpressionDepth = n
		}
		s.settings.Unlock()
	case confBinaryStyle:
		style, err := binaryOutputStyle(value)
		if err != nil {
			return err
		}
		s.settings.Lock()
		s.binStyle = style
		s.settings.Unlock()
	}
	return nil
}

// SetTimeZone sets the session time zone (spark.sql.session.timeZone): a
// region such as America/Los_Angeles, UTC, or an offset such as +08:00.
// TIMESTAMP values are instants; the zone decides how they read and print
// as wall clocks (casts to and from strings and dates, TIMESTAMP literals,
// hour, date_format, to_timestamp, from_unixtime, ...). The default is UTC.
func (s *Session) SetTimeZone(zone string) error {
	loc, err := datefn.ParseZone(zone)
	if err != nil {
		return fmt.Errorf("%s: %w", confTimeZone, err)
	}
	s.settings.Lock()
	s.zone, s.loc = strings.TrimSpace(zone), loc
	s.settings.Unlock()
	return nil
}

// TimeZone returns the session time zone's name and the zone (UTC unless
// SetTimeZone or SET spark.sql.session.timeZone changed it).
func (s *Session) TimeZone() (string, *time.Location) {
	s.settings.RLock()
	defer s.settings.RUnlock()
	if s.loc == nil {
		return "UTC", time.UTC
	}
	return s.zone, s.loc
}

// Conf returns the current value of a setting SetConf accepts, as text.
func (s *Session) Conf(key string) (string, error) {
	if k, ok := s3Key(key); ok {
		return s.s3ConfValue(k), nil
	}
	k, err := canonicalKey(key)
	if err != nil {
		return "", err
	}
	s.settings.RLock()
	defer s.settings.RUnlock()
	switch k {
	case confShufflePartitions, confPartitions:
		return strconv.Itoa(s.partitions), nil
	case confMemoryLimit:
		return strconv.FormatInt(s.memLimit, 10), nil
	case confSpill:
		if s.spill == autoSpill {
			return "auto", nil
		}
		return strconv.FormatInt(s.spill, 10), nil
	case confTimeZone:
		if s.zone == "" {
			return "UTC", nil
		}
		return s.zone, nil
	case confBinaryStyle:
		if s.binStyle == "" {
			return "<undefined>", nil // as Spark shows an optional setting not set
		}
		return s.binStyle, nil
	case confMergeSchema:
		return strconv.FormatBool(s.mergeSchema), nil
	case confMaxExprNodes:
		return strconv.Itoa(cmp.Or(s.limits.MaxExpressionNodes, logical.DefaultMaxExpressionNodes)), nil
	case confMaxExprDepth:
		return strconv.Itoa(cmp.Or(s.limits.MaxExpressionDepth, logical.DefaultMaxExpressionDepth)), nil
	case confLocalDir:
		if s.tempDir == "" {
			return os.TempDir(), nil
		}
		return s.tempDir, nil
	}
	return strconv.FormatInt(s.broadcast, 10), nil
}

// parquetMergeSchema is spark.sql.parquet.mergeSchema.
func (s *Session) parquetMergeSchema() bool {
	s.settings.RLock()
	defer s.settings.RUnlock()
	return s.mergeSchema
}

// ParseBytes reads a size in bytes: a plain number (1048576) or one with a
// unit, decimal (KB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB; K, M, G, T
// alone are binary too), case-insensitive, e.g. 512MB, 2GiB, 1.5g.
func ParseBytes(text string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(text))
	units := []struct {
		suffix string
		mult   float64
	}{{"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3},
		{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || math.IsNaN(f) || f*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("invalid size %q (want bytes, e.g. 1048576, 512MB or 2GiB)", text)
	}
	return int64(f * mult), nil
}

// planLimits returns the session's planning limits, with the settings that
// raise them named.
func (s *Session) planLimits() logical.Limits {
	s.settings.RLock()
	l := s.limits
	s.settings.RUnlock()
	l.NodesSetting, l.DepthSetting = confMaxExprNodes, confMaxExprDepth
	return l
}
