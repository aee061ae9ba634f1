package feature

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// stringListType is the type of token columns: array<string>.
func stringListType() arrow.DataType { return arrow.ListOf(arrow.BinaryTypes.String) }

// stringListReader reads rows of a list<string> column without copying.
type stringListReader struct {
	list *array.List
	vals *array.String
}

func newStringListReader(arr arrow.Array) (*stringListReader, error) {
	l, ok := arr.(*array.List)
	if !ok {
		return nil, fmt.Errorf("expected array<string>, got %s", arr.DataType())
	}
	v, ok := l.ListValues().(*array.String)
	if !ok {
		return nil, fmt.Errorf("expected array<string>, got %s", arr.DataType())
	}
	return &stringListReader{list: l, vals: v}, nil
}

// Row returns the value range of row i (check IsNull first).
func (r *stringListReader) Row(i int) (lo, hi int) {
	a, b := r.list.ValueOffsets(i)
	return int(a), int(b)
}

// stringUDF maps each non-null string row to a list of strings.
func stringUDF(uid, col string, fn func(s string, out []string) []string) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
	return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		r, err := newStringReader(args[0])
		if err != nil || r.str == nil && r.lstr == nil && r.dict == nil {
			return nil, fmt.Errorf("%s: column %q must be string, got %s", uid, col, args[0].DataType())
		}
		b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
		defer b.Release()
		vb := b.ValueBuilder().(*array.StringBuilder)
		var toks []string
		for i := 0; i < args[0].Len(); i++ {
			s, ok := r.At(i)
			if !ok {
				b.AppendNull()
				continue
			}
			toks = fn(s, toks[:0])
			b.Append(true)
			for _, t := range toks {
				vb.Append(t)
			}
		}
		return b.NewArray(), nil
	}
}

func stringToListSchema(b ml.StageBase, c colParams, in *arrow.Schema) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, b.UID(), c.inputCol.Get(b.Params()), ml.String); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, b.UID(), arrow.Field{Name: c.outputCol.Get(b.Params()), Type: stringListType(), Nullable: true})
}

// ---- Tokenizer ----

// Tokenizer lower-cases strings and splits them at each whitespace
// character, as Spark's Tokenizer (Java's split("\\s"): empty tokens between
// adjacent spaces are kept, trailing ones dropped).
type Tokenizer struct {
	ml.StageBase
	colParams
}

// NewTokenizer makes a Tokenizer with a new UID.
func NewTokenizer() *Tokenizer { return newTokenizer(param.UID("Tokenizer")) }

func newTokenizer(uid string) *Tokenizer {
	s := &Tokenizer{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	return s
}

// SetInputCol sets the input string column.
func (s *Tokenizer) SetInputCol(c string) *Tokenizer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output array<string> column.
func (s *Tokenizer) SetOutputCol(c string) *Tokenizer { s.outputCol.Set(s.Params(), c); return s }

// ClassName implements ml.Stage.
func (s *Tokenizer) ClassName() string { return classPrefix + "Tokenizer" }

// TransformSchema implements ml.Stage.
func (s *Tokenizer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return stringToListSchema(s.StageBase, s.colParams, in)
}

func isJavaSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// javaSplit splits s at the separator matches (start/end byte offsets, in
// order) as Java's String.split does: no match gives [s]; a zero-width
// match at the start yields no leading empty token; trailing empty tokens
// are removed.
func javaSplit(s string, out []string, matches [][]int) []string {
	if len(matches) == 0 {
		return append(out, s)
	}
	start, idx := len(out), 0
	for _, m := range matches {
		if idx == 0 && m[0] == 0 && m[1] == 0 {
			continue
		}
		out = append(out, s[idx:m[0]])
		idx = m[1]
	}
	out = append(out, s[idx:])
	for len(out) > start && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// splitSpaces splits s at every whitespace character (Java's \\s) as
// String.split does, without allocating beyond out's growth.
func splitSpaces(s string, out []string) []string {
	if s == "" {
		return append(out, "")
	}
	start, idx := len(out), 0
	for i := 0; i < len(s); i++ {
		if isJavaSpace(rune(s[i])) {
			out = append(out, s[idx:i])
			idx = i + 1
		}
	}
	out = append(out, s[idx:])
	for len(out) > start && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// Transform implements ml.Transformer.
func (s *Tokenizer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in := s.inputCol.Get(ps)
	fn := stringUDF(s.UID(), in, func(str string, out []string) []string {
		return splitSpaces(strings.ToLower(str), out)
	})
	res := df.WithColumn(s.outputCol.Get(ps), frame.UDF("tokenizer", stringListType(), fn, frame.Col(in)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *Tokenizer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *Tokenizer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *Tokenizer) Save(path string) error { return ml.Save(s, path) }

// ---- RegexTokenizer ----

// RegexTokenizer splits strings at matches of pattern (gaps=true, the
// default, pattern "\\s+") or extracts the matches (gaps=false), keeping
// tokens of at least minTokenLength characters, lower-cased first unless
// toLowercase is false. Patterns use Go's RE2 syntax, close to Java's for
// common expressions.
type RegexTokenizer struct {
	ml.StageBase
	colParams
	pattern        param.Param[string]
	gaps           param.Param[bool]
	minTokenLength param.Param[int]
	toLowercase    param.Param[bool]
}

// NewRegexTokenizer makes a RegexTokenizer with a new UID.
func NewRegexTokenizer() *RegexTokenizer { return newRegexTokenizer(param.UID("RegexTokenizer")) }

func newRegexTokenizer(uid string) *RegexTokenizer {
	s := &RegexTokenizer{StageBase: ml.NewStageBase(uid)}
	ps := s.Params()
	s.colParams = defineCols(ps, uid)
	s.pattern = param.Define(ps, "pattern", "regex pattern used for tokenizing", param.WithDefault(`\s+`), param.WithValidator(func(p string) error {
		_, err := regexp.Compile(p)
		return err
	}))
	s.gaps = param.Define(ps, "gaps", "Set regex to match gaps or tokens", param.WithDefault(true))
	s.minTokenLength = param.Define(ps, "minTokenLength", "minimum token length (>= 0)", param.WithDefault(1), param.WithValidator(param.GtEq(0)))
	s.toLowercase = param.Define(ps, "toLowercase", "whether to convert all characters to lowercase before tokenizing", param.WithDefault(true))
	return s
}

// SetInputCol sets the input string column.
func (s *RegexTokenizer) SetInputCol(c string) *RegexTokenizer {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output array<string> column.
func (s *RegexTokenizer) SetOutputCol(c string) *RegexTokenizer {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetPattern sets the regular expression.
func (s *RegexTokenizer) SetPattern(p string) *RegexTokenizer { s.pattern.Set(s.Params(), p); return s }

// SetGaps sets whether the pattern matches gaps (true) or tokens (false).
func (s *RegexTokenizer) SetGaps(v bool) *RegexTokenizer { s.gaps.Set(s.Params(), v); return s }

// SetMinTokenLength sets the minimum token length.
func (s *RegexTokenizer) SetMinTokenLength(n int) *RegexTokenizer {
	s.minTokenLength.Set(s.Params(), n)
	return s
}

// SetToLowercase sets whether to lower-case before tokenizing.
func (s *RegexTokenizer) SetToLowercase(v bool) *RegexTokenizer {
	s.toLowercase.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *RegexTokenizer) ClassName() string { return classPrefix + "RegexTokenizer" }

// TransformSchema implements ml.Stage.
func (s *RegexTokenizer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return stringToListSchema(s.StageBase, s.colParams, in)
}

// Transform implements ml.Transformer.
func (s *RegexTokenizer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in := s.inputCol.Get(ps)
	re, err := regexp.Compile(s.pattern.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: pattern: %w", s.UID(), err)
	}
	gaps, minLen, lower := s.gaps.Get(ps), s.minTokenLength.Get(ps), s.toLowercase.Get(ps)
	fn := stringUDF(s.UID(), in, func(str string, out []string) []string {
		if lower {
			str = strings.ToLower(str)
		}
		if gaps {
			out = javaSplit(str, out, re.FindAllStringIndex(str, -1))
		} else {
			out = append(out, re.FindAllString(str, -1)...)
		}
		kept := out[:0]
		for _, t := range out {
			if utf8.RuneCountInString(t) >= minLen {
				kept = append(kept, t)
			}
		}
		return kept
	})
	res := df.WithColumn(s.outputCol.Get(ps), frame.UDF("regexTokenizer", stringListType(), fn, frame.Col(in)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *RegexTokenizer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *RegexTokenizer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *RegexTokenizer) Save(path string) error { return ml.Save(s, path) }

// ---- StopWordsRemover ----

// EnglishStopWords returns the default stop words of StopWordsRemover (a
// common English list; not byte-identical to Spark's).
func EnglishStopWords() []string {
	return strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves what which who whom this that these those
am is are was were be been being have has had having do does did doing a an the and but if or because as until
while of at by for with about against between into through during before after above below to from up down in
out on off over under again further then once here there when where why how all any both each few more most
other some such no nor not only own same so than too very s t can will just don should now d ll m o re ve y ain
aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn`)
}

// StopWordsRemover drops stop words from arrays of strings (case-insensitively
// unless caseSensitive); null arrays stay null.
type StopWordsRemover struct {
	ml.StageBase
	colParams
	stopWords     param.Param[[]string]
	caseSensitive param.Param[bool]
}

// NewStopWordsRemover makes a StopWordsRemover with a new UID.
func NewStopWordsRemover() *StopWordsRemover {
	return newStopWordsRemover(param.UID("StopWordsRemover"))
}

func newStopWordsRemover(uid string) *StopWordsRemover {
	s := &StopWordsRemover{StageBase: ml.NewStageBase(uid)}
	ps := s.Params()
	s.colParams = defineCols(ps, uid)
	s.stopWords = param.Define(ps, "stopWords", "the words to be filtered out", param.WithDefault(EnglishStopWords()))
	s.caseSensitive = param.Define(ps, "caseSensitive", "whether to do a case-sensitive comparison over the stop words", param.WithDefault(false))
	return s
}

// SetInputCol sets the input array<string> column.
func (s *StopWordsRemover) SetInputCol(c string) *StopWordsRemover {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output array<string> column.
func (s *StopWordsRemover) SetOutputCol(c string) *StopWordsRemover {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetStopWords sets the words to remove.
func (s *StopWordsRemover) SetStopWords(w ...string) *StopWordsRemover {
	s.stopWords.Set(s.Params(), w)
	return s
}

// SetCaseSensitive sets whether matching is case-sensitive.
func (s *StopWordsRemover) SetCaseSensitive(v bool) *StopWordsRemover {
	s.caseSensitive.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *StopWordsRemover) ClassName() string { return classPrefix + "StopWordsRemover" }

func listInSchema(b ml.StageBase, c colParams, in *arrow.Schema, out arrow.DataType) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, b.UID(), c.inputCol.Get(b.Params()), ml.StringArray); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, b.UID(), arrow.Field{Name: c.outputCol.Get(b.Params()), Type: out, Nullable: true})
}

// TransformSchema implements ml.Stage.
func (s *StopWordsRemover) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return listInSchema(s.StageBase, s.colParams, in, stringListType())
}

// Transform implements ml.Transformer.
func (s *StopWordsRemover) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	cs := s.caseSensitive.Get(ps)
	stop := map[string]bool{}
	for _, w := range s.stopWords.Get(ps) {
		if !cs {
			w = strings.ToLower(w)
		}
		stop[w] = true
	}
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		r, err := newStringListReader(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
		defer b.Release()
		vb := b.ValueBuilder().(*array.StringBuilder)
		for i := 0; i < args[0].Len(); i++ {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(true)
			lo, hi := r.Row(i)
			for k := lo; k < hi; k++ {
				if r.vals.IsNull(k) {
					vb.AppendNull()
					continue
				}
				w := r.vals.Value(k)
				key := w
				if !cs {
					key = strings.ToLower(w)
				}
				if !stop[key] {
					vb.Append(w)
				}
			}
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(s.outputCol.Get(ps), frame.UDF("stopWordsRemover", stringListType(), fn, frame.Col(in)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *StopWordsRemover) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *StopWordsRemover, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *StopWordsRemover) Save(path string) error { return ml.Save(s, path) }

// ---- HashingTF ----

// Murmur3 returns the 32-bit MurmurHash3 (x86) of data with the given seed,
// the hash Spark's HashingTF applies to the UTF-8 bytes of terms (seed 42).
func Murmur3(data []byte, seed uint32) uint32 { return murmur3(data, seed) }

func murmur3[T ~string | ~[]byte](data T, seed uint32) uint32 {
	const c1, c2 = 0xcc9e2d51, 0x1b873593
	h := seed
	n := len(data)
	for i := 0; i+4 <= n; i += 4 {
		k := uint32(data[i]) | uint32(data[i+1])<<8 | uint32(data[i+2])<<16 | uint32(data[i+3])<<24
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
		h = bits.RotateLeft32(h, 13)
		h = h*5 + 0xe6546b64
	}
	var k uint32
	for i := n - 1; i >= n&^3; i-- {
		k = k<<8 | uint32(data[i])
	}
	k *= c1
	k = bits.RotateLeft32(k, 15)
	k *= c2
	h ^= k
	h ^= uint32(n)
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// termIndex maps a term to its feature index as Spark's HashingTF does.
func termIndex(term string, numFeatures int) int32 {
	h := int32(murmur3(term, 42))
	m := h % int32(numFeatures)
	if m < 0 {
		m += int32(numFeatures)
	}
	return m
}

// HashingTF maps arrays of terms to sparse term-frequency vectors of size
// numFeatures (default 2^18) by hashing each term (MurmurHash3, as Spark);
// binary=true records presence (1.0) instead of counts.
type HashingTF struct {
	ml.StageBase
	colParams
	numFeatures param.Param[int]
	binary      param.Param[bool]
}

// NewHashingTF makes a HashingTF with a new UID.
func NewHashingTF() *HashingTF { return newHashingTF(param.UID("HashingTF")) }

func newHashingTF(uid string) *HashingTF {
	s := &HashingTF{StageBase: ml.NewStageBase(uid)}
	ps := s.Params()
	s.colParams = defineCols(ps, uid)
	s.numFeatures = param.Define(ps, "numFeatures", "Number of features. Should be greater than 0.", param.WithDefault(1<<18), param.WithValidator(param.Gt(0)))
	s.binary = param.Define(ps, "binary", "If True, all non zero counts are set to 1. This is useful for discrete probabilistic models that model binary events rather than integer counts.", param.WithDefault(false))
	return s
}

// SetInputCol sets the input array<string> column.
func (s *HashingTF) SetInputCol(c string) *HashingTF { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *HashingTF) SetOutputCol(c string) *HashingTF { s.outputCol.Set(s.Params(), c); return s }

// SetNumFeatures sets the vector size.
func (s *HashingTF) SetNumFeatures(n int) *HashingTF { s.numFeatures.Set(s.Params(), n); return s }

// SetBinary sets whether to record presence instead of counts.
func (s *HashingTF) SetBinary(v bool) *HashingTF { s.binary.Set(s.Params(), v); return s }

// IndexOf returns the feature index of term.
func (s *HashingTF) IndexOf(term string) int {
	return int(termIndex(term, s.numFeatures.Get(s.Params())))
}

// ClassName implements ml.Stage.
func (s *HashingTF) ClassName() string { return classPrefix + "HashingTF" }

// TransformSchema implements ml.Stage.
func (s *HashingTF) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return listInSchema(s.StageBase, s.colParams, in, linalg.VectorType())
}

// termCounter turns the index list of one document into sorted sparse counts.
type termCounter struct {
	idx  []int32
	outI []int32
	outV []float64
}

func (t *termCounter) counts(binaryTF bool) ([]int32, []float64) {
	slices.Sort(t.idx)
	t.outI, t.outV = t.outI[:0], t.outV[:0]
	for k, j := range t.idx {
		if k > 0 && t.idx[k-1] == j {
			if !binaryTF {
				t.outV[len(t.outV)-1]++
			}
			continue
		}
		t.outI = append(t.outI, j)
		t.outV = append(t.outV, 1)
	}
	return t.outI, t.outV
}

// Transform implements ml.Transformer.
func (s *HashingTF) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	nf, bin := s.numFeatures.Get(ps), s.binary.Get(ps)
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		r, err := newStringListReader(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		var tc termCounter
		for i := 0; i < args[0].Len(); i++ {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			lo, hi := r.Row(i)
			tc.idx = tc.idx[:0]
			for k := lo; k < hi; k++ {
				if !r.vals.IsNull(k) {
					tc.idx = append(tc.idx, termIndex(r.vals.Value(k), nf))
				}
			}
			idx, vals := tc.counts(bin)
			b.AppendSparse(nf, idx, vals)
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(s.outputCol.Get(ps), frame.UDF("hashingTF", linalg.VectorType(), fn, frame.Col(in)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *HashingTF) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *HashingTF, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *HashingTF) Save(path string) error { return ml.Save(s, path) }

// ---- IDF ----

// IDF learns inverse document frequencies from term-frequency vectors:
// idf = log((m+1)/(df+1)) for m documents, df of them with the term, or 0
// when df < minDocFreq (Spark's IDF).
type IDF struct {
	ml.StageBase
	colParams
	minDocFreq param.Param[int]
}

// NewIDF makes an IDF with a new UID.
func NewIDF() *IDF { return newIDF(param.UID("IDF")) }

func defineIDF(ps *param.Params, uid string) (colParams, param.Param[int]) {
	return defineCols(ps, uid),
		param.Define(ps, "minDocFreq", "minimum number of documents in which a term should appear for filtering", param.WithDefault(0), param.WithValidator(param.GtEq(0)))
}

func newIDF(uid string) *IDF {
	s := &IDF{StageBase: ml.NewStageBase(uid)}
	s.colParams, s.minDocFreq = defineIDF(s.Params(), uid)
	return s
}

// SetInputCol sets the input vector column.
func (s *IDF) SetInputCol(c string) *IDF { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *IDF) SetOutputCol(c string) *IDF { s.outputCol.Set(s.Params(), c); return s }

// SetMinDocFreq sets the minimum document frequency.
func (s *IDF) SetMinDocFreq(n int) *IDF { s.minDocFreq.Set(s.Params(), n); return s }

// ClassName implements ml.Stage.
func (s *IDF) ClassName() string { return classPrefix + "IDF" }

// TransformSchema implements ml.Stage.
func (s *IDF) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

type docFreq struct {
	m  int64
	df []int64
}

// Fit implements ml.Estimator.
func (s *IDF) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(in)), func(int) *docFreq { return &docFreq{} },
		func(acc *docFreq, b arrow.RecordBatch) (*docFreq, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, in, err)
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					continue
				}
				n := vc.Size(i)
				if acc.df == nil {
					acc.df = make([]int64, n)
				} else if len(acc.df) != n {
					return acc, sizeMismatch(uid, in, len(acc.df), n)
				}
				acc.m++
				if d := vc.DenseValues(i); d != nil {
					for j, v := range d {
						if v > 0 {
							acc.df[j]++
						}
					}
					continue
				}
				idx, vals := vc.Sparse(i)
				for k, j := range idx {
					if vals[k] > 0 {
						acc.df[j]++
					}
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	tot := &docFreq{}
	for _, a := range accs {
		if a.df == nil {
			continue
		}
		if tot.df == nil {
			tot.df = make([]int64, len(a.df))
		} else if len(a.df) != len(tot.df) {
			return nil, sizeMismatch(uid, in, len(tot.df), len(a.df))
		}
		tot.m += a.m
		for j, v := range a.df {
			tot.df[j] += v
		}
	}
	if tot.df == nil {
		return nil, fmt.Errorf("%s: column %q has no non-null rows to fit on", uid, in)
	}
	minDF := int64(s.minDocFreq.Get(ps))
	idf := make([]float64, len(tot.df))
	for j, d := range tot.df {
		if d >= minDF {
			idf[j] = math.Log((float64(tot.m) + 1) / (float64(d) + 1))
		}
	}
	m := newIDFModel(uid, idf, tot.df, tot.m)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *IDF) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *IDF, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *IDF) Save(path string) error { return ml.Save(s, path) }

// IDFModel scales term frequencies by the learned inverse document frequencies.
type IDFModel struct {
	ml.StageBase
	colParams
	minDocFreq param.Param[int]
	idf        []float64
	docFreq    []int64
	numDocs    int64
}

func newIDFModel(uid string, idf []float64, df []int64, m int64) *IDFModel {
	s := &IDFModel{StageBase: ml.NewStageBase(uid), idf: idf, docFreq: df, numDocs: m}
	s.colParams, s.minDocFreq = defineIDF(s.Params(), uid)
	return s
}

// IDF returns the inverse document frequencies.
func (m *IDFModel) IDF() linalg.Vector { return linalg.Dense(append([]float64(nil), m.idf...)...) }

// DocFreq returns the number of documents containing each term.
func (m *IDFModel) DocFreq() []int64 { return append([]int64(nil), m.docFreq...) }

// NumDocs returns the number of documents fitted on.
func (m *IDFModel) NumDocs() int64 { return m.numDocs }

// ClassName implements ml.Stage.
func (m *IDFModel) ClassName() string { return classPrefix + "IDFModel" }

// TransformSchema implements ml.Stage.
func (m *IDFModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(m.StageBase, m.colParams, in)
}

// Transform implements ml.Transformer.
func (m *IDFModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, uid, idf := m.inputCol.Get(ps), m.UID(), m.idf
	res := vectorUDF(df, "idf", uid, in, m.outputCol.Get(ps), func() rowFn {
		return scaleRows(uid, in, len(idf), func(j int) float64 { return idf[j] })
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *IDFModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *IDFModel, b ml.StageBase) { c.StageBase = b })
}

// ExtraMetadata implements ml.ExtraMetadata.
func (m *IDFModel) ExtraMetadata() map[string]any { return map[string]any{"numDocs": m.numDocs} }

// WriteData implements ml.DataWriter.
func (m *IDFModel) WriteData(dir string) error {
	df := make([]float64, len(m.docFreq))
	for i, d := range m.docFreq {
		df[i] = float64(d)
	}
	return ml.WriteVectors(dir, []string{"idf", "docFreq"}, m.idf, df)
}

// Save implements ml.Stage.
func (m *IDFModel) Save(path string) error { return ml.Save(m, path) }

func loadIDFModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "idf", "docFreq")
	if err != nil {
		return nil, err
	}
	var n int64
	if err := md.GetExtra("numDocs", &n); err != nil {
		return nil, err
	}
	df := make([]int64, len(v[1]))
	for i, f := range v[1] {
		df[i] = int64(f)
	}
	m := newIDFModel(md.UID, v[0], df, n)
	return m, md.ApplyParams(m.Params())
}
