package frame

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/delta"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/physical"
)

// deltaReadOptions are the Delta reader's options.
var deltaReadOptions = []string{"versionasof"}

// deltaSource is the source over the snapshot of the Delta table at
// paths[0]: its live Parquet files read against the table's schema, the
// partition values from the log as columns (pruned by filters before any
// file is opened), columns in the table's order.
func (r *DataFrameReader) deltaSource(paths []string) (logical.Source, error) {
	if len(paths) != 1 {
		return nil, fmt.Errorf("delta: read one table directory, not %d paths", len(paths))
	}
	if err := checkOptions("delta", r.opts, deltaReadOptions, []string{"timestampasof"}); err != nil {
		return nil, err
	}
	version := int64(-1)
	if v, ok := r.opts["versionasof"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("delta option versionAsOf: %q is not a version number", v)
		}
		version = n
	}
	if r.schema != nil {
		return nil, fmt.Errorf("delta: a Delta table has its own schema; do not set one")
	}
	dir := paths[0]
	if fsys.IsRemote(dir) {
		return nil, fmt.Errorf("delta: table %s: Delta tables are read from local directories only", dir)
	}
	snap, err := delta.Load(context.Background(), dir, version)
	if err != nil {
		return nil, err
	}
	isPart := map[string]bool{}
	for _, c := range snap.PartitionColumns {
		isPart[strings.ToLower(c)] = true
	}
	var dataFields, partFields []arrow.Field
	for _, f := range snap.Schema.Fields() {
		if !isPart[strings.ToLower(f.Name)] {
			dataFields = append(dataFields, f)
		}
	}
	for _, c := range snap.PartitionColumns {
		f := snap.Schema.Field(snap.Schema.FieldIndices(c)[0])
		f.Nullable = true
		partFields = append(partFields, f)
	}
	data := arrow.NewSchema(dataFields, nil)
	open := func(files []string) (logical.Source, error) {
		return physical.NewParquetFilesWith(context.Background(), fsys.Local{}, files, physical.ParquetSchemaOptions{Schema: data})
	}
	desc := fmt.Sprintf("delta %s version %d", dir, snap.Version)
	var inner logical.Source
	if len(partFields) == 0 && len(snap.Files) > 0 {
		files := make([]string, len(snap.Files))
		for i, f := range snap.Files {
			files[i] = f.Path
		}
		if inner, err = open(files); err != nil {
			return nil, err
		}
	} else {
		parts := &source.Partitioning{Fields: partFields}
		group := map[string]int{}
		for _, f := range snap.Files {
			vals := make([]any, len(partFields))
			keys := make([]string, len(partFields))
			for i, pf := range partFields {
				raw, ok := f.PartitionValues[pf.Name]
				if !ok {
					for k, v := range f.PartitionValues {
						if strings.EqualFold(k, pf.Name) {
							raw = v
						}
					}
				}
				v, err := delta.PartitionValue(pf.Type, raw)
				if err != nil {
					return nil, fmt.Errorf("delta table %s: file %s: partition column %s: %w", dir, f.Path, pf.Name, err)
				}
				vals[i] = v
				keys[i] = fmt.Sprintf("%T:%v", v, v)
			}
			k := strings.Join(keys, "\x00")
			g, ok := group[k]
			if !ok {
				g = len(parts.Groups)
				group[k] = g
				parts.Groups = append(parts.Groups, source.PartitionGroup{Dir: k, Values: vals})
			}
			parts.Groups[g].Files = append(parts.Groups[g].Files, f.Path)
		}
		ps, err := physical.NewPartitionedSource("delta", fmt.Sprintf("%s version %d", dir, snap.Version), data, parts, open)
		if err != nil {
			return nil, err
		}
		inner = ps
	}
	return newReorderedSource(inner, snap.Schema, desc)
}

// reorderedSource shows a source's columns in another order (a Delta
// table's, with partition columns where the table declares them).
type reorderedSource struct {
	inner  logical.Source
	schema *arrow.Schema
	perm   []int // column of schema → column of inner
	desc   string
}

// newReorderedSource is inner with its columns in the order of schema
// (matched by name); inner itself when the order is the same.
func newReorderedSource(inner logical.Source, schema *arrow.Schema, desc string) (logical.Source, error) {
	in := inner.Schema()
	perm := make([]int, schema.NumFields())
	same := true
	fields := make([]arrow.Field, schema.NumFields())
	for i, f := range schema.Fields() {
		idx := in.FieldIndices(f.Name)
		if len(idx) != 1 {
			return nil, fmt.Errorf("%s: column %s not found in the files' columns %s", desc, f.Name, in)
		}
		perm[i] = idx[0]
		fields[i] = in.Field(idx[0])
		same = same && idx[0] == i
	}
	if same {
		return inner, nil
	}
	return &reorderedSource{inner: inner, schema: arrow.NewSchema(fields, nil), perm: perm, desc: desc}, nil
}

// Describe implements logical.Source.
func (s *reorderedSource) Describe() string { return s.inner.Describe() }

// Schema implements logical.Source.
func (s *reorderedSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements logical.Source.
func (s *reorderedSource) EstimatedRows() int64 { return s.inner.EstimatedRows() }

// Operator implements logical.Source: the inner source reads the same
// columns under its own numbering, in the requested order.
func (s *reorderedSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	read := make([]int, len(req.ReadColumns))
	for i, c := range req.ReadColumns {
		read[i] = s.perm[c]
	}
	req.ReadColumns = read
	return s.inner.Operator(env, req)
}
