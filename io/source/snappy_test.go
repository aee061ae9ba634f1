package source

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/snappy"
)

// Hadoop SnappyCodec streams written out by hand from the format: a block's
// uncompressed length, then chunks of (compressed length, raw Snappy block).
// A raw Snappy block of a short literal is its length as a varint, the tag
// byte (length-1)<<2 and the bytes.
var hadoopSnappyCases = map[string]struct {
	data []byte
	want string
}{
	"one block": {
		data: []byte("\x00\x00\x00\x06\x00\x00\x00\x08\x06\x14hello\n"),
		want: "hello\n",
	},
	"two blocks": {
		data: []byte("\x00\x00\x00\x03\x00\x00\x00\x05\x03\x08ab\n\x00\x00\x00\x03\x00\x00\x00\x05\x03\x08cd\n"),
		want: "ab\ncd\n",
	},
	"block of two chunks": {
		data: []byte("\x00\x00\x00\x06\x00\x00\x00\x05\x03\x08hel\x00\x00\x00\x05\x03\x08lo\n"),
		want: "hello\n",
	},
	"empty": {data: nil, want: ""},
}

func TestDecompressHadoopSnappy(t *testing.T) {
	for what, c := range hadoopSnappyCases {
		got, err := readText(bytes.NewReader(c.data), "part-0.csv.snappy")
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", what, got, err, c.want)
		}
	}
}

func TestDecompressSnappyFramed(t *testing.T) {
	var b bytes.Buffer
	w := snappy.NewBufferedWriter(&b)
	w.Write([]byte(text))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := readText(bytes.NewReader(b.Bytes()), "a.json.snappy"); err != nil || got != text {
		t.Errorf("framed: got %q, %v", got, err)
	}
}

func TestDecompressSnappyErrorsNameTheFile(t *testing.T) {
	one := hadoopSnappyCases["one block"].data
	cases := map[string][]byte{
		"truncated chunk":  one[:len(one)-2],
		"truncated header": one[:6],
		"huge length":      []byte("\x7f\x00\x00\x00\x00\x00\x00\x08"),
		"chunk too long":   []byte("\x00\x00\x00\x02\x00\x00\x00\x08\x06\x14hello\n"),
		"corrupt snappy":   []byte("\x00\x00\x00\x06\x00\x00\x00\x02\x06\xff"),
	}
	for what, data := range cases {
		_, err := readText(bytes.NewReader(data), "dir/x.csv.snappy")
		if err == nil || !strings.Contains(err.Error(), "dir/x.csv.snappy: snappy") {
			t.Errorf("%s: got %v, want an error naming the file", what, err)
		}
	}
}

func TestCompressHadoopSnappy(t *testing.T) {
	// More than one 256 KiB block.
	in := []byte(strings.Repeat("0123456789abcdef\n", 20000))
	var b bytes.Buffer
	w, ext, err := Compress(&b, "SNAPPY")
	if err != nil || ext != ".snappy" {
		t.Fatalf("Compress: %q, %v", ext, err)
	}
	if _, err := w.Write(in[:1000]); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(in[1000:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Walk the blocks by the format: 256 KiB blocks, one chunk each.
	data := b.Bytes()
	var got []byte
	var sizes []int
	for len(data) > 0 {
		raw := int(binary.BigEndian.Uint32(data))
		n := int(binary.BigEndian.Uint32(data[4:]))
		dec, err := snappy.Decode(nil, data[8:8+n])
		if err != nil || len(dec) != raw {
			t.Fatalf("block: %d bytes, %v; header says %d", len(dec), err, raw)
		}
		sizes = append(sizes, raw)
		got = append(got, dec...)
		data = data[8+n:]
	}
	if want := []int{262144, len(in) - 262144}; len(sizes) != 2 || sizes[0] != want[0] || sizes[1] != want[1] {
		t.Errorf("block sizes %v, want %v", sizes, want)
	}
	if !bytes.Equal(got, in) {
		t.Error("blocks do not decode to the input")
	}
	// And Decompress reads it back.
	tr, release, err := Decompress(bytes.NewReader(b.Bytes()), "p.txt.snappy")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	back, err := io.ReadAll(tr)
	if err != nil || !bytes.Equal(back, in) {
		t.Errorf("read back %d bytes, %v", len(back), err)
	}
	if ext, err := CompressExt("snappy"); err != nil || ext != ".snappy" {
		t.Errorf("CompressExt: %q, %v", ext, err)
	}
}
