package frame_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gspark/gspark/frame"
)

// TestCancelledWriteMidFileLeavesNothing cancels a Parquet write once a part
// file under the output has row groups in it (the writer is in the middle of
// its file), and checks that the write fails with the cancel and that
// neither the output nor any temporary file is left.
func TestCancelledWriteMidFileLeavesNothing(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res := make(chan error, 1)
	go func() {
		res <- s.SQL("SELECT id, id * 3 AS v FROM range(0, 4000000000, 1, 2)").Write().Parquet(ctx, filepath.Join(root, "out"))
	}()
	var err error
	for err == nil {
		select {
		case err = <-res:
			t.Fatalf("the write ended before it was cancelled: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, _ error) error {
			if d != nil && !d.IsDir() {
				if fi, e := d.Info(); e == nil && fi.Size() > 1<<20 {
					err = errors.New("found") // a row group is out
				}
			}
			return nil
		})
	}
	cancel()
	if werr := <-res; !errors.Is(werr, context.Canceled) {
		t.Fatalf("cancelled write returned %v, want context.Canceled", werr)
	}
	entries, rerr := os.ReadDir(root)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("a write cancelled mid-file left %v", names)
	}
}
