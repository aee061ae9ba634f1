package recommendation

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/values"
)

// SparkParams implements ml.SparkWriter: the params Spark 2.4's ALSModel has.
func (m *ALSModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"userCol", "itemCol", "predictionCol", "coldStartStrategy"}}
}

// SparkExtra implements ml.SparkWriter: the rank, a top-level key in Spark's metadata.
func (m *ALSModel) SparkExtra() map[string]any { return map[string]any{"rank": m.rank} }

// factorsRecord is Spark's factor table: id (int) and features (array<float>).
func factorsRecord(ids []int32, fs [][]float64) (arrow.RecordBatch, error) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "features", Type: arrow.ListOf(arrow.PrimitiveTypes.Float32), Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer b.Release()
	for k, id := range ids {
		b.Field(0).(*array.Int32Builder).Append(id)
		lb := b.Field(1).(*array.ListBuilder)
		lb.Append(true)
		vb := lb.ValueBuilder().(*array.Float32Builder)
		for _, v := range fs[k] {
			vb.Append(float32(v))
		}
	}
	return b.NewRecordBatch(), nil
}

// WriteSparkData implements ml.SparkWriter: userFactors/ and itemFactors/
// as Parquet tables (id int, features array<float>), Spark's layout.
func (m *ALSModel) WriteSparkData(dir string) error {
	for _, side := range []struct {
		sub string
		ids []int32
		fs  [][]float64
	}{{"userFactors", m.users, m.userF}, {"itemFactors", m.items, m.itemF}} {
		rec, err := factorsRecord(side.ids, side.fs)
		if err != nil {
			return err
		}
		err = ml.WriteSparkParquet(dir, side.sub, rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.recommendation.ALSModel), factors as float32 as
// Spark keeps them.
func (m *ALSModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// readSparkFactors reads a Spark factor table (id, features).
func readSparkFactors(ctx context.Context, dir, sub string, rank int) ([]int32, [][]float64, error) {
	bs, err := ml.ReadParquetDir(ctx, dir, sub, memory.NewGoAllocator())
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	var ids []int32
	var fs [][]float64
	for _, b := range bs {
		ic, fc := ml.FieldIndex(b.Schema(), "id"), ml.FieldIndex(b.Schema(), "features")
		if ic < 0 || fc < 0 {
			return nil, nil, fmt.Errorf("%s: the factor table needs columns id and features", sub)
		}
		idv, err := ml.Float64Column(b.Column(ic), nil)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: column id: %w", sub, err)
		}
		for r := 0; r < int(b.NumRows()); r++ {
			id, err := checkedID(idv[r], "id")
			if err != nil {
				return nil, nil, fmt.Errorf("%s: row %d: %w", sub, r+1, err)
			}
			raw, _ := values.Value(b.Column(fc), r).([]any)
			if len(raw) != rank {
				return nil, nil, fmt.Errorf("%s: row %d: %d features, rank is %d", sub, r+1, len(raw), rank)
			}
			f := make([]float64, rank)
			for j, x := range raw {
				switch v := x.(type) {
				case float32:
					f[j] = float64(v)
				case float64:
					f[j] = v
				default:
					return nil, nil, fmt.Errorf("%s: row %d: feature %v is not a number", sub, r+1, x)
				}
			}
			ids, fs = append(ids, id), append(fs, f)
		}
	}
	return ids, fs, nil
}

// loadSparkALSModel reads an ALSModel directory saved by Apache Spark.
func loadSparkALSModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var rank int
	if err := md.GetExtra("rank", &rank); err != nil {
		return nil, err
	}
	users, userF, err := readSparkFactors(ctx, dir, "userFactors", rank)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	items, itemF, err := readSparkFactors(ctx, dir, "itemFactors", rank)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newALSModel(md.UID, rank, users, userF, items, itemF)
	return m, md.ApplySparkParams(m.Params())
}
