package fmtfn

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gspark/gspark/exec/expr/datefn"
)

// Options are the options of the JSON and CSV functions that gspark
// honours (Spark's option names, case-insensitive): timestampFormat and
// dateFormat (Spark datetime patterns) for both, sep (or delimiter) for the
// CSV functions. The zero value means Spark's defaults.
type Options struct {
	timestamp, date *datefn.Pattern
	sep             string
}

// ParseOptions reads the options map of function fn; an option gspark
// does not implement is an error naming it, so that no option is silently
// ignored. csv allows sep/delimiter.
func ParseOptions(fn string, m map[string]string, csv bool) (*Options, error) {
	o := &Options{sep: ","}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		switch strings.ToLower(k) {
		case "timestampformat":
			p, err := datefn.CompilePattern(v)
			if err != nil {
				return nil, fmt.Errorf("%s option %s: %w", fn, k, err)
			}
			o.timestamp = p
		case "dateformat":
			p, err := datefn.CompilePattern(v)
			if err != nil {
				return nil, fmt.Errorf("%s option %s: %w", fn, k, err)
			}
			o.date = p
		case "mode":
			if !strings.EqualFold(v, "PERMISSIVE") {
				return nil, fmt.Errorf("%s option mode %s is not supported; only PERMISSIVE (the default) is", fn, v)
			}
		case "sep", "delimiter":
			if !csv {
				return nil, fmt.Errorf("%s does not take the option %s", fn, k)
			}
			if v == "" {
				return nil, fmt.Errorf("%s option %s must not be empty", fn, k)
			}
			o.sep = v
		default:
			supported := "timestampFormat, dateFormat, mode"
			if csv {
				supported += ", sep"
			}
			return nil, fmt.Errorf("%s option %s is not supported (supported: %s)", fn, k, supported)
		}
	}
	return o, nil
}

func (o *Options) parseDate(s string) (any, bool) {
	if o != nil && o.date != nil {
		us, ok := o.date.Parse([]byte(s))
		if !ok {
			return nil, false
		}
		return time.UnixMicro(us).UTC(), true
	}
	d, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return nil, false
	}
	return d, true
}

func (o *Options) parseTimestamp(s string) (any, bool) {
	if o != nil && o.timestamp != nil {
		us, ok := o.timestamp.Parse([]byte(s))
		if !ok {
			return nil, false
		}
		return time.UnixMicro(us).UTC(), true
	}
	return parseTimestampText(s)
}

func (o *Options) formatDate(t time.Time) string {
	if o != nil && o.date != nil {
		return string(o.date.AppendFormat(nil, t.UnixMicro()))
	}
	return t.UTC().Format("2006-01-02")
}

func (o *Options) formatTimestamp(t time.Time) string {
	if o != nil && o.timestamp != nil {
		return string(o.timestamp.AppendFormat(nil, t.UnixMicro()))
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}
