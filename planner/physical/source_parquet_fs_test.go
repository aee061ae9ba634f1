package physical

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/samples"
)

type ctxKey struct{}

// urlFS serves mem://b/<name> from a local directory and records the
// context value each Open was called with.
type urlFS struct {
	fsys.Local
	dir  string
	mu   sync.Mutex
	seen []any
}

func (u *urlFS) Open(ctx context.Context, p string) (fsys.File, error) {
	u.mu.Lock()
	u.seen = append(u.seen, ctx.Value(ctxKey{}))
	u.mu.Unlock()
	return u.Local.Open(ctx, filepath.Join(u.dir, strings.TrimPrefix(p, "mem://b/")))
}

// TestParquetOnObjectStoreOpensWithQueryContext: the footers are read
// while planning, the scan opens the file again with the query's context,
// so cancelling the query stops its requests.
func TestParquetOnObjectStoreOpensWithQueryContext(t *testing.T) {
	dir := t.TempDir()
	tbl := samples.Tables()[0]
	if err := os.WriteFile(filepath.Join(dir, "t.parquet"), tbl.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	fs := &urlFS{dir: dir}
	src, err := NewParquetFilesFS(context.WithValue(context.Background(), ctxKey{}, "planning"), fs, []string{"mem://b/t.parquet"})
	if err != nil {
		t.Fatal(err)
	}
	op, err := src.Operator(exec.NewEnv(memory.DefaultAllocator), logical.ScanRequest{ReadColumns: []int{0}, Output: []int{0}, Limit: -1, Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	batches, err := exec.Collect(context.WithValue(context.Background(), ctxKey{}, "query"), op)
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, b := range batches {
		rows += b.NumRows()
		b.Release()
	}
	if rows == 0 || rows != src.EstimatedRows() {
		t.Errorf("read %d rows, want %d", rows, src.EstimatedRows())
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.seen) < 2 || fs.seen[0] != "planning" || fs.seen[len(fs.seen)-1] != "query" {
		t.Errorf("contexts of the opens: %v, want planning first and the query's last", fs.seen)
	}
}

// TestParquetPlanningReadsNoFooter: which pushed-down filters the scan can
// use is decided from the footer read when the source was made; planning
// the scan opens nothing.
func TestParquetPlanningReadsNoFooter(t *testing.T) {
	dir := t.TempDir()
	tbl := samples.Tables()[0]
	if err := os.WriteFile(filepath.Join(dir, "t.parquet"), tbl.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	fs := &urlFS{dir: dir}
	src, err := NewParquetFilesFS(context.Background(), fs, []string{"mem://b/t.parquet"})
	if err != nil {
		t.Fatal(err)
	}
	col := src.Schema().Field(0).Name
	req := logical.ScanRequest{ReadColumns: []int{0}, Output: []int{0}, Limit: -1, Partitions: 1,
		Filters: []source.Filter{{Column: col, Op: source.IsNotNull}, {Column: "no_such_column", Op: source.IsNull}}}
	op, err := src.Operator(exec.NewEnv(memory.DefaultAllocator), req)
	if err != nil {
		t.Fatal(err)
	}
	if want := "RowGroupFilters=[" + col + " IS NOT NULL]"; !strings.Contains(op.String(), want) {
		t.Errorf("scan %q, want %s", op.String(), want)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.seen) != 1 {
		t.Errorf("the file was opened %d times by making the source and planning its scan, want once", len(fs.seen))
	}
}
