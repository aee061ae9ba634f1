package delta

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Snapshot is a Delta table's state at one version.
type Snapshot struct {
	// Dir is the table's directory.
	Dir string
	// Version is the table version read.
	Version int64
	// Schema is the table's schema (metaData.schemaString), partition
	// columns included, in the table's column order.
	Schema *arrow.Schema
	// PartitionColumns are the partition columns' names in order.
	PartitionColumns []string
	// Configuration is metaData.configuration (table properties).
	Configuration map[string]string
	// MinReaderVersion and ReaderFeatures are the table's protocol.
	MinReaderVersion int
	ReaderFeatures   []string
	// Files are the live data files, sorted by path.
	Files []File
}

// File is a live data file of a snapshot.
type File struct {
	// Path is the file's path on disk (add.path resolved and unescaped).
	Path string
	// Size is add.size in bytes.
	Size int64
	// PartitionValues holds the serialized value of each partition column;
	// a missing key or nil is null.
	PartitionValues map[string]*string
}

// SupportedReaderFeatures returns the reader table features Load accepts.
func SupportedReaderFeatures() []string {
	return []string{"columnMapping", "deletionVectors", "timestampNtz", "typeWidening", "typeWidening-preview", "vacuumProtocolCheck"}
}

// action is one line of a commit or one row of a checkpoint.
type action struct {
	Add      *addAction    `json:"add"`
	Remove   *removeAction `json:"remove"`
	MetaData *metaData     `json:"metaData"`
	Protocol *protocol     `json:"protocol"`
	// Present only in v2 checkpoints.
	Sidecar            json.RawMessage `json:"sidecar"`
	CheckpointMetadata json.RawMessage `json:"checkpointMetadata"`
}

type addAction struct {
	Path            string          `json:"path"`
	PartitionValues stringMap       `json:"partitionValues"`
	Size            int64           `json:"size"`
	DeletionVector  json.RawMessage `json:"deletionVector"`
}

type removeAction struct {
	Path string `json:"path"`
}

type metaData struct {
	Format struct {
		Provider string `json:"provider"`
	} `json:"format"`
	SchemaString     string    `json:"schemaString"`
	PartitionColumns []string  `json:"partitionColumns"`
	Configuration    stringMap `json:"configuration"`
}

type protocol struct {
	MinReaderVersion int      `json:"minReaderVersion"`
	ReaderFeatures   []string `json:"readerFeatures"`
}

// stringMap is a map<string,string> as a JSON object (commits) or, as a
// checkpoint's map column marshals, an array of {"key":…,"value":…}.
type stringMap map[string]*string

func (m *stringMap) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var kvs []struct {
			Key   string  `json:"key"`
			Value *string `json:"value"`
		}
		if err := json.Unmarshal(b, &kvs); err != nil {
			return err
		}
		*m = stringMap{}
		for _, kv := range kvs {
			(*m)[kv.Key] = kv.Value
		}
		return nil
	}
	var o map[string]*string
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*m = o
	return nil
}

// commitName and checkpointName match the log's file names. They are
// compiled on first use, not when a process that reads no table starts.
var (
	commitName     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{20})\.json$`) })
	checkpointName = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\d{20})\.checkpoint(?:\.(\d{10})\.(\d{10}))?\.parquet$`)
	})
)

// checkpoint is the parts of one checkpoint version found in the log.
type checkpoint struct {
	parts map[int]string // part number (1 for a single file) → path
	total int
}

func (c *checkpoint) complete() bool { return c.total > 0 && len(c.parts) == c.total }

// Load reads the snapshot of the Delta table in dir at version (the latest
// when version < 0).
func Load(ctx context.Context, dir string, version int64) (*Snapshot, error) {
	logDir := filepath.Join(dir, "_delta_log")
	entries, err := os.ReadDir(logDir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a Delta table: no _delta_log directory", dir)
		}
		return nil, fmt.Errorf("delta table %s: %w", dir, err)
	}
	commits := map[int64]string{}
	checkpoints := map[int64]*checkpoint{}
	latest := int64(-1)
	for _, e := range entries {
		name := e.Name()
		if m := commitName().FindStringSubmatch(name); m != nil {
			v, _ := strconv.ParseInt(m[1], 10, 64)
			commits[v] = filepath.Join(logDir, name)
			latest = max(latest, v)
		} else if m := checkpointName().FindStringSubmatch(name); m != nil {
			v, _ := strconv.ParseInt(m[1], 10, 64)
			part, total := 1, 1
			if m[2] != "" {
				part, _ = strconv.Atoi(m[2])
				total, _ = strconv.Atoi(m[3])
			}
			c := checkpoints[v]
			if c == nil || c.total != total {
				if c != nil && c.complete() {
					continue // keep the complete one of two checkpoint layouts
				}
				c = &checkpoint{parts: map[int]string{}, total: total}
				checkpoints[v] = c
			}
			c.parts[part] = filepath.Join(logDir, name)
			latest = max(latest, v)
		}
	}
	if latest < 0 {
		return nil, fmt.Errorf("delta table %s: no commits in _delta_log", dir)
	}
	target := latest
	if version >= 0 {
		if version > latest {
			return nil, fmt.Errorf("delta table %s: version %d does not exist (the latest is %d)", dir, version, latest)
		}
		target = version
	}
	cp := lastCheckpoint(logDir, target, checkpoints)
	if cp < 0 {
		for v, c := range checkpoints {
			if v <= target && c.complete() && v > cp {
				cp = v
			}
		}
	}
	st := &state{files: map[string]*addAction{}}
	if cp >= 0 {
		if err := st.readCheckpoint(ctx, checkpoints[cp]); err != nil {
			return nil, fmt.Errorf("delta table %s: %w", dir, err)
		}
	}
	for v := cp + 1; v <= target; v++ {
		path, ok := commits[v]
		if !ok {
			return nil, fmt.Errorf("delta table %s: commit %020d.json is missing (needed to read version %d)", dir, v, target)
		}
		if err := st.readCommit(path); err != nil {
			return nil, err
		}
	}
	return st.snapshot(dir, target)
}

// lastCheckpoint is the version _last_checkpoint names when that
// checkpoint is complete and not after target, else -1.
func lastCheckpoint(logDir string, target int64, checkpoints map[int64]*checkpoint) int64 {
	b, err := os.ReadFile(filepath.Join(logDir, "_last_checkpoint"))
	if err != nil {
		return -1
	}
	var lc struct {
		Version int64 `json:"version"`
		Parts   int   `json:"parts"`
	}
	if json.Unmarshal(b, &lc) != nil {
		return -1
	}
	c := checkpoints[lc.Version]
	if lc.Version > target || c == nil || !c.complete() || (lc.Parts > 0 && c.total != lc.Parts) {
		return -1
	}
	return lc.Version
}

// state is the table's state while actions are applied.
type state struct {
	files    map[string]*addAction
	meta     *metaData
	protocol *protocol
}

func (st *state) apply(a *action, where string) error {
	if len(a.Sidecar) > 0 && string(a.Sidecar) != "null" || len(a.CheckpointMetadata) > 0 && string(a.CheckpointMetadata) != "null" {
		return fmt.Errorf("%s: v2 checkpoints (sidecar files) are not supported", where)
	}
	if a.Protocol != nil {
		st.protocol = a.Protocol
	}
	if a.MetaData != nil {
		st.meta = a.MetaData
	}
	if a.Remove != nil {
		delete(st.files, a.Remove.Path)
	}
	if a.Add != nil {
		st.files[a.Add.Path] = a.Add
	}
	return nil
}

// readCommit applies the actions of one JSON commit in order.
func (st *state) readCommit(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("delta log: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<30)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var a action
		if err := json.Unmarshal(b, &a); err != nil {
			return fmt.Errorf("delta log %s:%d: %w", path, line, err)
		}
		if err := st.apply(&a, fmt.Sprintf("%s:%d", path, line)); err != nil {
			return fmt.Errorf("delta log %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("delta log %s: %w", path, err)
	}
	return nil
}

// readCheckpoint applies the rows of every part of a checkpoint.
func (st *state) readCheckpoint(ctx context.Context, c *checkpoint) error {
	for p := 1; p <= c.total; p++ {
		if err := st.readCheckpointFile(ctx, c.parts[p]); err != nil {
			return err
		}
	}
	return nil
}

// readCheckpointFile reads the action columns (add, remove, metaData,
// protocol) of a Parquet checkpoint; each row is one action.
func (st *state) readCheckpointFile(ctx context.Context, path string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("checkpoint %s: corrupt file: %v", path, p)
		}
	}()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 4096}, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	defer rr.Release()
	row := 0
	for rr.Next() {
		rec := rr.RecordBatch()
		var cols []int
		for i, f := range rec.Schema().Fields() {
			switch f.Name {
			case "add", "remove", "metaData", "protocol", "sidecar", "checkpointMetadata":
				cols = append(cols, i)
			}
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			obj := map[string]any{}
			for _, c := range cols {
				col := rec.Column(c)
				if col.IsNull(i) {
					continue
				}
				obj[rec.Schema().Field(c).Name] = col.GetOneForMarshal(i)
			}
			b, err := json.Marshal(obj)
			if err != nil {
				return fmt.Errorf("checkpoint %s: row %d: %w", path, row+i, err)
			}
			var a action
			if err := json.Unmarshal(b, &a); err != nil {
				return fmt.Errorf("checkpoint %s: row %d: %w", path, row+i, err)
			}
			if err := st.apply(&a, fmt.Sprintf("checkpoint %s: row %d", path, row+i)); err != nil {
				return fmt.Errorf("delta log %w", err)
			}
		}
		row += int(rec.NumRows())
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return nil
}

// snapshot checks the protocol and metadata and builds the Snapshot.
func (st *state) snapshot(dir string, version int64) (*Snapshot, error) {
	where := fmt.Sprintf("delta table %s (version %d)", dir, version)
	if st.protocol == nil {
		return nil, fmt.Errorf("%s: the log has no protocol action", where)
	}
	if st.meta == nil {
		return nil, fmt.Errorf("%s: the log has no metaData action", where)
	}
	p := st.protocol
	supported := SupportedReaderFeatures()
	switch p.MinReaderVersion {
	case 1, 2:
	case 3:
		for _, f := range p.ReaderFeatures {
			if !slices.Contains(supported, f) {
				return nil, fmt.Errorf("%s: reader table feature %q is not supported (supported: %s)", where, f, strings.Join(supported, ", "))
			}
		}
	default:
		return nil, fmt.Errorf("%s: reader version %d is not supported (supported: 1, 2 and 3 with features %s)", where, p.MinReaderVersion, strings.Join(supported, ", "))
	}
	conf := map[string]string{}
	for k, v := range st.meta.Configuration {
		if v != nil {
			conf[k] = *v
		}
	}
	if mode := conf["delta.columnMapping.mode"]; mode != "" && mode != "none" {
		return nil, fmt.Errorf("%s: column mapping mode %q is not supported (only none)", where, mode)
	}
	if prov := st.meta.Format.Provider; prov != "" && prov != "parquet" {
		return nil, fmt.Errorf("%s: data file format %q is not supported (only parquet)", where, prov)
	}
	schema, err := ParseSchema(st.meta.SchemaString)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	for _, c := range st.meta.PartitionColumns {
		if len(schema.FieldIndices(c)) == 0 {
			return nil, fmt.Errorf("%s: partition column %s is not in the schema", where, c)
		}
	}
	snap := &Snapshot{
		Dir: dir, Version: version, Schema: schema, PartitionColumns: st.meta.PartitionColumns,
		Configuration: conf, MinReaderVersion: p.MinReaderVersion, ReaderFeatures: p.ReaderFeatures,
	}
	for _, a := range st.files {
		if dv := bytes.TrimSpace(a.DeletionVector); len(dv) > 0 && string(dv) != "null" {
			return nil, fmt.Errorf("%s: file %s has a deletion vector; deletion vectors are not supported (run REORG TABLE … APPLY (PURGE) in Spark to rewrite the files)", where, a.Path)
		}
		path, err := resolve(dir, a.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		snap.Files = append(snap.Files, File{Path: path, Size: a.Size, PartitionValues: a.PartitionValues})
	}
	slices.SortFunc(snap.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return snap, nil
}

// resolve turns an add action's path — a URI, relative to the table or
// absolute (file:) — into a path on disk.
func resolve(dir, p string) (string, error) {
	u, err := url.Parse(p)
	if err != nil {
		return "", fmt.Errorf("file path %q: %w", p, err)
	}
	switch u.Scheme {
	case "":
		return filepath.Join(dir, filepath.FromSlash(u.Path)), nil
	case "file":
		return filepath.FromSlash(u.Path), nil
	}
	return "", fmt.Errorf("file path %q: scheme %s is not supported", p, u.Scheme)
}
