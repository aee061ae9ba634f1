package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"go.uber.org/goleak"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

func testSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "price", Type: &arrow.Decimal64Type{Precision: 10, Scale: 2}, Nullable: true},
		{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
}

// TestCollectRows compares collectRows with values.Rows on random batches
// with nulls and empty batches, for every limit.
func TestCollectRows(t *testing.T) {
	mem := exectest.Alloc(t)
	rng := rand.New(rand.NewPCG(3, 4))
	schema := testSchema()
	var bs []arrow.RecordBatch
	for b := 0; b < 6; b++ {
		var rows [][]any
		for n := rng.IntN(3) * rng.IntN(5); n > 0; n-- {
			r := []any{int64(rng.IntN(100)), "s" + strings.Repeat("x", rng.IntN(3)), int64(rng.IntN(10000)), int32(rng.IntN(20000)), rng.Float64()}
			for c := range r {
				if rng.IntN(4) == 0 {
					r[c] = nil
				}
			}
			rows = append(rows, r)
		}
		bs = append(bs, exectest.Batch(mem, schema, rows))
	}
	defer exec.ReleaseAll(bs)
	all := values.Rows(bs)
	for limit := -1; limit <= len(all)+1; limit++ {
		got, total := collectRows(bs, limit)
		want := all
		if limit >= 0 && limit < len(all) {
			want = all[:limit]
		}
		if len(want) == 0 {
			want = nil
		}
		if total != int64(len(all)) || !reflect.DeepEqual(got, want) {
			t.Fatalf("limit %d: got %d rows of %d, want %d of %d", limit, len(got), total, len(want), len(all))
		}
	}
}

func TestWriteTable(t *testing.T) {
	mem := exectest.Alloc(t)
	b := exectest.Batch(mem, testSchema(), [][]any{
		{int64(1), "apple", int64(150), int32(0), 1.5},
		{nil, "größe", nil, nil, nil},
		{int64(-20), nil, int64(-5), int32(365), 1e21},
	})
	defer b.Release()
	rows, _ := collectRows([]arrow.RecordBatch{b}, -1)
	var out bytes.Buffer
	if err := writeTable(&out, b.Schema(), rows); err != nil {
		t.Fatal(err)
	}
	want := `+------+-------+-------+------------+--------+
|   id | name  | price | day        |      x |
+------+-------+-------+------------+--------+
|    1 | apple |  1.50 | 1970-01-01 |    1.5 |
| NULL | größe |  NULL | NULL       |   NULL |
|  -20 | NULL  | -0.05 | 1971-01-01 | 1.0E21 |
+------+-------+-------+------------+--------+
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	if err := tableWriter(30)(&out, b.Schema(), rows[:1]); err != nil {
		t.Fatal(err)
	}
	want = `+----+-------+-------+------ ~
| id | name  | price | day   ~
+----+-------+-------+------ ~
|  1 | apple |  1.50 | 1970- ~
+----+-------+-------+------ ~
`
	if out.String() != want {
		t.Errorf("cut to 30 columns:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	if err := writeTable(&out, b.Schema(), nil); err != nil {
		t.Fatal(err)
	}
	want = `+----+------+-------+-----+---+
| id | name | price | day | x |
+----+------+-------+-----+---+
+----+------+-------+-----+---+
`
	if out.String() != want {
		t.Errorf("empty result:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestSummaryLine(t *testing.T) {
	for _, c := range []struct {
		total int64
		shown int
		want  string
	}{
		{0, 0, "0 rows (1.235 s)"},
		{1, 1, "1 row (1.235 s)"},
		{60175, 40, "60175 rows, 40 shown (1.235 s)"},
	} {
		if got := summaryLine(c.total, c.shown, 1234567*time.Microsecond); got != c.want {
			t.Errorf("summaryLine(%d, %d) = %q, want %q", c.total, c.shown, got, c.want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	if got, want := progressLine(4, 8, 1500*time.Millisecond, 40), "[=========>           ] 4/8 parts 1.5 s"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := progressLine(0, 0, 2*time.Second, 80), "[                                                  ] running 2.0 s"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := progressLine(3, 3, time.Second, 10), "3/3 parts 1.0 s"; got != want {
		t.Errorf("narrow: got %q, want %q", got, want)
	}
	for width := 1; width < 120; width++ {
		for _, done := range []int64{0, 1, 5, 9, 10, 12} {
			line := progressLine(done, 10, time.Second, width)
			if !strings.HasSuffix(line, fmt.Sprintf("%d/10 parts 1.0 s", done)) {
				t.Fatalf("width %d: %q lacks the counts", width, line)
			}
			if !strings.HasPrefix(line, "[") {
				continue // too narrow for a bar
			}
			if len(line) > width-1 {
				t.Fatalf("width %d: %q is too long", width, line)
			}
			bar := line[1:strings.Index(line, "]")]
			if want := int(min(done, 10) * int64(len(bar)) / 10); strings.Count(bar, "=")+strings.Count(bar, ">") != want {
				t.Fatalf("width %d done %d: %q should fill %d cells", width, done, line, want)
			}
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestStartProgress(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	waitFor := func(buf *syncBuffer, want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(buf.String(), want) {
			if time.Now().After(deadline) {
				out := buf.String()
				t.Fatalf("no %q in %q", want, out[max(0, len(out)-300):])
			}
			time.Sleep(time.Millisecond)
		}
	}
	var buf syncBuffer
	p := new(exec.Progress)
	p.Plan(4)
	p.Finish(1)
	stop := startProgress(&buf, p, 0, time.Millisecond)
	defer stop()
	waitFor(&buf, "] 1/4 parts ")
	p.Finish(3)
	waitFor(&buf, "[==================================================] 4/4 parts ")
	stop()
	stop()
	out := buf.String()
	if !strings.HasPrefix(out, "\r[") || !strings.HasSuffix(out, "\x1b[K\r\x1b[K") {
		t.Errorf("the bar should start a line and be erased at the end: %q", out)
	}

	// Stopped before the delay: nothing is drawn.
	var quiet syncBuffer
	startProgress(&quiet, p, time.Hour, time.Millisecond)()
	if quiet.String() != "" {
		t.Errorf("drew %q before the delay", quiet.String())
	}
}
