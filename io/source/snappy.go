package source

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/snappy"
)

// Spark writes and reads text files with the suffix .snappy through
// Hadoop's SnappyCodec, whose streams are not the Snappy framing format but
// Hadoop's block format (BlockCompressorStream): the input is cut into
// blocks of at most hadoopSnappyBlock bytes, and each block is written as
// its uncompressed length (4 bytes, big-endian) followed by one or more
// chunks, each its compressed length (4 bytes, big-endian) and a raw Snappy
// block, until the chunks decompress to the block's length. Files in the
// Snappy framing format (which starts with the stream identifier
// ff 06 00 00 "sNaPpY") are read too, as other tools write .snappy files so.

// hadoopSnappyBlock is the block size of Hadoop's SnappyCodec
// (io.compression.codec.snappy.buffersize, 256 KiB).
const hadoopSnappyBlock = 256 << 10

// maxSnappyBlock bounds a block or chunk length read from a file, so that a
// corrupt length fails instead of allocating gigabytes.
const maxSnappyBlock = 64 << 20

// snappyFrameMagic is the stream identifier chunk of the framing format.
var snappyFrameMagic = []byte{0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'}

// newSnappyReader returns the decompressed text of r: framing format when r
// starts with its stream identifier, Hadoop blocks otherwise.
func newSnappyReader(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, textBufferSize)
	if head, _ := br.Peek(len(snappyFrameMagic)); bytes.Equal(head, snappyFrameMagic) {
		return snappy.NewReader(br)
	}
	return &hadoopSnappyReader{r: br}
}

// hadoopSnappyReader decodes Hadoop SnappyCodec blocks.
type hadoopSnappyReader struct {
	r       io.Reader
	out     []byte // decoded bytes of the current block not yet returned
	block   []byte // buffer of the decoded block
	chunk   []byte // buffer of a compressed chunk
	hdr     [4]byte
	blockNo int
}

func (h *hadoopSnappyReader) Read(p []byte) (int, error) {
	for len(h.out) == 0 {
		if err := h.nextBlock(); err != nil {
			return 0, err
		}
	}
	n := copy(p, h.out)
	h.out = h.out[n:]
	return n, nil
}

// nextBlock decodes the next block into h.out; io.EOF at a clean end.
func (h *hadoopSnappyReader) nextBlock() error {
	if _, err := io.ReadFull(h.r, h.hdr[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return fmt.Errorf("block %d: truncated block header: %w", h.blockNo, io.ErrUnexpectedEOF)
	}
	want := binary.BigEndian.Uint32(h.hdr[:])
	if want > maxSnappyBlock {
		return fmt.Errorf("block %d: uncompressed length %d is too large (corrupt file?)", h.blockNo, want)
	}
	h.block = h.block[:0]
	for uint32(len(h.block)) < want {
		if _, err := io.ReadFull(h.r, h.hdr[:]); err != nil {
			return fmt.Errorf("block %d: truncated chunk header: %w", h.blockNo, io.ErrUnexpectedEOF)
		}
		n := binary.BigEndian.Uint32(h.hdr[:])
		if n > maxSnappyBlock {
			return fmt.Errorf("block %d: compressed chunk length %d is too large (corrupt file?)", h.blockNo, n)
		}
		if cap(h.chunk) < int(n) {
			h.chunk = make([]byte, n)
		}
		h.chunk = h.chunk[:n]
		if _, err := io.ReadFull(h.r, h.chunk); err != nil {
			return fmt.Errorf("block %d: truncated chunk: %w", h.blockNo, io.ErrUnexpectedEOF)
		}
		dl, err := snappy.DecodedLen(h.chunk)
		if err != nil {
			return fmt.Errorf("block %d: %w", h.blockNo, err)
		}
		if uint32(len(h.block)+dl) > want {
			return fmt.Errorf("block %d: chunks decode to more than the block's %d bytes", h.blockNo, want)
		}
		start := len(h.block)
		if cap(h.block) < start+dl {
			nb := make([]byte, start, max(int(want), start+dl))
			copy(nb, h.block)
			h.block = nb
		}
		dec, err := snappy.Decode(h.block[start:start+dl], h.chunk)
		if err != nil {
			return fmt.Errorf("block %d: %w", h.blockNo, err)
		}
		h.block = h.block[:start+len(dec)]
	}
	h.blockNo++
	h.out = h.block
	return nil
}

// hadoopSnappyWriter writes Hadoop SnappyCodec blocks of hadoopSnappyBlock
// bytes, one chunk each, as Hadoop's BlockCompressorStream does.
type hadoopSnappyWriter struct {
	w   io.Writer
	buf []byte
	enc []byte
	err error
}

func newHadoopSnappyWriter(w io.Writer) *hadoopSnappyWriter {
	return &hadoopSnappyWriter{w: w, buf: make([]byte, 0, hadoopSnappyBlock)}
}

func (h *hadoopSnappyWriter) Write(p []byte) (int, error) {
	if h.err != nil {
		return 0, h.err
	}
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), hadoopSnappyBlock-len(h.buf))
		h.buf = append(h.buf, p[:k]...)
		p = p[k:]
		if len(h.buf) == hadoopSnappyBlock {
			if err := h.flush(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

func (h *hadoopSnappyWriter) flush() error {
	if len(h.buf) == 0 {
		return nil
	}
	h.enc = snappy.Encode(h.enc[:cap(h.enc)], h.buf)
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(h.buf)))
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(h.enc)))
	if _, err := h.w.Write(hdr[:]); err != nil {
		h.err = err
		return err
	}
	if _, err := h.w.Write(h.enc); err != nil {
		h.err = err
		return err
	}
	h.buf = h.buf[:0]
	return nil
}

// Close writes the last block; it does not close the underlying writer.
func (h *hadoopSnappyWriter) Close() error {
	if h.err != nil {
		return h.err
	}
	return h.flush()
}
