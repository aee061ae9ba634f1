package regression

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

// SparkClassName implements ml.SparkWriter.
func (m *GeneralizedLinearRegressionModel) SparkClassName() string {
	return sparkPrefix + "GeneralizedLinearRegressionModel"
}

// SparkParams implements ml.SparkWriter: the params of Spark 2.4's
// GeneralizedLinearRegressionModel (aggregationDepth came with Spark 3.0
// and is left out, so that 2.4 reads the metadata too).
func (m *GeneralizedLinearRegressionModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "weightCol", "offsetCol", "linkPredictionCol",
		"family", "link", "solver", "variancePower", "linkPower", "regParam", "tol", "maxIter", "fitIntercept"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *GeneralizedLinearRegressionModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {intercept: double,
// coefficients: Spark's vector struct, dense}, Spark's Data(intercept,
// coefficients).
func (m *GeneralizedLinearRegressionModel) WriteSparkData(dir string) error {
	mem := memory.NewGoAllocator()
	vec := arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "indices", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true},
	)
	schema := arrow.NewSchema([]arrow.Field{{Name: "intercept", Type: arrow.PrimitiveTypes.Float64}, {Name: "coefficients", Type: vec, Nullable: true}}, nil)
	rb := array.NewRecordBuilder(mem, schema)
	defer rb.Release()
	rb.Field(0).(*array.Float64Builder).Append(m.intercept)
	cb := rb.Field(1).(*array.StructBuilder)
	cb.Append(true)
	cb.FieldBuilder(0).(*array.Int8Builder).Append(1)
	cb.FieldBuilder(1).(*array.Int32Builder).AppendNull()
	cb.FieldBuilder(2).(*array.ListBuilder).AppendNull()
	vb := cb.FieldBuilder(3).(*array.ListBuilder)
	vb.Append(true)
	vb.ValueBuilder().(*array.Float64Builder).AppendValues(m.coef, nil)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return ml.WriteSparkParquet(dir, "data", rec)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.GeneralizedLinearRegressionModel), which
// Spark's GeneralizedLinearRegressionModel.load reads.
func (m *GeneralizedLinearRegressionModel) SaveSpark(path string) error {
	return ml.SaveSpark(m, path)
}

var _ ml.SparkWriter = (*GeneralizedLinearRegressionModel)(nil)

// readSparkGLRData reads the data/ part files Spark's
// GeneralizedLinearRegressionModel writer leaves (whatever their names):
// rows of intercept (double) and coefficients (a VectorUDT struct).
func readSparkGLRData(ctx context.Context, dir string) ([][]float64, []float64, error) {
	recs, err := ml.ReadParquetDir(ctx, dir, "data", memory.NewGoAllocator())
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var coef [][]float64
	var icpt []float64
	for _, rec := range recs {
		ii, ci := ml.FieldIndex(rec.Schema(), "intercept"), ml.FieldIndex(rec.Schema(), "coefficients")
		if ii < 0 || ci < 0 {
			return nil, nil, fmt.Errorf("model data lacks the column intercept or coefficients: %v", rec.Schema())
		}
		b, ok := rec.Column(ii).(*array.Float64)
		if !ok || b.NullN() > 0 {
			return nil, nil, fmt.Errorf("model data: column intercept is %s with %d nulls, want non-null doubles", rec.Column(ii).DataType(), rec.Column(ii).NullN())
		}
		vc, err := linalg.Vectors(rec.Column(ci))
		if err != nil {
			return nil, nil, fmt.Errorf("model data: column coefficients: %w", err)
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			v, ok := vc.At(r)
			if !ok {
				return nil, nil, fmt.Errorf("model data: column coefficients: row %d is null", r)
			}
			coef = append(coef, v.ToArray())
			icpt = append(icpt, b.Value(r))
		}
	}
	return coef, icpt, nil
}
