package delta

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// PartitionValue converts a serialized partition value (the protocol's
// "Partition Value Serialization") to a value of type t: int8, int16,
// int32, int64, float32, float64, bool, string, []byte (binary), int32 days
// since the epoch (date) or int64 microseconds since the epoch (timestamp,
// read as UTC). nil or the empty string is null (nil).
func PartitionValue(t arrow.DataType, raw *string) (any, error) {
	if raw == nil || *raw == "" {
		return nil, nil
	}
	v := *raw
	bad := func(err error) (any, error) {
		return nil, fmt.Errorf("partition value %q is not a valid %s: %w", v, t, err)
	}
	switch t.ID() {
	case arrow.STRING:
		return v, nil
	case arrow.BINARY:
		return []byte(v), nil
	case arrow.BOOL:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return bad(err)
		}
		return b, nil
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		bits := map[arrow.Type]int{arrow.INT8: 8, arrow.INT16: 16, arrow.INT32: 32, arrow.INT64: 64}[t.ID()]
		n, err := strconv.ParseInt(v, 10, bits)
		if err != nil {
			return bad(err)
		}
		switch bits {
		case 8:
			return int8(n), nil
		case 16:
			return int16(n), nil
		case 32:
			return int32(n), nil
		}
		return n, nil
	case arrow.FLOAT32:
		f, err := strconv.ParseFloat(v, 32)
		if err != nil {
			return bad(err)
		}
		return float32(f), nil
	case arrow.FLOAT64:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return bad(err)
		}
		return f, nil
	case arrow.DATE32:
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			return bad(err)
		}
		return int32(d.Unix() / 86400), nil
	case arrow.TIMESTAMP:
		var ts time.Time
		var err error
		if strings.Contains(v, "T") {
			ts, err = time.Parse(time.RFC3339Nano, v)
		} else {
			ts, err = time.Parse("2006-01-02 15:04:05.999999999", v)
		}
		if err != nil {
			return bad(err)
		}
		return ts.UnixMicro(), nil
	}
	return nil, fmt.Errorf("partition columns of type %s are not supported", t)
}
