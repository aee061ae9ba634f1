package source

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// compression is a whole-file compression format of text data files.
type compression struct {
	name  string
	ext   string // file name suffix that selects it ("" if not readable)
	magic []byte // first bytes of a file in the format
}

// compressions lists the formats text readers decompress by extension
// (first) and the formats they only recognize by their magic number.
func compressions() [7]compression {
	return [...]compression{
		{name: "gzip", ext: ".gz", magic: []byte{0x1f, 0x8b}},
		{name: "zstd", ext: ".zst", magic: []byte{0x28, 0xb5, 0x2f, 0xfd}},
		{name: "bzip2", ext: ".bz2", magic: []byte("BZh")},
		{name: "snappy", ext: ".snappy", magic: snappyFrameMagic},
		{name: "xz", magic: []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}},
		{name: "lz4", magic: []byte{0x04, 0x22, 0x4d, 0x18}},
		{name: "zip", magic: []byte{'P', 'K', 0x03, 0x04}},
	}
}

// CompressedExt returns the compression suffix of name (".gz", ".zst",
// ".bz2" or ".snappy") that Decompress reads, or "".
func CompressedExt(name string) string {
	for _, c := range compressions() {
		if c.ext != "" && strings.HasSuffix(strings.ToLower(name), c.ext) {
			return c.ext
		}
	}
	return ""
}

// textBufferSize is the size of the buffered reader Decompress returns for
// uncompressed input; the CSV and JSON scanners buffer as much, so they use
// it as is.
const textBufferSize = 64 << 10

// Decompress returns the text held in r, the contents of the file called
// name: decompressed when name ends in .gz (gzip), .zst (zstd), .bz2
// (bzip2) or .snappy (Hadoop's SnappyCodec blocks as Spark writes them, or
// the Snappy framing format), as Spark and DuckDB choose by extension. Otherwise r is read as is,
// unless its first bytes are the magic number of a compression format: then
// Decompress fails with an error naming the file and the format, rather than
// letting compressed bytes be parsed as text.
//
// Read errors of the decompressor name the file. The returned function
// releases the decompressor; it does not close r.
func Decompress(r io.Reader, name string) (io.Reader, func(), error) {
	switch CompressedExt(name) {
	case ".gz":
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: not gzip data: %w", name, err)
		}
		return &namedReader{r: z, name: name, format: "gzip"}, func() { z.Close() }, nil
	case ".zst":
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: zstd: %w", name, err)
		}
		return &namedReader{r: z, name: name, format: "zstd"}, z.Close, nil
	case ".bz2":
		return &namedReader{r: bzip2.NewReader(r), name: name, format: "bzip2"}, func() {}, nil
	case ".snappy":
		return &namedReader{r: newSnappyReader(r), name: name, format: "snappy"}, func() {}, nil
	}
	br := bufio.NewReaderSize(r, textBufferSize)
	head, err := br.Peek(16)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, c := range compressions() {
		if !bytes.HasPrefix(head, c.magic) || (c.name == "bzip2" && !isBzip2(head)) {
			continue
		}
		if c.ext != "" {
			return nil, nil, fmt.Errorf("%s: file is %s-compressed but its name does not end in %s; add the suffix to read it", name, c.name, c.ext)
		}
		return nil, nil, fmt.Errorf("%s: file is %s-compressed, which is not supported; decompress it first", name, c.name)
	}
	return br, func() {}, nil
}

// isBzip2 checks the whole bzip2 stream header ("BZh", a block size digit
// and the magic of the first block or of the end of the stream), so that
// text starting with "BZh" is not taken for bzip2.
func isBzip2(head []byte) bool {
	if len(head) < 10 || head[3] < '1' || head[3] > '9' {
		return false
	}
	m := head[4:10]
	return bytes.Equal(m, []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}) ||
		bytes.Equal(m, []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90})
}

// namedReader names the file and format in the decompressor's errors.
type namedReader struct {
	r      io.Reader
	name   string
	format string
}

func (n *namedReader) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %s: %w", n.name, n.format, err)
	}
	return k, err
}

// Compress returns a writer that compresses into w with codec, as Spark's
// "compression" option of text formats names it: "", "none" and
// "uncompressed" write as is; "gzip", "zstd" and "snappy" (Hadoop's
// SnappyCodec blocks, as Spark writes .snappy text) compress. ext is the
// file name suffix the codec's files take (".gz", ".zst", ".snappy" or ""). Closing the
// returned writer finishes the compressed stream but does not close w.
func Compress(w io.Writer, codec string) (_ io.WriteCloser, ext string, err error) {
	switch strings.ToLower(codec) {
	case "", "none", "uncompressed":
		return nopWriteCloser{w}, "", nil
	case "gzip":
		return gzip.NewWriter(w), ".gz", nil
	case "zstd":
		zw, err := zstd.NewWriter(w)
		if err != nil {
			return nil, "", fmt.Errorf("zstd: %w", err)
		}
		return zw, ".zst", nil
	case "snappy":
		return newHadoopSnappyWriter(w), ".snappy", nil
	}
	return nil, "", fmt.Errorf("compression %q: want none, gzip, zstd or snappy", codec)
}

// CompressExt is the file name suffix of codec's files (see Compress).
func CompressExt(codec string) (string, error) {
	switch strings.ToLower(codec) {
	case "", "none", "uncompressed":
		return "", nil
	case "gzip":
		return ".gz", nil
	case "zstd":
		return ".zst", nil
	case "snappy":
		return ".snappy", nil
	}
	return "", fmt.Errorf("compression %q: want none, gzip, zstd or snappy", codec)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
