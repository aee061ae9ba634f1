package feature

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
)

// sparkPrefix is the package of Apache Spark's feature stages.
const sparkPrefix = "org.apache.spark.ml.feature."

// sparkLoaders are the loaders of stages saved by Apache Spark, by Spark
// class name.
func sparkLoaders() map[string]ml.Loader {
	return map[string]ml.Loader{
		"HashingTF": func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
			st := newHashingTF(md.UID)
			return st, md.ApplySparkParams(st.Params())
		},
		"StringIndexerModel": loadSparkStringIndexerModel,
	}
}

// loadSparkStringIndexerModel reads Spark's layout: data/ holds one row
// {labels: array of strings} (Spark 2.x, one input column) or
// {labelsArray: array of arrays of strings} (Spark 3, several columns).
func loadSparkStringIndexerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	recs, err := ml.ReadParquetDir(ctx, dir, "data", memory.NewGoAllocator())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if len(recs) != 1 || recs[0].NumRows() != 1 {
		return nil, fmt.Errorf("%s: model data must be one row", md.UID)
	}
	rec := recs[0]
	var labels [][]string
	for i, f := range rec.Schema().Fields() {
		l, ok := rec.Column(i).(*array.List)
		if !ok {
			continue
		}
		switch f.Name {
		case "labels":
			ls, err := stringList(l, 0)
			if err != nil {
				return nil, fmt.Errorf("%s: model data field labels: %w", md.UID, err)
			}
			labels = [][]string{ls}
		case "labelsArray":
			inner, ok := l.ListValues().(*array.List)
			if !ok {
				return nil, fmt.Errorf("%s: model data field labelsArray is %s, want arrays of strings", md.UID, f.Type)
			}
			s, e := l.ValueOffsets(0)
			for k := s; k < e; k++ {
				ls, err := stringList(inner, int(k))
				if err != nil {
					return nil, fmt.Errorf("%s: model data field labelsArray: %w", md.UID, err)
				}
				labels = append(labels, ls)
			}
		}
	}
	if labels == nil {
		return nil, fmt.Errorf("%s: model data has no labels or labelsArray", md.UID)
	}
	m := newStringIndexerModel(md.UID, labels)
	return m, md.ApplySparkParams(m.Params())
}

// stringList returns row i of a list of strings.
func stringList(l *array.List, i int) ([]string, error) {
	v, ok := l.ListValues().(*array.String)
	if !ok {
		return nil, fmt.Errorf("%s is not a list of strings", l.DataType())
	}
	s, e := l.ValueOffsets(i)
	out := make([]string, 0, e-s)
	for k := s; k < e; k++ {
		out = append(out, v.Value(int(k)))
	}
	return out, nil
}

// SparkClassName implements ml.SparkWriter.
func (m *StringIndexerModel) SparkClassName() string { return sparkPrefix + "StringIndexerModel" }

// SparkParams implements ml.SparkWriter: Spark 2.4's StringIndexerModel
// has inputCol, outputCol and handleInvalid.
func (m *StringIndexerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *StringIndexerModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {labels: array of
// strings}, Spark 2.4's layout, which holds one column's labels.
func (m *StringIndexerModel) WriteSparkData(dir string) error {
	if len(m.labels) != 1 {
		return fmt.Errorf("%s: Spark 2.4's StringIndexerModel layout holds one column's labels, the model has %d columns", m.UID(), len(m.labels))
	}
	mem := memory.NewGoAllocator()
	strs := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String, Nullable: true})
	rb := array.NewRecordBuilder(mem, arrow.NewSchema([]arrow.Field{{Name: "labels", Type: strs, Nullable: true}}, nil))
	defer rb.Release()
	lb := rb.Field(0).(*array.ListBuilder)
	lb.Append(true)
	lb.ValueBuilder().(*array.StringBuilder).AppendValues(m.labels[0], nil)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return ml.WriteSparkParquet(dir, "data", rec)
}

// SaveSpark writes the model to path in Apache Spark 2.4's layout
// (org.apache.spark.ml.feature.StringIndexerModel); the model must index
// one column.
func (m *StringIndexerModel) SaveSpark(path string) error {
	if len(m.labels) != 1 {
		return fmt.Errorf("%s: Spark 2.4's StringIndexerModel layout holds one column's labels, the model has %d columns", m.UID(), len(m.labels))
	}
	return ml.SaveSpark(m, path)
}

// SparkClassName implements ml.SparkWriter.
func (s *HashingTF) SparkClassName() string { return sparkPrefix + "HashingTF" }

// SparkParams implements ml.SparkWriter.
func (s *HashingTF) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "numFeatures", "binary"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *HashingTF) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: HashingTF saves metadata only.
func (s *HashingTF) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.HashingTF, metadata only).
func (s *HashingTF) SaveSpark(path string) error { return ml.SaveSpark(s, path) }
