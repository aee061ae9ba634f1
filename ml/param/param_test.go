package param

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
)

type stage struct {
	ps            *Params
	inputCol      Param[string]
	withMean      Param[bool]
	p             Param[float64]
	handleInvalid Param[string]
	splits        Param[[]float64]
	numFeatures   Param[int]
}

func newStage(uid string) *stage {
	ps := New(uid)
	return &stage{
		ps:            ps,
		inputCol:      Define[string](ps, "inputCol", "input column name"),
		withMean:      Define(ps, "withMean", "whether to center the data with mean", WithDefault(false)),
		p:             Define(ps, "p", "the p norm value", WithDefault(2.0), WithValidator(GtEq(1.0))),
		handleInvalid: Define(ps, "handleInvalid", "how to handle invalid data", WithDefault("error"), WithValidator(OneOf("error", "skip", "keep"))),
		splits:        Define[[]float64](ps, "splits", "split points", WithValidator(NonEmpty[float64]())),
		numFeatures:   Define(ps, "numFeatures", "number of features", WithDefault(1<<18), WithValidator(Gt(0))),
	}
}

func TestUID(t *testing.T) {
	a, b := UID("StandardScaler"), UID("StandardScaler")
	if !regexp.MustCompile(`^StandardScaler_[0-9a-f]{12}$`).MatchString(a) || a == b {
		t.Fatalf("uids %s %s", a, b)
	}
}

func TestGetSetDefault(t *testing.T) {
	s := newStage("S_1")
	if s.p.Get(s.ps) != 2 || s.withMean.Get(s.ps) || s.handleInvalid.Get(s.ps) != "error" {
		t.Fatal("defaults")
	}
	if _, ok := s.inputCol.GetOK(s.ps); ok {
		t.Fatal("inputCol has no default")
	}
	if s.p.IsSet(s.ps) || !s.ps.HasDefault("p") || s.ps.HasDefault("inputCol") {
		t.Fatal("IsSet/HasDefault")
	}
	if err := s.p.Set(s.ps, 3); err != nil || s.p.Get(s.ps) != 3 || !s.p.IsSet(s.ps) {
		t.Fatalf("set p: %v", err)
	}
	// Set by name converts as JSON would.
	if err := s.ps.Set("p", 4); err != nil || s.p.Get(s.ps) != 4 {
		t.Fatalf("set p by name: %v %v", err, s.p.Get(s.ps))
	}
	if err := s.ps.Set("splits", []any{math.Inf(-1), 0, 1}); err != nil {
		t.Fatalf("splits: %v", err)
	}
	s.ps.Clear("p")
	if s.p.Get(s.ps) != 2 {
		t.Fatal("clear")
	}
	if s.ps.Err() != nil {
		t.Fatal(s.ps.Err())
	}
}

func TestValidation(t *testing.T) {
	s := newStage("S_2")
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"p", 0.5, "S_2: param p: must be >= 1, got 0.5"},
		{"handleInvalid", "drop", "S_2: param handleInvalid: must be one of [error skip keep], got drop"},
		{"numFeatures", 0, "S_2: param numFeatures: must be > 0, got 0"},
		{"splits", []float64{}, "must not be empty"},
		{"withMean", "yes", "cannot use yes (string) as bool"},
		{"nope", 1, `S_2: unknown param "nope"`},
	} {
		err := s.ps.Set(c.name, c.v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Set(%s, %v) = %v, want %q", c.name, c.v, err, c.want)
		}
	}
	if s.p.Get(s.ps) != 2 || s.handleInvalid.Get(s.ps) != "error" {
		t.Error("invalid values must not be stored")
	}
	if err := s.ps.Err(); err == nil || !strings.Contains(err.Error(), "must be >= 1") {
		t.Errorf("Err: %v", err)
	}
}

func TestExplainParams(t *testing.T) {
	s := newStage("S_3")
	s.inputCol.Set(s.ps, "features")
	s.p.Set(s.ps, 1)
	want := strings.Join([]string{
		"handleInvalid: how to handle invalid data (default: error)",
		"inputCol: input column name (current: features)",
		"numFeatures: number of features (default: 262144)",
		"p: the p norm value (default: 2.0, current: 1.0)",
		"splits: split points (undefined)",
		"withMean: whether to center the data with mean (default: false)",
	}, "\n")
	if got := s.ps.ExplainParams(); got != want {
		t.Errorf("ExplainParams:\n%s\nwant:\n%s", got, want)
	}
}

func TestCopy(t *testing.T) {
	s := newStage("S_4")
	s.inputCol.Set(s.ps, "a")
	c, err := s.ps.Copy("S_4", ParamMap{"withMean": true, "other": 1})
	if err != nil {
		t.Fatal(err)
	}
	if !s.withMean.Get(c) || s.withMean.Get(s.ps) || s.inputCol.Get(c) != "a" || c.UID() != "S_4" {
		t.Fatal("copy")
	}
	s.inputCol.Set(s.ps, "b")
	if s.inputCol.Get(c) != "a" {
		t.Fatal("copy shares values")
	}
	if _, err := s.ps.Copy("S_4", ParamMap{"p": 0.0}); err == nil {
		t.Fatal("copy with invalid value")
	}
	dst := newStage("M_1")
	if err := s.ps.CopyValuesTo(dst.ps); err != nil || dst.inputCol.Get(dst.ps) != "b" {
		t.Fatalf("CopyValuesTo: %v", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	s := newStage("S_5")
	s.splits.Set(s.ps, []float64{math.Inf(-1), -0.5, 0, math.Inf(1)})
	s.p.Set(s.ps, math.Inf(1))
	s.inputCol.Set(s.ps, "x")
	s.numFeatures.Set(s.ps, 20)
	pm, err := s.ps.ParamMapJSON()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(pm)
	want := `{"inputCol":"x","numFeatures":20,"p":"Infinity","splits":["-Infinity",-0.5,0,"Infinity"]}`
	if string(b) != want {
		t.Errorf("json %s, want %s", b, want)
	}
	var back map[string]json.RawMessage
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	l := newStage("S_5")
	if err := l.ps.SetJSON(back); err != nil {
		t.Fatal(err)
	}
	sp := l.splits.Get(l.ps)
	if len(sp) != 4 || !math.IsInf(sp[0], -1) || sp[1] != -0.5 || !math.IsInf(sp[3], 1) || !math.IsInf(l.p.Get(l.ps), 1) || l.numFeatures.Get(l.ps) != 20 {
		t.Errorf("decoded %v %v", sp, l.p.Get(l.ps))
	}
	dm, _ := s.ps.DefaultParamMapJSON()
	if string(dm["handleInvalid"]) != `"error"` || string(dm["p"]) != "2" {
		t.Errorf("defaults %s %s", dm["handleInvalid"], dm["p"])
	}
	nan, _ := EncodeValue(math.NaN())
	var f float64
	if string(nan) != `"NaN"` || DecodeValue(nan, &f) != nil || !math.IsNaN(f) {
		t.Errorf("NaN: %s %v", nan, f)
	}
	if err := l.ps.SetJSON(map[string]json.RawMessage{"p": json.RawMessage(`0.1`)}); err == nil {
		t.Error("SetJSON must validate")
	}
}
