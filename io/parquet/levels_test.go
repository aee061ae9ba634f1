package parquet

import (
	"bytes"
	"testing"
)

// The levels below are written by hand in the RLE/bit-packed hybrid
// encoding of the Parquet format specification (Encodings.md): a run header
// is a ULEB128 varint whose low bit is 0 for a repeated run (count << 1,
// then the value in ceil(bitWidth/8) bytes) and 1 for bit-packed groups of
// eight values (groups << 1 | 1, then the packed bits, least significant
// first).

// A page whose definition levels are one run of the maximum level covering
// every value keeps no levels and counts no nulls; any other page keeps its
// levels, one per value, and counts its nulls.
func TestDecodeDefsAllDefined(t *testing.T) {
	cases := []struct {
		name  string
		src   []byte
		max   int
		rows  int
		kept  bool
		nulls int
		want  []byte
	}{
		{name: "one run of the maximum", src: []byte{10 << 1, 1}, max: 1, rows: 10},
		{name: "run longer than the page", src: []byte{0x80, 0x01, 1}, max: 1, rows: 5}, // varint 128 = 64 << 1
		{name: "maximum 2", src: []byte{7 << 1, 2}, max: 2, rows: 7},
		{name: "run shorter than the page", src: []byte{3 << 1, 1, 2 << 1, 0}, max: 1, rows: 5,
			kept: true, nulls: 2, want: []byte{1, 1, 1, 0, 0}},
		{name: "run of nulls", src: []byte{4 << 1, 0}, max: 1, rows: 4,
			kept: true, nulls: 4, want: []byte{0, 0, 0, 0}},
		{name: "run below the maximum", src: []byte{3 << 1, 1}, max: 2, rows: 3,
			kept: true, nulls: 3, want: []byte{1, 1, 1}},
		// One group of eight 1-bit levels 0b10110111, first level lowest.
		{name: "bit-packed", src: []byte{1<<1 | 1, 0xB7}, max: 1, rows: 8,
			kept: true, nulls: 2, want: []byte{1, 1, 1, 0, 1, 1, 0, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p chunkPages
			dp := &dataPage{rows: tc.rows}
			if err := p.decodeDefs(dp, tc.src, tc.max); err != nil {
				t.Fatal(err)
			}
			if (dp.defs != nil) != tc.kept {
				t.Fatalf("levels kept = %v, want %v", dp.defs != nil, tc.kept)
			}
			if dp.nulls != tc.nulls {
				t.Errorf("nulls = %d, want %d", dp.nulls, tc.nulls)
			}
			if tc.kept && !bytes.Equal(dp.defs, tc.want) {
				t.Errorf("levels = %v, want %v", dp.defs, tc.want)
			}
		})
	}
}

// A level above the maximum is an error whether it opens a long run or not.
func TestDecodeDefsAboveMaximum(t *testing.T) {
	for _, src := range [][]byte{{10 << 1, 2}, {2 << 1, 1, 2 << 1, 3}} {
		var p chunkPages
		if err := p.decodeDefs(&dataPage{rows: 4}, src, 1); err == nil {
			t.Errorf("levels %v: no error", src)
		}
	}
}

// A repeated run longer than the spare capacity of the level buffer (a few
// bytes declaring many levels) decodes in full, up to the page's count.
func TestDecodeLevelsLongRun(t *testing.T) {
	src := []byte{0xA0, 0x9C, 0x01, 1} // varint 20000 = 10000 << 1, value 1
	got, err := decodeLevels(nil, src, 1, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5000 || bytes.Count(got, []byte{1}) != 5000 {
		t.Fatalf("got %d levels, %d of them 1; want 5000 of 1", len(got), bytes.Count(got, []byte{1}))
	}
}
