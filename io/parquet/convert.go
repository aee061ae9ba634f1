package parquet

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow/float16"
)

// julianDayOfEpoch is the Julian day number of 1970-01-01.
const julianDayOfEpoch = 2440588

const microsPerDay = 86400 * 1000000

// int96Micros converts an INT96 timestamp (8 bytes little-endian nanoseconds
// of the day, then 4 bytes little-endian Julian day) to microseconds since
// the epoch exactly as Spark reads it (DateTimeUtils.fromJulianDay): the
// nanoseconds are divided by 1000, truncating toward zero, so sub-microsecond
// digits are dropped; days are taken in the proleptic Gregorian calendar
// (Spark's CORRECTED rebase mode); the arithmetic wraps like Java's long,
// which is how Spark writes timestamps whose Julian microseconds exceed 64
// bits (the year 290000 in the corpus's int96_from_spark.parquet) and reads
// them back unchanged.
func int96Micros(b []byte) int64 {
	nanos := int64(binary.LittleEndian.Uint64(b[:8]))
	days := int64(int32(binary.LittleEndian.Uint32(b[8:12])))
	return (days-julianDayOfEpoch)*microsPerDay + nanos/1000
}

// float16To32 widens an IEEE 754 half-precision value (2 bytes,
// little-endian as Parquet's FLOAT16 stores it) to float32; NaN, infinities,
// signed zeros and subnormals are preserved.
func float16To32(b []byte) float32 {
	return float16.FromBits(binary.LittleEndian.Uint16(b)).Float32()
}

// renderUUID appends the canonical 8-4-4-4-12 lower-case form of a
// 16-byte UUID.
func renderUUID(dst, v []byte) ([]byte, error) {
	var buf [36]byte
	hex.Encode(buf[0:8], v[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], v[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], v[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], v[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:36], v[10:16])
	return append(dst, buf[:]...), nil
}

// renderRaw appends the bytes of a fixed-length value unchanged.
func renderRaw(dst, v []byte) ([]byte, error) { return append(dst, v...), nil }

// renderTime returns a renderer of a Parquet TIME value with the given
// number of fractional digits (3: INT32 milliseconds, 6: INT64
// microseconds, 9: INT64 nanoseconds) as 'HH:MM:SS.fff…', the form DuckDB
// prints TIME in and Spark 4.1 casts its TIME type to, with the fraction
// always written out; every value of a column has the same width, so the
// strings sort in time order.
func renderTime(digits int) func(dst, v []byte) ([]byte, error) {
	unit := int64(1)
	for range digits {
		unit *= 10
	}
	return func(dst, v []byte) ([]byte, error) {
		var x int64
		if digits == 3 {
			x = int64(int32(binary.LittleEndian.Uint32(v)))
		} else {
			x = int64(binary.LittleEndian.Uint64(v))
		}
		if x < 0 || x > 86400*unit {
			return nil, fmt.Errorf("TIME value %d out of range [0, 24:00:00]", x)
		}
		s := x / unit
		frac := x % unit
		dst = fmt.Appendf(dst, "%02d:%02d:%02d.%0*d", s/3600, s/60%60, s%60, digits, frac)
		return dst, nil
	}
}

// renderFixed renders n fixed-width values of src with the column's
// renderer into data and n+1 offsets (reusing the buffers given).
func (cr *colReader) renderFixed(src []byte, n int, data *[]byte, off *[]uint32) ([]byte, []uint32, error) {
	w := cr.physWidth()
	if len(src) < n*w {
		return nil, nil, fmt.Errorf("%d bytes of values for %d values of %d bytes", len(src), n, w)
	}
	d, o := (*data)[:0], append((*off)[:0], 0)
	var err error
	for i := 0; i < n; i++ {
		if d, err = cr.c.render(d, src[i*w:(i+1)*w]); err != nil {
			return nil, nil, err
		}
		if len(d) > math.MaxUint32 {
			return nil, nil, errors.New("page string data exceeds 4 GiB")
		}
		o = append(o, uint32(len(d)))
	}
	*data, *off = d, o
	return d, o, nil
}

// convertBA turns n big-endian two's complement BYTE_ARRAY decimals into
// Arrow decimal64 or decimal128 values.
func (cr *colReader) convertBA(data []byte, off []uint32, n int, scratch *[]byte) ([]byte, error) {
	ow := cr.c.kind.outWidth()
	if cap(*scratch) < n*ow {
		*scratch = make([]byte, n*ow+ow)
	}
	out := (*scratch)[:n*ow]
	for i := 0; i < n; i++ {
		b := data[off[i]:off[i+1]]
		if len(b) > 16 {
			// Wider values fit when the extra leading bytes only extend the sign.
			fill := byte(0)
			if b[0]&0x80 != 0 {
				fill = 0xff
			}
			for _, x := range b[:len(b)-16] {
				if x != fill {
					return nil, fmt.Errorf("decimal value of %d bytes does not fit 128 bits", len(b))
				}
			}
			b = b[len(b)-16:]
			if (b[0]&0x80 != 0) != (fill == 0xff) {
				return nil, fmt.Errorf("decimal value of %d bytes does not fit 128 bits", len(data[off[i]:off[i+1]]))
			}
		}
		hi, lo := beToInt128(b)
		if ow == 8 {
			if hi != lo>>63 {
				return nil, errors.New("decimal value does not fit 64 bits")
			}
			binary.LittleEndian.PutUint64(out[i*8:], uint64(lo))
		} else {
			binary.LittleEndian.PutUint64(out[i*16:], uint64(lo))
			binary.LittleEndian.PutUint64(out[i*16+8:], uint64(hi))
		}
	}
	return out, nil
}

// physWidth is the byte width of one physical value of the column.
func (cr *colReader) physWidth() int { return physWidth(cr.c) }
