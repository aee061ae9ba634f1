package physical

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

func lit(v any, t arrow.DataType) logical.Expr { return &logical.Literal{Value: v, Type: t} }
