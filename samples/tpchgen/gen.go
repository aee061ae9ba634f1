package tpchgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Dates of clause 4.2.3 as days since 1970-01-01.
const (
	startDate   = 8035  // 1992-01-01
	currentDate = 9298  // 1995-06-17
	endDate     = 10591 // 1998-12-31
)

// Fixed seeds, one per generator stream.
const (
	seedRegion   = 101
	seedNation   = 102
	seedSupplier = 103
	seedPart     = 104
	seedPartsupp = 105
	seedCustomer = 106
	seedOrder    = 107
	seedLine     = 108
	seedCount    = 109
	seedOComment = 110
	seedLComment = 111
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// newLineCountRand returns the stream that draws the number of lineitems of each order.
func newLineCountRand() *rand.Rand { return newRand(seedCount) }

// lineCount draws the number of lineitems of one order, uniform in [1, 7].
func lineCount(r *rand.Rand) int { return 1 + r.IntN(7) }

// between returns a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi int64) int64 { return lo + r.Int64N(hi-lo+1) }

// retailPrice returns p_retailprice in cents for a part key (clause 4.2.3):
// (90000 + ((key/10) mod 20001) + 100*(key mod 1000)) / 100.
func retailPrice(partkey int64) int64 {
	return 90000 + (partkey/10)%20001 + 100*(partkey%1000)
}

// partSupplier returns the i-th (0..3) supplier of a part for s suppliers (clause 4.2.3).
func partSupplier(partkey int64, i, s int64) int64 {
	return (partkey+i*(s/4+(partkey-1)/s))%s + 1
}

// orderKey maps the i-th order (0-based) to its sparse key: only the first 8 of
// every 32 keys are used.
func orderKey(i int64) int64 { return (i/8)*32 + i%8 + 1 }

// batcher accumulates rows in a record builder and emits full batches.
type batcher struct {
	ctx       context.Context
	rb        *array.RecordBuilder
	n, max    int
	emit      func(arrow.RecordBatch) error
	scratch   []byte
	tableName string
}

// row ends the current row, emitting the batch when it is full and checking
// ctx every 1024 rows.
func (b *batcher) row() error {
	b.n++
	if b.n >= b.max {
		return b.flush()
	}
	if b.n%1024 == 0 {
		if err := b.ctx.Err(); err != nil {
			return fmt.Errorf("tpchgen: generating %s: %w", b.tableName, err)
		}
	}
	return nil
}

// flush emits the rows built so far, if any.
func (b *batcher) flush() error {
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("tpchgen: generating %s: %w", b.tableName, err)
	}
	if b.n == 0 {
		return nil
	}
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.n = 0
	if err := b.emit(rec); err != nil {
		return fmt.Errorf("tpchgen: emitting %s batch: %w", b.tableName, err)
	}
	return nil
}

func (b *batcher) i64(c int) *array.Int64Builder { return b.rb.Field(c).(*array.Int64Builder) }
func (b *batcher) i32(c int) *array.Int32Builder { return b.rb.Field(c).(*array.Int32Builder) }
func (b *batcher) s(c int) *array.StringBuilder  { return b.rb.Field(c).(*array.StringBuilder) }
func (b *batcher) dt(c int) *array.Date32Builder { return b.rb.Field(c).(*array.Date32Builder) }
func (b *batcher) dec(c int) *array.Decimal64Builder {
	return b.rb.Field(c).(*array.Decimal64Builder)
}

// keyed appends prefix followed by key zero-padded to 9 digits ("Supplier#000000001").
func (b *batcher) keyed(sb *array.StringBuilder, prefix string, key int64) {
	buf := append(b.scratch[:0], prefix...)
	digits := strconv.AppendInt(nil, key, 10)
	for i := len(digits); i < 9; i++ {
		buf = append(buf, '0')
	}
	buf = append(buf, digits...)
	sb.BinaryBuilder.Append(buf)
	b.scratch = buf
}

// phone appends a phone number "CC-LLL-MMM-NNNN" with country code nation+10.
func (b *batcher) phone(sb *array.StringBuilder, r *rand.Rand, nation int64) {
	buf := strconv.AppendInt(b.scratch[:0], nation+10, 10)
	buf = append(buf, '-')
	buf = strconv.AppendInt(buf, between(r, 100, 999), 10)
	buf = append(buf, '-')
	buf = strconv.AppendInt(buf, between(r, 100, 999), 10)
	buf = append(buf, '-')
	buf = strconv.AppendInt(buf, between(r, 1000, 9999), 10)
	sb.BinaryBuilder.Append(buf)
	b.scratch = buf
}

// address appends a random v-string of length [10, 40].
func (b *batcher) address(sb *array.StringBuilder, r *rand.Rand) {
	n := 10 + r.IntN(31)
	buf := b.scratch[:0]
	for range n {
		buf = append(buf, addressChars[r.IntN(len(addressChars))])
	}
	sb.BinaryBuilder.Append(buf)
	b.scratch = buf
}

// Generate produces the table at scale factor sf as Arrow record batches of at
// most batchRows rows, passed to emit in order. emit must Retain a batch it
// keeps; the batch is released when emit returns. Generation stops with ctx's
// error when ctx is done.
func Generate(ctx context.Context, table string, sf float64, mem memory.Allocator, batchRows int, emit func(arrow.RecordBatch) error) error {
	if err := checkSF(sf); err != nil {
		return err
	}
	if batchRows <= 0 {
		return fmt.Errorf("tpchgen: batchRows must be positive, got %d", batchRows)
	}
	if emit == nil {
		return fmt.Errorf("tpchgen: nil emit function")
	}
	schema, err := Schema(table)
	if err != nil {
		return err
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	rb := array.NewRecordBuilder(mem, schema)
	defer rb.Release()
	b := &batcher{ctx: ctx, rb: rb, max: batchRows, emit: emit, tableName: table}
	c := countsFor(sf)
	switch table {
	case "region":
		err = genRegion(b)
	case "nation":
		err = genNation(b)
	case "supplier":
		err = genSupplier(b, c, sf)
	case "part":
		err = genPart(b, c)
	case "partsupp":
		err = genPartsupp(b, c)
	case "customer":
		err = genCustomer(b, c)
	case "orders", "lineitem":
		err = genOrders(b, c, table == "lineitem")
	}
	if err != nil {
		return err
	}
	return b.flush()
}

func genRegion(b *batcher) error {
	r, pool := newRand(seedRegion), textPool()
	for i, name := range regionNames {
		b.i64(0).Append(int64(i))
		b.s(1).Append(name)
		b.s(2).Append(comment(r, pool, 31, 115))
		if err := b.row(); err != nil {
			return err
		}
	}
	return nil
}

func genNation(b *batcher) error {
	r, pool := newRand(seedNation), textPool()
	for i, name := range nationNames {
		b.i64(0).Append(int64(i))
		b.s(1).Append(name)
		b.i64(2).Append(nationRegions[i])
		b.s(3).Append(comment(r, pool, 31, 114))
		if err := b.row(); err != nil {
			return err
		}
	}
	return nil
}

func genSupplier(b *batcher, c counts, sf float64) error {
	r, pool := newRand(seedSupplier), textPool()
	// Clause 4.2.3: SF*5 supplier comments contain "Customer ... Complaints"
	// and SF*5 others "Customer ... Recommends" (at least one of each here).
	special := make(map[int64]string)
	nSpecial := min(scaled(sf, 5), c.supplier/2)
	for _, word := range []string{"Complaints", "Recommends"} {
		for added := int64(0); added < nSpecial; {
			k := between(r, 1, c.supplier)
			if _, dup := special[k]; !dup {
				special[k] = word
				added++
			}
		}
	}
	for key := int64(1); key <= c.supplier; key++ {
		nation := between(r, 0, 24)
		b.i64(0).Append(key)
		b.keyed(b.s(1), "Supplier#", key)
		b.address(b.s(2), r)
		b.i64(3).Append(nation)
		b.phone(b.s(4), r, nation)
		b.dec(5).Append(decimal.Decimal64(between(r, -99999, 999999)))
		text := comment(r, pool, 25, 100)
		if word, ok := special[key]; ok {
			// Keep the length: a random prefix, "Customer ", filler, the word.
			fill := len(text) - len("Customer ") - len(word)
			pre := r.IntN(max(fill, 0) + 1)
			text = text[:pre] + "Customer " + text[pre:fill] + word
		}
		b.s(6).Append(text)
		if err := b.row(); err != nil {
			return err
		}
	}
	return nil
}

func genPart(b *batcher, c counts) error {
	r, pool := newRand(seedPart), textPool()
	var name []byte
	var chosen [5]int
	for key := int64(1); key <= c.part; key++ {
		b.i64(0).Append(key)
		// p_name: five distinct colors separated by spaces.
		name = name[:0]
		for i := 0; i < 5; {
			k := r.IntN(len(colors))
			dup := false
			for _, p := range chosen[:i] {
				dup = dup || p == k
			}
			if dup {
				continue
			}
			chosen[i] = k
			if i > 0 {
				name = append(name, ' ')
			}
			name = append(name, colors[k]...)
			i++
		}
		b.s(1).BinaryBuilder.Append(name)
		m := between(r, 1, 5)
		n := between(r, 1, 5)
		b.s(2).Append("Manufacturer#" + strconv.FormatInt(m, 10))
		b.s(3).Append("Brand#" + strconv.FormatInt(m*10+n, 10))
		b.s(4).Append(pick(r, typeSyl1) + " " + pick(r, typeSyl2) + " " + pick(r, typeSyl3))
		b.i32(5).Append(int32(between(r, 1, 50)))
		b.s(6).Append(pick(r, containerSyl1) + " " + pick(r, containerSyl2))
		b.dec(7).Append(decimal.Decimal64(retailPrice(key)))
		b.s(8).Append(comment(r, pool, 5, 22))
		if err := b.row(); err != nil {
			return err
		}
	}
	return nil
}

func genPartsupp(b *batcher, c counts) error {
	r, pool := newRand(seedPartsupp), textPool()
	for key := int64(1); key <= c.part; key++ {
		for i := range int64(4) {
			b.i64(0).Append(key)
			b.i64(1).Append(partSupplier(key, i, c.supplier))
			b.i32(2).Append(int32(between(r, 1, 9999)))
			b.dec(3).Append(decimal.Decimal64(between(r, 100, 100000)))
			b.s(4).Append(comment(r, pool, 49, 198))
			if err := b.row(); err != nil {
				return err
			}
		}
	}
	return nil
}

func genCustomer(b *batcher, c counts) error {
	r, pool := newRand(seedCustomer), textPool()
	for key := int64(1); key <= c.customer; key++ {
		nation := between(r, 0, 24)
		b.i64(0).Append(key)
		b.keyed(b.s(1), "Customer#", key)
		b.address(b.s(2), r)
		b.i64(3).Append(nation)
		b.phone(b.s(4), r, nation)
		b.dec(5).Append(decimal.Decimal64(between(r, -99999, 999999)))
		b.s(6).Append(pick(r, segments))
		b.s(7).Append(comment(r, pool, 29, 116))
		if err := b.row(); err != nil {
			return err
		}
	}
	return nil
}

// line holds the generated fields of one lineitem.
type line struct {
	partkey, suppkey       int64
	qty, price, disc, tax  int64 // cents
	ship, commit, receipt  arrow.Date32
	returnflag, linestatus string
	instruct, mode         string
}

// genOrders walks the orders and their lineitems with the same streams for
// both tables, so o_totalprice and o_orderstatus agree with lineitem; it emits
// lineitem rows when lines is true and orders rows otherwise.
func genOrders(b *batcher, c counts, lines bool) error {
	rOrd, rLine, rCnt := newRand(seedOrder), newRand(seedLine), newLineCountRand()
	rCom := newRand(seedOComment)
	if lines {
		rCom = newRand(seedLComment)
	}
	pool := textPool()
	// Customers whose key is a multiple of 3 place no orders (clause 4.2.3).
	activeCust := c.customer - c.customer/3
	clerks := scaled(float64(c.orders)/1_500_000, 1000)
	var ls [7]line
	for i := range c.orders {
		okey := orderKey(i)
		n := lineCount(rCnt)
		j := rOrd.Int64N(activeCust)
		cust := j + j/2 + 1
		odate := arrow.Date32(between(rOrd, startDate, endDate-151))
		prio := pick(rOrd, priorities)
		clerk := between(rOrd, 1, clerks)
		var total int64
		nF, nO := 0, 0
		for k := range n {
			l := &ls[k]
			l.partkey = between(rLine, 1, c.part)
			l.suppkey = partSupplier(l.partkey, rLine.Int64N(4), c.supplier)
			l.qty = between(rLine, 1, 50)
			l.price = l.qty * retailPrice(l.partkey)
			l.disc = between(rLine, 0, 10)
			l.tax = between(rLine, 0, 8)
			l.ship = odate + arrow.Date32(between(rLine, 1, 121))
			l.commit = odate + arrow.Date32(between(rLine, 30, 90))
			l.receipt = l.ship + arrow.Date32(between(rLine, 1, 30))
			ra := rLine.IntN(2)
			l.returnflag = "N"
			if l.receipt <= currentDate {
				l.returnflag = [2]string{"R", "A"}[ra]
			}
			if l.ship > currentDate {
				l.linestatus = "O"
				nO++
			} else {
				l.linestatus = "F"
				nF++
			}
			l.instruct = pick(rLine, instructions)
			l.mode = pick(rLine, shipModes)
			total += l.price * (100 - l.disc) * (100 + l.tax)
		}
		if lines {
			for k := range n {
				l := &ls[k]
				b.i64(0).Append(okey)
				b.i64(1).Append(l.partkey)
				b.i64(2).Append(l.suppkey)
				b.i32(3).Append(int32(k + 1))
				b.dec(4).Append(decimal.Decimal64(l.qty * 100))
				b.dec(5).Append(decimal.Decimal64(l.price))
				b.dec(6).Append(decimal.Decimal64(l.disc))
				b.dec(7).Append(decimal.Decimal64(l.tax))
				b.s(8).Append(l.returnflag)
				b.s(9).Append(l.linestatus)
				b.dt(10).Append(l.ship)
				b.dt(11).Append(l.commit)
				b.dt(12).Append(l.receipt)
				b.s(13).Append(l.instruct)
				b.s(14).Append(l.mode)
				b.s(15).Append(comment(rCom, pool, 10, 43))
				if err := b.row(); err != nil {
					return err
				}
			}
			continue
		}
		status := "P"
		switch {
		case nF == n:
			status = "F"
		case nO == n:
			status = "O"
		}
		b.i64(0).Append(okey)
		b.i64(1).Append(cust)
		b.s(2).Append(status)
		b.dec(3).Append(decimal.Decimal64((total + 5000) / 10000))
		b.dt(4).Append(odate)
		b.s(5).Append(prio)
		b.keyed(b.s(6), "Clerk#", clerk)
		b.i32(7).Append(0)
		b.s(8).Append(comment(rCom, pool, 19, 78))
		if err := b.row(); err != nil {
			return err
		}
	}
	return nil
}
