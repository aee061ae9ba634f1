package frame_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/values/vectors"
)

// libsvmRows reads a libsvm DataFrame into labels and vectors.
func libsvmRows(t *testing.T, df *frame.DataFrame) ([]float64, []vectors.Vector) {
	t.Helper()
	bs, err := df.CollectBatches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var labels []float64
	var vs []vectors.Vector
	for _, b := range bs {
		if b.Schema().Field(0).Name != "label" || b.Schema().Field(1).Name != "features" {
			t.Fatalf("schema %v", b.Schema())
		}
		labels = append(labels, b.Column(0).(*array.Float64).Float64Values()...)
		col, err := vectors.Vectors(b.Column(1))
		if err != nil {
			t.Fatal(err)
		}
		for i := range col.Len() {
			v, _ := col.At(i)
			vs = append(vs, v)
		}
		b.Release()
	}
	return labels, vs
}

// Spark's sample_libsvm_data.txt: 100 rows, largest index 692. The values
// checked were read off the file: line 1 is "0 128:51 129:159 … 658:37" with
// 176 items, line 2 starts "1 159:124".
func TestLibSVMSampleData(t *testing.T) {
	path := filepath.Join("..", "testdata", "ml", "sample_libsvm_data.txt")
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		labels, vs := libsvmRows(t, s.Read().Format("libsvm").Load(path))
		if len(labels) != 100 || len(vs) != 100 {
			t.Fatalf("%d rows, want 100", len(labels))
		}
		// Rows may come in any order over several partitions: find line 1
		// and line 2 by their content.
		var found1, found2 bool
		for i, v := range vs {
			if v.Size() != 692 {
				t.Fatalf("row %d has size %d, want 692", i, v.Size())
			}
			sv, ok := v.(*vectors.SparseVector)
			if !ok {
				t.Fatalf("row %d is %T, want sparse", i, v)
			}
			if len(sv.Indices) == 176 && sv.Indices[0] == 127 && sv.Values[0] == 51 {
				found1 = labels[i] == 0 && sv.Indices[175] == 657 && sv.Values[175] == 37 && sv.Indices[1] == 128 && sv.Values[1] == 159
			}
			if len(sv.Indices) > 0 && sv.Indices[0] == 158 && sv.Values[0] == 124 {
				found2 = labels[i] == 1
			}
		}
		if !found1 || !found2 {
			t.Fatalf("%d partitions: lines 1 and 2 not read as in the file (%v %v)", parts, found1, found2)
		}
	}
	s := frame.NewSession()
	_, vs := libsvmRows(t, s.Read().Format("libsvm").Option("numFeatures", "1000").Load(path))
	if vs[0].Size() != 1000 {
		t.Fatalf("numFeatures 1000: size %d", vs[0].Size())
	}
	_, vs = libsvmRows(t, s.Read().Format("libsvm").Option("vectorType", "dense").Load(path))
	if d, ok := vs[0].(*vectors.DenseVector); !ok || len(d.Values) != 692 || d.Values[127] != 51 || d.Values[126] != 0 {
		t.Fatalf("dense row %v", vs[0])
	}
}

func TestLibSVMParsingRules(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s := frame.NewSession()
	// Comments and blank lines are skipped, items may be separated by
	// several spaces, the vector size is the largest index.
	ok := write("ok.txt", "# header\n\n  1.5 2:3  5:-1e2\n-1\n")
	labels, vs := libsvmRows(t, s.Read().Format("libsvm").Load(ok))
	if len(labels) != 2 || labels[0] != 1.5 || labels[1] != -1 {
		t.Fatalf("labels %v", labels)
	}
	sv := vs[0].(*vectors.SparseVector)
	if sv.Size() != 5 || len(sv.Indices) != 2 || sv.Indices[0] != 1 || sv.Indices[1] != 4 || sv.Values[1] != -100 || vs[1].Size() != 5 {
		t.Fatalf("vectors %v %v", vs[0], vs[1])
	}
	for _, c := range []struct{ text, want string }{
		{"1 1:2\n0 3:1 2:1\n", "bad.txt:2: item 2 \"2:1\": indices should be one-based and in ascending order"},
		{"1 1:2 1:3\n", "bad.txt:1: item 2 \"1:3\": indices should be one-based"},
		{"1 0:2\n", "bad.txt:1: item 1 \"0:2\": indices should be one-based"},
		{"x 1:2\n", "bad.txt:1: label \"x\" is not a number"},
		{"1\n1 1:y\n", "bad.txt:2: item 1 \"1:y\": value \"y\" is not a number"},
		{"1 a:1\n", "bad.txt:1: item 1 \"a:1\": index \"a\" is not an integer"},
		{"1 3\n", "bad.txt:1: item 1 \"3\" is not index:value"},
	} {
		p := write("bad.txt", c.text)
		_, err := s.Read().Format("libsvm").Load(p).Count(context.Background())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
	p := write("big.txt", "1 1:1 7:2\n")
	_, err := s.Read().Format("libsvm").Option("numFeatures", "5").Load(p).Count(context.Background())
	if err == nil || !strings.Contains(err.Error(), "big.txt:1: index 7 is beyond numFeatures 5") {
		t.Errorf("numFeatures too small: %v", err)
	}
	_, err = s.Read().Format("libsvm").Option("numFeatures", "zero").Load(p).Count(context.Background())
	if err == nil || !strings.Contains(err.Error(), "numFeatures") {
		t.Errorf("bad numFeatures: %v", err)
	}
}
