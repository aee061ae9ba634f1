package frame

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gspark/gspark/internal/suggest"
	"github.com/gspark/gspark/io/csv"
)

// csvReadOptions are the CSV options gspark reads (lower case), as Spark
// names them.
var csvReadOptions = []string{
	"header", "inferschema", "sep", "delimiter", "quote", "escape", "nullvalue",
	"emptyvalue", "nanvalue", "positiveinf", "negativeinf", "dateformat",
	"timestampformat", "mode", "columnnameofcorruptrecord", "samplingratio",
	"comment", "linesep", "encoding", "charset", "ignoreleadingwhitespace",
	"ignoretrailingwhitespace", "multiline", "compression", "codec", "basepath",
	"maxcharspercolumn", "maxrecordbytes",
}

// csvWriteOptions are the CSV options gspark writes with.
var csvWriteOptions = []string{
	"header", "sep", "delimiter", "quote", "escape", "nullvalue", "emptyvalue",
	"dateformat", "timestampformat", "compression", "codec", "maxrecordsperfile",
}

// csvUnsupported are Spark CSV options gspark does not implement: naming one
// is an error rather than being silently ignored.
var csvUnsupported = []string{
	"enforceschema", "preferdate", "timestampntzformat", "enabledatetimeparsingfallback",
	"maxcolumns", "chartoescapequoteescaping", "locale",
	"unescapedquotehandling", "quoteall", "escapequotes", "pathglobfilter",
	"recursivefilelookup", "modifiedbefore", "modifiedafter", "ignorecorruptfiles",
	"ignoremissingfiles",
}

// checkOptions reports the first option key that is not in known: a Spark
// option gspark lacks, or an unknown name with the nearest known one. With
// known nil only the unsupported options are reported.
func checkOptions(format string, opts map[string]string, known, unsupported []string) error {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	for _, k := range keys {
		if _, s3 := s3Key(k); isKnown[k] || s3 {
			continue
		}
		if known == nil {
			for _, u := range unsupported {
				if k == u {
					return fmt.Errorf("%s option %q is not supported", format, k)
				}
			}
			continue
		}
		for _, u := range unsupported {
			if k == u {
				return fmt.Errorf("%s option %q is not supported (supported: %s)", format, k, strings.Join(known, ", "))
			}
		}
		msg := fmt.Sprintf("unknown %s option %q", format, k)
		if best := suggest.Closest(k, known); best != "" {
			msg += fmt.Sprintf("; did you mean %q?", best)
		}
		return fmt.Errorf("%s (supported: %s)", msg, strings.Join(known, ", "))
	}
	return nil
}

// csvOptions maps Spark's CSV options to the reader's (write: the writer's),
// rejecting options it does not know.
func (r *DataFrameReader) csvOptions(write bool) (csv.Options, error) {
	var o csv.Options
	known := csvReadOptions
	if write {
		known = csvWriteOptions
	}
	if err := checkOptions("CSV", r.opts, known, csvUnsupported); err != nil {
		return o, err
	}
	var err error
	if o.Header, err = r.boolOpt("header", false); err != nil {
		return o, err
	}
	if o.InferSchema, err = r.boolOpt("inferschema", false); err != nil {
		return o, err
	}
	if o.Delimiter, err = r.runeOpt([]string{"sep", "delimiter"}, ','); err != nil {
		return o, err
	}
	if o.Quote, err = r.runeOpt([]string{"quote"}, '"'); err != nil {
		return o, err
	}
	if o.Escape, err = r.runeOpt([]string{"escape"}, '\\'); err != nil {
		return o, err
	}
	if o.Comment, err = r.runeOpt([]string{"comment"}, 0); err != nil {
		return o, err
	}
	if o.LineSep, err = r.lineSepOpt(); err != nil {
		return o, err
	}
	if o.IgnoreLeadingWhiteSpace, err = r.boolOpt("ignoreleadingwhitespace", false); err != nil {
		return o, err
	}
	if o.IgnoreTrailingWhiteSpace, err = r.boolOpt("ignoretrailingwhitespace", false); err != nil {
		return o, err
	}
	if _, err = r.boolOpt("multiline", false); err != nil {
		return o, err
	}
	if o.Mode, err = csv.ParseMode(r.opts["mode"]); err != nil {
		return o, err
	}
	if v, ok := r.opts["samplingratio"]; ok {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1 {
			return o, fmt.Errorf("option samplingRatio: %q must be a number in (0, 1]", v)
		}
		o.SamplingRatio = f
	}
	for _, l := range []struct {
		key, name string
		dst       *int
		min       int
	}{{"maxcharspercolumn", "maxCharsPerColumn", &o.MaxCharsPerColumn, -1}, {"maxrecordbytes", "maxRecordBytes", &o.MaxRecordBytes, 1}} {
		v, ok := r.opts[l.key]
		if !ok || write {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < l.min || n == 0 {
			return o, fmt.Errorf("option %s: %q must be a positive integer%s", l.name, v, map[bool]string{true: " or -1", false: ""}[l.min < 0])
		}
		*l.dst = n
	}
	if v, ok := r.opts["emptyvalue"]; ok {
		o.EmptyValue = &v
	}
	o.NullValue = r.opts["nullvalue"]
	o.NanValue = r.opts["nanvalue"]
	o.PositiveInf = r.opts["positiveinf"]
	o.NegativeInf = r.opts["negativeinf"]
	o.DateFormat = r.opts["dateformat"]
	o.TimestampFormat = r.opts["timestampformat"]
	o.CorruptColumn = r.opts["columnnameofcorruptrecord"]
	o.Encoding = r.opts["encoding"]
	if v, ok := r.opts["charset"]; ok && o.Encoding == "" {
		o.Encoding = v
	}
	return o, nil
}

// lineSepOpt reads lineSep: one character (escapes \n, \r, \t allowed);
// "\r\n" is the default line ending.
func (r *DataFrameReader) lineSepOpt() (rune, error) {
	v, ok := r.opts["linesep"]
	if !ok {
		return 0, nil
	}
	switch v {
	case "\n", `\n`, "\r\n", `\r\n`:
		return 0, nil
	case `\r`:
		return '\r', nil
	case `\t`:
		return '\t', nil
	}
	rs := []rune(v)
	if len(rs) != 1 || rs[0] >= 0x80 {
		return 0, fmt.Errorf("option lineSep: %q must be one ASCII character", v)
	}
	return rs[0], nil
}
