package logical

import (
	"github.com/apache/arrow-go/v18/arrow"
)

func dec(p, s int32) arrow.DataType { return DecimalType(p, s) }
