package functions_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// The session time zone is UTC, so expectations are computed in UTC.

type dtRow struct {
	id       int32
	d        *time.Time // date
	ts       *time.Time // timestamp
	s        *string    // "yyyy-MM-dd HH:mm:ss" text
	n        *int32     // small int
	y, m, dd *int32
}

func dtData(t *testing.T, r *rand.Rand, rows int) ([]dtRow, string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,d,ts,s,n,y,m,dd\n")
	out := make([]dtRow, rows)
	lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	hi := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	null := func() bool { return r.IntN(8) == 0 }
	for i := range out {
		row := dtRow{id: int32(i)}
		f := make([]string, 8)
		f[0] = fmt.Sprint(i)
		if !null() {
			d := time.UnixMicro(lo + r.Int64N(hi-lo)).UTC().Truncate(24 * time.Hour)
			row.d, f[1] = &d, d.Format("2006-01-02")
		}
		if !null() {
			ts := time.UnixMicro(lo + r.Int64N(hi-lo)).UTC()
			row.ts, f[2] = &ts, ts.Format("2006-01-02 15:04:05.000000")
		}
		if !null() {
			s := time.UnixMicro(lo + r.Int64N(hi-lo)).UTC().Format("2006-01-02 15:04:05")
			row.s, f[3] = &s, s
		}
		if !null() {
			n := r.Int32N(2000) - 1000
			row.n, f[4] = &n, fmt.Sprint(n)
		}
		if !null() {
			y, m, dd := 1900+r.Int32N(300), 1+r.Int32N(12), 1+r.Int32N(28)
			row.y, row.m, row.dd = &y, &m, &dd
			f[5], f[6], f[7] = fmt.Sprint(y), fmt.Sprint(m), fmt.Sprint(dd)
		}
		out[i] = row
		b.WriteString(strings.Join(f, ",") + "\n")
	}
	p := filepath.Join(t.TempDir(), "dt.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return out, p
}

var dtSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int32},
	{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "y", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "m", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "dd", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
}, nil)

func dtFrame(t *testing.T, s *frame.Session, path string) *frame.DataFrame {
	t.Helper()
	df := s.Read().Option("header", "true").Schema(dtSchema).CSV(path)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	return df
}

func dtSessions() map[string]*frame.Session {
	return map[string]*frame.Session{
		"partitions=1": frame.NewSession(frame.WithPartitions(1)),
		"partitions=3": frame.NewSession(frame.WithPartitions(3)),
	}
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// dtCase is one function column and its row-at-a-time reference (nil for
// null).
type dtCase struct {
	col  frame.Column
	want func(r dtRow) any
}

func dtCases() []dtCase {
	dateOr := func(r dtRow, f func(time.Time) any) any {
		if r.d == nil {
			return nil
		}
		return f(*r.d)
	}
	tsOr := func(r dtRow, f func(time.Time) any) any {
		if r.ts == nil {
			return nil
		}
		return f(*r.ts)
	}
	both := func(r dtRow, f func(d time.Time, n int) any) any {
		if r.d == nil || r.n == nil {
			return nil
		}
		return f(*r.d, int(*r.n))
	}
	return []dtCase{
		{F.Quarter(F.Col("d")), func(r dtRow) any { return dateOr(r, func(d time.Time) any { return int32((d.Month()-1)/3 + 1) }) }},
		{F.Month(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return int32(d.Month()) }) }},
		{F.DayOfMonth(F.Col("d")), func(r dtRow) any { return dateOr(r, func(d time.Time) any { return int32(d.Day()) }) }},
		{F.Day(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return int32(d.Day()) }) }},
		{F.DayOfWeek(F.Col("d")), func(r dtRow) any { return dateOr(r, func(d time.Time) any { return int32(d.Weekday()) + 1 }) }},
		{F.Weekday(F.Col("d")), func(r dtRow) any { return dateOr(r, func(d time.Time) any { return int32(d.Weekday()+6) % 7 }) }},
		{F.DayOfYear(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return int32(d.YearDay()) }) }},
		{F.WeekOfYear(F.Col("d")), func(r dtRow) any {
			return dateOr(r, func(d time.Time) any { _, w := d.ISOWeek(); return int32(w) })
		}},
		{F.Hour(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return int32(d.Hour()) }) }},
		{F.Minute(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return int32(d.Minute()) }) }},
		{F.Second(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return int32(d.Second()) }) }},
		{F.Hour(F.Col("d")), func(r dtRow) any { return dateOr(r, func(time.Time) any { return int32(0) }) }},
		{F.DateAdd(F.Col("d"), F.Col("n")), func(r dtRow) any { return both(r, func(d time.Time, n int) any { return d.AddDate(0, 0, n) }) }},
		{F.DateSub(F.Col("d"), 10), func(r dtRow) any { return dateOr(r, func(d time.Time) any { return d.AddDate(0, 0, -10) }) }},
		{F.DateDiff(F.Col("d"), F.Col("ts")), func(r dtRow) any {
			if r.d == nil || r.ts == nil {
				return nil
			}
			return int32((r.d.Unix() - day(*r.ts).Unix()) / 86400)
		}},
		{F.AddMonths(F.Col("d"), F.Col("n")), func(r dtRow) any {
			return both(r, func(d time.Time, n int) any {
				first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
				return first.AddDate(0, 0, min(d.Day(), first.AddDate(0, 1, -1).Day())-1)
			})
		}},
		{F.MonthsBetween(F.Col("ts"), F.Col("d")), func(r dtRow) any {
			if r.d == nil || r.ts == nil {
				return nil
			}
			a, b := *r.ts, *r.d
			md := float64((a.Year()*12 + int(a.Month())) - (b.Year()*12 + int(b.Month())))
			if a.Day() == b.Day() || a.AddDate(0, 0, 1).Day() == 1 && b.AddDate(0, 0, 1).Day() == 1 {
				return md
			}
			secs := (a.Day()-b.Day())*86400 + a.Hour()*3600 + a.Minute()*60 + a.Second()
			return math.Floor((md+float64(secs)/(31*86400))*1e8+0.5) / 1e8
		}},
		{F.LastDay(F.Col("ts")), func(r dtRow) any {
			return tsOr(r, func(d time.Time) any { return time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC) })
		}},
		{F.NextDay(F.Col("d"), "Sun"), func(r dtRow) any {
			return dateOr(r, func(d time.Time) any { return d.AddDate(0, 0, 7-int(d.Weekday())) })
		}},
		{F.DateTrunc("quarter", F.Col("ts")), func(r dtRow) any {
			return tsOr(r, func(d time.Time) any { return time.Date(d.Year(), (d.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC) })
		}},
		{F.DateTrunc("minute", F.Col("d")), func(r dtRow) any { return dateOr(r, func(d time.Time) any { return d }) }},
		{F.Trunc(F.Col("d"), "week"), func(r dtRow) any {
			return dateOr(r, func(d time.Time) any { return d.AddDate(0, 0, -int(d.Weekday()+6)%7) })
		}},
		{F.Trunc(F.Col("d"), "day"), func(dtRow) any { return nil }},
		{F.ToTimestamp(F.Col("s"), "yyyy-MM-dd HH:mm:ss"), func(r dtRow) any {
			if r.s == nil {
				return nil
			}
			v, _ := time.Parse("2006-01-02 15:04:05", *r.s)
			return v
		}},
		{F.ToDate(F.Col("s"), "yyyy-MM-dd HH:mm:ss"), func(r dtRow) any {
			if r.s == nil {
				return nil
			}
			v, _ := time.Parse("2006-01-02 15:04:05", *r.s)
			return day(v)
		}},
		{F.ToDate(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return day(d) }) }},
		{F.ToTimestamp(F.Col("d")), func(r dtRow) any { return dateOr(r, func(d time.Time) any { return d }) }},
		{F.UnixTimestamp(F.Col("s")), func(r dtRow) any {
			if r.s == nil {
				return nil
			}
			v, _ := time.Parse("2006-01-02 15:04:05", *r.s)
			return v.Unix()
		}},
		{F.UnixTimestamp(F.Col("ts")), func(r dtRow) any { return tsOr(r, func(d time.Time) any { return d.Unix() }) }},
		{F.DateFormat(F.Col("ts"), "dd/MM/yyyy HH:mm:ss.SSS EEE"), func(r dtRow) any {
			return tsOr(r, func(d time.Time) any { return d.Format("02/01/2006 15:04:05.000 Mon") })
		}},
		{F.FromUnixtime(F.UnixTimestamp(F.Col("ts"))), func(r dtRow) any {
			return tsOr(r, func(d time.Time) any { return d.Format("2006-01-02 15:04:05") })
		}},
		{F.MakeDate(F.Col("y"), F.Col("m"), F.Col("dd")), func(r dtRow) any {
			if r.y == nil {
				return nil
			}
			return time.Date(int(*r.y), time.Month(*r.m), int(*r.dd), 0, 0, 0, 0, time.UTC)
		}},
	}
}

func TestDateTimeFunctionsRandom(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rows, path := dtData(t, rand.New(rand.NewPCG(seed, 3)), 500)
	cases := dtCases()
	for name, s := range dtSessions() {
		t.Run(name, func(t *testing.T) {
			cols := []frame.Column{F.Col("id")}
			for _, c := range cases {
				cols = append(cols, c.col)
			}
			got, err := dtFrame(t, s, path).Select(cols...).OrderBy(F.Col("id")).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(rows) {
				t.Fatalf("%d rows, want %d", len(got), len(rows))
			}
			for i, r := range rows {
				for k, c := range cases {
					want, v := c.want(r), got[i][k+1]
					if !sameValue(v, want) {
						t.Fatalf("row %d %s: got %v (%T), want %v (%T)", i, c.col, v, v, want, want)
					}
				}
			}
		})
	}
}

func sameValue(got, want any) bool {
	if gt, ok := got.(time.Time); ok {
		wt, ok := want.(time.Time)
		return ok && gt.Equal(wt)
	}
	return got == want
}

// TestDateTimeSparkExamples checks the Spark SQL reference examples
// (spark.apache.org/docs/latest/api/sql/), hand-checked, with string
// arguments cast as Spark casts them. Examples the docs compute in
// America/Los_Angeles are converted to UTC, the session time zone here.
func TestDateTimeSparkExamples(t *testing.T) {
	L := F.Lit
	cases := []struct {
		doc  string
		col  frame.Column
		want string
	}{
		{"SELECT quarter('2016-08-31') → 3", F.Quarter(L("2016-08-31")), "3"},
		{"SELECT month('2016-07-30') → 7", F.Month(L("2016-07-30")), "7"},
		{"SELECT dayofmonth('2009-07-30') → 30", F.DayOfMonth(L("2009-07-30")), "30"},
		{"SELECT day('2009-07-30') → 30", F.Day(L("2009-07-30")), "30"},
		{"SELECT dayofweek('2009-07-30') → 5", F.DayOfWeek(L("2009-07-30")), "5"},
		{"SELECT weekday('2009-07-30') → 3", F.Weekday(L("2009-07-30")), "3"},
		{"SELECT dayofyear('2016-04-09') → 100", F.DayOfYear(L("2016-04-09")), "100"},
		{"SELECT weekofyear('2008-02-20') → 8", F.WeekOfYear(L("2008-02-20")), "8"},
		{"SELECT hour('2009-07-30 12:58:59') → 12", F.Hour(L("2009-07-30 12:58:59")), "12"},
		{"SELECT minute('2009-07-30 12:58:59') → 58", F.Minute(L("2009-07-30 12:58:59")), "58"},
		{"SELECT second('2009-07-30 12:58:59') → 59", F.Second(L("2009-07-30 12:58:59")), "59"},
		{"SELECT date_add('2016-07-30', 1) → 2016-07-31", F.DateAdd(L("2016-07-30"), 1), "2016-07-31"},
		{"SELECT date_sub('2016-07-30', 1) → 2016-07-29", F.DateSub(L("2016-07-30"), 1), "2016-07-29"},
		{"SELECT datediff('2009-07-31', '2009-07-30') → 1", F.DateDiff(L("2009-07-31"), L("2009-07-30")), "1"},
		{"SELECT datediff('2009-07-30', '2009-07-31') → -1", F.DateDiff(L("2009-07-30"), L("2009-07-31")), "-1"},
		{"SELECT add_months('2016-08-31', 1) → 2016-09-30", F.AddMonths(L("2016-08-31"), 1), "2016-09-30"},
		{"SELECT months_between('1997-02-28 10:30:00', '1996-10-30') → 3.94959677",
			F.MonthsBetween(L("1997-02-28 10:30:00"), L("1996-10-30")), "3.94959677"},
		{"SELECT months_between('1997-02-28 10:30:00', '1996-10-30', false) → 3.9495967741935485",
			F.MonthsBetweenRound(L("1997-02-28 10:30:00"), L("1996-10-30"), false), "3.9495967741935485"},
		{"SELECT last_day('2009-01-12') → 2009-01-31", F.LastDay(L("2009-01-12")), "2009-01-31"},
		{"SELECT next_day('2015-01-14', 'TU') → 2015-01-20", F.NextDay(L("2015-01-14"), "TU"), "2015-01-20"},
		{"SELECT date_trunc('YEAR', '2015-03-05T09:32:05.359') → 2015-01-01 00:00:00",
			F.DateTrunc("YEAR", L("2015-03-05T09:32:05.359")), "2015-01-01 00:00:00"},
		{"SELECT date_trunc('MM', '2015-03-05T09:32:05.359') → 2015-03-01 00:00:00",
			F.DateTrunc("MM", L("2015-03-05T09:32:05.359")), "2015-03-01 00:00:00"},
		{"SELECT date_trunc('DD', '2015-03-05T09:32:05.359') → 2015-03-05 00:00:00",
			F.DateTrunc("DD", L("2015-03-05T09:32:05.359")), "2015-03-05 00:00:00"},
		{"SELECT date_trunc('HOUR', '2015-03-05T09:32:05.359') → 2015-03-05 09:00:00",
			F.DateTrunc("HOUR", L("2015-03-05T09:32:05.359")), "2015-03-05 09:00:00"},
		{"SELECT date_trunc('MILLISECOND', '2015-03-05T09:32:05.123456') → 2015-03-05 09:32:05.123",
			F.DateTrunc("MILLISECOND", L("2015-03-05T09:32:05.123456")), "2015-03-05 09:32:05.123"},
		{"SELECT trunc('2019-08-04', 'week') → 2019-07-29", F.Trunc(L("2019-08-04"), "week"), "2019-07-29"},
		{"SELECT trunc('2019-08-04', 'quarter') → 2019-07-01", F.Trunc(L("2019-08-04"), "quarter"), "2019-07-01"},
		{"SELECT trunc('2009-02-12', 'MM') → 2009-02-01", F.Trunc(L("2009-02-12"), "MM"), "2009-02-01"},
		{"SELECT trunc('2015-10-27', 'YEAR') → 2015-01-01", F.Trunc(L("2015-10-27"), "YEAR"), "2015-01-01"},
		{"SELECT to_date('2009-07-30 04:17:52') → 2009-07-30", F.ToDate(L("2009-07-30 04:17:52")), "2009-07-30"},
		{"SELECT to_date('2016-12-31', 'yyyy-MM-dd') → 2016-12-31", F.ToDate(L("2016-12-31"), "yyyy-MM-dd"), "2016-12-31"},
		{"SELECT to_timestamp('2016-12-31 00:12:00') → 2016-12-31 00:12:00", F.ToTimestamp(L("2016-12-31 00:12:00")), "2016-12-31 00:12:00"},
		{"SELECT to_timestamp('2016-12-31', 'yyyy-MM-dd') → 2016-12-31 00:00:00",
			F.ToTimestamp(L("2016-12-31"), "yyyy-MM-dd"), "2016-12-31 00:00:00"},
		{"SELECT try_to_timestamp('foo', 'yyyy-MM-dd') → NULL", F.TryToTimestamp(L("foo"), "yyyy-MM-dd"), "NULL"},
		{"SELECT date_format('2016-04-08', 'y') → 2016", F.DateFormat(L("2016-04-08"), "y"), "2016"},
		{"SELECT unix_timestamp('2016-04-08', 'yyyy-MM-dd') → 1460073600 (UTC; docs: 1460098800 in LA)",
			F.UnixTimestamp(L("2016-04-08"), "yyyy-MM-dd"), "1460073600"},
		{"SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm:ss') → 1970-01-01 00:00:00 (UTC; docs: 1969-12-31 16:00:00 in LA)",
			F.FromUnixtime(L(0), "yyyy-MM-dd HH:mm:ss"), "1970-01-01 00:00:00"},
		{"SELECT make_date(2013, 7, 15) → 2013-07-15", F.MakeDate(L(2013), L(7), L(15)), "2013-07-15"},
		{"SELECT make_date(2019, 7, NULL) → NULL", F.MakeDate(L(2019), L(7), L(nil)), "NULL"},
		{"SELECT timestampadd(MONTH, 1, timestamp_ltz'2022-01-31 00:00:00') → 2022-02-28 00:00:00",
			F.TimestampAdd("MONTH", 1, L("2022-01-31 00:00:00")), "2022-02-28 00:00:00"},
		{"SELECT timestampadd(SECOND, -10, date'2022-01-01') → 2021-12-31 23:59:50",
			F.TimestampAdd("SECOND", -10, F.ToDate(L("2022-01-01"))), "2021-12-31 23:59:50"},
		{"SELECT timestampdiff(HOUR, timestamp_ntz'2022-02-11 20:30:00', timestamp_ntz'2022-02-12 04:30:00') → 8",
			F.TimestampDiff("HOUR", L("2022-02-11 20:30:00"), L("2022-02-12 04:30:00")), "8"},
		{"SELECT date_part('SECONDS', timestamp'2019-10-01 00:00:01.000001') → 1.000001",
			F.DatePart("SECONDS", F.ToTimestamp(L("2019-10-01 00:00:01.000001"))), "1.000001"},
		{"SELECT make_timestamp(2019, 6, 30, 23, 59, 60) → 2019-07-01 00:00:00",
			F.MakeTimestamp(L(2019), L(6), L(30), L(23), L(59), L(60)), "2019-07-01 00:00:00"},
		{"SELECT try_make_timestamp(2024, 13, 22, 15, 30, 0) → NULL",
			F.TryMakeTimestamp(L(2024), L(13), L(22), L(15), L(30), L(0)), "NULL"},
		{"SELECT from_utc_timestamp('2016-08-31', 'Asia/Seoul') → 2016-08-31 09:00:00",
			F.FromUTCTimestamp(L("2016-08-31"), "Asia/Seoul"), "2016-08-31 09:00:00"},
		{"SELECT to_utc_timestamp('2016-08-31', 'Asia/Seoul') → 2016-08-30 15:00:00",
			F.ToUTCTimestamp(L("2016-08-31"), "Asia/Seoul"), "2016-08-30 15:00:00"},
		{"SELECT convert_timezone('Europe/Brussels', 'America/Los_Angeles', timestamp_ntz'2021-12-06 00:00:00') → 2021-12-05 15:00:00",
			F.ConvertTimezone("Europe/Brussels", "America/Los_Angeles", L("2021-12-06 00:00:00")), "2021-12-05 15:00:00"},
		{"SELECT unix_millis(TIMESTAMP('1970-01-01 00:00:01Z')) → 1000", F.UnixMillis(F.ToTimestamp(L("1970-01-01 00:00:01"))), "1000"},
		{"SELECT unix_date(DATE('1970-01-02')) → 1", F.UnixDate(L("1970-01-02")), "1"},
		{"SELECT date_from_unix_date(1) → 1970-01-02", F.DateFromUnixDate(L(1)), "1970-01-02"},
		{"SELECT timestamp_millis(1230219000123) → 2008-12-25 15:30:00.123 (UTC; docs: 07:30 in LA)",
			F.TimestampMillis(L(int64(1230219000123))), "2008-12-25 15:30:00.123"},
		{"SELECT dayname(DATE('2008-02-20')) → Wed", F.DayName(L("2008-02-20")), "Wed"},
		{"SELECT monthname('2008-02-20') → Feb", F.MonthName(L("2008-02-20")), "Feb"},
		{"SELECT try_to_date('foo', 'yyyy-MM-dd') → NULL", F.TryToDate(L("foo"), "yyyy-MM-dd"), "NULL"},
		{"SELECT timestampdiff(YEAR, date'2022-01-01', date'2021-01-01') → -1",
			F.TimestampDiff("YEAR", F.ToDate(L("2022-01-01")), F.ToDate(L("2021-01-01"))), "-1"},
	}
	for name, s := range dtSessions() {
		t.Run(name, func(t *testing.T) {
			_, path := dtData(t, rand.New(rand.NewPCG(1, 2)), 4)
			df := dtFrame(t, s, path).Limit(1)
			for _, c := range cases {
				sel := df.Select(c.col)
				rows, err := sel.Collect(context.Background())
				if err != nil {
					t.Errorf("%s: %v", c.doc, err)
					continue
				}
				if got := show(rows[0][0], sel.Schema().Field(0).Type); got != c.want {
					t.Errorf("%s: got %s", c.doc, got)
				}
			}
		})
	}
}

// show renders a value of type t as Spark prints it.
func show(v any, t arrow.DataType) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if t.ID() == arrow.DATE32 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	}
	return fmt.Sprint(v)
}

func TestDateTimeCurrent(t *testing.T) {
	for name, s := range dtSessions() {
		t.Run(name, func(t *testing.T) {
			_, path := dtData(t, rand.New(rand.NewPCG(1, 2)), 50)
			before := time.Now().UTC()
			rows, err := dtFrame(t, s, path).Select(F.CurrentDate(), F.CurrentTimestamp(), F.UnixTimestampNow()).Collect(context.Background())
			after := time.Now().UTC()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				// One value per query: every row holds the same constant.
				for k := range r {
					if !sameValue(r[k], rows[0][k]) {
						t.Fatalf("column %d differs between rows: %v, %v", k, r[k], rows[0][k])
					}
				}
			}
			d, ts, unix := rows[0][0].(time.Time), rows[0][1].(time.Time), rows[0][2].(int64)
			if !d.Equal(day(before)) && !d.Equal(day(after)) {
				t.Errorf("current_date %v, now %v", d, before)
			}
			if ts.Before(before.Truncate(time.Microsecond)) || ts.After(after) {
				t.Errorf("current_timestamp %v not in [%v, %v]", ts, before, after)
			}
			if unix < before.Unix() || unix > after.Unix() {
				t.Errorf("unix_timestamp() %d not in [%d, %d]", unix, before.Unix(), after.Unix())
			}
		})
	}
}

func TestDateTimeErrors(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(3))
	_, path := dtData(t, rand.New(rand.NewPCG(1, 2)), 20)
	df := dtFrame(t, s, path)
	// Runtime ANSI errors name the function and the value.
	for _, c := range []struct {
		col  frame.Column
		is   error
		text []string
	}{
		{F.ToTimestamp(F.Lit("2016-13-01"), "yyyy-MM-dd"), expr.ErrInvalidCast, []string{"to_timestamp", "2016-13-01", "yyyy-MM-dd"}},
		{F.ToDate(F.Lit("31/12/2016"), "yyyy-MM-dd"), expr.ErrInvalidCast, []string{"to_date", "31/12/2016", "yyyy-MM-dd"}},
		{F.UnixTimestamp(F.Lit("2016-04-08")), expr.ErrInvalidCast, []string{"unix_timestamp", "2016-04-08", "yyyy-MM-dd HH:mm:ss"}},
		{F.NextDay(F.Col("d"), "xx"), expr.ErrInvalidCast, []string{"next_day", "xx"}},
		{F.MakeDate(F.Lit(2019), F.Lit(13), F.Lit(1)), expr.ErrInvalidCast, []string{"make_date", "13"}},
		{F.DateAdd(F.Lit("2016-07-30"), math.MaxInt32), expr.ErrOverflow, []string{"date_add", "2016-07-30"}},
		{F.ToDate(F.Lit("2016-02-30")), expr.ErrInvalidCast, []string{"2016-02-30"}},
	} {
		_, err := df.Select(c.col).Collect(context.Background())
		if !errors.Is(err, c.is) {
			t.Errorf("%s: error %v, want %v", c.col, err, c.is)
			continue
		}
		for _, w := range c.text {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.col, err, w)
			}
		}
	}
	// Analysis errors: wrong types, non-literal formats, bad patterns.
	for _, c := range []frame.Column{
		F.Month(F.Col("n")),
		F.DateAdd(F.Col("d"), int64(math.MaxInt32)+1), // bigint days, as Spark rejects
		F.DateAdd(F.Col("d"), 1.5),
		frame.Call("date_trunc", F.Col("s"), F.Col("ts")),
		F.DateFormat(F.Col("ts"), "YYYY-ww"),
		F.ToTimestamp(F.Col("s"), "yyyy-MM-dd'T"),
		F.Hour(F.Col("n")),
		F.FromUnixtime(F.Col("s")),
		frame.Call("months_between", F.Col("ts"), F.Col("ts"), F.Col("n")),
	} {
		if _, err := df.Select(c).Collect(context.Background()); err == nil {
			t.Errorf("%s: no error", c)
		}
	}
}

// TestDateTimeSQL runs the functions through SQL, where string arguments are
// coerced as Spark does (Spark docs examples, hand-checked).
func TestDateTimeSQL(t *testing.T) {
	for name, s := range dtSessions() {
		t.Run(name, func(t *testing.T) {
			_, path := dtData(t, rand.New(rand.NewPCG(1, 2)), 1)
			if err := dtFrame(t, s, path).CreateOrReplaceTempView("dt"); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ query, want string }{
				{"SELECT date_add('2016-07-30', 1)", "2016-07-31"},
				{"SELECT date_add(DATE '2016-07-30', '2')", "2016-08-01"},
				{"SELECT dateadd('2016-07-30', 1)", "2016-07-31"},
				{"SELECT date_diff('2009-07-31', '2009-07-30')", "1"},
				{"SELECT to_date('2016-12-31', 'yyyy-MM-dd')", "2016-12-31"},
				{"SELECT date_format(DATE '2016-04-08', 'yyyy MMM dd EEEE')", "2016 Apr 08 Friday"},
				{"SELECT trunc(TIMESTAMP '2019-08-04 10:00:00', 'MM')", "2019-08-01"},
				{"SELECT date_trunc('week', DATE '2019-08-04')", "2019-07-29 00:00:00"},
				{"SELECT months_between(DATE '1997-02-28', DATE '1996-10-30', false)", "3.935483870967742"},
				{"SELECT months_between('2016-03-31', '2016-02-29')", "1"},
				{"SELECT add_months('2016-01-31', 1)", "2016-02-29"},
				{"SELECT day(TIMESTAMP '2016-04-08 23:59:59')", "8"},
				{"SELECT unix_timestamp(TIMESTAMP '1969-12-31 23:59:59.5')", "-1"},
				{"SELECT from_unixtime(-1)", "1969-12-31 23:59:59"},
				{"SELECT try_to_timestamp('2016-02-30', 'yyyy-MM-dd')", "NULL"},
				{"SELECT to_timestamp('12/31/2016 11:05 PM', 'MM/dd/yyyy hh:mm a')", "2016-12-31 23:05:00"},
			} {
				df := s.SQL(c.query + " FROM dt")
				rows, err := df.Collect(context.Background())
				if err != nil {
					t.Errorf("%s: %v", c.query, err)
					continue
				}
				if got := show(rows[0][0], df.Schema().Field(0).Type); got != c.want {
					t.Errorf("%s: %s, want %s", c.query, got, c.want)
				}
			}
		})
	}
}
