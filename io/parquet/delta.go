package parquet

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// decodeDelta decodes n values of a DELTA_BINARY_PACKED stream into dst
// (reusing its capacity).
//
// All arithmetic is done on uint64 and wraps, as the format asks: writers
// compute deltas in 64 bits, so an INT32 column whose consecutive values
// differ by more than 2^31 has a negative minimum delta below -2^31 and
// miniblocks of bit width 33. Adding modulo 2^64 and keeping the low 32 bits
// gives the INT32 values back exactly.
func decodeDelta[T int32 | int64](dst []T, src []byte, n int) ([]T, error) {
	blockSize, src, err := uvarint(src, "block size")
	if err != nil {
		return dst, err
	}
	numMini, src, err := uvarint(src, "miniblock count")
	if err != nil {
		return dst, err
	}
	total, src, err := uvarint(src, "value count")
	if err != nil {
		return dst, err
	}
	first, src, err := zigzag(src, "first value")
	if err != nil {
		return dst, err
	}
	if blockSize == 0 || numMini == 0 || blockSize%numMini != 0 || blockSize > 1<<16 {
		return dst, fmt.Errorf("delta: invalid block size %d with %d miniblocks", blockSize, numMini)
	}
	perMini := int(blockSize / numMini)
	if perMini%8 != 0 {
		return dst, fmt.Errorf("delta: %d values per miniblock is not a multiple of 8", perMini)
	}
	if total < uint64(n) {
		return dst, fmt.Errorf("delta: stream holds %d values, page needs %d", total, n)
	}
	// Each block after the first value takes at least a min-delta byte and
	// a bit width per miniblock: a count the bytes cannot hold is refused
	// before the values are allocated.
	if n > 1 && uint64(n-1+int(blockSize)-1)/blockSize*(numMini+1) > uint64(len(src)) {
		return dst, fmt.Errorf("delta: %d values need more than the %d bytes left", n, len(src))
	}
	if cap(dst) < n {
		dst = make([]T, n)
	}
	dst = dst[:n]
	if n == 0 {
		return dst, nil
	}
	acc := uint64(first)
	dst[0] = T(int64(acc))
	// scratch holds a miniblock near the end of src, padded so that 9 bytes
	// can always be read from the byte holding a value's first bit.
	var scratch []byte
	out := 1
	for out < n {
		var minDelta int64
		minDelta, src, err = zigzag(src, "block min delta")
		if err != nil {
			return dst, err
		}
		if len(src) < int(numMini) {
			return dst, errors.New("delta: truncated miniblock bit widths")
		}
		widths := src[:numMini]
		src = src[numMini:]
		md := uint64(minDelta)
		for _, w := range widths {
			if out >= n {
				break
			}
			if w > 64 {
				return dst, fmt.Errorf("delta: miniblock bit width %d", w)
			}
			size := perMini * int(w) / 8
			if len(src) < size {
				return dst, errors.New("delta: truncated miniblock")
			}
			cnt := min(perMini, n-out)
			if w == 0 {
				for i := range cnt {
					acc += md
					dst[out+i] = T(int64(acc))
				}
			} else {
				buf := src
				if len(buf) < size+16 {
					// Near the end of the page: read from a padded copy.
					if cap(scratch) < perMini*8+16 {
						scratch = make([]byte, perMini*8+16)
					}
					buf = scratch[:size+16]
					clear(buf[copy(buf, src[:size]):])
				}
				unpackAdd(dst[out:out+cnt], buf, uint(w), md, &acc)
			}
			src = src[size:]
			out += cnt
		}
	}
	return dst, nil
}

// unpackAdd reads len(dst) little-endian bit-packed values of width w (1..64)
// from buf (padded by at least 9 bytes), adding each plus md to *acc and
// storing the running sums.
func unpackAdd[T int32 | int64](dst []T, buf []byte, w uint, md uint64, acc *uint64) {
	mask := ^uint64(0)
	if w < 64 {
		mask = 1<<w - 1
	}
	a := *acc
	bit := uint(0)
	if w <= 56 {
		// A value starts within its first byte, so 8 bytes always hold it.
		for i := range dst {
			v := binary.LittleEndian.Uint64(buf[bit>>3:]) >> (bit & 7)
			a += md + v&mask
			dst[i] = T(int64(a))
			bit += w
		}
		*acc = a
		return
	}
	for i := range dst {
		b, sh := bit>>3, bit&7
		v := binary.LittleEndian.Uint64(buf[b:]) >> sh
		if sh+w > 64 {
			v |= uint64(buf[b+8]) << (64 - sh)
		}
		a += md + v&mask
		dst[i] = T(int64(a))
		bit += w
	}
	*acc = a
}

func uvarint(b []byte, what string) (uint64, []byte, error) {
	v, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, b, fmt.Errorf("delta: bad %s varint", what)
	}
	return v, b[k:], nil
}

func zigzag(b []byte, what string) (int64, []byte, error) {
	v, k := binary.Varint(b)
	if k <= 0 {
		return 0, b, fmt.Errorf("delta: bad %s varint", what)
	}
	return v, b[k:], nil
}
