package ml

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// FormatVersion is recorded in saved metadata as "sparkVersion" (the
// version of the persistence format, not of Spark).
const FormatVersion = "gspark-ml-1"

// metadataFile is the metadata file of a saved stage, relative to its directory.
const metadataFile = "metadata/part-00000"

// Metadata is the JSON line describing a saved stage (Spark's layout).
type Metadata struct {
	// Class is the stage's ClassName.
	Class string `json:"class"`
	// Timestamp is the save time in Unix milliseconds.
	Timestamp int64 `json:"timestamp"`
	// SparkVersion is the persistence format version (FormatVersion).
	SparkVersion string `json:"sparkVersion"`
	// UID is the stage's UID.
	UID string `json:"uid"`
	// ParamMap holds the params set explicitly.
	ParamMap map[string]json.RawMessage `json:"paramMap"`
	// DefaultParamMap holds the params' defaults.
	DefaultParamMap map[string]json.RawMessage `json:"defaultParamMap"`
	// Extra holds stage-specific metadata (e.g. a model's numFeatures).
	Extra map[string]json.RawMessage `json:"extra,omitempty"`
	// Signature holds the columns a fitted model reads and adds (see
	// InferSignature); nil for estimators, for stages whose inputs could not
	// be worked out, and in older or Spark-written metadata.
	Signature *Signature `json:"signature,omitempty"`
}

// ApplyParams sets the params of md.ParamMap on ps.
func (md *Metadata) ApplyParams(ps *param.Params) error {
	return ps.SetJSON(md.ParamMap)
}

// IsSpark reports whether the metadata was written by Apache Spark (its
// sparkVersion is a Spark version, not gspark's FormatVersion).
func (md *Metadata) IsSpark() bool { return !strings.HasPrefix(md.SparkVersion, "gspark") }

// ApplySparkParams sets on ps the params Spark saved: the values of
// DefaultParamMap become the params' defaults and those of ParamMap are set,
// so the stage reports what Spark's did. Params gspark does not define
// (Spark's maxMemoryInMB, cacheNodeIds, …) are ignored.
func (md *Metadata) ApplySparkParams(ps *param.Params) error {
	if err := ps.SetDefaultsJSON(md.DefaultParamMap); err != nil {
		return err
	}
	return ps.SetJSON(md.ParamMap)
}

// GetExtra decodes the extra metadata key into dst; it fails if the key is absent.
func (md *Metadata) GetExtra(key string, dst any) error {
	raw, ok := md.Extra[key]
	if !ok {
		return fmt.Errorf("%s: metadata has no %q", md.UID, key)
	}
	if err := param.DecodeValue(raw, dst); err != nil {
		return fmt.Errorf("%s: metadata %q: %w", md.UID, key, err)
	}
	return nil
}

// DataWriter is implemented by stages that save more than their params:
// WriteData writes files into the stage's directory dir (model data as
// Parquet under dir/data via WriteData, nested stages via WriteStage).
type DataWriter interface {
	WriteData(dir string) error
}

// ExtraMetadata is implemented by stages that record extra metadata keys.
type ExtraMetadata interface {
	ExtraMetadata() map[string]any
}

// Save writes st to the directory path atomically (into a temporary sibling
// renamed into place); it fails if path exists.
func Save(st Stage, path string) error { return save(st, path, source.ErrorIfExists) }

// Overwrite is Save that replaces an existing directory at path atomically.
func Overwrite(st Stage, path string) error { return save(st, path, source.Overwrite) }

// SaveOptions are the choices of SaveWith.
type SaveOptions struct {
	// Overwrite replaces an existing directory at path (atomically);
	// otherwise an existing path is an error.
	Overwrite bool
	// Files are extra files written into the model directory in the same
	// atomic write, by relative path (e.g. "profile.json"); names under
	// "metadata", "data" and "stages" are refused.
	Files map[string][]byte
}

// SaveWith is Save with options: it can overwrite, and it writes extra
// files (a training profile, say) into the stage's directory, all or
// nothing.
func SaveWith(st Stage, path string, opts SaveOptions) error {
	mode := source.ErrorIfExists
	if opts.Overwrite {
		mode = source.Overwrite
	}
	return saveFiles(st, path, mode, opts.Files)
}

func save(st Stage, path string, mode source.SaveMode) error {
	return saveFiles(st, path, mode, nil)
}

func saveFiles(st Stage, path string, mode source.SaveMode, files map[string][]byte) (err error) {
	for name := range files {
		top, _, _ := strings.Cut(filepath.ToSlash(filepath.Clean(name)), "/")
		if !filepath.IsLocal(name) || top == "metadata" || top == "data" || top == "stages" {
			return fmt.Errorf("saving %s: extra file %q must be a relative path outside metadata/, data/ and stages/", st.UID(), name)
		}
	}
	txn, err := source.BeginWrite(path, mode)
	if err != nil {
		return fmt.Errorf("saving %s: %w", st.UID(), err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, txn.Abort())
		}
	}()
	f, err := txn.Create(metadataFile)
	if err != nil {
		return err
	}
	root := filepath.Dir(filepath.Dir(f.Name()))
	if err := writeMetadata(st, f); err != nil {
		f.Close()
		return fmt.Errorf("saving %s to %s: %w", st.UID(), path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if dw, ok := st.(DataWriter); ok {
		if err := dw.WriteData(root); err != nil {
			return fmt.Errorf("saving %s to %s: %w", st.UID(), path, err)
		}
	}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		f, err := txn.Create(name)
		if err != nil {
			return err
		}
		_, err = f.Write(files[name])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("saving %s to %s: %w", st.UID(), path, err)
		}
	}
	return txn.Commit()
}

// WriteStage writes st into dir (created if needed), not atomically; a
// stage that saves nested stages (a pipeline) calls it from WriteData.
func WriteStage(st Stage, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, metadataFile), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := writeMetadata(st, f); err != nil {
		f.Close()
		return fmt.Errorf("saving %s: %w", st.UID(), err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if dw, ok := st.(DataWriter); ok {
		if err := dw.WriteData(dir); err != nil {
			return fmt.Errorf("saving %s: %w", st.UID(), err)
		}
	}
	return nil
}

func writeMetadata(st Stage, f *os.File) error {
	ps := st.Params()
	pm, err := ps.ParamMapJSON()
	if err != nil {
		return err
	}
	dm, err := ps.DefaultParamMapJSON()
	if err != nil {
		return err
	}
	md := Metadata{Class: st.ClassName(), Timestamp: time.Now().UnixMilli(), SparkVersion: FormatVersion,
		UID: st.UID(), ParamMap: pm, DefaultParamMap: dm}
	if sig, ok := InferSignature(st); ok {
		md.Signature = sig
	}
	if em, ok := st.(ExtraMetadata); ok {
		md.Extra = map[string]json.RawMessage{}
		for k, v := range em.ExtraMetadata() {
			b, err := param.EncodeValue(v)
			if err != nil {
				return fmt.Errorf("metadata %s: %w", k, err)
			}
			md.Extra[k] = b
		}
	}
	b, err := json.Marshal(md)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	return err
}

// ReadMetadata reads the metadata of the stage saved in dir.
func ReadMetadata(dir string) (*Metadata, error) {
	b, err := os.ReadFile(filepath.Join(dir, metadataFile))
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", dir, err)
	}
	var md Metadata
	if err := json.Unmarshal(b, &md); err != nil {
		return nil, fmt.Errorf("loading %s: invalid metadata: %w", dir, err)
	}
	if md.Class == "" || md.UID == "" {
		return nil, fmt.Errorf("loading %s: metadata has no class or uid", dir)
	}
	// Spark writes a model's extra metadata (numFeatures, numClasses,
	// numTrees, …) as top-level keys: they become Extra keys here.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("loading %s: invalid metadata: %w", dir, err)
	}
	for k, v := range top {
		switch k {
		case "class", "timestamp", "sparkVersion", "uid", "paramMap", "defaultParamMap", "extra", "signature":
			continue
		}
		if md.Extra == nil {
			md.Extra = map[string]json.RawMessage{}
		}
		if _, ok := md.Extra[k]; !ok {
			md.Extra[k] = v
		}
	}
	return &md, nil
}

// Loader rebuilds a stage of one class from its directory and metadata;
// reg loads nested stages.
type Loader func(ctx context.Context, dir string, md *Metadata, reg *Registry) (Stage, error)

// Registry maps class names to loaders. Build one with NewRegistry and each
// package's Register function (package ml/all registers everything).
type Registry struct {
	loaders map[string]Loader
}

// NewRegistry returns a registry that knows Pipeline and PipelineModel, in
// gspark's layout and Spark's.
func NewRegistry() *Registry {
	r := &Registry{loaders: map[string]Loader{}}
	r.Register(pipelineClass, loadPipeline)
	r.Register(pipelineModelClass, loadPipelineModel)
	r.Register(sparkPipelineModelClass, loadSparkPipelineModel)
	r.Register(sparkPipelineClass, loadSparkPipeline)
	return r
}

// Register adds (or replaces) the loader of class and returns r.
func (r *Registry) Register(class string, l Loader) *Registry {
	r.loaders[class] = l
	return r
}

// Classes returns the registered class names, sorted.
func (r *Registry) Classes() []string {
	out := make([]string, 0, len(r.loaders))
	for c := range r.loaders {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Loader returns the loader registered for class. The loaders of stages
// whose state is only their params (the estimators and plain transformers)
// ignore the directory, so calling one with a Metadata holding just the
// class and a new UID makes a stage with its defaults.
func (r *Registry) Loader(class string) (Loader, bool) {
	l, ok := r.loaders[class]
	return l, ok
}

// Load reads the stage saved at path, dispatching on its class.
func (r *Registry) Load(ctx context.Context, path string) (Stage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	md, err := ReadMetadata(path)
	if err != nil {
		return nil, err
	}
	l, ok := r.loaders[md.Class]
	if !ok {
		return nil, fmt.Errorf("loading %s: unknown stage class %q", path, md.Class)
	}
	st, err := l(ctx, path, md, r)
	if err != nil {
		return nil, fmt.Errorf("loading %s (%s): %w", path, md.Class, err)
	}
	return st, nil
}

// Load reads the stage saved at path with the loaders of reg.
func Load(ctx context.Context, path string, reg *Registry) (Stage, error) {
	return reg.Load(ctx, path)
}

// LoadAs is Load that also checks the stage's Go type.
func LoadAs[T Stage](ctx context.Context, path string, reg *Registry) (T, error) {
	var zero T
	st, err := reg.Load(ctx, path)
	if err != nil {
		return zero, err
	}
	t, ok := st.(T)
	if !ok {
		return zero, fmt.Errorf("loading %s: stage %s is a %T, not a %T", path, st.UID(), st, zero)
	}
	return t, nil
}

// WriteData writes the model data rec as dir/data/part-00000.parquet.
// Vector columns are stored as their storage struct (ReadData restores them).
func WriteData(dir string, rec arrow.RecordBatch) error {
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return err
	}
	fields := make([]arrow.Field, rec.NumCols())
	cols := make([]arrow.Array, rec.NumCols())
	for i, f := range rec.Schema().Fields() {
		c := rec.Column(i)
		if e, ok := c.(array.ExtensionArray); ok {
			c = e.Storage()
			f.Type = c.DataType()
		}
		fields[i], cols[i] = f, c
	}
	schema := arrow.NewSchema(fields, nil)
	out := array.NewRecordBatch(schema, cols, rec.NumRows())
	defer out.Release()
	f, err := os.OpenFile(filepath.Join(dir, "data", "part-00000.parquet"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy))
	fw, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		return fmt.Errorf("model data: %w", err)
	}
	if err := fw.Write(out); err != nil {
		fw.Close()
		return fmt.Errorf("model data: %w", err)
	}
	// FileWriter.Close closes f too.
	if err := fw.Close(); err != nil {
		return fmt.Errorf("model data: %w", err)
	}
	return nil
}

// ReadData reads the model data written by WriteData as one record batch
// (the caller releases it); vector columns come back as vector arrays.
func ReadData(ctx context.Context, dir string, mem memory.Allocator) (arrow.RecordBatch, error) {
	p := filepath.Join(dir, "data", "part-00000.parquet")
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("model data: %w", err)
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(ctx, f, parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		return nil, fmt.Errorf("model data %s: %w", p, err)
	}
	defer tbl.Release()
	n := int(tbl.NumCols())
	fields := make([]arrow.Field, n)
	cols := make([]arrow.Array, n)
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := 0; i < n; i++ {
		col := tbl.Column(i)
		fields[i] = col.Field()
		chunks := col.Data().Chunks()
		var arr arrow.Array
		if len(chunks) == 1 {
			arr = chunks[0]
			arr.Retain()
		} else {
			arr, err = array.Concatenate(chunks, mem)
			if err != nil {
				return nil, fmt.Errorf("model data %s: column %s: %w", p, fields[i].Name, err)
			}
		}
		if _, err := linalg.Vectors(arr); err == nil {
			va, err := rebuildVectors(mem, arr)
			arr.Release()
			if err != nil {
				return nil, fmt.Errorf("model data %s: column %s: %w", p, fields[i].Name, err)
			}
			arr = va
			fields[i].Type = linalg.VectorType()
			fields[i].Metadata = arrow.Metadata{}
		}
		cols[i] = arr
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, tbl.NumRows()), nil
}

// rebuildVectors copies a vector storage struct (as read back from Parquet,
// whose nested field names may differ) into a vector array.
func rebuildVectors(mem memory.Allocator, arr arrow.Array) (arrow.Array, error) {
	vc, err := linalg.Vectors(arr)
	if err != nil {
		return nil, err
	}
	b := linalg.NewVectorBuilder(mem)
	defer b.Release()
	for i := 0; i < vc.Len(); i++ {
		switch {
		case vc.IsNull(i):
			b.AppendNull()
		case vc.IsDense(i):
			b.AppendDense(vc.DenseValues(i))
		default:
			idx, vals := vc.Sparse(i)
			b.AppendSparse(vc.Size(i), idx, vals)
		}
	}
	return b.NewArray(), nil
}

// stageDirs returns the subdirectories of dir/stages in index order (names "<i>_<uid>").
func stageDirs(dir string) ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(dir, "stages"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	type ent struct {
		i    int
		name string
	}
	var es []ent
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		i, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("unexpected stage directory %s", e.Name())
		}
		es = append(es, ent{i, e.Name()})
	}
	slices.SortFunc(es, func(a, b ent) int { return a.i - b.i })
	out := make([]string, len(es))
	for k, e := range es {
		out[k] = filepath.Join(dir, "stages", e.name)
	}
	return out, nil
}

// writeStages saves stages under dir/stages/<i>_<uid>.
func writeStages(dir string, stages []Stage) error {
	for i, st := range stages {
		if err := WriteStage(st, filepath.Join(dir, "stages", fmt.Sprintf("%d_%s", i, st.UID()))); err != nil {
			return err
		}
	}
	return nil
}
