package parquet

import (
	"encoding/binary"
	"errors"
	"io"
)

// Some writers leave out the value of a key-value metadata entry (the
// Parquet spec makes KeyValue.value optional), which parquet-go v0.32
// rejects as a missing required field. relaxFooter rewrites such a footer
// with an empty value in every KeyValue lacking one, so the file opens;
// key-value metadata is informational, and an absent value reads as "".

// Thrift compact protocol types.
const (
	tcStop   = 0
	tcTrue   = 1
	tcFalse  = 2
	tcByte   = 3
	tcI16    = 4
	tcI32    = 5
	tcI64    = 6
	tcDouble = 7
	tcBinary = 8
	tcList   = 9
	tcSet    = 10
	tcMap    = 11
	tcStruct = 12
)

// thrift struct kinds on the paths to KeyValue.
type tkind int

const (
	tOther tkind = iota
	tFileMeta
	tRowGroup
	tColumnChunk
	tColumnMeta
	tKeyValue
)

// childKind is the kind of the struct (or list element) in field id of a
// struct of kind k.
func childKind(k tkind, id int16) tkind {
	switch {
	case k == tFileMeta && id == 4:
		return tRowGroup
	case k == tFileMeta && id == 5, k == tColumnMeta && id == 8:
		return tKeyValue
	case k == tRowGroup && id == 1:
		return tColumnChunk
	case k == tColumnChunk && id == 3:
		return tColumnMeta
	}
	return tOther
}

type footerRewriter struct {
	in      []byte
	pos     int
	out     []byte
	depth   int
	patched int
}

var errFooter = errors.New("malformed footer")

func (w *footerRewriter) byte1() (byte, error) {
	if w.pos >= len(w.in) {
		return 0, errFooter
	}
	b := w.in[w.pos]
	w.pos++
	w.out = append(w.out, b)
	return b, nil
}

func (w *footerRewriter) uvarint() (uint64, error) {
	v, n := binary.Uvarint(w.in[w.pos:])
	if n <= 0 {
		return 0, errFooter
	}
	w.out = append(w.out, w.in[w.pos:w.pos+n]...)
	w.pos += n
	return v, nil
}

func (w *footerRewriter) skip(n uint64) error {
	if n > uint64(len(w.in)-w.pos) {
		return errFooter
	}
	w.out = append(w.out, w.in[w.pos:w.pos+int(n)]...)
	w.pos += int(n)
	return nil
}

// value copies one value of type t (k: its struct kind if a struct or a
// list of structs).
func (w *footerRewriter) value(t byte, k tkind) error {
	switch t {
	case tcTrue, tcFalse, tcByte:
		// Booleans in a struct field carry no payload; in a list, one byte.
		return nil
	case tcI16, tcI32, tcI64:
		_, err := w.uvarint()
		return err
	case tcDouble:
		return w.skip(8)
	case tcBinary:
		n, err := w.uvarint()
		if err != nil {
			return err
		}
		return w.skip(n)
	case tcList, tcSet:
		h, err := w.byte1()
		if err != nil {
			return err
		}
		n, et := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = w.uvarint(); err != nil {
				return err
			}
		}
		for i := uint64(0); i < n; i++ {
			if et == tcTrue || et == tcFalse || et == tcByte {
				if err := w.skip(1); err != nil {
					return err
				}
				continue
			}
			if err := w.value(et, k); err != nil {
				return err
			}
		}
		return nil
	case tcMap:
		n, err := w.uvarint()
		if err != nil || n == 0 {
			return err
		}
		h, err := w.byte1()
		if err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			for _, et := range []byte{h >> 4, h & 0x0f} {
				if et == tcTrue || et == tcFalse || et == tcByte {
					if err := w.skip(1); err != nil {
						return err
					}
				} else if err := w.value(et, tOther); err != nil {
					return err
				}
			}
		}
		return nil
	case tcStruct:
		return w.structure(k)
	}
	return errFooter
}

func (w *footerRewriter) structure(k tkind) error {
	if w.depth++; w.depth > 64 {
		return errFooter
	}
	defer func() { w.depth-- }()
	var id int16
	sawValue := false
	for {
		if w.pos >= len(w.in) {
			return errFooter
		}
		h := w.in[w.pos]
		if h == tcStop {
			if k == tKeyValue && !sawValue {
				// Field 2 (value) as an empty binary, in the long field form.
				w.out = append(w.out, tcBinary, 4, 0)
				w.patched++
			}
			w.pos++
			w.out = append(w.out, tcStop)
			return nil
		}
		if _, err := w.byte1(); err != nil {
			return err
		}
		if d := int16(h >> 4); d != 0 {
			id += d
		} else {
			v, err := w.uvarint()
			if err != nil {
				return err
			}
			id = int16(int64(v>>1) ^ -int64(v&1))
		}
		if k == tKeyValue && id == 2 {
			sawValue = true
		}
		if err := w.value(h&0x0f, childKind(k, id)); err != nil {
			return err
		}
	}
}

// relaxFooter returns the footer with empty values added to KeyValue
// entries that lack one, and how many were added.
func relaxFooter(footer []byte) ([]byte, int, error) {
	w := &footerRewriter{in: footer, out: make([]byte, 0, len(footer)+64)}
	if err := w.structure(tFileMeta); err != nil {
		return nil, 0, err
	}
	return w.out, w.patched, nil
}

// patchedFile presents a file whose footer (from footerStart) is replaced.
type patchedFile struct {
	r           io.ReaderAt
	footerStart int64
	tail        []byte // new footer, its length and the magic
}

func (p *patchedFile) size() int64 { return p.footerStart + int64(len(p.tail)) }

func (p *patchedFile) ReadAt(b []byte, off int64) (int, error) {
	n := 0
	if off < p.footerStart {
		k := int(min(int64(len(b)), p.footerStart-off))
		m, err := p.r.ReadAt(b[:k], off)
		n += m
		if err != nil && !(errors.Is(err, io.EOF) && m == k) {
			return n, err
		}
		off += int64(k)
		b = b[k:]
	}
	if len(b) == 0 {
		return n, nil
	}
	i := off - p.footerStart
	if i >= int64(len(p.tail)) {
		return n, io.EOF
	}
	m := copy(b, p.tail[i:])
	n += m
	if m < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// relaxedReader returns a view of the file in r (size bytes, footer of
// footerLen bytes) with a relaxed footer, or nil when nothing needs changing.
func relaxedReader(r io.ReaderAt, size, footerLen int64) (*patchedFile, int64, error) {
	start := size - 8 - footerLen
	footer := make([]byte, footerLen)
	if _, err := r.ReadAt(footer, start); err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, err
	}
	nf, patched, err := relaxFooter(footer)
	if err != nil || patched == 0 {
		return nil, 0, err
	}
	tail := binary.LittleEndian.AppendUint32(nf, uint32(len(nf)))
	tail = append(tail, "PAR1"...)
	p := &patchedFile{r: r, footerStart: start, tail: tail}
	return p, p.size(), nil
}
