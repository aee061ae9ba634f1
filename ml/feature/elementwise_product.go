package feature

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// ElementwiseProduct multiplies each vector element by the matching element
// of scalingVec (the Hadamard product); vectors keep their form.
type ElementwiseProduct struct {
	ml.StageBase
	colParams
	scalingVec param.Param[[]float64]
}

// NewElementwiseProduct makes an ElementwiseProduct with a new UID.
func NewElementwiseProduct() *ElementwiseProduct {
	return newElementwiseProduct(param.UID("ElementwiseProduct"))
}

func newElementwiseProduct(uid string) *ElementwiseProduct {
	s := &ElementwiseProduct{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.scalingVec = param.Define[[]float64](s.Params(), "scalingVec", "vector for hadamard product")
	return s
}

// SetInputCol sets the input vector column.
func (s *ElementwiseProduct) SetInputCol(c string) *ElementwiseProduct {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *ElementwiseProduct) SetOutputCol(c string) *ElementwiseProduct {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetScalingVec sets the factors.
func (s *ElementwiseProduct) SetScalingVec(v ...float64) *ElementwiseProduct {
	s.scalingVec.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *ElementwiseProduct) ClassName() string { return classPrefix + "ElementwiseProduct" }

// TransformSchema implements ml.Stage.
func (s *ElementwiseProduct) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if _, ok := s.scalingVec.GetOK(s.Params()); !ok {
		return nil, fmt.Errorf("%s: scalingVec must be set", s.UID())
	}
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// Transform implements ml.Transformer.
func (s *ElementwiseProduct) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid, w := s.inputCol.Get(ps), s.UID(), s.scalingVec.Get(ps)
	res := vectorUDF(df, "elementwiseProduct", uid, in, s.outputCol.Get(ps), func() rowFn {
		return scaleRows(uid, in, len(w), func(j int) float64 { return w[j] })
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *ElementwiseProduct) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *ElementwiseProduct, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *ElementwiseProduct) Save(path string) error { return ml.Save(s, path) }
