package exectest

import (
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

func decimal64Num(v int64) decimal.Decimal64 { return decimal.Decimal64(v) }

func decimal128Num(v int64) decimal128.Num { return decimal128.FromI64(v) }
