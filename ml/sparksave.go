package ml

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/ml/param"
)

// SparkFormatVersion is the sparkVersion written in Spark-layout metadata:
// the data written follows Spark 2.4's layouts, which Spark 2.4 and later
// read.
const SparkFormatVersion = "2.4.7"

// SparkWriter is implemented by models that can be saved in Apache Spark's
// layout (SaveSpark), so that Spark can load them.
type SparkWriter interface {
	Stage
	// SparkClassName is Spark's class name of the model.
	SparkClassName() string
	// SparkParams says which params Spark's class has (see SparkParamSpec).
	SparkParams() SparkParamSpec
	// SparkExtra returns the extra top-level metadata keys (numFeatures, …).
	SparkExtra() map[string]any
	// WriteSparkData writes the model data into dir (data/ etc.).
	WriteSparkData(dir string) error
}

// SaveSpark writes st to the directory path in Apache Spark's layout
// (metadata/part-00000 with Spark's class name, params and extra keys at
// the top level; data as Spark lays it out), atomically; it fails if path
// exists. Only params Spark's class knows are written: set ones in
// paramMap, defaults in defaultParamMap.
func SaveSpark(st SparkWriter, path string) (err error) {
	txn, err := source.BeginWrite(path, source.ErrorIfExists)
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
	b, err := sparkMetadata(st)
	if err == nil {
		_, err = f.Write(append(b, '\n'))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("saving %s to %s: %w", st.UID(), path, err)
	}
	if err := st.WriteSparkData(root); err != nil {
		return fmt.Errorf("saving %s to %s: %w", st.UID(), path, err)
	}
	return txn.Commit()
}

// SparkParamSpec describes the params of a Spark class against a gspark
// stage's.
type SparkParamSpec struct {
	// Shared names the gspark params Spark's class has too: set ones go to
	// paramMap, defaults to defaultParamMap.
	Shared []string
	// Defaults are Spark's own params (gspark has no such param, or Spark's
	// value differs) with the defaults written in defaultParamMap.
	Defaults map[string]any
	// Set are Spark's own params written in paramMap (e.g. a forest's
	// numTrees).
	Set map[string]any
}

// SparkVersioner is implemented by SparkWriters whose layout needs a
// later Spark than SparkFormatVersion (a class or a data field Spark 2.4
// lacks): SparkVersion is the sparkVersion their metadata records.
type SparkVersioner interface {
	SparkVersion() string
}

// sparkMetadata is the metadata JSON line of st in Spark's layout.
func sparkMetadata(st SparkWriter) ([]byte, error) {
	version := SparkFormatVersion
	if v, ok := st.(SparkVersioner); ok {
		version = v.SparkVersion()
	}
	return sparkMetadataJSON(st.SparkClassName(), version, st.UID(), st.Params(), st.SparkParams(), st.SparkExtra())
}

// SparkMetadataJSON is the metadata JSON of a stage of Spark class class
// with the given uid, the params of ps selected by spec, and extra
// top-level keys, in Spark's key order.
func SparkMetadataJSON(class, uid string, ps *param.Params, spec SparkParamSpec, extra map[string]any) ([]byte, error) {
	return sparkMetadataJSON(class, SparkFormatVersion, uid, ps, spec, extra)
}

func sparkMetadataJSON(class, version, uid string, ps *param.Params, spec SparkParamSpec, extra map[string]any) ([]byte, error) {
	shared, sparkOnly := spec.Shared, spec.Defaults
	pm, dm := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	put := func(m map[string]json.RawMessage, k string, v any) error {
		b, err := sparkEncodeParam(v)
		if err != nil {
			return fmt.Errorf("param %s: %w", k, err)
		}
		m[k] = b
		return nil
	}
	for k, v := range sparkOnly {
		if err := put(dm, k, v); err != nil {
			return nil, err
		}
	}
	for k, v := range spec.Set {
		if err := put(pm, k, v); err != nil {
			return nil, err
		}
	}
	for _, k := range shared {
		if _, ok := sparkOnly[k]; ok {
			continue
		}
		if v, ok := ps.Default(k); ok {
			if err := put(dm, k, v); err != nil {
				return nil, err
			}
		}
		if ps.IsSet(k) {
			v, _ := ps.Get(k)
			if err := put(pm, k, v); err != nil {
				return nil, err
			}
		}
	}
	// Spark's JSON: class, timestamp, sparkVersion, uid, paramMap,
	// defaultParamMap, then the extra keys.
	type kv struct {
		k string
		v any
	}
	fields := []kv{{"class", class}, {"timestamp", time.Now().UnixMilli()}, {"sparkVersion", version},
		{"uid", uid}, {"paramMap", pm}, {"defaultParamMap", dm}}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fields = append(fields, kv{k, extra[k]})
	}
	out := []byte{'{'}
	for i, f := range fields {
		if i > 0 {
			out = append(out, ',')
		}
		kb, _ := json.Marshal(f.k)
		vb, err := json.Marshal(f.v)
		if err != nil {
			return nil, fmt.Errorf("metadata %s: %w", f.k, err)
		}
		out = append(append(append(out, kb...), ':'), vb...)
	}
	return append(out, '}'), nil
}

// WriteSparkParquet writes rec as dir/sub/part-00000.snappy.parquet (Spark
// reads any part file of the directory), snappy-compressed, with list
// elements named "element" as Spark's files have them, the Spark schema
// in the footer (so that Spark reads vector and matrix structs back as
// its vectors and matrices) and an empty _SUCCESS marker as Spark writes.
func WriteSparkParquet(dir, sub string, rec arrow.RecordBatch) error {
	schemaJSON, err := sparkSchemaJSON(rec.Schema())
	if err != nil {
		return fmt.Errorf("model data: %w", err)
	}
	d := filepath.Join(dir, sub)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(d, "part-00000.snappy.parquet"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		f.Close()
		return fmt.Errorf("model data: %w", err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("model data: %w", err)
	}
	if err := errors.Join(fw.AppendKeyValueMetadata("org.apache.spark.version", SparkFormatVersion),
		fw.AppendKeyValueMetadata("org.apache.spark.sql.parquet.row.metadata", string(schemaJSON))); err != nil {
		fw.Close()
		return fmt.Errorf("model data: %w", err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("model data: %w", err)
	}
	return os.WriteFile(filepath.Join(d, "_SUCCESS"), nil, 0o644)
}

// SparkTreesMetadata returns the per-tree metadata JSON Spark keeps in an
// ensemble's treesMetadata: n stages of Spark class class, new uids with
// prefix, and the params of ps selected by spec.
func SparkTreesMetadata(class, prefix string, n int, ps *param.Params, spec SparkParamSpec) ([]string, error) {
	out := make([]string, n)
	for t := range out {
		b, err := SparkMetadataJSON(class, param.UID(prefix), ps, spec, nil)
		if err != nil {
			return nil, err
		}
		out[t] = string(b)
	}
	return out, nil
}
